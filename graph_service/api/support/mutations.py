"""Create, change and end the dated links of support: a unit in a joint branch (JOINS), a cadre sent down to a
community (SENT_DOWN_TO), a deputy or committee member serving a community (LIAISES_WITH). Each is one
``ChangeService`` call: one transaction with its audit entries; ending keeps the link as history."""

from __future__ import annotations

from datetime import date

import strawberry

from graph_service.api.common import DeputyCapacity
from graph_service.api.mutations import EDITORS, UNSET, ChangeKind, EndRelationInput, create_props, input_id, rel_row
from graph_service.api.refs import CadrePostingRef, JointBranchMembershipRef, LiaisonRef
from graph_service.api.support.types import CadrePosting, JointBranchMembership, Liaison
from graph_service.api.user_errors import UserError
from graph_service.domain.enums import RelType


@strawberry.input(description="A unit (驻区单位) joins a joint Party branch (联合党支部)")
class CreateJointBranchMembershipInput:
    unit_id: strawberry.ID
    joint_branch_id: strawberry.ID
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`joins-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None


@strawberry.input(description="Changes to a unit's membership of a joint branch; both ends are fixed")
class UpdateJointBranchMembershipInput:
    id: strawberry.ID
    start_date: date | None = UNSET
    end_date: date | None = UNSET


@strawberry.input(description="A cadre sent down to serve a community (下沉干部)")
class CreateCadrePostingInput:
    person_id: strawberry.ID
    community_id: strawberry.ID = strawberry.field(description="The community (an area of level community)")
    duty: str | None = strawberry.field(default=None, description="What the cadre does there (包联社区, 第一书记 ...)")
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`sent-down-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None


@strawberry.input(description="Changes to a cadre's posting; the cadre and the community are fixed")
class UpdateCadrePostingInput:
    id: strawberry.ID
    duty: str | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET


@strawberry.input(description="A deputy (人大代表) or committee member (政协委员) serves a community (联系社区)")
class CreateLiaisonInput:
    person_id: strawberry.ID
    community_id: strawberry.ID = strawberry.field(description="The community (an area of level community)")
    role: DeputyCapacity
    level: str | None = strawberry.field(default=None, description="The congress or conference they sit in (市人大 ...)")
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`liaison-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None


@strawberry.input(description="Changes to a liaison; the person and the community are fixed")
class UpdateLiaisonInput:
    id: strawberry.ID
    role: DeputyCapacity | None = UNSET
    level: str | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET


@strawberry.type(description="The unit's membership of the joint branch as stored, or the errors that stopped the change")
class JointBranchMembershipPayload:
    joint_branch_membership: JointBranchMembershipRef | None
    errors: list[UserError]


@strawberry.type(description="The cadre's posting as stored, or the errors that stopped the change")
class CadrePostingPayload:
    cadre_posting: CadrePostingRef | None
    errors: list[UserError]


@strawberry.type(description="The liaison as stored, or the errors that stopped the change")
class LiaisonPayload:
    liaison: LiaisonRef | None
    errors: list[UserError]


JOINS_CHANGE = ChangeKind(
    RelType.JOINS.value,
    True,
    JointBranchMembershipPayload,
    "joint_branch_membership",
    lambda row: JointBranchMembership.from_row(rel_row(row)),
    {"from": "unitId", "to": "jointBranchId"},
)
POSTING_CHANGE = ChangeKind(
    RelType.SENT_DOWN_TO.value,
    True,
    CadrePostingPayload,
    "cadre_posting",
    lambda row: CadrePosting.from_row(rel_row(row)),
    {"from": "personId", "to": "communityId"},
)
LIAISON_CHANGE = ChangeKind(
    RelType.LIAISES_WITH.value,
    True,
    LiaisonPayload,
    "liaison",
    lambda row: Liaison.from_row(rel_row(row)),
    {"from": "personId", "to": "communityId"},
)


@strawberry.type
class SupportMutation:
    # --- units in joint branches ---

    @strawberry.mutation(description="A unit joins a joint Party branch (联合党支部)", extensions=EDITORS)
    async def create_joint_branch_membership(
        self, info: strawberry.Info, input: CreateJointBranchMembershipInput
    ) -> JointBranchMembershipPayload:
        unit, branch = input_id(input.unit_id), input_id(input.joint_branch_id)
        return await JOINS_CHANGE.answer(info, lambda s, a: s.create_rel(a, JOINS_CHANGE.name, unit, branch, create_props(input)))

    @strawberry.mutation(description="Change the dates of a unit's membership of a joint branch", extensions=EDITORS)
    async def update_joint_branch_membership(
        self, info: strawberry.Info, input: UpdateJointBranchMembershipInput
    ) -> JointBranchMembershipPayload:
        return await JOINS_CHANGE.update(info, input)

    @strawberry.mutation(description="A unit leaves a joint branch on `endDate`; it stays as history", extensions=EDITORS)
    async def end_joint_branch_membership(self, info: strawberry.Info, input: EndRelationInput) -> JointBranchMembershipPayload:
        return await JOINS_CHANGE.end(info, input, input.end_date)

    # --- cadres sent down ---

    @strawberry.mutation(description="Send a cadre down to serve a community (下沉干部)", extensions=EDITORS)
    async def create_cadre_posting(self, info: strawberry.Info, input: CreateCadrePostingInput) -> CadrePostingPayload:
        person, community = input_id(input.person_id), input_id(input.community_id)
        return await POSTING_CHANGE.answer(
            info, lambda s, a: s.create_rel(a, POSTING_CHANGE.name, person, community, create_props(input))
        )

    @strawberry.mutation(description="Change a cadre posting's duty or dates", extensions=EDITORS)
    async def update_cadre_posting(self, info: strawberry.Info, input: UpdateCadrePostingInput) -> CadrePostingPayload:
        return await POSTING_CHANGE.update(info, input)

    @strawberry.mutation(description="A cadre's posting ends on `endDate`; it stays as history", extensions=EDITORS)
    async def end_cadre_posting(self, info: strawberry.Info, input: EndRelationInput) -> CadrePostingPayload:
        return await POSTING_CHANGE.end(info, input, input.end_date)

    # --- deputies and committee members ---

    @strawberry.mutation(
        description="A deputy or committee member starts serving a community (人大代表、政协委员联系社区)", extensions=EDITORS
    )
    async def create_liaison(self, info: strawberry.Info, input: CreateLiaisonInput) -> LiaisonPayload:
        person, community = input_id(input.person_id), input_id(input.community_id)
        return await LIAISON_CHANGE.answer(
            info, lambda s, a: s.create_rel(a, LIAISON_CHANGE.name, person, community, create_props(input))
        )

    @strawberry.mutation(description="Change a liaison's role, level or dates", extensions=EDITORS)
    async def update_liaison(self, info: strawberry.Info, input: UpdateLiaisonInput) -> LiaisonPayload:
        return await LIAISON_CHANGE.update(info, input)

    @strawberry.mutation(description="A liaison ends on `endDate`; it stays as history", extensions=EDITORS)
    async def end_liaison(self, info: strawberry.Info, input: EndRelationInput) -> LiaisonPayload:
        return await LIAISON_CHANGE.end(info, input, input.end_date)


__all__ = ["SupportMutation"]
