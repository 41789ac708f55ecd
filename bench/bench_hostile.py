"""Benchmark: does a hostile request hold up other clients? (issue 7)

For each fragment bomb (``query { ...Fn } fragment F0 on Query { __typename } fragment F1 on Query { ...F0 ...F0 }
...``, 2**n fields once spread out) it sends the bomb from one client and, while it is in flight, polls
``/healthz`` from a second client; it reports how long the bomb took, what it got, and the health latency
meanwhile (median and worst) against the idle health latency. The same for a large comment (one the body limit
refuses, and one under it that the document-length limit refuses).

``--source DIR`` imports ``graph_service`` from another checkout (e.g. ``git archive <commit> | tar -x -C DIR``)
to measure the code before a change with the same script. Each case stops waiting after ``--timeout`` seconds.

Run: ``python bench/bench_hostile.py [--levels 10 15 20 30] [--source DIR] [--timeout 120]``. Not run by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

KEY = "bench-admin-key-0123456789abcdefghij"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def fragment_bomb(levels: int) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


def start(source: Path, data: Path) -> tuple[str, uvicorn.Server, threading.Thread, Any]:
    sys.path.insert(0, str(source))
    from graph_service.api.app import create_app
    from graph_service.config import Settings
    from graph_service.store.embedded import LadybugStore

    settings = Settings(data_dir=data, api_keys=f"admin:{KEY}")
    store = LadybugStore(settings.database_path)
    store.ensure_schema()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:  # the code since the application layer: the app takes the services built over the store
        from graph_service.bootstrap import bootstrap

        app = create_app(settings, bootstrap(settings, store))
    except ImportError:  # older code (--source): the app takes the store
        app = create_app(settings, store=store)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread, store


def health_latencies(base: str, until: threading.Event, timeout: float) -> list[float]:
    """``/healthz`` latencies from a client of its own, polled until ``until`` is set (at least once)."""
    times: list[float] = []
    with httpx.Client(timeout=timeout) as client:
        while not times or not until.is_set():
            started = time.perf_counter()
            with contextlib.suppress(httpx.TimeoutException):
                client.get(f"{base}/healthz")
            times.append(time.perf_counter() - started)
            time.sleep(0.02)
    return times


def case(base: str, name: str, body: bytes, timeout: float) -> dict[str, Any]:
    done = threading.Event()
    outcome: dict[str, Any] = {"case": name}

    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE}
    client = httpx.Client(timeout=timeout, headers=headers)  # made beforehand: a new client costs ~0.1 s itself

    def hostile() -> None:
        started = time.perf_counter()
        try:
            response = client.post(f"{base}/graphql", content=body)
            errors = response.json().get("errors") or [{}]
            outcome["answer"] = f"{response.status_code} {errors[0].get('extensions', {}).get('code', '')}".strip()
        except httpx.TimeoutException:
            outcome["answer"] = f"no answer in {timeout:g} s"
        outcome["seconds"] = time.perf_counter() - started
        done.set()

    thread = threading.Thread(target=hostile)
    thread.start()
    latencies = health_latencies(base, done, timeout)
    thread.join()
    client.close()
    outcome["health_median_ms"] = 1000 * statistics.median(latencies)
    outcome["health_worst_ms"] = 1000 * max(latencies)
    outcome["health_requests"] = len(latencies)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[10, 15, 20, 30])
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        base, server, thread, store = start(args.source, Path(data))
        try:
            with httpx.Client() as client:
                idle = []
                for _ in range(50):
                    started = time.perf_counter()
                    client.get(f"{base}/healthz")
                    idle.append(time.perf_counter() - started)
            print(f"source {args.source}; idle /healthz median {1000 * statistics.median(idle):.1f} ms")
            cases = [(f"fragment bomb, {n} levels", json.dumps({"query": fragment_bomb(n)}).encode()) for n in args.levels]
            for size in (10_000_000, 1_500_000):
                query = "#" + "x" * size + "\n{ __typename }"
                cases.append((f"{size / 1e6:g} MB comment", json.dumps({"query": query}).encode()))
            print(f"{'case':<28} {'answer':<26} {'seconds':>8} {'health median':>14} {'health worst':>13}")
            for name, body in cases:
                result = case(base, name, body, args.timeout)
                print(
                    f"{name:<28} {result['answer']:<26} {result['seconds']:>8.3f} "
                    f"{result['health_median_ms']:>11.1f} ms {result['health_worst_ms']:>10.1f} ms",
                    flush=True,
                )
        finally:
            server.should_exit = True
            thread.join(timeout=5)
            store.close()


if __name__ == "__main__":
    main()
