"""Relationships integrations pull: co-construction pairings (结对共建) and dual check-ins (双报到)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, Self

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry import relay

from graph_service.api.ahead import loads_linked
from graph_service.api.common import REL_DOMAIN_ID, active_field, domain_id_field, end_row, linked_one, load_rels
from graph_service.api.ends import as_area, organization_at, person_at
from graph_service.api.field_readers import reads
from graph_service.api.refs import AREA, ORG, PERSON, AreaRef, MembershipRef, OrganizationRef, PersonRef
from graph_service.domain.enums import Post as PostEnum
from graph_service.domain.enums import RelType

if TYPE_CHECKING:
    from graph_service.api.areas.types import Area
    from graph_service.api.organizations.types import Organization
    from graph_service.api.people.types import Person


def _committee(row: Pairing | Registration) -> str:
    key: str = row._community["id"]
    return key


#: The community the committee of a pairing or a check-in leads.
_LED_AREA = linked_one(RelType.LEADS.value, ORG, AREA, as_area, key=_committee)
_UNIT = organization_at("_unit")
_COMMITTEE = organization_at("_community")


@strawberry.type(
    description="A co-construction pairing (结对共建): a unit's Party organisation (单位党组织) works with a "
    "community Party committee (社区党委) from a start date, possibly to an end date, on concrete projects"
)
class Pairing(relay.Node):
    id: relay.NodeID[str]
    start_date: date | None = strawberry.field(description="First day of the pairing (开始日期)")
    end_date: date | None = strawberry.field(description="Last day (结束日期); null while it lasts")
    projects: list[str] = strawberry.field(description="Concrete projects of the pairing (共建项目)")
    resources: str | None = strawberry.field(description="Resources the unit brings (资源)")
    _unit: strawberry.Private[dict[str, Any]]
    _community: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    # The ends are resolved without a coroutine when they are in hand (``end_node``), hence ``graphql_type``.
    @strawberry.field(description="The unit's Party organisation (单位党组织)", graphql_type=OrganizationRef | None)
    @reads(_UNIT)
    def unit_organization(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _UNIT.resolve(self, info)

    @strawberry.field(description="The community Party committee (社区党委)", graphql_type=OrganizationRef | None)
    @reads(_COMMITTEE)
    def community_organization(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _COMMITTEE.resolve(self, info)

    @strawberry.field(description="The community (社区) the community Party committee leads", graphql_type=AreaRef | None)
    @reads(_LED_AREA)
    def community(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _LED_AREA.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the PAIRED_WITH properties with ``_from`` (the unit's Party organisation) and ``_to`` (the
        community Party committee), each a node's property dict or its id."""
        return cls(
            id=row["id"],
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            projects=list(row.get("projects") or []),
            resources=row.get("resources"),
            _unit=end_row(row["_from"], ORG),
            _community=end_row(row["_to"], ORG),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_rels(info, RelType.PAIRED_WITH.value, ORG, ORG, node_ids, cls.from_row)


@strawberry.enum(description="Who checked in with a community (双报到): a unit's Party organisation or an in-service member")
class RegistrantKind(Enum):
    UNIT = "unit"
    MEMBER = "member"


_REGISTERED_UNIT = organization_at("_registrant", when=lambda row: row.registrant_kind is RegistrantKind.UNIT)
_REGISTERED_MEMBER = person_at("_registrant", when=lambda row: row.registrant_kind is RegistrantKind.MEMBER)


@strawberry.type(
    description="A dual check-in (双报到): a unit's Party organisation (单位党组织报到) or an in-service Party "
    "member (在职党员报到) registered with a community Party committee"
)
class Registration(relay.Node):
    id: relay.NodeID[str]
    start_date: date | None = strawberry.field(description="Day of registration (报到日期)")
    end_date: date | None = strawberry.field(description="Last day (结束日期); null while it lasts")
    registrant_kind: RegistrantKind = strawberry.field(description="A unit (单位) or a member (党员)")
    _registrant: strawberry.Private[dict[str, Any]]
    _community: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    @strawberry.field(
        description="The unit's Party organisation that registered; null for a member", graphql_type=OrganizationRef | None
    )
    @reads(_REGISTERED_UNIT)
    def organization(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _REGISTERED_UNIT.resolve(self, info)

    @strawberry.field(description="The in-service Party member who registered; null for a unit", graphql_type=PersonRef | None)
    @reads(_REGISTERED_MEMBER)
    def member(self, info: strawberry.Info) -> AwaitableOrValue[Person | None]:
        return _REGISTERED_MEMBER.resolve(self, info)

    @strawberry.field(description="The community Party committee registered with (社区党委)", graphql_type=OrganizationRef | None)
    @reads(_COMMITTEE)
    def community_organization(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _COMMITTEE.resolve(self, info)

    @strawberry.field(description="The community (社区) the committee leads", graphql_type=AreaRef | None)
    @reads(_LED_AREA)
    def community(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _LED_AREA.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the REGISTERED_WITH properties with ``_from`` (a unit's Party organisation or a person, a node's
        property dict with ``_label``) and ``_to`` (the community Party committee, a node's dict or its id)."""
        registrant = end_row(row["_from"], ORG)
        kind = RegistrantKind.MEMBER if registrant.get("_label") == PERSON else RegistrantKind.UNIT
        return cls(
            id=row["id"],
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            registrant_kind=kind,
            _registrant=registrant,
            _community=end_row(row["_to"], ORG),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = list(node_ids)
        loaders = info.context.loaders
        units, members = await asyncio.gather(
            loaders.rel(RelType.REGISTERED_WITH.value, ORG, ORG).load_many(ids),
            loaders.rel(RelType.REGISTERED_WITH.value, PERSON, ORG).load_many(ids),
        )
        out: list[Self | None] = []
        for unit, member in zip(units, members, strict=True):
            hit = unit or member
            out.append(cls.from_row({**hit[0], "_from": hit[1], "_to": hit[2]}) if hit else None)
        return out


loads_linked(Pairing, "community", RelType.LEADS.value, ORG, AREA, key=_committee)
loads_linked(Registration, "community", RelType.LEADS.value, ORG, AREA, key=_committee)


@strawberry.type(
    description="A cross-appointment (交叉任职): one person with a post in a compound's Party branch and in its owners' committee"
)
class CrossAppointment:
    compound: AreaRef = strawberry.field(description="The compound (小区)")
    person: PersonRef = strawberry.field(description="Who holds both posts")
    branch_membership: MembershipRef = strawberry.field(description="The post in the compound Party branch (党支部)")
    owners_committee_membership: MembershipRef = strawberry.field(description="The post in the owners' committee (业委会)")

    @strawberry.field(description="The branch secretary is also the OC director: a 'mature' compound (成熟小区)")
    def mature(self) -> bool:
        return (
            self.branch_membership.post.code is PostEnum.SECRETARY
            and self.owners_committee_membership.post.code is PostEnum.OC_DIRECTOR
        )


__all__ = ["CrossAppointment", "Pairing", "RegistrantKind", "Registration"]
