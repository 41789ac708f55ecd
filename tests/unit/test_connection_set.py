"""``store.connection_set.ConnectionSet``: each statement text goes to its own connection when that one is free (so
LadybugDB keeps its plan once, not once per connection), to any free one when not, and a caller waits when none is."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from graph_service.domain.schema import NODES
from graph_service.store import embedded
from graph_service.store.connection_set import ConnectionSet
from graph_service.store.embedded import _PREPARED, LadybugStore


def test_a_text_goes_to_its_own_connection_when_it_is_free() -> None:
    connections = ConnectionSet(["a", "b", "c"])
    for text in ("MATCH (n) RETURN n", "RETURN 1", "RETURN 2", "x" * 500):
        first = connections.get(text)
        connections.put(first)
        for _ in range(5):
            again = connections.get(text)
            assert again == first
            connections.put(again)


def test_a_busy_home_sends_the_text_to_another_free_connection() -> None:
    connections = ConnectionSet(["a", "b"])
    home = connections.get("RETURN 1")
    other = connections.get("RETURN 1")  # its home is taken: the other one, rather than a wait
    assert {home, other} == {"a", "b"}
    connections.put(home)
    connections.put(other)
    assert connections.qsize() == 2


def test_a_caller_waits_until_a_connection_is_given_back() -> None:
    connections = ConnectionSet(["only"])
    held = connections.get()
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(connections.get("RETURN 1")))
    waiter.start()
    time.sleep(0.05)
    assert not got  # none free: it waits
    connections.put(held)
    waiter.join(5)
    assert got == ["only"] and connections.empty()


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "the waiting callers did not queue"
        time.sleep(0.001)


def test_waiting_callers_are_served_in_the_order_they_came_and_before_a_later_one() -> None:
    connections = ConnectionSet(["only"])
    held = connections.get()
    order: list[str] = []

    def take(name: str) -> None:
        conn = connections.get("RETURN 1")
        order.append(name)
        connections.put(conn)

    first = threading.Thread(target=take, args=("first",))
    first.start()
    _until(lambda: len(connections._waiting) == 1)
    second = threading.Thread(target=take, args=("second",))
    second.start()
    _until(lambda: len(connections._waiting) == 2)
    connections.put(held)
    take("late")  # asks at once after giving it back, as a worker does for its next statement: it waits its turn
    first.join(5)
    second.join(5)
    assert order == ["first", "second", "late"]
    assert connections.qsize() == 1


def test_a_caller_giving_back_and_asking_again_does_not_starve_a_waiting_one() -> None:
    # Woken waiters used to race for the connection with the caller that gave it back; that caller took it again
    # thousands of times before a waiter won, and under 16 clients requests timed out waiting (10 s).
    connections = ConnectionSet(["only"])
    turns = 0
    turns_while_one_waits = 0
    stop = threading.Event()

    def busy() -> None:
        nonlocal turns, turns_while_one_waits
        while not stop.is_set():
            conn = connections.get()
            turns += 1
            turns_while_one_waits += bool(connections._waiting)
            time.sleep(0)  # lets other threads run while it holds the connection, as a statement does
            connections.put(conn)

    def waiter() -> None:
        _until(lambda: turns > 100)
        connections.put(connections.get())
        stop.set()

    threads = [threading.Thread(target=busy, daemon=True), threading.Thread(target=waiter, daemon=True)]
    for thread in threads:
        thread.start()
    served = stop.wait(10)
    stop.set()
    assert served, "the waiting caller did not get the connection in 10 s"
    assert turns_while_one_waits <= 1  # the turn under way when it came; the next give-back is its


def test_each_text_is_prepared_on_its_own_connection_only(tmp_path: Path) -> None:
    with LadybugStore(tmp_path / "graph.lbdb", light=2) as store:
        store.ensure_schema()
        # Statements with parameters, which the store prepares (and LadybugDB keeps per connection).
        reads = [("ladybug_existing_keys", {"label": label}) for label in NODES]
        for _ in range(3):  # one after another: every connection is free each time
            for query, names in reads:
                store.read(query, {"keys": ["nobody"]}, **names)
        assert store._light is not None
        light = [store._light.get_nowait() for _ in range(2)]
        for conn in light:
            store._light.put(conn)
        homes = [hash(store.catalog.text(query, **names)) % 2 for query, names in reads]
        # The last-used connection used to take every read one after another: all seven plans on one connection
        # (unless every text's home is that one, one chance in 64). Now each connection keeps its own texts' plans.
        prepared = [len(_PREPARED.get(conn, {})) for conn in store._light._all]
        assert prepared == [homes.count(0), homes.count(1)]


def test_trials_run_on_a_connection_of_their_own_closed_when_they_are_done(tmp_path: Path) -> None:
    from graph_service.store.queries import Filter, Query

    with LadybugStore(tmp_path / "graph.lbdb", light=1) as store:
        store.ensure_schema()
        assert store._light is not None
        light = store._light._all[0]
        seen: list[tuple[object, bool]] = []  # each statement's connection, and whether a trial ran it
        original = embedded._run_text

        def watched(conn: object, query: object, text: str, params: object) -> object:
            seen.append((conn, store._trials.running_here()))
            return original(conn, query, text, params)  # type: ignore[arg-type]

        embedded._run_text = watched  # type: ignore[assignment]
        try:
            # A page of a shape not timed yet: the request runs the listing, its forms are timed beside it.
            store.read(Query("areas_page", (Filter("area_at_level"),)), {"level": "city", "offset": 0, "limit": 5})
            store._trials.wait()
        finally:
            embedded._run_text = original
        trial_conns = {id(conn) for conn, trial in seen if trial}
        assert seen[0] == (light, False)  # the request, on the light connection
        assert trial_conns and id(light) not in trial_conns  # the trials, on one of their own
        assert store._trial_conn is None  # closed once they were done
        assert store._light.qsize() == 1
