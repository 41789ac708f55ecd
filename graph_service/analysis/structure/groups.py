"""Isolated groups: components without an anchor of the Party system, and Louvain communities."""

from __future__ import annotations

import random
import threading
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import igraph
import networkx as nx

from graph_service.analysis.common import (
    check_positive,
    simple_undirected,
)
from graph_service.analysis.structure.network import ANCHOR_KINDS, OrgRef, org_ref
from graph_service.domain.enums import NodeLabel

_ORG = NodeLabel.ORGANIZATION.value

# igraph draws from one process-wide generator: seeding it for one call must not interleave with another thread's.
_IGRAPH_RNG_LOCK = threading.Lock()

# ---------------------------------------------------------------------------------------------------------------
# Isolated groups


@dataclass(frozen=True)
class Component:
    """A connected part of the network apart from the largest one."""

    size: int
    people: int
    organizations: int
    listed: tuple[OrgRef, ...]
    kinds: dict[str, int]


@dataclass(frozen=True)
class Community:
    """A Louvain community and how closed it is: ``external_share`` of its ties reach outside it."""

    index: int
    size: int
    people: int
    organizations: int
    internal_edges: int
    external_edges: int
    external_share: float
    kinds: dict[str, int]
    listed: tuple[OrgRef, ...]


@dataclass(frozen=True)
class IsolatedGroups:
    """Components cut off from the Party system, and Louvain communities with few ties outward.

    ``components`` are the connected parts holding no organisation of an anchor kind (a street committee or a
    leadership group): nothing links them to the top of the system. When the graph has no anchor at all, every
    part but the largest is listed instead.
    """

    largest_component: int
    anchored_components: int
    components: tuple[Component, ...]
    communities: tuple[Community, ...]
    modularity: float


@simple_undirected
def isolated_groups(
    net: nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    max_listed: int = 20,
    min_size: int = 2,
    anchor_kinds: Collection[str] = ANCHOR_KINDS,
) -> IsolatedGroups:
    """Connected components other than the largest, and Louvain communities ranked by how closed they are.

    Parameters
    ----------
    net : networkx.Graph
        The people–organisation network.
    seed : int
        Seed of Louvain (igraph's ``community_multilevel``) so repeated runs agree.
    resolution : float
        Louvain resolution: above 1 favours smaller communities.
    max_listed : int
        At most this many organisations named per group.
    min_size : int
        Components and communities smaller than this are left out (lone nodes are not groups).
    anchor_kinds : collection of str
        Organisation kinds at the top of the system (``ANCHOR_KINDS``); a part holding one is not isolated.

    Examples
    --------
    >>> import networkx as nx
    >>> net = nx.Graph()
    >>> net.add_nodes_from(["a", "b", "c"], label="Organization", kind="compound_branch")
    >>> net.nodes["a"]["kind"] = "street_committee"
    >>> net.add_nodes_from(["p", "q", "r", "s"], label="Person")
    >>> net.add_edges_from([("a", "b"), ("p", "a"), ("q", "b"), ("r", "c"), ("s", "c")])
    >>> groups = isolated_groups(net)
    >>> groups.anchored_components, [(c.size, c.organizations) for c in groups.components]
    (1, [(3, 1)])
    """
    check_positive("max_listed", max_listed)
    check_positive("min_size", min_size)
    if not resolution > 0:
        raise ValueError(f"resolution must be positive, got {resolution!r}")
    anchors = frozenset(anchor_kinds)
    comps = sorted(nx.connected_components(net), key=lambda c: (-len(c), min(map(str, c))))
    largest = len(comps[0]) if comps else 0
    anchored = [any(net.nodes[n].get("kind") in anchors for n in c) for c in comps]
    loose = [c for c, ok in zip(comps, anchored, strict=True) if not ok] if any(anchored) else comps[1:]
    components = tuple(_component(net, c, max_listed) for c in loose if len(c) >= min_size)
    found, modularity = _louvain(net, resolution, seed)
    where: dict[Hashable, int] = {}
    for i, members in enumerate(found):
        for node in members:
            where[node] = i
    internal: Counter[int] = Counter()
    external: Counter[int] = Counter()
    for u, v in net.edges():
        if where[u] == where[v]:
            internal[where[u]] += 1
        else:
            external[where[u]] += 1
            external[where[v]] += 1
    communities = []
    for i, members in enumerate(found):
        if len(members) < min_size:
            continue
        orgs = sorted((n for n in members if net.nodes[n].get("label") == _ORG), key=str)
        ties = internal[i] + external[i]
        communities.append(
            Community(
                index=i,
                size=len(members),
                people=len(members) - len(orgs),
                organizations=len(orgs),
                internal_edges=internal[i],
                external_edges=external[i],
                external_share=round(external[i] / ties, 6) if ties else 0.0,
                kinds=dict(sorted(Counter(str(net.nodes[n].get("kind", "")) for n in orgs).items())),
                listed=tuple(org_ref(net, n) for n in orgs[:max_listed]),
            )
        )
    communities.sort(key=lambda c: (c.external_share, -c.size, c.index))
    return IsolatedGroups(largest, sum(anchored), components, tuple(communities), round(modularity, 6))


def _louvain(net: nx.Graph, resolution: float, seed: int) -> tuple[list[set[Hashable]], float]:
    """Louvain communities of ``net`` (lone nodes left out) and their modularity, with leaves folded first.

    Most people hold one post: they are leaves, and a leaf always belongs with its neighbour (moving it there
    raises modularity by ``(1 - d_C / 2m) / m > 0``). So every leaf is folded into its neighbour as a self-loop of
    weight 1 (same degrees, same internal edges, same modularity) before Louvain runs, and unfolded after: three
    times fewer nodes, same answer. Louvain itself is igraph's ``community_multilevel`` (compiled: about 30 times
    faster than ``networkx.community.louvain_communities`` on the scale-1 network), seeded so runs agree.
    """
    degree = dict(net.degree())
    pairs: list[tuple[Hashable, Hashable]] = []
    leaves: dict[Hashable, list[Hashable]] = defaultdict(list)
    for u, v in net.edges():
        du, dv = degree[u], degree[v]
        if du == 1 and dv > 1:
            leaves[v].append(u)
        elif dv == 1 and du > 1:
            leaves[u].append(v)
        else:
            pairs.append((u, v))
    # Vertices and edges in a fixed order: the projection's node order varies from process to process, and
    # Louvain's result depends on the order it visits vertices in.
    kept = sorted({n for pair in pairs for n in pair}.union(leaves), key=str)
    index = {n: i for i, n in enumerate(kept)}
    edges = sorted((min(a, b), max(a, b)) for a, b in ((index[u], index[v]) for u, v in pairs))
    weights = [1] * len(edges)
    for host in kept:
        if host in leaves:
            edges.append((index[host], index[host]))
            weights.append(len(leaves[host]))
    if not edges:
        return [], 0.0
    folded = igraph.Graph(n=len(index), edges=edges, edge_attrs={"weight": weights})
    with _IGRAPH_RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = folded.community_multilevel(weights="weight", resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(random)  # igraph's default: the random module itself
    modularity = float(folded.modularity(membership, weights="weight", resolution=resolution))
    parts: list[set[Hashable]] = [set() for _ in range(max(membership) + 1)]
    for node, i in index.items():
        parts[membership[i]].add(node)
        parts[membership[i]].update(leaves.get(node, ()))
    return parts, modularity


def _component(net: nx.Graph, nodes: set[Hashable], max_listed: int) -> Component:
    orgs = sorted((n for n in nodes if net.nodes[n].get("label") == _ORG), key=str)
    return Component(
        size=len(nodes),
        people=len(nodes) - len(orgs),
        organizations=len(orgs),
        listed=tuple(org_ref(net, n) for n in orgs[:max_listed]),
        kinds=dict(sorted(Counter(str(net.nodes[n].get("kind", "")) for n in orgs).items())),
    )
