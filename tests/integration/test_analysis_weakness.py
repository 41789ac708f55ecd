"""Weakness of compound branches and community committees: each factor on its own, on a healthy hand-built city."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import networkx as nx
import pytest

from graph_service.analysis.common import DEFAULT_WEAKNESS_WEIGHTS, Thresholds
from graph_service.analysis.weakness import organization_weakness, weak_organizations
from graph_service.domain.standards import DEFAULT_STANDARDS, OFFICIAL_CRITERION, WeaknessFactor
from tests.unit.analysis_graphs import AS_OF, edge, edges_of, healthy_city, org, person, post, remove_edges

TH = Thresholds(as_of=AS_OF)


def _assess(g: nx.MultiDiGraph, org_id: str = "br", th: Thresholds = TH):
    [w] = organization_weakness(g, th, organizations=[org_id])
    return w


def test_healthy_branch_and_committee_have_no_factor() -> None:
    g = healthy_city()
    results = {w.org_id: w for w in organization_weakness(g, TH)}
    assert set(results) == {"br", "cc"}
    for w in results.values():
        assert w.factors == () and w.score == 0.0 and not w.weak, w
    branch = results["br"]
    assert (branch.area_id, branch.community_id, branch.street_id, branch.district_id) == ("k", "c", "s", "d")
    assert branch.members == 3 and branch.kind_label == "小区(网格)党支部"
    assert results["cc"].area_id == "c"


def _end_secretary(end: date) -> Callable[[nx.MultiDiGraph], None]:
    def mutate(g: nx.MultiDiGraph) -> None:
        [(u, v, k)] = edges_of(g, "MEMBER_OF", "sec", "br")
        g.edges[u, v, k]["end_date"] = end
        post(g, "m3", "br", "member")  # keep three members
        post(g, "m2", "oc", "oc_member")  # and a cross-appointment

    return mutate


def _few_registered(g: nx.MultiDiGraph) -> None:
    remove_edges(g, "REGISTERED_WITH", "r0", "cc")  # 4 for 1,000 households: 0.4 < 0.5


def _appeals(n: int) -> Callable[[nx.MultiDiGraph], None]:
    def mutate(g: nx.MultiDiGraph) -> None:
        for i in range(n):
            g.add_node(f"a{i}", label="Appeal", status="open", summary="漏水", received=date(2024, 1, 1))
            edge(g, f"a{i}", "b1" if i % 2 else "k", "CONCERNS")
        g.add_node("done", label="Appeal", status="resolved", summary="已修", received=date(2024, 1, 1))
        edge(g, "done", "k", "CONCERNS")

    return mutate


def _overloaded(g: nx.MultiDiGraph) -> None:
    for i in range(4):  # the secretary takes four more posts elsewhere: 6 > 4
        org(g, f"x{i}", "volunteer_team")
        post(g, "sec", f"x{i}", "volunteer")


BRANCH_CASES: dict[str, tuple[Callable[[nx.MultiDiGraph], None], set[str]]] = {
    "secretary vacant 152 days": (_end_secretary(date(2024, 1, 1)), {"secretary_vacant"}),
    "few members": (lambda g: remove_edges(g, "MEMBER_OF", "m2", "br"), {"few_members"}),
    "no committee": (lambda g: g.edges[edges_of(g, "MEMBER_OF", "m1", "br")[0]].update(post="member"), {"no_committee"}),
    "no cross-appointment": (lambda g: remove_edges(g, "MEMBER_OF", "sec", "oc"), {"no_cross_appointment"}),
    "no owners' committee at all": (lambda g: g.remove_node("oc"), {"no_cross_appointment"}),
    "no pairing reaching the community": (lambda g: remove_edges(g, "PAIRED_WITH", "upo", "cc"), {"no_pairing"}),
    "few registered": (_few_registered, {"few_registered"}),
    "unresolved appeals": (_appeals(6), {"unresolved_appeals"}),
    "no venue": (lambda g: g.nodes["br"].update(five_haves=["staff", "funding", "rules", "assessment"]), {"no_venue"}),
    "overloaded person": (_overloaded, {"one_person_dependence"}),
    "broken chain": (lambda g: remove_edges(g, "SUB_ORG_OF", "br", "cc"), {"broken_chain"}),
    "staff flag": (
        lambda g: g.nodes["br"].update(flags=["team_not_united"], flag_evidence="2024年巡察报告"),
        {"staff_flag"},
    ),
}


@pytest.mark.parametrize("case", list(BRANCH_CASES))
def test_each_branch_factor_fires_on_its_own(case: str) -> None:
    mutate, expected = BRANCH_CASES[case]
    g = healthy_city()
    mutate(g)
    w = _assess(g)
    assert set(w.factor_codes) == expected
    for f in w.factors:
        factor = WeaknessFactor(f.code)
        assert (f.label, f.criterion, f.weight) == (factor.label, OFFICIAL_CRITERION[factor], DEFAULT_WEAKNESS_WEIGHTS[factor])
    assert w.score == min(100.0, sum(f.weight for f in w.factors))
    assert w.weak, "any fired factor makes the organisation weak"
    assert w.priority == (w.score > DEFAULT_STANDARDS.weak_above)


def test_secretary_vacancy_reports_days_and_threshold() -> None:
    g = healthy_city()
    _end_secretary(date(2024, 1, 1))(g)
    w = _assess(g)
    [f] = w.factors
    assert (f.value, f.threshold) == ((AS_OF - date(2024, 1, 1)).days, DEFAULT_STANDARDS.secretary_vacant_days)
    assert w.secretary_vacant_days == 152 and "2024-01-01" in f.detail
    assert w.weak


def test_short_vacancy_does_not_fire_yet() -> None:
    g = healthy_city()
    _end_secretary(date(2024, 5, 1))(g)  # 31 days
    w = _assess(g)
    assert w.factors == () and w.secretary_vacant_days == 31


def test_vacancy_counts_from_founding_when_there_never_was_a_secretary() -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "sec", "br")
    post(g, "m3", "br", "member")
    w = _assess(g)
    assert "secretary_vacant" in w.factor_codes
    assert w.secretary_vacant_days == (AS_OF - date(2018, 1, 1)).days


def test_future_end_date_still_counts() -> None:
    g = healthy_city()
    [(u, v, k)] = edges_of(g, "MEMBER_OF", "sec", "br")
    g.edges[u, v, k]["end_date"] = date(2025, 1, 1)
    assert _assess(g).factors == ()


def test_a_branch_whose_projects_nobody_claimed_has_few_registered() -> None:
    g = healthy_city()
    remove_edges(g, "CLAIMED", "m2", "proj")
    [f] = _assess(g).factors
    assert f.code == "few_registered" and "0 of 1 listed projects claimed" in f.detail
    assert _assess(g, "cc").factors == (), "the committee's own registrations are enough"


COMMITTEE_CASES: dict[str, tuple[Callable[[nx.MultiDiGraph], None], set[str]]] = {
    "secretary vacant": (
        lambda g: (remove_edges(g, "MEMBER_OF", "cs", "cc"), post(g, "c4", "cc", "member")),
        {"secretary_vacant"},
    ),
    "few members": (lambda g: remove_edges(g, "MEMBER_OF", "cx", "cc"), {"few_members"}),
    "no committee": (
        lambda g: g.edges[edges_of(g, "MEMBER_OF", "cm", "cc")[0]].update(post="member"),
        {"no_committee"},
    ),
    "no pairing": (lambda g: remove_edges(g, "PAIRED_WITH", "upo", "cc"), {"no_pairing"}),
    "few registered": (_few_registered, {"few_registered"}),
    "broken chain": (lambda g: g.nodes["sc"].update(dissolved=date(2024, 1, 1)), {"broken_chain"}),
    "no venue": (lambda g: g.nodes["cc"].update(five_haves=[]), {"no_venue"}),
}


@pytest.mark.parametrize("case", list(COMMITTEE_CASES))
def test_each_committee_factor_fires_on_its_own(case: str) -> None:
    mutate, expected = COMMITTEE_CASES[case]
    g = healthy_city()
    mutate(g)
    assert set(_assess(g, "cc").factor_codes) == expected


def test_two_committees_members_make_up_a_community_committee() -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "cm", "cc")
    remove_edges(g, "MEMBER_OF", "cx", "cc")
    assert set(_assess(g, "cc").factor_codes) == {"few_members", "no_committee"}
    post(g, "t1", "cc", "two_committees_member")
    post(g, "t2", "cc", "two_committees_member")
    assert _assess(g, "cc").factors == ()


def test_broken_chain_names_the_missing_link() -> None:
    g = healthy_city()
    remove_edges(g, "SUB_ORG_OF", "cc", "sc")
    [f] = _assess(g, "br").factors
    assert f.code == "broken_chain" and "community_without_street" in f.detail and f.evidence == "br -> cc"


def test_weak_list_is_ranked_and_settings_move_priority() -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "m2", "br")  # few members: 35 > 30
    g.nodes["cc"]["five_haves"] = []  # no venue: 15
    weak = weak_organizations(g, TH)
    assert [(w.org_id, w.score, w.priority) for w in weak] == [("br", 35.0, True), ("cc", 15.0, False)]
    lenient = replace(TH, standards=replace(DEFAULT_STANDARDS, weak_above=40.0))
    assert [w.priority for w in weak_organizations(g, lenient)] == [False, False]
    strict = replace(TH, weakness_weights={**DEFAULT_WEAKNESS_WEIGHTS, WeaknessFactor.NO_VENUE: 31.0})
    assert [(w.org_id, w.priority) for w in weak_organizations(g, strict)] == [("br", True), ("cc", True)]


def test_bad_input_is_refused_by_name() -> None:
    with pytest.raises(TypeError):
        organization_weakness({}, TH)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'g1'"):
        organization_weakness(healthy_city(), TH, organizations=["g1"])


def test_departed_members_do_not_count() -> None:
    g = healthy_city()
    g.nodes["m2"]["left_on"] = date(2024, 3, 1)  # their post and their claim no longer count
    person(g, "ghost")
    assert set(_assess(g).factor_codes) == {"few_members", "few_registered"}
