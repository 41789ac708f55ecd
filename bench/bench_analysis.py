"""Benchmark: projection and analyses at several scales of the Heze demo city (not run by pytest).

    python bench/bench_analysis.py                 # scales 0.1 and 1
    python bench/bench_analysis.py --scales 0.1 1 10

For each scale: seed a fresh embedded store (not timed here; see the seed's own bench; ``--store-root DIR`` keeps
each scale's store under DIR and reuses it, see ``bench/seeded.py``), then
  * projection: the cold read of the whole graph into networkx (bulk reads + graph build), time and peak memory;
  * core analyses: the compounds' measures (one store statement), coverage, roll-ups, chain, weakness;
  * the full run (``run_all`` without saving): core + structure, mobilisation, pairing recommendations;
and print the ratio analysis/projection (goal <= 2) and how each grows with scale (goal: about linear). Then, after
one mutation (an organisation's plaque flipped through ``ChangeService``, as the API does it): the projection
alone and the weakness verdicts (``AnalysisService.weak``: projection, compound measures, index, verdicts) of the
city, a district and a community, cold (a fresh cache) against the same call right after the mutation, which
patches the cached projection (goal: at most a tenth of the cold call). The load average is printed beside them.
Peak memory is measured in a second pass under tracemalloc (Python objects; Arrow buffers are counted with
``pyarrow.total_allocated_bytes`` at their peak during the reads) so the timings are not slowed by tracing.
Each scale runs in its own process so that one scale's memory does not inflate the next's.

``--run-all-only`` measures what ``graph-service analyze`` does and nothing else, in a fresh process per scale:
the projection through ``ProjectionCache`` and ``run_all`` (not saved), with each step's time, the ratio of the
analyses to the projection, and the process's peak resident memory (``ru_maxrss``) with, when each step starts, the
peak so far and the resident memory then.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path


def measure(scale: float, seed: int, full: bool = True, root: Path | None = None) -> dict[str, object]:
    import pyarrow as pa
    from seeded import seeded_store

    from graph_service.analysis import projection as proj
    from graph_service.analysis.chain import chain_completeness
    from graph_service.analysis.common import Thresholds
    from graph_service.analysis.coverage import compound_coverage, coverage_rollups
    from graph_service.analysis.weakness import organization_weakness
    from graph_service.config import AnalysisSettings
    from graph_service.seed.heze import AS_OF
    from graph_service.services.analyses import run_all
    from graph_service.services.coverage import compound_measures

    with seeded_store(scale, seed, root) as seeded:
        store = seeded.store
        records = seeded.records

        def project() -> tuple[object, float, float, float]:
            t0 = time.perf_counter()
            tables = proj.read_tables(store)
            t1 = time.perf_counter()
            arrow_bytes = pa.total_allocated_bytes()
            graph = proj.build_graph(tables)
            t2 = time.perf_counter()
            del tables
            return graph, t1 - t0, t2 - t1, arrow_bytes

        th = Thresholds(as_of=AS_OF)

        def core(graph: object) -> dict[str, float]:
            out: dict[str, float] = {}
            found: list[object] = []
            measured: list[object] = []
            for name, fn in (
                ("measures", lambda: measured.extend(compound_measures(store, None, th.day()))),
                ("coverage", lambda: found.append(compound_coverage(graph, measured, th))),  # type: ignore[arg-type]
                ("roll-ups", lambda: coverage_rollups(graph, found[0], th)),  # type: ignore[arg-type]
                ("chain", lambda: chain_completeness(graph, th)),  # type: ignore[arg-type]
                ("weakness", lambda: organization_weakness(graph, measured, th)),  # type: ignore[arg-type]
            ):
                t = time.perf_counter()
                fn()
                out[name] = time.perf_counter() - t
            return out

        # Pass 1: timings (a frozen graph, as ProjectionCache gives, so the index is shared like in production).
        import networkx as nx

        graph, read_s, build_s, arrow_bytes = project()
        graph = nx.freeze(graph)
        nodes, edges = graph.number_of_nodes(), graph.number_of_edges()  # type: ignore[attr-defined]
        core_steps = core(graph)
        projections = proj.ProjectionCache(store)
        t = time.perf_counter()
        projections.get()
        cached_projection_s = time.perf_counter() - t
        full_steps = run_all(projections, settings=AnalysisSettings(), as_of=AS_OF, save=False).timings if full else {}
        t = time.perf_counter()
        projections.get()
        warm_s = time.perf_counter() - t
        del projections

        mutation = after_one_mutation(store)

        # Pass 2: peak memory of the projection and of the core analyses.
        del graph
        tracemalloc.start()
        graph, *_ = project()
        _, projection_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        core(nx.freeze(graph))
        _, analysis_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    projection_s = read_s + build_s
    core_s = sum(core_steps.values())
    full_analysis_s = sum(v for k, v in full_steps.items() if k not in ("projection", "save run")) or float("nan")
    return {
        "scale": scale,
        "records": records,
        "nodes": nodes,
        "edges": edges,
        "projection_s": round(projection_s, 3),
        "projection_read_s": round(read_s, 3),
        "projection_build_s": round(build_s, 3),
        "projection_via_cache_s": round(cached_projection_s, 3),
        "projection_warm_s": round(warm_s, 6),
        "core_analysis_s": round(core_s, 3),
        "core_steps_s": {k: round(v, 3) for k, v in core_steps.items()},
        "full_analysis_s": round(full_analysis_s, 3),
        "full_steps_s": {k: round(v, 3) for k, v in full_steps.items()},
        "ratio_core": round(core_s / projection_s, 2),
        "ratio_full": round(full_analysis_s / projection_s, 2),
        "projection_peak_mb": round(projection_peak / 2**20, 1),
        "arrow_mb": round(arrow_bytes / 2**20, 1),
        "analysis_peak_mb": round((analysis_peak - before) / 2**20, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "after_mutation_s": mutation,
    }


def after_one_mutation(store: object) -> dict[str, float]:
    """Seconds of a cold call and of the same call right after one mutation, for the projection alone and for the
    weakness verdicts of the city, a district and a community (each with a fresh cache and service); the load
    average over the last minute is kept beside them."""
    import os

    from graph_service.analysis.projection import ProjectionCache
    from graph_service.config import AnalysisSettings
    from graph_service.seed.heze import AS_OF
    from graph_service.services.analyses import AnalysisService
    from graph_service.services.changes import ChangeService

    changes = ChangeService(store)  # type: ignore[arg-type]
    graph = ProjectionCache(store).get()  # type: ignore[arg-type]
    branch, compound = next(
        (u, v)
        for u, v, rel in graph.edges(data="type")
        if rel == "LEADS" and graph.nodes[u].get("kind") == "compound_branch" and not graph.nodes[u].get("dissolved")
    )
    chain = [compound]
    while parents := [t for _, t, rel in graph.out_edges(chain[-1], data="type") if rel == "PART_OF"]:
        chain.append(parents[0])
    levels = {graph.nodes[a]["level"]: a for a in chain}
    del graph

    def mutate() -> None:
        plaque = (changes.get_node("Organization", branch) or {}).get("has_plaque")
        changes.update_node("bench", "Organization", branch, {"has_plaque": not plaque})

    def timed(call: object) -> float:
        started = time.perf_counter()
        call()  # type: ignore[operator]
        return time.perf_counter() - started

    out: dict[str, float] = {}
    projections = ProjectionCache(store)  # type: ignore[arg-type]
    out["projection_cold"] = timed(projections.get)
    mutate()
    out["projection_after"] = timed(projections.get)
    for scope, area in (("city", None), ("district", levels["district"]), ("community", levels["community"])):
        service = AnalysisService(ProjectionCache(store), AnalysisSettings())  # type: ignore[arg-type]
        out[f"weak_{scope}_cold"] = timed(lambda: service.weak(area, AS_OF))  # noqa: B023 - called at once
        mutate()
        out[f"weak_{scope}_after"] = timed(lambda: service.weak(area, AS_OF))  # noqa: B023 - called at once
        counts = service.projections.counts
        if (counts.builds, counts.patches) != (1, 1):
            raise RuntimeError(f"expected one build and one patch for {scope}, got {counts}")
    out = {k: round(v, 3) for k, v in out.items()}
    out["load_average_1m"] = round(os.getloadavg()[0], 2)
    return out


def _resident_mb() -> float:
    """The process's resident memory now (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_run_all(scale: float, seed: int, root: Path | None = None) -> dict[str, object]:
    from seeded import seeded_store

    from graph_service.analysis.projection import ProjectionCache
    from graph_service.config import AnalysisSettings
    from graph_service.seed.heze import AS_OF
    from graph_service.services.analyses import run_all

    with seeded_store(scale, seed, root) as seeded:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_before: dict[str, float] = {}  # the process's peak so far when each step starts
        rss_at: dict[str, float] = {}  # and its resident memory then (what the earlier steps left)
        # CPU seconds per step beside run_all's wall-clock ones: on a shared machine they move less with the load.
        cpu_at: list[tuple[str, float]] = []

        def progress(step: str, done: int, total: int) -> None:
            peak_before[step] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            rss_at[step] = round(_resident_mb(), 1)
            cpu_at.append((step, time.process_time()))

        report = run_all(ProjectionCache(seeded.store), settings=AnalysisSettings(), progress=progress, as_of=AS_OF, save=False)
    steps = report.timings
    cpu_steps = {a[0]: round(b[1] - a[1], 3) for a, b in itertools.pairwise(cpu_at)}
    projection_s = steps["projection"]
    analyses_s = sum(v for k, v in steps.items() if k != "projection")
    return {
        "scale": scale,
        "nodes": report.projection.nodes,
        "edges": report.projection.edges,
        "steps_s": {k: round(v, 3) for k, v in steps.items()},
        "cpu_steps_s": cpu_steps,
        "cpu_ratio": round(sum(v for k, v in cpu_steps.items() if k != "projection") / cpu_steps["projection"], 2),
        "projection_s": round(projection_s, 3),
        "analyses_s": round(analyses_s, 3),
        "ratio": round(analyses_s / projection_s, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_when_step_starts_mb": peak_before,
        "rss_when_step_starts_mb": rss_at,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--full-max-scale", type=float, default=1.0, help="run_all (with structure) up to this scale")
    parser.add_argument("--store-root", type=Path, help="keep each scale's seeded store under this directory and reuse it")
    parser.add_argument("--run-all-only", action="store_true", help="only the projection and run_all, with peak RSS")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # internal: run one scale, print JSON
    args = parser.parse_args()
    if args.one is not None and args.run_all_only:
        print(json.dumps(measure_run_all(args.one, args.seed, root=args.store_root)))
        return
    if args.one is not None:
        print(json.dumps(measure(args.one, args.seed, full=args.one <= args.full_max_scale, root=args.store_root)))
        return
    rows = []
    for scale in args.scales:
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(scale),
                "--seed",
                str(args.seed),
                "--full-max-scale",
                str(args.full_max_scale),
                *(["--store-root", str(args.store_root)] if args.store_root else []),
                *(["--run-all-only"] if args.run_all_only else []),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"scale {scale}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False))
    if not rows or args.run_all_only:
        return
    print()
    print(f"{'scale':>6} {'nodes':>9} {'edges':>9} {'proj s':>8} {'core s':>8} {'full s':>8} "
          f"{'core/proj':>9} {'full/proj':>9} {'proj MB':>8} {'anal MB':>8} {'rss MB':>8}")  # fmt: skip
    for r in rows:
        print(
            f"{r['scale']:>6} {r['nodes']:>9} {r['edges']:>9} {r['projection_s']:>8} {r['core_analysis_s']:>8} "
            f"{r['full_analysis_s']:>8} {r['ratio_core']:>9} {r['ratio_full']:>9} {r['projection_peak_mb']:>8} "
            f"{r['analysis_peak_mb']:>8} {r['max_rss_mb']:>8}"
        )
    base = rows[0]
    for r in rows[1:]:
        growth = r["edges"] / base["edges"]
        print(
            f"scale {base['scale']} -> {r['scale']}: edges x{growth:.1f}, projection x"
            f"{r['projection_s'] / base['projection_s']:.1f}, core analyses x"
            f"{r['core_analysis_s'] / base['core_analysis_s']:.1f}, full x{r['full_analysis_s'] / base['full_analysis_s']:.1f}"
        )
    with_full = [r for r in rows if r["full_steps_s"]]
    if with_full:
        last = with_full[-1]
        slowest = max(last["full_steps_s"].items(), key=lambda kv: kv[1] if kv[0] != "projection" else -1)
        print(f"slowest analysis step at scale {last['scale']}: {slowest[0]} ({slowest[1]} s)")
    print("\nafter one mutation (cold call -> the same call after it; goal: ratio <= 0.1):")
    for r in rows:
        m = r["after_mutation_s"]
        parts = [
            f"{what} {m[f'{key}_cold']} -> {m[f'{key}_after']} s ({m[f'{key}_after'] / m[f'{key}_cold']:.2f})"
            for what, key in (
                ("projection", "projection"),
                ("weak city", "weak_city"),
                ("weak district", "weak_district"),
                ("weak community", "weak_community"),
            )
        ]
        print(f"scale {r['scale']}: " + "; ".join(parts) + f"; load average {m['load_average_1m']}")
    print(f"(today: {date.today().isoformat()})")


if __name__ == "__main__":
    main()
