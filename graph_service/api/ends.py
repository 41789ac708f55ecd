"""The node at a relationship's end, as the type modules resolve it: built from the row when the row holds it,
loaded when it names the node by id only (``common.end_node``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from graph_service.api.common import EndOf
from graph_service.api.refs import AREA, ORG, PERSON

if TYPE_CHECKING:
    from graph_service.api.areas.types import Area
    from graph_service.api.organizations.types import Organization
    from graph_service.api.people.types import Person


# The type modules import this one, so it imports them on first use; once, not per call: an import in a function
# costs 0.6 us each time it runs, and a page of 100 pairings built 300 ends.


@cache
def organization_from_row() -> Callable[[dict[str, Any]], Organization]:
    """``Organization.from_row``."""
    from graph_service.api.organizations.types import Organization

    return Organization.from_row


@cache
def person_from_row() -> Callable[[dict[str, Any]], Person]:
    """``Person.from_row``."""
    from graph_service.api.people.types import Person

    return Person.from_row


@cache
def area_from_row() -> Callable[[dict[str, Any]], Area]:
    """``Area.from_row``."""
    from graph_service.api.areas.types import Area

    return Area.from_row


def as_organization(row: dict[str, Any]) -> Organization:
    """``Organization.from_row``, for a module that cannot import the type (the type modules import each other)."""
    return organization_from_row()(row)


def as_person(row: dict[str, Any]) -> Person:
    """``Person.from_row``, as ``as_organization``."""
    return person_from_row()(row)


def as_area(row: dict[str, Any]) -> Area:
    """``Area.from_row``, as ``as_organization``."""
    return area_from_row()(row)


def organization_at(attr: str, when: Callable[[Any], bool] | None = None) -> EndOf:
    """A field answering the organisation at the relationship end kept as ``attr`` (``common.EndOf``)."""
    return EndOf(ORG, attr, as_organization, when)


def person_at(attr: str, when: Callable[[Any], bool] | None = None) -> EndOf:
    """A field answering the person at the relationship end kept as ``attr`` (``common.EndOf``)."""
    return EndOf(PERSON, attr, as_person, when)


def area_at(attr: str) -> EndOf:
    """A field answering the area at the relationship end kept as ``attr`` (``common.EndOf``)."""
    return EndOf(AREA, attr, as_area)


__all__ = [
    "area_at",
    "area_from_row",
    "as_area",
    "as_organization",
    "as_person",
    "organization_at",
    "organization_from_row",
    "person_at",
    "person_from_row",
]
