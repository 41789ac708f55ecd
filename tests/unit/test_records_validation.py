"""Checks of single NDJSON lines: shape, catalogue names, typed properties (no store involved)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from graph_service.domain.records import NodeRecord, RelRecord, parse_record, rel_id, to_json_line
from graph_service.domain.schema import NODES, RELS
from graph_service.services.ndjson_import import parse_line


def line(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def fields(problems) -> list[str]:
    return [p.field for p in problems]


def test_a_valid_node_line_is_typed():
    text = line(
        {"node": "Organization", "id": "o1", "props": {"kind": "compound_branch", "name": "一支部", "founded": "2021-07-01"}}
    )
    record, problems = parse_line(text, 3)
    assert problems == []
    assert record == NodeRecord("Organization", "o1", {"kind": "compound_branch", "name": "一支部", "founded": date(2021, 7, 1)})


def test_nulls_are_dropped_and_a_whole_number_for_a_float_becomes_a_float():
    text = line(
        {"rel": "MANAGES", "from": "pc", "to": "g1", "props": {"mode": "market", "fee_collection_rate": 1, "end_date": None}}
    )
    record, problems = parse_line(text, 1)
    assert problems == []
    assert isinstance(record, RelRecord)
    assert record.props == {"mode": "market", "fee_collection_rate": 1.0}
    assert isinstance(record.props["fee_collection_rate"], float)


def test_a_relationship_without_id_or_end_labels_gets_the_stable_id_and_the_only_labels():
    record, problems = parse_record({"rel": "PART_OF", "from": "b1", "to": "g1"}, 1)
    assert problems == []
    assert record == RelRecord("PART_OF", rel_id("PART_OF", "b1", "g1"), "b1", "Area", "g1", "Area", {})


def test_registered_with_needs_its_from_label_because_two_kinds_may_check_in():
    record, problems = parse_record({"rel": "REGISTERED_WITH", "from": "p1", "to": "cc"}, 4)
    assert record is None
    assert fields(problems) == ["from_label"]
    assert problems[0].line == 4
    assert "Organization, Person" in problems[0].message


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ('{"node": "Area", "id": "a"', "line", '{"node": "Area", "id": "a"'),
        ("[1, 2]", "line", [1, 2]),
        ('{"id": "x"}', "line", '{"id": "x"}'),
        ('{"node": "Area", "rel": "PART_OF", "id": "x"}', "line", None),
        ('{"node": "Compound", "id": "x"}', "node", "Compound"),
        ('{"node": "Area", "id": ""}', "id", ""),
        ('{"node": "Area", "id": 7, "props": {"level": "city", "name": "x"}}', "id", 7),
        ('{"node": "Area", "id": "a", "props": [1]}', "props", [1]),
        ('{"node": "Area", "id": "a", "colour": "red", "props": {"level": "city", "name": "x"}}', "colour", "red"),
        ('{"node": "Area", "id": "a", "props": {"id": "a", "level": "city", "name": "x"}}', "props.id", "a"),
        ('{"rel": "OWNS", "from": "a", "to": "b"}', "rel", "OWNS"),
        ('{"rel": "PART_OF", "from": "", "to": "b"}', "from", ""),
        ('{"rel": "PAIRED_WITH", "from": "a", "from_label": "Person", "to": "b"}', "from_label", "Person"),
        ('{"rel": "PART_OF", "id": 5, "from": "a", "to": "b"}', "id", 5),
    ],
)
def test_a_malformed_record_names_the_field_and_value(text, field, value):
    record, problems = parse_line(text, 9)
    assert record is None
    assert field in fields(problems)
    problem = next(p for p in problems if p.field == field)
    assert problem.line == 9
    if value is not None:
        assert problem.value == value


@pytest.mark.parametrize(
    ("props", "field", "value"),
    [
        ({"level": "town", "name": "x"}, "props.level", "town"),
        ({"name": "x"}, "props.level", None),
        ({"level": "city", "name": "x", "colour": "red"}, "props.colour", "red"),
        ({"level": "city", "name": "x", "households": -1}, "props.households", -1),
        ({"level": "city", "name": "x", "households": "many"}, "props.households", "many"),
        ({"level": "city", "name": "x", "households": 2**70}, "props.households", 2**70),
        ({"level": "city", "name": 5}, "props.name", 5),
        ({"level": "city", "name": None}, "props.name", None),
    ],
)
def test_area_properties_are_checked_against_the_catalogue(props, field, value):
    record, problems = parse_line(line({"node": "Area", "id": "a", "props": props}), 2)
    assert record is None
    problem = next(p for p in problems if p.field == field)
    assert (problem.line, problem.value) == (2, value)


@pytest.mark.parametrize(
    ("props", "field", "value"),
    [
        ({"post": "secretary", "start_date": "2024-13-01"}, "props.start_date", "2024-13-01"),
        ({"post": "secretary", "start_date": "2024-03-01", "end_date": "2023-03-01"}, "props.end_date", "2023-03-01"),
        ({"post": "boss"}, "props.post", "boss"),
        ({"post": "member", "full_time": "yes"}, "props.full_time", "yes"),
    ],
)
def test_membership_properties_are_checked(props, field, value):
    text = line({"rel": "MEMBER_OF", "from": "p", "to": "o", "props": props})
    record, problems = parse_line(text, 5)
    assert record is None
    assert [(p.field, p.value, p.line) for p in problems] == [(field, value, 5)]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 1.5, -0.1])
def test_a_fee_collection_rate_must_be_a_finite_share(bad):
    text = json.dumps({"rel": "MANAGES", "from": "pc", "to": "g", "props": {"mode": "market", "fee_collection_rate": bad}})
    record, problems = parse_line(text, 1)
    assert record is None
    assert fields(problems) == ["props.fee_collection_rate"]


def test_list_properties_check_every_item_against_their_enum():
    props = {"kind": "compound_branch", "name": "x", "five_haves": ["venue", "money"]}
    record, problems = parse_line(line({"node": "Organization", "id": "o", "props": props}), 1)
    assert record is None
    assert fields(problems) == ["props.five_haves"]
    assert "money" in problems[0].message


def test_every_problem_of_one_line_is_reported_at_once():
    props = {"level": "town", "households": "many", "colour": "red"}
    _, problems = parse_line(line({"node": "Area", "id": "a", "props": props}), 1)
    assert set(fields(problems)) == {"props.level", "props.households", "props.colour", "props.name"}


def test_to_json_line_writes_sorted_props_iso_dates_and_leaves_nulls_out():
    record = RelRecord(
        "MEMBER_OF", "m", "p", "Person", "o", "Organization", {"start_date": date(2024, 1, 2), "post": "member", "end_date": None}
    )
    obj = json.loads(to_json_line(record))
    assert list(obj["props"]) == ["post", "start_date"]
    assert obj["props"]["start_date"] == "2024-01-02"
    back, problems = parse_line(to_json_line(record), 1)
    assert problems == []
    assert back == RelRecord(
        "MEMBER_OF", "m", "p", "Person", "o", "Organization", {"start_date": date(2024, 1, 2), "post": "member"}
    )


def test_floats_survive_the_text_round_trip_exactly():
    rate = 0.1 + 0.2
    record = RelRecord("MANAGES", "x", "pc", "Organization", "g", "Area", {"mode": "market", "fee_collection_rate": rate})
    back, _ = parse_line(to_json_line(record), 1)
    assert isinstance(back, RelRecord)
    assert back.props["fee_collection_rate"] == rate


def test_the_catalogue_names_parse_and_system_labels_do_not():
    for label in NODES:
        record, problems = parse_record({"node": label, "id": "x"}, 1)
        assert record is not None, problems
    for rel_type, spec in RELS.items():
        a, b = spec.pairs[0]
        record, problems = parse_record({"rel": rel_type, "from": "x", "from_label": a, "to": "y", "to_label": b}, 1)
        assert record is not None, problems
    for system in ("Meta", "ApiKey", "AuditEntry"):
        record, problems = parse_record({"node": system, "id": "x"}, 1)
        assert record is None
        assert fields(problems) == ["node"]
