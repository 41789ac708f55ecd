"""One organisation's weakness over saved analysis runs (``weaknessTrend``), over real HTTP on the embedded store."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from graph_service.analysis.projection import ProjectionCache
from graph_service.seed.heze import generate
from graph_service.services.analyses import ANALYSIS_NAME, AnalysisReport, run_all, run_weakness
from tests.integration.conftest import LiveServer, start_live_server

TREND = """query($org: ID!, $area: ID, $first: Int) {
  weaknessTrend(orgId: $org, areaId: $area, first: $first) {
    totalCount nodes { runId at asOf judged score weak priority factors } } }"""
WEAK = "{ weakOrganizations(first: 500) { totalCount nodes { orgId score priority factors { code } } } }"
RUNS = "{ analysisRuns { nodes { id weak weakPriority summary } } }"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the module on the demo city at a small scale (its tests save runs; each looks at its own),
    stopped when the module ends so its store does not stay open for the rest of the session."""
    server, running = start_live_server(tmp_path_factory.mktemp("trend") / "graph.lbdb", generate(0.01, 7).records)
    yield server
    running.stop()


def _run(live: LiveServer, projections: ProjectionCache, area: str | None = None) -> AnalysisReport:
    """A saved run judged on the day the API judges by (the seeded city's reference day)."""
    day = date.fromisoformat(live.data("{ referenceDay }", role="analyst")["referenceDay"])
    return run_all(projections, area, as_of=day)


def test_trend_shows_each_run_and_tells_not_weak_from_not_judged(live: LiveServer) -> None:
    # A run saved before runs kept each organisation's score: written as that version wrote it.
    old = {"id": "old-run", "at": datetime(2020, 1, 1), "analysis": ANALYSIS_NAME, "params": json.dumps({"area_id": None})}
    live.store.write("analysis_save_run", {**old, "summary": json.dumps({"weak": 3}), "weakness": None})
    projections = ProjectionCache(live.store)
    query = "{ areas(level: COMMUNITY, first: 1) { edges { node { domainId } } } }"
    community = live.data(query)["areas"]["edges"][0]["node"]["domainId"]
    scoped = _run(live, projections, community)
    city_run = _run(live, projections)

    found = live.data(WEAK, role="analyst")["weakOrganizations"]
    weak = found["nodes"]
    assert found["totalCount"] == len(weak) == len(city_run.weak)
    assert weak, "the demo city has weak organisations"
    target = weak[0]
    trend = live.data(TREND, {"org": target["orgId"]}, role="analyst")["weaknessTrend"]
    assert trend["totalCount"] == len(trend["nodes"]) >= 2
    newest, oldest = [n for n in trend["nodes"] if n["runId"] in {city_run.run_id, "old-run"}]
    assert newest["runId"] == city_run.run_id and newest["asOf"] == city_run.as_of.isoformat()
    assert newest["judged"] is True and newest["weak"] is True
    assert newest["score"] == target["score"] and newest["priority"] == target["priority"]
    assert newest["factors"] == [f["code"] for f in target["factors"]]
    # The old run is read, with nothing known about the organisation.
    assert oldest["runId"] == "old-run"
    assert (oldest["judged"], oldest["score"], oldest["weak"], oldest["factors"]) == (None, None, None, [])

    # Every assessed organisation of the demo data has some factor fired, so a run that judged one sound is saved
    # here from the real run with that organisation's result as the analysis gives it when nothing fires.
    assessed = {w.org_id for w in city_run.weakness}
    sound_id = sorted(assessed)[0]
    sound_run = dataclasses.replace(
        city_run,
        run_id="sound-run",
        at=datetime(2030, 1, 1),
        weakness=[
            dataclasses.replace(w, score=0.0, weak=False, priority=False, factors=()) if w.org_id == sound_id else w
            for w in city_run.weakness
        ],
    )
    saved = {"id": sound_run.run_id, "at": sound_run.at, "analysis": ANALYSIS_NAME, "summary": "{}"}
    saved |= {"params": json.dumps({"area_id": None}), "weakness": json.dumps(run_weakness(sound_run))}
    live.store.write("analysis_save_run", saved)
    point = live.data(TREND, {"org": sound_id, "first": 1}, role="analyst")["weaknessTrend"]["nodes"][0]
    assert point["runId"] == "sound-run"
    assert (point["judged"], point["score"], point["weak"], point["priority"], point["factors"]) == (
        True,
        0.0,
        False,
        False,
        [],
    )

    # A unit's Party organisation is no assessed kind: not judged, which is not the same as sound.
    query = "{ organizations(kind: UNIT_PARTY_ORG, first: 1) { edges { node { domainId } } } }"
    unit_org = live.data(query)["organizations"]["edges"][0]["node"]["domainId"]
    unit = live.data(TREND, {"org": unit_org, "first": 1}, role="analyst")["weaknessTrend"]["nodes"][0]
    assert (unit["judged"], unit["score"], unit["weak"]) == (False, None, None)

    # The community's run judged its own organisations only.
    inside = {w.org_id for w in scoped.weakness}
    outside = sorted(assessed - inside)
    assert inside and outside
    for org, judged in ((sorted(inside)[0], True), (outside[0], False)):
        scoped_trend = live.data(TREND, {"org": org, "area": community}, role="analyst")["weaknessTrend"]
        assert [(n["runId"], n["judged"]) for n in scoped_trend["nodes"]] == [(scoped.run_id, judged)]

    # The run list carries the counts the area chart draws.
    runs = live.data(RUNS, role="analyst")["analysisRuns"]["nodes"]
    known = {"sound-run", city_run.run_id, "old-run"}
    assert [(r["id"], r["weak"], r["weakPriority"]) for r in runs if r["id"] in known] == [
        ("sound-run", None, None),
        (city_run.run_id, len(weak), sum(1 for w in weak if w["priority"])),
        ("old-run", 3, None),
    ]


def test_trend_after_a_fix_and_its_refusals(live: LiveServer) -> None:
    projections = ProjectionCache(live.store)
    before = _run(live, projections)
    # Staff record a flag on a committee; the next run finds that factor too, and the trend shows both runs.
    committee = next(w for w in before.weakness if "staff_flag" not in w.factor_codes and w.kind == "community_committee")
    raised = live.data(
        """mutation($id: ID!) { updateOrganization(input: {id: $id, flags: ["team_not_united"], flagEvidence: "班子不团结"}) {
             errors { field message } } }""",
        {"id": committee.org_id},
        role="editor",
    )
    assert raised["updateOrganization"]["errors"] == []
    after = _run(live, projections)
    points = live.data(TREND, {"org": committee.org_id}, role="analyst")["weaknessTrend"]["nodes"]
    points = [p for p in points if p["runId"] in {before.run_id, after.run_id}]
    assert [(p["runId"], p["judged"]) for p in points] == [(after.run_id, True), (before.run_id, True)]
    assert points[1]["factors"] == list(committee.factor_codes)
    assert points[0]["factors"] == list(next(w.factor_codes for w in after.weakness if w.org_id == committee.org_id))
    assert set(points[0]["factors"]) - set(points[1]["factors"]) == {"staff_flag"}

    unknown = live.gql(TREND, {"org": "no-such-org"}, role="analyst").json()
    assert "orgId" in unknown["errors"][0]["message"] and "no-such-org" in unknown["errors"][0]["message"]
    denied = live.gql(TREND, {"org": committee.org_id}, role="viewer").json()
    assert denied["errors"] and "weaknessTrend" in denied["errors"][0]["message"]
