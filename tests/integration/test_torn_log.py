"""A process killed while it wrote a commit leaves the write-ahead log ending in a torn record: the store opens
anyway, with every transaction committed before the torn one and none of it, and keeps the log as found
(``store.embedded._database``). LadybugDB refused to open such a file at all (a flake of the import crash test
showed it: "Checksum verification failed, the WAL file is corrupted")."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore

REPO = Path(__file__).resolve().parents[2]

#: Two imports that each update a person the store holds (so each takes the upsert path: one write transaction, in
#: the log), then an exit without closing: nothing is checkpointed, both transactions are in the log only.
CHILD = """
import os, sys
from pathlib import Path
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines
from graph_service.store.embedded import LadybugStore

store = LadybugStore(Path(sys.argv[1]))
import_lines(store, sys.argv[2].splitlines())
import_lines(store, sys.argv[3].splitlines())
os._exit(0)
"""


def _people(prefix: str, count: int) -> list[str]:
    return [
        json.dumps({"node": "Person", "id": f"{prefix}-{n}", "props": {"name": f"居民{prefix}{n}", "is_party_member": False}})
        for n in range(count)
    ]


def _lines(prefix: str, count: int) -> str:
    return "\n".join([*_people("before", 1), *_people(prefix, count)])


def _ids(path: Path) -> set[str]:
    with LadybugStore(path) as store:
        records = [json.loads(line) for line in export_records(store)]
    return {r["id"] for r in records if r.get("node") == "Person"}


@pytest.mark.parametrize("cut", [1, 100])
def test_a_log_ending_in_a_torn_write_opens_with_what_was_committed_before_it(
    tmp_path: Path, cut: int, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "graph.lbdb"
    with LadybugStore(path) as store:
        store.ensure_schema()
        import_lines(store, _people("before", 3))
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), _lines("kept", 5), _lines("torn", 50)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr
    log = path.with_name(path.name + ".wal")
    written = log.read_bytes()
    assert len(written) > cut
    # The last commit's write cut short, as by a kill or a power cut while it was written.
    log.write_bytes(written[:-cut])

    with caplog.at_level(logging.WARNING, logger="graph_service.store.embedded"):
        ids = _ids(path)
    assert {i.split("-")[0] for i in ids} == {"before", "kept"}
    assert len(ids) == 8
    kept = list(tmp_path.glob("graph.lbdb.wal.torn-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == written[:-cut]
    assert any("write cut short" in r.getMessage() and str(kept[0]) in r.getMessage() for r in caplog.records)
    # Opened again, the store is whole and says nothing more.
    caplog.clear()
    assert _ids(path) == ids
    assert not caplog.records and len(list(tmp_path.glob("graph.lbdb.wal.torn-*"))) == 1
