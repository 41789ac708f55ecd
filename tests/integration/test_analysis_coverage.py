"""Coverage of compounds: each factor on its own, on a healthy hand-built city with one thing broken.

The city is written into a real store and the gaps judged on the measures the store computes, as in service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from graph_service.analysis.common import DEFAULT_COVERAGE_WEIGHTS, Thresholds
from graph_service.analysis.coverage import compound_coverage, coverage_rollups, under_covered_compounds
from graph_service.domain.enums import AreaLevel
from graph_service.domain.standards import DEFAULT_STANDARDS, CoverageGap
from tests.integration.graph_store import analysed
from tests.unit.analysis_graphs import (
    AS_OF,
    area,
    edge,
    edges_of,
    healthy_city,
    org,
    person,
    post,
    remove_activities,
    remove_edges,
)

TH = Thresholds(as_of=AS_OF)


def _all(g: nx.MultiDiGraph, where: Path, th: Thresholds = TH):
    graph, measures = analysed(g, where, th)
    return compound_coverage(graph, measures, th)


def _only(g: nx.MultiDiGraph, where: Path):
    [cov] = _all(g, where)
    return cov


def test_healthy_compound_has_every_indicator_and_full_score(tmp_path: Path) -> None:
    cov = _only(healthy_city(), tmp_path)
    assert cov.gaps == ()
    assert cov.score == 100.0 and not cov.under_covered and not cov.priority
    assert (cov.branch_id, cov.owners_committee_id, cov.community_id, cov.street_id, cov.district_id) == (
        "br",
        "oc",
        "c",
        "s",
        "d",
    )
    assert cov.cross_appointed == 1 and cov.mature
    assert (cov.buildings, cov.buildings_with_group, cov.buildings_with_leader) == (2, 2, 2)
    assert cov.central_households == 2 and cov.central_households_per_100 == pytest.approx(2.0)
    assert (cov.stations, cov.property_companies, cov.property_mode) == (1, 1, "market")
    assert (cov.sunk_staff, cov.pairing_partners, cov.registered_members) == (1, 1, 5)
    assert cov.five_haves_missing == ()
    assert {f.code for f in cov.factors} == {g.value for g in CoverageGap}, "every factor is shown, fired or not"


def _drop_group(g: nx.MultiDiGraph) -> None:
    # Both buildings lose their group: share without a group 1.0 > 0.5.
    for b, grp in (("b1", "g1"), ("b2", "g2")):
        remove_edges(g, "COVERS", grp, b)


def _drop_leaders(g: nx.MultiDiGraph) -> None:
    remove_edges(g, "MEMBER_OF", "l1", "br")
    remove_edges(g, "RESIDES_IN", "l2", "b2")  # a leader who does not live in the building does not count


def _end_oc_posts(g: nx.MultiDiGraph) -> None:
    # An ended post no longer counts: the OC director stepped down last year.
    [(u, v, k)] = edges_of(g, "MEMBER_OF", "sec", "oc")
    g.edges[u, v, k]["end_date"] = date(2023, 12, 31)


def _fallback_only_community(g: nx.MultiDiGraph) -> None:
    remove_edges(g, "PAIRED_WITH", "upo", "cc")


def _pairing_ended(g: nx.MultiDiGraph) -> None:
    [(u, v, k)] = edges_of(g, "PAIRED_WITH", "upo", "cc")
    g.edges[u, v, k]["end_date"] = date(2024, 1, 1)


def _registered_retired(g: nx.MultiDiGraph) -> None:
    for i in range(5):
        g.nodes[f"r{i}"]["employment"] = "retired"  # only in-service members count for dual check-in


_NO_BRANCH = {"no_branch", "five_haves_missing", "no_cross_appointment", "buildings_without_leader"}

CASES: dict[str, tuple[Callable[[nx.MultiDiGraph], None], set[str]]] = {
    # Without a branch its posts go too (building leaders, cross-appointment) and the five-haves cannot be met.
    "no branch": (lambda g: g.remove_node("br"), _NO_BRANCH),
    "branch dissolved": (
        lambda g: (g.nodes["br"].update(dissolved=date(2024, 1, 1)), remove_activities(g, "br", since=date(2024, 1, 1))),
        _NO_BRANCH,
    ),
    "branch dissolved on the day": (lambda g: g.nodes["br"].update(dissolved=AS_OF), _NO_BRANCH),
    "branch to be dissolved after the day": (lambda g: g.nodes["br"].update(dissolved=date(2025, 1, 1)), set()),
    "no owners' committee": (
        lambda g: g.remove_node("oc"),
        {"no_owners_committee", "no_cross_appointment", "five_haves_missing"},
    ),
    "no cross-appointment": (_end_oc_posts, {"no_cross_appointment"}),
    "buildings without group": (_drop_group, {"buildings_without_group"}),
    "buildings without leader": (_drop_leaders, {"buildings_without_leader"}),
    "too few central households": (lambda g: g.remove_node("ch2"), {"few_central_households"}),
    "no station": (lambda g: remove_edges(g, "SERVES", "st", "k"), {"no_station"}),
    "no property management": (lambda g: remove_edges(g, "MANAGES", "pc", "k"), {"no_property_management"}),
    "management ended": (
        lambda g: g.edges[edges_of(g, "MANAGES", "pc", "k")[0]].update(end_date=date(2024, 5, 31)),
        {"no_property_management"},
    ),
    "no sunk staff": (lambda g: remove_edges(g, "SUNK_TO", "w", "k"), {"no_sunk_staff"}),
    "no pairing": (_fallback_only_community, {"no_pairing"}),
    "pairing ended": (_pairing_ended, {"no_pairing"}),
    "no registered in-service members": (_registered_retired, {"no_registered_members"}),
    "five haves missing": (lambda g: g.nodes["br"].update(five_haves=["venue"]), {"five_haves_missing"}),
    "no plaque on the OC": (lambda g: g.nodes["oc"].update(has_plaque=False), {"five_haves_missing"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_gap_fires_on_its_own(case: str, tmp_path: Path) -> None:
    mutate, expected = CASES[case]
    g = healthy_city()
    mutate(g)
    cov = _only(g, tmp_path)
    assert set(cov.gaps) == expected
    fired = [f for f in cov.factors if f.fired]
    assert all(f.penalty == f.weight == DEFAULT_COVERAGE_WEIGHTS[CoverageGap(f.code)] for f in fired)
    assert all(f.label == CoverageGap(f.code).label for f in cov.factors)
    assert cov.score == 100.0 - sum(f.weight for f in fired)
    assert cov.under_covered == bool(expected), "any gap makes a compound under-covered (DOMAIN.md)"
    assert cov.priority == (cov.score < DEFAULT_STANDARDS.under_covered_below)


def test_factor_values_and_thresholds_are_reported(tmp_path: Path) -> None:
    g = healthy_city()
    _drop_leaders(g)
    g.remove_node("ch2")
    cov = _only(g, tmp_path)
    by_code = {f.code: f for f in cov.factors}
    leader = by_code["buildings_without_leader"]
    assert (leader.value, leader.threshold) == (1.0, DEFAULT_STANDARDS.max_share_buildings_without_leader)
    assert "2 of 2" in leader.detail
    five = by_code["five_haves_missing"]
    assert not five.fired and five.value == 1, "met: a branch and an OC with every item and a plaque"
    central = by_code["few_central_households"]
    assert (central.value, central.threshold) == (pytest.approx(1.0), DEFAULT_STANDARDS.min_central_households_per_100)
    assert not by_code["no_station"].fired and by_code["no_station"].value == 1


def test_share_at_the_threshold_does_not_fire(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "l2", "br")  # 1 of 2 buildings without a leader: 0.5, not above 0.5
    assert "buildings_without_leader" not in _only(g, tmp_path).gaps


def test_not_mature_when_director_is_another_branch_member(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "sec", "oc")
    post(g, "m2", "oc", "oc_director")
    cov = _only(g, tmp_path)
    assert cov.cross_appointed == 1 and not cov.mature and "no_cross_appointment" not in cov.gaps


def test_owners_committee_found_by_location_alone(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "SUB_ORG_OF", "oc", "br")
    assert _only(g, tmp_path).owners_committee_id == "oc"


def test_weights_from_settings_move_the_score(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "SERVES", "st", "k")
    weights = {**DEFAULT_COVERAGE_WEIGHTS, CoverageGap.NO_STATION: 40.0}
    graph, measures = analysed(g, tmp_path, TH)
    [cov] = compound_coverage(graph, measures, replace(TH, coverage_weights=weights))
    assert cov.score == 60.0 and cov.under_covered and cov.priority
    [default] = compound_coverage(graph, measures, TH)
    assert default.score == 90.0 and default.under_covered and not default.priority


def test_under_covered_list_is_ranked_and_excludes_healthy(tmp_path: Path) -> None:
    g = healthy_city()
    area(g, "k2", "compound", "c", households=80)  # nothing reaches it
    area(g, "k3", "compound", "c", households=80)
    org(g, "br3", "compound_branch", "cc", five_haves=["venue"])
    edge(g, "br3", "k3", "LEADS")
    graph, measures = analysed(g, tmp_path, TH)
    ranked = under_covered_compounds(graph, measures, TH)
    assert [c.compound_id for c in ranked] == ["k2", "k3"]
    assert ranked[0].score < ranked[1].score < 100.0


def test_rollups_sum_the_compounds_per_level(tmp_path: Path) -> None:
    g = healthy_city()
    area(g, "c2", "community", "s", households=500)
    area(g, "k2", "compound", "c2", households=50)
    area(g, "b3", "building", "k2", households=50)
    graph, measures = analysed(g, tmp_path, TH)
    rollups = {(r.level, r.area_id): r for r in coverage_rollups(graph, compound_coverage(graph, measures, TH), TH)}
    assert set(rollups) == {("community", "c"), ("community", "c2"), ("street", "s"), ("district", "d"), ("city", "city")}
    street = rollups[("street", "s")]
    assert (street.compounds, street.with_branch, street.under_covered) == (2, 1, 1)
    assert (street.buildings, street.buildings_with_group, street.households) == (3, 2, 150)
    assert street.central_households_per_100 == pytest.approx(2 * 100 / 150)
    assert street.station_share == 0.5 and street.by_property_mode == {"market": 1}
    assert street.gaps["no_branch"] == 1
    assert rollups[("city", "city")].compounds == 2
    assert rollups[("community", "c")].under_covered == 0


def test_rollup_refuses_compound_level() -> None:
    with pytest.raises(ValueError, match="compound"):
        coverage_rollups(healthy_city(), [], TH, levels=(AreaLevel.COMPOUND,))


def test_bad_input_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="MultiDiGraph"):
        compound_coverage(nx.Graph(), [], TH)  # type: ignore[arg-type]


def test_abolished_compound_and_departed_people_do_not_count(tmp_path: Path) -> None:
    g = healthy_city()
    g.nodes["w"]["left_on"] = date(2024, 2, 1)
    area(g, "old", "compound", "c", abolished=date(2023, 1, 1))
    person(g, "x")
    [cov] = _all(g, tmp_path)
    assert cov.compound_id == "k" and "no_sunk_staff" in cov.gaps
