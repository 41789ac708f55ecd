"""The analysis fields over real HTTP on the small city: who may read them, what they answer, filters and paging.

Expected answers are derived from the small city's records (tests/integration/conftest.py), not from constants.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from tests.integration.conftest import City, LiveServer

FIELDS = {
    "underCoveredCompounds": (
        "underCoveredCompounds { totalCount nodes { compoundId score factors { code label value threshold fired } } }"
    ),
    "weakOrganizations": "weakOrganizations { totalCount nodes { orgId score factors { code label criterion value } } }",
    "chainBreaks": "chainBreaks { totalCount nodes { buildingId breakCode breakLabel } }",
    "singlePointsOfFailure": "singlePointsOfFailure { totalCount nodes { personId } }",
    "networkStructure": "networkStructure { nodes edges brokers { personId betweenness } overloaded { personId } }",
    "mobilizationReach": 'mobilizationReach(fromId: "d1s1") { reached { people } unreached { totalCount } }',
    "pairingRecommendations": "pairingRecommendations { demandTotal proposals { totalCount } unmet { communityId } }",
    "analysisThresholds": "analysisThresholds { code value }",
    "weaknessCriteria": "weaknessCriteria { kinds { code label } factors { code label criterion weight } }",
}


def _live(rel_props: dict, day: date) -> bool:
    end = rel_props.get("end_date")
    return end is None or end >= day


def _posts(city: City) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for r in city.rels("MEMBER_OF"):
        if _live(r.props, date.today()):
            found[r.from_id].add(r.to_id)
    return found


def _kind(city: City, node_id: str) -> str | None:
    return city.props(node_id).get("kind")


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_analyst_and_admin_read_every_analysis_field(live_server: LiveServer, field: str):
    for role in ("analyst", "admin"):
        data = live_server.data("{ " + FIELDS[field] + " }", role=role)
        assert data[field] is not None


#: Analysis fields an editor may read besides staff: the proposed pairings, which an editor accepts.
EDITOR_FIELDS = {"pairingRecommendations"}


def test_editors_read_the_pairing_recommendations(live_server: LiveServer):
    for field in EDITOR_FIELDS:
        assert live_server.data("{ " + FIELDS[field] + " }", role="editor")[field] is not None


@pytest.mark.parametrize(
    ("field", "role"),
    [
        (field, role)
        for field in sorted(FIELDS)
        for role in ("viewer", "integration", "editor")
        if not (role == "editor" and field in EDITOR_FIELDS)
    ],
)
def test_other_roles_are_refused_with_the_field_named(live_server: LiveServer, field: str, role: str):
    response = live_server.gql("{ " + FIELDS[field] + " }", role=role)
    body = response.json()
    assert body.get("data") is None or body["data"].get(field) is None
    [error] = body["errors"]
    assert field in error["message"] and "analyst" in error["message"]


def test_single_points_of_failure_are_the_secretaries_who_alone_link_an_owners_committee(
    live_server: LiveServer, small_city: City
):
    posts = _posts(small_city)
    expected = {
        person
        for person, orgs in posts.items()
        if {_kind(small_city, o) for o in orgs} >= {"compound_branch", "owners_committee"}
    }
    assert expected, "the small city plants secretaries who also direct the owners' committee"
    data = live_server.data(
        """{ singlePointsOfFailure(first: 10) { totalCount nodes {
               personId posts { postLabel } cutFrom { id kindLabel } separated { attachedVia { id } } } } }""",
        role="analyst",
    )["singlePointsOfFailure"]
    found = {n["personId"]: n for n in data["nodes"]}
    assert data["totalCount"] == len(found)
    assert set(found) == expected
    for person, node in found.items():
        branch = next(o for o in posts[person] if _kind(small_city, o) == "compound_branch")
        oc = next(o for o in posts[person] if _kind(small_city, o) == "owners_committee")
        assert [o["id"] for o in node["cutFrom"]] == [branch]
        assert node["cutFrom"][0]["kindLabel"] == "小区(网格)党支部"
        assert [o["id"] for part in node["separated"] for o in part["attachedVia"]] == [oc]
        assert {p["postLabel"] for p in node["posts"]} == {"书记", "业委会主任"}


def test_area_filter_and_paging_of_single_points(live_server: LiveServer, small_city: City):
    query = """query($area: ID, $first: Int, $after: String) {
      singlePointsOfFailure(areaId: $area, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { personId posts { orgId } } } }"""
    everything = live_server.data(query, {"first": 100}, role="analyst")["singlePointsOfFailure"]
    in_d1 = live_server.data(query, {"area": "d1", "first": 100}, role="analyst")["singlePointsOfFailure"]
    branches_in_d1 = {f"{c}-br" for c in small_city.under("d1", "compound")}
    expected_d1 = {n["personId"] for n in everything["nodes"] if {p["orgId"] for p in n["posts"]} & branches_in_d1}
    assert expected_d1 and {n["personId"] for n in in_d1["nodes"]} == expected_d1
    assert in_d1["totalCount"] < everything["totalCount"]
    # Pages of two, walked with the cursors, give back the whole list in order.
    seen, after = [], None
    while True:
        page = live_server.data(query, {"first": 2, "after": after}, role="analyst")["singlePointsOfFailure"]
        seen += [n["personId"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [n["personId"] for n in everything["nodes"]]
    too_many = live_server.gql(query, {"first": 101}, role="analyst").json()
    assert "101" in too_many["errors"][0]["message"]


def test_chain_breaks_are_the_buildings_without_a_group_or_whose_group_has_no_branch(live_server: LiveServer, small_city: City):
    covered = {r.to_id: r.from_id for r in small_city.rels("COVERS")}
    has_parent = {r.from_id for r in small_city.rels("SUB_ORG_OF")}
    expected = {
        b.id: ("no_group" if b.id not in covered else "group_without_branch")
        for b in small_city.nodes("Area", level="building")
        if b.id not in covered or covered[b.id] not in has_parent
    }
    data = live_server.data(
        "{ chainBreaks(first: 100) { totalCount nodes { buildingId breakCode breakLabel } } }", role="analyst"
    )
    found = {n["buildingId"]: n["breakCode"] for n in data["chainBreaks"]["nodes"]}
    assert found == expected
    in_d2 = live_server.data('{ chainBreaks(areaId: "d2", first: 100) { nodes { buildingId } } }', role="analyst")
    assert {n["buildingId"] for n in in_d2["chainBreaks"]["nodes"]} == {b for b in expected if "d2" in small_city.ancestors(b)}


def test_under_covered_compounds_show_their_factors(live_server: LiveServer, small_city: City):
    data = live_server.data(
        "{ underCoveredCompounds(first: 100) { totalCount nodes { compoundId gaps factors { code label fired } } } }",
        role="analyst",
    )["underCoveredCompounds"]
    branchless = {c.id for c in small_city.nodes("Area", level="compound")} - {
        r.to_id for r in small_city.rels("LEADS") if _kind(small_city, r.from_id) == "compound_branch"
    }
    nodes = {n["compoundId"]: n for n in data["nodes"]}
    for compound in branchless & set(nodes):
        assert "no_branch" in nodes[compound]["gaps"]
    assert all(f["label"] for n in data["nodes"] for f in n["factors"])


def test_mobilization_reach_from_a_street_misses_the_compounds_without_a_branch(live_server: LiveServer, small_city: City):
    query = """query($k: Int!) { mobilizationReach(fromId: "d1s1", k: $k, first: 100) {
        startId compoundsTotal reached { compounds partyMembers buildingLeaders }
        unreached { totalCount nodes { id stepsNeeded } } } }"""
    compounds = small_city.under("d1s1", "compound")
    led = {r.to_id for r in small_city.rels("LEADS") if _kind(small_city, r.from_id) == "compound_branch"}
    three = live_server.data(query, {"k": 3}, role="analyst")["mobilizationReach"]
    assert three["startId"] == "d1s1-sc" and three["compoundsTotal"] == len(compounds)
    assert {n["id"] for n in three["unreached"]["nodes"]} == {c for c in compounds if c not in led}
    assert three["reached"]["compounds"] == len([c for c in compounds if c in led])
    two = live_server.data(query, {"k": 2}, role="analyst")["mobilizationReach"]
    steps = {n["id"]: n["stepsNeeded"] for n in two["unreached"]["nodes"]}
    assert set(steps) == set(compounds)
    assert {c for c, s in steps.items() if s == 3} == {c for c in compounds if c in led}
    four = live_server.data(query, {"k": 4}, role="analyst")["mobilizationReach"]
    assert four["reached"]["buildingLeaders"] > 0 and four["reached"]["partyMembers"] >= four["reached"]["buildingLeaders"]


def test_pairing_recommendations_respect_capacity_and_live_pairings(live_server: LiveServer, small_city: City):
    today = date.today()
    live = {(r.from_id, r.to_id) for r in small_city.rels("PAIRED_WITH") if _live(r.props, today)}
    capacity = {n.id: n.props["capacity"] for n in small_city.nodes("Organization", kind="unit_party_org")}
    spare = {u: c - sum(1 for lu, _ in live if lu == u) for u, c in capacity.items()}
    query = """query($area: ID) { pairingRecommendations(areaId: $area, first: 100) {
        demandTotal supplyTotal totalCost
        proposals { totalCount nodes { unitOrgId communityId committeeId cost reasons { code label value } } }
        unmet { communityId demand met unmet reason } } }"""
    plan = live_server.data(query, {}, role="analyst")["pairingRecommendations"]
    proposals = plan["proposals"]["nodes"]
    assert plan["supplyTotal"] == sum(spare.values())
    assert plan["proposals"]["totalCount"] == min(plan["demandTotal"], plan["supplyTotal"])
    assert not {(p["unitOrgId"], p["committeeId"]) for p in proposals} & live
    for unit, room in spare.items():
        assert sum(1 for p in proposals if p["unitOrgId"] == unit) <= room
    unpaired = {c.id for c in small_city.nodes("Area", level="community")} - {cc.rsplit("-", 1)[0] for _, cc in live}
    assert unpaired <= {p["communityId"] for p in proposals} | {u["communityId"] for u in plan["unmet"]}
    assert sum(u["unmet"] for u in plan["unmet"]) == plan["demandTotal"] - plan["proposals"]["totalCount"]
    assert all({"capacity", "live_pairings", "spare_after"} <= {r["code"] for r in p["reasons"]} for p in proposals)
    in_d2 = live_server.data(query, {"area": "d2"}, role="analyst")["pairingRecommendations"]
    d2 = set(small_city.under("d2", "community"))
    assert {p["communityId"] for p in in_d2["proposals"]["nodes"]} == {p["communityId"] for p in proposals} & d2


def test_bad_start_of_mobilization_is_a_clear_error(live_server: LiveServer):
    body = live_server.gql('{ mobilizationReach(fromId: "d1s1m1c1-br") { k } }', role="analyst").json()
    assert "d1s1m1c1-br" in body["errors"][0]["message"]
    body = live_server.gql('{ mobilizationReach(fromId: "nowhere") { k } }', role="analyst").json()
    assert "nowhere" in body["errors"][0]["message"]
    body = live_server.gql('{ mobilizationReach(fromId: "d1s1", k: 0) { k } }', role="analyst").json()
    assert "k:" in body["errors"][0]["message"] and "0" in body["errors"][0]["message"]


def test_weak_organizations_filter_by_kind(live_server: LiveServer, small_city: City):
    query = "query($kind: String) { weakOrganizations(kind: $kind, first: 100) { nodes { orgId kind } } }"
    branches = live_server.data(query, {"kind": "compound_branch"}, role="analyst")["weakOrganizations"]["nodes"]
    assert branches and {n["kind"] for n in branches} == {"compound_branch"}
    body = live_server.gql(query, {"kind": "owners_committee"}, role="analyst").json()
    assert "kind" in body["errors"][0]["message"] and "owners_committee" in body["errors"][0]["message"]


def test_network_structure_lists_the_groups_cut_off_from_the_party_system(live_server: LiveServer, small_city: City):
    posts = _posts(small_city)
    has_parent = {r.from_id for r in small_city.rels("SUB_ORG_OF")}
    holders: dict[str, set[str]] = defaultdict(set)
    for person, orgs in posts.items():
        for org in orgs:
            holders[org].add(person)
    # By construction: an owners' committee whose director holds no other post, and a building group whose
    # compound has no branch (no SUB_ORG_OF), each form a part with their post holders and nothing else.
    expected = {
        org
        for org, people in holders.items()
        if (_kind(small_city, org) == "owners_committee" and all(len(posts[p]) == 1 for p in people))
        or (_kind(small_city, org) == "building_group" and org not in has_parent)
    }
    assert expected
    data = live_server.data(
        "{ networkStructure { anchoredComponents components { size listed { id } } overloaded { personId } } }",
        role="analyst",
    )["networkStructure"]
    assert {o["id"] for c in data["components"] for o in c["listed"]} == expected
    assert all(c["size"] == 1 + len(holders[c["listed"][0]["id"]]) for c in data["components"])
    assert data["anchoredComponents"] >= 1
    post_counts = Counter(r.from_id for r in small_city.rels("MEMBER_OF") if _live(r.props, date.today()))
    assert {o["personId"] for o in data["overloaded"]} == {p for p, n in post_counts.items() if n > 4}


def test_weak_organizations_filter_by_factor_named_in_the_criteria(live_server: LiveServer):
    criteria = live_server.data("{ " + FIELDS["weaknessCriteria"] + " }", role="analyst")["weaknessCriteria"]
    assert {k["code"] for k in criteria["kinds"]} == {"compound_branch", "joint_branch", "community_committee"}
    labels = {f["code"]: f["label"] for f in criteria["factors"]}
    query = """query($factor: String) { weakOrganizations(factor: $factor, first: 100) {
        totalCount nodes { orgId factors { code label } } } }"""
    every = live_server.data(query, {}, role="analyst")["weakOrganizations"]["nodes"]
    fired = Counter(f["code"] for n in every for f in n["factors"])
    assert fired and set(fired) <= set(labels)
    assert all(labels[f["code"]] == f["label"] for n in every for f in n["factors"])
    for code, count in fired.items():
        kept = live_server.data(query, {"factor": code}, role="analyst")["weakOrganizations"]
        assert kept["totalCount"] == count
        assert [n["orgId"] for n in kept["nodes"]] == [n["orgId"] for n in every if code in {f["code"] for f in n["factors"]}]
    body = live_server.gql(query, {"factor": "bogus_factor"}, role="analyst").json()
    assert "factor" in body["errors"][0]["message"] and "bogus_factor" in body["errors"][0]["message"]
