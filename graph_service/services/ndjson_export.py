"""Export the whole domain graph as NDJSON (format: ``domain.records``), in a fixed order.

Nodes by label in catalogue order then id, then relationships by type in catalogue order then id, so equal
graphs give byte-identical files. System tables (``SYSTEM_NODES``: write version, audit, keys) are never exported.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.domain.schema import NODES, RELS
from graph_service.errors import ConflictError
from graph_service.store.port import Store

#: Called after each table with the table's name and how many records it gave.
TableProgress = Callable[[str, int], None]

SNAPSHOT_ATTEMPTS = 5


def export_records(store: Store, progress: TableProgress | None = None) -> Iterator[str]:
    """The NDJSON lines (without newline) of every domain node and relationship, in export order.

    Reads a consistent snapshot: the bulk path (one Arrow query per label and type) runs outside a transaction,
    so the whole read is repeated when the store's write version moved meanwhile; nothing is yielded before a
    snapshot read cleanly. ``ConflictError`` if writes never paused for ``SNAPSHOT_ATTEMPTS`` reads.
    """
    tables = _snapshot(store)
    for label in NODES:
        # Arrow holds the snapshot compactly; one table at a time becomes Python objects.
        rows = node_rows(label, tables.pop(label))
        for node_id, props in rows:
            yield to_json_line(NodeRecord(label, node_id, props))
        if progress:
            progress(label, len(rows))
    for rel_type in RELS:
        rel_rows = rel_rows_of(rel_type, tables.pop(rel_type))
        for rel_id, from_id, from_label, to_id, to_label, props in rel_rows:
            yield to_json_line(RelRecord(rel_type, rel_id, from_id, from_label, to_id, to_label, props))
        if progress:
            progress(rel_type, len(rel_rows))


def _snapshot(store: Store) -> dict[str, pa.Table]:
    for _ in range(SNAPSHOT_ATTEMPTS):
        before = current_version(store)
        tables = {label: store.read_arrow("export_nodes", label=label) for label in NODES}
        tables.update({rel_type: store.read_arrow("export_rels", rel=rel_type) for rel_type in RELS})
        if current_version(store) == before:
            return tables
    raise ConflictError(f"the store kept changing during {SNAPSHOT_ATTEMPTS} export attempts; try again when writes pause")


def current_version(store: Store) -> int:
    """The committed write version read from the store itself (not an adapter's cache)."""
    rows = store.read("get_write_version")
    return int(rows[0]["version"]) if rows else 0


def read_nodes(
    store: Store, label: str, query: str = "export_nodes", ids: list[str] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """``(id, props)`` of the nodes of ``label`` sorted by id, nulls left out, values typed (dates as ``date``)."""
    params = {"ids": ids} if ids is not None else None
    return node_rows(label, store.read_arrow(query, params, label=label))


def node_rows(label: str, table: pa.Table) -> list[tuple[str, dict[str, Any]]]:
    """The rows of an ``export_nodes``-shaped table (one node column) as ``(id, props)``, sorted by id."""
    names = [p.name for p in NODES[label].props if p.name != "id"]
    columns = _struct_columns(table, table.column_names[0] if table.column_names else "n", ["id", *names])
    rows = [(node_id, _props(names, values)) for node_id, *values in zip(*columns, strict=True)]
    rows.sort(key=lambda row: row[0])
    return rows


def read_rels(store: Store, rel_type: str) -> list[tuple[str, str, str, str, str, dict[str, Any]]]:
    """``(id, from_id, from_label, to_id, to_label, props)`` of every ``rel_type`` relationship, sorted by id."""
    return rel_rows_of(rel_type, store.read_arrow("export_rels", rel=rel_type))


def rel_rows_of(rel_type: str, table: pa.Table) -> list[tuple[str, str, str, str, str, dict[str, Any]]]:
    """The rows of an ``export_rels``-shaped table, sorted by id (then the ends, should ids repeat)."""
    names = [p.name for p in RELS[rel_type].props if p.name != "id"]
    if not table.num_rows:
        return []
    ends = [table.column(name).to_pylist() for name in ("from_id", "from_label", "to_id", "to_label")]
    columns = _struct_columns(table, "rel", ["id", *names])
    rows = [
        (rid, from_id, from_label, to_id, to_label, _props(names, values))
        for from_id, from_label, to_id, to_label, rid, *values in zip(*ends, *columns, strict=True)
    ]
    rows.sort(key=lambda row: (row[0], row[1], row[3]))
    return rows


def _struct_columns(table: pa.Table, column: str, fields: list[str]) -> list[list[Any]]:
    """The named fields of a node or relationship column, each as a Python list (column-wise: fast)."""
    if not table.num_rows:
        return [[] for _ in fields]
    struct = table.column(column).combine_chunks()
    present = {struct.type.field(i).name for i in range(struct.type.num_fields)}
    # An adapter may leave out a property no row has (Neo4j stores no nulls): it reads as empty.
    return [struct.field(name).to_pylist() if name in present else [None] * len(struct) for name in fields]


def _props(names: list[str], values: list[Any]) -> dict[str, Any]:
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


def write_lines(lines: Iterator[str], out: Any) -> int:
    count = 0
    for line in lines:
        out.write(line)
        out.write("\n")
        count += 1
    return count


def write_atomically(lines: Iterator[str], path: Path) -> int:
    """Write ``lines`` to ``path`` under a temporary name renamed at the end: a failure leaves no half file."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            count = write_lines(lines, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return count
