"""Results kept per frozen graph and day: computed once even when asked twice at once, the days bounded."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import networkx as nx
import pytest

from graph_service.analysis.common import DAYS_KEPT, graph_index
from graph_service.services.kept import KeptResults

DAY = date(2025, 6, 1)


def _graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("a", label="Area", level="city")
    return nx.freeze(graph)


def test_a_result_is_computed_once_and_kept_per_graph_and_day() -> None:
    kept, graph, calls = KeptResults(), _graph(), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert kept.get(graph, DAY, "x", compute) == 1
    assert kept.get(graph, DAY, "x", compute) == 1
    assert kept.get(graph, DAY + timedelta(days=1), "x", compute) == 2, "another day, another result"
    assert kept.get(_graph(), DAY, "x", compute) == 3, "another graph, another result"
    assert kept.keys(graph, DAY) == {"x"}


def test_a_second_caller_waits_for_the_result_being_computed() -> None:
    kept, graph = KeptResults(), _graph()
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []
    results: dict[str, object] = {}

    def slow() -> str:
        calls.append("first")
        started.set()
        release.wait(timeout=30)
        return "value"

    def second() -> str:
        calls.append("second")
        return "other"

    first = threading.Thread(target=lambda: results.update(first=kept.get(graph, DAY, "k", slow)))
    first.start()
    assert started.wait(timeout=30)
    waiting = threading.Thread(target=lambda: results.update(second=kept.get(graph, DAY, "k", second)))
    waiting.start()
    running = kept._running[(id(graph), DAY, "k")]
    for _ in range(3000):  # until the second caller waits on the first (a hang guard, not a timing)
        if running._cond._waiters:  # type: ignore[attr-defined]
            break
        time.sleep(0.01)
    release.set()
    first.join(timeout=30)
    waiting.join(timeout=30)
    assert results == {"first": "value", "second": "value"}
    assert calls == ["first"], "computed once"


def test_a_failed_computation_is_not_kept() -> None:
    kept, graph = KeptResults(), _graph()

    def fail() -> int:
        raise RuntimeError("store gone")

    with pytest.raises(RuntimeError, match="store gone"):
        kept.get(graph, DAY, "k", fail)
    assert kept.get(graph, DAY, "k", lambda: 7) == 7


def test_only_the_days_asked_about_last_are_kept() -> None:
    kept, graph = KeptResults(days=2), _graph()
    days = [DAY + timedelta(days=n) for n in range(3)]
    kept.get(graph, days[0], "k", lambda: 0)
    kept.get(graph, days[1], "k", lambda: 1)
    kept.get(graph, days[0], "k", lambda: -1)  # asked again: now the most recent
    kept.get(graph, days[2], "k", lambda: 2)  # drops days[1], asked about least recently
    assert kept.keys(graph, days[1]) == set()
    assert kept.get(graph, days[0], "k", lambda: -1) == 0
    assert kept.get(graph, days[1], "k", lambda: 10) == 10, "computed again"


def test_forget_drops_the_named_results_only() -> None:
    kept, graph = KeptResults(), _graph()
    kept.get(graph, DAY, "net", lambda: 1)
    kept.get(graph, DAY, "spof", lambda: 2)
    kept.forget(graph, DAY, "net", "not-there")
    kept.forget(_graph(), DAY, "spof")  # another graph: nothing of this one goes
    assert kept.keys(graph, DAY) == {"spof"}


def test_days_must_be_positive() -> None:
    with pytest.raises(ValueError, match="days must be at least 1"):
        KeptResults(days=0)


def test_a_graph_keeps_an_index_for_the_days_asked_about_last() -> None:
    graph = _graph()
    days = [DAY + timedelta(days=n) for n in range(DAYS_KEPT + 1)]
    first = graph_index(graph, days[0])
    assert graph_index(graph, days[0]) is first
    for day in days[1:]:
        graph_index(graph, day)
    assert graph_index(graph, days[-1]) is graph_index(graph, days[-1])
    assert graph_index(graph, days[0]) is not first, "the oldest day was dropped, and is indexed again"
