"""Warming, off the request path, what the first visitor after a start or a write would otherwise wait for.

The console's busiest pages need three things that cost seconds at scale 1 and are kept until the next write: the
analysis projection with the city's weakness verdicts and compound coverage (``AnalysisService``), and the coverage
figures of the city and its districts (``CoverageReader``). ``Warmer`` builds them in a thread of its own when the
server starts, and again once the store has been quiet for ``quiet_seconds`` after a write (so a burst of edits
costs one recomputation of the verdicts and figures, not one per edit; the projection itself is patched, not
rebuilt, after an edit). It only reads; a request that arrives first computes the same thing itself,
and whichever finishes first is kept. ``GRAPH_SERVICE_WARM_UP=false`` turns it off.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph_service.domain.enums import AreaLevel, NodeLabel

if TYPE_CHECKING:
    from graph_service.bootstrap import Services

log = logging.getLogger(__name__)

#: The levels whose coverage figures the console's first pages show (the city page lists its districts).
WARM_LEVELS = frozenset({AreaLevel.CITY.value, AreaLevel.DISTRICT.value})


@dataclass(frozen=True)
class WarmStatus:
    """What the warmer last did: ``state`` is idle, warming, warm or failed; ``version`` the write version warmed."""

    state: str
    version: int | None = None
    seconds: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "version": self.version, "seconds": self.seconds, "error": self.error}


def warm(services: Services) -> None:
    """Compute and keep the projection, the city's weakness and compound coverage, and the coverage figures of the
    city and its districts, each for the store's reference day (what a request without ``asOf`` asks for)."""
    analyses = services.analyses
    analyses.weak()
    analyses.coverage()
    graph = analyses.projections.get()
    for node, attrs in graph.nodes(data=True):
        if attrs.get("label") == NodeLabel.AREA.value and attrs.get("level") in WARM_LEVELS and not attrs.get("abolished"):
            services.coverage.figures(str(node))


class Warmer:
    """Runs ``warm`` at start and after each quiet spell following a write; ``status`` says where it is.

    ``on_warm`` runs after each warm-up that succeeded (the server settles its heap then: ``graph_service/heap.py``).
    """

    def __init__(
        self,
        services: Services,
        *,
        poll_seconds: float = 2.0,
        quiet_seconds: float = 10.0,
        on_warm: Callable[[], object] | None = None,
    ) -> None:
        self.services = services
        self.poll_seconds = poll_seconds
        self.quiet_seconds = quiet_seconds
        self.on_warm = on_warm
        self._stop = threading.Event()
        self._status = WarmStatus("idle")
        self._thread = threading.Thread(target=self._run, name="warm-up", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    @property
    def status(self) -> WarmStatus:
        return self._status

    def _run(self) -> None:
        warmed: int | None = None
        seen: int | None = None
        seen_at = time.monotonic()
        first = True
        while first or not self._stop.wait(self.poll_seconds):
            try:
                version = self.services.store.write_version()
            except Exception as exc:  # the store is closing or broken: say so, try again at the next poll
                self._status = WarmStatus("failed", warmed, error=f"the store did not answer: {exc}")
                first = False
                continue
            if version != seen:
                seen, seen_at = version, time.monotonic()
            quiet = time.monotonic() - seen_at >= self.quiet_seconds
            if version != warmed and (first or quiet):
                if self._warm(version):
                    warmed = version
                else:
                    seen_at = time.monotonic()  # try again after another quiet spell, not at every poll
            first = False

    def _warm(self, version: int) -> bool:
        self._status = WarmStatus("warming", version)
        started = time.perf_counter()
        try:
            warm(self.services)
        except Exception as exc:  # a warm-up is an optimisation: a failure is logged and reported, never raised
            log.exception("warm-up failed")
            self._status = WarmStatus("failed", version, round(time.perf_counter() - started, 3), str(exc))
            return False
        self._status = WarmStatus("warm", version, round(time.perf_counter() - started, 3))
        if self.on_warm is not None:
            try:
                self.on_warm()
            except Exception:  # the warm-up is done; what follows it is an optimisation too
                log.exception("after the warm-up")
        return True


__all__ = ["WARM_LEVELS", "WarmStatus", "Warmer", "warm"]
