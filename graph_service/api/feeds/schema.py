"""Change feeds for integrations (``pairingChanges``, ``registrationChanges``) and the audit log (``auditLog``).

Sync protocol: call ``pairingChanges`` without ``since``, apply its ``events`` in order, keep its ``cursor``;
next time pass that cursor as ``since``. Repeat while ``hasMore``. Every committed change of a pairing appears
exactly once, in commit order, with the record before and after it (NDJSON record objects, as in the bulk
export). Cursors stay valid for ever: the audit trail is never pruned.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.scalars import JSON

from graph_service.api.common import copy_fields, local_id
from graph_service.api.pagination import Connection, Edge, PageInfo, PaginationError
from graph_service.api.permissions import Role, allow
from graph_service.domain.enums import RelType
from graph_service.services import audit
from graph_service.services.audit import AuditEvent
from graph_service.services.workers import in_worker

DEFAULT_FEED_PAGE = 100
T = TypeVar("T")


def _utc(at: datetime) -> datetime:
    # Stored as naive UTC (LadybugDB drops offsets); say so in the ISO text clients get.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _from_event(cls: type[T], event: AuditEvent) -> T:
    # The event's other fields (seq, cursor, actor, entity type, before/after records) pass through as they are.
    return copy_fields(cls, event, at=_utc(event.at), action=ChangeAction(event.action))


@strawberry.enum(description="What a change did")
class ChangeAction(Enum):
    CREATE = "create"
    UPDATE = "update"
    END = "end"


@strawberry.type(description="One change of a pairing or registration, for integrations to apply in order")
class ChangeEvent:
    seq: int = strawberry.field(description="Position in the audit trail: increasing, without gaps over all types")
    cursor: str = strawberry.field(description="Pass as `since` to get the changes after this one")
    at: datetime = strawberry.field(description="When it was committed (UTC)")
    action: ChangeAction
    entity_type: str = strawberry.field(description="`PAIRED_WITH` or `REGISTERED_WITH`")
    entity_id: strawberry.ID = strawberry.field(description="The relationship's id (`domainId`)")
    before: JSON | None = strawberry.field(description="The NDJSON record before the change; null for a create")
    after: JSON | None = strawberry.field(description="The NDJSON record after the change")

    @classmethod
    def from_event(cls, event: AuditEvent) -> ChangeEvent:
        return _from_event(cls, event)


@strawberry.type(description="A page of changes and the cursor to continue from")
class ChangeFeed:
    events: list[ChangeEvent]
    cursor: str = strawberry.field(description="Pass as `since` next time; never skips or repeats a change")
    has_more: bool = strawberry.field(description="More changes are waiting: ask again with `cursor` now")


@strawberry.type(description="One entry of the audit trail (审计记录): who changed what, when, before and after")
class AuditEntry:
    seq: int
    at: datetime = strawberry.field(description="When it was committed (UTC)")
    actor: str = strawberry.field(description="Who made the change: the API key id and its role")
    action: ChangeAction
    entity_type: str = strawberry.field(description="Label or relationship type of the entity changed")
    entity_id: strawberry.ID = strawberry.field(description="The entity's id (`domainId`)")
    before: JSON | None = strawberry.field(description="The NDJSON record before the change; null for a create")
    after: JSON | None = strawberry.field(description="The NDJSON record after the change")

    @classmethod
    def from_event(cls, event: AuditEvent) -> AuditEntry:
        return _from_event(cls, event)


async def _feed(info: strawberry.Info, types: list[str], since: str | None, first: int | None) -> ChangeFeed:
    trail = info.context.services.audit
    page = await in_worker(trail.feed, types, since, DEFAULT_FEED_PAGE if first is None else first)
    return ChangeFeed(events=[ChangeEvent.from_event(e) for e in page.events], cursor=page.next_cursor, has_more=page.has_more)


# Editors read the feeds too: they make the changes, already read the audit log, and the console shows an accepted
# pairing in the feed.
FEED_READERS = allow(Role.INTEGRATION, Role.ANALYST, Role.EDITOR)
AUDIT_READERS = allow(Role.EDITOR, Role.ANALYST)


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description="Changes of co-construction pairings (结对共建) after `since` (a cursor from the previous call; "
        f"omit it to start from the beginning), oldest first, at most `first` (default {DEFAULT_FEED_PAGE}, "
        f"max {audit.MAX_FEED_PAGE})",
        extensions=FEED_READERS,
    )
    async def pairing_changes(self, info: strawberry.Info, since: str | None = None, first: int | None = None) -> ChangeFeed:
        return await _feed(info, [RelType.PAIRED_WITH.value], since, first)

    @strawberry.field(
        description="A cursor at the newest committed change: pass it as `since` to `pairingChanges` or "
        "`registrationChanges` to get only the changes made after this call (a client starting now, or a page "
        "about to make a change and show it in the feed)",
        extensions=FEED_READERS,
    )
    async def changes_cursor(self, info: strawberry.Info) -> str:
        return await in_worker(info.context.services.audit.cursor)

    @strawberry.field(
        description="Changes of dual check-ins (双报到) after `since`, oldest first; same protocol as `pairingChanges`",
        extensions=FEED_READERS,
    )
    async def registration_changes(self, info: strawberry.Info, since: str | None = None, first: int | None = None) -> ChangeFeed:
        return await _feed(info, [RelType.REGISTERED_WITH.value], since, first)

    @strawberry.field(
        description="The audit trail of one entity (an area, organisation, person, post, pairing or registration; "
        "its `domainId` or global `id`), oldest first: its own changes and those of the relationships it is an end "
        "of (its posts, pairings, dual check-ins and structure links: PART_OF, SUB_ORG_OF, LEADS), each entry "
        "naming its `entityType` and `entityId`. Pages follow `after` (an `endCursor`)",
        extensions=AUDIT_READERS,
    )
    async def audit_log(
        self, info: strawberry.Info, entity_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[AuditEntry]:
        trail = info.context.services.audit
        settings = info.context.settings
        size = first if first is not None else settings.default_page_size
        if size > settings.max_page_size:
            raise PaginationError(f"first: {size} is over the maximum page size of {settings.max_page_size}")
        entity = local_id(str(entity_id))
        page = await in_worker(trail.log, entity, size, after)
        edges = [Edge(cursor=e.cursor, node=AuditEntry.from_event(e)) for e in page.events]

        async def total() -> int:
            return await in_worker(trail.count, entity)

        return Connection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_more,
                has_previous_page=after is not None and audit.decode_cursor(after, field="after") > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            _total=total,
        )


__all__ = ["AuditEntry", "ChangeAction", "ChangeEvent", "ChangeFeed", "FeedQuery"]
