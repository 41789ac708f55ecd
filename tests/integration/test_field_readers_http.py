"""Fields declared with a reader (``field_readers``) answer over HTTP, on the small city, what their resolvers answer:
pages of pairings and check-ins with their ends and communities, people with their posts, areas and organisations
with their links and chains. Each query runs with the readers in use and again with every reader switched off (the
executor then calls each resolver); with them in use, the resolvers of ends and links held by the page's loads
ahead are not called."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest

from graph_service.api import common, execution
from graph_service.domain.records import RelRecord

QUERIES = {
    "pairings": """{ pairings(first: 60) { edges { node { domainId unitOrganization { domainId name unitType { code } }
        communityOrganization { name } community { domainId name } } } } }""",
    "registrations": """{ registrations(first: 60) { edges { node { domainId registrantKind
        organization { domainId name } member { domainId } communityOrganization { name } community { name } } } } }""",
    "people": """{ people(first: 40) { edges { node { domainId
        memberships { domainId post { code } startDate organization { domainId name } person { domainId } }
        current: memberships(current: true) { domainId organization { name } }
        sentDownTo { community { name } person { domainId } } liaisons { community { name } } } } } }""",
    "areas": """{ areas(level: COMPOUND, first: 40) { edges { node { domainId parent { name } chain { domainId }
        ledBy { name kind { code } } servedBy { name } coveredBy { name } organizationsLocated { name } } } } }""",
    "organizations": """{ organizations(first: 80) { edges { node { domainId parent { name } chain { domainId }
        leads { name } covers { name } serves { name } locatedIn { name }
        children(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } }
        branches: children(kind: COMPOUND_BRANCH) { totalCount nodes { name } } } } } }""",
    "hierarchy": """{ areas(level: CITY, first: 1) { edges { node { name children(first: 20) { totalCount edges { node {
        name streets: children(level: STREET, first: 2) { totalCount edges { node { name ledBy { name } } } }
        rest: children(first: 5, after: "Y3Vyc29yOjA=") { pageInfo { hasPreviousPage } nodes { name } } } } } } } } }""",
    "one node": """{ area(id: "AREA") { name ledBy { name chain { name } leads { domainId } }
        parent { name } chain { name } } }""",
    "posts in organisations": """{ organizations(kind: COMPOUND_BRANCH, first: 30) { edges { node { domainId
        memberships(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { domainId
          post { code } startDate active person { domainId name } organization { name } } } }
        past: memberships(current: false, first: 50) { totalCount nodes { domainId endDate } }
        secretaries: memberships(post: SECRETARY) { totalCount nodes { person { name } } }
        later: memberships(first: 2, after: "Y3Vyc29yOjA=") { pageInfo { hasPreviousPage } nodes { domainId } } } } } }""",
    "sunk staff": """{ areas(level: COMPOUND, first: 60) { edges { node { domainId
        sunkStaff { role { code label } active startDate endDate person { domainId name } area { domainId } } } } } }""",
    "one compound drilled down": """{ area(id: "AREA") { name sunkStaff { role { label } active person { name } }
        ledBy { name memberships(first: 20) { totalCount edges { node { post { code label } startDate } } } } } }""",
}


@pytest.fixture(scope="module")
def server(start_server, small_city):
    return start_server(records=small_city.records, max_page_size=100, response_cache_mb=0)


@pytest.fixture
def resolved(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Calls of the resolvers written from an ``EndOf`` or a ``Held`` (the slow path of a field with a reader)."""
    calls: Counter[str] = Counter()
    for spec in (common.EndOf, common.Held):
        original = spec.resolve

        def counted(self: Any, source: Any, info: Any, _original: Any = original, **args: Any) -> Any:
            calls[type(self).__name__] += 1
            return _original(self, source, info, **args)

        monkeypatch.setattr(spec, "resolve", counted)
    return calls


def _answer(server, query: str) -> dict[str, Any]:
    response = server.gql(query, role="admin")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body


def _compound(server) -> str:
    data = _answer(server, "{ areas(level: COMPOUND, first: 1) { edges { node { domainId } } } }")["data"]
    compound: str = data["areas"]["edges"][0]["node"]["domainId"]
    return compound


@pytest.mark.parametrize("name", QUERIES)
def test_readers_answer_what_the_resolvers_answer(
    server, monkeypatch: pytest.MonkeyPatch, resolved: Counter[str], name: str
) -> None:
    query = QUERIES[name].replace("AREA", _compound(server))
    resolved.clear()
    with_readers = _answer(server, query)
    used = sum(resolved.values())
    monkeypatch.setattr(execution, "_READY_PLANS", {})
    monkeypatch.setattr(execution, "_make_ready_plan", lambda field_def: None)
    resolved.clear()
    # Another text: a document keeps its selections' steps, and these are made again without readers.
    without = _answer(server, query + "\n# readers off")
    assert with_readers == without
    assert sum(resolved.values()) > used
    listed = next(iter(with_readers["data"].values()))
    assert listed, with_readers


def test_a_page_held_ahead_calls_no_resolver_of_its_ends(server, resolved: Counter[str]) -> None:
    resolved.clear()
    body = _answer(server, QUERIES["pairings"])
    assert len(body["data"]["pairings"]["edges"]) > 0
    assert resolved == Counter()


def test_a_compound_drilled_down_calls_no_resolver_of_its_posts_or_sunk_staff(server, resolved: Counter[str]) -> None:
    """The compound's sunk staff and its leading organisations' posts are loaded with the compound, so that the
    selections below it answer without a resolver (and can be written out as functions)."""
    compound = _with_sunk_staff_and_posts(server)
    resolved.clear()
    body = _answer(server, QUERIES["one compound drilled down"].replace("AREA", compound))
    area = body["data"]["area"]
    assert area["sunkStaff"] and any(org["memberships"]["totalCount"] for org in area["ledBy"]), area
    assert resolved == Counter()


def _with_sunk_staff_and_posts(server) -> str:
    """A compound of the small city with sunk staff and a leading organisation holding current posts."""
    data = _answer(
        server,
        """{ areas(level: COMPOUND, first: 100) { edges { node { domainId sunkStaff { active }
            ledBy { memberships(first: 1) { totalCount } } } } } }""",
    )["data"]
    for edge in data["areas"]["edges"]:
        node = edge["node"]
        if node["sunkStaff"] and any(org["memberships"]["totalCount"] for org in node["ledBy"]):
            found: str = node["domainId"]
            return found
    raise AssertionError("the small city has no compound with sunk staff and posts in its branch")


def test_posts_in_organisations_and_sunk_staff_follow_the_records(server, small_city) -> None:
    """What the readers answer, against the small city's own records: an organisation's posts in force today (or
    all, or of one post) by start date then id, a page at a time; a compound's sunk staff, current and past."""
    today = date.today().isoformat()
    posts: dict[str, list[RelRecord]] = defaultdict(list)
    for rel in small_city.rels("MEMBER_OF"):
        posts[rel.to_id].append(rel)
    data = _answer(
        server,
        """{ organizations(kind: COMPOUND_BRANCH, first: 40) { edges { node { domainId
            current: memberships(first: 100) { totalCount nodes { domainId } }
            every: memberships(current: false, first: 100) { nodes { domainId } }
            secretaries: memberships(current: false, post: SECRETARY, first: 100) { nodes { domainId } }
            first: memberships(first: 1) { pageInfo { endCursor } nodes { domainId } } } } } }""",
    )["data"]
    checked = 0
    for edge in data["organizations"]["edges"]:
        org = edge["node"]
        ordered = sorted(posts[org["domainId"]], key=lambda r: (str(r.props.get("start_date") or ""), r.id))
        current = [r.id for r in ordered if _in_force(r, today)]
        assert [n["domainId"] for n in org["current"]["nodes"]] == current
        assert org["current"]["totalCount"] == len(current)
        assert [n["domainId"] for n in org["every"]["nodes"]] == [r.id for r in ordered]
        assert [n["domainId"] for n in org["secretaries"]["nodes"]] == [
            r.id for r in ordered if r.props.get("post") == "secretary"
        ]
        assert [n["domainId"] for n in org["first"]["nodes"]] == current[:1]
        if len(current) > 1:
            after = org["first"]["pageInfo"]["endCursor"]
            org_id = org["domainId"]
            rest = _answer(
                server,
                f'{{ organization(id: "{org_id}") {{ memberships(first: 1, after: "{after}") {{ nodes {{ domainId }} }} }} }}',
            )
            assert [n["domainId"] for n in rest["data"]["organization"]["memberships"]["nodes"]] == current[1:2]
            checked += 1
    assert checked, "no branch of the small city holds more than one current post"

    sunk: dict[str, list[RelRecord]] = defaultdict(list)
    for rel in small_city.rels("SUNK_TO"):
        sunk[rel.to_id].append(rel)
    areas = _answer(
        server,
        """{ areas(level: COMPOUND, first: 100) { edges { node { domainId
            sunkStaff { role { code } startDate active person { domainId } } } } } }""",
    )["data"]["areas"]["edges"]
    assert any(edge["node"]["sunkStaff"] for edge in areas)
    for edge in areas:
        answered = sorted(
            (s["person"]["domainId"], s["role"]["code"], s["startDate"], s["active"]) for s in edge["node"]["sunkStaff"]
        )
        expected = sorted(
            (r.from_id, str(r.props["role"]).upper(), _day(r.props.get("start_date")), _in_force(r, today))
            for r in sunk[edge["node"]["domainId"]]
        )
        assert answered == expected, edge["node"]["domainId"]


def _day(value: Any) -> str | None:
    return None if value is None else str(value)


def _in_force(rel: RelRecord, today: str) -> bool:
    start, end = _day(rel.props.get("start_date")), _day(rel.props.get("end_date"))
    return (start is None or start <= today) and (end is None or end >= today)
