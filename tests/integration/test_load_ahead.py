"""A page's communities loaded ahead of its rows (``reading.load_ahead``): however a client reaches the rows'
``community`` (edges, nodes, a named or inline fragment, an alias), it gets every row's community, in one statement
for the page; a client that does not ask for it costs no statement for it."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.services.brief_calls import BriefCalls

#: Five rows: at most eight keys a batch, so the store reads them in one form without timing the others.
SHAPES = {
    "edges": "{ LIST(first: 5) { edges { node { domainId community { domainId } } } } }",
    "nodes": "{ LIST(first: 5) { nodes { domainId community { domainId } } } }",
    "fragment": "query { LIST(first: 5) { edges { node { ...Row } } } } fragment Row on TYPE { domainId community { domainId } }",
    "inline and alias": "{ LIST(first: 5) { edges { node { ... on TYPE { domainId place: community { domainId } } } } } }",
}
LISTS = {"pairings": ("Pairing", "PAIRED_WITH"), "registrations": ("Registration", "REGISTERED_WITH")}


@pytest.fixture(scope="module")
def server(start_server, small_city):
    # No response cache: each request's statements are counted.
    return start_server(records=small_city.records, max_page_size=100, response_cache_mb=0)


def _ask(server, query: str) -> tuple[int, list[dict[str, Any]]]:
    response = server.gql(query, role="integration")
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    listed = next(iter(body["data"].values()))
    rows = listed["nodes"] if "nodes" in listed else [edge["node"] for edge in listed["edges"]]
    return int(response.headers["x-store-round-trips"]), rows


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("field", LISTS)
def test_every_way_to_the_community_gets_it_with_one_statement(server, small_city, field: str, shape: str) -> None:
    type_name, rel_type = LISTS[field]
    query = SHAPES[shape].replace("LIST", field).replace("TYPE", type_name)
    trips, rows = _ask(server, query)
    expected = {r.id: r.to_id.removesuffix("-cc") for r in small_city.rels(rel_type)}
    assert len(rows) == 5
    for row in rows:
        community = row.get("community") or row.get("place")
        assert community is not None and community["domainId"] == expected[row["domainId"]], row
    page_only, _ = _ask(server, f"{{ {field}(first: 5) {{ edges {{ node {{ domainId }} }} }} }}")
    assert trips == page_only + 1


def test_a_page_without_communities_loads_none(server) -> None:
    trips, rows = _ask(server, "{ pairings(first: 5) { edges { node { domainId communityOrganization { name } } } } }")
    assert len(rows) == 5 and all(row["communityOrganization"]["name"] for row in rows)
    assert trips == 1


def _data(server, query: str) -> dict[str, Any]:
    response = server.gql(query)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def _linked(small_city, rel_type: str) -> dict[str, set[str]]:
    """Per node id, the ids of the nodes whose ``rel_type`` relationships point at it."""
    linked: dict[str, set[str]] = {}
    for rel in small_city.rels(rel_type):
        linked.setdefault(rel.to_id, set()).add(rel.from_id)
    return linked


def test_lists_inside_lists_load_ahead_level_by_level(server, small_city) -> None:
    """City → districts → streets → their leading organisations: each level's rows are loaded by the level above,
    and every answer is the records' own."""
    query = """{ areas(level: CITY, first: 1) { edges { node { domainId
        children(first: 50) { totalCount edges { node { domainId
          children(first: 50) { edges { node { domainId ledBy { domainId } parent { domainId } } } } } } } } } } }"""
    body = {"data": _data(server, query)}
    children = _linked(small_city, "PART_OF")
    leaders = _linked(small_city, "LEADS")
    city = body["data"]["areas"]["edges"][0]["node"]
    districts = [edge["node"] for edge in city["children"]["edges"]]
    assert {d["domainId"] for d in districts} == children[city["domainId"]]
    assert city["children"]["totalCount"] == len(districts)
    streets = 0
    for district in districts:
        below = [edge["node"] for edge in district["children"]["edges"]]
        assert {s["domainId"] for s in below} == children.get(district["domainId"], set())
        for street in below:
            streets += 1
            assert street["parent"]["domainId"] == district["domainId"]
            assert {o["domainId"] for o in street["ledBy"]} == leaders.get(street["domainId"], set())
    assert streets > 0


def _loader_batches(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The batches loaders send out from the event loop from now on (what a prefetch spares)."""
    batches: list[object] = []
    real = BriefCalls.run

    async def counted(self: BriefCalls, site: Any, call: Any, *args: Any) -> Any:
        if site[0] == "load":  # a loader's batch (``loaders.BatchLoader``), not a page or a node read with its loads
            batches.append(call)
        return await real(self, site, call, *args)

    monkeypatch.setattr(BriefCalls, "run", counted)
    return batches


def test_a_pages_rows_load_in_the_worker_call_that_read_the_page(server, small_city, monkeypatch) -> None:
    """``reading.connection`` runs the rows' loads right after the page, in the same worker call: no batch of the
    community loader leaves the event loop on its own, and the statements stay the same in number."""
    batches = _loader_batches(monkeypatch)
    query = "{ pairings(first: 5) { edges { node { domainId community { domainId } } } } }"
    trips, rows = _ask(server, query)
    expected = {r.id: r.to_id.removesuffix("-cc") for r in small_city.rels("PAIRED_WITH")}
    assert [row["community"]["domainId"] for row in rows] == [expected[row["domainId"]] for row in rows]
    assert batches == []
    page_only, _ = _ask(server, "{ pairings(first: 5) { edges { node { domainId } } } }")
    assert trips == page_only + 1


@pytest.mark.parametrize("first", [50, 1])
def test_the_levels_below_a_page_load_in_the_worker_call_that_read_it(server, small_city, monkeypatch, first: int) -> None:
    """City → districts → streets → their leaders: every level's loads run in the call that read the city (no
    loader batch leaves the loop), also when a level shows fewer rows than it links to (``first: 1``: the rows
    below are loaded for all of them), and each street shows its own leaders."""
    batches = _loader_batches(monkeypatch)
    query = """{ areas(level: CITY, first: 1) { edges { node { domainId
        children(first: 50) { edges { node { domainId
          children(first: FIRST) { edges { node { domainId ledBy { domainId } } } } } } } } } } }""".replace("FIRST", str(first))
    body = {"data": _data(server, query)}
    leaders = _linked(small_city, "LEADS")
    streets = [
        street["node"]
        for district in body["data"]["areas"]["edges"][0]["node"]["children"]["edges"]
        for street in district["node"]["children"]["edges"]
    ]
    assert streets and all(
        len(d["node"]["children"]["edges"]) <= first for d in body["data"]["areas"]["edges"][0]["node"]["children"]["edges"]
    )
    for street in streets:
        assert {o["domainId"] for o in street["ledBy"]} == leaders.get(street["domainId"], set())
    assert batches == []


def _chain(small_city, rel_type: str, node_id: str) -> list[str]:
    """``node_id``'s ancestors along ``rel_type`` (each node's one outgoing relationship of it), nearest first."""
    up = {rel.from_id: rel.to_id for rel in small_city.rels(rel_type)}
    chain = []
    while node_id in up:
        node_id = up[node_id]
        chain.append(node_id)
    return chain


def test_one_node_and_what_its_fields_load_come_in_one_worker_call(server, small_city, monkeypatch) -> None:
    """``area(id:)``, ``organization(id:)`` and ``person(id:)`` read the node and, in the same worker call right after
    it, what its fields load ahead (``reading.node_with_loads``): no loader batch leaves the event loop, and every
    answer is the records' own (a compound's leaders, its chain, an organisation's chain, a person's memberships)."""
    batches = _loader_batches(monkeypatch)
    leaders = _linked(small_city, "LEADS")
    area_id = next(a for a in sorted(leaders) if _chain(small_city, "PART_OF", a))
    area = _data(server, f'{{ area(id: "{area_id}") {{ domainId ledBy {{ domainId }} chain {{ domainId }} }} }}')["area"]
    assert {o["domainId"] for o in area["ledBy"]} == leaders[area_id]
    assert [a["domainId"] for a in area["chain"]] == _chain(small_city, "PART_OF", area_id)
    org_id = sorted(rel.from_id for rel in small_city.rels("SUB_ORG_OF"))[0]
    org = _data(server, f'{{ organization(id: "{org_id}") {{ domainId chain {{ domainId }} }} }}')["organization"]
    assert [o["domainId"] for o in org["chain"]] == _chain(small_city, "SUB_ORG_OF", org_id)
    posts: dict[str, set[str]] = {}
    for rel in small_city.rels("MEMBER_OF"):
        posts.setdefault(rel.from_id, set()).add(rel.to_id)
    person_id = sorted(posts)[0]
    person = _data(server, f'{{ person(id: "{person_id}") {{ memberships {{ organization {{ domainId }} }} }} }}')["person"]
    assert {m["organization"]["domainId"] for m in person["memberships"]} == posts[person_id]
    assert batches == []


def test_an_unknown_node_is_null_and_loads_nothing_below_it(server, monkeypatch) -> None:
    batches = _loader_batches(monkeypatch)
    assert _data(server, '{ area(id: "no-such-area") { domainId ledBy { domainId } } }') == {"area": None}
    assert batches == []


def test_a_node_asked_twice_in_one_request_answers_both(server, small_city) -> None:
    leaders = _linked(small_city, "LEADS")
    area_id = sorted(leaders)[0]
    query = f'{{ a: area(id: "{area_id}") {{ ledBy {{ domainId }} }} b: area(id: "{area_id}") {{ domainId ledBy {{ name }} }} }}'
    data = _data(server, query)
    assert {o["domainId"] for o in data["a"]["ledBy"]} == leaders[area_id]
    assert data["b"]["domainId"] == area_id and len(data["b"]["ledBy"]) == len(leaders[area_id])
