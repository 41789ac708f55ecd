"""A seeded Heze store for the benches: a fresh one in a temporary directory, or one kept under a directory and
reused, so that a scale-10 city (about 3 M records, many minutes to seed) is seeded once for many measurements.

With ``root`` given, scale ``S`` lives in ``<root>/s<S>/graph.lbdb`` (``s10``, ``s1``, ``s0.1``): seeded there the
first time (by this helper or by ``GRAPH_SERVICE_DATA_DIR=<root>/s<S> graph-service seed --scale S``), opened as it
is afterwards. The benches that use it only read, so the store stays as seeded.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph_service.seed.heze import generate
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore


@dataclass
class Seeded:
    store: LadybugStore
    directory: Path
    #: Records seeded now; None when an existing store was opened.
    records: int | None
    seed_seconds: float


def store_dir(root: Path, scale: float) -> Path:
    return root / f"s{scale:g}"


@contextmanager
def seeded_store(scale: float, seed: int = 7, root: Path | None = None, buffer_pool_mb: int = 0) -> Iterator[Seeded]:
    """The store of the Heze city at ``scale`` (closed on exit); kept under ``root`` when given."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) if root is None else store_dir(root, scale)
        directory.mkdir(parents=True, exist_ok=True)
        existed = (directory / "graph.lbdb").exists()
        store = LadybugStore(directory / "graph.lbdb", buffer_pool_mb=buffer_pool_mb)
        try:
            records: int | None = None
            seconds = 0.0
            if not existed:
                store.ensure_schema()
                started = time.perf_counter()
                dataset = generate(scale, seed)
                records = len(dataset.records)
                bulk_insert(store, dataset.records)
                seconds = time.perf_counter() - started
                del dataset
                # What the load took of LadybugDB's buffer pool it keeps for the process's life (docs/performance.md,
                # "The buffer pool"): at scale 10 the example operations then ran it full. A server is started on a
                # seeded store, so the benchmark's store is opened again, as ``serve`` would open it.
                store.close()
                store = LadybugStore(directory / "graph.lbdb", buffer_pool_mb=buffer_pool_mb)
            yield Seeded(store, directory, records, seconds)
        finally:
            store.close()
