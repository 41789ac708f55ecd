"""The rules a verdict of "weak and lax" (软弱涣散) rests on, each with the article or practice behind it.

Source: 《中国共产党支部工作条例（试行）》 (the Branch Work Regulations, 2018), cited by article where the text was
checked, by chapter otherwise, and the widely used official list of weak and lax organisations (items 1-10,
``OFFICIAL_CRITERION`` in ``standards``). A rule here is data and small pure functions over plain values (counts,
dates, kinds), so the analysis (over the projection), the seed's ground truth (over the generated records) and
the documentation read one statement of it:

* a unit with 3 or more full members (正式党员) sets up a branch; a branch generally has no more than 50
  members (Art. 4); units with fewer join a joint branch (联合党支部) covering at most 5 units (Art. 5);
* a branch with 7 or more full members must have a committee of 3 to 5 (at most 7); one with fewer has a
  secretary (and maybe a deputy) and no committee (ch. 6);
* community (and village) branch committees serve 5 years, other branches generally 3; an election is due when
  the term ends (ch. 6);
* organisational life: the general meeting of members once a quarter (Art. 11), the committee meeting once a
  month (Art. 12), the Party group meeting once a month (Art. 13), a Party lesson at least once a quarter and a
  themed Party day every month (三会一课 and 主题党日, Art. 16), an organisational-life meeting and the democratic
  appraisal of members once a year (ch. 5); and in practice a branch with no activity for 3 months is criticised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from graph_service.domain.enums import ActivityKind, OrgKind
from graph_service.domain.standards import WeaknessFactor

REGULATION = "《中国共产党支部工作条例（试行）》"

#: Full members (正式党员) from which a branch is set up (Art. 4); fewer: a joint branch.
MIN_FULL_MEMBERS = 3
#: Members a branch generally has at most (Art. 4).
MAX_MEMBERS = 50
#: Units a joint branch covers at most (Art. 5).
MAX_JOINT_BRANCH_UNITS = 5
#: Full members from which a branch must have a committee, and the committee's size (ch. 6).
COMMITTEE_REQUIRED_FROM = 7
MIN_COMMITTEE, MAX_COMMITTEE = 3, 7
#: Months without any activity after which a branch counts as inactive (the practice behind list item 4).
INACTIVE_MONTHS = 3
#: The window organisational life is judged over.
LIFE_WINDOW_MONTHS = 12

#: Organisations the regulation's branch rules (size, committee, organisational life) apply to.
BRANCH_KINDS: frozenset[str] = frozenset({OrgKind.COMPOUND_BRANCH.value, OrgKind.JOINT_BRANCH.value})
#: Kinds whose committees serve 5 years (community and village organisations); others generally 3 (ch. 6).
FIVE_YEAR_TERM_KINDS: frozenset[str] = frozenset({OrgKind.COMMUNITY_COMMITTEE.value, OrgKind.COMPOUND_BRANCH.value})


class Needs(str, Enum):
    """When a rule of organisational life applies to a branch."""

    ALWAYS = "always"
    COMMITTEE = "committee"  # the branch has (must have) a committee: 7 or more full members
    GROUPS = "groups"  # the branch has Party groups (live building groups under it)


@dataclass(frozen=True)
class LifeRule:
    """A kind of organisational life a branch must hold at least once in every ``period_months`` (rolling
    periods back from the day judged, over ``LIFE_WINDOW_MONTHS``)."""

    kind: ActivityKind
    factor: WeaknessFactor
    period_months: int
    needs: Needs
    basis: str

    @property
    def periods(self) -> int:
        return LIFE_WINDOW_MONTHS // self.period_months

    @property
    def frequency(self) -> str:
        """How often, as the rule says it: once a month, a quarter, a year."""
        return {1: "once a month", 3: "once a quarter", 12: "once a year"}[self.period_months]

    @property
    def period_name(self) -> str:
        return {1: "months", 3: "quarters", 12: "years"}[self.period_months]


LIFE_RULES: tuple[LifeRule, ...] = (
    LifeRule(
        ActivityKind.GENERAL_MEETING,
        WeaknessFactor.IRREGULAR_GENERAL_MEETING,
        3,
        Needs.ALWAYS,
        f"{REGULATION}第十一条：党支部党员大会一般每季度召开1次",
    ),
    LifeRule(
        ActivityKind.COMMITTEE_MEETING,
        WeaknessFactor.IRREGULAR_COMMITTEE_MEETING,
        1,
        Needs.COMMITTEE,
        f"{REGULATION}第十二条：党支部委员会会议一般每月召开1次",
    ),
    LifeRule(
        ActivityKind.GROUP_MEETING,
        WeaknessFactor.IRREGULAR_GROUP_MEETING,
        1,
        Needs.GROUPS,
        f"{REGULATION}第十三条：党小组会一般每月召开1次",
    ),
    LifeRule(
        ActivityKind.PARTY_LESSON,
        WeaknessFactor.IRREGULAR_PARTY_LESSON,
        3,
        Needs.ALWAYS,
        f"{REGULATION}第十六条“三会一课”：党课至少每季度1次",
    ),
    LifeRule(
        ActivityKind.THEMED_PARTY_DAY,
        WeaknessFactor.IRREGULAR_PARTY_DAY,
        1,
        Needs.ALWAYS,
        f"{REGULATION}第十六条：以每月相对固定1天开展主题党日",
    ),
    LifeRule(
        ActivityKind.ORG_LIFE_MEETING,
        WeaknessFactor.NO_ORG_LIFE_MEETING,
        12,
        Needs.ALWAYS,
        f"{REGULATION}第五章：党支部每年至少召开1次组织生活会",
    ),
    LifeRule(
        ActivityKind.MEMBER_APPRAISAL,
        WeaknessFactor.NO_MEMBER_APPRAISAL,
        12,
        Needs.ALWAYS,
        f"{REGULATION}第五章：党支部每年一般开展1次民主评议党员",
    ),
)

#: The article or practice behind each factor the regulation defines (the others are the official list's).
BASIS: dict[WeaknessFactor, str] = {
    WeaknessFactor.FEW_MEMBERS: f"{REGULATION}第四条：有正式党员3人以上的，应当成立党支部",
    WeaknessFactor.TOO_MANY_MEMBERS: f"{REGULATION}第四条：党支部党员人数一般不超过50人",
    WeaknessFactor.JOINT_BRANCH_TOO_WIDE: f"{REGULATION}第五条：联合党支部覆盖单位一般不超过5个",
    WeaknessFactor.NO_COMMITTEE: (
        f"{REGULATION}第六章：有正式党员7人以上的党支部，应当设立党支部委员会，由3至5人组成，一般不超过7人"
    ),
    WeaknessFactor.ELECTION_OVERDUE: (
        f"{REGULATION}第六章：村、社区党支部委员会每届任期5年，其他基层单位党支部委员会一般每届任期3年，任期届满应当按期换届"
    ),
    WeaknessFactor.INACTIVE: "软弱涣散第4项“组织制度形同虚设、不开展组织活动”：党支部3个月不开展活动的，通报批评",
    **{rule.factor: rule.basis for rule in LIFE_RULES},
}


def committee_required(full_members: int) -> bool:
    """Whether a branch of ``full_members`` must have a committee (ch. 6)."""
    return full_members >= COMMITTEE_REQUIRED_FROM


def committee_missing(full_members: int, committee: int) -> bool:
    """A branch that must have a committee has fewer than ``MIN_COMMITTEE`` in it (secretary, deputy, members)."""
    return committee_required(full_members) and committee < MIN_COMMITTEE


def term_years(kind: str, recorded: int | None) -> int:
    """The length of a committee's term: as recorded, else the regulation's for the kind (ch. 6)."""
    if recorded:
        return recorded
    return 5 if kind in FIVE_YEAR_TERM_KINDS else 3


def election_due(term_start: date, years: int) -> date:
    """The day a term of ``years`` from ``term_start`` ends: its election is due then."""
    try:
        return term_start.replace(year=term_start.year + years)
    except ValueError:  # 29 February
        return term_start.replace(year=term_start.year + years, day=28)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the last day of that month when it is shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"no day {months} months before {day}")  # pragma: no cover - day 28 always exists


def periods(as_of: date, period_months: int, founded: date | None = None) -> list[tuple[date, date]]:
    """The rolling periods of ``period_months`` in the window before ``as_of`` (each ``(start, end]``), newest
    first, leaving out those that ended before the organisation was ``founded``."""
    out = []
    for i in range(LIFE_WINDOW_MONTHS // period_months):
        end = months_before(as_of, i * period_months)
        start = months_before(as_of, (i + 1) * period_months)
        if founded is not None and end < founded:
            break
        out.append((start, end))
    return out


def periods_held(held: Iterable[date], spans: list[tuple[date, date]]) -> int:
    """How many of ``spans`` saw at least one of the ``held`` days."""
    days = sorted(held)
    return sum(1 for start, end in spans if any(start < d <= end for d in days))


def inactive(held: Iterable[date], as_of: date, founded: date | None = None) -> bool:
    """No activity at all in the last ``INACTIVE_MONTHS`` months (an organisation founded since is not judged)."""
    since = months_before(as_of, INACTIVE_MONTHS)
    if founded is not None and founded > since:
        return False
    return not any(since < d <= as_of for d in held)


__all__ = [
    "BASIS",
    "BRANCH_KINDS",
    "COMMITTEE_REQUIRED_FROM",
    "FIVE_YEAR_TERM_KINDS",
    "INACTIVE_MONTHS",
    "LIFE_RULES",
    "LIFE_WINDOW_MONTHS",
    "MAX_COMMITTEE",
    "MAX_JOINT_BRANCH_UNITS",
    "MAX_MEMBERS",
    "MIN_COMMITTEE",
    "MIN_FULL_MEMBERS",
    "REGULATION",
    "LifeRule",
    "Needs",
    "committee_missing",
    "committee_required",
    "election_due",
    "inactive",
    "months_before",
    "periods",
    "periods_held",
    "term_years",
]
