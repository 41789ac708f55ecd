"""The domain catalogue: enums carry Chinese labels, specs are consistent, validation rules hold."""

from __future__ import annotations

import re
from datetime import date

import pytest

from graph_service.domain import enums
from graph_service.domain.enums import AreaLevel, LabeledEnum, OrgKind
from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES, PropType
from graph_service.domain.standards import OFFICIAL_CRITERION, CoverageGap, WeaknessFactor
from graph_service.domain.validation import check_post, check_rel_rules, validate_props

CJK = re.compile(r"[\u4e00-\u9fff]")
ALL_ENUMS = [
    obj for obj in vars(enums).values() if isinstance(obj, type) and issubclass(obj, LabeledEnum) and obj is not LabeledEnum
] + [CoverageGap, WeaknessFactor]


@pytest.mark.parametrize("enum", ALL_ENUMS, ids=lambda e: e.__name__)
def test_every_enum_member_has_a_chinese_label(enum: type[LabeledEnum]) -> None:
    for member in enum:
        assert CJK.search(member.label), f"{enum.__name__}.{member.name} has no Chinese label: {member.label!r}"


def test_parse_names_the_allowed_codes() -> None:
    assert AreaLevel.parse("compound") is AreaLevel.COMPOUND
    with pytest.raises(ValueError, match="'village' is not one of city, district"):
        AreaLevel.parse("village")


@pytest.mark.parametrize("value", [["city"], {"city": 1}, None, 1, "City", " city"])
def test_parse_refuses_anything_but_a_code_with_the_same_message(value: object) -> None:
    # An unhashable value (a list from a bad row) is no code either: a ValueError naming the codes, not a TypeError.
    with pytest.raises(ValueError, match=r"is not one of city, district, street, community, compound, building$"):
        AreaLevel.parse(value)


def test_parse_takes_a_member_and_keeps_enums_sharing_a_code_apart() -> None:
    assert AreaLevel.parse(AreaLevel.CITY) is AreaLevel.CITY
    # "unit" is a code of both enums; each parse answers its own enum's member.
    assert OrgKind.parse("unit") is OrgKind.UNIT
    assert enums.CompoundKind.parse("unit") is enums.CompoundKind.UNIT


def test_every_weakness_factor_maps_to_an_official_criterion() -> None:
    assert set(OFFICIAL_CRITERION) == set(WeaknessFactor)


def test_relationship_endpoints_are_known_labels_and_every_rel_has_an_id() -> None:
    for rel in RELS.values():
        assert rel.props[0].name == "id"
        for a, b in rel.pairs:
            assert a in NODES and b in NODES, rel.type
    for spec in [*NODES.values(), *SYSTEM_NODES.values()]:
        names = spec.prop_names
        assert len(names) == len(set(names)), spec.label


def test_enum_typed_props_are_strings_or_string_lists() -> None:
    for spec in [*NODES.values(), *RELS.values()]:
        for prop in spec.props:
            if prop.enum is not None:
                assert prop.type in (PropType.STRING, PropType.STRING_LIST), prop.name


def test_validate_props_types_values_and_reports_every_problem() -> None:
    typed, problems = validate_props(
        NODES["Organization"],
        {
            "id": "b1",
            "kind": "compound_branch",
            "name": "幸福小区党支部",
            "founded": "2020-03-01",
            "five_haves": ["venue", "rules"],
        },
    )
    assert problems == []
    assert typed["founded"] == date(2020, 3, 1)
    _, problems = validate_props(
        NODES["Organization"],
        {"kind": "branch", "founded": "2020-13-01", "capacity": -1, "colour": "red", "five_haves": ["venue", "cash"]},
        line=7,
    )
    fields = {p.field: p for p in problems}
    assert set(fields) == {"kind", "founded", "capacity", "colour", "five_haves", "name", "id"}
    assert fields["kind"].value == "branch" and fields["kind"].line == 7
    assert "cash" in fields["five_haves"].message


def test_dates_must_be_in_order_and_partial_updates_skip_required() -> None:
    _, problems = validate_props(RELS["PAIRED_WITH"], {"id": "p1", "start_date": "2023-05-01", "end_date": "2023-04-30"})
    assert [(p.field, p.value) for p in problems] == [("end_date", "2023-04-30")]
    _, problems = validate_props(NODES["Area"], {"name": "新名字"}, partial=True)
    assert problems == []


def test_bool_is_not_an_int_and_timestamps_become_naive_utc() -> None:
    _, problems = validate_props(NODES["Area"], {"id": "a", "level": "city", "name": "x", "households": True})
    assert [p.field for p in problems] == ["households"]
    typed, problems = validate_props(
        SYSTEM_NODES["AnalysisRun"], {"id": "r", "analysis": "coverage", "at": "2026-01-01T08:00:00+08:00"}
    )
    assert problems == [] and typed["at"].isoformat() == "2026-01-01T00:00:00"


def _org(kind: OrgKind) -> dict[str, object]:
    return {"_label": "Organization", "id": kind.value, "kind": kind.value}


def _area(level: AreaLevel) -> dict[str, object]:
    return {"_label": "Area", "id": level.value, "level": level.value}


def test_pairing_joins_a_unit_party_org_with_a_community_committee() -> None:
    assert check_rel_rules("PAIRED_WITH", _org(OrgKind.UNIT_PARTY_ORG), _org(OrgKind.COMMUNITY_COMMITTEE)) == []
    problems = check_rel_rules("PAIRED_WITH", _org(OrgKind.UNIT), _org(OrgKind.COMPOUND_BRANCH))
    assert {p.field for p in problems} == {"from", "to"}


def test_area_hierarchy_levels() -> None:
    assert check_rel_rules("PART_OF", _area(AreaLevel.BUILDING), _area(AreaLevel.COMPOUND)) == []
    [problem] = check_rel_rules("PART_OF", _area(AreaLevel.BUILDING), _area(AreaLevel.COMMUNITY))
    assert problem.field == "to" and "compound" in problem.message
    assert check_rel_rules("PART_OF", _area(AreaLevel.CITY), _area(AreaLevel.DISTRICT))


def test_leads_and_posts_fit_the_organisation() -> None:
    assert check_rel_rules("LEADS", _org(OrgKind.COMPOUND_BRANCH), _area(AreaLevel.COMPOUND)) == []
    assert check_rel_rules("LEADS", _org(OrgKind.COMPOUND_BRANCH), _area(AreaLevel.STREET))
    assert check_rel_rules("MANAGES", _org(OrgKind.UNIT), _area(AreaLevel.COMPOUND))
    assert check_post("oc_director", _org(OrgKind.OWNERS_COMMITTEE)) == []
    assert check_post("oc_director", _org(OrgKind.COMPOUND_BRANCH))
    assert check_post("secretary", _org(OrgKind.OWNERS_COMMITTEE))
    assert check_post("secretary", _org(OrgKind.COMPOUND_BRANCH)) == []
