"""The derived properties of a node (``NodeSpec.derived``), computed from its own on every write path.

Bulk loads (the seed, fast imports) hand the adapters Arrow tables: ``with_derived`` adds the columns there.
Upserts add them to their row tables, and mutations to their parameters with ``derived_values``. Each value
comes from ``graph_service.domain`` (a name's sort key from ``naming.natural_key``), so all paths agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from graph_service.domain.naming import NAME_KEY, name_key_of, natural_key
from graph_service.domain.schema import node_spec


def derived_values(label: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """The derived properties of a ``label`` node with ``props`` (nothing for a label without any)."""
    return {NAME_KEY: name_key_of(props)} if node_spec(label).derived else {}


def with_derived(label: str, table: pa.Table) -> pa.Table:
    """``table`` (rows of ``label`` nodes) with its derived columns computed from its own, replacing any given."""
    if not node_spec(label).derived:
        return table
    names = table.column("name").to_pylist() if "name" in table.column_names else [None] * table.num_rows
    keys = pa.array([None if name is None else natural_key(str(name)) for name in names], pa.string())
    if NAME_KEY in table.column_names:
        table = table.drop_columns([NAME_KEY])
    return table.append_column(NAME_KEY, keys)


__all__ = ["derived_values", "with_derived"]
