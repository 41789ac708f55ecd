"""Where a read runs (``services.brief_calls``): in a worker thread until its site has shown itself short, then on the
event loop's thread while it stays short and the store is ready; back to the workers, owing twice as many short runs,
after a run over budget there."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

import pytest

from graph_service.services.brief_calls import MOST_OWED, SHORT_RUNS, BriefCalls, _Site, when_back
from tests.run_apart import run_apart

BUDGET = 0.005


def _where() -> str:
    """Where the call runs: the event loop's thread has a running loop, a worker thread none."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "worker"
    return "loop"


def _spin(seconds: float) -> str:
    """Busy for ``seconds`` of this thread's CPU."""
    started = time.thread_time()
    while time.thread_time() - started < seconds:
        pass
    return _where()


def _runs(brief: BriefCalls, calls: list[Callable[[], str]], site: str = "site") -> list[str]:
    async def run() -> list[str]:
        return [await brief.run(site, call) for call in calls]

    return run_apart(run())


def test_a_site_runs_on_the_loop_after_short_runs_in_a_worker() -> None:
    brief = BriefCalls(BUDGET, lambda: True)
    assert _runs(brief, [_where] * (SHORT_RUNS + 2)) == ["worker"] * SHORT_RUNS + ["loop", "loop"]
    assert brief.on_loop("site") and not brief.on_loop("another site")


def test_a_run_over_budget_on_the_loop_sends_the_site_back_owing_twice_as_many_short_runs() -> None:
    brief = BriefCalls(BUDGET, lambda: True)
    long = lambda: _spin(2 * BUDGET)  # noqa: E731
    where = _runs(brief, [_where] * SHORT_RUNS + [long] + [_where] * (2 * SHORT_RUNS + 1))
    assert where == ["worker"] * SHORT_RUNS + ["loop"] + ["worker"] * (2 * SHORT_RUNS) + ["loop"]
    # Again over budget: four times as many now.
    where = _runs(brief, [long] + [_where] * (4 * SHORT_RUNS + 1))
    assert where == ["loop"] + ["worker"] * (4 * SHORT_RUNS) + ["loop"]


def test_what_a_site_owes_has_a_ceiling() -> None:
    brief = BriefCalls(BUDGET, lambda: True)
    state = brief._sites["site"] = _Site(owed=0, penalty=MOST_OWED)
    assert _runs(brief, [lambda: _spin(2 * BUDGET)]) == ["loop"]
    assert (state.owed, state.penalty) == (MOST_OWED, MOST_OWED)


def test_a_run_over_budget_in_a_worker_starts_the_count_again() -> None:
    brief = BriefCalls(BUDGET, lambda: True)
    calls = [_where] * (SHORT_RUNS - 1) + [lambda: _spin(2 * BUDGET)] + [_where] * (SHORT_RUNS + 1)
    assert _runs(brief, calls) == ["worker"] * (2 * SHORT_RUNS) + ["loop"]


def test_a_read_spread_over_the_engines_threads_is_over_budget_whatever_its_cpu() -> None:
    # Its statement's work ran in the engine's own threads; the caller only waited, so its CPU shows none of it.
    spread = [0]
    brief = BriefCalls(BUDGET, lambda: True, lambda: spread[0])

    def spreading() -> str:
        spread[0] += 1
        return _where()

    assert _runs(brief, [spreading] * 4) == ["worker"] * 4
    assert _runs(brief, [_where] * (SHORT_RUNS + 1)) == ["worker"] * SHORT_RUNS + ["loop"]
    assert _runs(brief, [spreading, _where]) == ["loop", "worker"]


def test_nothing_runs_on_the_loop_while_the_store_is_not_ready() -> None:
    ready = [True]
    brief = BriefCalls(BUDGET, lambda: ready[0])
    assert _runs(brief, [_where] * (SHORT_RUNS + 1)) == ["worker"] * SHORT_RUNS + ["loop"]
    ready[0] = False
    assert _runs(brief, [_where] * 2) == ["worker", "worker"]
    ready[0] = True
    assert _runs(brief, [_where]) == ["loop"]


def test_no_budget_means_every_read_in_a_worker() -> None:
    brief = BriefCalls(0, lambda: True)
    assert _runs(brief, [_where] * (SHORT_RUNS + 3)) == ["worker"] * (SHORT_RUNS + 3)
    assert not brief.on_loop("site")


def test_the_collectors_time_is_not_the_reads() -> None:
    # A collection over many tracked objects, on the loop, takes well over the budget; the read itself does not.
    brief = BriefCalls(BUDGET, lambda: True)
    heap = [[i] for i in range(400_000)]
    started = time.thread_time()
    gc.collect()
    assert time.thread_time() - started > 2 * BUDGET  # else the test proves nothing on this machine

    def collecting() -> str:
        gc.collect()
        return _where()

    try:
        assert _runs(brief, [_where] * SHORT_RUNS + [collecting, _where]) == ["worker"] * SHORT_RUNS + ["loop", "loop"]
    finally:
        del heap


def test_what_a_read_raises_is_raised_wherever_it_ran() -> None:
    brief = BriefCalls(BUDGET, lambda: True)

    def failing() -> str:
        raise LookupError(_where())

    with pytest.raises(LookupError, match="worker"):
        _runs(brief, [failing])
    _runs(brief, [_where] * SHORT_RUNS)
    with pytest.raises(LookupError, match="loop"):
        _runs(brief, [failing])


def test_a_read_on_the_loop_keeps_its_context_changes_to_itself() -> None:
    import contextvars

    mark: contextvars.ContextVar[str] = contextvars.ContextVar("mark", default="request")
    brief = BriefCalls(BUDGET, lambda: True)

    def setting() -> str:
        mark.set("read")
        return _where()

    async def run() -> list[str]:
        return [await brief.run("site", setting) + ":" + mark.get() for _ in range(SHORT_RUNS + 1)]

    assert run_apart(run())[-1] == "loop:request"


def test_when_back_runs_the_callback_before_the_result_is_handed_back() -> None:
    async def run() -> list[str]:
        loop = asyncio.get_running_loop()
        seen: list[str] = []

        def read(label: str) -> str:
            when_back(loop, lambda: seen.append(f"callback {label} on {_where()}"))
            return label

        on_loop = read("loop")
        seen.append(f"result {on_loop}")
        in_worker = await asyncio.to_thread(read, "worker")
        seen.append(f"result {in_worker}")
        return seen

    assert run_apart(run()) == ["callback loop on loop", "result loop", "callback worker on loop", "result worker"]
