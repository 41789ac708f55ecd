"""The root schema: ``Query`` merged from each area's query type, ``Mutation`` from the change service and API keys.

Types only reachable through the ``Node`` interface are listed in ``types`` so that ``node(id:)`` can return them.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.tools import merge_types

from graph_service.api.activities.mutations import ActivityMutation
from graph_service.api.activities.schema import ActivityQuery
from graph_service.api.activities.types import Activity
from graph_service.api.analyses.schema import AnalysisQuery
from graph_service.api.areas.schema import AreaQuery
from graph_service.api.areas.types import Area
from graph_service.api.coverage.schema import CoverageQuery
from graph_service.api.direct_resolvers import use_direct_resolvers
from graph_service.api.execution import LeafFastExecutionContext
from graph_service.api.feeds.schema import FeedQuery
from graph_service.api.keys.schema import KeyMutation, KeyQuery
from graph_service.api.limits import schema_extensions
from graph_service.api.me.schema import MeQuery
from graph_service.api.mutations import Mutation as ChangeMutation
from graph_service.api.node import NodeQuery
from graph_service.api.organizations.schema import OrganizationQuery
from graph_service.api.organizations.types import Organization
from graph_service.api.people.schema import PeopleQuery
from graph_service.api.people.types import Membership, Person
from graph_service.api.projects.types import Appeal, Project
from graph_service.api.relations.schema import RelationQuery
from graph_service.api.relations.types import Pairing, Registration
from graph_service.api.responses import log_errors
from graph_service.api.search.schema import SearchQuery
from graph_service.api.support.mutations import SupportMutation
from graph_service.api.support.types import CadrePosting, JointBranchMembership, Liaison
from graph_service.config import Settings

#: The root query, one part per domain area (netbox's layout: <area>/{types,filters,schema}.py).
Query = merge_types(
    "Query",
    (
        NodeQuery,
        AreaQuery,
        OrganizationQuery,
        PeopleQuery,
        RelationQuery,
        ActivityQuery,
        SearchQuery,
        CoverageQuery,
        FeedQuery,
        AnalysisQuery,
        KeyQuery,
        MeQuery,
    ),
)
Mutation = merge_types("Mutation", (ChangeMutation, ActivityMutation, SupportMutation, KeyMutation))
NODE_TYPES = (
    Area,
    Organization,
    Person,
    Membership,
    Pairing,
    Registration,
    Project,
    Appeal,
    Activity,
    JointBranchMembership,
    CadrePosting,
    Liaison,
)


class GraphServiceSchema(strawberry.Schema):
    """Strawberry's schema, logging a client's mistake in one line and only our own faults with a traceback
    (strawberry logs every error with its traceback: an invalid global id cost three lines of log each)."""

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        log_errors(errors, getattr(execution_context, "_provided_operation_name", None))


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits of ``settings`` switched on."""
    schema = GraphServiceSchema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=schema_extensions(settings),
        execution_context_class=LeafFastExecutionContext,
    )
    use_direct_resolvers(schema)
    return schema


__all__ = ["NODE_TYPES", "GraphServiceSchema", "Query", "build_schema"]
