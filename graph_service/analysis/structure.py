"""Structure of the people–organisation network: single points of failure, brokers, isolated groups, overload.

The network (``people_org_network``) is undirected and simple. Its nodes are the organisations in force and the
people holding a current post; its edges are

* a person's current posts (``MEMBER_OF``, one edge per person and organisation, the posts kept on the edge);
* the Party system's own hierarchy (``SUB_ORG_OF`` between two *formal* organisations, ``FORMAL_KINDS``), live
  pairings (``PAIRED_WITH``) and organisations' dual check-ins (``REGISTERED_WITH``).

Bodies outside the Party system — owners' committees, stations, volunteer teams, property companies — are
joined to it only through the people who hold posts in both (cross-appointment, staff, volunteers): that is how
the Party "leads" them, and it is exactly what a departure can cut. So a person is a single point of failure when
removing them splits the network, for example a branch secretary who is the owners' committee's only link to
the branch: leaving cuts the committee and its members off from the branch. Articulation points and the sizes of
the parts come from one block-cut tree (linear time), not from removing each person in turn.
"""

from __future__ import annotations

import heapq
import random
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, TypeVar, cast

import igraph
import networkx as nx
from networkx.utils import not_implemented_for

from graph_service.analysis.common import is_current
from graph_service.analysis.projection import gc_paused
from graph_service.domain.enums import NodeLabel, OrgKind, Post, RelType
from graph_service.domain.standards import DEFAULT_STANDARDS

__all__ = [
    "ANCHOR_KINDS",
    "FORMAL_KINDS",
    "BlockCutTree",
    "Broker",
    "Community",
    "Component",
    "CriticalBridge",
    "IsolatedGroups",
    "OrgRef",
    "OverloadedPerson",
    "PostRef",
    "SeparatedPart",
    "SinglePointOfFailure",
    "StructureReport",
    "block_betweenness",
    "brokers",
    "critical_bridges",
    "current_posts",
    "is_current",
    "isolated_groups",
    "overloaded_people",
    "people_org_network",
    "single_points_of_failure",
    "structure_report",
]

#: Organisations of the Party system whose ``SUB_ORG_OF`` links count as structure of their own.
FORMAL_KINDS: frozenset[str] = frozenset(
    {
        OrgKind.STREET_COMMITTEE.value,
        OrgKind.COMMUNITY_COMMITTEE.value,
        OrgKind.COMPOUND_BRANCH.value,
        OrgKind.BUILDING_GROUP.value,
        OrgKind.CENTRAL_HOUSEHOLD.value,
        OrgKind.UNIT_PARTY_ORG.value,
        OrgKind.LEADERSHIP_GROUP.value,
        OrgKind.WORKING_GROUP.value,
    }
)

#: Organisations at the top of the system: a part of the network holding none of them is isolated.
ANCHOR_KINDS: frozenset[str] = frozenset({OrgKind.STREET_COMMITTEE.value, OrgKind.LEADERSHIP_GROUP.value})

_ORG = NodeLabel.ORGANIZATION.value
_PERSON = NodeLabel.PERSON.value
_MEMBER_OF = RelType.MEMBER_OF.value

# igraph draws from one process-wide generator: seeding it for one call must not interleave with another thread's.
_IGRAPH_RNG_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers (also used by mobilization and recommendations)


_F = TypeVar("_F", bound=Callable[..., Any])


def _simple_undirected(func: _F) -> _F:
    """Refuse a directed graph or a multigraph (the first argument) with networkx's own error."""
    return cast(_F, not_implemented_for("directed")(not_implemented_for("multigraph")(func)))


def _directed_projection(func: _F) -> _F:
    """Refuse an undirected graph where the store's projection (a ``MultiDiGraph``) is expected."""
    return cast(_F, not_implemented_for("undirected")(func))


def _org_active(attrs: Mapping[str, Any], as_of: date) -> bool:
    dissolved = attrs.get("dissolved")
    return attrs.get("label") == _ORG and (dissolved is None or dissolved > as_of)


def _check_graph(graph: object, name: str = "graph") -> None:
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"{name} must be a networkx graph, got {type(graph).__name__}")


def _check_positive(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class PostRef:
    """A post a person holds: the organisation, its kind and the post code with its Chinese label."""

    org_id: str
    org_kind: str
    post: str
    post_label: str


@dataclass(frozen=True)
class OrgRef:
    """An organisation named in a result."""

    id: str
    kind: str
    kind_label: str
    name: str


def _org_ref(graph: nx.Graph, node: Hashable) -> OrgRef:
    attrs = graph.nodes[node]
    kind = str(attrs.get("kind", ""))
    try:
        kind_label = OrgKind(kind).label
    except ValueError:
        kind_label = ""
    return OrgRef(str(node), kind, kind_label, str(attrs.get("name", "")))


_POST_LABELS: dict[str, str] = {p.value: p.label for p in Post}


def _post_label(post: str) -> str:
    return _POST_LABELS.get(post, "")


@_directed_projection
def current_posts(projection: nx.MultiDiGraph, *, as_of: date | None = None) -> dict[str, list[PostRef]]:
    """Each person's posts in force on ``as_of`` (today by default) in organisations not dissolved.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", label="Person"); g.add_node("b", label="Organization", kind="compound_branch")
    >>> _ = g.add_edge("p", "b", key="m1", type="MEMBER_OF", post="secretary")
    >>> [p.post_label for p in current_posts(g)["p"]]
    ['书记']
    """
    on = as_of or date.today()
    active = {n: a for n, a in projection._node.items() if _org_active(a, on)}
    posts: dict[str, list[PostRef]] = defaultdict(list)
    with gc_paused():
        for person, neighbours in projection._succ.items():
            for org, keyed in neighbours.items():
                org_attrs = active.get(org)
                if org_attrs is None:
                    continue
                for attrs in keyed.values():
                    if attrs.get("type") != _MEMBER_OF or not is_current(attrs, on):
                        continue
                    post = str(attrs.get("post", ""))
                    posts[str(person)].append(PostRef(str(org), str(org_attrs.get("kind", "")), post, _post_label(post)))
    return dict(posts)


# ---------------------------------------------------------------------------------------------------------------
# The network


@_directed_projection
def people_org_network(
    projection: nx.MultiDiGraph,
    *,
    as_of: date | None = None,
    formal_kinds: Collection[str] = FORMAL_KINDS,
) -> nx.Graph:
    """The undirected people–organisation network of ``projection`` on ``as_of`` (see the module docstring).

    Parameters
    ----------
    projection : networkx.MultiDiGraph
        The store's projection (``graph_service.analysis.projection.get_projection``).
    as_of : date, optional
        Day the posts, pairings and organisations must be in force; today by default.
    formal_kinds : collection of str
        Organisation kinds whose ``SUB_ORG_OF`` links are structure of their own (``FORMAL_KINDS``).

    Returns
    -------
    networkx.Graph
        Nodes keep their projection attributes; person–organisation edges carry ``posts`` (list of post codes).

    Examples
    --------
    An owners' committee hangs on the branch only through its director, who is also the branch secretary:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("b", {"label": "Organization", "kind": "compound_branch"}),
    ...                   ("oc", {"label": "Organization", "kind": "owners_committee"}),
    ...                   ("s", {"label": "Person"})])
    >>> _ = g.add_edge("oc", "b", key="r1", type="SUB_ORG_OF")
    >>> _ = g.add_edge("s", "b", key="m1", type="MEMBER_OF", post="secretary")
    >>> _ = g.add_edge("s", "oc", key="m2", type="MEMBER_OF", post="oc_director")
    >>> net = people_org_network(g)
    >>> sorted(net.edges("s")), net.has_edge("oc", "b")
    ([('s', 'b'), ('s', 'oc')], False)
    """
    on = as_of or date.today()
    formal = frozenset(formal_kinds)
    node_attrs = projection._node  # the adjacency itself: the views cost a call per item on 10^5 items
    with gc_paused():
        active = [n for n, a in node_attrs.items() if _org_active(a, on)]
        active_set = set(active)
        # Edges in the order met, each person–organisation pair once with its posts gathered (as add_edge would).
        edges: list[tuple[Hashable, Hashable, dict[str, Any]]] = []
        held: dict[tuple[Hashable, Hashable], list[Any]] = {}
        for u, neighbours in projection._succ.items():
            u_active = u in active_set
            for v, keyed in neighbours.items():
                if v not in active_set:
                    continue
                for attrs in keyed.values():
                    rel = attrs.get("type")
                    if rel == _MEMBER_OF and is_current(attrs, on):
                        posts = held.get((u, v))
                        if posts is None:
                            held[(u, v)] = posts = []
                            edges.append((u, v, {"posts": posts}))
                        posts.append(attrs.get("post"))
                    elif u_active and _org_link(rel, attrs, node_attrs[u], node_attrs[v], formal, on):
                        edges.append((u, v, {"type": rel}))
        net = nx.Graph()
        net.add_nodes_from((n, node_attrs[n]) for n in active)
        net.add_nodes_from((u, node_attrs[u]) for u, v, attrs in edges if "posts" in attrs and u not in net)
        net.add_edges_from(edges)
    return net


def _org_link(
    rel: object, attrs: Mapping[str, Any], source: Mapping[str, Any], target: Mapping[str, Any], formal: frozenset[str], on: date
) -> bool:
    if rel == RelType.SUB_ORG_OF.value:
        return source.get("kind") in formal and target.get("kind") in formal
    return rel in (RelType.PAIRED_WITH.value, RelType.REGISTERED_WITH.value) and is_current(attrs, on)


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

    Tree nodes are ``("block", i)`` (a biconnected component) and ``("cut", v)`` (an articulation point). A block
    weighs its nodes that are not cut vertices, a cut vertex weighs 1, so a subtree's weight is the number of graph
    nodes it holds. Rooting at the centroid makes the parent side of every cut vertex its largest part, so the
    smaller parts (the ones reported) are whole child subtrees and can be listed without touching the rest.
    """

    def __init__(self, net: nx.Graph) -> None:
        with gc_paused():
            self._build(net)

    def _build(self, net: nx.Graph) -> None:
        self.block_edges = [list(edges) for edges in nx.biconnected_component_edges(net)]
        self.blocks = [set(chain.from_iterable(edges)) for edges in self.block_edges]
        membership = Counter(chain.from_iterable(self.blocks))
        self.cut_vertices = {n for n, count in membership.items() if count > 1}
        cut_vertices = self.cut_vertices
        tree: dict[Hashable, list[Hashable]] = {("cut", n): [] for n in cut_vertices}
        weight: dict[Hashable, int] = dict.fromkeys(tree, 1)
        for i, block in enumerate(self.blocks):
            b = ("block", i)
            cuts: list[Hashable] = [("cut", n) for n in block if n in cut_vertices]
            weight[b] = len(block) - len(cuts)
            tree[b] = cuts
            for c in cuts:
                tree[c].append(b)
        self.parent: dict[Hashable, Hashable] = {}
        self.children: dict[Hashable, list[Hashable]] = defaultdict(list)
        self.sub: dict[Hashable, int] = {}
        self.total: dict[Hashable, int] = {}
        for start in tree:
            if start in self.sub:
                continue
            root = _weighted_centroid(tree, start, weight)
            sub, parent, order = _rooted_weights(tree, root, weight)
            self.sub.update(sub)
            self.parent.update(parent)
            for child, par in parent.items():
                self.children[par].append(child)
            for t in order:
                self.total[t] = sub[root]

    def parts(self, vertex: Hashable) -> list[tuple[int, Hashable | None]]:
        """The parts left when ``vertex`` (a cut vertex) goes: (size, child subtree top, or None for the parent side)."""
        t = ("cut", vertex)
        found: list[tuple[int, Hashable | None]] = [(self.sub[c], c) for c in self.children.get(t, ())]
        if t in self.parent:
            found.append((self.total[t] - self.sub[t], None))
        return found

    def side_weight(self, index: int, vertex: Hashable) -> int:
        """How many graph nodes reach block ``index`` through ``vertex`` (``vertex`` included)."""
        if vertex not in self.cut_vertices:
            return 1
        block, cut = ("block", index), ("cut", vertex)
        if self.parent.get(cut) == block:
            return self.sub[cut]
        return self.total[block] - self.sub[block]

    def subtree_nodes(self, top: Hashable) -> set[Hashable]:
        nodes: set[Hashable] = set()
        stack: list[Any] = [top]  # tree nodes are ("block", index) or ("cut", vertex)
        while stack:
            t = stack.pop()
            if t[0] == "block":
                nodes.update(self.blocks[t[1]])
            else:
                nodes.add(t[1])
            stack.extend(self.children.get(t, ()))
        return nodes


def _weighted_centroid(tree: Mapping[Hashable, list[Hashable]], start: Hashable, weight: Mapping[Hashable, int]) -> Hashable:
    """The tree node of ``start``'s component whose removal leaves no part heavier than half the component.

    Of several such nodes, the first in breadth-first order from ``start``. Every one of them lies on the path
    that descends from ``start`` into the child holding more than half the weight, for as long as there is one
    (anywhere else, the part holding that child is larger), so only that path is scored.
    """
    sub, parent, _ = _rooted_weights(tree, start, weight)
    total = sub[start]
    best, best_max = start, total
    t: Hashable | None = start
    while t is not None:
        children = [sub[c] for c in tree[t] if c != parent.get(t)]
        largest = max([*children, total - sub[t]])
        if largest < best_max:
            best, best_max = t, largest
        t = next((c for c in tree[t] if c != parent.get(t) and 2 * sub[c] > total), None)
    return best


def _rooted_weights(
    tree: Mapping[Hashable, list[Hashable]], root: Hashable, weight: Mapping[Hashable, int]
) -> tuple[dict[Hashable, int], dict[Hashable, Hashable], list[Hashable]]:
    parent: dict[Hashable, Hashable] = {}
    order = [root]
    seen = {root}
    i = 0
    while i < len(order):
        t = order[i]
        i += 1
        for c in tree[t]:
            if c not in seen:
                seen.add(c)
                parent[c] = t
                order.append(c)
    sub = {t: weight[t] for t in order}
    for t in reversed(order):
        if t in parent:
            sub[parent[t]] += sub[t]
    return sub, parent, order


@_simple_undirected
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
    _check_positive("max_listed", max_listed)
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
            _org_ref(net, n)
            for n in sorted(net[person], key=str)
            if net.nodes[n].get("label") == _ORG and str(n) not in cut_off and (main_nodes is None or n in main_nodes)
        )
        results.append(
            SinglePointOfFailure(
                person_id=str(person),
                posts=tuple(_posts_of(net, person)),
                component_size=tree.total[("cut", person)],
                cut_from=cut_from,
                separated=tuple(sorted(separated, key=lambda p: (-p.size, [o.id for o in p.attached_via]))),
            )
        )
    results.sort(key=lambda r: (-r.separated_size, r.person_id))
    return results


def _describe_part(net: nx.Graph, person: Hashable, nodes: set[Hashable], size: int, max_listed: int) -> SeparatedPart:
    orgs = [n for n in nodes if net.nodes[n].get("label") == _ORG]
    kinds = Counter(str(net.nodes[n].get("kind", "")) for n in orgs)
    attached = tuple(_org_ref(net, n) for n in sorted(net[person], key=str) if n in nodes and n in set(orgs))
    listed = tuple(_org_ref(net, n) for n in sorted(orgs, key=str)[:max_listed])
    return SeparatedPart(
        size=size,
        people=size - len(orgs),
        organizations=len(orgs),
        attached_via=attached,
        listed=listed,
        kinds=dict(sorted(kinds.items())),
    )


def _posts_of(net: nx.Graph, person: Hashable) -> Iterable[PostRef]:
    for org in sorted(net[person], key=str):
        kind = str(net.nodes[org].get("kind", ""))
        for post in net[person][org].get("posts", ()):
            yield PostRef(str(org), kind, str(post), _post_label(str(post)))


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


@_simple_undirected
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
                organization=_org_ref(net, org),
                posts=tuple(str(p) for p in net[person][org].get("posts", ())),
                organization_side=tree.side_weight(index, org),
                person_side=tree.side_weight(index, person),
            )
        )
    found.sort(key=lambda b: (-min(b.organization_side, b.person_side), b.person_id, b.organization.id))
    return found


# ---------------------------------------------------------------------------------------------------------------
# Brokers


@_simple_undirected
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
        order: list[int] = []
        preds: list[list[int]] = [[] for _ in range(n)]
        sigma = [0] * n
        dist = [-1] * n
        sigma[source], dist[source] = 1, 0
        queue = deque([source])
        while queue:
            v = queue.popleft()
            order.append(v)
            step = dist[v] + 1
            for x in neighbours[v]:
                if dist[x] < 0:
                    dist[x] = step
                    queue.append(x)
                if dist[x] == step:
                    sigma[x] += sigma[v]
                    preds[x].append(v)
        delta = [0.0] * n
        for x in reversed(order):
            coefficient = (weights[x] + delta[x]) / sigma[x]
            for v in preds[x]:
                delta[v] += sigma[v] * coefficient
            if x != source:
                partial[x] += weights[source] * delta[x]
    return dict(zip(keys, partial, strict=True))


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


@_simple_undirected
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
    it is estimated by ``networkx.betweenness_centrality`` from ``sample`` sources drawn with ``seed``.

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
    _check_positive("top", top)
    if sample is not None:
        _check_positive("sample", sample)
    if max_work is not None:
        _check_positive("max_work", max_work)
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
        scores = nx.betweenness_centrality(net, k=None if k >= n else k, seed=seed, normalized=True)
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
            posts=tuple(_posts_of(net, node)),
            sources=k,
        )
        for node in best
    ]


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


@_simple_undirected
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
    _check_positive("max_listed", max_listed)
    _check_positive("min_size", min_size)
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
                listed=tuple(_org_ref(net, n) for n in orgs[:max_listed]),
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
        listed=tuple(_org_ref(net, n) for n in orgs[:max_listed]),
        kinds=dict(sorted(Counter(str(net.nodes[n].get("kind", "")) for n in orgs).items())),
    )


# ---------------------------------------------------------------------------------------------------------------
# Overload


@dataclass(frozen=True)
class OverloadedPerson:
    """A person holding more current posts than the standard allows."""

    person_id: str
    post_count: int
    threshold: int
    posts: tuple[PostRef, ...]


def overloaded_people(
    posts: Mapping[str, list[PostRef]],
    *,
    max_posts: int = DEFAULT_STANDARDS.max_posts_per_person,
) -> list[OverloadedPerson]:
    """People with more than ``max_posts`` current posts (``current_posts`` gives the mapping), most posts first.

    Examples
    --------
    >>> p = PostRef("b", "compound_branch", "secretary", "书记")
    >>> [(o.person_id, o.post_count) for o in overloaded_people({"x": [p, p, p], "y": [p]}, max_posts=2)]
    [('x', 3)]
    """
    _check_max_posts(max_posts)
    found = [
        OverloadedPerson(person, len(held), max_posts, tuple(sorted(held, key=lambda p: (p.org_id, p.post))))
        for person, held in posts.items()
        if len(held) > max_posts
    ]
    found.sort(key=lambda o: (-o.post_count, o.person_id))
    return found


def _check_max_posts(max_posts: int) -> None:
    if isinstance(max_posts, bool) or not isinstance(max_posts, int) or max_posts < 0:
        raise ValueError(f"max_posts must be a non-negative integer, got {max_posts!r}")


def _posts_over(net: nx.Graph, max_posts: int, on: date) -> dict[str, list[PostRef]]:
    """``current_posts`` of the people holding more than ``max_posts`` posts, read from ``people_org_network``.

    The network's person–organisation edges are exactly the current posts in organisations in force (the same
    test as ``current_posts``), so counting there first builds post records only for the few overloaded.
    """
    _check_max_posts(max_posts)
    adjacency, nodes = net._adj, net._node
    found: dict[str, list[PostRef]] = {}
    for person, ties in adjacency.items():
        if _org_active(nodes[person], on) or sum(len(d["posts"]) for d in ties.values()) <= max_posts:
            continue  # an organisation in force, or a person within the standard
        found[str(person)] = [
            PostRef(str(org), str(nodes[org].get("kind", "")), code, _post_label(code))
            for org, d in ties.items()
            for code in ("" if post is None else str(post) for post in d["posts"])
        ]
    return found


# ---------------------------------------------------------------------------------------------------------------
# Everything at once


@dataclass(frozen=True)
class StructureReport:
    """All structural measures of one projection."""

    nodes: int
    edges: int
    single_points_of_failure: tuple[SinglePointOfFailure, ...]
    bridges: tuple[CriticalBridge, ...]
    brokers: tuple[Broker, ...]
    groups: IsolatedGroups
    overloaded: tuple[OverloadedPerson, ...]


@_directed_projection
def structure_report(
    projection: nx.MultiDiGraph,
    *,
    as_of: date | None = None,
    max_posts: int = DEFAULT_STANDARDS.max_posts_per_person,
    broker_sample: int | None = 500,
    top_brokers: int = 20,
    seed: int = 0,
) -> StructureReport:
    """Every structural measure of ``projection`` on ``as_of`` (see the functions above for each).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("b", {"label": "Organization", "kind": "compound_branch"}),
    ...                   ("oc", {"label": "Organization", "kind": "owners_committee"}),
    ...                   ("s", {"label": "Person"}), ("m", {"label": "Person"}), ("x", {"label": "Person"})])
    >>> for key, (p, o, post) in enumerate([("s", "b", "secretary"), ("s", "oc", "oc_director"),
    ...                                     ("m", "oc", "oc_member"), ("x", "b", "member")]):
    ...     _ = g.add_edge(p, o, key=str(key), type="MEMBER_OF", post=post)
    >>> [s.person_id for s in structure_report(g).single_points_of_failure]
    ['s']
    """
    # The cyclic GC would walk the projection (10^6 containers at scale 1) again and again while the network and
    # its tree are built and scanned; what is made here is kept or freed by reference counting.
    on = as_of or date.today()
    with gc_paused():
        net = people_org_network(projection, as_of=on)
        tree = BlockCutTree(net)
        return StructureReport(
            nodes=net.number_of_nodes(),
            edges=net.number_of_edges(),
            single_points_of_failure=tuple(single_points_of_failure(net, tree=tree)),
            bridges=tuple(critical_bridges(net, tree=tree)),
            brokers=tuple(brokers(net, top=top_brokers, sample=broker_sample, seed=seed, tree=tree)),
            groups=isolated_groups(net, seed=seed),
            overloaded=tuple(overloaded_people(_posts_over(net, max_posts, on), max_posts=max_posts)),
        )
