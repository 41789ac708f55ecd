"""Arrow columns to Python lists in short calls: the same values ``to_pylist`` gives, equal values one object."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from graph_service.analysis import arrow_lists
from graph_service.analysis.arrow_lists import column_list, shared_column_list

DAY = dt.date(2024, 3, 1)
COLUMNS: dict[str, pa.ChunkedArray] = {
    "strings": pa.chunked_array([["a", None, "b", "a"], ["b", "c", None]]),
    "dates": pa.chunked_array([[DAY, None, DAY + dt.timedelta(days=3)], [DAY]], type=pa.date32()),
    "integers": pa.chunked_array([[1, 2, None, 2], [1]], type=pa.int64()),
    "booleans": pa.chunked_array([[True, False, None], [True]]),
    "floats": pa.chunked_array([[0.5, None, 0.5, 2.0]]),
    "timestamps": pa.chunked_array([[dt.datetime(2024, 3, 1, 8), None, dt.datetime(2024, 3, 1, 8)]], type=pa.timestamp("us")),
    "lists": pa.chunked_array([[["x", "y"], None, ["x", "y"], []], [["z"]]]),
    "structs": pa.chunked_array([[{"a": 1}, None, {"a": 1}]]),
    "all null": pa.chunked_array([[None, None]], type=pa.string()),
    "empty": pa.chunked_array([], type=pa.date32()),
}


@pytest.fixture(params=["encoded", "whole"])
def small_slices(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Slices of two values, so that every column above is converted over several calls; each column encoded first,
    # or (as a column of at most SMALL_COLUMN values is) converted whole.
    monkeypatch.setattr(arrow_lists, "SLICE_ROWS", 2)
    monkeypatch.setattr(arrow_lists, "SMALL_COLUMN", 0 if request.param == "encoded" else 1_000_000)


def _memo() -> tuple[dict[Any, Any], Any]:
    memo: dict[Any, Any] = {}
    return memo, lambda value: memo.setdefault(value, value)


@pytest.mark.usefixtures("small_slices")
@pytest.mark.parametrize("name", list(COLUMNS))
def test_column_list_gives_what_to_pylist_gives(name: str) -> None:
    column = COLUMNS[name]
    assert column_list(column) == column.to_pylist()
    assert column_list(column.combine_chunks()) == column.to_pylist()


@pytest.mark.usefixtures("small_slices")
@pytest.mark.parametrize("name", list(COLUMNS))
def test_shared_values_are_to_pylists_values_lists_as_tuples(name: str) -> None:
    column = COLUMNS[name]
    _, shared = _memo()
    expected = [tuple(v) if isinstance(v, list) else v for v in column.to_pylist()]
    got = shared_column_list(column, shared if name != "structs" else lambda value: value)
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.usefixtures("small_slices")
def test_equal_values_across_chunks_are_one_object() -> None:
    # Each chunk is encoded with a dictionary of its own: the memo still makes equal values one object.
    memo, shared = _memo()
    for name in ("strings", "dates", "lists"):
        values = [v for v in shared_column_list(COLUMNS[name], shared) if v is not None]
        by_value: dict[Any, Any] = {}
        for value in values:
            assert by_value.setdefault(value, value) is value, (name, value)
    assert DAY in memo and ("x", "y") in memo


def test_the_memo_sees_each_distinct_value_of_a_chunk_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(arrow_lists, "SMALL_COLUMN", 0)
    seen: list[Any] = []

    def shared(value: Any) -> Any:
        seen.append(value)
        return value

    column = pa.chunked_array([[DAY] * 1000 + [None] * 10 + [DAY + dt.timedelta(days=1)] * 1000], type=pa.date32())
    values = shared_column_list(column, shared)
    assert len(values) == 2010 and values.count(None) == 10
    assert sorted(seen) == [DAY, DAY + dt.timedelta(days=1)]
