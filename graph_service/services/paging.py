"""Windows and pages: how the application layer hands out a slice of a long list and, on demand, its size."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph_service.store.queries import Columns

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Window:
    """The slice of a list a request asks for: skip ``offset`` items, return at most ``limit``; ``columns``: per
    node label, the only properties the caller reads of its rows' nodes (``store.queries.Query.columns``)."""

    offset: int
    limit: int
    columns: Columns = ()

    def params(self) -> dict[str, int]:
        """``$offset`` and ``$limit`` for a query; one row more than the window tells whether more follow."""
        return {"offset": self.offset, "limit": self.limit + 1}


@dataclass(frozen=True)
class Page(Generic[T]):
    """A window of a list: its items, whether more follow, and ``total()`` counting the whole list when asked
    (a count is a store query of its own, run only for clients that want it). ``known_total``: the whole list's
    size when the page itself shows it (the list ends on this page), so that a caller need run no count."""

    items: list[T]
    window: Window
    has_more: bool
    total: Callable[[], int]
    known_total: int | None = None

    @classmethod
    def of(cls, rows: Sequence[T], window: Window, total: Callable[[], int]) -> Page[T]:
        """A page from ``rows`` fetched with ``window.params()`` (so holding at most one extra row)."""
        items = list(rows[: window.limit])
        has_more = len(rows) > window.limit
        # The list ends on this page: its size is the page's end. Not when the window starts past the end (nothing
        # came back after an offset): the list may end anywhere before it.
        known = window.offset + len(items) if not has_more and (items or window.offset == 0) else None
        return cls(items, window, has_more, total, known)

    @classmethod
    def of_list(cls, items: Sequence[T], window: Window) -> Page[T]:
        """A page of a list already in memory."""
        size = len(items)
        part = list(items[window.offset : window.offset + window.limit])
        return cls(part, window, window.offset + window.limit < size, lambda: size, size)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        return Page([convert(item) for item in self.items], self.window, self.has_more, self.total, self.known_total)


__all__ = ["Page", "Window"]
