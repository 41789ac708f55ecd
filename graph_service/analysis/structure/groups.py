"""Isolated groups: components without an anchor of the Party system, and Louvain communities.

Components, degrees, the folding of leaves and the count of each community's ties run over the network numbered
once (``numbered``), in igraph and numpy: at scale 10, walking networkx's views for them cost more than Louvain.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Collection, Hashable
from dataclasses import dataclass

import igraph
import networkx as nx
import numpy as np

from graph_service.analysis.common import (
    check_positive,
    simple_undirected,
)
from graph_service.analysis.structure.cuts import BlockCutTree
from graph_service.analysis.structure.network import ANCHOR_KINDS, OrgRef, org_ref
from graph_service.analysis.structure.numbered import Numbered, Positions, groups_of, numbered
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
    tree: BlockCutTree | None = None,
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
    tree : BlockCutTree, optional
        The block-cut tree of ``net`` if already built: its numbering of ``net`` is used again.

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
    numbers = tree.numbers if tree is not None else numbered(net)
    nodes = numbers.nodes
    n = len(nodes)
    component = np.asarray(numbers.graph().connected_components().membership, dtype=np.int64)
    comps = sorted(groups_of(component), key=lambda c: (-len(c), min(map(str, map(nodes.__getitem__, c.tolist())))))
    largest = len(comps[0]) if comps else 0
    is_anchor = np.fromiter((kind in anchors for _, kind in net.nodes(data="kind")), dtype=bool, count=n)
    anchored_by_label = np.bincount(component, weights=is_anchor, minlength=len(comps)) > 0
    anchored = [bool(anchored_by_label[component[c[0]]]) for c in comps]
    loose = [c for c, ok in zip(comps, anchored, strict=True) if not ok] if any(anchored) else comps[1:]
    components = tuple(_component(net, set(map(nodes.__getitem__, c.tolist())), max_listed) for c in loose if len(c) >= min_size)
    community, modularity = _louvain(numbers, resolution, seed)
    found = groups_of(community)
    # Ties inside a community, and ties to other communities (counted at both ends).
    at_source, at_target = community[numbers.source], community[numbers.target]
    inside = at_source == at_target
    internal = np.bincount(at_source[inside], minlength=len(found))
    external = np.bincount(at_source[~inside], minlength=len(found)) + np.bincount(at_target[~inside], minlength=len(found))
    is_org = np.fromiter((label == _ORG for _, label in net.nodes(data="label")), dtype=bool, count=n)
    communities = []
    for i, members in enumerate(found):
        if len(members) < min_size:
            continue
        orgs = sorted(map(nodes.__getitem__, members[is_org[members]].tolist()), key=str)
        inner, outer = int(internal[i]), int(external[i])
        ties = inner + outer
        communities.append(
            Community(
                index=i,
                size=len(members),
                people=len(members) - len(orgs),
                organizations=len(orgs),
                internal_edges=inner,
                external_edges=outer,
                external_share=round(outer / ties, 6) if ties else 0.0,
                kinds=dict(sorted(Counter(str(net.nodes[n].get("kind", "")) for n in orgs).items())),
                listed=tuple(org_ref(net, n) for n in orgs[:max_listed]),
            )
        )
    communities.sort(key=lambda c: (c.external_share, -c.size, c.index))
    return IsolatedGroups(largest, sum(anchored), components, tuple(communities), round(modularity, 6))


def _louvain(numbers: Numbered, resolution: float, seed: int) -> tuple[Positions, float]:
    """Each node's Louvain community (-1 for a lone node) and the partition's modularity, with leaves folded first.

    Most people hold one post: they are leaves, and a leaf always belongs with its neighbour (moving it there
    raises modularity by ``(1 - d_C / 2m) / m > 0``). So every leaf is folded into its neighbour as a self-loop of
    weight 1 (same degrees, same internal edges, same modularity) before Louvain runs, and unfolded after: three
    times fewer nodes, same answer. Louvain itself is igraph's ``community_multilevel`` (compiled: about 30 times
    faster than ``networkx.community.louvain_communities`` on the scale-1 network), seeded so runs agree.
    """
    nodes, source, target = numbers.nodes, numbers.source, numbers.target
    n = len(nodes)
    degree = numbers.degrees()
    at_source, at_target = degree[source], degree[target]
    source_hangs = (at_source == 1) & (at_target > 1)
    target_hangs = (at_target == 1) & (at_source > 1)
    pair = ~(source_hangs | target_hangs)
    leaf = np.concatenate((source[source_hangs], target[target_hangs]))
    host = np.concatenate((target[source_hangs], source[target_hangs]))
    # Vertices and edges in a fixed order: the projection's node order varies from process to process, and
    # Louvain's result depends on the order it visits vertices in.
    in_folded = np.zeros(n, dtype=bool)
    for ends in (source[pair], target[pair], host):
        in_folded[ends] = True
    kept = np.asarray(sorted(np.flatnonzero(in_folded).tolist(), key=lambda i: str(nodes[i])), dtype=np.int64)
    vertex = np.full(n, -1, dtype=np.int64)
    vertex[kept] = np.arange(len(kept))
    u, v = vertex[source[pair]], vertex[target[pair]]
    low, high = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((high, low))
    leaves_of = np.bincount(host, minlength=n)
    hosts = kept[leaves_of[kept] > 0]
    if not len(order) and not len(hosts):
        return np.full(n, -1, dtype=np.int64), 0.0
    ends = np.concatenate((np.column_stack((low[order], high[order])), np.repeat(vertex[hosts], 2).reshape(-1, 2)))
    weights = [1] * len(order) + leaves_of[hosts].tolist()
    folded = igraph.Graph(n=len(kept), edges=ends.tolist(), edge_attrs={"weight": weights})
    with _IGRAPH_RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = folded.community_multilevel(weights="weight", resolution=resolution).membership
        finally:
            igraph.set_random_number_generator(random)  # igraph's default: the random module itself
    modularity = float(folded.modularity(membership, weights="weight", resolution=resolution))
    community = np.full(n, -1, dtype=np.int64)
    community[kept] = membership
    community[leaf] = community[host]
    return community, modularity


def _component(net: nx.Graph, nodes: set[Hashable], max_listed: int) -> Component:
    orgs = sorted((n for n in nodes if net.nodes[n].get("label") == _ORG), key=str)
    return Component(
        size=len(nodes),
        people=len(nodes) - len(orgs),
        organizations=len(orgs),
        listed=tuple(org_ref(net, n) for n in orgs[:max_listed]),
        kinds=dict(sorted(Counter(str(net.nodes[n].get("kind", "")) for n in orgs).items())),
    )
