"""Neo4j 5 over Bolt through the official driver: production and scale-out.

One ``Driver`` per process (it owns the connection pool and, with ``neo4j://``, the routing table); a short
session per call, never shared between threads or coroutines. Work given to ``execute_read``/``execute_write``
runs in the driver's managed transactions, which retry transient failures (leader switch, deadlock), so the
driver's own errors must reach the driver unchanged inside them and are translated to ours only outside.

Every write transaction first bumps the ``Meta`` write version. Besides feeding caches, that takes the write
lock of one node at the start of every write, so write transactions are serialised across all processes of the
service, as they are on the embedded store, and read-modify-write work cannot lose updates under Neo4j's
read-committed isolation. One that commits without ``Tx.described`` (no audit entry describes its changes) also
records its version as the last opaque write (``mark_opaque_write``), which projections rebuild across.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import Enum
from typing import Any, LiteralString, TypeVar

import neo4j
import pyarrow as pa
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date as Neo4jDate
from neo4j.time import DateTime as Neo4jDateTime

from graph_service.config import Neo4jSettings, Settings
from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES, NodeSpec, Prop, RelSpec, node_spec, primary_key
from graph_service.errors import ConfigurationError, ConflictError, GraphServiceError, StoreError
from graph_service.store.arrow_types import ARROW_TYPES
from graph_service.store.derived import with_derived
from graph_service.store.port import BulkLoader, Params, Row, StaleVersionError, Store, note_round_trip
from graph_service.store.queries import QueryCatalog, QueryRef, bind, split_statements

T = TypeVar("T")
BATCH_ROWS = 10_000
BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
_CATALOGUE_LABELS = frozenset(NODES) | frozenset(SYSTEM_NODES)
# Raised by a concurrent `CREATE ... IF NOT EXISTS` of the same rule from another process starting at once.
_SCHEMA_RACE_CODES = ("EquivalentSchemaRuleAlreadyExists", "ConstraintAlreadyExists", "IndexAlreadyExists")

_DriverKey = tuple[str, str, str]
_DRIVERS: dict[_DriverKey, tuple[neo4j.Driver, int]] = {}
_DRIVERS_LOCK = threading.Lock()


def _acquire_driver(uri: str, user: str, password: str) -> neo4j.Driver:
    """The process's one driver for these credentials, reference counted."""
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        # Driver 6 also takes http:// (its Query API preview), which has no managed transactions to speak of.
        raise ConfigurationError(f"NEO4J_URI {uri!r} must start with one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    key = (uri, user, password)
    with _DRIVERS_LOCK:
        driver, refs = _DRIVERS.get(key, (None, 0))
        if driver is None:
            try:
                driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
            except (DriverError, ValueError) as exc:
                raise ConfigurationError(f"NEO4J_URI {uri!r} cannot be used: {exc}") from exc
        _DRIVERS[key] = (driver, refs + 1)
        return driver


def _release_driver(driver: neo4j.Driver) -> None:
    with _DRIVERS_LOCK:
        for key, (known, refs) in list(_DRIVERS.items()):
            if known is driver:
                if refs <= 1:
                    del _DRIVERS[key]
                    driver.close()
                else:
                    _DRIVERS[key] = (known, refs - 1)
                return


def to_param(value: Any) -> Any:
    """Python values as Neo4j should store them: enums as codes, naive timestamps as UTC (a zoned DateTime)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, dict):
        return {k: to_param(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_param(v) for v in value]
    return value


def _label_of(node: Node) -> str:
    labels = sorted(node.labels)
    known = [label for label in labels if label in _CATALOGUE_LABELS]
    return (known or labels or [""])[0]


def _with_declared(props: dict[str, Any], declared: tuple[Prop, ...]) -> dict[str, Any]:
    # Neo4j stores no nulls; the embedded store returns every column. Fill the catalogue's properties so a
    # caller sees the same keys on both engines.
    out = {p.name: None for p in declared}
    out.update(props)
    return out


def from_value(value: Any) -> Any:
    """Driver values as the port promises: nodes/relationships as property dicts, native dates, naive-UTC times."""
    if isinstance(value, Node):
        label = _label_of(value)
        spec: NodeSpec | None = NODES.get(label) or SYSTEM_NODES.get(label)
        props = {k: from_value(v) for k, v in value.items()}
        out = _with_declared(props, spec.props) if spec else props
        out["_label"] = label
        return out
    if isinstance(value, Relationship):
        rel: RelSpec | None = RELS.get(value.type)
        props = {k: from_value(v) for k, v in value.items()}
        out = _with_declared(props, rel.props) if rel else props
        out["_type"] = value.type
        return out
    if isinstance(value, Path):
        # Same shape as a LadybugDB recursive relationship.
        return {"_nodes": [from_value(n) for n in value.nodes], "_rels": [from_value(r) for r in value.relationships]}
    if isinstance(value, Neo4jDateTime):
        native = value.to_native()
        return native.astimezone(UTC).replace(tzinfo=None) if native.tzinfo is not None else native
    if isinstance(value, Neo4jDate):
        return value.to_native()
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list):
        return [from_value(v) for v in value]
    if isinstance(value, dict):
        return {k: from_value(v) for k, v in value.items()}
    return value


def _error(exc: Neo4jError | DriverError) -> GraphServiceError:
    if isinstance(exc, ConstraintError):
        return ConflictError(f"conflicts with existing data: {exc.message}")
    if isinstance(exc, TransientError):
        return ConflictError(f"another writer got in the way, try again: {exc.message}")
    if isinstance(exc, AuthError):
        return ConfigurationError(f"Neo4j refused the credentials (NEO4J_USER, NEO4J_PASSWORD): {exc.message}")
    if isinstance(exc, ServiceUnavailable | SessionExpired):
        return StoreError(f"Neo4j is unreachable (NEO4J_URI): {exc}")
    if isinstance(exc, Neo4jError):
        return StoreError(f"{exc.code}: {exc.message}")
    return StoreError(str(exc))


@contextmanager
def _translated() -> Iterator[None]:
    """Turn the driver's errors into the service's, at the edge of a transaction (never inside a managed one)."""
    try:
        yield
    except (Neo4jError, DriverError) as exc:
        raise _error(exc) from exc


def _q(text: str) -> LiteralString:
    # The driver types queries as LiteralString to discourage string building; ours come from cypher/ files
    # and only catalogue names are ever filled in (queries.fill).
    return text


class _Neo4jTx:
    """A ``Tx`` over an explicit or managed driver transaction."""

    def __init__(self, tx: neo4j.Transaction | neo4j.ManagedTransaction, catalog: QueryCatalog) -> None:
        self.tx = tx
        self.catalog = catalog
        self.described = False

    def run(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        text = self.catalog.text(query, **names)
        note_round_trip()
        result = self.tx.run(_q(text), to_param(bind(query, text, params or {})))
        keys = result.keys()
        # A Record is a tuple of the values in column order.
        return [dict(zip(keys, map(from_value, record), strict=True)) for record in result]


def _rows(table: pa.Table, props: tuple[Prop, ...]) -> list[dict[str, Any]]:
    """The rows of ``table`` as parameter maps, keeping only catalogue columns cast to their types."""
    columns = [p for p in props if p.name in table.column_names]
    typed = pa.table(
        [table.column(p.name).cast(ARROW_TYPES[p.type]) for p in columns],
        names=[p.name for p in columns],
    )
    return [to_param(row) for row in typed.to_pylist()]


def _batches(rows: list[T], size: int = BATCH_ROWS) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _require_keys(label: str, table: pa.Table) -> None:
    key = primary_key(label)
    if key not in table.column_names or table.column(key).null_count:
        raise StoreError(f"{label}: every row of a bulk load needs its {key}")


class _Neo4jLoader:
    """``BulkLoader`` over one open transaction: ``UNWIND`` batches of ``BATCH_ROWS``."""

    def __init__(self, tx: _Neo4jTx) -> None:
        self.tx = tx

    def nodes(self, label: str, table: pa.Table) -> None:
        _require_keys(label, table)
        for batch in _batches(_rows(with_derived(label, table), node_spec(label).stored_props)):
            self.tx.run("neo4j_bulk_nodes", {"rows": batch}, label=label)

    def rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        ends = table.select(["from", "to"]).cast(pa.schema([("from", pa.string()), ("to", pa.string())]))
        rows = [
            {"src": end["from"], "dst": end["to"], "props": props}
            for end, props in zip(ends.to_pylist(), _rows(table, RELS[rel_type].props), strict=True)
        ]
        for batch in _batches(rows):
            found = self.tx.run("neo4j_bulk_rels", {"rows": batch}, rel=rel_type, src=from_label, dst=to_label)
            created = int(found[0]["created"]) if found else 0
            if created != len(batch):
                # Raising inside the transaction rolls the whole load back: never a half-written store.
                raise StoreError(
                    f"{len(batch) - created} {rel_type} relationships name a {from_label} or {to_label} "
                    "id that does not exist; nothing was written"
                )


class Neo4jStore(Store):
    """The Neo4j 5 store; ``uri`` may be ``neo4j://`` (routing, clusters) or ``bolt://`` (one server)."""

    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri = uri
        self.database = database
        self.catalog = QueryCatalog(self.dialect)
        self._driver = _acquire_driver(uri, user, password)
        # Sessions share one bookmark manager so a read after a write sees it, even on another cluster member.
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        self._closed = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        return cls.from_neo4j_settings(settings.neo4j)

    @classmethod
    def from_neo4j_settings(cls, s: Neo4jSettings) -> Neo4jStore:
        if not s.uri:
            raise ConfigurationError("NEO4J_URI is not set (for example neo4j://localhost:7687)")
        return cls(s.uri, s.user, s.password.get_secret_value(), s.database)

    def _session(self, access_mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=access_mode, bookmark_manager=self._bookmarks)

    def ensure_schema(self) -> None:
        with _translated(), self._session() as session:
            # Schema commands cannot share a transaction with data writes: each runs on its own.
            for statement in split_statements(self.catalog.text("schema")):
                try:
                    session.run(_q(statement)).consume()
                except ClientError as exc:
                    if not any(code in (exc.code or "") for code in _SCHEMA_RACE_CODES):
                        raise
            session.execute_write(lambda tx: tx.run(_q(self.catalog.text("ensure_write_version"))).consume())

    @contextmanager
    def read_tx(self) -> Iterator[_Neo4jTx]:
        with _translated(), self._session(neo4j.READ_ACCESS) as session, session.begin_transaction() as tx:
            yield _Neo4jTx(tx, self.catalog)
            tx.commit()

    @contextmanager
    def write_tx(self) -> Iterator[_Neo4jTx]:
        # Leaving the driver's transaction block without commit() rolls back: any exception undoes everything.
        with _translated(), self._session() as session, session.begin_transaction() as tx:
            wrapped = _Neo4jTx(tx, self.catalog)
            wrapped.run("bump_write_version")
            yield wrapped
            if not wrapped.described:
                wrapped.run("mark_opaque_write")
            tx.commit()

    def execute_read(self, work: Callable[[Any], T]) -> T:
        def unit(tx: neo4j.ManagedTransaction) -> T:
            return work(_Neo4jTx(tx, self.catalog))

        with _translated(), self._session(neo4j.READ_ACCESS) as session:
            return session.execute_read(unit)

    def execute_write(self, work: Callable[[Any], T], *, expected_version: int | None = None) -> T:
        def unit(tx: neo4j.ManagedTransaction) -> T:
            wrapped = _Neo4jTx(tx, self.catalog)
            rows = wrapped.run("bump_write_version")
            # The bump took the version node's lock: no other write can commit until this one ends.
            if expected_version is not None and int(rows[0]["version"]) - 1 != expected_version:
                raise StaleVersionError(f"the store changed since write version {expected_version}")
            result = work(wrapped)
            if not wrapped.described:
                wrapped.run("mark_opaque_write")
            return result

        with _translated(), self._session() as session:
            return session.execute_write(unit)

    def read_arrow(self, query: QueryRef, params: Params | None = None, /, **names: object) -> pa.Table:
        text = self.catalog.text(query, **names)
        values = to_param(bind(query, text, params or {}))

        def unit(tx: neo4j.ManagedTransaction) -> dict[str, list[Any]]:
            note_round_trip()
            result = tx.run(_q(text), values)
            keys = result.keys()
            columns: dict[str, list[Any]] = {key: [] for key in keys}
            for record in result:
                for key, value in zip(keys, record, strict=True):
                    columns[key].append(from_value(value))
            return columns

        with _translated(), self._session(neo4j.READ_ACCESS) as session:
            columns = session.execute_read(unit)
        arrays = {}
        for key, column in columns.items():
            try:
                arrays[key] = pa.array(column)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise StoreError(f"column {key!r} of query {query!r} mixes types: {exc}") from exc
        return pa.table(arrays)

    def bulk_load(self, load: Callable[[BulkLoader], T], *, expected_version: int | None = None) -> T:
        """Every table ``load`` hands over, in batches inside one transaction: a failure (a duplicate id, a missing
        end, a lost connection, the server stopping) commits nothing. The server needs transaction memory for the
        whole load (compose sets the heap); the driver retries the whole load on a transient error."""
        return self.execute_write(lambda tx: load(_Neo4jLoader(tx)), expected_version=expected_version)

    def bulk_load_nodes(self, label: str, table: pa.Table) -> None:
        _require_keys(label, table)  # before any connection is opened
        super().bulk_load_nodes(label, table)

    def write_version(self) -> int:
        # Not cached: other processes write to the same database.
        rows = self.read("get_write_version")
        return int(rows[0]["version"]) if rows else 0

    def clear_all(self) -> None:
        """Delete every node but the write version (tests own their database); the version still grows."""
        while True:
            rows = self.execute_write(lambda tx: tx.run("neo4j_clear_batch", {"limit": BATCH_ROWS}))
            if not rows or int(rows[0]["deleted"]) == 0:
                return

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(DriverError, Neo4jError):
            _release_driver(self._driver)
