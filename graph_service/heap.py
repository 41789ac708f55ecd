"""Keeping the cyclic garbage collector off the long-lived heap (``gc.freeze``).

A full collection walks every object the collector tracks, with every thread stopped. At scale 1 the imported
modules and the schema are about 160,000 of them and the warmed analysis projection and coverage figures about
700,000 more: each full collection stopped the event loop for 0.1 s before the warm-up and 0.6 s after it, and a
page of 100 pairings leaves enough survivors behind for one every 10 to 50 requests (measured: 15 ms per request on
average, all of it in a few requests' latency). At scale 10 the projection alone is 6.2 million tracked objects
and one walk over the heap takes 1.8-2.2 s. So what is built to last is frozen, moved into the permanent
generation that collections skip, and frozen objects are still freed by reference counting (the projection's
graphs are free of reference cycles for that: ``analysis.projection_graph``):

* ``long_lived`` pauses the collector while a projection or an index is built and freezes what was made as it
  ends, so no collection walks those millions of objects, not even once on their way to the oldest generation.
* ``settle_heap`` collects everything, the frozen objects included, then freezes what survives: at start, when
  the heap is small, so that the modules and the schema are frozen and nothing else is.
* ``settle_young`` collects only what is not frozen and freezes what survives: after each warm-up. Its cost
  follows what was made since the last settle, not the heap.
* ``Settler`` settles after each warm-up: whole when ``FULL_SETTLE_SECONDS`` have passed since the last whole
  settle, young otherwise. Cyclic garbage that was alive at a freeze (a request answering at that moment, another
  thread's temporary graph) is collected only by a whole settle, so a whole one bounds how long it stays.

The youngest generation is collected every ``YOUNG_THRESHOLD`` new objects rather than Python's 700: a page of
100 pairings makes tens of thousands of short-lived objects (rows, values, result dicts), nearly all freed by
reference counting, so at 700 the collector ran dozens of times a request to find almost nothing. Measured with
the two thresholds alternating per request in one process (100 requests, load 0.6-1.0), the event loop's CPU per
request fell by 3-8%: ActivePairings 9.1 -> 8.7 ms, CityHierarchy 4.7 -> 4.4, CompoundDrillDown 2.9 -> 2.7.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
#: New objects between collections of the youngest generation (see the module's docstring); Python's is 700.
YOUNG_THRESHOLD = 10_000
#: The least time between two whole settles after warm-ups (``Settler``): each stops every thread for about two
#: seconds at scale 10, and what it collects is the little cyclic garbage frozen meanwhile.
FULL_SETTLE_SECONDS = 3600.0


def tune_collector() -> None:
    """Collect the youngest generation every ``YOUNG_THRESHOLD`` new objects; the older ones as before."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def settle_heap() -> float:
    """Collect all the garbage there is now, frozen objects included, then freeze every object left; the seconds."""
    return _settle(whole=True)


def settle_young() -> float:
    """Collect the garbage among the objects not frozen, then freeze those left; the seconds it took."""
    return _settle(whole=False)


def _settle(whole: bool) -> float:
    started = time.perf_counter()
    if whole:
        gc.unfreeze()  # what was frozen and has become cyclic garbage since is collected now
    gc.collect()  # a collection walks the generations, never the permanent one
    gc.freeze()
    seconds = time.perf_counter() - started
    kind = "whole" if whole else "young"
    log.debug("heap settled (%s) in %.3fs: %d objects frozen", kind, seconds, gc.get_freeze_count())
    return seconds


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of dicts are made: it would walk them again and again
    (a projection's build runs 1.5-2.5 times faster), and nothing made here is garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """Build something that lasts (the projection): the collector is paused meanwhile (``gc_paused``) and, when the
    block ends without an error, every object there is then is frozen (``gc.freeze`` moves the generations' lists, it
    does not walk them). After an error nothing is frozen: what the block made is garbage, left to the collector."""
    with gc_paused():
        yield
        gc.freeze()


class Settler:
    """What the server runs after each warm-up: ``settle_heap`` when ``every`` seconds have passed since the last
    whole settle (``settled``, by ``clock``), ``settle_young`` otherwise."""

    def __init__(self, every: float = FULL_SETTLE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self.clock = clock
        self._lock = threading.Lock()
        self._last_full: float | None = None

    def settled(self) -> float:
        """A whole settle now (the server's start); its seconds."""
        with self._lock:
            return self._whole()

    def __call__(self) -> float:
        with self._lock:
            if self._last_full is None or self.clock() - self._last_full >= self.every:
                return self._whole()
            return settle_young()

    def _whole(self) -> float:
        """``settle_heap``, its start kept as the last whole settle's time; the lock is held."""
        self._last_full = self.clock()
        return settle_heap()


__all__ = [
    "FULL_SETTLE_SECONDS",
    "YOUNG_THRESHOLD",
    "Settler",
    "gc_paused",
    "long_lived",
    "settle_heap",
    "settle_young",
    "tune_collector",
]
