"""The export endpoints over real HTTP: content types, content, roles, personal data and streaming."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from graph_service.domain.records import NodeRecord, RelRecord
from graph_service.services.bulk import bulk_insert
from graph_service.services.changes import ChangeService
from graph_service.store.embedded import LadybugStore
from tests.integration.writes_support import Server, running_server

UNITS = 1200  # enough rows for several store batches and many response chunks
COMMUNITIES = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = LadybugStore(Path(tmp_path_factory.mktemp("exports")) / "graph.lbdb")
    store.ensure_schema()
    records: list[NodeRecord | RelRecord] = [
        NodeRecord("Area", "dist", {"level": "district", "name": "牡丹区"}),
        NodeRecord("Area", "street", {"level": "street", "name": "西城街道"}),
        RelRecord("PART_OF", "street:PART_OF:dist", "street", "Area", "dist", "Area"),
    ]
    for c in range(COMMUNITIES):
        records += [
            NodeRecord("Area", f"comm{c}", {"level": "community", "name": f"社区{c}"}),
            RelRecord("PART_OF", f"comm{c}:PART_OF", f"comm{c}", "Area", "street", "Area"),
            NodeRecord("Organization", f"cc{c}", {"kind": "community_committee", "name": f"社区{c}党委"}),
            RelRecord("LEADS", f"cc{c}:LEADS", f"cc{c}", "Organization", f"comm{c}", "Area"),
        ]
    for u in range(UNITS):
        records += [
            NodeRecord(
                "Organization",
                f"upo{u:05d}",
                {"kind": "unit_party_org", "name": f"单位{u}党支部", "unit_type": "state_enterprise"},
            ),
            RelRecord(
                "PAIRED_WITH",
                f"pair{u:05d}",
                f"upo{u:05d}",
                "Organization",
                f"cc{u % COMMUNITIES}",
                "Organization",
                {"start_date": date(2023, 1, 1), "projects": ["助老"]},
            ),
        ]
    bulk_insert(store, records)
    svc = ChangeService(store)
    svc.create_node("setup", "Person", {"id": "sec", "name": "孙七", "phone": "13700000000", "id_number": "3717"})
    svc.create_rel("setup", "MEMBER_OF", "sec", "cc0", {"post": "secretary"})
    svc.create_node(
        "setup",
        "Activity",
        {"id": "meeting", "kind": "general_meeting", "held_on": "2025-03-01", "attendance": 30},
        held_by_id="cc0",
        attendee_ids=["sec"],
    )
    try:
        with running_server(store) as srv:
            yield srv
    finally:
        store.close()


def get(server: Server, role: str | None, path: str) -> tuple[int, dict[str, str], str]:
    with server.client(role) as client:
        response = client.get(path)
    return response.status_code, dict(response.headers), response.text


def test_ndjson_export(server: Server) -> None:
    status, headers, text = get(server, "integration", "/export/pairings.ndjson")
    assert status == 200 and headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == UNITS and len({line["id"] for line in lines}) == UNITS
    one = next(line for line in lines if line["id"] == "pair00004")
    assert one["unit_org"] == {"id": "upo00004", "name": "单位4党支部"}
    assert one["community_org"]["id"] == "cc1" and one["community"] == {"id": "comm1", "name": "社区1"}
    assert one["district"] == {"id": "dist", "name": "牡丹区"} and one["street"]["name"] == "西城街道"
    assert one["unit_type"] == {"code": "state_enterprise", "label": "国有企业"}
    assert one["start_date"] == "2023-01-01" and one["end_date"] is None and one["projects"] == ["助老"]


def test_csv_export(server: Server) -> None:
    status, headers, text = get(server, "analyst", "/export/pairings.csv")
    assert status == 200 and headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == UNITS
    assert {r["community_org_id"] for r in rows} == {f"cc{c}" for c in range(COMMUNITIES)}
    assert all(r["district_name"] == "牡丹区" for r in rows)
    # pair00007 may have been ended by the feed test below; every other pairing is open-ended since 2023
    assert all(r["active"] == "true" for r in rows if r["id"] != "pair00007")


def test_exports_stream(server: Server) -> None:
    with server.client("integration") as client, client.stream("GET", "/export/pairings.csv") as response:
        assert response.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in response.headers
        received = b"".join(response.iter_raw())
    assert received.decode("utf-8").count("\r\n") == UNITS + 1


def test_popolo_export_for_integration_has_no_names(server: Server) -> None:
    status, headers, text = get(server, "integration", "/export/popolo.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    doc = json.loads(text)
    assert doc["@context"]["OrganizationalCollaboration"] == "org:OrganizationalCollaboration"
    assert "persons" not in doc
    assert "孙七" not in text and "13700000000" not in text and "3717" not in text
    kinds = {o["classification"] for o in doc["organizations"]}
    assert {"community_committee", "unit_party_org", "co_construction_pairing"} <= kinds
    collaborations = [o for o in doc["organizations"] if o["classification"] == "co_construction_pairing"]
    assert len(collaborations) == UNITS
    sides = [m for m in doc["memberships"] if m["organization_id"] == "pair00000"]
    assert {m["member"]["id"] for m in sides} == {"upo00000", "cc0"}
    post = next(m for m in doc["memberships"] if m.get("person_id") == "sec")
    assert post["post_id"] == "cc0/post/secretary"
    assert {a["id"]: a.get("parent_id") for a in doc["areas"]}["comm2"] == "street"
    [event] = doc["events"]
    assert event["id"] == "meeting" and event["organization_id"] == "cc0" and event["start_date"] == "2025-03-01"
    assert event["classification"] == "general_meeting" and event["attendance"] == 30
    assert "attendees" not in event  # who was present is personal: only for roles that may see names


def test_popolo_export_for_analyst_has_names_but_no_contact_data(server: Server) -> None:
    status, _, text = get(server, "analyst", "/export/popolo.json")
    doc = json.loads(text)
    assert status == 200 and doc["persons"] == [{"type": "Person", "id": "sec", "name": "孙七"}]
    assert [e["attendees"] for e in doc["events"]] == [["sec"]]
    assert "13700000000" not in text and "3717" not in text


@pytest.mark.parametrize("path", ["/export/pairings.ndjson", "/export/pairings.csv", "/export/popolo.json"])
def test_export_roles(server: Server, path: str) -> None:
    assert get(server, None, path)[0] == 401
    assert get(server, "viewer", path)[0] == 403
    assert get(server, "editor", path)[0] == 403
    assert get(server, "admin", path)[0] == 200


def test_export_cursor_then_feed_gives_the_changes_after_the_export(server: Server) -> None:
    status, headers, text = get(server, "integration", "/export/pairings.ndjson")
    assert status == 200
    exported = {json.loads(line)["id"] for line in text.splitlines()}
    cursor = headers["x-change-cursor"]
    svc = ChangeService(server.store)
    svc.end_rel("test", "PAIRED_WITH", "pair00007", "2024-06-30")
    feed = server.graphql(
        "integration", "query($c: String) { pairingChanges(since: $c) { events { action entityId } } }", {"c": cursor}
    )["data"]["pairingChanges"]
    assert "pair00007" in exported
    assert feed["events"] == [{"action": "END", "entityId": "pair00007"}]
