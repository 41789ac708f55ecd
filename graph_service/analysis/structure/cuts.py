"""Single points of failure and critical bridges, from one block-cut tree of the network."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise

import igraph
import networkx as nx
import numpy as np

from graph_service.analysis.common import (
    check_positive,
    simple_undirected,
)
from graph_service.analysis.structure.network import OrgRef, PostRef, org_ref, posts_of
from graph_service.analysis.structure.numbered import Numbered, Positions, numbered
from graph_service.domain.enums import NodeLabel
from graph_service.heap import gc_paused

_ORG = NodeLabel.ORGANIZATION.value
_PERSON = NodeLabel.PERSON.value

# ---------------------------------------------------------------------------------------------------------------
# Single points of failure


@dataclass(frozen=True)
class SeparatedPart:
    """A part of the network cut off when a person leaves: its size and the organisations in it."""

    size: int
    people: int
    organizations: int
    #: The organisations in this part where the departing person holds a post (where the cut happens).
    attached_via: tuple[OrgRef, ...]
    #: Organisations in the part (at most ``max_listed``; ``organizations`` gives the full count).
    listed: tuple[OrgRef, ...]
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SinglePointOfFailure:
    """A person whose departure splits the network (an articulation point)."""

    person_id: str
    posts: tuple[PostRef, ...]
    component_size: int
    #: The organisations that stay on the main side and lose the parts below (e.g. the branch).
    cut_from: tuple[OrgRef, ...]
    separated: tuple[SeparatedPart, ...]

    @property
    def separated_size(self) -> int:
        return sum(p.size for p in self.separated)


class BlockCutTree:
    """The block-cut tree of a graph, each component's tree rooted at its weighted centroid.

    Build it once with ``BlockCutTree(net)`` and pass it as ``tree=`` to ``single_points_of_failure``,
    ``critical_bridges``, ``brokers`` and ``block_betweenness`` to skip rebuilding it (it must be of that ``net``,
    unchanged since).

    The tree's nodes are the biconnected components (blocks) and the articulation points (cut vertices). A block
    weighs its nodes that are not cut vertices, a cut vertex weighs 1, so a subtree's weight is the number of graph
    nodes it holds. Rooting at the centroid makes the parent side of every cut vertex its largest part, so the
    smaller parts (the ones reported) are whole child subtrees and can be listed without touching the rest.

    ``numbers`` is the network numbered (``numbered``), for other analyses of the same network; ``blocks`` holds
    each block's nodes and ``block_edges`` its edges (tuples: a block's nodes in the network's node
    order, its edges in the network's edge order; the blocks in igraph's order); ``cut_vertices`` the articulation
    points. A self-loop is in no block. Inside, tree nodes are numbers (the cut vertices first, in igraph's order,
    then the blocks) and the rooted tree is kept in arrays: at scale 10 the tree has millions of nodes, and a dict
    entry keyed by a tuple per node and per table was most of its memory.

    The blocks come from igraph's compiled biconnected components over the network numbered once (``numbered``):
    at scale 10 (770,000 nodes, 600,000 blocks) networkx's depth-first search in Python took most of the tree's
    7 seconds.
    """

    def __init__(self, net: nx.Graph) -> None:
        with gc_paused():
            self._build(net)

    def _build(self, net: nx.Graph) -> None:
        self.numbers = numbers = numbered(net)
        nodes, source, target = numbers.nodes, numbers.source, numbers.target
        # igraph's own call gives each block as the edges of a spanning tree of it (its Python wrapper turns them
        # into sorted node lists one block at a time, which costs more than finding the blocks).
        spanning, points = igraph.GraphBase.biconnected_components(numbers.graph(), True)
        flat, block_of = _block_nodes(numbers, spanning)
        sizes = np.bincount(block_of, minlength=len(spanning))
        cut_of = np.full(len(nodes), -1, dtype=np.int64)
        cut_of[np.asarray(points, dtype=np.int64)] = np.arange(len(points))
        edge_block = _edge_blocks(numbers, flat, block_of, cut_of)
        by_block = np.argsort(edge_block, kind="stable")[np.count_nonzero(edge_block < 0) :]
        edge_bounds = [0, *np.cumsum(np.bincount(edge_block[by_block], minlength=len(spanning))).tolist()]
        sources = list(map(nodes.__getitem__, source[by_block].tolist()))
        targets = list(map(nodes.__getitem__, target[by_block].tolist()))
        block_edges = [tuple(zip(sources[a:b], targets[a:b], strict=True)) for a, b in pairwise(edge_bounds)]
        cut_nodes = [nodes[p] for p in points]
        self.cut_vertices = set(cut_nodes)
        cut_id = {n: t for t, n in enumerate(cut_nodes)}
        first_block = len(cut_nodes)
        # The tree: a block's neighbours are its cut vertices, a cut vertex's the blocks holding it (in block order).
        at_cut = cut_of[flat] >= 0
        cut_ids, cut_blocks = cut_of[flat][at_cut].tolist(), block_of[at_cut].tolist()
        cuts_per_block = np.bincount(block_of[at_cut], minlength=len(spanning))
        bounds = [0, *np.cumsum(cuts_per_block).tolist()]
        tree: list[list[int]] = [[] for _ in cut_nodes]
        tree += [cut_ids[a:b] for a, b in pairwise(bounds)]
        for c, block in zip(cut_ids, cut_blocks, strict=True):
            tree[c].append(first_block + block)
        weight = [1] * len(cut_nodes) + (sizes - cuts_per_block).tolist()
        size = len(tree)
        parent, sub, total = array("q", [-1]) * size, array("q", [0]) * size, array("q", [0]) * size
        children: list[list[int]] = [_NO_CHILDREN] * size
        # The walks from a component's first node (to find its centroid) use scratch arrays; the walk from the
        # centroid fills the tree's own. ``mark`` tells each walk's nodes by a number of its own, -1 for unseen.
        scratch_parent, scratch_sub, mark = array("q", [-1]) * size, array("q", [0]) * size, array("q", [-1]) * size
        for start in range(size):
            if mark[start] >= 0:
                continue
            root = _weighted_centroid(tree, start, weight, scratch_parent, scratch_sub, mark, 2 * start)
            order = _rooted_weights(tree, root, weight, parent, sub, mark, 2 * start + 1)
            whole = sub[root]
            for t in order:
                total[t] = whole
            for child in order[1:]:
                up = parent[child]
                if children[up] is _NO_CHILDREN:
                    children[up] = []
                children[up].append(child)
        # Each block's nodes in the network's order, every later walk over a block sees them in that order.
        block_nodes = list(map(nodes.__getitem__, flat.tolist()))
        node_bounds = [0, *np.cumsum(sizes).tolist()]
        self.blocks: list[tuple[Hashable, ...]] = [tuple(block_nodes[a:b]) for a, b in pairwise(node_bounds)]
        self.block_edges: list[tuple[tuple[Hashable, Hashable], ...]] = block_edges
        self._cut_nodes, self._cut_id, self._first_block = cut_nodes, cut_id, first_block
        self._parent, self._children, self._sub, self._total = parent, children, sub, total

    def parts(self, vertex: Hashable) -> list[tuple[int, int | None]]:
        """The parts left when ``vertex`` (a cut vertex) goes: (size, child subtree top, or None for the parent side)."""
        t = self._cut_id[vertex]
        found: list[tuple[int, int | None]] = [(self._sub[c], c) for c in self._children[t]]
        if self._parent[t] >= 0:
            found.append((self._total[t] - self._sub[t], None))
        return found

    def component_size(self, vertex: Hashable) -> int:
        """The number of nodes of ``vertex``'s connected component (``vertex`` a cut vertex)."""
        return self._total[self._cut_id[vertex]]

    def side_weight(self, index: int, vertex: Hashable) -> int:
        """How many graph nodes reach block ``index`` through ``vertex`` (``vertex`` included)."""
        cut = self._cut_id.get(vertex)
        if cut is None:
            return 1
        block = self._first_block + index
        if self._parent[cut] == block:
            return self._sub[cut]
        return self._total[block] - self._sub[block]

    def subtree_nodes(self, top: int) -> set[Hashable]:
        """The graph nodes of the subtree under ``top`` (a top ``parts`` gave)."""
        nodes: set[Hashable] = set()
        stack = [top]
        while stack:
            t = stack.pop()
            if t >= self._first_block:
                nodes.update(self.blocks[t - self._first_block])
            else:
                nodes.add(self._cut_nodes[t])
            stack.extend(self._children[t])
        return nodes


#: The children of a leaf of the tree: one shared empty list, never appended to (``_build`` gives a parent its own).
_NO_CHILDREN: list[int] = []


def _block_nodes(numbers: Numbered, spanning: list[list[int]]) -> tuple[Positions, Positions]:
    """Every block's nodes one after another, in increasing order within a block, and the block of each (from the
    edges of each block's spanning tree)."""
    count = sum(map(len, spanning))
    edges = np.fromiter(chain.from_iterable(spanning), dtype=np.int64, count=count)
    blocks = np.repeat(np.arange(len(spanning), dtype=np.int64), [len(tree) for tree in spanning])
    n = len(numbers.nodes)
    # A (block, node) pair as one number, sorted; a tree's inner nodes end several of its edges, kept once.
    ends = np.sort(np.concatenate((blocks * n + numbers.source[edges], blocks * n + numbers.target[edges])))
    ends = ends[np.concatenate(([True], ends[1:] != ends[:-1]))] if len(ends) else ends
    return ends % n, ends // n


def _edge_blocks(numbers: Numbered, flat: Positions, block_of: Positions, cut_of: Positions) -> Positions:
    """The block each edge of ``numbers`` lies in (``flat``: every block's nodes, ``block_of`` the block of each;
    ``cut_of``: each node's number as a cut vertex, -1 for none).

    Two blocks share at most one node, a cut vertex, so an edge lies in the one block holding both its ends: the
    only block of an end that is no cut vertex, or else the one block the two cut vertices share. A self-loop lies
    on no path between two other nodes and is left out (-1).
    """
    only = np.full(len(numbers.nodes), -1, dtype=np.int64)
    inner = cut_of[flat] < 0
    only[flat[inner]] = block_of[inner]
    source, target = numbers.source, numbers.target
    found = np.where(only[source] >= 0, only[source], only[target])
    found[source == target] = -1
    between_cuts = np.flatnonzero((found < 0) & (source != target))
    if len(between_cuts):
        blocks_of: dict[int, set[int]] = {}
        for node, block in zip(flat[~inner].tolist(), block_of[~inner].tolist(), strict=True):
            blocks_of.setdefault(node, set()).add(block)
        ends = zip(source[between_cuts].tolist(), target[between_cuts].tolist(), strict=True)
        for k, (u, v) in zip(between_cuts.tolist(), ends, strict=True):
            (found[k],) = blocks_of[u] & blocks_of[v]
    return found


def _weighted_centroid(
    tree: Sequence[list[int]],
    start: int,
    weight: Sequence[int],
    parent: array[int],
    sub: array[int],
    mark: array[int],
    stamp: int,
) -> int:
    """The tree node of ``start``'s component whose removal leaves no part heavier than half the component.

    Of several such nodes, the first in breadth-first order from ``start``. Every one of them lies on the path
    that descends from ``start`` into the child holding more than half the weight, for as long as there is one
    (anywhere else, the part holding that child is larger), so only that path is scored. ``parent``, ``sub`` and
    ``mark`` are scratch (see ``_rooted_weights``).
    """
    _rooted_weights(tree, start, weight, parent, sub, mark, stamp)
    total = sub[start]
    best, best_max = start, total
    t: int | None = start
    while t is not None:
        up = parent[t]
        children = [sub[c] for c in tree[t] if c != up]
        largest = max([*children, total - sub[t]])
        if largest < best_max:
            best, best_max = t, largest
        t = next((c for c in tree[t] if c != up and 2 * sub[c] > total), None)
    return best


def _rooted_weights(
    tree: Sequence[list[int]], root: int, weight: Sequence[int], parent: array[int], sub: array[int], mark: array[int], stamp: int
) -> list[int]:
    """``root``'s component breadth-first from ``root`` (the order returned), each node's parent in ``parent``
    (``root``'s: -1) and its subtree's weight in ``sub``; its nodes are marked ``stamp`` in ``mark``."""
    parent[root] = -1
    mark[root] = stamp
    order = [root]
    for t in order:  # the list grows as the walk goes: iterating it visits what was appended
        for c in tree[t]:
            if mark[c] != stamp:
                mark[c] = stamp
                parent[c] = t
                order.append(c)
    for t in order:
        sub[t] = weight[t]
    for t in reversed(order[1:]):
        sub[parent[t]] += sub[t]
    return order


@simple_undirected
def single_points_of_failure(
    net: nx.Graph, *, max_listed: int = 20, tree: BlockCutTree | None = None
) -> list[SinglePointOfFailure]:
    """People whose departure cuts organisations (with their members) off from the rest of the network.

    Parameters
    ----------
    net : networkx.Graph
        The people–organisation network (``people_org_network``).
    max_listed : int
        At most this many organisations are listed per separated part (the counts are always complete).
    tree : BlockCutTree, optional
        The block-cut tree of ``net`` if already built.

    Returns
    -------
    list of SinglePointOfFailure
        One per person who is an articulation point, the largest cut first. The largest part left after the
        departure is the main side (``cut_from`` names the person's organisations there); every other part is
        ``separated``.

    Examples
    --------
    The secretary is the only link between the branch and the owners' committee with its two members:

    >>> import networkx as nx
    >>> net = nx.Graph()
    >>> net.add_nodes_from(["c", "b", "oc"], label="Organization")
    >>> net.add_nodes_from(["s", "m1", "m2", "x", "y"], label="Person")
    >>> net.add_edges_from([("b", "c"), ("x", "b"), ("y", "c"), ("s", "b"), ("s", "oc"), ("m1", "oc"), ("m2", "oc")])
    >>> [spof] = single_points_of_failure(net)
    >>> spof.person_id, [o.id for o in spof.cut_from], [(p.size, p.people) for p in spof.separated]
    ('s', ['b'], [(3, 2)])
    """
    check_positive("max_listed", max_listed)
    tree = tree or BlockCutTree(net)
    results: list[SinglePointOfFailure] = []
    for person in sorted(tree.cut_vertices, key=str):
        if net.nodes[person].get("label") != _PERSON:
            continue
        node_parts = tree.parts(person)
        # The main side is the largest part; on a tie, the parent side (it may be too big to list).
        largest = max(range(len(node_parts)), key=lambda i: (node_parts[i][0], node_parts[i][1] is None))
        separated = [
            _describe_part(net, person, tree.subtree_nodes(top) - {person}, size, max_listed)
            for i, (size, top) in enumerate(node_parts)
            if i != largest and top is not None
        ]
        if not separated:
            continue
        _, main_top = node_parts[largest]
        main_nodes = None if main_top is None else tree.subtree_nodes(main_top)
        cut_off = {o.id for part in separated for o in part.attached_via}
        cut_from = tuple(
            org_ref(net, n)
            for n in sorted(net[person], key=str)
            if net.nodes[n].get("label") == _ORG and str(n) not in cut_off and (main_nodes is None or n in main_nodes)
        )
        results.append(
            SinglePointOfFailure(
                person_id=str(person),
                posts=tuple(posts_of(net, person)),
                component_size=tree.component_size(person),
                cut_from=cut_from,
                separated=tuple(sorted(separated, key=lambda p: (-p.size, [o.id for o in p.attached_via]))),
            )
        )
    results.sort(key=lambda r: (-r.separated_size, r.person_id))
    return results


def _describe_part(net: nx.Graph, person: Hashable, nodes: set[Hashable], size: int, max_listed: int) -> SeparatedPart:
    orgs = [n for n in nodes if net.nodes[n].get("label") == _ORG]
    kinds = Counter(str(net.nodes[n].get("kind", "")) for n in orgs)
    attached = tuple(org_ref(net, n) for n in sorted(net[person], key=str) if n in nodes and n in set(orgs))
    listed = tuple(org_ref(net, n) for n in sorted(orgs, key=str)[:max_listed])
    return SeparatedPart(
        size=size,
        people=size - len(orgs),
        organizations=len(orgs),
        attached_via=attached,
        listed=listed,
        kinds=dict(sorted(kinds.items())),
    )


# ---------------------------------------------------------------------------------------------------------------
# Bridges


@dataclass(frozen=True)
class CriticalBridge:
    """A post that is the only link between two parts of the network, neither of them a lone node."""

    person_id: str
    organization: OrgRef
    posts: tuple[str, ...]
    #: Size of the part on the organisation's side once the post is gone, and on the person's side.
    organization_side: int
    person_side: int


@simple_undirected
def critical_bridges(net: nx.Graph, *, tree: BlockCutTree | None = None) -> list[CriticalBridge]:
    """Person–organisation edges whose loss splits the network into two parts of at least two nodes each.

    A post of a person with one post is trivially a bridge and is left out; what remains are the posts that
    carry a whole part of the network (a person's only tie to a second organisation that hangs on them).

    Examples
    --------
    >>> import networkx as nx
    >>> net = nx.Graph()
    >>> net.add_nodes_from(["b", "oc"], label="Organization", kind="compound_branch")
    >>> net.add_nodes_from(["s", "m", "x"], label="Person")
    >>> net.add_edges_from([("s", "b", {"posts": ["secretary"]}), ("x", "b"), ("s", "oc"), ("m", "oc")])
    >>> sorted((b.person_id, b.organization.id, b.organization_side, b.person_side) for b in critical_bridges(net))
    [('s', 'b', 2, 3), ('s', 'oc', 2, 3)]
    """
    tree = tree or BlockCutTree(net)
    found = []
    for index, block in enumerate(tree.blocks):
        if len(block) != 2:
            continue  # a bridge is a block of one edge
        u, v = block
        if net.degree(u) < 2 or net.degree(v) < 2 or {net.nodes[u].get("label"), net.nodes[v].get("label")} != {_ORG, _PERSON}:
            continue
        person, org = (u, v) if net.nodes[u].get("label") == _PERSON else (v, u)
        found.append(
            CriticalBridge(
                person_id=str(person),
                organization=org_ref(net, org),
                posts=tuple(str(p) for p in net[person][org].get("posts", ())),
                organization_side=tree.side_weight(index, org),
                person_side=tree.side_weight(index, person),
            )
        )
    found.sort(key=lambda b: (-min(b.organization_side, b.person_side), b.person_id, b.organization.id))
    return found
