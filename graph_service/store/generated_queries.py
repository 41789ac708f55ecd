"""Generate the import's upsert queries from the domain catalogue, one file per label and relationship type.

An upsert sets every property of its label (a record states the whole entity), so the query text follows the
catalogue; writing it by hand would let the two drift. The files are committed like the DDL
(``cypher/import_upsert_*.cypher`` for Neo4j, ``UNWIND`` over a list of maps; LadybugDB's own version in
``cypher/ladybug/``, ``LOAD FROM`` an Arrow table), rewritten by ``graph-service schema ddl``, and a test fails
while they are stale.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from graph_service.domain.gaps import GAP_RULES, GapRule, Measure
from graph_service.domain.schema import NODES, RELS, NodeSpec, Prop, RelSpec
from graph_service.store.queries import CYPHER_DIR

HEADER = "// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.\n"
#: The header of the fragments generated from the gap rules.
GAPS_HEADER = HEADER.replace("domain/schema.py", "domain/gaps.py")


def node_upsert_name(label: str) -> str:
    return f"import_upsert_{label.lower()}"


def rel_upsert_name(rel_type: str) -> str:
    return f"import_upsert_rel_{rel_type.lower()}"


def _set_clause(var: str, props: tuple[Prop, ...], ladybug: bool) -> str:
    # LadybugDB reads the rows from an Arrow table (LOAD FROM): its columns are typed and become variables.
    source = "" if ladybug else "r."
    assignments = [f"{var}.{p.name} = {source}{p.name}" for p in props if p.name != "id"]
    return ("SET " + ",\n    ".join(assignments) + "\n") if assignments else ""


def _rows(ladybug: bool) -> str:
    # LadybugDB: ``$rows`` is an Arrow table. Converting a list of maps costs it ~0.2 ms a row, ten times the
    # MERGE itself, and an all-null column of maps has no type; Arrow columns have neither problem.
    return "LOAD FROM $rows\n" if ladybug else "UNWIND $rows AS r\n"


def node_upsert(spec: NodeSpec, ladybug: bool) -> str:
    """``$rows``: per node ``id``, every property of the label (null where empty) and the derived ones."""
    key = "id" if ladybug else "r.id"
    return HEADER + _rows(ladybug) + f"MERGE (n:{spec.label} {{id: {key}}})\n" + _set_clause("n", spec.stored_props, ladybug)


def rel_upsert(spec: RelSpec, ladybug: bool) -> str:
    """``$rows``: ``from_id``, ``to_id``, ``id`` and every property; ``__from__``/``__to__`` are the end labels."""
    source = "" if ladybug else "r."
    return (
        HEADER
        + _rows(ladybug)
        + f"MATCH (a:__from__ {{id: {source}from_id}})\n"
        + f"MATCH (b:__to__ {{id: {source}to_id}})\n"
        + f"MERGE (a)-[x:{spec.type} {{id: {source}id}}]->(b)\n"
        + _set_clause("x", spec.props, ladybug)
    )


def gap_fragment(rule: GapRule) -> str:
    """A coverage gap's predicate over the compound ``c``: the rule of ``domain.gaps`` in Cypher."""
    return f"// fragment {rule.fragment}(c)\n{GAPS_HEADER}{rule.cypher()}\n"


def measures_fragment() -> str:
    """Every measure of ``domain.gaps`` for one compound ``c``, one column a measure."""
    columns = ",\n".join(f"{{{{{m.fragment}(c)}}}} AS {m.value}" for m in Measure)
    return f"// fragment compound_measures(c)\n{GAPS_HEADER}{columns}\n"


def measure_query_name(measure: Measure) -> str:
    return f"compound_measure_{measure.value}"


def measure_query(measure: Measure) -> str:
    """One measure alone of the compounds among ``$ids``: a column of ``compound_measures``, read again after a
    change for the compounds it may have touched (``services.measures``)."""
    return (
        f"{GAPS_HEADER}MATCH (c:Area)\nWHERE c.id IN $ids\nRETURN c.id AS id, {{{{{measure.fragment}(c)}}}} AS {measure.value}\n"
    )


def generated_query_files(root: Path = CYPHER_DIR) -> dict[Path, Callable[[], str]]:
    """Each generated file's path and the function that makes its text."""
    files: dict[Path, Callable[[], str]] = {
        root / "fragments" / "compound_measures.cypher": measures_fragment,
    }
    for rule in GAP_RULES.values():
        files[root / "fragments" / f"{rule.fragment}.cypher"] = partial(gap_fragment, rule)
    for measure in Measure:
        files[root / f"{measure_query_name(measure)}.cypher"] = partial(measure_query, measure)
    for node in NODES.values():
        files[root / f"{node_upsert_name(node.label)}.cypher"] = partial(node_upsert, node, False)
        files[root / "ladybug" / f"{node_upsert_name(node.label)}.cypher"] = partial(node_upsert, node, True)
    for rel in RELS.values():
        files[root / f"{rel_upsert_name(rel.type)}.cypher"] = partial(rel_upsert, rel, False)
        files[root / "ladybug" / f"{rel_upsert_name(rel.type)}.cypher"] = partial(rel_upsert, rel, True)
    return files
