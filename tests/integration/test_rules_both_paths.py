"""Each rule across records (``domain.rules``) is refused alike by the import and by the change service.

A small city is imported into a real store; then every violation is fed through an import of one line into that
store and through the equivalent change-service call, and both must refuse it with the same field, value and
message (the import adds the line). Both refusals write nothing, so one store serves every case. Further tests
cover the import's other ways in (an empty store, through the columnar fast lane or line by line) and what the
rules allow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.errors import Problem, ValidationError
from graph_service.services.changes import ChangeConflictError, ChangeService
from graph_service.services.ndjson_columnar import check_columnar
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines, parse_line
from graph_service.store.embedded import LadybugStore

ACTOR = "key:test(editor)"
FIXTURE = Path(__file__).resolve().parents[2] / "seeds" / "fixtures" / "small_city.ndjson"


def node(label: str, node_id: str, **props: Any) -> str:
    return to_json_line(NodeRecord(label, node_id, props))


def rel(rel_type: str, from_id: str, to_id: str, rel_id: str | None = None, from_label: str | None = None, **props: Any) -> str:
    labels = {
        "PART_OF": ("Area", "Area"),
        "SUB_ORG_OF": ("Organization", "Organization"),
        "LEADS": ("Organization", "Area"),
        "HELD_BY": ("Activity", "Organization"),
        "ATTENDED": ("Person", "Activity"),
        "SENT_DOWN_TO": ("Person", "Area"),
        "LIAISES_WITH": ("Person", "Area"),
    }
    start, end = labels.get(rel_type, (from_label or "Organization", "Organization"))
    return to_json_line(RelRecord(rel_type, rel_id or f"{from_id}:{rel_type}:{to_id}", from_id, start, to_id, end, props))


CITY = [
    node("Area", "hz", level="city", name="菏泽市"),
    node("Area", "md", level="district", name="牡丹区"),
    node("Area", "xc", level="street", name="西城街道"),
    node("Area", "dy", level="community", name="丹阳社区"),
    node("Area", "g1", level="compound", name="牡丹苑小区"),
    node("Area", "g2", level="compound", name="税务局家属院"),
    node("Area", "b1", level="building", name="1号楼"),
    rel("PART_OF", "md", "hz"),
    rel("PART_OF", "xc", "md"),
    rel("PART_OF", "dy", "xc"),
    rel("PART_OF", "g1", "dy"),
    rel("PART_OF", "g2", "dy"),
    rel("PART_OF", "b1", "g1"),
    node("Organization", "sc", kind="street_committee", name="西城街道党工委"),
    node("Organization", "sc2", kind="street_committee", name="东城街道党工委"),
    node("Organization", "cc1", kind="community_committee", name="丹阳社区党委"),
    node("Organization", "cc2", kind="community_committee", name="丹阳社区新党委"),
    node("Organization", "cc0", kind="community_committee", name="丹阳社区老党委", dissolved="2020-12-31"),
    node("Organization", "oc", kind="owners_committee", name="牡丹苑业委会"),
    node("Organization", "u", kind="unit", name="市税务局", unit_type="agency"),
    node("Organization", "upo", kind="unit_party_org", name="市税务局机关党委", unit_type="agency"),
    rel("SUB_ORG_OF", "cc1", "sc"),
    rel("SUB_ORG_OF", "upo", "u"),
    rel("LEADS", "sc", "xc"),
    rel("LEADS", "cc1", "dy"),
    rel("LEADS", "cc0", "dy"),  # dissolved: history, does not lead any more
    node("Person", "p1", name="张伟", is_party_member=True),
    node("Person", "p3", name="王芳", is_party_member=False),
    rel("MEMBER_OF", "p1", "cc1", "m0", from_label="Person", post="secretary", start_date="2022-01-01"),
    rel("MEMBER_OF", "p3", "oc", "m9", from_label="Person", post="oc_director", start_date="2022-05-20"),
    rel("PAIRED_WITH", "upo", "cc1", "pw0", start_date="2023-02-01", end_date="2024-12-31"),
    rel("REGISTERED_WITH", "p1", "cc1", "rw0", from_label="Person", start_date="2023-04-12"),
]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LadybugStore]:
    store = LadybugStore(tmp_path_factory.mktemp("rules") / "graph.lbdb")
    store.ensure_schema()
    import_lines(store, CITY)
    yield store
    store.close()


def by_import(store: LadybugStore, lines: list[str]) -> list[tuple[str, Any, str, int | None]]:
    with pytest.raises(ValidationError) as caught:
        import_lines(store, lines)
    return [(p.field, p.value, p.message, p.line) for p in caught.value.problems]


def by_change(work: Callable[[ChangeService], object], store: LadybugStore) -> tuple[str, Any, str]:
    try:
        work(ChangeService(store))
    except ValidationError as exc:
        (problem,) = exc.problems
        return problem.field, problem.value, problem.message
    except ChangeConflictError as exc:
        return exc.field, exc.value, str(exc)
    raise AssertionError("the change service accepted it")


def _post(person: str, org: str, post: str, start: str, rel_id: str) -> Callable[[ChangeService], object]:
    return lambda s: s.create_rel(ACTOR, "MEMBER_OF", person, org, {"id": rel_id, "post": post, "start_date": start})


CASES: dict[str, tuple[str, Callable[[ChangeService], object], tuple[str, Any, str]]] = {
    "a compound without a parent": (
        node("Area", "g9", level="compound", name="无主小区"),
        lambda s: s.create_node(ACTOR, "Area", {"id": "g9", "level": "compound", "name": "无主小区"}),
        ("parent_id", "g9", "compound 'g9' lies in no community"),
    ),
    "a building without a parent": (
        node("Area", "b9", level="building", name="9号楼"),
        lambda s: s.create_node(ACTOR, "Area", {"id": "b9", "level": "building", "name": "9号楼"}),
        ("parent_id", "b9", "building 'b9' lies in no compound"),
    ),
    "a building in a second compound": (
        rel("PART_OF", "b1", "g2"),
        lambda s: s.create_rel(ACTOR, "PART_OF", "b1", "g2", {}),
        ("from", "b1", "'b1' already lies in 'g1'"),
    ),
    "an organisation under a second parent": (
        rel("SUB_ORG_OF", "cc1", "sc2"),
        lambda s: s.create_rel(ACTOR, "SUB_ORG_OF", "cc1", "sc2", {}),
        ("from", "cc1", "'cc1' already sits under 'sc'"),
    ),
    "a second committee leading a community": (
        rel("LEADS", "cc2", "dy"),
        lambda s: s.create_rel(ACTOR, "LEADS", "cc2", "dy", {}),
        ("to", "dy", "area 'dy' is already led by 'cc1'"),
    ),
    "two live pairings of one unit and one community": (
        rel("PAIRED_WITH", "upo", "cc1", "pw1", start_date="2024-03-01"),
        lambda s: s.create_rel(ACTOR, "PAIRED_WITH", "upo", "cc1", {"id": "pw1", "start_date": "2024-03-01"}),
        (
            "start_date",
            "2024-03-01",
            "overlaps a live pairing between the same two organisations: pw0 (2023-02-01 to 2024-12-31)",
        ),
    ),
    "two registrations with one community": (
        rel("REGISTERED_WITH", "p1", "cc1", "rw1", from_label="Person", start_date="2024-01-01"),
        lambda s: s.create_rel(ACTOR, "REGISTERED_WITH", "p1", "cc1", {"id": "rw1", "start_date": "2024-01-01"}),
        ("start_date", "2024-01-01", "overlaps a registration with the same community: rw0 (2023-04-12 to now)"),
    ),
    "the same post twice at once": (
        rel("MEMBER_OF", "p1", "cc1", "m1", from_label="Person", post="secretary", start_date="2024-01-01"),
        _post("p1", "cc1", "secretary", "2024-01-01", "m1"),
        ("start_date", "2024-01-01", "overlaps the same post (secretary) in the same organisation: m0 (2022-01-01 to now)"),
    ),
    "two leading posts at once": (
        rel("MEMBER_OF", "p1", "cc1", "m2", from_label="Person", post="deputy_secretary", start_date="2024-01-01"),
        _post("p1", "cc1", "deputy_secretary", "2024-01-01", "m2"),
        ("start_date", "2024-01-01", "overlaps another leading post (secretary) in the same organisation: m0"),
    ),
    "two owners' committee posts at once": (
        rel("MEMBER_OF", "p3", "oc", "m8", from_label="Person", post="oc_member", start_date="2023-01-01"),
        _post("p3", "oc", "oc_member", "2023-01-01", "m8"),
        ("start_date", "2023-01-01", "overlaps another owners' committee post (oc_director) in the same organisation: m9"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_rule_is_refused_alike_by_the_import_and_the_change_service(city: LadybugStore, case: str) -> None:
    line, change, (field, value, message_start) = CASES[case]
    before = list(export_records(city))
    version = city.write_version()
    (found,) = by_import(city, [line])
    assert found[:3] == by_change(change, city)
    assert found[0] == field and found[1] == value and found[2].startswith(message_start), found
    assert found[3] == 1  # the import names the file's line
    assert list(export_records(city)) == before and city.write_version() == version


def test_the_import_counts_both_the_file_and_the_store_and_reports_the_later_line(city: LadybugStore) -> None:
    lines = [
        rel("PAIRED_WITH", "upo", "cc2", "pw5", start_date="2024-01-01"),
        rel("PAIRED_WITH", "upo", "cc2", "pw6", start_date="2024-06-01", end_date="2024-08-01"),
        node("Area", "g8", level="compound", name="新小区"),
        rel("PART_OF", "g8", "dy"),
        rel("PART_OF", "g8", "g2", "g8-again"),  # a second parent, and a compound in a compound
    ]
    problems = {(p[3], p[0]) for p in by_import(city, lines)}
    assert problems == {(2, "start_date"), (4, "from"), (5, "from"), (5, "to")}


def test_what_the_rules_allow_is_accepted_on_both_paths(tmp_path: Path) -> None:
    with LadybugStore(tmp_path / "by-import.lbdb") as imported, LadybugStore(tmp_path / "by-change.lbdb") as changed:
        for store in (imported, changed):
            store.ensure_schema()
            import_lines(store, CITY)
        allowed = [
            # A secretary who is also a member and a building leader of the same committee, at the same time.
            ("MEMBER_OF", "p1", "cc1", {"id": "m3", "post": "member", "start_date": "2022-01-01"}),
            ("MEMBER_OF", "p1", "cc1", {"id": "m4", "post": "building_leader", "start_date": "2023-01-01"}),
            # The same post again once the first has ended; a second pairing after the first ended.
            ("MEMBER_OF", "p3", "oc", {"id": "m5", "post": "oc_member", "start_date": "2021-01-01", "end_date": "2022-05-19"}),
            ("PAIRED_WITH", "upo", "cc1", {"id": "pw2", "start_date": "2025-01-01"}),
        ]
        lines = [
            rel(t, a, b, props.pop("id"), from_label="Person" if t == "MEMBER_OF" else None, **props)
            for t, a, b, props in allowed
        ]
        import_lines(imported, lines)
        service = ChangeService(changed)
        for line in lines:
            record, _ = parse_line(line, 1)
            assert isinstance(record, RelRecord)
            service.create_rel(ACTOR, record.type, record.from_id, record.to_id, {"id": record.id, **_iso(record.props)})
        # A dissolved committee leading the community does not count; a new one may lead once the old is dissolved.
        service.end_node(ACTOR, "Organization", "cc1", "2025-06-30")
        service.create_rel(ACTOR, "LEADS", "cc2", "dy", {})
        import_lines(
            imported, [node("Organization", "cc1", kind="community_committee", name="丹阳社区党委", dissolved="2025-06-30")]
        )
        import_lines(imported, [rel("LEADS", "cc2", "dy")])
        assert _leaders(imported) == _leaders(changed) == {"cc0", "cc1", "cc2"}


def _iso(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in props.items()}


def _leaders(store: LadybugStore) -> set[str]:
    return {str(row["org_id"]) for row in store.read("change_area_leaders", {"id": "dy"})}


# --- every way into the import ------------------------------------------------------------------------------------

CLEAN = [to_json_line(r) for n, t in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1) if (r := parse_line(t, n)[0])]


def _violations() -> dict[str, tuple[list[str], str]]:
    """The clean fixture (no nulls: the columnar lane would take it) with one rule broken inside the file, and
    the start of the message that names it."""
    member = next(line for line in CLEAN if '"id":"m-p2-br1-mem"' in line)
    return {
        "an orphan compound": (
            [line for line in CLEAN if '"id":"hz-md-xc-dy-g2:PART_OF' not in line],
            "compound 'hz-md-xc-dy-g2' lies in no community",
        ),
        "an orphan building": (
            [*CLEAN, node("Area", "b-orphan", level="building", name="孤楼")],
            "building 'b-orphan' lies in no compound",
        ),
        "a second leader": (
            [
                *CLEAN,
                node("Organization", "o-br3", kind="compound_branch", name="新支部"),
                rel("LEADS", "o-br3", "hz-md-xc-dy-g1"),
            ],
            "area 'hz-md-xc-dy-g1' is already led by 'o-br1'",
        ),
        "a second parent organisation": (
            [
                *CLEAN,
                node("Organization", "o-cc9", kind="community_committee", name="新社区党委"),
                rel("SUB_ORG_OF", "o-br1", "o-cc9"),
            ],
            "'o-br1' already sits under",
        ),
        "overlapping pairings": (
            [*CLEAN, rel("PAIRED_WITH", "o-upo1", "o-cc", "pw-again", start_date="2024-01-01")],
            "overlaps a live pairing between the same two organisations",
        ),
        "two leading posts": (
            [
                *CLEAN,
                rel("MEMBER_OF", "p1", "o-cc", "m-dep", from_label="Person", post="deputy_secretary", start_date="2024-01-01"),
            ],
            "overlaps another leading post (secretary)",
        ),
        "a post held twice": (
            [line for line in CLEAN if line != member] + [member.replace('"member"', '"secretary"')],
            "overlaps the same post (secretary)",
        ),
        "an activity held after today": (
            [
                *CLEAN,
                node("Activity", "a-later", kind="party_lesson", held_on=(date.today() + timedelta(days=1)).isoformat()),
                rel("HELD_BY", "a-later", "o-br1"),
            ],
            "is after today",
        ),
        "an activity of a dissolved organisation": (
            [
                *CLEAN,
                node("Organization", "o-old", kind="compound_branch", name="旧支部", dissolved="2020-12-31"),
                node("Activity", "a-old", kind="party_lesson", held_on="2021-03-01"),
                rel("HELD_BY", "a-old", "o-old"),
            ],
            "was dissolved on 2020-12-31: it held nothing on 2021-03-01",
        ),
        "an activity held by an owners' committee": (
            [*CLEAN, node("Activity", "a-oc", kind="other", held_on="2024-03-01"), rel("HELD_BY", "a-oc", "o-oc1")],
            "organisational life is held by a Party organisation",
        ),
        "an attendee who had left": (
            [
                *CLEAN,
                node("Person", "p-gone", name="已迁出", left_on="2020-01-01"),
                rel("ATTENDED", "p-gone", "act1"),
            ],
            "left on 2020-01-01: they attended nothing on 2024-05-10",
        ),
        "two postings of a cadre to one community at once": (
            [*CLEAN, rel("SENT_DOWN_TO", "p4", "hz-md-xc-dy", "sd-again", duty="包联", start_date="2024-06-01")],
            "overlaps the same cadre's posting to the same community",
        ),
        "a unit in a joint branch twice at once": (
            [*CLEAN, rel("JOINS", "o-u1", "o-jb", "joins-again", start_date="2023-01-01")],
            "overlaps the same unit's membership of the same joint branch",
        ),
    }


@pytest.mark.parametrize("case", sorted(_violations()))
def test_a_file_breaking_a_rule_is_refused_by_every_path_into_an_empty_store(store: LadybugStore, case: str) -> None:
    lines, message = _violations()[case]
    assert check_columnar("\n".join(lines).encode()) is None  # the fast lane cannot vouch for it...
    with pytest.raises(ValidationError) as caught:
        import_lines(store, lines)  # ... and the line-by-line checks name the problem
    problems: list[Problem] = caught.value.problems
    assert any(p.message.startswith(message) for p in problems), problems
    assert list(export_records(store)) == []


def test_the_clean_fixture_and_a_seeded_city_pass_the_rules(store: LadybugStore) -> None:
    assert check_columnar("\n".join(CLEAN).encode()) is not None
    assert import_lines(store, CLEAN).checked_by == "columnar"
