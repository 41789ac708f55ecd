"""Results computed over a frozen projection, kept with it per day: each computed once, the days bounded.

``AnalysisService`` asks ``KeptResults.get(graph, day, key, compute)`` for every analysis. A result lives as long as
the projection object it was computed on (a write gives a new projection, and the old results go with the old
graph), and only for the ``days`` days last asked about per projection (``analysis.common.DAYS_KEPT``, as the
graph's indexes): every day asked (``asOf``) would otherwise keep its verdicts, measures and networks until the next
write. Two requests asking for the same result at once
compute it once: the second waits for the first rather than holding a second copy of everything the computation
builds (at scale 10, hundreds of megabytes for the network analyses).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

import networkx as nx

from graph_service.analysis.common import DAYS_KEPT

__all__ = ["KeptResults"]

T = TypeVar("T")


class KeptResults:
    """Results per frozen graph, day and key (see the module docstring)."""

    def __init__(self, days: int = DAYS_KEPT) -> None:
        if days < 1:
            raise ValueError(f"days must be at least 1, got {days!r}")
        self.days = days
        self._by_graph: weakref.WeakKeyDictionary[nx.MultiDiGraph, OrderedDict[date, dict[Hashable, Any]]] = (
            weakref.WeakKeyDictionary()
        )
        # What is being computed now, by graph identity (the computing thread holds the graph), day and key.
        self._running: dict[tuple[int, date, Hashable], threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, graph: nx.MultiDiGraph, day: date, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept under ``key`` for ``graph`` on ``day``, computed by ``compute`` when there is none.

        ``compute`` runs outside the lock (other results of the graph may be computed meanwhile, and ``compute`` may
        ask for them); a second caller of the same result waits for it. If ``compute`` raises, the error goes to its
        caller, and a waiting caller computes the result itself.
        """
        running = (id(graph), day, key)
        while True:
            with self._lock:
                found = self._day(graph, day)
                if key in found:
                    return found[key]  # type: ignore[no-any-return]
                other = self._running.get(running)
                if other is None:
                    done = self._running[running] = threading.Event()
                    break
            other.wait()
        try:
            value = compute()
            with self._lock:
                self._day(graph, day)[key] = value
            return value
        finally:
            with self._lock:
                del self._running[running]
            done.set()

    def forget(self, graph: nx.MultiDiGraph, day: date, *keys: Hashable) -> None:
        """Drop the results under ``keys`` for ``graph`` on ``day`` (the next ``get`` computes them again)."""
        with self._lock:
            days = self._by_graph.get(graph)
            found = None if days is None else days.get(day)
            if found is not None:
                for key in keys:
                    found.pop(key, None)

    def keys(self, graph: nx.MultiDiGraph, day: date) -> set[Hashable]:
        """The keys of the results kept for ``graph`` on ``day`` (tests, benchmarks)."""
        with self._lock:
            days = self._by_graph.get(graph)
            return set() if days is None else set(days.get(day, ()))

    def clear(self) -> None:
        """Forget every kept result."""
        with self._lock:
            self._by_graph.clear()

    def _day(self, graph: nx.MultiDiGraph, day: date) -> dict[Hashable, Any]:
        """The results of ``graph`` on ``day``, that day now the most recent; the lock is held."""
        days = self._by_graph.get(graph)
        if days is None:
            days = self._by_graph[graph] = OrderedDict()
        found = days.get(day)
        if found is None:
            found = days[day] = {}
            while len(days) > self.days:
                days.popitem(last=False)
        else:
            days.move_to_end(day)
        return found
