"""Mobilisation reach (平急结合): whom a street or community committee reaches in k steps of the network.

The traversal starts at the committee and follows, one step per hop, only these links (all in force on the day
asked about; ended posts, ended sinkings and dissolved organisations are skipped):

=========  ===========================================================  ==================================
step       from -> to                                                    stored relationship
=========  ===========================================================  ==================================
``down``   organisation -> its sub-organisation                          child ``-SUB_ORG_OF->`` parent
``post``   organisation -> a person holding a post in it                 person ``-MEMBER_OF->`` org
``lead``   organisation -> the area it leads, covers or serves           org ``-LEADS|COVERS|SERVES->`` area
``sink``   person -> the compound they are sunk to                       person ``-SUNK_TO->`` area
``team``   person -> a volunteer team they belong to                     person ``-MEMBER_OF->`` team
``team``   area -> a volunteer team located in or serving it             team ``-LOCATED_IN|SERVES->`` area
=========  ===========================================================  ==================================

So in one step a community committee reaches its members and staff and its sub-organisations; in two the
members of its compound branches, the compounds it leads through them... A compound counts as reached once
the compound or one of its buildings is reached. People reached are counted as Party members (``is_party_member``
or a Party post), building leaders (a ``building_leader`` post) and volunteers (a ``volunteer`` post or a
volunteer team's member); one person may count in several.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import date

import networkx as nx

from graph_service.analysis.common import directed_projection, is_current, org_active
from graph_service.domain.enums import PARTY_POSTS, AreaLevel, NodeLabel, OrgKind, Post, RelType
from graph_service.errors import NotFoundError

__all__ = ["START_KINDS", "AreaRef", "MobilizationReach", "StepCount", "mobilization_reach", "resolve_start"]

#: The committees a mobilisation may start from.
START_KINDS: frozenset[str] = frozenset({OrgKind.STREET_COMMITTEE.value, OrgKind.COMMUNITY_COMMITTEE.value})

_ORG, _PERSON, _AREA = NodeLabel.ORGANIZATION.value, NodeLabel.PERSON.value, NodeLabel.AREA.value
_REACH_AREA = frozenset({RelType.LEADS.value, RelType.COVERS.value, RelType.SERVES.value})
_TEAM_IN_AREA = frozenset({RelType.LOCATED_IN.value, RelType.SERVES.value})
_TEAM = OrgKind.VOLUNTEER_TEAM.value
_PARTY_POSTS = frozenset(p.value for p in PARTY_POSTS)
# Plain-string codes for the walk below: an Enum member's ``.value`` is a descriptor call each time.
_SUB_ORG_OF, _MEMBER_OF, _SUNK_TO, _PART_OF = (
    RelType.SUB_ORG_OF.value,
    RelType.MEMBER_OF.value,
    RelType.SUNK_TO.value,
    RelType.PART_OF.value,
)
_COMPOUND, _BUILDING = AreaLevel.COMPOUND.value, AreaLevel.BUILDING.value
_BUILDING_LEADER, _VOLUNTEER = Post.BUILDING_LEADER.value, Post.VOLUNTEER.value


@dataclass(frozen=True)
class StepCount:
    """Everyone and everything reached within ``step`` steps (cumulative)."""

    step: int
    people: int
    party_members: int
    building_leaders: int
    volunteers: int
    organizations: int
    compounds: int


@dataclass(frozen=True)
class AreaRef:
    """A compound not reached within k steps; ``steps_needed`` when it is reached a few steps later."""

    id: str
    name: str
    steps_needed: int | None


@dataclass(frozen=True)
class MobilizationReach:
    """What a committee reaches in ``k`` steps, step by step, and the compounds under it it does not reach."""

    start_id: str
    start_kind: str
    area_id: str | None
    k: int
    by_step: tuple[StepCount, ...]
    compounds_total: int
    unreached: tuple[AreaRef, ...]

    @property
    def reached(self) -> StepCount:
        return self.by_step[-1]


def resolve_start(projection: nx.MultiDiGraph, start_id: str) -> str:
    """The committee to start from: ``start_id`` itself, or the committee leading the street/community ``start_id``.

    Raises ``NotFoundError`` for an unknown id and ``ValueError`` for anything that is not a street or community
    committee (or an area led by one).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("c", label="Organization", kind="community_committee"); g.add_node("a", label="Area", level="community")
    >>> _ = g.add_edge("c", "a", key="l", type="LEADS")
    >>> resolve_start(g, "a")
    'c'
    """
    if start_id not in projection:
        raise NotFoundError(f"no organisation or area with id {start_id!r}")
    attrs = projection.nodes[start_id]
    if attrs.get("label") == _AREA:
        leaders = [
            u
            for u, _, t in projection.in_edges(start_id, data="type")
            if t == RelType.LEADS.value and projection.nodes[u].get("kind") in START_KINDS
        ]
        if not leaders:
            raise ValueError(f"start {start_id!r}: no street or community committee leads this area")
        return str(sorted(leaders)[0])
    if attrs.get("kind") not in START_KINDS:
        raise ValueError(
            f"start {start_id!r} is a {attrs.get('kind') or attrs.get('label')}; "
            f"expected one of {', '.join(sorted(START_KINDS))} or the area one leads"
        )
    return start_id


def _steps(g: nx.MultiDiGraph, node: Hashable, on: date) -> Iterator[Hashable]:
    nodes = g._node  # the adjacency itself: the views cost a call per item, and every street walks 10^4 nodes
    label = nodes[node].get("label")
    if label == _ORG:
        for source, keyed in g._pred[node].items():
            for a in keyed.values():
                rel = a.get("type")
                if (rel == _SUB_ORG_OF and org_active(nodes[source], on)) or (rel == _MEMBER_OF and is_current(a, on)):
                    yield source
        for target, keyed in g._succ[node].items():
            for a in keyed.values():
                if a.get("type") in _REACH_AREA:
                    yield target
    elif label == _PERSON:
        for target, keyed in g._succ[node].items():
            for a in keyed.values():
                rel = a.get("type")
                if not is_current(a, on):
                    continue
                if rel == _SUNK_TO or (
                    rel == _MEMBER_OF and nodes[target].get("kind") == _TEAM and org_active(nodes[target], on)
                ):
                    yield target
    elif label == _AREA:
        for source, keyed in g._pred[node].items():
            for a in keyed.values():
                if a.get("type") in _TEAM_IN_AREA and nodes[source].get("kind") == _TEAM and org_active(nodes[source], on):
                    yield source


def _compound_of(g: nx.MultiDiGraph, area: Hashable) -> Hashable | None:
    nodes = g._node
    level = nodes[area].get("level")
    if level == _COMPOUND:
        return area
    if level == _BUILDING:
        for parent, keyed in g._succ[area].items():
            for a in keyed.values():
                if a.get("type") == _PART_OF and nodes[parent].get("level") == _COMPOUND:
                    found: Hashable = parent
                    return found
    return None


def _compounds_under(g: nx.MultiDiGraph, area: Hashable) -> set[Hashable]:
    found: set[Hashable] = set()
    frontier, seen = [area], {area}
    while frontier:
        current = frontier.pop()
        if g.nodes[current].get("level") == _COMPOUND:
            found.add(current)
            continue
        for child, _, rel in g.in_edges(current, data="type"):
            if rel == _PART_OF and child not in seen:
                seen.add(child)
                frontier.append(child)
    return found


def _person_roles(g: nx.MultiDiGraph, person: Hashable, on: date) -> tuple[bool, bool, bool]:
    nodes = g._node
    member = bool(nodes[person].get("is_party_member"))
    leader = volunteer = False
    for org, keyed in g._succ[person].items():
        for a in keyed.values():
            if a.get("type") != _MEMBER_OF or not is_current(a, on):
                continue
            post = a.get("post")
            member = member or post in _PARTY_POSTS
            leader = leader or post == _BUILDING_LEADER
            volunteer = volunteer or post == _VOLUNTEER or nodes[org].get("kind") == _TEAM
    return member, leader, volunteer


@directed_projection
def mobilization_reach(
    projection: nx.MultiDiGraph,
    start_id: str,
    *,
    k: int = 3,
    as_of: date | None = None,
    look_beyond: int = 3,
) -> MobilizationReach:
    """Whom and what a street or community committee reaches within ``k`` steps (traversal in the module docstring).

    Parameters
    ----------
    projection : networkx.MultiDiGraph
        The store's projection.
    start_id : str
        A street or community committee, or the street/community area it leads.
    k : int
        Steps allowed (1 to 20).
    as_of : date, optional
        Day posts, sinkings and organisations must be in force; today by default.
    look_beyond : int
        For a compound not reached within ``k`` steps, how many further steps to look to report ``steps_needed``.

    Returns
    -------
    MobilizationReach
        Cumulative counts for steps 0..k and the compounds under the committee's area not reached.

    Examples
    --------
    A community committee whose branch leads compound ``c1``; compound ``c2`` has no branch:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("cc", {"label": "Organization", "kind": "community_committee"}),
    ...                   ("br", {"label": "Organization", "kind": "compound_branch"}),
    ...                   ("comm", {"label": "Area", "level": "community"}),
    ...                   ("c1", {"label": "Area", "level": "compound", "name": "一号"}),
    ...                   ("c2", {"label": "Area", "level": "compound", "name": "二号"}),
    ...                   ("m", {"label": "Person", "is_party_member": True})])
    >>> for key, (u, v, t) in enumerate([("cc", "comm", "LEADS"), ("br", "cc", "SUB_ORG_OF"), ("br", "c1", "LEADS"),
    ...                                  ("c1", "comm", "PART_OF"), ("c2", "comm", "PART_OF"), ("m", "br", "MEMBER_OF")]):
    ...     _ = g.add_edge(u, v, key=str(key), type=t, post="member")
    >>> reach = mobilization_reach(g, "cc", k=2)
    >>> [(s.step, s.party_members, s.compounds) for s in reach.by_step]
    [(0, 0, 0), (1, 0, 0), (2, 1, 1)]
    >>> [(a.id, a.steps_needed) for a in reach.unreached]
    [('c2', None)]
    """
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= 20:
        raise ValueError(f"k must be an integer from 1 to 20, got {k!r}")
    if isinstance(look_beyond, bool) or not isinstance(look_beyond, int) or look_beyond < 0:
        raise ValueError(f"look_beyond must be a non-negative integer, got {look_beyond!r}")
    on = as_of or date.today()
    start = resolve_start(projection, start_id)
    if not org_active(projection.nodes[start], on):
        raise ValueError(f"start {start!r} is dissolved")
    horizon = k + look_beyond
    distance: dict[Hashable, int] = {start: 0}
    frontier: list[Hashable] = [start]
    for step in range(1, horizon + 1):
        following: list[Hashable] = []
        for node in frontier:
            for nxt in _steps(projection, node, on):
                if nxt not in distance:
                    distance[nxt] = step
                    following.append(nxt)
        frontier = following
        if not frontier:
            break
    nodes = projection._node
    compound_step: dict[Hashable, int] = {}
    for node, d in distance.items():
        if nodes[node].get("label") == _AREA:
            compound = _compound_of(projection, node)
            if compound is not None and d < compound_step.get(compound, horizon + 1):
                compound_step[compound] = d
    counts = [[0] * 6 for _ in range(k + 1)]  # people, members, leaders, volunteers, organisations, compounds
    for node, d in distance.items():
        if d > k:
            continue
        label = nodes[node].get("label")
        if label == _PERSON:
            roles = _person_roles(projection, node, on)
            counts[d][0] += 1
            for i, flag in enumerate(roles, start=1):
                counts[d][i] += flag
        elif label == _ORG and node != start:
            counts[d][4] += 1
    for d in compound_step.values():
        if d <= k:
            counts[d][5] += 1
    by_step, running = [], [0] * 6
    for step, row in enumerate(counts):
        running = [a + b for a, b in zip(running, row, strict=True)]
        by_step.append(StepCount(step, *running))
    led = [t for _, t, rel in projection.out_edges(start, data="type") if rel == RelType.LEADS.value]
    scope: set[Hashable] = set()
    for area in led:
        scope |= _compounds_under(projection, area)
    unreached = sorted(
        (
            AreaRef(str(c), str(projection.nodes[c].get("name", "")), compound_step.get(c))
            for c in scope
            if compound_step.get(c, horizon + 1) > k
        ),
        key=lambda a: (a.steps_needed is None, a.steps_needed or 0, a.id),
    )
    return MobilizationReach(
        start_id=str(start),
        start_kind=str(projection.nodes[start].get("kind")),
        area_id=str(led[0]) if led else None,
        k=k,
        by_step=tuple(by_step),
        compounds_total=len(scope),
        unreached=tuple(unreached),
    )
