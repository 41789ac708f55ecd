"""Coverage roll-ups (组织体系覆盖情况): the figures of DOMAIN.md's published table for any area.

The GraphQL type is built from ``services.coverage.CoverageFigures`` field by field, so a figure added there
appears here (and in the committed SDL, whose test then asks for a refresh); labels come from the published
table (``domain.figures.PUBLISHED_FIGURES``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

from graph_service.api.areas.types import Area
from graph_service.domain.enums import AreaLevel
from graph_service.domain.figures import MINIMUMS, PUBLISHED_FIGURES
from graph_service.domain.standards import CoverageGap
from graph_service.services.coverage import CoverageFigures

_TYPES: dict[str, Any] = {
    "int": int,
    "int | None": int | None,
    "float": float,
    "float | None": float | None,
}
_LABELS = {f.field: f.label for f in PUBLISHED_FIGURES}
_PUBLISHED = {f.field: f.value for f in PUBLISHED_FIGURES}
#: Fields of the dataclass that are not figures (the gap counts have a list of their own).
_SKIP = ("area_id", "level", "gap_counts")


@strawberry.type(description="How many compounds have one coverage gap")
class CoverageGapCount:
    code: str = strawberry.field(description="The gap's code (no_branch, buildings_without_leader, ...)")
    label: str = strawberry.field(description="Its Chinese label")
    compounds: int = strawberry.field(description="Live compounds under the area with the gap")


@strawberry.type(description="One figure with its Chinese label and, where the city published it, the published value")
class CoverageFigure:
    code: str = strawberry.field(description="Field name of the figure (camelCase in the typed fields)")
    label: str = strawberry.field(description="Chinese label of the published table, or the code")
    value: float | None = strawberry.field(description="The figure for this area; rates are fractions 0-1")
    published: float | None = strawberry.field(description="Heze's published value, on the city only (scale 1), if any")
    minimum: float | None = strawberry.field(
        description="The standard the figure should reach in any area, if one is set: station coverage 73%, fee "
        "collection 90%, 18 community workers per 10,000 urban residents"
    )


def _coverage_type() -> Any:
    annotations: dict[str, Any] = {"area": Area}
    namespace: dict[str, Any] = {}
    for f in dataclasses.fields(CoverageFigures):
        if f.name in _SKIP:
            continue
        annotations[f.name] = _TYPES[str(f.type)]
        namespace[f.name] = strawberry.field(description=_LABELS.get(f.name, f.name.replace("_", " ")))
    namespace["__annotations__"] = annotations
    annotations["_source"] = strawberry.Private[Any]  # type: ignore[misc]

    def figures(self: Any) -> list[CoverageFigure]:
        out = []
        for f in dataclasses.fields(CoverageFigures):
            if f.name in _SKIP:
                continue
            value = getattr(self._source, f.name)
            out.append(
                CoverageFigure(
                    code=f.name,
                    label=_LABELS.get(f.name, f.name),
                    value=None if value is None else float(value),
                    # The published table is the city's: a district or street has no published figure.
                    published=_PUBLISHED.get(f.name) if self._source.level == AreaLevel.CITY.value else None,
                    minimum=MINIMUMS.get(f.name),
                )
            )
        return out

    namespace["figures"] = strawberry.field(
        figures, description="Every figure as a list, with labels and, for the city, the published values"
    )

    def gaps(self: Any) -> list[CoverageGapCount]:
        return [
            CoverageGapCount(code=gap.value, label=gap.label, compounds=self._source.gap_counts.get(gap.value, 0))
            for gap in CoverageGap
        ]

    namespace["gaps"] = strawberry.field(
        gaps,
        description="How many of its live compounds have each coverage gap (覆盖缺口), by the same rules as the compound "
        "filters and the coverage analysis",
    )
    cls = type("Coverage", (), namespace)
    return strawberry.type(
        cls,
        description="Coverage of the organisational system in an area (覆盖情况), rolled up from the compounds, buildings and "
        "communities under it; at the city of the Heze profile at scale 1 the figures equal the published ones",
    )


Coverage = _coverage_type()


def coverage_from(area: Area, figures: CoverageFigures) -> Any:
    values = {f.name: getattr(figures, f.name) for f in dataclasses.fields(CoverageFigures) if f.name not in _SKIP}
    return Coverage(area=area, _source=figures, **values)


__all__ = ["Coverage", "CoverageFigure", "CoverageGapCount", "coverage_from"]
