"""Named queries: dialect overrides win, placeholders take only catalogue names."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.store.queries import Query, QueryCatalog, UnknownQueryError, bind, filters, parameters, split_statements


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


def test_a_kept_text_is_kept_per_query_keys_and_names_and_a_refusal_is_never_kept(cypher_dir: Path) -> None:
    from graph_service.domain.enums import RelType

    catalog = QueryCatalog("ladybug", cypher_dir)
    for _ in range(2):  # the second round reads the kept texts
        assert catalog.text("count_nodes", label="Area") == "MATCH (n:Area) RETURN count(n) AS n"
        assert catalog.text("count_nodes", label="Person") == "MATCH (n:Person) RETURN count(n) AS n"
        assert catalog.text("count_nodes", label=RelType.PART_OF) == "MATCH (n:PART_OF) RETURN count(n) AS n"
        with pytest.raises(ValueError, match="not a label"):
            catalog.text("count_nodes", label="Nobody")
    (cypher_dir / "by_key.cypher").write_text("MATCH (n:__label__ {id: $key}) RETURN n\n")
    one, two = catalog.text(Query("by_key", keys=1), label="Area"), catalog.text(Query("by_key", keys=2), label="Area")
    assert one.count("UNION ALL") == 0 and two.count("UNION ALL") == 1 and "$key1" in two


def test_unknown_and_unsafe_query_names_are_refused(cypher_dir: Path) -> None:
    catalog = QueryCatalog("ladybug", cypher_dir)
    with pytest.raises(UnknownQueryError):
        catalog.text("missing")
    with pytest.raises(UnknownQueryError):
        catalog.text("../secrets")


def test_split_statements_skips_comments() -> None:
    text = "// header\nCREATE A;\n// note\nCREATE B;\n"
    assert [s.rstrip(";") for s in split_statements(text)] == ["CREATE A", "CREATE B"]


@pytest.fixture
def composed_dir(cypher_dir: Path) -> Path:
    fragments = cypher_dir / "fragments"
    fragments.mkdir()
    (fragments / "live.cypher").write_text(
        "// fragment live(o)\n// why it is written once\n(o.dissolved IS NULL OR o.dissolved > $as_of)\n"
    )
    (fragments / "named.cypher").write_text("// fragment named(n)\nlower(n.name) CONTAINS $name\n")
    (fragments / "branches.cypher").write_text(
        "// fragment branches(c)\nCOUNT { MATCH (c)<-[:LEADS]-(x_branch:Organization) WHERE {{live(x_branch)}} }\n"
    )
    (cypher_dir / "ladybug" / "fragments").mkdir()
    (cypher_dir / "ladybug" / "fragments" / "named.cypher").write_text("// fragment named(n)\nn.name_lower CONTAINS $name\n")
    (cypher_dir / "orgs.cypher").write_text("MATCH (o:Organization)\nWHERE true {{filters(o)}}\nRETURN o\n")
    (cypher_dir / "counted.cypher").write_text("MATCH (c:Area)\nRETURN c.id AS id, {{branches(c)}} AS branches\n")
    return cypher_dir


def test_fragments_are_included_with_their_variables_renamed(composed_dir: Path) -> None:
    text = QueryCatalog("neo4j", composed_dir).text("counted")
    assert "(x_branch.dissolved IS NULL OR x_branch.dissolved > $as_of)" in text
    assert "{{" not in text and "why it is written once" not in text
    assert parameters(text) == {"as_of"}


def test_filters_hold_only_the_conditions_asked_for_and_a_dialect_may_override_a_fragment(composed_dir: Path) -> None:
    neo4j, ladybug = QueryCatalog("neo4j", composed_dir), QueryCatalog("ladybug", composed_dir)
    assert "AND" not in neo4j.text("orgs")
    both = Query("orgs", filters(("live", True), ("named", False), ("unused", None)))
    text = neo4j.text(both)
    assert "AND ((o.dissolved IS NULL OR o.dissolved > $as_of)) = true" in text
    assert "AND (lower(o.name) CONTAINS $name) = false" in text
    assert "o.name_lower CONTAINS $name" in ladybug.text(both)
    assert parameters(text) == {"as_of", "name"}


def test_each_branch_of_a_union_gets_the_filters_over_its_own_variables(composed_dir: Path) -> None:
    (composed_dir / "either.cypher").write_text(
        "MATCH (o:Organization {id: $id})\nWHERE true {{filters(o)}}\nRETURN o\nUNION ALL\n"
        "MATCH (:Area {id: $id})<-[:LEADS]-(p:Organization)\nWHERE true {{filters(p)}}\nRETURN p AS o\n"
    )
    text = QueryCatalog("neo4j", composed_dir).text(Query("either", filters(("named", True))))
    first, second = text.split("UNION ALL")
    assert "AND (lower(o.name) CONTAINS $name) = true" in first
    assert "AND (lower(p.name) CONTAINS $name) = true" in second
    assert "{{" not in text


def test_a_form_may_apply_the_filters_with_a_subquery_after_the_others(composed_dir: Path) -> None:
    (composed_dir / "split.cypher").write_text(
        "MATCH (c:Area)\nWHERE true {{plain_filters(c)}}\nWITH c.id AS key\nMATCH (c:Area {id: key})\n"
        "WHERE true {{subquery_filters(c)}}\nRETURN c\n"
    )
    asked = Query("split", filters(("named", True), ("branches", False), ("live", True)))
    first, _, then = QueryCatalog("neo4j", composed_dir).text(asked).partition("WITH c.id AS key")
    assert "lower(c.name) CONTAINS $name" in first and "c.dissolved IS NULL" in first and "COUNT {" not in first
    assert "AND (COUNT { MATCH (c)<-[:LEADS]-(x_branch:Organization)" in then and ") = false" in then
    assert "CONTAINS" not in then
    # Without a filter holding a subquery, the second slot stays empty; with none at all, both do.
    plain = QueryCatalog("neo4j", composed_dir).text(Query("split", filters(("named", True))))
    assert plain.partition("WITH c.id AS key")[2].count("AND") == 0
    assert "AND" not in QueryCatalog("neo4j", composed_dir).text(Query("split"))


def test_a_statement_gets_exactly_the_parameters_it_names(composed_dir: Path) -> None:
    query = Query("orgs", filters(("named", True)))
    text = QueryCatalog("neo4j", composed_dir).text(query)
    assert bind(query, text, {"name": "x", "as_of": None, "other": 1}) == {"name": "x"}
    with pytest.raises(UnknownQueryError, match=r"'orgs' needs parameter\(s\) \$name"):
        bind(query, text, {"as_of": None})


def test_fragment_misuse_is_a_clear_error(composed_dir: Path) -> None:
    catalog = QueryCatalog("neo4j", composed_dir)
    with pytest.raises(UnknownQueryError, match="takes no filters"):
        catalog.text(Query("counted", filters(("live", True))))
    (composed_dir / "bad.cypher").write_text("RETURN {{live(a, b)}} AS x\n")
    with pytest.raises(UnknownQueryError, match="takes 1 variable"):
        catalog.text("bad")
    (composed_dir / "missing.cypher").write_text("RETURN {{nothing(a)}} AS x\n")
    with pytest.raises(UnknownQueryError, match="no fragment named 'nothing'"):
        catalog.text("missing")
