"""The console's weak-organisation, community-network and pairing-recommendation views in a real browser, each
compared with the API's answer to the same query over HTTP (views 3, 4 and 5 of issue 9).

The views' server is this module's own (the accept test writes to it), over the small city of the HTTP tests
with two saved analysis runs, so the trend charts have points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from graph_service.analysis.projection import ProjectionCache
from graph_service.services.analyses import run_all
from tests.browser.conftest import PageGuard
from tests.browser.console_pages import api, sign_in, stats, wait_rendered
from tests.integration.conftest import LiveServer, build_small_city, start_live_server

WEAK = """query($area: ID, $kind: String, $factor: String, $priority: Boolean!) {
  weakOrganizations(areaId: $area, kind: $kind, factor: $factor, priorityOnly: $priority, first: 200) {
    totalCount nodes { orgId score priority factors { code label } } } }"""


@pytest.fixture(scope="module")
def views_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path: Path = tmp_path_factory.mktemp("console-views") / "graph.lbdb"
    live, running = start_live_server(path, build_small_city().records)
    projections = ProjectionCache(live.store)
    run_all(projections)
    run_all(projections)
    yield live
    running.stop()


@pytest.fixture
def guard(page_guard: PageGuard, views_server: LiveServer) -> PageGuard:
    page_guard.origin = views_server.base_url
    return page_guard


def cells(page: Page, table: str, key: str) -> list[str]:
    return page.locator(f"{table} tbody td[data-key='{key}']").evaluate_all("els => els.map(e => e.dataset.value)")


def drawn(page: Page, chart: str) -> list[float | None]:
    """The values the chart's first series draws (ECharts' own record of its option)."""
    values: list[float | None] = page.evaluate(
        """sel => window.echarts.getInstanceByDom(document.querySelector(sel)).getOption().series[0].data
                 .map(d => (d !== null && typeof d === 'object') ? d.value : d)""",
        chart,
    )
    return values


def test_weak_organisations_rank_and_trend_equal_the_api(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "analyst", "/console/weak")
    wait_rendered(page, "weak")
    answer = api(views_server, "analyst", WEAK, {"priority": False})["weakOrganizations"]
    assert answer["totalCount"] > 0
    table = ".gs-weak-table"
    assert cells(page, table, "orgId") == [n["orgId"] for n in answer["nodes"]]
    assert cells(page, table, "score") == [str(n["score"]).removesuffix(".0") for n in answer["nodes"]]
    expect(page.locator("[data-card='weak'] .gs-card-value")).to_have_text(str(answer["totalCount"]))
    cut = api(views_server, "analyst", WEAK, {"priority": True})["weakOrganizations"]["totalCount"]
    expect(page.locator("[data-card='priority'] .gs-card-value")).to_have_text(str(cut))
    runs = api(views_server, "analyst", "{ analysisRuns { nodes { id weak weakPriority } } }")["analysisRuns"]["nodes"]
    assert len(runs) == 2
    assert cells(page, "#gs-weak-runs", "id") == [r["id"] for r in runs]
    assert cells(page, "#gs-weak-runs", "weak") == [str(r["weak"]) for r in runs]
    assert drawn(page, "#gs-weak-area-chart") == [r["weak"] for r in reversed(runs)]
    assert stats(page)["requests"] <= 3

    # Open the first row: its factors and its own trend.
    first = answer["nodes"][0]
    page.locator(f"{table} tr[data-row='{first['orgId']}'] td[data-key='factorCount'] a").click()
    wait_rendered(page, "weak")
    assert f"org={first['orgId']}" in page.url
    detail = page.locator("#gs-weak-detail")
    assert cells(page, "#gs-weak-detail", "code") == [f["code"] for f in first["factors"]]
    expect(detail).to_contain_text(first["factors"][0]["label"])
    trend = api(
        views_server,
        "analyst",
        "query($o: ID!) { weaknessTrend(orgId: $o) { nodes { runId score } } }",
        {"o": first["orgId"]},
    )["weaknessTrend"]["nodes"]
    assert cells(page, "#gs-org-runs", "id") == [p["runId"] for p in trend]
    assert drawn(page, "#gs-weak-org-chart") == [p["score"] for p in reversed(trend)]
    assert stats(page)["requests"] <= 3


def test_weak_filters_live_in_the_url(page: Page, guard: PageGuard, views_server: LiveServer):
    path = "/console/weak/d1?kind=community_committee&factor=secretary_vacant&priority=1"
    sign_in(page, views_server, "analyst", path)
    wait_rendered(page, "weak")
    variables = {"area": "d1", "kind": "community_committee", "factor": "secretary_vacant", "priority": True}
    answer = api(views_server, "analyst", WEAK, variables)["weakOrganizations"]
    assert cells(page, ".gs-weak-table", "orgId") == [n["orgId"] for n in answer["nodes"]]
    expect(page.locator("#gs-weak-kind")).to_have_value("community_committee")
    expect(page.locator("#gs-weak-factor")).to_have_value("secretary_vacant")
    expect(page.locator("#gs-weak-priority")).to_be_checked()
    # No run was saved for the district: the page says how to get one.
    expect(page.locator("#gs-weak-no-runs")).to_contain_text("graph-service analyze --area d1")
    page.select_option("#gs-weak-kind", "")
    wait_rendered(page, "weak")
    assert "kind=" not in page.url and "factor=secretary_vacant" in page.url


def test_a_viewer_is_told_the_weak_list_is_for_analysts(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "viewer", "/console/weak")
    wait_rendered(page, "weak")
    expect(page.locator(".gs-note")).to_contain_text("分析人员")
    assert page.locator(".gs-weak-table").count() == 0
    assert stats(page)["requests"] == 0


NETWORK = """query($c: String!) {
  organizations(areaId: $c, first: 500) { totalCount }
  pairings(filter: {communityId: $c}, first: 200) { nodes { active } }
  registrations(filter: {communityId: $c}, first: 500) { nodes { active } }
  crossAppointments(areaId: $c, first: 200) { totalCount nodes { person { domainId } } }
}"""
SPOF = "query($c: ID!) { singlePointsOfFailure(areaId: $c, first: 100) { totalCount nodes { personId } } }"
COMMUNITY = "d1s1m1"


def card(page: Page, key: str) -> str | None:
    return page.locator(f"[data-card='{key}'] .gs-card-value").get_attribute("data-value")


def test_the_network_of_a_community_draws_what_the_api_answers(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "analyst", f"/console/network/{COMMUNITY}")
    wait_rendered(page, "network")
    answer = api(views_server, "analyst", NETWORK, {"c": COMMUNITY})
    spof = api(views_server, "analyst", SPOF, {"c": COMMUNITY})["singlePointsOfFailure"]
    assert card(page, "organizations") == str(answer["organizations"]["totalCount"])
    assert card(page, "pairings") == str(sum(p["active"] for p in answer["pairings"]["nodes"]))
    assert card(page, "registrations") == str(sum(r["active"] for r in answer["registrations"]["nodes"]))
    assert card(page, "crossAppointments") == str(answer["crossAppointments"]["totalCount"])
    assert card(page, "singlePointsOfFailure") == str(spof["totalCount"])
    assert spof["totalCount"] > 0 and answer["crossAppointments"]["totalCount"] > 0
    graph = page.locator("#gs-network-graph")
    assert set((graph.get_attribute("data-spof") or "").split()) == {n["personId"] for n in spof["nodes"]}
    assert int(graph.get_attribute("data-nodes") or 0) >= answer["organizations"]["totalCount"]
    assert graph.locator("canvas").count() > 0
    assert stats(page)["requests"] <= 3

    # Clicking a single point of failure on the canvas shows its details, with the name for a role that may read it.
    person = spof["nodes"][0]["personId"]
    name = api(views_server, "analyst", "query($p: String!) { person(id: $p) { name } }", {"p": person})["person"]["name"]
    at = page.evaluate("id => window.__consoleNetworkPosition(id)", person)
    page.mouse.click(at["x"], at["y"])
    detail = page.locator("#gs-network-detail")
    expect(detail.locator(f"[data-node='{person}']")).to_be_visible()
    expect(detail).to_contain_text("单点失效")
    expect(detail).to_contain_text(name)


def test_a_viewer_sees_no_name_on_the_network(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "viewer", f"/console/network/{COMMUNITY}")
    wait_rendered(page, "network")
    expect(page.locator(".gs-note").first).to_contain_text("个人信息")
    answer = api(views_server, "analyst", NETWORK, {"c": COMMUNITY})
    crossed = answer["crossAppointments"]["nodes"][0]["person"]["domainId"]
    page.evaluate("id => window.__consoleNetworkSelect(id)", crossed)
    expect(page.locator("#gs-network-detail")).to_contain_text(crossed)
    text = page.locator("body").inner_text()
    labels = page.evaluate("() => window.__consoleNetworkLabels()")
    names = [n.props["name"] for n in build_small_city().nodes("Person") if n.props.get("name")]
    assert names and not [n for n in names if n in text or n in " ".join(labels)]
    assert page.locator("[data-card='singlePointsOfFailure']").count() == 0


RECOMMENDATIONS = """{ pairingRecommendations(first: 200) {
  proposals { totalCount nodes { unitOrgId committeeId communityId reasons { code label value } } }
  unmet { communityId unmet reasonLabel } } }"""
PAIR = """mutation($u: ID!, $c: ID!) { createPairing(input: {unitOrgId: $u, communityOrgId: $c}) {
  pairing { domainId } errors { field message } } }"""


def test_an_editor_accepts_a_recommendation_and_finds_it_in_the_feed_and_audit_log(
    page: Page, guard: PageGuard, views_server: LiveServer
):
    sign_in(page, views_server, "editor", "/console/recommendations")
    wait_rendered(page, "recommendations")
    plan = api(views_server, "editor", RECOMMENDATIONS)["pairingRecommendations"]
    proposals = plan["proposals"]["nodes"]
    assert len(proposals) >= 2, "the small city has communities without a pairing and units with spare capacity"
    shown = page.locator(".gs-proposal")
    assert shown.evaluate_all("els => els.map(e => e.dataset.row)") == [f"{p['unitOrgId']}→{p['committeeId']}" for p in proposals]
    first = page.locator(".gs-proposal").first
    for reason in proposals[0]["reasons"]:
        expect(first.locator(f"li[data-code='{reason['code']}']")).to_have_text(f"{reason['label']}：{reason['value']}")
    assert card(page, "proposals") == str(plan["proposals"]["totalCount"])
    assert card(page, "unmet") == str(sum(u["unmet"] for u in plan["unmet"]))
    assert cells(page, "#gs-unmet", "communityId") == [u["communityId"] for u in plan["unmet"]]
    assert cells(page, "#gs-unmet", "reasonLabel") == [u["reasonLabel"] for u in plan["unmet"]]
    assert stats(page)["requests"] == 1

    first.get_by_role("button", name="接受并创建结对").click()
    confirmation = page.locator("#gs-accepted")
    expect(confirmation).to_be_visible()
    pairing_id = confirmation.get_attribute("data-pairing")
    assert pairing_id
    expect(page.locator(f"#gs-accepted-feed li[data-entity='{pairing_id}'][data-action='CREATE']")).to_have_count(1)
    expect(page.locator(f"#gs-accepted-audit li[data-entity='{pairing_id}'][data-action='CREATE']")).to_have_count(1)
    assert stats(page)["requests"] == 3

    # Over the API: the pairing exists between the proposed organisations, in the feed and in the audit log.
    feed = api(views_server, "analyst", "{ pairingChanges(first: 1000) { events { action entityId after } } }")
    created = [e for e in feed["pairingChanges"]["events"] if e["entityId"] == pairing_id]
    assert [e["action"] for e in created] == ["CREATE"]
    assert (created[0]["after"]["from"], created[0]["after"]["to"]) == (proposals[0]["unitOrgId"], proposals[0]["committeeId"])
    audit = api(
        views_server, "editor", "query($id: ID!) { auditLog(entityId: $id) { nodes { action entityId } } }", {"id": pairing_id}
    )
    assert {"action": "CREATE", "entityId": pairing_id} in audit["auditLog"]["nodes"]

    # A proposal someone else has just accepted: the API's user error shows in the proposal, naming the field.
    second = proposals[1]
    made = api(views_server, "editor", PAIR, {"u": second["unitOrgId"], "c": second["committeeId"]})["createPairing"]
    assert made["errors"] == []
    row = page.locator(f".gs-proposal[data-row='{second['unitOrgId']}→{second['committeeId']}']")
    row.get_by_role("button", name="接受并创建结对").click()
    error = row.locator(".gs-user-errors li").first
    expect(error).to_be_visible()
    field = error.get_attribute("data-field")
    assert field and field in (error.text_content() or "")


@pytest.mark.parametrize(("role", "sees"), [("viewer", False), ("analyst", True)])
def test_only_editors_get_an_accept_button(page: Page, guard: PageGuard, views_server: LiveServer, role: str, sees: bool):
    sign_in(page, views_server, role, "/console/recommendations")
    wait_rendered(page, "recommendations")
    assert page.locator(".gs-proposal").count() > 0 if sees else page.locator(".gs-proposal").count() == 0
    assert page.locator(".gs-accept").count() == 0
    if not sees:
        expect(page.locator(".gs-note")).to_contain_text("结对推荐只有")


def test_views_link_to_each_other_and_speak_english(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "analyst", "/console/weak?kind=community_committee")
    wait_rendered(page, "weak")
    link = page.locator(".gs-weak-table tbody td[data-key='communityId'] a").first
    community = link.text_content()
    link.click()
    wait_rendered(page, "network")
    assert page.url.endswith(f"/console/network/{community}")
    page.get_by_role("button", name="English").click()
    wait_rendered(page, "network")
    expect(page.locator("[data-card='pairings'] .gs-card-label")).to_have_text("Live pairings")
    page.go_back()
    wait_rendered(page, "weak")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weak and lax Party organisations")
    page.get_by_role("button", name="中文").click()
    wait_rendered(page, "weak")


def test_the_network_page_wants_a_community(page: Page, guard: PageGuard, views_server: LiveServer):
    sign_in(page, views_server, "analyst", "/console/network/d1s1")
    page.wait_for_selector("#gs-view[data-failed='network']")
    expect(page.get_by_role("alert")).to_contain_text("社区")
    page.goto(f"{views_server.base_url}/console/network/nowhere")
    page.wait_for_selector("#gs-view[data-failed='network']")
    expect(page.get_by_role("alert")).to_contain_text("nowhere")
