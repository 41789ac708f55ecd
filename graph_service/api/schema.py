"""The root schema: ``Query`` merged from each area's query type, ``Mutation`` from the change service and API keys.

Types only reachable through the ``Node`` interface are listed in ``types`` so that ``node(id:)`` can return them.
"""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from graph_service.api.analysis_schema import AnalysisQuery
from graph_service.api.feeds import FeedQuery
from graph_service.api.keys_schema import KeyMutation, KeyQuery
from graph_service.api.limits import schema_extensions
from graph_service.api.mutations import Mutation as ChangeMutation
from graph_service.api.queries import CoreQuery
from graph_service.api.types.areas import Area
from graph_service.api.types.organizations import Organization
from graph_service.api.types.people import Membership, Person
from graph_service.api.types.projects import Appeal, Project
from graph_service.api.types.relations import Pairing, Registration
from graph_service.config import Settings

Query = merge_types("Query", (CoreQuery, FeedQuery, AnalysisQuery, KeyQuery))
Mutation = merge_types("Mutation", (ChangeMutation, KeyMutation))
NODE_TYPES = (Area, Organization, Person, Membership, Pairing, Registration, Project, Appeal)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema with the limits of ``settings`` switched on."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=schema_extensions(settings),
    )


__all__ = ["NODE_TYPES", "Query", "build_schema"]
