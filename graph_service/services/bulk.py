"""Load many new records through the engine's bulk path (LadybugDB ``COPY FROM``; batched ``UNWIND`` on Neo4j)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa

from graph_service.domain.records import NodeRecord, Record, RelRecord
from graph_service.domain.schema import NODES, RELS
from graph_service.store.arrow_types import ARROW_TYPES
from graph_service.store.port import BulkLoader, Store

Progress = Callable[[int], None]


def bulk_insert(
    store: Store, records: Iterable[Record], progress: Progress | None = None, *, expected_version: int | None = None
) -> int:
    """Insert records none of which exists yet, all or none (``Store.bulk_load``); nodes first, then
    relationships. Returns how many were written.

    Values must already be validated and typed (``datetime.date`` for dates); the store checks only what its
    engine needs (ids new and unique, both ends of each relationship present).
    """
    nodes, rels = group_records(records)
    node_tables = {label: _node_table(label, rows) for label, rows in nodes.items()}
    rel_tables = {key: _rel_table(key[0], rows) for key, rows in rels.items()}
    return store.bulk_load(
        lambda loader: load_tables(loader, node_tables, rel_tables, progress), expected_version=expected_version
    )


def load_tables(
    loader: BulkLoader,
    nodes: Mapping[str, pa.Table],
    rels: Mapping[tuple[str, str, str], pa.Table],
    progress: Progress | None = None,
) -> int:
    """Hand ``loader`` every node table in catalogue order, then every relationship table; returns the rows."""
    written = 0
    for label in NODES:
        table = nodes.get(label)
        if table is not None and table.num_rows:
            loader.nodes(label, table)
            written += table.num_rows
            if progress:
                progress(table.num_rows)
    for (rel_type, from_label, to_label), table in sorted(rels.items()):
        if table.num_rows:
            loader.rels(rel_type, from_label, to_label, table)
            written += table.num_rows
            if progress:
                progress(table.num_rows)
    return written


def rows_param(store: Store, table: pa.Table) -> Any:
    """``table`` as the ``$rows`` of a batched write: LadybugDB's version of such a query reads an Arrow table
    (``LOAD FROM``, ten times faster than a list of maps there), Neo4j's a list of maps (``UNWIND``)."""
    return table if store.dialect == "ladybug" else table.to_pylist()


def group_records(
    records: Iterable[Record],
) -> tuple[dict[str, list[NodeRecord]], dict[tuple[str, str, str], list[RelRecord]]]:
    """Nodes by label and relationships by (type, from label, to label), each in the order given."""
    nodes: dict[str, list[NodeRecord]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[RelRecord]] = defaultdict(list)
    for record in records:
        if isinstance(record, NodeRecord):
            nodes[record.label].append(record)
        else:
            rels[(record.type, record.from_label, record.to_label)].append(record)
    return nodes, rels


def _columns(names: Iterable[str], rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row.get(name) for row in rows] for name in names}


def _node_table(label: str, rows: list[NodeRecord]) -> pa.Table:
    spec = NODES[label]
    data = _columns(spec.prop_names, [{**r.props, "id": r.id} for r in rows])
    return pa.table({p.name: pa.array(data[p.name], ARROW_TYPES[p.type]) for p in spec.props})


def _rel_table(rel_type: str, rows: list[RelRecord]) -> pa.Table:
    spec = RELS[rel_type]
    arrays = {
        "from": pa.array([r.from_id for r in rows], pa.string()),
        "to": pa.array([r.to_id for r in rows], pa.string()),
    }
    data = _columns(spec.prop_names, [{**r.props, "id": r.id} for r in rows])
    for p in spec.props:
        arrays[p.name] = pa.array(data[p.name], ARROW_TYPES[p.type])
    return pa.table(arrays)
