"""Reading over real HTTP: hierarchy walks, compound filters, pairings, registrations, cross-appointments,
people, search, coverage, Relay pagination and node(id:). Expected answers come from the small city's records."""

from __future__ import annotations

import base64
from datetime import date

import pytest

from graph_service.api.pagination import encode_cursor

CONN = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { domainId name } }"


def names(connection):
    return [edge["node"]["name"] for edge in connection["edges"]]


def ids(connection):
    return [edge["node"]["domainId"] for edge in connection["edges"]]


# --- hierarchy ---------------------------------------------------------------------------------------------------


def test_walk_from_city_to_buildings(live_server, small_city):
    query = """{ areas(level: CITY) { edges { node { name level { code label }
        children { totalCount edges { node { domainId name level { code }
          children { totalCount edges { node { domainId } } } } } } } } } }"""
    data = live_server.data(query)
    [city] = data["areas"]["edges"]
    assert city["node"]["name"] == small_city.props("hz")["name"]
    assert city["node"]["level"] == {"code": "CITY", "label": "市"}
    districts = city["node"]["children"]
    assert districts["totalCount"] == len(small_city.nodes("Area", level="district"))
    for edge in districts["edges"]:
        district = edge["node"]
        assert district["level"]["code"] == "DISTRICT"
        expected_streets = {n for n in small_city.under(district["domainId"], "street")}
        assert {e["node"]["domainId"] for e in district["children"]["edges"]} == expected_streets


def test_chain_to_city_and_parent_on_every_area(live_server, small_city):
    building = small_city.nodes("Area", level="building")[5].id
    data = live_server.data(
        "query($id: String!) { area(id: $id) { name parent { domainId } chain { domainId level { code } } } }", {"id": building}
    )
    chain = [a["domainId"] for a in data["area"]["chain"]]
    assert chain == small_city.ancestors(building)
    assert data["area"]["parent"]["domainId"] == small_city.parent(building)
    assert [a["level"]["code"] for a in data["area"]["chain"]] == ["COMPOUND", "COMMUNITY", "STREET", "DISTRICT", "CITY"]


def test_areas_by_level_and_parent(live_server, small_city):
    street = small_city.nodes("Area", level="street")[0].id
    data = live_server.data(
        "query($p: String!) { areas(level: COMMUNITY, parentId: $p) { totalCount edges { node { domainId } } } }", {"p": street}
    )
    expected = [r.from_id for r in small_city.rels("PART_OF") if r.to_id == street]
    assert sorted(ids(data["areas"])) == sorted(expected)
    assert data["areas"]["totalCount"] == len(expected)


def test_leading_organisations_and_the_area_an_organisation_leads(live_server, small_city):
    community = small_city.nodes("Area", level="community")[0].id
    data = live_server.data(
        """query($id: String!) { area(id: $id) { ledBy { domainId kind { code label } leads { domainId }
             parent { kind { code } leads { domainId } } chain { kind { code } } } } }""",
        {"id": community},
    )
    [committee] = data["area"]["ledBy"]
    assert committee["kind"] == {"code": "COMMUNITY_COMMITTEE", "label": "社区党委"}
    assert committee["leads"] == [{"domainId": community}]
    # Its parent is the street committee leading the community's street.
    assert committee["parent"]["kind"]["code"] == "STREET_COMMITTEE"
    assert committee["parent"]["leads"] == [{"domainId": small_city.parent(community)}]
    assert [o["kind"]["code"] for o in committee["chain"]] == ["STREET_COMMITTEE"]


def test_memberships_over_time_with_current_filter(live_server, small_city):
    branch = small_city.nodes("Organization", kind="compound_branch")[0].id
    query = """query($id: String!, $current: Boolean!) { organization(id: $id) {
        memberships(current: $current) { totalCount edges { node { post { code label } startDate endDate active
          person { domainId } } } } } }"""
    all_posts = live_server.data(query, {"id": branch, "current": False})["organization"]["memberships"]
    current = live_server.data(query, {"id": branch, "current": True})["organization"]["memberships"]
    expected_all = [r for r in small_city.rels("MEMBER_OF") if r.to_id == branch]
    assert all_posts["totalCount"] == len(expected_all)
    ended = [r for r in expected_all if r.props.get("end_date")]
    assert ended, "the small city plants a former secretary in the first branch"
    assert current["totalCount"] == len(expected_all) - len(ended)
    former = next(e["node"] for e in all_posts["edges"] if e["node"]["endDate"])
    assert former["active"] is False
    assert former["endDate"] == ended[0].props["end_date"].isoformat()
    assert former["post"] == {"code": "SECRETARY", "label": "书记"}


# --- compounds -----------------------------------------------------------------------------------------------------


def _compounds(live_server, filter_, first=100):
    data = live_server.data(
        "query($f: CompoundFilter, $first: Int) {"
        " compounds(filter: $f, first: $first) { totalCount edges { node { domainId } } } }",
        {"f": filter_, "first": first},
    )
    return data["compounds"]


def _led_by(city, compound, kind):
    orgs = {n.id for n in city.nodes("Organization", kind=kind)}
    return any(r.to_id == compound and r.from_id in orgs for r in city.rels("LEADS"))


def test_compounds_without_a_branch(live_server, small_city):
    compounds = [n.id for n in small_city.nodes("Area", level="compound")]
    expected = sorted(c for c in compounds if not _led_by(small_city, c, "compound_branch"))
    assert expected and len(expected) < len(compounds)
    got = _compounds(live_server, {"noBranch": True})
    assert sorted(ids(got)) == expected
    assert got["totalCount"] == len(expected)
    with_branch = _compounds(live_server, {"noBranch": False})
    assert with_branch["totalCount"] == len(compounds) - len(expected)


def test_compound_gap_flags(live_server, small_city):
    compounds = [n.id for n in small_city.nodes("Area", level="compound")]
    oc_located = {r.to_id for r in small_city.rels("LOCATED_IN")}
    served = {r.to_id for r in small_city.rels("SERVES")}
    covered = {r.to_id for r in small_city.rels("COVERS")}
    buildings = {c: [r.from_id for r in small_city.rels("PART_OF") if r.to_id == c] for c in compounds}
    assert sorted(ids(_compounds(live_server, {"noOwnersCommittee": True}))) == sorted(
        c for c in compounds if c not in oc_located
    )
    assert sorted(ids(_compounds(live_server, {"noStation": True}))) == sorted(c for c in compounds if c not in served)
    some = sorted(c for c in compounds if any(b not in covered for b in buildings[c]))
    # The gap itself: more than half of the buildings (the default share) without a group.
    most = sorted(c for c in compounds if sum(b not in covered for b in buildings[c]) > 0.5 * len(buildings[c]))
    assert most and set(most) < set(some), "the small city should tell 'some building' from 'most buildings'"
    assert sorted(ids(_compounds(live_server, {"someBuildingWithoutGroup": True}))) == some
    assert sorted(ids(_compounds(live_server, {"buildingsWithoutGroup": True}))) == most
    # In the small city a building has a leader exactly when it has a group.
    assert sorted(ids(_compounds(live_server, {"someBuildingWithoutLeader": True}))) == some
    assert sorted(ids(_compounds(live_server, {"buildingsWithoutLeader": True}))) == most


def test_compounds_without_cross_appointment(live_server, small_city):
    compounds = [n.id for n in small_city.nodes("Area", level="compound")]
    crossed = set()
    for c in compounds:
        branch_members = {r.from_id for r in small_city.rels("MEMBER_OF") if r.to_id == f"{c}-br" and not r.props.get("end_date")}
        oc_members = {r.from_id for r in small_city.rels("MEMBER_OF") if r.to_id == f"{c}-oc"}
        if branch_members & oc_members:
            crossed.add(c)
    assert crossed
    assert sorted(ids(_compounds(live_server, {"noCrossAppointment": False}))) == sorted(crossed)
    assert _compounds(live_server, {"noCrossAppointment": True})["totalCount"] == len(compounds) - len(crossed)


def test_compounds_by_area_kind_and_property_mode(live_server, small_city):
    district = "d2"
    in_district = set(small_city.under(district, "compound"))
    assert sorted(ids(_compounds(live_server, {"districtId": district}))) == sorted(in_district)
    street = small_city.nodes("Area", level="street")[1].id
    assert sorted(ids(_compounds(live_server, {"streetId": street}))) == sorted(small_city.under(street, "compound"))
    old = {n.id for n in small_city.nodes("Area", level="compound", compound_kind="old")}
    got = _compounds(live_server, {"districtId": district, "kind": "OLD"})
    assert sorted(ids(got)) == sorted(old & in_district)
    fallback = {r.to_id for r in small_city.rels("MANAGES") if r.props["mode"] == "state_fallback"}
    assert sorted(ids(_compounds(live_server, {"propertyMode": "STATE_FALLBACK"}))) == sorted(fallback)
    # A global id works where a domain id does.
    global_id = base64.b64encode(f"Area:{district}".encode()).decode()
    assert sorted(ids(_compounds(live_server, {"districtId": global_id}))) == sorted(in_district)


def test_compounds_order_by_households(live_server, small_city):
    data = live_server.data(
        "{ compounds(orderBy: {field: HOUSEHOLDS, direction: DESC}, first: 5) { edges { node { households } } } }"
    )
    got = [e["node"]["households"] for e in data["compounds"]["edges"]]
    expected = sorted((n.props["households"] for n in small_city.nodes("Area", level="compound")), reverse=True)[:5]
    assert got == expected
    by_name = live_server.data("{ compounds(orderBy: {field: NAME, direction: DESC}, first: 3) { edges { node { name } } } }")
    expected_names = sorted((n.props["name"] for n in small_city.nodes("Area", level="compound")), reverse=True)[:3]
    assert names(by_name["compounds"]) == expected_names


# --- pagination ------------------------------------------------------------------------------------------------------


def test_cursor_pagination_walks_every_compound_once(live_server, small_city):
    seen, after, pages = [], None, 0
    while True:
        data = live_server.data(f"query($after: String) {{ compounds(first: 7, after: $after) {{ {CONN} }} }}", {"after": after})[
            "compounds"
        ]
        pages += 1
        seen += ids(data)
        assert data["pageInfo"]["hasPreviousPage"] is (pages > 1)
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
        assert after == data["edges"][-1]["cursor"]
    compounds = [n.id for n in small_city.nodes("Area", level="compound")]
    assert sorted(seen) == sorted(compounds)
    assert len(seen) == len(set(seen))
    assert pages == -(-len(compounds) // 7)
    assert data["totalCount"] == len(compounds)


def test_total_count_is_the_lists_size_on_every_page_and_past_its_end(live_server, small_city):
    """The last page knows the list's size without a count (one store round trip fewer); a page in the middle and
    a window past the end count it. Each with its own variables, so no response is a kept one."""
    compounds = small_city.nodes("Area", level="compound")
    query = "query($first: Int, $after: String) { compounds(first: $first, after: $after) { totalCount edges { node { id } } } }"

    def read(first: int, offset: int) -> tuple[dict, int]:
        after = encode_cursor(offset - 1) if offset else None
        response = live_server.gql(query, {"first": first, "after": after})
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]["compounds"], int(response.headers["x-store-round-trips"])

    middle, middle_trips = read(3, 2)
    last, last_trips = read(3, len(compounds) - 2)
    past, _ = read(4, len(compounds) + 5)
    assert len(middle["edges"]) == 3 and len(last["edges"]) == 2 and past["edges"] == []
    assert middle["totalCount"] == last["totalCount"] == past["totalCount"] == len(compounds)
    assert last_trips == middle_trips - 1


def test_page_size_over_the_maximum_is_refused(live_server):
    limit = live_server.settings.max_page_size
    response = live_server.gql(f"{{ compounds(first: {limit + 1}) {{ totalCount }} }}")
    body = response.json()
    assert body["data"] is None or body["data"]["compounds"] is None
    [error] = body["errors"]
    assert str(limit) in error["message"] and "first" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_bad_cursor_is_refused(live_server):
    body = live_server.gql('{ compounds(after: "bm90IGEgY3Vyc29y") { totalCount } }').json()
    assert "not a cursor" in body["errors"][0]["message"]


# --- pairings, registrations, cross-appointments, people ----------------------------------------------------------


def test_pairings_with_both_organisations_dates_and_projects(live_server, small_city):
    data = live_server.data(
        """{ pairings(first: 50) { totalCount edges { node { domainId startDate endDate active projects
             unitOrganization { domainId unitType { code } } communityOrganization { domainId kind { code } }
             community { domainId level { code } } } } } }""",
        role="integration",
    )["pairings"]
    expected = {r.id: r for r in small_city.rels("PAIRED_WITH")}
    assert data["totalCount"] == len(expected)
    for edge in data["edges"]:
        node = edge["node"]
        record = expected[node["domainId"]]
        assert node["unitOrganization"]["domainId"] == record.from_id
        assert node["communityOrganization"]["domainId"] == record.to_id
        assert node["communityOrganization"]["kind"]["code"] == "COMMUNITY_COMMITTEE"
        assert node["community"]["domainId"] == record.to_id.removesuffix("-cc")
        assert node["projects"] == record.props["projects"]
        assert node["startDate"] == record.props["start_date"].isoformat()


def test_pairing_filters(live_server, small_city):
    def pairing_ids(filter_):
        data = live_server.data(
            "query($f: PairingFilter) { pairings(filter: $f) { totalCount edges { node { domainId } } } }",
            {"f": filter_},
            "integration",
        )["pairings"]
        assert data["totalCount"] == len(data["edges"])
        return sorted(ids(data))

    rels = small_city.rels("PAIRED_WITH")
    on = date(2020, 6, 1)
    active = [r.id for r in rels if r.props["start_date"] <= on and (not r.props.get("end_date") or r.props["end_date"] >= on)]
    assert pairing_ids({"activeOn": on.isoformat()}) == sorted(active)
    after = date(2021, 12, 31)
    assert pairing_ids({"startedAfter": after.isoformat()}) == sorted(r.id for r in rels if r.props["start_date"] > after)
    school = [r.id for r in rels if small_city.props(r.from_id)["unit_type"] == "school"]
    assert school and pairing_ids({"unitType": "SCHOOL"}) == sorted(school)
    in_d1 = [r.id for r in rels if r.to_id.startswith("d1")]
    assert pairing_ids({"districtId": "d1"}) == sorted(in_d1)
    community = rels[0].to_id.removesuffix("-cc")
    expected = sorted(r.id for r in rels if r.to_id == f"{community}-cc")
    assert pairing_ids({"communityId": community}) == expected
    assert pairing_ids({"communityId": f"{community}-cc"}) == expected
    assert pairing_ids({"unitId": rels[0].from_id}) == sorted(r.id for r in rels if r.from_id == rels[0].from_id)


def test_registrations_of_units_and_members(live_server, small_city):
    query = """query($f: RegistrationFilter) { registrations(filter: $f, first: 50) { totalCount edges { node {
        domainId registrantKind organization { domainId } member { domainId } communityOrganization { domainId } } } } }"""
    rels = small_city.rels("REGISTERED_WITH")
    members = live_server.data(query, {"f": {"registrantKind": "MEMBER"}}, "integration")["registrations"]
    units = live_server.data(query, {"f": {"registrantKind": "UNIT"}}, "integration")["registrations"]
    people = {n.id for n in small_city.nodes("Person")}
    assert members["totalCount"] == sum(r.from_id in people for r in rels)
    assert units["totalCount"] == sum(r.from_id not in people for r in rels)
    for edge in members["edges"]:
        assert edge["node"]["registrantKind"] == "MEMBER" and edge["node"]["organization"] is None
        assert edge["node"]["member"]["domainId"] in people
    for edge in units["edges"]:
        assert edge["node"]["member"] is None and edge["node"]["organization"]["domainId"].startswith("unit")


def test_cross_appointments_in_an_area(live_server, small_city):
    data = live_server.data(
        """query($a: String) { crossAppointments(areaId: $a, first: 100) { totalCount edges { node { mature
             compound { domainId } person { domainId } branchMembership { post { code } }
             ownersCommitteeMembership { post { code } } } } } }""",
        {"a": "d1"},
        "analyst",
    )["crossAppointments"]
    in_d1 = set(small_city.under("d1", "compound"))
    expected = {
        (c, r.from_id)
        for c in in_d1
        for r in small_city.rels("MEMBER_OF")
        if r.to_id == f"{c}-oc" and any(m.from_id == r.from_id and m.to_id == f"{c}-br" for m in small_city.rels("MEMBER_OF"))
    }
    got = {(e["node"]["compound"]["domainId"], e["node"]["person"]["domainId"]) for e in data["edges"]}
    assert got == expected and expected
    assert all(e["node"]["mature"] for e in data["edges"])  # secretaries are OC directors in the small city


def test_people_with_posts_over_time(live_server, small_city):
    branch = small_city.nodes("Organization", kind="compound_branch")[0].id
    data = live_server.data(
        """query($o: String) { people(filter: {organizationId: $o, currentPostsOnly: false}) { totalCount edges { node {
             domainId memberships { post { code } organization { domainId } startDate endDate } } } } }""",
        {"o": branch},
        "analyst",
    )["people"]
    expected = {r.from_id for r in small_city.rels("MEMBER_OF") if r.to_id == branch}
    assert set(ids(data)) == expected
    for edge in data["edges"]:
        posts = edge["node"]["memberships"]
        assert [p["startDate"] for p in posts] == sorted(p["startDate"] for p in posts)
        assert {p["organization"]["domainId"] for p in posts} >= {branch}


def test_people_filtered_by_area_and_employment(live_server, small_city):
    data = live_server.data(
        '{ people(filter: {areaId: "d1", employment: IN_SERVICE}, first: 100) {'
        " edges { node { domainId employment { code } } } } }",
        role="analyst",
    )["people"]
    residents = {r.from_id for r in small_city.rels("RESIDES_IN") if "d1" in small_city.ancestors(r.to_id) or r.to_id == "d1"}
    expected = {p for p in residents if small_city.props(p).get("employment") == "in_service"}
    assert set(ids(data)) == expected and expected


# --- search, coverage, node -------------------------------------------------------------------------------------


def test_search_across_names(live_server, small_city):
    data = live_server.data(
        '{ search(text: "幸福03", first: 50) { totalCount edges { node { label name'
        " node { __typename ... on Area { domainId } ... on Organization { domainId } } } } } }"
    )
    hits = [e["node"] for e in data["search"]["edges"]]
    expected = [n for n in small_city.records if getattr(n, "props", {}).get("name", "").count("幸福03") and hasattr(n, "label")]
    assert data["search"]["totalCount"] == len(expected) == len(hits)
    assert {h["label"] for h in hits} >= {"Area", "Organization"}
    assert all("幸福03" in h["name"] for h in hits)
    assert {h["node"]["__typename"] for h in hits} == {h["label"] for h in hits}


def test_search_finds_people_only_for_roles_that_may_read_names(live_server):
    query = '{ search(text: "书记01") { totalCount edges { node { label } } } }'
    assert live_server.data(query, role="analyst")["search"]["totalCount"] == 1
    assert live_server.data(query, role="viewer")["search"]["totalCount"] == 0


def test_search_is_width_and_case_insensitive(live_server):
    full_width = live_server.data('{ search(text: "ｄ1S1") { totalCount } }')  # full-width d, upper-case S
    plain = live_server.data('{ search(text: "d1s1") { totalCount } }')
    assert full_width["search"]["totalCount"] == plain["search"]["totalCount"] > 0


def test_coverage_of_a_district(live_server, small_city):
    data = live_server.data(
        """{ coverage(areaId: "d1") { area { name } compounds stationCoveredCompounds stationCoverageRate
             crossAppointedPersons buildingGroups figures { code label value published } } }"""
    )["coverage"]
    compounds = small_city.under("d1", "compound")
    served = {r.to_id for r in small_city.rels("SERVES")}
    assert data["compounds"] == len(compounds)
    assert data["stationCoveredCompounds"] == sum(c in served for c in compounds)
    assert data["stationCoverageRate"] == pytest.approx(data["stationCoveredCompounds"] / len(compounds))
    groups = {r.from_id for r in small_city.rels("COVERS") if r.to_id.startswith("d1")}
    assert data["buildingGroups"] == len(groups)
    figure = next(f for f in data["figures"] if f["code"] == "building_groups")
    assert figure["value"] == len(groups) and figure["label"] == "楼栋、院落党小组"
    assert figure["published"] is None, "the published table is the city's, not a district's"
    city = live_server.data('{ coverage(areaId: "hz") { figures { code published } } }')["coverage"]["figures"]
    assert next(f for f in city if f["code"] == "building_groups")["published"] == 3216


def test_coverage_of_an_unknown_area(live_server):
    body = live_server.gql('{ coverage(areaId: "nowhere") { compounds } }').json()
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "nowhere" in body["errors"][0]["message"]


def test_coverage_children_are_the_coverage_of_each_child_in_one_request(live_server, small_city):
    fields = "area { domainId } compounds stationCoverageRate figures { code value minimum } gaps { code compounds }"
    children = live_server.data(f'{{ coverageChildren(areaId: "d1") {{ {fields} }} }}')["coverageChildren"]
    assert [c["area"]["domainId"] for c in children] == ["d1s1", "d1s2"]  # by name: 牡丹第1街道, 牡丹第2街道
    for child in children:
        alone = live_server.data(f'{{ coverage(areaId: "{child["area"]["domainId"]}") {{ {fields} }} }}')["coverage"]
        assert child == alone
    rate = next(f for f in children[0]["figures"] if f["code"] == "station_coverage_rate")
    assert rate["minimum"] == 0.73
    # A compound's children are buildings, which have no coverage of their own.
    assert live_server.data('{ coverageChildren(areaId: "d1s1m1c1") { compounds } }')["coverageChildren"] == []
    body = live_server.gql('{ coverageChildren(areaId: "nowhere") { compounds } }').json()
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND" and "nowhere" in body["errors"][0]["message"]


def test_me_says_the_role_and_what_it_allows(live_server):
    query = "{ me { keyId role canReadPersonal canReadAnalyses canEdit } }"
    seen = {}
    for role in ("viewer", "analyst", "integration", "editor", "admin"):
        me = live_server.gql(query, role=role).json()["data"]["me"]
        seen[role] = (me["role"], me["canReadPersonal"], me["canReadAnalyses"], me["canEdit"])
        assert me["keyId"]
    assert seen == {
        "viewer": ("VIEWER", False, False, False),
        "analyst": ("ANALYST", True, True, False),
        "integration": ("INTEGRATION", False, False, False),
        "editor": ("EDITOR", True, False, True),
        "admin": ("ADMIN", True, True, True),
    }


def test_node_by_global_id_for_each_type(live_server, small_city):
    data = live_server.data(
        """{ areas(level: DISTRICT, first: 1) { edges { node { id } } }
             pairings(first: 1) { edges { node { id domainId } } }
             organizations(kind: COMPOUND_BRANCH, first: 1) { edges { node { id domainId
               memberships(first: 1) { edges { node { id domainId } } } } } } }"""
    )
    area_id = data["areas"]["edges"][0]["node"]["id"]
    pairing = data["pairings"]["edges"][0]["node"]
    org = data["organizations"]["edges"][0]["node"]
    membership = org["memberships"]["edges"][0]["node"]
    for global_id, typename, domain_id in (
        (area_id, "Area", None),
        (pairing["id"], "Pairing", pairing["domainId"]),
        (org["id"], "Organization", org["domainId"]),
        (membership["id"], "Membership", membership["domainId"]),
    ):
        node = live_server.data(
            "query($id: ID!) { node(id: $id) { __typename id ... on Pairing { domainId } ... on Organization { domainId } "
            "... on Membership { domainId } } }",
            {"id": global_id},
        )["node"]
        assert node["__typename"] == typename and node["id"] == global_id
        if domain_id:
            assert node["domainId"] == domain_id
    missing = base64.b64encode(b"Area:no-such-area").decode()
    assert live_server.data("query($id: ID!) { node(id: $id) { id } }", {"id": missing})["node"] is None


def test_healthz_reports_the_write_version(live_server):
    import httpx

    response = httpx.get(f"{live_server.base_url}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["write_version"] == live_server.store.write_version()


def test_pairings_and_registrations_on_both_organisations(live_server, small_city):
    pairing = small_city.rels("PAIRED_WITH")[0]
    data = live_server.data(
        """query($u: String!, $c: String!) {
             unit: organization(id: $u) { pairings { domainId communityOrganization { domainId } }
                                          registrations { registrantKind communityOrganization { domainId } } }
             community: organization(id: $c) { pairings { domainId unitOrganization { domainId } }
                                               registrations { registrantKind organization { domainId }
                                                               member { domainId } } } }""",
        {"u": pairing.from_id, "c": pairing.to_id},
    )
    unit_pairings = {r.id for r in small_city.rels("PAIRED_WITH") if r.from_id == pairing.from_id}
    assert {p["domainId"] for p in data["unit"]["pairings"]} == unit_pairings
    community_pairings = {r.from_id for r in small_city.rels("PAIRED_WITH") if r.to_id == pairing.to_id}
    assert {p["unitOrganization"]["domainId"] for p in data["community"]["pairings"]} == community_pairings
    registered = [r for r in small_city.rels("REGISTERED_WITH") if r.to_id == pairing.to_id]
    got = {(r["registrantKind"], (r["organization"] or r["member"])["domainId"]) for r in data["community"]["registrations"]}
    people = {n.id for n in small_city.nodes("Person")}
    assert got == {("MEMBER" if r.from_id in people else "UNIT", r.from_id) for r in registered}
    assert [r["registrantKind"] for r in data["unit"]["registrations"]] == ["UNIT"]


def test_ends_known_only_by_id_are_loaded_and_ends_in_hand_are_served_as_they_are(live_server, small_city):
    # An organisation's own pairings, registrations and posts name it by id only (a stub): asking for that end
    # loads it; the other end came with the row. Both must answer the same organisation, whichever way.
    pairing = small_city.rels("PAIRED_WITH")[0]
    unit, community = pairing.from_id, pairing.to_id
    branch = small_city.nodes("Organization", kind="compound_branch")[0].id
    data = live_server.data(
        """query($u: String!, $c: String!, $b: String!) {
             unit: organization(id: $u) { pairings { domainId unitOrganization { domainId name kind { code label } }
                                                     communityOrganization { domainId name } }
                                          registrations { communityOrganization { domainId name } } }
             community: organization(id: $c) { registrations { communityOrganization { domainId name } } }
             branch: organization(id: $b) { memberships(current: false) { edges { node { organization { domainId name }
                                                                                          person { domainId } } } } } }""",
        {"u": unit, "c": community, "b": branch},
    )
    names = {n.id: n.props["name"] for n in small_city.nodes("Organization")}
    own = [p for p in data["unit"]["pairings"] if p["domainId"] == pairing.id]
    assert own, "the unit's pairing is listed on the unit"
    for p in data["unit"]["pairings"]:
        assert p["unitOrganization"]["domainId"] == unit and p["unitOrganization"]["name"] == names[unit]
        assert p["unitOrganization"]["kind"] == {"code": "UNIT_PARTY_ORG", "label": "单位党组织"}
        assert p["communityOrganization"]["name"] == names[p["communityOrganization"]["domainId"]]
    assert own[0]["communityOrganization"]["domainId"] == community
    assert data["community"]["registrations"], "the small city registers units and members with the community"
    assert all(
        r["communityOrganization"] == {"domainId": community, "name": names[community]}
        for r in data["community"]["registrations"]
    )
    for r in data["unit"]["registrations"]:
        assert r["communityOrganization"]["name"] == names[r["communityOrganization"]["domainId"]]
    posts = [e["node"] for e in data["branch"]["memberships"]["edges"]]
    assert len(posts) == len([r for r in small_city.rels("MEMBER_OF") if r.to_id == branch])
    assert all(p["organization"] == {"domainId": branch, "name": names[branch]} and p["person"]["domainId"] for p in posts)
