"""Hand-built graphs written into a real store, and analysed back out of it.

The analysis unit graphs (``tests.unit.analysis_graphs``) are projection-shaped networkx graphs. The coverage
gaps and the branch factors that rest on them are measured by the store (``cypher/fragments/``), so the tests
of those analyses write the graph through the real NDJSON import into an embedded store in a temporary
directory, then read the projection and the compounds' measures the way the service does.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from graph_service.analysis.common import Thresholds
from graph_service.analysis.projection import ProjectionCache
from graph_service.services.analyses import graph_and_measures
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Row


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def ndjson_lines(g: nx.MultiDiGraph) -> list[str]:
    """``g`` as NDJSON import lines: a node per node (``label`` is its label), a relationship per edge (its key
    is the id, ``type`` its type)."""
    lines = []
    for node, attrs in g.nodes(data=True):
        props = {k: _plain(v) for k, v in attrs.items() if k != "label"}
        if attrs["label"] == "Person":
            props.setdefault("name", str(node))
        lines.append(json.dumps({"node": attrs["label"], "id": node, "props": props}, ensure_ascii=False))
    for u, v, key, attrs in g.edges(keys=True, data=True):
        props = {k: _plain(val) for k, val in attrs.items() if k != "type"}
        record = {
            "rel": attrs["type"],
            "id": key,
            "from": u,
            "from_label": g.nodes[u]["label"],
            "to": v,
            "to_label": g.nodes[v]["label"],
            "props": props,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def stored(g: nx.MultiDiGraph, directory: Path) -> LadybugStore:
    """A new embedded store under ``directory`` (each call its own) holding ``g``, written through the import
    with every rule checked."""
    directory.mkdir(parents=True, exist_ok=True)
    store = LadybugStore(Path(tempfile.mkdtemp(dir=directory)) / "graph.lbdb")
    store.ensure_schema()
    import_lines(store, ndjson_lines(g))
    return store


def analysed(g: nx.MultiDiGraph, directory: Path, th: Thresholds) -> tuple[nx.MultiDiGraph, list[Row]]:
    """The projection of ``g`` and its compounds' measures on ``th``'s day, as the service reads them."""
    store = stored(g, directory)
    try:
        return graph_and_measures(ProjectionCache(store), None, th)
    finally:
        store.close()
