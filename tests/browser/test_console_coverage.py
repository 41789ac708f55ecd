"""View 1, the coverage drill-down, in a real browser over the small city: the numbers on the page are the API's
answer to the same query, the drill-down follows real URLs with a breadcrumb back, scores only for roles that
may read analyses, at most 3 GraphQL requests per render, headings follow the language switch."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.console_pages import api, sign_in, stats, wait_rendered
from tests.integration.conftest import LiveServer

CHILDREN = """query($id: String!) { coverageChildren(areaId: $id) {
  area { domainId name } figures { code value minimum } gaps { code compounds } } }"""
HERE = "query($id: String!) { coverage(areaId: $id) { figures { code value published minimum } gaps { code compounds } } }"
SCORES = "query($id: ID!) { underCoveredCompounds(areaId: $id, first: 500) { edges { node { compoundId score } } } }"


ROW_IDS = "rows => rows.map(r => r.dataset.row)"


def cells(page: Page, table: str) -> dict[str, dict[str, str]]:
    """The cells of a table on the page: row id -> column key -> the cell's raw value (data-value)."""
    found: dict[str, dict[str, str]] = page.evaluate(
        """(selector) => {
            const out = {};
            for (const tr of document.querySelectorAll(selector + " tbody tr[data-row]")) {
                out[tr.dataset.row] = {};
                for (const td of tr.querySelectorAll("td[data-key]")) out[tr.dataset.row][td.dataset.key] = td.dataset.value;
            }
            return out;
        }""",
        table,
    )
    return found


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def same(page_value: str, api_value: Any) -> bool:
    value = number(page_value)
    return value is None if api_value is None else value is not None and abs(value - float(api_value)) < 1e-9


def test_the_city_page_shows_the_api_figures_of_the_city_and_of_each_district(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage")
    wait_rendered(page, "coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("菏泽市 · 组织体系覆盖情况")
    assert stats(page)["requests"] <= 3

    children = api(browser_server, "viewer", CHILDREN, {"id": "hz"})["coverageChildren"]
    shown = cells(page, "#gs-children")
    assert set(shown) == {c["area"]["domainId"] for c in children} == {"d1", "d2"}
    for child in children:
        row = shown[child["area"]["domainId"]]
        assert row["name"] == child["area"]["name"]
        compared = 0
        for figure in child["figures"]:
            if f"f_{figure['code']}" in row:
                assert same(row[f"f_{figure['code']}"], figure["value"]), (child["area"]["name"], figure)
                compared += 1
        for gap in child["gaps"]:
            assert same(row[f"g_{gap['code']}"], gap["compounds"]), (child["area"]["name"], gap)
        assert compared >= 20  # every figure the districts have (populations are blank below the city)
    # A viewer may not read analyses: no score column.
    assert page.locator("#gs-children th[data-key='score']").count() == 0

    here = api(browser_server, "viewer", HERE, {"id": "hz"})["coverage"]
    figures = cells(page, "#gs-figures")
    for figure in here["figures"]:
        assert same(figures[figure["code"]]["value"], figure["value"]), figure
        assert same(figures[figure["code"]]["published"], figure["published"]), figure
    assert any(f["published"] is not None for f in here["figures"])  # the city shows published figures
    gaps = cells(page, "#gs-gaps")
    assert {code: number(v["compounds"]) for code, v in gaps.items()} == {g["code"]: g["compounds"] for g in here["gaps"]}


def test_drilling_down_follows_urls_and_the_breadcrumb_leads_back(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage/hz")
    wait_rendered(page, "coverage")
    page.locator("#gs-children a", has_text="牡丹区").click()
    expect(page).to_have_url(f"{browser_server.base_url}/console/coverage/d1")
    wait_rendered(page, "coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("牡丹区 · 组织体系覆盖情况")
    assert stats(page)["requests"] <= 3
    page.locator("#gs-children a", has_text="牡丹第1街道").click()
    wait_rendered(page, "coverage")
    page.locator("#gs-children a", has_text="d1s1第1社区").click()
    wait_rendered(page, "coverage")
    expect(page).to_have_url(f"{browser_server.base_url}/console/coverage/d1s1m1")
    breadcrumb = page.locator(".gs-breadcrumb")
    expect(breadcrumb).to_contain_text("菏泽市")
    expect(breadcrumb).to_contain_text("牡丹第1街道")
    # A compound's name leads to its own page.
    assert page.locator("#gs-children a[href='/console/compound/d1s1m1c1']").count() == 1
    breadcrumb.get_by_role("link", name="菏泽市").click()
    wait_rendered(page, "coverage")
    expect(page).to_have_url(f"{browser_server.base_url}/console/coverage/hz")
    page.go_back()
    wait_rendered(page, "coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("d1s1第1社区 · 组织体系覆盖情况")


def test_staff_see_each_compounds_score_as_the_analysis_gives_it(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "analyst", "/console/coverage/d1s1m1")
    wait_rendered(page, "coverage")
    assert stats(page)["requests"] <= 3
    listed = {
        e["node"]["compoundId"]: e["node"]["score"]
        for e in api(browser_server, "analyst", SCORES, {"id": "d1s1m1"})["underCoveredCompounds"]["edges"]
    }
    shown = cells(page, "#gs-children")
    assert set(shown) == {"d1s1m1c1", "d1s1m1c2", "d1s1m1c3"}
    assert listed, "the small city plants gaps in this community"
    for compound, row in shown.items():
        # Compounds the analysis does not list have no gap: the full score.
        assert number(row["score"]) == listed.get(compound, 100.0), compound
    # Rows come lowest score first; the header turns the order round.
    scores = [number(shown[r]["score"]) for r in page.locator("#gs-children tbody tr").evaluate_all(ROW_IDS)]
    assert scores == sorted(scores)  # type: ignore[type-var]
    page.locator("#gs-children th[data-key='score'] button").click()
    expect(page.locator("#gs-children th[data-key='score']")).to_have_attribute("aria-sort", "descending")
    scores = [number(shown[r]["score"]) for r in page.locator("#gs-children tbody tr").evaluate_all(ROW_IDS)]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_the_language_switch_turns_the_headings_to_english(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage/d1")
    wait_rendered(page, "coverage")
    expect(page.get_by_role("heading", level=2).first).to_have_text("下级区域")
    page.get_by_role("button", name="English").click()
    wait_rendered(page, "coverage")
    expect(page.get_by_role("heading", level=1)).to_have_text("牡丹区 · Coverage of the organisational system")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Areas inside")
    expect(page.locator("#gs-children th[data-key='name'] button")).to_have_text(re.compile(r"^Name\b"))
