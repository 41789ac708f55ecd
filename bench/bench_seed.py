"""Seeding the Heze city: generation time, load time and records/s against LadybugDB's own COPY FROM of the same
rows, and the peak memory of a seeding process.

    python bench/bench_seed.py                 # scale 1
    python bench/bench_seed.py --scales 0.1 1 10

Each scale runs in fresh subprocesses (one seeds through ``seed_into``: generate + ``bulk_insert``; one loads the
same rows with a bare ``COPY <table> FROM <arrow table>`` on a raw ladybug connection, tables built before the
clock starts), so ``ru_maxrss`` is that scale's own peak.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def _seed_child(scale: float) -> dict[str, float]:
    from graph_service.seed.heze import generate
    from graph_service.services.bulk import bulk_insert
    from graph_service.services.coverage import coverage_figures
    from graph_service.store.embedded import LadybugStore

    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph.lbdb")
        store.ensure_schema()
        t0 = time.perf_counter()
        dataset = generate(scale, 7)
        t1 = time.perf_counter()
        bulk_insert(store, dataset.records)
        t2 = time.perf_counter()
        coverage_figures(store, "hz")
        t3 = time.perf_counter()
        n = len(dataset.records)
        store.close()
    return {
        "records": n,
        "generate_s": t1 - t0,
        "load_s": t2 - t1,
        "coverage_s": t3 - t2,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _copy_child(scale: float) -> dict[str, float]:
    import ladybug
    import pyarrow as pa

    from graph_service.domain.records import NodeRecord
    from graph_service.domain.schema import NODES, RELS
    from graph_service.seed.heze import generate
    from graph_service.store.arrow_types import ARROW_TYPES
    from graph_service.store.queries import QueryCatalog, split_statements

    dataset = generate(scale, 7)
    nodes: dict[str, list] = defaultdict(list)
    rels: dict[tuple[str, str, str], list] = defaultdict(list)
    for r in dataset.records:
        if isinstance(r, NodeRecord):
            nodes[r.label].append(r)
        else:
            rels[(r.type, r.from_label, r.to_label)].append(r)
    tables = []
    for label, rows in nodes.items():
        spec = NODES[label]
        cols = {
            p.name: pa.array([r.id if p.name == "id" else r.props.get(p.name) for r in rows], ARROW_TYPES[p.type])
            for p in spec.props
        }
        tables.append((label, pa.table(cols), ""))
    for (rtype, a, b), rows in sorted(rels.items()):
        spec = RELS[rtype]
        cols = {"from": pa.array([r.from_id for r in rows]), "to": pa.array([r.to_id for r in rows])}
        for p in spec.props:
            cols[p.name] = pa.array([r.id if p.name == "id" else r.props.get(p.name) for r in rows], ARROW_TYPES[p.type])
        tables.append((rtype, pa.table(cols), f" (from='{a}', to='{b}')"))
    order = {label: i for i, label in enumerate(NODES)}
    tables.sort(key=lambda t: (t[2] != "", order.get(t[0], 0)))
    with tempfile.TemporaryDirectory() as tmp:
        db = ladybug.Database(str(Path(tmp) / "raw.lbdb"))
        conn = ladybug.Connection(db)
        for statement in split_statements(QueryCatalog("ladybug").text("schema")):
            conn.execute(statement)
        t0 = time.perf_counter()
        for name, table, options in tables:
            bulk_rows = table  # noqa: F841 - read by name by COPY
            conn.execute(f"COPY {name} FROM bulk_rows{options}")
        t1 = time.perf_counter()
        conn.close()
        db.close()
    return {"records": len(dataset.records), "copy_s": t1 - t0}


def _run(kind: str, scale: float) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--scales", str(scale)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0])
    parser.add_argument("--child", choices=["seed", "copy"])
    args = parser.parse_args()
    if args.child:
        result = (_seed_child if args.child == "seed" else _copy_child)(args.scales[0])
        print(json.dumps(result))
        return
    print(
        f"{'scale':>6} {'records':>10} {'gen s':>7} {'load s':>7} {'rec/s':>10} {'COPY s':>7} {'COPY rec/s':>11} "
        f"{'ratio':>6} {'peak MB':>8} {'city figures s':>15}"
    )
    for scale in args.scales:
        seed = _run("seed", scale)
        copy = _run("copy", scale)
        ours, raw = seed["records"] / seed["load_s"], copy["records"] / copy["copy_s"]
        print(
            f"{scale:>6g} {int(seed['records']):>10,} {seed['generate_s']:>7.1f} {seed['load_s']:>7.2f} {ours:>10,.0f} "
            f"{copy['copy_s']:>7.2f} {raw:>11,.0f} {ours / raw:>6.2f} {seed['maxrss_mb']:>8,.0f} {seed['coverage_s']:>15.1f}"
        )


if __name__ == "__main__":
    main()
