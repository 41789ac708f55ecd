"""Answers to queries kept until the next write (api/response_cache.py), over real HTTP on the embedded store."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from graph_service.api.http import CACHE_HEADER, ROUND_TRIPS_HEADER
from tests.integration.conftest import City, LiveServer

AREAS = "query Areas($level: AreaLevel) { areas(level: $level, first: 50) { totalCount edges { node { domainId name } } } }"
RENAME = """mutation($id: ID!, $name: String!) {
  updateArea(input: {id: $id, name: $name}) { area { name } errors { field message value } } }"""


@pytest.fixture(scope="module")
def server(start_server: Callable[..., LiveServer], small_city: City) -> LiveServer:
    return start_server(records=small_city.records)


def ask(server: LiveServer, query: str, variables: dict[str, object] | None = None, role: str = "viewer") -> httpx.Response:
    response = server.gql(query, variables, role)
    assert response.status_code == 200, response.text
    return response


def test_the_same_query_again_is_answered_from_the_cache_with_the_same_body(server: LiveServer) -> None:
    first = ask(server, AREAS, {"level": "DISTRICT"})
    again = ask(server, AREAS, {"level": "DISTRICT"})
    assert CACHE_HEADER not in first.headers and int(first.headers[ROUND_TRIPS_HEADER]) > 0
    assert again.headers[CACHE_HEADER] == "hit" and again.headers[ROUND_TRIPS_HEADER] == "0"
    assert again.content == first.content and again.headers["content-type"] == first.headers["content-type"]


def test_other_variables_another_role_or_another_media_type_are_not_served_the_kept_answer(server: LiveServer) -> None:
    ask(server, AREAS, {"level": "STREET"})
    assert CACHE_HEADER not in ask(server, AREAS, {"level": "COMMUNITY"}).headers
    assert CACHE_HEADER not in ask(server, AREAS, {"level": "STREET"}, role="analyst").headers
    as_json = server.gql(AREAS, {"level": "STREET"}, "viewer", accept="application/json")
    assert CACHE_HEADER not in as_json.headers and as_json.headers["content-type"].startswith("application/json")


def test_a_write_is_seen_by_the_next_query(server: LiveServer) -> None:
    district = ask(server, AREAS, {"level": "DISTRICT"}).json()["data"]["areas"]["edges"][0]["node"]
    assert ask(server, AREAS, {"level": "DISTRICT"}).headers[CACHE_HEADER] == "hit"
    renamed = server.data(RENAME, {"id": district["domainId"], "name": "新名字区"}, role="editor")
    assert renamed["updateArea"]["errors"] == []
    after = ask(server, AREAS, {"level": "DISTRICT"})
    assert CACHE_HEADER not in after.headers
    names = {e["node"]["domainId"]: e["node"]["name"] for e in after.json()["data"]["areas"]["edges"]}
    assert names[district["domainId"]] == "新名字区"


def test_mutations_and_answers_with_errors_are_never_kept(server: LiveServer) -> None:
    bad = "{ areas(first: 100000) { totalCount } }"  # over the page-size limit: an error every time
    for _ in range(2):
        response = server.gql(bad, None, "viewer")
        assert CACHE_HEADER not in response.headers
    district = ask(server, AREAS, {"level": "DISTRICT"}).json()["data"]["areas"]["edges"][0]["node"]["domainId"]
    for name in ("甲区", "甲区"):
        response = server.gql(RENAME, {"id": district, "name": name}, "editor")
        assert CACHE_HEADER not in response.headers


def test_the_cache_can_be_turned_off(start_server: Callable[..., LiveServer], small_city: City) -> None:
    off = start_server(records=small_city.records, response_cache_mb=0)
    for _ in range(2):
        assert CACHE_HEADER not in ask(off, AREAS, {"level": "DISTRICT"}).headers
