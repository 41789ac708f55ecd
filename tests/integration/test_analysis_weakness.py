"""Weakness of branches and community committees: each factor on its own, on a healthy hand-built city.

The city is written into a real store: a compound branch's cross-appointment and pairing are its compound's
measures, which the store computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest

from graph_service.analysis.common import DEFAULT_WEAKNESS_WEIGHTS, Thresholds
from graph_service.analysis.weakness import OrganizationWeakness, organization_weakness, weak_organizations
from graph_service.domain.regulation import BASIS, months_before
from graph_service.domain.standards import DEFAULT_STANDARDS, OFFICIAL_CRITERION, WeaknessFactor
from tests.integration.graph_store import analysed
from tests.unit.analysis_graphs import (
    AS_OF,
    activity,
    edge,
    edges_of,
    healthy_city,
    hold_organisational_life,
    org,
    person,
    post,
    remove_activities,
    remove_edges,
)

TH = Thresholds(as_of=AS_OF)


def _all(g: nx.MultiDiGraph, where: Path, th: Thresholds = TH) -> list[OrganizationWeakness]:
    graph, measures = analysed(g, where, th)
    return organization_weakness(graph, measures, th)


def _assess(g: nx.MultiDiGraph, where: Path, org_id: str = "br", th: Thresholds = TH) -> OrganizationWeakness:
    graph, measures = analysed(g, where, th)
    [w] = organization_weakness(graph, measures, th, organizations=[org_id])
    return w


def test_healthy_branch_and_committee_have_no_factor(tmp_path: Path) -> None:
    g = healthy_city()
    results = {w.org_id: w for w in _all(g, tmp_path)}
    assert set(results) == {"br", "cc"}
    for w in results.values():
        assert w.factors == () and w.score == 0.0 and not w.weak, w
    branch = results["br"]
    assert (branch.area_id, branch.community_id, branch.street_id, branch.district_id) == ("k", "c", "s", "d")
    assert branch.members == branch.full_members == 3 and branch.kind_label == "小区(网格)党支部"
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


def _members(count: int, probationary: int = 0) -> Callable[[nx.MultiDiGraph], None]:
    """``count`` more plain members in the branch, the first ``probationary`` of them probationary."""

    def mutate(g: nx.MultiDiGraph) -> None:
        for i in range(count):
            status = "probationary" if i < probationary else "full"
            post(g, f"extra{i}", "br", "member", member_status=status)

    return mutate


def _with_committee(g: nx.MultiDiGraph) -> None:
    """A deputy secretary joins the secretary and the committee member, and the committee meets every month."""
    post(g, "dep", "br", "deputy_secretary")
    for month in range(12):
        activity(g, f"br-committee-{month}", "br", "committee_meeting", months_before(AS_OF, month) - timedelta(days=3))


def _big_branch(count: int) -> Callable[[nx.MultiDiGraph], None]:
    def mutate(g: nx.MultiDiGraph) -> None:
        _members(count)(g)
        _with_committee(g)

    return mutate


def _missed(org_id: str, kind: str, month: int) -> Callable[[nx.MultiDiGraph], None]:
    """``org_id`` did not hold its ``kind`` meeting of ``month`` months ago (its activity id from the healthy city)."""
    names = {"themed_party_day": "day", "general_meeting": "general", "party_lesson": "lesson", "group_meeting": "meeting"}
    return lambda g: g.remove_node(f"{org_id}-{names[kind]}-{month}")


def _since(months: int) -> date:
    return months_before(AS_OF, months)


def _newly_founded(g: nx.MultiDiGraph) -> None:
    # Founded two months ago: the periods before do not count, and there is nothing to be inactive over yet.
    for branch_or_group in ("br", "g1", "g2"):
        g.nodes[branch_or_group]["founded"] = _since(2)
    for node in [n for n, a in g.nodes(data=True) if a.get("label") == "Activity" and a["held_on"] < _since(2)]:
        g.remove_node(node)


BRANCH_CASES: dict[str, tuple[Callable[[nx.MultiDiGraph], None], set[str]]] = {
    "secretary vacant 152 days": (_end_secretary(date(2024, 1, 1)), {"secretary_vacant"}),
    "few members": (lambda g: remove_edges(g, "MEMBER_OF", "m2", "br"), {"few_members"}),
    "a probationary member is not a full member": (
        lambda g: g.edges[edges_of(g, "MEMBER_OF", "m2", "br")[0]].update(member_status="probationary"),
        {"few_members"},
    ),
    "seven full members need a committee of three": (_members(4), {"no_committee", "irregular_committee_meeting"}),
    "seven with a probationary member need none": (_members(4, probationary=1), set()),
    "a committee of three meeting monthly": (_big_branch(4), set()),
    "a committee meeting missed": (
        lambda g: (_big_branch(4)(g), g.remove_node("br-committee-7")),
        {"irregular_committee_meeting"},
    ),
    "more than fifty members": (_big_branch(48), {"too_many_members"}),
    "election overdue": (lambda g: g.nodes["br"].update(term_start=date(2019, 1, 1)), {"election_overdue"}),
    "a recorded three-year term": (lambda g: g.nodes["br"].update(term_years=3), {"election_overdue"}),
    "a general meeting missed": (_missed("br", "general_meeting", 6), {"irregular_general_meeting"}),
    "a Party lesson missed": (_missed("br", "party_lesson", 0), {"irregular_party_lesson"}),
    "a themed Party day missed": (_missed("br", "themed_party_day", 11), {"irregular_party_day"}),
    "a group meeting missed": (_missed("g2", "group_meeting", 4), {"irregular_group_meeting"}),
    "no organisational-life meeting": (lambda g: g.remove_node("br-life"), {"no_org_life_meeting"}),
    "no member appraisal": (lambda g: g.remove_node("br-appraisal"), {"no_member_appraisal"}),
    "nothing held for three months": (
        lambda g: remove_activities(g, "br", since=_since(3)),
        {
            "inactive",
            "irregular_general_meeting",
            "irregular_party_lesson",
            "irregular_party_day",
            "no_org_life_meeting",
            "no_member_appraisal",
        },
    ),
    "founded two months ago": (_newly_founded, set()),
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
def test_each_branch_factor_fires_on_its_own(case: str, tmp_path: Path) -> None:
    mutate, expected = BRANCH_CASES[case]
    g = healthy_city()
    mutate(g)
    w = _assess(g, tmp_path)
    assert set(w.factor_codes) == expected
    for f in w.factors:
        factor = WeaknessFactor(f.code)
        assert (f.label, f.criterion, f.weight) == (factor.label, OFFICIAL_CRITERION[factor], DEFAULT_WEAKNESS_WEIGHTS[factor])
        assert f.basis == BASIS.get(factor, ""), "a rule of the regulation cites its article"
        assert f.explanation and f.report_text.startswith(f"{f.label}：{f.explanation}。"), "staff can paste it"
    assert w.score == min(100.0, sum(f.weight for f in w.factors))
    assert w.weak == bool(expected), "any fired factor makes the organisation weak"
    assert w.priority == (w.score > DEFAULT_STANDARDS.weak_above)


def test_regulation_factors_read_as_the_rule_reads(tmp_path: Path) -> None:
    g = healthy_city()
    _missed("br", "general_meeting", 6)(g)
    _missed("g2", "group_meeting", 4)(g)
    g.nodes["br"]["term_start"] = date(2019, 1, 1)
    by_code = {f.code: f for f in _assess(g, tmp_path).factors}
    general = by_code["irregular_general_meeting"]
    assert (general.value, general.threshold) == (3, 4) and "3 of the last 4 quarters" in general.detail
    assert "第十一条" in general.basis
    assert general.explanation == "近4个季度中仅3个季度召开党员大会（规定：每季度1次）"
    assert general.report_text.endswith(f"依据：{general.basis}。")
    group = by_code["irregular_group_meeting"]
    assert (group.value, group.threshold) == (11, 12) and "group g2" in group.detail
    election = by_code["election_overdue"]
    assert (election.value, election.threshold) == ((AS_OF - date(2024, 1, 1)).days, 0)
    assert "5-year term from 2019-01-01 ended 2024-01-01" in election.detail
    assert election.explanation == "本届任期5年，自2019-01-01起，已于2024-01-01届满，逾期152天未换届"
    vacancy = _assess(healthy_city_without_secretary(), tmp_path).factors[0]
    assert vacancy.report_text.endswith("对应软弱涣散情形：1 班子不健全、书记长期缺职、工作处于停滞状态。")


def healthy_city_without_secretary() -> nx.MultiDiGraph:
    g = healthy_city()
    _end_secretary(date(2024, 1, 1))(g)
    return g


def _joint_branch(units: int) -> Callable[[nx.MultiDiGraph], None]:
    """A joint branch under the community committee, healthy but for the ``units`` joining it."""

    def mutate(g: nx.MultiDiGraph) -> None:
        org(g, "jb", "joint_branch", "cc", founded=date(2018, 1, 1), term_start=date(2022, 1, 1))
        for i, code in enumerate(("secretary", "member", "member")):
            post(g, f"j{i}", "jb", code)
        hold_organisational_life(g, "jb", ())
        for i in range(units):
            org(g, f"u{i}", "unit", unit_type="private_firm")
            edge(g, f"u{i}", "jb", "JOINS", start_date=date(2022, 1, 1))

    return mutate


def test_a_joint_branch_covers_at_most_five_units(tmp_path: Path) -> None:
    g = healthy_city()
    _joint_branch(5)(g)
    healthy = _assess(g, tmp_path, "jb")
    assert healthy.factors == () and healthy.kind_label == "联合党支部"
    assert (healthy.community_id, healthy.street_id, healthy.district_id) == ("c", "s", "d")
    g.add_node("u5", label="Organization", kind="unit", name="u5", unit_type="private_firm")
    edge(g, "u5", "jb", "JOINS", start_date=date(2022, 1, 1))
    [f] = _assess(g, tmp_path, "jb").factors
    assert (f.code, f.value, f.threshold) == ("joint_branch_too_wide", 6, 5)
    assert "第五条" in f.basis


def test_secretary_vacancy_reports_days_and_threshold(tmp_path: Path) -> None:
    g = healthy_city()
    _end_secretary(date(2024, 1, 1))(g)
    w = _assess(g, tmp_path)
    [f] = w.factors
    assert (f.value, f.threshold) == ((AS_OF - date(2024, 1, 1)).days, DEFAULT_STANDARDS.secretary_vacant_days)
    assert w.secretary_vacant_days == 152 and "2024-01-01" in f.detail
    assert w.weak


def test_short_vacancy_does_not_fire_yet(tmp_path: Path) -> None:
    g = healthy_city()
    _end_secretary(date(2024, 5, 1))(g)  # 31 days
    w = _assess(g, tmp_path)
    assert w.factors == () and w.secretary_vacant_days == 31


def test_vacancy_counts_from_founding_when_there_never_was_a_secretary(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "sec", "br")
    post(g, "m3", "br", "member")
    w = _assess(g, tmp_path)
    assert "secretary_vacant" in w.factor_codes
    assert w.secretary_vacant_days == (AS_OF - date(2018, 1, 1)).days


def test_future_end_date_still_counts(tmp_path: Path) -> None:
    g = healthy_city()
    [(u, v, k)] = edges_of(g, "MEMBER_OF", "sec", "br")
    g.edges[u, v, k]["end_date"] = date(2025, 1, 1)
    assert _assess(g, tmp_path).factors == ()


def test_a_branch_whose_projects_nobody_claimed_has_few_registered(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "CLAIMED", "m2", "proj")
    [f] = _assess(g, tmp_path).factors
    assert f.code == "few_registered" and "0 of 1 listed projects claimed" in f.detail
    assert _assess(g, tmp_path, "cc").factors == (), "the committee's own registrations are enough"


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
    "election overdue": (lambda g: g.nodes["cc"].update(term_start=date(2019, 1, 1)), {"election_overdue"}),
}


@pytest.mark.parametrize("case", list(COMMITTEE_CASES))
def test_each_committee_factor_fires_on_its_own(case: str, tmp_path: Path) -> None:
    mutate, expected = COMMITTEE_CASES[case]
    g = healthy_city()
    mutate(g)
    assert set(_assess(g, tmp_path, "cc").factor_codes) == expected


def test_two_committees_members_make_up_a_community_committee(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "cm", "cc")
    remove_edges(g, "MEMBER_OF", "cx", "cc")
    assert set(_assess(g, tmp_path, "cc").factor_codes) == {"few_members", "no_committee"}
    post(g, "t1", "cc", "two_committees_member")
    post(g, "t2", "cc", "two_committees_member")
    assert _assess(g, tmp_path, "cc").factors == ()


def test_broken_chain_names_the_missing_link(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "SUB_ORG_OF", "cc", "sc")
    [f] = _assess(g, tmp_path, "br").factors
    assert f.code == "broken_chain" and "community_without_street" in f.detail and f.evidence == "br -> cc"


def test_weak_list_is_ranked_and_settings_move_priority(tmp_path: Path) -> None:
    g = healthy_city()
    remove_edges(g, "MEMBER_OF", "m2", "br")  # few members: 35 > 30
    g.nodes["cc"]["five_haves"] = []  # no venue: 15
    graph, measures = analysed(g, tmp_path, TH)
    weak = weak_organizations(graph, measures, TH)
    assert [(w.org_id, w.score, w.priority) for w in weak] == [("br", 35.0, True), ("cc", 15.0, False)]
    lenient = replace(TH, standards=replace(DEFAULT_STANDARDS, weak_above=40.0))
    assert [w.priority for w in weak_organizations(graph, measures, lenient)] == [False, False]
    strict = replace(TH, weakness_weights={**DEFAULT_WEAKNESS_WEIGHTS, WeaknessFactor.NO_VENUE: 31.0})
    assert [(w.org_id, w.priority) for w in weak_organizations(graph, measures, strict)] == [("br", True), ("cc", True)]


def test_bad_input_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        organization_weakness({}, (), TH)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'g1'"):
        organization_weakness(healthy_city(), (), TH, organizations=["g1"])


def test_departed_members_do_not_count(tmp_path: Path) -> None:
    g = healthy_city()
    g.nodes["m2"]["left_on"] = date(2024, 3, 1)  # their post and their claim no longer count
    person(g, "ghost")
    assert set(_assess(g, tmp_path).factor_codes) == {"few_members", "few_registered"}


# --- the decisions docs/verdicts.md records, each held to ---------------------------------------------------


def test_appeals_count_against_the_branch_of_their_compound_and_not_above(tmp_path: Path) -> None:
    g = healthy_city()
    for i in range(6):
        g.add_node(f"a{i}", label="Appeal", status="open", summary="路灯", received=date(2024, 1, 1))
        edge(g, f"a{i}", "c", "CONCERNS")  # the community, above the compound
    assert _assess(g, tmp_path).factors == ()
    assert [f.code for f in _assess(g, tmp_path, "cc").factors] == ["unresolved_appeals"]


def test_retired_members_check_ins_do_not_count(tmp_path: Path) -> None:
    g = healthy_city()
    g.nodes["r0"]["employment"] = "retired"
    assert [f.code for f in _assess(g, tmp_path).factors] == ["few_registered"]
    assert [f.code for f in _assess(g, tmp_path, "cc").factors] == ["few_registered"]


def test_an_organisation_dissolved_after_the_day_is_still_live(tmp_path: Path) -> None:
    g = healthy_city()
    g.nodes["br"]["dissolved"] = date(2025, 1, 1)
    assert _assess(g, tmp_path).factors == ()
    g.nodes["br"]["dissolved"] = AS_OF
    with pytest.raises(ValueError, match="'br'"):
        _assess(g, tmp_path)


def test_a_branch_listing_no_project_has_none_claimed(tmp_path: Path) -> None:
    g = healthy_city()
    g.remove_node("proj")
    [f] = _assess(g, tmp_path).factors
    assert f.code == "few_registered" and "0 of 0 listed projects claimed" in f.detail
