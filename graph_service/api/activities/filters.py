"""What activities of organisational life (组织生活) are filtered by."""

from __future__ import annotations

from datetime import date

import strawberry

from graph_service.api.common import ActivityKind


@strawberry.input(description="Filters on meetings and activities of organisational life (组织生活)")
class ActivityFilter:
    organization_id: str | None = strawberry.field(default=None, description="Held by this organisation")
    area_id: str | None = strawberry.field(
        default=None,
        description="Held by an organisation leading, sitting in, serving or covering this area or an area below it",
    )
    kind: ActivityKind | None = strawberry.field(default=None, description="Of this kind (党员大会, 支委会, 党课 ...)")
    held_from: date | None = strawberry.field(default=None, description="Held on or after this day")
    held_to: date | None = strawberry.field(default=None, description="Held on or before this day")


__all__ = ["ActivityFilter"]
