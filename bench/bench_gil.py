"""Does a LadybugDB statement let Python run beside it? Why requests per second hardly grow with clients.

    python bench/bench_gil.py [--scale 1] [--seconds 3] [--store-root DIR]

A server thread waiting on the store can leave the interpreter to the others only if the engine's Python binding
releases the GIL while a statement runs. This bench runs a statement of the API (a page of pairings in force on a
day) back to back in one thread and counts, in the main thread, the turns of a pure-Python loop in the same time,
against the loop's count alone. With a binding that releases the GIL, on two or more cores the loop keeps about
all of its rate; with one that holds it, the loop gets what the statement thread leaves between statements.
It prints the statement's median time alone and beside the loop, the loop's share, and the load average (other
work on the machine lowers both).

Then it asks whether two statements run side by side on two connections of one database: two threads scan a
table (a ``CONTAINS`` over every node's name) back to back, first the same table, then two different ones, and it
prints the cores the process used. LadybugDB takes a lock per node group while it scans one (a group holds up to
131,072 nodes: at scale 1 each table is one group), so two statements on the same table run one at a time
whatever the connections, and on two tables side by side. Not run by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ladybug  # noqa: E402
from seeded import seeded_store  # noqa: E402

from graph_service.store.embedded import LadybugStore  # noqa: E402
from graph_service.store.queries import Query, filters  # noqa: E402

STATEMENT = Query("pairings_page", filters(("link_in_force", True)))
PARAMS = {"as_of": date(2024, 6, 1), "offset": 0, "limit": 101}
#: A scan of one table each, a few milliseconds at scale 1, run on connections the bench opens itself (the store
#: sends every light statement to its one light connection, which would put them in turn before the engine does).
SCANS = {
    "Person": "MATCH (n:Person) WHERE n.name CONTAINS $s RETURN count(*)",
    "Activity": "MATCH (n:Activity) WHERE n.topic CONTAINS $s RETURN count(*)",
}


def loop_turns(seconds: float, stop: threading.Event | None = None) -> int:
    turns, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end and not (stop and stop.is_set()):
        turns += 1
    return turns


def statement_times(store: LadybugStore, seconds: float) -> list[float]:
    times, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        store.read(STATEMENT, PARAMS)
        times.append(time.perf_counter() - started)
    return times


def scans_side_by_side(db: ladybug.Database, labels: tuple[str, str], runs: int) -> tuple[float, float]:
    """Two threads, each on a connection of its own, run ``runs`` scans of their label: wall seconds and the cores
    the process used meanwhile."""
    connections = [ladybug.Connection(db, num_threads=1) for _ in labels]

    def scan(conn: ladybug.Connection, label: str) -> None:
        for _ in range(runs):
            conn.execute(SCANS[label], {"s": "x"}).close()

    for conn, label in zip(connections, labels, strict=True):
        scan(conn, label)  # planned and paged in before the timing
    threads = [threading.Thread(target=scan, args=pair) for pair in zip(connections, labels, strict=True)]
    cpu, started = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    for conn in connections:
        conn.close()
    return wall, (time.process_time() - cpu) / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--store-root", type=Path)
    args = parser.parse_args()
    with seeded_store(args.scale, root=args.store_root) as seeded:
        store = seeded.store
        store.read(STATEMENT, PARAMS)  # planned once, pages in the pool
        alone = statistics.median(statement_times(store, args.seconds))
        base = loop_turns(args.seconds)
        beside: list[float] = []
        worker = threading.Thread(target=lambda: beside.extend(statement_times(store, args.seconds)))
        worker.start()
        shared = loop_turns(args.seconds)
        worker.join()
        print(f"scale {args.scale:g}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
        print(f"statement alone: median {alone * 1000:.1f} ms; beside the Python loop: {statistics.median(beside) * 1000:.1f} ms")
        print(f"Python loop beside the statements: {shared / base:.0%} of its rate alone (about 100% if the GIL were released)")
        for labels in (("Person", "Person"), ("Person", "Activity"), ("Activity", "Activity")):
            wall, cores = scans_side_by_side(store._db, labels, runs=20)
            print(f"two connections scanning {' and '.join(labels)}, 20 scans each: {wall * 1000:.0f} ms, {cores:.2f} cores")


if __name__ == "__main__":
    main()
