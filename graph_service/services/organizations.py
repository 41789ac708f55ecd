"""Organisations: by kind, unit type, name, and the area they lead, sit in, serve or cover."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.domain.enums import OrgKind, UnitType
from graph_service.services.paging import Page, Window
from graph_service.services.reading import listing, listings, normalise
from graph_service.store.port import Row, Store
from graph_service.store.queries import filters

_FILTERS = ("org_of_kind", "of_unit_type", "name_contains", "org_not_dissolved")
listings({"organizations": _FILTERS, "organizations_in_area": _FILTERS})


@dataclass(frozen=True)
class OrganizationFilter:
    kind: OrgKind | None = None
    unit_type: UnitType | None = None
    area_id: str | None = None
    name_contains: str | None = None
    include_dissolved: bool = False


class OrganizationReader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def organizations(self, f: OrganizationFilter, window: Window) -> Page[Row]:
        """A page of organisations by name; with ``area_id``, those attached to that area or one below it."""
        conditions = filters(
            ("org_of_kind", True if f.kind is not None else None),
            ("of_unit_type", True if f.unit_type is not None else None),
            ("name_contains", True if f.name_contains else None),
            ("org_not_dissolved", None if f.include_dissolved else True),
        )
        params = {
            "kind": f.kind.value if f.kind is not None else None,
            "unit_type": f.unit_type.value if f.unit_type is not None else None,
            "name": normalise(f.name_contains or ""),
            "area": f.area_id,
        }
        name = "organizations_in_area" if f.area_id else "organizations"
        page = listing(self.store, name, conditions, params, window)
        return page.map(lambda row: row["o"])


__all__ = ["OrganizationFilter", "OrganizationReader"]
