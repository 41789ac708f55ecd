"""Reading people (人员) and their posts over time."""

from __future__ import annotations

import strawberry

from graph_service.api.common import local_id
from graph_service.api.pagination import Connection
from graph_service.api.people.filters import PersonFilter
from graph_service.api.people.types import Person
from graph_service.api.reading import READ, connection, domain_id, node_with_loads, services_of
from graph_service.domain.enums import NodeLabel
from graph_service.errors import PermissionDeniedError
from graph_service.services import people


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="One person by domainId or global id", extensions=READ)
    async def person(self, info: strawberry.Info, id: str) -> Person | None:
        return await node_with_loads(info, NodeLabel.PERSON.value, local_id(id, ("Person",)), Person.from_row)

    @strawberry.field(description="People (人员) with their posts over time; filter by post, organisation, area", extensions=READ)
    async def people(
        self, info: strawberry.Info, filter: PersonFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Person]:
        f = filter or PersonFilter()
        if f.name_contains and not info.context.may_see_personal:
            raise PermissionDeniedError(
                f"filter.nameContains: names are personal data; role {info.context.principal.role.value} may not search them"
            )
        wanted = people.PersonFilter(
            name_contains=f.name_contains,
            post=f.post,
            organization_id=domain_id(f.organization_id, "Organization"),
            current_posts_only=f.current_posts_only,
            area_id=domain_id(f.area_id, "Area"),
            is_party_member=f.is_party_member,
            employment=f.employment,
            include_left=f.include_left,
        )
        reader = services_of(info).people
        return await connection(info, lambda w: reader.people(wanted, w), Person.from_row, first, after)


__all__ = ["PeopleQuery"]
