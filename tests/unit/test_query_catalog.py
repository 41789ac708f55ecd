"""Named queries: dialect overrides win, placeholders take only catalogue names."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.store.queries import QueryCatalog, UnknownQueryError, split_statements


@pytest.fixture
def cypher_dir(tmp_path: Path) -> Path:
    (tmp_path / "ladybug").mkdir()
    (tmp_path / "count_nodes.cypher").write_text("MATCH (n:__label__) RETURN count(n) AS n\n")
    (tmp_path / "hello.cypher").write_text("RETURN 'shared' AS who\n")
    (tmp_path / "ladybug" / "hello.cypher").write_text("RETURN 'ladybug' AS who\n")
    return tmp_path


def test_dialect_version_wins_over_the_shared_one(cypher_dir: Path) -> None:
    assert "ladybug" in QueryCatalog("ladybug", cypher_dir).text("hello")
    assert "shared" in QueryCatalog("neo4j", cypher_dir).text("hello")
    assert QueryCatalog("neo4j", cypher_dir).names() == ["count_nodes", "hello"]


def test_placeholders_accept_only_catalogue_names(cypher_dir: Path) -> None:
    catalog = QueryCatalog("ladybug", cypher_dir)
    assert catalog.text("count_nodes", label="Area") == "MATCH (n:Area) RETURN count(n) AS n"
    with pytest.raises(ValueError, match="not a label"):
        catalog.text("count_nodes", label="Area) DETACH DELETE (n")


def test_unknown_and_unsafe_query_names_are_refused(cypher_dir: Path) -> None:
    catalog = QueryCatalog("ladybug", cypher_dir)
    with pytest.raises(UnknownQueryError):
        catalog.text("missing")
    with pytest.raises(UnknownQueryError):
        catalog.text("../secrets")


def test_split_statements_skips_comments() -> None:
    text = "// header\nCREATE A;\n// note\nCREATE B;\n"
    assert [s.rstrip(";") for s in split_statements(text)] == ["CREATE A", "CREATE B"]
