"""``me``: who the caller is as far as a client needs to know what to offer (the console hides what a role may
not read or do). Every key may ask; it says only the key's id and role and what that role allows, never the key."""

from __future__ import annotations

import strawberry

from graph_service.api.keys.schema import ApiKeyRole
from graph_service.api.permissions import PERSONAL, STAFF, WRITERS, Principal
from graph_service.errors import PermissionDeniedError


@strawberry.type(description="The caller: the API key's id and role and what the role may read and do")
class Viewer:
    key_id: strawberry.ID = strawberry.field(description="The key's id (`gsk_<id>_...`); the audit trail names it")
    role: ApiKeyRole  # type: ignore[valid-type]
    can_read_personal: bool = strawberry.field(description="Whether people's names, phones and addresses are shown")
    can_read_analyses: bool = strawberry.field(description="Whether analyses, scores and thresholds are readable")
    can_edit: bool = strawberry.field(description="Whether mutations are allowed")

    @classmethod
    def of(cls, principal: Principal) -> Viewer:
        return cls(
            key_id=strawberry.ID(principal.key_id),
            role=principal.role,
            can_read_personal=principal.may(frozenset(PERSONAL)),
            can_read_analyses=principal.may(frozenset(STAFF)),
            can_edit=principal.may(frozenset(WRITERS)),
        )


@strawberry.type
class MeQuery:
    @strawberry.field(description="Who is calling: the API key's role and what it may read and do (any key)")
    def me(self, info: strawberry.Info) -> Viewer:
        principal: Principal | None = getattr(info.context, "principal", None)
        if principal is None:
            raise PermissionDeniedError("field 'Query.me' needs an API key")
        return Viewer.of(principal)


__all__ = ["MeQuery", "Viewer"]
