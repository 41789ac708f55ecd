"""The console's ledger page (/console/ledger) in a real browser over a real server of its own (it writes).

An editor uploads a ledger with one bad row and sees that row, its column and its value named and nothing
written; then a good ledger, checked first and then written, and sees the count. A viewer sees no upload.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageGuard
from tests.browser.console_pages import api, sign_in, wait_rendered
from tests.integration.conftest import LiveServer, build_small_city, start_live_server
from tests.integration.test_ledger import GOOD_ROWS, ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGISTRATIONS = '{ registrations(filter: {registrantId: "unit1-po"}) { edges { node { domainId } } } }'


@pytest.fixture(scope="module")
def ledger_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("ledger-browser") / "graph.lbdb"
    live, running = start_live_server(path, build_small_city().records)
    yield live
    running.stop()


@pytest.fixture
def page_guard(ledger_server: LiveServer) -> PageGuard:
    # The page's origin is this test's own server: anything else it asks for fails the test.
    return PageGuard(origin=ledger_server.base_url)


def choose(page: Page, body: bytes, name: str) -> None:
    page.set_input_files("#gs-ledger-file", files=[{"name": name, "mimeType": XLSX, "buffer": body}])


def registrations(server: LiveServer) -> set[str]:
    edges = api(server, "admin", REGISTRATIONS)["registrations"]["edges"]
    return {e["node"]["domainId"] for e in edges}


def test_an_editor_sees_a_bad_row_named_then_writes_a_good_ledger(page: Page, ledger_server: LiveServer, tmp_path: Path) -> None:
    before = registrations(ledger_server)
    sign_in(page, ledger_server, "editor", "/console/ledger")
    wait_rendered(page, "ledger")
    expect(page.locator("a.gs-ledger-template")).to_have_attribute("href", "/ledger/template.xlsx")

    bad_rows = [*GOOD_ROWS[:2], [3, "党员", "member2", None, "d1s1m2-cc", None, "2025-02-30", None, None]]
    choose(page, ledger(bad_rows), "坏台账.xlsx")
    page.get_by_role("button", name="检查（不写入）").click()
    status = page.locator(".gs-ledger-status")
    expect(status).to_contain_text("一条也未写入")
    cells = page.locator(".gs-ledger-errors tbody tr").first
    expect(cells.locator("td[data-key='row']")).to_have_attribute("data-value", "4")
    expect(cells.locator("td[data-key='column']")).to_have_text("报到日期")
    expect(cells.locator("td[data-key='value']")).to_have_text("2025-02-30")
    expect(page.get_by_role("button", name="写入", exact=True)).to_be_disabled()
    assert registrations(ledger_server) == before

    # The error list goes out as XLSX through POST /tables/xlsx, with its Chinese headers.
    with page.expect_download() as download:
        page.locator(".gs-ledger-errors").get_by_role("button", name="下载 XLSX").click()
    saved = tmp_path / "errors.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "双报到台账-错误.xlsx"
    sheet = load_workbook(saved)["错误"]
    assert [c.value for c in sheet[1]] == ["行", "列", "值", "问题"]
    assert [c.value for c in sheet[2]][:3] == [4, "报到日期", "2025-02-30"]

    choose(page, ledger(GOOD_ROWS), "台账.xlsx")
    page.get_by_role("button", name="检查（不写入）").click()
    expect(status).to_contain_text("3 行全部通过检查，尚未写入")
    expect(page.locator(".gs-ledger-errors tbody tr")).to_have_count(0)
    assert registrations(ledger_server) == before
    page.get_by_role("button", name="写入", exact=True).click()
    expect(status).to_have_attribute("data-written", "3")
    expect(status).to_contain_text("已写入 3 条双报到记录")
    assert registrations(ledger_server) - before == {"ledger-reg-1"}


def test_a_viewer_may_download_the_template_but_sees_no_upload(page: Page, ledger_server: LiveServer, tmp_path: Path) -> None:
    sign_in(page, ledger_server, "viewer", "/console/ledger")
    wait_rendered(page, "ledger")
    expect(page.locator("#gs-ledger-file")).to_have_count(0)
    expect(page.locator(".gs-note")).to_contain_text("不能导入台账")
    with page.expect_download() as download:
        page.locator("a.gs-ledger-template").click()
    saved = tmp_path / "template.xlsx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
