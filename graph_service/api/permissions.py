"""Roles, the caller (``Principal``) and the per-field guard that enforces who may read or change what.

Roles (issue 3, "Access"):

- ``viewer``: planners; every reading field except personal data and analyses.
- ``analyst``: leadership-group staff; also analyses, staff flags and personal data of post holders.
- ``integration``: other systems; pairings, registrations and organisations (plus ``node``), no personal data.
- ``editor``: mutations, and the personal data they maintain.
- ``admin``: everything; always allowed in addition to the roles a field names.

Personal fields (``Prop.personal`` in ``domain.schema``: a person's name, phone, address, ID number) carry
``allow(*PERSONAL)`` one by one, so a viewer asking for ``phone`` gets that field null with an error naming it
and the rest of the answer intact.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request
from strawberry.extensions import FieldExtension

from graph_service.domain.access import Role
from graph_service.errors import PermissionDeniedError

if TYPE_CHECKING:
    from strawberry.types import Info


@dataclass(frozen=True)
class Principal:
    """Who is calling: the role of the API key and the key's id (never the key itself)."""

    role: Role
    key_id: str

    @property
    def actor(self) -> str:
        """How the audit trail names the caller."""
        return f"key:{self.key_id}({self.role.value})"

    def may(self, roles: frozenset[Role]) -> bool:
        return self.role is Role.ADMIN or self.role in roles


#: Roles that read the domain (everything but analyses and personal data).
READERS: tuple[Role, ...] = (Role.VIEWER, Role.ANALYST, Role.EDITOR)
#: Roles that may also read what integrations may (organisations, pairings, registrations).
READERS_AND_INTEGRATIONS: tuple[Role, ...] = (*READERS, Role.INTEGRATION)
#: Roles that may read personal data (Prop.personal fields).
PERSONAL: tuple[Role, ...] = (Role.ANALYST, Role.EDITOR)
#: Roles that see staff-only data (weakness flags and their evidence, analyses).
STAFF: tuple[Role, ...] = (Role.ANALYST,)
#: Roles that see the proposed pairings: staff, and editors, who accept a proposal by creating the pairing (the
#: console's recommendations view). The proposals name organisations and communities only, no personal field.
PAIRING_PLANNERS: tuple[Role, ...] = (Role.ANALYST, Role.EDITOR)
#: Roles that may change the domain (mutations).
WRITERS: tuple[Role, ...] = (Role.EDITOR,)


class RoleGuard(FieldExtension):
    """Refuses a field unless the caller's role is one of ``roles`` (or admin); the error names the field."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    def check(self, info: Info) -> None:
        """Raises ``PermissionDeniedError`` naming the field unless the caller may read it."""
        principal: Principal | None = getattr(info.context, "principal", None)
        if principal is None or not principal.may(self.roles):
            role = principal.role.value if principal else "none"
            allowed = ", ".join(sorted(r.value for r in self.roles | {Role.ADMIN}))
            raise PermissionDeniedError(
                f"field '{info._raw_info.parent_type.name}.{info.field_name}' needs role {allowed}; this API key has role {role}"
            )

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info)
        result = next_(source, info, **kwargs)
        if inspect.isawaitable(result):
            return await result
        return result


def allow(*roles: Role) -> list[FieldExtension]:
    """Field extensions letting only ``roles`` (and admin) resolve the field: ``extensions=allow(Role.ANALYST)``."""
    return [RoleGuard(frozenset(roles))]


def request_principal(request: Request) -> Principal:
    """The caller authenticated by the app's middleware; 401 when the request carried no valid key."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise HTTPException(status_code=401, detail="missing or invalid API key", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require_roles(*roles: Role) -> Callable[..., Principal]:
    """A FastAPI dependency: the caller, if their role is one of ``roles`` (or admin); 401/403 otherwise."""
    allowed = frozenset(roles)

    def dependency(principal: Annotated[Principal, Depends(request_principal)]) -> Principal:
        if not principal.may(allowed):
            names = ", ".join(sorted(r.value for r in allowed | {Role.ADMIN}))
            raise HTTPException(status_code=403, detail=f"needs role {names}; this API key has role {principal.role.value}")
        return principal

    return dependency


__all__ = [
    "PERSONAL",
    "READERS",
    "READERS_AND_INTEGRATIONS",
    "STAFF",
    "WRITERS",
    "Principal",
    "Role",
    "RoleGuard",
    "allow",
    "request_principal",
    "require_roles",
]
