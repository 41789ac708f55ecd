"""Limits and the GraphQL-over-HTTP rules over real HTTP: depth, aliases, tokens, cost, page size, timeout,
masking in production, introspection off, GET for queries only, media types."""

from __future__ import annotations

import httpx
import pytest

from graph_service.domain.records import NodeRecord


def _error(response):
    body = response.json()
    assert body.get("errors"), body
    return body, body["errors"][0]


def test_depth_limit(live_server):
    depth = live_server.settings.max_query_depth
    nested = "parent { " * (depth + 1) + "name" + " }" * (depth + 1)
    response = live_server.gql(f'{{ area(id: "hz") {{ {nested} }} }}')
    body, error = _error(response)
    assert response.status_code == 400 and "data" not in body
    assert "depth" in error["message"]


def test_depth_limit_counts_fragments(live_server):
    depth = live_server.settings.max_query_depth
    nested = "parent { " * depth + "name" + " }" * depth
    query = f'query {{ area(id: "hz") {{ ...deep }} }} fragment deep on Area {{ {nested} }}'
    response = live_server.gql(query)
    assert response.status_code == 400 and "depth" in _error(response)[1]["message"]


def test_alias_limit(live_server):
    aliases = " ".join(f"a{i}: __typename" for i in range(live_server.settings.max_aliases + 1))
    response = live_server.gql(f"{{ {aliases} }}")
    assert response.status_code == 400 and "aliases" in _error(response)[1]["message"].lower()


def test_token_limit(live_server):
    fields = " ".join("__typename" for _ in range(live_server.settings.max_tokens))
    response = live_server.gql(f"{{ {fields} }}")
    assert response.status_code == 400 and "token" in _error(response)[1]["message"].lower()


def test_cost_limit_is_checked_before_execution(live_server):
    limit = live_server.settings.max_page_size
    query = f"""{{ compounds(first: {limit}) {{ edges {{ node {{ children(first: {limit}) {{ edges {{ node {{
        children(first: {limit}) {{ edges {{ node {{ name }} }} }} }} }} }} }} }} }} }}"""
    response = live_server.gql(query)
    body, error = _error(response)
    assert response.status_code == 400 and "data" not in body
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY" and error["extensions"]["cost"] > error["extensions"]["limit"]
    assert response.headers["x-store-round-trips"] == "0"


def test_cost_uses_variables_for_page_sizes(live_server):
    query = "query($n: Int) { compounds(first: $n) { edges { node { children(first: $n) { edges { node { name } } } } } } }"
    cheap = live_server.gql(query, {"n": 2})
    assert cheap.status_code == 200 and "errors" not in cheap.json()


def test_timeout(start_server, small_city):
    server = start_server(records=small_city.records[:50], request_timeout_seconds=1e-6)
    response = server.gql("{ areas { totalCount edges { node { name chain { name } } } } }")
    body, error = _error(response)
    assert error["extensions"]["code"] == "TIMEOUT" and "data" not in body
    assert response.status_code == 504


@pytest.fixture(scope="module")
def production_server(start_server, small_city):
    # A stored area with a level the domain does not know: reading it fails inside a resolver.
    broken = NodeRecord("Area", "broken", {"level": "planet", "name": "坏数据"})
    return start_server(records=[*small_city.records, broken], environment="production", introspection=False)


def test_unexpected_errors_are_masked_in_production(production_server):
    body = production_server.gql('{ area(id: "broken") { name } }').json()
    [error] = body["errors"]
    assert error["message"] == "Internal error; it was logged."
    assert "planet" not in str(body) and "Traceback" not in str(body)


def test_our_errors_pass_through_in_production(production_server):
    body = production_server.gql('{ coverage(areaId: "nowhere") { compounds } }').json()
    assert "nowhere" in body["errors"][0]["message"]


def test_unexpected_errors_show_in_development(live_server, start_server, small_city):
    broken = NodeRecord("Area", "broken", {"level": "planet", "name": "坏数据"})
    server = start_server(records=[broken])
    body = server.gql('{ area(id: "broken") { name } }').json()
    assert "planet" in body["errors"][0]["message"]


def test_no_round_trip_header_in_production(production_server):
    response = production_server.gql("{ __typename }")
    assert response.status_code == 200 and "x-store-round-trips" not in response.headers


def test_introspection_switched_off(production_server, live_server):
    query = "{ __schema { queryType { name } } }"
    response = production_server.gql(query)
    assert response.status_code == 400 and "introspection" in _error(response)[1]["message"].lower()
    assert live_server.data(query)["__schema"]["queryType"]["name"] == "Query"


def test_get_runs_queries_but_not_mutations(live_server):
    headers = live_server.headers("viewer", "application/graphql-response+json")
    ok = httpx.get(live_server.graphql_url, params={"query": "{ __typename }"}, headers=headers)
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    refused = httpx.get(live_server.graphql_url, params={"query": "mutation { __typename }"}, headers=headers)
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/graphql-response+json", "application/graphql-response+json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
        ("application/json;q=0.5, application/graphql-response+json", "application/graphql-response+json"),
    ],
)
def test_content_negotiation(live_server, accept, media):
    response = live_server.gql("{ __typename }", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_unacceptable_media_and_content_types(live_server):
    headers = live_server.headers("viewer", "text/plain")
    assert httpx.post(live_server.graphql_url, json={"query": "{ __typename }"}, headers=headers).status_code == 406
    headers = live_server.headers("viewer") | {"Content-Type": "text/plain"}
    assert httpx.post(live_server.graphql_url, content='{"query": "{ __typename }"}', headers=headers).status_code == 415


def test_request_errors_are_400_only_under_graphql_response_json(live_server):
    for query in ("{", "{ noSuchField }"):
        strict = live_server.gql(query, accept="application/graphql-response+json")
        legacy = live_server.gql(query, accept="application/json")
        assert strict.status_code == 400 and "data" not in strict.json()
        assert legacy.status_code == 200 and legacy.json()["errors"]


def test_unknown_or_missing_operation_name_is_a_request_error(live_server):
    document = "query A { __typename } query B { __typename }"
    unknown = live_server.gql(document, operation_name="C")
    assert unknown.status_code == 400 and "'C'" in _error(unknown)[1]["message"]
    unnamed = live_server.gql(document)
    assert unnamed.status_code == 400 and "operationName" in _error(unnamed)[1]["message"]
    assert live_server.gql(document, operation_name="B").json() == {"data": {"__typename": "Query"}}
