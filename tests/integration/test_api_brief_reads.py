"""Every example operation answers over HTTP exactly as before when its reads run on the event loop's thread
(``services.brief_calls``): the same data, keys in the same order, and the same errors, for each role, against a
server whose reads all run in worker threads (``brief_read_ms`` 0); and as many statements sent to the store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest

from graph_service.api import reading
from graph_service.services.brief_calls import SHORT_RUNS, BriefCalls
from graph_service.store.embedded import LadybugStore
from tests.integration.test_api_examples import CHECKS, EXAMPLES, operations
from tests.integration.test_api_written_selections import _settled

#: Operations whose pages, nodes and loads go through ``BriefCalls`` (the others read figures, verdicts, search).
THROUGH_BRIEF_CALLS = {"CityHierarchy", "CompoundDrillDown", "PostHolders", "ActivePairings", "CommunityRegistrations"}


@pytest.fixture(scope="module")
def servers(start_server: Any, small_city: Any) -> tuple[Any, Any]:
    """Two servers on the small city without the response cache: one whose every site runs on the loop once it has
    earned it (a budget no read of the small city comes near, so the test does not follow the machine's speed), one
    with every read in a worker."""
    common = {"records": small_city.records, "max_page_size": 100, "default_page_size": 20, "response_cache_mb": 0}
    return start_server(**common, brief_read_ms=1000), start_server(**common, brief_read_ms=0)


@pytest.mark.parametrize(("user", "operation"), operations())
@pytest.mark.parametrize("role", ["viewer", "integration", "admin"])
def test_reads_on_the_loop_answer_as_in_workers(
    servers: tuple[Any, Any], small_city: Any, monkeypatch: pytest.MonkeyPatch, user: str, operation: str, role: str
) -> None:
    on_loop, in_workers = servers
    variables_of, _ = CHECKS[(user, operation)]
    text = (EXAMPLES / f"{user}.graphql").read_text(encoding="utf-8")
    where: list[str] = []
    counts: list[int] = []
    run, counting = BriefCalls.run, reading.counting

    async def recorded(self: BriefCalls, site: Hashable, call: Callable[..., Any], *args: Any) -> Any:
        def observed(*inner: Any) -> Any:
            if self.budget > 0:  # the server's event loop runs in its uvicorn thread (conftest.start_live_server)
                where.append("loop" if threading.current_thread().name.startswith("uvicorn-") else "worker")
            return call(*inner)

        return await run(self, site, observed, *args)

    def counted(info: Any, page: Any) -> Any:
        counts.append(1)
        return counting(info, page)

    monkeypatch.setattr(BriefCalls, "run", recorded)
    monkeypatch.setattr(reading, "counting", counted)

    def answer(server: Any) -> tuple[tuple[str, list[str]], str, int]:
        """The answer (``_settled``), the statements the request sent to the store, and how many pages were counted."""
        where.clear()
        counts.clear()
        response = server.gql(text, variables_of(small_city), role=role, operation_name=operation)
        assert response.status_code == 200, response.text
        return _settled(response.content), response.headers["x-store-round-trips"], len(counts)

    # Both servers asked as often, so that what they keep between requests (figures, verdicts) is kept alike.
    for _ in range(SHORT_RUNS):
        expected, _, _ = answer(in_workers)
        assert answer(on_loop)[0] == expected
    expected, statements, counted_pages = answer(in_workers)
    assert where == []
    answered, statements_on_loop, counted_pages_on_loop = answer(on_loop)
    assert answered == expected
    if expected[1]:
        # Not compared with errors: graphql-core stops completing when a null reaches the root, and what it started
        # before that (which reads ran, so which sites have earned the loop) is a race.
        return
    # A page's count is started once when its page is read on the loop (``brief_calls.when_back``), as in a worker.
    assert counted_pages_on_loop == counted_pages
    # By now every site of the operation has earned the loop.
    assert "worker" not in where
    if operation in THROUGH_BRIEF_CALLS:
        assert where, "no read ran through BriefCalls"
    assert statements_on_loop == statements


def test_no_read_runs_on_the_loop_while_a_write_is_under_way(tmp_path: Path) -> None:
    # A write's commit may checkpoint, which holds every statement up: the loop would wait for it.
    with LadybugStore(tmp_path / "graph.lbdb") as store:
        store.ensure_schema()
        assert store.brief_reads_ready()
        with store.write_tx():
            assert not store.brief_reads_ready()
        assert store.brief_reads_ready()
        with pytest.raises(LookupError), store.write_tx():
            raise LookupError("a write that fails")
        assert store.brief_reads_ready()


def test_a_statement_on_every_core_is_counted_for_the_thread_that_sent_it(tmp_path: Path) -> None:
    # With statement_threads set every read runs on connections of that many threads: none is brief.
    with LadybugStore(tmp_path / "graph.lbdb", statement_threads=2) as store:
        store.ensure_schema()
        before = store.spread_reads()
        store.read("ladybug_count_nodes", label="Area")
        assert store.spread_reads() == before + 1
        assert not store.brief_reads_ready()
    with LadybugStore(tmp_path / "light.lbdb") as store:
        store.ensure_schema()
        before = store.spread_reads()
        store.read("ladybug_count_nodes", label="Area")  # a light statement: on a one-thread connection
        assert store.spread_reads() == before
        store.read_arrow("ladybug_all_keys", label="Area")  # a bulk read: on a connection of every core
        assert store.spread_reads() == before + 1
