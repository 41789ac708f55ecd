"""``store.connection_set.ConnectionSet``: each statement text goes to its own connection when that one is free (so
LadybugDB keeps its plan once, not once per connection), to any free one when not, and a caller waits when none is."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from graph_service.domain.schema import NODES
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
