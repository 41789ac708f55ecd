"""Reading organisational life (组织生活): meetings and activities by organisation, area, kind and day."""

from __future__ import annotations

import strawberry

from graph_service.api.activities.filters import ActivityFilter
from graph_service.api.activities.types import Activity
from graph_service.api.common import load_node, local_id
from graph_service.api.pagination import Connection
from graph_service.api.reading import READ, connection, domain_id, services_of
from graph_service.domain.enums import NodeLabel
from graph_service.services import activities


@strawberry.type
class ActivityQuery:
    @strawberry.field(description="One meeting or activity by domainId or global id", extensions=READ)
    async def activity(self, info: strawberry.Info, id: str) -> Activity | None:
        return await load_node(info, NodeLabel.ACTIVITY.value, local_id(id, ("Activity",)), Activity.from_row)

    @strawberry.field(
        description="Meetings and activities of organisational life (组织生活: 三会一课, 主题党日 ...), newest first; by "
        "organisation, area, kind and the days held",
        extensions=READ,
    )
    async def activities(
        self, info: strawberry.Info, filter: ActivityFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Activity]:
        f = filter or ActivityFilter()
        wanted = activities.ActivityFilter(
            organization_id=domain_id(f.organization_id, "Organization"),
            area_id=domain_id(f.area_id, "Area"),
            kind=f.kind,
            held_from=f.held_from,
            held_to=f.held_to,
        )
        reader = services_of(info).activities
        return await connection(info, lambda w: reader.activities(wanted, w), Activity.from_row, first, after)


__all__ = ["ActivityQuery"]
