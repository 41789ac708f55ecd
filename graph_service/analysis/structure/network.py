"""The people–organisation network and the posts behind it: what the other structure analyses walk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analysis.common import (
    directed_projection,
    is_current,
    org_active,
)
from graph_service.domain.enums import NodeLabel, OrgKind, Post, RelType
from graph_service.domain.standards import DEFAULT_STANDARDS
from graph_service.heap import gc_paused

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


def org_ref(graph: nx.Graph, node: Hashable) -> OrgRef:
    attrs = graph.nodes[node]
    kind = str(attrs.get("kind", ""))
    try:
        kind_label = OrgKind(kind).label
    except ValueError:
        kind_label = ""
    return OrgRef(str(node), kind, kind_label, str(attrs.get("name", "")))


_POST_LABELS: dict[str, str] = {p.value: p.label for p in Post}


def post_label(post: str) -> str:
    return _POST_LABELS.get(post, "")


@directed_projection
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
    active = {n: a for n, a in projection._node.items() if org_active(a, on)}
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
                    posts[str(person)].append(PostRef(str(org), str(org_attrs.get("kind", "")), post, post_label(post)))
    return dict(posts)


def posts_of(net: nx.Graph, person: Hashable) -> Iterable[PostRef]:
    for org in sorted(net[person], key=str):
        kind = str(net.nodes[org].get("kind", ""))
        for post in net[person][org].get("posts", ()):
            yield PostRef(str(org), kind, str(post), post_label(str(post)))


# ---------------------------------------------------------------------------------------------------------------
# The network


@directed_projection
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
        Nodes keep their projection attributes (the projection's own dicts: read, never write them);
        person–organisation edges carry ``posts`` (a tuple of post codes). Equal edge attribute dicts are one
        dict, shared: read, never write them either.

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
        net = nx.Graph()
        net_nodes, net_adj = net._node, net._adj
        # Nodes share the projection's attribute dicts (read only, as the projection is) rather than copies,
        # which add_nodes_from would make: a million dicts at scale 10, most of the network's memory.
        for n, a in node_attrs.items():
            if org_active(a, on):
                net_nodes[n] = a
                net_adj[n] = {}
        active = set(net_nodes)  # the organisations alone: people are added below
        # The adjacency is filled in the order the edges are met, as add_edges_from would fill it (each person and
        # organisation once, their posts gathered), with a ``_Tie`` per pair while the walk runs; then each pair gets
        # an attribute dict made once and shared by every pair with the same attributes: an organisations' link
        # holds its type, a post its post codes (``posts``, a tuple), and most people hold one of a few posts.
        for u, neighbours in projection._succ.items():
            u_active = u in active
            for v, keyed in neighbours.items():
                if v not in active:
                    continue
                for attrs in keyed.values():
                    rel = attrs.get("type")
                    if rel == _MEMBER_OF and is_current(attrs, on):
                        if u not in net_nodes:  # a person: a node from their first post on
                            net_nodes[u] = node_attrs[u]
                            net_adj[u] = {}
                        _tie(net_adj, u, v).posts.append(attrs.get("post"))
                    elif u_active and _org_link(rel, attrs, node_attrs[u], node_attrs[v], formal, on):
                        _tie(net_adj, u, v).type = rel
        shared: dict[tuple[Any, ...], dict[str, Any]] = {}
        for u, ties in net_adj.items():
            for v, tie in ties.items():
                if isinstance(tie, _Tie):  # each pair is met twice, from both ends
                    data = tie.data(shared)
                    ties[v] = data
                    net_adj[v][u] = data
    return net


class _Tie:
    """What the projection's edges between one person and organisation (or two organisations) give their pair."""

    __slots__ = ("posts", "type")

    def __init__(self) -> None:
        self.posts: list[Any] = []
        self.type: str | None = None

    def data(self, shared: dict[tuple[Any, ...], dict[str, Any]]) -> dict[str, Any]:
        """The pair's attribute dict, one per distinct content: ``posts`` if it had a post, ``type`` if a link."""
        posts = tuple(self.posts)
        key = (posts if self.posts else None, self.type)
        found = shared.get(key)
        if found is None:
            found = shared[key] = {}
            if self.posts:
                found["posts"] = posts
            if self.type is not None:
                found["type"] = self.type
        return found


def _tie(adjacency: dict[Hashable, dict[Hashable, Any]], u: Hashable, v: Hashable) -> _Tie:
    """The tie of ``u`` and ``v``, entered in the adjacency of both when first met."""
    tie: _Tie | None = adjacency[u].get(v)
    if tie is None:
        tie = adjacency[u][v] = adjacency[v][u] = _Tie()
    return tie


def _org_link(
    rel: object, attrs: Mapping[str, Any], source: Mapping[str, Any], target: Mapping[str, Any], formal: frozenset[str], on: date
) -> bool:
    if rel == RelType.SUB_ORG_OF.value:
        return source.get("kind") in formal and target.get("kind") in formal
    return rel in (RelType.PAIRED_WITH.value, RelType.REGISTERED_WITH.value) and is_current(attrs, on)


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


def posts_over(net: nx.Graph, max_posts: int, on: date) -> dict[str, list[PostRef]]:
    """``current_posts`` of the people holding more than ``max_posts`` posts, read from ``people_org_network``.

    The network's person–organisation edges are exactly the current posts in organisations in force (the same
    test as ``current_posts``), so counting there first builds post records only for the few overloaded.
    """
    _check_max_posts(max_posts)
    adjacency, nodes = net._adj, net._node
    found: dict[str, list[PostRef]] = {}
    for person, ties in adjacency.items():
        if org_active(nodes[person], on) or sum(len(d["posts"]) for d in ties.values()) <= max_posts:
            continue  # an organisation in force, or a person within the standard
        found[str(person)] = [
            PostRef(str(org), str(nodes[org].get("kind", "")), code, post_label(code))
            for org, d in ties.items()
            for code in ("" if post is None else str(post) for post in d["posts"])
        ]
    return found
