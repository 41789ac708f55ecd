"""One definition per gap: every coverage gap of every compound of a seeded city, asked three ways over HTTP.

A planner filters compounds (``compounds(filter: {<gap>: true})``), a figure counts them
(``coverage(areaId: <compound>).gaps``) and the analysis lists them (``underCoveredCompounds``). All three read
the rule of ``domain.gaps`` over the measures of ``cypher/fragments/``, on one day, so they must agree on every
compound and every gap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graph_service.domain.standards import CoverageGap
from graph_service.seed.core import AS_OF
from graph_service.seed.heze import generate
from tests.integration.conftest import LiveServer

DAY = AS_OF.isoformat()


def _camel(code: str) -> str:
    head, *rest = code.split("_")
    return head + "".join(word.title() for word in rest)


@pytest.fixture(scope="module")
def server(start_server: Callable[..., LiveServer]) -> LiveServer:
    return start_server(records=generate(0.03, 7).records)


def _pages(server: LiveServer, field: str, query: str, variables: dict[str, Any]) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        data = server.data(query, {**variables, "after": after}, role="analyst")[field]
        yield from (edge["node"] for edge in data["edges"])
        if not data["pageInfo"]["hasNextPage"]:
            return
        after = data["pageInfo"]["endCursor"]


_COMPOUNDS = """query($filter: CompoundFilter, $after: String, $day: Date) {
  compounds(filter: $filter, first: 500, after: $after, asOf: $day) {
    edges { node { domainId } } pageInfo { hasNextPage endCursor } } }"""

_ANALYSIS = """query($after: String, $day: Date) {
  underCoveredCompounds(first: 500, after: $after, asOf: $day) {
    edges { node { compoundId gaps } } pageInfo { hasNextPage endCursor } } }"""

_COVERAGE = """query($id: String!, $day: Date) { coverage(areaId: $id, asOf: $day) { compounds gaps { code compounds } } }"""


@pytest.fixture(scope="module")
def paths(server: LiveServer) -> dict[str, dict[str, set[str]]]:
    """Per path, the gaps of each compound."""
    compounds = [n["domainId"] for n in _pages(server, "compounds", _COMPOUNDS, {"day": DAY})]
    by_filter: dict[str, set[str]] = {c: set() for c in compounds}
    for gap in CoverageGap:
        flagged = _pages(server, "compounds", _COMPOUNDS, {"day": DAY, "filter": {_camel(gap.value): True}})
        for node in flagged:
            by_filter[node["domainId"]].add(gap.value)
    by_analysis: dict[str, set[str]] = {c: set() for c in compounds}
    for node in _pages(server, "underCoveredCompounds", _ANALYSIS, {"day": DAY}):
        by_analysis[node["compoundId"]] = set(node["gaps"])
    by_figure: dict[str, set[str]] = {}
    for compound in compounds:
        coverage = server.data(_COVERAGE, {"id": compound, "day": DAY}, role="analyst")["coverage"]
        assert coverage["compounds"] == 1
        by_figure[compound] = {g["code"] for g in coverage["gaps"] if g["compounds"] == 1}
    return {"filter": by_filter, "analysis": by_analysis, "figure": by_figure}


def test_every_gap_of_every_compound_is_the_same_on_every_path(paths: dict[str, dict[str, set[str]]]) -> None:
    by_filter, by_analysis, by_figure = paths["filter"], paths["analysis"], paths["figure"]
    assert len(by_filter) >= 30, "a city with enough compounds to tell the paths apart"
    assert set(by_analysis) == set(by_figure) == set(by_filter), "every live compound, on every path"
    differ = {
        c: (sorted(by_filter[c]), sorted(by_analysis[c]), sorted(by_figure[c]))
        for c in by_filter
        if not by_filter[c] == by_analysis[c] == by_figure[c]
    }
    assert not differ, f"(filter, analysis, figure) disagree: {differ}"


def test_the_city_has_each_gap_somewhere_and_nowhere_everywhere(paths: dict[str, dict[str, set[str]]]) -> None:
    """The agreement above means something only if every gap both fires and stays quiet somewhere."""
    by_filter = paths["filter"]
    for gap in CoverageGap:
        having = sum(gap.value in gaps for gaps in by_filter.values())
        assert 0 < having < len(by_filter), f"{gap.value}: {having} of {len(by_filter)} compounds"


def test_the_gap_counts_of_an_area_are_those_of_its_compounds(server: LiveServer, paths: dict[str, dict[str, set[str]]]) -> None:
    city = server.data("{ areas(level: CITY) { edges { node { domainId } } } }")["areas"]["edges"][0]["node"]["domainId"]
    coverage = server.data(_COVERAGE, {"id": city, "day": DAY}, role="analyst")["coverage"]
    counts = {g["code"]: g["compounds"] for g in coverage["gaps"]}
    expected = {gap.value: sum(gap.value in gaps for gaps in paths["filter"].values()) for gap in CoverageGap}
    assert coverage["compounds"] == len(paths["filter"]) and counts == expected


def test_results_scoped_to_a_street_know_their_district(server: LiveServer) -> None:
    street = server.data("{ areas(level: STREET, first: 1) { edges { node { domainId parent { domainId } } } } }")
    node = street["areas"]["edges"][0]["node"]
    street_id, district_id = node["domainId"], node["parent"]["domainId"]
    data = server.data(
        """query($area: ID, $day: Date) {
             weakOrganizations(areaId: $area, asOf: $day, first: 500) { nodes { orgId streetId districtId } }
             underCoveredCompounds(areaId: $area, asOf: $day, first: 500) { nodes { streetId districtId } } }""",
        {"area": street_id, "day": DAY},
        role="analyst",
    )
    weak, compounds = data["weakOrganizations"]["nodes"], data["underCoveredCompounds"]["nodes"]
    assert weak and compounds, "the street has findings to check"
    assert {(n["streetId"], n["districtId"]) for n in weak + compounds} == {(street_id, district_id)}


def test_published_figures_are_the_citys_only(server: LiveServer) -> None:
    ids = server.data(
        """{ city: areas(level: CITY) { edges { node { domainId } } }
             district: areas(level: DISTRICT, first: 1) { edges { node { domainId } } } }"""
    )
    query = "query($id: String!) { coverage(areaId: $id) { figures { code published } } }"
    published = {}
    for level in ("city", "district"):
        area = ids[level]["edges"][0]["node"]["domainId"]
        figures = server.data(query, {"id": area}, role="analyst")["coverage"]["figures"]
        published[level] = {f["code"] for f in figures if f["published"] is not None}
    assert published["city"] and not published["district"]
