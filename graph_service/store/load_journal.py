"""The journal of a bulk load in progress, kept beside the database so a load cut short can be undone.

LadybugDB 0.22 commits each ``COPY FROM`` on its own, and a ``COPY`` inside ``BEGIN ... COMMIT`` is no way out:
its rows are written outside the WAL, so a process killed while that transaction commits comes back with the
other statements of the transaction applied and the copied rows gone, and rolling such a transaction back in a
running process corrupts its heap when the table already held rows. So a bulk load is made all-or-nothing here:

1. before the first ``COPY`` a journal is written and fsynced: whether the store held no domain node at all;
2. when it held some, before each ``COPY`` the ids that ``COPY`` will insert are appended and fsynced;
3. after the last ``COPY`` the journal is deleted (and the directory fsynced): from then on the load is kept.

Whoever finds a journal (the load's own error handling, or the next open of the store after a crash) undoes the
load: every domain node if the store was empty, else the journaled ids. Undoing is idempotent (deleting what is
not there deletes nothing), so a crash during the undo is undone again at the next open; only then is the
journal deleted. The file format is JSON lines: a header, then one line per table.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow as pa

RelKey = tuple[str, str, str]  # (relationship type, from label, to label)
FORMAT = "graph-service bulk-load journal"
VERSION = 1


@dataclass
class UndoPlan:
    """What undoing a load deletes: everything (``store_was_empty``) or the journaled nodes and relationships."""

    store_was_empty: bool
    nodes: dict[str, list[str]] = field(default_factory=dict)
    rels: dict[RelKey, list[dict[str, str]]] = field(default_factory=dict)  # rows of from_id, to_id, id


def journal_path(database: Path) -> Path:
    return database.with_name(database.name + ".load-journal")


class LoadJournal:
    """The journal of one running load; ``begin`` makes it durable before anything is loaded."""

    def __init__(self, path: Path, store_was_empty: bool) -> None:
        self.path = path
        self.plan = UndoPlan(store_was_empty)
        self._out: IO[str] | None = None

    @classmethod
    def begin(cls, path: Path, *, store_was_empty: bool) -> LoadJournal:
        journal = cls(path, store_was_empty)
        header = {"format": FORMAT, "version": VERSION, "store_was_empty": store_was_empty}
        # Written whole under another name and renamed: a journal is either absent or has its header.
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            out.write(json.dumps(header) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        _sync_directory(path.parent)
        if not store_was_empty:
            journal._out = path.open("a", encoding="utf-8")
        return journal

    def nodes(self, label: str, ids: pa.Array | pa.ChunkedArray) -> None:
        """Record the ids a node ``COPY`` is about to insert (nothing to record when the store was empty)."""
        if self.plan.store_was_empty:
            return
        values = [str(v) for v in ids.to_pylist()]
        self.plan.nodes.setdefault(label, []).extend(values)
        self._append({"nodes": label, "ids": values})

    def rels(self, key: RelKey, table: pa.Table) -> None:
        """Record the relationships a ``COPY`` is about to insert (``from``, ``to`` and ``id`` columns)."""
        if self.plan.store_was_empty:
            return
        columns = [table.column(name).to_pylist() for name in ("from", "to", "id")]
        rows = [{"from_id": str(a), "to_id": str(b), "id": str(i)} for a, b, i in zip(*columns, strict=True)]
        self.plan.rels.setdefault(key, []).extend(rows)
        self._append({"rels": list(key), "rows": [[r["from_id"], r["to_id"], r["id"]] for r in rows]})

    def _append(self, entry: dict[str, object]) -> None:
        if self._out is None:
            raise RuntimeError("the load journal is closed")
        self._out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._out.flush()
        os.fsync(self._out.fileno())

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def finish(self) -> None:
        """The load is kept (or was undone): delete the journal durably."""
        self.close()
        remove(self.path)


def read(path: Path) -> UndoPlan | None:
    """The plan of an interrupted load, or ``None`` when there is no journal (or it never got its header)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    lines = text.split("\n")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as exc:
        raise JournalError(f"{path} is not a bulk-load journal ({exc})") from exc
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise JournalError(f"{path} is not a bulk-load journal of this version: {lines[0][:200]!r}")
    plan = UndoPlan(bool(header["store_was_empty"]))
    for line in lines[1:]:
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            # Only the last line can be torn, by a crash while it was written: its COPY had not started.
            break
        if "nodes" in entry:
            plan.nodes.setdefault(str(entry["nodes"]), []).extend(str(i) for i in entry["ids"])
        else:
            key = tuple(str(part) for part in entry["rels"])
            rows = [{"from_id": str(a), "to_id": str(b), "id": str(i)} for a, b, i in entry["rows"]]
            plan.rels.setdefault((key[0], key[1], key[2]), []).extend(rows)
    return plan


def remove(path: Path) -> None:
    """Delete the journal (if any) and make the deletion durable."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _sync_directory(path.parent)


class JournalError(Exception):
    """A file where the journal should be that is not one: refuse to guess what to undo."""


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
