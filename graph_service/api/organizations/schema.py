"""Reading organisations (组织): one by id, pages by kind, unit type, name and area."""

from __future__ import annotations

import strawberry

from graph_service.api.common import OrgKind, UnitType, local_id
from graph_service.api.organizations.types import Organization
from graph_service.api.pagination import Connection
from graph_service.api.reading import READ_INTEGRATION, connection, domain_id, node_with_loads, services_of
from graph_service.domain.enums import NodeLabel
from graph_service.services import organizations


@strawberry.type
class OrganizationQuery:
    @strawberry.field(description="One organisation by domainId or global id", extensions=READ_INTEGRATION)
    async def organization(self, info: strawberry.Info, id: str) -> Organization | None:
        return await node_with_loads(info, NodeLabel.ORGANIZATION.value, local_id(id, ("Organization",)), Organization.from_row)

    @strawberry.field(
        description="Organisations by kind, unit type, name, and the area they lead, sit in, serve or cover (or one below it)",
        extensions=READ_INTEGRATION,
    )
    async def organizations(
        self,
        info: strawberry.Info,
        kind: OrgKind | None = None,
        unit_type: UnitType | None = None,
        area_id: str | None = None,
        name_contains: str | None = None,
        include_dissolved: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organization]:
        f = organizations.OrganizationFilter(kind, unit_type, domain_id(area_id, "Area"), name_contains, include_dissolved)
        reader = services_of(info).organizations
        return await connection(info, lambda w: reader.organizations(f, w), Organization.from_row, first, after)


__all__ = ["OrganizationQuery"]
