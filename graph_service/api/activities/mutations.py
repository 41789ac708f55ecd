"""Recording organisational life: create an activity with the organisation that held it and the people present,
and correct it later. Each is one ``ChangeService`` call: one transaction with its audit entries."""

from __future__ import annotations

from datetime import date

import strawberry

from graph_service.api.activities.types import Activity
from graph_service.api.common import ActivityKind
from graph_service.api.mutations import EDITORS, UNSET, ChangeKind, create_props, input_id
from graph_service.api.refs import ACTIVITY, ActivityRef
from graph_service.api.user_errors import UserError


@strawberry.input(
    description="A meeting or activity a Party organisation held (组织生活), with the people recorded as present "
    "(optional: `attendance` alone is enough)"
)
class CreateActivityInput:
    organization_id: strawberry.ID = strawberry.field(description="The Party organisation that held it")
    kind: ActivityKind
    held_on: date = strawberry.field(description="The day it was held: today or earlier")
    attendance: int | None = strawberry.field(default=None, description="How many took part")
    topic: str | None = None
    attendee_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="People recorded as present (at most 200)"
    )
    id: strawberry.ID | None = strawberry.field(default=None, description="Own id; generated (`activity-…`) if absent")


@strawberry.input(description="Corrections to an activity; only the fields given change. Its organisation is fixed")
class UpdateActivityInput:
    id: strawberry.ID
    kind: ActivityKind | None = UNSET
    held_on: date | None = UNSET
    attendance: int | None = UNSET
    topic: str | None = UNSET


@strawberry.type(description="The activity as stored, or the errors that stopped the change (nothing was written)")
class ActivityPayload:
    activity: ActivityRef | None
    errors: list[UserError]


ACTIVITY_CHANGE = ChangeKind(ACTIVITY, False, ActivityPayload, "activity", Activity.from_row)


@strawberry.type
class ActivityMutation:
    @strawberry.mutation(
        description="Record a meeting or activity held by a Party organisation, with the people present (组织生活)",
        extensions=EDITORS,
    )
    async def create_activity(self, info: strawberry.Info, input: CreateActivityInput) -> ActivityPayload:
        org = input_id(input.organization_id)
        attendees = [input_id(person) for person in input.attendee_ids or []]
        return await ACTIVITY_CHANGE.answer(
            info,
            lambda s, a: s.create_node(a, ACTIVITY, create_props(input), held_by_id=org, attendee_ids=attendees),
        )

    @strawberry.mutation(description="Correct an activity's kind, day, attendance or topic", extensions=EDITORS)
    async def update_activity(self, info: strawberry.Info, input: UpdateActivityInput) -> ActivityPayload:
        return await ACTIVITY_CHANGE.update(info, input)


__all__ = ["ActivityMutation", "ActivityPayload", "CreateActivityInput", "UpdateActivityInput"]
