"""CPU per request on each side of the peer harness, under 16 clients (issue 11): what bounds requests per second.

    python bench/bench_cpu_share.py [--harness ../shared/peer-bench] [--rounds 2] [--requests 800] [OPERATION ...]

Requests per second with 16 clients on a two-core machine are bounded by the CPU each request costs every process
on it: ours (``graph-service serve``), the peer's (PostGraphile's node process and the Postgres backends) and the
client sending the requests (httpx, as the harness sends them). This bench starts both servers from the state the
harness left (run ``bench/bench_peer.py`` once first: it seeds the city, loads it into Postgres and installs
PostGraphile), runs the harness's operations with 16 clients, ours and the peer's interleaved, and prints per
operation the requests per second and the CPU milliseconds per request of each process group (from
``/proc/PID/stat``, descendants included) and of the client, with the cores each side used and the load average.
Our server runs with the response cache off (cold answers, as the goal is stated). Not run by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_api import PROBE, variables_from  # noqa: E402
from bench_peer import OPERATIONS, default_harness  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
#: Postgres as the harness's load_pg.sh starts it.
PG_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c port={port} -c shared_buffers=1GB -c work_mem=32MB -c effective_cache_size=4GB "
    "-c max_connections=100 -c unix_socket_directories=/tmp"
)
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: PostGraphile as the harness's run.sh starts it (its connection string and port follow).
PEER_COMMAND = ("node", "node_modules/postgraphile/cli.js", "--host", "127.0.0.1", "--schema", "public")
EXAMPLE_FILES = ("planner", "staff", "integration")


def harness_module(harness: Path) -> types.ModuleType:
    """The harness's ``bench_peer.py`` (its operation texts, our example files and roles, ``throughput``).

    Only its texts and its throughput loop are used here; it imports psycopg for the coverage comparison, which our
    environment does not install, so a stand-in module is put in its place when psycopg is missing."""
    if importlib.util.find_spec("psycopg") is None:
        sys.modules["psycopg"] = types.ModuleType("psycopg")
    spec = importlib.util.spec_from_file_location("peer_bench_harness", harness / "bench_peer.py")
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load {harness / 'bench_peer.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found.setdefault(int(fields[1]), []).append(int(name))
    return found


def cpu_seconds(root: int) -> float:
    """User and system CPU of ``root`` and every process below it, in seconds (live processes only)."""
    children, total, todo = _children(), 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
        todo.extend(children.get(pid, []))
    return total


def wait_for(url: str, body: dict[str, Any], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.post(url, json=body, timeout=5).status_code in (200, 401):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    sys.exit(f"{url} did not answer within {seconds:.0f} s")


def warmed(url: str, seconds: float = 600) -> None:
    """Wait for our server's own warm-up (projection, weakness, coverage): it would share the cores with the runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = httpx.get(url, timeout=10).json()["warm_up"]["state"]
        if state in ("warm", "off", "failed"):
            return
        time.sleep(1)
    sys.exit(f"the server's warm-up did not end within {seconds:.0f} s")


@contextmanager
def servers(state: Path, pgdata: Path, pg_port: int, ours_port: int, peer_port: int, log_dir: Path) -> Iterator[dict[str, int]]:
    """Postgres, PostGraphile and our server started from the harness's state; stopped again afterwards."""
    work = state / "work"
    keys = json.loads((work / "keys.json").read_text())
    if not (pgdata / "PG_VERSION").is_file() or not (state / "node_modules" / "postgraphile").is_dir():
        sys.exit(f"no harness state in {state} and {pgdata}: run bench/bench_peer.py once first")
    started: list[subprocess.Popen[bytes]] = []
    pg = ["su", "postgres", "-c"]
    subprocess.run(
        [*pg, f'{PG_BIN / "pg_ctl"} -D {pgdata} -l {pgdata}/server.log -w start -o "{PG_OPTIONS.format(port=pg_port)}"'],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        env = {
            **os.environ,
            "GRAPH_SERVICE_DATA_DIR": str(work / "data"),
            "GRAPH_SERVICE_API_KEYS": ",".join(f"{role}:{key}" for role, key in keys.items()),
            "GRAPH_SERVICE_RESPONSE_CACHE_MB": "0",
            "GRAPH_SERVICE_REQUEST_TIMEOUT_SECONDS": "120",  # as the harness runs it
        }
        with (log_dir / "ours.log").open("wb") as ours_log, (log_dir / "peer.log").open("wb") as peer_log:
            started.append(
                subprocess.Popen(
                    [str(ROOT / ".venv" / "bin" / "graph-service"), "serve", "--host", "127.0.0.1", "--port", str(ours_port)],
                    env=env,
                    stdout=ours_log,
                    stderr=subprocess.STDOUT,
                )
            )
            started.append(
                subprocess.Popen(
                    [*PEER_COMMAND, "-c", f"postgres://postgres@127.0.0.1:{pg_port}/city", "--port", str(peer_port)],
                    cwd=state,
                    env={**os.environ, "NODE_ENV": "production"},
                    stdout=peer_log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for(f"http://127.0.0.1:{ours_port}/graphql", {"query": "{ __typename }"})
        wait_for(f"http://127.0.0.1:{peer_port}/graphql", {"query": "{ __typename }"})
        warmed(f"http://127.0.0.1:{ours_port}/healthz")
        postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
        yield {"ours": started[0].pid, "node": started[1].pid, "postgres": postmaster}
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run([*pg, f"{PG_BIN / 'pg_ctl'} -D {pgdata} stop -m fast"], stdout=subprocess.DEVNULL, check=False)


def measured(
    harness: types.ModuleType, target: Any, body: dict[str, Any], headers: dict[str, str], requests: int, pids: dict[str, int]
) -> dict[str, float]:
    """One 16-client run: requests per second, and CPU ms per request of each process group and of this client."""
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    client_before, started = time.process_time(), time.perf_counter()
    rps = asyncio.run(harness.throughput(target, body, headers, 16, requests, 120))
    wall, client = time.perf_counter() - started, time.process_time() - client_before
    done = rps * wall
    found = {name: (cpu_seconds(pid) - before[name]) * 1000 / done for name, pid in pids.items()}
    return {"rps": rps, "client": client * 1000 / done, **found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("operations", nargs="*", default=list(OPERATIONS), help="default: the harness's six")
    parser.add_argument("--harness", type=Path, default=default_harness())
    parser.add_argument("--rounds", type=int, default=2, help="runs per operation and side, interleaved")
    parser.add_argument("--requests", type=int, default=800, help="requests per run")
    parser.add_argument("--out", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "bench-cpu-share")
    args = parser.parse_args()
    state = Path(os.environ.get("PEER_BENCH_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "peer-bench")
    pgdata = Path(os.environ.get("PGDATA_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "peer-pgdata")
    ports = {
        name: int(os.environ.get(var, default))
        for name, var, default in (("pg", "PGPORT", "55432"), ("ours", "PORT1", "18111"), ("peer", "PORT2", "18112"))
    }
    harness = harness_module(args.harness)
    args.out.mkdir(parents=True, exist_ok=True)
    keys = json.loads((state / "work" / "keys.json").read_text())
    ours = harness.Target("project", f"http://127.0.0.1:{ports['ours']}/graphql", keys)
    peer = harness.Target("peer", f"http://127.0.0.1:{ports['peer']}/graphql", None)
    texts = {f: (ROOT / "graphql" / "examples" / f"{f}.graphql").read_text(encoding="utf-8") for f in EXAMPLE_FILES}
    with servers(state, pgdata, ports["pg"], ports["ours"], ports["peer"], args.out) as pids:
        variables = _variables(ours)
        print(f"load average before: {os.getloadavg()[0]:.2f}; {args.rounds} rounds of {args.requests} requests, 16 clients")
        print(f"{'operation':24} {'side':5} {'req/s':>7} {'server ms/req':>14} {'client ms/req':>14} {'cores':>6} {'load':>5}")
        for op in args.operations:
            file, role = harness.PROJECT_OPS[op]
            sides = {
                "ours": (ours, ours.body(texts[file], op, variables.get(op, {})), ours.headers(role), {"ours": pids["ours"]}),
                "peer": (
                    peer,
                    peer.body(harness.PEER[op], op, variables.get(op, {})),
                    peer.headers(""),
                    {"node": pids["node"], "postgres": pids["postgres"]},
                ),
            }
            for target, body, headers, _ in sides.values():  # warm: plans, pages, the forms' trials
                asyncio.run(harness.throughput(target, body, headers, 16, 100, 60))
            for round_ in range(args.rounds):
                for name in ("ours", "peer") if round_ % 2 == 0 else ("peer", "ours"):
                    target, body, headers, group = sides[name]
                    m = measured(harness, target, body, headers, args.requests, group)
                    server = sum(m[k] for k in group)
                    parts = " + ".join(f"{k} {m[k]:.2f}" for k in group) if len(group) > 1 else ""
                    print(
                        f"{op:24} {name:5} {m['rps']:7.1f} {server:14.2f} {m['client']:14.2f} "
                        f"{server * m['rps'] / 1000:6.2f} {os.getloadavg()[0]:5.2f} {parts}",
                        flush=True,
                    )


def _variables(ours: Any) -> dict[str, dict[str, Any]]:
    """The ids the harness uses, found as it finds them (``bench_api``'s probe, as admin)."""
    found = httpx.post(ours.url, json={"query": PROBE}, headers=ours.headers("admin"), timeout=120).json()["data"]
    return variables_from(found)


if __name__ == "__main__":
    main()
