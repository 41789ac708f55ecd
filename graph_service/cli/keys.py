"""``graph-service keys``: API keys, stored hashed; a new key is shown once."""

from __future__ import annotations

from graph_service.api.auth import create_key
from graph_service.api.permissions import Role
from graph_service.bootstrap import bootstrap
from graph_service.config import Settings


def create_key_command(settings: Settings, role: str, note: str = "") -> str:
    """Store a new key and print it once."""
    parsed = Role.parse(role)
    with bootstrap(settings) as services:
        key_id, key = create_key(services.store, parsed, note)
    print(f"Created {parsed.value} key {key_id}. It is shown only this once; store it safely:")
    print(key)
    return key


__all__ = ["create_key_command"]
