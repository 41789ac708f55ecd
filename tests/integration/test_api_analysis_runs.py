"""Saved analysis runs, priority cuts and drill-down links of the analysis fields, over real HTTP."""

from __future__ import annotations

from collections.abc import Callable

from graph_service.analysis.projection import ProjectionCache
from graph_service.services.analyses import run_all
from tests.integration.conftest import City, LiveServer

RUNS = "query($area: ID) { analysisRuns(areaId: $area) { totalCount nodes { id areaId summary parameters } } }"


def test_saved_runs_are_listed_newest_first_per_area(start_server: Callable[..., LiveServer], small_city: City):
    live = start_server(records=small_city.records)
    assert live.data(RUNS, {"area": None}, role="analyst")["analysisRuns"]["totalCount"] == 0
    projections = ProjectionCache(live.store)
    first = run_all(projections)
    community = next(r.id for r in small_city.nodes("Area", level="community"))
    scoped = run_all(projections, community)
    second = run_all(projections)

    city_runs = live.data(RUNS, {"area": None}, role="analyst")["analysisRuns"]
    assert [n["id"] for n in city_runs["nodes"]] == [second.run_id, first.run_id]
    newest = city_runs["nodes"][0]
    # Step timings are saved as measured up to the save itself, so compare the findings only.
    saved, ran = newest["summary"], second.summary()
    saved.pop("seconds"), ran.pop("seconds")
    assert saved == ran and saved["under_covered"] > 0
    assert newest["parameters"]["as_of"] == second.as_of.isoformat()

    area_runs = live.data(RUNS, {"area": community}, role="analyst")["analysisRuns"]
    assert [(n["id"], n["areaId"]) for n in area_runs["nodes"]] == [(scoped.run_id, community)]

    denied = live.gql(RUNS, {"area": None}, role="viewer").json()
    assert denied["errors"] and "analysisRuns" in denied["errors"][0]["message"]


def test_priority_only_keeps_the_priority_cut_and_results_link_to_their_entities(live_server: LiveServer):
    query = """query($p: Boolean!) {
      underCoveredCompounds(priorityOnly: $p, first: 100) {
        totalCount nodes { compoundId priority score compound { domainId name level { code } } } }
      weakOrganizations(priorityOnly: $p, first: 100) {
        totalCount nodes { orgId priority score organization { domainId kind { code } } } }
    }"""
    every = live_server.data(query, {"p": False}, role="analyst")
    cut = live_server.data(query, {"p": True}, role="analyst")
    for field, link, key in (
        ("underCoveredCompounds", "compound", "compoundId"),
        ("weakOrganizations", "organization", "orgId"),
    ):
        all_nodes, cut_nodes = every[field]["nodes"], cut[field]["nodes"]
        assert [n[key] for n in cut_nodes] == [n[key] for n in all_nodes if n["priority"]]
        assert all(n["priority"] for n in cut_nodes)
        for n in all_nodes:
            assert n[link]["domainId"] == n[key]
    compounds = every["underCoveredCompounds"]["nodes"]
    assert compounds and all(n["compound"]["level"]["code"] == "COMPOUND" for n in compounds)
