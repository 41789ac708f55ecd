"""API keys through GraphQL, for admins only: ``apiKeys``, ``createApiKey``, ``revokeApiKey``.

The same operations as ``graph-service keys list|create|revoke`` (``services/keys.py``), audited under the caller's
key id. A key is shown once, in the answer of ``createApiKey``; nothing else ever shows a key or its hash.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from graph_service.api.permissions import allow
from graph_service.api.user_errors import UserError, from_exception
from graph_service.domain.access import Role
from graph_service.errors import GraphServiceError
from graph_service.services.keys import ApiKeyInfo, KeyService, KeySource
from graph_service.services.workers import in_worker

ADMINS = allow()

ApiKeyRole = strawberry.enum(Role, name="ApiKeyRole", description="What a key may do (see the README's role table)")
ApiKeySource = strawberry.enum(
    KeySource,
    name="ApiKeySource",
    description="STORED: made by `keys create` or `createApiKey`; ENVIRONMENT: configured in GRAPH_SERVICE_API_KEYS",
)


def _utc(at: datetime | None) -> datetime | None:
    # Stored as naive UTC (LadybugDB drops offsets); say so in the ISO text clients get.
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


@strawberry.type(description="An API key as far as it may be shown: never the key itself or its hash")
class ApiKey:
    id: strawberry.ID = strawberry.field(description="The key's id (`gsk_<id>_...`); the audit trail names callers by it")
    role: ApiKeyRole  # type: ignore[valid-type]
    source: ApiKeySource  # type: ignore[valid-type]
    note: str = strawberry.field(description="Who or what the key is for")
    created: datetime | None = strawberry.field(description="When it was created (UTC); null for configured keys")
    revoked: datetime | None = strawberry.field(description="When it was revoked (UTC); null while it works")
    active: bool = strawberry.field(description="Whether requests with it are accepted")

    @classmethod
    def from_info(cls, info: ApiKeyInfo) -> ApiKey:
        return cls(
            id=strawberry.ID(info.id),
            role=info.role,
            source=info.source,
            note=info.note,
            created=_utc(info.created),
            revoked=_utc(info.revoked),
            active=info.active,
        )


@strawberry.input(description="A new stored API key")
class CreateApiKeyInput:
    role: ApiKeyRole  # type: ignore[valid-type]
    note: str = strawberry.field(default="", description="Who or what the key is for (at most 200 characters)")


@strawberry.input(description="The stored key to revoke: requests with it are refused from now on")
class RevokeApiKeyInput:
    id: strawberry.ID = strawberry.field(description="The key's id, as `apiKeys` lists it")


@strawberry.type(description="The new key, or the errors that stopped it (nothing was stored)")
class CreateApiKeyPayload:
    api_key: ApiKey | None
    key: str | None = strawberry.field(
        description="The key to send as `Authorization: Bearer <key>`. Shown only in this answer: it is stored hashed"
    )
    errors: list[UserError]


@strawberry.type(description="The key as revoked, or the errors that stopped the change")
class RevokeApiKeyPayload:
    api_key: ApiKey | None
    errors: list[UserError]


def _keys(info: strawberry.Info) -> KeyService:
    keys: KeyService = info.context.services.keys
    return keys


@strawberry.type
class KeyQuery:
    @strawberry.field(
        description="API keys: the configured ones (GRAPH_SERVICE_API_KEYS) first, then the stored ones oldest first",
        extensions=ADMINS,
    )
    async def api_keys(self, info: strawberry.Info, include_revoked: bool = True) -> list[ApiKey]:
        found = await in_worker(_keys(info).list)
        return [ApiKey.from_info(k) for k in found if include_revoked or k.active]


@strawberry.type
class KeyMutation:
    @strawberry.mutation(
        description="Create a stored API key; the answer is the only place the key is ever shown", extensions=ADMINS
    )
    async def create_api_key(self, info: strawberry.Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        actor = info.context.principal.actor
        try:
            created, key = await in_worker(_keys(info).create, Role(input.role), input.note, actor)
        except GraphServiceError as exc:
            return CreateApiKeyPayload(api_key=None, key=None, errors=from_exception(exc, field="role"))
        return CreateApiKeyPayload(api_key=ApiKey.from_info(created), key=key, errors=[])

    @strawberry.mutation(
        description="Revoke a stored API key: its next request is refused. Configured keys (GRAPH_SERVICE_API_KEYS) "
        "are removed from that setting instead",
        extensions=ADMINS,
    )
    async def revoke_api_key(self, info: strawberry.Info, input: RevokeApiKeyInput) -> RevokeApiKeyPayload:
        try:
            revoked = await in_worker(_keys(info).revoke, str(input.id), info.context.principal.actor)
        except GraphServiceError as exc:
            return RevokeApiKeyPayload(api_key=None, errors=from_exception(exc, field="id", value=str(input.id)))
        return RevokeApiKeyPayload(api_key=ApiKey.from_info(revoked), errors=[])


__all__ = ["ApiKey", "KeyMutation", "KeyQuery"]
