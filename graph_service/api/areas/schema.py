"""Reading areas (区域): one by id, pages by level and parent, and planners' compound filters."""

from __future__ import annotations

import strawberry

from graph_service.api.areas.filters import GAP_FLAGS, CompoundFilter, CompoundOrder, OrderDirection
from graph_service.api.areas.types import Area
from graph_service.api.common import AreaLevel, AsOf, local_id
from graph_service.api.pagination import Connection
from graph_service.api.reading import READ, connection, domain_id, node_with_loads, services_of
from graph_service.domain.enums import NodeLabel
from graph_service.services import areas


@strawberry.type
class AreaQuery:
    @strawberry.field(description="One area by domainId or global id", extensions=READ)
    async def area(self, info: strawberry.Info, id: str) -> Area | None:
        return await node_with_loads(info, NodeLabel.AREA.value, local_id(id, ("Area",)), Area.from_row)

    @strawberry.field(
        description="Areas by level and parent (区域), by name: walk the hierarchy from the city down", extensions=READ
    )
    async def areas(
        self,
        info: strawberry.Info,
        level: AreaLevel | None = None,
        parent_id: str | None = None,
        name_contains: str | None = None,
        include_abolished: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Area]:
        f = areas.AreaFilter(level, domain_id(parent_id, "Area"), name_contains, include_abolished)
        return await connection(info, lambda w: services_of(info).areas.areas(f, w), Area.from_row, first, after)

    @strawberry.field(description="Compounds (小区) filtered by area, kind, property mode and coverage gaps", extensions=READ)
    async def compounds(
        self,
        info: strawberry.Info,
        filter: CompoundFilter | None = None,
        order_by: CompoundOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        as_of: AsOf = None,
    ) -> Connection[Area]:
        f = filter or CompoundFilter()
        order = order_by or CompoundOrder()
        wanted = areas.CompoundFilter(
            district_id=domain_id(f.district_id, "Area"),
            street_id=domain_id(f.street_id, "Area"),
            community_id=domain_id(f.community_id, "Area"),
            kind=f.kind,
            property_mode=f.property_mode,
            name_contains=f.name_contains,
            gaps={gap: getattr(f, flag) for flag, gap in GAP_FLAGS.items() if getattr(f, flag) is not None},
            some_building_without_group=f.some_building_without_group,
            some_building_without_leader=f.some_building_without_leader,
            include_abolished=f.include_abolished,
        )
        sort = areas.CompoundOrder(areas.CompoundOrderField(order.field.value), order.direction is OrderDirection.DESC)
        reader = services_of(info).areas
        return await connection(info, lambda w: reader.compounds(wanted, sort, w, as_of), Area.from_row, first, after)


__all__ = ["AreaQuery"]
