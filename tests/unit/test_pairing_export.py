"""The bulk exports on the real embedded store: keyset batches, CSV and NDJSON content, Popolo structure."""

from __future__ import annotations

import csv
import io
import json

import pytest

from graph_service.services import pairing_export
from graph_service.services.changes import ChangeService
from graph_service.store.embedded import LadybugStore

ACTOR = "test"


@pytest.fixture
def network(store: LadybugStore) -> dict[str, list[str]]:
    svc = ChangeService(store)
    svc.create_node(ACTOR, "Area", {"id": "hz", "level": "city", "name": "菏泽市"})
    svc.create_node(ACTOR, "Area", {"id": "d", "level": "district", "name": "牡丹区"}, parent_id="hz")
    svc.create_node(ACTOR, "Area", {"id": "s", "level": "street", "name": "西城街道"}, parent_id="d")
    pairings = []
    for c in range(2):
        svc.create_node(ACTOR, "Area", {"id": f"c{c}", "level": "community", "name": f"社区{c}"}, parent_id="s")
        svc.create_node(
            ACTOR,
            "Organization",
            {"id": f"cc{c}", "kind": "community_committee", "name": f"社区{c}党委"},
            leads_area_id=f"c{c}",
        )
    for u in range(3):
        svc.create_node(ACTOR, "Organization", {"id": f"unit{u}", "kind": "unit", "name": f"单位{u}"})
        svc.create_node(
            ACTOR,
            "Organization",
            {"id": f"upo{u}", "kind": "unit_party_org", "name": f"单位{u}党支部", "unit_type": "school"},
            parent_id=f"unit{u}",
        )
        for c in range(2):
            row = svc.create_rel(
                ACTOR,
                "PAIRED_WITH",
                f"upo{u}",
                f"cc{c}",
                {"start_date": "2023-01-01", "end_date": "2023-12-31" if u == 0 else None, "projects": ["助学", "帮困"]},
            )
            pairings.append(row["id"])
    svc.create_node(ACTOR, "Person", {"id": "p", "name": "王五", "phone": "13800000000", "address": "某路1号"})
    svc.create_rel(ACTOR, "MEMBER_OF", "p", "cc0", {"post": "secretary", "start_date": "2020-01-01"})
    svc.create_rel(ACTOR, "REGISTERED_WITH", "upo1", "cc0", {})
    svc.create_node(
        ACTOR,
        "Activity",
        {"id": "act", "kind": "party_lesson", "held_on": "2025-03-14", "attendance": 12, "topic": "学习党章"},
        held_by_id="cc0",
        attendee_ids=["p"],
    )
    svc.create_node(ACTOR, "Activity", {"id": "act2", "kind": "themed_party_day", "held_on": "2025-04-10"}, held_by_id="upo2")
    return {"pairings": pairings}


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_every_pairing_once_whatever_the_batch(store: LadybugStore, network: dict[str, list[str]], batch: int) -> None:
    rows = list(pairing_export.iter_pairings(store, batch))
    assert sorted(r["id"] for r in rows) == sorted(network["pairings"])
    assert len({r["id"] for r in rows}) == len(rows)


def test_ndjson_line_has_both_organisations_and_the_place(store: LadybugStore, network: dict[str, list[str]]) -> None:
    lines = "".join(pairing_export.pairings_ndjson(store, batch=2)).splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == len(network["pairings"])
    first = next(o for o in objs if o["unit_org"]["id"] == "upo0" and o["community_org"]["id"] == "cc1")
    assert first["unit"] == {"id": "unit0", "name": "单位0"}
    assert first["unit_type"] == {"code": "school", "label": "中小学校"}
    assert first["community"] == {"id": "c1", "name": "社区1"}
    assert first["district"] == {"id": "d", "name": "牡丹区"}
    assert first["projects"] == ["助学", "帮困"]
    assert first["end_date"] == "2023-12-31" and first["active"] is False
    assert sum(o["active"] for o in objs) == 4  # units 1 and 2, open-ended since 2023


def test_csv_parses_with_header_and_no_personal_data(store: LadybugStore, network: dict[str, list[str]]) -> None:
    text = "".join(pairing_export.pairings_csv(store))
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == list(pairing_export.PAIRING_COLUMNS)
    assert len(rows) == len(network["pairings"])
    assert {r["community_name"] for r in rows} == {"社区0", "社区1"}
    assert all(r["projects"] == "助学; 帮困" for r in rows)
    assert "王五" not in text and "13800000000" not in text


@pytest.mark.parametrize("names", [True, False])
def test_popolo_document(store: LadybugStore, network: dict[str, list[str]], names: bool) -> None:
    text = "".join(pairing_export.popolo_json(store, with_person_names=names))
    doc = json.loads(text)
    assert "@context" in doc and doc["@context"]["Membership"] == "org:Membership"
    orgs = {o["id"]: o for o in doc["organizations"]}
    assert orgs["upo1"]["parent_id"] == "unit1" and orgs["upo1"]["classification"] == "unit_party_org"
    assert orgs["cc0"]["area_id"] == "c0"
    collaborations = [o for o in doc["organizations"] if "OrganizationalCollaboration" in o["type"]]
    assert sorted(o["id"] for o in collaborations) == sorted(network["pairings"])
    areas = {a["id"]: a for a in doc["areas"]}
    assert areas["c0"]["parent_id"] == "s" and areas["c0"]["classification"] == "community"
    assert doc["posts"] == [
        {"type": "Post", "id": "cc0/post/secretary", "label": "社区0党委 书记", "role": "secretary", "organization_id": "cc0"}
    ]
    memberships = doc["memberships"]
    post = next(m for m in memberships if m.get("person_id") == "p")
    assert post["post_id"] == "cc0/post/secretary" and post["start_date"] == "2020-01-01"
    pairing_sides = [m for m in memberships if m["organization_id"] in network["pairings"]]
    assert len(pairing_sides) == 2 * len(network["pairings"])
    assert {m.get("on_behalf_of_id") for m in pairing_sides if m["role"] == "unit_party_org"} == {"unit0", "unit1", "unit2"}
    assert any(m["role"] == "dual_checkin" and m["member"]["id"] == "upo1" for m in memberships)
    assert doc["events"][0] == {
        "type": "Event",
        "id": "act",
        "name": "社区0党委 党课",
        "classification": "party_lesson",
        "classification_label": "党课",
        "start_date": "2025-03-14",
        "organization_id": "cc0",
        "description": "学习党章",
        "attendance": 12,
        **({"attendees": ["p"]} if names else {}),
    }
    assert doc["events"][1]["organization_id"] == "upo2" and "attendees" not in doc["events"][1]
    assert doc["@context"]["Event"]["@id"] == "schema:Event"
    assert ("persons" in doc) is names
    if names:
        assert doc["persons"] == [{"type": "Person", "id": "p", "name": "王五"}]
    assert "13800000000" not in text and "某路1号" not in text
    assert ("王五" in text) is names
