"""Mutations: create, update and end areas, organisations, people, posts, pairings and registrations.

Every mutation runs one ``ChangeService`` call (one transaction with its audit entries) and answers with a
payload: the entity as stored, or ``errors`` naming each input field at fault with the value given. Nothing is
deleted: "end" mutations set an end date and keep the record. Only roles ``editor`` and ``admin`` may call them.

Update inputs change only the fields they carry; an explicit ``null`` clears an optional field.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry

from graph_service.api.areas.types import Area
from graph_service.api.common import (
    AreaLevel,
    CompoundKind,
    Employment,
    FiveHave,
    MemberStatus,
    OrgKind,
    Post,
    UnitType,
    WorkingGroupTopic,
    local_id,
    stub,
)
from graph_service.api.organizations.types import Organization
from graph_service.api.people.types import Membership, Person
from graph_service.api.permissions import WRITERS, allow
from graph_service.api.refs import (
    AREA,
    ORG,
    PERSON,
    AreaRef,
    MembershipRef,
    OrganizationRef,
    PairingRef,
    PersonRef,
    RegistrationRef,
)
from graph_service.api.relations.types import Pairing, Registration
from graph_service.api.user_errors import UserError, from_exception
from graph_service.domain.enums import RelType
from graph_service.errors import GraphServiceError
from graph_service.services.changes import ChangeService
from graph_service.services.workers import in_worker

log = logging.getLogger(__name__)


EDITORS = allow(*WRITERS)
UNSET: Any = strawberry.UNSET

# --- inputs -----------------------------------------------------------------------------------------------------


@strawberry.input(description="A new area (区域); `parentId` places it in the area above (PART_OF)")
class CreateAreaInput:
    level: AreaLevel
    name: str
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`area-…`) if absent")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="The area it lies in")
    code: str | None = None
    compound_kind: CompoundKind | None = None
    households: int | None = None
    resident_population: int | None = None
    urban_population: int | None = None
    platform_people_served: int | None = None


@strawberry.input(description="Changes to an area; only the fields given change, `null` clears one. The level is fixed")
class UpdateAreaInput:
    id: strawberry.ID
    name: str | None = UNSET
    code: str | None = UNSET
    compound_kind: CompoundKind | None = UNSET
    households: int | None = UNSET
    resident_population: int | None = UNSET
    urban_population: int | None = UNSET
    platform_people_served: int | None = UNSET


@strawberry.input(description="End an area (abolished or merged); it stays as history")
class EndAreaInput:
    id: strawberry.ID
    abolished: date


@strawberry.input(
    description="A new organisation (组织); `parentId` puts it under its parent (SUB_ORG_OF), `leadsAreaId` makes "
    "it lead an area (LEADS)"
)
class CreateOrganizationInput:
    kind: OrgKind
    name: str
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`org-…`) if absent")
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="The organisation it reports to")
    leads_area_id: strawberry.ID | None = strawberry.field(default=None, description="The area it leads")
    unit_type: UnitType | None = None
    founded: date | None = None
    has_plaque: bool | None = None
    five_haves: list[FiveHave] | None = None
    capacity: int | None = None
    problems_solved: int | None = None
    topic: WorkingGroupTopic | None = None
    households_served: int | None = None
    flags: list[str] | None = None
    flag_evidence: str | None = None
    term_start: date | None = strawberry.field(default=None, description="First day of the current committee's term")
    term_years: int | None = strawberry.field(default=None, description="Length of a term; null: the regulation's")


@strawberry.input(description="Changes to an organisation; only the fields given change. The kind is fixed")
class UpdateOrganizationInput:
    id: strawberry.ID
    name: str | None = UNSET
    unit_type: UnitType | None = UNSET
    founded: date | None = UNSET
    has_plaque: bool | None = UNSET
    five_haves: list[FiveHave] | None = UNSET
    capacity: int | None = UNSET
    problems_solved: int | None = UNSET
    topic: WorkingGroupTopic | None = UNSET
    households_served: int | None = UNSET
    flags: list[str] | None = UNSET
    flag_evidence: str | None = UNSET
    term_start: date | None = UNSET
    term_years: int | None = UNSET


@strawberry.input(description="Dissolve an organisation: its live posts, pairings and registrations end the same day")
class EndOrganizationInput:
    id: strawberry.ID
    dissolved: date


@strawberry.input(description="A new person (人员); name and contact data are personal data")
class CreatePersonInput:
    name: str
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`person-…`) if absent")
    gender: str | None = None
    birth_year: int | None = None
    is_party_member: bool | None = None
    employment: Employment | None = None
    phone: str | None = None
    address: str | None = None
    id_number: str | None = None


@strawberry.input(description="Changes to a person; only the fields given change")
class UpdatePersonInput:
    id: strawberry.ID
    name: str | None = UNSET
    gender: str | None = UNSET
    birth_year: int | None = UNSET
    is_party_member: bool | None = UNSET
    employment: Employment | None = UNSET
    phone: str | None = UNSET
    address: str | None = UNSET
    id_number: str | None = UNSET


@strawberry.input(description="A person left (moved away, died): their live posts and registrations end the same day")
class EndPersonInput:
    id: strawberry.ID
    left_on: date


@strawberry.input(description="A post (任职) a person takes up in an organisation")
class CreatePostInput:
    person_id: strawberry.ID
    organization_id: strawberry.ID
    post: Post
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`post-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None
    full_time: bool | None = None
    member_status: MemberStatus | None = strawberry.field(
        default=None, description="For Party posts: a full or probationary member (正式/预备党员); null counts as full"
    )


@strawberry.input(description="Changes to a post; the person and organisation are fixed")
class UpdatePostInput:
    id: strawberry.ID
    post: Post | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    full_time: bool | None = UNSET
    member_status: MemberStatus | None = UNSET


@strawberry.input(
    description="A co-construction pairing (结对共建) of a unit's Party organisation with a community Party committee"
)
class CreatePairingInput:
    unit_org_id: strawberry.ID
    community_org_id: strawberry.ID
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`pairing-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None
    projects: list[str] | None = None
    resources: str | None = None


@strawberry.input(description="Changes to a pairing; the two organisations are fixed")
class UpdatePairingInput:
    id: strawberry.ID
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    projects: list[str] | None = UNSET
    resources: str | None = UNSET


@strawberry.input(
    description="A dual check-in (双报到): a unit's Party organisation or an in-service Party member registers with "
    "a community Party committee"
)
class CreateRegistrationInput:
    registrant_id: strawberry.ID = strawberry.field(description="The unit's Party organisation or the person")
    community_org_id: strawberry.ID
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`registration-…`) if absent")
    start_date: date | None = None
    end_date: date | None = None


@strawberry.input(description="Changes to a registration; both ends are fixed")
class UpdateRegistrationInput:
    id: strawberry.ID
    start_date: date | None = UNSET
    end_date: date | None = UNSET


@strawberry.input(
    description="End a post, pairing, registration, joint-branch membership, cadre posting or liaison on `endDate`; it "
    "stays as history"
)
class EndRelationInput:
    id: strawberry.ID
    end_date: date


# --- payloads ---------------------------------------------------------------------------------------------------


@strawberry.type(description="The area as stored, or the errors that stopped the change (nothing was written)")
class AreaPayload:
    area: AreaRef | None
    errors: list[UserError]


@strawberry.type(description="The organisation as stored, or the errors that stopped the change")
class OrganizationPayload:
    organization: OrganizationRef | None
    errors: list[UserError]


@strawberry.type(description="The person as stored, or the errors that stopped the change")
class PersonPayload:
    person: PersonRef | None
    errors: list[UserError]


@strawberry.type(description="The post (membership) as stored, or the errors that stopped the change")
class PostPayload:
    membership: MembershipRef | None
    errors: list[UserError]


@strawberry.type(description="The pairing as stored, or the errors that stopped the change")
class PairingPayload:
    pairing: PairingRef | None
    errors: list[UserError]


@strawberry.type(description="The registration as stored, or the errors that stopped the change")
class RegistrationPayload:
    registration: RegistrationRef | None
    errors: list[UserError]


# --- plumbing ---------------------------------------------------------------------------------------------------

_NOT_PROPS = frozenset({"id", "parent_id", "leads_area_id", "person_id", "organization_id", "unit_org_id",
                        "community_org_id", "registrant_id", "attendee_ids", "unit_id", "joint_branch_id",
                        "community_id"})  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def props_of(data: Any) -> dict[str, Any]:
    """The stored properties an input carries (snake_case, enums as codes), leaving out unset fields."""
    out = {}
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        if f.name in _NOT_PROPS or value is UNSET:
            continue
        out[f.name] = _plain(value)
    return out


def create_props(data: Any) -> dict[str, Any]:
    # In a create input an absent optional field and null mean the same: not recorded.
    props = {k: v for k, v in props_of(data).items() if v is not None}
    if getattr(data, "id", None):
        props["id"] = str(data.id)
    return props


def input_id(value: Any) -> str:
    return local_id(str(value))


async def _run(
    info: strawberry.Info, call: Callable[[ChangeService, str], Any], rename: Mapping[str, str] | None = None
) -> tuple[Any, list[UserError]]:
    """Run one service call off the event loop; expected failures become user errors, nothing else leaks."""
    service: ChangeService = info.context.services.changes
    actor = info.context.principal.actor
    try:
        return await in_worker(call, service, actor), []
    except GraphServiceError as exc:
        if not exc.client_fault:  # the store failed: the client gets a plain user error, the log the details
            log.error("mutation %s failed", info.field_name, exc_info=exc)
        errors = from_exception(exc)
    except Exception:  # an unexpected failure: the transaction rolled back; the details go to the log only
        log.exception("mutation %s failed", info.field_name)
        errors = [UserError(field="input", message="the change could not be stored; nothing was written", value=None)]
    if rename:
        for error in errors:
            error.field = rename.get(error.field, error.field)
    return None, errors


def rel_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The service's relationship row as the API's types read it: ``_from``/``_to`` stand-ins for both ends."""
    return {**row, "_from": stub(row["from_id"], row["from_label"]), "_to": stub(row["to_id"], row["to_label"])}


PayloadT = TypeVar("PayloadT")


@dataclasses.dataclass(frozen=True)
class ChangeKind(Generic[PayloadT]):
    """What a group of mutations changes (a node label or relationship type) and how they answer.

    ``field`` is the payload's field for the stored entity, ``build`` makes it from the service's row, and
    ``rename`` names the input fields behind the service's ``from``/``to`` problems.
    """

    name: str
    relationship: bool
    payload: Callable[..., PayloadT]
    field: str
    build: Callable[[Any], Any]
    rename: Mapping[str, str] | None = None

    async def answer(self, info: strawberry.Info, call: Callable[[ChangeService, str], Any]) -> PayloadT:
        row, errors = await _run(info, call, self.rename)
        return self.payload(**{self.field: self.build(row) if row else None, "errors": errors})

    async def update(self, info: strawberry.Info, input: Any) -> PayloadT:
        update = ChangeService.update_rel if self.relationship else ChangeService.update_node
        return await self.answer(info, lambda s, a: update(s, a, self.name, input_id(input.id), props_of(input)))

    async def end(self, info: strawberry.Info, input: Any, on: date) -> PayloadT:
        end = ChangeService.end_rel if self.relationship else ChangeService.end_node
        return await self.answer(info, lambda s, a: end(s, a, self.name, input_id(input.id), on))


AREA_CHANGE = ChangeKind(AREA, False, AreaPayload, "area", Area.from_row)
ORGANIZATION_CHANGE = ChangeKind(ORG, False, OrganizationPayload, "organization", Organization.from_row)
PERSON_CHANGE = ChangeKind(PERSON, False, PersonPayload, "person", Person.from_row)
POST_CHANGE = ChangeKind(
    RelType.MEMBER_OF.value,
    True,
    PostPayload,
    "membership",
    lambda row: Membership.from_row(rel_row(row)),
    {"from": "personId", "to": "organizationId"},
)
PAIRING_CHANGE = ChangeKind(
    RelType.PAIRED_WITH.value,
    True,
    PairingPayload,
    "pairing",
    lambda row: Pairing.from_row(rel_row(row)),
    {"from": "unitOrgId", "to": "communityOrgId"},
)
REGISTRATION_CHANGE = ChangeKind(
    RelType.REGISTERED_WITH.value,
    True,
    RegistrationPayload,
    "registration",
    lambda row: Registration.from_row(rel_row(row)),
    {"from": "registrantId", "to": "communityOrgId"},
)


@strawberry.type
class Mutation:
    # --- areas ---

    @strawberry.mutation(description="Create an area, optionally placed in its parent area", extensions=EDITORS)
    async def create_area(self, info: strawberry.Info, input: CreateAreaInput) -> AreaPayload:
        parent = input_id(input.parent_id) if input.parent_id else None
        return await AREA_CHANGE.answer(info, lambda s, a: s.create_node(a, AREA, create_props(input), parent_id=parent))

    @strawberry.mutation(description="Change some fields of an area", extensions=EDITORS)
    async def update_area(self, info: strawberry.Info, input: UpdateAreaInput) -> AreaPayload:
        return await AREA_CHANGE.update(info, input)

    @strawberry.mutation(description="End an area (abolished/merged); history is kept", extensions=EDITORS)
    async def end_area(self, info: strawberry.Info, input: EndAreaInput) -> AreaPayload:
        return await AREA_CHANGE.end(info, input, input.abolished)

    # --- organisations ---

    @strawberry.mutation(
        description="Create an organisation, optionally under its parent and leading an area", extensions=EDITORS
    )
    async def create_organization(self, info: strawberry.Info, input: CreateOrganizationInput) -> OrganizationPayload:
        parent = input_id(input.parent_id) if input.parent_id else None
        leads = input_id(input.leads_area_id) if input.leads_area_id else None
        return await ORGANIZATION_CHANGE.answer(
            info, lambda s, a: s.create_node(a, ORG, create_props(input), parent_id=parent, leads_area_id=leads)
        )

    @strawberry.mutation(description="Change some fields of an organisation", extensions=EDITORS)
    async def update_organization(self, info: strawberry.Info, input: UpdateOrganizationInput) -> OrganizationPayload:
        return await ORGANIZATION_CHANGE.update(info, input)

    @strawberry.mutation(
        description="Dissolve an organisation; its live posts, pairings and registrations end the same day",
        extensions=EDITORS,
    )
    async def end_organization(self, info: strawberry.Info, input: EndOrganizationInput) -> OrganizationPayload:
        return await ORGANIZATION_CHANGE.end(info, input, input.dissolved)

    # --- people ---

    @strawberry.mutation(description="Create a person", extensions=EDITORS)
    async def create_person(self, info: strawberry.Info, input: CreatePersonInput) -> PersonPayload:
        return await PERSON_CHANGE.answer(info, lambda s, a: s.create_node(a, PERSON, create_props(input)))

    @strawberry.mutation(description="Change some fields of a person", extensions=EDITORS)
    async def update_person(self, info: strawberry.Info, input: UpdatePersonInput) -> PersonPayload:
        return await PERSON_CHANGE.update(info, input)

    @strawberry.mutation(description="A person left; their live posts and registrations end the same day", extensions=EDITORS)
    async def end_person(self, info: strawberry.Info, input: EndPersonInput) -> PersonPayload:
        return await PERSON_CHANGE.end(info, input, input.left_on)

    # --- posts (memberships) ---

    @strawberry.mutation(description="A person takes up a post in an organisation (任职)", extensions=EDITORS)
    async def create_post(self, info: strawberry.Info, input: CreatePostInput) -> PostPayload:
        person, org = input_id(input.person_id), input_id(input.organization_id)
        return await POST_CHANGE.answer(info, lambda s, a: s.create_rel(a, POST_CHANGE.name, person, org, create_props(input)))

    @strawberry.mutation(description="Change a post's dates, post or full-time flag", extensions=EDITORS)
    async def update_post(self, info: strawberry.Info, input: UpdatePostInput) -> PostPayload:
        return await POST_CHANGE.update(info, input)

    @strawberry.mutation(description="A person leaves a post on `endDate`; the post stays as history", extensions=EDITORS)
    async def end_post(self, info: strawberry.Info, input: EndRelationInput) -> PostPayload:
        return await POST_CHANGE.end(info, input, input.end_date)

    # --- pairings ---

    @strawberry.mutation(
        description="Pair a unit's Party organisation with a community Party committee (结对共建); one live pairing "
        "per two organisations",
        extensions=EDITORS,
    )
    async def create_pairing(self, info: strawberry.Info, input: CreatePairingInput) -> PairingPayload:
        unit, community = input_id(input.unit_org_id), input_id(input.community_org_id)
        return await PAIRING_CHANGE.answer(
            info, lambda s, a: s.create_rel(a, PAIRING_CHANGE.name, unit, community, create_props(input))
        )

    @strawberry.mutation(description="Change a pairing's dates, projects or resources", extensions=EDITORS)
    async def update_pairing(self, info: strawberry.Info, input: UpdatePairingInput) -> PairingPayload:
        return await PAIRING_CHANGE.update(info, input)

    @strawberry.mutation(description="End a pairing on `endDate`; it stays as history", extensions=EDITORS)
    async def end_pairing(self, info: strawberry.Info, input: EndRelationInput) -> PairingPayload:
        return await PAIRING_CHANGE.end(info, input, input.end_date)

    # --- registrations ---

    @strawberry.mutation(
        description="Register a unit's Party organisation or a member with a community (双报到)", extensions=EDITORS
    )
    async def create_registration(self, info: strawberry.Info, input: CreateRegistrationInput) -> RegistrationPayload:
        registrant, community = input_id(input.registrant_id), input_id(input.community_org_id)
        return await REGISTRATION_CHANGE.answer(
            info, lambda s, a: s.create_rel(a, REGISTRATION_CHANGE.name, registrant, community, create_props(input))
        )

    @strawberry.mutation(description="Change a registration's dates", extensions=EDITORS)
    async def update_registration(self, info: strawberry.Info, input: UpdateRegistrationInput) -> RegistrationPayload:
        return await REGISTRATION_CHANGE.update(info, input)

    @strawberry.mutation(description="End a registration on `endDate`; it stays as history", extensions=EDITORS)
    async def end_registration(self, info: strawberry.Info, input: EndRelationInput) -> RegistrationPayload:
        return await REGISTRATION_CHANGE.end(info, input, input.end_date)


__all__ = [
    "EDITORS",
    "UNSET",
    "ChangeKind",
    "EndRelationInput",
    "Mutation",
    "create_props",
    "input_id",
    "props_of",
    "rel_row",
]
