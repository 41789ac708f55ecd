"""What the console's browser tests share: signing in and waiting for a view to finish rendering."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.integration.conftest import LiveServer


def sign_in(page: Page, server: LiveServer, role: str, path: str = "/console") -> None:
    """Opens ``path`` and signs in with the key of ``role``; the page then shows ``path``."""
    page.goto(f"{server.base_url}{path}")
    page.get_by_label("API 密钥").fill(server.keys[role])
    page.get_by_role("button", name="登录").click()
    expect(page.locator("header.gs-header")).to_be_visible()


def wait_rendered(page: Page, view: str) -> None:
    """Waits until the shell marks ``view`` as rendered (or fails with the error the page shows)."""
    page.wait_for_selector(f"#gs-view[data-rendered='{view}'], #gs-view[data-failed]")
    failed = page.locator("#gs-view").get_attribute("data-failed")
    assert failed is None, f"the view {failed} failed: {page.locator('#gs-view').inner_text()}"


def stats(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate("window.__consoleStats")
    return found


def api(server: LiveServer, role: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The API's answer to ``query`` under the key of ``role``, over HTTP as the console asks."""
    response = httpx.post(
        server.graphql_url,
        json={"query": query, "variables": variables or {}},
        headers=server.headers(role, accept="application/json"),
        timeout=30,
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data
