"""The cached projection patched after a write, on the real embedded store holding the small city.

After each kind of change the write path makes (a node created, updated, ended; a relationship created, updated,
ended; a batch; the ledger) the patched projection equals one read from scratch, node attributes and edge keys and
attributes alike, without the bulk reads; imports and unknown audit entries fall back to a rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_service.analysis.common import INDEXED_NODE_ATTRIBUTES, _walk, graph_index
from graph_service.analysis.projection import (
    NODE_QUERIES,
    REL_QUERIES,
    ProjectionCache,
    build_graph,
    carried_over,
    read_tables,
    scope_nodes,
)
from graph_service.analysis.projection_patch import MAX_PATCH_ENTRIES, Changed, merged
from graph_service.config import AnalysisSettings
from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.services import audit
from graph_service.services.analyses import AnalysisService
from graph_service.services.bulk import bulk_insert
from graph_service.services.changes import ChangeService, NewRel
from graph_service.services.keys import create_key
from graph_service.services.ledger import LedgerImport
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Params, Tx
from graph_service.store.queries import QueryRef

from .conftest import City, store_of_city
from .ledger_sheet import ledger

ACTOR = "test"
AS_OF = date(2025, 6, 1)


class RecordingStore(LadybugStore):
    """The real embedded store, recording each bulk read it is asked for (query name and the ids it narrows to)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.bulk_reads: list[tuple[str, list[str] | None]] = []

    def read_arrow(self, query: QueryRef, params: Params | None = None, /, **names: object) -> Any:
        name = query if isinstance(query, str) else query.name
        self.bulk_reads.append((name, (params or {}).get("ids")))
        return super().read_arrow(query, params, **names)


@pytest.fixture
def store(tmp_path: Path, small_city: City) -> Iterator[RecordingStore]:
    with store_of_city(tmp_path / "graph.lbdb", small_city, RecordingStore) as opened:
        yield opened


@pytest.fixture
def cache(store: RecordingStore) -> ProjectionCache:
    projections = ProjectionCache(store)
    projections.get()
    return projections


def _contents(graph: nx.MultiDiGraph) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    nodes = dict(graph.nodes(data=True))
    edges = {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}
    return nodes, edges


def _assert_current(cache: ProjectionCache, *, patches: int) -> nx.MultiDiGraph:
    """The cached graph equals a from-scratch read, and was patched (never rebuilt) ``patches`` times."""
    graph = cache.get()
    assert nx.is_frozen(graph)
    assert _contents(graph) == _contents(build_graph(read_tables(cache.store)))
    assert (cache.counts.builds, cache.counts.patches) == (1, patches)
    return graph


def test_node_create_update_and_end_are_patched_in(cache: ProjectionCache) -> None:
    changes = ChangeService(cache.store)
    changes.create_node(ACTOR, "Area", {"id": "k-new", "level": "compound", "name": "新小区"}, parent_id="d1s1m1")
    graph = _assert_current(cache, patches=1)
    assert graph.nodes["k-new"] == {"label": "Area", "level": "compound", "name": "新小区"}
    assert graph.has_edge("k-new", "d1s1m1")
    changes.update_node(ACTOR, "Area", "k-new", {"households": 40, "name": "新小区二"})
    assert _assert_current(cache, patches=2).nodes["k-new"]["households"] == 40
    person = changes.create_node(ACTOR, "Person", {"name": "新书记", "phone": "13800000000", "is_party_member": True})
    graph = _assert_current(cache, patches=3)
    assert "phone" not in graph.nodes[person["id"]] and "name" not in graph.nodes[person["id"]]
    # Ending an organisation ends its live posts, pairings and registrations too: each is an entry of its own.
    changes.end_node(ACTOR, "Organization", "d1s1m1-cc", "2025-01-31")
    graph = _assert_current(cache, patches=4)
    assert graph.nodes["d1s1m1-cc"]["dissolved"] == date(2025, 1, 31)
    worker_post = graph.get_edge_data("worker0", "d1s1m1-cc")
    assert [attrs["end_date"] for attrs in worker_post.values()] == [date(2025, 1, 31)]


def test_relationship_create_update_and_end_are_patched_in(cache: ProjectionCache) -> None:
    changes = ChangeService(cache.store)
    post = changes.create_rel(
        ACTOR, "MEMBER_OF", "member1", "d1s1m1-cc", {"post": "community_worker", "start_date": "2024-01-01"}
    )
    graph = _assert_current(cache, patches=1)
    assert graph.edges["member1", "d1s1m1-cc", post["id"]]["post"] == "community_worker"
    changes.update_rel(ACTOR, "MEMBER_OF", post["id"], {"start_date": "2024-02-01", "full_time": True})
    graph = _assert_current(cache, patches=2)
    assert graph.edges["member1", "d1s1m1-cc", post["id"]]["start_date"] == date(2024, 2, 1)
    assert "full_time" not in graph.edges["member1", "d1s1m1-cc", post["id"]], "no analysis reads it"
    changes.end_rel(ACTOR, "MEMBER_OF", post["id"], "2024-12-31")
    graph = _assert_current(cache, patches=3)
    assert graph.edges["member1", "d1s1m1-cc", post["id"]]["end_date"] == date(2024, 12, 31)
    pairing = changes.create_rel(
        ACTOR, "PAIRED_WITH", "unit1-po", "d1s1m1-cc", {"start_date": "2024-03-01", "projects": ["助老"]}
    )
    changes.update_rel(ACTOR, "PAIRED_WITH", pairing["id"], {"resources": "资金"})
    # Two writes, one patch: the entries of both are applied together at the next read.
    graph = _assert_current(cache, patches=4)
    assert graph.edges["unit1-po", "d1s1m1-cc", pairing["id"]] == {"type": "PAIRED_WITH", "start_date": date(2024, 3, 1)}


def test_an_activity_with_its_links_and_a_batch_are_patched_in(cache: ProjectionCache) -> None:
    changes = ChangeService(cache.store)
    activity = changes.create_node(
        ACTOR,
        "Activity",
        {"kind": "party_lesson", "held_on": "2025-01-15", "attendance": 3},
        held_by_id="d1s1m1c2-br",
        attendee_ids=["member1", "member2"],
    )
    graph = _assert_current(cache, patches=1)
    assert graph.has_edge(activity["id"], "d1s1m1c2-br") and graph.has_edge("member2", activity["id"])
    items = [
        NewRel(person, community, {"start_date": "2024-05-01"}, 1)
        for person, community in (("rider0", "d1s1m2-cc"), ("worker0", "d2s1m2-cc"))
    ]
    assert changes.create_rels(ACTOR, "REGISTERED_WITH", items) == 2
    graph = _assert_current(cache, patches=2)
    assert graph.has_edge("rider0", "d1s1m2-cc") and graph.has_edge("worker0", "d2s1m2-cc")


def test_a_ledger_import_is_patched_in(cache: ProjectionCache) -> None:
    rows: list[list[Any]] = [
        [1, "单位", "unit1-po", None, "d1s1m2-cc", None, date(2025, 3, 1), None, "ledger-reg-1"],
        [2, "党员", "member1", None, "d2s1m2-cc", None, "2025-04-01", None, "ledger-reg-2"],
    ]
    report = LedgerImport(ChangeService(cache.store)).run(ACTOR, ledger(rows))
    assert report.written == 2
    graph = _assert_current(cache, patches=1)
    assert graph.edges["unit1-po", "d1s1m2-cc", "ledger-reg-1"]["start_date"] == date(2025, 3, 1)


def test_a_patch_reads_only_what_the_entries_name(cache: ProjectionCache, store: RecordingStore) -> None:
    changes = ChangeService(store)
    post = changes.create_rel(ACTOR, "MEMBER_OF", "member1", "d1s1m1-cc", {"post": "community_worker"})
    changes.update_node(ACTOR, "Organization", "d1s1m1-cc", {"has_plaque": True})
    store.bulk_reads.clear()
    cache.get()
    assert sorted(store.bulk_reads) == [
        (NODE_QUERIES["Organization"], ["d1s1m1-cc"]),
        (REL_QUERIES["MEMBER_OF"], [post["id"]]),
    ]
    assert cache.counts.patches == 1


def test_area_cut_outs_are_cut_again_from_the_patched_graph(cache: ProjectionCache) -> None:
    before = cache.get("d1s1m1")
    ChangeService(cache.store).create_node(
        ACTOR, "Area", {"id": "k-new", "level": "compound", "name": "新小区"}, parent_id="d1s1m1"
    )
    after = cache.get("d1s1m1")
    assert "k-new" not in before and "k-new" in after and after.graph["area_id"] == "d1s1m1"


def _fresh_cut(graph: nx.MultiDiGraph, area_id: str) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(graph.subgraph(scope_nodes(graph, area_id)))


def test_cut_outs_are_carried_over_an_edit_that_moves_nothing(cache: ProjectionCache) -> None:
    """An edit of properties scope_nodes does not read keeps each cut-out's nodes and edges: the cut-outs are
    carried over with the new attributes, not walked again; an edit of a kind, or a new relationship, is walked."""
    changes = ChangeService(cache.store)
    held = {area: cache.get(area) for area in ("d1", "d1s1m1", "d2")}
    cuts = cache.counts.cuts
    changes.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"has_plaque": False})
    changes.end_node(ACTOR, "Organization", "d1s1m1-cc", "2025-01-31")  # also ends its posts: relationships
    changes.update_node(ACTOR, "Area", "d1s1m1c1", {"households": 77})
    graph = cache.get()
    parts = {area: cache.get(area) for area in held}
    assert cache.counts.cuts == cuts + len(held)  # the end of posts changed relationships: walked again
    for area, part in parts.items():
        assert _contents(part) == _contents(_fresh_cut(graph, area)) and part.graph["area_id"] == area
    cuts = cache.counts.cuts
    changes.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"has_plaque": True})
    changes.update_node(ACTOR, "Area", "d1s1m1c1", {"households": 78, "name": "改名小区"})
    graph = cache.get()
    carried = {area: cache.get(area) for area in held}
    assert cache.counts.cuts == cuts and cache.counts.patches == 2
    for area, part in carried.items():
        assert nx.is_frozen(part) and part is not parts[area]
        assert _contents(part) == _contents(_fresh_cut(graph, area)) and part.graph["area_id"] == area
    assert carried["d1s1m1"].nodes["d1s1m1c1"]["households"] == 78 and parts["d1s1m1"].nodes["d1s1m1c1"]["households"] == 77
    assert carried["d1"].nodes["d1s1m1c1-br"]["has_plaque"] is True
    assert "d1s1m1c1" not in carried["d2"]


def test_the_day_index_reads_no_node_attribute_but_those_it_lists(cache: ProjectionCache) -> None:
    """INDEXED_NODE_ATTRIBUTES is what lets an index be carried over a patch: changing every other attribute of
    every node leaves the index as it was, and changing one it lists (a dissolution) does not."""
    graph = nx.MultiDiGraph(cache.get())
    before = _walk(graph, AS_OF)
    for attrs in graph._node.values():
        for key in [k for k in attrs if k not in INDEXED_NODE_ATTRIBUTES]:
            attrs[key] = None if key.endswith(("_date", "_on")) else f"changed {key}"
        attrs["unread"] = date(2000, 1, 1)
    assert _walk(graph, AS_OF) == before
    graph.nodes["d1s1m1-cc"]["dissolved"] = date(2020, 1, 1)
    assert _walk(graph, AS_OF) != before


def test_day_indexes_are_carried_over_an_edit_the_walk_does_not_read(cache: ProjectionCache) -> None:
    changes = ChangeService(cache.store)
    city, part = cache.get(), cache.get("d1")
    indexes = graph_index(city, AS_OF), graph_index(part, AS_OF)
    changes.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"has_plaque": False})
    city, part = cache.get(), cache.get("d1")
    assert (graph_index(city, AS_OF), graph_index(part, AS_OF)) == indexes  # the same objects, not built again
    assert graph_index(city, AS_OF) is indexes[0] and graph_index(part, AS_OF) is indexes[1]
    assert graph_index(city, AS_OF) == _walk(city, AS_OF) and graph_index(part, AS_OF) == _walk(part, AS_OF)
    changes.update_node(ACTOR, "Person", "worker0", {"employment": "retired"})  # read by the walk: built again
    city = cache.get()
    assert graph_index(city, AS_OF) is not indexes[0] and graph_index(city, AS_OF) == _walk(city, AS_OF)


def test_a_changed_label_or_kind_means_the_cut_outs_are_walked_again(cache: ProjectionCache) -> None:
    """The write paths refuse a change of kind, so the guard is checked on graphs: scope_nodes stops at the street
    committee by kind, so a node whose kind changed may change what a cut-out holds."""
    graph = cache.get()
    parts = {"d1": cache.get("d1")}
    same = merged(graph, graph.subgraph([]).copy(), [])
    changed = Changed(nodes={"Organization": {"d1s1m1c1-br"}})
    assert list(carried_over(parts, graph, nx.freeze(same), changed)) == ["d1"]
    renamed = nx.MultiDiGraph(graph)
    renamed.nodes["d1s1m1c1-br"]["kind"] = "joint_branch"
    assert carried_over(parts, graph, renamed, changed) == {}
    assert carried_over(parts, graph, graph, Changed(rels={"PAIRED_WITH": {"x"}})) == {}


@pytest.mark.parametrize("area_id", ["hz", "d1", "d1s1", "d1s1m1", "d1s1m1c1"])
def test_an_area_is_cut_as_the_networkx_subgraph_would_be(cache: ProjectionCache, area_id: str) -> None:
    graph = cache.get()
    part = cache.get(area_id)
    expected = nx.MultiDiGraph(graph.subgraph(scope_nodes(graph, area_id)))
    assert _contents(part) == _contents(expected)


def test_readers_keep_the_graph_they_hold(cache: ProjectionCache) -> None:
    held = cache.get()
    kept = _contents(held)
    changes = ChangeService(cache.store)
    changes.update_node(ACTOR, "Organization", "d1s1m1-cc", {"has_plaque": True})
    changes.create_rel(ACTOR, "MEMBER_OF", "member1", "d1s1m1-cc", {"post": "community_worker"})
    patched = cache.get()
    assert patched is not held and _contents(held) == kept
    assert patched.nodes["d1s1m1-cc"]["has_plaque"] is True and "has_plaque" not in held.nodes["d1s1m1-cc"]


def test_writes_that_touch_no_domain_node_keep_the_same_graph(cache: ProjectionCache) -> None:
    graph = cache.get()
    create_key(cache.store, "viewer", actor=ACTOR)  # audited, as an ApiKey
    AnalysisService(cache, AnalysisSettings()).run_all(None, as_of=AS_OF)  # saves an AnalysisRun
    assert cache.get() is graph
    assert (cache.counts.builds, cache.counts.patches) == (1, 0)


def test_imports_are_rebuilt_across(cache: ProjectionCache, store: RecordingStore) -> None:
    part_of = RelRecord("PART_OF", "k-bulk-in", "k-bulk", "Area", "d1s1m1", "Area", {})
    bulk_insert(store, [NodeRecord("Area", "k-bulk", {"level": "compound", "name": "批量小区"}), part_of])
    assert "k-bulk" in cache.get()
    assert (cache.counts.builds, cache.counts.patches) == (2, 0)
    lines = [to_json_line(NodeRecord("Area", "k-bulk", {"level": "compound", "name": "批量小区二"})), to_json_line(part_of)]
    assert import_lines(store, lines).method == "upsert"
    assert cache.get().nodes["k-bulk"]["name"] == "批量小区二"
    # A mutation after the import is patched again.
    ChangeService(store).update_node(ACTOR, "Area", "k-bulk", {"households": 10})
    assert cache.get().nodes["k-bulk"]["households"] == 10
    assert (cache.counts.builds, cache.counts.patches) == (3, 1)


def test_an_entry_the_patch_does_not_understand_means_a_rebuild(cache: ProjectionCache, store: RecordingStore) -> None:
    def work(tx: Tx) -> None:
        before = NodeRecord("Area", "x", {})
        audit.write_entry(tx, actor=ACTOR, action="update", entity_type="Unknown", entity_id="x", before=before, after=before)

    store.execute_write(work)
    cache.get()
    assert (cache.counts.builds, cache.counts.patches) == (2, 0)


def test_too_many_entries_mean_a_rebuild(cache: ProjectionCache, store: RecordingStore) -> None:
    def work(tx: Tx) -> None:
        record = RelRecord("PART_OF", "r", "a", "Area", "b", "Area", {})
        for _ in range(MAX_PATCH_ENTRIES + 1):
            audit.write_entry(tx, actor=ACTOR, action="update", entity_type="ApiKey", entity_id="k", before=None, after=record)

    store.execute_write(work)
    cache.get()
    assert (cache.counts.builds, cache.counts.patches) == (2, 0)


def test_analyses_over_a_patched_graph_equal_those_over_a_rebuilt_one(cache: ProjectionCache, store: RecordingStore) -> None:
    changes = ChangeService(store)
    changes.update_node(ACTOR, "Organization", "d1s1m1c1-br", {"has_plaque": False})
    changes.create_rel(ACTOR, "MEMBER_OF", "member1", "d1s1m1c1-br", {"post": "secretary", "start_date": "2024-01-01"})
    changes.create_node(ACTOR, "Area", {"id": "k-new", "level": "compound", "name": "新小区"}, parent_id="d1s1m2")
    patched = AnalysisService(cache, AnalysisSettings())
    rebuilt = AnalysisService(ProjectionCache(store), AnalysisSettings())
    assert cache.counts.patches == 0  # read below
    for area in (None, "d1"):
        assert patched.coverage(area, AS_OF) == rebuilt.coverage(area, AS_OF)
        assert patched.weak(area, AS_OF) == rebuilt.weak(area, AS_OF)
        assert patched.chain_breaks(area, AS_OF) == rebuilt.chain_breaks(area, AS_OF)
    assert patched.structure(None, AS_OF) == rebuilt.structure(None, AS_OF)
    assert cache.counts.patches == 1


def test_concurrent_readers_see_whole_graphs_while_writes_are_patched_in(cache: ProjectionCache) -> None:
    changes = ChangeService(cache.store)
    stop = threading.Event()
    seen: list[int] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                graph = cache.get()
                # Every edge's ends are nodes of the graph it was read from: no half-applied patch is visible.
                assert all(u in graph._node and v in graph._node for u, v in graph.edges())
                seen.append(graph.number_of_nodes())
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for n in range(5):
            changes.create_node(ACTOR, "Area", {"id": f"k-c{n}", "level": "compound", "name": f"小区{n}"}, parent_id="d1s1m1")
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    assert not failures
    assert seen
    cache.get()  # the readers may have stopped before the last write: it is patched in here, then counted
    graph = _assert_current(cache, patches=cache.counts.patches)
    assert all(f"k-c{n}" in graph for n in range(5))
    assert cache.counts.builds == 1
