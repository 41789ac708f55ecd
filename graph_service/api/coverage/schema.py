"""Coverage roll-ups (组织体系覆盖情况) of any area: the figures of the published table."""

from __future__ import annotations

import strawberry

from graph_service.api.areas.types import Area
from graph_service.api.common import AsOf, local_id
from graph_service.api.coverage.types import Coverage, coverage_from
from graph_service.api.reading import READ, services_of
from graph_service.domain.enums import NodeLabel
from graph_service.errors import NotFoundError
from graph_service.services.workers import in_worker


@strawberry.type
class CoverageQuery:
    @strawberry.field(
        description="Coverage of the organisational system in any area (覆盖情况): DOMAIN.md's counts and rates rolled up "
        "from its compounds; for the Heze city at scale 1 they equal the published figures",
        extensions=READ,
    )
    async def coverage(self, info: strawberry.Info, area_id: str, as_of: AsOf = None) -> Coverage:
        key = local_id(area_id, ("Area",))
        row = await info.context.loaders.node(NodeLabel.AREA.value).load(key)
        if row is None:
            raise NotFoundError(f"areaId: no area {area_id!r}")
        figures = await in_worker(services_of(info).coverage.figures, key, as_of)
        return coverage_from(Area.from_row(row), figures)


__all__ = ["CoverageQuery"]
