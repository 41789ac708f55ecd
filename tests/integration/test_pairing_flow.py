"""The pairing plan of a seeded Heze city is the plan networkx's max-flow-min-cost gives on the same network.

``recommend_pairings`` solves its flow network with ``analysis.flow.FlowNetwork`` (networkx's network simplex with
the pricing done by numpy). Here the network it builds for a real city, read through the store and the
projection, is also handed to ``networkx.max_flow_min_cost`` (the form it replaced): the flows, and so the
proposals, must be the same arc for arc.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_service.analysis.common import Thresholds
from graph_service.analysis.coverage import compound_coverage
from graph_service.analysis.flow import FlowNetwork
from graph_service.analysis.projection import ProjectionCache
from graph_service.analysis.recommendations import recommend_pairings
from graph_service.seed.heze import AS_OF, generate
from graph_service.services.analyses import graph_and_measures
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore


@pytest.mark.parametrize(("scale", "seed"), [(0.1, 7), (0.05, 3)])
def test_the_plan_s_flow_is_networkx_s(scale: float, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, generate(scale, seed).records)
    th = Thresholds(as_of=AS_OF)
    graph, measures = graph_and_measures(ProjectionCache(store), None, th)
    under = Counter(c.community_id for c in compound_coverage(graph, measures, th) if c.under_covered and c.community_id)

    solved: list[tuple[FlowNetwork, dict[tuple[Hashable, Hashable], int]]] = []
    solve = FlowNetwork.max_flow_min_cost

    def keep(net: FlowNetwork, source: Hashable, sink: Hashable) -> Any:
        carried, cost = solve(net, source, sink)
        solved.append((net, carried))
        return carried, cost

    monkeypatch.setattr(FlowNetwork, "max_flow_min_cost", keep)
    plan = recommend_pairings(graph, under_covered=dict(under), as_of=AS_OF)
    store.close()

    [(net, carried)] = solved
    digraph = nx.DiGraph()
    digraph.add_nodes_from(net.nodes)  # networkx numbers nodes by first mention, as the plan made them
    for tail, head, capacity, cost in net.arcs():
        digraph.add_edge(tail, head, capacity=capacity, weight=cost)
    expected = nx.max_flow_min_cost(digraph, ("source",), ("sink",))
    assert carried == {(u, v): x for u, out in expected.items() for v, x in out.items() if x}
    assert plan.total_cost == nx.cost_of_flow(digraph, expected)
    assert sorted((p.unit_org_id, p.community_id) for p in plan.proposals) == sorted(
        (u[1], v[1]) for u, out in expected.items() if u[0] == "unit" for v, x in out.items() if x
    )
    assert plan.proposals, "the seeded city has communities wanting a pairing and units with room"
