"""Pairing recommendations (结对共建): which unit Party organisation should pair with which community, by min-cost flow.

Demand. A community wants ``1 + under_covered // compounds_per_pairing`` live pairings (one, plus one more for every
``compounds_per_pairing`` under-covered compounds in it, when the coverage analysis is supplied); what it already
has is subtracted. Pairings are made with the community Party committee leading the community.

Supply. A unit's Party organisation can support ``capacity`` communities (the organisation's ``capacity``
property; ``default_capacity`` when it has none); its live pairings use part of that.

Costs (integers, as ``networkx.network_simplex`` needs). A proposal costs where the unit is relative to the
community (same street < same district < place unknown < other district), plus ``not_registered`` when the unit has
not checked in with that community (双报到), plus a load cost that grows with each pairing the unit carries
(``load_step`` × pairings so far, live and proposed): the flow spreads proposals over lightly loaded units
instead of piling them on the nearest one. Maximum flow first, then minimum cost (``networkx.max_flow_min_cost``): as
much demand as the capacities allow is met, at the least cost. A live pairing is never proposed again (an ended
one may be renewed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

import networkx as nx

from graph_service.analysis.common import directed_projection, is_current, org_active
from graph_service.analysis.flow import FlowNetwork
from graph_service.domain.enums import AreaLevel, NodeLabel, OrgKind, RelType, UnitType
from graph_service.heap import gc_paused

__all__ = [
    "UNMET_REASON_LABELS",
    "PairingCosts",
    "PairingPlan",
    "Proposal",
    "Reason",
    "UnmetDemand",
    "community_demand",
    "recommend_pairings",
]

_AREA = NodeLabel.AREA.value
# The enums' values once: an enum member's ``.value`` is a descriptor call, and some loops below visit every node
# of the projection (1.7 million at scale 10).
_COMMUNITY = AreaLevel.COMMUNITY.value
_STREET = AreaLevel.STREET.value
_DISTRICT = AreaLevel.DISTRICT.value
_UNIT_PARTY_ORG = OrgKind.UNIT_PARTY_ORG.value
_COMMUNITY_COMMITTEE = OrgKind.COMMUNITY_COMMITTEE.value
_PART_OF = RelType.PART_OF.value
_SUB_ORG_OF = RelType.SUB_ORG_OF.value
_LOCATED_IN = RelType.LOCATED_IN.value
_LEADS = RelType.LEADS.value
_PAIRED_WITH = RelType.PAIRED_WITH.value
_REGISTERED_WITH = RelType.REGISTERED_WITH.value
#: Under-covered compounds one more pairing is wanted for, unless the caller says otherwise.
_COMPOUNDS_PER_PAIRING = 3
_PLACE_LABELS = {
    "same_street": "同一街道",
    "same_district": "同一县区",
    "unknown_place": "单位所在地不明",
    "other_district": "跨县区",
}


@dataclass(frozen=True)
class PairingCosts:
    """Integer costs of a proposal (lower is preferred); see the module docstring."""

    same_street: int = 0
    same_district: int = 10
    unknown_place: int = 60
    other_district: int = 100
    not_registered: int = 5
    load_step: int = 5

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"PairingCosts.{name} must be a non-negative integer, got {value!r}")

    def place(self, relation: str) -> int:
        return int(getattr(self, relation))


@dataclass(frozen=True)
class Reason:
    """One reason behind a proposal: a code, its Chinese label and the value."""

    code: str
    label: str
    value: str


@dataclass(frozen=True)
class Proposal:
    """A proposed pairing of a unit's Party organisation with a community committee, and why."""

    unit_org_id: str
    unit_org_name: str
    unit_type: str | None
    community_id: str
    community_name: str
    committee_id: str
    cost: int
    live_pairings: int
    capacity: int
    proposed_for_unit: int
    reasons: tuple[Reason, ...]


#: Why a community's demand is left unmet, in the words staff read.
UNMET_REASON_LABELS: dict[str, str] = {
    "no_committee": "社区没有社区党组织，无法结对",
    "no_capacity": "可结对的驻区单位余量不足",
}


@dataclass(frozen=True)
class UnmetDemand:
    """Pairings a community still needs after the plan, and why they were not found."""

    community_id: str
    community_name: str
    committee_id: str | None
    demand: int
    met: int
    reason: str

    @property
    def unmet(self) -> int:
        return self.demand - self.met

    @property
    def reason_label(self) -> str:
        return UNMET_REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class PairingPlan:
    """The proposals, the demand left unmet, and the totals (``total_cost`` is the flow's cost)."""

    proposals: tuple[Proposal, ...]
    unmet: tuple[UnmetDemand, ...]
    demand_total: int
    supply_total: int
    total_cost: int


def _ancestors(g: nx.MultiDiGraph, area: Hashable) -> dict[str, str]:
    """Level -> area id for ``area`` and the areas above it."""
    found: dict[str, str] = {}
    current: Hashable | None = area
    for _ in range(10):
        if current is None:
            break
        found.setdefault(str(g.nodes[current].get("level")), str(current))
        current = next((t for _, t, r in g.out_edges(current, data="type") if r == _PART_OF), None)
    return found


def _unit_place(g: nx.MultiDiGraph, org: Hashable) -> dict[str, str]:
    """Where a unit's Party organisation is: its own LOCATED_IN area, else its unit's."""
    candidates = [org] + [t for _, t, r in g.out_edges(org, data="type") if r == _SUB_ORG_OF]
    for node in candidates:
        for _, target, rel in g.out_edges(node, data="type"):
            if rel == _LOCATED_IN and g.nodes[target].get("label") == _AREA:
                return _ancestors(g, target)
    return {}


def _relation(unit: Mapping[str, str], community: Mapping[str, str]) -> str:
    street, district = unit.get(_STREET), unit.get(_DISTRICT)
    if street and street == community.get(_STREET):
        return "same_street"
    if district and district == community.get(_DISTRICT):
        return "same_district"
    if not district and not street:
        return "unknown_place"
    return "other_district"


@directed_projection
def community_demand(
    projection: nx.MultiDiGraph,
    *,
    under_covered: Mapping[str, int] | None = None,
    compounds_per_pairing: int = _COMPOUNDS_PER_PAIRING,
    as_of: date | None = None,
) -> dict[str, int]:
    """Pairings each community still needs: ``1 + under_covered // compounds_per_pairing`` minus its live pairings.

    Parameters
    ----------
    projection : networkx.MultiDiGraph
        The store's projection.
    under_covered : mapping of str to int, optional
        Under-covered compounds per community id (from the coverage analysis); none counted when omitted.
    compounds_per_pairing : int
        Under-covered compounds one more pairing is wanted for.
    as_of : date, optional
        Day pairings must be in force; today by default.

    Returns
    -------
    dict
        Community area id -> pairings wanted (only communities wanting at least one).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"label": "Area", "level": "community"}), ("b", {"label": "Area", "level": "community"}),
    ...                   ("cb", {"label": "Organization", "kind": "community_committee"}),
    ...                   ("u", {"label": "Organization", "kind": "unit_party_org"})])
    >>> _ = g.add_edge("cb", "b", key="l", type="LEADS"); _ = g.add_edge("u", "cb", key="p", type="PAIRED_WITH")
    >>> community_demand(g, under_covered={"b": 3})
    {'a': 1, 'b': 1}
    """
    _check_demand_inputs(under_covered, compounds_per_pairing)
    communities = _scan(projection)[0]
    return _demand(projection, communities, under_covered or {}, compounds_per_pairing, as_of or date.today(), {})


#: Per community: its committee (None without one) and the units it is paired with on the day.
_Links = dict[Hashable, tuple[Hashable | None, set[Hashable]]]


def _check_demand_inputs(under_covered: Mapping[str, int] | None, compounds_per_pairing: int) -> None:
    if isinstance(compounds_per_pairing, bool) or not isinstance(compounds_per_pairing, int) or compounds_per_pairing < 1:
        raise ValueError(f"compounds_per_pairing must be a positive integer, got {compounds_per_pairing!r}")
    for community, count in (under_covered or {}).items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"under_covered[{community!r}] must be a non-negative integer, got {count!r}")


def _demand(
    g: nx.MultiDiGraph,
    communities: list[Hashable],
    under_covered: Mapping[str, int],
    compounds_per_pairing: int,
    on: date,
    links: _Links,
) -> dict[str, int]:
    """``community_demand``'s answer; each community's committee and live partners are filed in ``links`` so the
    plan does not look them up a second time (a committee's in-edges are many: its members' check-ins)."""
    wanted: dict[str, int] = {}
    for area in communities:
        community = str(area)
        committee = _committee(g, area, on)
        partners = _live_partners(g, committee, on) if committee is not None else set()
        links[area] = (committee, partners)
        need = 1 + under_covered.get(community, 0) // compounds_per_pairing - (len(partners) if committee else 0)
        if need > 0:
            wanted[community] = need
    return wanted


def _scan(g: nx.MultiDiGraph) -> tuple[list[Hashable], list[tuple[Hashable, Mapping[str, Any]]]]:
    """The communities (by id) and the unit Party organisations with their attributes, in one pass over the nodes
    (1.7 million at scale 10; the node dict itself, as the views cost a call per node)."""
    communities: list[Hashable] = []
    unit_orgs: list[tuple[Hashable, Mapping[str, Any]]] = []
    for n, a in g._node.items():
        if a.get("label") == _AREA:
            if a.get("level") == _COMMUNITY:
                communities.append(n)
        elif a.get("kind") == _UNIT_PARTY_ORG:  # an area is never a live organisation (``org_active``)
            unit_orgs.append((n, a))
    communities.sort(key=str)
    return communities, unit_orgs


def _committee(g: nx.MultiDiGraph, community: Hashable, on: date) -> Hashable | None:
    leaders = sorted(
        (
            u
            for u, _, r in g.in_edges(community, data="type")
            if r == _LEADS and g.nodes[u].get("kind") == _COMMUNITY_COMMITTEE and org_active(g.nodes[u], on)
        ),
        key=str,
    )
    return leaders[0] if leaders else None


def _live_partners(g: nx.MultiDiGraph, committee: Hashable, on: date) -> set[Hashable]:
    return {u for u, _, a in g.in_edges(committee, data=True) if a.get("type") == _PAIRED_WITH and is_current(a, on)}


@directed_projection
def recommend_pairings(
    projection: nx.MultiDiGraph,
    *,
    demand: Mapping[str, int] | None = None,
    under_covered: Mapping[str, int] | None = None,
    costs: PairingCosts | None = None,
    default_capacity: int = 0,
    cross_district_candidates: int = 10,
    as_of: date | None = None,
) -> PairingPlan:
    """New pairings meeting as much demand as capacities allow, at the least cost (module docstring).

    Parameters
    ----------
    projection : networkx.MultiDiGraph
        The store's projection (the whole city: units anywhere may serve).
    demand : mapping of str to int, optional
        Community area id -> pairings wanted; ``community_demand(projection, under_covered=...)`` when omitted.
    under_covered : mapping of str to int, optional
        Under-covered compounds per community, passed to ``community_demand`` when ``demand`` is omitted.
    costs : PairingCosts, optional
        The integer costs; the defaults prefer the same street, then the same district.
    default_capacity : int
        Capacity of a unit's Party organisation that records none (0: such units are not offered).
    cross_district_candidates : int
        Per community, how many units outside its district (the least loaded) are considered besides every
        unit of its own district; bounds the size of the flow network.
    as_of : date, optional
        Day pairings must be in force; today by default.

    Returns
    -------
    PairingPlan
        Proposals (each with its reasons), unmet demand, totals.

    Examples
    --------
    Two communities want a pairing, one unit of the same district has room for one:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("d", {"label": "Area", "level": "district"}), ("s", {"label": "Area", "level": "street"}),
    ...                   ("c1", {"label": "Area", "level": "community", "name": "东社区"}),
    ...                   ("c2", {"label": "Area", "level": "community", "name": "西社区"}),
    ...                   ("k1", {"label": "Organization", "kind": "community_committee"}),
    ...                   ("k2", {"label": "Organization", "kind": "community_committee"}),
    ...                   ("u", {"label": "Organization", "kind": "unit_party_org", "capacity": 1})])
    >>> for key, (a, b, t) in enumerate([("s", "d", "PART_OF"), ("c1", "s", "PART_OF"), ("c2", "d", "PART_OF"),
    ...                                  ("k1", "c1", "LEADS"), ("k2", "c2", "LEADS"), ("u", "s", "LOCATED_IN")]):
    ...     _ = g.add_edge(a, b, key=str(key), type=t)
    >>> plan = recommend_pairings(g)
    >>> [(p.unit_org_id, p.community_id, p.cost) for p in plan.proposals]
    [('u', 'c1', 5)]
    >>> [(u.community_id, u.unmet) for u in plan.unmet]
    [('c2', 1)]
    """
    cost = costs or PairingCosts()
    if isinstance(default_capacity, bool) or not isinstance(default_capacity, int) or default_capacity < 0:
        raise ValueError(f"default_capacity must be a non-negative integer, got {default_capacity!r}")
    if (
        isinstance(cross_district_candidates, bool)
        or not isinstance(cross_district_candidates, int)
        or cross_district_candidates < 0
    ):
        raise ValueError(f"cross_district_candidates must be a non-negative integer, got {cross_district_candidates!r}")
    on = as_of or date.today()
    links: _Links = {}
    communities, unit_orgs = _scan(projection)
    if demand is None:
        _check_demand_inputs(under_covered, _COMPOUNDS_PER_PAIRING)
        wanted = _demand(projection, communities, under_covered or {}, _COMPOUNDS_PER_PAIRING, on, links)
    else:
        wanted = dict(demand)
    for community, count in wanted.items():
        if community not in projection or projection.nodes[community].get("level") != _COMMUNITY:
            raise ValueError(f"demand names {community!r}, which is not a community of the graph")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"demand[{community!r}] must be a non-negative integer, got {count!r}")
    wanted = {c: n for c, n in sorted(wanted.items()) if n > 0}
    with gc_paused():  # the flow network's million objects would make the GC walk the projection many times
        return _plan(projection, wanted, unit_orgs, cost, default_capacity, cross_district_candidates, on, links)


def _plan(
    projection: nx.MultiDiGraph,
    wanted: dict[str, int],
    unit_orgs: list[tuple[Hashable, Mapping[str, Any]]],
    cost: PairingCosts,
    default_capacity: int,
    cross_district_candidates: int,
    on: date,
    links: _Links,
) -> PairingPlan:
    units = _supply(projection, unit_orgs, default_capacity, on)
    places = {u: _unit_place(projection, u) for u in units}
    registered: dict[Hashable, set[Hashable]] = {}
    for u in units:
        for _, target, a in projection.out_edges(u, data=True):
            if a.get("type") == _REGISTERED_WITH and is_current(a, on):
                registered.setdefault(u, set()).add(target)

    flow_net = FlowNetwork()
    source, sink = ("source",), ("sink",)
    unit_node: dict[Hashable, tuple[str, Hashable]] = {}
    for u, (capacity, live) in units.items():
        unit_node[u] = node = ("unit", u)
        for i in range(capacity - live):
            # Convex load cost: the unit's n-th pairing costs more than its (n-1)-th, so proposals spread out.
            slot = ("slot", u, i)
            flow_net.add_arc(source, slot, 1, cost.load_step * (live + i))
            flow_net.add_arc(slot, node, 1, 0)
    # A proposal's cost by (place relation, checked in with the community); the plan's 240,000 arcs at scale 10
    # take theirs from here, and only the chosen ones have their reasons worked out again below.
    price = {
        (relation, checked_in): cost.place(relation) + (0 if checked_in else cost.not_registered)
        for relation in _PLACE_LABELS
        for checked_in in (False, True)
    }
    no_registrations: set[Hashable] = set()
    unmet_reason: dict[str, str] = {}
    committees: dict[str, Hashable | None] = {}
    community_places: dict[str, dict[str, str]] = {}
    by_district: dict[str | None, list[Hashable]] = defaultdict(list)
    for u in units:
        by_district[places[u].get(_DISTRICT)].append(u)
    lightest = sorted(units, key=lambda u: (units[u][1] / max(units[u][0], 1), str(u)))
    for community, need in wanted.items():
        found = links.get(community)
        committee = _committee(projection, community, on) if found is None else found[0]
        committees[community] = committee
        if committee is None:
            unmet_reason[community] = "no_committee"
            continue
        place = community_places[community] = _ancestors(projection, community)
        partners = _live_partners(projection, committee, on) if found is None else found[1]
        district = place.get(_DISTRICT)
        near = by_district.get(district, []) if district else []
        near_set = set(near)
        far = list(islice((u for u in lightest if u not in near_set), cross_district_candidates))
        target = ("community", community)
        for u in [*near, *far]:
            if u in partners:
                continue  # never duplicate a live pairing
            checked_in = committee in registered.get(u, no_registrations)
            flow_net.add_arc(unit_node[u], target, 1, price[_relation(places[u], place), checked_in])
        flow_net.add_arc(target, sink, need, 0)
    flow_net.add_node(source)
    flow_net.add_node(sink)

    # The same flow as networkx.max_flow_min_cost on these arcs (analysis.flow), in a fraction of its time.
    carried, total_cost = flow_net.max_flow_min_cost(source, sink)
    chosen = sorted(
        (a[1], b[1])
        for (a, b), amount in carried.items()
        if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == "unit" and amount > 0
    )
    per_unit: dict[Hashable, int] = defaultdict(int)
    for u, _ in chosen:
        per_unit[u] += 1
    proposals = [
        _proposal(
            projection,
            u,
            c,
            committees[c],
            (_relation(places[u], community_places[c]), committees[c] in registered.get(u, no_registrations)),
            units[u],
            per_unit[u],
            cost,
        )
        for u, c in chosen
    ]
    met: dict[str, int] = defaultdict(int)
    for _, c in chosen:
        met[c] += 1
    unmet = tuple(
        UnmetDemand(
            community_id=c,
            community_name=str(projection.nodes[c].get("name", "")),
            committee_id=None if committees.get(c) is None else str(committees[c]),
            demand=need,
            met=met[c],
            reason=unmet_reason.get(c, "no_capacity"),
        )
        for c, need in wanted.items()
        if met[c] < need
    )
    proposals.sort(key=lambda p: (p.community_id, p.cost, p.unit_org_id))
    return PairingPlan(
        proposals=tuple(proposals),
        unmet=unmet,
        demand_total=sum(wanted.values()),
        supply_total=sum(cap - live for cap, live in units.values()),
        total_cost=total_cost,
    )


def _supply(
    g: nx.MultiDiGraph, unit_orgs: list[tuple[Hashable, Mapping[str, Any]]], default_capacity: int, on: date
) -> dict[Hashable, tuple[int, int]]:
    """Unit Party organisations (``_scan``'s) with spare capacity: id -> (capacity, live pairings)."""
    found: dict[Hashable, tuple[int, int]] = {}
    for node, attrs in unit_orgs:
        if not org_active(attrs, on):
            continue
        capacity = attrs.get("capacity")
        capacity = default_capacity if capacity is None else int(capacity)
        live = sum(1 for _, _, a in g.out_edges(node, data=True) if a.get("type") == _PAIRED_WITH and is_current(a, on))
        if capacity > live:
            found[node] = (capacity, live)
    return found


def _proposal(
    g: nx.MultiDiGraph,
    unit: Hashable,
    community: str,
    committee: Hashable | None,
    arc: tuple[str, bool],
    supply: tuple[int, int],
    proposed: int,
    cost: PairingCosts,
) -> Proposal:
    relation, registered = arc
    capacity, live = supply
    attrs = g.nodes[unit]
    unit_type = attrs.get("unit_type")
    try:
        unit_type_label = UnitType(unit_type).label if unit_type else ""
    except ValueError:
        unit_type_label = ""
    reasons = (
        Reason(relation, _PLACE_LABELS[relation], str(cost.place(relation))),
        Reason(
            "registered" if registered else "not_registered",
            "已在该社区双报到" if registered else "未在该社区报到",
            str(registered).lower(),
        ),
        Reason("live_pairings", "现有结对数", str(live)),
        Reason("capacity", "可结对社区数", str(capacity)),
        Reason("proposed_for_unit", "本方案为该单位新增结对数", str(proposed)),
        Reason("spare_after", "方案后剩余结对能力", str(capacity - live - proposed)),
        Reason("unit_type", "单位类型", unit_type_label or str(unit_type or "")),
    )
    return Proposal(
        unit_org_id=str(unit),
        unit_org_name=str(attrs.get("name", "")),
        unit_type=None if unit_type is None else str(unit_type),
        community_id=community,
        community_name=str(g.nodes[community].get("name", "")),
        committee_id=str(committee),
        cost=cost.place(relation) + (0 if registered else cost.not_registered),
        live_pairings=live,
        capacity=capacity,
        proposed_for_unit=proposed,
        reasons=reasons,
    )
