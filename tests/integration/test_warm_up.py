"""The warm-up (``services/warmup.py``): at start, and after a quiet spell following a write, the projection, the
city's verdicts and the coverage figures of the city and its districts are built off the request path, so the
first request for them is answered from what was kept rather than from the store."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from graph_service.bootstrap import bootstrap
from graph_service.config import Settings
from graph_service.services.bulk import bulk_insert
from graph_service.services.warmup import Warmer
from graph_service.store.embedded import LadybugStore
from tests.integration.conftest import City, LiveServer

CITY_COVERAGE = "query($id: String!) { coverage(areaId: $id) { compounds } }"


def _city_id(city: City) -> str:
    return str(city.nodes("Area", level="city")[0].id)


def _round_trips(server: LiveServer, city: City) -> int:
    response = server.gql(CITY_COVERAGE, {"id": _city_id(city)}, role="admin")
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return int(response.headers["x-store-round-trips"])


def _wait(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    # A hang guard only: the warm-up of the small city takes well under a second.
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds} s"
        time.sleep(0.05)


def test_a_warmed_server_answers_the_city_figures_from_what_it_kept(start_server, small_city: City) -> None:
    cold = start_server(records=small_city.records)
    warmed = start_server(records=small_city.records, warm_up=True)
    status = lambda: httpx.get(f"{warmed.base_url}/healthz", timeout=10).json()["warm_up"]  # noqa: E731
    _wait(lambda: status()["state"] == "warm", "the warm-up")
    assert httpx.get(f"{cold.base_url}/healthz", timeout=10).json()["warm_up"] == {"state": "off"}
    # The cold server reads the city's figures from the store; the warmed one only checks the write version.
    assert _round_trips(warmed, small_city) < _round_trips(cold, small_city)
    assert _round_trips(warmed, small_city) <= 1


def test_after_a_write_the_warm_up_runs_again_once_the_store_is_quiet(tmp_path: Path, small_city: City) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, small_city.records)
    services = bootstrap(Settings(data_dir=tmp_path), store)
    settled: list[int | None] = []  # the write version each on_warm call saw: one per warm-up
    warmer = Warmer(services, poll_seconds=0.02, quiet_seconds=0.3, on_warm=lambda: settled.append(warmer.status.version))
    try:
        warmer.start()
        _wait(lambda: warmer.status.state == "warm", "the first warm-up")
        first = warmer.status.version
        _wait(lambda: settled == [first], "the call after the first warm-up")
        services.keys.create("viewer", note="a write")
        written = store.write_version()
        assert written != first
        _wait(lambda: warmer.status.version == written and warmer.status.state == "warm", "the warm-up after the write")
        assert warmer.status.seconds is not None and warmer.status.error is None
        _wait(lambda: settled == [first, written], "the call after the second warm-up")
    finally:
        warmer.stop()
        services.close()
        store.close()


def test_a_failing_call_after_the_warm_up_leaves_it_warm(tmp_path: Path, small_city: City) -> None:
    store = LadybugStore(tmp_path / "graph.lbdb")
    store.ensure_schema()
    bulk_insert(store, small_city.records)
    services = bootstrap(Settings(data_dir=tmp_path), store)
    calls: list[str] = []

    def broken() -> None:
        calls.append("called")
        raise RuntimeError("after the warm-up")

    warmer = Warmer(services, poll_seconds=0.02, quiet_seconds=0.3, on_warm=broken)
    try:
        warmer.start()
        _wait(lambda: calls == ["called"], "the call after the warm-up")
        assert warmer.status.state == "warm" and warmer.status.error is None
    finally:
        warmer.stop()
        services.close()
        store.close()
