"""The day a read or an analysis judges by when the request names none.

A store may record a *reference day*: a seeded demo city records the day its data was generated for (posts,
meetings and terms are dated around it), so that a verdict read a year later still speaks of that city as it
was and not of a city where nothing has happened for a year. A store without one (imported or built by hand)
is judged as of today. ``asOf`` on a request overrides both.
"""

from __future__ import annotations

import threading
from datetime import date

from graph_service.store.port import Store


class Calendar:
    """``day(as_of)``: ``as_of``, else the store's reference day, else today.

    The reference day is read once: only the seed sets it, into an empty store before anything is served, or
    ``set_reference_day`` here, which keeps this calendar in step. (Reading it per write version would cost a
    round trip after every write.)
    """

    _UNREAD = object()

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._day: object = self._UNREAD

    def reference_day(self) -> date | None:
        with self._lock:
            if self._day is self._UNREAD:
                rows = self.store.read("meta_reference_day")
                ordinal = rows[0]["ordinal"] if rows else None
                self._day = date.fromordinal(int(ordinal)) if ordinal else None
            return self._day if isinstance(self._day, date) else None

    def set_reference_day(self, day: date) -> None:
        """Record ``day`` as the store's reference day."""
        with self._lock:
            set_reference_day(self.store, day)
            self._day = day

    def refresh(self) -> None:
        """Read the reference day again at the next use (after a seed into this calendar's store)."""
        with self._lock:
            self._day = self._UNREAD

    def day(self, as_of: date | None = None) -> date:
        if as_of is not None:
            return as_of
        return self.reference_day() or date.today()


def set_reference_day(store: Store, day: date) -> None:
    """Record ``day`` as the store's reference day (the seed does, for the day its city is generated for)."""
    store.write("meta_set_reference_day", {"ordinal": day.toordinal()})


__all__ = ["Calendar", "set_reference_day"]
