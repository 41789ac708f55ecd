"""API keys over real HTTP: admins list, create and revoke them; a revoked key is refused on its next request."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from graph_service.config import Settings
from graph_service.services import keys

LIST = "{ apiKeys { id role source note created revoked active } }"
CREATE = """mutation($role: ApiKeyRole!, $note: String!) {
  createApiKey(input: {role: $role, note: $note}) {
    key apiKey { id role source note created active } errors { field message value }
  }
}"""
REVOKE = """mutation($id: ID!) {
  revokeApiKey(input: {id: $id}) { apiKey { id role revoked active } errors { field message value } }
}"""
PROBE = "{ __typename }"


@pytest.fixture(scope="module")
def server(start_server):
    """A server of its own: these tests write keys."""
    return start_server()


def _status(server, key: str) -> int:
    response = httpx.post(server.graphql_url, json={"query": PROBE}, headers={"Authorization": f"Bearer {key}"})
    return response.status_code


def _create(server, role: str = "viewer", note: str = "district office") -> dict:
    body = server.data(CREATE, {"role": role.upper(), "note": note})["createApiKey"]
    assert body["errors"] == []
    return body


def test_keys_are_listed_without_the_key_or_its_hash(server):
    created = _create(server, "analyst", "张三的分析账号")
    response = server.gql(LIST)
    listed = response.json()["data"]["apiKeys"]
    configured = [k for k in listed if k["source"] == "ENVIRONMENT"]
    assert sorted(k["role"] for k in configured) == sorted(r.upper() for r in server.keys)
    env_ids = {"env-" + hashlib.sha256(key.encode()).hexdigest()[:10] for key in server.keys.values()}
    assert {k["id"] for k in configured} == env_ids
    mine = next(k for k in listed if k["id"] == created["apiKey"]["id"])
    assert mine["role"] == "ANALYST" and mine["source"] == "STORED" and mine["note"] == "张三的分析账号"
    assert mine["active"] is True and mine["revoked"] is None and mine["created"].endswith("+00:00")
    # Neither the new key, nor any configured key, nor a hash appears anywhere in the answer.
    for secret in (created["key"], *server.keys.values()):
        assert secret not in response.text
    assert "scrypt" not in response.text


def test_a_created_key_is_shown_once_and_works_at_once(server):
    created = _create(server, "editor")
    key = created["key"]
    assert key.startswith(f"gsk_{created['apiKey']['id']}_")
    assert created["apiKey"]["role"] == "EDITOR" and created["apiKey"]["active"] is True
    assert _status(server, key) == 200


def test_a_revoked_key_is_refused_on_its_next_request(server):
    key = _create(server)["key"]
    key_id = key.split("_")[1]
    # Used first, so that its verification is remembered: the revocation must still win.
    assert _status(server, key) == 200
    assert _status(server, key) == 200
    body = server.data(REVOKE, {"id": key_id})["revokeApiKey"]
    assert body["errors"] == [] and body["apiKey"]["active"] is False and body["apiKey"]["revoked"]
    assert _status(server, key) == 401
    listed = {k["id"]: k for k in server.data(LIST)["apiKeys"]}
    assert listed[key_id]["active"] is False
    active_only = server.data("{ apiKeys(includeRevoked: false) { id } }")["apiKeys"]
    assert key_id not in {k["id"] for k in active_only}


def test_a_key_revoked_from_the_shell_is_refused_too(server):
    info, key = keys.create_key(server.store, "viewer", "from the shell")
    assert _status(server, key) == 200
    keys.revoke_key(server.settings, server.store, info.id)
    assert _status(server, key) == 401


def test_a_configured_key_cannot_be_revoked_and_the_error_says_why(server):
    env_id = "env-" + hashlib.sha256(server.keys["viewer"].encode()).hexdigest()[:10]
    body = server.data(REVOKE, {"id": env_id})["revokeApiKey"]
    [error] = body["errors"]
    assert body["apiKey"] is None and error["field"] == "id" and error["value"] == env_id
    assert "GRAPH_SERVICE_API_KEYS" in error["message"] and "restart" in error["message"]
    assert _status(server, server.keys["viewer"]) == 200


def test_revoking_an_unknown_or_revoked_key_names_it(server):
    [unknown] = server.data(REVOKE, {"id": "nosuchkey"})["revokeApiKey"]["errors"]
    assert unknown["field"] == "id" and unknown["value"] == "nosuchkey" and "no API key" in unknown["message"]
    key_id = _create(server)["apiKey"]["id"]
    assert server.data(REVOKE, {"id": key_id})["revokeApiKey"]["errors"] == []
    [again] = server.data(REVOKE, {"id": key_id})["revokeApiKey"]["errors"]
    assert again["field"] == "id" and "already revoked" in again["message"]


def test_a_bad_role_or_note_is_refused_with_the_field(server):
    response = server.gql(CREATE, {"role": "OWNER", "note": ""})
    assert response.status_code == 400 and "OWNER" in response.text
    body = server.data(CREATE, {"role": "VIEWER", "note": "x" * 201})["createApiKey"]
    [error] = body["errors"]
    assert body["key"] is None and error["field"] == "note" and "200" in error["message"]


@pytest.mark.parametrize("role", ["viewer", "analyst", "integration", "editor"])
def test_only_admins_manage_keys(server, role):
    for query, variables, field in (
        (LIST, None, "Query.apiKeys"),
        (CREATE, {"role": "ADMIN", "note": ""}, "Mutation.createApiKey"),
        (REVOKE, {"id": "whatever"}, "Mutation.revokeApiKey"),
    ):
        body = server.gql(query, variables, role=role).json()
        [error] = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN" and field in error["message"], (role, field)
        assert body["data"] is None


def test_key_changes_are_audited_under_the_admin_key(server):
    created = _create(server, "integration", "省平台")
    key_id = created["apiKey"]["id"]
    server.data(REVOKE, {"id": key_id})
    log = server.data(
        "query($id: ID!) { auditLog(entityId: $id) { nodes { action actor entityType before after } } }", {"id": key_id}
    )["auditLog"]["nodes"]
    assert [e["action"] for e in log] == ["CREATE", "END"]
    admin_id = "env-" + hashlib.sha256(server.keys["admin"].encode()).hexdigest()[:10]
    assert {e["actor"] for e in log} == {f"key:{admin_id}(admin)"}
    assert all(e["entityType"] == "ApiKey" for e in log)
    assert log[0]["after"]["props"]["role"] == "integration" and log[0]["after"]["props"]["note"] == "省平台"
    assert "revoked" in log[1]["after"]["props"] and "revoked" not in log[1]["before"]["props"]
    assert "key_hash" not in json.dumps(log) and created["key"] not in json.dumps(log)


# --- the CLI on a local store ---------------------------------------------------------------------------------


def _cli(data_dir: Path, *args: str, api_keys: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_API_KEYS": api_keys}
    command = [str(Path(sys.executable).with_name("graph-service")), "keys", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=data_dir, timeout=120)


def test_keys_list_and_revoke_from_the_shell(tmp_path: Path):
    configured = "viewer:a-configured-viewer-key-of-some-length"
    made = _cli(tmp_path, "create", "--role", "analyst", "--note", "区委组织部")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    listed = _cli(tmp_path, "list", "--format", "json", api_keys=configured)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["source"], r["role"]) for r in rows] == [("environment", "viewer"), ("stored", "analyst")]
    assert rows[1]["id"] == key_id and rows[1]["note"] == "区委组织部" and rows[1]["revoked"] is None
    assert key not in listed.stdout and "a-configured-viewer-key" not in listed.stdout
    table = _cli(tmp_path, "list")
    assert key_id in table.stdout and "区委组织部" in table.stdout and key not in table.stdout

    revoked = _cli(tmp_path, "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    assert f"Revoked analyst key {key_id}" in revoked.stdout
    rows = json.loads(_cli(tmp_path, "list", "--format", "json").stdout)
    assert rows[0]["revoked"] is not None
    assert json.loads(_cli(tmp_path, "list", "--format", "json", "--active").stdout) == []
    settings = Settings(data_dir=tmp_path)
    from graph_service.api.auth import KeyRing
    from graph_service.bootstrap import bootstrap

    with bootstrap(settings) as services:
        assert KeyRing(settings, services.keys).authenticate(key) is None

    again = _cli(tmp_path, "revoke", key_id)
    assert again.returncode == 1 and "already revoked" in again.stderr
    unknown = _cli(tmp_path, "revoke", "nosuchkey")
    assert unknown.returncode == 1 and "no API key with id 'nosuchkey'" in unknown.stderr
    env_id = json.loads(_cli(tmp_path, "list", "--format", "json", api_keys=configured).stdout)[0]["id"]
    refused = _cli(tmp_path, "revoke", env_id, api_keys=configured)
    assert refused.returncode == 1 and "GRAPH_SERVICE_API_KEYS" in refused.stderr
