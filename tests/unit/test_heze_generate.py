"""The Heze generator on its own (no store): validity of every record, determinism, planted ground truth."""

from __future__ import annotations

from collections import Counter

import pytest

from graph_service.domain.enums import OrgKind, RelType
from graph_service.domain.figures import PUBLISHED_FIGURES, compare
from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.domain.schema import NODES, RELS
from graph_service.domain.standards import DEFAULT_STANDARDS, CoverageGap, WeaknessFactor
from graph_service.domain.validation import check_post, check_rel_rules, validate_props
from graph_service.seed.alloc import AllocationError, allocate
from graph_service.seed.heze import AS_OF, Targets, generate
from graph_service.seed.names import id_number
from graph_service.services.ndjson_checks import ParsedFile, StoreView, check_records


@pytest.fixture(scope="module")
def small():
    return generate(0.01, 7)


@pytest.fixture(scope="module")
def tenth():
    return generate(0.1, 7)


def _endpoints(records):
    nodes = {}
    for r in records:
        if isinstance(r, NodeRecord):
            nodes[(r.label, r.id)] = {**r.props, "id": r.id, "_label": r.label}
    return nodes


def validation_problems(records):
    """Every problem the domain's validation finds in ``records`` (properties, endpoints, relationship rules, posts),
    and the rules across records (``domain.rules``) as an import checks them."""
    nodes = _endpoints(records)
    problems = _rule_problems(records)
    for r in records:
        if isinstance(r, NodeRecord):
            _, found = validate_props(NODES[r.label], {**r.props, "id": r.id})
            problems += [(r.id, p) for p in found]
            continue
        _, found = validate_props(RELS[r.type], {**r.props, "id": r.id})
        source, target = nodes.get((r.from_label, r.from_id)), nodes.get((r.to_label, r.to_id))
        if source is None or target is None:
            problems.append((r.id, "dangling endpoint"))
            continue
        if (r.from_label, r.to_label) not in RELS[r.type].pairs:
            problems.append((r.id, "endpoint labels"))
        found += check_rel_rules(r.type, source, target)
        if r.type == RelType.MEMBER_OF.value:
            found += check_post(r.props["post"], target)
        problems += [(r.id, p) for p in found]
    return problems


def _rule_problems(records):
    parsed = ParsedFile()
    for number, r in enumerate(records, start=1):
        if isinstance(r, NodeRecord):
            parsed.nodes[r.label][r.id] = r
            parsed.lines[(r.label, r.id)] = number
        else:
            parsed.rels[r.type][r.id] = r
            parsed.lines[(r.type, r.id)] = number
    return [(p.value, p) for p in check_records(parsed, StoreView(True, {}, {}))]


@pytest.mark.parametrize("fixture", ["small", "tenth"])
def test_every_record_passes_the_domain_validation(fixture, request):
    assert validation_problems(request.getfixturevalue(fixture).records) == []


def test_ids_are_unique_and_readable(small):
    nodes = Counter((r.label, r.id) for r in small.records if isinstance(r, NodeRecord))
    rels = Counter((r.type, r.id) for r in small.records if isinstance(r, RelRecord))
    assert [k for k, n in nodes.items() if n > 1] == []
    assert [k for k, n in rels.items() if n > 1] == []
    assert ("Area", "hz") in nodes and ("Area", "hz-md") in nodes
    assert any(label == "Area" and i.startswith("hz-md-xc-c01-q01-b") for label, i in nodes)


def test_every_date_is_on_or_before_as_of(small):
    late = [
        (r.id, k, v)
        for r in small.records
        for k, v in r.props.items()
        if hasattr(v, "isoformat") and not isinstance(v, str) and v > AS_OF
    ]
    assert late == []


def test_each_building_lies_in_exactly_one_compound(small):
    levels = {r.id: r.props["level"] for r in small.records if isinstance(r, NodeRecord) and r.label == "Area"}
    parents = Counter(r.from_id for r in small.records if isinstance(r, RelRecord) and r.type == "PART_OF")
    buildings = [a for a, level in levels.items() if level == "building"]
    assert buildings and all(parents[b] == 1 for b in buildings)


def test_same_seed_same_city_other_seed_other_city():
    first = [to_json_line(r) for r in generate(0.01, 11).records]
    again = [to_json_line(r) for r in generate(0.01, 11).records]
    other = [to_json_line(r) for r in generate(0.01, 12).records]
    assert first == again
    assert first != other


@pytest.mark.parametrize("scale", [0.01, 0.1])
def test_figures_at_scale_match_the_published_table_scaled(scale, small, tenth):
    dataset = small if scale == 0.01 else tenth
    wrong = [(f.field, expected, actual) for f, expected, actual, ok in compare(dataset.ground_truth["figures"], scale) if not ok]
    assert wrong == []


def test_targets_at_scale_one_are_the_published_counts():
    t = Targets.at(1.0)
    assert (t.five_haves, t.cross, t.leaders, t.groups, t.central_households) == (659, 769, 13_000, 3_216, 12_074)
    assert (t.sf_old, t.sf_resettlement, t.warm, t.riders, t.rider_appeals) == (125, 17, 400, 240, 2_600)
    assert (t.sunk_two_committees, t.sunk_staff, t.claimed, t.teams, t.problems) == (957, 2_355, 2_579, 488, 7_800)
    assert t.urban == 4_562_010 and round(t.urban / t.resident, 3) == 0.519
    assert t.community_workers == round(18 * t.urban / 10_000)
    assert {f.field for f in PUBLISHED_FIGURES} >= {"five_haves_compounds", "rider_appeals", "problems_solved"}


def test_ground_truth_partitions_compounds_and_branches(tenth):
    truth = tenth.ground_truth
    ids = {r.id for r in tenth.records if isinstance(r, NodeRecord)}
    compounds = {r.id for r in tenth.records if isinstance(r, NodeRecord) and r.props.get("level") == "compound"}
    branch_kinds = {OrgKind.COMPOUND_BRANCH.value, OrgKind.JOINT_BRANCH.value}
    branches = {r.id for r in tenth.records if isinstance(r, NodeRecord) and r.props.get("kind") in branch_kinds}
    under, healthy = set(truth["planted_under_covered_compounds"]), set(truth["healthy_compounds"])
    assert not under & healthy and under | healthy == compounds
    weak, sound = set(truth["planted_weak_branches"]), set(truth["healthy_branches"])
    assert not weak & sound and weak | sound == branches
    assert set(truth["chain_breaks"]) <= ids and set(truth["communities_without_pairing"]) <= ids
    assert 0.2 <= len(healthy) / len(compounds) <= 0.4
    gap_codes = {g.value for g in CoverageGap}
    factor_codes = {f.value for f in WeaknessFactor}
    assert {g for gaps in truth["planted_under_covered_compounds"].values() for g in gaps} == gap_codes
    assert {f for fs in truth["planted_weak_branches"].values() for f in fs} == factor_codes
    assert set(truth["chain_breaks"].values()) >= {"building_group", "community_committee"}


def test_what_was_meant_to_be_planted_is_found_by_the_definitions(tenth):
    truth = tenth.ground_truth
    intended = truth["intended"]
    for compound, gaps in intended["compound_gaps"].items():
        assert set(gaps) <= set(truth["planted_under_covered_compounds"][compound]), compound
    for branch, factors in intended["branch_factors"].items():
        assert set(factors) <= set(truth["planted_weak_branches"][branch]), branch
    assert set(intended["healthy_compounds"]) == set(truth["healthy_compounds"])


def test_only_planted_hubs_hold_too_many_posts(tenth):
    posts = Counter(
        r.from_id for r in tenth.records if isinstance(r, RelRecord) and r.type == "MEMBER_OF" and "end_date" not in r.props
    )
    busy = {p for p, n in posts.items() if n > DEFAULT_STANDARDS.max_posts_per_person}
    hubs = [b for b, f in tenth.ground_truth["planted_weak_branches"].items() if "one_person_dependence" in f]
    assert busy and len(busy) == len(hubs)


def test_allocate_hits_the_total_within_bounds():
    import random

    out = allocate(100, [1, 0, 5], [50, 10, 60], [1.0, 5.0, 1.0], random.Random(1))
    assert sum(out) == 100 and out[1] <= 10 and out[0] >= 1 and out[2] >= 5
    with pytest.raises(AllocationError):
        allocate(100, [0, 0], [10, 10], [1, 1], random.Random(1))


def test_fictitious_identity_numbers_are_well_formed():
    import random

    number = id_number(random.Random(3), "371702", 1970, "男")
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert len(number) == 18 and number.startswith("3717021970")
    assert number[-1] == "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11]
    assert int(number[16]) % 2 == 1  # odd sequence digit for men


def test_a_healthy_compound_has_a_healthy_branch(tenth):
    truth = tenth.ground_truth
    sound = set(truth["healthy_branches"])
    assert all(f"{c}-br" in sound for c in truth["healthy_compounds"])
    assert not any(b.rsplit("-", 1)[0] in truth["healthy_compounds"] for b in truth["planted_weak_branches"])


@pytest.mark.parametrize(("scale", "seed"), [(0.01, 1), (0.02, 2), (0.05, 3), (0.03, 8)])
def test_other_scales_and_seeds_hit_their_figures_and_plants(scale, seed):
    truth = generate(scale, seed).ground_truth
    assert [(f.field, e, a) for f, e, a, ok in compare(truth["figures"], scale) if not ok] == []
    intended = truth["intended"]
    assert set(intended["healthy_compounds"]) == set(truth["healthy_compounds"])
    assert all(set(g) <= set(truth["planted_under_covered_compounds"][c]) for c, g in intended["compound_gaps"].items())


def test_too_small_a_scale_is_refused():
    with pytest.raises(ValueError, match=r"at least 0\.01"):
        generate(0.001)


def test_households_add_up_from_buildings_to_the_city(small):
    areas = {r.id: r.props for r in small.records if isinstance(r, NodeRecord) and r.label == "Area"}
    children: dict[str, list[str]] = {}
    for r in small.records:
        if isinstance(r, RelRecord) and r.type == "PART_OF":
            children.setdefault(r.to_id, []).append(r.from_id)
    for area, props in areas.items():
        if props["level"] != "building":
            assert props["households"] == sum(areas[c]["households"] for c in children[area]), area
    districts = [p for p in areas.values() if p["level"] == "district"]
    assert sum(p["urban_population"] for p in districts) == areas["hz"]["urban_population"]
    assert sum(p["platform_people_served"] for p in districts) == areas["hz"]["platform_people_served"]
