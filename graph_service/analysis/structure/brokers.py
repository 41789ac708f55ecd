"""Brokers: betweenness per biconnected block, and Burt's constraint."""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph_service.analysis.common import (
    check_positive,
    simple_undirected,
)
from graph_service.analysis.structure.cuts import BlockCutTree
from graph_service.analysis.structure.network import PostRef, posts_of
from graph_service.domain.enums import NodeLabel

_PERSON = NodeLabel.PERSON.value

# ---------------------------------------------------------------------------------------------------------------
# Brokers


@simple_undirected
def block_betweenness(net: nx.Graph, *, normalized: bool = True, tree: BlockCutTree | None = None) -> dict[Hashable, float]:
    """Exact betweenness centrality computed block by block (biconnected components), fast on near-trees.

    A shortest path between two nodes runs along the block-cut tree: through every cut vertex between them, and
    inside each block from the vertex where it enters to the vertex where it leaves. So a node's betweenness is
    the number of pairs it separates (a cut vertex: the products of the sizes of the parts it leaves) plus, in each
    block holding it, Brandes' count over the block's own vertices, each weighted by how many nodes reach the block
    through it. The people–organisation network is nearly a tree (its largest block at scale 1 has about 200
    nodes), so this costs the sum over blocks of size × (size + edges) instead of nodes × edges, and gives the same
    numbers as ``networkx.betweenness_centrality`` (normalised the same way when ``normalized``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.barbell_graph(4, 2)
    >>> ours = block_betweenness(g)
    >>> theirs = nx.betweenness_centrality(g)
    >>> all(abs(ours[n] - theirs[n]) < 1e-12 for n in g)
    True
    """
    return _block_betweenness(net, tree or BlockCutTree(net), normalized)


def _block_cost(tree: BlockCutTree) -> int:
    """Work of the block-wise Brandes: size × (size + edges) summed over blocks of three nodes or more."""
    return sum(len(b) * (len(b) + len(e)) for b, e in zip(tree.blocks, tree.block_edges, strict=True) if len(b) > 2)


def _block_betweenness(net: nx.Graph, tree: BlockCutTree, normalized: bool) -> dict[Hashable, float]:
    score: dict[Hashable, float] = dict.fromkeys(net, 0.0)
    for vertex in tree.cut_vertices:
        sizes = [size for size, _ in tree.parts(vertex)]
        total = sum(sizes)
        score[vertex] += (total * total - sum(x * x for x in sizes)) / 2
    for index, block in enumerate(tree.blocks):
        if len(block) < 3:
            continue  # a bridge has no inner vertex
        weight = {v: tree.side_weight(index, v) for v in block}
        adjacency: dict[Hashable, list[Hashable]] = {v: [] for v in block}
        for u, v in tree.block_edges[index]:
            adjacency[u].append(v)
            adjacency[v].append(u)
        partial = _weighted_brandes(adjacency, weight)
        for v, value in partial.items():
            score[v] += value / 2  # each unordered pair was counted from both ends
    n = net.number_of_nodes()
    if normalized and n > 2:
        scale = 2 / ((n - 1) * (n - 2))
        return {v: value * scale for v, value in score.items()}
    return score


def _weighted_brandes(adjacency: Mapping[Hashable, list[Hashable]], weight: Mapping[Hashable, int]) -> dict[Hashable, float]:
    """Brandes' accumulation over ordered pairs of one block, a pair (s, t) counting weight[s] * weight[t]."""
    # Positions instead of node keys: lists index faster than dicts hash, on thousands of small blocks. The
    # sums run in the same order as over the keys, so the floats come out the same.
    keys = list(adjacency)
    position = {v: i for i, v in enumerate(keys)}
    neighbours = [[position[x] for x in adjacency[v]] for v in keys]
    weights = [weight[v] for v in keys]
    n = len(keys)
    partial = [0.0] * n
    for source in range(n):
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0] * n
        dist = [-1] * n
        sigma[source], dist[source] = 1, 0
        order = _shortest_paths(neighbours, source, sigma, dist, preds)
        _accumulate(order, preds, sigma, [0.0] * n, weights, source, partial)
    return dict(zip(keys, partial, strict=True))


def sampled_betweenness(net: nx.Graph, k: int | None, seed: int) -> dict[Hashable, float]:
    """``networkx.betweenness_centrality(net, k=k, seed=seed, normalized=True)`` (networkx 3.6) for an undirected
    ``net``: the same sources, the same sums in the same order, so the same floats, about three times faster.

    networkx keys its breadth-first search and accumulation by node in dicts; here nodes are positions in lists
    (neighbours in networkx's order), which is where the time goes on a network of a million nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.barbell_graph(5, 3)
    >>> sampled_betweenness(g, 4, 1) == nx.betweenness_centrality(g, k=4, seed=1)
    True
    """
    nodes = list(net)
    n = len(nodes)
    if k == n:
        k = None  # every node a source: exact, as networkx does
    position = {v: i for i, v in enumerate(nodes)}
    adjacency = [[position[w] for w in net._adj[v]] for v in nodes]
    sources = list(range(n)) if k is None else [position[v] for v in random.Random(seed).sample(nodes, k)]
    score = [0.0] * n
    sigma = [0.0] * n
    dist = [-1] * n
    delta = [0.0] * n
    preds: list[list[int]] = [[] for _ in range(n)]
    ones = [1] * n
    for source in sources:
        sigma[source], dist[source] = 1.0, 0
        order = _shortest_paths(adjacency, source, sigma, dist, preds)
        _accumulate(order, preds, sigma, delta, ones, source, score)
        for w in order:  # reset what this source touched for the next one
            sigma[w], dist[w], delta[w] = 0.0, -1, 0.0
            preds[w].clear()
    # networkx's rescaling (endpoints excluded, normalised, undirected), sampled sources counted apart.
    pairs = n - 1
    if pairs >= 2:
        if k is None:
            factor = 1 / (pairs * (pairs - 1))
            score = [value * factor for value in score]
        else:
            sampled = set(sources)
            on_source = 1 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
            elsewhere = 1 / (k * (pairs - 1))
            score = [value * (on_source if i in sampled else elsewhere) for i, value in enumerate(score)]
    return dict(zip(nodes, score, strict=True))


def _shortest_paths(
    neighbours: list[list[int]], source: int, sigma: list[Any], dist: list[int], preds: list[list[int]]
) -> list[int]:
    """Brandes' breadth-first search from ``source`` (``sigma[source]`` and ``dist[source]`` set by the caller):
    fills the shortest-path counts, distances and predecessors of the nodes reached; returns them in BFS order."""
    order: list[int] = []
    queue = deque([source])
    while queue:
        v = queue.popleft()
        order.append(v)
        step = dist[v] + 1
        sigma_v = sigma[v]
        for w in neighbours[v]:
            if dist[w] < 0:
                queue.append(w)
                dist[w] = step
            if dist[w] == step:
                sigma[w] += sigma_v
                preds[w].append(v)
    return order


def _accumulate(
    order: list[int],
    preds: list[list[int]],
    sigma: list[Any],
    delta: list[float],
    weights: list[int],
    source: int,
    into: list[float],
) -> None:
    """Brandes' dependency accumulation over ``order`` (a pair (s, t) counting ``weights[s] * weights[t]``)."""
    for w in reversed(order):
        coefficient = (weights[w] + delta[w]) / sigma[w]
        for v in preds[w]:
            delta[v] += sigma[v] * coefficient
        if w != source:
            into[w] += weights[source] * delta[w]


@dataclass(frozen=True)
class Broker:
    """A person on many shortest paths between others (betweenness) with few redundant ties (low constraint)."""

    person_id: str
    betweenness: float
    #: Burt's constraint (0 = ties into unconnected groups, 1 = a closed clique); None when it was not computed.
    constraint: float | None
    degree: int
    posts: tuple[PostRef, ...]
    #: Source nodes the betweenness estimate used (the number of nodes: exact).
    sources: int = 0


@simple_undirected
def brokers(
    net: nx.Graph,
    *,
    top: int = 20,
    sample: int | None = 500,
    seed: int = 0,
    people_only: bool = True,
    max_work: int | None = 20_000_000,
    tree: BlockCutTree | None = None,
) -> list[Broker]:
    """The ``top`` brokers by betweenness centrality, with Burt's constraint on their ego networks.

    Betweenness is exact (``block_betweenness``) unless the network's blocks are too dense for ``max_work``; then
    it is estimated as ``networkx.betweenness_centrality`` does from ``sample`` sources drawn with ``seed``
    (``sampled_betweenness``).

    Parameters
    ----------
    net : networkx.Graph
        The people–organisation network.
    top : int
        How many brokers to return.
    sample : int or None
        Sources of the estimate, when one is needed (``k`` of ``networkx.betweenness_centrality``); None: all.
    seed : int
        Seed of the sample, so repeated runs agree.
    people_only : bool
        Rank people only (organisations sit on many paths by construction of the hierarchy).
    max_work : int or None
        Budget of elementary steps. The exact computation costs the sum over blocks of size × (size + edges); over
        the budget, the estimate's sources are capped so that sources × (nodes + edges) stays under it (at least 8).
        None: always exact.
    tree : BlockCutTree, optional
        The block-cut tree of ``net`` if already built.

    Returns
    -------
    list of Broker
        Highest betweenness first; ``sources`` says how many sources the estimate used (all nodes: exact).

    Examples
    --------
    A person holding posts in two otherwise unlinked organisations is the broker between them:

    >>> import networkx as nx
    >>> net = nx.Graph()
    >>> net.add_nodes_from(["a", "b"], label="Organization")
    >>> net.add_nodes_from(["p", "q", "r", "s"], label="Person")
    >>> net.add_edges_from([("p", "a"), ("p", "b"), ("q", "a"), ("r", "a"), ("s", "b")])
    >>> [b.person_id for b in brokers(net, top=1)]
    ['p']
    """
    check_positive("top", top)
    if sample is not None:
        check_positive("sample", sample)
    if max_work is not None:
        check_positive("max_work", max_work)
    n = net.number_of_nodes()
    if n == 0:
        return []
    tree = tree or BlockCutTree(net)
    if max_work is None or _block_cost(tree) <= max_work:
        k = n
        scores = _block_betweenness(net, tree, normalized=True)
    else:
        # One dense block: estimate from sampled sources (networkx), as many as the budget allows.
        k = n if sample is None else min(sample, n)
        if max_work is not None:
            k = min(k, max(8, max_work // (n + net.number_of_edges())))
        scores = sampled_betweenness(net, None if k >= n else k, seed)
    candidates = (node for node in net if not people_only or net.nodes[node].get("label") == _PERSON)
    best = heapq.nlargest(top, candidates, key=lambda node: (scores[node], str(node)))
    best = [node for node in best if scores[node] > 0]
    # Constraint only for the few chosen: it walks each ego network and its neighbours' ties.
    constraint = nx.constraint(net, nodes=best) if best else {}
    return [
        Broker(
            person_id=str(node),
            betweenness=round(float(scores[node]), 6),
            constraint=None
            if constraint.get(node) is None or constraint[node] != constraint[node]
            else round(float(constraint[node]), 6),
            degree=int(net.degree(node)),
            posts=tuple(posts_of(net, node)),
            sources=k,
        )
        for node in best
    ]
