"""The records of the line-per-record format (NDJSON) that import, export and the seed generator share.

The format
----------
UTF-8 text, one JSON object a line; blank lines are ignored. A line is a node or a relationship::

    {"node": "Area", "id": "hz", "props": {"level": "city", "name": "菏泽市"}}
    {"rel": "PART_OF", "id": "hz-md:PART_OF:hz", "from": "hz-md", "from_label": "Area",
     "to": "hz", "to_label": "Area", "props": {}}

(the second record is one line in a file; it is wrapped here to fit).

- ``node`` is a label of the catalogue (``domain.schema.NODES``), ``rel`` a relationship type (``RELS``).
- ``id`` is a non-empty string, unique within its label (nodes) or type (relationships). A relationship
  without ``id`` gets ``rel_id(type, from, to)``, stable so that re-imports find it again.
- ``from``/``to`` are the ids of the two end nodes; ``from_label``/``to_label`` their labels, which may be left
  out where the type joins only one pair of labels (every type but ``REGISTERED_WITH``).
- ``props`` is an object of the catalogue's properties for that label or type (may be left out when empty).
  A record states the whole entity: a property left out (or ``null``) is empty after an import.
- Values: strings, whole numbers, numbers, ``true``/``false``, lists of strings; dates are ISO ``YYYY-MM-DD``,
  timestamps ISO 8601. Enum properties hold the enum's code (``"compound_branch"``), not its Chinese label.

Export writes records in a fixed order (nodes by label in catalogue order then id, then relationships by type
in catalogue order then id), keys sorted, nulls left out, so equal graphs give byte-identical files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard

from graph_service.domain.schema import NODES, RELS
from graph_service.errors import Problem


@dataclass(frozen=True)
class NodeRecord:
    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RelRecord:
    type: str
    id: str
    from_id: str
    from_label: str
    to_id: str
    to_label: str
    props: dict[str, Any] = field(default_factory=dict)


Record = NodeRecord | RelRecord


def rel_id(rel_type: str, from_id: str, to_id: str) -> str:
    """The id a relationship gets when its record names none: stable, so re-imports match it."""
    return f"{from_id}:{rel_type}:{to_id}"


_NODE_KEYS = frozenset({"node", "id", "props"})
_REL_KEYS = frozenset({"rel", "id", "from", "from_label", "to", "to_label", "props"})


#: Per relationship type: its (from, to) label pairs, and the end labels a record may leave out (None if ambiguous).
_REL_ENDS: dict[str, tuple[frozenset[tuple[str, str]], str | None, str | None]] = {
    spec.type: (
        frozenset(spec.pairs),
        spec.pairs[0][0] if len({a for a, _ in spec.pairs}) == 1 else None,
        spec.pairs[0][1] if len({b for _, b in spec.pairs}) == 1 else None,
    )
    for spec in RELS.values()
}


def parse_record(obj: Any, line: int | None = None) -> tuple[Record | None, list[Problem]]:
    """The record a decoded JSON line describes, with its props still raw, or the problems of its shape.

    Checks what a line must look like (see the module docstring); the properties themselves are checked
    against the catalogue by ``validation.validate_props``.
    """
    # Fast lane for well-formed records (an import checks hundreds of thousands); anything unusual falls
    # through to the full checks below, which name every problem.
    if type(obj) is dict:
        props = obj.get("props", _NO_PROPS)
        if type(props) is dict and "id" not in props:
            rid = obj.get("id")
            label = obj.get("node")
            if label is not None:
                if type(label) is str and label in NODES and _is_id(rid) and "rel" not in obj and obj.keys() <= _NODE_KEYS:
                    return NodeRecord(label, rid, props), []
            else:
                rel_type = obj.get("rel")
                ends = _REL_ENDS.get(rel_type) if isinstance(rel_type, str) else None
                if ends is not None and isinstance(rel_type, str) and obj.keys() <= _REL_KEYS:
                    pairs, default_from, default_to = ends
                    from_id, to_id = obj.get("from"), obj.get("to")
                    from_label, to_label = obj.get("from_label", default_from), obj.get("to_label", default_to)
                    if rid is None and _is_id(from_id) and _is_id(to_id):
                        rid = rel_id(rel_type, from_id, to_id)
                    if _is_id(rid) and _is_id(from_id) and _is_id(to_id) and (from_label, to_label) in pairs:
                        return RelRecord(rel_type, rid, from_id, str(from_label), to_id, str(to_label), props), []
    return _parse_record_fully(obj, line)


_NO_PROPS: dict[str, Any] = {}


def _parse_record_fully(obj: Any, line: int | None) -> tuple[Record | None, list[Problem]]:
    if not isinstance(obj, dict):
        return None, [Problem("line", 'must be a JSON object with a "node" or a "rel" key', obj, line)]
    problems: list[Problem] = []
    is_node = "node" in obj
    if is_node == ("rel" in obj):
        message = 'has both "node" and "rel"' if is_node else 'needs a "node" or a "rel" key'
        return None, [Problem("line", message, _short(obj), line)]
    allowed = _NODE_KEYS if is_node else _REL_KEYS
    for key in obj:
        if key not in allowed:
            problems.append(Problem(key, f"unknown key; allowed: {', '.join(sorted(allowed))}", obj[key], line))
    props = obj.get("props", {})
    if not isinstance(props, dict):
        problems.append(Problem("props", "must be a JSON object", props, line))
        props = {}
    elif "id" in props:
        problems.append(Problem("props.id", "the id goes at the top level of the record, not in props", props["id"], line))
        props = {k: v for k, v in props.items() if k != "id"}
    if is_node:
        label = obj["node"]
        if not isinstance(label, str) or label not in NODES:
            problems.append(Problem("node", f"unknown label; allowed: {', '.join(NODES)}", label, line))
        node_id = obj.get("id")
        if not _is_id(node_id):
            problems.append(Problem("id", "must be a non-empty string", node_id, line))
        if problems or not _is_id(node_id):
            return None, problems
        return NodeRecord(label, node_id, props), []
    rel_type = obj["rel"]
    spec = RELS.get(rel_type) if isinstance(rel_type, str) else None
    if spec is None:
        problems.append(Problem("rel", f"unknown relationship type; allowed: {', '.join(RELS)}", rel_type, line))
    ends: dict[str, str] = {}
    for end, index in (("from", 0), ("to", 1)):
        value = obj.get(end)
        if not _is_id(value):
            problems.append(Problem(end, "must be the non-empty string id of a node", value, line))
        label_key = f"{end}_label"
        label = obj.get(label_key)
        allowed_labels = sorted({pair[index] for pair in spec.pairs}) if spec else []
        if label is None and len(allowed_labels) == 1:
            label = allowed_labels[0]
        if label is None:
            if spec is not None:
                problems.append(Problem(label_key, f"is required for {rel_type}: one of {', '.join(allowed_labels)}", None, line))
        elif not isinstance(label, str) or label not in NODES:
            problems.append(Problem(label_key, f"unknown label; allowed: {', '.join(NODES)}", label, line))
        elif spec is not None and label not in allowed_labels:
            problems.append(Problem(label_key, f"{rel_type} {end} must be one of {', '.join(allowed_labels)}", label, line))
        else:
            ends[end] = label
    if spec is not None and len(ends) == 2 and (ends["from"], ends["to"]) not in spec.pairs:
        pairs = "; ".join(f"{a} -> {b}" for a, b in spec.pairs)
        problems.append(Problem("to_label", f"{rel_type} joins {pairs}", f"{ends['from']} -> {ends['to']}", line))
    rid = obj.get("id")
    if rid is None:
        if _is_id(obj.get("from")) and _is_id(obj.get("to")) and spec is not None:
            rid = rel_id(rel_type, obj["from"], obj["to"])
    elif not _is_id(rid):
        problems.append(Problem("id", "must be a non-empty string (or be left out)", rid, line))
    if problems or not isinstance(rid, str):
        return None, problems
    return RelRecord(rel_type, rid, obj["from"], ends["from"], obj["to"], ends["to"], props), []


def _is_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and value.strip() != ""


def _short(obj: Any) -> Any:
    text = json.dumps(obj, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def to_json_obj(record: Record) -> dict[str, Any]:
    """The record as the JSON object of its NDJSON line; dates as ISO strings, nulls left out."""
    props = {k: _jsonable(v) for k, v in sorted(record.props.items()) if v is not None and k != "id"}
    if isinstance(record, NodeRecord):
        return {"node": record.label, "id": record.id, "props": props}
    return {
        "rel": record.type,
        "id": record.id,
        "from": record.from_id,
        "from_label": record.from_label,
        "to": record.to_id,
        "to_label": record.to_label,
        "props": props,
    }


def to_json_line(record: Record) -> str:
    return json.dumps(to_json_obj(record), ensure_ascii=False, separators=(",", ":"))


_LINE_TABLE = re.compile(r'\{"(?:node|rel)":"([A-Za-z_][A-Za-z0-9_]*)"')


def line_table(line: str) -> str | None:
    """The label or relationship type of a line that ``to_json_line`` wrote (its first key, read without parsing
    the rest of the line); ``None`` for a line that is no record."""
    match = _LINE_TABLE.match(line)
    if match:
        return match.group(1)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    name = obj.get("node") or obj.get("rel") if isinstance(obj, dict) else None
    return name if isinstance(name, str) else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
