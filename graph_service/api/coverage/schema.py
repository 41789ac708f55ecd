"""Coverage roll-ups (组织体系覆盖情况) of any area: the figures of the published table."""

from __future__ import annotations

import strawberry

from graph_service.api.areas.types import Area
from graph_service.api.common import AsOf, local_id
from graph_service.api.coverage.types import Coverage, coverage_from
from graph_service.api.reading import READ, services_of
from graph_service.api.refs import AREA
from graph_service.domain.enums import AreaLevel, NodeLabel, RelType
from graph_service.domain.naming import natural_key
from graph_service.errors import NotFoundError
from graph_service.services.workers import in_worker

BUILDING = AreaLevel.BUILDING.value


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

    @strawberry.field(
        description="The coverage of each area directly inside this one that still exists (buildings aside), by name: "
        "a drill-down table in one request, without the figures of the area itself",
        extensions=READ,
    )
    async def coverage_children(self, info: strawberry.Info, area_id: str, as_of: AsOf = None) -> list[Coverage]:
        key = local_id(area_id, ("Area",))
        if await info.context.loaders.node(NodeLabel.AREA.value).load(key) is None:
            raise NotFoundError(f"areaId: no area {area_id!r}")
        pairs = await info.context.loaders.into(RelType.PART_OF.value, AREA, AREA).load(key)
        areas = sorted(
            (Area.from_row(node) for _, node in pairs if node.get("abolished") is None and node.get("level") != BUILDING),
            key=lambda area: natural_key(area.name),
        )
        reader = services_of(info).coverage
        found = await in_worker(lambda: [reader.figures(str(area.id), as_of) for area in areas])
        return [coverage_from(area, figures) for area, figures in zip(areas, found, strict=True)]


__all__ = ["CoverageQuery"]
