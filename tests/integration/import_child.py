"""An import run in its own process for the crash test (``test_import_crash``), which kills it with SIGKILL.

    python -m tests.integration.import_child STORE FILE PAUSE_AT BATCH_SIZE

Runs the import service on the real embedded store and prints each step on standard output: ``phase NAME``
when a phase starts, ``step N`` after each table (bulk path) or batch (upsert path) written, ``done METHOD``
at the end. With ``PAUSE_AT`` = N > 0 it prints ``paused`` after the N-th step and sleeps there, inside the
write, so the test can kill it at a known point; with 0 it runs through.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from graph_service.services.ndjson_import import import_lines, read_file
from graph_service.store.embedded import LadybugStore


class PrintingProgress:
    def __init__(self, pause_at: int) -> None:
        self.pause_at = pause_at
        self.phase_name = ""
        self.steps = 0

    def phase(self, name: str, total: int | None) -> None:
        self.phase_name = name
        print(f"phase {name}", flush=True)

    def advance(self, count: int) -> None:
        if self.phase_name != "writing":
            return
        self.steps += 1
        print(f"step {self.steps}", flush=True)
        if self.steps == self.pause_at:
            print("paused", flush=True)
            time.sleep(3600)


def main(argv: list[str]) -> None:
    store_path, file_path, pause_at, batch_size = argv
    data = read_file(Path(file_path))
    with LadybugStore(Path(store_path)) as store:
        store.ensure_schema()
        report = import_lines(store, data, PrintingProgress(int(pause_at)), batch_size=int(batch_size))
    print(f"done {report.method}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
