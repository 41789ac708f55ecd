"""How long ``graph-service serve`` stops answering while it warms up, at start and after an edit.

    python bench/bench_pauses.py [--scale 10] [--data-dir DIR] [--edits 2] [--interval-ms 20]

Seeds the Heze city at ``--scale`` into ``--data-dir`` unless a store is there already (then it is reused as it is;
an edit changes it), starts ``graph-service serve`` on it as a separate process and, from one client, sends
``{ __typename }`` to ``POST /graphql`` every ``--interval-ms`` through:

1. the start's warm-up (the projection built, the city's verdicts and figures computed, the heap settled), until
   ``/healthz`` reports it done, and ``--after`` seconds more (the server settles its heap once a warm-up is done);
2. ``--edits`` times: an organisation's plaque flipped (``updateOrganization``, as an editor would), then the warm-up
   the server runs once the store has been quiet for 10 s, until ``/healthz`` reports the new write version warm,
   and ``--after`` seconds more.

A ping answers in a few milliseconds when the event loop is free; one that takes longer waited for the interpreter
(a warm-up step holding it) or for a collection of the cyclic garbage collector, which stops every thread. Prints
per phase the pings, their median, p99 and longest time, and the pauses over 150 ms (how many, how long in all),
with the load average. Not run by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import KEYS  # noqa: E402
from bench_memory import free_port, load, seed, status, stop, wait_for  # noqa: E402

#: A ping this long or longer is a pause.
PAUSE_SECONDS = 0.15
#: How often the pinging asks whether the warm-up it waits for is done.
CHECK_SECONDS = 1.0
PING = {"query": "{ __typename }"}
BRANCH = "{ organizations(first: 1, kind: COMPOUND_BRANCH) { nodes { domainId hasPlaque } } }"
FLIP = "mutation Flip($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { __typename } }"


def ping_until(client: httpx.Client, url: str, interval: float, done: Any, after: float) -> list[float]:
    """Ping ``url`` every ``interval`` seconds until ``done()``, then for ``after`` seconds more; each ping's
    seconds. ``done()`` asks the server too (``/healthz``), untimed, so it is asked once a second (``CHECK_SECONDS``):
    asked after every ping, half the time went to it, and a stall that began during one showed only in part (the
    start's longest pause at scale 10 read 286 ms where a pinger that asked nothing else saw 575)."""
    times: list[float] = []
    until: float | None = None
    checked = time.perf_counter()
    while until is None or time.perf_counter() < until:
        started = time.perf_counter()
        client.post(url, json=PING).raise_for_status()
        times.append(time.perf_counter() - started)
        if until is None and started - checked >= CHECK_SECONDS:
            checked = time.perf_counter()
            if done():
                until = time.perf_counter() + after
        time.sleep(max(0.0, interval - (time.perf_counter() - started)))
    return times


def report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    pauses = [t for t in times if t >= PAUSE_SECONDS]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"  {name:34} {len(times):5} pings  median {statistics.median(times) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms"
        f"  longest {ordered[-1] * 1000:6.0f} ms  pauses >= {PAUSE_SECONDS * 1000:.0f} ms: {len(pauses):2}"
        f" ({sum(pauses):4.1f} s)  {load()}",
        flush=True,
    )


def warm_state(base: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{base}/healthz", timeout=30).json()
    return dict(body["warm_up"])


def warmed_again(base: str, warmed: int | None) -> bool:
    """Whether the server has warmed a write version other than ``warmed`` (or failed to)."""
    state = warm_state(base)
    return state["state"] == "failed" or (state["state"] == "warm" and state["version"] != warmed)


def flip_a_plaque(client: httpx.Client, url: str) -> None:
    found = client.post(url, json={"query": BRANCH}).json()
    branch = found["data"]["organizations"]["nodes"][0]
    flip = {"id": branch["domainId"], "hasPlaque": not branch["hasPlaque"]}
    answer = client.post(url, json={"query": FLIP, "variables": {"input": flip}}).json()
    if answer.get("errors"):
        raise SystemExit(f"the edit failed: {answer['errors']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--data-dir", type=Path, help="a seeded store to reuse (default: a new temporary one)")
    parser.add_argument("--edits", type=int, default=2)
    parser.add_argument("--interval-ms", type=float, default=20.0)
    parser.add_argument("--after", type=float, default=8.0, help="seconds pinged on after each warm-up is reported done")
    args = parser.parse_args()
    interval = args.interval_ms / 1000

    with tempfile.TemporaryDirectory(prefix="bench_pauses_") as tmp:
        data_dir = args.data_dir or Path(tmp)
        seed(data_dir, args.scale)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_SERVICE_")}
        env |= {"GRAPH_SERVICE_DATA_DIR": str(data_dir), "GRAPH_SERVICE_API_KEYS": f"admin:{KEYS['admin']}"}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [str(ROOT / ".venv" / "bin" / "graph-service"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        log = Path(tmp) / "serve.log"  # a file, not a pipe: a pipe nobody reads would stall the server's logging
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
        try:
            print(f"serve pid {server.pid} on scale {args.scale:g}, {load()}", flush=True)
            wait_for(f"{base}/healthz", lambda body: body.get("status") == "ok", "the server's start", server)
            url = f"{base}/graphql"
            headers = {"Authorization": f"Bearer {KEYS['admin']}", "Cache-Control": "no-cache"}
            with httpx.Client(timeout=300, headers=headers) as client:
                times = ping_until(
                    client, url, interval, lambda: warm_state(base)["state"] in ("warm", "failed", "off"), args.after
                )
                report("start and its warm-up", times)
                for edit in range(1, args.edits + 1):
                    warmed = warm_state(base)["version"]
                    flip_a_plaque(client, url)
                    times = ping_until(client, url, interval, lambda warmed=warmed: warmed_again(base, warmed), args.after)
                    report(f"edit {edit}, then its warm-up", times)
            print(f"peak RSS (VmHWM) {status(server.pid)['VmHWM'] / (1 << 30):.2f} GiB", flush=True)
        finally:
            stop(server, log)


if __name__ == "__main__":
    main()
