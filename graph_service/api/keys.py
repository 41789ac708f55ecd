"""Managing API keys: create, list and revoke, each change in one transaction with its audit entry.

Two kinds of key exist. Stored keys (``graph-service keys create``, the ``createApiKey`` mutation) live in the
store as an id, a role, a note, when they were created and revoked, and a salted hash of the secret; the key itself
is shown once and kept nowhere. Configured keys come from ``GRAPH_SERVICE_API_KEYS``: they are listed (by an id
derived from the key, ``env-...``) but cannot be revoked here, because the next start would bring them back; they
are removed from that setting instead. Revoking keeps the record (``revoked`` set): the audit trail names callers
by key id, and those names should stay explainable. ``KeyRing`` reads the revocation on every request.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from graph_service.api.auth import hash_secret, new_key, parse_env_keys
from graph_service.api.permissions import Role
from graph_service.config import Settings
from graph_service.domain.records import NodeRecord
from graph_service.errors import ConflictError, NotFoundError, Problem, ValidationError
from graph_service.services.audit import CREATE, END, write_entry
from graph_service.store.port import Store, Tx

#: How the audit trail names API keys.
ENTITY_TYPE = "ApiKey"
ENV_SETTING = "GRAPH_SERVICE_API_KEYS"
MAX_NOTE_LENGTH = 200


class KeySource(StrEnum):
    STORED = "stored"
    ENVIRONMENT = "environment"


@dataclass(frozen=True)
class ApiKeyInfo:
    """What may be shown of a key: never the key or its hash."""

    id: str
    role: Role
    source: KeySource
    note: str = ""
    created: datetime | None = None
    revoked: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked is None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ApiKeyInfo:
        return cls(
            id=row["id"],
            role=Role(row["role"]),
            source=KeySource.STORED,
            note=row.get("note") or "",
            created=row.get("created"),
            revoked=row.get("revoked"),
        )

    def record(self) -> NodeRecord:
        """The key as the audit trail records it."""
        props = {"role": self.role.value, "note": self.note, "created": self.created, "revoked": self.revoked}
        return NodeRecord(ENTITY_TYPE, self.id, {k: v for k, v in props.items() if v is not None})


class KeyNotRevocableError(ConflictError):
    """The key is configured in the environment, or already revoked; ``field``/``value`` name the input."""

    def __init__(self, message: str, key_id: str) -> None:
        super().__init__(message)
        self.field = "id"
        self.value = key_id


class KeyNotFoundError(NotFoundError):
    def __init__(self, key_id: str) -> None:
        super().__init__(f"no API key with id {key_id!r}; `graph-service keys list` shows the ids")
        self.field = "id"
        self.value = key_id


def local_actor() -> str:
    """How the audit trail names a change made from the shell: the operating-system user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"local:{user}"


def _now() -> datetime:
    # LadybugDB drops offsets: timestamps are stored as naive UTC.
    return datetime.now(UTC).replace(tzinfo=None)


def _audit(tx: Tx, actor: str | None, action: str, before: ApiKeyInfo | None, after: ApiKeyInfo) -> None:
    """The change's audit entry, in its own transaction; from the shell the actor is the local user."""
    write_entry(
        tx,
        actor=actor or local_actor(),
        action=action,
        entity_type=ENTITY_TYPE,
        entity_id=after.id,
        before=before.record() if before else None,
        after=after.record(),
    )


def create_key(store: Store, role: Role | str, note: str = "", actor: str | None = None) -> tuple[ApiKeyInfo, str]:
    """Store a new key for ``role``; returns what may be shown of it and the key, which is not kept: show it once."""
    parsed = role if isinstance(role, Role) else Role.parse(role)
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError([Problem("note", f"is longer than {MAX_NOTE_LENGTH} characters", note[:40] + "…")])
    key_id, secret, key = new_key()
    info = ApiKeyInfo(id=key_id, role=parsed, source=KeySource.STORED, note=note, created=_now())
    key_hash = hash_secret(secret)

    def work(tx: Tx) -> None:
        params = {"id": key_id, "role": parsed.value, "key_hash": key_hash, "note": note, "created": info.created}
        tx.run("api_key_create", params)
        _audit(tx, actor, CREATE, None, info)

    store.execute_write(work)
    return info, key


def env_key_infos(settings: Settings) -> list[ApiKeyInfo]:
    return [
        ApiKeyInfo(id=k.key_id, role=k.role, source=KeySource.ENVIRONMENT, note=f"configured in {ENV_SETTING}")
        for k in parse_env_keys(settings.api_keys.get_secret_value())
    ]


def list_keys(settings: Settings, store: Store) -> list[ApiKeyInfo]:
    """Configured keys first, then stored ones oldest first (revoked ones included, marked)."""
    return [*env_key_infos(settings), *(ApiKeyInfo.from_row(r) for r in store.read("api_key_list"))]


def revoke_key(settings: Settings, store: Store, key_id: str, actor: str | None = None) -> ApiKeyInfo:
    """Revoke a stored key: every request with it is refused from now on. Returns the key as revoked."""
    key_id = key_id.strip()
    if any(k.id == key_id for k in env_key_infos(settings)):
        raise KeyNotRevocableError(
            f"key {key_id} is configured in {ENV_SETTING}, not stored, so it cannot be revoked here: remove it from "
            "that setting and restart the service",
            key_id,
        )

    def work(tx: Tx) -> ApiKeyInfo:
        rows = tx.run("api_key_get", {"id": key_id})
        if not rows:
            raise KeyNotFoundError(key_id)
        before = ApiKeyInfo.from_row(rows[0])
        if before.revoked is not None:
            raise KeyNotRevocableError(f"key {key_id} was already revoked at {before.revoked:%Y-%m-%d %H:%M:%S} UTC", key_id)
        after = replace(before, revoked=_now())
        tx.run("api_key_revoke", {"id": key_id, "revoked": after.revoked})
        _audit(tx, actor, END, before, after)
        return after

    return store.execute_write(work)


def stored_key_count(store: Store) -> int:
    """How many stored keys are not revoked."""
    rows = store.read("api_key_count")
    return int(rows[0]["total"]) if rows else 0


def create_key_command(settings: Settings, role: str, note: str = "") -> str:
    """``graph-service keys create --role R``: store a new key and print it once."""
    from graph_service.store.factory import open_store

    parsed = Role.parse(role)
    with open_store(settings) as store:
        info, key = create_key(store, parsed, note)
    print(f"Created {parsed.value} key {info.id}. It is shown only this once; store it safely:")
    print(key)
    return key


__all__ = [
    "ENTITY_TYPE",
    "ApiKeyInfo",
    "KeyNotFoundError",
    "KeyNotRevocableError",
    "KeySource",
    "create_key",
    "create_key_command",
    "env_key_infos",
    "list_keys",
    "local_actor",
    "revoke_key",
    "stored_key_count",
]
