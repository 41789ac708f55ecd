"""GraphiQL in a real browser with no network beyond loopback: it loads, takes a key and runs a query."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.integration.conftest import LiveServer

QUERY = "{ areas(level: CITY) { edges { node { domainId name } } } }"


def _open(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/graphql")
    # GraphiQL has replaced "Loading…" with its editors.
    expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()


def _run(page: Page, query: str) -> None:
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(query)
    page.keyboard.press("Escape")  # close any completion list the typing opened
    page.get_by_role("button", name=re.compile("Execute query")).click()


def _result(page: Page):
    return page.locator(".graphiql-response .CodeMirror")


def test_graphiql_runs_a_query_with_the_key_entered_on_the_page(page: Page, page_guard, browser_server: LiveServer):
    _open(page, browser_server)
    page.get_by_label("API key").fill(browser_server.keys["viewer"])
    page.get_by_role("button", name="Use key").click()
    expect(page.get_by_role("status")).to_have_text("key in use")
    _run(page, QUERY)
    expect(_result(page)).to_contain_text('"domainId": "hz"')
    expect(_result(page)).to_contain_text("菏泽市")
    # Everything the page loaded came from the server itself (the page fixture also fails on anything else).
    assert page_guard.outside == []


def test_graphiql_without_a_key_shows_the_refusal(page: Page, browser_server: LiveServer):
    _open(page, browser_server)
    expect(page.get_by_role("status")).to_have_text("no key yet: requests are refused (401)")
    _run(page, QUERY)
    expect(_result(page)).to_contain_text("missing or invalid API key")


def test_a_key_in_the_headers_tab_is_used_too(page: Page, browser_server: LiveServer):
    _open(page, browser_server)
    page.get_by_role("button", name="Headers").click()
    headers = page.locator(".graphiql-editor-tool .CodeMirror").last
    headers.click()
    page.keyboard.type(f'{{"Authorization": "Bearer {browser_server.keys["analyst"]}"')
    _run(page, QUERY)
    expect(_result(page)).to_contain_text("菏泽市")
