"""A first page's window written into the statement for LadybugDB (``store.embedded._first_page_written``): the
engine plans a statement again on every run when its SKIP or LIMIT is a parameter. Only an ``int`` is ever written;
anything else, and every later page, keeps the parameters."""

from __future__ import annotations

from typing import Any

import pytest

from graph_service.store.embedded import _first_page_written

PAGE = "MATCH (a:Area)\nRETURN a\nORDER BY a.id\nSKIP $offset LIMIT $limit"


def test_a_first_page_is_written_with_its_limit_and_no_skip() -> None:
    assert _first_page_written(PAGE, {"offset": 0, "limit": 21}) == "MATCH (a:Area)\nRETURN a\nORDER BY a.id\nLIMIT 21"


@pytest.mark.parametrize(
    "params",
    [
        {"offset": 20, "limit": 21},  # a later page
        {"offset": 0, "limit": "1 RETURN 1"},  # never text
        {"offset": 0, "limit": True},  # nor a bool, though Python counts it an int
        {"offset": 0, "limit": 2.0},
        {"offset": 0, "limit": -1},
        {"offset": "0", "limit": 21},
        {"limit": 21},
        None,
    ],
)
def test_anything_else_keeps_its_parameters(params: dict[str, Any] | None) -> None:
    assert _first_page_written(PAGE, params) == PAGE


def test_a_statement_without_the_window_is_left_as_it_is() -> None:
    text = "MATCH (a:Area) RETURN a LIMIT $limit"
    assert _first_page_written(text, {"offset": 0, "limit": 3}) == text
