"""Who supports a community or a branch beyond its own members: small units in a joint Party branch (联合党支部),
cadres sent down to communities (下沉干部), deputies and committee members serving them (人大代表、政协委员)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self, TypeVar

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry import relay

from graph_service.api.common import (
    REL_DOMAIN_ID,
    DeputyCapacity,
    Labeled,
    active_field,
    active_on,
    domain_id_field,
    end_row,
    labeled,
    load_rels,
)
from graph_service.api.ends import area_at, organization_at, person_at
from graph_service.api.field_readers import reads
from graph_service.api.refs import AREA, ORG, PERSON, AreaRef, OrganizationRef, PersonRef
from graph_service.domain import enums
from graph_service.domain.enums import RelType

if TYPE_CHECKING:
    from graph_service.api.areas.types import Area
    from graph_service.api.organizations.types import Organization
    from graph_service.api.people.types import Person


_UNIT = organization_at("_unit")
_JOINT_BRANCH = organization_at("_joint_branch")
_PERSON = person_at("_person")
_COMMUNITY = area_at("_community")


@strawberry.type(
    description="A unit (驻区单位) with fewer than 3 full members in a joint Party branch (联合党支部) of several units, "
    "from a start date, possibly to an end date"
)
class JointBranchMembership(relay.Node):
    id: relay.NodeID[str]
    start_date: date | None = strawberry.field(description="First day in the joint branch (加入日期)")
    end_date: date | None = strawberry.field(description="Last day (退出日期); null while it lasts")
    _unit: strawberry.Private[dict[str, Any]]
    _joint_branch: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    @strawberry.field(description="The unit (驻区单位)", graphql_type=OrganizationRef | None)
    @reads(_UNIT)
    def unit(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _UNIT.resolve(self, info)

    @strawberry.field(description="The joint Party branch (联合党支部)", graphql_type=OrganizationRef | None)
    @reads(_JOINT_BRANCH)
    def joint_branch(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _JOINT_BRANCH.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the JOINS properties with ``_from`` (the unit) and ``_to`` (the joint branch), each a node's
        property dict or its id."""
        return cls(
            id=row["id"],
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            _unit=end_row(row["_from"], ORG),
            _joint_branch=end_row(row["_to"], ORG),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_rels(info, RelType.JOINS.value, ORG, ORG, node_ids, cls.from_row)


@strawberry.type(
    description="A cadre of an agency or enterprise sent down to serve a community (下沉干部): who, what they do "
    "there, from when to when"
)
class CadrePosting(relay.Node):
    id: relay.NodeID[str]
    duty: str | None = strawberry.field(description="What the cadre does there (职责), e.g. 包联社区, 第一书记")
    start_date: date | None = strawberry.field(description="First day (下沉日期)")
    end_date: date | None = strawberry.field(description="Last day (结束日期); null while it lasts")
    _person: strawberry.Private[dict[str, Any]]
    _community: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    @strawberry.field(description="The cadre (下沉干部)", graphql_type=PersonRef | None)
    @reads(_PERSON)
    def person(self, info: strawberry.Info) -> AwaitableOrValue[Person | None]:
        return _PERSON.resolve(self, info)

    @strawberry.field(description="The community served (社区)", graphql_type=AreaRef | None)
    @reads(_COMMUNITY)
    def community(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _COMMUNITY.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the SENT_DOWN_TO properties with ``_from`` (the person) and ``_to`` (the community)."""
        return cls(
            id=row["id"],
            duty=row.get("duty"),
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            _person=end_row(row["_from"], PERSON),
            _community=end_row(row["_to"], AREA),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_rels(info, RelType.SENT_DOWN_TO.value, PERSON, AREA, node_ids, cls.from_row)


@strawberry.type(
    description="A deputy to a people's congress (人大代表) or a member of a political consultative conference "
    "(政协委员) who serves a community (联系社区): in which capacity, at which level, from when to when"
)
class Liaison(relay.Node):
    id: relay.NodeID[str]
    role: Labeled[DeputyCapacity] = strawberry.field(description="Deputy (人大代表) or committee member (政协委员)")
    level: str | None = strawberry.field(description="The congress or conference they sit in (市人大, 区政协 ...)")
    start_date: date | None = strawberry.field(description="First day (开始日期)")
    end_date: date | None = strawberry.field(description="Last day (结束日期); null while it lasts")
    _person: strawberry.Private[dict[str, Any]]
    _community: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    @strawberry.field(description="The deputy or committee member", graphql_type=PersonRef | None)
    @reads(_PERSON)
    def person(self, info: strawberry.Info) -> AwaitableOrValue[Person | None]:
        return _PERSON.resolve(self, info)

    @strawberry.field(description="The community served (社区)", graphql_type=AreaRef | None)
    @reads(_COMMUNITY)
    def community(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _COMMUNITY.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the LIAISES_WITH properties with ``_from`` (the person) and ``_to`` (the community)."""
        return cls(
            id=row["id"],
            role=labeled(enums.DeputyCapacity, row.get("role")),  # type: ignore[arg-type]
            level=row.get("level"),
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            _person=end_row(row["_from"], PERSON),
            _community=end_row(row["_to"], AREA),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_rels(info, RelType.LIAISES_WITH.value, PERSON, AREA, node_ids, cls.from_row)


Link = TypeVar("Link", JointBranchMembership, CadrePosting, Liaison)


async def dated_links(
    info: strawberry.Info,
    cls: type[Link],
    rel: str,
    ends: tuple[str, str],
    me: dict[str, Any] | str,
    *,
    incoming: bool,
    current: bool,
) -> list[Link]:
    """The ``rel`` links (labels ``ends``) into the node ``me`` (its row or its id) when ``incoming``, else out of
    it, as ``cls``, oldest first; only those in force today when ``current``."""
    loaders = info.context.loaders
    me_id = me if isinstance(me, str) else str(me["id"])
    pairs = await (loaders.into if incoming else loaders.out)(rel, *ends).load(me_id)
    items = [
        cls.from_row({**r, "_from": other, "_to": me} if incoming else {**r, "_from": me, "_to": other}) for r, other in pairs
    ]
    kept = [item for item in items if not current or active_on(item.start_date, item.end_date)]
    return sorted(kept, key=lambda item: (item.start_date or date.min, item.id))


__all__ = ["CadrePosting", "JointBranchMembership", "Liaison", "dated_links"]
