"""LadybugDB reserves address space per open database (8 TiB by default: one process holds about 15 stores out of
128 TiB, "Mmap for size 8796093022208 failed" past that). GRAPH_SERVICE_MAX_DB_GB bounds it for a process that
must hold many small stores; the test servers of one module stop with it, so the suite needs no such setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.config import ConfigurationError, Settings
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


def test_the_size_must_be_a_power_of_two(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"GRAPH_SERVICE_MAX_DB_GB.*1000"):
        Settings(data_dir=tmp_path, max_db_gb=1000)
    assert Settings(data_dir=tmp_path, max_db_gb=64).max_db_gb == 64
