"""Time the structure, mobilisation and pairing analyses against the projection they run on.

    python bench/bench_structure.py --scales 0.1 1

For each scale: generate the Heze demo city, load it into a fresh embedded store, read the projection (cold),
then time each step on its own. Prints seconds per step, the ratio of each step to the projection read, how the
times grow from one scale to the next, and the peak resident memory of the process. Not run by pytest.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph_service.analysis.common import Thresholds
from graph_service.analysis.coverage import under_covered_compounds
from graph_service.analysis.mobilization import mobilization_reach
from graph_service.analysis.projection import ProjectionCache
from graph_service.analysis.recommendations import community_demand, recommend_pairings
from graph_service.analysis.structure import (
    BlockCutTree,
    brokers,
    critical_bridges,
    current_posts,
    isolated_groups,
    overloaded_people,
    people_org_network,
    single_points_of_failure,
)
from graph_service.seed.heze import AS_OF, generate
from graph_service.services.analyses import graph_and_measures
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore


def _timed(label: str, fn: Callable[[], Any], times: dict[str, float]) -> Any:
    start = time.perf_counter()
    value = fn()
    times[label] = time.perf_counter() - start
    return value


def run(scale: float, broker_sample: int) -> dict[str, float]:
    times: dict[str, float] = {}
    dataset = generate(scale)
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph.lbdb")
        store.ensure_schema()
        bulk_insert(store, dataset.records, None)
        projections = ProjectionCache(store)
        graph = _timed("projection", projections.get, times)
        net = _timed("network", lambda: people_org_network(graph, as_of=AS_OF), times)
        tree = _timed("block-cut tree", lambda: BlockCutTree(net), times)
        spof = _timed("single_points", lambda: single_points_of_failure(net, tree=tree), times)
        bridges = _timed("bridges", lambda: critical_bridges(net, tree=tree), times)
        top = _timed("brokers (betweenness)", lambda: brokers(net, sample=broker_sample, seed=0, tree=tree), times)
        groups = _timed("louvain+components", lambda: isolated_groups(net, seed=0), times)
        over = _timed("overloaded", lambda: overloaded_people(current_posts(graph, as_of=AS_OF)), times)
        streets = [n for n, a in graph.nodes(data=True) if a.get("kind") == "street_committee"]
        reaches = _timed(
            "reach(all streets,k=4)", lambda: [mobilization_reach(graph, s, k=4, as_of=AS_OF) for s in streets], times
        )
        th = Thresholds(as_of=AS_OF)
        graph, measures = graph_and_measures(projections, None, th)
        covered = _timed("coverage(for demand)", lambda: under_covered_compounds(graph, measures, th), times)
        per_community = Counter(c.community_id for c in covered if c.community_id)
        demand = community_demand(graph, under_covered=dict(per_community), as_of=AS_OF)
        plan = _timed("pairing plan", lambda: recommend_pairings(graph, demand=demand, as_of=AS_OF), times)
        store.close()
    print(
        f"scale {scale}: graph {graph.number_of_nodes()} nodes / {graph.number_of_edges()} edges; "
        f"network {net.number_of_nodes()} / {net.number_of_edges()}; {len(spof)} single points, {len(bridges)} bridges, "
        f"{len(top)} brokers ({top[0].sources if top else 0} betweenness sources), "
        f"{len(groups.components)} isolated parts, {len(groups.communities)} communities, "
        f"{len(over)} overloaded, {len(reaches)} streets reached, {len(plan.proposals)} proposals "
        f"({sum(u.unmet for u in plan.unmet)} unmet of {plan.demand_total})"
    )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--broker-sample", type=int, default=500)
    args = parser.parse_args()
    results: dict[float, dict[str, float]] = {}
    for scale in args.scales:
        results[scale] = run(scale, args.broker_sample)
        times = results[scale]
        base = times["projection"]
        analysis = sum(v for k, v in times.items() if k not in ("projection", "coverage(for demand)"))
        print(f"{'step':28} {'seconds':>9} {'/projection':>12}")
        for label, seconds in times.items():
            print(f"{label:28} {seconds:9.3f} {seconds / base:12.2f}")
        slowest = max((k for k in times if k != "projection"), key=times.__getitem__)
        print(f"structure+reach+plan total {analysis:.3f} s = {analysis / base:.2f} x projection; slowest: {slowest}")
        print(f"peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB\n")
    scales = sorted(results)
    for low, high in itertools.pairwise(scales):
        print(f"growth {low} -> {high} (x{high / low:g} data):")
        for label in results[low]:
            if label in results[high] and results[low][label] > 0:
                print(f"  {label:28} x{results[high][label] / results[low][label]:.1f}")


if __name__ == "__main__":
    main()
