"""What the reading resolvers share: the services of the request, the window a client asks for, and a
connection over a page of the application layer, computed in a worker thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types.nodes import SelectedField, Selection

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
    """Run ``read`` for the window ``first``/``after`` asks for in a worker thread; its total only when asked."""
    win = window_of(info, first, after)
    page = await in_worker(read, win)
    return page_connection(page, win, [build(item) for item in page.items])


def selects(info: strawberry.Info, *paths: Sequence[str]) -> bool:
    """Whether the client's selection of the current field reaches one of ``paths`` (each a sequence of GraphQL
    field names below the field, aliases aside), through fragments as well."""

    def reaches(selections: Iterable[Selection], rest: Sequence[str]) -> bool:
        for selection in selections:
            if not isinstance(selection, SelectedField):  # a fragment: its fields are at this level
                if reaches(selection.selections, rest):
                    return True
            elif selection.name == rest[0] and (len(rest) == 1 or reaches(selection.selections, rest[1:])):
                return True
        return False

    below = [s for field in info.selected_fields for s in field.selections]
    return any(path and reaches(below, path) for path in paths)


async def load_ahead(
    info: strawberry.Info, paths: Sequence[Sequence[str]], loader: DataLoader[str, Any], keys: Iterable[str]
) -> None:
    """Loads ``keys`` with ``loader`` in one batch now, when the client's selection reaches one of ``paths``: the
    rows' own resolvers then find their values held (``common.held``) and answer without a coroutine and a task
    each, which for a page of 100 rows is most of the executor's work on them (issue 11). The same one statement
    runs as when the rows asked for themselves; only when it runs moves."""
    wanted = list(dict.fromkeys(keys))
    if not wanted or not selects(info, *paths):
        return
    # A failed load is left to each row's resolver, which awaits the same failed load and reports the error on its
    # own field, as before.
    with contextlib.suppress(Exception):
        await loader.load_many(wanted)


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
    "load_ahead",
    "page_connection",
    "selects",
    "services_of",
    "window_of",
]
