"""LadybugDB reserves address space per open database (8 TiB by default: one process holds about 15 stores out of
128 TiB, "Mmap for size 8796093022208 failed" past that). GRAPH_SERVICE_MAX_DB_GB bounds it for a process that
must hold many small stores; the test servers of one module stop with it, so the suite needs no such setting."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from graph_service.config import ConfigurationError, Settings
from graph_service.errors import NotFoundError
from graph_service.services.changes import ChangeService
from graph_service.store.embedded import LadybugStore


def test_a_process_holds_many_stores_open_at_once(tmp_path: Path) -> None:
    # 40 at the 8 TiB default would need 320 TiB of address space: more than a process has.
    stores = [LadybugStore(tmp_path / f"s{i}" / "graph.lbdb", pool_size=1, max_db_gb=64) for i in range(40)]
    try:
        stores[-1].ensure_schema()
        assert stores[-1].write_version() >= 0
    finally:
        for store in stores:
            store.close()


def test_a_closed_store_gives_its_address_space_back_at_once(tmp_path: Path) -> None:
    # 20 stores at the 8 TiB default, one after the other, each closed while a refused change's traceback still
    # holds one of its connections (until the collector runs): that connection's prepared statements kept the
    # engine's database, and the space it reserved, alive. 160 TiB if none were given back.
    kept: list[BaseException] = []
    gc.disable()
    try:
        for i in range(20):
            store = LadybugStore(tmp_path / f"s{i}" / "graph.lbdb", pool_size=1)
            try:
                store.ensure_schema()
                ChangeService(store).end_node("key:test(editor)", "Area", "nowhere", "2024-01-31")
            except NotFoundError as error:
                kept.append(error)
            finally:
                store.close()
    finally:
        gc.enable()
    assert len(kept) == 20


def test_the_size_must_be_a_power_of_two(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"GRAPH_SERVICE_MAX_DB_GB.*1000"):
        Settings(data_dir=tmp_path, max_db_gb=1000)
    assert Settings(data_dir=tmp_path, max_db_gb=64).max_db_gb == 64
