"""The embedded store's buffer pool: set, or sized from the database file (``config.buffer_pool_mb_for``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.config import (
    BUFFER_POOL_PER_DATABASE_BYTE,
    DEFAULT_BUFFER_POOL_MB,
    MIN_BUFFER_POOL_MB,
    Settings,
    buffer_pool_mb_for,
)
from graph_service.errors import ConfigurationError
from graph_service.store.embedded import LadybugStore


def _file(path: Path, mib: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(mib * 2**20)  # sparse: the size is what counts
    return path


def test_unset_it_is_the_default_until_the_database_outgrows_it(tmp_path: Path) -> None:
    assert buffer_pool_mb_for(0, tmp_path / "none.lbdb") == DEFAULT_BUFFER_POOL_MB  # a new store
    assert buffer_pool_mb_for(0, _file(tmp_path / "scale1.lbdb", 80)) == DEFAULT_BUFFER_POOL_MB
    # A province (scale 10: a 632 MB file) gets four times its file, above the 2 GiB that held its example load.
    assert buffer_pool_mb_for(0, _file(tmp_path / "scale10.lbdb", 603)) == BUFFER_POOL_PER_DATABASE_BYTE * 603 > 2048


def test_a_setting_wins_over_the_size(tmp_path: Path) -> None:
    assert buffer_pool_mb_for(512, _file(tmp_path / "big.lbdb", 2000)) == 512


def test_the_setting_is_zero_or_at_least_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPH_SERVICE_BUFFER_POOL_MB", raising=False)
    assert Settings(_env_file=None).buffer_pool_mb == 0
    assert Settings(_env_file=None, buffer_pool_mb=MIN_BUFFER_POOL_MB).buffer_pool_mb == MIN_BUFFER_POOL_MB
    with pytest.raises(ConfigurationError, match=r"GRAPH_SERVICE_BUFFER_POOL_MB must be 0 .* not 10"):
        Settings(_env_file=None, buffer_pool_mb=10)


def test_the_store_opens_with_the_pool_sized_from_its_file(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    try:
        assert store.buffer_pool_mb == DEFAULT_BUFFER_POOL_MB
    finally:
        store.close()
    reopened = LadybugStore(tmp_path / "graph.lbdb", buffer_pool_mb=256)
    try:
        assert reopened.buffer_pool_mb == 256
    finally:
        reopened.close()
