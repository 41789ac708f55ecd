"""The published figures for Heze (DOMAIN.md's table) as data, and their values at a given scale.

Facts of the domain: the demo city reproduces them (``seed``), the coverage figures show them beside the computed
ones for the city (``api/coverage``), the tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Urbanisation rate of the resident population, 2022 (51.9%).
URBANISATION_RATE = 0.519
#: Resident population chosen for the city so that 51.9% of it is over 4.5 million.
RESIDENT_POPULATION = 8_790_000
#: Community workers per 10,000 urban residents (target).
COMMUNITY_WORKERS_PER_10K = 18
#: Share of compounds served by a station that the seed builds (published: "73% or more").
STATION_COVERAGE_BUILT = 0.74


def scaled(value: float, scale: float) -> int:
    """A published count at ``scale`` (rounded half up, so 0.5 becomes 1)."""
    return int(value * scale + 0.5)


@dataclass(frozen=True)
class PublishedFigure:
    """One row of the published table: ``field`` names the ``CoverageFigures`` field that reproduces it."""

    field: str
    label: str
    value: float
    kind: str  # "count": equal at scale s to round(value*s); "rate": unchanged by scale; "min_rate": at least value


PUBLISHED_FIGURES: tuple[PublishedFigure, ...] = (
    PublishedFigure("urbanisation_rate", "2022年常住人口城镇化率", URBANISATION_RATE, "rate"),
    PublishedFigure("urban_population", "城镇常住人口(超450万)", round(RESIDENT_POPULATION * URBANISATION_RATE), "count"),
    PublishedFigure("five_haves_compounds", "挂牌办公、达到“五有”标准的小区党支部和业委会", 659, "count"),
    PublishedFigure("cross_appointed_persons", "小区党支部成员和业委会成员交叉任职", 769, "count"),
    PublishedFigure("building_leaders", "楼长(1.3万名)", 13_000, "count"),
    PublishedFigure("building_groups", "楼栋、院落党小组", 3_216, "count"),
    PublishedFigure("central_households", "党员中心户", 12_074, "count"),
    PublishedFigure("platform_people_served", "“党建+”便民智慧服务平台服务群众", 1_400_000, "count"),
    PublishedFigure("station_coverage_rate", "网格(小区)党群服务站点覆盖率(73%以上)", 0.73, "min_rate"),
    PublishedFigure("state_fallback_old_compounds", "兜底管理的老旧小区", 125, "count"),
    PublishedFigure("state_fallback_resettlement_areas", "兜底管理的安置区", 17, "count"),
    PublishedFigure("state_fallback_fee_collection_rate", "兜底管理小区物业费收缴率(90%以上)", 0.90, "min_rate"),
    PublishedFigure("warm_stations", "新就业群体“暖心驿站”(400余个)", 400, "count"),
    PublishedFigure("rider_grid_workers", "担任兼职网格员的快递外卖小哥", 240, "count"),
    PublishedFigure("rider_appeals", "小哥协助收集的群众诉求", 2_600, "count"),
    PublishedFigure("community_workers_per_10k", "每万城镇常住人口配备社区工作者", COMMUNITY_WORKERS_PER_10K, "rate"),
    PublishedFigure("sunk_two_committees_members", "下沉小区的社区“两委”成员", 957, "count"),
    PublishedFigure("sunk_staff", "下沉小区的社区专职工作者、网格员、公益岗", 2_355, "count"),
    PublishedFigure("claimed_volunteer_projects", "小区党员认领的志愿服务项目", 2_579, "count"),
    PublishedFigure("volunteer_teams", "志愿服务队", 488, "count"),
    PublishedFigure("problems_solved", "帮助解决小区居民生活难题(7800余件)", 7_800, "count"),
    PublishedFigure("working_groups_per_leadership_group", "市、县两级领导小组下设专项工作组", 4, "rate"),
)


#: The standards a figure should reach in any area, not only the city (at least this much): the published minimum
#: rates and the staffing target.
MINIMUMS: dict[str, float] = {
    **{f.field: f.value for f in PUBLISHED_FIGURES if f.kind == "min_rate"},
    "community_workers_per_10k": COMMUNITY_WORKERS_PER_10K,
}


def expected_value(figure: PublishedFigure, scale: float) -> float:
    """What the dataset at ``scale`` must show for ``figure`` (counts scale; rates do not)."""
    if figure.field == "urban_population":
        return round(scaled(RESIDENT_POPULATION, scale) * URBANISATION_RATE)
    return scaled(figure.value, scale) if figure.kind == "count" else figure.value


def compare(figures: Any, scale: float = 1.0) -> list[tuple[PublishedFigure, float, Any, bool]]:
    """Each published figure with its expected value at ``scale``, the value in ``figures`` and whether they agree.

    Rates agree when equal to the published precision (0.1% for the urbanisation rate, whole numbers per
    10,000); ``min_rate`` figures agree when at least the published value.
    """
    rows = []
    for figure in PUBLISHED_FIGURES:
        expected = expected_value(figure, scale)
        actual = getattr(figures, figure.field) if not isinstance(figures, dict) else figures.get(figure.field)
        rows.append((figure, expected, actual, _agrees(figure, expected, actual)))
    return rows


def _agrees(figure: PublishedFigure, expected: float, actual: Any) -> bool:
    if actual is None:
        return False
    if figure.kind == "min_rate":
        return bool(actual >= expected)
    if figure.kind == "rate":
        digits = 3 if expected < 1 else 0
        return bool(round(actual, digits) == round(expected, digits))
    return bool(actual == expected)
