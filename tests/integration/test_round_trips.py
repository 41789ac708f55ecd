"""No N+1: a GraphQL request costs store round trips by its depth, not by the rows it returns.

The server counts the statements each request sends to the store (``count_round_trips`` set by the request
handler, shared by the resolvers' worker threads) and reports them in ``X-Store-Round-Trips``.
"""

from __future__ import annotations

import pytest

from graph_service.domain.records import NodeRecord, RelRecord, rel_id

N = 1000

QUERY = """query($n: Int) { compounds(first: $n) { edges { node { name
    parent { name }
    ledBy { name parent { name } } } } } }"""


def _many_compounds(n: int) -> list:
    """A city with one community of ``n`` compounds, each led by a branch under the community committee."""
    records: list = []

    def node(label, node_id, **props):
        records.append(NodeRecord(label, node_id, props))

    def rel(rel_type, a, a_label, b, b_label):
        records.append(RelRecord(rel_type, rel_id(rel_type, a, b), a, a_label, b, b_label, {}))

    chain = [("c", "city"), ("d", "district"), ("s", "street"), ("m", "community")]
    for (area_id, level), parent in zip(chain, [None, *[a for a, _ in chain]], strict=False):
        node("Area", area_id, level=level, name=f"{level}-{area_id}")
        if parent:
            rel("PART_OF", area_id, "Area", parent, "Area")
    node("Organization", "m-cc", kind="community_committee", name="社区党委")
    rel("LEADS", "m-cc", "Organization", "m", "Area")
    for i in range(n):
        node("Area", f"c{i:04d}", level="compound", name=f"小区{i:04d}", households=100)
        rel("PART_OF", f"c{i:04d}", "Area", "m", "Area")
        node("Organization", f"b{i:04d}", kind="compound_branch", name=f"小区{i:04d}党支部")
        rel("LEADS", f"b{i:04d}", "Organization", f"c{i:04d}", "Area")
        rel("SUB_ORG_OF", f"b{i:04d}", "Organization", "m-cc", "Organization")
    return records


@pytest.fixture(scope="module")
def big_server(start_server):
    # No response cache: these tests count the statements a request's own resolution makes, asked twice.
    return start_server(records=_many_compounds(N), max_page_size=N, max_query_cost=10**7, response_cache_mb=0)


def _round_trips(server, rows: int) -> tuple[int, dict]:
    response = server.gql(QUERY, {"n": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return int(response.headers["x-store-round-trips"]), body["data"]


def test_depth_three_over_100_rows_costs_at_most_four_round_trips(big_server):
    trips, data = _round_trips(big_server, 100)
    edges = data["compounds"]["edges"]
    assert len(edges) == 100
    assert all(e["node"]["parent"]["name"] == "community-m" for e in edges)
    assert all(e["node"]["ledBy"][0]["parent"]["name"] == "社区党委" for e in edges)
    assert trips <= 4


def test_ten_times_the_rows_cost_the_same_round_trips(big_server):
    small, _ = _round_trips(big_server, 100)
    large, data = _round_trips(big_server, N)
    assert len(data["compounds"]["edges"]) == N
    assert large == small
