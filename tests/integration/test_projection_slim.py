"""The slim projection gives every analysis what the plain one gives, on a seeded city in the real embedded store.

The projection keeps only the attributes the analyses read, shares equal values and attribute dicts, and gives
lists as tuples (``analysis.projection.GraphBuilder``). The plain networkx construction of every column the queries
return, each row with dicts of its own and lists as lists (``build_graph_reference(every_attribute=True)``), is the
projection as it was before: every analysis, for the city and for a district, must come out the same over both.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_service.analysis.chain import chain_completeness
from graph_service.analysis.common import Thresholds, is_current, org_active
from graph_service.analysis.coverage import compound_coverage, coverage_rollups
from graph_service.analysis.mobilization import mobilization_reach
from graph_service.analysis.projection import build_graph, build_graph_reference, cut, read_tables, scope_nodes
from graph_service.analysis.recommendations import recommend_pairings
from graph_service.analysis.structure import FORMAL_KINDS, people_org_network, structure_report
from graph_service.analysis.weakness import organization_weakness
from graph_service.seed.heze import AS_OF, generate
from graph_service.services.bulk import bulk_insert
from graph_service.services.coverage import compound_measures
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Row

DISTRICT = "hz-md"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LadybugStore, nx.MultiDiGraph, nx.MultiDiGraph]]:
    store = LadybugStore(Path(tmp_path_factory.mktemp("slim")) / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, generate(0.05, 3).records)
    tables = read_tables(store)
    slim = nx.freeze(build_graph(tables))
    plain = nx.freeze(build_graph_reference(tables, every_attribute=True))
    yield store, slim, plain
    store.close()


def _area(graph: nx.MultiDiGraph, area_id: str) -> nx.MultiDiGraph:
    part = nx.freeze(cut(graph, scope_nodes(graph, area_id)))
    part.graph["area_id"] = area_id
    return part


def _everything(graph: nx.MultiDiGraph, measures: list[Row], day: date) -> dict[str, Any]:
    """What ``run_all`` computes, as JSON-ready data."""
    th = Thresholds(as_of=day)
    coverage = compound_coverage(graph, measures, th)
    committees = sorted(n for n, a in graph.nodes(data=True) if a.get("kind") == "street_committee")
    under = {c.community_id: 1 for c in coverage if c.under_covered and c.community_id}
    found = {
        "coverage": coverage,
        "rollups": coverage_rollups(graph, coverage, th),
        "chains": chain_completeness(graph, th),
        "weakness": organization_weakness(graph, measures, th),
        "structure": structure_report(graph, as_of=day, broker_sample=50),
        "mobilization": [mobilization_reach(graph, c, k=3, as_of=day) for c in committees],
        "pairing": recommend_pairings(graph, under_covered=under, as_of=day),
    }
    return json.loads(json.dumps({k: _plain(v) for k, v in found.items()}, default=str, ensure_ascii=False))


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value


def test_the_slim_projection_is_the_plain_one_less_what_no_analysis_reads(seeded) -> None:
    _, slim, plain = seeded
    assert list(slim.nodes) == list(plain.nodes)
    assert list(slim.edges(keys=True)) == list(plain.edges(keys=True))
    for node, attrs in slim.nodes(data=True):
        assert attrs == _kept(plain.nodes[node], attrs), node
    for u, v, key, attrs in slim.edges(keys=True, data=True):
        assert attrs == _kept(plain.edges[u, v, key], attrs), key
    # Far fewer dicts than nodes and edges: that is where the memory went.
    assert len({id(a) for _, a in slim.nodes(data=True)}) < slim.number_of_nodes() / 2
    assert len({id(a) for *_, a in slim.edges(data=True)}) < slim.number_of_edges() / 3


def _kept(full: dict[str, Any], slim: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in full.items() if k in slim}


def test_the_network_is_the_one_add_edges_from_builds_in_the_same_order(seeded) -> None:
    """The order matters: the sampled brokers and Louvain follow the network's node and adjacency order."""
    _, slim, plain = seeded
    ours = people_org_network(slim, as_of=AS_OF)
    theirs = _network_by_networkx(plain, AS_OF)
    assert list(ours.nodes) == list(theirs.nodes)
    for (u, ties), (u2, their_ties) in zip(ours.adjacency(), theirs.adjacency(), strict=True):
        assert u == u2 and list(ties) == list(their_ties), u
        assert [_kept(d, d) for d in their_ties.values()] == list(ties.values()), u


def _network_by_networkx(projection: nx.MultiDiGraph, day: date) -> nx.Graph:
    """The people-organisation network as networkx's own calls build it: the edges in the order the projection's
    are met, each person and organisation once with their posts gathered, added by ``add_edges_from``."""
    active = {n: None for n, a in projection.nodes(data=True) if org_active(a, day)}  # in the projection's order
    edges: list[tuple[str, str, dict[str, Any]]] = []
    posts: dict[tuple[str, str], list[Any]] = {}
    for u, v, attrs in projection.edges(data=True):
        if v not in active or (u not in active and attrs["type"] != "MEMBER_OF"):
            continue
        if attrs["type"] == "MEMBER_OF" and is_current(attrs, day):
            if (u, v) not in posts:
                posts[u, v] = []
                edges.append((u, v, {"posts": posts[u, v]}))
            posts[u, v].append(attrs.get("post"))
        elif attrs["type"] == "SUB_ORG_OF":
            kinds = {projection.nodes[u].get("kind"), projection.nodes[v].get("kind")}
            if kinds <= FORMAL_KINDS:
                edges.append((u, v, {"type": "SUB_ORG_OF"}))
        elif attrs["type"] in ("PAIRED_WITH", "REGISTERED_WITH") and is_current(attrs, day):
            edges.append((u, v, {"type": attrs["type"]}))
    net = nx.Graph()
    net.add_nodes_from(active)
    net.add_nodes_from(u for u, _, d in edges if "posts" in d)
    net.add_edges_from(edges)
    return net


def test_every_analysis_of_the_city_is_the_same_over_both(seeded) -> None:
    store, slim, plain = seeded
    measures = compound_measures(store, None, AS_OF)
    ours = _everything(slim, measures, AS_OF)
    assert ours["coverage"] and ours["weakness"] and ours["structure"]["single_points_of_failure"]
    assert ours["mobilization"] and ours["pairing"]["proposals"]
    assert ours == _everything(plain, measures, AS_OF)


def test_every_analysis_of_a_district_is_the_same_over_both(seeded) -> None:
    store, slim, plain = seeded
    measures = compound_measures(store, DISTRICT, AS_OF)
    ours = _everything(_area(slim, DISTRICT), measures, AS_OF)
    assert ours["coverage"] and ours["weakness"]
    assert ours == _everything(_area(plain, DISTRICT), measures, AS_OF)
