"""Request authentication: ``Authorization: Bearer <key>``, each key with one role.

Keys come from ``GRAPH_SERVICE_API_KEYS`` (``role:key,role:key``) or from the store (``services.keys``).
Every request reads the key's record (one lookup by id), so a revoked key is refused on its next request, in
this process or any other serving the same store. What is remembered is only that a secret matches a stored
hash (a fact that cannot go stale), so scrypt's deliberate cost is paid once per key, not once per request.
"""

from __future__ import annotations

import hashlib
import hmac
import threading

from graph_service.api.permissions import Principal
from graph_service.config import Settings
from graph_service.errors import ConfigurationError, GraphServiceError
from graph_service.services.keys import EnvKey, KeyService, parse_env_keys, split_key, verify_secret, weak_key_reason

_MAX_VERIFIED = 10_000


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


class KeyRing:
    """Checks presented keys against the configured and the stored ones."""

    def __init__(self, settings: Settings, keys: KeyService) -> None:
        self.env_keys = check_env_keys(settings)
        self.keys = keys
        # SHA-256 of (key, stored hash) pairs already verified by scrypt.
        self._verified: set[bytes] = set()
        self._lock = threading.Lock()

    def configured(self, key: str) -> Principal | None:
        """The caller of a configured key (``GRAPH_SERVICE_API_KEYS``): no store involved, so no worker thread."""
        if not key or len(key) > 512:
            return None
        for env_key in self.env_keys:
            if hmac.compare_digest(env_key.key.encode(), key.encode()):
                return Principal(role=env_key.role, key_id=env_key.key_id)
        return None

    def authenticate(self, key: str) -> Principal | None:
        """The caller a key stands for, or ``None`` for an unknown, revoked or malformed key."""
        if not key or len(key) > 512:
            return None
        configured = self.configured(key)
        if configured is not None:
            return configured
        parts = split_key(key)
        if parts is None:
            return None
        key_id, secret = parts
        try:
            stored = self.keys.stored(key_id)
        except GraphServiceError:
            return None
        if stored is None or stored.revoked is not None:
            return None
        pair = hashlib.sha256(key.encode() + b"\0" + stored.key_hash.encode()).digest()
        with self._lock:
            known = pair in self._verified
        if not known:
            if not verify_secret(secret, stored.key_hash):
                return None
            with self._lock:
                if len(self._verified) >= _MAX_VERIFIED:
                    self._verified.clear()
                self._verified.add(pair)
        return Principal(role=stored.role, key_id=key_id)


def bearer_token(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


__all__ = ["KeyRing", "bearer_token", "check_env_keys"]
