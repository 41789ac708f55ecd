"""Where the store times its candidate forms: in a thread of its own, beside the requests, not in them.

A batch shape's first requests used to run its candidate forms in turn (``form_choice``: three runs of each, a
statement prepared for each on first use), so a fresh server's first requests of each shape took two to four
times as long as later ones (a city's hierarchy: 13-23 ms for its first eight, 5 ms after). Now a request of a
shape not yet settled runs the form the store would run without timing, and hands the timing of the candidates to
``TrialRunner``: one daemon thread per store that runs each shape's trials back to back, one shape at a time, with
the arguments of the request that asked first. A shape is queued once until its trials are over; a full queue
drops the shape (the next request queues it again).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)

#: Shapes waiting for their trials at most; more are dropped until the queue empties.
QUEUED_MAX = 256


class TrialRunner:
    """Runs submitted trials, one at a time, in a thread of its own started at the first submission."""

    def __init__(self, name: str = "form-trials", idle: Callable[[], None] | None = None) -> None:
        self._name = name
        #: Called in the runner's thread whenever its queue has run dry (and when it stops).
        self._idle = idle
        #: Each shape's key and trials; ``None`` stops the thread.
        self._jobs: queue.Queue[tuple[Hashable, Callable[[], None]] | None] = queue.Queue(QUEUED_MAX)
        self._queued: set[Hashable] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, key: Hashable, trials: Callable[[], None]) -> None:
        """Run ``trials`` in the runner's thread, unless ``key``'s are queued or running already."""
        with self._lock:
            if self._closed or key in self._queued:
                return
            try:
                self._jobs.put_nowait((key, trials))
            except queue.Full:
                return
            self._queued.add(key)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def wait(self) -> None:
        """Until every trial submitted so far has run (tests and benches)."""
        self._jobs.join()

    def close(self) -> None:
        """Run nothing more; wait for the trial under way, if any."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._jobs.put(None)
            thread.join()

    def running_here(self) -> bool:
        """Whether the caller is the runner's own thread (a trial, not a request)."""
        return threading.current_thread() is self._thread

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    self._went_idle()
                    return
                key, trials = job
                if not self._closed:
                    try:
                        trials()
                    except Exception:  # a trial is an optimisation: the requests run the default form meanwhile
                        log.debug("form trials failed", exc_info=True)
                with self._lock:
                    self._queued.discard(key)
                if self._jobs.empty():
                    self._went_idle()
            finally:
                self._jobs.task_done()

    def _went_idle(self) -> None:
        if self._idle is not None:
            try:
                self._idle()
            except Exception:  # what the owner frees when idle must not stop the runner
                log.debug("form trials' idle hook failed", exc_info=True)


__all__ = ["QUEUED_MAX", "TrialRunner"]
