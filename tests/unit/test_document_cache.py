"""The document cache of the request limits: a document sent again is not lexed, parsed or validated again, and
every limit still answers as it did the first time (the length on every request, the shape per page size)."""

from __future__ import annotations

from typing import Any

from graph_service.api.limits import DOCUMENT_CACHE_MAX_LENGTH, DocumentCache
from graph_service.api.schema import build_schema
from graph_service.config import Settings
from tests.run_apart import run_apart

COSTLY = "query Q($first: Int) { areas(first: $first) { edges { node { name children(first: 50) { totalCount } } } } }"


def codes(result: Any) -> list[str]:
    return [(e.extensions or {}).get("code", "") for e in result.errors or ()]


def test_a_document_is_parsed_once_and_its_verdict_kept() -> None:
    cache = DocumentCache(Settings())
    first = cache.checked("{ __typename }")
    assert first.document is not None and first.error is None
    assert cache.checked("{ __typename }") is first  # the same parse, not a new one
    broken = cache.checked("{ __typename")
    assert broken.document is None and broken.error is not None
    assert cache.checked("{ __typename") is broken


def test_the_cache_is_bounded_in_entries_and_in_document_length() -> None:
    cache = DocumentCache(Settings(), entries=2)
    for name in ("a", "b", "c"):
        cache.checked(f"query {name} {{ __typename }}")
    assert len(cache) == 2
    long_document = "{ __typename }" + " " * DOCUMENT_CACHE_MAX_LENGTH
    checked = cache.checked(long_document)
    assert checked.document is not None
    assert cache.checked(long_document) is not checked  # checked again on every request, never kept


def test_limits_answer_the_same_on_a_cached_document() -> None:
    schema = build_schema(Settings(max_query_depth=2, max_query_length=200))
    deep = "{ areas { edges { node { name } } } }"
    too_long = "{ __typename " + "#" * 300 + "\n}"
    unknown = "{ nosuchfield }"
    for _ in range(3):
        assert codes(schema.execute_sync(deep)) == ["QUERY_TOO_DEEP"]
        assert codes(schema.execute_sync(too_long)) == ["QUERY_TOO_LONG"]
        assert codes(schema.execute_sync(unknown)) == ["GRAPHQL_VALIDATION_FAILED"]
        assert schema.execute_sync("{ __typename }").data == {"__typename": "Query"}


def test_the_cost_is_judged_for_each_page_size_a_variable_sets() -> None:
    schema = build_schema(Settings(max_query_cost=2000))
    for _ in range(2):
        big = schema.execute_sync(COSTLY, variable_values={"first": 500})
        assert codes(big) == ["QUERY_TOO_COSTLY"]
        # Executed as the server executes it (its resolvers are async; run synchronously, their coroutines would
        # be left unawaited), with no store behind it: the resolver's own error, not the cost, answers.
        small = run_apart(schema.execute(COSTLY, variable_values={"first": 2}))
        assert "QUERY_TOO_COSTLY" not in codes(small)  # refused or not by the cost, not by the first verdict
