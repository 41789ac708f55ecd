"""Name search (名称检索) across areas, organisations, projects and, for roles that may read names, people."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.domain.naming import name_order
from graph_service.errors import Problem, ValidationError
from graph_service.services.paging import Page, Window
from graph_service.services.reading import normalise
from graph_service.store.port import Store

MAX_SEARCH_TEXT = 100


@dataclass(frozen=True)
class NameHit:
    label: str
    id: str
    name: str | None


class SearchReader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def names(self, text: str, window: Window, *, people: bool) -> Page[NameHit]:
        """Names containing ``text`` (case- and width-insensitive), in natural order of names, then by label and id; people's
        names only when ``people`` (they are personal data)."""
        needle = normalise(text)
        if not needle or len(needle) > MAX_SEARCH_TEXT:
            raise ValidationError([Problem("text", f"must have 1 to {MAX_SEARCH_TEXT} characters", text)])
        query = "search_names_with_people" if people else "search_names"
        # Each label's branch returns its first offset+limit+1 names: enough to cut any window from the merge.
        rows = self.store.read(query, {"text": needle, "limit": window.offset + window.limit + 1})
        hits = sorted((NameHit(r["label"], r["id"], r["name"]) for r in rows), key=lambda h: (*name_order(h.name), h.label, h.id))
        part = hits[window.offset : window.offset + window.limit + 1]

        def total() -> int:
            return sum(int(r["total"]) for r in self.store.read(f"{query}_count", {"text": needle}))

        return Page.of(part, window, total)


__all__ = ["MAX_SEARCH_TEXT", "NameHit", "SearchReader"]
