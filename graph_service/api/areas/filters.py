"""What planners filter and sort compounds by (小区)."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_service.api.common import CompoundKind, PropertyMode
from graph_service.domain.standards import CoverageGap


@strawberry.enum(description="What to sort compounds by")
class CompoundOrderField(Enum):
    NAME = "name"
    HOUSEHOLDS = "households"


@strawberry.enum(description="Sort direction")
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="Sort order of compounds (default: by name, ascending; ties by id)")
class CompoundOrder:
    field: CompoundOrderField = CompoundOrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


@strawberry.input(
    description="Filters a planner needs on compounds (小区). Area arguments take a domainId or a global id. A gap flag "
    "`true` keeps only compounds with that gap, `false` only those without it, null ignores it."
)
class CompoundFilter:
    district_id: str | None = strawberry.field(default=None, description="Compounds in this district/county (县区)")
    street_id: str | None = strawberry.field(default=None, description="Compounds in this street (街道)")
    community_id: str | None = strawberry.field(default=None, description="Compounds in this community (社区)")
    kind: CompoundKind | None = strawberry.field(default=None, description="Kind of compound (小区类型)")
    property_mode: PropertyMode | None = strawberry.field(default=None, description="Current property management mode (物业模式)")
    name_contains: str | None = strawberry.field(default=None, description="Part of the name")
    no_branch: bool | None = strawberry.field(default=None, description="No compound Party branch leads it (无小区党支部)")
    no_owners_committee: bool | None = strawberry.field(default=None, description="No owners' committee (无业委会)")
    no_cross_appointment: bool | None = strawberry.field(
        default=None, description="No one holds a post in both its branch and its OC (无交叉任职)"
    )
    no_station: bool | None = strawberry.field(default=None, description="No service station serves it (无党群服务站)")
    buildings_without_group: bool | None = strawberry.field(
        default=None,
        description="The coverage gap 楼栋未建党小组: more than the allowed share (GRAPH_SERVICE_ANALYSIS_MAX_SHARE_"
        "BUILDINGS_WITHOUT_GROUP, default half) of its buildings have no building Party group, as the analyses count it",
    )
    buildings_without_leader: bool | None = strawberry.field(
        default=None,
        description="The coverage gap 楼栋无楼长: more than the allowed share (GRAPH_SERVICE_ANALYSIS_MAX_SHARE_"
        "BUILDINGS_WITHOUT_LEADER, default half) of its buildings have no building leader living in them",
    )
    few_central_households: bool | None = strawberry.field(
        default=None,
        description="The coverage gap 党员中心户不足: Party-member central households per 100 households below the "
        "standard (GRAPH_SERVICE_ANALYSIS_MIN_CENTRAL_HOUSEHOLDS_PER_100)",
    )
    no_property_management: bool | None = strawberry.field(
        default=None, description="No current property management of any mode (无物业管理)"
    )
    no_sunk_staff: bool | None = strawberry.field(
        default=None, description="Nobody is currently sunk to it from the community (无下沉力量)"
    )
    no_pairing: bool | None = strawberry.field(
        default=None, description="The committee of its community has no current pairing (所在社区无结对共建)"
    )
    no_registered_members: bool | None = strawberry.field(
        default=None,
        description="No in-service Party member is currently checked in with its community's committee "
        "(所在社区无在职党员报到; retired members' check-ins do not count)",
    )
    five_haves_missing: bool | None = strawberry.field(
        default=None,
        description="Its branch and owners' committee do not both hang a plaque and meet all five haves (五有标准未达标)",
    )
    some_building_without_group: bool | None = strawberry.field(
        default=None, description="At least one of its buildings has no building Party group (有楼栋未建党小组)"
    )
    some_building_without_leader: bool | None = strawberry.field(
        default=None, description="At least one of its buildings has no building leader living in it (有楼栋无楼长)"
    )
    include_abolished: bool = strawberry.field(default=False, description="Also abolished compounds")


#: The compound filter's gap flags, one per coverage gap and named by its code.
GAP_FLAGS: dict[str, CoverageGap] = {gap.value: gap for gap in CoverageGap}

__all__ = ["GAP_FLAGS", "CompoundFilter", "CompoundOrder", "CompoundOrderField", "OrderDirection"]
