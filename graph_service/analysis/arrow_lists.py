"""Arrow columns as Python lists, in calls short enough that the server's other threads keep running.

``to_pylist`` holds the interpreter's lock for the whole column. At scale 10 the projection's columns run to
700,000 values, and a column of dates took 0.59 s (a ``datetime.date`` made per value): every request the server
was answering waited that long. Here a column is converted a slice at a time, and a column of attribute values
(few distinct values: a level, a kind, a date) is dictionary-encoded first, so only its distinct values are made
into Python objects and each row takes the one object of its value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["SLICE_ROWS", "SMALL_COLUMN", "column_list", "shared_column_list"]

#: Values converted per ``to_pylist`` call: about 6 ms for strings, 50 ms for dates, on this project's machines.
SLICE_ROWS = 65_536

#: A column of at most this many values is converted whole, not encoded first: encoding costs about 25 µs a column,
#: what converting some 30 dates or 250 strings does (a patch's tables hold a row or a few).
SMALL_COLUMN = 1_024

#: The encodings are made with the C library's allocator: with pyarrow's default (mimalloc) a projection's build at
#: scale 1 peaked about 10 MB higher (414 against 405 MB), the memory it had held for the encodings kept.
_POOL = pa.system_memory_pool()

Column: TypeAlias = "pa.Array | pa.ChunkedArray"


def column_list(column: Column) -> list[Any]:
    """``column.to_pylist()``, a slice of ``SLICE_ROWS`` values at a time."""
    if len(column) <= SLICE_ROWS:
        values: list[Any] = column.to_pylist()
        return values
    values = []
    for start in range(0, len(column), SLICE_ROWS):
        values.extend(column.slice(start, SLICE_ROWS).to_pylist())
    return values


def shared_column_list(column: Column, shared: Callable[[Any], Any]) -> list[Any]:
    """``column``'s values, each distinct non-null value converted once and passed through ``shared`` (which
    returns the object every equal value is to be: a memo's), nulls as ``None``. A column of lists gives them
    as tuples (hashable, immutable: the projection is read only)."""
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return [None if v is None else shared(tuple(v)) for v in column_list(column)]
    encoded = None if len(column) <= SMALL_COLUMN else _dictionary_encoded(column)
    if encoded is None:
        return _each_shared(column, shared)
    chunks = encoded.chunks if isinstance(encoded, pa.ChunkedArray) else [encoded]
    values: list[Any] = []
    for chunk in chunks:
        distinct = _each_shared(chunk.dictionary, shared)
        # numpy takes each row's value from the distinct ones, making no Python int per row: 19 ms for 713,623 dates
        # against 48 ms through their indices as a list. A null points past the distinct values, at None.
        lookup = np.fromiter([*distinct, None], dtype=object, count=len(distinct) + 1)
        positions = pc.coalesce(chunk.indices, pa.scalar(len(distinct), chunk.indices.type), memory_pool=_POOL).to_numpy()
        for start in range(0, len(positions), SLICE_ROWS):
            values.extend(lookup[positions[start : start + SLICE_ROWS]].tolist())
    return values


def _each_shared(column: Column, shared: Callable[[Any], Any]) -> list[Any]:
    """Every value of ``column`` converted and passed through ``shared``, nulls as ``None``."""
    return [None if v is None else shared(v) for v in column_list(column)]


def _dictionary_encoded(column: Column) -> Column | None:
    """``column`` dictionary-encoded, or ``None`` for a type Arrow cannot hash (a struct)."""
    try:
        return pc.dictionary_encode(column, memory_pool=_POOL)
    except pa.ArrowNotImplementedError:
        return None
