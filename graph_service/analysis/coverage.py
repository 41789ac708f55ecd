"""Coverage of compounds: how far the organisational system reaches each compound (DOMAIN.md, "Under-covered").

Every gap of a compound is judged by its rule in ``domain.gaps`` over the compound's *measures*, which the store
computes once per compound (``services.coverage.compound_measures``: the same Cypher fragments the compound
filters of the API and the coverage figures use). So the analysis, a planner's filter and a figure give one
answer for one compound. The projection adds what a reader needs around the verdict: the community, street and
district, whether the branch secretary is also the owners' committee's director ("mature"), the property
management mode, which five-haves items are missing.

Each gap is a factor (``CoverageGap`` code, Chinese label, value, threshold, weight); a fired factor takes its
weight off a score of 100. A compound is under-covered when any factor fires (DOMAIN.md defines it so, and the
seed's ground truth counts a compound with any planted gap). The score ranks them (lowest first) by how much is
missing; those scoring below ``Standards.under_covered_below`` are marked ``priority``. The same indicators roll
up per community, street, district and city.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_service.analysis.common import GraphIndex, Thresholds, check_projection, graph_index
from graph_service.analysis.projection import areas_in_scope
from graph_service.domain.enums import AreaLevel, FiveHave, Post
from graph_service.domain.gaps import GAP_RULES, Measure, RuleKind
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
_SECRETARY = Post.SECRETARY.value
_OC_DIRECTOR = Post.OC_DIRECTOR.value


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
    measures: Iterable[Mapping[str, Any]],
    thresholds: Thresholds | None = None,
) -> list[CompoundCoverage]:
    """The coverage of every compound in ``measures``, lowest score first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection (``analysis.projection.ProjectionCache``) holding the compounds, for the context around each
        verdict (community, street, district, "mature", property mode, missing five-haves items).
    measures : iterable of mappings
        One per compound: ``id``, ``branch_id``, ``owners_committee_id`` and every ``domain.gaps.Measure`` by name,
        as ``services.coverage.compound_measures`` returns them.
    thresholds : Thresholds, optional
        Standards, gap weights and the day posts must be in force on; the defaults of ``domain.standards``.

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
    >>> m = {"id": "k", "branch_id": "br", "owners_committee_id": None, "households": 50, "branches": 1,
    ...      "owners_committees": 0, "cross_appointed": 0, "buildings": 1, "buildings_without_group": 1,
    ...      "buildings_without_leader": 1, "central_households": 0, "stations": 0, "property_managers": 0,
    ...      "sunk_staff": 0, "community_pairings": 0, "community_registered_members": 0, "five_haves_met": 0}
    >>> [c] = compound_coverage(g, [m])
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
    results = [_coverage(graph, ix, th, m) for m in measures]
    results.sort(key=lambda c: (c.score, c.compound_id))
    return results


def under_covered_compounds(
    graph: nx.MultiDiGraph, measures: Iterable[Mapping[str, Any]], thresholds: Thresholds | None = None
) -> list[CompoundCoverage]:
    """The under-covered compounds (any gap fired), lowest score first.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("k", label="Area", level="compound", name="空白小区")
    >>> empty = {"id": "k", "branches": 0, "buildings": 0, "buildings_without_group": 0, "buildings_without_leader": 0}
    >>> [c.compound_id for c in under_covered_compounds(g, [empty])]
    ['k']
    """
    return [c for c in compound_coverage(graph, measures, thresholds) if c.under_covered]


def _factor(th: Thresholds, gap: CoverageGap, m: Mapping[str, Any], detail: str = "") -> CoverageFactor:
    """The factor of ``gap``: fired by its rule (``domain.gaps``), its value the ratio or count the rule reads."""
    rule = GAP_RULES[gap]
    fired = rule.fires(m, th.standards)
    weight = th.coverage_weight(gap)
    ratio = rule.ratio(m)
    value = ratio if rule.kind is not RuleKind.NONE else _int(m.get(rule.measure.value))
    threshold = rule.threshold_value(th.standards) if rule.threshold else 1
    return CoverageFactor(gap.value, gap.label, value, threshold, weight, weight if fired else 0.0, fired, detail)


def _int(value: Any) -> int:
    return int(value or 0)


def _coverage(graph: nx.MultiDiGraph, ix: GraphIndex, th: Thresholds, m: Mapping[str, Any]) -> CompoundCoverage:
    st = th.standards
    compound = str(m["id"])
    attrs = graph.nodes[compound] if compound in graph else {}
    branch = m.get("branch_id")
    oc = m.get("owners_committee_id")
    secretaries = ix.holders(branch, frozenset({_SECRETARY})) if branch else set()
    directors = ix.holders(oc, frozenset({_OC_DIRECTOR})) if oc else set()
    mature = bool(secretaries & directors)
    managers = ix.managers.get(compound, [])
    modes = sorted({str(a.get("mode")) for _, a in managers if a.get("mode")})
    missing, five_detail = _five_haves(graph, branch, oc)
    n = {name: _int(m.get(name)) for name in (x.value for x in Measure) if name != Measure.HOUSEHOLDS.value}
    households = m.get(Measure.HOUSEHOLDS.value)
    buildings = n[Measure.BUILDINGS.value]
    without_group, without_leader = n[Measure.BUILDINGS_WITHOUT_GROUP.value], n[Measure.BUILDINGS_WITHOUT_LEADER.value]
    central = n[Measure.CENTRAL_HOUSEHOLDS.value]
    details = {
        CoverageGap.NO_CROSS_APPOINTMENT: "mature (secretary is OC director)" if mature else "",
        CoverageGap.BUILDINGS_WITHOUT_GROUP: f"{without_group} of {buildings} buildings",
        CoverageGap.BUILDINGS_WITHOUT_LEADER: f"{without_leader} of {buildings} buildings",
        CoverageGap.FEW_CENTRAL_HOUSEHOLDS: f"{central} for {households} households" if households else "households unknown",
        CoverageGap.NO_PROPERTY_MANAGEMENT: ",".join(modes),
        CoverageGap.FIVE_HAVES_MISSING: five_detail,
    }
    factors = tuple(_factor(th, gap, m, details.get(gap, "")) for gap in CoverageGap)
    score = max(0.0, 100.0 - sum(f.penalty for f in factors))
    community = ix.ancestor(compound, AreaLevel.COMMUNITY) if compound in graph else None
    return CompoundCoverage(
        compound_id=compound,
        name=str(attrs.get("name", "")),
        community_id=community,
        street_id=ix.ancestor(compound, AreaLevel.STREET) if compound in graph else None,
        district_id=ix.ancestor(compound, AreaLevel.DISTRICT) if compound in graph else None,
        households=households,
        branch_id=branch,
        owners_committee_id=oc,
        cross_appointed=n[Measure.CROSS_APPOINTED.value],
        mature=mature,
        buildings=buildings,
        buildings_with_group=buildings - without_group,
        buildings_with_leader=buildings - without_leader,
        central_households=central,
        central_households_per_100=(central * 100.0 / households) if households else None,
        stations=n[Measure.STATIONS.value],
        property_companies=n[Measure.PROPERTY_MANAGERS.value],
        property_mode=modes[0] if len(modes) == 1 else (",".join(modes) or None),
        sunk_staff=n[Measure.SUNK_STAFF.value],
        pairing_partners=n[Measure.COMMUNITY_PAIRINGS.value],
        registered_members=n[Measure.COMMUNITY_REGISTERED_MEMBERS.value],
        five_haves_missing=missing,
        score=score,
        under_covered=any(f.fired for f in factors),
        priority=score < st.under_covered_below,
        factors=factors,
    )


def _five_haves(graph: nx.MultiDiGraph, branch: str | None, oc: str | None) -> tuple[tuple[str, ...], str]:
    """Five-haves items the branch or the OC lacks (all when either is missing), and why, for the detail."""
    lacking: set[str] = set()
    reasons = []
    for role, org in (("branch", branch), ("OC", oc)):
        if org is None or org not in graph:
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


def coverage_rollups(
    graph: nx.MultiDiGraph,
    coverages: Sequence[CompoundCoverage],
    thresholds: Thresholds | None = None,
    *,
    levels: Sequence[AreaLevel] = ROLLUP_LEVELS,
) -> list[AreaCoverage]:
    """The compounds' indicators summed per community, street, district and city (areas with no compound too).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The projection the coverages were computed on.
    coverages : sequence of CompoundCoverage
        What ``compound_coverage`` found for the compounds of ``graph``.
    thresholds : Thresholds, optional
        The day the area hierarchy is read on (today when not given).
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
    >>> def measures(k, branches):
    ...     return {"id": k, "branch_id": "br" if branches else None, "branches": branches, "buildings": 0}
    >>> [c] = coverage_rollups(g, compound_coverage(g, [measures("k1", 1), measures("k2", 0)]))
    >>> c.area_id, c.compounds, c.with_branch, c.gaps["no_branch"]
    ('c', 2, 1, 1)
    """
    check_projection(graph)
    for level in levels:
        if level not in ROLLUP_LEVELS:
            raise ValueError(f"cannot roll up to level {level.value!r}; use one of {[lv.value for lv in ROLLUP_LEVELS]}")
    th = thresholds or Thresholds()
    ix = graph_index(graph, th.day())
    by_area: dict[str, list[CompoundCoverage]] = {}
    for cov in coverages:
        current: str | None = cov.compound_id
        while current is not None:
            by_area.setdefault(current, []).append(cov)
            current = ix.parent.get(current)
    in_scope = areas_in_scope(graph)
    out: list[AreaCoverage] = []
    for level in levels:
        for area in ix.area_levels(level):
            if in_scope is None or area in in_scope:
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
