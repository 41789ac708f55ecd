"""Bring a store written by an earlier version up to what this version derives on every write.

The store keeps some properties derived from others: a name's sort key (``domain.naming``) and the two ends of
a relationship's audit entry (``services.audit``). Every write path sets them, but a store written before they
existed lacks them. ``upgrade_store`` fills them in once, batch by batch, then records ``DERIVED_VERSION`` in the
``Meta`` node ``derived_version``; every later open reads that one node and does nothing more. Interrupted, it
starts again at the next open (each batch is idempotent). Raise ``DERIVED_VERSION`` when a derivation changes.

Not filled in, on purpose: ``AnalysisRun.weakness`` (each judged organisation's score) of runs saved before it
existed. It records what a past run found and cannot be recomputed from today's data; ``weakness_trend`` reads
such runs as "not known" (``judged`` None).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from graph_service.domain.naming import NAME_KEY, natural_key
from graph_service.domain.schema import NODES, RELS
from graph_service.services.bulk import rows_param
from graph_service.store.port import Store

DERIVED_VERSION = 1
BATCH_ROWS = 5000


def upgrade_store(store: Store) -> int:
    """Fill in what earlier versions did not derive; returns how many nodes it wrote (0 once up to date)."""
    rows = store.read("upgrade_get_version")
    if rows and rows[0]["version"] is not None and int(rows[0]["version"]) >= DERIVED_VERSION:
        return 0
    written = sum(_fill_name_keys(store, label) for label, spec in NODES.items() if spec.derived)
    written += _fill_audit_ends(store)
    store.write("upgrade_set_version", {"version": DERIVED_VERSION})
    return written


def _fill_name_keys(store: Store, label: str) -> int:
    table = store.read_arrow("upgrade_name_keys", label=label)
    ids, names, keys = (table.column(c).to_pylist() for c in ("id", "name", NAME_KEY))
    wanted = [(i, natural_key(n), k) for i, n, k in zip(ids, names, keys, strict=True) if n is not None]
    stale = [(i, key) for i, key, stored in wanted if key != stored]
    _write(store, "upgrade_set_name_keys", {"id": [i for i, _ in stale], NAME_KEY: [k for _, k in stale]}, label=label)
    return len(stale)


def _fill_audit_ends(store: Store) -> int:
    rows = store.read("upgrade_audit_without_ends", {"types": list(RELS)})
    ends = [(row["id"], _ends(row.get("after") or row.get("before"))) for row in rows]
    found = [(entry, pair) for entry, pair in ends if pair is not None]
    columns = {
        "id": [entry for entry, _ in found],
        "from_id": [pair[0] for _, pair in found],
        "to_id": [pair[1] for _, pair in found],
    }
    _write(store, "upgrade_set_audit_ends", columns)
    return len(found)


def _ends(record_text: str | None) -> tuple[str, str] | None:
    """The ends named by a relationship's NDJSON record (as the audit trail stores it)."""
    if not record_text:
        return None
    record: Any = json.loads(record_text)
    if isinstance(record, dict) and isinstance(record.get("from"), str) and isinstance(record.get("to"), str):
        return record["from"], record["to"]
    return None


def _write(store: Store, query: str, columns: dict[str, list[str]], **names: str) -> None:
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    for start in range(0, table.num_rows, BATCH_ROWS):
        batch = table.slice(start, BATCH_ROWS)
        store.write(query, {"rows": rows_param(store, batch)}, **names)


__all__ = ["DERIVED_VERSION", "upgrade_store"]
