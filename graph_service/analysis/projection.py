"""The analyses' view of the store: the domain graph as a networkx ``MultiDiGraph``, read once and cached.

The whole graph is read through the store's bulk path (``read_arrow``), one query per node label and per
relationship type (``cypher/analysis_nodes_*.cypher``, ``cypher/analysis_rels*.cypher``), and kept by
``ProjectionCache`` (one per store, made by ``bootstrap``). After a write it is patched, not read again: the
entities the new audit entries name are read by id through the same queries (narrowed by ``id_in``) and put into
a copy that shares the rest (``analysis.projection_patch``); after an import, the seed or any other write no
audit entry describes it is rebuilt. An area's projection is cut from the cached city graph in memory (areas
under it by PART_OF, and the organisations, people, projects and appeals attached to them), so looking at several
districts in turn reads the store once.

Node key = the node's id; node attributes: ``label`` plus the properties of ``NODE_ATTRIBUTES`` (what the analyses
read; null values are left out, read them with ``.get``; lists come as tuples). Edge ``u -> v`` in the stored
direction, key = the relationship id, attributes: ``type`` plus the properties of ``REL_ATTRIBUTES``. Attribute dicts
are shared between nodes (edges) with equal attributes (``GraphBuilder``), so the returned graph is frozen and its
dicts are read only (shared by every caller): ``nx.MultiDiGraph(g)`` gives a private copy, with dicts of its own,
to change.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import networkx as nx
import pyarrow as pa

from graph_service.analysis.arrow_lists import column_list, shared_column_list
from graph_service.analysis.common import INDEXED_NODE_ATTRIBUTES, carry_indexes
from graph_service.analysis.projection_graph import ProjectionGraph
from graph_service.analysis.projection_patch import Changed, WriteMarks, changed_between, merged, read_marks
from graph_service.domain.enums import NodeLabel, OrgKind, RelType
from graph_service.domain.schema import RELS
from graph_service.errors import NotFoundError
from graph_service.heap import gc_paused, long_lived
from graph_service.store.port import Store
from graph_service.store.queries import Filter, Query, QueryRef

__all__ = [
    "AREAS_KEPT",
    "NODE_ATTRIBUTES",
    "NODE_QUERIES",
    "REL_ATTRIBUTES",
    "REL_QUERIES",
    "GraphBuilder",
    "ProjectionCache",
    "ProjectionCounts",
    "ProjectionPatch",
    "ProjectionStats",
    "areas_in_scope",
    "build_graph",
    "build_graph_reference",
    "cut",
    "projection_stats",
    "read_graph",
    "read_tables",
    "scope_nodes",
]

#: One bulk query per node label; each returns ``id`` and the label's non-personal properties.
NODE_QUERIES: dict[str, str] = {
    NodeLabel.AREA.value: "analysis_nodes_area",
    NodeLabel.ORGANIZATION.value: "analysis_nodes_organization",
    NodeLabel.PERSON.value: "analysis_nodes_person",
    NodeLabel.PROJECT.value: "analysis_nodes_project",
    NodeLabel.APPEAL.value: "analysis_nodes_appeal",
    NodeLabel.ACTIVITY.value: "analysis_nodes_activity",
}

#: Relationship types with properties beyond ``id`` have their own query; the rest share ``analysis_rels``.
REL_QUERIES: dict[str, str] = {
    rel_type: (f"analysis_rels_{rel_type.lower()}" if len(spec.props) > 1 else "analysis_rels") for rel_type, spec in RELS.items()
}

#: What the analyses read of each node label besides ``label``; the projection keeps nothing else (the queries
#: return every non-personal property: the rest is dropped as each table is built). An analysis that reads a new
#: property adds it here.
NODE_ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        NodeLabel.AREA.value: frozenset({"level", "name", "households", "abolished"}),
        NodeLabel.ORGANIZATION.value: frozenset(
            {
                "kind",
                "name",
                "unit_type",
                "founded",
                "dissolved",
                "has_plaque",
                "five_haves",
                "capacity",
                "flags",
                "flag_evidence",
                "term_start",
                "term_years",
            }
        ),
        NodeLabel.PERSON.value: frozenset({"is_party_member", "employment", "left_on"}),
        NodeLabel.PROJECT.value: frozenset(),
        NodeLabel.APPEAL.value: frozenset({"status"}),
        NodeLabel.ACTIVITY.value: frozenset({"kind", "held_on"}),
    }
)

# Whether a relationship is in force (``analysis.common.is_current``) is read from these on every type.
_IN_FORCE = frozenset({"start_date", "end_date"})
_REL_READ: dict[str, frozenset[str]] = {
    RelType.MEMBER_OF.value: frozenset({"post", "member_status"}),
    RelType.MANAGES.value: frozenset({"mode"}),
    RelType.SUNK_TO.value: frozenset({"role"}),
}
#: What the analyses read of each relationship type besides ``type``: its dates and, for a few, one or two more.
REL_ATTRIBUTES: Mapping[str, frozenset[str]] = MappingProxyType(
    {rel_type: frozenset(spec.prop_names) & (_IN_FORCE | _REL_READ.get(rel_type, frozenset())) for rel_type, spec in RELS.items()}
)

# Organisations attached to an area by these relationships belong to the area's projection.
# (Sets of plain codes: a str-Enum member hashes by its name, so ``"x" in {Enum.X}`` may be False.)
_AREA_ATTACHMENTS = frozenset(
    r.value for r in (RelType.LEADS, RelType.COVERS, RelType.SERVES, RelType.LOCATED_IN, RelType.MANAGES)
)
_PERSON_ATTACHMENTS = frozenset(
    r.value
    for r in (
        RelType.MEMBER_OF,
        RelType.REGISTERED_WITH,
        RelType.RESIDES_IN,
        RelType.SUNK_TO,
        RelType.SENT_DOWN_TO,
        RelType.LIAISES_WITH,
        RelType.JOINS,
    )
)
_PARTNER_RELS = frozenset((RelType.PAIRED_WITH.value, RelType.REGISTERED_WITH.value))
_ITEM_RELS = frozenset((RelType.LISTED_BY.value, RelType.CONCERNS.value, RelType.HELD_BY.value))


@dataclass(frozen=True)
class ProjectionStats:
    """What a projection holds; for benchmarks and the CLI."""

    nodes: int
    edges: int
    nodes_by_label: dict[str, int]
    edges_by_type: dict[str, int]


@dataclass
class ProjectionCounts:
    """How a ``ProjectionCache`` brought its city graph up to date, since it was made: for tests and benchmarks."""

    builds: int = 0
    patches: int = 0
    cuts: int = 0
    """Area cut-outs made by walking the graph (``scope_nodes``); one carried over a patch is not counted."""


@dataclass(frozen=True)
class ProjectionPatch:
    """How a ``ProjectionCache``'s current city graph came from its previous one: what the results kept for the
    previous graph need to be patched rather than computed again (``services.analyses``, ``services.measures``).

    Between the write marks ``since`` and ``now`` the domain changed by exactly ``changed`` (``projection_patch``).
    ``generation`` numbers the city graph now (the cache counts every new graph, built or patched), ``previous``
    the one before; equal when the writes changed no domain node. ``city`` is the graph now. ``touched`` holds the
    changed nodes and the ends of the changed relationships; ``before`` the attributes each changed node had in
    the previous graph (a node the patch added has none). A patch only adds and replaces nodes and edges (an
    entity gone from the store means a rebuild), so every path of the previous graph is in ``city``.
    """

    since: WriteMarks
    now: WriteMarks
    changed: Changed
    previous: int
    generation: int
    city: nx.MultiDiGraph
    touched: frozenset[str]
    before: Mapping[str, Mapping[str, Any]]

    @property
    def attributes_only(self) -> bool:
        """Whether only attributes of nodes there before changed: the same nodes and edges as the previous graph."""
        return not self.changed.rels and all(n in self.before for ids in self.changed.nodes.values() for n in ids)

    def changed_attributes(self) -> dict[str, frozenset[str]]:
        """Per changed node there before, the attributes whose values differ from the previous graph's."""
        out: dict[str, frozenset[str]] = {}
        for node, old in self.before.items():
            new = self.city._node.get(node, {})
            out[node] = frozenset(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        return out


#: Area cut-outs a ``ProjectionCache`` keeps: cutting another drops the one asked for least recently (with the
#: results kept for it). Every area looked at would otherwise stay until the next write.
AREAS_KEPT = 16


class ProjectionCache:
    """One store's projections: the city graph and cut-outs per area, all at one set of write marks.

    ``get`` reads the store only when something was written since the graphs were read: until then a second call
    returns the same frozen object without a round trip (beyond what ``write_version`` itself costs). After a
    write, the city graph is patched from the audit entries written since (see ``analysis.projection_patch``):
    a new frozen graph with the changed nodes and edges, sharing the rest with the old one, which its readers keep;
    the area cut-outs are dropped and cut again when asked for. A write that changed no domain node (a saved
    analysis run, an API key) keeps the very same graph, and with it every result kept for it. Of the cut-outs, the
    ``AREAS_KEPT`` asked for last are kept.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.counts = ProjectionCounts()
        self._lock = threading.Lock()
        self._version: int | None = None
        self._marks: WriteMarks | None = None
        self._graph: nx.MultiDiGraph | None = None  # the city's
        self._parts: OrderedDict[str, nx.MultiDiGraph] = OrderedDict()  # area cut-outs, the latest asked for last
        self._generation = 0  # counts the city graphs this cache made (built or patched)
        self._patch: ProjectionPatch | None = None  # how the city graph now came from the previous one

    def get(self, area_id: str | None = None) -> nx.MultiDiGraph:
        """The domain graph (or the part of it under ``area_id``) as a frozen networkx ``MultiDiGraph``.

        Raises ``NotFoundError`` naming ``area_id`` when no area has that id.
        """
        return self.get_with_patch(area_id)[0]

    def get_with_patch(self, area_id: str | None = None) -> tuple[nx.MultiDiGraph, int, ProjectionPatch | None]:
        """``get(area_id)``, the generation of the city graph it belongs to, and how that city graph came from the
        previous one (``None`` after a build), all at one set of write marks."""
        with self._lock:
            graph = self._city()
            return self._part(graph, area_id), self._generation, self._patch

    def _part(self, graph: nx.MultiDiGraph, area_id: str | None) -> nx.MultiDiGraph:
        """The cut-out of ``area_id`` from the city graph ``graph`` (``graph`` itself for ``None``); the lock is held."""
        if area_id is None:
            return graph
        part = self._parts.get(area_id)
        if part is None:
            part = nx.freeze(cut(graph, scope_nodes(graph, area_id)))
            part.graph["area_id"] = area_id
            self._parts[area_id] = part
            self.counts.cuts += 1
            if len(self._parts) > AREAS_KEPT:
                self._parts.popitem(last=False)
        else:
            self._parts.move_to_end(area_id)
        return part

    def _city(self) -> nx.MultiDiGraph:
        graph = self._graph
        if graph is not None and self.store.write_version() == self._version:
            return graph
        marks = read_marks(self.store)
        if graph is not None and self._marks is not None:
            found = self._patched(graph, self._marks, marks)
            if found is not None:
                patched, changed, touched = found
                if patched is graph:  # no domain node changed: what held at the last marks holds now
                    if self._patch is not None and self._patch.generation == self._generation:
                        self._patch = dataclasses.replace(self._patch, now=marks)
                    else:
                        self._patch = ProjectionPatch(
                            self._marks, marks, changed, self._generation, self._generation, graph, frozenset(), {}
                        )
                else:
                    parts = self._parts
                    self._graph = patched
                    self._parts = OrderedDict(carried_over(dict(parts), graph, patched, changed))
                    if moves_nothing_read(graph, patched, changed, INDEXED_NODE_ATTRIBUTES):
                        carry_indexes(graph, patched)
                        for area, part in parts.items():
                            carry_indexes(part, self._parts[area])
                    self.counts.patches += 1
                    self._generation += 1
                    before = {n: graph._node[n] for ids in changed.nodes.values() for n in ids if n in graph._node}
                    self._patch = ProjectionPatch(
                        self._marks, marks, changed, self._generation - 1, self._generation, patched, touched, before
                    )
                self._version, self._marks = marks.version, marks
                return patched
        # Let go of the old graph before reading the new one (readers holding it keep it): two at once would double
        # the peak.
        self._graph = None
        self._parts.clear()
        self._patch = None
        graph = self._graph = nx.freeze(read_graph(self.store))
        self.counts.builds += 1
        self._generation += 1
        self._version, self._marks = marks.version, marks
        return graph

    def _patched(
        self, graph: nx.MultiDiGraph, since: WriteMarks, now: WriteMarks
    ) -> tuple[nx.MultiDiGraph, Changed, frozenset[str]] | None:
        """``graph`` brought from ``since`` to ``now``, with what changed and the changed nodes and ends of changed
        relationships; ``None`` when it must be rebuilt."""
        if now.version == since.version:
            return graph, Changed(), frozenset()
        changed = changed_between(self.store, since, now)
        if changed is None:
            return None
        if not changed:
            return graph, changed, frozenset()
        tables = read_tables(self.store, changed.nodes, changed.rels)
        # History is never deleted: an entity an entry names and the store no longer holds went by a path the audit
        # does not describe, and only a rebuild shows what else it took with it.
        found_nodes = {label: set(table.column("id").to_pylist()) for label, table in tables[0].items()}
        found_rels = {rel_type: set(table.column("id").to_pylist()) for rel_type, table in tables[1].items()}
        if found_nodes != changed.nodes or found_rels != changed.rels:
            return None
        nodes = [n for ids in changed.nodes.values() for n in ids]
        delta = build_graph(tables)
        return nx.freeze(merged(graph, delta, nodes)), changed, frozenset(delta._node)

    def clear(self) -> None:
        """Forget the cached projections; the next ``get`` reads the store again."""
        with self._lock:
            self._graph = None
            self._parts.clear()
            self._version = None
            self._marks = None
            self._patch = None


_ID_IN = Filter("id_in")


def read_tables(
    store: Store, node_ids: dict[str, set[str]] | None = None, rel_ids: dict[str, set[str]] | None = None
) -> tuple[dict[str, pa.Table], dict[str, pa.Table]]:
    """The bulk reads behind a projection: one Arrow table per node label and per relationship type.

    With ``node_ids`` or ``rel_ids`` (ids per label, per type): only those entities, read by the same queries
    narrowed to the ids (``fragments/id_in``), so that a patched node or edge has the columns a rebuild gives it;
    labels and types not named are not read.
    """
    narrowed = node_ids is not None or rel_ids is not None
    return _read_each(store, NODE_QUERIES, node_ids, narrowed), _read_each(store, REL_QUERIES, rel_ids, narrowed)


def _read_each(
    store: Store, queries: dict[str, str], ids_by_name: dict[str, set[str]] | None, narrowed: bool
) -> dict[str, pa.Table]:
    tables = {}
    for name, query_name in queries.items():
        ids = (ids_by_name or {}).get(name)
        if narrowed and not ids:
            continue
        query, params = _narrowed(query_name, ids)
        names = {"rel": name} if query_name == "analysis_rels" else {}
        tables[name] = store.read_arrow(query, params, **names)
    return tables


def _narrowed(name: str, ids: set[str] | None) -> tuple[QueryRef, dict[str, object]]:
    if ids is None:
        return name, {}
    return Query(name).where(_ID_IN), {"ids": sorted(ids)}


def build_graph(tables: tuple[dict[str, pa.Table], dict[str, pa.Table]]) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` from the tables ``read_tables`` returns (nodes first, so every edge finds its ends).

    Built by ``GraphBuilder``: only the attributes the analyses read, equal values and attribute dicts shared.
    ``build_graph_reference`` is the plain networkx construction the tests compare this with.
    """
    builder = GraphBuilder()
    node_tables, rel_tables = tables
    with gc_paused():
        for label, table in node_tables.items():
            builder.add_nodes(label, table)
        for rel_type, table in rel_tables.items():
            builder.add_edges(rel_type, table)
        return builder.done()


def read_graph(store: Store) -> nx.MultiDiGraph:
    """The whole projection, read and built one table at a time: each Arrow table is dropped once its rows are in
    the graph (at scale 10 the tables together are hundreds of megabytes), so they are never all held at once."""
    builder = GraphBuilder()
    # Frozen as it is made (``heap.long_lived``): it lasts until a patch or a rebuild replaces it, and one walk of
    # the collector over it stops every thread for about two seconds at scale 10.
    with long_lived():
        for label, query_name in NODE_QUERIES.items():
            builder.add_nodes(label, store.read_arrow(query_name))
        for rel_type, query_name in REL_QUERIES.items():
            names = {"rel": rel_type} if query_name == "analysis_rels" else {}
            builder.add_edges(rel_type, store.read_arrow(query_name, **names))
        return builder.done()


class GraphBuilder:
    """Fills a ``MultiDiGraph`` from the projection's tables, as small as the analyses allow.

    At scale 10 the projection is millions of Python objects, and most of its memory went to what no analysis
    reads, to copies of equal values and to dicts holding one item or none. So:

    * nodes and edges keep only the attributes of ``NODE_ATTRIBUTES`` and ``REL_ATTRIBUTES`` (lists as tuples);
    * equal values of a column are one object (a level, a post code, a date), and nodes (edges) of one label (type)
      with equal attributes share one attribute dict: a person's dict is one of a handful, an edge with no
      attribute but its type shares the type's one dict;
    * an edge's ends are the node's own id string, not the copy each relationship row brings;
    * two nodes joined by one edge (nearly all) hold it in a ``OneItem`` (a read-only mapping of two slots, 48
      bytes) rather than a key dict of 184, and so does a node with one successor (predecessor) hold it; a node
      without successors or predecessors shares one empty mapping (``compact_adjacency``).

    The result is read only, as the projection is (frozen by ``ProjectionCache``): attribute dicts are shared, and
    adding an edge between nodes already joined, or to a node with no edges that way, fails. ``nx.MultiDiGraph(g)``
    gives a copy with dicts of its own, to change. The adjacency is filled directly (``_node``, ``_succ``, ``_pred``:
    a MultiDiGraph's documented data structure, where ``_succ[u][v]`` and ``_pred[v][u]`` are one key mapping): half
    the time of ``add_edges_from``, which checks and copies every edge. The cyclic garbage collector is paused
    while a table is added (``build_graph`` and ``read_graph`` pause it for the whole build: re-enabled after each
    table, it would walk everything the table made).
    """

    def __init__(self) -> None:
        self.graph = ProjectionGraph()
        self._ids: dict[str, str] = {}  # each node id to the string the graph holds
        self._values: dict[tuple[str, str], dict[Any, Any]] = {}  # per label/type and column: value -> shared value
        self._dicts: dict[tuple[Any, ...], dict[str, Any]] = {}  # attributes -> the dict holding them

    def add_nodes(self, label: str, table: pa.Table) -> None:
        nodes, succ, pred, ids = self.graph._node, self.graph._succ, self.graph._pred, self._ids
        with gc_paused():
            for node, attrs in zip(
                column_list(table.column("id")), self._attr_dicts("label", label, table, NODE_ATTRIBUTES), strict=True
            ):
                node = ids.setdefault(node, node)
                nodes[node] = attrs
                if node not in succ:
                    succ[node] = {}
                    pred[node] = {}

    def add_edges(self, rel_type: str, table: pa.Table) -> None:
        succ, pred, canonical = self.graph._succ, self.graph._pred, self._ids.get
        with gc_paused():
            ends = zip(column_list(table.column("source")), column_list(table.column("target")), strict=True)
            keys = column_list(table.column("id"))
            attr_dicts = self._attr_dicts("type", rel_type, table, REL_ATTRIBUTES)
            for (source, target), key, attrs in zip(ends, keys, attr_dicts, strict=True):
                u, v = canonical(source), canonical(target)
                if u is None:
                    u = self._bare(source)
                if v is None:
                    v = self._bare(target)
                keyed = succ[u].get(v)
                if keyed is None or (type(keyed) is OneItem and keyed.key == key):
                    keyed = succ[u][v] = pred[v][u] = OneItem(key, attrs)
                elif type(keyed) is OneItem:  # a second edge between the two: a key dict, the first key first
                    keyed = succ[u][v] = pred[v][u] = {keyed.key: keyed.value, key: attrs}
                else:
                    keyed[key] = attrs

    def done(self) -> nx.MultiDiGraph:
        """The graph, its adjacency made compact (``compact_adjacency``)."""
        compact_adjacency(self.graph)
        return self.graph

    def _bare(self, node: str) -> str:
        """An end outside the projected labels: added with no attributes, as ``add_edges_from`` would."""
        self._ids[node] = node
        self.graph._node[node], self.graph._succ[node], self.graph._pred[node] = {}, {}, {}
        return node

    def _attr_dicts(self, tag: str, name: str, table: pa.Table, kept: Mapping[str, frozenset[str]]) -> Iterator[dict[str, Any]]:
        """Each row's attribute dict: ``{tag: name}`` (``label`` or ``type``) and the row's kept, non-null values."""
        wanted = kept.get(name, frozenset())
        names = [n for n in table.column_names if n in wanted]
        # One to_pylist per column is several times faster than to_pylist on the table (a dict per row).
        columns = [self._shared_values(name, n, table.column(n)) for n in names]
        dicts = self._dicts
        if not names:
            only = dicts.setdefault((name,), {tag: name})
            for _ in range(table.num_rows):
                yield only
            return
        for values in zip(*columns, strict=True):
            key = (name, *values)
            attrs = dicts.get(key)
            if attrs is None:
                attrs = {tag: name}
                for column, value in zip(names, values, strict=True):
                    if value is not None:  # nulls left out: read them with .get
                        attrs[column] = value
                dicts[key] = attrs
            yield attrs

    def _shared_values(self, owner: str, name: str, column: pa.ChunkedArray) -> list[Any]:
        # One memo per column: across columns equal values may differ in type (1 == True == 1.0).
        memo = self._values.setdefault((owner, name), {})
        return shared_column_list(column, lambda value: memo.setdefault(value, value))


V = TypeVar("V")


class OneItem(Mapping[str, V]):
    """A read-only mapping of one item in two slots (48 bytes; a dict of one item is 184).

    A read-only projection holds one where a dict would hold a single item: the key mapping of two nodes joined by
    one edge (``{edge key: attributes}``), the successors or predecessors of a node with one. ``values``,
    ``items`` and ``keys`` give tuples (the analyses' loops over them run as fast as over a dict's); everything else
    is ``Mapping``'s, so networkx reads it as it reads a dict.
    """

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: V) -> None:
        self.key = key
        self.value = value

    def __getitem__(self, key: str) -> V:
        if key == self.key:
            return self.value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter((self.key,))

    def __len__(self) -> int:
        return 1

    def __contains__(self, key: object) -> bool:
        return key == self.key

    def get(self, key: str, default: Any = None) -> Any:
        return self.value if key == self.key else default

    def keys(self) -> tuple[str]:  # type: ignore[override]
        return (self.key,)

    def values(self) -> tuple[V]:  # type: ignore[override]
        return (self.value,)

    def items(self) -> tuple[tuple[str, V]]:  # type: ignore[override]
        return ((self.key, self.value),)

    def __repr__(self) -> str:
        return f"OneItem({self.key!r}: {self.value!r})"


#: The successors (predecessors) of a node that has none, shared by all such nodes of a read-only projection.
NO_NEIGHBOURS: Mapping[str, Any] = MappingProxyType({})


def compact_adjacency(graph: nx.MultiDiGraph) -> None:
    """Replace each node's successor and predecessor dicts holding one node by a ``OneItem``, and the empty ones by
    ``NO_NEIGHBOURS`` (most nodes have one neighbour or none each way: a person, an activity). The graph is read
    only from then on: no edge can be added from or to such a node."""
    for adjacency in (graph._succ, graph._pred):
        for node, neighbours in adjacency.items():
            size = len(neighbours)
            if size == 1:
                for only in neighbours.items():
                    adjacency[node] = OneItem(*only)
            elif size == 0:
                adjacency[node] = NO_NEIGHBOURS


def _frozen(value: Any) -> Any:
    """``value`` as an immutable, hashable value: a list (five haves, flags) as a tuple."""
    return tuple(value) if isinstance(value, list) else value


def build_graph_reference(
    tables: tuple[dict[str, pa.Table], dict[str, pa.Table]], *, every_attribute: bool = False
) -> nx.MultiDiGraph:
    """The same graph through networkx's public ``add_nodes_from``/``add_edges_from``, each row its own dicts
    (slower; for tests). With ``every_attribute``, nodes and edges keep every column the queries return (lists
    as lists): the projection as it was before it kept only what the analyses read."""
    node_tables, rel_tables = tables
    graph = nx.MultiDiGraph()
    for label, table in node_tables.items():
        names = _reference_names(table, ("id",), None if every_attribute else NODE_ATTRIBUTES.get(label, frozenset()))
        ids = table.column("id").to_pylist()
        attrs = _reference_dicts(table, names, {"label": label}, not every_attribute)
        graph.add_nodes_from(zip(ids, attrs, strict=True))
    for rel_type, table in rel_tables.items():
        kept = None if every_attribute else REL_ATTRIBUTES.get(rel_type, frozenset())
        names = _reference_names(table, ("source", "target", "id"), kept)
        ends = zip(table.column("source").to_pylist(), table.column("target").to_pylist(), strict=True)
        attrs = _reference_dicts(table, names, {"type": rel_type}, not every_attribute)
        graph.add_edges_from((u, v, key, a) for (u, v), key, a in zip(ends, table.column("id").to_pylist(), attrs, strict=True))
    return graph


def _reference_names(table: pa.Table, skip: tuple[str, ...], kept: frozenset[str] | None) -> list[str]:
    return [n for n in table.column_names if n not in skip and (kept is None or n in kept)]


def _reference_dicts(table: pa.Table, names: list[str], base: dict[str, Any], freeze: bool) -> Iterator[dict[str, Any]]:
    rows = table.select(names).to_pylist() if names else [{} for _ in range(table.num_rows)]
    for row in rows:
        yield {**base, **{k: _frozen(v) if freeze else v for k, v in row.items() if v is not None}}


def cut(graph: nx.MultiDiGraph, nodes: set[str]) -> nx.MultiDiGraph:
    """The part of a frozen projection on ``nodes``: those nodes and the edges between them, in ``graph``'s order
    (the subgraph view gave the set's order, which varies between processes).

    The same nodes and edges as ``nx.MultiDiGraph(graph.subgraph(nodes))``, built directly (as ``build_graph`` does) and
    sharing the attribute dicts and key dicts with ``graph``, which no one changes: a district's part took seconds
    through the subgraph view at scale 1, and is cut again after every patch of the city graph.
    """
    part = ProjectionGraph()
    node, succ, pred = part._node, part._succ, part._pred
    for n, attrs in graph._node.items():
        if n in nodes:
            node[n] = attrs
            succ[n] = {}
            pred[n] = {}
    for u, successors in succ.items():
        for v, keyed in graph._succ[u].items():
            if v in node:
                successors[v] = keyed
                pred[v][u] = keyed
    compact_adjacency(part)
    return part


#: The node attributes ``scope_nodes`` reads besides the edges.
SCOPE_NODE_ATTRIBUTES = frozenset({"label", "kind"})


def moves_nothing_read(old: nx.MultiDiGraph, new: nx.MultiDiGraph, changed: Changed, attributes: frozenset[str]) -> bool:
    """Whether ``new``, ``old`` patched with ``changed``, has the same nodes and edges as ``old`` and the same values
    of ``attributes`` on every node: what a walk reading only those sees of both is the same."""
    if changed.rels:
        return False
    for ids in changed.nodes.values():
        for n in ids:
            before, after = old._node.get(n), new._node.get(n)
            if before is None or after is None or any(before.get(k) != after.get(k) for k in attributes):
                return False
    return True


def carried_over(
    parts: dict[str, nx.MultiDiGraph], old: nx.MultiDiGraph, new: nx.MultiDiGraph, changed: Changed
) -> dict[str, nx.MultiDiGraph]:
    """The area cut-outs of ``old`` that hold for ``new``, the city graph patched from it with ``changed``.

    ``scope_nodes`` reads the edges and each node's label and kind. When the patch changed no relationship and no
    node's label or kind (an edited plaque, a dissolution date), every cut-out has the same nodes and edges; each
    is carried over with the changed nodes' new attribute dicts, sharing the rest. Walking a district again took
    0.7-2.4 s at scale 1 after every edit. Otherwise none is carried over: each is cut again when asked for.
    """
    if not moves_nothing_read(old, new, changed, SCOPE_NODE_ATTRIBUTES):
        return {}
    nodes = [n for ids in changed.nodes.values() for n in ids]
    out: dict[str, nx.MultiDiGraph] = {}
    for area, part in parts.items():
        touched = {n: new._node[n] for n in nodes if n in part._node}
        fresh = ProjectionGraph()
        fresh.graph.update(part.graph)
        fresh._node = {**part._node, **touched} if touched else part._node  # the same order: keys stay in place
        fresh._succ = fresh._adj = part._succ
        fresh._pred = part._pred
        out[area] = nx.freeze(fresh)
    return out


def projection_stats(graph: nx.MultiDiGraph) -> ProjectionStats:
    """Counts of nodes per label and edges per type."""
    by_label = Counter(str(attrs.get("label")) for attrs in graph._node.values())
    by_type = Counter(
        str(attrs.get("type")) for nbrs in graph._succ.values() for keyed in nbrs.values() for attrs in keyed.values()
    )
    return ProjectionStats(graph.number_of_nodes(), sum(by_type.values()), dict(by_label), dict(by_type))


def scope_nodes(graph: nx.MultiDiGraph, area_id: str) -> set[str]:
    """The nodes of ``area_id``'s projection (see the module docstring and the API contract).

    Areas under it by PART_OF; organisations leading, covering, serving, located in or managing those areas, the
    organisations under them (groups, central households, owners' committees, teams) and their hierarchy up to
    the street committee; units' Party organisations paired or registered with them, and their units; people
    with posts, registrations, residence or sinking there; projects listed by those organisations, their
    claimants; appeals concerning those areas and who collected them; activities those organisations held; and,
    as context, the areas above ``area_id`` up to the city (so a compound's community, street and district are
    known), without what hangs on them.
    """
    if area_id not in graph or graph.nodes[area_id].get("label") != NodeLabel.AREA.value:
        raise NotFoundError(f"no area with id {area_id!r}")
    areas = _areas_under(graph, area_id)
    orgs: set[str] = set()
    for area in areas:
        for source, _, rel_type in graph.in_edges(area, data="type"):
            if rel_type in _AREA_ATTACHMENTS:
                orgs.add(source)
    # Down the hierarchy: children of attached organisations, unless they are attached to another area only.
    frontier = list(orgs)
    while frontier:
        org = frontier.pop()
        for child, _, rel_type in graph.in_edges(org, data="type"):
            if rel_type == RelType.SUB_ORG_OF.value and child not in orgs and not _attached_elsewhere(graph, child, areas):
                orgs.add(child)
                frontier.append(child)
    # Partners reaching in: units' Party organisations paired or registered with an organisation in scope.
    for org in list(orgs):
        for source, _, rel_type in graph.in_edges(org, data="type"):
            if rel_type in _PARTNER_RELS and _label(graph, source) == NodeLabel.ORGANIZATION.value:
                orgs.add(source)
    # Up the hierarchy to the street committee (the top of the chain a community analysis checks).
    for org in list(orgs):
        current = org
        while graph.nodes[current].get("kind") != OrgKind.STREET_COMMITTEE.value:
            parents = [t for _, t, r in graph.out_edges(current, data="type") if r == RelType.SUB_ORG_OF.value]
            if not parents:
                break
            current = parents[0]
            if current in orgs:
                break
            orgs.add(current)
    nodes = areas | orgs
    extra: set[str] = set()
    for node in nodes:
        for source, _, rel_type in graph.in_edges(node, data="type"):
            if rel_type in _PERSON_ATTACHMENTS or rel_type in _ITEM_RELS:
                extra.add(source)
    # Who claimed the projects and who collected the appeals in scope.
    for node in list(extra):
        if _label(graph, node) in (NodeLabel.PROJECT.value, NodeLabel.APPEAL.value):
            extra.update(source for source, _ in graph.in_edges(node))
    return nodes | extra | _areas_above(graph, area_id)


def _label(graph: nx.MultiDiGraph, node: str) -> str | None:
    label = graph.nodes[node].get("label")
    return None if label is None else str(label)


def _areas_above(graph: nx.MultiDiGraph, area_id: str) -> set[str]:
    found: set[str] = set()
    current = area_id
    while True:
        parents = [t for _, t, r in graph.out_edges(current, data="type") if r == RelType.PART_OF.value and t not in found]
        if not parents:
            return found
        current = parents[0]
        found.add(current)


def areas_in_scope(graph: nx.MultiDiGraph) -> set[str] | None:
    """The areas a projection of one area is about (that area and those under it); ``None`` for the whole city.

    An area's projection also carries the areas above it, as context: roll-ups leave those out."""
    area_id = graph.graph.get("area_id")
    return None if area_id is None else _areas_under(graph, str(area_id))


def _areas_under(graph: nx.MultiDiGraph, area_id: str) -> set[str]:
    found = {area_id}
    frontier = [area_id]
    while frontier:
        area = frontier.pop()
        for child, _, rel_type in graph.in_edges(area, data="type"):
            if rel_type == RelType.PART_OF.value and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def _attached_elsewhere(graph: nx.MultiDiGraph, org: str, areas: set[str]) -> bool:
    targets = [t for _, t, r in graph.out_edges(org, data="type") if r in _AREA_ATTACHMENTS]
    return bool(targets) and not any(t in areas for t in targets)
