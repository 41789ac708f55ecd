"""Reading pairings (结对共建), dual check-ins (双报到) and cross-appointments (交叉任职)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from graph_service.api.areas.types import Area
from graph_service.api.pagination import Connection
from graph_service.api.people.types import Membership, Person
from graph_service.api.reading import READ, READ_INTEGRATION, connection, domain_id, services_of
from graph_service.api.relations.filters import PairingFilter, RegistrationFilter
from graph_service.api.relations.types import CrossAppointment, Pairing, RegistrantKind, Registration
from graph_service.domain.enums import NodeLabel
from graph_service.services import relations
from graph_service.store.port import Row


def _membership(rel: Row, person: Row, org: Row) -> Membership:
    return Membership.from_row({**rel, "_from": person, "_to": org})


def _link(cls: Any) -> Callable[[relations.Link], Any]:
    def build(link: relations.Link) -> Any:
        return cls.from_row({**link.rel, "_from": link.source, "_to": link.target})

    return build


@strawberry.type
class RelationQuery:
    @strawberry.field(
        description="Co-construction pairings (结对共建) with both organisations, dates and projects", extensions=READ_INTEGRATION
    )
    async def pairings(
        self, info: strawberry.Info, filter: PairingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Pairing]:
        f = filter or PairingFilter()
        wanted = relations.PairingFilter(
            source_id=domain_id(f.unit_id, "Organization"),
            community_id=domain_id(f.community_id, "Area", "Organization"),
            district_id=domain_id(f.district_id, "Area"),
            active_on=f.active_on,
            started_after=f.started_after,
            unit_type=f.unit_type,
        )
        reader = services_of(info).relations
        return await connection(info, lambda w: reader.pairings(wanted, w), _link(Pairing), first, after)

    @strawberry.field(
        description="Dual check-ins (双报到) of units' Party organisations and in-service members", extensions=READ_INTEGRATION
    )
    async def registrations(
        self, info: strawberry.Info, filter: RegistrationFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Registration]:
        f = filter or RegistrationFilter()
        label = {None: None, RegistrantKind.UNIT: NodeLabel.ORGANIZATION, RegistrantKind.MEMBER: NodeLabel.PERSON}
        wanted = relations.RegistrationFilter(
            source_id=domain_id(f.registrant_id, "Organization", "Person"),
            community_id=domain_id(f.community_id, "Area", "Organization"),
            district_id=domain_id(f.district_id, "Area"),
            active_on=f.active_on,
            started_after=f.started_after,
            registrant_label=label[f.registrant_kind],
        )
        reader = services_of(info).relations
        return await connection(info, lambda w: reader.registrations(wanted, w), _link(Registration), first, after)

    @strawberry.field(description="Cross-appointments (交叉任职) in the compounds of an area (or everywhere)", extensions=READ)
    async def cross_appointments(
        self, info: strawberry.Info, area_id: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[CrossAppointment]:
        area = domain_id(area_id, "Area")

        def build(r: relations.CrossAppointment) -> CrossAppointment:
            return CrossAppointment(
                compound=Area.from_row(r.compound),
                person=Person.from_row(r.person),
                branch_membership=_membership(r.branch_post, r.person, r.branch),
                owners_committee_membership=_membership(r.owners_committee_post, r.person, r.owners_committee),
            )

        reader = services_of(info).relations
        return await connection(info, lambda w: reader.cross_appointments(area, w), build, first, after)


__all__ = ["RelationQuery"]
