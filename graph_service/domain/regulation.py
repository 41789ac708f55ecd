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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
    action: str
    """What the rule asks, as a report says it (召开党员大会)."""

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

    @property
    def frequency_zh(self) -> str:
        return {1: "每月1次", 3: "每季度1次", 12: "每年1次"}[self.period_months]

    def explain(self, held: int, due: int, who: str = "") -> str:
        """The finding in a report's words: 近4个季度中仅3个季度召开党员大会（规定：每季度1次）."""
        unit = {1: "个月", 3: "个季度", 12: "年"}[self.period_months]
        if due == 1 and self.period_months == 12:
            return f"{who}近一年未{self.action}（规定：{self.frequency_zh}）"
        if held == 0:
            return f"{who}近{due}{unit}均未{self.action}（规定：{self.frequency_zh}）"
        return f"{who}近{due}{unit}中仅{held}{unit}{self.action}（规定：{self.frequency_zh}）"


LIFE_RULES: tuple[LifeRule, ...] = (
    LifeRule(
        ActivityKind.GENERAL_MEETING,
        WeaknessFactor.IRREGULAR_GENERAL_MEETING,
        3,
        Needs.ALWAYS,
        f"{REGULATION}第十一条：党支部党员大会一般每季度召开1次",
        "召开党员大会",
    ),
    LifeRule(
        ActivityKind.COMMITTEE_MEETING,
        WeaknessFactor.IRREGULAR_COMMITTEE_MEETING,
        1,
        Needs.COMMITTEE,
        f"{REGULATION}第十二条：党支部委员会会议一般每月召开1次",
        "召开支委会",
    ),
    LifeRule(
        ActivityKind.GROUP_MEETING,
        WeaknessFactor.IRREGULAR_GROUP_MEETING,
        1,
        Needs.GROUPS,
        f"{REGULATION}第十三条：党小组会一般每月召开1次",
        "召开党小组会",
    ),
    LifeRule(
        ActivityKind.PARTY_LESSON,
        WeaknessFactor.IRREGULAR_PARTY_LESSON,
        3,
        Needs.ALWAYS,
        f"{REGULATION}第十六条“三会一课”：党课至少每季度1次",
        "讲党课",
    ),
    LifeRule(
        ActivityKind.THEMED_PARTY_DAY,
        WeaknessFactor.IRREGULAR_PARTY_DAY,
        1,
        Needs.ALWAYS,
        f"{REGULATION}第十六条：以每月相对固定1天开展主题党日",
        "开展主题党日",
    ),
    LifeRule(
        ActivityKind.ORG_LIFE_MEETING,
        WeaknessFactor.NO_ORG_LIFE_MEETING,
        12,
        Needs.ALWAYS,
        f"{REGULATION}第五章：党支部每年至少召开1次组织生活会",
        "召开组织生活会",
    ),
    LifeRule(
        ActivityKind.MEMBER_APPRAISAL,
        WeaknessFactor.NO_MEMBER_APPRAISAL,
        12,
        Needs.ALWAYS,
        f"{REGULATION}第五章：党支部每年一般开展1次民主评议党员",
        "开展民主评议党员",
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
    first, leaving out those that began before the organisation was ``founded`` (it is judged on whole periods)."""
    out = []
    for i in range(LIFE_WINDOW_MONTHS // period_months):
        end = months_before(as_of, i * period_months)
        start = months_before(as_of, (i + 1) * period_months)
        if founded is not None and start < founded:
            break
        out.append((start, end))
    return out


def periods_held(held: Iterable[date], spans: list[tuple[date, date]]) -> int:
    """How many of ``spans`` saw at least one of the ``held`` days."""
    days = sorted(held)
    return sum(1 for start, end in spans if any(start < d <= end for d in days))


def later(*days: date | None) -> date | None:
    """The latest of the known ``days`` (a Party group is judged from its own founding or its branch's, whichever
    came later: it cannot be older than its branch)."""
    known = [d for d in days if d is not None]
    return max(known) if known else None


def inactive(held: Iterable[date], as_of: date, founded: date | None = None) -> bool:
    """No activity at all in the last ``INACTIVE_MONTHS`` months (an organisation founded since is not judged)."""
    since = months_before(as_of, INACTIVE_MONTHS)
    if founded is not None and founded > since:
        return False
    return not any(since < d <= as_of for d in held)


@dataclass(frozen=True)
class BranchRecord:
    """What the regulation reads of one branch on the day judged, as plain values.

    The analysis fills it from the projection and the seed's ground truth from the records it generates, so
    both judge a branch by ``findings`` alone.
    """

    kind: str
    founded: date | None = None
    members: int = 0
    """People holding a current Party post in it (probationary members included)."""
    full_members: int = 0
    """Of those, the full members (正式党员): every member not recorded as probationary."""
    committee: int = 0
    """People holding a current secretary, deputy secretary or committee-member post in it."""
    units: int = 0
    """Units currently joining it (joint branches)."""
    term_start: date | None = None
    term_years: int | None = None
    held: Mapping[str, Sequence[date]] = field(default_factory=dict)
    """Days it held activities, by ``ActivityKind`` code."""
    groups_held: Mapping[str, tuple[date | None, Sequence[date]]] = field(default_factory=dict)
    """Per live Party group under it: the group's founding day and the days it held group meetings."""


@dataclass(frozen=True)
class Finding:
    """A rule the branch breaks, read as the rule reads: the value against the threshold, the same in English
    (``detail``) and in a report's Chinese (``explanation``), and the article."""

    factor: WeaknessFactor
    value: int
    threshold: int
    detail: str
    basis: str
    explanation: str


def findings(record: BranchRecord, as_of: date) -> list[Finding]:
    """Every rule of the regulation ``record`` breaks on ``as_of``: size, committee, term, organisational life.

    Community committees (社区党委) are judged on their term only; branches (``BRANCH_KINDS``) on all.

    Examples
    --------
    >>> day = date(2026, 6, 30)
    >>> small = BranchRecord("compound_branch", founded=date(2020, 1, 1), members=3, full_members=2)
    >>> [f.factor.value for f in findings(small, day)][:2]
    ['few_members', 'irregular_general_meeting']
    >>> findings(small, day)[0].detail
    '2 full members (3 with probationary); a branch needs 3'
    """
    out: list[Finding] = []

    def add(factor: WeaknessFactor, value: int, threshold: int, detail: str, explanation: str) -> None:
        out.append(Finding(factor, value, threshold, detail, BASIS[factor], explanation))

    is_branch = record.kind in BRANCH_KINDS
    full, members, units = record.full_members, record.members, record.units
    if is_branch:
        if full < MIN_FULL_MEMBERS:
            detail = f"{full} full members ({members} with probationary); a branch needs {MIN_FULL_MEMBERS}"
            zh = f"正式党员{full}名（含预备党员共{members}名），不足{MIN_FULL_MEMBERS}名"
            add(WeaknessFactor.FEW_MEMBERS, full, MIN_FULL_MEMBERS, detail, zh)
        if members > MAX_MEMBERS:
            zh = f"党员{members}名，超过{MAX_MEMBERS}名，应当分设党支部"
            add(WeaknessFactor.TOO_MANY_MEMBERS, members, MAX_MEMBERS, f"{members} members", zh)
        if record.kind == OrgKind.JOINT_BRANCH.value and units > MAX_JOINT_BRANCH_UNITS:
            zh = f"覆盖{units}个单位，超过{MAX_JOINT_BRANCH_UNITS}个"
            add(WeaknessFactor.JOINT_BRANCH_TOO_WIDE, units, MAX_JOINT_BRANCH_UNITS, f"{units} units", zh)
        if committee_missing(full, record.committee):
            detail = f"{full} full members, {record.committee} on the committee"
            zh = f"正式党员{full}名，应设支部委员会（3至5人），现仅{record.committee}人任书记、副书记或委员"
            add(WeaknessFactor.NO_COMMITTEE, record.committee, MIN_COMMITTEE, detail, zh)
    if record.term_start is not None:
        years = term_years(record.kind, record.term_years)
        due = election_due(record.term_start, years)
        if due < as_of:
            late = (as_of - due).days
            start = record.term_start.isoformat()
            detail = f"{years}-year term from {start} ended {due.isoformat()}"
            zh = f"本届任期{years}年，自{start}起，已于{due.isoformat()}届满，逾期{late}天未换届"
            add(WeaknessFactor.ELECTION_OVERDUE, late, 0, detail, zh)
    if is_branch:
        out.extend(_life_findings(record, as_of))
    return out


def _life_findings(record: BranchRecord, as_of: date) -> list[Finding]:
    out: list[Finding] = []
    for rule in LIFE_RULES:
        if rule.needs is Needs.COMMITTEE and not committee_required(record.full_members):
            continue
        if rule.needs is Needs.GROUPS:
            worst = _worst_group(rule, record.groups_held, as_of)
            if worst is not None:
                group, met, due = worst
                detail = f"group {group} met in {met} of the last {due} {rule.period_name}; due {rule.frequency}"
                zh = rule.explain(met, due, f"党小组{group}")
                out.append(Finding(rule.factor, met, due, detail, rule.basis, zh))
            continue
        spans = periods(as_of, rule.period_months, record.founded)
        held = periods_held(record.held.get(rule.kind.value, ()), spans)
        if spans and held < len(spans):
            detail = f"held in {held} of the last {len(spans)} {rule.period_name}; due {rule.frequency}"
            out.append(Finding(rule.factor, held, len(spans), detail, rule.basis, rule.explain(held, len(spans))))
    every = [d for days in record.held.values() for d in days]
    if inactive(every, as_of, record.founded):
        last = max((d for d in every if d <= as_of), default=None)
        since = f"last on {last.isoformat()}" if last else "none recorded"
        detail = f"no activity in the last {INACTIVE_MONTHS} months ({since})"
        zh = f"连续{INACTIVE_MONTHS}个月未开展任何活动（{'最近一次：' + last.isoformat() if last else '无活动记录'}）"
        out.append(Finding(WeaknessFactor.INACTIVE, 0, 1, detail, BASIS[WeaknessFactor.INACTIVE], zh))
    return out


def _worst_group(
    rule: LifeRule, groups: Mapping[str, tuple[date | None, Sequence[date]]], as_of: date
) -> tuple[str, int, int] | None:
    """The group that missed the most periods of ``rule`` (ties: the first by id), or None when none missed."""
    worst: tuple[int, str, int, int] | None = None
    for group in sorted(groups):
        founded, days = groups[group]
        spans = periods(as_of, rule.period_months, founded)
        held = periods_held(days, spans)
        missed = len(spans) - held
        if missed > 0 and (worst is None or missed > worst[0]):
            worst = (missed, group, held, len(spans))
    return None if worst is None else worst[1:]


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
    "BranchRecord",
    "Finding",
    "LifeRule",
    "Needs",
    "committee_missing",
    "committee_required",
    "election_due",
    "findings",
    "inactive",
    "later",
    "months_before",
    "periods",
    "periods_held",
    "term_years",
]
