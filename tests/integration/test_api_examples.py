"""The example operations in graphql/examples/ run over HTTP with each user's key and return what they promise;
their store round trips match the baseline in graphql/query_counts.json (an N+1 regression shows there).

Refresh the baseline after an intended change:
``GRAPH_SERVICE_UPDATE_QUERY_COUNTS=1 pytest tests/integration/test_api_examples.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graphql import OperationDefinitionNode, parse

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "graph_service" / "graphql" / "examples"
COUNTS = ROOT / "graph_service" / "graphql" / "query_counts.json"
ROLE = {"planner": "viewer", "staff": "analyst", "integration": "integration"}
#: Operations whose store work depends on a cache (analysis results are kept per write version).
NOT_COUNTED = {"staff.WeakOrganizations"}


def operations() -> list[tuple[str, str]]:
    found = []
    for path in sorted(EXAMPLES.glob("*.graphql")):
        for definition in parse(path.read_text(encoding="utf-8")).definitions:
            if isinstance(definition, OperationDefinitionNode):
                assert definition.name is not None, f"{path.name}: every example operation needs a name"
                found.append((path.stem, definition.name.value))
    return found


def _edges(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


# --- what each operation must return, derived from the small city -------------------------------------------------

Check = tuple[Callable[[Any], dict[str, Any]], Callable[[dict[str, Any], Any], None]]


def _city_hierarchy(data, city):
    [c] = _edges(data["areas"])
    assert c["level"]["code"] == "CITY"
    districts = _edges(c["children"])
    assert len(districts) == len(city.nodes("Area", level="district"))
    for d in districts:
        streets = _edges(d["children"])
        assert {s["domainId"] for s in streets} == set(city.under(d["domainId"], "street"))
        assert all(s["ledBy"][0]["kind"]["label"] == "街道党工委" for s in streets)


def _without_branch(data, city):
    compounds = _edges(data["compounds"])
    assert compounds and data["compounds"]["totalCount"] == len(compounds)
    leading = {r.to_id for r in city.rels("LEADS") if r.from_id.endswith("-br")}
    assert all(c["domainId"] not in leading and c["domainId"] in city.under("d1", "compound") for c in compounds)
    assert all(c["chain"][-1]["level"]["label"] == "市" for c in compounds)
    assert all(c["propertyManagement"][0]["company"]["name"] for c in compounds)


def _old_with_gaps(data, city):
    compounds = _edges(data["compounds"])
    assert compounds
    households = [c["households"] for c in compounds]
    assert households == sorted(households, reverse=True)
    for c in compounds:
        buildings = _edges(c["children"])
        assert any(not b["coveredBy"] for b in buildings)


def _drill_down(data, city):
    area = data["area"]
    [branch] = area["ledBy"]
    assert branch["kind"]["label"] == "小区(网格)党支部"
    assert {p["post"]["code"] for p in _edges(branch["memberships"])} == {"SECRETARY"}  # the former one has ended
    assert any(o["kind"]["code"] == "OWNERS_COMMITTEE" for o in area["organizationsLocated"])
    assert area["servedBy"][0]["kind"]["label"] == "网格(小区)党群服务站"


def _coverage(data, city):
    coverage = data["coverage"]
    assert coverage["compounds"] == len(city.under("d1", "compound"))
    figures = {f["code"]: f for f in coverage["figures"]}
    assert figures["building_groups"]["value"] == coverage["buildingGroups"]
    assert figures["building_groups"]["published"] is None, "a district has no published figures; the city has"


def _weak(data, city):
    weak = _edges(data["weakOrganizations"])
    assert weak, "the small city plants compounds without a cross-appointment or a station"
    assert all(o["factors"] for o in weak)
    assert all(any(f["fired"] for f in o["factors"]) for o in weak if o["weak"])


def _cross(data, city):
    rows = _edges(data["crossAppointments"])
    assert rows and all(r["person"]["name"].startswith("书记") and r["person"]["phone"] for r in rows)
    assert all(r["branchMembership"]["post"]["label"] == "书记" for r in rows)


def _post_holders(data, city):
    assert data["organization"]["flags"] == []
    people = _edges(data["people"])
    assert {p["name"] for p in people} == {"书记00", "前任书记"}
    former = next(p for p in people if p["name"] == "前任书记")
    assert former["memberships"][0]["active"] is False


def _find(data, city):
    hits = _edges(data["search"])
    assert hits and {h["label"] for h in hits} == {"Person"}
    assert hits[0]["node"]["memberships"][0]["organization"]["name"].endswith("党支部")


def _organisational_life(data, city):
    activities = _edges(data["activities"])
    day_from, day_to = date(2024, 7, 1), date(2025, 6, 30)
    held_by = {r.from_id: r.to_id for r in city.rels("HELD_BY")}
    in_compound = {"d1s1m1c1-br", "d1s1m1c1b1-g", "d1s1m1c1b2-g"}
    expected = [n for n in city.nodes("Activity") if day_from <= n.props["held_on"] <= day_to and held_by[n.id] in in_compound]
    assert data["activities"]["totalCount"] == len(expected) == len(activities) > 1
    assert [a["heldOn"] for a in activities] == sorted((n.props["held_on"].isoformat() for n in expected), reverse=True)
    assert {a["heldBy"]["domainId"] for a in activities} <= in_compound
    meeting = next(a for a in activities if a["kind"]["code"] == "GENERAL_MEETING")
    assert meeting["kind"]["label"] == "党员大会" and meeting["attendees"] == [{"name": "书记00"}]


def _active_pairings(data, city):
    pairings = _edges(data["pairings"])
    day = date(2024, 1, 1)
    expected = [
        r.id
        for r in city.rels("PAIRED_WITH")
        if r.props["start_date"] <= day and (not r.props.get("end_date") or r.props["end_date"] >= day)
    ]
    assert sorted(p["domainId"] for p in pairings) == sorted(expected)
    assert all(p["unitOrganization"]["unitType"]["label"] and p["community"]["name"] for p in pairings)


def _school_pairings(data, city):
    pairings = _edges(data["pairings"])
    assert [p["unitOrganization"]["name"] for p in pairings] == ["驻区单位2党支部"]


def _registrations(data, city):
    assert data["units"]["totalCount"] == 1 and data["members"]["totalCount"] == 1
    assert _edges(data["members"])[0]["member"]["isPartyMember"] is True


def _committees(data, city):
    committees = _edges(data["organizations"])
    assert len(committees) == len(city.nodes("Organization", kind="community_committee"))
    assert all(c["leads"][0]["domainId"] == c["domainId"].removesuffix("-cc") for c in committees)


def _first_compound(city):
    return city.nodes("Area", level="compound")[0].id


CHECKS: dict[tuple[str, str], Check] = {
    ("planner", "CityHierarchy"): (lambda c: {}, _city_hierarchy),
    ("planner", "CompoundsWithoutBranch"): (lambda c: {"districtId": "d1"}, _without_branch),
    ("planner", "OldCompoundsWithGaps"): (lambda c: {}, _old_with_gaps),
    ("planner", "CompoundDrillDown"): (lambda c: {"compoundId": _first_compound(c)}, _drill_down),
    ("planner", "DistrictCoverage"): (lambda c: {"areaId": "d1"}, _coverage),
    ("staff", "WeakOrganizations"): (lambda c: {"areaId": "d1"}, _weak),
    ("staff", "CrossAppointments"): (lambda c: {"areaId": "d1"}, _cross),
    ("staff", "PostHolders"): (lambda c: {"organizationId": f"{_first_compound(c)}-br"}, _post_holders),
    ("staff", "FindByName"): (lambda c: {"text": "书记00"}, _find),
    ("staff", "OrganisationalLife"): (
        lambda c: {"areaId": _first_compound(c), "heldFrom": "2024-07-01", "heldTo": "2025-06-30"},
        _organisational_life,
    ),
    ("integration", "ActivePairings"): (lambda c: {"activeOn": "2024-01-01"}, _active_pairings),
    ("integration", "SchoolPairingsInDistrict"): (lambda c: {"districtId": "d2", "startedAfter": "2020-01-01"}, _school_pairings),
    ("integration", "CommunityRegistrations"): (
        lambda c: {"communityId": c.nodes("Area", level="community")[0].id},
        _registrations,
    ),
    ("integration", "CommunityCommittees"): (lambda c: {}, _committees),
}


def test_every_example_operation_has_a_check():
    assert set(operations()) == set(CHECKS)


@pytest.fixture(scope="module")
def measured() -> Iterator[dict[str, int]]:
    counts: dict[str, int] = {}
    yield counts
    if os.environ.get("GRAPH_SERVICE_UPDATE_QUERY_COUNTS") and counts:
        baseline = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
        baseline.update(counts)
        COUNTS.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")


@pytest.fixture(scope="module")
def cold_server(start_server, small_city):
    """A server of this module's own, so the round trips counted are those of a cold request: the shared server's
    kept coverage figures (``services.coverage.CoverageReader``) would answer from memory after another module."""
    return start_server(records=small_city.records, max_page_size=100, default_page_size=20)


@pytest.mark.parametrize(("user", "operation"), operations())
def test_example_operation(cold_server, small_city, measured, user, operation):
    variables_of, check = CHECKS[(user, operation)]
    text = (EXAMPLES / f"{user}.graphql").read_text(encoding="utf-8")
    response = cold_server.gql(text, variables_of(small_city), role=ROLE[user], operation_name=operation)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    check(body["data"], small_city)
    key = f"{user}.{operation}"
    if key in NOT_COUNTED:
        return
    trips = int(response.headers["x-store-round-trips"])
    measured[key] = trips
    if not os.environ.get("GRAPH_SERVICE_UPDATE_QUERY_COUNTS"):
        baseline = json.loads(COUNTS.read_text())
        assert trips == baseline.get(key), (
            f"{key} made {trips} store round trips; the baseline says {baseline.get(key)}. If intended, refresh it: "
            "GRAPH_SERVICE_UPDATE_QUERY_COUNTS=1 pytest tests/integration/test_api_examples.py"
        )
