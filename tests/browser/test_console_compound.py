"""View 2, a compound, in a real browser over the small city: its chain drawn, its buildings with and without a
group or leader as the API has them, its gaps, committees, cross-appointments and its community's pairings and
check-ins; names only for roles that may read them; at most 3 GraphQL requests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.console_pages import api, sign_in, stats, wait_rendered
from tests.browser.test_console_coverage import cells, number
from tests.integration.conftest import LiveServer

COMPOUND = "d1s1m1c1"  # 幸福00小区: branch, owners' committee, a mature cross-appointment, building 2 without a group
FACTS = """query($id: String!) {
  area(id: $id) { children(first: 500) { nodes { domainId name coveredBy { domainId } } } }
  coverage(areaId: $id) { gaps { code compounds } }
  groups: organizations(kind: BUILDING_GROUP, areaId: $id, first: 500) { totalCount }
  households: organizations(kind: CENTRAL_HOUSEHOLD, areaId: $id, first: 500) { totalCount }
  leaders: people(filter: { post: BUILDING_LEADER, areaId: $id }, first: 500) { nodes { name residesIn { domainId } } }
  everyone: people(filter: { areaId: $id }, first: 500) { nodes { name } }
  crossAppointments(areaId: $id) { nodes { person { name } } }
}"""


def test_the_compound_page_shows_the_apis_buildings_gaps_and_chain(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "analyst", f"/console/compound/{COMPOUND}")
    wait_rendered(page, "compound")
    assert stats(page)["requests"] <= 3
    facts = api(browser_server, "analyst", FACTS, {"id": COMPOUND})
    expect(page.get_by_role("heading", level=1)).to_contain_text("幸福00小区")

    buildings = cells(page, "#gs-buildings")
    api_buildings = facts["area"]["children"]["nodes"]
    assert set(buildings) == {b["domainId"] for b in api_buildings}
    led = {p["residesIn"]["domainId"] for p in facts["leaders"]["nodes"] if p["residesIn"]}
    for building in api_buildings:
        row = buildings[building["domainId"]]
        assert number(row["groups"]) == len(building["coveredBy"]), building
        assert (number(row["leaders"]) > 0) == (building["domainId"] in led), building
    assert number(buildings[f"{COMPOUND}b2"]["groups"]) == 0  # the small city leaves building 2 without a group

    gaps = cells(page, "#gs-compound-gaps")
    assert {code: number(row["compounds"]) for code, row in gaps.items()} == {
        g["code"]: g["compounds"] for g in facts["coverage"]["gaps"]
    }
    # The chain: street committee, community committee, branch, then every building group and central household.
    chain = page.locator("#gs-chain")
    expected = 3 + facts["groups"]["totalCount"] + facts["households"]["totalCount"]
    expect(chain).to_have_attribute("data-nodes", str(expected))
    expect(chain).to_have_attribute("data-edges", str(expected - 1))
    # An analyst may read names: the cross-appointed secretary is named.
    cross_names = [c["person"]["name"] for c in facts["crossAppointments"]["nodes"]]
    assert cross_names
    for name in cross_names:
        expect(page.locator("#gs-cross")).to_contain_text(name)
    # Its community's pairings and check-ins are listed (whatever their number, the table says it).
    expect(page.locator("#gs-pairings .gs-count")).to_be_visible()


def test_a_viewer_sees_no_persons_name_on_the_compound_page(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", f"/console/compound/{COMPOUND}")
    wait_rendered(page, "compound")
    facts = api(browser_server, "analyst", FACTS, {"id": COMPOUND})
    names = {p["name"] for p in facts["everyone"]["nodes"] + facts["leaders"]["nodes"] if p["name"]}
    names |= {c["person"]["name"] for c in facts["crossAppointments"]["nodes"]}
    assert len(names) >= 3
    text = page.locator("body").inner_text()
    assert [n for n in names if n in text] == []
    assert page.locator("#gs-buildings th[data-key='leaderNames']").count() == 0
    # The numbers are there all the same.
    assert number(cells(page, "#gs-buildings")[f"{COMPOUND}b1"]["leaders"]) == 1


def test_a_compound_opens_from_the_coverage_page_and_speaks_english(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/coverage/d1s1m1")
    wait_rendered(page, "coverage")
    page.locator("#gs-children a", has_text="幸福00小区").click()
    expect(page).to_have_url(f"{browser_server.base_url}/console/compound/{COMPOUND}")
    wait_rendered(page, "compound")
    expect(page.get_by_role("heading", name="楼栋", exact=True)).to_be_visible()
    page.get_by_role("button", name="English").click()
    wait_rendered(page, "compound")
    expect(page.get_by_role("heading", name="Buildings", exact=True)).to_be_visible()


def test_an_area_that_is_not_a_compound_is_refused_clearly(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/compound/d1")
    page.wait_for_selector("#gs-view[data-failed='compound']")
    expect(page.get_by_role("alert")).to_contain_text("不是小区")
