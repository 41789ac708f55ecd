"""The write side and the integration feeds on the seeded Heze city: mutation latency, store statements per
mutation, change-feed paging, and export throughput; how they grow with the scale.

    python bench/bench_writes.py                  # scales 0.1 and 1
    python bench/bench_writes.py --scales 0.1 1 10 --n 200

Each scale seeds a fresh embedded store in a temporary directory, then times ``ChangeService`` calls directly
(no HTTP: the API adds a constant per request, measured by the API benchmark) and the export generators the
REST endpoints stream.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(fn: Callable[[], Any], n: int) -> tuple[list[float], int]:
    from graph_service.store.port import count_round_trips

    times = []
    with count_round_trips() as trips:
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return times, trips.count // n


def _stats(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms  p99 {p99 * 1000:7.2f} ms"


def run(scale: float, n: int) -> dict[str, float]:
    from graph_service.seed.heze import generate
    from graph_service.services import audit, pairing_export
    from graph_service.services.bulk import bulk_insert
    from graph_service.services.changes import ChangeService
    from graph_service.store.embedded import LadybugStore

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph.lbdb")
        store.ensure_schema()
        dataset = generate(scale, 7)
        bulk_insert(store, dataset.records)
        community_orgs = [
            r["n"]["id"]
            for r in store.read("change_snapshot_nodes", label="Organization")
            if r["n"]["kind"] == "community_committee"
        ]
        svc = ChangeService(store)
        print(f"\n== scale {scale}: {len(dataset.records):,} records, {len(community_orgs)} community committees")

        counter = iter(range(10**9))

        def new_unit() -> str:
            uid = f"bench-upo-{next(counter)}"
            svc.create_node("bench", "Organization", {"id": uid, "kind": "unit_party_org", "name": uid, "unit_type": "agency"})
            return uid

        times, trips = _timed(new_unit, n)
        print(f"createOrganization     {_stats(times)}  {trips} statements")
        out["create_node_ms"] = statistics.median(times) * 1000

        units = [f"bench-upo-{i}" for i in range(n)]
        made: list[str] = []

        def pair() -> None:
            i = len(made)
            row = svc.create_rel(
                "bench", "PAIRED_WITH", units[i], community_orgs[i % len(community_orgs)], {"start_date": "2024-01-01"}
            )
            made.append(row["id"])

        times, trips = _timed(pair, n)
        print(f"createPairing          {_stats(times)}  {trips} statements")
        out["create_pairing_ms"] = statistics.median(times) * 1000

        it = iter(made)
        times, trips = _timed(lambda: svc.update_rel("bench", "PAIRED_WITH", next(it), {"resources": "场地"}), n)
        print(f"updatePairing          {_stats(times)}  {trips} statements")
        it = iter(made)
        times, trips = _timed(lambda: svc.end_rel("bench", "PAIRED_WITH", next(it), "2024-12-31"), n)
        print(f"endPairing             {_stats(times)}  {trips} statements")
        out["end_pairing_ms"] = statistics.median(times) * 1000

        cursor: list[str | None] = [None]

        def page() -> None:
            _, cursor[0] = audit.changes_since(store, ["PAIRED_WITH"], cursor[0], 50)

        times, _ = _timed(page, max(1, 3 * n // 50))
        print(f"pairingChanges(50)     {_stats(times)}  (audit trail of {4 * n} entries)")

        for name, gen in (
            ("pairings.ndjson", lambda: pairing_export.pairings_ndjson(store)),
            ("pairings.csv", lambda: pairing_export.pairings_csv(store)),
            ("popolo.json", lambda: pairing_export.popolo_json(store, with_person_names=False)),
        ):
            t0 = time.perf_counter()
            size = sum(len(chunk.encode()) for chunk in gen())
            dt = time.perf_counter() - t0
            print(f"export {name:16s} {dt:7.2f} s  {size / 1e6:8.1f} MB  {size / 1e6 / dt:6.1f} MB/s")
            out[f"export_{name}_s"] = dt
        pairings = sum(1 for _ in pairing_export.iter_pairings(store))
        print(f"pairings exported      {pairings:,}")
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--n", type=int, default=100, help="mutations of each kind")
    args = parser.parse_args()
    results = {scale: run(scale, args.n) for scale in args.scales}
    if len(results) > 1:
        first, last = args.scales[0], args.scales[-1]
        print(f"\n== growth from scale {first} to {last} (x{last / first:g} data)")
        for key in results[first]:
            ratio = results[last][key] / results[first][key] if results[first][key] else float("nan")
            print(f"{key:28s} x{ratio:6.2f}")


if __name__ == "__main__":
    main()
