"""Coverage of compounds: how far the organisational system reaches each compound (DOMAIN.md, "Under-covered").

For every live compound the indicators of DOMAIN.md: the branch leading it, its owners' committee (OC), cross-
appointment between the two, "mature" (the branch secretary is the OC director), the share of its buildings with
a Party group and with a building leader, central households per 100 households, a service station serving it,
property management and its mode, staff sunk to it, pairing partners and registered in-service members reaching
its community, the five-haves of its branch and OC. Each indicator is a factor (``CoverageGap`` code, Chinese
label, value, threshold, weight); a fired factor takes its weight off a score of 100.

A compound is under-covered when any factor fires: DOMAIN.md defines it so ("parts of the system do not reach
it: no branch ..., no service station ..., no OC or no cross-appointment ..."), and the seed's ground truth
counts a compound with any planted gap. The score ranks them (lowest first) by how much is missing; those
scoring below ``Standards.under_covered_below`` are marked ``priority``. The same indicators roll up per
community, street, district and city.

How the graph says it (what the seed generator and imports write):

* branch: a live ``compound_branch`` that ``LEADS`` the compound;
* OC: a live ``owners_committee`` ``LOCATED_IN`` the compound, or ``SUB_ORG_OF`` its branch;
* building with a group: a live ``building_group`` ``COVERS`` it;
* cross-appointment: someone holds a current Party post in the branch and a current post in the OC (a compound
  without either has none);
* building with a leader: someone living in it (``RESIDES_IN``) holds a current ``building_leader`` post;
* central households: live ``central_household`` organisations ``LOCATED_IN`` its buildings (or itself);
* station: a live ``service_station`` that ``SERVES`` it;
* property management: a current ``MANAGES`` (its ``mode``);
* sunk staff: current ``SUNK_TO`` the compound;
* pairing / registered members: current ``PAIRED_WITH`` / in-service people's current ``REGISTERED_WITH`` the
  community committee leading the compound's community;
* five-haves: the branch and the OC both hang a plaque (``has_plaque``) and list all five items (挂牌 + 五有).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_service.analysis.common import (
    OC_POST_CODES,
    PARTY_POST_CODES,
    GraphIndex,
    Thresholds,
    check_projection,
    graph_index,
)
from graph_service.domain.enums import AreaLevel, FiveHave, OrgKind, Post
from graph_service.domain.standards import CoverageGap

__all__ = [
    "ROLLUP_LEVELS",
    "AreaCoverage",
    "CompoundCoverage",
    "CoverageFactor",
    "compound_coverage",
    "coverage_rollups",
    "under_covered_compounds",
]

#: The levels ``coverage_rollups`` aggregates to.
ROLLUP_LEVELS: tuple[AreaLevel, ...] = (AreaLevel.COMMUNITY, AreaLevel.STREET, AreaLevel.DISTRICT, AreaLevel.CITY)

_ALL_FIVE_HAVES = tuple(f.value for f in FiveHave)
_BUILDING_LEADER = Post.BUILDING_LEADER.value
_SECRETARY = Post.SECRETARY.value
_OC_DIRECTOR = Post.OC_DIRECTOR.value
_GROUP = OrgKind.BUILDING_GROUP.value


@dataclass(frozen=True)
class CoverageFactor:
    """One indicator behind a coverage score: its gap code, value, threshold, weight and the points it took off."""

    code: str
    label: str
    value: float | int | bool | None
    threshold: float | int | bool | None
    weight: float
    penalty: float
    fired: bool
    detail: str = ""


@dataclass(frozen=True)
class CompoundCoverage:
    """A compound's coverage indicators, score (0-100, higher is better) and the factors behind the score."""

    compound_id: str
    name: str
    community_id: str | None
    street_id: str | None
    district_id: str | None
    households: int | None
    branch_id: str | None
    owners_committee_id: str | None
    cross_appointed: int
    mature: bool
    buildings: int
    buildings_with_group: int
    buildings_with_leader: int
    central_households: int
    central_households_per_100: float | None
    stations: int
    property_companies: int
    property_mode: str | None
    sunk_staff: int
    pairing_partners: int
    registered_members: int
    five_haves_missing: tuple[str, ...]
    score: float
    under_covered: bool
    priority: bool
    factors: tuple[CoverageFactor, ...]

    @property
    def gaps(self) -> tuple[str, ...]:
        """Codes of the factors that fired."""
        return tuple(f.code for f in self.factors if f.fired)

    @property
    def share_buildings_with_group(self) -> float | None:
        return None if not self.buildings else self.buildings_with_group / self.buildings

    @property
    def share_buildings_with_leader(self) -> float | None:
        return None if not self.buildings else self.buildings_with_leader / self.buildings


@dataclass(frozen=True)
class AreaCoverage:
    """The coverage indicators of the compounds under one community, street, district or city."""

    area_id: str
    name: str
    level: str
    compounds: int
    under_covered: int
    priority: int
    mean_score: float | None
    households: int
    with_branch: int
    with_owners_committee: int
    with_cross_appointment: int
    mature: int
    buildings: int
    buildings_with_group: int
    buildings_with_leader: int
    central_households: int
    central_households_per_100: float | None
    with_station: int
    with_property_management: int
    with_sunk_staff: int
    with_pairing: int
    with_registered_members: int
    five_haves_complete: int
    by_property_mode: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)

    @property
    def station_share(self) -> float | None:
        return None if not self.compounds else self.with_station / self.compounds


def compound_coverage(
    graph: nx.MultiDiGraph,
    thresholds: Thresholds | None = None,
    *,
    compounds: Iterable[str] | None = None,
) -> list[CompoundCoverage]:
    """The coverage of every live compound in ``graph`` (or of ``compounds``), lowest score first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection (``analysis.projection.get_projection``) or a hand-built graph of the same shape.
    thresholds : Thresholds, optional
        Standards, gap weights and the day posts must be in force on; the defaults of ``domain.standards``.
    compounds : iterable of str, optional
        Limit to these compound ids; unknown or non-compound ids raise ``ValueError`` naming them.

    Returns
    -------
    list of CompoundCoverage
        Ranked by score (lowest first), then by id.

    Examples
    --------
    A compound with one building, led by a branch, and nothing else:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", label="Area", level="compound", name="牡丹小区", households=50)
    >>> g.add_node("b", label="Area", level="building", name="1号楼")
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部")
    >>> _ = g.add_edge("b", "k", key="r1", type="PART_OF")
    >>> _ = g.add_edge("br", "k", key="r2", type="LEADS")
    >>> [c] = compound_coverage(g)
    >>> c.branch_id, c.buildings, c.buildings_with_group
    ('br', 1, 0)
    >>> "no_branch" in c.gaps, "buildings_without_group" in c.gaps
    (False, True)
    >>> c.score == max(0.0, 100 - sum(f.penalty for f in c.factors))
    True
    """
    check_projection(graph)
    th = thresholds or Thresholds()
    ix = graph_index(graph, th.day())
    if compounds is None:
        ids = ix.area_levels(AreaLevel.COMPOUND)
    else:
        ids = list(compounds)
        bad = [c for c in ids if ix.level.get(c) != AreaLevel.COMPOUND.value]
        if bad:
            raise ValueError(f"not live compounds of the graph: {', '.join(map(repr, bad))}")
    results = [_coverage(graph, ix, th, c) for c in ids]
    results.sort(key=lambda c: (c.score, c.compound_id))
    return results


def under_covered_compounds(graph: nx.MultiDiGraph, thresholds: Thresholds | None = None) -> list[CompoundCoverage]:
    """The under-covered compounds (any gap fired), lowest score first.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", label="Area", level="compound", name="空白小区")
    >>> [c.compound_id for c in under_covered_compounds(g)]
    ['k']
    """
    return [c for c in compound_coverage(graph, thresholds) if c.under_covered]


def _factor(th: Thresholds, gap: CoverageGap, fired: bool, value: Any, threshold: Any = None, detail: str = "") -> CoverageFactor:
    weight = th.coverage_weight(gap)
    return CoverageFactor(gap.value, gap.label, value, threshold, weight, weight if fired else 0.0, fired, detail)


def _first(items: Iterable[str]) -> str | None:
    return min(items, default=None)


def _coverage(graph: nx.MultiDiGraph, ix: GraphIndex, th: Thresholds, compound: str) -> CompoundCoverage:
    st = th.standards
    attrs = graph.nodes[compound]
    community = ix.ancestor(compound, AreaLevel.COMMUNITY)
    branches = ix.led_by(compound, OrgKind.COMPOUND_BRANCH)
    branch = _first(branches)
    ocs = owners_committees(ix, compound, branches)
    oc = _first(ocs)
    branch_people = set().union(*(ix.holders(b, PARTY_POST_CODES) for b in branches)) if branches else set()
    oc_people = set().union(*(ix.holders(o, OC_POST_CODES) for o in ocs)) if ocs else set()
    cross = branch_people & oc_people
    secretaries = set().union(*(ix.holders(b, frozenset({_SECRETARY})) for b in branches)) if branches else set()
    directors = set().union(*(ix.holders(o, frozenset({_OC_DIRECTOR})) for o in ocs)) if ocs else set()
    mature = bool(secretaries & directors)

    buildings = ix.descendants(compound, AreaLevel.BUILDING)
    with_group = [b for b in buildings if any(ix.kind.get(g) == _GROUP for g in ix.covered_by.get(b, ()))]
    with_leader = [b for b in buildings if _has_leader(ix, b)]

    households = _households(graph, ix, compound, buildings)
    central = _central_households(ix, compound, buildings)
    per_100 = None if not households else len(central) * 100.0 / households
    stations = sorted({o for o in ix.served_by.get(compound, ()) if ix.kind.get(o) == OrgKind.SERVICE_STATION.value})
    managers = ix.managers.get(compound, [])
    modes = sorted({str(a.get("mode")) for _, a in managers if a.get("mode")})
    sunk = {p for p, _ in ix.sunk.get(compound, ())}
    committees = ix.led_by(community, OrgKind.COMMUNITY_COMMITTEE) if community else []
    partners = {p for c in committees for p in ix.pairings.get(c, ())}
    registered = {p for c in committees for p in ix.registered_people.get(c, ())}
    missing, five_detail = _five_haves(graph, branch, oc)

    n_buildings = len(buildings)
    share_no_group = (n_buildings - len(with_group)) / n_buildings if n_buildings else None
    share_no_leader = (n_buildings - len(with_leader)) / n_buildings if n_buildings else None
    factors = (
        _factor(th, CoverageGap.NO_BRANCH, branch is None, branch is not None, True),
        _factor(th, CoverageGap.NO_OWNERS_COMMITTEE, oc is None, oc is not None, True),
        _factor(
            th,
            CoverageGap.NO_CROSS_APPOINTMENT,
            not cross,
            len(cross),
            1,
            "mature (secretary is OC director)" if mature else "",
        ),
        _factor(
            th,
            CoverageGap.BUILDINGS_WITHOUT_GROUP,
            share_no_group is not None and share_no_group > st.max_share_buildings_without_group,
            share_no_group,
            st.max_share_buildings_without_group,
            f"{n_buildings - len(with_group)} of {n_buildings} buildings",
        ),
        _factor(
            th,
            CoverageGap.BUILDINGS_WITHOUT_LEADER,
            share_no_leader is not None and share_no_leader > st.max_share_buildings_without_leader,
            share_no_leader,
            st.max_share_buildings_without_leader,
            f"{n_buildings - len(with_leader)} of {n_buildings} buildings",
        ),
        _factor(
            th,
            CoverageGap.FEW_CENTRAL_HOUSEHOLDS,
            per_100 is not None and per_100 < st.min_central_households_per_100,
            per_100,
            st.min_central_households_per_100,
            f"{len(central)} for {households} households" if households else "households unknown",
        ),
        _factor(th, CoverageGap.NO_STATION, not stations, len(stations), 1),
        _factor(th, CoverageGap.NO_PROPERTY_MANAGEMENT, not managers, len(managers), 1, ",".join(modes) if modes else ""),
        _factor(th, CoverageGap.NO_SUNK_STAFF, not sunk, len(sunk), 1),
        _factor(th, CoverageGap.NO_PAIRING, not partners, len(partners), 1, "" if committees else "no community committee"),
        _factor(th, CoverageGap.NO_REGISTERED_MEMBERS, not registered, len(registered), 1),
        _factor(th, CoverageGap.FIVE_HAVES_MISSING, bool(missing), 5 - len(missing), 5, five_detail),
    )
    score = max(0.0, 100.0 - sum(f.penalty for f in factors))
    return CompoundCoverage(
        compound_id=compound,
        name=str(attrs.get("name", "")),
        community_id=community,
        street_id=ix.ancestor(compound, AreaLevel.STREET),
        district_id=ix.ancestor(compound, AreaLevel.DISTRICT),
        households=households,
        branch_id=branch,
        owners_committee_id=oc,
        cross_appointed=len(cross),
        mature=mature,
        buildings=n_buildings,
        buildings_with_group=len(with_group),
        buildings_with_leader=len(with_leader),
        central_households=len(central),
        central_households_per_100=per_100,
        stations=len(stations),
        property_companies=len({c for c, _ in managers}),
        property_mode=modes[0] if len(modes) == 1 else (",".join(modes) or None),
        sunk_staff=len(sunk),
        pairing_partners=len(partners),
        registered_members=len(registered),
        five_haves_missing=missing,
        score=score,
        under_covered=any(f.fired for f in factors),
        priority=score < st.under_covered_below,
        factors=factors,
    )


def owners_committees(ix: GraphIndex, compound: str, branches: Sequence[str]) -> list[str]:
    """Live owners' committees of ``compound``: located in it, or under one of its branches."""
    found = {o for o in ix.located.get(compound, ()) if ix.kind.get(o) == OrgKind.OWNERS_COMMITTEE.value}
    for branch in branches:
        found.update(o for o in ix.org_children.get(branch, ()) if ix.kind.get(o) == OrgKind.OWNERS_COMMITTEE.value)
    return sorted(found)


def _five_haves(graph: nx.MultiDiGraph, branch: str | None, oc: str | None) -> tuple[tuple[str, ...], str]:
    """Five-haves items the branch or the OC lacks (all when either is missing), and why, for the detail."""
    lacking: set[str] = set()
    reasons = []
    for role, org in (("branch", branch), ("OC", oc)):
        if org is None:
            lacking.update(_ALL_FIVE_HAVES)
            reasons.append(f"no {role}")
            continue
        attrs = graph.nodes[org]
        items = set(attrs.get("five_haves") or ())
        short = [f for f in _ALL_FIVE_HAVES if f not in items]
        lacking.update(short)
        if short:
            reasons.append(f"{role} lacks {','.join(short)}")
        if attrs.get("has_plaque") is not True:
            reasons.append(f"{role} has no plaque")
            lacking.add("plaque")
    order = (*_ALL_FIVE_HAVES, "plaque")
    return tuple(f for f in order if f in lacking), "; ".join(reasons)


def _has_leader(ix: GraphIndex, building: str) -> bool:
    return any(any(post == _BUILDING_LEADER for _, post in ix.person_posts.get(p, ())) for p in ix.residents.get(building, ()))


def _households(graph: nx.MultiDiGraph, ix: GraphIndex, compound: str, buildings: Sequence[str]) -> int | None:
    value = graph.nodes[compound].get("households")
    if isinstance(value, int) and value > 0:
        return value
    total = sum(int(graph.nodes[b].get("households") or 0) for b in buildings)
    return total or None


def _central_households(ix: GraphIndex, compound: str, buildings: Sequence[str]) -> set[str]:
    # A central household is a household: it sits in a building, whichever group it reports to.
    kind = OrgKind.CENTRAL_HOUSEHOLD.value
    found: set[str] = set()
    for area in (compound, *buildings):
        found.update(o for o in ix.located.get(area, ()) if ix.kind.get(o) == kind)
    return found


def coverage_rollups(
    graph: nx.MultiDiGraph,
    coverages: Sequence[CompoundCoverage] | None = None,
    thresholds: Thresholds | None = None,
    *,
    levels: Sequence[AreaLevel] = ROLLUP_LEVELS,
) -> list[AreaCoverage]:
    """The compounds' indicators summed per community, street, district and city (areas with no compound too).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection the coverages were computed on.
    coverages : sequence of CompoundCoverage, optional
        ``compound_coverage(graph, thresholds)`` when not given.
    thresholds : Thresholds, optional
        Used only to compute ``coverages`` when they are not given.
    levels : sequence of AreaLevel
        Levels to roll up to; compounds and buildings are refused.

    Returns
    -------
    list of AreaCoverage
        Ordered by level (as ``levels``), then by area id.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("c", label="Area", level="community", name="社区")
    >>> for k in ("k1", "k2"):
    ...     g.add_node(k, label="Area", level="compound", name=k)
    ...     _ = g.add_edge(k, "c", key=f"{k}-c", type="PART_OF")
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部")
    >>> _ = g.add_edge("br", "k1", key="lead", type="LEADS")
    >>> [c] = coverage_rollups(g)
    >>> c.area_id, c.compounds, c.with_branch, c.gaps["no_branch"]
    ('c', 2, 1, 1)
    """
    check_projection(graph)
    for level in levels:
        if level not in ROLLUP_LEVELS:
            raise ValueError(f"cannot roll up to level {level.value!r}; use one of {[lv.value for lv in ROLLUP_LEVELS]}")
    th = thresholds or Thresholds()
    ix = graph_index(graph, th.day())
    items = list(coverages) if coverages is not None else compound_coverage(graph, th)
    by_area: dict[str, list[CompoundCoverage]] = {}
    for cov in items:
        current: str | None = cov.compound_id
        while current is not None:
            by_area.setdefault(current, []).append(cov)
            current = ix.parent.get(current)
    out: list[AreaCoverage] = []
    for level in levels:
        for area in ix.area_levels(level):
            out.append(_rollup(graph, area, level, by_area.get(area, [])))
    return out


def _rollup(graph: nx.MultiDiGraph, area: str, level: AreaLevel, items: Sequence[CompoundCoverage]) -> AreaCoverage:
    households = sum(c.households or 0 for c in items)
    central = sum(c.central_households for c in items)
    gaps: Counter[str] = Counter(g for c in items for g in c.gaps)
    modes: Counter[str] = Counter(c.property_mode for c in items if c.property_mode)
    return AreaCoverage(
        area_id=area,
        name=str(graph.nodes[area].get("name", "")),
        level=level.value,
        compounds=len(items),
        under_covered=sum(c.under_covered for c in items),
        priority=sum(c.priority for c in items),
        mean_score=(sum(c.score for c in items) / len(items)) if items else None,
        households=households,
        with_branch=sum(c.branch_id is not None for c in items),
        with_owners_committee=sum(c.owners_committee_id is not None for c in items),
        with_cross_appointment=sum(c.cross_appointed > 0 for c in items),
        mature=sum(c.mature for c in items),
        buildings=sum(c.buildings for c in items),
        buildings_with_group=sum(c.buildings_with_group for c in items),
        buildings_with_leader=sum(c.buildings_with_leader for c in items),
        central_households=central,
        central_households_per_100=(central * 100.0 / households) if households else None,
        with_station=sum(c.stations > 0 for c in items),
        with_property_management=sum(c.property_companies > 0 for c in items),
        with_sunk_staff=sum(c.sunk_staff > 0 for c in items),
        with_pairing=sum(c.pairing_partners > 0 for c in items),
        with_registered_members=sum(c.registered_members > 0 for c in items),
        five_haves_complete=sum(not c.five_haves_missing for c in items),
        by_property_mode=dict(sorted(modes.items())),
        gaps=dict(sorted(gaps.items())),
    )
