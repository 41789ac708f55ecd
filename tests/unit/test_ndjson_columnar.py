"""The import's columnar fast lane never accepts what the line-by-line reference path refuses, and when it
accepts, it loads exactly the records the reference path would (property-based, over mutations of the fixture)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.domain import enums
from graph_service.domain.records import NodeRecord, RelRecord, to_json_line
from graph_service.domain.schema import NODES, RELS
from graph_service.domain.validation import RULE_PROPS, check_post, check_rel_rules
from graph_service.services.ndjson_checks import StoreView, check_records
from graph_service.services.ndjson_columnar import ColumnarFile, check_columnar
from graph_service.services.ndjson_import import _parse, parse_line

FIXTURE = Path(__file__).resolve().parents[2] / "seeds" / "fixtures" / "small_city.ndjson"
BASE = [to_json_line(r) for n, t in enumerate(FIXTURE.read_text(encoding="utf-8").splitlines(), 1) if (r := parse_line(t, n)[0])]
IDS: dict[str, list[str]] = {}
for _line in BASE:
    _obj = json.loads(_line)
    if "node" in _obj:
        IDS.setdefault(_obj["node"], []).append(_obj["id"])

PROP_NAMES = sorted({p.name for spec in (*NODES.values(), *RELS.values()) for p in spec.props} | {"colour"})
ENUM_CODES = sorted(
    {m.value for e in vars(enums).values() if isinstance(e, type) and issubclass(e, enums.LabeledEnum) for m in e}
)
VALUES = st.one_of(
    st.sampled_from(ENUM_CODES),
    st.text(max_size=6),
    st.sampled_from(["", " ", "2024-02-30", "2024-1-02", "2023-12-31", "2025-01-01", "0000-01-01", "20240101"]),
    st.integers(min_value=-5, max_value=3000),
    st.sampled_from([2**63, -(2**63) - 1, 1900, 2101]),
    st.floats(min_value=-1, max_value=2, allow_nan=False),
    st.booleans(),
    st.lists(st.sampled_from(ENUM_CODES), max_size=3),
    st.lists(st.integers(), max_size=2),
    st.none(),
)


@st.composite
def mutated_files(draw: st.DrawFn) -> list[str]:
    lines = list(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        obj = json.loads(lines[index])
        action = draw(st.sampled_from(["set", "drop", "top", "endpoint", "delete", "duplicate", "copy", "reorder"]))
        if not isinstance(obj.get("props"), dict):
            obj["props"] = {}
        if action == "set":
            obj["props"][draw(st.sampled_from(PROP_NAMES))] = draw(VALUES)
        elif action == "drop" and obj["props"]:
            obj["props"].pop(draw(st.sampled_from(sorted(obj["props"]))))
        elif action == "top":
            key = draw(st.sampled_from(["id", "node", "rel", "from_label", "to_label", "props", "extra"]))
            obj[key] = draw(st.one_of(VALUES, st.sampled_from([*NODES, *RELS])))
        elif action == "endpoint" and "rel" in obj:
            end = draw(st.sampled_from(["from", "to"]))
            obj[end] = draw(st.sampled_from([*IDS.get(str(obj.get(f"{end}_label")), []), "nobody"]))
            if draw(st.booleans()):
                obj.pop("id", None)
        elif action == "delete":
            lines.pop(index)
            continue
        elif action == "duplicate":
            lines.append(lines[index])
            continue
        elif action == "reorder":  # keys in another order: the lane reads such lines against the whole catalogue
            obj = dict(draw(st.permutations(list(obj.items()))))
        elif action == "copy":
            obj["id"] = f"{obj.get('id')}-copy"
            lines.append(json.dumps(obj, ensure_ascii=False))
            continue
        lines[index] = json.dumps(obj, ensure_ascii=False)
    return lines


def reference(lines: list[str]) -> set[str] | None:
    """The records the line-by-line path accepts into an empty store, or None if it refuses the file."""
    parsed, problems = _parse(lines, None)
    problems += check_records(parsed, StoreView(True, {}, {}))
    if problems:
        return None
    records = [
        *(r for rs in parsed.nodes.values() for r in rs.values()),
        *(r for rs in parsed.rels.values() for r in rs.values()),
    ]
    return {to_json_line(r) for r in records}


def columnar_lines(columnar: ColumnarFile) -> set[str]:
    out = set()
    for label, table in columnar.nodes.items():
        for row in table.to_pylist():
            node_id = row.pop("id")
            out.add(to_json_line(NodeRecord(label, node_id, {k: v for k, v in row.items() if v is not None})))
    for (rel_type, from_label, to_label), table in columnar.rels.items():
        for row in table.to_pylist():
            from_id, to_id, rid = row.pop("from"), row.pop("to"), row.pop("id")
            props = {k: v for k, v in row.items() if v is not None}
            out.add(to_json_line(RelRecord(rel_type, rid, from_id, from_label, to_id, to_label, props)))
    return out


def data(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


def test_the_fast_lane_takes_a_clean_export_and_loads_the_same_records():
    columnar = check_columnar(data(BASE))
    assert columnar is not None
    assert columnar_lines(columnar) == reference(BASE) == set(BASE)
    assert isinstance(columnar.nodes["Project"].column("created").to_pylist()[0], date | None)


def _kind(line: str) -> str:
    obj = json.loads(line)
    return str(obj.get("node") or obj.get("rel"))


@pytest.mark.parametrize(
    ("ending", "last"), [(b"", [b"d"]), (b"\n", [b"d\n"]), (b"\r\n", [b"d\r\n"]), (b"\n\n", [b"d\n", b"\n"])]
)
def test_lines_keep_their_newlines_over_the_files_own_bytes(ending: bytes, last: list[bytes]) -> None:
    from graph_service.services.ndjson_columnar import _lines

    text = b"a\n\nbc\r\nd" + ending
    lines = _lines(text)
    assert lines.to_pylist() == [b"a\n", b"\n", b"bc\r\n", *last]
    assert lines.buffers()[2].address == pa.py_buffer(text).address  # the file's own bytes
    assert _lines(b"").to_pylist() == []


def test_a_kinds_lines_that_stand_together_are_read_in_place_and_others_gathered() -> None:
    from graph_service.services.ndjson_columnar import _lines, _text_of

    grouped = sorted(BASE, key=_kind)
    file = data(grouped)
    lines = _lines(file)
    kinds = pa.array([_kind(line) for line in grouped])
    whole = pa.py_buffer(file)
    for kind in ("Area", "PART_OF"):
        text = _text_of(lines, pc.equal(kinds, kind))
        assert text.to_pybytes().decode().splitlines() == [line for line in grouped if _kind(line) == kind]
        assert whole.address <= text.address < whole.address + whole.size  # the file's own bytes, no copy
    scattered = pc.or_(pc.equal(kinds, "Area"), pc.equal(kinds, "Person"))
    text = _text_of(lines, scattered)
    assert text.to_pybytes().decode().splitlines() == [line for line in grouped if _kind(line) in ("Area", "Person")]
    assert not whole.address <= text.address < whole.address + whole.size
    assert _text_of(lines, pc.equal(kinds, "nothing")).size == 0


@pytest.mark.parametrize("ending", [b"", b"\n", b"\n\n"])
def test_an_export_grouped_by_kind_loads_the_same_records(ending: bytes) -> None:
    columnar = check_columnar(data(sorted(BASE, key=_kind)) + ending)
    assert columnar is not None and columnar_lines(columnar) == set(BASE)


def test_kinds_whose_lines_are_apart_load_the_same_records() -> None:
    kinds = [_kind(line) for line in BASE]
    # Each kind's first line moved to the end: every kind of two lines or more no longer stands together.
    firsts = {kinds.index(kind) for kind in set(kinds)}
    moved = [line for i, line in enumerate(BASE) if i not in firsts] + [BASE[i] for i in sorted(firsts)]
    columnar = check_columnar(data(moved))
    assert columnar is not None and columnar_lines(columnar) == set(BASE)


def reordered(line: str) -> str:
    """The same record with its keys in reverse order (the label or type last)."""
    return json.dumps(dict(reversed(json.loads(line).items())), ensure_ascii=False)


def spaced(line: str) -> str:
    """The same record as Python's json.dumps writes it by default: a space after each comma and colon."""
    return json.dumps(json.loads(line), ensure_ascii=False)


@pytest.mark.parametrize("every", [1, 2, 7])
@pytest.mark.parametrize("rewrite", [reordered, spaced])
def test_lines_with_their_keys_in_another_order_or_spaced_load_the_same_records(every, rewrite):
    lines = [rewrite(line) if i % every == 0 else line for i, line in enumerate(BASE)]
    columnar = check_columnar(data(lines))
    assert columnar is not None
    assert columnar_lines(columnar) == set(BASE)


@pytest.mark.parametrize(
    "text",
    [
        '{"node":"PART_OF","id":"x","props":{}}',  # a relationship type under "node"
        '{"rel":"Area","id":"x","from":"a","to":"b","props":{}}',  # a label under "rel"
        '{"node":"Area","id":"x","rel":"PART_OF","props":{"level":"city","name":"x"}}',  # both keys
        '{"node":"Area","id":"x","from":"y","props":{"level":"city","name":"x"}}',  # an end on a node
        '{"node":"Area","id":"x","props":{"level":"city","name":"x","kind":"street_committee"}}',  # another's property
        '{"node":"Area","id":"x","props":{"level":"city","name":"x"},"extra":1}',  # a key no record has
    ],
)
@pytest.mark.parametrize("order", ["as written", "reordered", "spaced"])
def test_a_line_the_reference_path_refuses_is_deferred_in_either_key_order(text, order):
    line = {"as written": text, "reordered": reordered(text), "spaced": spaced(text)}[order]
    assert reference([*BASE, line]) is None
    assert check_columnar(data([*BASE, line])) is None


@pytest.mark.parametrize(
    "text",
    [
        '{"node":"Area","id":"x","props":{"level":"city","name":"x","code":null}}',  # explicit null: reference decides
        BASE[0],  # an identical duplicate: accepted by the reference path, deferred here
    ],
)
def test_the_fast_lane_defers_what_only_the_reference_path_can_tell(text):
    assert check_columnar(data([*BASE, text])) is None


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("prop", ["fee_collection_rate", "households", "mode"])
def test_non_finite_numbers_are_refused_by_both_paths(token, prop):
    """The fast lane does not scan for these tokens: Arrow reads them into float columns only, whose checks refuse
    them, and refuses them in any other column."""
    index = next(i for i, line in enumerate(BASE) if '"rel":"MANAGES"' in line)
    obj = json.loads(BASE[index])
    obj["props"].pop(prop, None)
    lines = [*BASE[:index], json.dumps(obj, ensure_ascii=False)[:-2] + f',"{prop}":{token}}}}}', *BASE[index + 1 :]]
    assert json.loads(lines[index])["props"][prop] is not None
    assert check_columnar(data(lines)) is None
    assert reference(lines) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files())
def test_the_fast_lane_never_accepts_more_than_the_reference_path(lines):
    columnar = check_columnar(data(lines))
    if columnar is not None:
        expected = reference(lines)
        assert expected is not None, "the fast lane accepted a file the reference path refuses"
        assert columnar_lines(columnar) == expected


class _Recorder(dict[str, Any]):
    def __init__(self, values: dict[str, Any], seen: set[str]) -> None:
        super().__init__(values)
        self.seen = seen

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)


def test_the_rules_read_only_the_rule_props_so_verdicts_can_be_shared():
    """Both import paths check a relationship rule once per combination of RULE_PROPS: that is only right while
    ``check_rel_rules`` and ``check_post`` read nothing else of an end."""
    seen: set[str] = set()
    kinds = [m.value for m in enums.OrgKind] + [None]
    levels = [m.value for m in enums.AreaLevel] + [None]
    for rel_type, spec in RELS.items():
        for from_label, to_label in spec.pairs:
            for kind in kinds:
                for level in levels:
                    ends = {"kind": kind, "level": level, "is_party_member": False, "name": "x", "founded": None}
                    source = _Recorder({**ends, "_label": from_label, "id": "a"}, seen)
                    target = _Recorder({**ends, "_label": to_label, "id": "b"}, seen)
                    check_rel_rules(rel_type, source, target)
                    for post in enums.Post:
                        check_post(post.value, target)
    assert seen <= {*RULE_PROPS, "_label", "id"}


def _tables(columnar: ColumnarFile) -> dict[object, pa.Table]:
    return {**columnar.nodes, **columnar.rels}


def test_one_reader_and_several_give_the_same_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_service.services import ndjson_columnar

    file = data(BASE)
    monkeypatch.setattr(ndjson_columnar, "READERS", 1)
    one = check_columnar(file)
    monkeypatch.setattr(ndjson_columnar, "READERS", 3)
    several = check_columnar(file)
    assert one is not None and several is not None
    assert list(_tables(one)) == list(_tables(several))  # the same labels and types, in the same order
    assert all(table.equals(_tables(several)[key]) for key, table in _tables(one).items())


def test_work_side_by_side_comes_back_in_order_and_runs_only_a_few_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from graph_service.services import ndjson_columnar

    monkeypatch.setattr(ndjson_columnar, "READERS", 2)
    started: list[int] = []
    lock = threading.Lock()

    def task(index: int) -> int:
        with lock:
            started.append(index)
        time.sleep(0.01 * (index % 3))  # later tasks finish first now and then
        return index * 10

    results = ndjson_columnar._side_by_side(partial_task(task, i) for i in range(12))
    first = next(results)
    time.sleep(0.05)  # what could start meanwhile has
    assert first == 0
    assert len(started) <= 3  # the one given and two ahead of it, not all twelve
    assert [first, *results] == [i * 10 for i in range(12)]


def test_a_task_refused_stops_the_work_queued_behind_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from graph_service.services import ndjson_columnar

    monkeypatch.setattr(ndjson_columnar, "READERS", 1)
    ran: list[int] = []
    release = threading.Event()

    def task(index: int) -> int:
        ran.append(index)
        if index == 0:
            release.wait(5)
            raise ValueError("refused")
        return index

    results = ndjson_columnar._side_by_side(partial_task(task, i) for i in range(6))
    release.set()
    with pytest.raises(ValueError, match="refused"):
        list(results)
    # The one refused, and at most the one queued beside it (the worker may take it before it is cancelled); the
    # other four were never even submitted.
    assert ran[0] == 0 and set(ran) <= {0, 1}


def partial_task(task: Any, index: int) -> Any:
    return lambda: task(index)
