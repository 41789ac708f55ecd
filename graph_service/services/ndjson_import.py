"""Import an NDJSON file (format: ``domain.records``): check every record first, then write all of it or nothing.

Phase one reads every line and collects every problem: each record's own (JSON syntax, record shape, properties)
here, the ones across records (endpoints, the rules on what a relationship joins, conflicting duplicates, and the
domain's rules across records of ``domain.rules``) in ``ndjson_checks``, against the file and what the store
holds. Any problem means ``ValidationError`` and nothing is written. Phase two writes: into a store that holds
none of the file's ids through the store's bulk path (``Store.bulk_load``: LadybugDB ``COPY FROM``, kept or undone
whole even if the process dies part way); otherwise as upserts in batches inside one write transaction. A record
states the whole entity, so importing the same file twice changes nothing, and the second import reports every
record unchanged and writes nothing at all.

For an empty store a columnar fast lane (``ndjson_columnar``) first tries to vouch for the whole file at once and
hand its Arrow tables to ``COPY``; whenever it cannot, the line-by-line path here decides and names the problems.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from graph_service.config import get_settings
from graph_service.domain.records import NodeRecord, Record, RelRecord, parse_record
from graph_service.domain.schema import NODES, RELS, Prop
from graph_service.domain.validation import validate_props
from graph_service.errors import ConflictError, GraphServiceError, Problem, StoreError, ValidationError
from graph_service.services.bulk import bulk_insert, group_records, load_tables, rows_param
from graph_service.services.ndjson_checks import (
    ParsedFile,
    StoredRel,
    StoreView,
    check_records,
    extra_nodes_to_read,
    rel_types_to_read,
)
from graph_service.services.ndjson_columnar import ColumnarFile, check_columnar, one_value
from graph_service.services.ndjson_export import current_version, read_nodes, read_rels
from graph_service.store.arrow_types import ARROW_TYPES
from graph_service.store.derived import with_derived
from graph_service.store.generated_queries import node_upsert_name, rel_upsert_name
from graph_service.store.port import LoadNotUndoneError, StaleVersionError, Store, Tx

LOOKUP_CHUNK = 50_000
PROGRESS_EVERY = 2_000


class ImportProgress(Protocol):
    """What the import tells a progress display: a phase with its size, then steps within it."""

    def phase(self, name: str, total: int | None) -> None: ...

    def advance(self, count: int) -> None: ...


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    """What an import did, per label and per relationship type."""

    nodes: dict[str, Counts] = field(default_factory=dict)
    rels: dict[str, Counts] = field(default_factory=dict)
    lines: int = 0
    duplicate_lines: int = 0
    method: str = "none"  # "bulk" (COPY FROM), "upsert" (batched MERGE in one transaction) or "none"
    checked_by: str = "lines"  # "columnar" when the fast lane vouched for the whole file, else "lines"
    seconds: float = 0.0

    def totals(self) -> Counts:
        out = Counts()
        for counts in (*self.nodes.values(), *self.rels.values()):
            out.created += counts.created
            out.updated += counts.updated
            out.unchanged += counts.unchanged
        return out

    @property
    def records(self) -> int:
        return self.totals().total

    @property
    def changed(self) -> bool:
        totals = self.totals()
        return totals.created + totals.updated > 0


@dataclass(frozen=True)
class NdjsonFile:
    """A whole file's bytes, known to be UTF-8: the fast lane reads the bytes, the line-by-line path the lines."""

    data: bytes

    def lines(self) -> list[str]:
        return self.data.decode("utf-8").splitlines()

    def count(self) -> int:
        return self.data.count(b"\n") + (0 if not self.data or self.data.endswith(b"\n") else 1)


def import_lines(
    store: Store,
    lines: Iterable[str] | NdjsonFile,
    progress: ImportProgress | None = None,
    *,
    batch_size: int | None = None,
) -> ImportReport:
    """Check every line, then write them all (or raise ``ValidationError`` having written nothing).

    ``lines`` are the file's lines (or the whole file, see ``read_file``). ``batch_size`` is the rows per upsert
    statement (default: the ``import_batch_size`` setting).
    """
    started = time.perf_counter()
    version = current_version(store)
    empty = store_is_empty(store)
    if not isinstance(lines, NdjsonFile | list):
        lines = list(lines)
    if empty:
        whole = lines if isinstance(lines, NdjsonFile) else NdjsonFile("\n".join(lines).encode("utf-8", "surrogatepass"))
        line_count = whole.count()
        if progress:
            progress.phase("checking", line_count)
        columnar = check_columnar(whole.data, line_count)
        if columnar is not None:
            if progress:
                progress.advance(line_count)
            report = _write_columnar(store, columnar, version, progress)
            report.seconds = time.perf_counter() - started
            return report
    if isinstance(lines, NdjsonFile):
        lines = lines.lines()
    parsed, problems = _parse(lines, progress)
    view = _store_view(store, parsed, empty, progress)
    problems.extend(check_records(parsed, view))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise ValidationError(problems)
    report, to_write = _classify(parsed, view)
    if to_write:
        bulk = report.totals().updated == 0 and report.totals().unchanged == 0
        report.method = "bulk" if bulk else "upsert"
        if progress:
            progress.phase("writing", len(to_write))
        if bulk:
            _write_bulk(store, to_write, version, progress)
        else:
            _write_upserts(store, to_write, version, batch_size or get_settings().import_batch_size, progress)
    report.seconds = time.perf_counter() - started
    return report


def store_is_empty(store: Store) -> bool:
    """No domain node at all (system tables do not count)."""
    return all(not store.read("import_any_node", label=label) for label in NODES)


# --- phase one: every line, every problem ---------------------------------------------------------------


def _parse(lines: Iterable[str], progress: ImportProgress | None) -> tuple[ParsedFile, list[Problem]]:
    parsed = ParsedFile()
    problems: list[Problem] = []
    if progress:
        progress.phase("checking", len(lines) if isinstance(lines, Sized) else None)
    number = 0
    for number, text in enumerate(lines, start=1):
        if progress and number % PROGRESS_EVERY == 0:
            progress.advance(PROGRESS_EVERY)
        if not text.strip():
            continue
        record, found = parse_line(text, number)
        if found:
            problems.extend(found)
        elif record is not None:
            problems.extend(_add(parsed, record, number))
    parsed.line_count = number
    if progress:
        progress.advance(number % PROGRESS_EVERY)
    return parsed, problems


def parse_line(text: str, number: int) -> tuple[Record | None, list[Problem]]:
    """One line as a record with typed props (dates as ``date``, nulls dropped), or every problem it has alone."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem("line", f"is not valid JSON: {exc.msg} at column {exc.colno}", _shorten(text), number)]
    record, problems = parse_record(obj, number)
    if record is None:
        return None, problems
    spec = NODES[record.label] if isinstance(record, NodeRecord) else RELS[record.type]
    typed, problems = validate_props(spec, {**record.props, "id": record.id}, line=number, prefix="props.")
    if problems:
        return None, problems
    props = {k: v for k, v in typed.items() if v is not None and k != "id"}
    if isinstance(record, NodeRecord):
        return NodeRecord(record.label, record.id, props), []
    return RelRecord(record.type, record.id, record.from_id, record.from_label, record.to_id, record.to_label, props), []


def _add(parsed: ParsedFile, record: Record, number: int) -> list[Problem]:
    """Keep ``record``; a second record with the same id is fine when identical, a problem when not."""
    if isinstance(record, NodeRecord):
        name, same_kind = record.label, parsed.nodes[record.label]
    else:
        name, same_kind = record.type, parsed.rels[record.type]  # type: ignore[assignment]
    earlier = same_kind.get(record.id)
    if earlier is None:
        same_kind[record.id] = record  # type: ignore[assignment]
        parsed.lines[(name, record.id)] = number
        return []
    if earlier == record:
        parsed.duplicates += 1
        return []
    first = parsed.lines[(name, record.id)]
    return [Problem("id", f"{name} {record.id!r} is also on line {first}, with different content", record.id, number)]


def _store_view(store: Store, parsed: ParsedFile, empty: bool, progress: ImportProgress | None) -> StoreView:
    """The store's side of the checks, read in bulk: one query per relationship type the checks need, then per
    label (in chunks) for the nodes they need."""
    nodes: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    rels: dict[str, dict[str, StoredRel]] = defaultdict(dict)
    if empty:
        return StoreView(True, nodes, rels)
    wanted: dict[str, set[str]] = {label: set(ids) for label, ids in parsed.nodes.items()}
    for records in parsed.rels.values():
        for rel in records.values():
            wanted.setdefault(rel.from_label, set()).add(rel.from_id)
            wanted.setdefault(rel.to_label, set()).add(rel.to_id)
    rel_types = rel_types_to_read(parsed)
    if progress:
        progress.phase("reading the store's relationships", len(rel_types))
    # Relationship ids have no index, so one scan of each type the checks need beats a lookup per id.
    for rel_type in sorted(rel_types):
        rels[rel_type] = {rid: rest for rid, *rest in read_rels(store, rel_type)}  # type: ignore[misc]
        if progress:
            progress.advance(1)
    for label, ids in extra_nodes_to_read(rels).items():
        wanted.setdefault(label, set()).update(ids)
    if progress:
        progress.phase("reading the store's nodes", sum(map(len, wanted.values())))
    for label, ids in wanted.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), LOOKUP_CHUNK):
            chunk = ordered[start : start + LOOKUP_CHUNK]
            nodes[label].update(read_nodes(store, label, "import_lookup_nodes", chunk))
            if progress:
                progress.advance(len(chunk))
    return StoreView(False, nodes, rels)


# --- phase two: write -------------------------------------------------------------------------------------


def _classify(parsed: ParsedFile, view: StoreView) -> tuple[ImportReport, list[Record]]:
    report = ImportReport(lines=parsed.line_count, duplicate_lines=parsed.duplicates)
    to_write: list[Record] = []
    for label in NODES:
        records = parsed.nodes.get(label)
        if not records:
            continue
        counts = report.nodes[label] = Counts()
        stored = view.nodes.get(label, {})
        for node_id in sorted(records):
            record = records[node_id]
            if _tally(counts, stored.get(node_id), record.props):
                to_write.append(record)
    for rel_type in RELS:
        rels = parsed.rels.get(rel_type)
        if not rels:
            continue
        counts = report.rels[rel_type] = Counts()
        stored_rels = view.rels.get(rel_type, {})
        for rid in sorted(rels):
            rel = rels[rid]
            before_rel = stored_rels.get(rid)
            if _tally(counts, None if before_rel is None else before_rel[4], rel.props):
                to_write.append(rel)
    return report, to_write


def _tally(counts: Counts, before: Mapping[str, Any] | None, props: Mapping[str, Any]) -> bool:
    """Count a record as created, updated or unchanged against its stored properties; whether to write it."""
    if before is None:
        counts.created += 1
        return True
    if before == props:
        counts.unchanged += 1
        return False
    counts.updated += 1
    return True


def _write_bulk(store: Store, records: list[Record], version: int, progress: ImportProgress | None) -> None:
    """The store's bulk path (COPY FROM per table), all or nothing even if the process dies part way."""
    with _write_failures():
        bulk_insert(store, records, progress.advance if progress else None, expected_version=version)


def _write_columnar(store: Store, columnar: ColumnarFile, version: int, progress: ImportProgress | None) -> ImportReport:
    """The fast lane's tables straight into the store's bulk path, like ``_write_bulk``."""
    report = ImportReport(lines=columnar.lines, method="bulk", checked_by="columnar")
    report.nodes = {label: Counts(created=table.num_rows) for label, table in columnar.nodes.items()}
    for (rel_type, _, _), table in columnar.rels.items():
        report.rels.setdefault(rel_type, Counts()).created += table.num_rows
    report.rels = {rel_type: report.rels[rel_type] for rel_type in RELS if rel_type in report.rels}
    if not report.records:
        report.method = "none"
        return report
    if progress:
        progress.phase("writing", report.records)
    advance = progress.advance if progress else None
    with _write_failures():
        store.bulk_load(lambda loader: load_tables(loader, columnar.nodes, columnar.rels, advance), expected_version=version)
    return report


STALE = "the store changed while the file was being checked; run the import again"


@contextmanager
def _write_failures() -> Iterator[None]:
    """Say what a failed write means for the store: nothing of the file stays, or (rarely) why it may."""
    try:
        yield
    except StaleVersionError as exc:
        raise ConflictError(STALE) from exc
    except LoadNotUndoneError:
        raise
    except Exception as exc:
        reason = str(exc) if isinstance(exc, GraphServiceError) else f"{type(exc).__name__}: {exc}"
        raise StoreError(f"import failed while writing ({reason}); what it had written was removed") from exc


def _write_upserts(store: Store, records: list[Record], version: int, batch_size: int, progress: ImportProgress | None) -> None:
    """MERGE in batches, all in one write transaction: the file lands whole or not at all."""
    nodes, rels = group_records(records)
    node_tables = {label: with_derived(label, _upsert_table(NODES[label].props, rows)) for label, rows in nodes.items()}
    rel_tables = {key: _upsert_table(RELS[key[0]].props, rows) for key, rows in rels.items()}

    def work(tx: Tx) -> None:
        for label, table in node_tables.items():
            for start in range(0, table.num_rows, batch_size):
                batch = table.slice(start, batch_size)
                tx.run(node_upsert_name(label), {"rows": rows_param(store, batch)})
                if progress:
                    progress.advance(batch.num_rows)
        for (rel_type, from_label, to_label), table in rel_tables.items():
            for start in range(0, table.num_rows, batch_size):
                batch = table.slice(start, batch_size)
                tx.run(rel_upsert_name(rel_type), {"rows": rows_param(store, batch)}, **{"from": from_label, "to": to_label})
                if progress:
                    progress.advance(batch.num_rows)

    try:
        store.execute_write(work, expected_version=version)
    except StaleVersionError as exc:
        raise ConflictError(STALE) from exc


def _upsert_table(props: tuple[Prop, ...], records: list[NodeRecord] | list[RelRecord]) -> pa.Table:
    """The rows of one upsert query: ``id``, every property (null where empty), and ``from_id``/``to_id`` for
    relationships; typed columns, so nothing depends on guessing a type from the values."""
    columns: dict[str, pa.Array] = {}
    if records and isinstance(records[0], RelRecord):
        rels = records
        columns["from_id"] = pa.array([r.from_id for r in rels], pa.string())
        columns["to_id"] = pa.array([r.to_id for r in rels], pa.string())
    columns["id"] = pa.array([r.id for r in records], pa.string())
    for prop in props:
        if prop.name != "id":
            columns[prop.name] = pa.array([r.props.get(prop.name) for r in records], ARROW_TYPES[prop.type])
    return pa.table(columns)


def _shorten(text: str, limit: int = 80) -> str:
    text = text.rstrip("\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- the command ------------------------------------------------------------------------------------------


def read_file(path: Path) -> NdjsonFile:
    """The file, checked to be UTF-8 (a byte sequence that is not is a problem with its line number)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    if _is_utf8(data):
        return NdjsonFile(data)
    try:
        data.decode("utf-8")  # for the position of the first bad byte
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError([Problem("line", "is not valid UTF-8", data[exc.start : exc.start + 8], line)]) from exc
    return NdjsonFile(data)


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, checked by Arrow in place: decoding a large file to ``str`` costs several times more."""
    try:
        one_value(data, pa.large_string()).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def read_lines(path: Path) -> list[str]:
    """The file's lines (see ``read_file``)."""
    return read_file(path).lines()
