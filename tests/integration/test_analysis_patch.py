"""Analyses after one mutation: the compounds' measures and the weak organisations are patched from the change
(``services.measures.MeasuresPatch``, ``analysis.weakness.rejudged``) and must equal a cold computation; changes
the patch cannot bound are computed whole, with the same answer.

Every mutation goes through the real ``ChangeService`` on a real embedded store in a temporary directory.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_service.analysis.common import INDEXED_NODE_ATTRIBUTES, Thresholds, graph_index
from graph_service.analysis.projection import NODE_ATTRIBUTES, REL_ATTRIBUTES, ProjectionCache
from graph_service.analysis.weakness import ASSESSED_KINDS, OWN_ATTRIBUTES, VERDICT_NODE_ATTRIBUTES, organization_weakness
from graph_service.config import AnalysisSettings
from graph_service.domain.enums import FiveHave
from graph_service.domain.records import NodeRecord, to_json_line
from graph_service.services.analyses import AnalysisService
from graph_service.services.changes import ChangeService
from graph_service.services.measures import measure_properties, read_measures
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Params
from graph_service.store.queries import Query, QueryRef

from .conftest import City, store_of_city

ACTOR = "test"
AS_OF = date(2025, 6, 1)
AREAS = (None, "d1", "d1s1m1")
ALL_FIVE = [f.value for f in FiveHave]


class ReadingStore(LadybugStore):
    """The real embedded store, recording the name (and filters) of each statement read on its own."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.reads: list[str] = []

    def read(self, query: QueryRef, params: Params | None = None, /, **names: object) -> list[dict[str, Any]]:
        if isinstance(query, Query):
            self.reads.append(query.name + "".join(f"+{f.fragment}" for f in query.filters))
        else:
            self.reads.append(query)
        return super().read(query, params, **names)

    def measure_reads(self) -> list[str]:
        return [r for r in self.reads if r.startswith("compound_measure")]


@pytest.fixture
def store(tmp_path: Path, small_city: City) -> Iterator[ReadingStore]:
    with store_of_city(tmp_path / "graph.lbdb", small_city, ReadingStore) as opened:
        yield opened


Mutation = Callable[[ChangeService], object]

#: (what, the mutation, whether the weak organisations are judged again only where it reaches, the measure
#: statements it takes). Each reaches as far from a compound as the measures read (``domain.gaps.MEASURE_REACH``).
MUTATIONS: list[tuple[str, Mutation, bool, list[str]]] = [
    (
        "a branch's plaque (read by one measure, by no verdict)",
        lambda c: c.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"has_plaque": False}),
        True,
        ["compound_measure_five_haves_met"],
    ),
    (
        "an owners' committee's five haves (one measure; the committee is not judged)",
        lambda c: c.update_node(ACTOR, "Organization", "d1s1m1c1-oc", {"five_haves": ["venue"]}),
        True,
        ["compound_measure_five_haves_met"],
    ),
    (
        "a branch's and its owners' committee's five haves, all met (one measure moves, and the branch's verdict)",
        lambda c: [
            c.update_node(ACTOR, "Organization", "d1s1m1c1-oc", {"has_plaque": True, "five_haves": ALL_FIVE}),
            c.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"five_haves": ALL_FIVE}),
        ],
        True,
        ["compound_measure_five_haves_met"],
    ),
    (
        "a community committee's staff flags and name (no measure, its own verdict)",
        lambda c: c.update_node(
            ACTOR, "Organization", "d1s1m1-cc", {"flags": ["weak_leadership"], "flag_evidence": "谈话记录", "name": "新名"}
        ),
        True,
        [],
    ),
    (
        "a compound's households (one measure; verdicts read households of other nodes: judged whole)",
        lambda c: c.update_node(ACTOR, "Area", "d1s1m1c1", {"households": 999}),
        False,
        ["compound_measure_households"],
    ),
    (
        "a registered member's employment, three relationships from the compounds (read by the day index)",
        lambda c: c.update_node(ACTOR, "Person", "member0", {"employment": "retired"}),
        False,
        ["compound_measure_community_registered_members"],
    ),
    (
        "a building group dissolved: its leader's post ends, three relationships from the compound",
        lambda c: c.end_node(ACTOR, "Organization", "d1s1m1c1b1-g", "2025-01-31"),
        False,
        ["compound_measures+id_in"],
    ),
    (
        "a new post (a relationship: the compounds in reach read again whole)",
        lambda c: c.create_rel(ACTOR, "MEMBER_OF", "member1", "d1s1m1c1-br", {"post": "secretary", "start_date": "2024-01-01"}),
        False,
        ["compound_measures+id_in"],
    ),
    (
        "a pairing ended (a relationship three from the compounds of the committee's community)",
        lambda c: c.end_rel(ACTOR, "PAIRED_WITH", _pairing(c), "2025-01-31"),
        False,
        ["compound_measures+id_in"],
    ),
]


def _pairing(changes: ChangeService) -> str:
    """The current pairing with the committee of d1s1m1."""
    graph = ProjectionCache(changes.store).get()
    return next(
        k
        for u, v, k, t in graph.edges(keys=True, data="type")
        if t == "PAIRED_WITH" and v == "d1s1m1-cc" and graph.edges[u, v, k].get("end_date") is None
    )


def _cold(store: LadybugStore, area: str | None) -> tuple[Any, Any]:
    fresh = AnalysisService(ProjectionCache(store), AnalysisSettings())
    return fresh.weak(area, AS_OF), fresh.coverage(area, AS_OF)


@pytest.mark.parametrize(("what", "mutate", "rejudged", "measure_reads"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_after_a_mutation_the_patched_analyses_equal_a_cold_computation(
    store: ReadingStore, what: str, mutate: Mutation, rejudged: bool, measure_reads: list[str]
) -> None:
    service = AnalysisService(ProjectionCache(store), AnalysisSettings())
    before = {area: service.weak(area, AS_OF) for area in AREAS}
    measured = service.measures.under(None, AS_OF)
    mutate(ChangeService(store))
    store.reads.clear()
    after = {area: service.weak(area, AS_OF) for area in AREAS}
    assert sorted(set(store.measure_reads())) == measure_reads  # the city's measures are not read whole
    assert service.projections.counts.builds == 1 and service.projections.counts.patches == 1
    kind = "weak rejudged" if rejudged else "weak judged"
    assert service.counts[kind] == len(AREAS) * (2 if kind == "weak judged" else 1)
    for area in AREAS:
        assert after[area] == _cold(store, area)[0], area
        assert service.coverage(area, AS_OF) == _cold(store, area)[1], area
    assert service.measures.under(None, AS_OF) == read_measures(store.read, None, AS_OF)
    if "all met" in what or "households" in what:  # measures read again, not only carried over
        assert service.measures.under(None, AS_OF) != measured
    if "staff flags" in what or "all met" in what:  # a verdict judged again, not only carried over
        assert before[None] != after[None]


@pytest.mark.parametrize(("what", "mutate"), [m[:2] for m in MUTATIONS], ids=[m[0] for m in MUTATIONS])
def test_a_built_projection_is_frozen_and_a_patch_frees_the_graphs_it_replaced(
    store: ReadingStore, what: str, mutate: Mutation
) -> None:
    """The city graph and its day index are frozen out of the collector's walks as they are built
    (``heap.long_lived``), and the city graph, cut-outs and index a patch replaces are freed by reference counting
    alone (``ProjectionGraph``): nothing frozen waits for a whole walk of the collector."""
    try:
        service = AnalysisService(ProjectionCache(store), AnalysisSettings())
        for area in AREAS:
            service.weak(area, AS_OF)
        city, part = service.projections.get(), service.projections.get("d1")
        index = graph_index(city, AS_OF)  # the one the verdicts were judged with, kept for the graph
        walked = {id(o) for o in gc.get_objects()}
        assert id(city._node) not in walked and id(city._succ) not in walked, "frozen as it was built"
        assert id(index.children) not in walked, "a kept index is frozen as it was built"
        replaced = [weakref.ref(city), weakref.ref(part), weakref.ref(index)]
        del city, part, index, walked
        mutate(ChangeService(store))
        gc.collect()
        gc.disable()  # from here on only reference counting frees anything
        for area in AREAS:
            service.weak(area, AS_OF)
        assert service.projections.counts.patches == 1 and service.projections.counts.builds == 1
        assert [graph() for graph in replaced[:2]] == [None, None]
        # The index goes with its graph, unless the patch moved nothing it reads and the new graph took it over.
        assert replaced[2]() is None or replaced[2]() is graph_index(service.projections.get(), AS_OF)
    finally:
        gc.enable()
        gc.unfreeze()  # leave the test process's collector as it found it


def test_a_rebuild_means_every_verdict_and_measure_is_computed_whole(store: ReadingStore) -> None:
    """An import is not described by audit entries: the projection is read again and nothing is patched."""
    service = AnalysisService(ProjectionCache(store), AnalysisSettings())
    service.weak(None, AS_OF)
    lines = [to_json_line(NodeRecord("Person", "p-bulk", {"name": "导入者", "is_party_member": True}))]
    import_lines(store, lines)
    store.reads.clear()
    found = service.weak(None, AS_OF)
    assert store.measure_reads() == ["compound_measures"]
    assert service.projections.counts.builds == 2
    assert service.counts == {"weak judged": 2}
    assert found == _cold(store, None)[0]


def test_the_verdicts_read_no_node_attribute_but_those_listed(store: ReadingStore) -> None:
    """VERDICT_NODE_ATTRIBUTES (with the day index's) is what lets verdicts be carried over a patch: changing every
    other attribute of every node moves none; OWN_ATTRIBUTES are read on the organisation judged only."""
    graph = nx.MultiDiGraph(ProjectionCache(store).get())
    th = Thresholds(as_of=AS_OF)
    before = organization_weakness(graph, (), th)
    assessed = {k.value for k in ASSESSED_KINDS}
    for attrs in graph._node.values():
        for key in [k for k in attrs if k not in INDEXED_NODE_ATTRIBUTES | VERDICT_NODE_ATTRIBUTES]:
            attrs[key] = f"changed {key}"
        if not (attrs.get("label") == "Organization" and attrs.get("kind") in assessed):
            for key in OWN_ATTRIBUTES:
                attrs[key] = ("changed",) if key in ("five_haves", "flags") else f"changed {key}"
    assert organization_weakness(graph, (), th) == before
    graph.nodes["d1s1m1c1-br"]["flags"] = ("weak_leadership",)
    changed = {w.org_id: w for w in organization_weakness(graph, (), th)}
    assert [o for o in changed if changed[o] != next(w for w in before if w.org_id == o)] == ["d1s1m1c1-br"]


def test_every_property_a_measure_reads_is_in_the_projection(store: ReadingStore) -> None:
    """The patch tells which measures to read again from the attributes that changed in the projection: a property
    a measure reads and the projection leaves out would change unseen."""
    head, per_measure = measure_properties(store.catalog)
    projected = set().union(*NODE_ATTRIBUTES.values(), *REL_ATTRIBUTES.values(), {"id"})
    assert head <= projected
    for measure, properties in per_measure.items():
        assert properties <= projected, measure
    assert "has_plaque" in per_measure[next(m for m in per_measure if m.value == "five_haves_met")]
