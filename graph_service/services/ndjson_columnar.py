"""The import's fast lane: check a whole NDJSON file column by column with Arrow and hand COPY FROM the tables.

The line-by-line path (``ndjson_import``) is the reference: it names every problem with its line. This lane
only answers "every record is fine" (and returns the tables to load) or "cannot vouch" (``None``), in which
case the reference path decides and reports. It therefore may refuse more than the reference, never less;
a property-based test holds it to that. It runs only for an empty store, where no record can clash with
stored data, and leaves to the reference path anything unusual: a ``null`` anywhere in the file (an explicit
null is indistinguishable here from an absent key), identical duplicate lines, a parse or type error.

It uses the same catalogue and the same rule functions as the reference path: property checks are driven by
each ``Prop`` (type, enum, bounds, required), ``check_rel_rules``/``check_post`` run once per distinct
combination of the end properties they read (``RULE_PROPS``), and the rules across records (``domain.rules``)
are settled by counting (one ``PART_OF`` from each area but the city, no area with two ``LEADS``, no organisation
with two ``SUB_ORG_OF``) or, for the few dated relationships whose ends repeat, by the rule function itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from graph_service.cores import usable_cores
from graph_service.domain import rules
from graph_service.domain.enums import AreaLevel, Post, RelType
from graph_service.domain.schema import NODES, RELS, NodeSpec, PropType, RelSpec
from graph_service.domain.validation import DATE_PAIRS, MAX_LIST, MAX_STRING, RULE_PROPS, check_post, check_rel_rules
from graph_service.store.arrow_types import ARROW_TYPES

_TOP = ("node", "rel", "id", "from", "from_label", "to", "to_label")
_REL_ONLY = ("from", "from_label", "to", "to_label")
#: Tokens that send a file to the reference path: explicit nulls. (Arrow reads the non-finite numbers Python's json
#: accepts, NaN and Infinity, only into float columns, whose check refuses them; any other column refuses them.)
_REFERENCE_ONLY = (b"null",)


def _file_schema() -> pa.Schema:
    props: dict[str, pa.DataType] = {}
    specs: list[NodeSpec | RelSpec] = [*NODES.values(), *RELS.values()]
    for spec in specs:
        for prop in spec.props:
            if prop.name != "id":
                # Dates stay text here and are checked by round trip; a name has one type across the catalogue.
                kind = pa.string() if prop.type in (PropType.DATE, PropType.TIMESTAMP) else ARROW_TYPES[prop.type]
                if props.setdefault(prop.name, kind) != kind:
                    raise TypeError(f"property {prop.name} has two types in the catalogue; the fast lane needs one")
    return pa.schema([*((name, pa.string()) for name in _TOP), ("props", pa.struct(list(props.items())))])


SCHEMA = _file_schema()


@dataclass
class ColumnarFile:
    """A file the fast lane vouches for: Arrow tables ready for COPY, and the ids they hold."""

    nodes: dict[str, pa.Table] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], pa.Table] = field(default_factory=dict)
    lines: int = 0


class _CannotVouch(Exception):
    """Something the reference path must look at."""


def check_columnar(data: bytes, lines: int | None = None) -> ColumnarFile | None:
    """The file's tables if every record is valid and the file is self-contained; ``None`` to defer.

    ``lines`` is the file's line count when the caller has it already (counting costs a pass over the bytes).
    """
    if any(token in data for token in _REFERENCE_ONLY):
        return None
    try:
        kinds = _read_kinds(data)
        if lines is None:
            lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        return _check(kinds, lines)
    except Exception:  # whatever this lane cannot handle, the reference path decides
        return None


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array; a column already in one chunk is used as is (``combine_chunks`` would copy it)."""
    if isinstance(values, pa.Array):
        return values
    if values.num_chunks == 1:
        return values.chunk(0)
    return values.combine_chunks()


def _require(condition: bool) -> None:
    if not condition:
        raise _CannotVouch


def _all(mask: pa.Array | pa.ChunkedArray) -> bool:
    """Every value true (nulls count as false)."""
    return bool(pc.all(pc.fill_null(mask, False)).as_py()) if len(mask) else True


#: A line that starts the way an export writes it, the label or type first (spaces allowed around the punctuation,
#: as Python's json.dumps puts them). Such lines are read per label or type with only that one's properties, which
#: costs a fraction of reading every line against the whole catalogue.
_STARTS = rb'^\s*\{\s*"(?P<key>node|rel)"\s*:\s*"(?P<name>[A-Za-z_]+)"\s*,'
_NL = ord("\n")
_COLON = pa.scalar(b":", pa.large_binary())


def _read_kinds(data: bytes) -> dict[str, pa.Table]:
    """Per label and relationship type of the file, its records: ``id``, the ends of a relationship, and the
    label's or type's own properties as read (dates as text). A line naming what the catalogue lacks, a key its
    label or type does not have, or a property of another label is something to defer (an exception)."""
    lines = _lines(data)
    starts = pc.extract_regex(lines, _STARTS)
    keyed = pc.is_valid(starts)
    # struct_field keeps a line that does not start so null (.field() would give it an empty name).
    key_name = (pc.struct_field(starts, "key"), pc.struct_field(starts, "name"), _COLON)
    names = pc.binary_join_element_wise(*key_name).dictionary_encode()  # node:Area, rel:PART_OF, ...
    kinds = [kind.decode().split(":") for kind in names.dictionary.to_pylist()]
    for key, name in kinds:
        _require(name in (NODES if key == "node" else RELS))
    out: dict[str, list[pa.Table]] = {}
    read = _side_by_side(
        partial(_read_kind, lines, names.indices, index, _SCHEMAS[name]) for index, (_, name) in enumerate(kinds)
    )
    for (key, name), table in zip(kinds, read, strict=True):
        _require(_all(pc.equal(table[key], name)))
        out.setdefault(name, []).append(_own_columns(name, table))
    others = _text_of(lines, pc.invert(keyed))
    if others.to_pybytes().strip():  # blank lines are skipped, as on the reference path
        for name, table in _split_by_kind(_read_json(others, SCHEMA)).items():
            out.setdefault(name, []).append(table)
    return {name: tables[0] if len(tables) == 1 else pa.concat_tables(tables).combine_chunks() for name, tables in out.items()}


#: How much of the file one step of the newline search reads (``_lines``).
_NEWLINE_WINDOW = 1 << 23


def _lines(data: bytes) -> pa.LargeBinaryArray:
    """``data``'s lines, each with its newline, as an array over the file's own bytes (no copy).

    Arrow's ``split_pattern`` copied the file (without its newlines), and gathering a label's lines then copied
    them twice more (the filter, then a join with newlines): each copy into memory the process had not used yet,
    0.4 of the 0.55 s a city's first read took at scale 1, against 0.1 s when the same memory is used again. The
    newlines are found a window at a time, so the search itself needs no memory the size of the file."""
    view = np.frombuffer(data, np.uint8)
    ends = [np.flatnonzero(view[at : at + _NEWLINE_WINDOW] == _NL) + (at + 1) for at in range(0, len(view), _NEWLINE_WINDOW)]
    offsets = np.concatenate([np.zeros(1, np.int64), *ends]).astype(np.int64, copy=False)
    if offsets[-1] != len(data):  # a last line without a newline
        offsets = np.append(offsets, np.int64(len(data)))
    count = len(offsets) - 1
    return pa.Array.from_buffers(pa.large_binary(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _text_of(lines: pa.LargeBinaryArray, selected: pa.BooleanArray) -> pa.Buffer:
    """The ``selected`` lines as one NDJSON text: the file's own bytes when they stand together, as an export
    writes each label and type, else gathered (each line keeps its newline, so the gathered bytes are the text)."""
    rows = pc.indices_nonzero(selected)
    if not len(rows):
        return pa.py_buffer(b"")
    first, last = rows[0].as_py(), rows[-1].as_py()
    chosen = lines[first : last + 1] if last - first + 1 == len(rows) else lines.filter(selected)
    offsets = np.frombuffer(chosen.buffers()[1], np.int64, len(chosen) + 1, chosen.offset * 8)
    begin, end = int(offsets[0]), int(offsets[-1])
    buffer: pa.Buffer = chosen.buffers()[2].slice(begin, end - begin)
    return buffer


def one_value(data: bytes, kind: pa.DataType) -> pa.Array:
    """``data`` as an array of one ``large_binary`` or ``large_string`` value, without a copy."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    return pa.Array.from_buffers(kind, 1, [None, offsets, pa.py_buffer(data)])


#: How many labels or types are read, or checked, at once (``_side_by_side``).
READERS = min(4, usable_cores())

T = TypeVar("T")


def _side_by_side(tasks: Iterable[Callable[[], T]]) -> Iterator[T]:
    """Each task's result, in order, with ``READERS`` tasks running at once.

    The tasks are Arrow's work on one label or type (gathering its lines, parsing them, checking columns), which
    lets go of the interpreter while it runs, so on two cores two of them run side by side: a city's 27 labels
    and types at scale 1 took 0.52-0.64 s to read one after another, 0.30-0.38 s two at a time. No more than
    ``READERS`` tasks run ahead of the result being used, so what they hold stays a few labels' worth however
    large the file."""
    with ThreadPoolExecutor(READERS, thread_name_prefix="ndjson-check") as pool:
        pending: deque[Future[T]] = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(task))
                if len(pending) > READERS:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # one refused: the work queued behind it is not wanted
                future.cancel()


def _read_kind(lines: pa.LargeBinaryArray, kinds: pa.Array, index: int, schema: pa.Schema) -> pa.Table:
    """The lines whose ``kinds`` entry is ``index``, read against ``schema``."""
    return _read_json(_text_of(lines, pc.equal(kinds, index)), schema)


def _read_json(data: pa.Buffer, schema: pa.Schema) -> pa.Table:
    table = pj.read_json(
        pa.BufferReader(data),
        parse_options=pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error"),
        read_options=pj.ReadOptions(block_size=1 << 24),
    )
    # Arrow's JSON reader keeps the bytes of a string as they are: lines given as text with a lone surrogate
    # arrive as invalid UTF-8 here, which only a full validation finds (the reference path names it).
    table.validate(full=True)
    return table.combine_chunks()  # one chunk per column: gathers from many-chunked columns are slow


def _own_columns(name: str, table: pa.Table) -> pa.Table:
    """``id``, the ends (relationships) and the properties of ``name``, from a table read with its schema."""
    # flatten() applies the struct's own validity: a record without "props" has every property null.
    props = _array(table["props"]).flatten()
    columns = {"id": _array(table["id"])}
    if name in RELS:
        columns.update({column: _array(table[column]) for column in _REL_ONLY})
    columns.update(zip(table.schema.field("props").type.names, props, strict=True))
    return pa.table(columns)


def _split_by_kind(table: pa.Table) -> dict[str, pa.Table]:
    """Lines read against the whole catalogue (keys in another order), per label and type like ``_read_kinds``."""
    is_node, is_rel = pc.is_valid(table["node"]), pc.is_valid(table["rel"])
    _require(_all(pc.xor(is_node, is_rel)))
    for column in _REL_ONLY:
        _require(not _any(pc.and_(is_node, pc.is_valid(table[column]))))
    name = pc.coalesce(table["node"], table["rel"])
    _require(_all(pc.is_in(name, pa.array([*NODES, *RELS]))))
    _require(not _any(pc.and_(is_node, pc.is_in(name, pa.array(list(RELS))))))
    _require(not _any(pc.and_(is_rel, pc.is_in(name, pa.array(list(NODES))))))
    props = dict(zip(SCHEMA.field("props").type.names, _array(table["props"]).flatten(), strict=True))
    for prop_name, values in props.items():
        # A property set on a record whose label or type does not have it: the reference path names it.
        if values.null_count < len(values):
            _require(_all(pc.is_in(name.filter(pc.is_valid(values)), _OWNERS[prop_name])))
    out = {}
    for kind in pc.unique(name).to_pylist():
        spec = NODES.get(kind) or RELS[kind]
        rows = pc.indices_nonzero(pc.equal(name, kind))
        columns = {"id": table["id"].take(rows)}
        if kind in RELS:
            columns.update({column: table[column].take(rows) for column in _REL_ONLY})
        columns.update({p.name: props[p.name].take(rows) for p in spec.props if p.name != "id"})
        out[kind] = pa.table(columns)
    return out


def _check(kinds: dict[str, pa.Table], lines: int) -> ColumnarFile:
    out = ColumnarFile(lines=lines)
    labels = [label for label in NODES if label in kinds]
    out.nodes.update(zip(labels, _side_by_side(partial(_node_table, label, kinds[label]) for label in labels), strict=True))
    rule_views = {label: _rule_view(table) for label, table in out.nodes.items()}
    rel_types = [rel_type for rel_type in RELS if rel_type in kinds]
    for tables in _side_by_side(partial(_rel_tables, rel_type, kinds[rel_type], rule_views) for rel_type in rel_types):
        out.rels.update(tables)
    if "Area" in out.nodes:
        # Each PART_OF starts at a distinct area of the file that is not the city (checked per type): as many
        # of them as areas other than the city means every such area has its one parent.
        areas = out.nodes["Area"]
        cities = int(pc.sum(pc.equal(areas["level"], AreaLevel.CITY.value)).as_py() or 0)
        parents = sum(table.num_rows for key, table in out.rels.items() if key[0] == RelType.PART_OF.value)
        _require(areas.num_rows - cities == parents)
    return out


#: Per property name, the labels and types that have it.
_SPECS: dict[str, NodeSpec | RelSpec] = {**NODES, **RELS}
_OWNERS: dict[str, pa.Array] = {
    name: pa.array([spec_name for spec_name, spec in _SPECS.items() if name in spec.prop_names])
    for name in SCHEMA.field("props").type.names
}


def _kind_schema(name: str) -> pa.Schema:
    """The file schema narrowed to one label or type: its key, ``id``, the ends of a relationship, its properties."""
    spec: NodeSpec | RelSpec = NODES[name] if name in NODES else RELS[name]
    top = ("node", "id") if name in NODES else ("rel", "id", *_REL_ONLY)
    all_props = SCHEMA.field("props").type
    own = [all_props.field(p.name) for p in spec.props if p.name != "id"]
    return pa.schema([*((column, pa.string()) for column in top), ("props", pa.struct(own))])


_SCHEMAS: dict[str, pa.Schema] = {name: _kind_schema(name) for name in _SPECS}


def _ids_ok(ids: pa.Array | pa.ChunkedArray) -> None:
    _require(ids.null_count == 0)
    # Python's notion of blank decides, as on the reference path; an ASCII letter, digit or sign settles it
    # for almost every id without leaving Arrow.
    plain = pc.match_substring_regex(ids, "[!-~]")
    if not _all(plain):
        _require(all(value.strip() for value in ids.filter(pc.invert(plain)).to_pylist()))


def _entity_table(spec: NodeSpec | RelSpec, props: dict[str, pa.Array], ids: pa.Array) -> pa.Table:
    """``id`` and every property of ``spec``, typed and checked."""
    _ids_ok(ids)
    _require(len(pc.unique(ids)) == len(ids))  # duplicates, even identical ones, go the reference way
    columns: dict[str, pa.Array] = {"id": ids}
    for prop in spec.props:
        if prop.name == "id":
            continue
        values = props[prop.name]
        if prop.required:
            _require(values.null_count == 0)
        columns[prop.name] = _typed(prop, values)
    for first, last in DATE_PAIRS:
        if first in columns and last in columns:
            _require(not _any(pc.less(columns[last], columns[first])))
    return pa.table(columns)


def _any(mask: pa.Array) -> bool:
    return bool(pc.any(pc.fill_null(mask, False)).as_py()) if len(mask) else False


def _typed(prop: Any, values: pa.Array) -> pa.Array:
    kind = prop.type
    if kind is PropType.STRING:
        _require(not _any(pc.greater(pc.utf8_length(values), MAX_STRING)))
        if prop.enum is not None:
            _require(_all(pc.or_kleene(pc.is_null(values), pc.is_in(values, pa.array([m.value for m in prop.enum])))))
        return values
    if kind in (PropType.INT, PropType.FLOAT):
        if kind is PropType.FLOAT:
            _require(not _any(pc.invert(pc.is_finite(values))))
        if prop.minimum is not None:
            _require(not _any(pc.less(values, prop.minimum)))
        if prop.maximum is not None:
            _require(not _any(pc.greater(values, prop.maximum)))
        return values
    if kind is PropType.BOOL:
        return values
    if kind is PropType.DATE:
        if values.null_count == len(values):
            return pa.nulls(len(values), pa.date32())
        # Arrow's parser is lenient (2024-02-30 becomes March 1st): keep a date only if it prints back as given.
        # A city has a few thousand distinct dates over many rows, so the round trip runs on the distinct ones.
        encoded = values.dictionary_encode()
        distinct = encoded.dictionary
        dates = pc.cast(pc.strptime(distinct, format="%Y-%m-%d", unit="s"), pa.date32())
        _require(_all(pc.equal(pc.strftime(dates, format="%Y-%m-%d"), distinct)))
        if prop.past:
            _require(not _any(pc.greater(dates, pa.scalar(date.today(), pa.date32()))))
        return dates.take(encoded.indices)
    if kind is PropType.STRING_LIST:
        _require(not _any(pc.greater(pc.list_value_length(values), MAX_LIST)))
        if prop.enum is not None:
            items = pc.list_flatten(values)
            _require(_all(pc.is_in(items, pa.array([m.value for m in prop.enum]))))
        return values
    raise _CannotVouch  # timestamps: no domain property has one; the reference path handles them


def _rule_view(table: pa.Table) -> pa.Table:
    """``id`` and the end properties the rules read, nulls where a label has no such property."""
    columns = {"id": table["id"]}
    for name in RULE_PROPS:
        columns[name] = table[name] if name in table.column_names else pa.nulls(len(table), pa.string())
    return pa.table(columns)


def _own_props(spec: NodeSpec | RelSpec, table: pa.Table) -> dict[str, pa.Array]:
    """The columns of ``table`` (as read) that are ``spec``'s properties, ``id`` aside."""
    return {p.name: _array(table[p.name]) for p in spec.props if p.name != "id"}


def _node_table(label: str, table: pa.Table) -> pa.Table:
    """The ``label`` nodes of ``table`` (as read), typed and checked."""
    spec = NODES[label]
    return _entity_table(spec, _own_props(spec, table), _array(table["id"]))


def _rel_tables(rel_type: str, table: pa.Table, rule_views: dict[str, pa.Table]) -> dict[tuple[str, str, str], pa.Table]:
    """The ``rel_type`` relationships of ``table`` (as read), typed and checked, per pair of end labels."""
    spec = RELS[rel_type]
    props = _own_props(spec, table)
    ends = {column: _array(table[column]) for column in ("id", *_REL_ONLY)}
    out: dict[tuple[str, str, str], pa.Table] = {}
    pairs = set(spec.pairs)
    for end, index in (("from", 0), ("to", 1)):
        # Every end must be a node id of the file (``_ends``), and those passed ``_ids_ok`` already.
        _require(ends[end].null_count == 0)
        labels = {pair[index] for pair in spec.pairs}
        if len(labels) == 1:
            ends[f"{end}_label"] = pc.fill_null(ends[f"{end}_label"], next(iter(labels)))
        _require(ends[f"{end}_label"].null_count == 0)
    ids = ends["id"]
    if ids.null_count:
        ids = pc.coalesce(ids, pc.binary_join_element_wise(ends["from"], rel_type, ends["to"], ":"))
    typed = _entity_table(spec, props, ids)
    _check_cross_rules(rel_type, ends, typed)
    found = _label_pairs(ends["from_label"], ends["to_label"])
    for from_label, to_label in found:
        _require((from_label, to_label) in pairs)
        group = pa.table({"from": ends["from"], "to": ends["to"]})
        group_typed = typed
        if len(found) > 1:
            mask = pc.and_(pc.equal(ends["from_label"], from_label), pc.equal(ends["to_label"], to_label))
            group, group_typed = group.filter(mask), typed.filter(mask)
        _require(from_label in rule_views and to_label in rule_views)
        source = _ends(rule_views[from_label], group["from"])
        target = _ends(rule_views[to_label], group["to"])
        _check_rules(rel_type, from_label, to_label, source, target, group_typed)
        arrays = {"from": _array(group["from"]), "to": _array(group["to"])}
        arrays.update({name: _array(group_typed[name]) for name in group_typed.column_names})
        out[(rel_type, from_label, to_label)] = pa.table(arrays)
    return out


#: Every post code, and the rank under which ``domain.rules`` compares two posts of one person in one organisation.
_POSTS = pa.array([post.value for post in Post])
_POST_RANKS = pa.array([rules.post_rank(post.value) for post in Post])


def _check_cross_rules(rel_type: str, ends: dict[str, pa.Array], typed: pa.Table) -> None:
    """The rules across records (``domain.rules``) that one relationship type of the file can break alone, in an
    empty store: a second parent, a second leader, two dated relationships in force together."""
    if rel_type in rules.ONE_PARENT:
        _require(len(pc.unique(ends["from"])) == len(typed))
    elif rel_type == RelType.LEADS.value:
        _require(len(pc.unique(ends["to"])) == len(typed))  # a second leader, dissolved or not: let the reference decide
    elif rel_type in rules.DATED_CLASHES:
        parts = [ends["from_label"], ends["from"], ends["to"]]
        if rel_type == RelType.MEMBER_OF.value:
            parts.append(_POST_RANKS.take(pc.index_in(typed["post"], value_set=_POSTS)))
        keys = pc.binary_join_element_wise(*parts, "\x00")
        if len(pc.unique(keys)) == len(keys):
            return
        # A few keys repeat (a post held again later, say): compare those rows' dates with the rule itself.
        counts = pc.value_counts(keys)
        repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
        rows = typed.filter(pc.is_in(keys, value_set=repeated)).append_column(
            "key", keys.filter(pc.is_in(keys, value_set=repeated))
        )
        groups: dict[str, list[rules.Span]] = {}
        for row in rows.to_pylist():
            groups.setdefault(row["key"], []).append(rules.Span.of(str(row["id"]), row))
        for spans in groups.values():
            for i, span in enumerate(spans):
                for other in spans[:i]:
                    _require(not rules.overlap(rel_type, span, other))


def _label_pairs(from_labels: pa.Array, to_labels: pa.Array) -> list[tuple[str, str]]:
    """The distinct (from_label, to_label) pairs; most types have one, which a comparison with a scalar settles."""
    if len(from_labels) == 0:
        return []
    first = (from_labels[0].as_py(), to_labels[0].as_py())
    if _all(pc.equal(from_labels, first[0])) and _all(pc.equal(to_labels, first[1])):
        return [first]
    keys = pc.unique(pc.binary_join_element_wise(from_labels, to_labels, "\x00")).to_pylist()
    return [(a, b) for a, b in (key.split("\x00") for key in keys)]


def _ends(view: pa.Table, ids: pa.ChunkedArray) -> pa.Table:
    """The rule view's rows for ``ids``; every id must be a node of the file (the store is empty)."""
    positions = pc.index_in(ids, value_set=_array(view["id"]))
    _require(positions.null_count == 0)
    return view.take(positions)


def _check_rules(rel_type: str, from_label: str, to_label: str, source: pa.Table, target: pa.Table, typed: pa.Table) -> None:
    """``check_rel_rules`` (and ``check_post``) once per distinct combination of the properties they read."""
    columns = {f"s_{name}": source[name] for name in RULE_PROPS} | {f"t_{name}": target[name] for name in RULE_PROPS}
    if rel_type == RelType.MEMBER_OF.value:
        columns["post"] = typed["post"]
    combos = pa.table(columns).group_by(list(columns)).aggregate([]).to_pylist()
    for combo in combos:
        src = {name: combo[f"s_{name}"] for name in RULE_PROPS if combo[f"s_{name}"] is not None}
        tgt = {name: combo[f"t_{name}"] for name in RULE_PROPS if combo[f"t_{name}"] is not None}
        src.update(_label=from_label, id="")
        tgt.update(_label=to_label, id="")
        _require(not check_rel_rules(rel_type, src, tgt))
        if combo.get("post") is not None:
            _require(not check_post(combo["post"], tgt))
