"""LadybugDB, in-process and on disk: the default store, nothing to install.

Built around what we measured of ladybug 0.22 (ARCHITECTURE.md): one ``Database`` per file per process (a
second one loses commits), one writer at a time (a second fails at once, so writes take a lock here, one per
database file, shared by every store object on it), and an error inside ``BEGIN ... COMMIT`` silently ends the
transaction (so any exception rolls back and stops). Bulk loads are all-or-nothing through a journal beside
the database (``load_journal``): the first open of the file in a process undoes a load a crash cut short.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import ladybug
import pyarrow as pa
import pyarrow.compute as pc
from ladybug.connection import _pybind_param_signature

from graph_service.config import DEFAULT_KEPT_STATEMENTS, DEFAULT_MAX_DB_GB, buffer_pool_mb_for
from graph_service.cores import usable_cores
from graph_service.domain.schema import NODES, RELS, Prop, node_spec, primary_key
from graph_service.errors import ConflictError, GraphServiceError, StoreError, WorkingMemoryError
from graph_service.store import load_journal
from graph_service.store.arrow_types import ARROW_TYPES
from graph_service.store.connection_set import ConnectionSet
from graph_service.store.derived import with_derived
from graph_service.store.form_choice import CLOSE_TRIALS, FormChooser
from graph_service.store.form_trials import TrialRunner
from graph_service.store.ladybug_columns import shaped
from graph_service.store.port import (
    BulkLoader,
    LoadNotUndoneError,
    Params,
    Row,
    StaleVersionError,
    Store,
    Tx,
    note_round_trip,
)
from graph_service.store.queries import Columns, Query, QueryCatalog, QueryRef, bind, fill, keyed_params, split_statements
from graph_service.store.thread_choice import ThreadChooser

_INTERNAL_KEYS = ("_ID", "_SRC", "_DST")
#: A batch of up to this many keys runs as a ``UNION ALL`` of the query's per-key form (``ladybug_<name>_key``), above
#: it as the query over the list. LadybugDB 0.22 plans a match on one key as a primary-key lookup (0.3 ms for a
#: compound branch's 40 members at scale 1), a match over a list, ``x.id IN $ids``, as a scan of the label joined
#: with the far end's table (3 ms and up, growing with the list and the tables, with working memory in the buffer
#: pool that grows with them too), and ``UNWIND $ids ... {id: key}`` before a traversal as a hash join over the
#: whole relationship table (30-60 ms). 16 is where the union and the list cost the same on the smaller labels
#: (areas, organisations); see ``KEYED_UNION_MAX_LARGE`` for the big ones. (Measured through the API before
#: statements bypassed ladybug's per-parameter rewrites, ``_execute_direct``, a cap of 64 for every label made a
#: page of 28 streets' leaders or 45 people's posts slower: 33 -> 49 ms, 50 -> 92 ms.)
#: Batches are padded to a power of two with a key that matches nothing, so a handful of statement texts serve
#: every batch size (each is planned once per connection).
KEYED_UNION_MAX = 16
#: Keyed on a label with at least ``LARGE_LABEL_NODES`` nodes, a batch of up to this many keys is a union too: the
#: list form filters every node of the label by the list, so its cost grows with both, and on the big tables it lost
#: at every batch size up to 64 (scale 1: 50 activities' organisers 26 against 60 ms, 64 people's posts 29 against
#: 65 ms; on the 20,000 organisations the two forms cost the same, so the smaller tables keep 16). Node counts are
#: read when the schema is ensured or else at the first batch that needs them, and after each bulk load; a few
#: writes in between do not move them much.
KEYED_UNION_MAX_LARGE = 64
LARGE_LABEL_NODES = 25_000
#: Above this many keys a batch may also run as the keys unwound and their relationships expanded, whichever form
#: is fastest for its shape (``form_choice``). Up to it, the union of primary-key lookups was the fastest in every
#: case measured at scale 1 (8 people's posts 0.4 against 0.8 ms, 8 activities' attendees 0.6 against 6 ms).
KEYED_EXPAND_MIN = 8
_KEYED_LABEL = re.compile(r"\(\s*\w+\s*:\s*__([a-z][a-z_]*[a-z])__\s*\{\s*id\s*:\s*\$key\s*\}")
#: The key padding a batch: no node has an empty id.
_NO_KEY = ""
_log = logging.getLogger(__name__)
T = TypeVar("T")


#: Connections of the every-core set (and the most of the one-thread set, ``light_connections``). LadybugDB keeps
#: each prepared statement's plan, and the memory its operators hold, per connection; with a first page's window
#: written in (``_first_page_written``) the pages' plans are kept, and ``bench/bench_memory.py`` at scale 1 (16
#: clients over every example operation) peaked at 1.44 GiB with four connections a set against 1.12 GiB with two
#: (1.15-1.22 before the window was written in, with four). Two heavy statements may run at once, so that one long
#: statement (a projection's read at scale 10 takes many seconds) does not hold up every other.
CONNECTIONS_PER_SET = 2


def light_connections(cores: int | None = None) -> int:
    """How many one-thread connections the store keeps: one per core beside the one the event loop keeps busy, at
    least one (``cores``: the process's, by default).

    The light statements running at once set how far LadybugDB's buffer pool grows: ``bench/bench_memory.py`` at
    scale 1 peaked through the 16-client examples at 0.86-0.87 GiB with one light connection and 1.04-1.07 GiB
    with two, which answered some requests 5-9% faster on two cores (docs/performance.md, "Memory")."""
    return max(1, (usable_cores() if cores is None else cores) - 1)


@dataclass
class _Shared:
    """What every store object on one database file in this process shares."""

    db: ladybug.Database
    refs: int = 0
    # Reentrant: a bulk load holds it throughout and writes (its own undo) under it.
    write_lock: threading.RLock = field(default_factory=threading.RLock)
    # Set when a failed load could not be undone: the store refuses work until it is opened again.
    broken: str | None = None
    # Writes begun and ended (``LadybugStore._writing``): a read that found them equal before it ran and no more
    # begun after ran on a snapshot no write changed since; the store's own indexes hold for that count.
    writes_begun: int = 0
    writes_ended: int = 0
    # Per index (its values query), the ``writes_begun`` it was built at and its ids by value (``_Index``).
    indexes: dict[str, tuple[int, dict[Any, list[str]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Index:
    """An index the embedded store keeps of its own (LadybugDB 0.22 indexes primary keys only): per value of a node
    property, the ids of the nodes holding it, read by ``values`` and built again after any write. A listing whose
    filters ask that property to equal ``param`` (the fragment ``fragment``) may start from those ids, its
    ``ladybug_<listing>_indexed`` form, which applies every filter again to the nodes it looks up."""

    fragment: str
    param: str
    values: str


#: Per listing, the index it may start from: areas by level (the city, the districts), organisations by kind.
_INDEXES: dict[str, _Index] = {
    "areas_page": _Index("area_at_level", "level", "ladybug_index_area_level"),
    "organizations_page": _Index("org_of_kind", "kind", "ladybug_index_organization_kind"),
}


_DATABASES: dict[Path, _Shared] = {}
_DATABASES_LOCK = threading.Lock()


def _open_database(path: Path, recover: Callable[[_Shared], None], buffer_pool_mb: int, max_db_gb: int) -> _Shared:
    """The process's one ``Database`` for ``path``, reference counted; ``recover`` runs once, at the first open,
    before any other store object of this process can reach the database. ``buffer_pool_mb`` and ``max_db_gb``
    count at the first open only (one ``Database`` per file and process)."""
    with _DATABASES_LOCK:
        shared = _DATABASES.get(path)
        if shared is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            shared = _Shared(_database(path, buffer_pool_mb, max_db_gb))
            try:
                recover(shared)
            except BaseException:
                shared.db.close()
                raise
            _DATABASES[path] = shared
        shared.refs += 1
        return shared


def _log_of(path: Path) -> Path:
    """The write-ahead log LadybugDB keeps beside the database file ``path``."""
    return path.with_name(path.name + ".wal")


def _torn_log(path: Path, said: str) -> bool:
    """Whether LadybugDB 0.22's ``said``, opening ``path``, is that its write-ahead log ends in a record cut short:
    the torn record's checksum fails, or its length runs past the end of the log."""
    log = _log_of(path)
    torn = "the WAL file is corrupted" in said or ("Reading past the end of the file" in said and f"{log} " in said)
    return torn and log.is_file()


def _database(path: Path, buffer_pool_mb: int, max_db_gb: int) -> ladybug.Database:
    """LadybugDB's ``Database`` for ``path``. A process killed while it wrote a commit (``kill -9``, a power cut)
    leaves the log ending in a torn record, and LadybugDB then refuses to open the file at all: the service would
    not start again. Such a log is replayed up to the torn record, which keeps every transaction committed before it
    whole and drops the one cut short (as after any crash), once a copy of the log as found is kept beside the file
    (``<file>.wal.torn-<UTC time>``) for an operator to look into; the server log says so."""

    def opened(replay_all: bool) -> ladybug.Database:
        try:
            return ladybug.Database(
                str(path),
                buffer_pool_size=buffer_pool_mb * 1024 * 1024,
                max_db_size=max_db_gb * 1024**3,
                throw_on_wal_replay_failure=replay_all,
            )
        except RuntimeError as exc:
            if replay_all and _torn_log(path, str(exc)):
                raise _TornLogError(str(exc)) from exc
            raise StoreError(f"cannot open {path}: {exc} (is another process using it?)") from exc

    try:
        return opened(replay_all=True)
    except _TornLogError as torn:
        kept = _keep_torn_log(path)
        _log.warning(
            "the write-ahead log of %s ended in a write cut short (%s): replayed up to it, the transactions committed "
            "before it kept and the one cut short dropped; the log as found is kept at %s",
            path,
            torn,
            kept,
        )
        return opened(replay_all=False)


class _TornLogError(Exception):
    """LadybugDB found the write-ahead log's last record torn."""


def _keep_torn_log(path: Path) -> Path:
    log = _log_of(path)
    kept = path.with_name(f"{log.name}.torn-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}")
    try:
        shutil.copy2(log, kept)
    except OSError as exc:
        # Replaying drops what follows the torn record: not without a copy an operator can look into.
        raise StoreError(f"cannot open {path}: its write-ahead log ends in a torn write, not kept at {kept}: {exc}") from exc
    return kept


def _release_database(path: Path) -> None:
    with _DATABASES_LOCK:
        shared = _DATABASES.get(path)
        if shared is None:
            return
        shared.refs -= 1
        if shared.refs <= 0:
            del _DATABASES[path]
            shared.db.close()


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


#: Values LadybugDB hands over as the port promises them (exact types: a ``datetime`` is a ``date`` but may need
#: converting). Most values of a row are these; they are passed through without a call.
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None), date})
_DROPPED_KEYS = frozenset((*_INTERNAL_KEYS, "_LABEL"))


def from_value(value: Any) -> Any:
    """LadybugDB values as the port promises: nodes/relationships as property dicts with ``_label``/``_type``."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    # Each item is checked against _PLAIN before recursing: converting a page of rows made a call per property.
    if kind is dict or isinstance(value, dict):
        if "_LABEL" in value and ("_ID" in value or "_SRC" in value):
            out = {k: v if type(v) in _PLAIN else from_value(v) for k, v in value.items() if k not in _DROPPED_KEYS}
            out["_type" if "_SRC" in value else "_label"] = value["_LABEL"]
            return out
        return {k: v if type(v) in _PLAIN else from_value(v) for k, v in value.items()}
    if kind is list or isinstance(value, list):
        return [v if type(v) in _PLAIN else from_value(v) for v in value]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


class _LadybugTx:
    def __init__(self, conn: ladybug.Connection, catalog: QueryCatalog) -> None:
        self.conn = conn
        self.catalog = catalog
        self.described = False

    def run(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        return _run(self.conn, self.catalog, query, params, names)


def _execute(conn: ladybug.Connection, text: str, params: dict[str, Any]) -> Any:
    """``conn.execute``, with the engine's "buffer pool is full" said in words an operator can act on."""
    with _pool_full_said():
        return conn.execute(text, params)


@contextmanager
def _pool_full_said() -> Iterator[None]:
    """The engine's "buffer pool is full" said in words an operator can act on; other errors pass unchanged."""
    try:
        yield
    except RuntimeError as exc:
        if "buffer pool is full" not in str(exc):
            raise
        raise WorkingMemoryError(
            "the embedded store ran out of working memory for this request: its buffer pool "
            "(GRAPH_SERVICE_BUFFER_POOL_MB) is full with the work of the requests running beside it; "
            "try again, or raise the setting"
        ) from exc


def _run(
    conn: ladybug.Connection, catalog: QueryCatalog, query: QueryRef, params: Params | None, names: dict[str, object]
) -> list[Row]:
    return _run_text(conn, query, catalog.text(query, **names), params)


#: A page's window as the catalogue's listings write it.
_WINDOW = "SKIP $offset LIMIT $limit"


def _first_page_written(text: str, params: Params | None) -> str:
    """``text`` with a first page's window written in: no ``SKIP``, and ``LIMIT`` as the integer asked.

    LadybugDB 0.22 binds and plans a prepared statement again on every run when its ``SKIP`` or ``LIMIT`` is a
    parameter (LadybugDB#985 and #986: a cached plan had kept the first run's numbers), and keeps the plan when
    they are literals: at scale 1, a page of 100 pairings in force 3.9 -> 2.9 ms, a page of an organisation's 51
    post holders 1.2 -> 0.5 ms, a level's areas looked up by id 0.88 -> 0.23 ms. Only a value checked to be a
    Python ``int`` (the application layer's ``Window``, bounded by the largest page) is written, never text; a
    later page keeps both parameters, so the texts stay one per page size asked."""
    if params is None or _WINDOW not in text:
        return text
    offset, limit = params.get("offset"), params.get("limit")
    if type(offset) is not int or type(limit) is not int or offset != 0 or limit < 0:
        return text
    return text.replace(_WINDOW, f"LIMIT {limit}")


def _run_text(conn: ladybug.Connection, query: QueryRef, text: str, params: Params | None) -> list[Row]:
    note_round_trip()
    text = _first_page_written(text, params)
    run_text, shape = shaped(text, query.columns if isinstance(query, Query) else ())
    result = _execute_direct(conn, run_text, to_param(bind(query, text, params or {})))
    try:
        columns = result.getColumnNames()
        rows = []
        if shape is None:
            while result.hasNext():
                rows.append(dict(zip(columns, map(from_value, result.getNext()), strict=True)))
        else:
            read_row = shape.reader
            while result.hasNext():
                rows.append(read_row(columns, result.getNext(), from_value, _PLAIN))
        return rows
    finally:
        result.close()  # gives the engine back the result's memory now, not when the object is collected


#: Per thread, how long the engine took over the last statement ``_execute_direct`` ran, preparing it left out: the
#: calling thread's CPU time, since a one-thread connection runs the statement on the caller's own thread. Its wall
#: time also counts the wait for the interpreter's lock when the engine hands back, which under 16 clients made small
#: statements look heavy (two of the example operations' link loads moved to every core after 640 requests).
_engine_time = threading.local()
#: Per thread, how many times it has taken a connection of every core (``LadybugStore.spread_reads``).
_spread = threading.local()
#: Per thread, when the engine last prepared statements (``(began, ended)``, the latest few): a form's time leaves
#: them out (``_seconds_since``).
_preparing = threading.local()
#: The most prepared statements a connection keeps, unless its store was given a number (``LadybugStore``,
#: ``GRAPH_SERVICE_STORE_KEPT_STATEMENTS``); the least recently run go first. Each holds the working memory its
#: operators took the last time it ran (LadybugDB keeps a plan's state with it: 0.5-2 MB for a small statement, tens
#: of MB for a join over a whole table at scale 1), so the statements kept fill the buffer pool where none of them is
#: running; ``LadybugStore`` frees them when it is full (``_freed_on_full_pool``).
PREPARED_PER_CONNECTION = DEFAULT_KEPT_STATEMENTS
#: Per connection, its prepared statements by text and parameter types (see ``_execute_direct``), least recently
#: run first.
_PREPARED: weakref.WeakKeyDictionary[ladybug.Connection, dict[tuple[str, tuple[Any, ...]], Any]] = weakref.WeakKeyDictionary()
#: Per connection whose store was given a number, the most it keeps.
_KEPT_MOST: weakref.WeakKeyDictionary[ladybug.Connection, int] = weakref.WeakKeyDictionary()


def _prepared_spans() -> deque[tuple[float, float]]:
    spans: deque[tuple[float, float]] | None = getattr(_preparing, "spans", None)
    if spans is None:
        spans = _preparing.spans = deque(maxlen=64)
    return spans


def _seconds_since(started: float) -> float:
    """The seconds since ``started`` this thread spent other than preparing statements.

    A form's first run on a connection prepares its statement (tens of milliseconds for a union of 16 lookups),
    and a form is timed on whichever connection is free: with two connections of a set, a form's first two runs
    could both prepare, look more than ``LOSER_RATIO`` times slower than another, and be dropped for good (a city's
    hierarchy then kept a form that took 9.6 ms against 5.3-6.4)."""
    now = time.perf_counter()
    return now - started - sum(ended - began for began, ended in _prepared_spans() if began >= started)


def _forget_prepared(conn: ladybug.Connection) -> int:
    """Free the statements ``conn`` keeps prepared (its caller holds it); how many."""
    kept = _PREPARED.get(conn)
    if not kept:
        return 0
    count = len(kept)
    kept.clear()
    return count


def _execute_direct(conn: ladybug.Connection, text: str, params: dict[str, Any]) -> Any:
    """A named statement on the engine's own connection, prepared once per connection, text and parameter types.

    ladybug 0.22's ``Connection.execute`` does the same, after Python-side rewrites our statements never need
    (scans of data frames, ``to_json`` parameters) that cost a regular-expression search of the text per
    parameter: 0.65 ms of a 16-key lookup's 1.3 ms, 18 ms of a 64-key one's 38 ms. The prepared statement is keyed
    as the library keys it (``_pybind_param_signature``: an integer's width is part of its type) and the result is
    the engine's own, read by the caller. The engine's "buffer pool is full" is said in words an operator can act on.
    The engine's time is left in ``_engine_time.seconds`` (the thread choice, ``thread_choice``).
    """
    engine = conn._connection
    with _pool_full_said():
        if not params:
            started = time.thread_time()
            result = engine.query(text)
        else:
            cache = _PREPARED.get(conn)
            if cache is None:
                cache = _PREPARED[conn] = {}
            key = (text, _pybind_param_signature(params))
            prepared = cache.pop(key, None)
            if prepared is not None:
                cache[key] = prepared  # now the most recently run
            else:
                # The least recently run go: the catalogue's statements are finite, but a page's columns follow each
                # client's selection (``Query.columns``), so the texts are not, and each kept holds memory.
                most = _KEPT_MOST.get(conn, PREPARED_PER_CONNECTION)
                for old in list(cache)[: max(0, len(cache) - most + 1)]:
                    cache.pop(old, None)
                began = time.perf_counter()
                prepared = cache[key] = engine.prepare(text, params)
                _prepared_spans().append((began, time.perf_counter()))
            started = time.thread_time()
            result = engine.execute(prepared, params)
        _engine_time.seconds = time.thread_time() - started
        if not result.isSuccess():
            raise RuntimeError(result.getErrorMessage())
        if result.hasNextQueryResult():
            result.close()
            raise StoreError("a named query ran as several statements; a query file holds one statement")
    return result


#: The most page shapes whose forms are kept (``LadybugStore._read_page``); past it they are timed anew.
PAGE_SHAPES_MAX = 4096
#: The most statements one shape's trials run in ``TrialRunner``'s thread (every form ``TRIALS`` times, the close
#: ones ``CLOSE_TRIALS``, and a few more): a bound should a form's times never settle.
TRIAL_RUNS_MAX = 4 * CLOSE_TRIALS + 4


def _time_forms(chooser: FormChooser, shape: Hashable, trial: Callable[[str], float | None]) -> None:
    """Time ``shape``'s candidate forms until one is kept (``TrialRunner``'s thread): ``trial(form)`` reads in
    ``form`` and gives when its timing started, or ``None`` when the form may not answer now."""
    for _ in range(TRIAL_RUNS_MAX):
        form = chooser.next_trial(shape)
        if form is None:
            return
        try:
            started = trial(form)
        except StoreError:
            # Out of working memory (a lookup per kept row of a filter that keeps many): never for this shape.
            chooser.exclude(shape, form)
            continue
        if started is None:
            return  # a write beside the index: the shape's next read queues its trials again
        chooser.record(shape, form, _seconds_since(started))


def _hashable(value: Any) -> Hashable:
    """A parameter's value as part of a shape: lists as tuples."""
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return cast(Hashable, value)


def _named(name: str, columns: Columns) -> QueryRef:
    return Query(name, columns=columns) if columns else name


class LadybugStore(Store):
    """The embedded store; ``path`` is the database file (its ``.wal`` lies beside it). ``buffer_pool_mb``:
    LadybugDB's buffer pool (``GRAPH_SERVICE_BUFFER_POOL_MB``; 0: from the file's size, ``buffer_pool_mb_for``);
    ``max_db_gb``: the address space it reserves, the most the file may grow to (``GRAPH_SERVICE_MAX_DB_GB``, a
    power of two); ``statement_threads``: the threads LadybugDB gives each statement (``GRAPH_SERVICE_STORE_THREADS``).
    It is fixed when a connection is made: LadybugDB 0.22's ``set_max_threads_for_exec`` reports a higher number
    afterwards but runs on no more threads than the connection was made with. So with 0 (the default) the store
    keeps two sets of connections, one thread each (``light`` of them, ``light_connections`` by default) and every
    core each (``pool_size``), and runs a read on one thread until its statement has shown itself heavy
    (``thread_choice``); with a number, every statement gets that many. ``kept_statements``: the prepared
    statements each connection keeps (``GRAPH_SERVICE_STORE_KEPT_STATEMENTS``; None: ``PREPARED_PER_CONNECTION``)."""

    dialect = "ladybug"

    def __init__(
        self,
        path: Path,
        pool_size: int = CONNECTIONS_PER_SET,
        buffer_pool_mb: int = 0,
        max_db_gb: int = DEFAULT_MAX_DB_GB,
        statement_threads: int = 0,
        light: int | None = None,
        kept_statements: int | None = None,
    ) -> None:
        self.path = path.resolve()
        #: Prepared statements each connection keeps (None: ``PREPARED_PER_CONNECTION``).
        self.kept_statements = kept_statements
        self.statement_threads = statement_threads
        self.catalog = QueryCatalog(self.dialect)
        self._journal = load_journal.journal_path(self.path)
        self._closed = False
        self.buffer_pool_mb = buffer_pool_mb_for(buffer_pool_mb, self.path)
        if light is None:
            light = light_connections()
        self._attach(_open_database(self.path, self._recover, self.buffer_pool_mb, max_db_gb), pool_size, light)

    def _attach(self, shared: _Shared, pool_size: int, light: int) -> None:
        self._shared = shared
        self._db = shared.db
        self._write_lock = shared.write_lock
        self._pool = self._connections(pool_size, self.statement_threads)
        #: One-thread connections for the reads not (yet) known to be heavy, when the threads follow the statement.
        self._light = self._connections(light, 1) if self.statement_threads == 0 else None
        self._threads = ThreadChooser()
        self._version: int | None = None
        #: Counted on first need (``_union_max``) when the schema was not ensured by this instance (a store opened
        #: on an existing database), and again after each bulk load.
        self._label_nodes: dict[str, int] | None = None
        #: Per batch shape, the fastest of its forms (``read_keyed``); forgotten when the label counts are read again.
        self._forms = FormChooser()
        #: Per page shape, the faster of a listing and its form filtered by key (``read``); forgotten likewise.
        self._pages = FormChooser()
        #: Where both are timed: beside the requests, which meanwhile run the form they ran before any timing.
        self._trials = TrialRunner(idle=self._close_trial_connection)
        #: The one-thread connection the trials run their light statements on, open while they have work: timed
        #: there, a trial never holds a request's light connection (at scale 10 a form's run can take a second),
        #: and the plans it prepares go when it closes.
        self._trial_conn: ladybug.Connection | None = None

    def _connections(self, size: int, threads: int) -> ConnectionSet[ladybug.Connection]:
        return ConnectionSet(self._connection_made(threads) for _ in range(size))

    def _connection_made(self, threads: int) -> ladybug.Connection:
        conn = ladybug.Connection(self._db, num_threads=threads)
        if self.kept_statements is not None:
            _KEPT_MOST[conn] = self.kept_statements
        return conn

    def _close_connections(self) -> None:
        for pool in (self._pool, self._light):
            while pool is not None and not pool.empty():
                _close_connection(pool.get_nowait())

    def _refuse_if_broken(self) -> None:
        """``StoreError`` once a failed load could not be undone (``_undo_or_break``): no statement runs then."""
        if self._shared.broken is not None:
            raise StoreError(self._shared.broken)

    @contextmanager
    def _connection(
        self, pool: ConnectionSet[ladybug.Connection] | None = None, text: str | None = None
    ) -> Iterator[ladybug.Connection]:
        """A connection of ``pool`` (by default the one of ``statement_threads``, every core unless set): the one
        that runs ``text`` when it is free (``ConnectionSet``)."""
        self._refuse_if_broken()
        if pool is None:
            pool = self._pool
        if pool is self._pool:
            # Counted here, whatever sends the statement (a heavy read, a bulk Arrow read, a read transaction): the
            # engine's own threads do its work, which the caller's CPU time leaves out (``spread_reads``).
            _spread.count = getattr(_spread, "count", 0) + 1
        conn = pool.get(text)
        try:
            yield conn
        finally:
            pool.put(conn)

    def ensure_schema(self) -> None:
        with self._writing(), self._connection() as conn:
            for statement in split_statements(self.catalog.text("schema")):
                conn.execute(statement)
            conn.execute(self.catalog.text("ensure_write_version"))
        self._version = None
        self._count_label_nodes()

    def _count_label_nodes(self) -> None:
        """Each node label's node count, which picks the form of a batch's lookup (``KEYED_UNION_MAX_LARGE``); the
        forms timed per batch shape are timed again, the tables having changed."""
        self._label_nodes = {label: int(self.read("ladybug_count_nodes", label=label)[0]["n"]) for label in NODES}
        self._forms.forget()
        self._pages.forget()

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
    def _writing(self) -> Iterator[None]:
        """The write lock, held while the write is counted as begun and, however it ends, as ended
        (``_Shared.writes_begun``): what the store's own indexes are checked against."""
        with self._write_lock:
            self._shared.writes_begun += 1
            try:
                yield
            finally:
                self._shared.writes_ended += 1

    @contextmanager
    def write_tx(self) -> Iterator[_LadybugTx]:
        with self._writing(), self._connection() as conn:
            conn.execute("BEGIN TRANSACTION")
            tx = _LadybugTx(conn, self.catalog)
            try:
                yield tx
                rows = tx.run("bump_write_version")
                if not tx.described:
                    tx.run("mark_opaque_write")
                conn.execute("COMMIT")
            except BaseException as exc:
                _rollback(conn)
                self._version = None
                if isinstance(exc, RuntimeError):
                    raise _store_error(exc) from exc
                raise
            self._version = int(rows[0]["version"])

    def brief_reads_ready(self) -> bool:
        """No write under way in this process (a write's commit may checkpoint, which holds every statement up), and
        reads run on light connections (``statement_threads`` 0). A read on the event loop's thread may still wait
        for a light connection, as long as another thread's light statement takes: requiring one free sent most of
        PostHolders' reads back to the workers under 16 clients, its counts holding the connection."""
        shared = self._shared
        return shared.writes_begun == shared.writes_ended and self._light is not None

    def spread_reads(self) -> int:
        """How many times the calling thread has taken a connection of every core (``_connection``'s default pool:
        heavy reads, ``thread_choice``; bulk Arrow reads; read and write transactions): the engine's own threads do
        most of their statements' work, which the caller's CPU time leaves out."""
        count: int = getattr(_spread, "count", 0)
        return count

    def read(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[Row]:
        """One statement on its own: LadybugDB runs it in a read transaction of its own (one snapshot), so the
        explicit ``BEGIN ... COMMIT`` of ``read_tx`` (two more calls into the engine) is left out. On one thread
        unless ``statement_threads`` is set or the statement has shown itself heavy (``thread_choice``).

        A listing with a ``ladybug_<name>_by_key`` form (its filter over the ids alone, the rows kept looked up by
        primary key; for the cross-appointments under an area, each step expanded from the rows the step before
        kept) runs as whichever of the two forms was faster for its shape: the filters, their values and the
        columns (``form_choice``; the page's offset and size aside). Which wins follows how many rows the filter
        keeps, which the values decide."""
        if isinstance(query, Query) and not query.keys and self.catalog.has(f"ladybug_{query.name}_by_key"):
            return self._read_page(query, params or {}, names)
        return self._read_one(query, params, names)

    def _read_page(self, query: Query, params: Params, names: dict[str, object]) -> list[Row]:
        index = self._index_of(query)
        values = tuple(sorted((k, _hashable(v)) for k, v in params.items() if k not in ("offset", "limit")))
        shape = (query.name, query.filters, query.columns, values, tuple(sorted(names.items())))
        if len(self._pages) > PAGE_SHAPES_MAX:
            self._pages.forget()  # values are the clients' own: a bound on what is kept of them
        by_key, indexed = f"ladybug_{query.name}_by_key", f"ladybug_{query.name}_indexed"
        form = self._pages.settled(shape, [query.name, by_key, *([indexed] if index is not None else [])])
        if form is None:

            def trial(candidate: str) -> float | None:
                found = self._page_form(candidate, query, index, params, names)
                return None if found is None else found[1]

            return self._untimed(self._pages, shape, query.name, lambda: self._read_one(query, params, names), trial)
        try:
            found = self._page_form(form, query, index, params, names)
        except StoreError:
            found = None  # out of working memory in a form kept on a smaller filter: the listing answers
        return found[0] if found is not None else self._read_one(query, params, names)

    def _page_form(
        self, form: str, query: Query, index: _Index | None, params: Params, names: dict[str, object]
    ) -> tuple[list[Row], float] | None:
        """The page of ``query`` read in ``form``, and when its timing started; ``None`` when the index's form may
        not answer now (a write beside it)."""
        started = time.perf_counter()
        if form == query.name:
            return self._read_one(query, params, names), started
        named = Query(form, query.filters, columns=query.columns)
        if form == f"ladybug_{query.name}_by_key":
            return self._read_one(named, params, names), started
        assert index is not None  # the index's form is a candidate only where there is one
        return self._read_indexed(named, index, params, names)

    def _untimed(
        self,
        chooser: FormChooser,
        shape: Hashable,
        form: str,
        read: Callable[[], list[Row]],
        trial: Callable[[str], float | None],
    ) -> list[Row]:
        """A read of a shape ``chooser`` has not timed yet: ``read()``, in the ``form`` the store runs untimed, timed
        as one of that form's trials, and the candidates' trials queued beside it (``form_trials``): ``trial(form)``
        reads in ``form`` and gives when its timing started, or ``None`` when it may not answer now."""
        started = time.perf_counter()
        rows = read()
        chooser.record(shape, form, _seconds_since(started))
        # Keyed by the chooser too: a page's shape and a batch's are told apart by whose they are.
        self._trials.submit((id(chooser), shape), partial(_time_forms, chooser, shape, trial))
        return rows

    def _index_of(self, query: Query) -> _Index | None:
        """The store's own index ``query`` may start from: one over a property its filters ask to equal a value."""
        index = _INDEXES.get(query.name)
        if index is None or not self.catalog.has(f"ladybug_{query.name}_indexed"):
            return None
        asked = any(f.fragment == index.fragment and not f.negate and f.on is None for f in query.filters)
        return index if asked else None

    def _read_indexed(
        self, indexed: Query, index: _Index, params: Params, names: dict[str, object]
    ) -> tuple[list[Row], float] | None:
        """The page read from the ids ``index`` holds for the value asked, and when its timing started (after the
        index was built, if it had to be); ``None`` when a write began before the read was over, so that its
        snapshot may not be the one the ids were read at."""
        shared = self._shared
        begun = shared.writes_begun
        if begun != shared.writes_ended:
            return None
        by_value = self._index_values(index, begun)
        if by_value is None:
            return None
        started = time.perf_counter()
        ids = by_value.get(to_param(params.get(index.param)), [])
        rows = self._read_one(indexed, {**params, "ids": ids}, names)
        return (rows, started) if shared.writes_begun == begun else None

    def _index_values(self, index: _Index, begun: int) -> dict[Any, list[str]] | None:
        """``index``'s ids by value as of ``begun`` writes: kept, or read now (``None`` if a write began meanwhile)."""
        kept = self._shared.indexes.get(index.values)
        if kept is not None and kept[0] == begun:
            return kept[1]
        # As Arrow: 9 ms for the 17,588 areas at scale 1, against 31 ms as rows.
        table = self.read_arrow(index.values)
        by_value: dict[Any, list[str]] = {}
        for value, node_id in zip(table.column("value").to_pylist(), table.column("id").to_pylist(), strict=True):
            by_value.setdefault(value, []).append(node_id)
        if self._shared.writes_begun != begun:
            return None
        self._shared.indexes[index.values] = (begun, by_value)
        return by_value

    def _read_one(self, query: QueryRef, params: Params | None, names: dict[str, object]) -> list[Row]:
        return self._freed_on_full_pool(lambda: self._read_once(query, params, names))

    def _freed_on_full_pool(self, work: Callable[[], T]) -> T:
        """``work()`` (reads only); when the buffer pool was full, once more after the statements the idle
        connections keep prepared are freed (``PREPARED_PER_CONNECTION``: each holds the memory it last worked in).
        At 64 MiB, a handful of compound listings filled the pool that way; preparing them again costs a few
        milliseconds each."""
        try:
            return work()
        except WorkingMemoryError:
            pass  # freed outside the handler: the error's frames hold the statement that failed, with its memory
        self._free_kept_statements()
        return work()

    def _free_kept_statements(self) -> int:
        """Free the prepared statements of every connection no thread is using (held meanwhile), and the trials'
        connection's when the caller is the trials' thread (no other thread uses it); how many."""
        own = [self._trial_conn] if self._trials.running_here() and self._trial_conn is not None else []
        with ExitStack() as held:
            idle = [conn for pool in (self._pool, self._light) if pool is not None for conn in held.enter_context(pool.idle())]
            return sum(_forget_prepared(conn) for conn in (*own, *idle))

    def execute_read(self, work: Callable[[Tx], T]) -> T:
        return self._freed_on_full_pool(lambda: Store.execute_read(self, work))

    def _read_once(self, query: QueryRef, params: Params | None, names: dict[str, object]) -> list[Row]:
        text = self.catalog.text(query, **names)
        if self._light is None or self._threads.heavy(text):
            with self._connection(text=text) as conn:
                return _run_text(conn, query, text, params)
        if self._trials.running_here():
            rows = _run_text(self._trial_connection(), query, text, params)
        else:
            with self._connection(self._light, text) as conn:
                rows = _run_text(conn, query, text, params)
        self._threads.record(text, _engine_time.seconds)
        return rows

    def _trial_connection(self) -> ladybug.Connection:
        """The trials' own one-thread connection (their thread only), opened on first need."""
        self._refuse_if_broken()
        if self._trial_conn is None:
            self._trial_conn = self._connection_made(1)
        return self._trial_conn

    def _close_trial_connection(self) -> None:
        """Close the trials' connection, with the plans it prepared (the trials' thread, when it has no more work)."""
        conn, self._trial_conn = self._trial_conn, None
        if conn is not None:
            _close_connection(conn)

    def read_keyed(
        self, query: str, keys: Sequence[str], params: Params | None = None, /, *, columns: Columns = (), **names: object
    ) -> list[Row]:
        """A few keys: one ``UNION ALL`` of ``ladybug_<query>_key`` (a primary-key lookup per key); more: ``query`` over
        ``$ids`` (see ``KEYED_UNION_MAX``). Above ``KEYED_EXPAND_MIN`` keys, the queries that have them also have
        ``ladybug_<query>_expand`` forms (the keys unwound, their relationships expanded), and the fastest form for
        the batch's shape is the one run (``form_choice``). ``columns``: as in ``Query.columns``, in every form."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return []
        extra = params or {}
        size = 1 << (len(unique) - 1).bit_length()
        keyed = self._keyed_form(query, unique, size, names)
        forms = [keyed, *self._expand_forms(query, names)] if len(unique) > KEYED_EXPAND_MIN else [keyed]
        shape = (query, keyed, tuple(sorted(names.items())), size)

        def read_in(candidate: str) -> list[Row]:
            if candidate == keyed:
                return self._read_keyed_form(keyed, unique, size, extra, names, columns)
            return self._expanded(candidate, unique, extra, names, columns)

        form = self._forms.settled(shape, forms)
        if form is None:

            def trial(candidate: str) -> float:
                started = time.perf_counter()
                read_in(candidate)
                return started

            return self._untimed(self._forms, shape, keyed, partial(read_in, keyed), trial)
        if form == keyed:
            return read_in(keyed)
        try:
            return read_in(form)
        except StoreError:
            # Out of working memory (the only error a form of a tested query gives) on a batch bigger than those
            # it was timed on: the batch gets its rows from the form every batch used before.
            return read_in(keyed)

    def _expanded(self, form: str, unique: list[str], extra: Params, names: dict[str, object], columns: Columns) -> list[Row]:
        """The batch read in an expanded ``form``: the keys unwound, their relationships expanded."""
        found = self.read(_named(form, columns), {**extra, "ids": unique}, **names)
        return [row for row in found if row["r"] is not None]

    def _read_keyed_form(
        self, form: str, unique: list[str], size: int, extra: Params, names: dict[str, object], columns: Columns
    ) -> list[Row]:
        """The union of per-key lookups padded to ``size`` keys, or the list form."""
        if form.startswith("ladybug_"):
            padded = unique + [_NO_KEY] * (size - len(unique))
            return self.read(Query(form, keys=size, columns=columns), {**extra, **keyed_params(padded)}, **names)
        return self.read(_named(form, columns), {**extra, "ids": unique}, **names)

    def _keyed_form(self, query: str, unique: list[str], size: int, names: dict[str, object]) -> str:
        """The union of per-key lookups (its name) or the list form (``query``), by the batch's size."""
        per_key = f"ladybug_{query}_key"
        too_many = len(unique) > KEYED_UNION_MAX and len(unique) > self._union_max(per_key, names)
        return query if too_many or not self.catalog.has(per_key) else per_key

    def _expand_forms(self, query: str, names: dict[str, object]) -> list[str]:
        """``query``'s expanded forms; the one leaving the far end's label out only where the relationship type joins
        one pair of labels, so that the far end can be nothing else."""
        forms = [f"ladybug_{query}_expand", f"ladybug_{query}_expand_unlabelled"]
        spec = RELS.get(str(names.get("rel", "")))
        if spec is None or len(spec.pairs) != 1:
            forms = forms[:1]
        return [form for form in forms if self.catalog.has(form)]

    def _union_max(self, per_key: str, names: dict[str, object]) -> int:
        """How many keys ``per_key`` takes as a union: more when the label it looks its key up in is big."""
        keyed = _KEYED_LABEL.search(self.catalog.text(per_key))
        label = str(names.get(keyed.group(1), "")) if keyed else ""
        if self._label_nodes is None:
            self._count_label_nodes()
        assert self._label_nodes is not None
        return KEYED_UNION_MAX_LARGE if self._label_nodes.get(label, 0) >= LARGE_LABEL_NODES else KEYED_UNION_MAX

    def read_arrow(self, query: QueryRef, params: Params | None = None, /, **names: object) -> pa.Table:
        return self._freed_on_full_pool(lambda: self._read_arrow_once(query, params, names))

    def _read_arrow_once(self, query: QueryRef, params: Params | None, names: dict[str, object]) -> pa.Table:
        text = self.catalog.text(query, **names)
        with self._connection() as conn:
            note_round_trip()
            result = _single(_execute(conn, text, to_param(bind(query, text, params or {}))))
            try:
                table: pa.Table = result.get_as_arrow()
            finally:
                result.close()
            return table

    # --- bulk loads -----------------------------------------------------------------------------------------

    def bulk_load(self, load: Callable[[BulkLoader], T], *, expected_version: int | None = None) -> T:
        """One ``COPY FROM`` per table, each committing on its own, made all-or-nothing by the load journal:
        written before the first ``COPY``, deleted after the last, undone by this method if ``load`` fails and by
        the next open of the database if the process dies first. The write lock is held throughout."""
        with self._writing():
            if expected_version is not None:
                self._require_version(expected_version)
            journal = load_journal.LoadJournal.begin(self._journal, store_was_empty=self._holds_no_domain_node())
            loader = _LadybugLoader(self, journal)
            try:
                result = load(loader)
            except BaseException as exc:
                journal.close()
                if loader.may_have_written():
                    self._undo_or_break(journal.plan, exc)
                load_journal.remove(self._journal)
                raise
            journal.finish()
            self._count_label_nodes()
            return result

    def _require_version(self, expected: int) -> None:
        rows = self.read("get_write_version")
        if (int(rows[0]["version"]) if rows else 0) != expected:
            raise StaleVersionError(f"the store changed since write version {expected}")

    def _holds_no_domain_node(self) -> bool:
        return all(not self.read("import_any_node", label=label) for label in NODES)

    def _copy(self, table_name: str, table: pa.Table, options: str, copied: Callable[[], None]) -> None:
        """``COPY`` one table (it commits on its own); ``copied`` is told as soon as it has."""
        # COPY reads the Arrow table from a local variable by name; the table name comes from the catalogue.
        target = fill("__table__", {"table": table_name})
        bulk_rows = table  # noqa: F841 - referenced by name inside the COPY statement
        with self._writing(), self._connection() as conn:
            note_round_trip()
            try:
                conn.execute(f"COPY {target} FROM bulk_rows{options}")
                copied()
                rows = _bump_after_copy(_LadybugTx(conn, self.catalog))
            except RuntimeError as exc:
                self._version = None
                raise _store_error(exc) from exc
            self._version = int(rows[0]["version"])

    def _refuse_duplicate_keys(self, label: str, table: pa.Table) -> None:
        # A node COPY that fails on a duplicate key in a non-empty table corrupts ladybug 0.22's heap (the
        # process aborts later), so duplicates are refused here, under the write lock, before COPY sees them.
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

    def _undo(self, plan: load_journal.UndoPlan) -> None:
        """Delete what a load inserted, in one write transaction; deleting what is not there deletes nothing."""
        new = {label: set(ids) for label, ids in plan.nodes.items()}

        def between_old_nodes(key: load_journal.RelKey, row: dict[str, str]) -> bool:
            # Relationships touching a new node go with it (DETACH DELETE); the others are deleted by id.
            return row["from_id"] not in new.get(key[1], ()) and row["to_id"] not in new.get(key[2], ())

        with self.write_tx() as tx:
            if plan.store_was_empty:
                for label in NODES:
                    tx.run("ladybug_undo_all_nodes", label=label)
                return
            for key, rows in plan.rels.items():
                old_ends = [row for row in rows if between_old_nodes(key, row)]
                if old_ends:
                    tx.run("ladybug_delete_rels", {"rows": old_ends}, rel=key[0], **{"from": key[1], "to": key[2]})
            for label, ids in plan.nodes.items():
                tx.run("ladybug_delete_nodes", {"ids": ids}, label=label)

    def _undo_or_break(self, plan: load_journal.UndoPlan, cause: BaseException) -> None:
        try:
            self._undo(plan)
        except Exception as exc:
            self._shared.broken = (
                f"a bulk load failed ({cause!r}) and undoing it failed too ({exc}); the store refuses work until it "
                f"is opened again, which undoes the load from its journal {self._journal}"
            )
            raise LoadNotUndoneError(self._shared.broken) from cause

    def _recover(self, shared: _Shared) -> None:
        """At the first open in this process: undo a load that a crash cut short (its journal is still there)."""
        try:
            plan = load_journal.read(self._journal)
        except load_journal.JournalError as exc:
            raise StoreError(f"cannot open {self.path}: {exc}; move that file away if it is not needed") from exc
        if plan is None:
            return
        self._attach(shared, 1, 1)
        try:
            self._undo(plan)
        except GraphServiceError as exc:
            raise StoreError(
                f"cannot open {self.path}: an interrupted bulk load could not be undone ({exc}); "
                f"its journal {self._journal} stays for the next attempt"
            ) from exc
        finally:
            self._close_connections()
        load_journal.remove(self._journal)
        _log.warning("undid a bulk load into %s that was cut short (journal %s)", self.path, self._journal)

    # --- the rest -------------------------------------------------------------------------------------------

    def write_version(self) -> int:
        if self._version is None:
            rows = self.read("get_write_version")
            self._version = int(rows[0]["version"]) if rows else 0
        return self._version

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._trials.close()
        self._close_connections()
        _release_database(self.path)


class _LadybugLoader:
    """What ``bulk_load`` hands its caller: each table is journaled, then copied."""

    def __init__(self, store: LadybugStore, journal: load_journal.LoadJournal) -> None:
        self.store = store
        self.journal = journal
        self.copied = 0
        self.in_flight = False

    def may_have_written(self) -> bool:
        """A COPY the engine refuses writes nothing: with no other begun, a failed load has nothing to undo."""
        return self.copied > 0 or self.in_flight

    def _copy(self, table_name: str, rows: pa.Table, options: str) -> None:
        self.in_flight = True  # until the engine says whether it wrote (an interrupt may come in between)
        try:
            self.store._copy(table_name, rows, options, self._copied)
        except GraphServiceError:
            self.in_flight = False  # refused by the engine, or counted in ``copied`` already
            raise

    def _copied(self) -> None:
        self.copied += 1
        self.in_flight = False

    def nodes(self, label: str, table: pa.Table) -> None:
        self.store._refuse_duplicate_keys(label, table)
        # COPY wants every column of the table, in order: the record's and the derived ones (store/derived.py).
        rows = conform(with_derived(label, table), node_spec(label).stored_props)
        self.journal.nodes(label, rows.column(primary_key(label)))
        self._copy(label, rows, "")

    def rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        props = (Prop("from", required=True), Prop("to", required=True), *RELS[rel_type].props)
        rows = conform(table, props)
        self.journal.rels((rel_type, from_label, to_label), rows)
        self._copy(rel_type, rows, f" (from='{from_label}', to='{to_label}')")


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


def _close_connection(conn: ladybug.Connection) -> None:
    """Close ``conn`` with its prepared statements: they keep the engine's database, and with it the address space
    it reserved (``max_db_gb``), alive until the connection is collected; dropped here, that space goes at once."""
    _PREPARED.pop(conn, None)
    conn.close()


def _single(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> ladybug.QueryResult:
    """The result of one statement (ladybug returns a list for a text of several, which a named query is not)."""
    if isinstance(result, list):
        raise StoreError(f"a named query ran as {len(result)} statements; a query file holds one statement")
    return result


def _bump_after_copy(tx: _LadybugTx) -> list[Row]:
    """The write version's bump after a ``COPY`` (which commits on its own), marked opaque in the same transaction:
    no audit entry describes what a bulk load inserted."""
    tx.conn.execute("BEGIN TRANSACTION")
    try:
        rows = tx.run("bump_write_version")
        tx.run("mark_opaque_write")
    except BaseException:
        _rollback(tx.conn)
        raise
    tx.conn.execute("COMMIT")
    return rows


def _rollback(conn: ladybug.Connection) -> None:
    with contextlib.suppress(RuntimeError):  # the failed statement may already have ended it
        conn.execute("ROLLBACK")


def _store_error(exc: RuntimeError) -> GraphServiceError:
    text = str(exc)
    if "duplicate" in text.lower():
        return ConflictError(text)
    return StoreError(text)
