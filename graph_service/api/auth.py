"""API keys: ``Authorization: Bearer <key>``, each key with one role.

Keys come from ``GRAPH_SERVICE_API_KEYS`` (``role:key,role:key``) or from the store (``graph-service keys create
--role R``; managed in ``api/keys.py``). A stored key looks like ``gsk_<id>_<secret>``: the id finds the record,
the secret is checked against a salted scrypt hash with a constant-time compare. Only the hash is stored; the key
is printed once.

Every request reads the key's record (one lookup by id), so a revoked key is refused on its next request, in
this process or any other serving the same store. What is remembered is only that a secret matches a stored
hash (a fact that cannot go stale), so scrypt's deliberate cost is paid once per key, not once per request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

from graph_service.api.permissions import Principal, Role
from graph_service.config import Settings
from graph_service.errors import ConfigurationError, GraphServiceError
from graph_service.store.port import Store

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


def check_env_keys(settings: Settings) -> list[EnvKey]:
    """The configured keys; in production, weak or default keys are refused (``ConfigurationError``)."""
    keys = parse_env_keys(settings.api_keys.get_secret_value())
    if settings.production:
        for index, env_key in enumerate(keys):
            reason = weak_key_reason(env_key.key)
            if reason:
                raise ConfigurationError(
                    f"GRAPH_SERVICE_API_KEYS entry {index + 1} ({env_key.role.value}) {reason}; refused in production"
                )
    return keys


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


class KeyRing:
    """Checks presented keys against the configured and the stored ones."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.env_keys = check_env_keys(settings)
        self.store = store
        # SHA-256 of (key, stored hash) pairs already verified by scrypt.
        self._verified: set[bytes] = set()
        self._lock = threading.Lock()

    def authenticate(self, key: str) -> Principal | None:
        """The caller a key stands for, or ``None`` for an unknown, revoked or malformed key."""
        if not key or len(key) > 512:
            return None
        for env_key in self.env_keys:
            if hmac.compare_digest(env_key.key.encode(), key.encode()):
                return Principal(role=env_key.role, key_id=env_key.key_id)
        parts = key.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX:
            return None
        _, key_id, secret = parts
        try:
            rows = self.store.read("api_key_get", {"id": key_id})
        except GraphServiceError:
            return None
        if not rows or rows[0]["revoked"] is not None:
            return None
        try:
            role = Role(rows[0]["role"])
        except ValueError:
            return None
        stored = str(rows[0]["key_hash"])
        pair = hashlib.sha256(key.encode() + b"\0" + stored.encode()).digest()
        with self._lock:
            known = pair in self._verified
        if not known:
            if not verify_secret(secret, stored):
                return None
            with self._lock:
                if len(self._verified) >= _MAX_VERIFIED:
                    self._verified.clear()
                self._verified.add(pair)
        return Principal(role=role, key_id=key_id)


def bearer_token(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


__all__ = [
    "EnvKey",
    "KeyRing",
    "bearer_token",
    "check_env_keys",
    "hash_secret",
    "new_key",
    "parse_env_keys",
    "verify_secret",
    "weak_key_reason",
]
