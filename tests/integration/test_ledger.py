"""The dual check-in ledger (双报到台账) and table downloads over a real HTTP server on a real embedded store.

Ledgers are built here with openpyxl as an office's spreadsheet would be, sent as the body, and their effect read
back through the public GraphQL API (registrations, ``registrationChanges``, ``auditLog``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from graph_service.domain.ledger import MAX_ROWS

from .conftest import City, LiveServer, start_live_server
from .ledger_sheet import HEADERS, ledger

GOOD_ROWS: list[list[Any]] = [
    [1, "单位", "unit1-po", "驻区单位1党支部", "d1s1m1-cc", "d1s1m1社区党委", date(2025, 3, 1), None, "ledger-reg-1"],
    [2, "党员", "member1", "在职党员1", "d2s1m1-cc", None, "2025-04-01", None, None],
    [3, "单位", "unit2-po", None, "d1s1m2-cc", None, date(2024, 1, 1), date(2024, 12, 31), None],
]
REGISTRATIONS = """query($registrant: String!) {
  registrations(filter: {registrantId: $registrant}, first: 50) {
    totalCount edges { node { domainId startDate endDate communityOrganization { domainId } } }
  }
}"""
FEED = "query($since: String) { registrationChanges(since: $since, first: 1000) { cursor events { action entityId } } }"
AUDIT = "query($id: ID!) { auditLog(entityId: $id) { nodes { actor action entityType } } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, small_city: City) -> Iterator[LiveServer]:
    """One writable server for this module, stopped at its end: each open store reserves terabytes of address
    space, so a test process keeps few open. Tests here write disjoint registrations, in any order."""
    path = tmp_path_factory.mktemp("ledger") / "graph.lbdb"
    live, running = start_live_server(path, small_city.records, max_ledger_bytes=200_000)
    yield live
    running.stop()


def upload(server: LiveServer, body: bytes, role: str | None = "editor", dry_run: bool = False) -> httpx.Response:
    headers = server.headers(role, accept=None)
    params = {"dryRun": "true"} if dry_run else {}
    return httpx.post(f"{server.base_url}/ledger/registrations", content=body, headers=headers, params=params, timeout=60)


def cursor(server: LiveServer) -> str:
    return str(server.data(FEED, {"since": None})["registrationChanges"]["cursor"])


def events_since(server: LiveServer, since: str) -> list[dict[str, Any]]:
    return list(server.data(FEED, {"since": since})["registrationChanges"]["events"])


def registrations_of(server: LiveServer, registrant: str) -> list[dict[str, Any]]:
    found = server.data(REGISTRATIONS, {"registrant": registrant})["registrations"]
    return [edge["node"] for edge in found["edges"]]


def errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    return [error["extensions"] | {"message": error["message"]} for error in response.json()["errors"]]


# --- the template -------------------------------------------------------------------------------------------------


def test_the_template_downloads_without_a_key_with_its_headers_notes_and_type_choices(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.base_url}/ledger/template.xlsx", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "filename*=UTF-8''%E5%8F%8C%E6%8A%A5%E5%88%B0" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["双报到台账", "填写说明"]
    sheet = book["双报到台账"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet["B2"].value == "单位"  # the example row
    [choices] = sheet.data_validations.dataValidation
    assert choices.formula1 == '"单位,党员"' and str(choices.sqref).startswith("B2:")
    notes = [[c.value for c in row] for row in book["填写说明"].iter_rows(min_row=2)]
    assert {row[0] for row in notes} >= set(HEADERS)
    assert any(row[:2] == ["报到日期", "是"] for row in notes)


# --- a good ledger lands -----------------------------------------------------------------------------------------


def test_a_good_ledger_is_written_through_the_api_write_path(server: LiveServer) -> None:
    since = cursor(server)
    before = {r["domainId"] for r in registrations_of(server, "unit1-po")}
    dry = upload(server, ledger(GOOD_ROWS), dry_run=True)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"written": 3, "rows": 3, "dryRun": True, "sheet": "双报到台账"}
    assert events_since(server, since) == []  # a dry run keeps nothing

    answer = upload(server, ledger(GOOD_ROWS))
    assert answer.status_code == 200, answer.text
    assert answer.json()["written"] == 3 and answer.json()["dryRun"] is False

    unit = {r["domainId"]: r for r in registrations_of(server, "unit1-po")}
    assert set(unit) - before == {"ledger-reg-1"}
    assert unit["ledger-reg-1"]["startDate"] == "2025-03-01"
    assert unit["ledger-reg-1"]["communityOrganization"]["domainId"] == "d1s1m1-cc"
    member = [r for r in registrations_of(server, "member1") if r["communityOrganization"]["domainId"] == "d2s1m1-cc"]
    assert [r["startDate"] for r in member] == ["2025-04-01"]
    ended = [r for r in registrations_of(server, "unit2-po") if r["communityOrganization"]["domainId"] == "d1s1m2-cc"]
    assert [(r["startDate"], r["endDate"]) for r in ended] == [("2024-01-01", "2024-12-31")]

    new = events_since(server, since)
    assert [e["action"] for e in new] == ["CREATE"] * 3
    assert "ledger-reg-1" in {e["entityId"] for e in new}
    log = server.data(AUDIT, {"id": "ledger-reg-1"})["auditLog"]["nodes"]
    editor_id = server.keys["editor"]  # the configured key's id is its role: key:<id>(editor)
    assert [(e["action"], e["entityType"]) for e in log] == [("CREATE", "REGISTERED_WITH")]
    assert log[0]["actor"].endswith("(editor)") and editor_id not in log[0]["actor"]

    # The same ledger again: every row now clashes with the registration it made, and is named.
    again = errors(upload(server, ledger(GOOD_ROWS)))
    assert {e["row"] for e in again} == {2, 3, 4}


# --- a bad ledger is refused whole ---------------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_ledger_naming_its_row_and_column(server: LiveServer) -> None:
    since = cursor(server)
    # Rows 2 and 3 would pass; row 4 of the sheet: a person who is not a Party member cannot check in.
    rows = [
        [1, "单位", "unit3-po", None, "d1s1m1-cc", None, date(2025, 3, 1), None, "bad-ledger-1"],
        [2, "党员", "member0", None, "d2s2m1-cc", None, date(2025, 3, 1), None, None],
        [3, "党员", "deputy0", None, "d1s1m2-cc", None, date(2025, 5, 1), None, None],
    ]
    for dry_run in (True, False):
        [error] = errors(upload(server, ledger(rows), dry_run=dry_run))
        assert (error["row"], error["column"], error["value"]) == (4, "报到单位/党员编号", "deputy0")
        assert "Party members" in error["problem"] and error["message"].startswith("row 4, 报到单位/党员编号:")
        assert error["code"] == "BAD_USER_INPUT"
    assert events_since(server, since) == []
    assert "bad-ledger-1" not in {r["domainId"] for r in registrations_of(server, "unit3-po")}
    assert "d2s2m1-cc" not in {r["communityOrganization"]["domainId"] for r in registrations_of(server, "member0")}


def test_every_bad_cell_is_named_with_its_row_column_and_value(server: LiveServer) -> None:
    rows = [
        [1, "社区", "unit1-po", None, "d1s1m1-cc", None, date(2025, 3, 1), None, None],  # unknown type
        [2, "单位", "unit1-po", "别的单位", "d1s1m1-cc", None, date(2025, 3, 1), None, None],  # wrong name
        [3, "单位", "no-such-org", None, "d1s1m1-cc", None, "2025-02-30", None, None],  # bad date
        [4, "党员", "member2", None, "d1s1m1", None, date(2025, 3, 1), None, None],  # an area, not its committee
        [5, "单位", "unit0-po", None, "d1s1m1-cc", None, date(2025, 3, 1), None, None],  # already registered
        [6, "单位", "unit3-po", None, "d2s2m2-cc", None, date(2025, 3, 1), date(2025, 1, 1), None],  # ends first
        [7, "单位", None, None, "d2s2m2-cc", None, None, None, None],  # required cells empty
    ]
    found = {(e["row"], e["column"]): e for e in errors(upload(server, ledger(rows)))}
    assert found[(2, "报到类型")]["value"] == "社区"
    assert found[(4, "报到日期")]["value"] == "2025-02-30"
    assert found[(8, "报到单位/党员编号")]["problem"] == "is required"
    assert found[(8, "报到日期")]["problem"] == "is required"
    assert found[(7, "结束日期")]["value"] == "2025-01-01" and "start_date" in found[(7, "结束日期")]["problem"]
    # What a sheet says on its own is checked first; the rows are checked against the store once it all reads.
    assert set(found) == {(2, "报到类型"), (4, "报到日期"), (7, "结束日期"), (8, "报到单位/党员编号"), (8, "报到日期")}

    mistyped = [8, "单位", "member1", None, "d2s2m2-cc", None, date(2025, 3, 1), None, None]  # a person's id
    readable = [*rows[1:2], *rows[3:5], mistyped]
    found = {(e["row"], e["column"]): e for e in errors(upload(server, ledger(readable)))}
    wrong_name = found[(2, "报到单位/党员名称")]
    assert wrong_name["value"] == "别的单位" and "驻区单位1党支部" in wrong_name["problem"]
    assert found[(3, "社区党组织编号")]["value"] == "d1s1m1"
    overlap = found[(4, "报到日期")]  # a second live registration of the same pair
    assert overlap["value"] == "2025-03-01" and "overlaps a registration" in overlap["problem"]
    wrong_kind = found[(5, "报到单位/党员编号")]
    assert wrong_kind["value"] == "member1" and "报到类型 单位 names Organization ids" in wrong_kind["problem"]
    assert len(found) == 4


def test_headers_are_checked_before_any_row(server: LiveServer) -> None:
    headers = [h if h != "报到日期" else "报到日起" for h in HEADERS]
    found = {(e["row"], e["column"]) for e in errors(upload(server, ledger(GOOD_ROWS, headers)))}
    assert found == {(1, "报到日起"), (1, "报到日期")}  # the unknown header, and the required one it replaced


# --- hostile files -----------------------------------------------------------------------------------------------


def test_a_body_that_is_not_a_workbook_is_refused_in_words(server: LiveServer) -> None:
    for body, words in (
        (b"", "empty"),
        (b"\xff\xfe not a zip at all", "not an .xlsx workbook"),
        ("序号,报到类型\n1,单位\n".encode(), "not an .xlsx workbook"),
        (_zip({"readme.txt": b"hello"}), "no worksheets"),
    ):
        [error] = errors(upload(server, body))
        assert words in error["message"] and error["row"] is None


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory(server: LiveServer) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(40):  # 40 MB of zeros, some forty KB compressed
                part.write(block)
    body = out.getvalue()
    assert len(body) < 200_000
    [error] = errors(upload(server, body))
    assert "decompress" in error["message"] and "zip bomb" in error["message"]


def test_too_many_rows_are_refused(server: LiveServer) -> None:
    rows = [[n, "单位", "unit1-po", None, "d1s1m1-cc", None, "2025-03-01", None, None] for n in range(MAX_ROWS + 1)]
    [error] = errors(upload(server, ledger(rows)))
    assert f"more than {MAX_ROWS} rows" in error["message"]


def test_formula_cells_are_refused_not_evaluated(server: LiveServer) -> None:
    rows = [[1, "单位", "unit1-po", None, "d1s1m1-cc", None, "=TODAY()", None, None]]
    [error] = errors(upload(server, ledger(rows)))
    assert (error["row"], error["column"], error["value"]) == (2, "报到日期", "=TODAY()")
    assert "formula" in error["problem"]


def test_an_oversize_body_is_refused_before_it_is_read(server: LiveServer) -> None:
    response = upload(server, b"PK" + b"\0" * 300_000)
    assert response.status_code == 413
    assert "GRAPH_SERVICE_MAX_LEDGER_BYTES" in response.json()["errors"][0]["message"]


def test_only_roles_that_may_write_upload(server: LiveServer) -> None:
    for role, status in ((None, 401), ("viewer", 403), ("analyst", 403), ("integration", 403)):
        assert upload(server, ledger(GOOD_ROWS), role=role).status_code == status
    fresh = [[1, "单位", "unit3-po", None, "d1s2m2-cc", None, date(2025, 3, 1), None, None]]
    assert upload(server, ledger(fresh), role="editor", dry_run=True).status_code == 200
    assert upload(server, ledger(fresh), role="admin", dry_run=True).status_code == 200


# --- tables out ----------------------------------------------------------------------------------------------------


def post_table(server: LiveServer, body: Any, role: str | None = "viewer") -> httpx.Response:
    # json.dumps escapes what UTF-8 cannot carry (a lone surrogate), as a browser's JSON.stringify does.
    content = json.dumps(body).encode()
    headers = {**server.headers(role, accept=None), "Content-Type": "application/json"}
    return httpx.post(f"{server.base_url}/tables/xlsx", content=content, headers=headers, timeout=30)


def test_a_table_round_trips_with_chinese_headers_and_text_never_a_formula(live_server: LiveServer) -> None:
    rows = [
        ["牡丹区", 12, 0.5, True, None],
        ['=HYPERLINK("http://x","y")', -3, 1e3, False, "+86 139"],
        ["@SUM(A1)", 0, 0.0, None, "-1+1"],
    ]
    body = {"filename": "覆盖率 清单", "sheet": "社区", "columns": ["名称", "数量", "比例", "达标", "备注"], "rows": rows}
    response = post_table(live_server, body)
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''%E8%A6%86%E7%9B%96%E7%8E%87%20%E6%B8%85%E5%8D%95.xlsx" in disposition
    assert disposition.startswith('attachment; filename="')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["社区"]
    assert [c.value for c in sheet[1]] == body["columns"] and all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == rows
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet.column_dimensions["A"].width >= 8


def test_a_bad_table_is_refused_naming_the_field(live_server: LiveServer) -> None:
    good = {"filename": "a", "sheet": "s", "columns": ["x", "y"], "rows": [[1, 2]]}
    for change, field in (
        ({"rows": [[1, 2], [1]]}, "rows[1]"),
        ({"rows": [[1, {"a": 1}]]}, "rows[0][1]"),
        ({"columns": []}, "columns"),
        ({"sheet": "a/b"}, "sheet"),
        ({"filename": "../etc/passwd"}, "filename"),
        ({"rows": [["x" * 40000, 1]]}, "rows[0][0]"),
        ({"colour": "red"}, "colour"),
        ({"rows": [["a\x00b", 1]]}, "rows[0][0]"),  # XML cannot carry it: refused, not a 500
        ({"rows": [[1, "\ud800"]]}, "rows[0][1]"),
        ({"columns": ["x", "\x0b"]}, "columns[1]"),
    ):
        response = post_table(live_server, {**good, **change})
        assert response.status_code == 400, (change, response.text)
        assert field in {e["extensions"]["field"] for e in response.json()["errors"]}, response.text
    nan = httpx.post(
        f"{live_server.base_url}/tables/xlsx",
        content=b'{"columns": ["x"], "rows": [[NaN]]}',
        headers=live_server.headers("viewer", accept=None),
        timeout=30,
    )
    assert nan.status_code == 400 and "NaN" in nan.text
    assert post_table(live_server, good, role=None).status_code == 401
