"""``settle_heap`` (api/heap.py): survivors are frozen out of the collector's walks, and cyclic garbage among
them is collected at the next settle; ``tune_collector`` collects the youngest generation less often."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from graph_service.api.heap import YOUNG_THRESHOLD, settle_heap, tune_collector


class _Cycle:
    me: _Cycle | None = None


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # leave the test process's collector as it found it


def test_survivors_are_frozen_and_frozen_cycles_are_collected_at_the_next_settle() -> None:
    cycle = _Cycle()
    cycle.me = cycle
    alive = weakref.ref(cycle)
    assert settle_heap() >= 0
    assert gc.get_freeze_count() > 0
    del cycle
    gc.collect()
    assert alive() is not None, "a frozen object is skipped by full collections"
    settle_heap()
    assert alive() is None, "the next settle unfreezes first and collects it"


def test_garbage_before_a_settle_is_collected_not_frozen() -> None:
    cycle = _Cycle()
    cycle.me = cycle
    gone = weakref.ref(cycle)
    del cycle
    settle_heap()
    assert gone() is None


def test_the_youngest_generation_is_collected_every_young_threshold_objects() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        tune_collector()
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
        assert YOUNG_THRESHOLD > 700
    finally:
        gc.set_threshold(*before)
