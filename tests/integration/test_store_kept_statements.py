"""The statements a connection keeps prepared hold the working memory they last ran in (LadybugDB keeps a plan's
state with it), so a long-running store's kept statements can fill the buffer pool where none of them runs. When a
read finds the pool full, the store frees the kept statements of its idle connections and runs the read again.
Measured on the real engine with a pool small enough to fill: the compound listings of the small city."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graph_service.config import MIN_BUFFER_POOL_MB
from graph_service.domain.standards import DEFAULT_STANDARDS
from graph_service.errors import WorkingMemoryError
from graph_service.services.areas import gap_and_measure_parameters
from graph_service.store import embedded
from graph_service.store.embedded import LadybugStore
from graph_service.store.queries import Filter, Query
from tests.integration.conftest import City, store_of_city

PARAMS: dict[str, object] = {
    **gap_and_measure_parameters(DEFAULT_STANDARDS, date(2026, 1, 1)),
    "kind": "old",
    "mode": "state_fallback",
    "order_field": "households",
    "sign": -1,
    "reverse": False,
    "offset": 0,
    "limit": 100,
}
#: Compound listings whose texts differ (their filters): each is one more statement kept per connection.
LISTINGS = [
    Query(name, filters)
    for name in ("compounds_page", "ladybug_compounds_page_by_key")
    for filters in (
        (Filter("compound_of_kind"), Filter("gap_buildings_without_group")),
        (Filter("compound_managed_as"), Filter("gap_no_branch", negate=True)),
        (Filter("area_not_abolished"), Filter("gap_buildings_without_leader", negate=True)),
        (Filter("gap_no_owners_committee"),),
        (Filter("gap_no_station", negate=True), Filter("compound_of_kind")),
        (),
    )
]


@pytest.fixture
def small_pool_store(tmp_path: Path, small_city: City, monkeypatch: pytest.MonkeyPatch) -> Iterator[LadybugStore]:
    """The small city in a store whose buffer pool is the smallest the settings allow."""
    opened_with: list[int] = []
    original = LadybugStore.__init__

    def small(self: LadybugStore, path: Path, *args: object, **kwargs: object) -> None:
        kwargs["buffer_pool_mb"] = MIN_BUFFER_POOL_MB
        opened_with.append(MIN_BUFFER_POOL_MB)
        original(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(LadybugStore, "__init__", small)
    with store_of_city(tmp_path / "graph.lbdb", small_city, LadybugStore) as store:
        assert store.buffer_pool_mb == MIN_BUFFER_POOL_MB and opened_with
        yield store


def _read_all(store: LadybugStore, rounds: int = 3) -> list[list[object]]:
    # Each listing as itself (``_read_one``, where ``read`` would also time its other forms in the background).
    return [store._read_one(listing, PARAMS, {}) for _ in range(rounds) for listing in LISTINGS]


def test_kept_statements_that_fill_the_pool_are_freed_and_the_read_answers(
    small_pool_store: LadybugStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    freed: list[int] = []
    original = LadybugStore._free_kept_statements

    def counting(self: LadybugStore) -> int:
        freed.append(original(self))
        return freed[-1]

    monkeypatch.setattr(LadybugStore, "_free_kept_statements", counting)
    pages = _read_all(small_pool_store)
    assert freed and all(n > 0 for n in freed), "the pool never filled: the test needs a smaller one"
    assert pages[: len(LISTINGS)] * 3 == pages  # every round read the same pages
    assert any(pages)


def test_without_freeing_them_the_same_reads_run_out_of_working_memory(
    small_pool_store: LadybugStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LadybugStore, "_free_kept_statements", lambda self: 0)
    with pytest.raises(WorkingMemoryError, match="GRAPH_SERVICE_BUFFER_POOL_MB"):
        _read_all(small_pool_store)


def test_statements_in_use_are_not_freed(small_pool_store: LadybugStore) -> None:
    small_pool_store._read_one(LISTINGS[0], PARAMS, {})
    kept = {conn: len(embedded._PREPARED.get(conn, {})) for conn in small_pool_store._light._all}  # type: ignore[union-attr]
    assert sum(kept.values()) >= 1
    with small_pool_store._light.idle() as idle:  # type: ignore[union-attr]
        busy = idle.pop()  # as if a thread held it
        with small_pool_store._light.idle() as none_free:  # type: ignore[union-attr]
            assert none_free == []
        idle.append(busy)
    taken = small_pool_store._light.get()  # type: ignore[union-attr]
    try:
        small_pool_store._free_kept_statements()
        assert len(embedded._PREPARED.get(taken, {})) == kept[taken]
        assert all(not embedded._PREPARED.get(conn) for conn in small_pool_store._light._all if conn is not taken)  # type: ignore[union-attr]
    finally:
        small_pool_store._light.put(taken)  # type: ignore[union-attr]


def test_the_trials_thread_frees_its_own_connections_statements_and_no_other_thread_does(
    small_pool_store: LadybugStore,
) -> None:
    seen: dict[str, int] = {}
    read, outside_done = threading.Event(), threading.Event()

    def trial() -> None:
        small_pool_store._read_one(LISTINGS[0], PARAMS, {})  # on the trials' own connection
        kept = embedded._PREPARED.get(small_pool_store._trial_conn, {})  # type: ignore[arg-type]
        seen["kept"] = len(kept)
        read.set()
        outside_done.wait(timeout=30)
        seen["after_outside"] = len(kept)
        seen["freed"] = small_pool_store._free_kept_statements()
        seen["after_own"] = len(kept)

    small_pool_store._trials.submit("kept-statements", trial)
    assert read.wait(timeout=30)
    small_pool_store._free_kept_statements()  # a request's thread: the trials' connection is not its to touch
    outside_done.set()
    small_pool_store._trials.wait()
    assert seen["kept"] >= 1
    assert seen["after_outside"] == seen["kept"]
    assert seen["freed"] >= seen["kept"] and seen["after_own"] == 0
