"""Relay cursor connections: ``Connection[T]`` with edges, pageInfo and totalCount, on every list.

Cursors are opaque (base64 of an offset). Root lists push their window into Cypher (``SKIP``/``LIMIT``) with
``window``/``from_slice``; short lists already in memory (children of one area, posts of one person) use
``paginate``. ``totalCount`` of a Cypher-backed list runs its count query only when a client asks for it.
"""

from __future__ import annotations

import base64
import binascii
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar, cast, overload

import strawberry

from graph_service.api.field_readers import NOT_HELD, reads
from graph_service.domain.validation import INT64_MAX
from graph_service.errors import BadInputError, echo

T = TypeVar("T")
S = TypeVar("S")
_PREFIX = "cursor:"
#: The largest offset a cursor may carry: far beyond any list, with room for a page on top in a 64-bit integer.
MAX_OFFSET = INT64_MAX // 2
#: A cursor is base64 of a short text; a longer one is refused before it is decoded.
MAX_CURSOR_LENGTH = 64


class PaginationError(BadInputError):
    """A page size over the limit or a cursor this server did not hand out."""


@strawberry.type(description="Where a page lies in the whole list (Relay PageInfo)")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page with its cursor (Relay Edge)")
class Edge(Generic[T]):
    cursor: str
    node: T


def _total_in_hand(connection: Connection[Any]) -> Any:
    """The size of ``connection``'s whole list when it is known (a list paged in memory); ``NOT_HELD`` when it
    is still to be counted."""
    total = connection._total
    return total if isinstance(total, int) else NOT_HELD


class _TotalInHand:
    """``totalCount``'s reader (``field_readers``): the executor reads a size in hand without the resolver's
    coroutine."""

    def prepare(self, info: strawberry.Info, **args: Any) -> Callable[[Any], Any]:
        return _total_in_hand


@strawberry.type(description="A page of a list with its cursors and the size of the whole list (Relay Connection)")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _total: strawberry.Private[int | Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, over all pages")
    @reads(_TotalInHand())
    async def total_count(self) -> int:
        total = _total_in_hand(self)
        if total is not NOT_HELD:
            return int(total)
        value = cast(Callable[[], Awaitable[int]], self._total)()
        return await value if inspect.isawaitable(value) else int(value)

    @strawberry.field(description="The items of this page, without cursors")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


@lru_cache(maxsize=4096)
def encode_cursor(offset: int) -> str:
    """The cursor of the item at ``offset``; kept for the first offsets, which every page of every list repeats
    (each edge carries its cursor, selected or not)."""
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; ``PaginationError`` naming the cursor otherwise."""
    refused = PaginationError(f"after: {echo(cursor)} is not a cursor from this API")
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise refused from None
    digits = text.removeprefix(_PREFIX)
    # isdecimal, not isdigit: "²" is a digit that int() refuses. The bound keeps offset + page within the store's
    # 64-bit integers (a larger number reached LadybugDB as a driver cast error).
    if not text.startswith(_PREFIX) or not digits.isdecimal() or len(digits) > 19 or int(digits) > MAX_OFFSET:
        raise refused
    return int(digits)


@dataclass(frozen=True)
class Window:
    """The slice of a list a request asks for: skip ``offset`` items, return at most ``limit``."""

    offset: int
    limit: int


def window(*, first: int | None, after: str | None, max_page_size: int, default_page_size: int) -> Window:
    """Check ``first``/``after`` and turn them into an offset and a limit."""
    if first is None:
        first = min(default_page_size, max_page_size)
    if first < 0:
        raise PaginationError(f"first: {first} must not be negative")
    if first > max_page_size:
        raise PaginationError(f"first: {first} is over the maximum page size of {max_page_size}")
    offset = decode_cursor(after) + 1 if after is not None else 0
    return Window(offset=offset, limit=first)


def from_slice(
    items: Sequence[T], win: Window, total: int | Callable[[], Awaitable[int]], *, has_more: bool | None = None
) -> Connection[T]:
    """A connection over ``items``, the page starting at ``win.offset``; ``items`` may hold one extra row
    (fetched with ``LIMIT limit + 1``) that only tells whether a next page exists."""
    page = list(items[: win.limit])
    if has_more is None:
        has_more = len(items) > win.limit
    edges = [Edge(cursor=encode_cursor(win.offset + i), node=node) for i, node in enumerate(page)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_more,
            has_previous_page=win.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _total=total,
    )


@overload
def paginate(
    items: Sequence[T], *, first: int | None, after: str | None, max_page_size: int, default_page_size: int
) -> Connection[T]: ...


@overload
def paginate(
    items: Sequence[S],
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
    default_page_size: int,
    build: Callable[[S], T],
) -> Connection[T]: ...


def paginate(
    items: Sequence[Any],
    *,
    first: int | None,
    after: str | None,
    max_page_size: int,
    default_page_size: int,
    build: Callable[[Any], Any] | None = None,
) -> Connection[Any]:
    """A page of an in-memory list; raises ``PaginationError`` for ``first`` over the maximum or a bad cursor.

    ``build``: what each item of the page becomes; only the page's items are built (an analysis lists every
    organisation of a district, a client pages through 20 at a time).
    """
    win = window(first=first, after=after, max_page_size=max_page_size, default_page_size=default_page_size)
    chunk = items[win.offset : win.offset + win.limit + 1]
    if build is None:
        return from_slice(chunk, win, len(items))
    return from_slice([build(item) for item in chunk[: win.limit]], win, len(items), has_more=len(chunk) > win.limit)


__all__ = [
    "Connection",
    "Edge",
    "PageInfo",
    "PaginationError",
    "Window",
    "decode_cursor",
    "encode_cursor",
    "from_slice",
    "paginate",
    "window",
]
