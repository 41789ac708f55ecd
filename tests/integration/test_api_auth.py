"""Access over real HTTP: keys, roles, per-field personal data, the GraphiQL page and health without a key."""

from __future__ import annotations

import httpx
import pytest

from graph_service.cli.backend import Local
from graph_service.cli.keys import create_key_command
from graph_service.config import Settings
from graph_service.services.keys import create_key
from graph_service.store.embedded import LadybugStore

PERSON_QUERY = """query($id: String!) { person(id: $id) { domainId isPartyMember employment { code }
    name phone address idNumber memberships { post { code } } } }"""


def _secretary(city):
    return next(n for n in city.nodes("Person") if n.id.endswith("-sec"))


def test_without_a_key_only_health_and_graphiql(live_server):
    response = httpx.post(live_server.graphql_url, json={"query": "{ __typename }"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "API key" in response.json()["errors"][0]["message"]
    assert httpx.get(live_server.graphql_url, params={"query": "{ __typename }"}).status_code == 401
    page = httpx.get(live_server.graphql_url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert httpx.get(f"{live_server.base_url}/healthz").status_code == 200


def test_a_wrong_key_is_refused(live_server):
    for header in ("Bearer not-a-key", "Bearer " + live_server.keys["admin"] + "x", "Basic " + live_server.keys["admin"]):
        response = httpx.post(live_server.graphql_url, json={"query": "{ __typename }"}, headers={"Authorization": header})
        assert response.status_code == 401, header


def test_personal_fields_are_null_with_an_error_for_a_viewer(live_server, small_city):
    secretary = _secretary(small_city)
    body = live_server.gql(PERSON_QUERY, {"id": secretary.id}, role="viewer").json()
    person = body["data"]["person"]
    # The rest of the answer is intact ...
    assert person["domainId"] == secretary.id and person["isPartyMember"] is True
    assert person["memberships"] and person["employment"]["code"] == "RETIRED"
    # ... and each personal field is null with its own error naming it.
    for field in ("name", "phone", "address", "idNumber"):
        assert person[field] is None
    errors = {tuple(e["path"]): e for e in body["errors"]}
    assert set(errors) == {("person", f) for f in ("name", "phone", "address", "idNumber")}
    assert "Person.phone" in errors[("person", "phone")]["message"]
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in errors.values())


@pytest.mark.parametrize("role", ["analyst", "editor", "admin"])
def test_roles_that_may_read_personal_data(live_server, small_city, role):
    secretary = _secretary(small_city)
    data = live_server.data(PERSON_QUERY, {"id": secretary.id}, role=role)["person"]
    assert data["name"] == secretary.props["name"]
    assert data["phone"] == secretary.props["phone"]
    assert data["idNumber"] == secretary.props["id_number"]


def test_asking_only_for_allowed_fields_gives_no_error(live_server, small_city):
    body = live_server.gql(
        "query($id: String!) { person(id: $id) { domainId birthYear } }", {"id": _secretary(small_city).id}, "viewer"
    ).json()
    assert "errors" not in body


def test_integration_reads_pairings_registrations_and_organisations_only(live_server):
    allowed = live_server.gql(
        "{ pairings(first: 1) { totalCount } registrations(first: 1) { totalCount } organizations(first: 1) { totalCount } }",
        role="integration",
    ).json()
    assert "errors" not in allowed and allowed["data"]["pairings"]["totalCount"] > 0
    for field in ("areas", "compounds", "people", "crossAppointments"):
        body = live_server.gql(f"{{ {field} {{ totalCount }} }}", role="integration").json()
        [error] = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN" and f"Query.{field}" in error["message"]


def test_integration_sees_no_personal_data_of_registered_members(live_server):
    body = live_server.gql(
        "{ registrations(filter: {registrantKind: MEMBER}) { edges { node { member { domainId name phone } } } } }",
        role="integration",
    ).json()
    members = [e["node"]["member"] for e in body["data"]["registrations"]["edges"]]
    assert members and all(m["domainId"] and m["name"] is None and m["phone"] is None for m in members)
    assert {e["path"][-1] for e in body["errors"]} == {"name", "phone"}


def test_staff_flags_are_for_analysts(live_server):
    query = "{ organizations(kind: COMPOUND_BRANCH, first: 2) { edges { node { name flags } } } }"
    viewer = live_server.gql(query, role="viewer").json()
    assert viewer["data"]["organizations"]["edges"][0]["node"]["name"]
    assert all(e["extensions"]["code"] == "FORBIDDEN" for e in viewer["errors"])
    analyst = live_server.gql(query, role="analyst").json()
    assert "errors" not in analyst and analyst["data"]["organizations"]["edges"][0]["node"]["flags"] == []


def test_name_search_of_people_needs_personal_access(live_server):
    body = live_server.gql('{ people(filter: {nameContains: "书记"}) { totalCount } }', role="viewer").json()
    assert "nameContains" in body["errors"][0]["message"]
    data = live_server.data('{ people(filter: {nameContains: "书记"}) { totalCount } }', role="analyst")
    assert data["people"]["totalCount"] > 0


def test_a_stored_key_works_and_is_kept_only_as_a_hash(live_server):
    info, key = create_key(live_server.store, "analyst", "test")
    key_id = info.id
    response = httpx.post(live_server.graphql_url, json={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    rows = live_server.store.read("api_key_get", {"id": key_id})
    assert rows[0]["role"] == "analyst"
    assert key.split("_", 2)[2] not in rows[0]["key_hash"] and rows[0]["key_hash"].startswith("scrypt$")
    # The secret part of a stored key matters, not just its id.
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert (
        httpx.post(
            live_server.graphql_url, json={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {forged}"}
        ).status_code
        == 401
    )


def test_keys_create_command_prints_the_key_once(tmp_path, capsys):
    settings = Settings(data_dir=tmp_path)
    key = create_key_command(Local(settings), role="viewer", note="planner")
    out = capsys.readouterr().out
    assert out.count(key) == 1 and "viewer" in out
    with LadybugStore(settings.database_path) as store:
        rows = store.read("api_key_get", {"id": key.split("_")[1]})
    assert rows and rows[0]["role"] == "viewer"
