"""Reads short enough to run on the event loop's own thread; the rest in a worker thread (``BriefCalls``).

A worker thread costs a read two hand-overs of the interpreter's lock, each waited for while the loop runs other
requests' Python (up to the switch interval, 5 ms), and the light connection is held through those waits. With the
engine's statements short and the server bound by one interpreter anyway, a read run on the loop's thread answers
in less CPU and less time: under 16 clients, 20-55% more requests a second on a city's hierarchy, a compound's
drill-down and a community's registrations, 5-15% on post holders and pairings (docs/performance.md, "Short reads on
the event loop's thread").

What keeps the loop from being held long is each call site's record. A site (the caller names it: a field, its page
size and columns; a loader and its batch's size) runs in a worker until it has run there ``SHORT_RUNS`` times in a
row within the budget (``GRAPH_SERVICE_BRIEF_READ_MS``), and from then on on the loop, as long as it keeps within
the budget and the store says a read would not wait for a write (``Store.brief_reads_ready``). A run on the loop
over the budget sends the site back to the workers, to earn its way back with twice as many short runs as last
time, so a site whose cost swings with its arguments holds the loop over budget ever more rarely.
Runs are timed by their thread's CPU, not the wall clock: under load the wall clock counts the waits for the
interpreter's lock, in a worker and on the loop alike, and those waits are the other threads' Python, which would
hold the loop up as long whatever it ran. Nor is the cyclic collector's time a read's: a collection runs in whatever
allocates past the threshold (``heap.YOUNG_THRESHOLD``), and one of the middle generation in a read made PostHolders'
page of people, 4 ms of CPU, take 28-38 ms, which sent the site back to the workers for no fault of its own. A read
that sent a statement to connections of every core (a heavy one, ``store.thread_choice``, or a bulk Arrow read)
counts as over budget whatever its thread's CPU: the engine's own threads did that work, and the caller only waited
(``spread``).
"""

from __future__ import annotations

import asyncio
import gc
import math
import threading
import time
from collections.abc import Callable, Hashable
from contextvars import copy_context
from dataclasses import dataclass
from typing import Any, TypeVar

from graph_service.services.workers import in_worker

T = TypeVar("T")

#: Short worker runs in a row a site needs before its first run on the loop.
SHORT_RUNS = 3
#: The most short worker runs a site that keeps going over budget on the loop must make before it runs there again.
MOST_OWED = 1024
#: Sites remembered; callers name them by schema names and sizes, so this is a bound, not a cache size to tune.
MOST_SITES = 4096


@dataclass(slots=True)
class _Site:
    #: Short worker runs still owed before the site runs on the loop.
    owed: int = SHORT_RUNS
    #: What the site will owe after its next run on the loop over budget.
    penalty: int = SHORT_RUNS


class BriefCalls:
    """Runs a read on the event loop's thread when its site has kept within ``budget_seconds`` and ``ready()`` says
    the store is ready for it; else in a worker thread. ``budget_seconds`` 0: always in a worker."""

    def __init__(self, budget_seconds: float, ready: Callable[[], bool], spread: Callable[[], int] = lambda: 0) -> None:
        self.budget = budget_seconds
        self._ready = ready
        self._spread = spread
        self._sites: dict[Hashable, _Site] = {}
        if budget_seconds > 0:
            _watch_collector()

    async def run(self, site: Hashable, call: Callable[..., T], *args: Any) -> T:
        """``call(*args)``, on this thread or in a worker (see the module); what it raises is raised here."""
        if self.budget <= 0:
            return await in_worker(call, *args)
        state = self._sites.get(site)
        if state is None:
            if len(self._sites) >= MOST_SITES:
                self._sites.clear()
            state = self._sites[site] = _Site()
        if state.owed == 0 and self._ready():
            elapsed = _clock(self._spread)
            try:
                # A copy, as a worker's: what the call sets in its context stays out of the request's.
                return copy_context().run(call, *args)
            finally:
                if elapsed() > self.budget:
                    state.penalty = min(state.penalty * 2, MOST_OWED)
                    state.owed = state.penalty
        result, seconds = await in_worker(_timed, self._spread, call, *args)
        if seconds > self.budget:
            state.owed = state.penalty
        elif state.owed:
            state.owed -= 1
        return result

    def on_loop(self, site: Hashable) -> bool:
        """Whether ``site``'s next call would run on the loop's thread (for tests and benches)."""
        state = self._sites.get(site)
        return self.budget > 0 and state is not None and state.owed == 0


def _timed(spread: Callable[[], int], call: Callable[..., T], *args: Any) -> tuple[T, float]:
    """``call(*args)`` and what it cost (``_clock``)."""
    elapsed = _clock(spread)
    result = call(*args)
    return result, elapsed()


def _clock(spread: Callable[[], int]) -> Callable[[], float]:
    """A clock started now: it reads this thread's CPU seconds since (``_cpu_now``), or infinity once the thread has
    sent a statement across the engine's threads (``spread`` counts them), whose work its own CPU does not show."""
    started, before = _cpu_now(), spread()
    return lambda: _cpu_now() - started if spread() == before else math.inf


def _cpu_now() -> float:
    """This thread's CPU seconds so far, less what the cyclic collector took of them."""
    return time.thread_time() - getattr(_collector, "seconds", 0.0)


#: Per thread, the CPU seconds the cyclic collector has taken (``_on_collection``).
_collector = threading.local()


def _on_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _collector.started = time.thread_time()
    else:
        _collector.seconds = getattr(_collector, "seconds", 0.0) + time.thread_time() - _collector.started


def _watch_collector() -> None:
    if _on_collection not in gc.callbacks:
        gc.callbacks.append(_on_collection)


def when_back(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> None:
    """``callback`` on ``loop``'s thread before the result of the call running now is handed back: called at once
    when the call runs on that thread (``BriefCalls``), else queued there (callbacks run in order)."""
    if _on_thread_of(loop):
        callback()
    else:
        loop.call_soon_threadsafe(callback)


def _on_thread_of(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


__all__ = ["MOST_OWED", "SHORT_RUNS", "BriefCalls", "when_back"]
