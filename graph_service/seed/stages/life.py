"""Organisational life (组织生活): the year of meetings and activities before ``AS_OF`` of every branch and Party group.

Every compound and joint branch meets each rule of ``domain.regulation.LIFE_RULES`` that applies to it, in every
period of the year: a themed Party day every month, a committee meeting every month where 7 or more full members
require a committee, a general meeting and a Party lesson every quarter, an organisational-life meeting and the
democratic appraisal of members once (in January or February), and each Party group a group meeting every month;
a few other activities besides. Each is held a few days inside its period, never on a boundary. The planted
irregular branches (``Compound.weak``, ``JointBranch.weak``) skip 4-6 of the 12 months, 2-3 of the 4 quarters,
or the whole year (their last one was held before the window); an inactive one holds nothing, its groups neither,
after mid-February. People present are recorded (``ATTENDED``) only at the general meetings of small branches
and joint branches, so that the records stay few at large scales.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph_service.domain.enums import ActivityKind, RelType
from graph_service.domain.records import NodeRecord, RelRecord
from graph_service.domain.regulation import committee_required, periods
from graph_service.domain.standards import WeaknessFactor
from graph_service.seed import names
from graph_service.seed.core import ACTIVITY, AS_OF, ORG, PERSON, CityBuilder

#: The periods of the window, newest first, each ``(start, end]``.
MONTHS = periods(AS_OF, 1)
QUARTERS = periods(AS_OF, 3)
#: Days kept clear of each end of a period, so that no activity sits near a boundary.
MARGIN = timedelta(days=3)
#: When the yearly meetings are held (the start of the year), inside the window and well clear of its ends.
YEARLY = (date(2025, 1, 6), date(2025, 2, 25))
#: The same meetings a year earlier: what a branch that skipped them this year held last.
YEAR_BEFORE = (date(2024, 1, 6), date(2024, 2, 25))
#: The last day an inactive branch held anything: six weeks before its three quiet months begin.
INACTIVE_AFTER = (date(2024, 12, 1), date(2025, 2, 15))
#: Branches this small, and joint branches, record who came to their general meetings.
RECORDED_UP_TO = 8

W = WeaknessFactor


# The kinds as stored: the stage makes tens of thousands of activities, and an enum's value costs a lookup each time.
PARTY_DAY, COMMITTEE, GENERAL, LESSON, GROUP, ORG_LIFE, APPRAISAL, OTHER = (
    k.value
    for k in (
        ActivityKind.THEMED_PARTY_DAY,
        ActivityKind.COMMITTEE_MEETING,
        ActivityKind.GENERAL_MEETING,
        ActivityKind.PARTY_LESSON,
        ActivityKind.GROUP_MEETING,
        ActivityKind.ORG_LIFE_MEETING,
        ActivityKind.MEMBER_APPRAISAL,
        ActivityKind.OTHER,
    )
)
HELD_BY, ATTENDED = RelType.HELD_BY.value, RelType.ATTENDED.value


@dataclass
class _Held:
    kind: str
    day: date
    attendance: int
    present: list[str] | None = None


def organisational_life(b: CityBuilder) -> None:
    """The year of organisational life of every compound branch (and its groups) and every joint branch."""
    for c in b.compounds:
        if not c.branch:
            continue
        groups = [f"{c.id}-bg{j + 1:02d}" for j in range(c.groups)]
        committee = committee_required(c.full) and W.NO_COMMITTEE.value not in c.weak
        _branch_life(b, c.branch_id, c.members, committee, groups, c.weak, recorded=len(c.members) <= RECORDED_UP_TO)
    for jb in b.joint_branches:
        _branch_life(b, jb.id, jb.members, committee_required(jb.full), [], jb.weak, recorded=True)


def _branch_life(
    b: CityBuilder, org: str, members: list[str], committee: bool, groups: list[str], weak: set[str], *, recorded: bool
) -> None:
    rng = b.rng
    size = max(1, len(members))

    def turnout(low: float = 0.7) -> int:
        return max(1, round(size * rng.uniform(low, 1.0)))

    held: list[_Held] = []
    for day in _monthly(b, W.IRREGULAR_PARTY_DAY.value in weak):
        held.append(_Held(PARTY_DAY, day, turnout(0.6)))
    if committee:
        for day in _monthly(b, W.IRREGULAR_COMMITTEE_MEETING.value in weak):
            held.append(_Held(COMMITTEE, day, rng.randint(3, 5)))
    for day in _quarterly(b, W.IRREGULAR_GENERAL_MEETING.value in weak):
        present = rng.sample(members, turnout(0.75)) if recorded and members else None
        held.append(_Held(GENERAL, day, len(present) if present else turnout(0.75), present))
    for day in _quarterly(b, W.IRREGULAR_PARTY_LESSON.value in weak):
        held.append(_Held(LESSON, day, turnout()))
    for kind, factor in (
        (ORG_LIFE, W.NO_ORG_LIFE_MEETING),
        (APPRAISAL, W.NO_MEMBER_APPRAISAL),
    ):
        # A branch that skipped it this year held it the year before, outside the window.
        held.append(_Held(kind, b.date_between(*(YEAR_BEFORE if factor.value in weak else YEARLY)), turnout(0.85)))
    for _ in range(rng.randint(0, 3)):
        held.append(_Held(OTHER, b.date_between(MONTHS[-1][0] + MARGIN, AS_OF - MARGIN), rng.randint(5, 40)))
    quiet_after = b.date_between(*INACTIVE_AFTER) if W.INACTIVE.value in weak else None
    _record(b, org, held, quiet_after)
    irregular = rng.choice(groups) if groups and W.IRREGULAR_GROUP_MEETING.value in weak else None
    per_group = max(2, size // max(1, len(groups)))
    for group in groups:
        meetings = [
            _Held(GROUP, day, max(2, round(per_group * rng.uniform(0.6, 1.0)))) for day in _monthly(b, group == irregular)
        ]
        _record(b, group, meetings, quiet_after)


def _monthly(b: CityBuilder, irregular: bool) -> list[date]:
    """A day inside each month of the window; an irregular branch skips 4-6 of the 12."""
    skipped = set(b.pick(range(len(MONTHS)), b.rng.randint(4, 6))) if irregular else set()
    return [_inside(b, span) for i, span in enumerate(MONTHS) if i not in skipped]


def _quarterly(b: CityBuilder, irregular: bool) -> list[date]:
    """A day inside each quarter of the window; an irregular branch skips 2-3 of the 4."""
    skipped = set(b.pick(range(len(QUARTERS)), b.rng.randint(2, 3))) if irregular else set()
    return [_inside(b, span) for i, span in enumerate(QUARTERS) if i not in skipped]


def _inside(b: CityBuilder, span: tuple[date, date]) -> date:
    start, end = span
    return b.date_between(start + MARGIN, end - MARGIN)


def _record(b: CityBuilder, org: str, held: list[_Held], quiet_after: date | None) -> None:
    """The activities ``org`` held (none after ``quiet_after``), in date order, with their ``HELD_BY``."""
    topics, choice, records = names.ACTIVITY_TOPICS, b.rng.choice, b.records
    held.sort(key=lambda h: h.day)
    for n, h in enumerate(held, start=1):
        if quiet_after is not None and h.day > quiet_after:
            break
        aid = f"{org}-a{n:03d}"
        props = {"kind": h.kind, "held_on": h.day, "attendance": h.attendance, "topic": choice(topics[h.kind])}
        records.append(NodeRecord(ACTIVITY, aid, props))
        records.append(RelRecord(HELD_BY, f"{aid}:{HELD_BY}:{org}", aid, ACTIVITY, org, ORG, {}))
        for pid in h.present or ():
            records.append(RelRecord(ATTENDED, f"{pid}:{ATTENDED}:{aid}", pid, PERSON, aid, ACTIVITY, {}))


__all__ = ["MONTHS", "QUARTERS", "organisational_life"]
