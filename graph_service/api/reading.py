"""What the reading resolvers share: the services of the request, the window a client asks for, and a
connection over a page of the application layer, read in a worker thread or, when short, on the event loop's own
(``services.brief_calls``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TypeVar

import strawberry

from graph_service.api.ahead import (
    LIST_ROWS,
    Fetched,
    Prefetch,
    hold_fetched,
    load_ahead,
    prefetch,
    prefetched,
    selects,
)
from graph_service.api.columns import page_columns
from graph_service.api.common import held, load_node, local_id
from graph_service.api.pagination import Connection, from_slice, window
from graph_service.api.permissions import READERS, READERS_AND_INTEGRATIONS, allow
from graph_service.bootstrap import Services
from graph_service.errors import InputError
from graph_service.services.brief_calls import BriefCalls, when_back
from graph_service.services.paging import Page, Window
from graph_service.services.workers import in_worker
from graph_service.store.port import Row

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
    """The window ``first``/``after`` asks for, within the server's page sizes, with the properties the client's
    selection reads of the rows' nodes (``columns.page_columns``)."""
    settings = info.context.settings
    win = window(first=first, after=after, max_page_size=settings.max_page_size, default_page_size=settings.default_page_size)
    return Window(win.offset, win.limit, page_columns(info))


async def connection(
    info: strawberry.Info, read: Callable[[Window], Page[R]], build: Callable[[R], T], first: int | None, after: str | None
) -> Connection[T]:
    """Run ``read`` for the window ``first``/``after`` asks for (in a worker thread unless short: ``brief_of``); its
    total only when asked. What the rows' fields load is loaded ahead for all of them (``ahead``): in the same call,
    right after the page, when the field's type tells the rows' type beforehand (``ahead.prefetch``), else once the
    rows are back."""
    win = window_of(info, first, after)
    plan = prefetch(info)
    if plan is None:
        page = await brief_of(info).run(_site(info, win, plan), read, win)
        items = [build(item) for item in page.items]
        total = counting(info, page)
    else:
        page, items, total = await _read_with_loads(info, read, build, win, plan)
    if plan is None or not plan.covers(items):
        # Not prefetched (or rows of another type than their field's): loaded now, once the rows are here.
        pending = load_ahead(info, items)
        if pending is not None:
            await pending
    return page_connection(page, win, items, total)


async def _read_with_loads(
    info: strawberry.Info, read: Callable[[Window], Page[R]], build: Callable[[R], T], win: Window, plan: Prefetch
) -> tuple[Page[R], list[T], int | Callable[[], Awaitable[int]]]:
    """The page, its rows and its total, the rows' loads ahead held by their loaders (``ahead.prefetched``); the
    count starts as soon as the page is read, beside the loads."""
    loop = asyncio.get_running_loop()
    totals: list[int | Callable[[], Awaitable[int]]] = []

    def read_and_load(window: Window) -> tuple[Page[R], list[T], Fetched]:
        page = read(window)
        when_back(loop, lambda: totals.append(counting(info, page)))
        items = [build(item) for item in page.items]
        return page, items, prefetched(plan, items)

    page, items, fetched = await brief_of(info).run(_site(info, win, plan), read_and_load, win)
    hold_fetched(fetched)
    return page, items, totals[0] if totals else counting(info, page)


def brief_of(info: strawberry.Info) -> BriefCalls:
    """Where the request's reads run (``services.brief_calls``)."""
    return services_of(info).brief


def _site(info: strawberry.Info, win: Window | None, plan: Prefetch | None) -> Hashable:
    """A read's call site for ``BriefCalls``: its field, and what its cost follows besides its arguments: the page's
    size and columns, whether the rows' loads run with it."""
    size = None if win is None else (win.limit, win.columns)  # not its offset: paging on stays one site
    return (info._raw_info.parent_type.name, info.field_name, size, plan is not None)


def counting(info: strawberry.Info, page: Page[R]) -> int | Callable[[], Awaitable[int]]:
    """The whole list's size for ``page``'s connection: the page's own when it shows it (``Page.known_total``);
    else, when the client asks for ``totalCount``, a count started now in a worker thread, so that it runs beside
    whatever the request does next (the rows' loads, their fields) rather than after it; else a count run only if
    asked after all."""
    if page.known_total is not None:
        return page.known_total
    if not selects(info, "totalCount"):
        return lambda: in_worker(page.total)
    started = asyncio.ensure_future(in_worker(page.total))
    # A count whose request failed before its totalCount was read: its error is the request's no longer.
    started.add_done_callback(_retrieve)

    async def total() -> int:
        return await started

    return total


def _retrieve(done: asyncio.Future[int]) -> None:
    if not done.cancelled():
        done.exception()


async def node_with_loads(info: strawberry.Info, label: str, node_id: str, build: Callable[[Row], T]) -> T | None:
    """The ``label`` node ``node_id`` built by ``build`` (``None`` for an unknown id), with what its fields load ahead
    (``ahead.prefetch``: an organisation's chain, a compound's leaders and their members) read in the same worker
    call, right after it, as a page's rows' loads are (``_read_with_loads``).

    Loaded through the node's loader alone, each of those fields waited for the node to come back to the event loop
    and then for the loop to send its own batch to a worker: a compound's drill-down ran its six statements one
    after another with a trip through the loop between each (9.8 ms in process), and a branch's chain was read
    only once the loop had completed the 50 people asked beside it."""
    loader = info.context.loaders.node(label)
    plan = prefetch(info, LIST_ROWS)
    if plan is None or held(loader, node_id) is not None:
        return await load_node(info, label, node_id, build)

    def read_and_load() -> tuple[Mapping[str, Row | None], T | None, Fetched]:
        found = loader.fetch([node_id])
        row = found.get(node_id)
        built = build(row) if row else None
        return found, built, prefetched(plan, [built]) if built is not None else []

    found, built, fetched = await brief_of(info).run(_site(info, None, plan), read_and_load)
    loader.hold([node_id], found)  # another field asking for the node finds it
    hold_fetched(fetched)
    return built


def page_connection(page: Page[R], win: Window, items: list[T], total: int | Callable[[], Awaitable[int]]) -> Connection[T]:
    """A Relay connection of ``items`` (built from ``page``'s items) with ``total`` (``counting``)."""
    return from_slice(items, win, total, has_more=page.has_more)  # type: ignore[arg-type]


__all__ = [
    "READ",
    "READ_INTEGRATION",
    "InputError",
    "connection",
    "counting",
    "domain_id",
    "node_with_loads",
    "page_connection",
    "services_of",
    "window_of",
]
