"""The embedded store's batched reads: the form of a batch (a union of primary-key lookups, or a filter by the
list) is picked by the batch's size and the looked-up label's node count, and every form gives the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_service.services.bulk import bulk_insert
from graph_service.services.graph import GraphReader
from graph_service.store import embedded
from graph_service.store.embedded import LadybugStore
from graph_service.store.queries import Query, QueryRef

from .conftest import City


@pytest.fixture
def store(tmp_path: Path, small_city: City) -> Iterator[LadybugStore]:
    opened = LadybugStore(tmp_path / "graph.lbdb")
    opened.ensure_schema()
    bulk_insert(opened, small_city.records)
    yield opened
    opened.close()


def _forms(store: LadybugStore) -> list[str]:
    """Records the form of each statement the store runs from now on: ``union <n>`` or the query's name."""
    ran: list[str] = []
    original = store.catalog.text

    def recording(query: QueryRef, **names: object) -> str:
        if isinstance(query, Query) and query.keys:
            ran.append(f"union {query.keys}")
        elif not str(query).endswith("_key"):  # the per-key text read to see which label it looks up
            ran.append(query if isinstance(query, str) else query.name)
        return original(query, **names)

    store.catalog.text = recording  # type: ignore[method-assign]
    return ran


def test_node_counts_are_read_with_the_schema_and_after_a_bulk_load(store: LadybugStore, small_city: City) -> None:
    people = sum(1 for n in small_city.nodes("Person"))
    assert store._label_nodes["Person"] == people and store._label_nodes["Area"] == len(small_city.nodes("Area"))


def test_a_big_label_takes_larger_batches_as_unions(
    store: LadybugStore, small_city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = GraphReader(store)
    areas = sorted(n.id for n in small_city.nodes("Area"))[:40]
    ran = _forms(store)
    as_list = graph.incoming("PART_OF", "Area", "Area", areas)
    assert ran == ["links_in"]  # 40 keys on a small label: the list form
    monkeypatch.setattr(embedded, "LARGE_LABEL_NODES", 1)
    ran.clear()
    assert graph.incoming("PART_OF", "Area", "Area", areas) == as_list
    assert ran[-1] == "union 64"
    ran.clear()
    many = sorted(n.id for n in small_city.nodes("Area"))[:80]
    graph.incoming("PART_OF", "Area", "Area", many)
    assert ran == ["links_in"]  # above KEYED_UNION_MAX_LARGE: the list form again


def test_a_store_opened_on_an_existing_database_counts_its_labels_at_the_first_big_batch(
    store: LadybugStore, small_city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Benches and tools open a seeded database without ensuring its schema; their batches must take the same form
    # as the server's (the counts were once left empty there, so every big batch took the slower list form).
    path = store.path
    store.close()
    reopened = LadybugStore(path)
    try:
        monkeypatch.setattr(embedded, "LARGE_LABEL_NODES", 1)
        areas = sorted(n.id for n in small_city.nodes("Area"))[:40]
        ran = _forms(reopened)
        GraphReader(reopened).incoming("PART_OF", "Area", "Area", areas)
        assert ran[-1] == "union 64"
        assert reopened._label_nodes is not None and reopened._label_nodes["Area"] == len(small_city.nodes("Area"))
    finally:
        reopened.close()
