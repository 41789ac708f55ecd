"""The node at a relationship's end, as the type modules resolve it: built from the row when the row holds it,
loaded when it names the node by id only (``common.end_node``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import strawberry
from graphql.pyutils import AwaitableOrValue

from graph_service.api.common import end_node
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


def organization_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Organization | None]:
    return end_node(info, ORG, row, organization_from_row())


def person_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Person | None]:
    return end_node(info, PERSON, row, person_from_row())


def area_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Area | None]:
    return end_node(info, AREA, row, area_from_row())


__all__ = ["area_end", "area_from_row", "organization_end", "organization_from_row", "person_end", "person_from_row"]
