"""Threads per statement of the embedded store (``GRAPH_SERVICE_STORE_THREADS``): a request's statements run on the
set number, a bulk read into Arrow on every core, and the connection goes back to the pool as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph_service.config import Settings
from graph_service.store.embedded import LadybugStore, _all_cores


def _threads(store: LadybugStore) -> set[int]:
    """What every pooled connection is set to (the pool holds four; each is taken in turn)."""
    seen = set()
    with store._connection() as a, store._connection() as b, store._connection() as c, store._connection() as d:
        for conn in (a, b, c, d):
            seen.add(int(conn.execute("CALL current_setting('threads') RETURN *").get_all()[0][0]))
    return seen


def _setting(conn: object) -> int:
    return int(conn.execute("CALL current_setting('threads') RETURN *").get_all()[0][0])  # type: ignore[attr-defined]


def test_statements_run_on_the_set_threads_and_bulk_reads_on_every_core(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    try:
        store.ensure_schema()
        assert store.statement_threads == 1
        assert _threads(store) == {1}
        with store._connection() as conn:
            with _all_cores(conn, store.statement_threads):  # what read_arrow holds while it reads
                assert _setting(conn) == (os.cpu_count() or 1)
            assert _setting(conn) == 1
        assert store.read_arrow("export_nodes", label="Area").num_rows == 0
        assert _threads(store) == {1}  # every connection back as it was after a bulk read
    finally:
        store.close()


def test_zero_leaves_every_core_to_each_statement(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb", statement_threads=0)
    try:
        assert _threads(store) == {os.cpu_count() or 1}
    finally:
        store.close()


def test_the_setting_is_a_count_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPH_SERVICE_STORE_THREADS", raising=False)
    assert Settings(_env_file=None).store_threads == 1
    monkeypatch.setenv("GRAPH_SERVICE_STORE_THREADS", "0")
    assert Settings(_env_file=None).store_threads == 0
    monkeypatch.setenv("GRAPH_SERVICE_STORE_THREADS", "-1")
    with pytest.raises(ValidationError, match="store_threads"):
        Settings(_env_file=None)
