"""What integrations filter pairings (结对共建) and dual check-ins (双报到) by."""

from __future__ import annotations

from datetime import date

import strawberry

from graph_service.api.common import UnitType
from graph_service.api.relations.types import RegistrantKind


@strawberry.input(description="Filters on co-construction pairings (结对共建)")
class PairingFilter:
    unit_type: UnitType | None = strawberry.field(default=None, description="Type of the unit (单位类型)")
    unit_id: str | None = strawberry.field(default=None, description="The unit's Party organisation")
    community_id: str | None = strawberry.field(
        default=None, description="The community (社区, area) or its community Party committee (organisation)"
    )
    district_id: str | None = strawberry.field(default=None, description="Communities in this district/county")
    active_on: date | None = strawberry.field(default=None, description="In force on this day")
    started_after: date | None = strawberry.field(default=None, description="Started after this day")


@strawberry.input(description="Filters on dual check-ins (双报到)")
class RegistrationFilter:
    registrant_kind: RegistrantKind | None = strawberry.field(default=None, description="Units or in-service members")
    registrant_id: str | None = strawberry.field(default=None, description="The unit's Party organisation or the member")
    community_id: str | None = strawberry.field(
        default=None, description="The community (社区, area) or its community Party committee (organisation)"
    )
    district_id: str | None = strawberry.field(default=None, description="Communities in this district/county")
    active_on: date | None = strawberry.field(default=None, description="In force on this day")
    started_after: date | None = strawberry.field(default=None, description="Registered after this day")


__all__ = ["PairingFilter", "RegistrationFilter"]
