"""Names sort naturally over HTTP (1号楼, 2号楼, ... 10号楼), page by page, in every listing ordered by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from graph_service.domain.naming import natural_key
from graph_service.domain.records import NodeRecord, Record, RelRecord
from tests.integration.conftest import LiveServer

SHUFFLED = [7, 1, 12, 4, 10, 2, 9, 5, 11, 3, 8, 6]
BUILDINGS = [f"{n}号楼" for n in range(1, 13)]
COMPOUNDS = [f"第{n}小区" for n in range(1, 13)]
GROUPS = [f"{n}号楼党小组" for n in range(1, 13)]


def named_city() -> list[Record]:
    """A community with compounds 第1..12小区 and one compound with buildings 1..12 (with a Party group each),
    all written in shuffled order so that neither ids nor insertion order give the natural order."""
    records: list[Record] = [
        NodeRecord("Area", "c", {"level": "city", "name": "菏泽市"}),
        NodeRecord("Area", "d", {"level": "district", "name": "牡丹区"}),
        NodeRecord("Area", "s", {"level": "street", "name": "西城街道"}),
        NodeRecord("Area", "m", {"level": "community", "name": "丹阳社区"}),
    ]
    for child, parent in (("d", "c"), ("s", "d"), ("m", "s")):
        records.append(RelRecord("PART_OF", f"{child}-in", child, "Area", parent, "Area", {}))
    for n in SHUFFLED:
        records.append(NodeRecord("Area", f"q{n:02d}x", {"level": "compound", "name": f"第{n}小区"}))
        records.append(RelRecord("PART_OF", f"q{n}-in", f"q{n:02d}x", "Area", "m", "Area", {}))
    for n in SHUFFLED:
        building, group = f"b{13 - n}", f"g{13 - n}"  # ids in the reverse of the natural order
        records.append(NodeRecord("Area", building, {"level": "building", "name": f"{n}号楼"}))
        records.append(RelRecord("PART_OF", f"{building}-in", building, "Area", "q01x", "Area", {}))
        records.append(NodeRecord("Organization", group, {"kind": "building_group", "name": f"{n}号楼党小组"}))
        records.append(RelRecord("COVERS", f"{group}-covers", group, "Organization", building, "Area", {}))
    return records


@pytest.fixture(scope="module")
def server(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server(records=named_city())


def pages(server: LiveServer, query: str, path: str, variables: dict[str, Any] | None = None) -> list[str]:
    """The names of every page of a connection, five at a time, following ``endCursor``."""
    names: list[str] = []
    after = None
    while True:
        data: Any = server.data(query, {**(variables or {}), "after": after})
        for key in path.split("."):
            data = data[key]
        names += [node["name"] for node in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            return names
        after = data["pageInfo"]["endCursor"]


def test_the_key_orders_numbers_by_value() -> None:
    assert sorted(reversed(BUILDINGS), key=natural_key) == BUILDINGS
    assert sorted(["B栋", "a栋", "10栋", "9栋"], key=natural_key) == ["9栋", "10栋", "a栋", "B栋"]
    assert natural_key("１２号楼") == natural_key("12号楼")  # full-width digits are digits
    assert natural_key("1号楼") < natural_key("1号楼2单元") < natural_key("1号楼10单元") < natural_key("2号楼")
    assert natural_key("1" * 30) > natural_key("9" * 29)  # a longer number is a larger one
    assert natural_key("楼" + "2" * 25).isascii()


def test_areas_page_in_natural_order(server: LiveServer) -> None:
    query = """query($after: String) { areas(parentId: "q01x", first: 5, after: $after) {
                 nodes { name } pageInfo { hasNextPage endCursor } } }"""
    assert pages(server, query, "areas") == BUILDINGS


def test_compounds_page_in_natural_order_both_ways(server: LiveServer) -> None:
    query = """query($after: String, $direction: OrderDirection!) {
                 compounds(filter: {communityId: "m"}, orderBy: {field: NAME, direction: $direction}, first: 5, after: $after) {
                   nodes { name } pageInfo { hasNextPage endCursor } } }"""
    assert pages(server, query, "compounds", {"direction": "ASC"}) == COMPOUNDS
    assert pages(server, query, "compounds", {"direction": "DESC"}) == COMPOUNDS[::-1]


def test_organizations_page_in_natural_order(server: LiveServer) -> None:
    query = """query($after: String) { organizations(kind: BUILDING_GROUP, first: 5, after: $after) {
                 nodes { name } pageInfo { hasNextPage endCursor } } }"""
    assert pages(server, query, "organizations") == GROUPS
    in_area = """query($after: String) { organizations(areaId: "q01x", first: 5, after: $after) {
                   nodes { name } pageInfo { hasNextPage endCursor } } }"""
    assert pages(server, in_area, "organizations") == GROUPS


def test_children_and_search_in_natural_order(server: LiveServer) -> None:
    children = """query($after: String) { area(id: "q01x") { children(first: 5, after: $after) {
                    nodes { name } pageInfo { hasNextPage endCursor } } } }"""
    assert pages(server, children, "area.children") == BUILDINGS
    community = server.data('{ area(id: "m") { children(first: 20) { nodes { name } } } }')
    assert [n["name"] for n in community["area"]["children"]["nodes"]] == COMPOUNDS
    search = """query($after: String) { search(text: "号楼", first: 5, after: $after) {
                  nodes { name } pageInfo { hasNextPage endCursor } } }"""
    assert pages(server, search, "search") == [name for pair in zip(BUILDINGS, GROUPS, strict=True) for name in pair]
