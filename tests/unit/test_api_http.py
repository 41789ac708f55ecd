"""Pure pieces of the HTTP layer, pagination, the cost estimate and key handling."""

from __future__ import annotations

import pytest

from graph_service.api.auth import bearer_token
from graph_service.api.http import GRAPHQL_RESPONSE, JSON, negotiate
from graph_service.api.limits import LIST_FACTOR, DocumentShape
from graph_service.api.pagination import PaginationError, decode_cursor, encode_cursor, paginate
from graph_service.api.schema import build_schema
from graph_service.config import Settings
from graph_service.errors import ConfigurationError
from graph_service.services.keys import hash_secret, parse_env_keys, verify_secret, weak_key_reason
from graphql import OperationDefinitionNode, parse


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.2, {JSON}", JSON),
        (f"{GRAPHQL_RESPONSE};q=0", None),
        ("text/html", None),
    ],
)
def test_negotiate(accept, expected):
    assert negotiate(accept) == expected


def test_cursors_round_trip_and_refuse_strangers():
    assert decode_cursor(encode_cursor(41)) == 41
    for bad in ("!!", "eA==", encode_cursor(3)[:-2]):
        with pytest.raises(PaginationError):
            decode_cursor(bad)


def test_paginate_pages_through_a_list():
    items = list(range(10))
    first = paginate(items, first=4, after=None, max_page_size=5, default_page_size=2)
    assert [e.node for e in first.edges] == [0, 1, 2, 3] and first.page_info.has_next_page
    second = paginate(items, first=4, after=first.page_info.end_cursor, max_page_size=5, default_page_size=2)
    assert [e.node for e in second.edges] == [4, 5, 6, 7]
    last = paginate(items, first=4, after=second.page_info.end_cursor, max_page_size=5, default_page_size=2)
    assert [e.node for e in last.edges] == [8, 9] and not last.page_info.has_next_page and last.page_info.has_previous_page
    assert [e.node for e in paginate(items, first=None, after=None, max_page_size=5, default_page_size=2).edges] == [0, 1]
    with pytest.raises(PaginationError, match="maximum page size of 5"):
        paginate(items, first=6, after=None, max_page_size=5, default_page_size=2)


def test_paginate_builds_only_the_items_of_the_page():
    built: list[int] = []

    def build(item: int) -> str:
        built.append(item)
        return f"#{item}"

    items = list(range(10))
    first = paginate(items, first=4, after=None, max_page_size=5, default_page_size=2, build=build)
    assert [e.node for e in first.edges] == ["#0", "#1", "#2", "#3"] and first.page_info.has_next_page
    assert built == [0, 1, 2, 3]  # not the whole list, nor the one item past the page that says a next one exists
    last = paginate(items, first=4, after=encode_cursor(7), max_page_size=5, default_page_size=2, build=build)
    assert [e.node for e in last.edges] == ["#8", "#9"] and not last.page_info.has_next_page
    assert built == [0, 1, 2, 3, 8, 9]
    assert last.edges[0].cursor == encode_cursor(8)
    with pytest.raises(PaginationError, match="maximum page size of 5"):
        paginate(items, first=6, after=None, max_page_size=5, default_page_size=2, build=build)
    assert built == [0, 1, 2, 3, 8, 9]


def _cost(query: str, variables=None, default=10, maximum=100) -> int:
    settings = Settings(default_page_size=default, max_page_size=maximum)
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return DocumentShape(build_schema(settings)._schema, document, variables or {}, settings).operation(operation).cost


def test_cost_grows_with_page_sizes_and_nesting():
    one = _cost("{ compounds(first: 5) { edges { node { name } } } }")
    nested = _cost("{ compounds(first: 5) { edges { node { name children(first: 4) { edges { node { name } } } } } } }")
    assert nested > 4 * one
    assert _cost("query($n: Int) { compounds(first: $n) { edges { node { name } } } }", {"n": 50}) > one * 9
    # No first: the default page size; a plain list: LIST_FACTOR.
    assert _cost("{ compounds { edges { node { name } } } }") == _cost("{ compounds(first: 10) { edges { node { name } } } }")
    plain = _cost('{ area(id: "x") { ledBy { name } } }')
    assert plain == 1 + 1 + LIST_FACTOR


def test_cost_counts_fragments():
    inline = _cost("{ compounds(first: 5) { edges { node { name households } } } }")
    spread = _cost("{ compounds(first: 5) { edges { node { ...f } } } } fragment f on Area { name households }")
    assert inline == spread


def test_env_keys_parse_and_weak_keys_are_named():
    keys = parse_env_keys("viewer:abc, admin:def")
    assert [(k.role.value, k.key) for k in keys] == [("viewer", "abc"), ("admin", "def")]
    with pytest.raises(ConfigurationError, match="entry 1"):
        parse_env_keys("nobody:abc")
    with pytest.raises(ConfigurationError, match="role:key"):
        parse_env_keys("viewer")
    assert weak_key_reason("changeme") and weak_key_reason("short") and weak_key_reason("a" * 40)
    assert weak_key_reason("Zq8-r2Lx0_vWm5Tb9Yc1Nd4Hk7Pf3Gs6") is None


def test_production_refuses_weak_keys():
    from graph_service.api.app import create_app

    with pytest.raises(ConfigurationError, match="refused in production"):
        create_app(Settings(environment="production", api_keys="admin:changeme"))
    create_app(Settings(environment="development", api_keys="admin:changeme"))


def test_secret_hashes_are_salted_and_checked():
    first, second = hash_secret("s3cret"), hash_secret("s3cret")
    assert first != second
    assert verify_secret("s3cret", first) and not verify_secret("s3cret!", first)
    assert not verify_secret("s3cret", "plain-text")


def test_bearer_token():
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None and bearer_token(None) is None and bearer_token("Bearer ") is None
