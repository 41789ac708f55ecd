"""Benchmark of the GraphQL API on the embedded store (issue 3, "Performance").

For each scale of the Heze profile (default 0.1 and 1; add 10 with ``--scales 0.1 1 10``):

* median and p99 latency of every example operation in graphql/examples/ (real HTTP, loopback, keep-alive);
* the ratio of the server's time for a GraphQL request (parse, validate, execute, serialise) to the time of
  the store queries it ran (goal <= 1.5). Store time is measured by wrapping the adapter's statement runner
  (``store.embedded._run_text``);
  queries that run concurrently add up, so the ratio can go below 1;
* requests per second with 1 and with 16 concurrent clients (httpx async, bounded, loopback only).

Every figure is cold: requests send ``Cache-Control: no-cache``, so the server computes each answer (the response
cache, ``api/response_cache.py``, is bypassed). Beside them, "warm" figures: the same requests without the header,
answered from the response cache until the next write.

Run: ``python bench/bench_api.py [--scales 0.1 1] [--repeat 30] [--requests 300] [--store-root DIR]`` (``DIR`` keeps
each scale's seeded store for the next run: ``bench/seeded.py``). Prints tables; not run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from graphql import OperationDefinitionNode, parse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seeded import Seeded, seeded_store  # noqa: E402

from graph_service.api import http as api_http  # noqa: E402
from graph_service.api.app import create_app  # noqa: E402
from graph_service.bootstrap import bootstrap  # noqa: E402
from graph_service.config import Settings  # noqa: E402
from graph_service.store import embedded  # noqa: E402

EXAMPLES = ROOT / "graph_service" / "graphql" / "examples"
ROLE = {"planner": "viewer", "staff": "analyst", "integration": "integration"}
KEYS = {role: f"bench-{role}-key-0123456789abcdefghij" for role in ("viewer", "analyst", "integration", "editor", "admin")}

# --- server-side timing: whole request vs store statements ----------------------------------------------------------

_store_seconds: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar("store_seconds", default=None)
SERVER_TIMES: list[tuple[str, float, float]] = []  # (operation, request seconds, store seconds)


def _instrument() -> None:
    # Every named statement, alone, in a transaction or routed by ``read``, runs through ``embedded._run_text``.
    original_run = embedded._run_text

    def timed_run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original_run(*args, **kwargs)
        finally:
            acc = _store_seconds.get()
            if acc is not None:
                acc.append(time.perf_counter() - start)

    embedded._run_text = timed_run

    original_endpoint_run = api_http.GraphQLEndpoint.run

    async def timed_endpoint_run(self: Any, request: Any, media: str, params: Any, *args: Any) -> Any:
        acc: list[float] = []
        token = _store_seconds.set(acc)
        start = time.perf_counter()
        try:
            return await original_endpoint_run(self, request, media, params, *args)
        finally:
            SERVER_TIMES.append((params.operation_name or "", time.perf_counter() - start, sum(acc)))
            _store_seconds.reset(token)

    api_http.GraphQLEndpoint.run = timed_endpoint_run  # type: ignore[method-assign]


# --- server ----------------------------------------------------------------------------------------------------------


def start(seeded: Seeded) -> tuple[str, uvicorn.Server, threading.Thread]:
    store, directory = seeded.store, seeded.directory
    settings = Settings(
        data_dir=directory,
        api_keys=",".join(f"{r}:{k}" for r, k in KEYS.items()),
        max_page_size=500,
        request_timeout_seconds=120,
    )
    app = create_app(settings, bootstrap(settings, store))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql", server, thread


def await_warm_up(base_url: str) -> float:
    """Seconds until ``/healthz`` reports the warm-up done: requests are measured on a warmed server, as serve
    runs (services/warmup.py), not racing the warm-up for the store's buffer pool."""
    started = time.perf_counter()
    while True:
        status = httpx.get(f"{base_url}/healthz", timeout=30).json()["warm_up"]
        if status["state"] in ("warm", "failed", "off"):
            if status["state"] == "failed":
                print(f"warm-up failed: {status['error']}", flush=True)
            return time.perf_counter() - started
        time.sleep(0.2)


def headers(role: str, cold: bool = True) -> dict[str, str]:
    found = {"Authorization": f"Bearer {KEYS[role]}", "Accept": "application/graphql-response+json"}
    return {**found, "Cache-Control": "no-cache"} if cold else found


def post(
    client: httpx.Client, url: str, text: str, op: str | None, variables: dict[str, Any], role: str, cold: bool = True
) -> dict[str, Any]:
    response = client.post(url, json={"query": text, "operationName": op, "variables": variables}, headers=headers(role, cold))
    if response.status_code >= 500 or not response.content:
        raise RuntimeError(f"{op}: {response.status_code} {response.text[:500]}")
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{op}: {response.status_code} {str(body)[:300]}")
    return body


#: What ``variables_from`` reads the example operations' ids from (asked with the admin key).
PROBE = """{ areas(level: DISTRICT, first: 1) { edges { node { domainId } } }
  compounds(first: 1, filter: {noBranch: false}) { edges { node { domainId ledBy { domainId } } } }
  communities: areas(level: COMMUNITY, first: 1) { edges { node { domainId } } } }"""


def variables_for(client: httpx.Client, url: str) -> dict[str, dict[str, Any]]:
    """Ids from the seeded city for the example operations' variables."""
    return variables_from(post(client, url, PROBE, None, {}, "admin")["data"])


def variables_from(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The example operations' variables from the ``data`` of ``PROBE``."""
    district = data["areas"]["edges"][0]["node"]["domainId"]
    compound = data["compounds"]["edges"][0]["node"]
    community = data["communities"]["edges"][0]["node"]["domainId"]
    return {
        "CompoundsWithoutBranch": {"districtId": district},
        "OldCompoundsWithGaps": {"districtId": district},
        "CompoundDrillDown": {"compoundId": compound["domainId"]},
        "DistrictCoverage": {"areaId": district},
        "WeakOrganizations": {"areaId": district},
        "CrossAppointments": {"areaId": district},
        "PostHolders": {"organizationId": compound["ledBy"][0]["domainId"]},
        "FindByName": {"text": "小区"},
        "ActivePairings": {"activeOn": "2024-06-01"},
        "SchoolPairingsInDistrict": {"districtId": district, "startedAfter": "2015-01-01"},
        "CommunityRegistrations": {"communityId": community},
    }


def operations() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(EXAMPLES.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for d in parse(text).definitions:
            if isinstance(d, OperationDefinitionNode) and d.name:
                found.append((path.stem, d.name.value, text))
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


Job = tuple[str, str | None, dict[str, Any], str]  # text, operation, variables, role


async def run_clients(url: str, jobs: list[Job], clients: int, total: int, cold: bool = True) -> list[str]:
    """``total`` requests over ``clients`` connections; the failures, described. ``cold``: every answer computed
    (``Cache-Control: no-cache``), else answered from the response cache where it can."""
    failures: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=300) as client:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(total):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                text, op, variables, role = jobs[queue.get_nowait() % len(jobs)]
                try:
                    response = await client.post(
                        url,
                        json={"query": text, "operationName": op, "variables": variables},
                        headers=headers(role, cold),
                    )
                except httpx.HTTPError as exc:  # the server died, say: counted, so the caller can tell it
                    failures.append(f"{op}: {type(exc).__name__}: {exc}")
                    continue
                body = response.json() if response.content else {}
                if response.status_code != 200 or body.get("errors"):
                    failures.append(f"{op}: {response.status_code} {str(body.get('errors', body))[:300]}")

        await asyncio.gather(*(worker() for _ in range(clients)))
    return failures


async def throughput(url: str, jobs: list[Job], clients: int, total: int, cold: bool = True) -> float:
    start = time.perf_counter()
    failures = await run_clients(url, jobs, clients, total, cold)
    if failures:
        raise RuntimeError(f"{len(failures)} of {total} requests failed, the first: {failures[0]}")
    return total / (time.perf_counter() - start)


def bench_scale(scale: float, repeat: int, requests: int, root: Path | None, pool_mb: int) -> dict[str, Any]:
    with seeded_store(scale, 7, root, buffer_pool_mb=pool_mb) as seeded:
        if seeded.records is not None:
            print(f"scale {scale:g}: {seeded.records:,} records seeded in {seeded.seed_seconds:.1f}s", flush=True)
        url, server, thread = start(seeded)
        try:
            warm_s = await_warm_up(url.removesuffix("/graphql"))
            print(f"scale {scale:g}: warm-up done in {warm_s:.1f}s", flush=True)
            with httpx.Client(timeout=300) as client:
                variables = variables_for(client, url)
                rows = []
                jobs: list[Job] = []
                for user, op, text in operations():
                    role = ROLE[user]
                    vars_ = variables.get(op, {})
                    t0 = time.perf_counter()
                    post(client, url, text, op, vars_, role)  # warm-up (and the analysis cache, for staff ops)
                    first = time.perf_counter() - t0
                    SERVER_TIMES.clear()
                    latencies = []
                    for _ in range(repeat):
                        t0 = time.perf_counter()
                        post(client, url, text, op, vars_, role)
                        latencies.append(time.perf_counter() - t0)
                    request_s = sum(t for _, t, _ in SERVER_TIMES)
                    store_s = sum(s for _, _, s in SERVER_TIMES)
                    post(client, url, text, op, vars_, role, cold=False)  # kept by the response cache
                    warm = []
                    for _ in range(repeat):
                        t0 = time.perf_counter()
                        post(client, url, text, op, vars_, role, cold=False)
                        warm.append(time.perf_counter() - t0)
                    rows.append(
                        {
                            "op": f"{user}.{op}",
                            "first_ms": first * 1000,
                            "median_ms": statistics.median(latencies) * 1000,
                            "p99_ms": percentile(latencies, 0.99) * 1000,
                            "warm_median_ms": statistics.median(warm) * 1000,
                            "ratio": request_s / store_s if store_s else float("nan"),
                        }
                    )
                    if user != "staff" or op != "WeakOrganizations":
                        jobs.append((text, op, vars_, role))
            rps = {n: asyncio.run(throughput(url, jobs, n, requests)) for n in (1, 16)}
            rps_warm = {n: asyncio.run(throughput(url, jobs, n, requests, cold=False)) for n in (1, 16)}
            return {"scale": scale, "rows": rows, "rps": rps, "rps_warm": rps_warm}
        finally:
            server.should_exit = True
            thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--store-root", type=Path, help="keep each scale's seeded store under this directory and reuse it")
    parser.add_argument(
        "--buffer-pool-mb", type=int, default=0, help="the store's buffer pool (the server's setting; 0: from the file's size)"
    )
    args = parser.parse_args()
    _instrument()
    results = []
    for scale in args.scales:
        results.append(bench_scale(scale, args.repeat, args.requests, args.store_root, args.buffer_pool_mb))
        print(results[-1], flush=True)  # kept even if a later scale fails
    for result in results:
        print(f"\n== Heze scale {result['scale']:g} ==")
        print(f"{'operation':42} {'first ms':>9} {'median ms':>10} {'p99 ms':>8} {'request/store':>14} {'warm median':>12}")
        for row in result["rows"]:
            print(
                f"{row['op']:42} {row['first_ms']:9.1f} {row['median_ms']:10.1f} {row['p99_ms']:8.1f} {row['ratio']:14.2f}"
                f" {row['warm_median_ms']:12.2f}"
            )
        ratios = [r["ratio"] for r in result["rows"] if r["ratio"] == r["ratio"]]
        print(f"median request/store ratio: {statistics.median(ratios):.2f} (goal <= 1.5)")
        print(f"requests/s (mixed example operations): 1 client {result['rps'][1]:.1f}, 16 clients {result['rps'][16]:.1f}")
        warm = result["rps_warm"]
        print(f"requests/s answered from the response cache: 1 client {warm[1]:.1f}, 16 clients {warm[16]:.1f}")
    if len(results) > 1:
        print("\n== latency growth (median ms by scale) ==")
        header = " ".join(f"{r['scale']:>9g}" for r in results)
        print(f"{'operation':42} {header}")
        for i, row in enumerate(results[0]["rows"]):
            print(f"{row['op']:42} " + " ".join(f"{r['rows'][i]['median_ms']:9.1f}" for r in results))


if __name__ == "__main__":
    main()
