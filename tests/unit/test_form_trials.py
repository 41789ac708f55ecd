"""``TrialRunner``: a shape's trials run once at a time in the runner's own thread, a failing trial does not stop
the next, and a closed runner runs nothing more."""

from __future__ import annotations

import threading
import time

from graph_service.store.form_trials import TrialRunner


def test_trials_run_in_a_thread_of_their_own_once_per_key_at_a_time() -> None:
    runner = TrialRunner()
    release = threading.Event()
    ran: list[tuple[str, str]] = []

    def trials(key: str) -> None:
        ran.append((key, threading.current_thread().name))
        release.wait(5)

    runner.submit("a", lambda: trials("a"))
    runner.submit("a", lambda: trials("a"))  # queued or running already: not again
    runner.submit("b", lambda: trials("b"))
    release.set()
    runner.wait()
    assert ran == [("a", "form-trials"), ("b", "form-trials")]
    runner.submit("a", lambda: trials("a"))  # over: a later request queues it again
    runner.wait()
    assert [key for key, _ in ran] == ["a", "b", "a"]
    runner.close()


def test_a_failing_trial_does_not_stop_the_next() -> None:
    runner = TrialRunner()
    ran: list[str] = []

    def failing() -> None:
        raise RuntimeError("the store is closing")

    runner.submit("a", failing)
    runner.submit("b", lambda: ran.append("b"))
    runner.wait()
    assert ran == ["b"]
    runner.close()


def test_a_closed_runner_waits_for_the_trial_under_way_and_runs_nothing_more() -> None:
    runner = TrialRunner()
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        ran.append("slow")

    runner.submit("a", slow)
    runner.submit("b", lambda: ran.append("b"))
    assert started.wait(5)
    closing = threading.Thread(target=runner.close)
    closing.start()
    deadline = time.monotonic() + 5
    while not runner._closed and time.monotonic() < deadline:  # closed while the trial still runs
        time.sleep(0.001)
    release.set()
    closing.join(5)
    assert not closing.is_alive() and ran == ["slow"]  # "b" was queued before the close: not run
    runner.submit("c", lambda: ran.append("c"))
    assert ran == ["slow"]


def test_the_idle_hook_runs_in_the_runners_thread_when_its_queue_runs_dry_and_at_close() -> None:
    idle: list[str] = []
    runner = TrialRunner(idle=lambda: idle.append(threading.current_thread().name))
    release = threading.Event()
    runner.submit("a", lambda: release.wait(5))
    runner.submit("b", lambda: None)
    release.set()
    runner.wait()
    assert idle == ["form-trials"]  # once, after "b": "a" left "b" queued behind it
    runner.submit("c", lambda: None)
    runner.wait()
    assert len(idle) == 2
    runner.close()
    assert len(idle) == 3


def test_a_failing_idle_hook_does_not_stop_the_runner() -> None:
    def failing() -> None:
        raise RuntimeError("closing what was not open")

    runner = TrialRunner(idle=failing)
    ran: list[str] = []
    runner.submit("a", lambda: ran.append("a"))
    runner.wait()
    runner.submit("b", lambda: ran.append("b"))
    runner.wait()
    assert ran == ["a", "b"] and runner.running_here() is False
    runner.close()
