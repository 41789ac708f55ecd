"""``FormChooser``: each candidate form of a batch shape is timed ``trials`` times, then the fastest is kept; until
then it names the form to time next (the store times them beside the requests: ``form_trials``)."""

from __future__ import annotations

from graph_service.store.form_choice import FormChooser


def _run(chooser: FormChooser, shape: str, forms: list[str], cost: dict[str, list[float]]) -> list[str]:
    """Run ``shape`` until its choice is made, each form taking its next time from ``cost``; the forms in run order."""
    ran = []
    assert chooser.settled(shape, forms) is None
    while (form := chooser.next_trial(shape)) is not None:
        ran.append(form)
        chooser.record(shape, form, cost[form].pop(0))
    assert shape in chooser.chosen()
    return ran


def test_every_form_is_timed_in_turn_then_the_one_with_the_least_time_is_kept() -> None:
    chooser = FormChooser(trials=3)
    forms = ["union", "expand", "bare"]
    # "expand" has the worst first time (its statement prepared) but the least time of all.
    cost = {"union": [0.005, 0.004, 0.0045], "expand": [0.009, 0.001, 0.0012], "bare": [0.002, 0.002, 0.002]}
    ran = _run(chooser, "s", forms, cost)
    assert sorted(ran) == sorted(forms * 3) and ran[:3] == forms
    assert chooser.chosen() == {"s": "expand"}
    assert chooser.settled("s", forms) == "expand" and chooser.next_trial("s") is None
    chooser.record("s", "union", 0.0001)  # a time after the choice changes nothing
    assert chooser.chosen() == {"s": "expand"}


def test_shapes_are_chosen_apart_and_forgotten_together() -> None:
    chooser = FormChooser(trials=1)
    _run(chooser, "a", ["x", "y"], {"x": [1.0], "y": [2.0]})
    _run(chooser, "b", ["x", "y"], {"x": [2.0], "y": [1.0]})
    assert chooser.chosen() == {"a": "x", "b": "y"}
    chooser.forget()
    assert chooser.chosen() == {} and chooser.next_trial("a") is None  # not known until a batch asks again
    assert chooser.settled("a", ["x", "y"]) is None and chooser.next_trial("a") == "x"


def test_a_single_form_is_run_without_timing() -> None:
    chooser = FormChooser()
    assert chooser.settled("s", ["only"]) == "only"
    chooser.record("s", "only", 1.0)
    assert chooser.chosen() == {} and chooser.next_trial("s") is None


def test_an_excluded_form_is_never_picked_again_and_the_others_decide() -> None:
    chooser = FormChooser(trials=2)
    forms = ["union", "expand", "bare"]
    assert chooser.settled("s", forms) is None and chooser.next_trial("s") == "union"
    chooser.record("s", "union", 3.0)
    assert chooser.next_trial("s") == "expand"
    chooser.exclude("s", "expand")  # it ran out of working memory
    cost = {"union": [2.0], "bare": [5.0, 4.0]}
    ran = []
    while (form := chooser.next_trial("s")) is not None:
        ran.append(form)
        chooser.record("s", form, cost[form].pop(0))
    assert "expand" not in ran and chooser.chosen() == {"s": "union"}


def test_a_form_far_slower_than_the_best_twice_is_dropped() -> None:
    chooser = FormChooser(trials=3)
    forms = ["union", "expand", "bare"]
    # 0.006 s for the union; the expanded form takes 0.17 s twice (a hash join over a big table): not run a third
    # time. The unlabelled form's first run is slow by its statement's preparation only: one run does not drop it.
    cost = {"union": [0.006, 0.006, 0.006], "expand": [0.17, 0.17], "bare": [0.04, 0.002, 0.002]}
    ran = _run(chooser, "s", forms, cost)
    assert ran.count("expand") == 2 and ran.count("bare") == 3
    assert chooser.chosen() == {"s": "bare"}


def test_a_shape_whose_every_form_failed_keeps_none_and_asks_for_no_more_trials() -> None:
    chooser = FormChooser(trials=2)
    assert chooser.settled("s", ["union", "expand"]) is None
    chooser.exclude("s", "union")
    chooser.exclude("s", "expand")
    assert chooser.settled("s", ["union", "expand"]) is None and chooser.next_trial("s") is None


def test_close_forms_are_timed_on_and_the_far_one_is_not() -> None:
    from graph_service.store.form_choice import CLOSE_TRIALS

    chooser = FormChooser(trials=3)
    forms = ["union", "expand", "bare"]
    # After three runs each the union (1.0 ms at best) and the expanded form (1.2) are close, the bare form (5.0)
    # is not; more runs show the expanded form's undisturbed time, 0.8 ms.
    cost = {
        "union": [0.003, 0.001, 0.002] + [0.001] * CLOSE_TRIALS,
        "expand": [0.004, 0.0012, 0.003] + [0.0015, 0.0008] + [0.002] * CLOSE_TRIALS,
        "bare": [0.005, 0.006, 0.005],
    }
    ran = _run(chooser, "s", forms, cost)
    assert ran.count("bare") == 3
    assert ran.count("union") == CLOSE_TRIALS and ran.count("expand") == CLOSE_TRIALS
    assert chooser.chosen() == {"s": "expand"}


def test_a_clear_winner_is_kept_after_its_trials() -> None:
    chooser = FormChooser(trials=3)
    cost = {"union": [0.001, 0.001, 0.001], "expand": [0.002, 0.002, 0.002]}
    assert _run(chooser, "s", ["union", "expand"], cost).count("union") == 3
    assert chooser.chosen() == {"s": "union"}


def test_a_forms_time_leaves_out_preparing_its_statement() -> None:
    import time

    from graph_service.store.embedded import _prepared_spans, _seconds_since

    before = time.perf_counter()
    _prepared_spans().append((before - 0.5, before - 0.4))  # before the timing started: not left out
    started = time.perf_counter()
    time.sleep(0.03)
    _prepared_spans().append((started + 0.001, started + 0.021))  # 20 ms preparing, during the timing
    elapsed = time.perf_counter() - started
    assert abs(_seconds_since(started) - (elapsed - 0.02)) < 0.002
