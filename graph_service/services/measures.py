"""Every live compound's measures on a day, read for the whole city at once and kept until the next write.

The measures (``domain.gaps``: the counts a compound's coverage gaps are judged by) are joins over whole
relationship tables in LadybugDB, whatever compounds are asked for: the city's thousand compounds at scale 1 are
read in about the time of one compound (0.35-0.4 s against 0.18-0.37 s). So the measures of any area, down to
a single compound, are cut from the city's, read once per write version and day, and the coverage figures, the
gap counts and the coverage analysis share that one read.

After a write the caller may say which compounds' measures it can have moved (``MeasuresPatch``: the analyses
know from the patched projection, ``domain.gaps.MEASURE_REACH``): the city's measures kept from before are then
carried over with only those compounds read again, by the same statement narrowed to their ids. On LadybugDB that
statement still joins whole relationship tables (0.13-0.16 s for one compound or three hundred at scale 1, against
0.18 s for the city). So when the change was to node properties alone (``MeasuresPatch.properties``), only the
measures whose fragments read one of them are read again, each by its own statement (``compound_measure_<m>``,
generated from ``domain.gaps``; a plaque is read by ``five_haves_met`` only, 5-15 ms), and none when no fragment
reads any (a name). Which properties a measure reads is taken from its Cypher text (``measure_properties``), so
the definitions stay where they are.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from graph_service.domain.enums import OC_POSTS, PARTY_POSTS, FiveHave
from graph_service.domain.gaps import Measure
from graph_service.store.generated_queries import measure_query_name
from graph_service.store.port import Row, Store
from graph_service.store.queries import Filter, Query, QueryCatalog

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
    return _ancestors_sorted(rows)


def _ancestors_sorted(rows: list[Row]) -> list[Row]:
    for row in rows:
        row["ancestors"] = sorted(row.get("ancestors") or [])
    return rows


def read_measures_of(run: Callable[..., list[Row]], compounds: Iterable[str], day: date) -> list[Row]:
    """The measures of the live compounds among ``compounds`` on ``day``, read now by ``run`` (a store's ``read``):
    ``read_measures``' rows, by the same statement narrowed to their ids."""
    params = {**measure_parameters(day), "ids": sorted(compounds)}
    return _ancestors_sorted(run(Query("compound_measures").where(Filter("id_in")), params))


@dataclass(frozen=True)
class MeasuresPatch:
    """Between the write versions ``since`` and ``now`` no compound's measures moved but those of ``compounds``;
    ``properties``, when known, are the only properties that changed (of nodes: no relationship changed)."""

    since: int
    now: int
    compounds: frozenset[str]
    properties: frozenset[str] | None = None


_PROPERTY = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*)\b")


def _properties(text: str) -> frozenset[str]:
    code = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    return frozenset(_PROPERTY.findall(code))


@lru_cache(maxsize=8)
def measure_properties(catalog: QueryCatalog) -> tuple[frozenset[str], dict[Measure, frozenset[str]]]:
    """The properties ``compound_measures`` reads to choose its rows and their ``ancestors``, ``branch_id`` and
    ``owners_committee_id`` (before its ``RETURN``), and those each measure reads (its own statement's text):
    every ``x.name`` of the Cypher, whatever ``x`` is, so a list that may hold more than is read, never less."""
    head = catalog.text("compound_measures").split("RETURN", 1)[0]
    return _properties(head), {m: _properties(catalog.text(measure_query_name(m))) for m in Measure}


def read_measure_columns(
    run: Callable[..., list[Row]], measures: Iterable[Measure], compounds: Iterable[str], day: date
) -> dict[str, dict[str, Any]]:
    """Some measures of ``compounds`` on ``day``, each by its own statement: per compound id, measure -> value."""
    params = {**measure_parameters(day), "ids": sorted(compounds)}
    out: dict[str, dict[str, Any]] = {}
    for measure in measures:
        for row in run(measure_query_name(measure), params):
            out.setdefault(str(row["id"]), {})[measure.value] = row[measure.value]
    return out


#: Above this many measures to read again one statement each, the whole rows are read in one.
COLUMNS_MAX = 4
#: Above this many compounds to read again, the city is read whole: the narrowed statement costs about as much,
#: and a long list of ids is a long parameter.
PATCH_MAX_COMPOUNDS = 500


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

    def with_columns(self, version: int, values: Mapping[str, Mapping[str, Any]]) -> CityMeasures:
        """These measures at ``version``, the rows of the compounds in ``values`` taking those measure values."""
        changed = {c: {**row, **values[c]} for c, row in self._by_id().items() if c in values}
        if not changed:
            return CityMeasures(version, self.day, self.rows, self._by_area)
        return CityMeasures.of(version, self.day, [changed.get(str(row["id"]), row) for row in self.rows])

    def _by_id(self) -> dict[str, Row]:
        return {str(row["id"]): row for row in self.rows}

    def replaced(self, version: int, compounds: frozenset[str], rows: list[Row]) -> CityMeasures:
        """These measures at ``version``, the rows of ``compounds`` replaced by ``rows`` (read again: a compound no
        longer live has none), the rest shared."""
        if not compounds:
            return CityMeasures(version, self.day, self.rows, self._by_area)
        kept = {str(row["id"]): row for row in self.rows if row["id"] not in compounds}
        kept.update((str(row["id"]), row) for row in rows)
        return CityMeasures.of(version, self.day, [kept[k] for k in sorted(kept)])


class CompoundMeasures:
    """The city's compound measures per day, kept for the store's write version (one instance per store).

    Concurrent first callers wait for one read rather than each paying for it.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._kept: dict[date, CityMeasures] = {}

    def under(self, area_id: str | None, day: date, patch: MeasuresPatch | None = None) -> list[Row]:
        """The measures of the live compounds under ``area_id`` (the city when ``None``) on ``day``, by id."""
        return self.city(day, patch).under(area_id)

    def city(self, day: date, patch: MeasuresPatch | None = None) -> CityMeasures:
        """The measures of every live compound on ``day``, at the store's current write version.

        With ``patch``, when the measures kept for ``day`` are at its ``since`` version and the store is at its
        ``now``, only its compounds are read again.
        """
        with self._lock:
            for _ in range(3):  # a write between the version and the read: read again, so the label is exact
                version = self.store.write_version()
                kept = self._kept.get(day)
                if kept is not None and kept.version == version:
                    return kept
                if (
                    patch is not None
                    and kept is not None
                    and (kept.version, version) == (patch.since, patch.now)
                    and len(patch.compounds) <= PATCH_MAX_COMPOUNDS
                ):
                    found = self._patched(kept, version, patch)
                else:
                    found = CityMeasures.of(version, day, read_measures(self.store.read, None, day))
                if self.store.write_version() == version:
                    break
            if any(k.version != found.version for k in self._kept.values()) or len(self._kept) >= KEPT_DAYS:
                self._kept.clear()
            self._kept[day] = found
            return found

    def _patched(self, kept: CityMeasures, version: int, patch: MeasuresPatch) -> CityMeasures:
        """``kept`` brought to ``version`` by reading again what ``patch`` says may have moved."""
        if not patch.compounds:
            return kept.replaced(version, patch.compounds, [])
        if patch.properties is not None:
            head, per_measure = measure_properties(self.store.catalog)
            if not patch.properties & head:  # the same rows: only some measures' values may differ
                measures = [m for m in Measure if per_measure[m] & patch.properties]
                if len(measures) <= COLUMNS_MAX:
                    values = read_measure_columns(self.store.read, measures, patch.compounds, day=kept.day)
                    return kept.with_columns(version, values)
        return kept.replaced(version, patch.compounds, read_measures_of(self.store.read, patch.compounds, kept.day))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


__all__ = [
    "COLUMNS_MAX",
    "KEPT_DAYS",
    "PATCH_MAX_COMPOUNDS",
    "CityMeasures",
    "CompoundMeasures",
    "MeasuresPatch",
    "measure_parameters",
    "measure_properties",
    "read_measure_columns",
    "read_measures",
    "read_measures_of",
]
