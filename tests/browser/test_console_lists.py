"""Lists go out: every console table downloads as CSV made in the browser (UTF-8 with BOM, Chinese headers, the
rows shown) and as XLSX through the service's POST /tables/xlsx, or says clearly that the service lacks it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.browser.console_pages import api, sign_in, wait_rendered
from tests.integration.conftest import LiveServer

GAPS = 'query { coverage(areaId: "d1") { gaps { label compounds } } }'


def test_a_table_downloads_as_csv_with_chinese_headers_and_the_apis_numbers(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage/d1")
    wait_rendered(page, "coverage")
    with page.expect_download() as download:
        page.locator("#gs-gaps").get_by_role("button", name="下载 CSV").click()
    assert download.value.suggested_filename == "覆盖缺口-牡丹区.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, so that Excel reads Chinese"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["缺口", "小区数"]
    gaps = api(browser_server, "viewer", GAPS)["coverage"]["gaps"]
    assert sorted((label, int(count)) for label, count in rows[1:]) == sorted((g["label"], g["compounds"]) for g in gaps)


def test_xlsx_comes_from_the_service_or_the_page_says_it_is_missing(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage/d1")
    wait_rendered(page, "coverage")
    probe = httpx.post(
        f"{browser_server.base_url}/tables/xlsx",
        json={"filename": "x.xlsx", "sheet": "x", "columns": ["a"], "rows": [[1]]},
        headers=browser_server.headers("viewer", accept=None),
    )
    button = page.locator("#gs-gaps").get_by_role("button", name="下载 XLSX")
    if probe.status_code == 404:
        button.click()
        expect(page.locator("#gs-gaps .gs-table-status")).to_contain_text("尚未提供 XLSX 导出")
    else:
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "覆盖缺口-牡丹区.xlsx"
        assert Path(download.value.path()).read_bytes()[:2] == b"PK", "an XLSX file is a zip archive"
