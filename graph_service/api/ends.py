"""The node at a relationship's end, as the type modules resolve it: built from the row when the row holds it,
loaded when it names the node by id only (``common.end_node``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import strawberry
from graphql.pyutils import AwaitableOrValue

from graph_service.api.common import end_node
from graph_service.api.refs import AREA, ORG, PERSON

if TYPE_CHECKING:
    from graph_service.api.areas.types import Area
    from graph_service.api.organizations.types import Organization
    from graph_service.api.people.types import Person


def organization_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Organization | None]:
    from graph_service.api.organizations.types import Organization

    return end_node(info, ORG, row, Organization.from_row)


def person_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Person | None]:
    from graph_service.api.people.types import Person

    return end_node(info, PERSON, row, Person.from_row)


def area_end(info: strawberry.Info, row: dict[str, Any]) -> AwaitableOrValue[Area | None]:
    from graph_service.api.areas.types import Area

    return end_node(info, AREA, row, Area.from_row)


__all__ = ["area_end", "organization_end", "person_end"]
