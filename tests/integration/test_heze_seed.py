"""The Heze city seeded into a real embedded store: the published figures from the graph, the ground truth, the CLI.

Scale 1 is generated and loaded once for the module (about 10 s); the small city (scale 0.01) serves the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from graph_service.domain.enums import OrgKind
from graph_service.domain.figures import PUBLISHED_FIGURES, compare
from graph_service.domain.records import NodeRecord
from graph_service.errors import ConflictError, NotFoundError
from graph_service.seed.runner import GROUND_TRUTH_FILE, seed_into
from graph_service.services.bulk import bulk_insert
from graph_service.services.coverage import CoverageFigures, coverage_figures
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import count_round_trips
from tests.unit.test_heze_generate import validation_problems


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Scale 1 in a store of its own, with the time it took (printed with -s)."""
    data_dir = tmp_path_factory.mktemp("heze1")
    store = LadybugStore(data_dir / "graph.lbdb")
    store.ensure_schema()
    started = time.perf_counter()
    dataset = seed_into(store, scale=1.0, seed=7, data_dir=data_dir)
    seeded = time.perf_counter()
    figures = coverage_figures(store, "hz")
    print(
        f"\nscale 1: {len(dataset.records):,} records seeded in {seeded - started:.1f} s, "
        f"city figures in {time.perf_counter() - seeded:.1f} s"
    )
    yield store, dataset, figures, data_dir
    store.close()


@pytest.fixture(scope="module")
def small_city(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("heze001")
    store = LadybugStore(data_dir / "graph.lbdb")
    store.ensure_schema()
    dataset = seed_into(store, scale=0.01, seed=7, data_dir=data_dir)
    yield store, dataset
    store.close()


@pytest.mark.parametrize("figure", PUBLISHED_FIGURES, ids=lambda f: f.field)
def test_city_figure_from_the_graph_equals_the_published_one(city, figure):
    _, _, figures, _ = city
    [(_, expected, actual, ok)] = [row for row in compare(figures, 1.0) if row[0].field == figure.field]
    assert ok, f"{figure.label} ({figure.field}): published {expected}, the graph gives {actual}"


def test_published_counts_hold_exactly_at_scale_one(city):
    _, _, f, _ = city
    assert (f.five_haves_compounds, f.cross_appointed_persons, f.building_leaders) == (659, 769, 13_000)
    assert (f.building_groups, f.central_households, f.warm_stations) == (3_216, 12_074, 400)
    assert (f.state_fallback_old_compounds, f.state_fallback_resettlement_areas) == (125, 17)
    assert (f.rider_grid_workers, f.rider_appeals, f.sunk_two_committees_members, f.sunk_staff) == (240, 2_600, 957, 2_355)
    assert (f.claimed_volunteer_projects, f.volunteer_teams, f.problems_solved) == (2_579, 488, 7_800)
    assert f.urban_population == 4_562_010 and f.urban_population > 4_500_000
    assert f.station_coverage_rate >= 0.73 and f.state_fallback_fee_collection_rate >= 0.90
    assert f.leadership_groups == 10 and f.working_groups == 40
    assert f.compounds > f.five_haves_compounds


def test_every_record_at_scale_one_passes_the_domain_validation(city):
    _, dataset, _, _ = city
    assert validation_problems(dataset.records) == []


def test_graph_figures_equal_the_reference_evaluation(city):
    _, dataset, figures, _ = city
    expected = dataset.ground_truth["figures"]
    different = {k: (v, getattr(figures, k)) for k, v in expected.items() if getattr(figures, k) != pytest.approx(v)}
    assert different == {}


def test_ground_truth_file_names_nodes_of_the_store(city):
    store, dataset, _, data_dir = city
    written = json.loads((data_dir / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    assert written["scale"] == 1.0 and written["seed"] == 7
    assert written["figures"] == json.loads(json.dumps(dataset.ground_truth["figures"]))
    compounds = {r["id"] for r in store.read("seed_test_ids", {"level": "compound"})}
    assert set(written["planted_under_covered_compounds"]) | set(written["healthy_compounds"]) == compounds
    assert not set(written["planted_under_covered_compounds"]) & set(written["healthy_compounds"])
    assert 0.2 <= len(written["healthy_compounds"]) / len(compounds) <= 0.4
    kinds = {OrgKind.COMPOUND_BRANCH.value, OrgKind.JOINT_BRANCH.value}
    branches = {r.id for r in dataset.records if isinstance(r, NodeRecord) and r.props.get("kind") in kinds}
    assert set(written["planted_weak_branches"]) | set(written["healthy_branches"]) == branches
    assert written["community_committees_election_overdue"]
    buildings = {r["id"] for r in store.read("seed_test_ids", {"level": "building"})}
    assert set(written["chain_breaks"]) <= buildings


def test_figures_roll_up_from_districts_to_the_city(small_city):
    store, dataset = small_city
    city = coverage_figures(store, "hz")
    districts = [
        coverage_figures(store, r.id) for r in dataset.records if isinstance(r, NodeRecord) and r.props.get("level") == "district"
    ]
    assert len(districts) == 9
    additive = (
        "compounds",
        "five_haves_compounds",
        "cross_appointed_persons",
        "building_leaders",
        "building_groups",
        "central_households",
        "station_covered_compounds",
        "sunk_staff",
        "rider_appeals",
        "claimed_volunteer_projects",
        "community_workers",
        "urban_population",
        "platform_people_served",
    )
    for field in additive:
        assert sum(getattr(d, field) for d in districts) == getattr(city, field), field
    assert all(d.leadership_groups == 1 and d.working_groups == 4 for d in districts)


def test_figures_for_a_single_compound(small_city):
    store, dataset = small_city
    truth = dataset.ground_truth
    compound = truth["healthy_compounds"][0]
    f = coverage_figures(store, compound)
    assert f.level == "compound" and f.compounds == 1
    assert f.five_haves_compounds == 1 and f.station_covered_compounds == 1 and f.cross_appointed_persons >= 1
    assert f.urbanisation_rate is None and f.leadership_groups == 0
    broken = next(c for c, gaps in truth["planted_under_covered_compounds"].items() if "five_haves_missing" in gaps)
    assert coverage_figures(store, broken).five_haves_compounds == 0


def test_coverage_takes_a_fixed_number_of_round_trips(small_city):
    store, _ = small_city
    with count_round_trips() as city_trips:
        coverage_figures(store, "hz")
    with count_round_trips() as compound_trips:
        coverage_figures(store, "hz-md-xc-c01-q01")
    assert city_trips.count == compound_trips.count <= 15


def test_unknown_area_is_not_found(small_city):
    store, _ = small_city
    with pytest.raises(NotFoundError, match="nowhere"):
        coverage_figures(store, "nowhere")


def test_small_city_is_small_and_matches_its_scaled_figures(small_city):
    store, dataset = small_city
    assert len(dataset.records) < 10_000
    figures = coverage_figures(store, "hz")
    assert isinstance(figures, CoverageFigures)
    assert [(f.field, e, a) for f, e, a, ok in compare(figures, 0.01) if not ok] == []


def test_a_seeded_city_exports_and_imports_whole_with_its_organisational_life(small_city, tmp_path):
    store, dataset = small_city
    lines = list(export_records(store))
    assert len(lines) == len(dataset.records)
    types = Counter(json.loads(line).get("node") or json.loads(line)["rel"] for line in lines)
    counts = dataset.counts()
    for name in ("Activity", "HELD_BY", "ATTENDED", "JOINS", "SENT_DOWN_TO", "LIAISES_WITH"):
        assert types[name] == counts[name] > 0, name
    assert any('"member_status":"probationary"' in line for line in lines)
    assert any('"term_start"' in line and '"joint_branch"' in line for line in lines)
    # Into an empty store (the bulk path) and into one that holds a record of the file (the upsert path).
    for name, seeded in (("empty", []), ("upsert", dataset.records[:1])):
        other = LadybugStore(tmp_path / f"{name}.lbdb")
        other.ensure_schema()
        try:
            bulk_insert(other, seeded)
            import_lines(other, lines)
            assert list(export_records(other)) == lines, name
        finally:
            other.close()


def test_seeding_a_non_empty_store_is_refused(small_city, tmp_path):
    store, _ = small_city
    with pytest.raises(ConflictError, match="not empty"):
        seed_into(store, scale=0.01, seed=8, data_dir=tmp_path)
    assert not (tmp_path / GROUND_TRUTH_FILE).exists()


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_STORE": "embedded"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "graph-service"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_cli_seeds_once_then_refuses(tmp_path):
    out = tmp_path / "city.ndjson"
    first = _cli(tmp_path, "seed", "--scale", "0.01", "--out", str(out))
    assert first.returncode == 0, first.stderr
    truth = json.loads((tmp_path / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    assert truth["scale"] == 0.01 and truth["planted_under_covered_compounds"]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and json.loads(lines[0])["node"] == "Area"
    assert (tmp_path / "city.ndjson.ground_truth.json").exists()
    second = _cli(tmp_path, "seed", "--scale", "0.01")
    assert second.returncode == 1
    assert "not empty" in second.stderr
    unknown = _cli(tmp_path / "other", "seed", "--profile", "paris")
    assert unknown.returncode == 1 and "heze" in unknown.stderr
