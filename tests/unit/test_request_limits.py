"""The pieces that keep hostile requests cheap: document limits checked on a bounded budget, JSON depth found
without decoding, lone surrogates refused, values echoed short, bodies that always encode, cursors in range."""

from __future__ import annotations

import base64
import json

import pytest

from graph_service.api.http import check_text, decode_json, json_depth
from graph_service.api.limits import MAX_JSON_DEPTH, DocumentShape, check_shape, nesting_limit, parse_bounded
from graph_service.api.pagination import MAX_OFFSET, PaginationError, decode_cursor, encode_cursor
from graph_service.api.responses import encode_json, graphql_error_code, unexpected
from graph_service.api.schema import build_schema
from graph_service.config import Settings
from graph_service.domain.schema import NODES, RELS
from graph_service.domain.validation import INT64_MAX, text_problem, validate_props
from graph_service.errors import (
    ECHO_LIMIT,
    BadInputError,
    ConflictError,
    GraphServiceError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    RequestError,
    StoreError,
    UnknownQueryError,
    ValidationError,
    clip,
    echo,
)
from graph_service.services import audit
from graphql import GraphQLError, OperationDefinitionNode, parse

SETTINGS = Settings()
SCHEMA = build_schema(SETTINGS)._schema


def fragment_bomb(levels: int) -> str:
    """``query { ...F<levels> }``: each fragment spreads the one below it twice (2**levels fields in all)."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def selection_walks(query: str) -> tuple[int, int]:
    """The fields a query selects once spread out, and how many selection sets the analysis walked to know it."""

    class Counting(DocumentShape):
        walks = 0

        def selection(self, selection_set, parent):  # type: ignore[no-untyped-def]
            Counting.walks += 1
            return super().selection(selection_set, parent)

    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fields = Counting(SCHEMA, document, {}, SETTINGS).operation(operation).fields
    return fields, Counting.walks


@pytest.mark.parametrize("levels", [20, 30])
def test_fragment_bomb_is_refused_with_its_size(levels):
    document = parse_bounded(fragment_bomb(levels), SETTINGS)
    with pytest.raises(GraphQLError) as refused:
        check_shape(SCHEMA, document, None, {}, SETTINGS)
    error = refused.value
    assert error.extensions["code"] == "QUERY_TOO_COSTLY"
    assert error.extensions["fields"] == 2**levels and "fragments are spread out" in error.message


def test_fragments_are_walked_once_each():
    # The work follows the document, not what it expands to: each fragment and the operation once.
    for levels in (20, 30):
        assert selection_walks(fragment_bomb(levels)) == (2**levels, levels + 2)


def test_a_fragment_that_spreads_itself_is_refused():
    document = parse_bounded("query { ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }", SETTINGS)
    with pytest.raises(GraphQLError, match="spreads itself") as refused:
        check_shape(SCHEMA, document, None, {}, SETTINGS)
    assert refused.value.extensions["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_depth_counts_through_fragments_like_strawberrys_limiter():
    depth = SETTINGS.max_query_depth

    def query(parents: int) -> str:
        nested = "parent { " * parents + "name" + " }" * parents
        return f'query {{ area(id: "hz") {{ ...deep }} }} fragment deep on Area {{ {nested} }}'

    check_shape(SCHEMA, parse(query(depth - 1)), None, {}, SETTINGS)  # name sits at level `depth`: allowed
    with pytest.raises(GraphQLError, match=f"'anonymous' exceeds maximum operation depth of {depth}") as refused:
        check_shape(SCHEMA, parse(query(depth)), None, {}, SETTINGS)
    assert refused.value.extensions["code"] == "QUERY_TOO_DEEP"


def test_aliases_count_every_spread():
    query = "query { ...A ...A } fragment A on Query { " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    with pytest.raises(GraphQLError, match=r"32 aliases found\. Allowed: 30") as refused:
        check_shape(SCHEMA, parse(query), None, {}, SETTINGS)
    assert refused.value.extensions["code"] == "TOO_MANY_ALIASES"


def test_several_operations_need_a_name():
    document = parse("query A { __typename } query B { __typename }")
    with pytest.raises(GraphQLError, match="operationName"):
        check_shape(SCHEMA, document, None, {}, SETTINGS)
    check_shape(SCHEMA, document, "B", {}, SETTINGS)


def test_document_length_tokens_and_nesting_are_checked_before_parsing():
    long = "#" + "x" * SETTINGS.max_query_length + "\n{ __typename }"
    with pytest.raises(GraphQLError) as refused:
        parse_bounded(long, SETTINGS)
    assert refused.value.extensions["code"] == "QUERY_TOO_LONG"
    many = "{ " + "__typename " * SETTINGS.max_tokens + "}"
    with pytest.raises(GraphQLError, match="tokens") as refused:
        parse_bounded(many, SETTINGS)
    assert refused.value.extensions["code"] == "TOO_MANY_TOKENS"
    deep = nesting_limit(SETTINGS) + 1
    brackets = "{ a(x: " + "[" * deep + "]" * deep + ") }"
    with pytest.raises(GraphQLError, match="nests brackets") as refused:
        parse_bounded(brackets, SETTINGS)
    assert refused.value.extensions["code"] == "QUERY_TOO_DEEP"
    with pytest.raises(GraphQLError) as refused:
        parse_bounded("{ a(", SETTINGS)
    assert refused.value.extensions["code"] == "GRAPHQL_PARSE_FAILED"


def test_json_depth_is_found_without_decoding():
    assert json_depth(b'{"a": [1, {"b": "[[[[\\"[["}]}') == 3
    assert json_depth(b"[" * 5000 + b"]" * 5000) == 5000  # json.loads would raise RecursionError
    assert json_depth(b'"just a string"') == 0
    assert decode_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH, "body") is not None
    too_deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(RequestError, match=f"variables nests arrays and objects {MAX_JSON_DEPTH + 1} deep") as refused:
        decode_json(too_deep, "variables")
    assert refused.value.status == 400 and refused.value.code == "BAD_USER_INPUT"


def test_lone_surrogates_are_not_text():
    assert text_problem("菏泽 ok 😀") is None
    assert "lone surrogate \\ud800 at character 2" in str(text_problem("ab\ud800"))
    with pytest.raises(RequestError, match=r"variable \$v\.names\[1\]: '\\udc00' is not valid Unicode text"):
        check_text({"names": ["ok", "\udc00"]}, "variable $v")


def test_domain_strings_refuse_lone_surrogates():
    spec = NODES["Area"]
    _, problems = validate_props(spec, {"id": "a", "level": "city", "name": "x\ud800y"})
    [problem] = problems
    assert problem.field == "name" and "lone surrogate" in problem.message and problem.value == "x\ud800y"
    assert "'x\\ud800y'" in str(problem)  # shown escaped
    pairing = RELS["PAIRED_WITH"]
    _, problems = validate_props(pairing, {"id": "p", "start_date": "2024-01-01", "projects": ["助老", "\ud800"]})
    [problem] = problems
    assert problem.field == "projects" and problem.message.startswith("item 1 is not valid Unicode text")


def test_values_are_echoed_escaped_and_short():
    huge = "x" * 1_000_000
    assert len(echo(huge)) < ECHO_LIMIT + 40 and "1000000 characters" in echo(huge)
    assert echo("\ud800\n") == "'\\ud800\\n'"
    assert len(echo(list(range(100_000)))) <= ECHO_LIMIT + 1
    assert clip("a\ud800") == "a\\ud800"
    assert len(str(Problem("name", "is too long", huge, 3))) < 200


def test_bodies_always_encode():
    body = {"errors": [{"message": "bad \ud800 value"}], "data": {"x": float("nan"), "\udc00": [float("inf")]}}
    decoded = json.loads(encode_json(body).decode("utf-8"))
    assert decoded == {"errors": [{"message": "bad \ufffd value"}], "data": {"x": None, "\ufffd": [None]}}
    assert encode_json({"a": "菏泽"}) == '{"a":"菏泽"}'.encode()


@pytest.mark.parametrize(
    ("exc", "code", "client_fault"),
    [
        (ValidationError([Problem("x", "bad")]), "BAD_USER_INPUT", True),
        (InputError("id: 'x' is not an id"), "BAD_USER_INPUT", True),
        (PaginationError("after: bad"), "BAD_USER_INPUT", True),
        (RequestError(400, "bad body"), "BAD_USER_INPUT", True),
        (ConflictError("duplicate"), "BAD_USER_INPUT", True),
        (NotFoundError("no such area"), "NOT_FOUND", True),
        (PermissionDeniedError("needs analyst"), "FORBIDDEN", True),
        (StoreError("Binder exception: ..."), "SERVICE_ERROR", False),
        (UnknownQueryError("no query named 'x'"), "SERVICE_ERROR", False),
    ],
)
def test_codes_come_from_the_exception_tree(exc, code, client_fault):
    assert isinstance(exc, GraphServiceError)
    assert isinstance(exc, BadInputError) == (code == "BAD_USER_INPUT" and not isinstance(exc, ConflictError))
    error = GraphQLError(str(exc), original_error=exc, path=["field"])
    assert graphql_error_code(error) == code and unexpected(error) is not client_fault


def test_errors_outside_the_tree_are_unexpected():
    error = GraphQLError("Unable to cast Python instance", original_error=RuntimeError("Unable to cast"), path=["f"])
    assert unexpected(error) and graphql_error_code(error) == "INTERNAL_SERVER_ERROR"
    assert not unexpected(GraphQLError("Variable '$v' got invalid value"))
    assert graphql_error_code(GraphQLError("Variable '$v' got invalid value")) == "BAD_USER_INPUT"


def test_page_cursors_stay_in_the_stores_integer_range():
    assert decode_cursor(encode_cursor(MAX_OFFSET)) == MAX_OFFSET
    huge = base64.b64encode(b"cursor:99999999999999999999999").decode()
    for bad in (huge, encode_cursor(MAX_OFFSET + 1), base64.b64encode("cursor:²".encode()).decode(), "x" * 10_000):
        with pytest.raises(PaginationError, match=r"after: .* is not a cursor from this API"):
            decode_cursor(bad)


def test_feed_cursors_stay_in_the_stores_integer_range():
    assert audit.decode_cursor(audit.encode_cursor(INT64_MAX)) == INT64_MAX
    huge = base64.urlsafe_b64encode(b"audit:99999999999999999999999").decode()
    for bad in (huge, audit.encode_cursor(INT64_MAX + 1), base64.urlsafe_b64encode(b"audit:+1").decode()):
        with pytest.raises(ValidationError) as refused:
            audit.decode_cursor(bad)
        assert refused.value.problems[0].field == "since"
    with pytest.raises(ValidationError) as refused:
        audit.decode_cursor(huge, field="after")
    assert refused.value.problems[0].field == "after"
