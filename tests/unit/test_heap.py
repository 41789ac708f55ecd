"""``graph_service/heap.py``: survivors are frozen out of the collector's walks; a whole settle collects the cyclic
garbage among them, a young one only what is not frozen; ``long_lived`` freezes what its block built;
``Settler`` settles whole at most every so often; ``tune_collector`` collects the youngest generation less often."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from graph_service.heap import YOUNG_THRESHOLD, Settler, long_lived, settle_heap, settle_young, tune_collector


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


def _frozen(thing: object) -> bool:
    """Whether ``thing`` is in the permanent generation: ``gc.get_objects`` lists the three others only."""
    return all(o is not thing for o in gc.get_objects())


def _frozen_cycle() -> weakref.ref[_Cycle]:
    """A cycle frozen by a settle, then dropped: garbage only a whole settle can collect."""
    cycle = _Cycle()
    cycle.me = cycle
    alive = weakref.ref(cycle)
    settle_heap()
    del cycle
    return alive


def test_a_young_settle_collects_what_is_not_frozen_and_freezes_the_rest() -> None:
    settle_heap()
    frozen_cycle = _frozen_cycle()
    garbage, survivor = _Cycle(), _Cycle()
    garbage.me, survivor.me = garbage, survivor
    gone = weakref.ref(garbage)
    del garbage
    assert not _frozen(survivor)
    assert settle_young() >= 0
    assert gone() is None
    assert frozen_cycle() is not None, "a young settle leaves the frozen objects alone, garbage or not"
    assert _frozen(survivor)
    settle_heap()
    assert frozen_cycle() is None


def test_long_lived_freezes_what_its_block_built() -> None:
    gc.unfreeze()
    with long_lived():
        assert not gc.isenabled()
        built = _Cycle()
        built.me = built
    assert gc.isenabled()
    assert _frozen(built)
    kept = weakref.ref(built)
    del built
    gc.collect()
    assert kept() is not None, "frozen as the block ended: the collector no longer walks it"


def test_long_lived_freezes_nothing_when_its_block_fails() -> None:
    gc.unfreeze()
    with pytest.raises(RuntimeError), long_lived():
        half = _Cycle()
        half.me = half
        raise RuntimeError("the build failed")
    assert gc.isenabled()
    assert not _frozen(half)
    gone = weakref.ref(half)
    del half
    gc.collect()
    assert gone() is None


def test_long_lived_leaves_a_paused_collector_paused() -> None:
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_settler_settles_whole_at_most_every_so_often() -> None:
    now = [0.0]
    settler = Settler(every=60.0, clock=lambda: now[0])
    settler.settled()
    now[0] = 59.0
    cycle = _frozen_cycle()
    settler()
    assert cycle() is not None, "young: 59 s after the whole settle"
    now[0] = 60.0
    settler()
    assert cycle() is None, "whole: 60 s after it"
    cycle = _frozen_cycle()
    now[0] = 61.0
    settler()
    assert cycle() is not None, "young again: the whole settle was at 60 s"


def test_a_settler_that_never_settled_settles_whole_first() -> None:
    cycle = _frozen_cycle()
    Settler(every=3600.0, clock=lambda: 0.0)()
    assert cycle() is None


def test_the_youngest_generation_is_collected_every_young_threshold_objects() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        tune_collector()
        assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
        assert YOUNG_THRESHOLD > 700
    finally:
        gc.set_threshold(*before)
