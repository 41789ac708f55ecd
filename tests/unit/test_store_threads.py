"""Threads per statement of the embedded store (``GRAPH_SERVICE_STORE_THREADS``): LadybugDB's default (every core)
unless set, and a number set given to every pooled connection when it is made."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from graph_service.config import Settings
from graph_service.store.embedded import LadybugStore


def _pooled(store: LadybugStore) -> list[int]:
    """What every pooled connection runs a statement on (the pool holds four; all are taken at once)."""

    def setting(conn: Any) -> int:
        return int(conn.execute("CALL current_setting('threads') RETURN *").get_all()[0][0])

    with store._connection() as a, store._connection() as b, store._connection() as c, store._connection() as d:
        return [setting(conn) for conn in (a, b, c, d)]


@pytest.mark.parametrize(("setting", "expected"), [(0, os.cpu_count() or 1), (1, 1), (2, 2)])
def test_every_connection_runs_statements_on_the_set_threads(tmp_path: Path, setting: int, expected: int) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb", statement_threads=setting)
    try:
        store.ensure_schema()
        assert _pooled(store) == [expected] * 4
        assert store.read("get_write_version")  # statements run
    finally:
        store.close()


def test_the_setting_is_a_count_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPH_SERVICE_STORE_THREADS", raising=False)
    assert Settings(_env_file=None).store_threads == 0
    monkeypatch.setenv("GRAPH_SERVICE_STORE_THREADS", "1")
    assert Settings(_env_file=None).store_threads == 1
    monkeypatch.setenv("GRAPH_SERVICE_STORE_THREADS", "-1")
    with pytest.raises(ValidationError, match="store_threads"):
        Settings(_env_file=None)
