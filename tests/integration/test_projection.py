"""The projection on the real embedded store: contents, bulk reads, caching by write version, area scoping."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from graph_service.analysis import projection
from graph_service.analysis.projection import (
    NODE_ATTRIBUTES,
    NODE_QUERIES,
    REL_ATTRIBUTES,
    REL_QUERIES,
    OneItem,
    ProjectionCache,
    areas_in_scope,
    build_graph,
    build_graph_reference,
    read_graph,
    read_tables,
)
from graph_service.domain.records import NodeRecord, RelRecord, rel_id
from graph_service.domain.schema import NODES, RELS
from graph_service.errors import NotFoundError
from graph_service.services.bulk import bulk_insert
from graph_service.store.port import count_round_trips


def _area(area_id: str, level: str, **props: object) -> NodeRecord:
    return NodeRecord("Area", area_id, {"level": level, "name": area_id, **props})


def _org(org_id: str, kind: str, **props: object) -> NodeRecord:
    return NodeRecord("Organization", org_id, {"kind": kind, "name": org_id, **props})


def _rel(rel_type: str, source: tuple[str, str], target: tuple[str, str], **props: object) -> RelRecord:
    return RelRecord(rel_type, rel_id(rel_type, source[1], target[1]), source[1], source[0], target[1], target[0], props)


def _city() -> list[NodeRecord | RelRecord]:
    """Two communities in one street; community c1 fully organised, c2 with a compound and nothing else."""
    a, o, p = "Area", "Organization", "Person"
    records: list[NodeRecord | RelRecord] = [
        _area("city", "city"),
        _area("d1", "district"),
        _area("s1", "street"),
        _area("c1", "community", households=400),
        _area("c2", "community"),
        _area("k1", "compound", households=120),
        _area("k2", "compound", households=80),
        _area("b1", "building", households=60),
        _area("b2", "building", households=60),
        _org("sc", "street_committee"),
        _org("cc1", "community_committee"),
        _org("cc2", "community_committee"),
        _org("br1", "compound_branch", five_haves=["venue", "staff"]),
        _org("g1", "building_group"),
        _org("oc1", "owners_committee"),
        _org("upo", "unit_party_org", capacity=2),
        _org("unit", "unit", unit_type="agency"),
        NodeRecord("Person", "p1", {"name": "张三", "phone": "13800000000", "is_party_member": True, "employment": "retired"}),
        NodeRecord("Person", "p2", {"name": "李四", "is_party_member": True, "employment": "in_service"}),
        NodeRecord("Person", "p3", {"name": "王五", "is_party_member": True, "employment": "in_service"}),
    ]
    for child, parent in (
        ("d1", "city"),
        ("s1", "d1"),
        ("c1", "s1"),
        ("c2", "s1"),
        ("k1", "c1"),
        ("k2", "c2"),
        ("b1", "k1"),
        ("b2", "k1"),
    ):
        records.append(_rel("PART_OF", (a, child), (a, parent)))
    for child, parent in (("cc1", "sc"), ("cc2", "sc"), ("br1", "cc1"), ("g1", "br1"), ("oc1", "br1"), ("upo", "unit")):
        records.append(_rel("SUB_ORG_OF", (o, child), (o, parent)))
    for org, area in (("sc", "s1"), ("cc1", "c1"), ("cc2", "c2"), ("br1", "k1")):
        records.append(_rel("LEADS", (o, org), (a, area)))
    records += [
        _rel("COVERS", (o, "g1"), (a, "b1")),
        _rel("LOCATED_IN", (o, "oc1"), (a, "k1")),
        _rel("MEMBER_OF", (p, "p1"), (o, "br1"), post="secretary", start_date=date(2020, 1, 1)),
        _rel("MEMBER_OF", (p, "p1"), (o, "oc1"), post="oc_director", start_date=date(2020, 1, 1)),
        _rel("REGISTERED_WITH", (p, "p2"), (o, "cc1"), start_date=date(2021, 5, 1)),
        _rel("PAIRED_WITH", (o, "upo"), (o, "cc1"), start_date=date(2022, 1, 1), projects=["助老"]),
        _rel("RESIDES_IN", (p, "p1"), (a, "b1")),
    ]
    return records


@pytest.fixture
def city_store(store):
    bulk_insert(store, _city())
    return ProjectionCache(store)


def test_projection_holds_nodes_and_edges_with_the_properties_the_analyses_read(city_store) -> None:
    graph = city_store.get()
    assert graph.nodes["k1"] == {"label": "Area", "level": "compound", "name": "k1", "households": 120}
    assert graph.nodes["br1"]["five_haves"] == ("venue", "staff"), "lists come as tuples"
    assert graph.nodes["unit"]["unit_type"] == "agency"
    member = graph.get_edge_data("p1", "br1")
    assert member == {
        rel_id("MEMBER_OF", "p1", "br1"): {"type": "MEMBER_OF", "post": "secretary", "start_date": date(2020, 1, 1)}
    }
    pairing = graph.get_edge_data("upo", "cc1")[rel_id("PAIRED_WITH", "upo", "cc1")]
    assert pairing == {"type": "PAIRED_WITH", "start_date": date(2022, 1, 1)}, "no analysis reads a pairing's projects"
    assert graph.number_of_nodes() == len([r for r in _city() if isinstance(r, NodeRecord)])
    assert graph.number_of_edges() == len([r for r in _city() if isinstance(r, RelRecord)])


def test_projection_keeps_only_what_the_analyses_read(city_store) -> None:
    graph = city_store.get()
    for node, attrs in graph.nodes(data=True):
        assert set(attrs) - {"label"} <= NODE_ATTRIBUTES[attrs["label"]], node
    for u, v, attrs in graph.edges(data=True):
        assert set(attrs) - {"type"} <= REL_ATTRIBUTES[attrs["type"]], (u, v)
    assert REL_ATTRIBUTES["PART_OF"] == frozenset()
    assert REL_ATTRIBUTES["MEMBER_OF"] == {"post", "start_date", "end_date", "member_status"}


def test_equal_values_and_attribute_dicts_are_shared(city_store) -> None:
    """What keeps the projection small: equal attribute dicts are one dict, and an edge's ends are the node ids."""
    graph = city_store.get()
    assert graph.nodes["p2"] is graph.nodes["p3"], "their names stay in the store: the rest is equal"
    assert graph.nodes["p1"] is not graph.nodes["p2"]
    part_of = [attrs for _, _, attrs in graph.edges(data=True) if attrs["type"] == "PART_OF"]
    assert len(part_of) == 8 and all(attrs is part_of[0] for attrs in part_of), "one dict for every PART_OF edge"
    ids = {node: node for node in graph}  # the node keys themselves
    for u, v in graph.edges():
        assert u is ids[u] and v is ids[v], (u, v)
    starts = [attrs["start_date"] for _, _, attrs in graph.edges(data=True) if attrs["type"] == "MEMBER_OF"]
    assert starts == [date(2020, 1, 1)] * 2 and starts[0] is starts[1], "one date object for equal dates of a column"


def test_projection_leaves_personal_data_in_the_store(city_store) -> None:
    person = city_store.get().nodes["p1"]
    assert person["label"] == "Person" and person["is_party_member"] is True
    personal = {p.name for p in NODES["Person"].props if p.personal}
    assert personal and not personal & set(person)


def test_projection_reads_in_bulk_once_and_then_costs_nothing(city_store) -> None:
    with count_round_trips() as first:
        graph = city_store.get()
    # One statement per label and per relationship type (plus the write marks), whatever the graph's size.
    assert first.count <= len(NODE_QUERIES) + len(REL_QUERIES) + 1, first.count
    with count_round_trips() as second:
        again = city_store.get()
        part = city_store.get("c1")
        part_again = city_store.get("c1")
    assert again is graph and part_again is part
    assert second.count == 0


def test_a_write_invalidates_the_projection(city_store) -> None:
    before = city_store.get()
    assert "k3" not in before
    bulk_insert(city_store.store, [_area("k3", "compound"), _rel("PART_OF", ("Area", "k3"), ("Area", "c1"))])
    after = city_store.get()
    assert after is not before
    assert "k3" in after and after.has_edge("k3", "c1")
    assert "k3" in city_store.get("c1")


def test_only_the_area_cut_outs_asked_for_last_are_kept(city_store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(projection, "AREAS_KEPT", 2)
    c1, c2 = city_store.get("c1"), city_store.get("c2")
    assert city_store.get("c1") is c1  # asked again: now the latest
    city_store.get("s1")  # a third: c2, asked for least recently, goes
    assert city_store.get("c1") is c1
    again = city_store.get("c2")
    assert again is not c2 and set(again) == set(c2), "cut again, the same part"
    assert city_store.counts.builds == 1, "cut from the kept city graph"


def test_projection_is_frozen(city_store) -> None:
    graph = city_store.get()
    with pytest.raises(nx.NetworkXError):
        graph.add_node("x")


def test_area_scoping_keeps_the_area_its_organisations_and_the_chain_up_to_the_street(city_store) -> None:
    part = city_store.get("c1")
    assert {"c1", "k1", "b1", "b2"} <= set(part)
    assert {"cc1", "br1", "g1", "oc1", "sc"} <= set(part), "the chain up to the street committee"
    assert {"upo", "unit"} <= set(part), "the paired unit's Party organisation and its unit"
    assert {"p1", "p2"} <= set(part)
    assert not {"c2", "k2", "cc2"} & set(part), "siblings stay out"
    assert {"s1", "d1", "city"} <= set(part), "the areas above come as context (a result names its street, district)"
    assert areas_in_scope(part) == {"c1", "k1", "b1", "b2"}, "what the projection is about"
    assert not set(part.successors("d1")) - {"city"}, "nothing that hangs on the areas above comes with them"
    assert part.has_edge("br1", "cc1") and part.has_edge("cc1", "sc")
    assert part.graph["area_id"] == "c1"


def test_unknown_area_is_refused_by_name(city_store) -> None:
    with pytest.raises(NotFoundError, match="no-such-area"):
        city_store.get("no-such-area")
    with pytest.raises(NotFoundError, match="br1"):
        city_store.get("br1")  # an organisation, not an area


def test_projection_queries_cover_the_catalogue(store) -> None:
    """A property added to schema.py must reach the projection query (personal ones must not)."""
    assert set(NODE_QUERIES) == set(NODES), "every node label needs a projection query"
    assert set(NODE_ATTRIBUTES) == set(NODES) and set(REL_ATTRIBUTES) == set(RELS)
    for label, query in NODE_QUERIES.items():
        columns = set(store.read_arrow(query).column_names)
        expected = {p.name for p in NODES[label].props if not p.personal}
        assert columns == expected, (label, columns ^ expected)
        assert NODE_ATTRIBUTES[label] <= columns, (label, NODE_ATTRIBUTES[label] - columns)
    for rel_type, query in REL_QUERIES.items():
        table = store.read_arrow(query, rel=rel_type) if query == "analysis_rels" else store.read_arrow(query)
        assert set(table.column_names) == {"source", "target"} | set(RELS[rel_type].prop_names), rel_type
        assert REL_ATTRIBUTES[rel_type] <= set(table.column_names), rel_type


def test_fast_build_equals_the_networkx_construction(city_store) -> None:
    tables = read_tables(city_store.store)
    fast, reference = build_graph(tables), build_graph_reference(tables)
    assert nx.utils.graphs_equal(fast, reference)
    assert list(fast.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True)), "in the same order"
    assert dict(fast.in_degree()) == dict(reference.in_degree())
    assert nx.utils.graphs_equal(read_graph(city_store.store), reference), "table by table, the same graph"
    copy = nx.MultiDiGraph(fast)  # read only as built; a copy is a working MultiDiGraph of its own dicts
    copy.add_edge("p2", "br1", key="later", type="MEMBER_OF")
    copy.add_edge("p1", "br1", key="second", type="MEMBER_OF", post="member")
    assert copy.has_edge("p2", "br1", key="later") and len(copy.get_edge_data("p1", "br1")) == 2
    assert nx.utils.graphs_equal(fast, reference), "the built graph is unchanged"


def test_one_edge_between_two_nodes_is_a_slim_read_only_mapping(city_store) -> None:
    graph = city_store.get()
    key = rel_id("MEMBER_OF", "p1", "br1")
    keyed = graph.succ["p1"]["br1"]
    assert isinstance(graph._succ["p1"]["br1"], OneItem) and graph._pred["br1"]["p1"] is graph._succ["p1"]["br1"]
    assert keyed == {key: {"type": "MEMBER_OF", "post": "secretary", "start_date": date(2020, 1, 1)}}
    assert len(keyed) == 1 and list(keyed) == [key] and key in keyed and "other" not in keyed
    assert keyed.get("other") is None and graph.edges["p1", "br1", key]["post"] == "secretary"
    with pytest.raises(KeyError):
        keyed["other"]
    with pytest.raises(TypeError):
        graph._succ["p1"]["br1"][key] = {}  # type: ignore[index]
    assert graph._pred["p1"] is graph._succ["city"], "no predecessors, no successors: one shared empty mapping"
    assert isinstance(graph._succ["k2"], OneItem) and list(graph.successors("k2")) == ["c2"], "one successor"
    assert list(graph.in_edges("k2", data="type")) == [] and list(graph.out_edges("k2", data="type")) == [("k2", "c2", "PART_OF")]


def test_two_edges_between_two_nodes_keep_a_key_dict(store) -> None:
    first = _rel("MEMBER_OF", ("Person", "p1"), ("Organization", "br1"), post="secretary")
    second = RelRecord("MEMBER_OF", "second-post", "p1", "Person", "br1", "Organization", {"post": "member"})
    bulk_insert(store, [*_city(), second])
    graph = ProjectionCache(store).get()
    assert set(graph.get_edge_data("p1", "br1")) == {first.id, "second-post"}
    assert type(graph._succ["p1"]["br1"]) is dict and graph._pred["br1"]["p1"] is graph._succ["p1"]["br1"]
