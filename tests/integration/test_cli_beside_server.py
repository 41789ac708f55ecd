"""The commands work while ``graph-service serve`` runs on the same data directory (issue 8).

Real processes only: ``graph-service seed --scale 0.01``, then ``graph-service serve`` as a subprocess on a loopback
port, then each command as a subprocess against the same data directory. The server owns the LadybugDB file, so
a command that opened it itself would fail with LadybugDB's lock: every command here must go through the server
(and see what the server sees), or refuse in one line naming what to do. Every wait is bounded (a hang guard);
nothing asserts a duration.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph_service.api.discovery import SERVER_FILE, TOKEN_FILE
from graph_service.services.keys import local_actor

from .conftest import free_port

GRAPH_SERVICE = Path(sys.executable).with_name("graph-service")
#: Hang guards, not expectations: a command or a start that takes this long has hung.
COMMAND_TIMEOUT = 300
START_TIMEOUT = 120

pytestmark = pytest.mark.skipif(not GRAPH_SERVICE.exists(), reason=f"console script not installed at {GRAPH_SERVICE}")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_SERVICE_")}
    return {**env, "GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_API_KEYS": "", "COLUMNS": "200", **extra}


def cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GRAPH_SERVICE), *args],
        capture_output=True,
        text=True,
        env=_env(data_dir, **env),
        cwd=data_dir,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"status {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Could not set lock" not in result.stderr
    return result


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


@dataclass
class Served:
    data_dir: Path
    url: str
    process: subprocess.Popen[str]

    def gql(self, key: str, query: str, variables: dict[str, object] | None = None) -> httpx.Response:
        body = {"query": query, "variables": variables or {}}
        return httpx.post(f"{self.url}/graphql", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)


def seed(data_dir: Path) -> None:
    ok(cli(data_dir, "seed", "--scale", "0.01"))


def serve(data_dir: Path) -> Served:
    """``graph-service serve`` on a free port, once it has announced itself and answers."""
    port = free_port()
    process = subprocess.Popen(
        [str(GRAPH_SERVICE), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(data_dir),
        cwd=data_dir,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"graph-service serve exited with status {process.returncode}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("graph-service serve did not start")
        announced = data_dir / SERVER_FILE
        if announced.exists() and json.loads(announced.read_text())["pid"] == process.pid:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    return Served(data_dir, url, process)
            except httpx.TransportError:
                pass
        time.sleep(0.1)


def stop(served: Served, sig: signal.Signals = signal.SIGTERM) -> int:
    if served.process.poll() is None:
        served.process.send_signal(sig)
    return served.process.wait(timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data_dir = tmp_path_factory.mktemp("served")
    seed(data_dir)
    running = serve(data_dir)
    yield running
    stop(running)


@pytest.fixture(scope="module")
def admin_key(served: Served) -> str:
    """The first admin key, made through the server without having any key."""
    created = ok(cli(served.data_dir, "keys", "create", "--role", "admin", "--note", "first admin"))
    return created.stdout.strip().splitlines()[-1]


# --- how the server announces itself ---------------------------------------------------------------------------


def test_the_server_announces_itself_in_the_data_directory(served: Served) -> None:
    info = json.loads((served.data_dir / SERVER_FILE).read_text())
    assert info["url"] == served.url and info["pid"] == served.process.pid
    token = served.data_dir / TOKEN_FILE
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert token.read_text().strip().startswith("gsl_")


def test_admin_requests_without_the_token_or_an_admin_key_are_refused(served: Served, admin_key: str) -> None:
    token = (served.data_dir / TOKEN_FILE).read_text().strip()
    for headers in ({}, {"Authorization": "Bearer gsl_not-the-token"}, {"Authorization": f"Bearer {token}x"}):
        refused = httpx.get(f"{served.url}/admin/keys", headers=headers, timeout=30)
        assert refused.status_code == 401
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "UNAUTHENTICATED" and error["message"]
    for path in ("/admin/export", "/admin/import"):
        method = "GET" if path == "/admin/export" else "POST"
        assert httpx.request(method, served.url + path, content=b"", timeout=30).status_code == 401
    viewer = ok(cli(served.data_dir, "keys", "create", "--role", "viewer")).stdout.strip().splitlines()[-1]
    forbidden = httpx.get(f"{served.url}/admin/keys", headers={"Authorization": f"Bearer {viewer}"}, timeout=30)
    assert forbidden.status_code == 403
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The local token is for the admin API only, not for GraphQL.
    assert served.gql(token, "{ __typename }").status_code == 401
    assert httpx.get(f"{served.url}/admin/keys", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code == 200
    assert httpx.get(f"{served.url}/admin/keys", headers={"Authorization": f"Bearer {admin_key}"}, timeout=30).status_code == 200


# --- keys --------------------------------------------------------------------------------------------------------


def test_a_key_made_through_the_server_works_at_once_and_a_revoked_one_is_refused(served: Served, admin_key: str) -> None:
    created = ok(cli(served.data_dir, "keys", "create", "--role", "analyst", "--note", "district office"))
    key = created.stdout.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    assert f"Created analyst key {key_id}" in created.stdout and created.stdout.count(key) == 1
    answer = served.gql(key, "{ areas(level: CITY) { edges { node { name } } } }")
    assert answer.status_code == 200 and answer.json()["data"]["areas"]["edges"][0]["node"]["name"] == "菏泽市"

    listed = json.loads(ok(cli(served.data_dir, "keys", "list", "--format", "json")).stdout)
    mine = next(k for k in listed if k["id"] == key_id)
    assert (mine["role"], mine["note"], mine["revoked"]) == ("analyst", "district office", None)
    table = ok(cli(served.data_dir, "keys", "list")).stdout
    assert key_id in table and "district office" in table and key not in table

    revoked = ok(cli(served.data_dir, "keys", "revoke", key_id))
    assert f"Revoked analyst key {key_id}" in revoked.stdout
    assert served.gql(key, "{ __typename }").status_code == 401
    active = json.loads(ok(cli(served.data_dir, "keys", "list", "--format", "json", "--active")).stdout)
    assert key_id not in {k["id"] for k in active}

    # Audited as the user at the shell, like a change made on the store itself.
    audit = served.gql(admin_key, "query($id: ID!) { auditLog(entityId: $id) { nodes { actor action } } }", {"id": key_id})
    entries = audit.json()["data"]["auditLog"]["nodes"]
    assert {(e["actor"], e["action"]) for e in entries} == {(local_actor(), "CREATE"), (local_actor(), "END")}


def test_refusals_read_as_they_do_without_a_server(served: Served) -> None:
    again = cli(served.data_dir, "keys", "revoke", "no-such-key")
    assert again.returncode == 1
    assert error_lines(again) == ["error no API key with id 'no-such-key'; `graph-service keys list` shows the ids"]
    bad_role = cli(served.data_dir, "keys", "create", "--role", "mayor")
    assert bad_role.returncode == 1
    assert "role: unknown role" in bad_role.stderr and "'mayor'" in bad_role.stderr
    assert "1 problem(s); nothing was written." in bad_role.stderr


# --- analyze -----------------------------------------------------------------------------------------------------


def test_analyze_runs_in_the_server_and_saves_the_run_there(served: Served, admin_key: str, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    ok(cli(served.data_dir, "analyze", "--format", "json", "--out", str(out), "--as-of", "2025-06-30"))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["as_of"] == "2025-06-30" and report["summary"]["compounds"] == len(report["coverage"])
    truth = json.loads((served.data_dir / "ground_truth.json").read_text(encoding="utf-8"))
    assert report["summary"]["under_covered"] == len(truth["planted_under_covered_compounds"])
    runs = served.gql(admin_key, "{ analysisRuns(first: 5) { nodes { id parameters } } }").json()["data"]["analysisRuns"]
    assert report["run_id"] in {run["id"] for run in runs["nodes"]}

    table = ok(cli(served.data_dir, "analyze", "--as-of", "2025-06-30"))
    assert "Under-covered compounds" in table.stdout and "previous run" in table.stdout
    csv_text = ok(cli(served.data_dir, "analyze", "--format", "csv", "--as-of", "2025-06-30")).stdout
    assert csv_text.startswith("analysis,entity_id,")

    unknown = cli(served.data_dir, "analyze", "--area", "hz-nowhere")
    assert unknown.returncode == 1
    assert error_lines(unknown)[-1] == "error no area with id 'hz-nowhere'"


# --- import and export -------------------------------------------------------------------------------------------

NEW_RECORDS = [
    '{"node":"Person","id":"cli-p1","props":{"employment":"retired","is_party_member":false,"name":"新居民"}}',
    '{"rel":"RESIDES_IN","from":"cli-p1","from_label":"Person","to":"hz","to_label":"Area","props":{}}',
]


def test_import_then_export_round_trips_through_the_server(served: Served, tmp_path: Path) -> None:
    before = tmp_path / "before.ndjson"
    ok(cli(served.data_dir, "export", str(before)))
    building = next(
        json.loads(line)["id"] for line in before.read_text(encoding="utf-8").splitlines() if '"level":"building"' in line
    )
    new = tmp_path / "new.ndjson"
    # A few megabytes (blank space, which the format ignores): the admin import has its own, generous limit.
    lines = [NEW_RECORDS[0], NEW_RECORDS[1].replace('"to":"hz"', f'"to":"{building}"'), " " * 3_000_000]
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")

    imported = ok(cli(served.data_dir, "import", str(new)))
    assert "2 records in" in imported.stdout and "bulk load" in imported.stdout
    assert "│ Person" in imported.stdout or "Person" in imported.stdout

    after = tmp_path / "after.ndjson"
    exported = ok(cli(served.data_dir, "export", str(after)))
    assert f"exported {len(before.read_text().splitlines()) + 2} records" in exported.stderr
    after_lines = after.read_text(encoding="utf-8").splitlines()
    assert NEW_RECORDS[0] in after_lines
    assert set(before.read_text(encoding="utf-8").splitlines()) < set(after_lines)
    assert ok(cli(served.data_dir, "export", "-")).stdout == after.read_text(encoding="utf-8")

    again = ok(cli(served.data_dir, "import", str(after)))
    assert "the store already held every one, nothing changed" in again.stdout


def test_a_bad_file_is_refused_whole_naming_line_field_and_value(served: Served, tmp_path: Path) -> None:
    before = ok(cli(served.data_dir, "export", "-")).stdout
    bad = tmp_path / "bad.ndjson"
    bad.write_text(
        NEW_RECORDS[0].replace("cli-p1", "cli-p2")
        + "\n"
        + '{"node":"Organization","id":"x1","props":{"kind":"party_cell","name":"a"}}\n'
        + '{"rel":"RESIDES_IN","from":"nobody","to":"hz","props":{}}\n',
        encoding="utf-8",
    )
    refused = cli(served.data_dir, "import", str(bad))
    assert refused.returncode == 1
    assert "line 2: props.kind" in refused.stderr and "'party_cell'" in refused.stderr
    assert "line 3: from: no Person with this id" in refused.stderr and "'nobody'" in refused.stderr
    assert "2 problem(s); nothing was written." in refused.stderr
    assert ok(cli(served.data_dir, "export", "-")).stdout == before  # not even the good first line
    assert not list(served.data_dir.glob(".import-*")), "the uploaded file was left behind"


# --- what cannot go through a server -----------------------------------------------------------------------------


def test_seed_and_a_second_serve_refuse_in_one_line(served: Served) -> None:
    where = f"PID {served.process.pid} at {served.url}"
    seeded = cli(served.data_dir, "seed", "--scale", "0.01")
    assert seeded.returncode == 1
    [line] = error_lines(seeded)
    assert "seed" in line and where in line and "stop that server" in line and "another data directory" in line
    second = cli(served.data_dir, "serve", "--port", str(free_port()))
    assert second.returncode == 1
    [line] = error_lines(second)
    assert "serve" in line and where in line and "stop that server" in line
    assert served.process.poll() is None


def test_a_server_elsewhere_is_named_with_server_and_an_admin_key(served: Served, admin_key: str, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # no store and no server.json here: only --server leads to the data
    elsewhere.mkdir()
    listed = ok(cli(elsewhere, "keys", "list", "--format", "json", "--server", served.url, "--key", admin_key))
    assert any(k["note"] == "first admin" for k in json.loads(listed.stdout))
    named = {"GRAPH_SERVICE_SERVER": served.url, "GRAPH_SERVICE_ADMIN_KEY": admin_key}
    from_env = ok(cli(elsewhere, "keys", "list", "--format", "json", **named))
    assert json.loads(from_env.stdout) == json.loads(listed.stdout)
    keyless = cli(elsewhere, "keys", "list", "--server", served.url)
    assert keyless.returncode == 1
    [line] = error_lines(keyless)
    assert "--key" in line and "GRAPH_SERVICE_ADMIN_KEY" in line
    assert not (elsewhere / "graph.lbdb").exists()


# --- stopping ----------------------------------------------------------------------------------------------------


def test_a_clean_stop_removes_the_files_and_a_killed_server_s_are_ignored(tmp_path: Path) -> None:
    seed(tmp_path)
    first = serve(tmp_path)
    assert stop(first, signal.SIGTERM) == -signal.SIGTERM
    assert not (tmp_path / SERVER_FILE).exists() and not (tmp_path / TOKEN_FILE).exists()

    killed = serve(tmp_path)
    assert stop(killed, signal.SIGKILL) == -signal.SIGKILL
    assert (tmp_path / SERVER_FILE).exists()  # left behind: nothing ran after the kill

    listed = ok(cli(tmp_path, "keys", "list", "--format", "json"))
    assert json.loads(listed.stdout) == []
    [note] = [line for line in listed.stderr.splitlines() if line.strip()]
    assert note.startswith(f"note: ignoring {tmp_path / SERVER_FILE}") and f"PID {killed.process.pid}" in note
    # A new server takes the directory over, files and all.
    again = serve(tmp_path)
    try:
        assert json.loads((tmp_path / SERVER_FILE).read_text())["pid"] == again.process.pid
    finally:
        # Ctrl-C: uvicorn shuts down, then raises SIGINT again under asyncio's runner, whose handler cancels a task
        # that may already be finishing; the status is then 0 or 130 (the interrupt's), by timing (0 once in a run
        # of the whole suite, 4 December 2026). What must hold either way: the process ended, its files are gone.
        assert stop(again, signal.SIGINT) in (0, 130)
    assert not (tmp_path / SERVER_FILE).exists()


HOLD_STORE = """
import sys
from pathlib import Path
from graph_service.store.embedded import LadybugStore
store = LadybugStore(Path(sys.argv[1]))
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


def test_a_store_held_by_a_process_that_is_no_server_is_named_in_one_line(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_STORE, str(tmp_path / "graph.lbdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        for command in (("keys", "list"), ("seed", "--scale", "0.01"), ("export", "-")):
            result = cli(tmp_path, *command)
            assert result.returncode == 1, command
            [line] = error_lines(result)
            assert f"in use by another process (PID {holder.pid})" in line and str(tmp_path) in line, line
            assert "Could not set lock" not in line
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
