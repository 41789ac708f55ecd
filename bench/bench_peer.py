"""Side by side with PostgreSQL 15 + PostGraphile 4 (issue 11): reruns the shared harness and prints its table.

    python bench/bench_peer.py [--harness ../shared/peer-bench] [--out DIR] [--from-json bench_peer.json ...]

Runs ``run.sh`` of the peer-bench harness from the project's root (it seeds the Heze city at scale 1, loads it
into a private Postgres cluster, starts both servers, warms this one up and measures both, interleaved; read its
README for what differs between the two sides), then prints, per example operation, the median and p99 of both,
the ratios (ours / peer: goal <= 2) and requests per second with 1 and 16 clients (goal: ours >= peer's), the
load average while it ran (other work on the machine shows there) and the server's memory peaks (goal <= 1 GiB).
``--from-json`` prints the table of earlier runs instead (several: one table each, to compare before and after).
The harness's ``ndjson_to_pg.py`` predates organisational life and stops at records its schema lacks; when it does,
the bench runs a copy of the harness (under ``PEER_BENCH_DIR``) whose converter leaves those records out
(``--strict-harness``: run it as it is).
The harness keeps its state in ``PEER_BENCH_DIR`` (default /tmp/peer-bench); set ``PORT1``, ``PORT2``, ``PGPORT``
and ``PGDATA_DIR`` to run beside someone else's copy. Not run by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = ("ActivePairings", "CommunityRegistrations", "CityHierarchy", "CompoundDrillDown", "DistrictCoverage", "PostHolders")


def load_summary(path: Path) -> str:
    """The harness's load line (``withload.sh``) for a step, if it wrote one."""
    return path.read_text().strip() if path.is_file() else "no load record"


def memory_lines(out: Path) -> list[str]:
    path = out / "memory.log"
    if not path.is_file():
        return []
    lines = []
    for line in path.read_text().splitlines():
        found = re.search(r"^(.*?): project VmHWM: (\d+) kB", line)
        if found:
            lines.append(f"  {found.group(1):28} project peak {int(found.group(2)) / 1024 / 1024:.2f} GiB")
    return lines


def table(result: dict[str, Any]) -> list[str]:
    """The issue's table with ratio columns, from ``bench_peer.json``."""
    rows = {r["op"]: r for r in result["rows"]}
    head = (
        "| operation | ours median / p99 (ms) | peer median / p99 (ms) | ratio median / p99 (goal <= 2) "
        "| req/s 1 client ours / peer | req/s 16 clients ours / peer | 16-client ratio (goal >= 1) |"
    )
    lines = [head, "|---|---|---|---|---|---|---|"]
    for op in OPERATIONS:
        r = rows.get(op)
        if r is None:
            continue
        lines.append(
            f"| {op} | {r['project_median_ms']:.1f} / {r['project_p99_ms']:.1f} | {r['peer_median_ms']:.1f} / "
            f"{r['peer_p99_ms']:.1f} | {r['ratio_median']:.2f} / {r['ratio_p99']:.2f} | {r['project_rps1']:.1f} / "
            f"{r['peer_rps1']:.1f} | {r['project_rps16']:.1f} / {r['peer_rps16']:.1f} | "
            f"{r['project_rps16'] / r['peer_rps16']:.2f} |"
        )
    city = result.get("city_ms")
    if city:
        lines.append(
            f"\ncity coverage(hz): ours {city['project_graphql']:.1f} ms, PostGraphile {city['peer_graphql']:.1f} ms, "
            f"plain SQL {city['plain_sql']:.1f} ms, tuned SQL {city['plain_sql_tuned']:.1f} ms (medians)"
        )
    return lines


def default_harness() -> Path:
    """``../shared/peer-bench`` beside the project's root (or beside the folder of a worktree that sits one deeper)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "peer-bench" / "run.sh").is_file():
            return base / "shared" / "peer-bench"
    return ROOT.parent / "shared" / "peer-bench"


#: What the copy of the harness changes in ``ndjson_to_pg.py``: records of labels, relationship types and properties
#: the peer's schema lacks (organisational life) are left out instead of stopping the load; the six compared
#: operations read none of them. Each line is replaced where it stands, once.
_LEAVE_OUT = (
    (
        '                table = NODE_TABLE[rec["node"]]\n',
        '                table = NODE_TABLE.get(rec["node"])\n'
        "                if table is None:\n"
        "                    continue  # a label the peer's schema lacks\n",
    ),
    (
        '            owner = b if t == "COLLECTED" else a\n            fk_seen[(t, owner)] += 1\n',
        '            owner = b if t == "COLLECTED" else a\n'
        "            if owner not in rows[table]:\n"
        "                continue  # the owner's label was left out\n"
        "            fk_seen[(t, owner)] += 1\n",
    ),
    (
        '        raise SystemExit(f"unmapped relationship types: {dict(unknown)}")\n',
        '        print(f"left out, not in the peer\'s schema: {dict(unknown)}", file=sys.stderr)\n',
    ),
    (
        '            raise SystemExit(f"{table}: properties not in the schema: {sorted(extra)}")\n',
        '            print(f"{table}: left out, not in the peer\'s schema: {sorted(extra)}", file=sys.stderr)\n',
    ),
)


def leaving_out(converter: str) -> str | None:
    """The harness's ``ndjson_to_pg.py`` text changed to leave out what the peer's schema lacks (``_LEAVE_OUT``);
    ``None`` when it stops at none of them already. A converter with only some of the lines is one this bench does
    not know: it says so rather than guess."""
    counts = [converter.count(strict) for strict, _ in _LEAVE_OUT]
    if not any(counts):
        return None
    if counts != [1] * len(_LEAVE_OUT):
        missing = [strict.strip() for (strict, _), count in zip(_LEAVE_OUT, counts, strict=True) if count != 1]
        raise SystemExit(
            "the harness's ndjson_to_pg.py is not the one this bench knows how to copy; lines not found exactly "
            f"once: {missing}. Give --strict-harness to run it as it is, or --harness a copy that loads the export"
        )
    for strict, tolerant in _LEAVE_OUT:
        converter = converter.replace(strict, tolerant)
    return converter


def usable_harness(harness: Path, state: Path) -> Path:
    """``harness``, or a copy of it under ``state`` whose converter leaves out what the peer's schema lacks."""
    converter = leaving_out((harness / "ndjson_to_pg.py").read_text(encoding="utf-8"))
    if converter is None:
        return harness
    copy = state / "harness"
    shutil.rmtree(copy, ignore_errors=True)
    state.mkdir(parents=True, exist_ok=True)
    shutil.copytree(harness, copy)
    (copy / "ndjson_to_pg.py").write_text(converter, encoding="utf-8")
    print(f"the harness's converter stops at records the peer's schema lacks; running a copy that leaves them out: {copy}")
    return copy


def run_harness(harness: Path, out: Path, response_cache_mb: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    # The harness repeats each request: with the response cache on, every repeat would be a kept answer.
    env = {**os.environ, "GRAPH_SERVICE_RESPONSE_CACHE_MB": str(response_cache_mb)}
    print(f"running {harness / 'run.sh'} (several minutes; output in {out})", flush=True)
    with (out / "harness.log").open("w") as log:
        done = subprocess.run(
            ["bash", str(harness / "run.sh"), str(ROOT), str(out)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--harness", type=Path, default=default_harness())
    parser.add_argument("--out", type=Path, default=None, help="where the harness writes (default $PEER_BENCH_DIR/out)")
    parser.add_argument("--from-json", type=Path, nargs="+", default=None, help="print these runs' tables only")
    parser.add_argument(
        "--strict-harness", action="store_true", help="run the harness as it is, even where its converter stops at our export"
    )
    parser.add_argument(
        "--response-cache-mb",
        type=int,
        default=0,
        help="the server's response cache (default 0: off, so every answer is computed: the cold figures the goal is on)",
    )
    args = parser.parse_args()
    if args.from_json:
        for path in args.from_json:
            print(f"\n== {path} ==")
            print("\n".join(table(json.loads(path.read_text()))))
            out = path.parent
            print(f"load during the side-by-side: {load_summary(out / 'bench_peer.summary')}")
            print("\n".join(memory_lines(out)))
        return
    if not (args.harness / "run.sh").is_file():
        sys.exit(f"no peer-bench harness at {args.harness} (give --harness)")
    state = Path(os.environ.get("PEER_BENCH_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "peer-bench")
    out = args.out or state / "out"
    harness = args.harness if args.strict_harness else usable_harness(args.harness, state)
    code = run_harness(harness, out, args.response_cache_mb)
    print(f"response cache: {args.response_cache_mb} MiB ({'warm answers' if args.response_cache_mb else 'off: cold answers'})")
    result_path = out / "bench_peer.json"
    if not result_path.is_file():
        sys.exit(f"the harness wrote no {result_path} (exit {code}); see {out / 'harness.log'}")
    print("\n".join(table(json.loads(result_path.read_text()))))
    print(f"\nload during the warm-up: {load_summary(out / 'warmup.summary')}")
    print(f"load during the side-by-side: {load_summary(out / 'bench_peer.summary')}")
    print("memory (VmHWM of graph-service serve; goal <= 1 GiB at scale 1):")
    print("\n".join(memory_lines(out)))
    warmup = out / "warmup.log"
    if warmup.is_file():
        print("warm-up (every example operation and analysis once, cold):")
        print(warmup.read_text().rstrip())


if __name__ == "__main__":
    main()
