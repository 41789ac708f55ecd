"""The runner and ``graph-service analyze`` on the real embedded store with a small seeded city."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_service.analysis.common import graph_index, index_kept
from graph_service.analysis.projection import ProjectionCache
from graph_service.cli import app
from graph_service.config import AnalysisSettings, get_settings
from graph_service.errors import NotFoundError
from graph_service.seed.heze import AS_OF, generate
from graph_service.services.analyses import CSV_COLUMNS, STEPS, AnalysisService, list_runs, run_all
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import count_round_trips

COMMUNITY = "hz-md-xc-c01"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    # One store for the module (seeding costs seconds): tests find their own runs by id or by counting.
    store = LadybugStore(tmp_path_factory.mktemp("runner") / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, generate(0.02, 7).records)
    yield store
    store.close()


@pytest.fixture(scope="module")
def projections(seeded) -> ProjectionCache:
    return ProjectionCache(seeded)


def test_run_all_runs_every_step_and_saves_the_run(seeded, projections) -> None:
    seen: list[str] = []
    report = run_all(projections, None, AnalysisSettings(), lambda step, done, total: seen.append(step), as_of=AS_OF)
    assert seen == [*STEPS, "done"]
    assert report.coverage and report.rollups and report.chains and report.weakness
    assert report.structure is not None and report.pairing_plan is not None and report.mobilization
    assert {c.under_covered for c in report.coverage} == {True, False}
    saved = list_runs(seeded)[0]
    assert saved.id == report.run_id and saved.area_id is None
    assert saved.summary["under_covered"] == len(report.under_covered) > 0
    assert saved.summary["weak"] == len(report.weak)
    assert saved.params["as_of"] == AS_OF.isoformat()
    assert saved.params["standards"]["under_covered_below"] == 70.0


def test_run_all_drops_the_index_it_made_and_keeps_one_kept_before(seeded) -> None:
    projections = ProjectionCache(seeded)
    run_all(projections, as_of=AS_OF, save=False)
    graph = projections.get()
    assert not index_kept(graph, AS_OF), "made for the run, dropped once the steps reading it are done"
    kept = graph_index(graph, AS_OF)  # as the server's warm-up keeps one
    report = run_all(projections, as_of=AS_OF, save=False)
    assert index_kept(graph, AS_OF) and graph_index(graph, AS_OF) is kept
    assert report.weakness and report.structure is not None


def test_the_service_keeps_the_network_of_one_area_and_day_only(seeded) -> None:
    service = AnalysisService(ProjectionCache(seeded), AnalysisSettings())
    city = service.single_points_of_failure(None, AS_OF)
    graph = service.projections.get()
    assert {("network",), ("block_cut_tree",), ("spof",)} <= service.results.keys(graph, AS_OF)
    structure = service.structure(None, AS_OF)  # from the same network
    assert structure.nodes > 0
    service.single_points_of_failure(COMMUNITY, AS_OF)
    community = service.projections.get(COMMUNITY)
    assert ("network",) in service.results.keys(community, AS_OF)
    assert {("network",), ("block_cut_tree",)}.isdisjoint(service.results.keys(graph, AS_OF)), "the city's went"
    assert service.single_points_of_failure(None, AS_OF) is city, "the results computed from it stay"
    assert service.structure(None, AS_OF) is structure


def test_saving_a_run_keeps_the_projection_and_a_rerun_reads_nothing(seeded, projections) -> None:
    run_all(projections, as_of=AS_OF)
    graph = projections.get()
    before = len(list_runs(seeded))
    with count_round_trips() as trips:
        run_all(projections, as_of=AS_OF)
    assert projections.get() is graph, "the AnalysisRun write must not invalidate the projection"
    # The write version, the compounds' measures (one statement: they depend on the day and the standards) and
    # the save; the projection itself is not read again.
    assert trips.count <= 3, f"a rerun should only measure the compounds and save its run, made {trips.count} round trips"
    assert len(list_runs(seeded)) == before + 1


def test_area_run_is_scoped_and_listed_apart(seeded, projections) -> None:
    city = run_all(projections, as_of=AS_OF)
    part = run_all(projections, COMMUNITY, as_of=AS_OF)
    assert part.coverage and {c.community_id for c in part.coverage} == {COMMUNITY}
    assert len(part.coverage) < len(city.coverage)
    assert list_runs(seeded, area=COMMUNITY)[0].id == part.run_id
    assert list_runs(seeded)[0].id == city.run_id
    assert part.run_id not in {r.id for r in list_runs(seeded)}


def test_settings_change_the_verdicts(seeded, projections) -> None:
    before = len(list_runs(seeded))
    strict = run_all(projections, settings=AnalysisSettings(weak_above=0.0), as_of=AS_OF, save=False)
    lenient = run_all(projections, settings=AnalysisSettings(weak_above=100.0), as_of=AS_OF, save=False)
    assert sum(w.priority for w in strict.weakness) == len(strict.weak) > 0
    assert sum(w.priority for w in lenient.weakness) == 0
    assert len(list_runs(seeded)) == before, "save=False saves nothing"


def test_unknown_area_is_named(seeded, projections) -> None:
    with pytest.raises(NotFoundError, match="no-such-area"):
        run_all(projections, "no-such-area")


@pytest.fixture
def cli_env(seeded, monkeypatch: pytest.MonkeyPatch):
    # The CLI opens the same database file; in one process it shares the store's Database object.
    monkeypatch.setenv("GRAPH_SERVICE_DATA_DIR", str(seeded.path.parent))
    get_settings.cache_clear()
    yield seeded
    get_settings.cache_clear()


def test_cli_writes_csv_and_json(cli_env, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "report.csv"
    result = runner.invoke(app, ["analyze", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["analysis"] for r in rows} == {"coverage", "weakness", "chain"}
    json_out = tmp_path / "report.json"
    result = runner.invoke(app, ["analyze", "--area", COMMUNITY, "--format", "json", "--out", str(json_out)])
    assert result.exit_code == 0, result.output
    body = json.loads(json_out.read_text(encoding="utf-8"))
    assert body["area_id"] == COMMUNITY and body["summary"]["compounds"] == len(body["coverage"])
    assert date.fromisoformat(body["as_of"])
    assert list_runs(cli_env, area=COMMUNITY)[0].summary["compounds"] == body["summary"]["compounds"]


def test_cli_table_and_bad_area(cli_env) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["analyze"])
    assert result.exit_code == 0, result.output
    assert "Under-covered compounds" in result.stdout and "previous run" in result.stdout
    bad = runner.invoke(app, ["analyze", "--area", "hz-nowhere"])
    assert bad.exit_code == 1
    assert "hz-nowhere" in bad.output
