"""Areas and compounds: the hierarchy from the city down, and the planners' compound filters.

A compound's coverage gaps are filtered by the rules of ``domain.gaps``, the same predicates the coverage
figures and the analyses use, composed into the one statement that lists the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from graph_service.domain.enums import AreaLevel, CompoundKind, PropertyMode
from graph_service.domain.gaps import GAP_RULES, gap_parameters
from graph_service.domain.standards import CoverageGap, Standards
from graph_service.services.calendar import Calendar
from graph_service.services.measures import measure_parameters
from graph_service.services.paging import Page, Window
from graph_service.services.reading import listing, listings, normalise
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, filters

_AREA_FILTERS = ("area_at_level", "name_contains", "area_not_abolished")
_COMPOUND_FILTERS = (
    "compound_in_district",
    "compound_in_street",
    "compound_of_kind",
    "compound_managed_as",
    "name_contains",
    "area_not_abolished",
    "compound_some_building_without_group",
    "compound_some_building_without_leader",
    *(rule.fragment for rule in GAP_RULES.values()),
)
listings(
    {
        "areas": _AREA_FILTERS,
        "areas_under": _AREA_FILTERS,
        "compounds": _COMPOUND_FILTERS,
        "compounds_under": _COMPOUND_FILTERS,
    }
)


@dataclass(frozen=True)
class AreaFilter:
    """Areas by level, parent and name; abolished ones only when asked."""

    level: AreaLevel | None = None
    parent_id: str | None = None
    name_contains: str | None = None
    include_abolished: bool = False


class CompoundOrderField(str, Enum):
    NAME = "name"
    HOUSEHOLDS = "households"


@dataclass(frozen=True)
class CompoundOrder:
    field: CompoundOrderField = CompoundOrderField.NAME
    descending: bool = False


@dataclass(frozen=True)
class CompoundFilter:
    """What a planner filters compounds by. ``gaps`` maps a coverage gap to ``True`` (keep compounds with the gap)
    or ``False`` (keep those without it); a gap left out is not asked about. ``some_building_without_*`` ask
    about a single building, where the gaps ask about a share of them (``domain.gaps``)."""

    district_id: str | None = None
    street_id: str | None = None
    community_id: str | None = None
    kind: CompoundKind | None = None
    property_mode: PropertyMode | None = None
    name_contains: str | None = None
    gaps: Mapping[CoverageGap, bool] = field(default_factory=dict)
    some_building_without_group: bool | None = None
    some_building_without_leader: bool | None = None
    include_abolished: bool = False


def gap_and_measure_parameters(standards: Standards, as_of: date) -> dict[str, Any]:
    """Every parameter the measure and gap fragments read (a statement is given only those it names)."""
    return {**measure_parameters(as_of), **gap_parameters(standards)}


class AreaReader:
    """Reads of areas and compounds over one store; ``standards`` are the thresholds gap filters apply."""

    def __init__(self, store: Store, standards: Standards, calendar: Calendar | None = None) -> None:
        self.store = store
        self.standards = standards
        self.calendar = calendar or Calendar(store)

    def areas(self, f: AreaFilter, window: Window) -> Page[Row]:
        """A page of areas by name (a parent's children when ``parent_id`` is given)."""
        conditions = filters(
            ("area_at_level", True if f.level is not None else None),
            ("name_contains", True if f.name_contains else None),
            ("area_not_abolished", None if f.include_abolished else True),
        )
        params = {
            "level": f.level.value if f.level is not None else None,
            "name": normalise(f.name_contains or ""),
            "parent": f.parent_id,
        }
        name = "areas_under" if f.parent_id else "areas"
        return listing(self.store, name, conditions, params, window).map(_column("a"))

    def compounds(self, f: CompoundFilter, order: CompoundOrder, window: Window, as_of: date | None = None) -> Page[Row]:
        """A page of compounds matching ``f``: one statement, whatever the number of gaps asked about."""
        scopes = (("district", f.district_id), ("street", f.street_id), ("community", f.community_id))
        given = [(level, area) for level, area in scopes if area]
        # The most local area anchors the statement; any wider one given too stays a condition (so a community
        # is never one: it is the most local).
        anchor = given[-1][1] if given else None
        conditions: list[Filter] = [Filter(f"compound_in_{level}") for level, _ in given[:-1]]
        conditions += filters(
            ("compound_of_kind", True if f.kind is not None else None),
            ("compound_managed_as", True if f.property_mode is not None else None),
            ("name_contains", True if f.name_contains else None),
            ("area_not_abolished", None if f.include_abolished else True),
            ("compound_some_building_without_group", f.some_building_without_group),
            ("compound_some_building_without_leader", f.some_building_without_leader),
        )
        conditions += [Filter(GAP_RULES[gap].fragment, negate=not wanted) for gap, wanted in f.gaps.items()]
        params = {
            **dict(given),
            "under": anchor,
            "kind": f.kind.value if f.kind is not None else None,
            "mode": f.property_mode.value if f.property_mode is not None else None,
            "name": normalise(f.name_contains or ""),
            **gap_and_measure_parameters(self.standards, self.calendar.day(as_of)),
        }
        sort = {
            "order_field": order.field.value,
            "sign": -1 if order.descending else 1,
            "reverse": order.descending and order.field is CompoundOrderField.NAME,
        }
        name = "compounds_under" if anchor else "compounds"
        return listing(self.store, name, tuple(conditions), params, window, order=sort).map(_column("c"))


def _column(name: str) -> Any:
    def pick(row: Row) -> Row:
        value: Row = row[name]
        return value

    return pick


__all__ = ["AreaFilter", "AreaReader", "CompoundFilter", "CompoundOrder", "CompoundOrderField", "gap_and_measure_parameters"]
