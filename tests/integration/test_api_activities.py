"""Reading organisational life and the links of support over real HTTP: activities, joint branches, cadres sent
down, deputies and member standing, each answer derived from the small city's records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.integration.conftest import City, LiveServer


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def _held_on(city: City) -> dict[str, date]:
    return {n.id: n.props["held_on"] for n in city.nodes("Activity")}


ACTIVITIES = """query($filter: ActivityFilter, $first: Int, $after: String) {
  activities(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { domainId kind { code label } heldOn attendance topic heldBy { domainId } } }
  }
}"""


def test_every_activity_newest_first_with_the_organisation_that_held_it(live_server: LiveServer, small_city: City) -> None:
    found = live_server.data(ACTIVITIES, {"first": 50})["activities"]
    held_on, held_by = _held_on(small_city), {r.from_id: r.to_id for r in small_city.rels("HELD_BY")}
    activities = _nodes(found)
    assert found["totalCount"] == len(held_on) == len(activities)
    assert [a["domainId"] for a in activities] == sorted(held_on, key=lambda a: (-held_on[a].toordinal(), a))
    assert all(a["heldBy"]["domainId"] == held_by[a["domainId"]] for a in activities)
    lesson = next(a for a in activities if a["domainId"] == "act1")
    assert lesson["kind"] == {"code": "PARTY_LESSON", "label": "党课"} and lesson["attendance"] == 9


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"organizationId": "d1s1m1c1-br"}, ["act1", "act0"]),
        ({"areaId": "d1s1m1c1"}, ["act1", "act2", "act0"]),
        ({"areaId": "d1s1m1", "kind": "THEMED_PARTY_DAY"}, ["act4"]),
        ({"kind": "GENERAL_MEETING", "heldFrom": "2024-10-01"}, ["act3"]),
        ({"heldFrom": "2025-01-10", "heldTo": "2025-03-14"}, ["act1", "act2"]),
        ({"organizationId": "d1s1m1c1-br", "areaId": "d2"}, []),
    ],
)
def test_activities_by_organisation_area_kind_and_day(
    live_server: LiveServer, given: dict[str, Any], expected: list[str]
) -> None:
    found = live_server.data(ACTIVITIES, {"filter": given})["activities"]
    assert [a["domainId"] for a in _nodes(found)] == expected and found["totalCount"] == len(expected)


def test_activities_page_by_cursor(live_server: LiveServer, small_city: City) -> None:
    seen: list[str] = []
    after = None
    while True:
        found = live_server.data(ACTIVITIES, {"first": 2, "after": after})["activities"]
        seen += [a["domainId"] for a in _nodes(found)]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(_held_on(small_city)) and len(seen) == len(set(seen))


def test_a_window_that_ends_before_it_starts_is_refused(live_server: LiveServer) -> None:
    response = live_server.gql(ACTIVITIES, {"filter": {"heldFrom": "2025-02-01", "heldTo": "2025-01-01"}})
    body = response.json()
    assert body["data"] is None or body["data"]["activities"] is None
    assert "heldTo" in body["errors"][0]["message"] and "2025-01-01" in body["errors"][0]["message"]


def test_an_organisation_lists_its_activities_and_an_activity_its_attendees(live_server: LiveServer) -> None:
    data = live_server.data(
        """{ organization(id: "d1s1m1c1-br") {
               all: activities { totalCount nodes { domainId } }
               lessons: activities(kind: PARTY_LESSON) { nodes { domainId heldOn } }
               last: activities(heldFrom: "2025-01-01", heldTo: "2025-06-30", first: 1) { nodes { domainId } }
             }
             activity(id: "act0") { heldBy { name } attendees { domainId name } }
           }""",
        role="analyst",
    )
    org = data["organization"]
    assert [a["domainId"] for a in org["all"]["nodes"]] == ["act1", "act0"] and org["all"]["totalCount"] == 2
    assert org["lessons"]["nodes"] == [{"domainId": "act1", "heldOn": "2025-03-14"}]
    assert org["last"]["nodes"] == [{"domainId": "act1"}]
    assert data["activity"]["heldBy"]["name"] == "幸福00小区党支部"
    assert data["activity"]["attendees"] == [{"domainId": "d1s1m1c1-sec", "name": "书记00"}]


def test_a_viewer_sees_who_attended_but_not_their_names(live_server: LiveServer) -> None:
    body = live_server.gql('{ activity(id: "act0") { attendees { domainId name } } }', role="viewer").json()
    assert body["data"]["activity"]["attendees"] == [{"domainId": "d1s1m1c1-sec", "name": None}]
    assert "Person.name" in body["errors"][0]["message"]


def test_joint_branches_and_their_units(live_server: LiveServer, small_city: City) -> None:
    data = live_server.data(
        """{ joint: organization(id: "joint0") {
               kind { code } termStart
               units { domainId startDate endDate active unit { domainId } jointBranch { domainId } }
               now: units(current: true) { unit { domainId } }
             }
             unit: organization(id: "unit2") { jointBranches { jointBranch { name } active } } }"""
    )
    joins = [r for r in small_city.rels("JOINS") if r.to_id == "joint0"]
    joint = data["joint"]
    assert joint["kind"]["code"] == "JOINT_BRANCH" and joint["termStart"] == "2023-01-01"
    assert sorted(u["unit"]["domainId"] for u in joint["units"]) == sorted(r.from_id for r in joins)
    assert all(u["jointBranch"]["domainId"] == "joint0" for u in joint["units"])
    ended = next(u for u in joint["units"] if u["unit"]["domainId"] == "unit1")
    assert ended["endDate"] == "2022-12-31" and ended["active"] is False
    assert sorted(u["unit"]["domainId"] for u in joint["now"]) == ["unit2", "unit3"]
    assert data["unit"]["jointBranches"] == [{"jointBranch": {"name": "驻区单位联合党支部"}, "active": True}]


def test_a_community_lists_its_cadres_and_deputies_and_a_person_where_they_serve(live_server: LiveServer) -> None:
    data = live_server.data(
        """{ area(id: "d1s1m2") {
               sentDownCadres { domainId duty startDate active person { domainId name } community { domainId } }
               deputies { role { code label } level startDate person { domainId } }
             }
             cadre: person(id: "cadre0") {
               sentDownTo { community { domainId } duty active } now: sentDownTo(current: true) { duty } }
             deputy: person(id: "deputy0") { liaisons { community { domainId } role { code } } } }""",
        role="analyst",
    )
    [cadre] = data["area"]["sentDownCadres"]
    assert cadre["person"] == {"domainId": "cadre0", "name": "下沉干部0"} and cadre["duty"] == "包联社区" and cadre["active"]
    assert cadre["community"] == {"domainId": "d1s1m2"}
    assert [(d["person"]["domainId"], d["role"]["code"], d["level"]) for d in data["area"]["deputies"]] == [
        ("deputy0", "NPC_DEPUTY", "区人大"),
        ("cppcc0", "CPPCC_MEMBER", "市政协"),
    ]
    postings = [(p["community"]["domainId"], p["active"]) for p in data["cadre"]["sentDownTo"]]
    assert postings == [("d1s1m1", False), ("d1s1m2", True)]
    assert data["cadre"]["now"] == [{"duty": "包联社区"}]
    assert data["deputy"]["liaisons"] == [{"community": {"domainId": "d1s1m2"}, "role": {"code": "NPC_DEPUTY"}}]


def test_member_standing_on_memberships(live_server: LiveServer) -> None:
    data = live_server.data(
        """{ organization(id: "d2s1m1c1-br") { memberships { nodes { person { domainId } memberStatus { code label } } } } }"""
    )
    standing = {m["person"]["domainId"]: m["memberStatus"] for m in data["organization"]["memberships"]["nodes"]}
    assert standing == {
        "d2s1m1c1-sec": {"code": "FULL", "label": "正式党员"},
        "d2s1m1c1-novice": {"code": "PROBATIONARY", "label": "预备党员"},
    }


def test_the_new_types_are_nodes_by_global_id(live_server: LiveServer) -> None:
    data = live_server.data(
        """{ organization(id: "joint0") { units { id domainId } }
             area(id: "d1s1m2") { sentDownCadres { id domainId } deputies { id domainId } }
             activity(id: "act4") { id domainId } }"""
    )
    objects = [
        *data["organization"]["units"],
        *data["area"]["sentDownCadres"],
        *data["area"]["deputies"],
        data["activity"],
    ]
    for obj in objects:
        node = live_server.data(
            """query($id: ID!) { node(id: $id) { __typename
                 ... on JointBranchMembership { domainId } ... on CadrePosting { domainId }
                 ... on Liaison { domainId } ... on Activity { domainId } } }""",
            {"id": obj["id"]},
        )["node"]
        assert node["domainId"] == obj["domainId"], node
    assert {o["id"] for o in objects} and len({o["id"] for o in objects}) == len(objects)


def test_integrations_may_not_read_activities(live_server: LiveServer) -> None:
    body = live_server.gql("{ activities { totalCount } }", role="integration").json()
    assert "activities" in body["errors"][0]["message"] and "integration" in body["errors"][0]["message"]
