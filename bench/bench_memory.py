"""Peak memory of ``graph-service serve`` through its warm-up, a 16-client load and the console's heaviest views.

    python bench/bench_memory.py [--scale 1] [--data-dir DIR] [--pool-mb N] [--light-connections N] [--clients 16]
                                 [--requests 400]

Seeds the Heze city at ``--scale`` into ``--data-dir`` unless a store is there already (then it is reused as it is),
starts ``graph-service serve`` on it as a separate process (so its memory is the server's alone), and reads the
server's resident memory (``/proc/PID/status``: VmRSS sampled every 50 ms, VmHWM, the kernel's own peak) through:

1. the start, up to ``/healthz`` answering;
2. the warm-up (``services/warmup.py``), until ``/healthz`` reports it done;
3. every example operation of ``graphql/examples/`` with ``--clients`` concurrent clients (``--requests`` in all);
4. the console's heaviest views one after another: the city's coverage (its figures and its districts'), the weak
   organisations of the city with the analyses' fields, a community's network (the queries are read from the
   console's own view modules, so they stay the ones it sends);
5. the examples and those views together with ``--clients`` clients.

Every request must succeed: a refusal ("buffer pool is full", a timeout) is printed and the run exits non-zero.
Prints per phase the peak VmRSS, how much of the resident memory is the buffer pool's at its end, and the load
average, then VmHWM and the buffer pool's size, and the peak through the warm-up and the examples (the goal of issue
11: under 1 GiB) beside the peak with the console's views. ``--pool-mb`` sets ``GRAPH_SERVICE_BUFFER_POOL_MB`` for the
server and ``--light-connections`` ``GRAPH_SERVICE_STORE_LIGHT_CONNECTIONS`` (default: the service's own defaults;
the server gets none of the caller's ``GRAPH_SERVICE_`` variables). Not run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import KEYS, ROLE, Job, operations, post, run_clients, variables_for  # noqa: E402

from graph_service.config import Settings  # noqa: E402

GIB = 1 << 30
VIEWS = ROOT / "graph_service" / "static" / "console" / "views"
#: The analysis fields of the schema, city-wide, in one request (as the shared peer harness's warm-up asks them).
ANALYSES = """query Analyses($from: ID!) {
  underCoveredCompounds(first: 5) { totalCount }
  weakOrganizations(first: 5) { totalCount }
  chainBreaks(first: 5) { totalCount }
  singlePointsOfFailure(first: 5) { totalCount }
  networkStructure { nodes edges largestComponent modularity }
  mobilizationReach(fromId: $from, k: 3) { compoundsTotal reached { people compounds } }
  pairingRecommendations(first: 5) { demandTotal supplyTotal totalCost }
}"""


def console_query(view: str, name: str) -> str:
    """The text of ``const NAME = `...``` in a console view module, with ``${OTHER}`` of its other constants filled."""
    source = (VIEWS / view).read_text(encoding="utf-8")
    found = re.findall(r"^const (\w+) = ([`\"])(.*?)\2;", source, flags=re.M | re.S)
    constants = {name: text for name, _, text in found}
    return re.sub(r"\$\{(\w+)\}", lambda m: constants[m.group(1)], constants[name])


def status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in bytes."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


def pool_resident(pid: int) -> int:
    """Bytes resident in LadybugDB's buffer pool: its frames live in mappings of the database's reserved address
    space (``GRAPH_SERVICE_MAX_DB_GB``, terabytes), far larger than anything else the process maps."""
    total, huge = 0, False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=1)[0]
        if "-" in head and not head.endswith(":"):
            start, end = (int(x, 16) for x in head.split("-"))
            huge = end - start > (64 << 30)
        elif head == "Rss:" and huge:
            total += int(line.split()[1]) * 1024
    return total


class Sampler:
    """The highest VmRSS of a process since the last ``mark``, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.peak = max(self.peak, status(self.pid)["VmRSS"])
            except (OSError, KeyError):
                return

    def mark(self) -> int:
        """The peak since the last mark (including now), and start a new period."""
        peak = max(self.peak, status(self.pid)["VmRSS"])
        self.peak = 0
        return peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def seed(data_dir: Path, scale: float) -> None:
    if (data_dir / Settings(data_dir=data_dir).database_path.name).exists():
        return
    print(f"seeding the Heze city at scale {scale:g} into {data_dir} ...", flush=True)
    command = [str(ROOT / ".venv" / "bin" / "graph-service"), "seed", "--profile", "heze", "--scale", str(scale)]
    subprocess.run(command, env={**os.environ, "GRAPH_SERVICE_DATA_DIR": str(data_dir)}, check=True, capture_output=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def wait_for(url: str, done: Any, what: str, server: subprocess.Popen[bytes], timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited (status {server.returncode}) before {what}")
        try:
            body: dict[str, Any] = httpx.get(url, timeout=5).json()
            if done(body):
                return body
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not happen within {timeout:.0f} s")


def stop(server: subprocess.Popen[bytes], log: Path) -> None:
    """Stop ``server``; the end of its ``log`` printed when it did not stop cleanly."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.returncode not in (0, -15):
        print(log.read_bytes().decode(errors="replace")[-2000:])


def console_jobs(client: httpx.Client, url: str) -> list[Job]:
    """The console's heaviest views as it sends them: city coverage, weak organisations and analyses, a network."""
    probe = post(client, url, console_query("coverage.js", "CITY"), "ConsoleCity", {}, "admin")["data"]
    city = probe["areas"]["edges"][0]["node"]["domainId"]
    vars_ = variables_for(client, url)
    community = vars_["CommunityRegistrations"]["communityId"]
    weak = {"area": None, "areaText": "", "hasArea": False, "kind": None, "factor": None, "priority": False}
    weak |= {"org": "", "hasOrg": False, "first": 200}
    network = {"c": community, "cid": community, "personal": True, "analyses": True}
    return [
        (console_query("coverage.js", "HERE"), "ConsoleCoverageHere", {"id": city}, "analyst"),
        (console_query("coverage.js", "CHILDREN"), "ConsoleCoverageChildren", {"id": city}, "analyst"),
        (console_query("weak.js", "QUERY"), "ConsoleWeak", weak, "analyst"),
        (ANALYSES, "Analyses", {"from": community}, "analyst"),
        (console_query("network.js", "QUERY"), "ConsoleNetwork", network, "analyst"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--data-dir", type=Path, help="a seeded store to reuse (default: a new temporary one)")
    parser.add_argument("--pool-mb", type=int, help="GRAPH_SERVICE_BUFFER_POOL_MB for the server")
    parser.add_argument(
        "--light-connections", type=int, help="GRAPH_SERVICE_STORE_LIGHT_CONNECTIONS for the server (default: the service's)"
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=400, help="requests per concurrent phase")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_memory_") as tmp:
        data_dir = args.data_dir or Path(tmp)
        seed(data_dir, args.scale)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_SERVICE_")}
        env |= {
            "GRAPH_SERVICE_DATA_DIR": str(data_dir),
            "GRAPH_SERVICE_API_KEYS": ",".join(f"{r}:{k}" for r, k in KEYS.items()),
            "GRAPH_SERVICE_MAX_PAGE_SIZE": "500",
            "GRAPH_SERVICE_REQUEST_TIMEOUT_SECONDS": "300",
        }
        if args.pool_mb is not None:
            env["GRAPH_SERVICE_BUFFER_POOL_MB"] = str(args.pool_mb)
        if args.light_connections is not None:
            env["GRAPH_SERVICE_STORE_LIGHT_CONNECTIONS"] = str(args.light_connections)
        pool_mb = args.pool_mb or Settings.model_fields["buffer_pool_mb"].default
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [str(ROOT / ".venv" / "bin" / "graph-service"), "serve", "--host", "127.0.0.1", "--port", str(port)]
        log = Path(tmp) / "serve.log"  # a file, not a pipe: a pipe nobody reads would stall the server's logging
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
        sampler = Sampler(server.pid)
        rows: list[tuple[str, float, int, int, str]] = []
        failures: list[str] = []

        def phase(name: str, started: float) -> None:
            seconds, peak, pool = time.perf_counter() - started, sampler.mark(), pool_resident(server.pid)
            rows.append((name, seconds, peak, pool, load()))
            print(
                f"  {name:44} {seconds:6.1f} s  peak RSS {peak / GIB:5.2f} GiB  (buffer pool {pool / GIB:4.2f} GiB)  {load()}",
                flush=True,
            )

        final: dict[str, int] = {}
        try:
            print(f"serve pid {server.pid}, buffer pool {pool_mb} MiB, {load()}", flush=True)
            started = time.perf_counter()
            wait_for(f"{base}/healthz", lambda body: body.get("status") == "ok", "the server's start", server)
            phase("start (up to /healthz)", started)
            started = time.perf_counter()
            health = wait_for(
                f"{base}/healthz", lambda body: body["warm_up"]["state"] in ("warm", "failed", "off"), "the warm-up", server
            )
            phase(f"warm-up ({health['warm_up']['state']})", started)
            if health["warm_up"]["state"] == "failed":
                failures.append(f"warm-up: {health['warm_up']['error']}")
            url = f"{base}/graphql"
            with httpx.Client(timeout=600) as client:
                variables = variables_for(client, url)
                examples: list[Job] = [(text, op, variables.get(op, {}), ROLE[user]) for user, op, text in operations()]
                views = console_jobs(client, url)
            started = time.perf_counter()
            failures += asyncio.run(run_clients(url, examples, args.clients, args.requests))
            phase(f"examples, {args.clients} clients, {args.requests} requests", started)
            started = time.perf_counter()
            failures += asyncio.run(run_clients(url, views, 1, len(views)))
            phase("console views one after another", started)
            started = time.perf_counter()
            failures += asyncio.run(run_clients(url, examples + views, args.clients, args.requests))
            phase(f"examples and views, {args.clients} clients", started)
            final = status(server.pid)
        finally:
            sampler.stop()
            stop(server, log)
        peak = max(final["VmHWM"], *(row[2] for row in rows))
        print(f"buffer pool {pool_mb} MiB: peak RSS (VmHWM) {peak / GIB:.2f} GiB, at the end {final['VmRSS'] / GIB:.2f} GiB")
        # Issue 11's goal is on the warm-up and the 16-client load; the console's views come on top of it.
        loaded = max(row[2] for row in rows[:3])
        print(f"goal: under 1 GiB through the warm-up and the {args.clients}-client examples -> "
              f"{loaded / GIB:.2f} GiB, {'met' if loaded < GIB else 'NOT met'}; with the console's views "
              f"{peak / GIB:.2f} GiB")  # fmt: skip
        for failure in failures[:20]:
            print(f"  failed: {failure}")
        if failures:
            print(f"{len(failures)} requests failed; the server said: {log.read_bytes().decode(errors='replace')[-2000:]}")
            raise SystemExit(1)


if __name__ == "__main__":
    main()
