"""Of several statements that give the same rows, the one that runs fastest here, found by timing them.

LadybugDB 0.22 plans a batched read of neighbours (the API's dataloaders) very differently depending on how it is
written and on the sizes of the tables it joins, and no one form wins everywhere. Measured at scale 1, a batch of
50 people's posts took 12 ms as a union of primary-key lookups and 2.4 ms as the keys unwound and their
relationships expanded; 50 activities' attendees took 7.9 against 35 ms the same two ways; 93 committees' led
areas 9 ms either way and 2.1 ms with the far end's label left out. Which form wins follows the data, so the store
times each candidate on a batch shape's first batch and then keeps the fastest for that shape; the timing runs
beside the requests (``form_trials``), which meanwhile run the form the store would run without it.

A shape is what decides the plan: the query, its labels and type, the batch's size rounded up to a power of two,
and the form the store would run without timing (union or list, by the label's node count). Each candidate runs
``TRIALS`` times; its cost is the least of its times, the least disturbed by whatever else the machine was doing.
Every candidate gives the same rows (``tests/integration/test_embedded_keyed_reads.py``), so a choice made on a
noisy sample costs time, never a wrong answer. A form far slower than the best seen (``LOSER_RATIO``) or one that
runs out of the engine's working memory is dropped for its shape. A bulk load changes the tables' sizes, so the
store forgets its choices then.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

TRIALS = 3
#: Forms whose least times are within ``CLOSE_RATIO`` of the best's after ``TRIALS`` runs each are timed on, up to
#: ``CLOSE_TRIALS`` runs each, before one is kept. Timed beside the requests on two cores, one statement's times
#: varied 1.3-3.8 ms over three runs: a city's hierarchy kept each of three forms of one batch in turn on fresh
#: stores (least times 0.61-1.34 ms), and answered in 5.2-7.3 ms accordingly. The least of more times is nearer
#: the undisturbed one.
CLOSE_RATIO = 1.5
CLOSE_TRIALS = 8
#: A form whose two runs both took more than ``LOSER_RATIO`` times the best time seen for its shape, and
#: ``LOSER_MARGIN`` seconds more, is not run a third time for it: at scale 1, 50 activities' attendees took 36 ms
#: expanded against 5.8 ms as a union, and 171 against 5.9 ms on a larger city. One run is not enough to judge: a
#: run beside the requests can be slowed by them several times over (preparing the statement, tens of milliseconds
#: for a union of 16 lookups, is left out of a run's time by the store: ``embedded._seconds_since``).
LOSER_RATIO = 4.0
LOSER_MARGIN = 0.02


@dataclass
class _Trials:
    times: dict[str, list[float]] = field(default_factory=dict)
    chosen: str | None = None


class FormChooser:
    """Per shape, the one form kept once each candidate has run ``trials`` times, and which to time next until then
    (the trials run beside the requests: ``form_trials``)."""

    def __init__(self, trials: int = TRIALS) -> None:
        self._trials = trials
        self._shapes: dict[Hashable, _Trials] = {}
        self._lock = threading.Lock()

    def settled(self, shape: Hashable, forms: Sequence[str]) -> str | None:
        """The form kept for ``shape`` (the only one, when there is one), or ``None`` while it is being timed."""
        if len(forms) == 1:
            return forms[0]
        with self._lock:
            state = self._shapes.get(shape)
            if state is None:
                state = self._shapes[shape] = _Trials({form: [] for form in forms})
            return state.chosen

    def next_trial(self, shape: Hashable) -> str | None:
        """The candidate of ``shape`` to time next (the one timed least often so far, of the close ones once each
        has its trials), ``None`` once one is kept or when the shape is not (or no longer) known."""
        with self._lock:
            state = self._shapes.get(shape)
            if state is None or state.chosen is not None or not state.times:
                return None
            running = self._close(state) if self._timed(state) else state.times
            return min(running, key=lambda form: len(state.times[form]))

    def record(self, shape: Hashable, form: str, seconds: float) -> None:
        """``form`` ran once for ``shape`` in ``seconds``; once every candidate has its trials, the fastest is kept."""
        with self._lock:
            state = self._shapes.get(shape)
            if state is None or state.chosen is not None or form not in state.times:
                return
            state.times[form].append(seconds)
            best = min(min(times) for times in state.times.values() if times)
            for other, times in list(state.times.items()):
                if len(times) >= 2 and min(times) > LOSER_RATIO * best and min(times) - best > LOSER_MARGIN:
                    del state.times[other]
            self._settle(state)

    def exclude(self, shape: Hashable, form: str) -> None:
        """``form`` failed for ``shape`` (the engine ran out of working memory): it is never picked for it again."""
        with self._lock:
            state = self._shapes.get(shape)
            if state is None or state.chosen is not None or form not in state.times:
                return
            del state.times[form]
            self._settle(state)

    def _timed(self, state: _Trials) -> bool:
        """Whether every candidate still in the running has its trials."""
        return bool(state.times) and all(len(times) >= self._trials for times in state.times.values())

    def _close(self, state: _Trials) -> list[str]:
        """The candidates whose least time is within ``CLOSE_RATIO`` of the best's (the best among them)."""
        best = min(min(times) for times in state.times.values())
        return [form for form, times in state.times.items() if min(times) <= CLOSE_RATIO * best]

    def _settle(self, state: _Trials) -> None:
        """Keep the fastest form once every candidate still in the running has its trials, and each close one
        ``CLOSE_TRIALS`` (``self._trials`` when that is more)."""
        if not self._timed(state):
            return
        close = self._close(state)
        if len(close) > 1 and any(len(state.times[form]) < max(CLOSE_TRIALS, self._trials) for form in close):
            return
        state.chosen = min(state.times, key=lambda f: min(state.times[f]))

    def __len__(self) -> int:
        """How many shapes are kept."""
        with self._lock:
            return len(self._shapes)

    def chosen(self) -> dict[Hashable, str]:
        """The form kept per shape so far (for benches and tests)."""
        with self._lock:
            return {shape: state.chosen for shape, state in self._shapes.items() if state.chosen is not None}

    def forget(self) -> None:
        """Time every shape again from its next batch (the tables changed size)."""
        with self._lock:
            self._shapes.clear()
