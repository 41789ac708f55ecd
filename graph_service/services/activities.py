"""Organisational life (组织生活): the meetings and activities Party organisations held, by organisation, area, kind
and day, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph_service.domain.enums import ActivityKind
from graph_service.errors import InputError
from graph_service.services.paging import Page, Window
from graph_service.services.reading import listing, listings
from graph_service.store.port import Row, Store
from graph_service.store.queries import filters

_FILTERS = ("activity_of_kind", "activity_held_from", "activity_held_to")
listings(
    {
        "activities": _FILTERS,
        "activities_of_organization": (*_FILTERS, "activity_org_in_area"),
        "activities_in_area": _FILTERS,
    }
)


@dataclass(frozen=True)
class ActivityFilter:
    """Activities held by ``organization_id``, or by an organisation leading, sitting in, serving or covering
    ``area_id`` or an area below it (both: the organisation, if it is in the area); of ``kind``; held between
    ``held_from`` and ``held_to`` (both days included)."""

    organization_id: str | None = None
    area_id: str | None = None
    kind: ActivityKind | None = None
    held_from: date | None = None
    held_to: date | None = None


def check_days(held_from: date | None, held_to: date | None, prefix: str = "") -> None:
    """Refuse a window of days that ends before it starts (it could only ever be empty)."""
    if held_from is not None and held_to is not None and held_to < held_from:
        raise InputError(f"{prefix}heldTo: {held_to.isoformat()} is before {prefix}heldFrom ({held_from.isoformat()})")


def held_between(row: Row, kind: ActivityKind | None, held_from: date | None, held_to: date | None) -> bool:
    """Whether an activity's properties match a kind and a window of days (both optional), as the filters do."""
    held = row.get("held_on")
    return (
        (kind is None or row.get("kind") == kind.value)
        and (held_from is None or (held is not None and held >= held_from))
        and (held_to is None or (held is not None and held <= held_to))
    )


class ActivityReader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def activities(self, f: ActivityFilter, window: Window) -> Page[Row]:
        """A page of activities matching ``f``, newest first; the most local anchor (organisation, then area)
        starts the statement."""
        check_days(f.held_from, f.held_to, "filter.")
        conditions = filters(
            ("activity_of_kind", True if f.kind is not None else None),
            ("activity_held_from", True if f.held_from is not None else None),
            ("activity_held_to", True if f.held_to is not None else None),
            ("activity_org_in_area", True if f.organization_id and f.area_id else None),
        )
        params = {
            "organization": f.organization_id,
            "area": f.area_id,
            "kind": f.kind.value if f.kind is not None else None,
            "held_from": f.held_from,
            "held_to": f.held_to,
        }
        name = "activities_of_organization" if f.organization_id else "activities_in_area" if f.area_id else "activities"
        return listing(self.store, name, conditions, params, window).map(lambda row: row["a"])


__all__ = ["ActivityFilter", "ActivityReader", "check_days", "held_between"]
