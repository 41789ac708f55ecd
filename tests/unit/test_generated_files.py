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
    for dialect in ("ladybug", "neo4j"):
        catalog = QueryCatalog(dialect)
        for label in NODES:
            text = catalog.text(node_upsert_name(label))
            for prop in NODES[label].props:
                assert f"r.{prop.name}" in text
        for rel_type in RELS:
            text = catalog.text(
                rel_upsert_name(rel_type), **{"from": RELS[rel_type].pairs[0][0], "to": RELS[rel_type].pairs[0][1]}
            )
            assert f"[x:{rel_type} {{id: r.id}}]" in text
            for prop in RELS[rel_type].props:
                assert f"r.{prop.name}" in text


def test_only_the_ladybug_versions_cast():
    for label in NODES:
        assert "CAST(" in QueryCatalog("ladybug").text(node_upsert_name(label))
        assert "CAST(" not in QueryCatalog("neo4j").text(node_upsert_name(label))
