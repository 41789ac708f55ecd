"""The root schema: ``Query`` merged from each area's query type, ``Mutation`` from the change service.

Types only reachable through the ``Node`` interface are listed in ``types`` so that ``node(id:)`` can return them.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.tools import merge_types

from graph_service.api.analysis_schema import AnalysisQuery
from graph_service.api.feeds import FeedQuery
from graph_service.api.limits import schema_extensions
from graph_service.api.mutations import Mutation
from graph_service.api.queries import CoreQuery
from graph_service.api.responses import log_errors
from graph_service.api.types.areas import Area
from graph_service.api.types.organizations import Organization
from graph_service.api.types.people import Membership, Person
from graph_service.api.types.projects import Appeal, Project
from graph_service.api.types.relations import Pairing, Registration
from graph_service.config import Settings

Query = merge_types("Query", (CoreQuery, FeedQuery, AnalysisQuery))
NODE_TYPES = (Area, Organization, Person, Membership, Pairing, Registration, Project, Appeal)


class GraphServiceSchema(strawberry.Schema):
    """Strawberry's schema, logging a client's mistake in one line and only our own faults with a traceback
    (strawberry logs every error with its traceback: an invalid global id cost three lines of log each)."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        log_errors(errors, getattr(execution_context, "_provided_operation_name", None))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits of ``settings`` switched on."""
    return GraphServiceSchema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=schema_extensions(settings),
    )


__all__ = ["NODE_TYPES", "GraphServiceSchema", "Query", "build_schema"]
