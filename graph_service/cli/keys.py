"""``graph-service keys``: create (shown once), list and revoke API keys, audited as the local user (on the store, or
through the server that serves it: ``cli/backend.py``)."""

from __future__ import annotations

import json
from datetime import datetime

from rich.table import Table

from graph_service.cli.backend import Backend
from graph_service.cli.output import out
from graph_service.domain.access import Role
from graph_service.services.keys import ApiKeyInfo


def create_key_command(backend: Backend, role: str, note: str = "") -> str:
    """Store a new key and print it once."""
    parsed = Role.parse(role)
    info, key = backend.create_key(parsed, note)
    print(f"Created {parsed.value} key {info.id}. It is shown only this once; store it safely:")
    print(key)
    return key


def list_keys_command(backend: Backend, *, as_json: bool, active_only: bool) -> list[ApiKeyInfo]:
    """Print the keys (never a key or its hash) as a table or JSON."""
    found = [k for k in backend.list_keys() if k.active or not active_only]
    if as_json:
        print(json.dumps([_key_json(k) for k in found], ensure_ascii=False, indent=2))
        return found
    table = Table("id", "role", "source", "note", "created (UTC)", "revoked (UTC)", box=None, pad_edge=False)
    for k in found:
        table.add_row(k.id, k.role.value, k.source.value, k.note, _when(k.created), _when(k.revoked))
    out.print(table)
    return found


def revoke_key_command(backend: Backend, key_id: str) -> ApiKeyInfo:
    """Revoke a stored key and say so."""
    revoked = backend.revoke_key(key_id)
    print(f"Revoked {revoked.role.value} key {revoked.id} at {_when(revoked.revoked)} UTC.")
    return revoked


def _when(at: datetime | None) -> str:
    return "" if at is None else f"{at:%Y-%m-%d %H:%M:%S}"


def _key_json(key: ApiKeyInfo) -> dict[str, object]:
    return {
        "id": key.id,
        "role": key.role.value,
        "source": key.source.value,
        "note": key.note,
        "created": key.created.isoformat() if key.created else None,
        "revoked": key.revoked.isoformat() if key.revoked else None,
    }


__all__ = ["create_key_command", "list_keys_command", "revoke_key_command"]
