"""The analyses against the seed dataset's planted ground truth, through the real store and the projection.

The seed (graph_service.seed.heze) plants gaps and weak branches and computes the ground truth from its records
with the definitions of README.md ("The Heze demo dataset"). Every planted under-covered compound and weak branch must be found
(recall 1.0) and no healthy one flagged (precision 1.0); beyond the verdicts, each compound's gaps, each branch's
factors and each building's chain break must be the planted ones. Precision and recall are printed (``-s``) and
written into the assertion messages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph_service.analysis.chain import chain_completeness
from graph_service.analysis.common import Thresholds
from graph_service.analysis.coverage import compound_coverage
from graph_service.analysis.projection import ProjectionCache
from graph_service.analysis.weakness import organization_weakness
from graph_service.seed.heze import generate
from graph_service.services.analyses import graph_and_measures
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore

# The seed names the first level a building's chain cannot reach; the chain analysis names the missing link.
_BREAK_OF_LEVEL = {
    "building_group": "no_group",
    "compound_branch": "group_without_branch",
    "community_committee": "branch_without_community",
    "street_committee": "community_without_street",
}


_BRANCHES = ("compound_branch", "joint_branch")


@pytest.fixture(scope="module", params=[(0.1, 7), (0.05, 3)], ids=["scale0.1-seed7", "scale0.05-seed3"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    scale, seed = request.param
    dataset = generate(scale, seed)
    store = LadybugStore(tmp_path_factory.mktemp("quality") / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, dataset.records)
    truth = dataset.ground_truth
    th = Thresholds(as_of=date.fromisoformat(truth["as_of"]))
    graph, measures = graph_and_measures(ProjectionCache(store), None, th)
    yield graph, measures, truth, th
    store.close()


def _scores(found: set[str], planted: set[str], healthy: set[str]) -> tuple[float, float, set[str], set[str]]:
    missed = planted - found
    false_alarms = found & healthy
    recall = 1 - len(missed) / len(planted) if planted else 1.0
    precision = len(found & planted) / len(found) if found else 1.0
    return recall, precision, missed, false_alarms


def test_under_covered_compounds_match_the_planted_ones(seeded) -> None:
    graph, measures, truth, th = seeded
    coverage = {c.compound_id: c for c in compound_coverage(graph, measures, th)}
    planted = set(truth["planted_under_covered_compounds"])
    healthy = set(truth["healthy_compounds"])
    assert planted and healthy, "the seed must plant both kinds"
    assert set(coverage) == planted | healthy
    found = {c for c, cov in coverage.items() if cov.under_covered}
    recall, precision, missed, false_alarms = _scores(found, planted, healthy)
    report = (
        f"under-covered compounds: recall {recall:.3f}, precision {precision:.3f} ({len(found)} found, {len(planted)} planted)"
    )
    print(report)
    assert not missed, f"{report}; missed {sorted(missed)[:10]}"
    assert not false_alarms, f"{report}; healthy compounds flagged {sorted(false_alarms)[:10]}"
    assert recall == 1.0 and precision == 1.0, report


def test_each_compound_has_exactly_its_planted_gaps(seeded) -> None:
    graph, measures, truth, th = seeded
    planted: dict[str, list[str]] = truth["planted_under_covered_compounds"]
    wrong = {
        c.compound_id: (sorted(c.gaps), planted.get(c.compound_id, []))
        for c in compound_coverage(graph, measures, th)
        if sorted(c.gaps) != sorted(planted.get(c.compound_id, []))
    }
    assert not wrong, f"{len(wrong)} compounds with other gaps than planted (found, planted): {dict(list(wrong.items())[:5])}"


def test_weak_branches_match_the_planted_ones(seeded) -> None:
    graph, measures, truth, th = seeded
    branches = {w.org_id: w for w in organization_weakness(graph, measures, th) if w.kind in _BRANCHES}
    planted = set(truth["planted_weak_branches"])
    healthy = set(truth["healthy_branches"])
    assert planted and healthy, "the seed must plant both kinds"
    assert set(branches) == planted | healthy
    found = {b for b, w in branches.items() if w.weak}
    recall, precision, missed, false_alarms = _scores(found, planted, healthy)
    report = f"weak branches: recall {recall:.3f}, precision {precision:.3f} ({len(found)} found, {len(planted)} planted)"
    print(report)
    assert not missed, f"{report}; missed {sorted(missed)[:10]}"
    assert not false_alarms, f"{report}; healthy branches flagged {sorted(false_alarms)[:10]}"
    assert recall == 1.0 and precision == 1.0, report


def test_each_branch_has_exactly_its_planted_factors(seeded) -> None:
    graph, measures, truth, th = seeded
    planted: dict[str, list[str]] = truth["planted_weak_branches"]
    wrong = {
        w.org_id: (sorted(w.factor_codes), planted.get(w.org_id, []))
        for w in organization_weakness(graph, measures, th)
        if w.kind in _BRANCHES and sorted(w.factor_codes) != sorted(planted.get(w.org_id, []))
    }
    assert not wrong, f"{len(wrong)} branches with other factors than planted (found, planted): {dict(list(wrong.items())[:5])}"


def test_community_committees_due_an_election_are_the_planted_ones(seeded) -> None:
    graph, measures, truth, th = seeded
    found = {
        w.org_id
        for w in organization_weakness(graph, measures, th)
        if w.kind == "community_committee" and "election_overdue" in w.factor_codes
    }
    planted = set(truth["community_committees_election_overdue"])
    assert planted, "the seed must plant overdue elections"
    assert found == planted, f"missed {sorted(planted - found)[:5]}, extra {sorted(found - planted)[:5]}"


def test_chain_breaks_match_the_planted_ones(seeded) -> None:
    graph, _measures, truth, th = seeded
    planted = {b: _BREAK_OF_LEVEL[level] for b, level in truth["chain_breaks"].items()}
    found = {r.building_id: r.break_code for r in chain_completeness(graph, th) if not r.complete}
    assert planted, "the seed must plant chain breaks"
    missed = set(planted) - set(found)
    extra = set(found) - set(planted)
    wrong_link = {b for b in set(found) & set(planted) if found[b] != planted[b]}
    report = f"chain breaks: {len(found)} found, {len(planted)} planted, {len(missed)} missed, {len(extra)} extra"
    print(report)
    assert not (missed or extra or wrong_link), f"{report}; wrong link at {sorted(wrong_link)[:5]}"
