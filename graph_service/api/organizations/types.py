"""Organisations (组织): the five-level Party system, owners' committees, property companies, units and their Party
organisations, service centres and stations, warm stations, volunteer teams, leadership and working groups."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry import relay

from graph_service.api.ahead import children_page, loads_hierarchy, loads_linked
from graph_service.api.common import (
    NODE_DOMAIN_ID,
    ActivityKind,
    FiveHave,
    Held,
    Labeled,
    OrgKind,
    Post,
    UnitType,
    WorkingGroupTopic,
    active_on,
    domain_id_field,
    labeled,
    labeled_list,
    link_loader,
    linked,
    linked_nodes,
    linked_one,
    load_nodes,
    page,
    stub,
)
from graph_service.api.ends import as_area
from graph_service.api.field_readers import reads
from graph_service.api.pagination import Connection
from graph_service.api.permissions import STAFF, allow
from graph_service.api.refs import (
    ACTIVITY,
    AREA,
    ORG,
    PERSON,
    PROJECT,
    ActivityRef,
    AreaRef,
    JointBranchMembershipRef,
    MembershipRef,
    OrganizationRef,
    PairingRef,
    ProjectRef,
    RegistrationRef,
)
from graph_service.domain import enums
from graph_service.domain.enums import RelType
from graph_service.services.activities import check_days, held_between

if TYPE_CHECKING:
    from graph_service.api.areas.types import Area
    from graph_service.api.loaders import Pair
    from graph_service.api.people.types import Membership


def _organization(row: dict[str, Any]) -> Organization:
    return Organization.from_row(row)


_PARENT = linked_one(RelType.SUB_ORG_OF.value, ORG, ORG, _organization)
_CHILDREN = children_page(RelType.SUB_ORG_OF.value, ORG, "kind", _organization)
_CHAIN = Held(
    lambda info: info.context.loaders.chain(RelType.SUB_ORG_OF.value, ORG),
    lambda _, __, rows: [_organization(row) for row in rows],
)
_LEADS = linked(RelType.LEADS.value, ORG, AREA, as_area)
_COVERS = linked(RelType.COVERS.value, ORG, AREA, as_area)
_SERVES = linked(RelType.SERVES.value, ORG, AREA, as_area)
_LOCATED_IN = linked_one(RelType.LOCATED_IN.value, ORG, AREA, as_area)


def _memberships(
    info: strawberry.Info,
    org: Organization,
    pairs: list[Pair],
    current: bool = True,
    post: Post | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Membership]:
    """A page of the posts in an organisation from its incoming MEMBER_OF relationships and their people, by
    start date then id; ``current``: those in force today; ``post``: of that post only."""
    from graph_service.api.people.types import Membership

    held = [
        (rel, person)
        for rel, person in pairs
        if (post is None or rel.get("post") == post.value)
        and (not current or active_on(rel.get("start_date"), rel.get("end_date")))
    ]
    held.sort(key=lambda pair: (pair[0].get("start_date") or date.min, pair[0]["id"]))
    return page(info, held, first, after, lambda pair: Membership.from_row({**pair[0], "_from": pair[1], "_to": org.id}))


_MEMBERSHIPS = Held(lambda info: link_loader(info, RelType.MEMBER_OF.value, PERSON, ORG, incoming=True), _memberships)


@strawberry.type(
    description="An organisation (组织): street Party working committee 街道党工委, community Party committee 社区党委, "
    "compound Party branch 小区党支部, building Party group 楼栋党小组, central household 党员中心户, owners' committee 业委会, "
    "property company 物业企业, unit 驻区单位 and its Party organisation 单位党组织, service centre/station 党群服务中心/站, "
    "warm station 暖心驿站, volunteer team 志愿服务队, leadership group 领导小组, working group 专项工作组, joint Party "
    "branch 联合党支部, secretary studio 书记工作室, reserve pool 后备干部库(雏雁)."
)
class Organization(relay.Node):
    id: relay.NodeID[str]
    kind: Labeled[OrgKind] = strawberry.field(description="What sort of organisation (组织类型)")
    name: str = strawberry.field(description="Name (名称)")
    unit_type: Labeled[UnitType] | None = strawberry.field(
        description="Type of unit, for units and their Party organisations (单位类型)"
    )
    founded: date | None = strawberry.field(description="Founding date (成立日期)")
    dissolved: date | None = strawberry.field(description="Dissolution date (撤销日期); null while active")
    has_plaque: bool | None = strawberry.field(description="Hangs a plaque and works as a real office (挂牌办公、实体化运行)")
    five_haves: list[Labeled[FiveHave]] = strawberry.field(description="Five-haves items met (五有)")
    capacity: int | None = strawberry.field(description="Communities a unit's Party organisation can support (结对能力)")
    problems_solved: int | None = strawberry.field(description="Residents' problems solved, volunteer teams (解决群众问题数)")
    topic: Labeled[WorkingGroupTopic] | None = strawberry.field(description="Topic of a special working group (专项工作组)")
    households_served: int | None = strawberry.field(description="Households a central household serves (联系户数)")
    term_start: date | None = strawberry.field(description="First day of the current committee's term (本届任期开始)")
    term_years: int | None = strawberry.field(
        description="Length of a term in years (任期); null: the regulation's, 5 for community and compound organisations, 3 "
        "for others"
    )
    _flags: strawberry.Private[list[str]]
    _flag_evidence: strawberry.Private[str | None]

    domain_id = domain_id_field(NODE_DOMAIN_ID)

    @strawberry.field(
        description="Weakness criteria recorded by staff (软弱涣散 official items 3, 5-8); staff only",
        extensions=allow(*STAFF),
    )
    def flags(self) -> list[str] | None:
        return list(self._flags)

    @strawberry.field(description="Evidence for the recorded flags (证据); staff only", extensions=allow(*STAFF))
    def flag_evidence(self) -> str | None:
        return self._flag_evidence

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            kind=labeled(enums.OrgKind, row.get("kind")),  # type: ignore[arg-type]
            name=row.get("name") or "",
            unit_type=labeled(enums.UnitType, row.get("unit_type")),
            founded=row.get("founded"),
            dissolved=row.get("dissolved"),
            has_plaque=row.get("has_plaque"),
            five_haves=labeled_list(enums.FiveHave, row.get("five_haves")),
            capacity=row.get("capacity"),
            problems_solved=row.get("problems_solved"),
            topic=labeled(enums.WorkingGroupTopic, row.get("topic")),
            households_served=row.get("households_served"),
            term_start=row.get("term_start"),
            term_years=row.get("term_years"),
            _flags=list(row.get("flags") or []),
            _flag_evidence=row.get("flag_evidence"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, ORG, node_ids, cls.from_row)

    @strawberry.field(
        description="The organisation this one reports to (上级组织); null at the top", graphql_type=OrganizationRef | None
    )
    @reads(_PARENT)
    def parent(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _PARENT.resolve(self, info)

    @strawberry.field(
        description="Organisations reporting directly to this one (下级组织), by name", graphql_type=Connection[OrganizationRef]
    )
    @reads(_CHILDREN)
    def children(
        self, info: strawberry.Info, kind: OrgKind | None = None, first: int | None = None, after: str | None = None
    ) -> AwaitableOrValue[Connection[Organization]]:
        return _CHILDREN.resolve(self, info, kind=kind, first=first, after=after)

    @strawberry.field(
        description="Every organisation above this one, nearest first (上级组织链): up to the street committee",
        graphql_type=list[OrganizationRef],
    )
    @reads(_CHAIN)
    def chain(self, info: strawberry.Info) -> AwaitableOrValue[list[Organization]]:
        return _CHAIN.resolve(self, info)

    @strawberry.field(
        description="The areas this organisation leads (领导的区域): a street, community, compound, district or city",
        graphql_type=list[AreaRef],
    )
    @reads(_LEADS)
    def leads(self, info: strawberry.Info) -> AwaitableOrValue[list[Area]]:
        return _LEADS.resolve(self, info)

    @strawberry.field(description="Buildings this building Party group covers (覆盖的楼栋)", graphql_type=list[AreaRef])
    @reads(_COVERS)
    def covers(self, info: strawberry.Info) -> AwaitableOrValue[list[Area]]:
        return _COVERS.resolve(self, info)

    @strawberry.field(description="Areas this service centre or station serves (服务的区域)", graphql_type=list[AreaRef])
    @reads(_SERVES)
    def serves(self, info: strawberry.Info) -> AwaitableOrValue[list[Area]]:
        return _SERVES.resolve(self, info)

    @strawberry.field(description="The area the organisation sits in (所在区域)", graphql_type=AreaRef | None)
    @reads(_LOCATED_IN)
    def located_in(self, info: strawberry.Info) -> AwaitableOrValue[Area | None]:
        return _LOCATED_IN.resolve(self, info)

    @strawberry.field(
        description="Posts and memberships in this organisation over time (任职), current ones only unless `current: false`",
        graphql_type=Connection[MembershipRef],
    )
    @reads(_MEMBERSHIPS)
    def memberships(
        self,
        info: strawberry.Info,
        current: bool = True,
        post: Post | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AwaitableOrValue[Connection[Membership]]:
        return _MEMBERSHIPS.resolve(self, info, current=current, post=post, first=first, after=after)

    @strawberry.field(description="Co-construction pairings (结对共建) this organisation takes part in, either side")
    async def pairings(self, info: strawberry.Info) -> list[PairingRef]:
        from graph_service.api.relations.types import Pairing

        loaders = info.context.loaders
        outgoing, incoming = await asyncio.gather(
            loaders.out(RelType.PAIRED_WITH.value, ORG, ORG).load(self.id),
            loaders.into(RelType.PAIRED_WITH.value, ORG, ORG).load(self.id),
        )
        me = stub(self.id, ORG)
        return [Pairing.from_row({**rel, "_from": me, "_to": other}) for rel, other in outgoing] + [
            Pairing.from_row({**rel, "_from": other, "_to": me}) for rel, other in incoming
        ]

    @strawberry.field(
        description="Dual check-ins (双报到): this unit's registration with communities, or units and members registered here"
    )
    async def registrations(self, info: strawberry.Info) -> list[RegistrationRef]:
        from graph_service.api.relations.types import Registration

        loaders = info.context.loaders
        outgoing, units_in, members_in = await asyncio.gather(
            loaders.out(RelType.REGISTERED_WITH.value, ORG, ORG).load(self.id),
            loaders.into(RelType.REGISTERED_WITH.value, ORG, ORG).load(self.id),
            loaders.into(RelType.REGISTERED_WITH.value, PERSON, ORG).load(self.id),
        )
        me = stub(self.id, ORG)
        return (
            [Registration.from_row({**rel, "_from": me, "_to": other}) for rel, other in outgoing]
            + [Registration.from_row({**rel, "_from": other, "_to": me}) for rel, other in units_in]
            + [Registration.from_row({**rel, "_from": other, "_to": me}) for rel, other in members_in]
        )

    @strawberry.field(
        description="Meetings and activities of organisational life this organisation held (组织生活), newest first; by "
        "kind and by the days held (`heldFrom`, `heldTo`, both included)"
    )
    async def activities(
        self,
        info: strawberry.Info,
        kind: ActivityKind | None = None,
        held_from: date | None = None,
        held_to: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActivityRef]:
        from graph_service.api.activities.types import Activity

        check_days(held_from, held_to)
        pairs = await info.context.loaders.into(RelType.HELD_BY.value, ACTIVITY, ORG).load(self.id)
        rows = [row for _, row in pairs if held_between(row, kind, held_from, held_to)]
        rows.sort(key=lambda row: row["id"])
        rows.sort(key=lambda row: row["held_on"], reverse=True)
        return page(info, rows, first, after, Activity.from_row)

    @strawberry.field(
        description="For a joint Party branch (联合党支部): the units joining it, oldest first; `current: true` for those "
        "in force today"
    )
    async def units(self, info: strawberry.Info, current: bool = False) -> list[JointBranchMembershipRef]:
        from graph_service.api.support.types import JointBranchMembership, dated_links

        joins, me = RelType.JOINS.value, stub(self.id, ORG)
        return await dated_links(info, JointBranchMembership, joins, (ORG, ORG), me, incoming=True, current=current)

    @strawberry.field(
        description="For a unit: the joint Party branches (联合党支部) it joins or joined, oldest first; `current: true` "
        "for those in force today"
    )
    async def joint_branches(self, info: strawberry.Info, current: bool = False) -> list[JointBranchMembershipRef]:
        from graph_service.api.support.types import JointBranchMembership, dated_links

        joins, me = RelType.JOINS.value, stub(self.id, ORG)
        return await dated_links(info, JointBranchMembership, joins, (ORG, ORG), me, incoming=False, current=current)

    @strawberry.field(description="Volunteer projects this compound branch listed (发布的志愿服务项目)")
    async def projects(self, info: strawberry.Info) -> list[ProjectRef]:
        from graph_service.api.projects.types import Project

        return await linked_nodes(info, RelType.LISTED_BY.value, PROJECT, ORG, self.id, Project.from_row, incoming=True)


loads_hierarchy(Organization, RelType.SUB_ORG_OF.value, ORG)
for _field, _rel in (
    ("leads", RelType.LEADS),
    ("covers", RelType.COVERS),
    ("serves", RelType.SERVES),
    ("locatedIn", RelType.LOCATED_IN),
):
    loads_linked(Organization, _field, _rel.value, ORG, AREA)
loads_linked(Organization, "memberships", RelType.MEMBER_OF.value, PERSON, ORG, incoming=True)

__all__ = ["Organization"]
