"""Areas (区域): city, district/county, street, community, compound (= grid), building."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry import relay

from graph_service.api.ahead import children_page, loads_hierarchy, loads_linked
from graph_service.api.common import (
    NODE_DOMAIN_ID,
    AreaLevel,
    CompoundKind,
    Held,
    Labeled,
    PropertyMode,
    SunkRole,
    active_field,
    domain_id_field,
    labeled,
    link_loader,
    linked,
    linked_one,
    load_node,
    load_nodes,
)
from graph_service.api.ends import as_organization, as_person
from graph_service.api.field_readers import reads
from graph_service.api.pagination import Connection
from graph_service.api.refs import (
    AREA,
    ORG,
    PERSON,
    AreaRef,
    CadrePostingRef,
    LiaisonRef,
    OrganizationRef,
    PersonRef,
    SinkingRef,
)
from graph_service.domain import enums
from graph_service.domain.enums import RelType

if TYPE_CHECKING:
    from graph_service.api.loaders import Pair
    from graph_service.api.organizations.types import Organization


def _area(row: dict[str, Any]) -> Area:
    return Area.from_row(row)


_PARENT = linked_one(RelType.PART_OF.value, AREA, AREA, _area)
_CHILDREN = children_page(RelType.PART_OF.value, AREA, "level", _area)
_CHAIN = Held(
    lambda info: info.context.loaders.chain(RelType.PART_OF.value, AREA), lambda _, __, rows: [_area(row) for row in rows]
)
_LED_BY = linked(RelType.LEADS.value, ORG, AREA, as_organization, incoming=True)
_SERVED_BY = linked(RelType.SERVES.value, ORG, AREA, as_organization, incoming=True)
_COVERED_BY = linked(RelType.COVERS.value, ORG, AREA, as_organization, incoming=True)
_LOCATED = linked(RelType.LOCATED_IN.value, ORG, AREA, as_organization, incoming=True)


def _sunk_staff(_: strawberry.Info, area: Area, pairs: list[Pair]) -> list[Sinking]:
    """A compound's sinkings from its incoming SUNK_TO relationships and their people, in the links' order."""
    return [Sinking.from_row({**rel, "_from": node, "_to": area.id}) for rel, node in pairs]


_SUNK_STAFF = Held(lambda info: link_loader(info, RelType.SUNK_TO.value, PERSON, AREA, incoming=True), _sunk_staff)


@strawberry.type(
    description="An area (区域): city 市, district/county 县区, street 街道, community 社区, compound/grid 小区(网格), "
    "building/courtyard 楼栋/院落. Areas nest by PART_OF up to the city."
)
class Area(relay.Node):
    id: relay.NodeID[str]
    level: Labeled[AreaLevel] = strawberry.field(description="Level in the area hierarchy (层级)")
    name: str = strawberry.field(description="Name as used locally (名称)")
    code: str | None = strawberry.field(description="Administrative or grid code (编码)")
    compound_kind: Labeled[CompoundKind] | None = strawberry.field(description="Kind of compound, compounds only (小区类型)")
    households: int | None = strawberry.field(description="Households living in the area (户数)")
    resident_population: int | None = strawberry.field(description="Resident population (常住人口)")
    urban_population: int | None = strawberry.field(description="Urban resident population (城镇常住人口)")
    platform_people_served: int | None = strawberry.field(description="People served by the 党建+ platform (平台服务人数)")
    abolished: date | None = strawberry.field(
        description="Date the area was abolished or merged (撤销日期); null while it exists"
    )

    domain_id = domain_id_field(NODE_DOMAIN_ID)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            level=labeled(enums.AreaLevel, row.get("level")),  # type: ignore[arg-type]
            name=row.get("name") or "",
            code=row.get("code"),
            compound_kind=labeled(enums.CompoundKind, row.get("compound_kind")),
            households=row.get("households"),
            resident_population=row.get("resident_population"),
            urban_population=row.get("urban_population"),
            platform_people_served=row.get("platform_people_served"),
            abolished=row.get("abolished"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, AREA, node_ids, cls.from_row)

    @strawberry.field(description="The area this one lies in (上级区域); null for the city", graphql_type=AreaRef | None)
    @reads(_PARENT)
    def parent(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _PARENT.resolve(self, info)

    @strawberry.field(description="The areas directly inside this one (下级区域), by name", graphql_type=Connection[AreaRef])
    @reads(_CHILDREN)
    def children(
        self, info: strawberry.Info, level: AreaLevel | None = None, first: int | None = None, after: str | None = None
    ) -> AwaitableOrValue[Connection[Area]]:
        return _CHILDREN.resolve(self, info, level=level, first=first, after=after)

    @strawberry.field(
        description="Every area above this one, nearest first, ending with the city (上级区域链)", graphql_type=list[AreaRef]
    )
    @reads(_CHAIN)
    def chain(self, info: strawberry.Info) -> AwaitableOrValue[list[Area]]:
        return _CHAIN.resolve(self, info)

    @strawberry.field(
        description="Party organisations and leadership groups leading this area (领导本区域的组织)",
        graphql_type=list[OrganizationRef],
    )
    @reads(_LED_BY)
    def led_by(self, info: strawberry.Info) -> AwaitableOrValue[list[Organization]]:
        return _LED_BY.resolve(self, info)

    @strawberry.field(
        description="Service centres and stations serving this area (服务本区域的党群服务中心/站)",
        graphql_type=list[OrganizationRef],
    )
    @reads(_SERVED_BY)
    def served_by(self, info: strawberry.Info) -> AwaitableOrValue[list[Organization]]:
        return _SERVED_BY.resolve(self, info)

    @strawberry.field(
        description="Building Party groups covering this building (覆盖本楼栋的党小组)", graphql_type=list[OrganizationRef]
    )
    @reads(_COVERED_BY)
    def covered_by(self, info: strawberry.Info) -> AwaitableOrValue[list[Organization]]:
        return _COVERED_BY.resolve(self, info)

    @strawberry.field(
        description="Organisations sitting in this area: owners' committees, units, stations (位于本区域的组织)",
        graphql_type=list[OrganizationRef],
    )
    @reads(_LOCATED)
    def organizations_located(self, info: strawberry.Info) -> AwaitableOrValue[list[Organization]]:
        return _LOCATED.resolve(self, info)

    @strawberry.field(description="Property management of this compound over time (物业管理)")
    async def property_management(self, info: strawberry.Info) -> list[PropertyManagement]:
        pairs = await info.context.loaders.into(RelType.MANAGES.value, ORG, AREA).load(self.id)
        return [PropertyManagement.from_row({**rel, "_from": node, "_to": self.id}) for rel, node in pairs]

    @strawberry.field(
        description="Community staff sunk to this compound (下沉力量), current and past", graphql_type=list[SinkingRef]
    )
    @reads(_SUNK_STAFF)
    def sunk_staff(self, info: strawberry.Info) -> AwaitableOrValue[list[Sinking]]:
        return _SUNK_STAFF.resolve(self, info)

    @strawberry.field(
        description="For a community: cadres of agencies and enterprises sent down to serve it (下沉干部), oldest first; "
        "`current: true` for those in force today"
    )
    async def sent_down_cadres(self, info: strawberry.Info, current: bool = False) -> list[CadrePostingRef]:
        from graph_service.api.support.types import CadrePosting, dated_links

        sent = RelType.SENT_DOWN_TO.value
        return await dated_links(info, CadrePosting, sent, (PERSON, AREA), self.id, incoming=True, current=current)

    @strawberry.field(
        description="For a community: deputies and committee members serving it (人大代表、政协委员联系社区), oldest first; "
        "`current: true` for those in force today"
    )
    async def deputies(self, info: strawberry.Info, current: bool = False) -> list[LiaisonRef]:
        from graph_service.api.support.types import Liaison, dated_links

        serves = RelType.LIAISES_WITH.value
        return await dated_links(info, Liaison, serves, (PERSON, AREA), self.id, incoming=True, current=current)


loads_hierarchy(Area, RelType.PART_OF.value, AREA)
for _field, _rel in (("ledBy", RelType.LEADS), ("servedBy", RelType.SERVES), ("coveredBy", RelType.COVERS)):
    loads_linked(Area, _field, _rel.value, ORG, AREA, incoming=True)
loads_linked(Area, "organizationsLocated", RelType.LOCATED_IN.value, ORG, AREA, incoming=True)
loads_linked(Area, "sunkStaff", RelType.SUNK_TO.value, PERSON, AREA, incoming=True)


@strawberry.type(description="A property company managing a compound (物业管理): mode, dates, fee collection")
class PropertyManagement:
    mode: Labeled[PropertyMode] | None = strawberry.field(description="Management mode (管理模式)")
    start_date: date | None
    end_date: date | None
    fee_collection_rate: float | None = strawberry.field(description="Share of fees collected, 0-1 (物业费收缴率)")
    serve_first: bool | None = strawberry.field(description="Serve first, charge later (先服务、后收费)")
    _company: strawberry.Private[dict[str, Any]]
    _area_id: strawberry.Private[str]

    active = active_field()

    @strawberry.field(description="The property company (物业企业)")
    def company(self) -> OrganizationRef:
        return as_organization(self._company)

    @strawberry.field(description="The compound managed")
    async def area(self, info: strawberry.Info) -> Area | None:
        return await load_node(info, AREA, self._area_id, Area.from_row)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the MANAGES properties, with ``_from`` the company's node and ``_to`` the area id."""
        return cls(
            mode=labeled(enums.PropertyMode, row.get("mode")),
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            fee_collection_rate=row.get("fee_collection_rate"),
            serve_first=row.get("serve_first"),
            _company=row["_from"],
            _area_id=row["_to"] if isinstance(row["_to"], str) else row["_to"]["id"],
        )


@strawberry.type(description="Community staff assigned (sunk) to a compound (下沉): who, in what role, when")
class Sinking:
    role: Labeled[SunkRole] | None = strawberry.field(description="Role sunk as (下沉身份)")
    start_date: date | None
    end_date: date | None
    _person: strawberry.Private[dict[str, Any]]
    _area_id: strawberry.Private[str]

    active = active_field()

    @strawberry.field(description="The person sunk")
    def person(self) -> PersonRef:
        return as_person(self._person)

    @strawberry.field(description="The compound")
    async def area(self, info: strawberry.Info) -> Area | None:
        return await load_node(info, AREA, self._area_id, Area.from_row)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the SUNK_TO properties, with ``_from`` the person's node and ``_to`` the area (node or id)."""
        return cls(
            role=labeled(enums.SunkRole, row.get("role")),
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            _person=row["_from"],
            _area_id=row["_to"] if isinstance(row["_to"], str) else row["_to"]["id"],
        )


__all__ = ["Area", "PropertyManagement", "Sinking"]
