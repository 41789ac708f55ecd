"""What every store adapter promises (store/port.py): run on the embedded store always, on Neo4j when NEO4J_URI is set.

Queries used here live in ``cypher/contract_*.cypher``, written in the subset of Cypher both engines share.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pyarrow as pa
import pytest

from graph_service.domain.enums import AreaLevel, OrgKind, PropertyMode
from graph_service.errors import ConflictError, GraphServiceError
from graph_service.store.port import Store, Tx, count_round_trips

INJECTION = "x' }) DETACH DELETE n //"


class Boom(Exception):
    """Raised by the tests inside a transaction."""


def area(id_: str, name: str = "牡丹区", households: int | None = 10, level: str = "district") -> dict[str, Any]:
    return {"id": id_, "level": level, "name": name, "households": households}


def organization(id_: str, **props: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": id_,
        "kind": OrgKind.COMPOUND_BRANCH,
        "name": "幸福小区党支部",
        "has_plaque": True,
        "founded": date(2019, 7, 1),
        "dissolved": None,
        "five_haves": ["venue", "staff"],
        "capacity": None,
    }
    return base | props


def count(store: Store, label: str) -> int:
    return int(store.read("contract_count", label=label)[0]["n"])


def test_ensure_schema_twice_keeps_data_and_version(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    version = any_store.write_version()
    any_store.ensure_schema()
    any_store.ensure_schema()
    assert count(any_store, "Area") == 1
    assert any_store.write_version() >= version
    any_store.write("contract_create_area", area("a2"))
    assert count(any_store, "Area") == 2


def test_every_property_type_reads_back_as_written(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1", name="菏泽市牡丹区", level=AreaLevel.COMPOUND))
    any_store.write("contract_create_organization", organization("o1", capacity=3))
    any_store.write("contract_create_organization", organization("o2", has_plaque=False, five_haves=[], founded=None))
    any_store.write(
        "contract_create_manages",
        {
            "org": "o1",
            "area": "a1",
            "id": "m1",
            "mode": PropertyMode.MARKET,
            "start_date": date(2021, 3, 4),
            "rate": 0.875,
            "serve_first": False,
        },
    )

    o1 = any_store.read("contract_get_node", {"id": "o1"}, label="Organization")[0]["n"]
    assert o1["_label"] == "Organization"
    assert (o1["id"], o1["name"], o1["kind"]) == ("o1", "幸福小区党支部", OrgKind.COMPOUND_BRANCH.value)
    assert o1["has_plaque"] is True
    assert o1["founded"] == date(2019, 7, 1) and type(o1["founded"]) is date
    assert o1["five_haves"] == ["venue", "staff"]
    assert o1["capacity"] == 3 and isinstance(o1["capacity"], int)
    assert o1["dissolved"] is None and o1["unit_type"] is None  # unset properties are present, as nulls

    cols = any_store.read("contract_organization_columns", {"id": "o2"})[0]
    assert cols == {
        "name": "幸福小区党支部",
        "has_plaque": False,
        "founded": None,
        "dissolved": None,
        "five_haves": [],
        "capacity": None,
    }

    row = any_store.read("contract_get_rel", {"id": "m1"}, rel="MANAGES")[0]
    rel = row["r"]
    assert rel["_type"] == "MANAGES"
    assert rel["mode"] == PropertyMode.MARKET.value
    assert rel["fee_collection_rate"] == pytest.approx(0.875) and isinstance(rel["fee_collection_rate"], float)
    assert rel["serve_first"] is False
    assert rel["start_date"] == date(2021, 3, 4)
    assert rel["end_date"] is None
    assert (row["a"]["_label"], row["a"]["id"], row["b"]["_label"], row["b"]["name"]) == (
        "Organization",
        "o1",
        "Area",
        "菏泽市牡丹区",
    )


def test_timestamps_come_back_as_naive_utc(any_store: Store) -> None:
    naive = datetime(2024, 5, 6, 7, 8, 9, 123456)
    beijing = datetime(2024, 5, 6, 15, 8, 9, 123456, tzinfo=timezone(timedelta(hours=8)))
    entry = {"seq": 1, "actor": "张伟", "action": "create", "entity_type": "Area", "entity_id": "a1"}
    any_store.write("contract_create_audit_entry", {**entry, "id": "e1", "at": naive})
    any_store.write("contract_create_audit_entry", {**entry, "id": "e2", "at": beijing})
    for id_ in ("e1", "e2"):
        at = any_store.read("contract_get_node", {"id": id_}, label="AuditEntry")[0]["n"]["at"]
        assert at == naive and at.tzinfo is None
    assert naive.replace(tzinfo=UTC) == beijing


def test_a_transaction_that_fails_midway_leaves_nothing(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    version = any_store.write_version()
    with pytest.raises(ConflictError), any_store.write_tx() as tx:
        tx.run("contract_create_area", area("a2"))
        tx.run("contract_create_area", area("a1"))  # duplicate id
        tx.run("contract_create_area", area("a3"))
    with pytest.raises(Boom), any_store.write_tx() as tx:
        tx.run("contract_create_area", area("a4"))
        raise Boom
    assert [r["id"] for r in any_store.read("contract_list_areas")] == ["a1"]
    assert any_store.write_version() == version


def test_write_version_grows_with_each_commit(any_store: Store) -> None:
    v0 = any_store.write_version()
    any_store.write("contract_create_area", area("a1"))
    v1 = any_store.write_version()
    any_store.execute_write(lambda tx: tx.run("contract_set_households", {"id": "a1", "households": 5}))
    v2 = any_store.write_version()
    any_store.bulk_load_nodes("Area", pa.table({"id": ["a2"], "level": ["city"], "name": ["菏泽市"]}))
    v3 = any_store.write_version()
    assert v0 < v1 < v2 < v3
    any_store.read("contract_list_areas")
    assert any_store.write_version() == v3  # reads leave it alone


def test_a_write_is_invisible_to_others_until_it_commits(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    with any_store.write_tx() as tx:
        tx.run("contract_create_area", area("a2"))
        assert len(tx.run("contract_list_areas")) == 2  # the transaction sees its own write
        assert count(any_store, "Area") == 1  # others do not, yet
    assert count(any_store, "Area") == 2


def test_a_read_transaction_runs_several_queries_on_one_state(any_store: Store) -> None:
    for i in range(3):
        any_store.write("contract_create_area", area(f"a{i}", households=i))

    def work(tx: Tx) -> tuple[int, list[int]]:
        total = int(tx.run("contract_count", label="Area")[0]["n"])
        return total, [r["households"] for r in tx.run("contract_list_areas")]

    total, households = any_store.execute_read(work)
    assert total == len(households) == 3 and households == [0, 1, 2]
    with any_store.read_tx() as tx:
        assert [r["n"]["id"] for r in tx.run("contract_get_node", {"id": "a1"}, label="Area")] == ["a1"]
        assert tx.run("contract_count", label="Area") == [{"n": 3}]


def test_read_arrow_returns_the_rows_read_returns(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1", name="东明县", households=None, level="district"))
    any_store.write("contract_create_area", area("a2", name=INJECTION, households=7))
    table = any_store.read_arrow("contract_list_areas")
    assert isinstance(table, pa.Table)
    assert table.column_names == ["id", "name", "level", "households"]
    assert table.to_pylist() == any_store.read("contract_list_areas")


def _bulk_city(store: Store) -> None:
    store.bulk_load_nodes(
        "Organization",
        pa.table(
            {
                "id": ["u1", "c1", "c2"],
                "kind": ["unit_party_org", "community_committee", "community_committee"],
                "name": ["市税务局机关党委", "丹阳社区党委", "西城社区党委"],
                "founded": pa.array([date(2001, 1, 2), None, date(2010, 5, 6)], pa.date32()),
                "has_plaque": [None, True, False],
                "five_haves": [None, ["venue"], []],
            }
        ),
    )
    store.bulk_load_nodes("Person", pa.table({"id": ["p1", "p2"], "name": ["李娜", "王芳"], "is_party_member": [True, True]}))
    store.bulk_load_rels(
        "REGISTERED_WITH",
        "Organization",
        "Organization",
        pa.table({"from": ["u1"], "to": ["c1"], "id": ["r1"], "start_date": pa.array([date(2022, 1, 1)], pa.date32())}),
    )
    store.bulk_load_rels(
        "REGISTERED_WITH",
        "Person",
        "Organization",
        pa.table({"from": ["p1", "p2"], "to": ["c1", "c2"], "id": ["r2", "r3"], "start_date": [date(2023, 2, 3), None]}),
    )


def test_bulk_loads_read_back_with_both_relationship_pairs(any_store: Store) -> None:
    _bulk_city(any_store)
    assert (count(any_store, "Organization"), count(any_store, "Person")) == (3, 2)
    c1 = any_store.read("contract_get_node", {"id": "c1"}, label="Organization")[0]["n"]
    assert (c1["name"], c1["founded"], c1["has_plaque"], c1["five_haves"]) == ("丹阳社区党委", None, True, ["venue"])
    u1 = any_store.read("contract_get_node", {"id": "u1"}, label="Organization")[0]["n"]
    assert (u1["founded"], u1["has_plaque"]) == (date(2001, 1, 2), None)
    rels = any_store.read("contract_rels", rel="REGISTERED_WITH")
    assert [(r["id"], r["src"], r["source"]["_label"], r["dst"], r["start_date"]) for r in rels] == [
        ("r1", "u1", "Organization", "c1", date(2022, 1, 1)),
        ("r2", "p1", "Person", "c1", date(2023, 2, 3)),
        ("r3", "p2", "Person", "c2", None),
    ]


def test_bulk_rels_with_a_missing_endpoint_write_nothing(any_store: Store) -> None:
    _bulk_city(any_store)
    version = any_store.write_version()
    table = pa.table({"from": ["p1", "p2"], "to": ["c2", "no-such-org"], "id": ["r8", "r9"]})
    with pytest.raises(GraphServiceError):
        any_store.bulk_load_rels("REGISTERED_WITH", "Person", "Organization", table)
    assert [r["id"] for r in any_store.read("contract_rels", rel="REGISTERED_WITH")] == ["r1", "r2", "r3"]
    assert any_store.write_version() == version


def test_a_duplicate_id_is_a_conflict_and_writes_nothing(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    version = any_store.write_version()
    with pytest.raises(ConflictError):
        any_store.write("contract_create_area", area("a1", name="重复"))
    loads = [["a2", "a1"], ["a3", "a3"]]  # clashes with the store, then within the load itself
    for ids in loads:
        with pytest.raises(ConflictError):
            any_store.bulk_load_nodes("Area", pa.table({"id": ids, "level": ["city", "city"], "name": ["甲", "乙"]}))
    assert any_store.read("contract_list_areas") == [{"id": "a1", "name": "牡丹区", "level": "district", "households": 10}]
    assert any_store.write_version() == version


def test_injection_looking_values_are_stored_verbatim(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    any_store.write("contract_create_area", area(INJECTION, name=INJECTION))
    stored = any_store.read("contract_get_node", {"id": INJECTION}, label="Area")
    assert [(r["n"]["id"], r["n"]["name"]) for r in stored] == [(INJECTION, INJECTION)]
    assert any_store.read("contract_get_node", {"id": "a1' OR 1=1 //"}, label="Area") == []
    assert count(any_store, "Area") == 2


def test_placeholders_refuse_names_outside_the_catalogue(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    version = any_store.write_version()
    with count_round_trips() as trips:
        with pytest.raises(ValueError, match="not a label"):
            any_store.read("contract_count", label="Area) DETACH DELETE (n")
        with pytest.raises(ValueError, match="not a label"), any_store.write_tx() as tx:
            tx.run("contract_count", label="Area:Person")
    assert count(any_store, "Area") == 1
    assert any_store.write_version() == version
    # Nothing reached the store but the write transaction's own bookkeeping.
    assert trips.count <= 1


def test_concurrent_writes_from_threads_are_serialised(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1", households=0))
    threads, increments = 6, 5

    def increment(tx: Tx) -> None:
        # A read-modify-write across two statements: loses updates unless writes are serialised.
        current = tx.run("contract_get_households", {"id": "a1"})[0]["households"]
        tx.run("contract_set_households", {"id": "a1", "households": current + 1})

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(increments):
                any_store.execute_write(increment)
        except BaseException as exc:  # reported below: a thread's exception is otherwise lost
            errors.append(exc)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert any_store.read("contract_get_households", {"id": "a1"}) == [{"households": threads * increments}]


def test_execute_write_returns_the_value_and_rolls_back_on_exception(any_store: Store) -> None:
    def create(tx: Tx) -> str:
        tx.run("contract_create_area", area("a1"))
        return "created"

    assert any_store.execute_write(create) == "created"
    version = any_store.write_version()

    def create_then_fail(tx: Tx) -> None:
        tx.run("contract_create_area", area("a2"))
        tx.run("contract_set_households", {"id": "a1", "households": 99})
        raise Boom

    with pytest.raises(Boom):
        any_store.execute_write(create_then_fail)
    assert any_store.read("contract_list_areas") == [{"id": "a1", "name": "牡丹区", "level": "district", "households": 10}]
    assert any_store.write_version() == version


def test_round_trips_are_counted_per_statement(any_store: Store) -> None:
    any_store.write("contract_create_area", area("a1"))
    reads: list[Callable[[], object]] = [
        lambda: any_store.read("contract_count", label="Area"),
        lambda: any_store.execute_read(lambda tx: [tx.run("contract_list_areas"), tx.run("contract_count", label="Area")]),
        lambda: any_store.read_arrow("contract_list_areas"),
    ]
    with count_round_trips() as trips:
        for run in reads:
            run()
    assert trips.count == 4
    with count_round_trips() as trips:
        any_store.write("contract_create_area", area("a2"))
    assert trips.count >= 1
    with count_round_trips() as outer:
        with count_round_trips() as inner:
            any_store.read("contract_count", label="Area")
        assert inner.count == 1
    assert outer.count == 0  # each context counts its own
