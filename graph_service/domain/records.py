"""The records of the line-per-record format (NDJSON) that import, export and the seed generator share.

One JSON object a line::

    {"node": "Area", "id": "hz", "props": {"level": "city", "name": "菏泽市"}}
    {"rel": "PART_OF", "id": "hz-md:PART_OF", "from": "hz-md", "from_label": "Area",
     "to": "hz", "to_label": "Area", "props": {}}

Property values are JSON scalars or lists; dates are ISO ``YYYY-MM-DD`` strings, timestamps ISO 8601.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
