"""The admin API over real HTTP (``api/admin.py``): limits, error shapes, progress streams, and the wire format.

The commands' side (``graph-service ... `` beside a running ``serve``) is in ``test_cli_beside_server.py``; these
tests call the API directly, on an in-process server over the small city, with the admin key of the fixtures.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from graph_service.api.wire import from_data, to_json
from graph_service.bootstrap import bootstrap
from graph_service.cli.remote import _counted
from graph_service.domain.schema import NODES, RELS
from graph_service.services.analyses import AnalysisReport
from graph_service.services.keys import ApiKeyInfo
from graph_service.services.ndjson_export import export_records, read_nodes, write_lines
from graph_service.services.ndjson_import import ImportReport, import_lines

from .conftest import City, LiveServer


@pytest.fixture(scope="module")
def server(start_server, small_city: City) -> LiveServer:
    """A server of its own (these tests import), taking import files of at most 4 KiB."""
    return start_server(records=small_city.records, max_import_bytes=4096)


def _admin(server: LiveServer, role: str = "admin") -> dict[str, str]:
    return {"Authorization": f"Bearer {server.keys[role]}"}


def _events(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines() if line]


PERSON = '{"node":"Person","id":"api-p1","props":{"name":"新居民","employment":"retired"}}\n'


def test_an_import_streams_its_progress_then_its_report(server: LiveServer) -> None:
    events = _events(httpx.post(f"{server.base_url}/admin/import", content=PERSON.encode(), headers=_admin(server), timeout=60))
    *progress, last = events
    phases = [e["progress"][1] for e in progress if e["progress"][0] == "phase"]
    assert phases[0] == "checking" and phases[-1] == "writing"
    report = from_data(ImportReport, last["result"])
    assert (report.nodes["Person"].created, report.method) == (1, "bulk")
    assert "api-p1" in {node_id for node_id, _ in read_nodes(server.store, "Person")}


def test_a_refused_import_arrives_as_the_streams_last_line_in_the_error_shape(server: LiveServer) -> None:
    version = server.store.write_version()
    body = b'{"node":"Person","id":"api-p2","props":{"name":"a","employment":"astronaut"}}\n'
    *_, last = _events(httpx.post(f"{server.base_url}/admin/import", content=body, headers=_admin(server), timeout=60))
    [error] = last["errors"]
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "props.employment",
        "problem": error["extensions"]["problem"],
        "line": 1,
        "value": "astronaut",
    }
    assert error["message"].startswith("line 1: props.employment: ") and "'astronaut'" in error["message"]
    assert server.store.write_version() == version


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_file_over_the_import_limit_gets_413_and_leaves_nothing(server: LiveServer, declared: bool) -> None:
    version = server.store.write_version()
    big = PERSON.encode() + b" " * 5000
    content: Any = big if declared else iter([big[:3000], big[3000:]])
    response = httpx.post(f"{server.base_url}/admin/import", content=content, headers=_admin(server), timeout=60)
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "REQUEST_TOO_LARGE" and "4096 bytes" in error["message"]
    assert "GRAPH_SERVICE_MAX_IMPORT_BYTES" in error["message"]
    assert server.store.write_version() == version
    assert not list(server.settings.data_dir.glob(".import-*"))


def test_the_export_is_the_local_export_byte_for_byte(server: LiveServer) -> None:
    response = httpx.get(f"{server.base_url}/admin/export", headers=_admin(server), timeout=60)
    assert response.status_code == 200
    lines = list(export_records(server.store))
    assert response.text == "".join(line + "\n" for line in lines)


def test_the_export_progress_of_a_stream_is_the_local_one(server: LiveServer) -> None:
    local: list[tuple[str, int]] = []
    lines = list(export_records(server.store, lambda name, count: local.append((name, count))))
    streamed: list[tuple[str, int]] = []
    assert list(_counted(iter(lines), lambda name, count: streamed.append((name, count)))) == lines
    assert streamed == local
    assert len(local) == len(NODES) + len(RELS)  # every table is told, empty ones too


def test_analyses_stream_each_step_and_an_unknown_area_ends_the_stream_with_its_error(server: LiveServer) -> None:
    events = _events(
        httpx.post(f"{server.base_url}/admin/analyses", json={"as_of": "2025-06-30"}, headers=_admin(server), timeout=300)
    )
    steps = [e["progress"][1] for e in events if "progress" in e]
    assert steps[0] == "projection" and "save run" in steps
    report = from_data(AnalysisReport, events[-1]["result"]["report"])
    assert report.as_of.isoformat() == "2025-06-30"
    *_, last = _events(
        httpx.post(f"{server.base_url}/admin/analyses", json={"area": "nowhere"}, headers=_admin(server), timeout=300)
    )
    assert last == {"errors": [{"message": "no area with id 'nowhere'", "extensions": {"code": "NOT_FOUND"}}]}


@pytest.mark.parametrize(
    ("body", "field"),
    [({"as_of": "2025-13-01"}, "as_of"), ({"area": 7}, "area")],
)
def test_bad_arguments_are_refused_before_any_work_naming_the_field(server: LiveServer, body: dict[str, Any], field: str) -> None:
    response = httpx.post(f"{server.base_url}/admin/analyses", json=body, headers=_admin(server), timeout=60)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["field"] == field and error["extensions"]["code"] == "BAD_USER_INPUT"
    not_json = httpx.post(f"{server.base_url}/admin/keys", content=b"{", headers=_admin(server), timeout=60)
    assert not_json.status_code == 400 and not_json.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("role", ["viewer", "analyst", "integration", "editor"])
def test_only_admin_keys_may_use_it(server: LiveServer, role: str) -> None:
    response = httpx.get(f"{server.base_url}/admin/keys", headers=_admin(server, role), timeout=60)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_keys_made_with_an_admin_key_are_audited_as_that_key(server: LiveServer) -> None:
    created = httpx.post(f"{server.base_url}/admin/keys", json={"role": "viewer"}, headers=_admin(server), timeout=60)
    assert created.status_code == 201
    info = from_data(ApiKeyInfo, created.json()["api_key"])
    entries = server.data("query($id: ID!) { auditLog(entityId: $id) { nodes { actor } } }", {"id": info.id})
    [entry] = entries["auditLog"]["nodes"]
    assert entry["actor"].startswith("key:env-") and entry["actor"].endswith("(admin)")


def test_results_cross_the_wire_unchanged(server: LiveServer, small_city: City, tmp_path) -> None:
    services = bootstrap(server.settings, server.store)
    report = services.analyses.run_all(save=False)
    assert from_data(AnalysisReport, json.loads(to_json(report))) == report
    keys = services.keys.list()
    assert from_data(list[ApiKeyInfo], json.loads(to_json(keys))) == keys
    path = tmp_path / "city.ndjson"
    with path.open("w", encoding="utf-8") as out:
        write_lines(export_records(server.store), out)
    imported = import_lines(server.store, path.read_text(encoding="utf-8").splitlines())
    assert from_data(ImportReport, json.loads(to_json(imported))) == imported
