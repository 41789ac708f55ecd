"""Every live compound's measures on a day, read for the whole city at once and kept until the next write.

The measures (``domain.gaps``: the counts a compound's coverage gaps are judged by) are joins over whole
relationship tables in LadybugDB, whatever compounds are asked for: the city's thousand compounds at scale 1 are
read in about the time of one compound (0.35-0.4 s against 0.18-0.37 s). So the measures of any area, down to
a single compound, are cut from the city's, read once per write version and day, and the coverage figures, the
gap counts and the coverage analysis share that one read.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph_service.domain.enums import OC_POSTS, PARTY_POSTS, FiveHave
from graph_service.store.port import Row, Store

#: How many days' measures are kept at once (the reference day, today, and a few a user looked back at).
KEPT_DAYS = 8


def measure_parameters(as_of: date) -> dict[str, Any]:
    """The parameters the measure fragments (``cypher/fragments/compound_*.cypher``) read."""
    return {
        "as_of": as_of,
        "party_posts": sorted(p.value for p in PARTY_POSTS),
        "oc_posts": sorted(p.value for p in OC_POSTS),
        "five_haves": [f.value for f in FiveHave],
    }


def read_measures(run: Callable[[str, dict[str, Any]], list[Row]], area_id: str | None, day: date) -> list[Row]:
    """The measures of the live compounds under ``area_id`` (every one for ``None``) on ``day``, read now by
    ``run`` (a store's ``read`` or a transaction's ``run``); each row's ``ancestors`` sorted."""
    params = {**measure_parameters(day), "area_id": area_id}
    rows = run("compound_measures_under", params) if area_id else run("compound_measures", params)
    for row in rows:
        row["ancestors"] = sorted(row.get("ancestors") or [])
    return rows


@dataclass(frozen=True)
class CityMeasures:
    """The measures of every live compound on ``day`` as the store was at ``version``."""

    version: int
    day: date
    rows: tuple[Row, ...]
    """One row per live compound, by id: ``compound_measures``' columns."""
    _by_area: dict[str, list[Row]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, version: int, day: date, rows: list[Row]) -> CityMeasures:
        by_area: defaultdict[str, list[Row]] = defaultdict(list)
        for row in rows:
            for area in (row["id"], *row["ancestors"]):
                by_area[area].append(row)
        return cls(version, day, tuple(rows), dict(by_area))

    def under(self, area_id: str | None) -> list[Row]:
        """The rows of the live compounds under ``area_id`` (or of that compound), by id; every row for ``None``."""
        if area_id is None:
            return list(self.rows)
        return list(self._by_area.get(area_id, ()))


class CompoundMeasures:
    """The city's compound measures per day, kept for the store's write version (one instance per store).

    Concurrent first callers wait for one read rather than each paying for it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._kept: dict[date, CityMeasures] = {}

    def under(self, area_id: str | None, day: date) -> list[Row]:
        """The measures of the live compounds under ``area_id`` (the city when ``None``) on ``day``, by id."""
        return self.city(day).under(area_id)

    def city(self, day: date) -> CityMeasures:
        """The measures of every live compound on ``day``, at the store's current write version."""
        with self._lock:
            for _ in range(3):  # a write between the version and the read: read again, so the label is exact
                version = self.store.write_version()
                kept = self._kept.get(day)
                if kept is not None and kept.version == version:
                    return kept
                found = CityMeasures.of(version, day, read_measures(self.store.read, None, day))
                if self.store.write_version() == version:
                    break
            if any(k.version != found.version for k in self._kept.values()) or len(self._kept) >= KEPT_DAYS:
                self._kept.clear()
            self._kept[day] = found
            return found

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


__all__ = ["KEPT_DAYS", "CityMeasures", "CompoundMeasures", "measure_parameters", "read_measures"]
