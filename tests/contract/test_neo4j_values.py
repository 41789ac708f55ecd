"""The Neo4j adapter's value conversions and configuration, checked offline (no server needed).

The adapter's behaviour against a server is the contract suite's job (test_store_contract.py with NEO4J_URI);
this file covers what can be checked without one: driver values in, the port's plain values out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import neo4j.time
import pyarrow as pa
import pytest
from neo4j.graph import Graph, Node, Path

from graph_service.config import Neo4jSettings
from graph_service.domain.enums import OrgKind, Post
from graph_service.errors import ConfigurationError, StoreError
from graph_service.store.neo4j import Neo4jStore, from_value, to_param


def _node(graph: Graph, element_id: str, labels: list[str], props: dict[str, object]) -> Node:
    return Node(graph, element_id, int(element_id.removeprefix("n")), labels, props)


def test_nodes_become_property_dicts_with_every_catalogue_property() -> None:
    node = _node(Graph(), "n1", ["Organization"], {"id": "o1", "kind": "compound_branch", "five_haves": ["venue"]})
    value = from_value(node)
    assert value["_label"] == "Organization"
    assert (value["id"], value["five_haves"]) == ("o1", ["venue"])
    # Neo4j stores no nulls; the embedded store returns every column: the adapter fills the gaps.
    assert value["dissolved"] is None and value["capacity"] is None
    assert "_type" not in value


def test_a_node_with_several_labels_reports_its_catalogue_label() -> None:
    value = from_value(_node(Graph(), "n1", ["Zeta", "Area", "Legacy"], {"id": "a1"}))
    assert value["_label"] == "Area"
    assert from_value(_node(Graph(), "n2", ["Zeta", "Beta"], {"id": "x"}))["_label"] == "Beta"


def test_relationships_and_paths_keep_their_types_and_ends() -> None:
    graph = Graph()
    person = _node(graph, "n1", ["Person"], {"id": "p1", "name": "李娜"})
    org = _node(graph, "n2", ["Organization"], {"id": "o1"})
    member_of = graph.relationship_type("MEMBER_OF")
    rel = member_of(graph, "r1", 1, {"id": "m1", "post": "secretary", "start_date": neo4j.time.Date(2020, 1, 2)})
    rel._start_node, rel._end_node = person, org
    value = from_value(rel)
    assert value["_type"] == "MEMBER_OF"
    assert value["start_date"] == date(2020, 1, 2) and type(value["start_date"]) is date
    assert value["end_date"] is None and value["full_time"] is None
    path = from_value(Path(person, rel))
    assert [n["id"] for n in path["_nodes"]] == ["p1", "o1"]
    assert [r["id"] for r in path["_rels"]] == ["m1"]


def test_temporal_values_become_native_dates_and_naive_utc_datetimes() -> None:
    beijing = neo4j.time.DateTime(2024, 5, 6, 15, 8, 9, 123456000, tzinfo=timezone(timedelta(hours=8)))
    local = neo4j.time.DateTime(2024, 5, 6, 7, 8, 9, 123456000)
    expected = datetime(2024, 5, 6, 7, 8, 9, 123456)
    assert from_value(beijing) == expected and from_value(beijing).tzinfo is None
    assert from_value(local) == expected
    assert from_value([neo4j.time.Date(2021, 3, 4), None]) == [date(2021, 3, 4), None]
    assert from_value({"at": beijing, "n": 1}) == {"at": expected, "n": 1}


def test_parameters_take_enum_codes_and_treat_naive_datetimes_as_utc() -> None:
    params = to_param(
        {
            "kind": OrgKind.COMPOUND_BRANCH,
            "posts": (Post.SECRETARY, "member"),
            "at": datetime(2024, 5, 6, 7, 8, 9),
            "beijing": datetime(2024, 5, 6, 15, 8, 9, tzinfo=timezone(timedelta(hours=8))),
            "day": date(2024, 5, 6),
            "rows": [{"kind": OrgKind.UNIT_PARTY_ORG}],
        }
    )
    assert params["kind"] == "compound_branch" and type(params["kind"]) is str
    assert params["posts"] == [Post.SECRETARY.value, "member"]
    assert params["at"] == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert params["beijing"] == params["at"] and params["beijing"].utcoffset() == timedelta(0)
    assert params["day"] == date(2024, 5, 6)
    assert params["rows"] == [{"kind": "unit_party_org"}]


def test_settings_without_a_uri_or_with_a_bad_one_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="NEO4J_URI"):
        Neo4jStore.from_neo4j_settings(Neo4jSettings(uri=None))
    with pytest.raises(ConfigurationError, match="NEO4J_URI"):
        Neo4jStore.from_neo4j_settings(Neo4jSettings(uri="http://localhost:7474"))


def test_the_driver_is_shared_per_process_and_closed_with_the_last_store() -> None:
    # Creating a driver opens no connection, so this needs no server.
    first = Neo4jStore("neo4j://localhost:7687", "neo4j", "secret-one")
    second = Neo4jStore.from_neo4j_settings(Neo4jSettings(uri="neo4j://localhost:7687", password="secret-one"))
    other = Neo4jStore("bolt://localhost:7687", "neo4j", "secret-one")
    try:
        assert first._driver is second._driver
        assert other._driver is not first._driver
        assert (second.dialect, second.database) == ("neo4j", "neo4j")
    finally:
        first.close()
        assert not second._driver._closed
        second.close()
        other.close()
    assert second._driver._closed


def test_a_bulk_load_without_ids_is_refused_before_reaching_the_server() -> None:
    store = Neo4jStore("bolt://localhost:7687", "neo4j", "unused")
    try:
        with pytest.raises(StoreError, match="id"):
            store.bulk_load_nodes("Area", pa.table({"name": ["菏泽市"], "level": ["city"]}))
        with pytest.raises(StoreError, match="id"):
            store.bulk_load_nodes("Area", pa.table({"id": [None, "a1"], "name": ["甲", "乙"]}))
    finally:
        store.close()
