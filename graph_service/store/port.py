"""What the rest of the service may ask of a store: named queries in read or write transactions, a bulk path.

Adapters: ``embedded.LadybugStore`` (default) and ``neo4j.Neo4jStore``. Both return plain Python values: rows
are dicts keyed by the RETURN column names; nodes and relationships come back as property dicts with ``_label``
(or ``_type``); dates are ``datetime.date``, timestamps naive-UTC ``datetime``.
"""

from __future__ import annotations

import contextvars
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from graph_service.errors import ConflictError, StoreError
from graph_service.store.queries import Columns, Query, QueryCatalog, QueryRef

Row = dict[str, Any]
T = TypeVar("T")
Params = Mapping[str, Any]


class Tx(Protocol):
    """An open transaction: ``run`` executes one named query inside it.

    ``described`` says that every change this transaction makes to the domain is described by an audit entry
    (``services.audit.write_entry`` sets it), or that it changes no domain node at all (a saved analysis run). A
    write transaction that commits without it is opaque: the store records its version (``mark_opaque_write``),
    and a projection is rebuilt across it instead of patched from the audit trail
    (``analysis.projection_patch``). False until set, so a write path nobody thought of is opaque.
    """

    described: bool

    def run(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]: ...


class BulkLoader(Protocol):
    """What ``Store.bulk_load`` hands its caller: tables of new nodes and relationships to insert."""

    def nodes(self, label: str, table: pa.Table) -> None:
        """New nodes of ``label`` (an ``id`` column and properties); none of the ids may exist yet."""

    def rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        """New relationships; ``table`` has ``from`` and ``to`` id columns, then ``id`` and the properties."""


class StaleVersionError(ConflictError):
    """A write was given the write version its caller had checked against, and the store has moved on since."""


class LoadNotUndoneError(StoreError):
    """A bulk load failed and undoing it failed too: the store refuses work until it is opened again, which
    finishes the undo."""


@dataclass
class RoundTrips:
    """How many statements were sent to the store; one counter per request (see ``count_round_trips``)."""

    count: int = 0


_round_trips: contextvars.ContextVar[RoundTrips | None] = contextvars.ContextVar("round_trips", default=None)


@contextmanager
def count_round_trips() -> Iterator[RoundTrips]:
    """Count the statements sent to any store in this context (and tasks started from it)."""
    counter = RoundTrips()
    token = _round_trips.set(counter)
    try:
        yield counter
    finally:
        _round_trips.reset(token)


def current_round_trips() -> RoundTrips | None:
    """The counter of the running context, if any: a request handler sets one so tasks it spawns share it."""
    return _round_trips.get()


def note_round_trip() -> None:
    counter = _round_trips.get()
    if counter is not None:
        counter.count += 1


class Store(ABC):
    """A graph store. Writes are serialised per process and run whole or not at all."""

    dialect: str
    catalog: QueryCatalog

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create or upgrade tables, constraints and indexes; safe to call at every start."""

    @abstractmethod
    def read_tx(self) -> Any:
        """A context manager yielding a read-only ``Tx``: several reads that see one state."""

    @abstractmethod
    def write_tx(self) -> Any:
        """A context manager yielding a ``Tx``; commits on exit, rolls back on any exception, bumps the write version."""

    @abstractmethod
    def read_arrow(self, query: QueryRef, params: Params | None = None, /, **names: object) -> pa.Table:
        """Run a read query and return its rows as an Arrow table: the bulk path for projections and exports."""

    @abstractmethod
    def bulk_load(self, load: Callable[[BulkLoader], T], *, expected_version: int | None = None) -> T:
        """Insert new nodes and relationships through the engine's bulk path, all of them or none.

        ``load`` hands its tables to the loader (nodes before the relationships that join them). Everything it
        loaded is kept only if it returns; if it raises, or the process dies part way, none of it stays (the
        embedded store undoes it at once or at its next open). Other writes wait until the load is over.
        ``StaleVersionError`` if ``expected_version`` is given and the store's write version differs.
        """

    def bulk_load_nodes(self, label: str, table: pa.Table) -> None:
        """Insert new nodes of one label fast; none of the ids may exist yet."""
        self.bulk_load(lambda loader: loader.nodes(label, table))

    def bulk_load_rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        """Insert new relationships of one type and pair of labels fast (see ``BulkLoader.rels``)."""
        self.bulk_load(lambda loader: loader.rels(rel_type, from_label, to_label, table))

    @abstractmethod
    def write_version(self) -> int:
        """A number that grows with every committed write: caches key on it."""

    @abstractmethod
    def close(self) -> None: ...

    def execute_read(self, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in a read transaction; Neo4j retries it on transient errors, so it must be repeatable."""
        with self.read_tx() as tx:
            return work(tx)

    def execute_write(self, work: Callable[[Tx], T], *, expected_version: int | None = None) -> T:
        """Run ``work`` in one write transaction: all of it commits or none. Prefer this to ``write_tx`` so that
        Neo4j can retry transient failures (leader switch, deadlock); ``work`` must be repeatable.
        ``StaleVersionError`` if ``expected_version`` is given and another write committed since it was read."""
        with self.write_tx() as tx:
            if expected_version is not None:
                rows = tx.run("get_write_version")
                if (int(rows[0]["version"]) if rows else 0) != expected_version:
                    raise StaleVersionError(f"the store changed since write version {expected_version}")
            return work(tx)

    def read_keyed(
        self, query: str, keys: Sequence[str], params: Params | None = None, /, *, columns: Columns = (), **names: object
    ) -> list[Row]:
        """The rows of ``query`` for a batch of ``keys`` (the query takes them as ``$ids`` and returns a ``key``
        column): one statement, in the form the engine plans best for the batch (see ``LadybugStore``); ``columns``
        as in ``Query.columns``."""
        named: QueryRef = Query(query, columns=columns) if columns else query
        return self.read(named, {**(params or {}), "ids": list(keys)}, **names)

    def brief_reads_ready(self) -> bool:
        """Whether a short read may run now on the caller's thread, the event loop's (``services.brief_calls``): no
        write under way that it would wait for. Never, unless the store says so: on Neo4j every statement is a network
        round trip."""
        return False

    def spread_reads(self) -> int:
        """How many statements the calling thread has had run across several of the engine's threads, whose work
        its own CPU time does not show (``services.brief_calls``); none unless the store says so."""
        return 0

    def read(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        with self.read_tx() as tx:
            result: list[Row] = tx.run(query, params, **names)
            return result

    def write(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        with self.write_tx() as tx:
            result: list[Row] = tx.run(query, params, **names)
            return result

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
