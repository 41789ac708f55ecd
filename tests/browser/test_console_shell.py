"""The console's shell in a real browser: sign-in, the role from `me`, navigation by real URLs, the language
switch, sign-out, and nothing loaded off the server's origin (the page fixture fails the test otherwise)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browser.console_pages import api, sign_in, stats, wait_rendered
from tests.integration.conftest import LiveServer


def test_a_viewer_signs_in_and_sees_the_shell_with_its_role(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer")
    wait_rendered(page, "home")
    expect(page.locator(".gs-who")).to_have_attribute("data-role", "viewer")
    expect(page.get_by_role("heading", level=1)).to_have_text("基层党建组织体系控制台")
    # The viewer is told names are hidden; the role came from the API's `me`.
    me = api(browser_server, "viewer", "{ me { role canReadPersonal canEdit } }")["me"]
    assert me == {"role": "VIEWER", "canReadPersonal": False, "canEdit": False}
    expect(page.locator(".gs-note")).to_contain_text("不显示姓名")
    assert stats(page)["view"] == "home"


def test_the_language_switch_changes_the_headings_and_is_kept(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "analyst")
    wait_rendered(page, "home")
    page.get_by_role("button", name="English").click()
    wait_rendered(page, "home")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community governance console")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.reload()
    wait_rendered(page, "home")
    expect(page.get_by_role("heading", level=1)).to_have_text("Community governance console")
    page.get_by_role("button", name="中文").click()
    wait_rendered(page, "home")
    expect(page.get_by_role("heading", level=1)).to_have_text("基层党建组织体系控制台")


def test_a_wrong_key_is_refused_and_sign_out_forgets_the_key(page: Page, browser_server: LiveServer):
    page.goto(f"{browser_server.base_url}/console")
    page.get_by_label("API 密钥").fill("gsk_nothing_wrong")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("API 密钥无效或已撤销")
    sign_in(page, browser_server, "editor")
    wait_rendered(page, "home")
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_label("API 密钥")).to_be_visible()
    assert page.evaluate("window.sessionStorage.getItem('graph-service:api-key')") is None
    page.reload()
    expect(page.get_by_label("API 密钥")).to_be_visible()


def test_an_unknown_console_path_says_so_and_the_root_redirects(page: Page, browser_server: LiveServer):
    sign_in(page, browser_server, "viewer", "/console/no-such-view")
    page.wait_for_selector("#gs-view[data-failed='not-found']")
    expect(page.get_by_role("alert")).to_contain_text("/console/no-such-view")
    response = httpx.get(f"{browser_server.base_url}/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/console"


def test_the_page_allows_only_its_own_origin(browser_server: LiveServer):
    response = httpx.get(f"{browser_server.base_url}/console/coverage/hz")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "/static/console/app.js?v=" in response.text
