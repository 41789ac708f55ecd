"""Hand-built projection-shaped graphs for the analysis unit tests: one healthy city to break one thing at a time."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import networkx as nx

from graph_service.domain.regulation import months_before

AS_OF = date(2024, 6, 1)
_keys = count()


def edge(g: nx.MultiDiGraph, u: str, v: str, rel_type: str, **attrs: object) -> str:
    key = f"e{next(_keys)}"
    g.add_edge(u, v, key=key, type=rel_type, **attrs)
    return key


def area(g: nx.MultiDiGraph, area_id: str, level: str, parent: str | None = None, **attrs: object) -> None:
    g.add_node(area_id, label="Area", level=level, name=area_id, **attrs)
    if parent:
        edge(g, area_id, parent, "PART_OF")


def org(g: nx.MultiDiGraph, org_id: str, kind: str, parent: str | None = None, **attrs: object) -> None:
    g.add_node(org_id, label="Organization", kind=kind, name=org_id, **attrs)
    if parent:
        edge(g, org_id, parent, "SUB_ORG_OF")


def person(g: nx.MultiDiGraph, person_id: str, **attrs: object) -> None:
    g.add_node(person_id, label="Person", is_party_member=True, **attrs)


def post(g: nx.MultiDiGraph, person_id: str, org_id: str, post_code: str, **attrs: object) -> str:
    if person_id not in g:
        person(g, person_id)
    return edge(g, person_id, org_id, "MEMBER_OF", post=post_code, start_date=date(2021, 1, 1), **attrs)


def healthy_city() -> nx.MultiDiGraph:
    """One street, one community (1,000 households), one compound (100 households, two buildings) where every
    coverage indicator and every weakness factor is satisfied, exactly at the default thresholds where one applies."""
    g = nx.MultiDiGraph()
    area(g, "city", "city")
    area(g, "d", "district", "city")
    area(g, "s", "street", "d")
    area(g, "c", "community", "s", households=1000)
    area(g, "k", "compound", "c", households=100)
    area(g, "b1", "building", "k", households=50)
    area(g, "b2", "building", "k", households=50)
    all_five = ["venue", "staff", "funding", "rules", "assessment"]
    org(g, "sc", "street_committee")
    org(g, "cc", "community_committee", "sc", five_haves=all_five, founded=date(2010, 1, 1), term_start=date(2021, 6, 1))
    org(
        g,
        "br",
        "compound_branch",
        "cc",
        five_haves=all_five,
        has_plaque=True,
        founded=date(2018, 1, 1),
        term_start=date(2021, 1, 1),
    )
    org(g, "g1", "building_group", "br")
    org(g, "g2", "building_group", "br")
    org(g, "oc", "owners_committee", "br", five_haves=all_five, has_plaque=True)
    org(g, "ch1", "central_household", "g1", households_served=10)
    org(g, "ch2", "central_household", "g2", households_served=10)
    org(g, "st", "service_station")
    org(g, "pc", "property_company")
    org(g, "unit", "unit", unit_type="agency")
    org(g, "upo", "unit_party_org", "unit", capacity=2)
    edge(g, "sc", "s", "LEADS")
    edge(g, "cc", "c", "LEADS")
    edge(g, "br", "k", "LEADS")
    edge(g, "g1", "b1", "COVERS")
    edge(g, "g2", "b2", "COVERS")
    edge(g, "oc", "k", "LOCATED_IN")
    edge(g, "ch1", "b1", "LOCATED_IN")
    edge(g, "ch2", "b2", "LOCATED_IN")
    edge(g, "st", "k", "SERVES")
    edge(g, "pc", "k", "MANAGES", mode="market", start_date=date(2019, 1, 1), fee_collection_rate=0.95)
    edge(g, "upo", "cc", "PAIRED_WITH", start_date=date(2022, 1, 1), projects=["助老"])
    # The branch: secretary who also directs the OC (cross-appointed, "mature"), a committee member, a member.
    post(g, "sec", "br", "secretary")
    post(g, "sec", "oc", "oc_director")
    post(g, "m1", "br", "committee_member")
    post(g, "m2", "br", "member")
    # Building leaders hold the post in the branch and live in their building.
    post(g, "l1", "br", "building_leader")
    post(g, "l2", "br", "building_leader")
    edge(g, "l1", "b1", "RESIDES_IN")
    edge(g, "l2", "b2", "RESIDES_IN")
    # A volunteer project the branch lists, claimed by a member.
    g.add_node("proj", label="Project", kind="volunteer", name="助老")
    edge(g, "proj", "br", "LISTED_BY")
    edge(g, "m2", "proj", "CLAIMED")
    # The community committee.
    post(g, "cs", "cc", "secretary")
    post(g, "cm", "cc", "committee_member")
    post(g, "cx", "cc", "member")
    person(g, "w")
    edge(g, "w", "k", "SUNK_TO", role="grid_worker", start_date=date(2022, 1, 1))
    # Five in-service members registered for 1,000 households: 0.5 per 100, the default minimum.
    for i in range(5):
        person(g, f"r{i}", employment="in_service")
        edge(g, f"r{i}", "cc", "REGISTERED_WITH", start_date=date(2022, 3, 1))
    hold_organisational_life(g, "br", ("g1", "g2"))
    return g


def activity(g: nx.MultiDiGraph, activity_id: str, org_id: str, kind: str, held_on: date) -> None:
    g.add_node(activity_id, label="Activity", kind=kind, held_on=held_on)
    edge(g, activity_id, org_id, "HELD_BY")


def hold_organisational_life(g: nx.MultiDiGraph, branch: str, groups: tuple[str, ...], as_of: date = AS_OF) -> None:
    """Every meeting the Branch Work Regulations ask of ``branch`` and its ``groups`` over the year to ``as_of``,
    each a few days before the end of its period: themed Party days and group meetings monthly, general
    meetings and Party lessons quarterly, the organisational-life meeting and member appraisal once."""
    for month in range(12):
        day = months_before(as_of, month) - timedelta(days=3)
        activity(g, f"{branch}-day-{month}", branch, "themed_party_day", day)
        for group in groups:
            activity(g, f"{group}-meeting-{month}", group, "group_meeting", day)
        if month % 3 == 0:
            activity(g, f"{branch}-general-{month}", branch, "general_meeting", day)
            activity(g, f"{branch}-lesson-{month}", branch, "party_lesson", day)
    activity(g, f"{branch}-life", branch, "org_life_meeting", months_before(as_of, 2))
    activity(g, f"{branch}-appraisal", branch, "member_appraisal", months_before(as_of, 2))


def remove_activities(g: nx.MultiDiGraph, org_id: str, kind: str | None = None, since: date | None = None) -> None:
    """Drop what ``org_id`` held (of ``kind``; after ``since``)."""
    for node in [n for n, _, t in g.in_edges(org_id, data="type") if t == "HELD_BY"]:
        attrs = g.nodes[node]
        if (kind is None or attrs["kind"] == kind) and (since is None or attrs["held_on"] > since):
            g.remove_node(node)


def edges_of(g: nx.MultiDiGraph, rel_type: str, u: str | None = None, v: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (a, b, k)
        for a, b, k, t in g.edges(keys=True, data="type")
        if t == rel_type and (u is None or a == u) and (v is None or b == v)
    ]


def remove_edges(g: nx.MultiDiGraph, rel_type: str, u: str | None = None, v: str | None = None) -> None:
    found = edges_of(g, rel_type, u, v)
    assert found, (rel_type, u, v)
    g.remove_edges_from(found)
