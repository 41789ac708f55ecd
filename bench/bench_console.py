"""Benchmark of the console (issue 9): time to a complete first render of each view in Chromium and the GraphQL
requests each view makes, over the Heze city at a given scale.

Seeds the city into ``--data-dir`` unless a store is there already (then it is reused as it is), serves it on a
loopback port, signs in with an analyst key (``--role``), and opens every view the console registers
(``window.__consoleRoutes`` from ``views/index.js``: views added later are covered without a change here) at its
example URL, ids like ``{compound}`` filled from the city. For each: milliseconds from navigation to the view's
``data-rendered`` mark (a fresh page load, so scripts and the first GraphQL answers count), the render alone, and the
requests counted in ``window.__consoleStats``. Goals: under 1.5 s, at most 3 requests. Prints a table with the load
average (2 shared cores: read the numbers with it). ``--screenshots DIR`` writes ``console-<view>.png`` per view.

The server warms up as ``serve`` does (``services/warmup.py``) and the views are measured once it reports done;
``--cold`` turns the warm-up off, so each view's first load pays for what it needs.

Run: ``python bench/bench_console.py [--scale 1] [--data-dir DIR] [--screenshots docs/screenshots] [--repeat 2] [--cold]``.
Needs Chromium and Playwright as the browser tests do (``scripts/bootstrap.sh --with-browser``). Not run by pytest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.seed.heze import generate  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, missing_browser_parts  # noqa: E402
from tests.integration.conftest import LiveServer, start_live_server  # noqa: E402

GOAL_MS = 1500
GOAL_REQUESTS = 3
PROBE = """{
  compounds(first: 1, filter: { noBranch: false }) { nodes { domainId ledBy { domainId } } }
  communities: areas(level: COMMUNITY, first: 1) { nodes { domainId } }
  streets: areas(level: STREET, first: 1) { nodes { domainId } }
  districts: areas(level: DISTRICT, first: 1) { nodes { domainId } }
}"""


def placeholders(server: LiveServer) -> dict[str, str]:
    """Ids of the seeded city for the routes' example URLs ({compound}, {community}, ...)."""
    response = httpx.post(
        server.graphql_url, json={"query": PROBE}, headers=server.headers("admin", "application/json"), timeout=120
    )
    data = response.json()["data"]
    compound = data["compounds"]["nodes"][0]
    return {
        "compound": compound["domainId"],
        "organization": compound["ledBy"][0]["domainId"] if compound["ledBy"] else compound["domainId"],
        "community": data["communities"]["nodes"][0]["domainId"],
        "street": data["streets"]["nodes"][0]["domainId"],
        "district": data["districts"]["nodes"][0]["domainId"],
    }


def serve(scale: float, data_dir: Path, seed: int, warm_up: bool) -> tuple[LiveServer, Any]:
    path = data_dir / "graph.lbdb"
    records = None
    if not path.exists():
        started = time.perf_counter()
        records = generate(scale, seed).records
        print(f"seeding Heze at scale {scale} into {data_dir} ({len(records):,} records) ...", flush=True)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        print(f"reusing the store in {data_dir}", flush=True)
    return start_live_server(path, records, warm_up=warm_up)


def await_warm_up(server: LiveServer) -> float:
    """Seconds until ``/healthz`` reports the warm-up done (services/warmup.py)."""
    started = time.perf_counter()
    while True:
        status = httpx.get(f"{server.base_url}/healthz", timeout=30).json()["warm_up"]
        if status["state"] in ("warm", "failed"):
            if status["state"] == "failed":
                print(f"warm-up failed: {status['error']}", flush=True)
            return time.perf_counter() - started
        time.sleep(0.1)


def measure(server: LiveServer, role: str, repeat: int, screenshots: Path | None) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    origin = server.base_url
    outside: list[str] = []
    rows: list[dict[str, Any]] = []
    ids = placeholders(server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}, service_workers="block")
        context.set_default_timeout(60_000)

        def route(route: Any, request: Any) -> None:
            if request.url == origin or request.url.startswith(origin + "/"):
                route.continue_()
            else:
                outside.append(request.url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        page.goto(f"{origin}/console")
        page.get_by_label("API 密钥").fill(server.keys[role])
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("#gs-view[data-rendered], #gs-view[data-failed]")
        routes = page.evaluate("window.__consoleRoutes")
        for spec in routes:
            example = spec.get("example")
            if not example:
                rows.append({"view": spec["name"], "url": spec["path"], "error": "no example URL in views/index.js"})
                continue
            url = example.format(**ids)
            for attempt in range(repeat):
                started = time.perf_counter()
                page.goto(f"{origin}{url}")
                page.wait_for_selector("#gs-view[data-rendered], #gs-view[data-failed]")
                wall = (time.perf_counter() - started) * 1000
                failed = page.locator("#gs-view").get_attribute("data-failed")
                stats = page.evaluate("window.__consoleStats") or {}
                rows.append(
                    {
                        "view": spec["name"],
                        "url": url,
                        "run": attempt + 1,
                        "first_render_ms": stats.get("sincePageStart") or round(wall),
                        "render_ms": stats.get("ms"),
                        "requests": stats.get("requests"),
                        "error": page.locator("#gs-view").inner_text()[:160].replace("\n", " ") if failed else "",
                    }
                )
            if screenshots is not None:
                screenshots.mkdir(parents=True, exist_ok=True)
                page.wait_for_timeout(300)  # let the last chart frame paint
                page.screenshot(path=str(screenshots / f"console-{spec['name']}.png"))
        browser.close()
    if outside:
        print(f"REQUESTS OFF THE ORIGIN (refused): {outside}")
    return rows


def report(rows: list[dict[str, Any]], scale: float, role: str, load_before: tuple[float, ...]) -> None:
    load_after = os.getloadavg()
    print(f"\nconsole at Heze scale {scale}, role {role}; Chromium {CHROMIUM}")
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} ({os.cpu_count()} cores)"
    )
    header = f"{'view':<14} {'run':>3} {'first render ms':>16} {'render ms':>10} {'requests':>9}  goal  url"
    print(header)
    print("-" * len(header))
    for row in rows:
        if "first_render_ms" not in row:
            print(f"{row['view']:<14} {'':>3} {'':>16} {'':>10} {'':>9}  --    {row['url']}  {row['error']}")
            continue
        met = row["first_render_ms"] <= GOAL_MS and (row["requests"] or 0) <= GOAL_REQUESTS and not row["error"]
        print(
            f"{row['view']:<14} {row['run']:>3} {row['first_render_ms']:>16} {row['render_ms'] or '':>10} "
            f"{row['requests'] if row['requests'] is not None else '':>9}  {'yes' if met else 'NO ':<4}  {row['url']}"
            + (f"  FAILED: {row['error']}" if row["error"] else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the Heze city (1 reproduces the published figures)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, help="store to reuse or seed (default: a temporary directory)")
    parser.add_argument("--role", default="analyst", choices=["viewer", "analyst", "editor", "admin"])
    parser.add_argument("--repeat", type=int, default=1, help="loads per view (the first is cold)")
    parser.add_argument("--screenshots", type=Path, help="write console-<view>.png per view into this folder")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no warm-up: the first load of each view after a start pays for the figures and the projection itself",
    )
    args = parser.parse_args()
    missing = missing_browser_parts()
    if missing:
        sys.exit("bench_console needs " + " and ".join(missing))
    load_before = os.getloadavg()
    temporary = None
    data_dir = args.data_dir
    if data_dir is None:
        temporary = tempfile.mkdtemp(prefix="bench-console-")
        data_dir = Path(temporary)
    data_dir.mkdir(parents=True, exist_ok=True)
    server, running = serve(args.scale, data_dir, args.seed, warm_up=not args.cold)
    try:
        if not args.cold:
            print(f"warm-up done in {await_warm_up(server):.1f} s (the server's own, off the request path)", flush=True)
        rows = measure(server, args.role, args.repeat, args.screenshots)
    finally:
        running.stop()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    report(rows, args.scale, args.role, load_before)


if __name__ == "__main__":
    main()
