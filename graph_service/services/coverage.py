"""Coverage of the organisational system: the published figures for any area, and the measures of each compound.

Every figure is rolled up from the compounds, buildings or communities under the area through ``PART_OF``, so
the same code answers for the city, a district, a street, a community or a single compound. One read
transaction, a fixed number of queries (``cypher/coverage_*.cypher``) whatever the size of the area. The
figures, the compound filters and the coverage analysis share one definition of every gap and of what is in
force on the day (``domain.gaps``, ``cypher/fragments/``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from graph_service.domain.enums import SunkRole
from graph_service.domain.gaps import gap_counts
from graph_service.domain.standards import DEFAULT_STANDARDS, Standards
from graph_service.errors import NotFoundError
from graph_service.services.calendar import Calendar
from graph_service.services.measures import CompoundMeasures, measure_parameters, read_measures
from graph_service.services.reading import day
from graph_service.store.port import Row, Store, Tx

_QUERIES = (
    "coverage_fallback",
    "coverage_cross",
    "coverage_building_leaders",
    "coverage_building_groups",
    "coverage_central_households",
    "coverage_sunk",
    "coverage_claimed",
    "coverage_community_staff",
    "coverage_rider_appeals",
    "coverage_located",
    "coverage_leadership",
)


@dataclass(frozen=True)
class CoverageFigures:
    """The figures of the published table for one area. "Under the area" means the area itself and every area
    that reaches it by ``PART_OF`` steps; "current" means no ``end_date``; "active" means no ``dissolved``."""

    area_id: str
    level: str

    resident_population: int | None
    """The area's ``resident_population`` (recorded on the city and districts; None elsewhere)."""
    urban_population: int | None
    """The area's ``urban_population`` (城镇常住人口)."""
    urbanisation_rate: float | None
    """``urban_population / resident_population`` of the area (published 51.9%)."""
    platform_people_served: int | None
    """The area's ``platform_people_served`` (people served by the 党建+ platform; published 1.4 million)."""

    compounds: int
    """Compounds under the area."""
    five_haves_compounds: int
    """Compounds whose active branch and active OC both have ``has_plaque`` and all five ``five_haves`` (659)."""
    cross_appointed_persons: int
    """Distinct persons with a current Party post (``PARTY_POSTS``) in the active branch leading a compound under
    the area and a current OC post in the active OC located in the same compound (769)."""
    building_leaders: int
    """Distinct persons living (``RESIDES_IN``) in a building under the area with a current ``building_leader``
    post in any organisation (about 13,000)."""
    building_groups: int
    """Active building Party groups covering at least one building under the area (3,216)."""
    central_households: int
    """Active Party-member central households located in a building under the area (12,074)."""
    station_covered_compounds: int
    """Compounds under the area served (``SERVES``) by a service station."""
    station_coverage_rate: float | None
    """``station_covered_compounds / compounds`` (published: 73% or more)."""
    state_fallback_old_compounds: int
    """Compounds of kind ``old`` under the area with a current ``MANAGES {mode: state_fallback}`` (125)."""
    state_fallback_resettlement_areas: int
    """Compounds of kind ``resettlement`` with a current state-fallback ``MANAGES`` (17)."""
    state_fallback_fee_collection_rate: float | None
    """Mean ``fee_collection_rate`` of those state-fallback relationships (published: 90% or more)."""
    warm_stations: int
    """Active warm stations located in an area under the area (400+)."""
    rider_grid_workers: int
    """Party members of the new employment groups with a current part-time (``full_time = false``) ``grid_worker``
    post in the committee of a community under the area (240)."""
    rider_appeals: int
    """Appeals concerning compounds under the area collected by such a rider (2,600)."""
    community_workers: int
    """Distinct persons with a current ``community_worker`` post in the committee of a community under the area."""
    community_workers_per_10k: float | None
    """``community_workers * 10,000 / urban_population`` of the area (target 18)."""
    sunk_two_committees_members: int
    """Distinct persons currently sunk (``SUNK_TO``) to a compound under the area as two-committees members (957)."""
    sunk_staff: int
    """Distinct persons currently sunk to a compound under the area as full-time workers, grid workers or
    public-welfare posts (2,355)."""
    claimed_volunteer_projects: int
    """Volunteer projects listed by the branch of a compound under the area with at least one ``CLAIMED`` (2,579)."""
    volunteer_teams: int
    """Active volunteer teams located in an area under the area (488)."""
    problems_solved: int
    """Sum of those teams' ``problems_solved`` (7,800+)."""
    leadership_groups: int
    """Leadership groups leading the area or an area under it (city and districts)."""
    working_groups: int
    """Special working groups under those leadership groups."""
    working_groups_per_leadership_group: float | None
    """``working_groups / leadership_groups`` (4 each)."""
    gap_counts: dict[str, int] = field(default_factory=dict)
    """Live compounds under the area with each coverage gap (``domain.gaps``), by gap code."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def coverage_figures(
    store: Store,
    area_id: str,
    as_of: date | None = None,
    standards: Standards = DEFAULT_STANDARDS,
    measures: Sequence[Row] | None = None,
) -> CoverageFigures:
    """The published figures rolled up over ``area_id`` on ``as_of`` (today); ``NotFoundError`` if there is no
    such area. The compounds and their gap counts are judged by ``standards`` on ``measures``, the measures of
    the live compounds under the area on that day (``services.measures``), read here when not given."""
    on = day(as_of)
    params = {
        "area_id": area_id,
        "staff_roles": [SunkRole.FULL_TIME_WORKER.value, SunkRole.GRID_WORKER.value, SunkRole.PUBLIC_WELFARE.value],
        **measure_parameters(on),
    }

    def work(tx: Tx) -> tuple[dict[str, Any], Sequence[Row]] | None:
        area = tx.run("coverage_area", {"area_id": area_id})
        if not area:
            return None
        row: dict[str, Any] = dict(area[0])
        for name in _QUERIES:
            result = tx.run(name, params)
            row.update(result[0] if result else {})
        return row, (measures if measures is not None else read_measures(tx.run, area_id, on))

    found = store.execute_read(work)
    if found is None:
        raise NotFoundError(f"no area with id {area_id!r}")
    row, compounds = found
    return _figures(area_id, {k: _plain(v) for k, v in row.items()}, compounds, standards)


def compound_measures(store: Store, area_id: str | None, as_of: date | None = None) -> list[Row]:
    """Every live compound (under ``area_id``) with its gap measures, the areas above it and its branch and owners'
    committee ids, read now (``services.measures.CompoundMeasures`` keeps the city's and cuts areas from it)."""
    return read_measures(store.read, area_id, day(as_of))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _figures(area_id: str, r: dict[str, Any], measures: Sequence[Row], standards: Standards) -> CoverageFigures:
    def count(name: str) -> int:
        return int(r.get(name) or 0)

    resident, urban = r.get("resident_population"), r.get("urban_population")
    compounds = len(measures)
    gaps = {gap.value: n for gap, n in gap_counts(measures, standards).items()}
    workers = count("community_workers")
    lgs, wgs = count("leadership_groups"), count("working_groups")
    rate = r.get("state_fallback_fee_collection_rate")
    return CoverageFigures(
        area_id=area_id,
        level=str(r.get("level")),
        resident_population=resident,
        urban_population=urban,
        urbanisation_rate=urban / resident if resident and urban is not None else None,
        platform_people_served=r.get("platform_people_served"),
        compounds=compounds,
        five_haves_compounds=compounds - gaps["five_haves_missing"],
        cross_appointed_persons=count("cross_appointed_persons"),
        building_leaders=count("building_leaders"),
        building_groups=count("building_groups"),
        central_households=count("central_households"),
        station_covered_compounds=compounds - gaps["no_station"],
        station_coverage_rate=(compounds - gaps["no_station"]) / compounds if compounds else None,
        state_fallback_old_compounds=count("state_fallback_old_compounds"),
        state_fallback_resettlement_areas=count("state_fallback_resettlement_areas"),
        state_fallback_fee_collection_rate=float(rate) if rate is not None else None,
        warm_stations=count("warm_stations"),
        rider_grid_workers=count("rider_grid_workers"),
        rider_appeals=count("rider_appeals"),
        community_workers=workers,
        community_workers_per_10k=workers * 10_000 / urban if urban else None,
        sunk_two_committees_members=count("sunk_two_committees_members"),
        sunk_staff=count("sunk_staff"),
        claimed_volunteer_projects=count("claimed_volunteer_projects"),
        volunteer_teams=count("volunteer_teams"),
        problems_solved=count("problems_solved"),
        leadership_groups=lgs,
        working_groups=wgs,
        working_groups_per_leadership_group=wgs / lgs if lgs else None,
        gap_counts=gaps,
    )


#: How many areas' figures a reader keeps (per day judged); a city at scale 1 has about 1,300 areas above buildings.
KEPT_FIGURES = 4096


class CoverageReader:
    """The published figures for any area and the measures of its compounds, judged by ``standards``.

    Figures are kept per area and day until the store's write version changes: the console opens the same areas
    again and again. The compounds' measures behind the gap counts are the city's, read once per version and day
    (``measures``) and cut to each area.
    """

    def __init__(
        self,
        store: Store,
        standards: Standards = DEFAULT_STANDARDS,
        calendar: Calendar | None = None,
        measures: CompoundMeasures | None = None,
    ) -> None:
        self.store = store
        self.standards = standards
        self.calendar = calendar or Calendar(store)
        self.measures = measures or CompoundMeasures(store)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._kept: dict[tuple[str, date], CoverageFigures] = {}

    def figures(self, area_id: str, as_of: date | None = None) -> CoverageFigures:
        on = self.calendar.day(as_of)
        version = self.store.write_version()
        with self._lock:
            if self._version != version:
                self._kept.clear()
                self._version = version
            kept = self._kept.get((area_id, on))
        if kept is not None:
            return kept
        for _ in range(3):  # the measures and the other figures of one state; a write between them: read again
            city = self.measures.city(on)
            found = coverage_figures(self.store, area_id, on, self.standards, city.under(area_id))
            if self.store.write_version() == city.version:
                break
        with self._lock:
            # Kept only if no write was seen meanwhile (a later call that saw one cleared the old version's figures).
            if self._version == version == city.version:
                if len(self._kept) >= KEPT_FIGURES:
                    self._kept.clear()
                self._kept[(area_id, on)] = found
        return found

    def compound_measures(self, area_id: str | None = None, as_of: date | None = None) -> list[Row]:
        """The measures of the live compounds under ``area_id`` (the city when ``None``), by id."""
        return self.measures.under(area_id, self.calendar.day(as_of))
