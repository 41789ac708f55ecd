"""NDJSON import and export against a real embedded store: round trip, refusal of bad files, idempotence, undo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pytest

from graph_service.domain.naming import natural_key
from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.domain.schema import NODES, RELS, PropType
from graph_service.errors import ConflictError, StoreError, ValidationError
from graph_service.services.ndjson_export import export_records, write_atomically
from graph_service.services.ndjson_import import import_lines, parse_line, read_file, read_lines
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import BulkLoader, count_round_trips

FIXTURE = Path(__file__).resolve().parents[2] / "seeds" / "fixtures" / "small_city.ndjson"
CLI = Path(sys.executable).with_name("graph-service")
T = TypeVar("T")


@pytest.fixture
def city_lines() -> list[str]:
    return read_lines(FIXTURE)


@pytest.fixture
def city(store: LadybugStore, city_lines: list[str]) -> LadybugStore:
    """The store holding the small city (imported line by line: the fixture has an explicit null)."""
    report = import_lines(store, city_lines)
    assert (report.method, report.checked_by) == ("bulk", "lines")
    return store


@pytest.fixture
def second_store(tmp_path: Path) -> Iterator[LadybugStore]:
    s = LadybugStore(tmp_path / "second" / "graph.lbdb")
    s.ensure_schema()
    yield s
    s.close()


def export_text(store: LadybugStore) -> str:
    return "".join(line + "\n" for line in export_records(store))


def replace_line(lines: list[str], match: str, **props: object) -> list[str]:
    """``lines`` with the one line containing ``match`` given changed props (``None`` drops one)."""
    out, hits = [], 0
    for text in lines:
        if match in text:
            obj = json.loads(text)
            for key, value in props.items():
                if value is None:
                    obj["props"].pop(key, None)
                else:
                    obj["props"][key] = value
            text = json.dumps(obj, ensure_ascii=False)
            hits += 1
        out.append(text)
    assert hits == 1, f"{match!r} matched {hits} lines"
    return out


# --- the fixture itself --------------------------------------------------------------------------------------


def test_the_fixture_covers_every_label_type_and_property_type(city_lines):
    records = [parse_line(text, n)[0] for n, text in enumerate(city_lines, 1)]
    labels = {r.label for r in records if isinstance(r, NodeRecord)}
    types = {r.type for r in records if isinstance(r, RelRecord)}
    assert labels == set(NODES)
    assert types == set(RELS)
    used = {
        spec.prop(name).type  # type: ignore[union-attr]
        for r in records
        if r is not None
        for spec in [NODES[r.label] if isinstance(r, NodeRecord) else RELS[r.type]]
        for name in r.props
    }
    assert used >= set(PropType) - {PropType.TIMESTAMP}  # no domain property is a timestamp
    assert any(r is not None and isinstance(r.props.get("name"), str) and "区" in r.props["name"] for r in records)
    assert any('"code":null' in text for text in city_lines)
    assert any('"rel"' in text and '"id"' not in text for text in city_lines)


# --- export and round trip -----------------------------------------------------------------------------------


def test_export_import_export_gives_identical_files(city, second_store, city_lines):
    first = export_text(city)
    report = import_lines(second_store, first.splitlines())
    assert (report.method, report.checked_by) == ("bulk", "columnar")  # an export needs no line-by-line pass
    assert export_text(second_store) == first
    # Lossless against the fixture too: every record comes back with the same typed values.
    expected = sorted(to_json_line(r) for n, t in enumerate(city_lines, 1) if (r := parse_line(t, n)[0]) is not None)
    assert sorted(first.splitlines()) == expected


def test_export_is_sorted_by_catalogue_order_then_id(city):
    lines = [json.loads(t) for t in export_records(city)]
    keys = [
        (0, list(NODES).index(o["node"]), o["id"]) if "node" in o else (1, list(RELS).index(o["rel"]), o["id"]) for o in lines
    ]
    assert keys == sorted(keys)
    assert all("Meta" not in json.dumps(o) for o in lines)


def test_export_of_an_empty_store_is_empty(store):
    assert list(export_records(store)) == []


def test_a_failed_export_leaves_no_file(tmp_path):
    target = tmp_path / "out.ndjson"

    def lines() -> Iterator[str]:
        yield '{"node":"Area"}'
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(lines(), target)
    assert list(tmp_path.iterdir()) == []
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        write_atomically(lines(), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ndjson"]


# --- idempotence and updates ---------------------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(city, city_lines):
    before, version = export_text(city), city.write_version()
    report = import_lines(city, city_lines)
    assert report.method == "none"
    assert report.totals().unchanged == report.records == len(export_text(city).splitlines())
    assert report.totals().created == report.totals().updated == 0
    assert city.write_version() == version
    assert export_text(city) == before


def test_identical_duplicate_lines_are_accepted_once(store, city_lines):
    report = import_lines(store, [*city_lines, city_lines[0], city_lines[-1]])
    assert report.duplicate_lines == 2
    assert report.records == len(city_lines)


def test_import_into_a_non_empty_store_updates_changed_records(city, city_lines):
    lines = replace_line(city_lines, '"id":"hz-md-xc-dy-g1","props"', households=430, compound_kind=None)
    lines = replace_line(lines, '"id":"m-p2-br1-mem"', end_date="2024-05-01")
    lines += [
        '{"node":"Person","id":"p6","props":{"name":"赵敏","is_party_member":true}}',
        '{"rel":"REGISTERED_WITH","from":"p6","from_label":"Person","to":"o-cc","to_label":"Organization","props":{}}',
    ]
    version = city.write_version()
    report = import_lines(city, lines)
    assert report.method == "upsert"
    assert (report.nodes["Area"].updated, report.nodes["Area"].unchanged) == (1, 8)
    assert report.nodes["Person"].created == 1
    assert (report.rels["MEMBER_OF"].updated, report.rels["REGISTERED_WITH"].created) == (1, 1)
    assert report.totals().updated == 2
    assert city.write_version() > version
    exported = {(o.get("node") or o["rel"], o["id"]): o for o in map(json.loads, export_records(city))}
    compound = exported[("Area", "hz-md-xc-dy-g1")]["props"]
    assert compound["households"] == 430
    assert "compound_kind" not in compound  # a record states the whole node: left out means cleared
    assert exported[("MEMBER_OF", "m-p2-br1-mem")]["props"]["end_date"] == "2024-05-01"
    assert ("REGISTERED_WITH", "p6:REGISTERED_WITH:o-cc") in exported
    # And the same file again is now a no-op.
    again = import_lines(city, lines)
    assert again.method == "none"
    assert not again.changed


def test_upserts_run_in_batches_of_the_configured_size(city, second_store, city_lines):
    import_lines(second_store, city_lines)
    lines = city_lines + [f'{{"node":"Project","id":"x{i}","props":{{"kind":"volunteer","name":"项目{i}"}}}}' for i in range(5)]
    lines = replace_line(lines, '"id":"pr2"', need="税法宣传")
    with count_round_trips() as small:
        report = import_lines(city, lines, batch_size=2)
    with count_round_trips() as large:
        import_lines(second_store, lines, batch_size=100)
    assert (report.nodes["Project"].created, report.nodes["Project"].updated) == (5, 1)
    assert small.count - large.count == 3 - 1  # six Project rows: three statements instead of one
    assert export_text(city) == export_text(second_store)


# --- refusal of bad files ------------------------------------------------------------------------------------

BAD_LINES = {
    "bad json": '{"node":"Area","id":"z1","props":{"level":"compound",',
    "unknown label": '{"node":"Compound","id":"z2","props":{}}',
    "unknown property": '{"node":"Area","id":"z3","props":{"level":"building","name":"3号楼","colour":"red"}}',
    "bad enum": '{"node":"Organization","id":"z4","props":{"kind":"party_cell","name":"x"}}',
    "bad date": '{"node":"Project","id":"z5","props":{"kind":"volunteer","name":"x","created":"2024-02-30"}}',
    "end before start": (
        '{"rel":"MEMBER_OF","id":"z6","from":"p4","to":"o-cc",'
        '"props":{"post":"member","start_date":"2024-05-01","end_date":"2024-01-01"}}'
    ),
    "missing endpoint": '{"rel":"RESIDES_IN","from":"p-nobody","to":"hz-md-xc-dy-g1-b2","props":{}}',
    "pairing to a branch": '{"rel":"PAIRED_WITH","from":"o-upo1","to":"o-br1","props":{"start_date":"2024-01-01"}}',
    "second compound": '{"rel":"PART_OF","from":"hz-md-xc-dy-g1-b2","to":"hz-md-xc-dy-g2","props":{}}',
}


def test_a_bad_file_is_refused_whole_with_every_problem(city):
    good = [
        '{"node":"Area","id":"hz-md-xc-dy-g1-b9","props":{"level":"building","name":"9号楼"}}',
        '{"rel":"PART_OF","from":"hz-md-xc-dy-g1-b9","to":"hz-md-xc-dy-g1","props":{}}',
    ]
    lines = good + list(BAD_LINES.values())
    before, version = export_text(city), city.write_version()
    with pytest.raises(ValidationError) as caught:
        import_lines(city, lines)
    problems = caught.value.problems
    by_line = {p.line: p for p in problems}
    expected = {
        3: ("line", None),
        4: ("node", "Compound"),
        5: ("props.colour", "red"),
        6: ("props.kind", "party_cell"),
        7: ("props.created", "2024-02-30"),
        8: ("props.end_date", "2024-01-01"),
        9: ("from", "p-nobody"),
        10: ("to", "compound_branch"),
        11: ("from", "hz-md-xc-dy-g1-b2"),
    }
    assert set(by_line) == set(expected), [str(p) for p in problems]
    for number, (field, value) in expected.items():
        assert by_line[number].field == field
        if value is not None:
            assert by_line[number].value == value
    assert "a building in exactly one compound" in by_line[11].message
    assert "already lies in 'hz-md-xc-dy-g1'" in by_line[11].message  # the parent it has (in the store)
    assert [p.line for p in problems] == sorted(p.line for p in problems)  # type: ignore[type-var]
    assert city.write_version() == version
    assert export_text(city) == before


def test_an_empty_store_refuses_a_bad_file_and_stays_empty(store, city_lines):
    with pytest.raises(ValidationError):
        import_lines(store, [*city_lines, BAD_LINES["unknown property"]])
    assert list(export_records(store)) == []


def test_a_building_in_two_compounds_within_one_file_is_refused(store, city_lines):
    extra = '{"rel":"PART_OF","from":"hz-md-xc-dy-g1-b1","to":"hz-md-xc-dy-g2","props":{}}'
    with pytest.raises(ValidationError) as caught:
        import_lines(store, [*city_lines, extra])
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2  # both PART_OF lines of that building are named
    assert all("exactly one compound" in m for m in messages)


def test_conflicting_duplicates_are_refused(store, city_lines):
    node = '{"node":"Person","id":"p1","props":{"name":"张伟伟"}}'
    with pytest.raises(ValidationError) as caught:
        import_lines(store, [*city_lines, node])
    [problem] = caught.value.problems
    first = next(n for n, t in enumerate(city_lines, 1) if '"id":"p1",' in t)
    assert (problem.line, problem.field, problem.value) == (len(city_lines) + 1, "id", "p1")
    assert f"also on line {first}, with different content" in problem.message


def test_a_relationship_id_already_used_between_other_nodes_is_refused(city):
    reused = '{"rel":"MEMBER_OF","id":"m-p1-cc-sec","from":"p4","to":"o-cc","props":{"post":"member"}}'
    with pytest.raises(ValidationError) as caught:
        import_lines(city, [reused])
    [problem] = caught.value.problems
    assert (problem.line, problem.field, problem.value) == (1, "id", "m-p1-cc-sec")
    assert "already the id of a MEMBER_OF from Person 'p1'" in problem.message


def test_rule_checks_use_endpoints_from_the_store(city):
    # An owners' committee has no secretary; o-oc1 is only in the store, not in this file.
    line = '{"rel":"MEMBER_OF","id":"m-x","from":"p4","to":"o-oc1","props":{"post":"secretary"}}'
    with pytest.raises(ValidationError) as caught:
        import_lines(city, [line])
    assert [(p.field, p.value) for p in caught.value.problems] == [("post", "secretary")]


def test_the_level_of_a_stored_area_cannot_change_by_import(city, city_lines):
    lines = replace_line(city_lines, '"id":"hz-md-xc-dy-g2-b1"', level="compound")
    with pytest.raises(ValidationError) as caught:
        import_lines(city, lines)
    assert "props.level" in [p.field for p in caught.value.problems]


# --- the bulk path's undo -------------------------------------------------------------------------------------


class FailingStore(LadybugStore):
    """The real store, made to fail when a bulk load reaches relationship type ``fail_on`` (earlier tables are
    already copied by then)."""

    fail_on = "CLAIMED"

    def bulk_load(self, load: Callable[[BulkLoader], T], *, expected_version: int | None = None) -> T:
        def failing(loader: BulkLoader) -> T:
            return load(_FailingLoader(loader, self.fail_on))

        return super().bulk_load(failing, expected_version=expected_version)


class _FailingLoader:
    def __init__(self, loader: BulkLoader, fail_on: str) -> None:
        self.loader = loader
        self.fail_on = fail_on

    def nodes(self, label: str, table: pa.Table) -> None:
        self.loader.nodes(label, table)

    def rels(self, rel_type: str, from_label: str, to_label: str, table: pa.Table) -> None:
        if rel_type == self.fail_on:
            raise StoreError("disk full (injected)")
        self.loader.rels(rel_type, from_label, to_label, table)


def test_a_failing_bulk_load_leaves_an_empty_store_empty(tmp_path, city_lines):
    with FailingStore(tmp_path / "failing.lbdb") as failing:
        failing.ensure_schema()
        with pytest.raises(StoreError, match="removed"):
            import_lines(failing, city_lines)
        assert list(export_records(failing)) == []
        failing.fail_on = ""
        assert import_lines(failing, city_lines).method == "bulk"
        assert len(list(export_records(failing))) == len(city_lines)


def test_a_failing_bulk_load_into_a_filled_store_removes_only_its_own_records(tmp_path, city_lines):
    with FailingStore(tmp_path / "failing.lbdb") as failing:
        failing.ensure_schema()
        failing.fail_on = ""
        import_lines(failing, city_lines)
        before, version = export_text(failing), failing.write_version()
        new = [
            '{"node":"Person","id":"p7","props":{"name":"孙丽"}}',
            '{"node":"Project","id":"pr7","props":{"kind":"volunteer","name":"义剪"}}',
            # Between two nodes that were already there: undone by id, not by deleting a node.
            '{"rel":"RESIDES_IN","from":"p4","to":"hz-md-xc-dy-g1-b2","props":{}}',
            '{"rel":"RESIDES_IN","from":"p7","to":"hz-md-xc-dy-g1-b2","props":{}}',
            '{"rel":"CLAIMED","from":"p7","to":"pr7","props":{}}',
        ]
        failing.fail_on = "CLAIMED"
        with pytest.raises(StoreError):
            import_lines(failing, new)
        assert export_text(failing) == before
        assert failing.write_version() > version  # it did write, and undid it
        failing.fail_on = ""
        report = import_lines(failing, new)
        assert report.method == "bulk"
        assert report.totals().created == 5


# --- the commands --------------------------------------------------------------------------------------------


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_SERVICE_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.skipif(not CLI.exists(), reason=f"console script not installed at {CLI} (pip install -e .)")
def test_cli_import_export_and_refusal(tmp_path):
    done = run_cli(tmp_path, "import", str(FIXTURE))
    assert done.returncode == 0, done.stderr
    assert "96 records" in done.stdout
    assert "bulk load" in done.stdout

    again = run_cli(tmp_path, "import", str(FIXTURE))
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout

    out = tmp_path / "export.ndjson"
    exported = run_cli(tmp_path, "export", str(out))
    assert exported.returncode == 0, exported.stderr
    assert f"exported {len(read_lines(FIXTURE))} records" in exported.stderr
    to_stdout = run_cli(tmp_path, "export", "-")
    assert to_stdout.returncode == 0
    assert to_stdout.stdout == out.read_text(encoding="utf-8")

    bad = tmp_path / "bad.ndjson"
    bad.write_text("\n".join([BAD_LINES["bad enum"], BAD_LINES["missing endpoint"]]) + "\n", encoding="utf-8")
    refused = run_cli(tmp_path, "import", str(bad))
    assert refused.returncode == 1
    assert "line 1: props.kind" in refused.stderr
    assert "'party_cell'" in refused.stderr
    assert "line 2: from" in refused.stderr
    assert "nothing was written" in refused.stderr
    assert run_cli(tmp_path, "export", "-").stdout == out.read_text(encoding="utf-8")


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "latin1.ndjson"
    path.write_bytes(b'{"node":"Person","id":"p1","props":{"name":"a"}}\n\n{"node":"Person","id":"p2","props":{"name":"\xe9"}}\n')
    with pytest.raises(ValidationError) as caught:
        read_file(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (3, "line")
    assert "UTF-8" in problem.message


def test_a_byte_order_mark_is_ignored_and_a_whole_file_takes_the_fast_lane(store, tmp_path):
    exported = tmp_path / "export.ndjson"
    with LadybugStore(tmp_path / "source.lbdb") as source:
        source.ensure_schema()
        import_lines(source, read_lines(FIXTURE))
        exported.write_bytes(b"\xef\xbb\xbf" + export_text(source).encode())
    report = import_lines(store, read_file(exported))
    assert (report.method, report.checked_by, report.records) == ("bulk", "columnar", len(read_lines(FIXTURE)))


@pytest.mark.parametrize("lines", [[], ["", "   "]])
def test_an_empty_file_changes_nothing(store, lines):
    version = store.write_version()
    report = import_lines(store, lines)
    assert (report.method, report.records, report.changed) == ("none", 0, False)
    assert store.write_version() == version


# --- concurrent writers --------------------------------------------------------------------------------------


class BusyStore(LadybugStore):
    """The real store, with another writer committing a change whenever ``trigger`` is read (``times`` times)."""

    trigger = "export_rels"
    times = 0

    def read_arrow(self, query, params=None, /, **names):
        if query == self.trigger and self.times:
            self.times -= 1
            n = self.write_version()
            self.write("import_upsert_project", {"rows": project_rows(f"busy{n}")})
        return super().read_arrow(query, params, **names)


def project_rows(project_id: str) -> pa.Table:
    return pa.table(
        {
            "id": [project_id],
            "kind": ["volunteer"],
            "name": ["并发写入"],
            "need": pa.nulls(1, pa.string()),
            "created": pa.nulls(1, pa.date32()),
            "name_key": [natural_key("并发写入")],  # the import derives it (store/derived.py); this writer too
        }
    )


def test_export_rereads_when_a_write_lands_meanwhile_and_gives_up_if_writes_never_pause(tmp_path, city_lines):
    with BusyStore(tmp_path / "busy.lbdb") as busy:
        busy.ensure_schema()
        import_lines(busy, city_lines)
        busy.times = 1  # one write during the first read: the second read is clean and sees it
        lines = list(export_records(busy))
        assert sum('"node":"Project"' in line for line in lines) == 3
        assert any('"id":"busy' in line for line in lines)
        busy.times = 10**6
        with pytest.raises(ConflictError, match="kept changing"):
            list(export_records(busy))


def test_an_import_whose_store_changed_during_the_checks_writes_nothing(tmp_path, city_lines):
    with BusyStore(tmp_path / "busy.lbdb") as busy:
        busy.ensure_schema()
        import_lines(busy, city_lines)
        busy.trigger, busy.times = "import_lookup_nodes", 1
        lines = replace_line(city_lines, '"id":"pr2"', need="税法宣传")
        with pytest.raises(ConflictError, match="changed while the file was being checked"):
            import_lines(busy, lines)
        assert '"need":"税法宣传"' not in export_text(busy)
        assert import_lines(busy, lines).nodes["Project"].updated == 1
