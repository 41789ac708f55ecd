"""``ThreadChooser``: a statement moves to every core after enough slow runs on one thread, never on one."""

from __future__ import annotations

from graph_service.store.thread_choice import ThreadChooser


def test_a_statement_is_heavy_after_two_slow_runs_that_are_half_of_its_runs() -> None:
    chooser = ThreadChooser(heavy_seconds=0.02, slow_runs=2)
    chooser.record("q", 0.05)
    assert not chooser.heavy("q")  # one slow run may be a wait for the interpreter lock
    chooser.record("q", 0.05)
    assert chooser.heavy("q") and chooser.heavy_texts() == {"q"}
    chooser.record("q", 0.001)  # a heavy statement stays heavy
    assert chooser.heavy("q")


def test_rare_slow_runs_of_a_small_statement_do_not_move_it() -> None:
    chooser = ThreadChooser(heavy_seconds=0.02, slow_runs=2)
    for seconds in [0.001, 0.002, 0.05, 0.001, 0.001, 0.05, 0.001]:
        chooser.record("small", seconds)
    assert not chooser.heavy("small")


def test_statements_are_judged_apart() -> None:
    chooser = ThreadChooser(heavy_seconds=0.02, slow_runs=2)
    for _ in range(2):
        chooser.record("big", 0.1)
        chooser.record("small", 0.001)
    assert chooser.heavy_texts() == {"big"}
