"""Seed a store with a demo profile: ``graph-service seed`` and the API server's ``--demo``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_service.config import Settings
from graph_service.domain.records import to_json_line
from graph_service.errors import ConfigurationError, ConflictError
from graph_service.seed.heze import MIN_SCALE, HezeDataset, generate
from graph_service.services.bulk import bulk_insert
from graph_service.store.factory import open_store
from graph_service.store.port import Store

PROFILES: dict[str, Callable[[float, int], HezeDataset]] = {"heze": lambda scale, seed: generate(scale, seed)}
GROUND_TRUTH_FILE = "ground_truth.json"


def store_is_empty(store: Store) -> bool:
    """Whether the store holds no domain node at all."""
    return not store.read("seed_any_node")


def seed_into(
    store: Store,
    scale: float = 1.0,
    seed: int = 7,
    data_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> HezeDataset:
    """Generate the Heze city and bulk-load it into an empty ``store``; write the ground truth to ``data_dir``.

    ``ConflictError`` if the store already holds data: the seed never mixes with existing records.
    """
    if not store_is_empty(store):
        raise ConflictError("the store is not empty; seeding only fills an empty store (use a new data dir)")
    dataset = generate(scale, seed)
    bulk_insert(store, dataset.records, progress)
    if data_dir is not None:
        write_ground_truth(dataset, Path(data_dir) / GROUND_TRUTH_FILE)
    return dataset


def write_ground_truth(dataset: HezeDataset, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataset.ground_truth, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return path


def write_ndjson(dataset: HezeDataset, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in dataset.records:
            out.write(to_json_line(record))
            out.write("\n")
    return path


def seed_store(settings: Settings, profile: str, scale: float, seed: int, out: Path | None) -> HezeDataset:
    """The ``graph-service seed`` command: generate, load with a progress bar, write ground truth, summarise."""
    if profile not in PROFILES:
        raise ConfigurationError(f"unknown profile {profile!r}; profiles: {', '.join(sorted(PROFILES))}")
    if not scale >= MIN_SCALE:
        raise ConfigurationError(f"--scale must be at least {MIN_SCALE}, not {scale}")
    console = Console(stderr=True)
    store = open_store(settings)
    try:
        if not store_is_empty(store):
            raise ConflictError(
                f"the store at {settings.data_dir} is not empty; seeding only fills an empty store "
                "(point GRAPH_SERVICE_DATA_DIR at a new directory)"
            )
        started = time.perf_counter()
        with console.status(f"generating the {profile} city at scale {scale:g} (seed {seed})"):
            dataset = PROFILES[profile](scale, seed)
        generated = time.perf_counter()
        with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("records", total=len(dataset.records))
            bulk_insert(store, dataset.records, lambda n: bar.advance(task, n))
        loaded = time.perf_counter()
    finally:
        store.close()
    truth_path = write_ground_truth(dataset, Path(settings.data_dir) / GROUND_TRUTH_FILE)
    if out is not None:
        write_ndjson(dataset, out)
        write_ground_truth(dataset, out.with_name(out.name + ".ground_truth.json"))
    _summary(console, dataset, generated - started, loaded - generated, truth_path, out)
    return dataset


def _summary(console: Console, dataset: HezeDataset, gen_s: float, load_s: float, truth: Path, out: Path | None) -> None:
    truth_data: dict[str, Any] = dataset.ground_truth
    table = Table(title=f"Heze demo city, scale {dataset.scale:g}, seed {dataset.seed}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, n in sorted(dataset.counts().items()):
        table.add_row(key, f"{n:,}")
    console.print(table)
    console.print(
        f"{len(dataset.records):,} records: generated in {gen_s:.1f} s, loaded in {load_s:.1f} s "
        f"({len(dataset.records) / max(load_s, 1e-9):,.0f} records/s)"
    )
    console.print(
        f"planted: {len(truth_data['planted_under_covered_compounds'])} under-covered compounds, "
        f"{len(truth_data['healthy_compounds'])} healthy; {len(truth_data['planted_weak_branches'])} weak branches, "
        f"{len(truth_data['healthy_branches'])} healthy; {len(truth_data['chain_breaks'])} chain breaks"
    )
    console.print(f"ground truth: {truth}" + (f"; NDJSON: {out}" if out else ""))
