"""The embedded store's bulk load: all or nothing through its journal, undone in process or at the next open.

``test_import_crash`` kills real imports; these tests pin down the journal's own promises on a real store:
what a failed load leaves, what the next open does with a journal a crash left (also when that journal was
already undone once, or its last line is torn), and that other writes wait for a load.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from graph_service.errors import StoreError
from graph_service.store import load_journal
from graph_service.store.embedded import LadybugStore
from graph_service.store.port import BulkLoader

AREAS = pa.table({"id": ["c", "d"], "level": ["city", "district"], "name": ["菏泽市", "牡丹区"]})
PARTS = pa.table({"from": ["d"], "to": ["c"], "id": ["d:PART_OF:c"]})


def ids(store: LadybugStore, label: str) -> list[str]:
    return sorted(str(row["n"]["id"]) for row in store.read("export_nodes", label=label))


def part_of(store: LadybugStore) -> list[str]:
    return sorted(str(row["rel"]["id"]) for row in store.read("export_rels", rel="PART_OF"))


def open_store(path: Path) -> LadybugStore:
    store = LadybugStore(path)
    store.ensure_schema()
    return store


class Boom(Exception):
    pass


def test_a_load_that_fails_after_some_tables_leaves_an_empty_store_empty(tmp_path: Path) -> None:
    with open_store(tmp_path / "g.lbdb") as store:
        store.write("api_key_create", {"id": "k1", "role": "admin", "key_hash": "h", "note": "", "created": datetime(2024, 1, 1)})

        def load(loader: BulkLoader) -> None:
            loader.nodes("Area", AREAS)
            loader.rels("PART_OF", "Area", "Area", PARTS)
            raise Boom

        with pytest.raises(Boom):
            store.bulk_load(load)
        assert (ids(store, "Area"), part_of(store)) == ([], [])
        assert store.read("api_key_get", {"id": "k1"})  # the service's own tables are not the load's to undo
        assert not load_journal.journal_path(store.path).exists()
        store.bulk_load(lambda loader: loader.nodes("Area", AREAS))
        assert ids(store, "Area") == ["c", "d"]


def test_a_load_that_fails_in_a_filled_store_removes_only_what_it_inserted(tmp_path: Path) -> None:
    with open_store(tmp_path / "g.lbdb") as store:
        store.bulk_load(lambda loader: loader.nodes("Area", AREAS))
        more = pa.table({"id": ["s"], "level": ["street"], "name": ["西城街道"]})
        parts = pa.table({"from": ["d", "s"], "to": ["c", "d"], "id": ["d:PART_OF:c", "s:PART_OF:d"]})

        def load(loader: BulkLoader) -> None:
            loader.nodes("Area", more)
            loader.rels("PART_OF", "Area", "Area", parts)  # one between two nodes that were there before
            raise Boom

        with pytest.raises(Boom):
            store.bulk_load(load)
        assert (ids(store, "Area"), part_of(store)) == (["c", "d"], [])


def test_a_journal_left_by_a_crash_is_undone_at_the_next_open_and_only_then_removed(tmp_path: Path) -> None:
    path = tmp_path / "g.lbdb"
    with open_store(path) as store:
        store.bulk_load(lambda loader: loader.nodes("Area", AREAS))
    # A process that died inside a load into a filled store: the journal names what it had started to insert.
    script = (
        "import os, sys, pyarrow as pa\n"
        "from pathlib import Path\n"
        "from graph_service.store.embedded import LadybugStore\n"
        "store = LadybugStore(Path(sys.argv[1]))\n"
        "def load(loader):\n"
        "    loader.nodes('Area', pa.table({'id': ['s'], 'level': ['street'], 'name': ['西城街道']}))\n"
        "    loader.rels('PART_OF', 'Area', 'Area', pa.table({'from': ['s', 'd'], 'to': ['d', 'c'], 'id': ['s1', 'd1']}))\n"
        "    os._exit(9)\n"
        "store.bulk_load(load)\n"
    )
    died = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, timeout=120)
    assert died.returncode == 9, died.stderr
    journal = load_journal.journal_path(path)
    assert journal.exists()
    saved = journal.read_text(encoding="utf-8")
    with open_store(path) as store:
        assert (ids(store, "Area"), part_of(store)) == (["c", "d"], [])
        assert not journal.exists()
    # A crash after the undo committed but before the journal went: undoing again changes nothing. A torn last
    # line (a crash while it was written, before its COPY) is ignored.
    journal.write_text(saved + '{"nodes": "Area", "ids": ["c"', encoding="utf-8")
    with open_store(path) as store:
        assert (ids(store, "Area"), part_of(store)) == (["c", "d"], [])
        assert not journal.exists()


def test_an_interrupted_load_into_an_empty_store_is_undone_whole_at_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "g.lbdb"
    with open_store(path) as store:
        store.write("api_key_create", {"id": "k1", "role": "admin", "key_hash": "h", "note": "", "created": datetime(2024, 1, 1)})
        store.bulk_load(lambda loader: loader.nodes("Area", AREAS))
        store.bulk_load(lambda loader: loader.rels("PART_OF", "Area", "Area", PARTS))
        version = store.write_version()
    load_journal.LoadJournal.begin(load_journal.journal_path(path), store_was_empty=True).close()
    with open_store(path) as store:
        assert (ids(store, "Area"), part_of(store)) == ([], [])
        assert store.read("api_key_get", {"id": "k1"})
        assert store.write_version() > version  # caches keyed on the version see the change


def test_a_file_in_the_journals_place_that_is_not_one_keeps_the_store_closed(tmp_path: Path) -> None:
    path = tmp_path / "g.lbdb"
    open_store(path).close()
    journal = load_journal.journal_path(path)
    journal.write_text("something else\n", encoding="utf-8")
    with pytest.raises(StoreError, match="not a bulk-load journal"):
        LadybugStore(path)
    assert journal.exists()
    journal.unlink()
    LadybugStore(path).close()


def test_writes_wait_until_a_load_is_over(tmp_path: Path) -> None:
    with open_store(tmp_path / "g.lbdb") as store:
        first_table_in = threading.Event()
        seen: list[Any] = []

        def writer() -> None:
            first_table_in.wait(60)
            # Counting inside a write transaction: it can start only once the load has released the write lock.
            seen.append(store.execute_write(lambda tx: tx.run("contract_count", label="Area")[0]["n"]))

        def load(loader: BulkLoader) -> None:
            loader.nodes("Area", AREAS.slice(0, 1))
            first_table_in.set()
            thread.join(0.5)  # give the writer every chance to slip in between two tables
            loader.nodes("Area", AREAS.slice(1, 1))

        thread = threading.Thread(target=writer)
        thread.start()
        store.bulk_load(load)
        thread.join(60)
        assert seen == [2]
