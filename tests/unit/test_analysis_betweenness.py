"""``sampled_betweenness`` is ``networkx.betweenness_centrality`` (sampled or not) to the last bit: the brokers'
ranking at scale 10, where betweenness is estimated, must not move when the faster form replaces networkx's."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from graph_service.analysis.structure.brokers import sampled_betweenness


def _same(ours: dict[object, float], theirs: dict[object, float]) -> bool:
    return list(ours) == list(theirs) and all(
        ours[v] == theirs[v] or (math.isnan(ours[v]) and math.isnan(theirs[v])) for v in theirs
    )


@pytest.mark.parametrize("seed", range(40))
def test_equals_networkx_on_random_graphs(seed: int) -> None:
    rnd = random.Random(seed)
    graph = nx.gnm_random_graph(rnd.randint(2, 60), rnd.randint(0, 150), seed=seed)
    graph.add_nodes_from([("lone", 1), ("lone", 2)])  # components the sources may not reach
    n = graph.number_of_nodes()
    for k in (None, 1, 2, min(7, n), n):
        assert _same(sampled_betweenness(graph, k, seed), nx.betweenness_centrality(graph, k=k, seed=seed))


def test_equals_networkx_on_a_near_tree_with_many_ties() -> None:
    graph = nx.balanced_tree(3, 5)
    graph.add_edges_from([(1, 2), (5, 6), (40, 41)])
    assert _same(sampled_betweenness(graph, 25, 0), nx.betweenness_centrality(graph, k=25, seed=0))
