"""A request's loaders, and the rows they hold, are freed when its answer is made, by reference counting: graphql-core's
executor keeps itself in a reference cycle (with its resolve-info helpers) and, through the request's context, kept
every loader of the request until the cyclic collector's next run (on a busy server, every second or so, 5-8 ms
each, the loaders of a hundred requests at once)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from graph_service.api import loaders

QUERY = """{ areas(level: DISTRICT, first: 5) { edges { node { domainId name parent { name }
  children(first: 5) { edges { node { name ledBy { name kind { label } } } } } } } } }"""


def test_the_loaders_of_a_request_are_freed_with_its_answer(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[weakref.ref[loaders.BatchLoader[Any]]] = []
    create = loaders.BatchLoader.__init__

    def recorded(self: loaders.BatchLoader[Any], *args: Any, **kwargs: Any) -> None:
        create(self, *args, **kwargs)
        made.append(weakref.ref(self))

    monkeypatch.setattr(loaders.BatchLoader, "__init__", recorded)
    gc.collect()
    gc.disable()  # the server runs in this process: nothing is freed here but by reference counting
    try:
        data = live_server.data(QUERY)
        assert data["areas"]["edges"], data
        assert len(made) >= 2  # the parents, the children, their leaders
        assert [ref for ref in made if ref() is not None] == []
    finally:
        gc.enable()
