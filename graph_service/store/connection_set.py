"""A set of the engine's connections, each statement text sent to the same one when it is free.

LadybugDB keeps a prepared statement's plan, and the memory its operators hold, per connection, so a text run on
every connection of a set is kept once per connection. Sending each text to its own connection (its "home",
chosen by the text's hash) when that one is free keeps most texts on one connection only; a text whose home is
busy runs on any free one, so statements still run side by side.

When none is free, callers wait their turn: a connection given back goes to the caller that has waited longest,
never to one that arrives after it. Waking a waiter and letting it race for the connection starved it: a thread
that gives a connection back and asks again for its next statement took it first, thousands of times in a row,
and under 16 clients requests waited for one until they timed out (10 s).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

C = TypeVar("C")


class _Waiter(Generic[C]):
    """A caller waiting for a connection: ``put`` hands one over and wakes it."""

    __slots__ = ("connection", "ready")

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.connection: C | None = None


class ConnectionSet(Generic[C]):
    """Connections handed out one at a time (``get``), given back with ``put``; waiting callers first come, first
    served."""

    def __init__(self, connections: Iterable[C]) -> None:
        self._all = list(connections)
        self._free = list(self._all)
        self._lock = threading.Lock()
        #: Callers waiting, longest first. A connection is free only when nobody waits (``_give``).
        self._waiting: deque[_Waiter[C]] = deque()

    def get(self, home: str | None = None) -> C:
        """A free connection, ``home``'s own when it is free; when none is, the next one given back after those
        owed to the callers already waiting."""
        with self._lock:
            if self._free:
                return self._take(home)
            waiter: _Waiter[C] = _Waiter()
            self._waiting.append(waiter)
        try:
            waiter.ready.wait()
        except BaseException:
            with self._lock:
                if waiter in self._waiting:
                    self._waiting.remove(waiter)
                elif waiter.connection is not None:  # handed over as the wait was interrupted: pass it on
                    self._give(waiter.connection)
            raise
        assert waiter.connection is not None
        return waiter.connection

    def put(self, connection: C) -> None:
        with self._lock:
            self._give(connection)

    def _take(self, home: str | None) -> C:
        if home is not None and len(self._all) > 1:
            own = self._all[hash(home) % len(self._all)]
            for index, conn in enumerate(self._free):
                if conn is own:
                    return self._free.pop(index)
        return self._free.pop()

    def _give(self, connection: C) -> None:
        """To the longest waiting caller, else back among the free (the lock held)."""
        if self._waiting:
            waiter = self._waiting.popleft()
            waiter.connection = connection
            waiter.ready.set()
        else:
            self._free.append(connection)

    @contextmanager
    def idle(self) -> Iterator[list[C]]:
        """The connections free now, held for the block (no ``get`` hands them out meanwhile), then given back."""
        with self._lock:
            held, self._free = self._free, []
        try:
            yield held
        finally:
            with self._lock:
                for connection in held:
                    self._give(connection)

    def qsize(self) -> int:
        """How many are free now."""
        with self._lock:
            return len(self._free)

    def empty(self) -> bool:
        return self.qsize() == 0

    def get_nowait(self) -> C:
        """A free connection; ``IndexError`` when none is."""
        with self._lock:
            return self._free.pop()


__all__ = ["ConnectionSet"]
