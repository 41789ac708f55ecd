"""``analysis.flow.FlowNetwork`` gives networkx's ``max_flow_min_cost`` flow, arc for arc, not merely one as cheap:
minimum-cost flows are seldom unique, and the pairing plan must not change with the solver."""

from __future__ import annotations

import random
from collections.abc import Hashable

import networkx as nx
import pytest

from graph_service.analysis.flow import FlowNetwork


def _random_network(seed: int) -> tuple[nx.DiGraph, FlowNetwork]:
    rnd = random.Random(seed)
    names: list[Hashable] = [("n", i) for i in rnd.sample(range(100), rnd.randint(2, 30))]
    graph, net = nx.DiGraph(), FlowNetwork()

    def arc(u: Hashable, v: Hashable, capacity: int, cost: int) -> None:
        graph.add_edge(u, v, capacity=capacity, weight=cost)
        net.add_arc(u, v, capacity, cost)

    for _ in range(rnd.randint(0, 150)):
        u, v = rnd.choice(names), rnd.choice(names)
        if u != v and not graph.has_edge(u, v):
            arc(u, v, rnd.randint(0, 4), rnd.randint(0, 12))  # small costs: many equally cheap flows
    for v in rnd.sample(names, min(len(names), 6)):
        arc("s", v, rnd.randint(1, 3), rnd.randint(0, 5))
    for v in rnd.sample(names, min(len(names), 6)):
        arc(v, "t", rnd.randint(1, 3), 0)
    return graph, net


@pytest.mark.parametrize("seed", range(200))
def test_the_flow_is_networkx_s_on_random_networks(seed: int) -> None:
    graph, net = _random_network(seed)
    assert net.nodes == list(graph)
    expected = nx.max_flow_min_cost(graph, "s", "t")
    carried, cost = net.max_flow_min_cost("s", "t")
    assert carried == {(u, v): x for u, out in expected.items() for v, x in out.items() if x}
    assert cost == nx.cost_of_flow(graph, expected)


def test_a_network_without_arcs_carries_nothing() -> None:
    net = FlowNetwork()
    net.add_node("s")
    net.add_node("t")
    assert net.max_flow_min_cost("s", "t") == ({}, 0)


def test_the_ties_are_broken_as_networkx_breaks_them() -> None:
    # Four equally cheap ways to send two units: the pick is networkx's.
    graph, net = nx.DiGraph(), FlowNetwork()
    for u, v in [("s", "a"), ("s", "b"), ("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("x", "t"), ("y", "t")]:
        graph.add_edge(u, v, capacity=1, weight=1)
        net.add_arc(u, v, 1, 1)
    expected = nx.max_flow_min_cost(graph, "s", "t")
    assert net.max_flow_min_cost("s", "t")[0] == {(u, v): x for u, out in expected.items() for v, x in out.items() if x}


def test_bad_arcs_are_refused() -> None:
    net = FlowNetwork()
    with pytest.raises(ValueError, match="self-loop"):
        net.add_arc("a", "a", 1, 1)
    with pytest.raises(ValueError, match="non-negative"):
        net.add_arc("a", "b", -1, 1)
