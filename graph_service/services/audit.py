"""The audit trail: who changed what, when, with the record before and after; and the change feed built on it.

Every change made through ``ChangeService`` writes one ``AuditEntry`` per entity it touches, in the change's own
transaction, numbered by ``seq`` from the ``Meta`` counter ``audit_seq``. Because the number is taken inside the
transaction, a rolled-back change gives its number back and the sequence has no gaps; because writers take the
counter in turn (LadybugDB has one writer, Neo4j locks the counter node until commit), entries become visible in
``seq`` order. A client that remembers the last ``seq`` it saw therefore never misses or repeats a change.

Bulk imports and the seed generator do not write audit entries: they load thousands of records at once through
the bulk path, and their input file is their record. A sync client re-reads the bulk export after an import.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_service.domain.records import NodeRecord, RelRecord, to_json_obj
from graph_service.domain.validation import INT64_MAX
from graph_service.errors import Problem, ValidationError
from graph_service.store.port import Store, Tx

#: Audit actions.
CREATE, UPDATE, END = "create", "update", "end"

_CURSOR_PREFIX = "audit:"
MAX_FEED_PAGE = 1000
#: A feed cursor is base64 of a short text; a longer one is refused before it is decoded.
MAX_CURSOR_LENGTH = 64


@dataclass(frozen=True)
class AuditEvent:
    """One audited change; ``before``/``after`` are NDJSON records (``None`` before a create)."""

    seq: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def cursor(self) -> str:
        return encode_cursor(self.seq)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AuditEvent:
        return cls(
            seq=int(row["seq"]),
            at=row["at"],
            actor=row["actor"],
            action=row["action"],
            entity_type=row["entity_type"],
            entity_id=row["entity_id"],
            before=json.loads(row["before"]) if row.get("before") else None,
            after=json.loads(row["after"]) if row.get("after") else None,
        )


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    next_cursor: str
    has_more: bool


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode()


def decode_cursor(cursor: str | None, *, field: str = "since") -> int:
    """The sequence number behind a cursor; ``None`` means the beginning of time.

    The number must fit the store's 64-bit integers (a larger one reached the store as a driver cast error), and
    is written in plain digits (``int()`` would also take ``+1``, ``1_000`` or spaces).
    """
    if cursor is None or cursor == "":
        return 0
    refused = ValidationError([Problem(field, "is not a cursor this service returned", cursor)])
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError, binascii.Error):
        raise refused from None
    digits = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not digits.isdecimal() or len(digits) > 19 or int(digits) > INT64_MAX:
        raise refused
    return int(digits)


def record_json(record: NodeRecord | RelRecord | None) -> str | None:
    if record is None:
        return None
    return json.dumps(to_json_obj(record), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def write_entry(
    tx: Tx,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: NodeRecord | RelRecord | None,
    after: NodeRecord | RelRecord | None,
) -> int:
    """Append one entry inside the caller's write transaction; returns its sequence number.

    A relationship's entry also records its two ends, so that each end's log (``audit_log``) shows it. The
    transaction counts as described (``Tx.described``): its caller writes an entry for every entity it changes,
    so a projection is patched across it from the entries.
    """
    tx.described = True
    seq = int(tx.run("audit_next_seq")[0]["seq"])
    link = after if isinstance(after, RelRecord) else before if isinstance(before, RelRecord) else None
    tx.run(
        "audit_create_entry",
        {
            "id": f"audit-{seq}",
            "seq": seq,
            "at": datetime.now(UTC).replace(tzinfo=None),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "from_id": link.from_id if link else None,
            "to_id": link.to_id if link else None,
            "before": record_json(before),
            "after": record_json(after),
        },
    )
    return seq


def audit_log(store: Store, entity_id: str, first: int = 50, after: str | None = None) -> AuditPage:
    """The changes of one entity (node or relationship id) and of the relationships it is an end of (its posts,
    pairings, registrations, structure links), oldest first, ``first`` at a time after ``after``."""
    _check_first(first)
    since = decode_cursor(after, field="after")
    rows = store.read("audit_entity_log", {"entity_id": entity_id, "after": since, "limit": first + 1})
    events = [AuditEvent.from_row(r["a"]) for r in rows[:first]]
    next_seq = events[-1].seq if events else since
    return AuditPage(events, encode_cursor(next_seq), has_more=len(rows) > first)


def changes_since(
    store: Store, entity_types: Sequence[str], since_seq: int | str | None, limit: int = 100
) -> tuple[list[AuditEvent], str]:
    """Changes of ``entity_types`` after a cursor (or a sequence number), oldest first, and the next cursor.

    Pass the returned cursor back to get the following changes. When fewer than ``limit`` changes match, the
    cursor moves to the newest committed change of any type, so a quiet feed does not rescan the whole trail.
    """
    page = feed_page(store, entity_types, since_seq, limit)
    return page.events, page.next_cursor


def feed_page(store: Store, entity_types: Sequence[str], since: int | str | None, first: int = 100) -> AuditPage:
    """``changes_since`` with ``has_more``: whether more matching changes are waiting right now."""
    _check_first(first, field="first")
    since_seq = since if isinstance(since, int) else decode_cursor(since)

    def read(tx: Tx) -> tuple[list[AuditEvent], int]:
        # Read the counter first: every entry up to it has committed, so none can appear later below it.
        last = tx.run("audit_last_seq")
        upto = int(last[0]["seq"]) if last and last[0]["seq"] is not None else 0
        params = {"since": since_seq, "upto": upto, "types": list(entity_types), "limit": first + 1}
        rows = tx.run("audit_changes_since", params)
        return [AuditEvent.from_row(r["a"]) for r in rows], upto

    events, upto = store.execute_read(read)
    if len(events) > first:
        events = events[:first]
        return AuditPage(events, encode_cursor(events[-1].seq), has_more=True)
    if len(events) == first:
        return AuditPage(events, encode_cursor(events[-1].seq), has_more=False)
    return AuditPage(events, encode_cursor(max(upto, since_seq)), has_more=False)


def current_cursor(store: Store) -> str:
    """A cursor at the newest committed change: read it *before* a bulk export, then follow the feed from it.

    Every change up to it is visible to the export read that follows; a change committed after it is in the
    feed (and possibly in the export too, so clients apply feed events as upserts by id).
    """
    rows = store.read("audit_last_seq")
    return encode_cursor(int(rows[0]["seq"]) if rows and rows[0]["seq"] is not None else 0)


def audit_count(store: Store, entity_id: str) -> int:
    rows = store.read("audit_entity_count", {"entity_id": entity_id})
    return int(rows[0]["n"]) if rows else 0


def _check_first(first: int, field: str = "first") -> None:
    if not 1 <= first <= MAX_FEED_PAGE:
        raise ValidationError([Problem(field, f"must be between 1 and {MAX_FEED_PAGE}", first)])


class AuditTrail:
    """The audit trail of one store: per-entity logs and the change feeds integrations follow."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def feed(self, entity_types: Sequence[str], since: int | str | None, first: int = 100) -> AuditPage:
        return feed_page(self.store, entity_types, since, first)

    def log(self, entity_id: str, first: int = 50, after: str | None = None) -> AuditPage:
        return audit_log(self.store, entity_id, first, after)

    def count(self, entity_id: str) -> int:
        return audit_count(self.store, entity_id)

    def cursor(self) -> str:
        return current_cursor(self.store)
