"""The committed generated files (DDL, the import's upsert queries) match what the catalogue generates now."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.domain.schema import NODES, RELS
from graph_service.store.ddl import GENERATED
from graph_service.store.generated_queries import node_upsert_name, rel_upsert_name
from graph_service.store.queries import CYPHER_DIR, QueryCatalog

HINT = "stale: run `graph-service schema ddl` and commit the result"


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(Path(p).relative_to(CYPHER_DIR)))
def test_generated_file_is_current(path: Path):
    make = GENERATED[path]
    assert path.is_file(), f"{path} is missing: {HINT}"
    assert path.read_text(encoding="utf-8") == make(), f"{path} is {HINT}"  # type: ignore[operator]


def test_every_label_and_type_has_an_upsert_in_both_dialects():
    for dialect, source in (("ladybug", ""), ("neo4j", "r.")):
        catalog = QueryCatalog(dialect)
        for label in NODES:
            text = catalog.text(node_upsert_name(label))
            assert f"MERGE (n:{label} {{id: {source}id}})" in text
            for prop in NODES[label].props[1:]:
                assert f"n.{prop.name} = {source}{prop.name}" in text
        for rel_type in RELS:
            from_label, to_label = RELS[rel_type].pairs[0]
            text = catalog.text(rel_upsert_name(rel_type), **{"from": from_label, "to": to_label})
            assert f"[x:{rel_type} {{id: {source}id}}]" in text
            for prop in RELS[rel_type].props[1:]:
                assert f"x.{prop.name} = {source}{prop.name}" in text


def test_ladybug_upserts_load_an_arrow_table_and_neo4j_unwinds_maps():
    for name in [*map(node_upsert_name, NODES), *map(rel_upsert_name, RELS)]:
        assert QueryCatalog("ladybug").text(name, **{"from": "Person", "to": "Area"}).splitlines()[1] == "LOAD FROM $rows"
        assert QueryCatalog("neo4j").text(name, **{"from": "Person", "to": "Area"}).splitlines()[1] == "UNWIND $rows AS r"
