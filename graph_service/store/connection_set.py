"""A set of the engine's connections, each statement text sent to the same one when it is free.

LadybugDB keeps a prepared statement's plan, and the memory its operators hold, per connection, so a text run on
every connection of a set is kept once per connection. Sending each text to its own connection (its "home",
chosen by the text's hash) when that one is free keeps most texts on one connection only; a text whose home is
busy runs on any free one, so statements still run side by side.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

C = TypeVar("C")


class ConnectionSet(Generic[C]):
    """Connections handed out one at a time (``get``), given back with ``put``."""

    def __init__(self, connections: Iterable[C]) -> None:
        self._all = list(connections)
        self._free = list(self._all)
        self._changed = threading.Condition()

    def get(self, home: str | None = None) -> C:
        """A free connection, waiting for one: ``home``'s own when it is free."""
        with self._changed:
            while not self._free:
                self._changed.wait()
            if home is not None and len(self._all) > 1:
                own = self._all[hash(home) % len(self._all)]
                for index, conn in enumerate(self._free):
                    if conn is own:
                        return self._free.pop(index)
            return self._free.pop()

    def put(self, connection: C) -> None:
        with self._changed:
            self._free.append(connection)
            self._changed.notify()

    @contextmanager
    def idle(self) -> Iterator[list[C]]:
        """The connections free now, held for the block (no ``get`` hands them out meanwhile), then given back."""
        with self._changed:
            held, self._free = self._free, []
        try:
            yield held
        finally:
            with self._changed:
                self._free.extend(held)
                self._changed.notify(len(held))

    def qsize(self) -> int:
        """How many are free now."""
        with self._changed:
            return len(self._free)

    def empty(self) -> bool:
        return self.qsize() == 0

    def get_nowait(self) -> C:
        """A free connection; ``IndexError`` when none is."""
        with self._changed:
            return self._free.pop()


__all__ = ["ConnectionSet"]
