"""API keys: their secrets, and the stored keys an admin creates, lists and revokes.

A stored key looks like ``gsk_<id>_<secret>``: the id finds the record, the secret is checked against a salted
scrypt hash with a constant-time compare (``verify_secret``). Only the hash is stored; the key is shown once.
Two kinds of key exist. Stored keys (``graph-service keys create``, the ``createApiKey`` mutation) live in the
store as an id, a role, a note, when they were created and revoked, and the hash; configured keys come from
``GRAPH_SERVICE_API_KEYS``: they are listed (by an id derived from the key, ``env-...``) but cannot be revoked
here, because the next start would bring them back; they are removed from that setting instead. Revoking keeps
the record (``revoked`` set): the audit trail names callers by key id, and those names should stay explainable.
Each change is one transaction with its audit entry.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from graph_service.config import Settings
from graph_service.domain.access import Role
from graph_service.domain.records import NodeRecord
from graph_service.errors import ConfigurationError, ConflictError, NotFoundError, Problem, ValidationError
from graph_service.services.audit import CREATE, END, write_entry
from graph_service.store.port import Store, Tx

PREFIX = "gsk"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_MAX_VERIFIED = 10_000
MIN_KEY_LENGTH = 24
_WEAK = frozenset({"changeme", "change-me", "secret", "password", "admin", "test", "key", "apikey", "api-key", "dev"})


@dataclass(frozen=True)
class EnvKey:
    role: Role
    key: str

    @property
    def key_id(self) -> str:
        # Names the key in the audit trail without revealing it.
        return "env-" + hashlib.sha256(self.key.encode()).hexdigest()[:10]


def parse_env_keys(text: str) -> list[EnvKey]:
    """``role:key,role:key`` as configured; ``ConfigurationError`` naming the bad entry otherwise."""
    keys = []
    for index, entry in enumerate(part.strip() for part in text.split(",")):
        if not entry:
            continue
        role_text, sep, key = entry.partition(":")
        if not sep or not key.strip():
            raise ConfigurationError(f"GRAPH_SERVICE_API_KEYS entry {index + 1} is not role:key")
        try:
            role = Role(role_text.strip().lower())
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise ConfigurationError(
                f"GRAPH_SERVICE_API_KEYS entry {index + 1}: unknown role {role_text!r}; use one of {allowed}"
            ) from None
        keys.append(EnvKey(role=role, key=key.strip()))
    return keys


def weak_key_reason(key: str) -> str | None:
    """Why a key is too weak for production, or ``None``."""
    if key.lower() in _WEAK or key.lower().strip("0123456789") in _WEAK:
        return "is a well-known default"
    if len(key) < MIN_KEY_LENGTH:
        return f"is shorter than {MIN_KEY_LENGTH} characters"
    if len(set(key)) < 8:
        return "repeats too few characters"
    return None


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt>$<hash>`` of a key's secret, with a fresh random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_text, digest_text = stored.split("$")
        salt, expected = base64.b64decode(salt_text), base64.b64decode(digest_text)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    actual = hashlib.scrypt(secret.encode(), salt=salt, **_SCRYPT)
    # Prevent timing attacks: compare in constant time.
    return hmac.compare_digest(actual, expected)


def new_key() -> tuple[str, str, str]:
    """A fresh ``(key_id, secret, key)``; the key is what a client sends."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return key_id, secret, f"{PREFIX}_{key_id}_{secret}"


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


def local_user() -> str:
    """The operating-system user running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_actor(user: str | None = None) -> str:
    """How the audit trail names a change made from the shell: the operating-system user (``user``, as the shell
    that sent the change through the server named it, or this process's)."""
    return f"local:{user or local_user()}"


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


@dataclass(frozen=True)
class StoredKey:
    """What authentication needs of a stored key: its role, its secret's hash, and whether it was revoked."""

    role: Role
    key_hash: str
    revoked: datetime | None


def split_key(key: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a stored key's text ``gsk_<id>_<secret>``; ``None`` for any other text."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    return parts[1], parts[2]


class KeyService:
    """The keys of one store and the configured ones, for the API's admins and the shell alike."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def create(self, role: Role | str, note: str = "", actor: str | None = None) -> tuple[ApiKeyInfo, str]:
        return create_key(self.store, role, note, actor)

    def list(self) -> list[ApiKeyInfo]:
        return list_keys(self.settings, self.store)

    def revoke(self, key_id: str, actor: str | None = None) -> ApiKeyInfo:
        return revoke_key(self.settings, self.store, key_id, actor)

    def stored_count(self) -> int:
        return stored_key_count(self.store)

    def stored(self, key_id: str) -> StoredKey | None:
        """The stored key with this id, or ``None``; a record with an unknown role counts as none."""
        rows = self.store.read("api_key_get", {"id": key_id})
        if not rows:
            return None
        try:
            role = Role(rows[0]["role"])
        except ValueError:
            return None
        return StoredKey(role, str(rows[0]["key_hash"]), rows[0]["revoked"])


__all__ = [
    "ENTITY_TYPE",
    "PREFIX",
    "ApiKeyInfo",
    "EnvKey",
    "KeyNotFoundError",
    "KeyNotRevocableError",
    "KeyService",
    "KeySource",
    "StoredKey",
    "create_key",
    "env_key_infos",
    "hash_secret",
    "list_keys",
    "local_actor",
    "local_user",
    "new_key",
    "parse_env_keys",
    "revoke_key",
    "split_key",
    "stored_key_count",
    "verify_secret",
    "weak_key_reason",
]
