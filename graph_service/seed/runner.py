"""Seed an empty store with a demo profile (``graph-service seed``, ``serve --demo``) and write its ground truth."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from graph_service.domain.records import to_json_line
from graph_service.errors import ConflictError
from graph_service.seed.heze import AS_OF, HezeDataset, generate
from graph_service.services.bulk import bulk_insert
from graph_service.services.calendar import set_reference_day
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
    load_dataset(store, dataset, progress)
    if data_dir is not None:
        write_ground_truth(dataset, Path(data_dir) / GROUND_TRUTH_FILE)
    return dataset


def load_dataset(store: Store, dataset: HezeDataset, progress: Callable[[int], None] | None = None) -> None:
    """Bulk-load ``dataset`` into an empty ``store`` and record the day it was generated for as the store's
    reference day: reads and analyses judge by it when a request names no day (``services.calendar``)."""
    bulk_insert(store, dataset.records, progress)
    set_reference_day(store, AS_OF)


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
