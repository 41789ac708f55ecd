"""LadybugDB, in-process and on disk: the default store, nothing to install.

Built around what we measured of ladybug 0.22 (ARCHITECTURE.md): one ``Database`` per file per process (a
second one loses commits), one writer at a time (a second fails at once, so writes take a lock here), and an
error inside ``BEGIN ... COMMIT`` silently ends the transaction (so any exception rolls back and stops).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa
import pyarrow.compute as pc

from graph_service.domain.schema import RELS, Prop, node_spec, primary_key
from graph_service.errors import ConflictError, GraphServiceError, StoreError
from graph_service.store.arrow_types import ARROW_TYPES
from graph_service.store.port import Params, Row, Store, note_round_trip
from graph_service.store.queries import QueryCatalog, QueryRef, bind, fill, split_statements

_DATABASES: dict[Path, tuple[ladybug.Database, int]] = {}
_DATABASES_LOCK = threading.Lock()
_INTERNAL_KEYS = ("_ID", "_SRC", "_DST")


def _open_database(path: Path) -> ladybug.Database:
    """The process's one ``Database`` for ``path``, reference counted."""
    with _DATABASES_LOCK:
        db, refs = _DATABASES.get(path, (None, 0))
        if db is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                db = ladybug.Database(str(path))
            except RuntimeError as exc:
                raise StoreError(f"cannot open {path}: {exc} (is another process using it?)") from exc
        _DATABASES[path] = (db, refs + 1)
        return db


def _release_database(path: Path) -> None:
    with _DATABASES_LOCK:
        db, refs = _DATABASES.get(path, (None, 0))
        if db is None:
            return
        if refs <= 1:
            del _DATABASES[path]
            db.close()
        else:
            _DATABASES[path] = (db, refs - 1)


def to_param(value: Any) -> Any:
    """Python values as LadybugDB takes them: enums as codes, timestamps as naive UTC."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dict):
        return {k: to_param(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_param(v) for v in value]
    return value


def from_value(value: Any) -> Any:
    """LadybugDB values as the port promises: nodes/relationships as property dicts with ``_label``/``_type``."""
    if isinstance(value, dict):
        if "_LABEL" in value and ("_ID" in value or "_SRC" in value):
            out = {k: from_value(v) for k, v in value.items() if k not in _INTERNAL_KEYS and k != "_LABEL"}
            out["_type" if "_SRC" in value else "_label"] = value["_LABEL"]
            return out
        return {k: from_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_value(v) for v in value]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


class _LadybugTx:
    def __init__(self, conn: ladybug.Connection, catalog: QueryCatalog) -> None:
        self.conn = conn
        self.catalog = catalog

    def run(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        text = self.catalog.text(query, **names)
        note_round_trip()
        result = _single(self.conn.execute(text, to_param(bind(query, text, params or {}))))
        columns = result.get_column_names()
        return [dict(zip(columns, map(from_value, row), strict=True)) for row in result.get_all()]


class LadybugStore(Store):
    """The embedded store; ``path`` is the database file (its ``.wal`` lies beside it)."""

    dialect = "ladybug"

    def __init__(self, path: Path, pool_size: int = 4) -> None:
        self.path = path.resolve()
        self.catalog = QueryCatalog(self.dialect)
        self._db = _open_database(self.path)
        self._pool: queue.LifoQueue[ladybug.Connection] = queue.LifoQueue()
        for _ in range(pool_size):
            self._pool.put(ladybug.Connection(self._db))
        self._write_lock = threading.Lock()
        self._version: int | None = None
        self._closed = False

    @contextmanager
    def _connection(self) -> Iterator[ladybug.Connection]:
        conn = self._pool.get()
        try:
            yield conn
        finally:
            self._pool.put(conn)

    def ensure_schema(self) -> None:
        with self._write_lock, self._connection() as conn:
            for statement in split_statements(self.catalog.text("schema")):
                conn.execute(statement)
            conn.execute(self.catalog.text("ensure_write_version"))
        self._version = None

    @contextmanager
    def read_tx(self) -> Iterator[_LadybugTx]:
        with self._connection() as conn:
            conn.execute("BEGIN TRANSACTION READ ONLY")
            try:
                yield _LadybugTx(conn, self.catalog)
            except BaseException:
                _rollback(conn)
                raise
            conn.execute("COMMIT")

    @contextmanager
    def write_tx(self) -> Iterator[_LadybugTx]:
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN TRANSACTION")
            tx = _LadybugTx(conn, self.catalog)
            try:
                yield tx
                rows = tx.run("bump_write_version")
                conn.execute("COMMIT")
            except BaseException as exc:
                _rollback(conn)
                self._version = None
                if isinstance(exc, RuntimeError):
                    raise _store_error(exc) from exc
                raise
            self._version = int(rows[0]["version"])

    def read_arrow(self, query: QueryRef, params: Params | None = None, /, **names: object) -> pa.Table:
        text = self.catalog.text(query, **names)
        with self._connection() as conn:
            note_round_trip()
            result = _single(conn.execute(text, to_param(bind(query, text, params or {}))))
            table: pa.Table = result.get_as_arrow()
            return table

    def bulk_load_nodes(self, label: str, table: pa.Table) -> None:
        # A node COPY that fails on a duplicate key in a non-empty table corrupts ladybug 0.22's heap (the
        # process aborts later), so duplicates are refused here before COPY ever sees them.
        # COPY wants every column of the table, in order.
        self._copy(label, conform(table, node_spec(label).props), "", lambda: self._refuse_duplicate_keys(label, table))

    def _refuse_duplicate_keys(self, label: str, table: pa.Table) -> None:
        key = primary_key(label)
        if key not in table.column_names:
            return  # COPY itself names the missing key column
        keys = table.column(key).cast(pa.string())
        if pc.count_distinct(keys).as_py() < keys.length() - keys.null_count:
            counts = pc.value_counts(keys).to_pylist()
            repeated = sorted(str(c["values"]) for c in counts if c["counts"] > 1)[:5]
            raise ConflictError(f"{label}: duplicate {key} values in the load: {', '.join(repeated)}")
        stored = self.read("ladybug_count_nodes", label=label)[0]["n"] if key == "id" else 0
        if not stored:
            return
        if keys.length() < stored:  # a few new rows: look each up by key
            rows = self.read("ladybug_existing_keys", {"keys": keys.drop_null().to_pylist()}, label=label)
            found = [str(r["key"]) for r in rows]
        else:  # many: one scan of the stored keys is cheaper than a lookup per row
            all_keys = self.read_arrow("ladybug_all_keys", label=label).column("key")
            found = keys.filter(pc.is_in(keys, value_set=all_keys.combine_chunks())).to_pylist()[:5]
        if found:
            raise ConflictError(f"{label}: {key} already exists: {', '.join(sorted(found))}")

    def bulk_load_rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        props = (Prop("from", required=True), Prop("to", required=True), *RELS[rel_type].props)
        self._copy(rel_type, conform(table, props), f" (from='{from_label}', to='{to_label}')")

    def _copy(self, table_name: str, table: pa.Table, options: str, precheck: Callable[[], None] | None = None) -> None:
        # COPY reads the Arrow table from a local variable by name; the table name comes from the catalogue.
        target = fill("__table__", {"table": table_name})
        bulk_rows = table  # noqa: F841 - referenced by name inside the COPY statement
        with self._write_lock, self._connection() as conn:
            if precheck is not None:
                precheck()  # under the write lock, so no other writer slips in before the COPY
            note_round_trip()
            try:
                conn.execute(f"COPY {target} FROM bulk_rows{options}")
                rows = _LadybugTx(conn, self.catalog).run("bump_write_version")
            except RuntimeError as exc:
                self._version = None
                raise _store_error(exc) from exc
            self._version = int(rows[0]["version"])

    def write_version(self) -> int:
        if self._version is None:
            rows = self.read("get_write_version")
            self._version = int(rows[0]["version"]) if rows else 0
        return self._version

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        while not self._pool.empty():
            self._pool.get_nowait().close()
        _release_database(self.path)


def conform(table: pa.Table, props: tuple[Prop, ...]) -> pa.Table:
    """``table`` with exactly the columns ``props`` name, in order, typed; missing ones are nulls."""
    columns = []
    for prop in props:
        arrow_type = ARROW_TYPES[prop.type]
        if prop.name in table.column_names:
            columns.append(table.column(prop.name).cast(arrow_type))
        else:
            columns.append(pa.nulls(table.num_rows, arrow_type))
    return pa.table(columns, names=[p.name for p in props])


def _single(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> ladybug.QueryResult:
    """The result of one statement (ladybug returns a list for a text of several, which a named query is not)."""
    if isinstance(result, list):
        raise StoreError(f"a named query ran as {len(result)} statements; a query file holds one statement")
    return result


def _rollback(conn: ladybug.Connection) -> None:
    with contextlib.suppress(RuntimeError):  # the failed statement may already have ended it
        conn.execute("ROLLBACK")


def _store_error(exc: RuntimeError) -> GraphServiceError:
    text = str(exc)
    if "duplicate" in text.lower():
        return ConflictError(text)
    return StoreError(text)
