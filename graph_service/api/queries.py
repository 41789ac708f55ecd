"""The reading half of the API (``CoreQuery``): the hierarchy, planners' compound filters, pairings and
registrations for integrations, cross-appointments, people, name search, coverage roll-ups.

Every list is a Relay connection whose filters and window go into Cypher as parameters (``cypher/api_*.cypher``);
``totalCount`` runs the matching ``*_count`` query only when asked for. LadybugDB types a null parameter as
BOOL, so "no filter" is passed as ``''``, ``0`` or ``false``, never as null.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from graph_service.api.pagination import Connection, from_slice, window
from graph_service.api.permissions import READERS, READERS_AND_INTEGRATIONS, allow
from graph_service.api.types.areas import Area
from graph_service.api.types.common import (
    AreaLevel,
    CompoundKind,
    Employment,
    OrgKind,
    Post,
    PropertyMode,
    UnitType,
    load_node,
    local_id,
)
from graph_service.api.types.coverage import Coverage, coverage_from
from graph_service.api.types.organizations import Organization
from graph_service.api.types.people import Membership, Person
from graph_service.api.types.projects import Project
from graph_service.api.types.relations import Pairing, RegistrantKind, Registration
from graph_service.bootstrap import Services
from graph_service.domain.enums import NodeLabel
from graph_service.domain.enums import Post as PostEnum
from graph_service.domain.standards import CoverageGap
from graph_service.errors import GraphServiceError, NotFoundError, PermissionDeniedError
from graph_service.services import areas, organizations, people, relations
from graph_service.services.paging import Page
from graph_service.services.paging import Window as ServiceWindow
from graph_service.services.workers import in_worker
from graph_service.store.port import Row

T = TypeVar("T")
R = TypeVar("R")


class InputError(GraphServiceError):
    """An argument the API cannot use; the message names the argument and the value."""


def _code(value: Enum | None) -> str:
    return "" if value is None else str(value.value)


def _id(value: str | None, *types: str) -> str | None:
    return None if value is None else local_id(value, types)


def _services(info: strawberry.Info) -> Services:
    services: Services = info.context.services
    return services


def _window(info: strawberry.Info, first: int | None, after: str | None) -> ServiceWindow:
    settings = info.context.settings
    win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
    return ServiceWindow(win.offset, win.limit)


async def _connection(
    info: strawberry.Info, read: Callable[[ServiceWindow], Page[R]], build: Callable[[R], T], first: int | None, after: str | None
) -> Connection[T]:
    """Run ``read`` for the window ``first``/``after`` asks for in a worker thread; its total only when asked."""
    win = _window(info, first, after)
    page = await in_worker(read, win)

    async def total() -> int:
        return await in_worker(page.total)

    return from_slice([build(item) for item in page.items], win, total, has_more=page.has_more)  # type: ignore[arg-type]


@strawberry.enum(description="What to sort compounds by")
class CompoundOrderField(Enum):
    NAME = "name"
    HOUSEHOLDS = "households"


@strawberry.enum(description="Sort direction")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="Sort order of compounds (default: by name, ascending; ties by id)")
class CompoundOrder:
    field: CompoundOrderField = CompoundOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(
    description="Filters a planner needs on compounds (小区). Area arguments take a domainId or a global id. A gap flag "
    "`true` keeps only compounds with that gap, `false` only those without it, null ignores it."
)
class CompoundFilter:
    district_id: str | None = strawberry.field(default=None, description="Compounds in this district/county (县区)")
    street_id: str | None = strawberry.field(default=None, description="Compounds in this street (街道)")
    community_id: str | None = strawberry.field(default=None, description="Compounds in this community (社区)")
    kind: CompoundKind | None = strawberry.field(default=None, description="Kind of compound (小区类型)")
    property_mode: PropertyMode | None = strawberry.field(default=None, description="Current property management mode (物业模式)")
    name_contains: str | None = strawberry.field(default=None, description="Part of the name")
    no_branch: bool | None = strawberry.field(default=None, description="No compound Party branch leads it (无小区党支部)")
    no_owners_committee: bool | None = strawberry.field(default=None, description="No owners' committee (无业委会)")
    no_cross_appointment: bool | None = strawberry.field(
        default=None, description="No one holds a post in both its branch and its OC (无交叉任职)"
    )
    no_station: bool | None = strawberry.field(default=None, description="No service station serves it (无党群服务站)")
    buildings_without_group: bool | None = strawberry.field(
        default=None,
        description="The coverage gap 楼栋未建党小组: more than the allowed share (GRAPH_SERVICE_ANALYSIS_MAX_SHARE_"
        "BUILDINGS_WITHOUT_GROUP, default half) of its buildings have no building Party group, as the analyses count it",
    )
    buildings_without_leader: bool | None = strawberry.field(
        default=None,
        description="The coverage gap 楼栋无楼长: more than the allowed share (GRAPH_SERVICE_ANALYSIS_MAX_SHARE_"
        "BUILDINGS_WITHOUT_LEADER, default half) of its buildings have no building leader living in them",
    )
    some_building_without_group: bool | None = strawberry.field(
        default=None, description="At least one of its buildings has no building Party group (有楼栋未建党小组)"
    )
    some_building_without_leader: bool | None = strawberry.field(
        default=None, description="At least one of its buildings has no building leader living in it (有楼栋无楼长)"
    )
    include_abolished: bool = strawberry.field(default=False, description="Also abolished compounds")


@strawberry.input(description="Filters on co-construction pairings (结对共建)")
class PairingFilter:
    unit_type: UnitType | None = strawberry.field(default=None, description="Type of the unit (单位类型)")
    unit_id: str | None = strawberry.field(default=None, description="The unit's Party organisation")
    community_id: str | None = strawberry.field(
        default=None, description="The community (社区, area) or its community Party committee (organisation)"
    )
    district_id: str | None = strawberry.field(default=None, description="Communities in this district/county")
    active_on: date | None = strawberry.field(default=None, description="In force on this day")
    started_after: date | None = strawberry.field(default=None, description="Started after this day")


@strawberry.input(description="Filters on dual check-ins (双报到)")
class RegistrationFilter:
    registrant_kind: RegistrantKind | None = strawberry.field(default=None, description="Units or in-service members")
    registrant_id: str | None = strawberry.field(default=None, description="The unit's Party organisation or the member")
    community_id: str | None = strawberry.field(
        default=None, description="The community (社区, area) or its community Party committee (organisation)"
    )
    district_id: str | None = strawberry.field(default=None, description="Communities in this district/county")
    active_on: date | None = strawberry.field(default=None, description="In force on this day")
    started_after: date | None = strawberry.field(default=None, description="Registered after this day")


@strawberry.input(description="Filters on people (人员). Filtering by name needs a role that may read names")
class PersonFilter:
    name_contains: str | None = strawberry.field(default=None, description="Part of the name (personal data)")
    post: Post | None = strawberry.field(default=None, description="Holds (or held) this post")
    organization_id: str | None = strawberry.field(default=None, description="Holds (or held) a post in this organisation")
    current_posts_only: bool = strawberry.field(default=True, description="Only posts in force today count for post/organisation")
    area_id: str | None = strawberry.field(default=None, description="Lives in this area or below it")
    is_party_member: bool | None = strawberry.field(default=None, description="Party members only (true) or others (false)")
    employment: Employment | None = strawberry.field(default=None, description="Employment status")
    include_left: bool = strawberry.field(default=False, description="Also people who left")


@strawberry.type(
    description="A cross-appointment (交叉任职): one person with a post in a compound's Party branch and in its owners' committee"
)
class CrossAppointment:
    compound: Area = strawberry.field(description="The compound (小区)")
    person: Person = strawberry.field(description="Who holds both posts")
    branch_membership: Membership = strawberry.field(description="The post in the compound Party branch (党支部)")
    owners_committee_membership: Membership = strawberry.field(description="The post in the owners' committee (业委会)")

    @strawberry.field(description="The branch secretary is also the OC director: a 'mature' compound (成熟小区)")
    def mature(self) -> bool:
        return (
            self.branch_membership.post.code is PostEnum.SECRETARY
            and self.owners_committee_membership.post.code is PostEnum.OC_DIRECTOR
        )


SearchNode = Annotated[
    Area | Organization | Project | Person, strawberry.union("SearchNode", description="What a name search can find")
]


@strawberry.type(description="A name that matched a search")
class SearchHit:
    label: str = strawberry.field(description="Area, Organization, Project or Person")
    name: str | None = strawberry.field(description="The matched name (null for people when personal data is not allowed)")
    node: SearchNode


def _membership(rel: Row, person: Row, org: Row) -> Membership:
    return Membership.from_row({**rel, "_from": person, "_to": org})


#: The compound filter's gap flags and the coverage gap each one asks about.
GAP_FLAGS: dict[str, CoverageGap] = {
    "no_branch": CoverageGap.NO_BRANCH,
    "no_owners_committee": CoverageGap.NO_OWNERS_COMMITTEE,
    "no_cross_appointment": CoverageGap.NO_CROSS_APPOINTMENT,
    "no_station": CoverageGap.NO_STATION,
    "buildings_without_group": CoverageGap.BUILDINGS_WITHOUT_GROUP,
    "buildings_without_leader": CoverageGap.BUILDINGS_WITHOUT_LEADER,
}


READ = allow(*READERS)
READ_INTEGRATION = allow(*READERS_AND_INTEGRATIONS)


@strawberry.type
class CoreQuery:
    # A resolver of our own rather than relay.node(): that one mutates the shared field when a schema is built,
    # so a process could build only one schema (tests build several, with different limits).
    @strawberry.field(
        description="Any object by its global id (Relay): areas, organisations, people, memberships, pairings, ...",
        extensions=READ_INTEGRATION,
    )
    async def node(self, info: strawberry.Info, id: relay.GlobalID) -> relay.Node | None:
        try:
            node_type = id.resolve_type(info)
        except (ValueError, TypeError):
            raise InputError(f"id: {id} names no type of this API") from None
        if not issubclass(node_type, relay.Node):
            raise InputError(f"id: {id} names no type of this API")
        result: relay.Node | None = await id.resolve_node(info, required=False)
        return result

    @strawberry.field(description="One area by domainId or global id", extensions=READ)
    async def area(self, info: strawberry.Info, id: str) -> Area | None:
        return await load_node(info, NodeLabel.AREA.value, local_id(id, ("Area",)), Area.from_row)

    @strawberry.field(description="One organisation by domainId or global id", extensions=READ_INTEGRATION)
    async def organization(self, info: strawberry.Info, id: str) -> Organization | None:
        return await load_node(info, NodeLabel.ORGANIZATION.value, local_id(id, ("Organization",)), Organization.from_row)

    @strawberry.field(description="One person by domainId or global id", extensions=READ)
    async def person(self, info: strawberry.Info, id: str) -> Person | None:
        return await load_node(info, NodeLabel.PERSON.value, local_id(id, ("Person",)), Person.from_row)

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
        f = areas.AreaFilter(level, _id(parent_id, "Area"), name_contains, include_abolished)
        return await _connection(info, lambda w: _services(info).areas.areas(f, w), Area.from_row, first, after)

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
        f = organizations.OrganizationFilter(kind, unit_type, _id(area_id, "Area"), name_contains, include_dissolved)
        reader = _services(info).organizations
        return await _connection(info, lambda w: reader.organizations(f, w), Organization.from_row, first, after)

    @strawberry.field(description="Compounds (小区) filtered by area, kind, property mode and coverage gaps", extensions=READ)
    async def compounds(
        self,
        info: strawberry.Info,
        filter: CompoundFilter | None = None,
        order_by: CompoundOrder | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Area]:
        f = filter or CompoundFilter()
        order = order_by or CompoundOrder()
        wanted = areas.CompoundFilter(
            district_id=_id(f.district_id, "Area"),
            street_id=_id(f.street_id, "Area"),
            community_id=_id(f.community_id, "Area"),
            kind=f.kind,
            property_mode=f.property_mode,
            name_contains=f.name_contains,
            gaps={gap: getattr(f, flag) for flag, gap in GAP_FLAGS.items() if getattr(f, flag) is not None},
            some_building_without_group=f.some_building_without_group,
            some_building_without_leader=f.some_building_without_leader,
            include_abolished=f.include_abolished,
        )
        sort = areas.CompoundOrder(areas.CompoundOrderField(order.field.value), order.direction is OrderDirection.DESC)
        reader = _services(info).areas
        return await _connection(info, lambda w: reader.compounds(wanted, sort, w), Area.from_row, first, after)

    @strawberry.field(
        description="Co-construction pairings (结对共建) with both organisations, dates and projects", extensions=READ_INTEGRATION
    )
    async def pairings(
        self, info: strawberry.Info, filter: PairingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Pairing]:
        f = filter or PairingFilter()
        wanted = relations.PairingFilter(
            source_id=_id(f.unit_id, "Organization"),
            community_id=_id(f.community_id, "Area", "Organization"),
            district_id=_id(f.district_id, "Area"),
            active_on=f.active_on,
            started_after=f.started_after,
            unit_type=f.unit_type,
        )
        reader = _services(info).relations
        return await _connection(info, lambda w: reader.pairings(wanted, w), _link(Pairing), first, after)

    @strawberry.field(
        description="Dual check-ins (双报到) of units' Party organisations and in-service members", extensions=READ_INTEGRATION
    )
    async def registrations(
        self, info: strawberry.Info, filter: RegistrationFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Registration]:
        f = filter or RegistrationFilter()
        label = {None: None, RegistrantKind.UNIT: NodeLabel.ORGANIZATION, RegistrantKind.MEMBER: NodeLabel.PERSON}
        wanted = relations.RegistrationFilter(
            source_id=_id(f.registrant_id, "Organization", "Person"),
            community_id=_id(f.community_id, "Area", "Organization"),
            district_id=_id(f.district_id, "Area"),
            active_on=f.active_on,
            started_after=f.started_after,
            registrant_label=label[f.registrant_kind],
        )
        reader = _services(info).relations
        return await _connection(info, lambda w: reader.registrations(wanted, w), _link(Registration), first, after)

    @strawberry.field(description="Cross-appointments (交叉任职) in the compounds of an area (or everywhere)", extensions=READ)
    async def cross_appointments(
        self, info: strawberry.Info, area_id: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[CrossAppointment]:
        area = _id(area_id, "Area")

        def build(r: relations.CrossAppointment) -> CrossAppointment:
            return CrossAppointment(
                compound=Area.from_row(r.compound),
                person=Person.from_row(r.person),
                branch_membership=_membership(r.branch_post, r.person, r.branch),
                owners_committee_membership=_membership(r.owners_committee_post, r.person, r.owners_committee),
            )

        reader = _services(info).relations
        return await _connection(info, lambda w: reader.cross_appointments(area, w), build, first, after)

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
            organization_id=_id(f.organization_id, "Organization"),
            current_posts_only=f.current_posts_only,
            area_id=_id(f.area_id, "Area"),
            is_party_member=f.is_party_member,
            employment=f.employment,
            include_left=f.include_left,
        )
        reader = _services(info).people
        return await _connection(info, lambda w: reader.people(wanted, w), Person.from_row, first, after)

    @strawberry.field(
        description="Names containing a text (名称检索) across areas, organisations, projects and, for roles that may read "
        "names, people; case- and width-insensitive",
        extensions=READ,
    )
    async def search(
        self, info: strawberry.Info, text: str, first: int | None = None, after: str | None = None
    ) -> Connection[SearchHit]:
        win = _window(info, first, after)
        reader = _services(info).search
        page = await in_worker(reader.names, text, win, people=info.context.may_see_personal)
        builders: dict[str, Callable[[Row], Any]] = {
            "Area": Area.from_row,
            "Organization": Organization.from_row,
            "Project": Project.from_row,
            "Person": Person.from_row,
        }
        by_label: dict[str, list[str]] = {}
        for hit in page.items:
            by_label.setdefault(hit.label, []).append(hit.id)
        loaders = info.context.loaders
        results = await asyncio.gather(*(loaders.node(label).load_many(ids) for label, ids in by_label.items()))
        loaded: dict[tuple[str, str], Row] = {}
        for (label, ids), nodes in zip(by_label.items(), results, strict=True):
            for node_id, node in zip(ids, nodes, strict=True):
                if node is not None:
                    loaded[(label, node_id)] = node
        hits = [
            SearchHit(label=h.label, name=h.name, node=builders[h.label](loaded[(h.label, h.id)]))
            for h in page.items
            if (h.label, h.id) in loaded
        ]

        async def total() -> int:
            return await in_worker(page.total)

        return from_slice(hits, win, total, has_more=page.has_more)  # type: ignore[arg-type]

    @strawberry.field(
        description="Coverage of the organisational system in any area (覆盖情况): DOMAIN.md's counts and rates rolled up "
        "from its compounds; for the Heze city at scale 1 they equal the published figures",
        extensions=READ,
    )
    async def coverage(self, info: strawberry.Info, area_id: str) -> Coverage:
        key = local_id(area_id, ("Area",))
        row = await info.context.loaders.node(NodeLabel.AREA.value).load(key)
        if row is None:
            raise NotFoundError(f"areaId: no area {area_id!r}")
        figures = await in_worker(_services(info).coverage.figures, key)
        return coverage_from(Area.from_row(row), figures)


def _link(cls: Any) -> Callable[[relations.Link], Any]:
    def build(link: relations.Link) -> Any:
        return cls.from_row({**link.rel, "_from": link.source, "_to": link.target})

    return build


__all__ = ["CompoundFilter", "CoreQuery", "PairingFilter", "PersonFilter", "RegistrationFilter"]
