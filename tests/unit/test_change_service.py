"""The change service on the real embedded store: every mutation kind, user errors, audit and the change feed."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph_service.domain.records import NodeRecord, RelRecord, rel_id
from graph_service.domain.schema import NODES, RELS
from graph_service.errors import ConflictError, NotFoundError, ValidationError
from graph_service.services import audit
from graph_service.services.bulk import bulk_insert
from graph_service.services.changes import (
    DATED_RELS,
    EDITABLE_NODES,
    ChangeService,
    EntityNotFoundError,
)
from graph_service.store.embedded import LadybugStore
from graph_service.store.queries import CYPHER_DIR

ACTOR = "key:test(editor)"
PAIRING_TYPES = ["PAIRED_WITH"]


@pytest.fixture
def svc(store: LadybugStore) -> ChangeService:
    return ChangeService(store)


@pytest.fixture
def world(svc: ChangeService) -> dict[str, str]:
    """A small slice of the system: city down to a building, the Party chain, a unit and its Party org.

    Loaded through the bulk path (as an import would: no audit entries), so each test starts in milliseconds.
    """
    records: list[NodeRecord | RelRecord] = []

    def area(area_id: str, level: str, name: str, parent: str | None = None) -> None:
        records.append(NodeRecord("Area", area_id, {"level": level, "name": name}))
        if parent:
            records.append(RelRecord("PART_OF", rel_id("PART_OF", area_id, parent), area_id, "Area", parent, "Area"))

    def org(org_id: str, parent: str | None = None, leads: str | None = None, **props: Any) -> None:
        records.append(NodeRecord("Organization", org_id, props))
        if parent:
            records.append(
                RelRecord("SUB_ORG_OF", rel_id("SUB_ORG_OF", org_id, parent), org_id, "Organization", parent, "Organization")
            )
        if leads:
            records.append(RelRecord("LEADS", rel_id("LEADS", org_id, leads), org_id, "Organization", leads, "Area"))

    area("city", "city", "菏泽市")
    area("dist", "district", "牡丹区", "city")
    area("street", "street", "西城街道", "dist")
    area("comm", "community", "丹阳社区", "street")
    area("comm2", "community", "和平社区", "street")
    area("cpd", "compound", "牡丹小区", "comm")
    area("cpd2", "compound", "花园小区", "comm")
    area("bld", "building", "1号楼", "cpd")
    org("sc", leads="street", kind="street_committee", name="西城街道党工委")
    org("cc", "sc", "comm", kind="community_committee", name="丹阳社区党委")
    org("cc2", "sc", kind="community_committee", name="和平社区党委")
    org("br", "cc", kind="compound_branch", name="牡丹小区党支部")
    org("oc", "br", kind="owners_committee", name="牡丹小区业委会")
    org("unit", kind="unit", name="市税务局", unit_type="agency")
    org("upo", "unit", kind="unit_party_org", name="市税务局党支部", unit_type="agency", capacity=2)
    records.append(NodeRecord("Person", "p1", {"name": "张三", "is_party_member": True, "employment": "retired"}))
    records.append(NodeRecord("Person", "p2", {"name": "李四", "is_party_member": False}))
    bulk_insert(svc.store, records)
    return {}


def snapshot(store: LadybugStore) -> dict[str, Any]:
    """Everything a failed change must leave untouched: every node and relationship, the audit, the version."""
    nodes = {
        label: sorted(json.dumps(r["n"], default=str, sort_keys=True) for r in store.read("contract_snapshot_nodes", label=label))
        for label in (*EDITABLE_NODES, "AuditEntry", "Meta")
    }
    rels = {}
    for rel_type, spec in RELS.items():
        for s, t in spec.pairs:
            rows = store.read("contract_snapshot_rels", rel=rel_type, **{"from": s, "to": t})
            rels[(rel_type, s, t)] = sorted(json.dumps(r, default=str, sort_keys=True) for r in rows)
    return {"nodes": nodes, "rels": rels, "version": store.write_version()}


def problems_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, Any]:
    return {p.field: p.value for p in exc.value.problems}


# --- nodes --------------------------------------------------------------------------------------------------


def test_create_node_generates_a_readable_id_and_audits(svc: ChangeService, store: LadybugStore) -> None:
    row = svc.create_node(ACTOR, "Area", {"level": "city", "name": "菏泽市", "households": 10})
    assert re.fullmatch(r"area-[0-9a-f]{32}", row["id"])
    assert row["households"] == 10 and row["_label"] == "Area"
    page = audit.audit_log(store, row["id"])
    assert [(e.action, e.actor, e.entity_type) for e in page.events] == [("create", ACTOR, "Area")]
    assert page.events[0].before is None
    assert page.events[0].after == {
        "node": "Area",
        "id": row["id"],
        "props": {"level": "city", "name": "菏泽市", "households": 10},
    }


def test_create_with_parent_places_it_in_one_transaction(svc: ChangeService, world: dict[str, str]) -> None:
    svc.create_node(ACTOR, "Area", {"id": "bld2", "level": "building", "name": "2号楼"}, parent_id="cpd")
    rows = svc.store.read("change_rels_out", {"id": "bld2"}, rel="PART_OF", **{"from": "Area", "to": "Area"})
    assert [r["to_id"] for r in rows] == ["cpd"]


def test_update_node_merges_and_records_before_after(svc: ChangeService, world: dict[str, str]) -> None:
    row = svc.update_node(ACTOR, "Organization", "br", {"has_plaque": True, "five_haves": ["venue", "staff"]})
    assert row["has_plaque"] is True and row["name"] == "牡丹小区党支部"
    event = audit.audit_log(svc.store, "br").events[-1]
    assert event.action == "update"
    assert "has_plaque" not in event.before["props"]
    assert event.after["props"]["has_plaque"] is True
    assert event.after["props"]["five_haves"] == ["venue", "staff"]


def test_update_without_change_writes_nothing(svc: ChangeService, world: dict[str, str]) -> None:
    before = snapshot(svc.store)
    svc.update_node(ACTOR, "Area", "cpd", {"name": "牡丹小区"})
    assert snapshot(svc.store) == before


def test_end_organisation_keeps_it_and_ends_its_live_relationships(svc: ChangeService, world: dict[str, str]) -> None:
    pairing = svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2023-01-01"})
    post = svc.create_rel(ACTOR, "MEMBER_OF", "p1", "upo", {"post": "secretary", "start_date": "2022-05-01"})
    old = svc.create_rel(
        ACTOR, "MEMBER_OF", "p1", "upo", {"post": "member", "start_date": "2010-01-01", "end_date": "2011-01-01"}
    )
    row = svc.end_node(ACTOR, "Organization", "upo", date(2024, 6, 30))
    assert row["dissolved"] == date(2024, 6, 30)
    assert svc.get_node("Organization", "upo") is not None  # history kept
    assert svc.get_rel("PAIRED_WITH", pairing["id"])["end_date"] == date(2024, 6, 30)
    assert svc.get_rel("MEMBER_OF", post["id"])["end_date"] == date(2024, 6, 30)
    assert svc.get_rel("MEMBER_OF", old["id"])["end_date"] == date(2011, 1, 1)
    events, _ = audit.changes_since(svc.store, PAIRING_TYPES, None)
    assert [e.action for e in events if e.entity_id == pairing["id"]] == ["create", "end"]


@pytest.mark.parametrize(("label", "node_id", "prop"), [("Area", "bld", "abolished"), ("Person", "p1", "left_on")])
def test_end_area_and_person(svc: ChangeService, world: dict[str, str], label: str, node_id: str, prop: str) -> None:
    row = svc.end_node(ACTOR, label, node_id, "2024-01-31")
    assert row[prop] == date(2024, 1, 31)
    with pytest.raises(ConflictError) as exc:
        svc.end_node(ACTOR, label, node_id, "2024-02-01")
    assert exc.value.field == prop and exc.value.value == "2024-01-31"  # type: ignore[attr-defined]


# --- relationships --------------------------------------------------------------------------------------------


def test_pairing_create_update_end(svc: ChangeService, world: dict[str, str]) -> None:
    row = svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2023-03-01", "projects": ["助老"]})
    assert row["id"].startswith("pairing-") and row["from_id"] == "upo" and row["to_id"] == "cc"
    row = svc.update_rel(ACTOR, "PAIRED_WITH", row["id"], {"projects": ["助老", "助学"], "resources": "资金"})
    assert row["projects"] == ["助老", "助学"] and row["start_date"] == date(2023, 3, 1)
    row = svc.end_rel(ACTOR, "PAIRED_WITH", row["id"], date(2024, 3, 1))
    assert row["end_date"] == date(2024, 3, 1)
    log = audit.audit_log(svc.store, row["id"]).events
    assert [e.action for e in log] == ["create", "update", "end"]
    assert log[1].before["props"]["projects"] == ["助老"] and log[1].after["props"]["projects"] == ["助老", "助学"]
    assert log[2].after["from"] == "upo" and log[2].after["props"]["end_date"] == "2024-03-01"
    # once ended, a new pairing of the same two may start after it
    svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2024-04-01"})


def test_registrations_of_org_and_person(svc: ChangeService, world: dict[str, str]) -> None:
    org = svc.create_rel(ACTOR, "REGISTERED_WITH", "upo", "cc", {"start_date": "2023-01-01"})
    person = svc.create_rel(ACTOR, "REGISTERED_WITH", "p1", "cc", {})
    assert (org["from_label"], person["from_label"]) == ("Organization", "Person")
    ended = svc.end_rel(ACTOR, "REGISTERED_WITH", person["id"], "2024-01-01")
    assert ended["end_date"] == date(2024, 1, 1) and ended["from_id"] == "p1"


def test_posts_and_structure(svc: ChangeService, world: dict[str, str]) -> None:
    post = svc.create_rel(ACTOR, "MEMBER_OF", "p1", "oc", {"post": "oc_director", "full_time": False})
    updated = svc.update_rel(ACTOR, "MEMBER_OF", post["id"], {"post": "oc_member"})
    assert updated["post"] == "oc_member"
    leads = svc.create_rel(ACTOR, "LEADS", "br", "cpd", {})
    assert leads["_type"] == "LEADS" and leads["to_label"] == "Area"


def test_an_update_that_makes_two_posts_clash_is_refused_and_changes_nothing(
    svc: ChangeService, store: LadybugStore, world: dict[str, str]
) -> None:
    svc.create_rel(ACTOR, "MEMBER_OF", "p1", "cc", {"id": "sec", "post": "secretary", "start_date": "2022-01-01"})
    member = svc.create_rel(ACTOR, "MEMBER_OF", "p1", "cc", {"id": "mem", "post": "member", "start_date": "2022-01-01"})
    before = snapshot(store)
    with pytest.raises(ConflictError) as caught:
        svc.update_rel(ACTOR, "MEMBER_OF", member["id"], {"post": "committee_member"})
    assert str(caught.value).startswith("overlaps another leading post (secretary) in the same organisation: sec")
    assert snapshot(store) == before
    # Once the secretary post has ended, the member may join the committee.
    svc.end_rel(ACTOR, "MEMBER_OF", "sec", "2023-12-31")
    changed = svc.update_rel(ACTOR, "MEMBER_OF", member["id"], {"post": "committee_member", "start_date": "2024-01-01"})
    assert changed["post"] == "committee_member"


# --- user errors: each names field and value and leaves the store unchanged ------------------------------------

BAD_CHANGES = [
    ("create_node", ("Area", {"level": "planet", "name": "x"}), ValidationError, "level", "planet"),
    ("create_node", ("Area", {"level": "city"}), ValidationError, "name", None),
    ("create_node", ("Area", {"id": "cpd", "level": "city", "name": "x"}), ConflictError, "id", "cpd"),
    ("create_node", ("Area", {"level": "building", "name": "x"}, "comm"), ValidationError, "parent_id", "comm"),
    ("create_node", ("Area", {"level": "building", "name": "x"}, "nowhere"), NotFoundError, "parent_id", "nowhere"),
    ("create_node", ("Project", {"name": "x"}), ValidationError, "label", "Project"),
    (
        "create_node_leading",
        ("Organization", {"kind": "owners_committee", "name": "x"}, "cpd"),
        ValidationError,
        "kind",
        "owners_committee",
    ),
    (
        "create_node_leading",
        ("Organization", {"kind": "compound_branch", "name": "x"}, "comm"),
        ValidationError,
        "leads_area_id",
        "community",
    ),
    ("create_node", ("Organization", {"kind": "unit", "name": "x", "capacity": -1}), ValidationError, "capacity", -1),
    ("update_node", ("Organization", "br", {"kind": "unit"}), ValidationError, "kind", "unit"),
    ("update_node", ("Organization", "br", {"founded": "yesterday"}), ValidationError, "founded", "yesterday"),
    ("update_node", ("Organization", "nope", {"name": "x"}), NotFoundError, "id", "nope"),
    ("update_node", ("Person", "p1", {"mood": "happy"}), ValidationError, "mood", "happy"),
    ("end_node", ("Organization", "br", "2024-13-01"), ValidationError, "dissolved", "2024-13-01"),
    ("create_rel", ("PAIRED_WITH", "br", "cc", {}), ValidationError, "from", "compound_branch"),
    ("create_rel", ("PAIRED_WITH", "upo", "br", {}), ValidationError, "to", "compound_branch"),
    ("create_rel", ("PAIRED_WITH", "upo", "ghost", {}), NotFoundError, "to", "ghost"),
    (
        "create_rel",
        ("PAIRED_WITH", "upo", "cc", {"start_date": "2024-01-01", "end_date": "2023-01-01"}),
        ValidationError,
        "end_date",
        "2023-01-01",
    ),
    ("create_rel", ("MEMBER_OF", "p1", "br", {"post": "oc_director"}), ValidationError, "post", "oc_director"),
    ("create_rel", ("MEMBER_OF", "p1", "br", {}), ValidationError, "post", None),
    ("create_rel", ("REGISTERED_WITH", "p2", "cc", {}), ValidationError, "from", "p2"),
    ("create_rel", ("PART_OF", "bld", "cpd2", {}), ConflictError, "from", "bld"),
    ("create_rel", ("SUB_ORG_OF", "cc2", "sc", {}), ConflictError, "from", "cc2"),
    ("create_rel", ("SUNK_TO", "p1", "cpd", {"role": "x"}), ValidationError, "type", "SUNK_TO"),
    ("end_rel", ("PART_OF", "x", "2024-01-01"), ValidationError, "type", "PART_OF"),
    ("end_rel", ("PAIRED_WITH", "no-such", "2024-01-01"), NotFoundError, "id", "no-such"),
    ("update_rel", ("MEMBER_OF", "no-such", {"post": "member"}), NotFoundError, "id", "no-such"),
    ("update_rel", ("PAIRED_WITH", "x", {"to": "cc2"}), ValidationError, "to", "cc2"),
]


@pytest.mark.parametrize(("method", "args", "error", "field", "value"), BAD_CHANGES)
def test_bad_changes_name_field_and_value_and_write_nothing(
    svc: ChangeService, world: dict[str, str], method: str, args: tuple[Any, ...], error: type, field: str, value: Any
) -> None:
    before = snapshot(svc.store)
    call = getattr(svc, method, None)
    if method == "create_node_leading":
        call = lambda actor, label, props, area: svc.create_node(actor, label, props, leads_area_id=area)  # noqa: E731
    if method == "create_node" and len(args) == 3:
        call = lambda actor, label, props, parent: svc.create_node(actor, label, props, parent_id=parent)  # noqa: E731
    with pytest.raises(error) as exc:
        call(ACTOR, *args)
    if isinstance(exc.value, ValidationError):
        problems = problems_of(exc)  # type: ignore[arg-type]
        assert field in problems, exc.value.problems
        assert problems[field] == value
    else:
        assert (exc.value.field, exc.value.value) == (field, value)
    assert snapshot(svc.store) == before


def test_no_second_live_pairing_between_the_same_two(svc: ChangeService, world: dict[str, str]) -> None:
    first = svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2023-01-01"})
    before = snapshot(svc.store)
    with pytest.raises(ConflictError) as exc:
        svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2024-01-01"})
    assert first["id"] in str(exc.value) and exc.value.field == "start_date"  # type: ignore[attr-defined]
    assert snapshot(svc.store) == before
    svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc2", {"start_date": "2024-01-01"})  # another community is fine


def test_failing_cascade_rolls_back_the_whole_end(svc: ChangeService, world: dict[str, str]) -> None:
    svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": "2025-01-01"})
    before = snapshot(svc.store)
    with pytest.raises(ValidationError) as exc:
        svc.end_node(ACTOR, "Organization", "upo", "2024-12-31")
    assert problems_of(exc) == {"dissolved": "2024-12-31"}
    assert snapshot(svc.store) == before


def test_relationship_to_an_ended_organisation_needs_an_end(svc: ChangeService, world: dict[str, str]) -> None:
    svc.end_node(ACTOR, "Organization", "cc2", "2024-01-01")
    with pytest.raises(ValidationError) as exc:
        svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc2", {"start_date": "2023-01-01"})
    assert problems_of(exc) == {"to": "cc2"}
    row = svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc2", {"start_date": "2023-01-01", "end_date": "2023-12-31"})
    assert row["end_date"] == date(2023, 12, 31)


# --- audit and change feed ------------------------------------------------------------------------------------


def test_audit_sequence_has_no_gaps_after_failures(svc: ChangeService, world: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        svc.create_rel(ACTOR, "PAIRED_WITH", "br", "cc", {})
    svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {})
    seqs = [e.seq for e in audit.changes_since(svc.store, ["Area", "Organization", "Person", *RELS], None, 1000)[0]]
    assert seqs == list(range(1, len(seqs) + 1))


def test_change_feed_never_misses_or_repeats_under_interleaved_writes(svc: ChangeService, world: dict[str, str]) -> None:
    seen: list[str] = []
    cursor: str | None = None
    expected: list[str] = []
    for round_no in range(6):
        for i in range(round_no % 3 + 1):
            person = f"m{round_no}-{i}"
            svc.create_node(ACTOR, "Person", {"id": person, "name": person, "is_party_member": True})
            reg = svc.create_rel(ACTOR, "REGISTERED_WITH", person, "cc", {})
            expected.append(f"create:{reg['id']}")
            if i == 0:
                pairing = svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"start_date": f"20{10 + round_no}-01-01"})
                svc.end_rel(ACTOR, "PAIRED_WITH", pairing["id"], f"20{10 + round_no}-06-30")
                expected += [f"create:{pairing['id']}", f"end:{pairing['id']}"]
        # read in small pages while the writes above interleave with the reads
        while True:
            events, cursor = audit.changes_since(svc.store, ["PAIRED_WITH", "REGISTERED_WITH"], cursor, 2)
            seen += [f"{e.action}:{e.entity_id}" for e in events]
            if len(events) < 2:
                break
    assert seen == expected
    events, again = audit.changes_since(svc.store, ["PAIRED_WITH", "REGISTERED_WITH"], cursor, 2)
    assert events == [] and again == cursor


def test_quiet_feed_cursor_moves_past_other_changes(svc: ChangeService, world: dict[str, str]) -> None:
    _, cursor = audit.changes_since(svc.store, PAIRING_TYPES, None)
    svc.update_node(ACTOR, "Area", "cpd", {"households": 300})
    events, later = audit.changes_since(svc.store, PAIRING_TYPES, cursor)
    assert events == [] and audit.decode_cursor(later) > audit.decode_cursor(cursor)


def test_bad_cursor_and_page_size_are_user_errors(store: LadybugStore) -> None:
    with pytest.raises(ValidationError) as exc:
        audit.changes_since(store, PAIRING_TYPES, "not-a-cursor")
    assert problems_of(exc) == {"since": "not-a-cursor"}
    with pytest.raises(ValidationError) as exc:
        audit.audit_log(store, "x", first=0)
    assert problems_of(exc) == {"first": 0}


def test_audit_log_pages(svc: ChangeService, world: dict[str, str]) -> None:
    for n in range(5):
        svc.update_node(ACTOR, "Area", "cpd", {"households": n + 1})
    first = audit.audit_log(svc.store, "cpd", first=3)
    rest = audit.audit_log(svc.store, "cpd", first=3, after=first.next_cursor)
    assert first.has_more and not rest.has_more
    events = first.events + rest.events
    assert [e.action for e in events] == ["update"] * 5
    assert [e.after["props"]["households"] for e in events] == [1, 2, 3, 4, 5]
    assert events[0].before["props"].get("households") is None
    assert audit.audit_count(svc.store, "cpd") == 5


# --- the query files keep up with the catalogue ----------------------------------------------------------------


@pytest.mark.parametrize("label", EDITABLE_NODES)
def test_node_write_queries_set_every_property(label: str) -> None:
    for verb in ("create", "update"):
        text = (CYPHER_DIR / f"change_{verb}_{label.lower()}.cypher").read_text()
        written = set(re.findall(r"n\.(\w+) = \$(\w+)", text))
        expected = {(p.name, p.name) for p in NODES[label].stored_props if p.name != "id"}
        assert written == expected, f"change_{verb}_{label.lower()}.cypher is stale"


@pytest.mark.parametrize("rel_type", DATED_RELS)
def test_rel_write_queries_set_every_property(rel_type: str) -> None:
    expected = {p for p in RELS[rel_type].prop_names if p != "id"}
    update = (CYPHER_DIR / f"change_update_{rel_type.lower()}.cypher").read_text()
    assert {a for a, b in re.findall(r"r\.(\w+) = \$(\w+)", update) if a == b} - {"id"} == expected
    create = (CYPHER_DIR / f"change_create_{rel_type.lower()}.cypher").read_text()
    assert {a for a, b in re.findall(r"(\w+): \$(\w+)", create) if a == b} >= expected | {"id"}


def test_not_found_errors_carry_the_field(svc: ChangeService) -> None:
    with pytest.raises(EntityNotFoundError) as exc:
        svc.update_node(ACTOR, "Area", "missing", {"name": "x"})
    assert exc.value.field == "id" and exc.value.value == "missing"


def test_cypher_dir_is_where_the_catalogue_reads() -> None:
    assert Path(CYPHER_DIR, "change_get_node.cypher").is_file()


def test_change_feed_with_concurrent_writers_and_a_polling_reader(svc: ChangeService, world: dict[str, str]) -> None:
    """Writers in threads while a reader polls: every change is seen once, in sequence order."""
    import threading

    for n in range(3):
        svc.create_node(ACTOR, "Organization", {"id": f"u{n}", "kind": "unit_party_org", "name": f"单位{n}"})
    made: list[str] = []
    made_lock = threading.Lock()
    done = threading.Event()
    seen: list[audit.AuditEvent] = []

    def writer(n: int) -> None:
        for i in range(6):
            row = svc.create_rel(
                ACTOR, "PAIRED_WITH", f"u{n}", "cc", {"start_date": f"20{10 + i}-01-01", "end_date": f"20{10 + i}-06-30"}
            )
            with made_lock:
                made.append(row["id"])

    def reader() -> None:
        cursor = None
        while True:
            finished = done.is_set()  # read the flag before polling, so the last poll sees every write
            events, cursor = audit.changes_since(svc.store, PAIRING_TYPES, cursor, 3)
            seen.extend(events)
            if finished and not events:
                return

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    polling = threading.Thread(target=reader)
    polling.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    polling.join(timeout=60)
    assert not polling.is_alive()
    assert sorted(e.entity_id for e in seen) == sorted(made)
    assert [e.seq for e in seen] == sorted({e.seq for e in seen})


def test_a_chosen_relationship_id_must_be_new(svc: ChangeService, world: dict[str, str]) -> None:
    svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc", {"id": "pairing-1"})
    before = snapshot(svc.store)
    with pytest.raises(ConflictError) as exc:
        svc.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc2", {"id": "pairing-1"})
    assert (exc.value.field, exc.value.value) == ("id", "pairing-1")  # type: ignore[attr-defined]
    assert snapshot(svc.store) == before


# --- activities: made with their organisation and attendees, never ended ------------------------------------------


def test_an_activity_is_made_whole_or_not_at_all(svc: ChangeService, world: dict[str, str], store: LadybugStore) -> None:
    before = snapshot(store)
    with pytest.raises(EntityNotFoundError) as missing:
        svc.create_node(
            ACTOR, "Activity", {"kind": "party_lesson", "held_on": "2024-05-01"}, held_by_id="br", attendee_ids=["p1", "nobody"]
        )
    assert (missing.value.field, missing.value.value) == ("attendee_ids", "nobody")
    assert snapshot(store) == before  # neither the activity nor its HELD_BY nor the first ATTENDED stayed
    made = svc.create_node(
        ACTOR, "Activity", {"id": "a1", "kind": "party_lesson", "held_on": "2024-05-01"}, held_by_id="br", attendee_ids=["p1"]
    )
    assert made["id"] == "a1" and made["held_on"] == date(2024, 5, 1)
    entries = audit.feed_page(store, ["Activity", "HELD_BY", "ATTENDED"], None, 10).events
    assert sorted(e.entity_type for e in entries) == ["ATTENDED", "Activity", "HELD_BY"]


@pytest.mark.parametrize(
    ("label", "props", "links", "field"),
    [
        ("Activity", {"kind": "other", "held_on": "2024-01-01"}, {}, "organization_id"),
        ("Area", {"level": "compound", "name": "x"}, {"held_by_id": "br", "parent_id": "comm"}, "organization_id"),
        ("Person", {"name": "x"}, {"attendee_ids": ["p1"]}, "attendee_ids"),
        (
            "Activity",
            {"kind": "other", "held_on": "2024-01-01"},
            {"held_by_id": "br", "attendee_ids": ["p1", "p1"]},
            "attendee_ids",
        ),
    ],
)
def test_an_activity_needs_its_organisation_and_only_an_activity_has_one(
    svc: ChangeService, world: dict[str, str], label: str, props: dict[str, Any], links: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        svc.create_node(ACTOR, label, props, **links)
    assert field in problems_of(exc)


def test_an_activity_is_corrected_not_ended(svc: ChangeService, world: dict[str, str]) -> None:
    svc.create_node(ACTOR, "Activity", {"id": "a2", "kind": "general_meeting", "held_on": "2024-03-01"}, held_by_id="cc")
    with pytest.raises(ValidationError) as exc:
        svc.end_node(ACTOR, "Activity", "a2", "2024-03-02")
    assert problems_of(exc) == {"label": "Activity"}
    assert svc.update_node(ACTOR, "Activity", "a2", {"attendance": 40})["attendance"] == 40
