"""Recording organisational life and the links of support through GraphQL mutations over real HTTP: each change
is stored with its audit entries in one transaction, a refused one names the field and the value and writes
nothing, and the integrations' change feeds do not see any of it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph_service.services.audit import AuditTrail
from graph_service.services.changes import ChangeService
from graph_service.store.embedded import LadybugStore
from tests.integration.writes_support import Server, running_server

SETUP = "test-setup"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = LadybugStore(Path(tmp_path_factory.mktemp("support")) / "graph.lbdb")
    store.ensure_schema()
    svc = ChangeService(store)
    svc.create_node(SETUP, "Area", {"id": "city", "level": "city", "name": "菏泽市"})
    svc.create_node(SETUP, "Area", {"id": "dist", "level": "district", "name": "牡丹区"}, parent_id="city")
    svc.create_node(SETUP, "Area", {"id": "street", "level": "street", "name": "西城街道"}, parent_id="dist")
    svc.create_node(SETUP, "Area", {"id": "comm", "level": "community", "name": "丹阳社区"}, parent_id="street")
    svc.create_node(SETUP, "Area", {"id": "cpd", "level": "compound", "name": "牡丹小区"}, parent_id="comm")
    svc.create_node(SETUP, "Organization", {"id": "sc", "kind": "street_committee", "name": "西城街道党工委"})
    svc.create_node(SETUP, "Organization", {"id": "cc", "kind": "community_committee", "name": "丹阳社区党委"}, parent_id="sc")
    svc.create_node(SETUP, "Organization", {"id": "br", "kind": "compound_branch", "name": "牡丹小区党支部"}, parent_id="cc")
    svc.create_node(SETUP, "Organization", {"id": "oc", "kind": "owners_committee", "name": "牡丹小区业委会"})
    svc.create_node(SETUP, "Organization", {"id": "jb", "kind": "joint_branch", "name": "非公企业联合党支部"}, parent_id="cc")
    svc.create_node(SETUP, "Organization", {"id": "old", "kind": "compound_branch", "name": "旧支部", "dissolved": "2022-12-31"})
    for n in range(3):
        svc.create_node(SETUP, "Person", {"id": f"p{n}", "name": f"党员{n}", "is_party_member": True})
    svc.create_node(SETUP, "Person", {"id": "gone", "name": "已迁出", "left_on": "2023-01-31"})
    try:
        with running_server(store) as srv:
            yield srv
    finally:
        store.close()


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def write_version(server: Server) -> int:
    with server.client(None) as client:
        return int(client.get("/healthz").json()["write_version"])


def feed_cursor(server: Server) -> dict[str, str]:
    """The cursors of both integration feeds now."""
    feeds = server.graphql("integration", "{ pairingChanges { cursor } registrationChanges { cursor } }")["data"]
    return {name: feed["cursor"] for name, feed in feeds.items()}


def feed_events_since(server: Server, cursors: dict[str, str]) -> list[dict[str, Any]]:
    """The events both integration feeds show after ``cursors``."""
    query = """query($p: String, $r: String) { pairingChanges(since: $p) { events { entityType entityId } }
                                              registrationChanges(since: $r) { events { entityType entityId } } }"""
    feeds = server.graphql("integration", query, {"p": cursors["pairingChanges"], "r": cursors["registrationChanges"]})["data"]
    return [event for feed in feeds.values() for event in feed["events"]]


def payload(body: dict[str, Any]) -> dict[str, Any]:
    assert body["_status"] == 200 and "errors" not in body, body
    return dict(next(iter(body["data"].values())))


CREATE_ACTIVITY = """mutation($input: CreateActivityInput!) {
  createActivity(input: $input) {
    activity { domainId kind { code } heldOn attendance topic heldBy { domainId } attendees { domainId name } }
    errors { field message value }
  }
}"""
UPDATE_ACTIVITY = """mutation($input: UpdateActivityInput!) {
  updateActivity(input: $input) { activity { domainId kind { code } heldOn attendance topic } errors { field message value } }
}"""
AUDIT = """query($id: ID!) { auditLog(entityId: $id) { totalCount edges { node { action entityType before after } } } }"""


def test_an_activity_is_created_with_its_organisation_and_attendees_and_corrected(server: Server) -> None:
    trail = AuditTrail(server.store)
    cursors, audited = feed_cursor(server), trail.cursor()
    activity_id = uid("act")
    created = payload(
        server.graphql(
            "editor",
            CREATE_ACTIVITY,
            {
                "input": {
                    "id": activity_id,
                    "organizationId": "br",
                    "kind": "GENERAL_MEETING",
                    "heldOn": "2025-03-20",
                    "attendance": 2,
                    "topic": "换届选举",
                    "attendeeIds": ["p0", "p1"],
                }
            },
        )
    )
    assert created["errors"] == []
    activity = created["activity"]
    assert activity["domainId"] == activity_id and activity["kind"] == {"code": "GENERAL_MEETING"}
    assert activity["heldBy"] == {"domainId": "br"} and activity["heldOn"] == "2025-03-20"
    assert sorted(a["domainId"] for a in activity["attendees"]) == ["p0", "p1"]
    assert {a["name"] for a in activity["attendees"]} == {"党员0", "党员1"}
    # One transaction: the activity, its HELD_BY and each ATTENDED, each with its audit entry.
    made = trail.feed(["Activity", "HELD_BY", "ATTENDED"], audited).events
    assert sorted((e.action, e.entity_type) for e in made) == [
        ("create", "ATTENDED"),
        ("create", "ATTENDED"),
        ("create", "Activity"),
        ("create", "HELD_BY"),
    ]
    rels = {(e.after["from"], e.after["to"]) for e in made if e.after and "rel" in e.after}
    assert rels == {(activity_id, "br"), ("p0", activity_id), ("p1", activity_id)}

    updated = payload(
        server.graphql("editor", UPDATE_ACTIVITY, {"input": {"id": activity_id, "heldOn": "2025-03-21", "topic": None}})
    )
    assert updated == {
        "activity": {
            "domainId": activity_id,
            "kind": {"code": "GENERAL_MEETING"},
            "heldOn": "2025-03-21",
            "attendance": 2,
            "topic": None,
        },
        "errors": [],
    }
    log = server.graphql("analyst", AUDIT, {"id": activity_id})["data"]["auditLog"]
    entries = [e["node"] for e in log["edges"]]
    # An entity's log holds its links' changes too: who held it and who came, created with it.
    own = [e for e in entries if e["entityType"] == "Activity"]
    assert [e["action"] for e in own] == ["CREATE", "UPDATE"]
    assert sorted(e["entityType"] for e in entries if e["entityType"] != "Activity") == ["ATTENDED", "ATTENDED", "HELD_BY"]
    assert own[1]["before"]["props"]["held_on"] == "2025-03-20" and own[1]["after"]["props"]["held_on"] == "2025-03-21"
    assert "topic" not in own[1]["after"]["props"]
    listed = server.graphql("analyst", '{ organization(id: "br") { activities { nodes { domainId } } } }')["data"]
    assert activity_id in [a["domainId"] for a in listed["organization"]["activities"]["nodes"]]
    assert feed_events_since(server, cursors) == []  # the integrations' feeds show none of it


def test_an_activity_without_attendees_and_an_unchanged_update(server: Server) -> None:
    created = payload(
        server.graphql(
            "editor",
            CREATE_ACTIVITY,
            {"input": {"organizationId": "jb", "kind": "THEMED_PARTY_DAY", "heldOn": date.today().isoformat()}},
        )
    )
    activity = created["activity"]
    assert created["errors"] == [] and activity["domainId"].startswith("activity-") and activity["attendees"] == []
    before = write_version(server)
    same = payload(server.graphql("editor", UPDATE_ACTIVITY, {"input": {"id": activity["domainId"], "kind": "THEMED_PARTY_DAY"}}))
    assert same["errors"] == [] and write_version(server) == before


TOMORROW = (date.today() + timedelta(days=1)).isoformat()

ACTIVITY_ERRORS: list[tuple[dict[str, Any], str, str | None]] = [
    ({"organizationId": "oc"}, "organizationId", "owners_committee"),
    ({"organizationId": "nowhere"}, "organizationId", "nowhere"),
    ({"heldOn": TOMORROW}, "heldOn", TOMORROW),
    ({"organizationId": "old", "heldOn": "2023-03-01"}, "organizationId", "old"),
    ({"attendeeIds": ["p0", "nobody"]}, "attendeeIds", "nobody"),
    ({"attendeeIds": ["p0", "p0"]}, "attendeeIds", "p0"),
    ({"attendeeIds": ["gone"]}, "attendeeIds", "gone"),
    ({"attendance": -1}, "attendance", "-1"),
]


@pytest.mark.parametrize(("given", "field", "value"), ACTIVITY_ERRORS)
def test_a_refused_activity_names_field_and_value_and_writes_nothing(
    server: Server, given: dict[str, Any], field: str, value: str | None
) -> None:
    activity_id = uid("act")
    before = write_version(server)
    body = server.graphql(
        "editor",
        CREATE_ACTIVITY,
        {"input": {"id": activity_id, "organizationId": "br", "kind": "PARTY_LESSON", "heldOn": "2024-05-01", **given}},
    )
    answer = payload(body)
    assert answer["activity"] is None
    assert [(e["field"], e["value"]) for e in answer["errors"]] == [(field, value)], answer["errors"]
    assert all(e["message"] and "Traceback" not in e["message"] for e in answer["errors"])
    assert write_version(server) == before
    found = server.graphql("analyst", "query($id: String!) { activity(id: $id) { domainId } }", {"id": activity_id})
    assert found["data"]["activity"] is None


def test_moving_an_activity_past_its_organisation_or_to_the_future_is_refused(server: Server) -> None:
    activity = payload(
        server.graphql(
            "editor",
            CREATE_ACTIVITY,
            {"input": {"organizationId": "old", "kind": "GENERAL_MEETING", "heldOn": "2022-06-01", "attendeeIds": ["gone"]}},
        )
    )["activity"]
    for held_on, named in (("2023-01-15", "'old' was dissolved on 2022-12-31"), ("2023-02-15", "'gone' left on 2023-01-31")):
        answer = payload(server.graphql("editor", UPDATE_ACTIVITY, {"input": {"id": activity["domainId"], "heldOn": held_on}}))
        assert answer["activity"] is None
        assert any(e["field"] == "heldOn" and e["value"] == held_on and named in e["message"] for e in answer["errors"]), answer
    answer = payload(server.graphql("editor", UPDATE_ACTIVITY, {"input": {"id": activity["domainId"], "heldOn": TOMORROW}}))
    assert [(e["field"], e["value"]) for e in answer["errors"]] == [("heldOn", TOMORROW)]
    answer = payload(server.graphql("editor", UPDATE_ACTIVITY, {"input": {"id": activity["domainId"], "kind": None}}))
    assert [e["field"] for e in answer["errors"]] == ["kind"]


@pytest.mark.parametrize("role", ["viewer", "analyst", "integration"])
def test_only_editors_record_activities(server: Server, role: str) -> None:
    before = write_version(server)
    body = server.graphql(role, CREATE_ACTIVITY, {"input": {"organizationId": "br", "kind": "OTHER", "heldOn": "2024-01-01"}})
    assert body["errors"] and "editor" in body["errors"][0]["message"]
    assert write_version(server) == before


POST = """mutation($input: CreatePostInput!) {
  createPost(input: $input) { membership { domainId memberStatus { code } } errors { field message value } }
}"""


def test_member_standing_belongs_to_party_posts(server: Server) -> None:
    probationary = {"personId": "p2", "organizationId": "br", "post": "MEMBER", "memberStatus": "PROBATIONARY"}
    made = payload(server.graphql("editor", POST, {"input": probationary}))
    assert made["errors"] == [] and made["membership"]["memberStatus"] == {"code": "PROBATIONARY"}
    refused = payload(
        server.graphql(
            "editor", POST, {"input": {"personId": "p2", "organizationId": "oc", "post": "OC_MEMBER", "memberStatus": "FULL"}}
        )
    )
    assert refused["membership"] is None and [(e["field"], e["value"]) for e in refused["errors"]] == [("memberStatus", "full")]
    grid = payload(server.graphql("editor", POST, {"input": {"personId": "p2", "organizationId": "cc", "post": "GRID_WORKER"}}))
    update = """mutation($input: UpdatePostInput!) {
      updatePost(input: $input) { membership { domainId } errors { field value } } }"""
    refused = payload(
        server.graphql("editor", update, {"input": {"id": grid["membership"]["domainId"], "memberStatus": "PROBATIONARY"}})
    )
    assert refused["errors"] == [{"field": "memberStatus", "value": "probationary"}]
    promoted = payload(
        server.graphql("editor", update, {"input": {"id": made["membership"]["domainId"], "memberStatus": "FULL"}})
    )
    assert promoted["errors"] == []


def test_a_term_is_recorded_on_an_organisation(server: Server) -> None:
    body = server.graphql(
        "editor",
        """mutation { createOrganization(input: {kind: COMMUNITY_COMMITTEE, name: "新社区党委", termStart: "2021-05-01",
             termYears: 5}) { organization { domainId termStart termYears } errors { field value } } }""",
    )
    made = payload(body)
    assert made["errors"] == [] and made["organization"]["termStart"] == "2021-05-01" and made["organization"]["termYears"] == 5
    update = """mutation($id: ID!) { updateOrganization(input: {id: $id, termYears: 11}) { errors { field value } } }"""
    assert payload(server.graphql("editor", update, {"id": made["organization"]["domainId"]}))["errors"] == [
        {"field": "termYears", "value": "11"}
    ]


# --- the dated links of support ------------------------------------------------------------------------------------

LINKS: dict[str, dict[str, Any]] = {
    "JointBranchMembership": {
        "create": "createJointBranchMembership",
        "input": {"unitId": "UNIT", "jointBranchId": "jb", "startDate": "2024-01-01"},
        "fields": "domainId startDate endDate active unit { domainId } jointBranch { domainId }",
        "entity": "jointBranchMembership",
        "update": ("updateJointBranchMembership", {"startDate": "2024-02-01"}),
        "end": "endJointBranchMembership",
        "read": ('{ organization(id: "jb") { units { domainId endDate } } }', ("organization", "units")),
    },
    "CadrePosting": {
        "create": "createCadrePosting",
        "input": {"personId": "PERSON", "communityId": "comm", "duty": "包联社区", "startDate": "2024-01-01"},
        "fields": "domainId duty startDate endDate active person { domainId } community { domainId }",
        "entity": "cadrePosting",
        "update": ("updateCadrePosting", {"duty": "第一书记"}),
        "end": "endCadrePosting",
        "read": ('{ area(id: "comm") { sentDownCadres { domainId endDate } } }', ("area", "sentDownCadres")),
    },
    "Liaison": {
        "create": "createLiaison",
        "input": {"personId": "PERSON", "communityId": "comm", "role": "CPPCC_MEMBER", "level": "区政协"},
        "fields": "domainId role { code } level startDate endDate active person { domainId } community { domainId }",
        "entity": "liaison",
        "update": ("updateLiaison", {"level": "市政协"}),
        "end": "endLiaison",
        "read": ('{ area(id: "comm") { deputies { domainId endDate } } }', ("area", "deputies")),
    },
}


def _fresh(server: Server, what: str) -> str:
    """A new unit or person, so that each test's links are its own."""
    if what == "UNIT":
        made = payload(
            server.graphql(
                "editor",
                'mutation { createOrganization(input: {kind: UNIT, name: "小微企业", unitType: PRIVATE_FIRM}) '
                "{ organization { domainId } errors { field } } }",
            )
        )
        return str(made["organization"]["domainId"])
    person = 'mutation { createPerson(input: {name: "干部"}) { person { domainId } errors { field } } }'
    made = payload(server.graphql("editor", person))
    return str(made["person"]["domainId"])


def _input(server: Server, spec: dict[str, Any], **changes: Any) -> dict[str, Any]:
    given = {**spec["input"], **changes}
    return {k: (_fresh(server, v) if v in ("UNIT", "PERSON") else v) for k, v in given.items()}


@pytest.mark.parametrize("type_name", sorted(LINKS))
def test_a_link_of_support_is_created_changed_and_ended_with_its_audit(server: Server, type_name: str) -> None:
    spec = LINKS[type_name]
    cursors = feed_cursor(server)
    create = f"""mutation($input: Create{type_name}Input!) {{
      {spec["create"]}(input: $input) {{ {spec["entity"]} {{ {spec["fields"]} }} errors {{ field message value }} }} }}"""
    made = payload(server.graphql("editor", create, {"input": _input(server, spec)}))
    assert made["errors"] == [], made
    link = made[spec["entity"]]
    assert link["active"] is True and link["endDate"] is None
    name, changes = spec["update"]
    update = f"""mutation($input: Update{type_name}Input!) {{
      {name}(input: $input) {{ {spec["entity"]} {{ {spec["fields"]} }} errors {{ field }} }} }}"""
    changed = payload(server.graphql("editor", update, {"input": {"id": link["domainId"], **changes}}))
    assert changed["errors"] == [] and all(changed[spec["entity"]][k] == v for k, v in changes.items())
    end = f"""mutation($id: ID!) {{ {spec["end"]}(input: {{id: $id, endDate: "2025-06-30"}}) {{
      {spec["entity"]} {{ endDate active }} errors {{ field message value }} }} }}"""
    ended = payload(server.graphql("editor", end, {"id": link["domainId"]}))
    assert ended == {spec["entity"]: {"endDate": "2025-06-30", "active": False}, "errors": []}
    again = payload(server.graphql("editor", end, {"id": link["domainId"]}))
    assert [(e["field"], e["value"]) for e in again["errors"]] == [("endDate", "2025-06-30")]
    query, (root, field) = spec["read"]
    listed = server.graphql("analyst", query)["data"][root][field]
    assert {"domainId": link["domainId"], "endDate": "2025-06-30"} in listed
    log = server.graphql("analyst", AUDIT, {"id": link["domainId"]})["data"]["auditLog"]
    assert [e["node"]["action"] for e in log["edges"]] == ["CREATE", "UPDATE", "END"]
    assert feed_events_since(server, cursors) == []


LINK_ERRORS: list[tuple[str, dict[str, Any], str, str]] = [
    ("JointBranchMembership", {"unitId": "br"}, "unitId", "compound_branch"),
    ("JointBranchMembership", {"jointBranchId": "cc"}, "jointBranchId", "community_committee"),
    ("CadrePosting", {"communityId": "cpd"}, "communityId", "compound"),
    ("CadrePosting", {"personId": "nobody"}, "personId", "nobody"),
    ("Liaison", {"communityId": "street"}, "communityId", "street"),
    ("Liaison", {"startDate": "2025-01-01", "endDate": "2024-01-01"}, "endDate", "2024-01-01"),
]


@pytest.mark.parametrize(("type_name", "given", "field", "value"), LINK_ERRORS)
def test_a_refused_link_names_field_and_value_and_writes_nothing(
    server: Server, type_name: str, given: dict[str, Any], field: str, value: str
) -> None:
    spec = LINKS[type_name]
    variables = {"input": _input(server, spec, **given)}
    before = write_version(server)
    create = f"""mutation($input: Create{type_name}Input!) {{
      {spec["create"]}(input: $input) {{ {spec["entity"]} {{ domainId }} errors {{ field message value }} }} }}"""
    answer = payload(server.graphql("editor", create, variables))
    assert answer[spec["entity"]] is None
    assert [(e["field"], e["value"]) for e in answer["errors"]] == [(field, value)], answer
    assert write_version(server) == before


def test_a_second_posting_at_once_is_refused_and_a_cadre_who_leaves_ends_it(server: Server) -> None:
    spec = LINKS["CadrePosting"]
    person = _fresh(server, "PERSON")
    create = """mutation($input: CreateCadrePostingInput!) {
      createCadrePosting(input: $input) { cadrePosting { domainId } errors { field message value } } }"""
    first = payload(server.graphql("editor", create, {"input": {**spec["input"], "personId": person}}))
    again = payload(server.graphql("editor", create, {"input": {**spec["input"], "personId": person, "startDate": "2024-06-01"}}))
    assert [e["field"] for e in again["errors"]] == ["startDate"]
    assert first["cadrePosting"]["domainId"] in again["errors"][0]["message"]
    left = payload(
        server.graphql(
            "editor",
            'mutation($id: ID!) { endPerson(input: {id: $id, leftOn: "2025-05-31"}) { errors { field } } }',
            {"id": person},
        )
    )
    assert left["errors"] == []
    postings = server.graphql("analyst", "query($id: String!) { person(id: $id) { sentDownTo { endDate } } }", {"id": person})[
        "data"
    ]["person"]["sentDownTo"]
    assert postings == [{"endDate": "2025-05-31"}]
