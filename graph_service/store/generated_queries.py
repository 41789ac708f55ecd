"""Generate the import's upsert queries from the domain catalogue, one file per label and relationship type.

An upsert sets every property of its label (a record states the whole entity), so the query text follows the
catalogue; writing it by hand would let the two drift. The files are committed like the DDL
(``cypher/import_upsert_*.cypher``, with LadybugDB's own version in ``cypher/ladybug/``), rewritten by
``graph-service schema ddl``, and a test fails while they are stale.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from graph_service.domain.schema import NODES, RELS, NodeSpec, Prop, RelSpec
from graph_service.store.queries import CYPHER_DIR

HEADER = "// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.\n"


def node_upsert_name(label: str) -> str:
    return f"import_upsert_{label.lower()}"


def rel_upsert_name(rel_type: str) -> str:
    return f"import_upsert_rel_{rel_type.lower()}"


def _value(prop: Prop, cast: bool) -> str:
    # LadybugDB types an UNWIND column from its values: a column that is null in every row of a batch has no
    # type and fails to bind, so its version casts each value to the column's type.
    return f"CAST(r.{prop.name} AS {prop.type.value})" if cast else f"r.{prop.name}"


def _set_clause(var: str, props: tuple[Prop, ...], cast: bool) -> str:
    assignments = [f"{var}.{p.name} = {_value(p, cast)}" for p in props if p.name != "id"]
    return ("SET " + ",\n    ".join(assignments) + "\n") if assignments else ""


def node_upsert(spec: NodeSpec, cast: bool) -> str:
    """``$rows``: one map per node with ``id`` and every property of the label (``null`` where empty)."""
    return HEADER + f"UNWIND $rows AS r\nMERGE (n:{spec.label} {{id: r.id}})\n" + _set_clause("n", spec.props, cast)


def rel_upsert(spec: RelSpec, cast: bool) -> str:
    """``$rows``: ``from_id``, ``to_id``, ``id`` and every property; ``__from__``/``__to__`` are the end labels."""
    return (
        HEADER
        + "UNWIND $rows AS r\n"
        + "MATCH (a:__from__ {id: r.from_id})\n"
        + "MATCH (b:__to__ {id: r.to_id})\n"
        + f"MERGE (a)-[x:{spec.type} {{id: r.id}}]->(b)\n"
        + _set_clause("x", spec.props, cast)
    )


def generated_query_files(root: Path = CYPHER_DIR) -> dict[Path, Callable[[], str]]:
    """Each generated file's path and the function that makes its text."""
    files: dict[Path, Callable[[], str]] = {}
    for node in NODES.values():
        files[root / f"{node_upsert_name(node.label)}.cypher"] = partial(node_upsert, node, False)
        files[root / "ladybug" / f"{node_upsert_name(node.label)}.cypher"] = partial(node_upsert, node, True)
    for rel in RELS.values():
        files[root / f"{rel_upsert_name(rel.type)}.cypher"] = partial(rel_upsert, rel, False)
        files[root / "ladybug" / f"{rel_upsert_name(rel.type)}.cypher"] = partial(rel_upsert, rel, True)
    return files
