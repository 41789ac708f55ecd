"""Threads per statement of the embedded store (``GRAPH_SERVICE_STORE_THREADS``): unless set, a read runs on one
thread until its statement has shown itself heavy and on every core after (``thread_choice``); a number set is
given to every pooled connection when it is made."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from graph_service.config import Settings
from graph_service.store import embedded
from graph_service.store.embedded import CONNECTIONS_PER_SET, LadybugStore, light_connections
from graph_service.store.thread_choice import ThreadChooser


def _threads(conn: Any) -> int:
    return int(conn.execute("CALL current_setting('threads') RETURN *").get_all()[0][0])


def _pooled(store: LadybugStore, pool: queue.LifoQueue[Any] | None = None) -> list[int]:
    """What every connection of ``pool`` runs a statement on (all of them taken at once)."""
    size = (pool or store._pool).qsize()
    with contextlib.ExitStack() as held:
        conns = [held.enter_context(store._connection(pool)) for _ in range(size)]
        return [_threads(conn) for conn in conns]


@pytest.mark.parametrize(("setting", "expected"), [(0, os.cpu_count() or 1), (1, 1), (2, 2)])
def test_every_connection_runs_statements_on_the_set_threads(tmp_path: Path, setting: int, expected: int) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb", statement_threads=setting)
    try:
        store.ensure_schema()
        assert _pooled(store) == [expected] * CONNECTIONS_PER_SET
        if setting:
            assert store._light is None
        else:
            assert _pooled(store, store._light) == [1] * light_connections()
        assert store.read("get_write_version")  # statements run
    finally:
        store.close()


def _ran_on(store: LadybugStore, query: str) -> int:
    """The threads of the connection ``store.read(query)`` ran on."""
    seen: list[int] = []
    original = store._connection

    @contextmanager
    def watched(pool: Any = None, text: str | None = None) -> Iterator[Any]:
        with original(pool, text) as conn:
            seen.append(_threads(conn))
            yield conn

    store._connection = watched  # type: ignore[method-assign]
    try:
        store.read(query)
    finally:
        del store._connection
    return seen[-1]


def test_a_read_moves_to_every_core_once_it_has_been_slow_on_one_thread(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    try:
        store.ensure_schema()
        store._threads = ThreadChooser(heavy_seconds=0.0)  # every run counts as slow
        every_core = os.cpu_count() or 1
        assert _ran_on(store, "get_write_version") == 1
        assert _ran_on(store, "get_write_version") == 1
        assert store._threads.heavy(store.catalog.text("get_write_version"))
        assert _ran_on(store, "get_write_version") == every_core
        assert _ran_on(store, "audit_last_seq") == 1  # another statement starts on one thread
    finally:
        store.close()


def test_the_engine_time_leaves_out_the_wait_for_the_interpreters_lock(tmp_path: Path) -> None:
    """A statement that the engine finishes while another thread holds the interpreter's lock waits for the lock
    before it returns; that wait is not the engine's time, which decides whether the statement is heavy."""
    store = LadybugStore(tmp_path / "graph.lbdb")
    times: dict[str, float] = {}
    running = threading.Event()

    def read() -> None:
        with store._connection(store._light) as conn:  # one thread: the engine works on this one
            running.set()
            started = time.perf_counter()
            embedded._execute_direct(conn, "UNWIND range(1, $n) AS x RETURN sum(x) AS total", {"n": 1_000_000}).close()
            times["wall"] = time.perf_counter() - started
            times["engine"] = embedded._engine_time.seconds

    try:
        store.ensure_schema()
        worker = threading.Thread(target=read)
        worker.start()
        running.wait()
        time.sleep(0.01)  # the statement is in the engine now, without the lock
        # A regular expression holds the lock for its whole match: a fraction of a second on a slow backtrack.
        re.match(r"(a+)+$", "a" * 22 + "b")
        worker.join()
        assert times["engine"] < times["wall"] * 0.6, times
    finally:
        store.close()


def test_a_set_number_of_threads_is_never_changed_by_timing(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb", statement_threads=1)
    try:
        store.ensure_schema()
        store._threads = ThreadChooser(heavy_seconds=0.0)
        assert [_ran_on(store, "get_write_version") for _ in range(3)] == [1, 1, 1]
        assert not store._threads.heavy_texts()
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


@pytest.mark.parametrize(("cores", "light"), [(1, 1), (2, 1), (3, 2), (8, 7)])
def test_one_light_connection_per_core_beside_the_event_loops(cores: int, light: int) -> None:
    assert light_connections(cores) == light


def test_the_light_set_follows_the_cores_and_the_heavy_set_stays(tmp_path: Path) -> None:
    with LadybugStore(tmp_path / "graph.lbdb") as store:
        assert store._light is not None and store._light.qsize() == light_connections()
        assert store._pool.qsize() == CONNECTIONS_PER_SET
    with LadybugStore(tmp_path / "graph.lbdb", light=3) as store:
        assert store._light is not None and store._light.qsize() == 3


def test_reads_from_many_threads_share_one_light_connection(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with LadybugStore(tmp_path / "graph.lbdb", light=1) as store:
        store.ensure_schema()
        expected = store.read("get_write_version")
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: store.read("get_write_version"), range(200)))
        assert answers == [expected] * 200  # each waited its turn; none was refused or lost
        assert store._light is not None and store._light.qsize() == 1  # the connection went back every time


@contextmanager
def _opened_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str) -> Iterator[LadybugStore]:
    """The store the service opens with ``variable`` set to ``value`` in its environment."""
    from graph_service.bootstrap import open_store

    monkeypatch.setenv(variable, value)
    store = open_store(Settings(_env_file=None, data_dir=tmp_path))
    try:
        assert isinstance(store, LadybugStore)
        yield store
    finally:
        store.close()


def _refused(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable.removeprefix("GRAPH_SERVICE_").lower()):
        Settings(_env_file=None)


def test_the_light_connections_setting_reaches_the_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with _opened_with(monkeypatch, tmp_path, "GRAPH_SERVICE_STORE_LIGHT_CONNECTIONS", "3") as store:
        assert store._light is not None and store._light.qsize() == 3
    _refused(monkeypatch, "GRAPH_SERVICE_STORE_LIGHT_CONNECTIONS", "-1")


def test_the_kept_statements_setting_reaches_every_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from graph_service.store import embedded

    with _opened_with(monkeypatch, tmp_path, "GRAPH_SERVICE_STORE_KEPT_STATEMENTS", "2") as store:
        assert store.kept_statements == 2
        store.ensure_schema()
        for conn in [*store._pool._all, *(store._light._all if store._light else [])]:
            for n in range(4):
                embedded._execute_direct(conn, f"MATCH (a:Area) WHERE a.id = $id RETURN {n} AS n", {"id": "x"}).close()
            assert len(embedded._PREPARED[conn]) == 2
    _refused(monkeypatch, "GRAPH_SERVICE_STORE_KEPT_STATEMENTS", "0")
