"""What a cached projection needs to be patched after a write instead of rebuilt: the store's marks, the entities
the audit trail says changed since, and a copy of the graph with them put in that shares everything else.

Every write transaction bumps the store's write version; one that no audit entry describes (an import, a bulk
load, the seed, the undo of a load, any write path that does not say otherwise) also records its version as the
last opaque write (``Tx.described``, ``cypher/mark_opaque_write.cypher``). Between two sets of marks (write
version, last opaque write, last audit sequence number) the projection changed by exactly what the audit entries
between them name, unless an opaque write came in between. ``ProjectionCache`` (``analysis.projection``) reads the
named nodes and relationships by id through the projection's own queries and puts them in with ``merged``; it
rebuilds when ``changed_between`` says only a rebuild can tell.

The marks are read after the write version (``read_marks``), so the audit sequence number and the opaque mark are
at least as new as it: no change at or before that version is missed. A change after it may be read already; it
is read again at the next patch, and putting an entity's present state in twice gives the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_service.analysis.projection_graph import ProjectionGraph
from graph_service.domain.enums import AreaLevel, NodeLabel
from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES
from graph_service.store.port import Store

__all__ = ["MAX_PATCH_ENTRIES", "Changed", "WriteMarks", "changed_between", "compounds_near", "merged", "read_marks"]

#: Above this many audit entries since the last build a rebuild is cheaper than reading the entities one
#: statement per label and type over growing id lists (and a batch that big, a ledger import, is rare).
MAX_PATCH_ENTRIES = 2000


@dataclass(frozen=True)
class WriteMarks:
    """Where a store stood when a projection was read: ``version`` its write version, ``opaque`` the version of
    its last write no audit entry describes (0: none yet), ``audit_seq`` its last audit sequence number."""

    version: int
    opaque: int
    audit_seq: int


@dataclass(frozen=True)
class Changed:
    """The ids of the domain entities audit entries named, per node label and per relationship type."""

    nodes: dict[str, set[str]] = field(default_factory=dict)
    rels: dict[str, set[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.rels)


def read_marks(store: Store) -> WriteMarks:
    """The store's marks: its write version first, then (one statement) the opaque mark and the audit sequence."""
    version = store.write_version()
    values = {str(row["key"]): int(row["value"]) for row in store.read("write_marks") if row["value"] is not None}
    return WriteMarks(version, values.get("opaque_write_version", 0), values.get("audit_seq", 0))


def changed_between(store: Store, since: WriteMarks, now: WriteMarks) -> Changed | None:
    """The domain entities changed after ``since`` up to ``now``, or ``None`` when only a rebuild can say what
    changed: an opaque write in between, more than ``MAX_PATCH_ENTRIES`` entries, entries that are not the
    unbroken run of sequence numbers the audit trail promises, or one naming an entity type the catalogue does not
    know. Entries about system nodes (API keys) change nothing projected."""
    if now.opaque != since.opaque:
        return None
    count = now.audit_seq - since.audit_seq
    if count < 0 or count > MAX_PATCH_ENTRIES:
        return None
    changed = Changed()
    if count == 0:
        return changed  # only writes that touch no domain node (a saved analysis run)
    rows = store.read("audit_entries_between", {"since": since.audit_seq, "upto": now.audit_seq})
    if [int(row["seq"]) for row in rows] != list(range(since.audit_seq + 1, now.audit_seq + 1)):
        return None
    for row in rows:
        kind, entity = str(row["entity_type"]), str(row["entity_id"])
        if kind in NODES:
            changed.nodes.setdefault(kind, set()).add(entity)
        elif kind in RELS:
            changed.rels.setdefault(kind, set()).add(entity)
        elif kind not in SYSTEM_NODES:
            return None
    return changed


def merged(graph: nx.MultiDiGraph, delta: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A new graph: ``graph`` with the attributes of ``nodes`` and every edge taken from ``delta`` (a projection of
    the changed entities alone), an edge replacing the one of the same key between the same ends.

    ``graph`` is not touched (readers may hold it): the new graph copies a top-level dict (nodes, successors,
    predecessors) only when something in it changes, and an adjacency dict only for a node whose edges changed;
    it shares every other dict, and every unchanged attribute dict, with ``graph``. A copy of the whole graph
    (``nx.MultiDiGraph(graph)``) would cost more than the rebuild it replaces. A node at the end of a changed edge
    that is in neither graph is added bare, as ``build_graph`` does.
    """
    node, succ, pred = _CopyOnWrite(graph._node), _CopyOnWrite(graph._succ), _CopyOnWrite(graph._pred)
    for n in nodes:
        node.own()[n] = delta._node[n]
        if n not in graph._succ:
            succ.add(n)
            pred.add(n)
    for u, neighbours in delta._succ.items():
        for v, keyed in neighbours.items():
            for end in (u, v):
                if end not in node.current():
                    node.own()[end] = {}
                    succ.add(end)
                    pred.add(end)
            successors, predecessors = succ.inner(u), pred.inner(v)
            # A MultiDiGraph's _succ[u][v] and _pred[v][u] are one key dict: a new one for both.
            keys = {**successors.get(v, {}), **keyed}
            successors[v] = keys
            predecessors[u] = keys
    out = ProjectionGraph()
    out.graph.update(graph.graph)
    out._node = node.current()
    out._succ = out._adj = succ.current()
    out._pred = pred.current()
    return out


class _CopyOnWrite:
    """A dict of dicts shared with a frozen graph, copied (the outer dict, then each inner one) on first change."""

    def __init__(self, shared: dict[str, Any]) -> None:
        self._shared = shared
        self._own: dict[str, Any] | None = None
        self._owned_inner: set[str] = set()

    def current(self) -> dict[str, Any]:
        return self._shared if self._own is None else self._own

    def own(self) -> dict[str, Any]:
        if self._own is None:
            self._own = dict(self._shared)
        return self._own

    def add(self, key: str) -> None:
        """A new, empty inner dict under ``key``."""
        self.own()[key] = {}
        self._owned_inner.add(key)

    def inner(self, key: str) -> dict[str, Any]:
        """The inner dict under ``key``, this graph's own from now on."""
        outer = self.own()
        if key not in self._owned_inner:
            outer[key] = dict(outer[key])
            self._owned_inner.add(key)
        inner: dict[str, Any] = outer[key]
        return inner


def compounds_near(graph: nx.MultiDiGraph, nodes: Iterable[str], reach: int) -> set[str]:
    """The compounds (areas of level ``compound``) of ``graph`` at most ``reach`` relationships from any of
    ``nodes``, whichever way the relationships point (``domain.gaps.MEASURE_REACH``: the compounds whose measures a
    change of ``nodes`` may move)."""
    seen = {n for n in nodes if n in graph._node}
    frontier = list(seen)
    for _ in range(reach):
        reached = []
        for n in frontier:
            for other in (*graph._succ[n], *graph._pred[n]):
                if other not in seen:
                    seen.add(other)
                    reached.append(other)
        frontier = reached
    node, area, compound = graph._node, NodeLabel.AREA.value, AreaLevel.COMPOUND.value
    return {n for n in seen if node[n].get("label") == area and node[n].get("level") == compound}
