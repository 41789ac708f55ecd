"""The records of the line-per-record format (NDJSON) that import, export and the seed generator share.

One JSON object a line::

    {"node": "Area", "id": "hz", "props": {"level": "city", "name": "菏泽市"}}
    {"rel": "PART_OF", "id": "hz-md:PART_OF", "from": "hz-md", "from_label": "Area",
     "to": "hz", "to_label": "Area", "props": {}}

Property values are JSON scalars or lists; dates are ISO ``YYYY-MM-DD`` strings, timestamps ISO 8601.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


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


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
