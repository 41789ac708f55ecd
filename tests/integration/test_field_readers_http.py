"""Fields declared with a reader (``field_readers``) answer over HTTP, on the small city, what their resolvers answer:
pages of pairings and check-ins with their ends and communities, people with their posts, areas and organisations
with their links and chains. Each query runs with the readers in use and again with every reader switched off (the
executor then calls each resolver); with them in use, the resolvers of ends and links held by the page's loads
ahead are not called."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from graph_service.api import common, execution

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
