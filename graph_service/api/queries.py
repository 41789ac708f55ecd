"""The reading half of the API (``CoreQuery``): the hierarchy, planners' compound filters, pairings and
registrations for integrations, cross-appointments, people, name search, coverage roll-ups.

Every list is a Relay connection whose filters and window go into Cypher as parameters (``cypher/api_*.cypher``);
``totalCount`` runs the matching ``*_count`` query only when asked for. LadybugDB types a null parameter as
BOOL, so "no filter" is passed as ``''``, ``0`` or ``false``, never as null.
"""

from __future__ import annotations

import asyncio
import unicodedata
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
from graph_service.domain.enums import OC_POSTS, PARTY_POSTS, NodeLabel
from graph_service.domain.enums import Post as PostEnum
from graph_service.errors import InputError, NotFoundError, PermissionDeniedError, echo
from graph_service.services.coverage import coverage_figures
from graph_service.store.port import Row

T = TypeVar("T")

#: Posts in a compound branch that count for a cross-appointment: the branch committee, not plain members.
BRANCH_POSTS = sorted(p.value for p in PARTY_POSTS if p is not PostEnum.MEMBER)
OC_POST_CODES = sorted(p.value for p in OC_POSTS)
MAX_SEARCH_TEXT = 100


def normalise(text: str) -> str:
    """Text as names are compared: NFKC (full-width to half-width), lower case, outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def _tri(flag: bool | None) -> int:
    """A gap flag as the Cypher files take it: 0 no filter, 1 must have the gap, 2 must not."""
    return 0 if flag is None else (1 if flag else 2)


def _code(value: Enum | None) -> str:
    return "" if value is None else str(value.value)


def _id(value: str | None, *types: str) -> str:
    return "" if value is None else local_id(value, types)


async def _read(info: strawberry.Info, query: str, params: dict[str, Any]) -> list[Row]:
    store = info.context.store
    return await asyncio.to_thread(store.read, query, params)


async def _page(
    info: strawberry.Info,
    query: str,
    params: dict[str, Any],
    build: Callable[[Row], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """A connection over a named query with ``$offset``/``$limit``; ``<query>_count`` gives totalCount."""
    settings = info.context.settings
    win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
    rows = await _read(info, query, {**params, "offset": win.offset, "limit": win.limit + 1})

    async def total() -> int:
        counted = await _read(info, f"{query}_count", params)
        return int(counted[0]["total"]) if counted else 0

    return from_slice([build(row) for row in rows], win, total)


def _keep(rows: list[Row] | None) -> dict[str, Any]:
    """Candidate ids from an anchored lookup as the ``$use_keep``/``$keep_ids`` parameters (``None``: no filter)."""
    return {"use_keep": rows is not None, "keep_ids": sorted({row["id"] for row in rows or ()})}


def _dates(active_on: date | None, started_after: date | None) -> dict[str, Any]:
    return {
        "use_active_on": active_on is not None,
        "active_on": active_on or date.today(),
        "use_started_after": started_after is not None,
        "started_after": started_after or date.today(),
    }


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
        default=None, description="Some building has no building Party group (楼栋未建党小组)"
    )
    buildings_without_leader: bool | None = strawberry.field(
        default=None, description="Some building has no building leader (楼栋无楼长)"
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


#: Gap flag -> (query giving compound ids, whether those ids have the gap or are the compounds without it).
GAP_QUERIES: dict[str, tuple[str, bool]] = {
    "no_branch": ("api_compound_gap_branch", False),
    "no_owners_committee": ("api_compound_gap_oc", False),
    "no_cross_appointment": ("api_compound_gap_cross", False),
    "no_station": ("api_compound_gap_station", False),
    "buildings_without_group": ("api_compound_gap_group", True),
    "buildings_without_leader": ("api_compound_gap_leader", True),
}


async def _gap_ids(info: strawberry.Info, f: CompoundFilter) -> dict[str, Any]:
    """The gap flags asked for, as the id lists the compound queries take (one store query per flag set)."""
    wanted = {name: getattr(f, name) for name in GAP_QUERIES if getattr(f, name) is not None}
    params = {"branch_posts": BRANCH_POSTS, "oc_posts": OC_POST_CODES, "today": date.today()}
    uses = {"api_compound_gap_cross": ("branch_posts", "oc_posts", "today"), "api_compound_gap_leader": ("today",)}
    results = await asyncio.gather(
        *(_read(info, GAP_QUERIES[name][0], {k: params[k] for k in uses.get(GAP_QUERIES[name][0], ())}) for name in wanted)
    )
    keep: set[str] | None = None
    drop: set[str] = set()
    for (name, has_gap), rows in zip(wanted.items(), results, strict=True):
        ids = {row["id"] for row in rows}
        ids_have_gap = GAP_QUERIES[name][1]
        if has_gap == ids_have_gap:
            keep = ids if keep is None else keep & ids
        else:
            drop |= ids
    return {"use_keep": keep is not None, "keep_ids": sorted(keep or ()), "drop_ids": sorted(drop)}


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
            raise InputError(f"id: {echo(str(id))} names no type of this API") from None
        if not issubclass(node_type, relay.Node):
            raise InputError(f"id: {echo(str(id))} names no type of this API")
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
        params = {
            "level": _code(level),
            "parent": _id(parent_id, "Area"),
            "name": normalise(name_contains or ""),
            "include_abolished": include_abolished,
        }
        return await _page(info, "api_areas", params, lambda r: Area.from_row(r["a"]), first, after)

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
        area = _id(area_id, "Area")
        candidates = await _read(info, "api_organizations_in_area", {"area": area}) if area else None
        params = {
            "kind": _code(kind),
            "unit_type": _code(unit_type),
            "name": normalise(name_contains or ""),
            "include_dissolved": include_dissolved,
            **_keep(candidates),
        }
        return await _page(info, "api_organizations", params, lambda r: Organization.from_row(r["o"]), first, after)

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
        settings = info.context.settings
        win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
        params = {
            "district": _id(f.district_id, "Area"),
            "street": _id(f.street_id, "Area"),
            "community": _id(f.community_id, "Area"),
            "kind": _code(f.kind),
            "mode": _code(f.property_mode),
            "name": normalise(f.name_contains or ""),
            "include_abolished": f.include_abolished,
            **await _gap_ids(info, f),
            "today": date.today(),
        }
        sort = {
            "order_field": order.field.value,
            "sign": -1 if order.direction is OrderDirection.DESC else 1,
            "reverse": order.direction is OrderDirection.DESC and order.field is CompoundOrderField.NAME,
        }
        rows = await _read(info, "api_compounds", {**params, **sort, "offset": win.offset, "limit": win.limit + 1})

        async def total() -> int:
            counted = await _read(info, "api_compounds_count", params)
            return int(counted[0]["total"])

        return from_slice([Area.from_row(r["c"]) for r in rows], win, total)

    @strawberry.field(
        description="Co-construction pairings (结对共建) with both organisations, dates and projects", extensions=READ_INTEGRATION
    )
    async def pairings(
        self, info: strawberry.Info, filter: PairingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Pairing]:
        f = filter or PairingFilter()
        params = {
            "unit_type": _code(f.unit_type),
            "unit": _id(f.unit_id, "Organization"),
            "community": _id(f.community_id, "Area", "Organization"),
            "district": _id(f.district_id, "Area"),
            **_dates(f.active_on, f.started_after),
        }
        return await _page(
            info, "api_pairings", params, lambda r: Pairing.from_row({**r["r"], "_from": r["u"], "_to": r["c"]}), first, after
        )

    @strawberry.field(
        description="Dual check-ins (双报到) of units' Party organisations and in-service members", extensions=READ_INTEGRATION
    )
    async def registrations(
        self, info: strawberry.Info, filter: RegistrationFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Registration]:
        f = filter or RegistrationFilter()
        kind = {None: "", RegistrantKind.UNIT: NodeLabel.ORGANIZATION.value, RegistrantKind.MEMBER: NodeLabel.PERSON.value}
        params = {
            "kind": kind[f.registrant_kind],
            "registrant": _id(f.registrant_id, "Organization", "Person"),
            "community": _id(f.community_id, "Area", "Organization"),
            "district": _id(f.district_id, "Area"),
            **_dates(f.active_on, f.started_after),
        }
        return await _page(
            info,
            "api_registrations",
            params,
            lambda r: Registration.from_row({**r["r"], "_from": r["x"], "_to": r["c"]}),
            first,
            after,
        )

    @strawberry.field(description="Cross-appointments (交叉任职) in the compounds of an area (or everywhere)", extensions=READ)
    async def cross_appointments(
        self, info: strawberry.Info, area_id: str | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[CrossAppointment]:
        area = _id(area_id, "Area")
        params: dict[str, Any] = {"branch_posts": BRANCH_POSTS, "oc_posts": OC_POST_CODES, "today": date.today()}
        query = "api_cross_appointments"
        if area:
            rows = await _read(info, "api_compounds_in_area", {"area": area})
            params["compound_ids"] = sorted(row["id"] for row in rows)
            query = "api_cross_appointments_in"

        def build(r: Row) -> CrossAppointment:
            return CrossAppointment(
                compound=Area.from_row(r["c"]),
                person=Person.from_row(r["p"]),
                branch_membership=_membership(r["m1"], r["p"], r["b"]),
                owners_committee_membership=_membership(r["m2"], r["p"], r["o"]),
            )

        return await _page(info, query, params, build, first, after)

    @strawberry.field(description="People (人员) with their posts over time; filter by post, organisation, area", extensions=READ)
    async def people(
        self, info: strawberry.Info, filter: PersonFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Person]:
        f = filter or PersonFilter()
        if f.name_contains and not info.context.may_see_personal:
            raise PermissionDeniedError(
                f"filter.nameContains: names are personal data; role {info.context.principal.role.value} may not search them"
            )
        today = date.today()
        organization, post, area = _id(f.organization_id, "Organization"), _code(f.post), _id(f.area_id, "Area")
        lookups = []
        if organization:
            lookups.append(
                _read(
                    info,
                    "api_people_in_organization",
                    {"organization": organization, "post": post, "current": f.current_posts_only, "today": today},
                )
            )
        elif post:
            lookups.append(_read(info, "api_people_with_post", {"post": post, "current": f.current_posts_only, "today": today}))
        if area:
            lookups.append(_read(info, "api_people_in_area", {"area": area}))
        keep: set[str] | None = None
        for rows in await asyncio.gather(*lookups):
            ids = {row["id"] for row in rows}
            keep = ids if keep is None else keep & ids
        params = {
            "name": normalise(f.name_contains or ""),
            "employment": _code(f.employment),
            "party": _tri(f.is_party_member),
            "include_left": f.include_left,
            "use_keep": keep is not None,
            "keep_ids": sorted(keep or ()),
        }
        return await _page(info, "api_people", params, lambda r: Person.from_row(r["p"]), first, after)

    @strawberry.field(
        description="Names containing a text (名称检索) across areas, organisations, projects and, for roles that may read "
        "names, people; case- and width-insensitive",
        extensions=READ,
    )
    async def search(
        self, info: strawberry.Info, text: str, first: int | None = None, after: str | None = None
    ) -> Connection[SearchHit]:
        needle = normalise(text)
        if not needle or len(needle) > MAX_SEARCH_TEXT:
            raise InputError(f"text: {echo(text)} must have 1 to {MAX_SEARCH_TEXT} characters")
        settings = info.context.settings
        win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
        people = info.context.may_see_personal
        params = {"text": needle, "people": people}
        rows = await _read(info, "api_search", {**params, "limit": win.offset + win.limit + 1})
        rows.sort(key=lambda r: (str(r["name"] or ""), r["label"], r["id"]))
        rows = rows[win.offset : win.offset + win.limit + 1]
        builders: dict[str, Callable[[Row], Any]] = {
            "Area": Area.from_row,
            "Organization": Organization.from_row,
            "Project": Project.from_row,
            "Person": Person.from_row,
        }
        by_label: dict[str, list[str]] = {}
        for r in rows:
            by_label.setdefault(r["label"], []).append(r["id"])
        loaded: dict[tuple[str, str], Row] = {}
        loaders = info.context.loaders
        results = await asyncio.gather(*(loaders.node(label).load_many(ids) for label, ids in by_label.items()))
        for (label, ids), nodes in zip(by_label.items(), results, strict=True):
            for node_id, node in zip(ids, nodes, strict=True):
                if node is not None:
                    loaded[(label, node_id)] = node
        hits = [
            SearchHit(label=r["label"], name=r["name"], node=builders[r["label"]](loaded[(r["label"], r["id"])]))
            for r in rows
            if (r["label"], r["id"]) in loaded
        ]

        async def total() -> int:
            counted = await _read(info, "api_search_count", params)
            return sum(int(r["total"]) for r in counted)

        return from_slice(hits, win, total)

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
        figures = await asyncio.to_thread(coverage_figures, info.context.store, key)
        return coverage_from(Area.from_row(row), figures)


__all__ = ["CompoundFilter", "CoreQuery", "PairingFilter", "PersonFilter", "RegistrationFilter", "normalise"]
