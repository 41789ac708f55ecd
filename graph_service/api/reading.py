"""What the reading resolvers share: the services of the request, the window a client asks for, and a
connection over a page of the application layer, computed in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import strawberry

from graph_service.api.ahead import load_ahead
from graph_service.api.common import local_id
from graph_service.api.pagination import Connection, from_slice, window
from graph_service.api.permissions import READERS, READERS_AND_INTEGRATIONS, allow
from graph_service.bootstrap import Services
from graph_service.errors import InputError
from graph_service.services.paging import Page, Window
from graph_service.services.workers import in_worker

T = TypeVar("T")
R = TypeVar("R")

#: Who may read the domain; and the same with integrations (organisations, pairings, registrations).
READ = allow(*READERS)
READ_INTEGRATION = allow(*READERS_AND_INTEGRATIONS)


def domain_id(value: str | None, *types: str) -> str | None:
    """An argument naming an entity, as its domain id (it may come as a domain id or a global id)."""
    return None if value is None else local_id(value, types)


def services_of(info: strawberry.Info) -> Services:
    services: Services = info.context.services
    return services


def window_of(info: strawberry.Info, first: int | None, after: str | None) -> Window:
    """The window ``first``/``after`` asks for, within the server's page sizes."""
    settings = info.context.settings
    win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
    return Window(win.offset, win.limit)


async def connection(
    info: strawberry.Info, read: Callable[[Window], Page[R]], build: Callable[[R], T], first: int | None, after: str | None
) -> Connection[T]:
    """Run ``read`` for the window ``first``/``after`` asks for in a worker thread; its total only when asked. What
    the rows' fields load is loaded ahead for all of them (``ahead``)."""
    win = window_of(info, first, after)
    page = await in_worker(read, win)
    items = [build(item) for item in page.items]
    pending = load_ahead(info, items)
    if pending is not None:
        await pending
    return page_connection(page, win, items)


def page_connection(page: Page[R], win: Window, items: list[T]) -> Connection[T]:
    """A Relay connection of ``items`` (built from ``page``'s items), counting the whole list only when asked."""

    async def total() -> int:
        return await in_worker(page.total)

    return from_slice(items, win, total, has_more=page.has_more)  # type: ignore[arg-type]


__all__ = [
    "READ",
    "READ_INTEGRATION",
    "InputError",
    "connection",
    "domain_id",
    "page_connection",
    "services_of",
    "window_of",
]
