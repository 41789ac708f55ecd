"""Which statements run on one thread and which on every core, found by timing them.

LadybugDB 0.22 fixes a statement's threads when its connection is made (``LadybugStore``), so the embedded store
keeps two sets of connections and picks one per statement. One thread suits the small statements that make up
almost every API request: they gain nothing from a second thread, and under many clients every extra thread
competes with the event loop and the other requests (scale 1 over HTTP: one thread answered in 0.86-0.92 of every
core's median and served 10-25% more requests per second with 16 clients). Every core suits the heavy statements:
a district's cross-appointments took 99-101 ms on one thread and 75-84 ms on two; at scale 10 an area's
organisational life 403-409 against 230-239 ms (docs/performance.md, "Threads per statement").

Which statements are heavy follows the data, not the query's name, so every statement text starts on one thread
and moves to every core once it has been slow there: ``SLOW_RUNS`` of its runs took more than ``HEAVY_SECONDS`` in
the engine, and they are at least half of its runs. A run's time is the engine's work on the calling thread (its CPU
time: ``store.embedded._engine_time``), not the wait for the interpreter's lock when it returns, which under many
clients is several milliseconds and made small statements look heavy. One slow run is still not enough (a first run
reads cold pages). A statement never moves back: what made it slow (the size of the tables) does not shrink between
restarts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

#: A run on one thread longer than this counts as slow (see the module's docstring). The small statements of the
#: example operations take 0.3-10 ms at scale 1; the heavy ones that gained from a second core took 30 ms and more.
HEAVY_SECONDS = 0.020
SLOW_RUNS = 2


@dataclass
class _Runs:
    runs: int = 0
    slow: int = 0


class ThreadChooser:
    """Per statement text: whether it has shown itself heavy (run it on every core) or not yet (one thread)."""

    def __init__(self, heavy_seconds: float = HEAVY_SECONDS, slow_runs: int = SLOW_RUNS) -> None:
        self._heavy_seconds = heavy_seconds
        self._slow_runs = slow_runs
        self._runs: dict[str, _Runs] = {}
        self._heavy: set[str] = set()
        self._lock = threading.Lock()

    def heavy(self, text: str) -> bool:
        """Whether ``text`` runs on every core."""
        return text in self._heavy

    def record(self, text: str, seconds: float) -> None:
        """``text`` ran once on one thread in ``seconds``."""
        with self._lock:
            runs = self._runs.get(text)
            if runs is None:
                runs = self._runs[text] = _Runs()
            runs.runs += 1
            if seconds > self._heavy_seconds:
                runs.slow += 1
            if runs.slow >= self._slow_runs and 2 * runs.slow >= runs.runs:
                self._heavy.add(text)
                del self._runs[text]

    def heavy_texts(self) -> frozenset[str]:
        """The statements moved to every core so far (for benches and tests)."""
        with self._lock:
            return frozenset(self._heavy)


__all__ = ["HEAVY_SECONDS", "SLOW_RUNS", "ThreadChooser"]
