"""What the application layer's readers share: a listing as one page query and, on demand, one count query."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from graph_service.domain.naming import normalise
from graph_service.services.paging import Page, Window
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, Query, UnknownQueryError

#: Per listing (``<name>_page`` and ``<name>_count``), the filter fragments it may compose. A listing asked for
#: a filter not named here is refused (a mistake in our code), and the Cypher lint checks each listing with all
#: of its filters at once, so every statement the application layer can compose is linted.
LISTING_FILTERS: dict[str, tuple[str, ...]] = {}


def listings(filters_of: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Register the filters of a module's listings (see ``LISTING_FILTERS``); returns them for the module's use."""
    LISTING_FILTERS.update(filters_of)
    return filters_of


def all_listing_filters() -> dict[str, tuple[str, ...]]:
    """Every listing of the application layer with its filters (the modules that own them register on import)."""
    from graph_service.services import activities, areas, organizations, people, relations  # noqa: F401

    return dict(LISTING_FILTERS)


def listing(
    store: Store,
    name: str,
    filters: tuple[Filter, ...],
    params: Mapping[str, Any],
    window: Window,
    *,
    order: Mapping[str, Any] | None = None,
) -> Page[Row]:
    """A page of ``<name>_page`` and its total from ``<name>_count``, both with ``filters`` and ``params``."""
    allowed = LISTING_FILTERS.get(name, ())
    stray = [f.fragment for f in filters if f.fragment not in allowed]
    if stray:
        raise UnknownQueryError(f"listing {name!r} takes no filter {', '.join(stray)}; register it in its module")
    rows = store.read(Query(f"{name}_page", filters, columns=window.columns), {**params, **(order or {}), **window.params()})
    count = Query(f"{name}_count", filters)

    def total() -> int:
        counted = store.read(count, params)
        return int(counted[0]["total"]) if counted else 0

    return Page.of(rows, window, total)


def day(as_of: date | None) -> date:
    """The day a read judges by: ``as_of``, else today."""
    return as_of or date.today()


__all__ = ["LISTING_FILTERS", "all_listing_filters", "day", "listing", "listings", "normalise"]
