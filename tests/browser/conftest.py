"""Fixtures for browser tests: Debian's Chromium driven by Playwright's Python package, over a real server.

- ``browser``: one headless Chromium per test session (``/usr/bin/chromium``: Playwright's own browser download
  cannot work offline). ``scripts/test.sh`` installs it (``scripts/bootstrap.sh --with-browser``); without it the
  tests skip and name what is missing, except under CI, where they fail.
- ``browser_server``: a real uvicorn server on a free loopback port over the small city of the HTTP tests
  (``tests/integration/conftest.py``), with one key per role (``browser_server.keys["viewer"]`` ...).
- ``page``: a fresh browser context and page for one test. Every request the page makes off the server's own
  origin is refused and recorded, and fails the test at teardown, as does an uncaught script error. Chromium also
  resolves no host name but loopback, so nothing can reach the network even past the route handler.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.conftest import LiveServer, build_small_city, start_live_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

CHROMIUM = Path(os.environ.get("GRAPH_SERVICE_TEST_CHROMIUM", "/usr/bin/chromium"))
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
INSTALL_HINT = "run scripts/bootstrap.sh --with-browser (as root on Debian: apt-get install chromium fonts-noto-cjk)"
CHROMIUM_ARGS = [
    # Root in a container: Chromium's sandbox needs user namespaces we do not have.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # No name resolves but loopback: a request the route handler missed still cannot leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def missing_browser_parts() -> list[str]:
    """What the browser tests need and this machine lacks, each with how to get it."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[dev]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(str(CHROMIUM)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    return missing


def _require(missing: list[str]) -> None:
    if not missing:
        return
    message = "browser tests need " + " and ".join(missing) + f"; {INSTALL_HINT}"
    if os.environ.get("CI"):
        # CI installs them through scripts/test.sh: a skip there would hide a broken install step.
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    _require(missing_browser_parts())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives each launch a fresh, temporary user-data directory of its own.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            downloads_path=str(tmp_path_factory.mktemp("downloads")),
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def cjk_fonts() -> None:
    """Chinese glyphs for screenshots (text checks do not need them)."""
    if not any(CJK_FONT_DIR.glob("NotoSansCJK-*.ttc")):
        _require([f"Noto CJK fonts in {CJK_FONT_DIR} (apt-get install fonts-noto-cjk)"])


@pytest.fixture(scope="session")
def browser_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server on the small city for browser tests; treat it as read-only."""
    path = tmp_path_factory.mktemp("browser-server") / "graph.lbdb"
    live, running = start_live_server(path, build_small_city().records)
    yield live
    running.stop()


@dataclass
class PageGuard:
    """What a page did that a test may look at: requests refused off the origin, script errors, console errors."""

    origin: str
    outside: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Route, request: Request) -> None:
        if request.url == self.origin or request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.outside.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")


@pytest.fixture
def page_guard(browser_server: LiveServer) -> PageGuard:
    return PageGuard(origin=browser_server.base_url)


@pytest.fixture
def page(browser: Browser, page_guard: PageGuard) -> Iterator[Page]:
    context = browser.new_context(service_workers="block", locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    context.route("**/*", page_guard.route)
    page = context.new_page()
    page.on("pageerror", lambda error: page_guard.script_errors.append(str(error)))

    def on_console(message: Any) -> None:
        if message.type == "error":
            page_guard.console_errors.append(message.text)

    page.on("console", on_console)
    try:
        yield page
    finally:
        context.close()
    assert not page_guard.outside, f"the page asked for something off its own origin: {page_guard.outside}"
    assert not page_guard.script_errors, f"uncaught script errors on the page: {page_guard.script_errors}"
