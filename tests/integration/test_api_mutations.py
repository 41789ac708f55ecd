"""Mutations, the audit log and the change feeds over real HTTP against a real server on the embedded store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_service.services.changes import ChangeService
from graph_service.store.embedded import LadybugStore
from tests.integration.writes_support import Server, running_server

SETUP = "test-setup"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = LadybugStore(Path(tmp_path_factory.mktemp("mutations")) / "graph.lbdb")
    store.ensure_schema()
    svc = ChangeService(store)
    svc.create_node(SETUP, "Area", {"id": "city", "level": "city", "name": "菏泽市"})
    svc.create_node(SETUP, "Area", {"id": "dist", "level": "district", "name": "牡丹区"}, parent_id="city")
    svc.create_node(SETUP, "Area", {"id": "street", "level": "street", "name": "西城街道"}, parent_id="dist")
    svc.create_node(SETUP, "Area", {"id": "comm", "level": "community", "name": "丹阳社区"}, parent_id="street")
    svc.create_node(SETUP, "Organization", {"id": "sc", "kind": "street_committee", "name": "西城街道党工委"})
    svc.create_node(SETUP, "Organization", {"id": "cc", "kind": "community_committee", "name": "丹阳社区党委"}, parent_id="sc")
    svc.create_node(SETUP, "Organization", {"id": "br", "kind": "compound_branch", "name": "牡丹小区党支部"}, parent_id="cc")
    try:
        with running_server(store) as srv:
            yield srv
    finally:
        store.close()


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def make_unit_org(server: Server, org_id: str) -> None:
    body = server.graphql(
        "editor",
        """mutation($id: ID!) {
             createOrganization(input: {id: $id, kind: UNIT_PARTY_ORG, name: "市教育局党支部", unitType: AGENCY}) {
               organization { domainId } errors { field message value } } }""",
        {"id": org_id},
    )
    assert body["data"]["createOrganization"]["errors"] == [], body


PAIR = """mutation($input: CreatePairingInput!) {
  createPairing(input: $input) {
    pairing { domainId startDate endDate unitOrganization { domainId } communityOrganization { name } }
    errors { field message value }
  }
}"""


def test_editor_creates_updates_and_ends_through_graphql(server: Server) -> None:
    area_id = uid("cpd")
    body = server.graphql(
        "editor",
        """mutation($id: ID!) {
             createArea(input: {id: $id, level: COMPOUND, name: "新建小区", parentId: "comm", households: 120}) {
               area { domainId name households level { code label } parent { domainId } }
               errors { field message value } } }""",
        {"id": area_id},
    )
    assert "data" in body, body
    payload = body["data"]["createArea"]
    assert payload["errors"] == []
    assert payload["area"]["domainId"] == area_id and payload["area"]["households"] == 120
    assert payload["area"]["level"] == {"code": "COMPOUND", "label": "小区(网格)"}
    assert payload["area"]["parent"] == {"domainId": "comm"}

    body = server.graphql(
        "editor",
        "mutation($id: ID!) { updateArea(input: {id: $id, households: 150, code: null}) "
        "{ area { households } errors { field } } }",
        {"id": area_id},
    )
    assert body["data"]["updateArea"] == {"area": {"households": 150}, "errors": []}

    body = server.graphql(
        "editor",
        'mutation($id: ID!) { endArea(input: {id: $id, abolished: "2025-06-30"}) { area { abolished } errors { field } } }',
        {"id": area_id},
    )
    assert body["data"]["endArea"] == {"area": {"abolished": "2025-06-30"}, "errors": []}

    log = server.graphql(
        "analyst",
        "query($id: ID!) { auditLog(entityId: $id) { totalCount edges { node { action entityType actor before after } } } }",
        {"id": area_id},
    )["data"]["auditLog"]
    # The area's own changes and the PART_OF that placed it, oldest first.
    assert log["totalCount"] == 4
    nodes = [e["node"] for e in log["edges"]]
    assert [(n["action"], n["entityType"]) for n in nodes] == [
        ("CREATE", "Area"),
        ("CREATE", "PART_OF"),
        ("UPDATE", "Area"),
        ("END", "Area"),
    ]
    assert all("(editor)" in n["actor"] for n in nodes)
    assert (nodes[1]["after"]["from"], nodes[1]["after"]["to"]) == (area_id, "comm")
    assert nodes[2]["before"]["props"]["households"] == 120 and nodes[2]["after"]["props"]["households"] == 150
    assert nodes[3]["after"]["props"]["abolished"] == "2025-06-30"


def test_people_and_posts(server: Server) -> None:
    person = uid("p")
    body = server.graphql(
        "editor",
        """mutation($id: ID!) { createPerson(input: {id: $id, name: "赵六", isPartyMember: true, phone: "13900000000"}) {
             person { domainId name phone } errors { field } } }""",
        {"id": person},
    )
    assert body["data"]["createPerson"] == {
        "person": {"domainId": person, "name": "赵六", "phone": "13900000000"},
        "errors": [],
    }
    body = server.graphql(
        "editor",
        """mutation($p: ID!) { createPost(input: {personId: $p, organizationId: "br", post: SECRETARY, startDate: "2024-01-01"}) {
             membership { domainId post { code } person { domainId } organization { domainId } }
             errors { field message value } } }""",
        {"p": person},
    )
    post = body["data"]["createPost"]
    assert post["errors"] == [] and post["membership"]["post"] == {"code": "SECRETARY"}
    assert post["membership"]["organization"] == {"domainId": "br"}
    post_id = post["membership"]["domainId"]
    body = server.graphql(
        "editor",
        'mutation($id: ID!) { endPost(input: {id: $id, endDate: "2024-12-31"}) '
        "{ membership { endDate active } errors { field } } }",
        {"id": post_id},
    )
    assert body["data"]["endPost"] == {"membership": {"endDate": "2024-12-31", "active": False}, "errors": []}
    body = server.graphql(
        "editor",
        """mutation($p: ID!) { createPost(input: {personId: $p, organizationId: "br", post: OC_DIRECTOR}) {
             membership { domainId } errors { field message value } } }""",
        {"p": person},
    )
    assert body["data"]["createPost"]["membership"] is None
    assert body["data"]["createPost"]["errors"][0]["field"] == "post"
    assert body["data"]["createPost"]["errors"][0]["value"] == "oc_director"


@pytest.mark.parametrize("role", ["viewer", "integration", "analyst"])
def test_roles_other_than_editor_cannot_mutate(server: Server, role: str) -> None:
    with server.client(None) as client:
        before = client.get("/healthz").json()["write_version"]
    body = server.graphql(role, PAIR, {"input": {"unitOrgId": "x", "communityOrgId": "cc"}})
    assert body.get("data") is None or body["data"].get("createPairing") is None
    assert body["errors"] and "editor" in body["errors"][0]["message"] and role in body["errors"][0]["message"]
    with server.client(None) as client:
        assert client.get("/healthz").json()["write_version"] == before


def test_no_key_is_refused(server: Server) -> None:
    with server.client(None) as client:
        response = client.post(
            "/graphql", json={"query": 'mutation { endPairing(input: {id: "x", endDate: "2024-01-01"}) { errors { field } } }'}
        )
    assert response.status_code == 401


BAD_INPUTS: list[tuple[str, dict[str, Any], str, str | None]] = [
    (PAIR, {"input": {"unitOrgId": "br", "communityOrgId": "cc"}}, "unitOrgId", "compound_branch"),
    (PAIR, {"input": {"unitOrgId": "UNIT", "communityOrgId": "nowhere"}}, "communityOrgId", "nowhere"),
    (
        PAIR,
        {"input": {"unitOrgId": "UNIT", "communityOrgId": "cc", "startDate": "2024-05-01", "endDate": "2024-01-01"}},
        "endDate",
        "2024-01-01",
    ),
    (
        "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) "
        "{ organization { domainId } errors { field message value } } }",
        {"input": {"id": "UNIT", "capacity": -2}},
        "capacity",
        "-2",
    ),
    (
        "mutation($input: EndRelationInput!) { endPairing(input: $input) "
        "{ pairing { domainId } errors { field message value } } }",
        {"input": {"id": "no-such-pairing", "endDate": "2024-01-01"}},
        "id",
        "no-such-pairing",
    ),
]


@pytest.mark.parametrize(("query", "variables", "field", "value"), BAD_INPUTS)
def test_bad_input_gives_payload_errors_and_writes_nothing(
    server: Server, query: str, variables: dict[str, Any], field: str, value: str | None
) -> None:
    unit = uid("upo")
    make_unit_org(server, unit)
    variables = {"input": {k: (unit if v == "UNIT" else v) for k, v in variables["input"].items()}}
    with server.client(None) as client:
        before = client.get("/healthz").json()["write_version"]
    body = server.graphql("editor", query, variables)
    assert body["_status"] == 200 and "errors" not in body, body
    payload = next(iter(body["data"].values()))
    entity = next(k for k in payload if k != "errors")
    assert payload[entity] is None
    assert [(e["field"], e["value"]) for e in payload["errors"]] == [(field, value)]
    assert all(e["message"] and "Traceback" not in e["message"] for e in payload["errors"])
    with server.client(None) as client:
        assert client.get("/healthz").json()["write_version"] == before


def test_second_live_pairing_is_a_user_error(server: Server) -> None:
    unit = uid("upo")
    make_unit_org(server, unit)
    first = server.graphql("editor", PAIR, {"input": {"unitOrgId": unit, "communityOrgId": "cc", "startDate": "2024-01-01"}})
    assert first["data"]["createPairing"]["errors"] == []
    assert first["data"]["createPairing"]["pairing"]["unitOrganization"] == {"domainId": unit}
    assert first["data"]["createPairing"]["pairing"]["communityOrganization"] == {"name": "丹阳社区党委"}
    again = server.graphql("editor", PAIR, {"input": {"unitOrgId": unit, "communityOrgId": "cc", "startDate": "2024-06-01"}})
    errors = again["data"]["createPairing"]["errors"]
    assert [e["field"] for e in errors] == ["startDate"]
    assert first["data"]["createPairing"]["pairing"]["domainId"] in errors[0]["message"]


FEED = """query($since: String, $first: Int) {
  pairingChanges(since: $since, first: $first) { events { seq at action entityId after before } cursor hasMore }
}"""


def drain(server: Server, cursor: str | None, role: str = "integration") -> tuple[list[dict[str, Any]], str | None]:
    events: list[dict[str, Any]] = []
    while True:
        feed = server.graphql(role, FEED, {"since": cursor, "first": 2})["data"]["pairingChanges"]
        events += feed["events"]
        cursor = feed["cursor"]
        if not feed["hasMore"]:
            return events, cursor


def test_pairing_changes_sync_without_missing_or_repeating(server: Server) -> None:
    _, cursor = drain(server, None)
    made: list[tuple[str, str]] = []
    synced: list[tuple[str, str]] = []
    for round_no in range(4):
        unit = uid("upo")
        make_unit_org(server, unit)
        created = server.graphql("editor", PAIR, {"input": {"unitOrgId": unit, "communityOrgId": "cc", "projects": ["助老"]}})
        pairing_id = created["data"]["createPairing"]["pairing"]["domainId"]
        made.append(("CREATE", pairing_id))
        if round_no % 2:
            server.graphql(
                "editor",
                'mutation($id: ID!) { updatePairing(input: {id: $id, resources: "场地"}) { errors { field } } }',
                {"id": pairing_id},
            )
            made.append(("UPDATE", pairing_id))
            dissolved = server.graphql(
                "editor",
                'mutation($id: ID!) { endOrganization(input: {id: $id, dissolved: "2030-01-01"}) { errors { field message } } }',
                {"id": unit},
            )
            assert dissolved["data"]["endOrganization"]["errors"] == []
            made.append(("END", pairing_id))  # dissolving the unit's Party organisation ends its pairing
        events, cursor = drain(server, cursor)
        synced += [(e["action"], e["entityId"]) for e in events]
    assert synced == made
    seqs = [e["seq"] for e in drain(server, None)[0]]
    assert seqs == sorted(set(seqs))
    last, _ = drain(server, None)
    ended = next(e for e in last if e["action"] == "END")
    assert ended["at"].endswith("+00:00")
    assert ended["before"]["props"].get("end_date") is None and ended["after"]["props"]["end_date"] == "2030-01-01"


def test_registration_changes_and_feed_permissions(server: Server) -> None:
    unit = uid("upo")
    make_unit_org(server, unit)
    body = server.graphql(
        "editor",
        """mutation($u: ID!) { createRegistration(input: {registrantId: $u, communityOrgId: "cc", startDate: "2024-03-01"}) {
             registration { domainId } errors { field message value } } }""",
        {"u": unit},
    )
    reg_id = body["data"]["createRegistration"]["registration"]["domainId"]
    feed = server.graphql("integration", "{ registrationChanges(first: 1000) { events { action entityId after } cursor } }")[
        "data"
    ]["registrationChanges"]
    mine = [e for e in feed["events"] if e["entityId"] == reg_id]
    assert [e["action"] for e in mine] == ["CREATE"] and mine[0]["after"]["from"] == unit
    denied = server.graphql("viewer", "{ pairingChanges { cursor } }")
    assert denied["errors"] and "pairingChanges" in denied["errors"][0]["message"]
    denied = server.graphql("integration", '{ auditLog(entityId: "cc") { totalCount } }')
    assert denied["errors"] and "auditLog" in denied["errors"][0]["message"]
    bad = server.graphql("integration", '{ pairingChanges(since: "bogus") { cursor } }')
    assert bad["errors"] and "since" in bad["errors"][0]["message"]


LOG_PAGE = """query($id: ID!, $after: String) {
  auditLog(entityId: $id, first: 2, after: $after) {
    totalCount
    edges { cursor node { seq action entityType entityId } }
    pageInfo { hasNextPage endCursor }
  }
}"""


def read_log(server: Server, entity_id: str) -> tuple[list[dict[str, Any]], int]:
    """Every entry of an entity's audit log, two a page, following the cursors; and the total it reported."""
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        log = server.graphql("analyst", LOG_PAGE, {"id": entity_id, "after": after})["data"]["auditLog"]
        entries += [edge["node"] for edge in log["edges"]]
        if not log["pageInfo"]["hasNextPage"]:
            return entries, log["totalCount"]
        after = log["pageInfo"]["endCursor"]


def test_an_organisations_audit_log_holds_the_changes_of_its_links(server: Server) -> None:
    unit = uid("upo")
    make_unit_org(server, unit)
    paired = server.graphql("editor", PAIR, {"input": {"unitOrgId": unit, "communityOrgId": "cc", "startDate": "2024-01-01"}})
    pairing = paired["data"]["createPairing"]["pairing"]["domainId"]
    server.graphql(
        "editor",
        'mutation($id: ID!) { updatePairing(input: {id: $id, resources: "场地"}) { errors { field } } }',
        {"id": pairing},
    )
    registered = server.graphql(
        "editor",
        """mutation($u: ID!) { createRegistration(input: {registrantId: $u, communityOrgId: "cc", startDate: "2024-03-01"}) {
             registration { domainId } errors { field } } }""",
        {"u": unit},
    )
    registration = registered["data"]["createRegistration"]["registration"]["domainId"]
    ended = server.graphql(
        "editor",
        'mutation($id: ID!) { endOrganization(input: {id: $id, dissolved: "2030-01-01"}) { errors { field } } }',
        {"id": unit},
    )
    assert ended["data"]["endOrganization"]["errors"] == []

    entries, total = read_log(server, unit)
    assert [(e["action"], e["entityType"], e["entityId"]) for e in entries] == [
        ("CREATE", "Organization", unit),
        ("CREATE", "PAIRED_WITH", pairing),
        ("UPDATE", "PAIRED_WITH", pairing),
        ("CREATE", "REGISTERED_WITH", registration),
        ("END", "Organization", unit),
        ("END", "PAIRED_WITH", pairing),
        ("END", "REGISTERED_WITH", registration),
    ]
    assert total == len(entries)
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(set(seqs))  # oldest first, none twice across the pages
    # The other end sees the same pairing; a relationship's own log is unchanged.
    community, _ = read_log(server, "cc")
    assert [e["action"] for e in community if e["entityId"] == pairing] == ["CREATE", "UPDATE", "END"]
    own, own_total = read_log(server, pairing)
    assert [e["action"] for e in own] == ["CREATE", "UPDATE", "END"] and own_total == 3


def test_changes_cursor_gives_only_what_follows(server: Server) -> None:
    unit = uid("upo")
    make_unit_org(server, unit)
    server.graphql("editor", PAIR, {"input": {"unitOrgId": unit, "communityOrgId": "cc"}})
    cursor = server.graphql("editor", "{ changesCursor }")["data"]["changesCursor"]
    assert drain(server, cursor, role="editor")[0] == []
    later = uid("upo")
    make_unit_org(server, later)
    created = server.graphql("editor", PAIR, {"input": {"unitOrgId": later, "communityOrgId": "cc"}})
    pairing_id = created["data"]["createPairing"]["pairing"]["domainId"]
    events, _ = drain(server, cursor, role="editor")
    assert [(e["action"], e["entityId"]) for e in events] == [("CREATE", pairing_id)]
    denied = server.graphql("viewer", "{ changesCursor }")
    assert denied["errors"] and "changesCursor" in denied["errors"][0]["message"]


def test_coverage_kept_between_requests_follows_every_write(server: Server) -> None:
    """Coverage figures are kept per area until the next write: a new compound counts at once."""
    query = '{ coverage(areaId: "street") { compounds } coverageChildren(areaId: "street") { area { domainId } compounds } }'
    before = server.graphql("viewer", query)["data"]
    assert server.graphql("viewer", query)["data"] == before  # asked again: the kept figures, the same answer
    body = server.graphql(
        "editor",
        'mutation($id: ID!) { createArea(input: {id: $id, level: COMPOUND, name: "计数小区", parentId: "comm"}) '
        "{ errors { message } } }",
        {"id": uid("kept")},
    )
    assert body["data"]["createArea"]["errors"] == [], body
    after = server.graphql("viewer", query)["data"]
    assert after["coverage"]["compounds"] == before["coverage"]["compounds"] + 1
    counts = {c["area"]["domainId"]: c["compounds"] for c in after["coverageChildren"]}
    assert counts["comm"] == {c["area"]["domainId"]: c["compounds"] for c in before["coverageChildren"]}["comm"] + 1
