"""Fuzzing the live schema over real HTTP (issue 7): hypothesis-graphql writes queries and mutations from the
schema itself, with values for our scalars that hit the small city's real ids as well as hostile ones (lone
surrogates, huge strings and numbers, Cypher fragments); a second strategy sends hostile JSON as variables.

For every request: no 5xx, a GraphQL response that parses, every error with a code that is not an internal one,
and no traceback, driver or Cypher text in any message. The server runs in development mode, where nothing is
masked, so a driver error could not hide behind "Internal error".

Bounded: a few hundred examples, no deadline (a slow machine must not fail it), and a fixed seed in CI
(``derandomize`` when ``CI`` is set). ``FUZZ_EXAMPLES=2000`` runs a longer search locally.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from graph_service.api.schema import build_schema
from graphql import IntValueNode

from .conftest import City, LiveServer

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
IN_CI = bool(os.environ.get("CI"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=IN_CI,
    database=None if IN_CI else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

#: Text that must never reach a client: tracebacks, LadybugDB's and Neo4j's error texts, pybind, Cypher.
LEAKS = (
    "Traceback",
    "Unable to cast",
    "Binder exception",
    "Runtime exception",
    "Parser exception",
    "Catalog exception",
    "Conversion exception",
    "Overflow exception",
    "Copy exception",
    "Interrupt",
    "pybind",
    "PYBIND11",
    "ladybug",
    "Neo.ClientError",
    "MATCH (",
    "RETURN ",
    "UNWIND ",
    "Internal error",
)
#: Codes that mean the service, not the client, failed.
OUR_FAULT = {"INTERNAL_SERVER_ERROR", "SERVICE_ERROR"}

HOSTILE_TEXT = [
    "\ud800",  # a lone surrogate: the query text refuses it (GraphQL escapes are checked by the lexer)
    "x" * 40_000,
    "名" * 3_000,
    "\x00",
    "') RETURN 1 //",
    "MATCH (n) DETACH DELETE n",
    "$limit",
    "%s%s%n",
    "\\",
    '"',
    "",
    " ",
]
HOSTILE_INTS = [0, -1, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**63, 10**30]


def _real_ids(city: City) -> list[str]:
    ids = sorted({r.id for r in city.records})
    labels = {r.id: getattr(r, "label", None) or getattr(r, "type", "") for r in city.records}
    global_ids = [base64.b64encode(f"{labels[i]}:{i}".encode()).decode() for i in ids[:: max(1, len(ids) // 40)]]
    return [*ids[:: max(1, len(ids) // 60)], *global_ids]


def scalar_strategies(city: City) -> dict[str, st.SearchStrategy[Any]]:
    real = _real_ids(city)
    text = st.one_of(
        st.sampled_from(real),
        st.text(st.characters(codec="utf-8"), max_size=30),
        st.sampled_from(HOSTILE_TEXT),
    )
    dates = st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "yesterday", "x" * 5_000]),
    )
    datetimes = st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["2024-01-01T25:00", "now"]))
    # An integer of 5,000 digits: Python refuses to read it (and to print it, so the node is written directly).
    ints = st.one_of(st.integers(-5, 60), st.sampled_from(HOSTILE_INTS)).map(nodes.Int)
    ints = st.one_of(ints, st.just(IntValueNode(value="1" * 5000)))
    return {
        "String": text.map(nodes.String),
        "ID": text.map(nodes.String),
        "Date": dates.map(nodes.String),
        "DateTime": datetimes.map(nodes.String),
        "JSON": text.map(nodes.String),
        "Int": ints,
    }


@pytest.fixture(scope="module")
def fuzz_server(start_server, small_city) -> LiveServer:
    # Its own server: mutations change the store. Small pages keep each generated request cheap; the timeout is
    # generous so that a noisy machine does not turn a slow answer into a 504.
    live: LiveServer = start_server(
        records=small_city.records, default_page_size=5, max_page_size=50, request_timeout_seconds=120
    )
    return live


def check_answer(response: httpx.Response, sent: str) -> dict[str, Any]:
    """The checks every fuzzed request must pass; returns the body."""
    assert response.status_code < 500, (response.status_code, sent[:500], response.text[:500])
    body = response.json()  # parseable, whatever was sent
    assert isinstance(body, dict) and ("data" in body or "errors" in body), body
    for error in body.get("errors", []):
        message = error["message"]
        code = error.get("extensions", {}).get("code")
        assert isinstance(message, str) and code, error
        assert code not in OUR_FAULT, (error, sent[:500])
        # Text the client sent itself may come back quoted; anything else from the list is a leak.
        leaked = [text for text in LEAKS if text in message and text not in sent]
        assert not leaked, (leaked, error, sent[:500])
    # A mutation hides a failure of ours behind this user error (the details go to the log): none may occur.
    assert "could not be stored" not in response.text, (sent[:500], response.text[:500])
    return body


def post(server: LiveServer, payload: dict[str, Any], role: str, client: httpx.Client) -> httpx.Response:
    # ensure_ascii: a lone surrogate travels as the JSON escape "\ud800", as a hostile client would send it.
    content = json.dumps(payload, ensure_ascii=True)
    headers = {**server.headers(role), "Content-Type": "application/json"}
    return client.post(server.graphql_url, content=content, headers=headers)


def test_generated_queries_and_mutations(fuzz_server, small_city):
    schema = build_schema(fuzz_server.settings)._schema
    documents = from_schema(schema, custom_scalars=scalar_strategies(small_city))
    seen: dict[str, int] = {}

    with httpx.Client(timeout=300) as client:

        @FUZZ
        @given(document=documents)
        def run(document: str) -> None:
            role = "editor" if document.lstrip().startswith("mutation") else "admin"
            response = post(fuzz_server, {"query": document}, role, client)
            body = check_answer(response, document)
            outcome = "data" if body.get("data") else str(response.status_code)
            seen[outcome] = seen.get(outcome, 0) + 1

        run()
    # The fuzzer reached the resolvers, not only the limits: some answers carry data.
    assert seen.get("data", 0) > 0, seen


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)


HOSTILE_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(HOSTILE_INTS),
        st.floats(allow_nan=False),
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=20),
    ),
    _containers,
    max_leaves=20,
)
WITH_VARIABLES = [
    ("admin", "query($v: String!) { search(text: $v) { totalCount edges { node { __typename } } } }"),
    ("admin", "query($v: ID!) { node(id: $v) { id __typename } }"),
    ("admin", "query($v: String!, $n: Int) { area(id: $v) { name children(first: $n) { totalCount } } }"),
    ("admin", "query($v: PairingFilter, $n: Int, $c: String) { pairings(filter: $v, first: $n, after: $c) { totalCount } }"),
    ("admin", "query($v: CompoundFilter, $n: Int) { compounds(filter: $v, first: $n) { totalCount } }"),
    ("admin", "query($v: PersonFilter) { people(filter: $v) { totalCount } }"),
    ("admin", "query($c: String, $n: Int) { pairingChanges(since: $c, first: $n) { cursor hasMore } }"),
    ("admin", "query($v: ID!, $c: String) { auditLog(entityId: $v, after: $c) { totalCount } }"),
    ("editor", "mutation($v: CreateAreaInput!) { createArea(input: $v) { area { id } errors { field message value } } }"),
    ("editor", "mutation($v: CreatePairingInput!) { createPairing(input: $v) { errors { field message value } } }"),
    ("editor", "mutation($v: UpdatePersonInput!) { updatePerson(input: $v) { errors { field message value } } }"),
]


def test_hostile_variables(fuzz_server):
    with httpx.Client(timeout=300) as client:

        @settings(FUZZ, max_examples=max(50, EXAMPLES // 3))
        @given(
            case=st.sampled_from(WITH_VARIABLES),
            variables=st.dictionaries(st.sampled_from(["v", "n", "c", "other"]), HOSTILE_JSON, max_size=3),
        )
        def run(case: tuple[str, str], variables: dict[str, Any]) -> None:
            role, query = case
            payload = {"query": query, "variables": variables}
            check_answer(post(fuzz_server, payload, role, client), json.dumps(payload, ensure_ascii=False))

        run()
