"""``ProjectionGraph`` (analysis/projection_graph.py): the views networkx would keep in the graph are made per read,
so a graph no one holds is freed by reference counting alone, even frozen out of the collector's walks; and the
views answer as networkx's own."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import networkx as nx
import pytest

from graph_service.analysis.projection_graph import ProjectionGraph


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Only reference counting frees anything while the test runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _filled(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    graph.add_node("a", label="Area")
    graph.add_node("b", label="Organization")
    graph.add_edge("b", "a", key="r1", type="LEADS")
    graph.add_edge("b", "a", key="r2", type="COVERS")
    graph.add_edge("a", "c", key="r3", type="PART_OF")
    return graph


def _every_view(graph: nx.MultiDiGraph) -> None:
    list(graph.edges(keys=True, data=True))
    list(graph.out_edges("b", data="type"))
    list(graph.in_edges("a", keys=True))
    dict(graph.degree)
    dict(graph.in_degree)
    dict(graph.out_degree)
    list(graph.nodes(data=True))
    list(graph.adj["b"])
    list(graph.succ["b"])
    list(graph.pred["a"])


@pytest.mark.usefixtures("collector_off")
def test_a_projection_graph_whose_views_were_read_is_freed_by_reference_counting() -> None:
    graph = nx.freeze(_filled(ProjectionGraph()))
    _every_view(graph)
    gone = weakref.ref(graph)
    del graph
    assert gone() is None


@pytest.mark.usefixtures("collector_off")
def test_networkx_keeps_the_views_in_the_graph_so_its_own_class_waits_for_the_collector() -> None:
    # What ProjectionGraph is for: if networkx stopped keeping its views, this test would say so.
    graph = _filled(nx.MultiDiGraph())
    _every_view(graph)
    kept = weakref.ref(graph)
    del graph
    assert kept() is not None
    gc.collect()
    assert kept() is None


def test_the_views_answer_as_networkx_views() -> None:
    ours, theirs = _filled(ProjectionGraph()), _filled(nx.MultiDiGraph())
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert list(ours.edges) == list(theirs.edges)
    assert list(ours.out_edges("b", keys=True, data="type")) == list(theirs.out_edges("b", keys=True, data="type"))
    assert list(ours.in_edges("a", data=True)) == list(theirs.in_edges("a", data=True))
    assert dict(ours.degree) == dict(theirs.degree)
    assert ours.in_degree("a") == theirs.in_degree("a") == 2
    assert dict(ours.out_degree) == dict(theirs.out_degree)
    assert ours.edges["b", "a", "r2"] == {"type": "COVERS"}
    assert ours.number_of_edges("b", "a") == 2


def test_networkx_algorithms_run_on_it() -> None:
    graph = nx.freeze(_filled(ProjectionGraph()))
    assert set(nx.descendants(graph, "b")) == {"a", "c"}
    assert nx.is_weakly_connected(graph)
    assert sorted(graph.to_undirected().edges()) == sorted(_filled(nx.MultiDiGraph()).to_undirected().edges())
