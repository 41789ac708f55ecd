"""Name search (名称检索) across areas, organisations, projects and, for roles that may read names, people."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

import strawberry

from graph_service.api.areas.types import Area
from graph_service.api.organizations.types import Organization
from graph_service.api.pagination import Connection
from graph_service.api.people.types import Person
from graph_service.api.projects.types import Project
from graph_service.api.reading import READ, counting, page_connection, services_of, window_of
from graph_service.services.workers import in_worker
from graph_service.store.port import Row

SearchNode = Annotated[
    Area | Organization | Project | Person, strawberry.union("SearchNode", description="What a name search can find")
]


@strawberry.type(description="A name that matched a search")
class SearchHit:
    label: str = strawberry.field(description="Area, Organization, Project or Person")
    name: str | None = strawberry.field(description="The matched name (null for people when personal data is not allowed)")
    node: SearchNode


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Names containing a text (名称检索) across areas, organisations, projects and, for roles that may read "
        "names, people; case- and width-insensitive",
        extensions=READ,
    )
    async def search(
        self, info: strawberry.Info, text: str, first: int | None = None, after: str | None = None
    ) -> Connection[SearchHit]:
        win = window_of(info, first, after)
        reader = services_of(info).search
        page = await in_worker(reader.names, text, win, people=info.context.may_see_personal)
        total = counting(info, page)
        builders: dict[str, Callable[[Row], Any]] = {
            "Area": Area.from_row,
            "Organization": Organization.from_row,
            "Project": Project.from_row,
            "Person": Person.from_row,
        }
        by_label: dict[str, list[str]] = {}
        for hit in page.items:
            by_label.setdefault(hit.label, []).append(hit.id)
        loaders = info.context.loaders
        results = await asyncio.gather(*(loaders.node(label).load_many(ids) for label, ids in by_label.items()))
        loaded: dict[tuple[str, str], Row] = {}
        for (label, ids), nodes in zip(by_label.items(), results, strict=True):
            for node_id, node in zip(ids, nodes, strict=True):
                if node is not None:
                    loaded[(label, node_id)] = node
        hits = [
            SearchHit(label=h.label, name=h.name, node=builders[h.label](loaded[(h.label, h.id)]))
            for h in page.items
            if (h.label, h.id) in loaded
        ]
        return page_connection(page, win, hits, total)


__all__ = ["SearchHit", "SearchQuery"]
