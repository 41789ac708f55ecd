"""What the application layer's readers share: a listing as one page query and, on demand, one count query."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from graph_service.services.paging import Page, Window
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, Query


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
    rows = store.read(Query(f"{name}_page", filters), {**params, **(order or {}), **window.params()})
    count = Query(f"{name}_count", filters)

    def total() -> int:
        counted = store.read(count, params)
        return int(counted[0]["total"]) if counted else 0

    return Page.of(rows, window, total)


def normalise(text: str) -> str:
    """Text as names are compared: NFKC (full-width to half-width), lower case, outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def day(as_of: date | None) -> date:
    """The day a read judges by: ``as_of``, else today."""
    return as_of or date.today()


__all__ = ["day", "listing", "normalise"]
