"""The embedded store reads returned nodes and relationships as property columns (``store.ladybug_columns``): the
rows are the ones the engine's node and relationship values gave, and statements it cannot read with certainty run
as written."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph_service.store import embedded
from graph_service.store.embedded import LadybugStore
from graph_service.store.ladybug_columns import shaped
from graph_service.store.queries import Query, filters, keyed_params

from .conftest import City


@pytest.fixture(scope="module")
def store(small_city_store: LadybugStore) -> LadybugStore:
    return small_city_store


def _as_written(store: LadybugStore, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``text`` run as written, values converted as the store converted them before."""
    with store._connection() as conn:
        result = embedded._execute_direct(conn, text, embedded.to_param(params))
        try:
            columns = result.getColumnNames()
            rows = []
            while result.hasNext():
                rows.append(dict(zip(columns, map(embedded.from_value, result.getNext()), strict=True)))
            return rows
        finally:
            result.close()


def _ids(small_city: City, label: str, n: int) -> list[str]:
    return sorted(node.id for node in small_city.nodes(label))[:n]


def _cases(small_city: City) -> list[tuple[Any, dict[str, Any], dict[str, str]]]:
    people = _ids(small_city, "Person", 12)
    orgs = _ids(small_city, "Organization", 40)
    areas = _ids(small_city, "Area", 30)
    member = {"rel": "MEMBER_OF", "source": "Person", "target": "Organization"}
    return [
        ("links_out", {"ids": people}, member),
        (Query("ladybug_links_out_key", keys=16), keyed_params(people + [""] * 4), member),
        ("links_out", {"ids": orgs}, {"rel": "LEADS", "source": "Organization", "target": "Area"}),
        ("links_in", {"ids": areas}, {"rel": "PART_OF", "source": "Area", "target": "Area"}),
        ("nodes_by_id", {"ids": orgs}, {"label": "Organization"}),
        ("nodes_by_id", {"ids": people}, {"label": "Person"}),
        (
            Query("pairings_page", filters(("link_in_force", True))),
            {"as_of": date(2024, 6, 1), "offset": 0, "limit": 50},
            {},
        ),
    ]


def test_rewritten_statements_give_the_rows_the_engine_values_gave(store: LadybugStore, small_city: City) -> None:
    for query, params, names in _cases(small_city):
        text = store.catalog.text(query, **names)
        rewritten, shape = shaped(text)
        assert shape is not None and rewritten != text, f"{query} was not rewritten"
        expected = _as_written(store, text, params)
        assert expected, f"{query} found nothing in the small city: the comparison would prove nothing"
        # The same rows; in the same order only where the statement orders them (the engine's threads interleave).
        got = store.read(query, params, **names)
        if "ORDER BY" in text:
            assert got == expected
        else:
            assert sorted(map(repr, got)) == sorted(map(repr, expected))


def test_an_optional_match_that_finds_nothing_gives_none_as_before(store: LadybugStore, small_city: City) -> None:
    text = (
        "MATCH (s:Area) WHERE s.id IN $ids OPTIONAL MATCH (s)<-[r:LEADS]-(o:Organization)\nRETURN s.id AS key, r, o ORDER BY key"
    )
    params = {"ids": _ids(small_city, "Area", 60)}
    expected = _as_written(store, text, params)
    assert any(row["r"] is None for row in expected) and any(row["r"] is not None for row in expected)
    assert _shaped_rows(store, text, params) == expected


def _shaped_rows(store: LadybugStore, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``text`` rewritten by ``shaped`` and read back through its shape."""
    rewritten, shape = shaped(text)
    assert shape is not None and rewritten != text
    with store._connection() as conn:
        result = embedded._execute_direct(conn, rewritten, params)
        columns, rows = result.getColumnNames(), []
        while result.hasNext():
            rows.append(shape.reader(columns, result.getNext(), embedded.from_value, embedded._PLAIN))
        result.close()
    return rows


def test_a_node_without_a_label_takes_the_one_its_relationship_type_allows(store: LadybugStore, small_city: City) -> None:
    # The batched reads' expanded forms leave the far end's label out (LadybugDB plans them better so).
    text = "MATCH (x:Area)<-[r:LEADS]-(t) WHERE x.id IN $ids RETURN x.id AS key, r, t"
    _rewritten, shape = shaped(text)
    assert shape is not None and [(s.name, s.tag) for s in shape.slots] == [("", ""), ("r", "LEADS"), ("t", "Organization")]
    params = {"ids": _ids(small_city, "Area", 30)}
    # As written, the engine hands the unlabelled node over with every node table's properties; the rows must be
    # those of the labelled statement.
    labelled = text.replace("(t)", "(t:Organization)") + " ORDER BY key, r.id"
    expected = _as_written(store, labelled, params)
    assert expected and all(row["t"]["_label"] == "Organization" for row in expected)
    assert _shaped_rows(store, text + " ORDER BY key, r.id", params) == expected
    out = shaped("MATCH (s:Person)-[r:MEMBER_OF]->(t) RETURN t")[1]
    assert out is not None and out.slots[0].tag == "Organization"


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n:Organization)<-[:REGISTERED_WITH]-(m) RETURN m",  # no label, and the type joins several pairs
        "MATCH (n)-[:PART_OF]->(m:Area) WITH n MATCH (n:Organization) RETURN n",  # two labels, one of them inferred
        "MATCH (n:Area:Organization) RETURN n",  # several labels
        "MATCH (n:Area)-[r:PART_OF*1..3]->(m:Area) RETURN r",  # a list of relationships
        "MATCH (n:Area) WITH collect(n) AS n RETURN n",  # bound again
        "MATCH (n:Area) RETURN n.name",  # no node returned
        "MATCH (n:Area) RETURN n UNION ALL MATCH (n:Organization) RETURN n",  # branches of different columns
        "MATCH (n:Nothing) RETURN n",  # not in the catalogue
    ],
)
def test_statements_it_cannot_read_with_certainty_run_as_written(text: str) -> None:
    assert shaped(text) == (text, None)


def test_a_query_with_columns_returns_only_those_of_its_labels_nodes(store: LadybugStore) -> None:
    """``Query.columns``: the organisations of a page of pairings carry the properties asked for and their id; the
    relationship, and a label not named, keep every property."""
    query = Query("pairings_page", filters(("link_in_force", True)))
    params = {"as_of": date(2024, 6, 1), "offset": 0, "limit": 50}
    whole = store.read(query, params)
    cut = store.read(Query(query.name, query.filters, columns=(("Organization", ("id", "name")),)), params)
    assert whole and len(cut) == len(whole)
    for full, part in zip(whole, cut, strict=True):
        assert part["r"] == full["r"]
        for end in ("u", "c"):
            assert part[end] == {"id": full[end]["id"], "name": full[end]["name"], "_label": "Organization"}
    other = store.read(Query(query.name, query.filters, columns=(("Area", ("id",)),)), params)
    assert other == whole


def test_a_connection_keeps_at_most_so_many_prepared_statements(store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> None:
    # A page's columns follow each client's selection, so the texts a connection prepares are not a finite set.
    monkeypatch.setattr(embedded, "PREPARED_PER_CONNECTION", 3)
    with store._connection() as conn:
        for n in range(6):
            result = embedded._execute_direct(conn, f"MATCH (a:Area) WHERE a.id = $id RETURN a.id, {n} AS n", {"id": "x"})
            result.close()
            assert len(embedded._PREPARED[conn]) <= 3
        texts = [text for text, _ in embedded._PREPARED[conn]]
    assert any("5 AS n" in text for text in texts) and not any("0 AS n" in text for text in texts)


def test_the_statement_run_least_recently_goes_first(store: LadybugStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "PREPARED_PER_CONNECTION", 3)

    def run(n: int) -> None:
        embedded._execute_direct(conn, f"MATCH (a:Area) WHERE a.id = $id RETURN a.id, {n} AS m", {"id": "x"}).close()

    with store._connection() as conn:
        embedded._PREPARED.get(conn, {}).clear()
        for n in (0, 1, 2, 0, 3):  # 0 ran again after 1 and 2: 1 is the least recently run when 3 comes
            run(n)
        kept = {int(text.rsplit(", ", 1)[1].split()[0]) for text, _ in embedded._PREPARED[conn]}
    assert kept == {0, 2, 3}
