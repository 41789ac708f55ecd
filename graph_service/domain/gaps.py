"""What each coverage gap of a compound means: one rule over the compound's measures, used by every path.

A compound's *measures* are counts the store computes per compound (``cypher/fragments/compound_<measure>.cypher``,
one file each: when a building has a leader, which organisations are live, which posts are current). A *gap*
is a rule over those measures: none of something, a share above a threshold, a rate below one, a standard not
met. The same rule is

* rendered into a Cypher predicate (``cypher/fragments/gap_<code>.cypher``, generated from this module by
  ``graph-service schema ddl`` and checked for staleness by a test), which the API's compound filters and the
  coverage figures use, and
* evaluated here in Python on the measures the store returned, which the coverage analysis uses,

so a planner filtering compounds, a figure counting them and an analyst reading a verdict get one answer. The
rules compare with the same arithmetic on both sides (``m > t * whole``, never a division), so they agree on
every value, and a share or rate over nothing (no buildings, no households recorded) is no gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph_service.domain.standards import CoverageGap, Standards


class Measure(str, Enum):
    """A count (or fact) the store computes for one compound on a day; each is a fragment ``compound_<value>``."""

    HOUSEHOLDS = "households"
    BRANCHES = "branches"
    OWNERS_COMMITTEES = "owners_committees"
    CROSS_APPOINTED = "cross_appointed"
    BUILDINGS = "buildings"
    BUILDINGS_WITHOUT_GROUP = "buildings_without_group"
    BUILDINGS_WITHOUT_LEADER = "buildings_without_leader"
    CENTRAL_HOUSEHOLDS = "central_households"
    STATIONS = "stations"
    PROPERTY_MANAGERS = "property_managers"
    SUNK_STAFF = "sunk_staff"
    COMMUNITY_PAIRINGS = "community_pairings"
    COMMUNITY_REGISTERED_MEMBERS = "community_registered_members"
    FIVE_HAVES_MET = "five_haves_met"

    @property
    def fragment(self) -> str:
        return f"compound_{self.value}"


#: What each measure counts, for documentation and the analysis' details.
MEASURE_MEANING: dict[Measure, str] = {
    Measure.HOUSEHOLDS: "the compound's recorded households",
    Measure.BRANCHES: "live compound Party branches leading it",
    Measure.OWNERS_COMMITTEES: "live owners' committees located in it",
    Measure.CROSS_APPOINTED: "people holding a current Party post in one of its live branches and a current post "
    "in one of its live owners' committees",
    Measure.BUILDINGS: "its live buildings",
    Measure.BUILDINGS_WITHOUT_GROUP: "its live buildings no live building Party group covers",
    Measure.BUILDINGS_WITHOUT_LEADER: "its live buildings where no resident holds a current building-leader post",
    Measure.CENTRAL_HOUSEHOLDS: "live Party-member central households located in its buildings",
    Measure.STATIONS: "live service stations serving it",
    Measure.PROPERTY_MANAGERS: "current property management of it",
    Measure.SUNK_STAFF: "people currently sunk to it",
    Measure.COMMUNITY_PAIRINGS: "current pairings with the live committee leading its community",
    Measure.COMMUNITY_REGISTERED_MEMBERS: "in-service Party members currently registered with that committee",
    Measure.FIVE_HAVES_MET: "1 when a live branch and a live owners' committee both hang a plaque and meet all five "
    "haves, else 0",
}

#: How many relationships away from its compound a measure reads at most (either direction): the longest paths
#: are compound -PART_OF-> community <-LEADS- committee <-REGISTERED_WITH|PAIRED_WITH- member or unit, and compound
#: <-PART_OF- building <-RESIDES_IN- resident -MEMBER_OF-> organisation; the areas above a compound
#: (``ancestors``, ``PART_OF*1..4``) change only with a ``PART_OF`` relationship, whose lower end is at most three
#: away. A change farther from every compound than this leaves its measures as they were
#: (``services.measures`` re-reads only the compounds within reach of a change). A new fragment reading farther
#: must raise it; ``tests/integration/test_analysis_patch.py`` makes changes at that distance and compares.
MEASURE_REACH = 3


class RuleKind(str, Enum):
    NONE = "none"  # fires when the measure is 0
    SHARE_ABOVE = "share_above"  # fires when measure > threshold * whole
    PER_100_BELOW = "per_100_below"  # fires when measure * 100 < threshold * whole


@dataclass(frozen=True)
class GapRule:
    """When ``gap`` fires, as a rule over measures; ``threshold`` names a field of ``Standards``."""

    gap: CoverageGap
    kind: RuleKind
    measure: Measure
    whole: Measure | None = None
    threshold: str | None = None

    @property
    def fragment(self) -> str:
        """The generated Cypher predicate's fragment name: true where the gap fires."""
        return f"gap_{self.gap.value}"

    def threshold_value(self, standards: Standards) -> float | None:
        return None if self.threshold is None else float(getattr(standards, self.threshold))

    def fires(self, measures: Mapping[str, Any], standards: Standards) -> bool:
        """Whether the gap fires for a compound with ``measures`` (the store's columns, by measure name)."""
        value = measures.get(self.measure.value)
        if self.kind is RuleKind.NONE:
            return value is not None and int(value) == 0
        whole = measures.get(self.whole.value) if self.whole is not None else None
        threshold = self.threshold_value(standards)
        if value is None or whole is None or threshold is None:
            return False
        if self.kind is RuleKind.SHARE_ABOVE:
            return bool(value > threshold * whole)
        return bool(value * 100 < threshold * whole)

    def ratio(self, measures: Mapping[str, Any]) -> float | None:
        """The share or rate the rule compares (``None`` for a plain count, or over nothing)."""
        if self.kind is RuleKind.NONE or self.whole is None:
            return None
        value, whole = measures.get(self.measure.value), measures.get(self.whole.value)
        if value is None or not whole:
            return None
        scale = 100.0 if self.kind is RuleKind.PER_100_BELOW else 1.0
        return float(value) * scale / float(whole)

    def cypher(self) -> str:
        """The rule as a Cypher predicate over the compound ``c`` (the text of its generated fragment)."""
        measure = "{{" + self.measure.fragment + "(c)}}"
        if self.kind is RuleKind.NONE:
            return f"{measure} = 0"
        if self.whole is None or self.threshold is None:
            raise ValueError(f"{self.gap.value}: a {self.kind.value} rule needs a whole and a threshold")
        whole = "{{" + self.whole.fragment + "(c)}}"
        if self.kind is RuleKind.SHARE_ABOVE:
            return f"{measure} > ${self.threshold} * {whole}"
        return f"{measure} * 100 < ${self.threshold} * {whole}"


GAP_RULES: dict[CoverageGap, GapRule] = {
    rule.gap: rule
    for rule in (
        GapRule(CoverageGap.NO_BRANCH, RuleKind.NONE, Measure.BRANCHES),
        GapRule(CoverageGap.NO_OWNERS_COMMITTEE, RuleKind.NONE, Measure.OWNERS_COMMITTEES),
        GapRule(CoverageGap.NO_CROSS_APPOINTMENT, RuleKind.NONE, Measure.CROSS_APPOINTED),
        GapRule(
            CoverageGap.BUILDINGS_WITHOUT_GROUP,
            RuleKind.SHARE_ABOVE,
            Measure.BUILDINGS_WITHOUT_GROUP,
            Measure.BUILDINGS,
            "max_share_buildings_without_group",
        ),
        GapRule(
            CoverageGap.BUILDINGS_WITHOUT_LEADER,
            RuleKind.SHARE_ABOVE,
            Measure.BUILDINGS_WITHOUT_LEADER,
            Measure.BUILDINGS,
            "max_share_buildings_without_leader",
        ),
        GapRule(
            CoverageGap.FEW_CENTRAL_HOUSEHOLDS,
            RuleKind.PER_100_BELOW,
            Measure.CENTRAL_HOUSEHOLDS,
            Measure.HOUSEHOLDS,
            "min_central_households_per_100",
        ),
        GapRule(CoverageGap.NO_STATION, RuleKind.NONE, Measure.STATIONS),
        GapRule(CoverageGap.NO_PROPERTY_MANAGEMENT, RuleKind.NONE, Measure.PROPERTY_MANAGERS),
        GapRule(CoverageGap.NO_SUNK_STAFF, RuleKind.NONE, Measure.SUNK_STAFF),
        GapRule(CoverageGap.NO_PAIRING, RuleKind.NONE, Measure.COMMUNITY_PAIRINGS),
        GapRule(CoverageGap.NO_REGISTERED_MEMBERS, RuleKind.NONE, Measure.COMMUNITY_REGISTERED_MEMBERS),
        GapRule(CoverageGap.FIVE_HAVES_MISSING, RuleKind.NONE, Measure.FIVE_HAVES_MET),
    )
}


def gaps_of(measures: Mapping[str, Any], standards: Standards) -> list[CoverageGap]:
    """The gaps that fire for a compound with ``measures``, in catalogue order."""
    return [gap for gap, rule in GAP_RULES.items() if rule.fires(measures, standards)]


def gap_counts(compounds: Iterable[Mapping[str, Any]], standards: Standards) -> dict[CoverageGap, int]:
    """How many of ``compounds`` (their measures) have each gap, every gap in catalogue order."""
    counts = dict.fromkeys(GAP_RULES, 0)
    for measures in compounds:
        for gap in gaps_of(measures, standards):
            counts[gap] += 1
    return counts


def gap_parameters(standards: Standards) -> dict[str, float]:
    """The thresholds the gap predicates read, as query parameters."""
    return {rule.threshold: float(getattr(standards, rule.threshold)) for rule in GAP_RULES.values() if rule.threshold}


__all__ = [
    "GAP_RULES",
    "MEASURE_MEANING",
    "MEASURE_REACH",
    "GapRule",
    "Measure",
    "RuleKind",
    "gap_counts",
    "gap_parameters",
    "gaps_of",
]
