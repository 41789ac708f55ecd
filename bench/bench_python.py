"""Where a cold GraphQL answer's time goes in Python (issue 11): each example operation, in-process.

The app runs in this process behind httpx's ASGI transport (no sockets, no uvicorn), with the response cache off
and no warm-up, on the Heze store of ``--scale``. Per operation it prints medians over ``--repeat`` requests of:

* ``total``: the request's wall time;
* ``store``: the time of the store statements it ran (``store.embedded._run_text``; statements running side by side add
  up, so it can exceed the total), row conversion (``from_value``) included;
* ``loop cpu``: CPU time of the event loop's thread (``time.thread_time``), which is the GraphQL execution, the
  resolvers and the HTTP layer, not the statements (they run in worker threads); ``min`` beside it is the least
  noisy figure on a shared machine;
* ``gc``: time in the cyclic collector per request (mean), and the full collections among them.

Run: ``python bench/bench_python.py [--scale 1] [--repeat 30] [--store-root DIR] [OPERATION ...]``. The machine's
load average is printed beside the figures: compare runs made at similar loads, or alternate two checkouts. Not
run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_api import KEYS, PROBE, ROLE, operations, variables_from  # noqa: E402
from seeded import Seeded, seeded_store  # noqa: E402

from graph_service.api.app import create_app  # noqa: E402
from graph_service.bootstrap import bootstrap  # noqa: E402
from graph_service.config import Settings  # noqa: E402
from graph_service.store import embedded  # noqa: E402

STATEMENTS: list[float] = []
COLLECTOR = {"seconds": 0.0, "full": 0, "started": 0.0}


def _instrument() -> None:
    run = embedded._run_text

    def timed_run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return run(*args, **kwargs)
        finally:
            STATEMENTS.append(time.perf_counter() - started)

    embedded._run_text = timed_run

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            COLLECTOR["started"] = time.perf_counter()
            return
        COLLECTOR["seconds"] += time.perf_counter() - COLLECTOR["started"]
        COLLECTOR["full"] += info["generation"] == 2

    gc.callbacks.append(collected)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


#: Requests per operation before it is measured: more than every form of a batched read times its trials.
WARM_REQUESTS = 12


async def measure(seeded: Seeded, repeat: int, only: set[str]) -> None:
    settings = Settings(
        data_dir=seeded.directory,
        api_keys=",".join(f"{role}:{key}" for role, key in KEYS.items()),
        response_cache_mb=0,
        warm_up=False,
        max_page_size=500,
    )
    app = create_app(settings, bootstrap(settings, seeded.store))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def post(text: str, op: str | None, variables: dict[str, Any], role: str) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {KEYS[role]}", "Cache-Control": "no-cache"}
            body = {"query": text, "operationName": op, "variables": variables}
            response = await client.post("/graphql", json=body, headers=headers, timeout=120)
            found: dict[str, Any] = response.json()
            return found

        variables = variables_from((await post(PROBE, None, {}, "admin"))["data"])
        print(f"load average before: {_load()}")
        print(f"{'operation':26} {'total ms':>9} {'store ms':>9} {'loop cpu ms':>12} {'min':>6} {'gc ms':>6} {'full gc':>8}")
        for user, op, text in operations():
            if only and op not in only:
                continue
            role, values = ROLE[user], variables.get(op, {})
            # The first answers read pages into the buffer pool, and the store times the forms of its batched reads
            # on each batch shape's first few batches (store.form_choice): a serving process has done both long before.
            for _ in range(WARM_REQUESTS):
                answer = await post(text, op, values, role)
            if answer.get("errors"):
                print(f"{op}: {answer['errors'][:1]}")
                continue
            totals, stores, cpus = [], [], []
            COLLECTOR["seconds"], COLLECTOR["full"] = 0.0, 0
            for _ in range(repeat):
                STATEMENTS.clear()
                started, cpu = time.perf_counter(), time.thread_time()
                await post(text, op, values, role)
                cpus.append(time.thread_time() - cpu)
                totals.append(time.perf_counter() - started)
                stores.append(sum(STATEMENTS))
            print(
                f"{op:26} {statistics.median(totals) * 1000:9.1f} {statistics.median(stores) * 1000:9.1f}"
                f" {statistics.median(cpus) * 1000:12.1f} {min(cpus) * 1000:6.1f}"
                f" {COLLECTOR['seconds'] / repeat * 1000:6.1f} {COLLECTOR['full']:8d}",
                flush=True,
            )
        print(f"load average after: {_load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("operations", nargs="*", help="example operations to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--store-root", type=Path, help="keep the seeded store under this directory and reuse it")
    args = parser.parse_args()
    _instrument()
    with seeded_store(args.scale, root=args.store_root) as seeded:
        asyncio.run(measure(seeded, args.repeat, set(args.operations)))


if __name__ == "__main__":
    main()
