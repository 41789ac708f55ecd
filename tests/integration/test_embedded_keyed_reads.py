"""The embedded store's batched reads: the form of a batch (a union of primary-key lookups, or a filter by the
list) is picked by the batch's size and the looked-up label's node count; above a few keys the forms that expand
the keys' relationships are timed too and the fastest runs; every form gives the same rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_service.domain.schema import RELS
from graph_service.services.graph import GraphReader
from graph_service.store import embedded
from graph_service.store.embedded import LadybugStore
from graph_service.store.queries import Query, QueryRef

from .conftest import City, store_of_city


@pytest.fixture
def store(tmp_path: Path, small_city: City) -> Iterator[LadybugStore]:
    with store_of_city(tmp_path / "graph.lbdb", small_city, LadybugStore) as opened:
        yield opened


def _forms(store: LadybugStore, *, with_trials: bool = False) -> list[str]:
    """Records the form of each statement the store runs from now on in this thread (``with_trials``: its trials'
    thread too, ``form_trials``): ``union <n>`` or the query's name."""
    ran: list[str] = []
    original = store.catalog.text
    caller = threading.current_thread()

    def recording(query: QueryRef, **names: object) -> str:
        if not with_trials and threading.current_thread() is not caller:
            return original(query, **names)
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


def _expected(small_city: City, rel: str, anchor_end: str, keys: list[str], other_label: str) -> set[tuple[str, str, str]]:
    """(key, relationship id, far node id) of every ``rel`` touching ``keys`` at ``anchor_end``, from the records."""
    found = set()
    for r in small_city.rels(rel):
        near, far, far_label = (r.from_id, r.to_id, r.to_label) if anchor_end == "from" else (r.to_id, r.from_id, r.from_label)
        if near in keys and far_label == other_label:
            found.add((near, r.id, far))
    return found


def _triples(rows: list[dict[str, object]]) -> set[tuple[str, str, str]]:
    return {(str(row["key"]), str(row["r"]["id"]), str(row["t"]["id"])) for row in rows}  # type: ignore[index]


def test_every_form_of_a_batch_gives_the_rows_the_records_hold(store: LadybugStore, small_city: City) -> None:
    # The store picks among the forms by their speed (form_choice): that is only sound if they all give the same
    # rows, whole, for every relationship type and direction, keys with no relationship and unknown keys included.
    checked = 0
    for spec in RELS.values():
        for source, target in spec.pairs:
            names = {"rel": spec.type, "source": source, "target": target}
            for query, anchor_label, anchor_end, other in (
                ("links_out", source, "from", target),
                ("links_in", target, "to", source),
            ):
                keys = [*sorted(n.id for n in small_city.nodes(anchor_label))[:40], "no-such-node"]
                expected = _expected(small_city, spec.type, anchor_end, keys, other)
                forms = [query, *store._expand_forms(query, names)]
                assert f"ladybug_{query}_expand" in forms
                results = [store.read(form, {"ids": keys}, **names) for form in forms]
                for form, rows in zip(forms, results, strict=True):
                    kept = [row for row in rows if row["r"] is not None]
                    assert _triples(kept) == expected, f"{form} {names}"
                    assert sorted(map(repr, kept)) == sorted(map(repr, results[0])), f"{form} {names}: other values"
                checked += bool(expected)
    assert checked >= 20, "too few relationship types have rows in the small city for this to prove much"


def test_the_unlabelled_form_is_offered_only_where_the_far_end_has_one_label(store: LadybugStore) -> None:
    two_labels = next(spec for spec in RELS.values() if len(spec.pairs) > 1)
    source, target = two_labels.pairs[0]
    names = {"rel": two_labels.type, "source": source, "target": target}
    assert store._expand_forms("links_in", names) == ["ladybug_links_in_expand"]
    assert "ladybug_links_out_expand_unlabelled" in store._expand_forms(
        "links_out", {"rel": "LEADS", "source": "Organization", "target": "Area"}
    )


def test_a_batch_shape_is_timed_in_every_form_then_runs_in_the_fastest(store: LadybugStore, small_city: City) -> None:
    graph = GraphReader(store)
    people = sorted(n.id for n in small_city.nodes("Person"))[: embedded.KEYED_EXPAND_MIN + 4]
    ran = _forms(store, with_trials=True)
    first = graph.outgoing("MEMBER_OF", "Person", "Organization", people)
    # The request ran the union it runs untimed; every form is timed beside it (form_trials).
    assert ran[0] == "union 16"
    store._trials.wait()
    forms = 1 + len(store._expand_forms("links_out", {"rel": "MEMBER_OF", "source": "Person", "target": "Organization"}))
    assert len(set(ran)) == forms  # each form ran
    ran.clear()
    for _ in range(5):
        assert graph.outgoing("MEMBER_OF", "Person", "Organization", people) == first
    assert len(set(ran)) == 1 and list(store._forms.chosen().values()) == [ran[0].replace("union 16", "ladybug_links_out_key")]
    few = people[: embedded.KEYED_EXPAND_MIN]
    ran.clear()
    graph.outgoing("MEMBER_OF", "Person", "Organization", few)
    assert ran == ["union 8"]  # a small batch: the union of primary-key lookups, not timed


def test_a_bulk_load_forgets_the_forms_chosen(store: LadybugStore, small_city: City) -> None:
    graph = GraphReader(store)
    people = sorted(n.id for n in small_city.nodes("Person"))[:20]
    graph.outgoing("MEMBER_OF", "Person", "Organization", people)
    store._trials.wait()
    assert store._forms.chosen()
    store.bulk_load(lambda loader: None)
    assert not store._forms.chosen()
