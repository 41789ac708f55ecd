"""Hostile requests over real HTTP, in development and in production mode: each gets a fast 4xx or a typed GraphQL
error, never a 500, a driver message or a frozen event loop (issue 7).

Hang guards use generous timeouts only: the tests assert what is answered, not how fast.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import uvicorn

from graph_service.api.app import create_app
from graph_service.api.limits import MAX_JSON_DEPTH
from graph_service.bootstrap import bootstrap
from graph_service.config import Settings
from graph_service.errors import MESSAGE_LIMIT, ValidationError
from graph_service.seed.runner import store_is_empty
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore

from .conftest import LiveServer, free_port

HANG_GUARD = 120  # seconds; a request that takes this long has frozen something
SURROGATE_QUERIES = {
    "search": "query($v: String!) { search(text: $v) { totalCount } }",
    "node": "query($v: ID!) { node(id: $v) { id } }",
    "pairings.activeOn": "query($v: Date) { pairings(filter: {activeOn: $v}) { totalCount } }",
    "pairings.communityId": "query($v: String) { pairings(filter: {communityId: $v}) { totalCount } }",
    "area": "query($v: String!) { area(id: $v) { name } }",
    "compounds.nameContains": "query($v: String) { compounds(filter: {nameContains: $v}) { totalCount } }",
    "pairingChanges": "query($v: String) { pairingChanges(since: $v) { cursor } }",
    "createArea": 'mutation($v: String!) { createArea(input: {level: COMMUNITY, name: $v, parentId: "d1s1"}) { errors { field } } }',  # noqa: E501
}


def fragment_bomb(levels: int) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def assert_error_shape(response: httpx.Response, status: int, code: str) -> str:
    """The one error shape of every route; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"errors", "status", "store"} and len(body["errors"]) == 1, body
    [error] = body["errors"]
    # GraphQL errors may add where in the document (locations) or the answer (path) they are.
    assert {"message", "extensions"} <= set(error) <= {"message", "extensions", "locations", "path"}, error
    assert isinstance(error["message"], str), error
    assert error["extensions"]["code"] == code, error
    message: str = error["message"]
    return message


@pytest.fixture(scope="module", params=["development", "production"])
def server(request, start_server, small_city) -> LiveServer:
    live: LiveServer = start_server(records=small_city.records, environment=request.param)
    return live


def post_raw(server: LiveServer, body: bytes | str, role: str = "admin", **headers: str) -> httpx.Response:
    headers = {**server.headers(role), "Content-Type": "application/json", **headers}
    return httpx.post(server.graphql_url, content=body, headers=headers, timeout=HANG_GUARD)


# --- 1. the fragment bomb ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [20, 30])
def test_fragment_bombs_are_refused_before_validation(server, levels):
    response = server.gql(fragment_bomb(levels))
    message = assert_error_shape(response, 400, "QUERY_TOO_COSTLY")
    assert f"selects {2**levels} fields once its fragments are spread out" in message


def test_health_answers_from_a_second_client_while_bombs_are_in_flight(server):
    answers: list[httpx.Response] = []

    def bomb() -> None:
        answers.append(server.gql(fragment_bomb(30)))

    bombers = [threading.Thread(target=bomb) for _ in range(4)]
    for thread in bombers:
        thread.start()
    with httpx.Client(timeout=HANG_GUARD) as other_client:
        health = [other_client.get(f"{server.base_url}/healthz") for _ in range(5)]
    for thread in bombers:
        thread.join(timeout=HANG_GUARD)
    assert all(h.status_code == 200 and h.json()["status"] == "ok" for h in health)
    assert len(answers) == 4 and all(a.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY" for a in answers)


# --- 2. deep JSON ---------------------------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_that_says_so(server):
    deep = "[" * 2000 + "]" * 2000
    body = '{"query": "query($v: String) { __typename }", "variables": {"v": ' + deep + "}}"
    message = assert_error_shape(post_raw(server, body), 400, "BAD_USER_INPUT")
    assert "the request body nests arrays and objects" in message and f"the limit is {MAX_JSON_DEPTH}" in message
    for name in ("variables", "extensions"):
        params = {"query": "{ __typename }", name: '{"v": ' + deep + "}"}
        response = httpx.get(server.graphql_url, params=params, headers=server.headers(), timeout=HANG_GUARD)
        assert f"{name} nests arrays and objects" in assert_error_shape(response, 400, "BAD_USER_INPUT")
    within = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    ok = post_raw(server, '{"query": "{ __typename }", "extensions": {"x": ' + within + "}}")
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}


def test_numbers_too_long_for_python_to_read_are_bad_input(server):
    # Python reads no integer of more than 4,300 digits: a ValueError from json.loads or from graphql-core.
    digits = "1" * 5000
    body = '{"query": "query($n: Int) { areas(first: $n) { totalCount } }", "variables": {"n": ' + digits + "}}"
    assert "more than 4300 digits" in assert_error_shape(post_raw(server, body), 400, "BAD_USER_INPUT")
    response = server.gql(f"{{ areas(first: {digits}) {{ totalCount }} }}")
    message = assert_error_shape(response, 400, "GRAPHQL_VALIDATION_FAILED")  # not masked in production
    assert "Expected value of type 'Int'" in message and len(message) <= MESSAGE_LIMIT + 30


# --- 3 and 4. lone surrogates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("argument", sorted(SURROGATE_QUERIES))
def test_a_lone_surrogate_in_a_variable_is_refused_naming_it(server, argument):
    body = json.dumps({"query": SURROGATE_QUERIES[argument], "variables": {"v": "ab\ud800"}})  # sent as "\ud800"
    role = "editor" if argument == "createArea" else "admin"
    with httpx.Client(timeout=HANG_GUARD, headers=server.headers(role)) as client:
        response = client.post(server.graphql_url, content=body, headers={"Content-Type": "application/json"})
        message = assert_error_shape(response, 400, "BAD_USER_INPUT")
        assert message.startswith("variable $v: 'ab\\ud800' is not valid Unicode text")
        # The connection is still usable (the encoder failure used to reset it).
        again = client.post(server.graphql_url, json={"query": "{ __typename }"})
        assert again.status_code == 200 and again.json() == {"data": {"__typename": "Query"}}


def test_a_lone_surrogate_nested_in_an_input_names_its_path(server):
    query = "query($f: PairingFilter) { pairings(filter: $f) { totalCount } }"
    body = json.dumps({"query": query, "variables": {"f": {"communityId": "\udc00"}}})
    assert "variable $f.communityId: '\\udc00'" in assert_error_shape(post_raw(server, body), 400, "BAD_USER_INPUT")


def test_a_lone_surrogate_in_the_query_text_is_a_parse_error(server):
    for literal in ('"\\ud800"', '"\\u{D800}"'):  # a GraphQL escape; the JSON body carries the backslash
        response = server.gql(f"{{ search(text: {literal}) {{ totalCount }} }}")
        assert "Invalid Unicode escape sequence" in assert_error_shape(response, 400, "GRAPHQL_PARSE_FAILED")
    raw = json.dumps({"query": '{ search(text: "\ud800") { totalCount } }'})  # the character itself, JSON-escaped
    assert "U+D800" in assert_error_shape(post_raw(server, raw), 400, "GRAPHQL_PARSE_FAILED")


def test_import_refuses_a_lone_surrogate_naming_field_and_value(tmp_path: Path):
    with LadybugStore(tmp_path / "graph.lbdb") as store:
        store.ensure_schema()
        line = json.dumps({"node": "Area", "id": "hz", "props": {"level": "city", "name": "菏\ud800泽"}}, ensure_ascii=False)
        for lines in ([line], [json.dumps(json.loads(line))]):  # the character itself, and its JSON escape
            with pytest.raises(ValidationError) as refused:
                import_lines(store, lines)
            [problem] = refused.value.problems
            assert (problem.field, problem.line) == ("props.name", 1) and "lone surrogate" in problem.message
            assert "'菏\\ud800泽'" in str(problem)
        assert store_is_empty(store)  # nothing written


def test_the_import_command_prints_an_offending_value_cut_short(tmp_path: Path):
    path = tmp_path / "city.ndjson"
    record = {"node": "Area", "id": "hz", "props": {"level": "city", "name": "名" * 1_000_000}}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    command = [str(Path(sys.executable).with_name("graph-service")), "import", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=HANG_GUARD, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "props.name" in output and "1000000 characters" in output
    assert len(output) < 2_000, output[:2_000]


# --- 5. cursors with huge numbers -------------------------------------------------------------------------------


def test_cursors_with_huge_numbers_are_bad_input_naming_the_argument(server):
    feed = base64.urlsafe_b64encode(b"audit:99999999999999999999999").decode()
    body = server.gql("query($c: String) { pairingChanges(since: $c) { cursor } }", {"c": feed}).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["message"].startswith("since: ")
    body = server.gql('query($c: String) { auditLog(entityId: "hz", after: $c) { totalCount } }', {"c": feed}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and body["errors"][0]["message"].startswith("after: ")
    page = base64.b64encode(b"cursor:99999999999999999999999").decode()
    body = server.gql("query($c: String) { areas(after: $c) { totalCount } }", {"c": page}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "is not a cursor from this API" in str(body)


# --- 7. request size and echoed values -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_limits(start_server) -> LiveServer:
    live: LiveServer = start_server(records=None, max_request_bytes=10_000, max_query_length=2_000)
    return live


@pytest.mark.parametrize("path", ["/graphql", "/export/pairings.csv", "/healthz", "/no-such-route"])
def test_a_declared_body_over_the_limit_is_refused_unread(small_limits, path):
    # Headers that announce 100 MB, and no body at all: a server that read the body first would wait for it.
    host, port = small_limits.base_url.removeprefix("http://").split(":")
    request = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {small_limits.keys['admin']}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=HANG_GUARD) as sock:
        sock.sendall(request.encode())
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection: the unread body makes it unusable
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert json.loads(body)["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


def test_a_streamed_body_is_counted_and_refused(small_limits):
    def chunks():
        for _ in range(1000):
            yield b" " * 1000

    headers = {**small_limits.headers(), "Content-Type": "application/json"}
    response = httpx.post(small_limits.graphql_url, content=chunks(), headers=headers, timeout=HANG_GUARD)
    assert "over the limit of 10000 bytes" in assert_error_shape(response, 413, "REQUEST_TOO_LARGE")
    fits = small_limits.gql("{ __typename }")
    assert fits.status_code == 200


def test_a_query_document_over_the_length_limit_is_refused_before_parsing(small_limits):
    response = small_limits.gql("# " + "x" * 3_000 + "\n{ __typename }")
    assert "over the limit of 2000" in assert_error_shape(response, 400, "QUERY_TOO_LONG")


def test_echoed_values_are_cut_short(server):
    huge = "x" * 1_000_000
    body = server.gql("query($v: Date) { pairings(filter: {activeOn: $v}) { totalCount } }", {"v": huge}).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and len(error["message"]) < MESSAGE_LIMIT + 50
    body = server.gql("query($v: String!) { search(text: $v) { totalCount } }", {"v": huge}).json()
    assert "1000000 characters" in body["errors"][0]["message"] and len(body["errors"][0]["message"]) < 300
    mutation = (
        'mutation($v: String!) { createArea(input: {level: COMMUNITY, name: $v, parentId: "d1s1"}) { errors { field value } } }'
    )
    [user_error] = server.gql(mutation, {"v": huge}, role="editor").json()["data"]["createArea"]["errors"]
    assert user_error["field"] == "name" and len(user_error["value"]) < 200 and user_error["value"].endswith("characters)")


# --- 8. one error shape, docs, logs ------------------------------------------------------------------------------


def test_every_route_answers_errors_in_one_shape(server):
    base, graphql = server.base_url, server.graphql_url
    cases: list[tuple[Callable[[], httpx.Response], int, str]] = [
        (lambda: httpx.post(graphql, json={"query": "{ __typename }"}), 401, "UNAUTHENTICATED"),
        (lambda: httpx.get(f"{base}/export/pairings.ndjson"), 401, "UNAUTHENTICATED"),
        (lambda: httpx.get(f"{base}/export/pairings.ndjson", headers=server.headers("viewer")), 403, "FORBIDDEN"),
        (lambda: httpx.get(f"{base}/export/popolo.json", headers=server.headers("editor")), 403, "FORBIDDEN"),
        (lambda: httpx.get(f"{base}/no-such-route", headers=server.headers()), 404, "NOT_FOUND"),
        (lambda: httpx.put(graphql, headers=server.headers()), 405, "METHOD_NOT_ALLOWED"),
        (lambda: httpx.post(f"{base}/healthz"), 405, "METHOD_NOT_ALLOWED"),
        (lambda: post_raw(server, "{not json"), 400, "BAD_USER_INPUT"),
        (
            lambda: post_raw(server, '{"query": "{ __typename }"}', **{"Content-Type": "text/plain"}),
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (lambda: post_raw(server, '{"query": "{ __typename }"}', Accept="text/csv"), 406, "NOT_ACCEPTABLE"),
        (
            lambda: httpx.get(graphql, params={"query": "mutation { __typename }"}, headers=server.headers()),
            405,
            "METHOD_NOT_ALLOWED",
        ),
        (lambda: server.gql("{ nope }"), 400, "GRAPHQL_VALIDATION_FAILED"),
        (lambda: server.gql("{ nope"), 400, "GRAPHQL_PARSE_FAILED"),
        (lambda: server.gql("query A { __typename } query B { __typename }"), 400, "OPERATION_RESOLUTION_FAILURE"),
    ]
    for send, status, code in cases:
        response = send()
        assert_error_shape(response, status, code)
        assert response.headers["content-type"].split(";")[0] in ("application/json", "application/graphql-response+json")
    # A refused method names every method the GraphQL endpoint takes.
    allowed = httpx.put(graphql, headers=server.headers()).headers["allow"]
    assert sorted(allowed.split(", ")) == ["GET", "HEAD", "POST"], allowed


def test_request_validation_errors_use_the_shape_too(tmp_path: Path):
    # No route of ours takes parameters FastAPI validates; a probe route on the real app shows the handler.
    settings = Settings(data_dir=tmp_path, api_keys="admin:admin-key-for-the-probe-0123456789")
    store = LadybugStore(settings.database_path)
    store.ensure_schema()
    app = create_app(settings, bootstrap(settings, store))

    @app.get("/probe")
    def probe(n: int) -> dict[str, int]:
        return {"n": n}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            thread.join(0.02)
        response = httpx.get(f"http://127.0.0.1:{port}/probe", params={"n": "x" * 10_000}, timeout=HANG_GUARD)
        message = assert_error_shape(response, 400, "BAD_USER_INPUT")
        assert "query.n" in message and "xxxxxxxxxx" not in message
        assert httpx.get(f"http://127.0.0.1:{port}/probe", params={"n": 3}).json() == {"n": 3}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


def test_docs_are_off_and_openapi_needs_a_key(server):
    assert_error_shape(httpx.get(f"{server.base_url}/docs"), 404, "NOT_FOUND")
    assert_error_shape(httpx.get(f"{server.base_url}/redoc"), 404, "NOT_FOUND")
    assert_error_shape(httpx.get(f"{server.base_url}/openapi.json"), 401, "UNAUTHENTICATED")
    document = httpx.get(f"{server.base_url}/openapi.json", headers=server.headers("viewer")).json()
    assert "/export/pairings.ndjson" in document["paths"] and "/openapi.json" not in document["paths"]


def test_a_clients_mistake_logs_one_line_without_a_traceback(server, caplog):
    caplog.set_level(logging.INFO)
    ids = ["Zm9vOmJhcg==", "!!!", base64.b64encode(b"Area").decode(), "x" * 10_000]
    for gid in ids:
        body = server.gql("query($id: ID!) { node(id: $id) { id } }", {"id": gid}).json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    ours = [r for r in caplog.records if r.name.startswith("graph_service")]
    assert 1 <= len(ours) <= len(ids)
    assert all(r.exc_info is None and "\n" not in r.getMessage() and len(r.getMessage()) < 1000 for r in ours)
    assert not [r for r in caplog.records if r.exc_info], "a client's mistake logged a traceback"


def test_our_own_faults_keep_their_traceback(start_server, small_city, caplog):
    from graph_service.domain.records import NodeRecord

    broken = start_server(records=[NodeRecord("Area", "broken", {"level": "planet", "name": "坏数据"})], environment="production")
    caplog.set_level(logging.INFO)
    body = broken.gql('{ area(id: "broken") { name } }').json()
    assert body["errors"][0] == {
        "message": "Internal error; it was logged.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["area"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
    assert [r for r in caplog.records if r.name == "graph_service.api" and r.exc_info and r.levelno >= logging.ERROR]
