"""Organisational life (组织生活): meetings and activities held by Party organisations (三会一课, 主题党日 ...)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Self

import strawberry
from strawberry import relay

from graph_service.api.common import (
    NODE_DOMAIN_ID,
    ActivityKind,
    Labeled,
    domain_id_field,
    labeled,
    linked_node,
    linked_nodes,
    load_nodes,
)
from graph_service.api.ends import organization_from_row, person_from_row
from graph_service.api.refs import ACTIVITY, ORG, PERSON, OrganizationRef, PersonRef
from graph_service.domain import enums
from graph_service.domain.enums import RelType


@strawberry.type(
    description="A meeting or activity of organisational life (组织生活): 党员大会, 支委会, 党小组会, 党课, 主题党日, "
    "组织生活会, 民主评议党员 ..."
)
class Activity(relay.Node):
    id: relay.NodeID[str]
    kind: Labeled[ActivityKind] = strawberry.field(description="What kind of meeting or activity (类型)")
    held_on: date = strawberry.field(description="The day it was held (召开日期)")
    attendance: int | None = strawberry.field(description="How many took part (参加人数)")
    topic: str | None = strawberry.field(description="Its subject (主题)")

    domain_id = domain_id_field(NODE_DOMAIN_ID)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            kind=labeled(enums.ActivityKind, row.get("kind")),  # type: ignore[arg-type]
            held_on=row["held_on"],
            attendance=row.get("attendance"),
            topic=row.get("topic"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, ACTIVITY, node_ids, cls.from_row)

    @strawberry.field(description="The organisation that held it (组织单位)")
    async def held_by(self, info: strawberry.Info) -> OrganizationRef | None:
        return await linked_node(info, RelType.HELD_BY.value, ACTIVITY, ORG, self.id, organization_from_row())

    @strawberry.field(description="The people recorded as present (参加人员), where they were recorded")
    async def attendees(self, info: strawberry.Info) -> list[PersonRef]:
        return await linked_nodes(info, RelType.ATTENDED.value, PERSON, ACTIVITY, self.id, person_from_row(), incoming=True)


__all__ = ["Activity"]
