"""``graph-service import``, ``export`` and ``seed``: the application layer's work, with progress and summaries.

Import and export run on the store or through the server that serves it (``cli/backend.py``); the seed fills an
empty store with the bulk path and refuses a store that a server is serving.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_service.api.discovery import StoreServedError, find_server
from graph_service.bootstrap import bootstrap
from graph_service.cli.backend import Backend
from graph_service.cli.output import PhaseProgress, err, out
from graph_service.config import Settings
from graph_service.domain.schema import NODES, RELS
from graph_service.errors import ConfigurationError, ConflictError
from graph_service.seed.heze import MIN_SCALE, HezeDataset
from graph_service.seed.runner import (
    GROUND_TRUTH_FILE,
    PROFILES,
    load_dataset,
    store_is_empty,
    write_ground_truth,
    write_ndjson,
)
from graph_service.services.ndjson_export import write_atomically, write_lines
from graph_service.services.ndjson_import import ImportReport


def import_command(backend: Backend, path: Path) -> ImportReport:
    """Import with a progress bar on standard error and a summary at the end."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        report = backend.import_file(path, PhaseProgress(bar))
    table = Table(title=f"import of {path}", title_justify="left")
    for column in ("label / type", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column == "label / type" else "right")
    for name, counts in (*report.nodes.items(), *report.rels.items()):
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    totals = report.totals()
    table.add_row("total", str(totals.created), str(totals.updated), str(totals.unchanged), style="bold")
    out.print(table)
    rate = f" ({report.records / report.seconds:,.0f}/s)" if report.records >= 1000 and report.seconds else ""
    duplicates = f"; {report.duplicate_lines} identical duplicate line(s) skipped" if report.duplicate_lines else ""
    if report.changed:
        how = "bulk load (COPY FROM)" if report.method == "bulk" else "upserts in one transaction"
        summary = f"{report.records} records in {report.seconds:.1f} s{rate} via {how}{duplicates}"
    else:
        summary = f"{report.records} records checked in {report.seconds:.1f} s: the store already held every one, nothing changed"
    out.print(summary + ("" if report.changed else duplicates), highlight=False)
    return report


def export_command(backend: Backend, path: Path) -> int:
    """Write the export to ``path`` ('-' for standard output); returns the count.

    A file is written beside its target under a temporary name and renamed at the end, so a failed export
    never leaves a half-written file. Progress goes to standard error.
    """
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("exporting tables", total=len(NODES) + len(RELS))
        counts: dict[str, int] = {}

        def advance(name: str, count: int) -> None:
            counts[name] = count
            bar.update(task, advance=1, description=f"exported {name} ({count})")

        with backend.export(advance) as lines:
            if str(path) == "-":
                written = write_lines(lines, sys.stdout)
                sys.stdout.flush()
            else:
                written = write_atomically(lines, path)
    summary = ", ".join(f"{name} {count}" for name, count in counts.items() if count) or "empty graph"
    err.print(f"exported {written} records ({summary})" + ("" if str(path) == "-" else f" to {path}"))
    return written


def seed_command(settings: Settings, profile: str, scale: float, seed: int, out_path: Path | None) -> HezeDataset:
    """Generate, load with a progress bar, write the ground truth, summarise."""
    if profile not in PROFILES:
        raise ConfigurationError(f"unknown profile {profile!r}; profiles: {', '.join(sorted(PROFILES))}")
    if not scale >= MIN_SCALE:
        raise ConfigurationError(f"--scale must be at least {MIN_SCALE}, not {scale}")
    found = find_server(settings.data_dir)
    if found.server is not None:
        # The seed writes with the bulk path into an empty store only: no request of the admin API does that.
        raise StoreServedError(settings.data_dir, found.server, "cannot seed a store that a server is serving")
    if found.note:
        err.print(f"note: {found.note}", highlight=False)
    with bootstrap(settings) as services:
        store = services.store
        if not store_is_empty(store):
            raise ConflictError(
                f"the store at {settings.data_dir} is not empty; seeding only fills an empty store "
                "(point GRAPH_SERVICE_DATA_DIR at a new directory)"
            )
        started = time.perf_counter()
        with err.status(f"generating the {profile} city at scale {scale:g} (seed {seed})"):
            dataset = PROFILES[profile](scale, seed)
        generated = time.perf_counter()
        with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task("records", total=len(dataset.records))
            load_dataset(store, dataset, lambda n: bar.advance(task, n))
        loaded = time.perf_counter()
    truth_path = write_ground_truth(dataset, Path(settings.data_dir) / GROUND_TRUTH_FILE)
    if out_path is not None:
        write_ndjson(dataset, out_path)
        write_ground_truth(dataset, out_path.with_name(out_path.name + ".ground_truth.json"))
    _seed_summary(dataset, generated - started, loaded - generated, truth_path, out_path)
    return dataset


def _seed_summary(dataset: HezeDataset, gen_s: float, load_s: float, truth: Path, out_path: Path | None) -> None:
    truth_data: dict[str, Any] = dataset.ground_truth
    table = Table(title=f"Heze demo city, scale {dataset.scale:g}, seed {dataset.seed}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, n in sorted(dataset.counts().items()):
        table.add_row(key, f"{n:,}")
    err.print(table)
    err.print(
        f"{len(dataset.records):,} records: generated in {gen_s:.1f} s, loaded in {load_s:.1f} s "
        f"({len(dataset.records) / max(load_s, 1e-9):,.0f} records/s)"
    )
    err.print(
        f"planted: {len(truth_data['planted_under_covered_compounds'])} under-covered compounds, "
        f"{len(truth_data['healthy_compounds'])} healthy; {len(truth_data['planted_weak_branches'])} weak branches, "
        f"{len(truth_data['healthy_branches'])} healthy; {len(truth_data['chain_breaks'])} chain breaks"
    )
    err.print(f"ground truth: {truth}" + (f"; NDJSON: {out_path}" if out_path else ""))


__all__ = ["export_command", "import_command", "seed_command"]
