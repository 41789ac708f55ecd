"""Weak and lax Party organisations (软弱涣散): a weakness score for branches and community committees.

Each factor (``WeaknessFactor``) maps onto an item of the official list (``OFFICIAL_CRITERION``); the factors the
Branch Work Regulations define are judged by ``domain.regulation.findings`` and cite their article
(``domain.regulation.BASIS``). A fired factor adds its weight to the score (capped at 100) and is listed with
the value it read, the threshold, weight, criterion, article and evidence. An organisation is weak when any
factor fires (each is a departure from the rules; the seed's ground truth counts an organisation with any
planted factor); the score ranks them, and those scoring above ``Standards.weak_above`` are marked ``priority``
(the official practice rectifies the bottom 5-10% of a yearly ranking).

Assessed: compound branches (小区党支部), joint branches (联合党支部) and community committees (社区党委).

From the regulation (``domain.regulation``), for branches: ``few_members`` (fewer than 3 full members: current
Party posts not recorded as probationary), ``too_many_members`` (over 50), ``joint_branch_too_wide`` (over 5
units joined), ``no_committee`` (7 or more full members and fewer than 3 on the committee), the organisational
life rules (general meeting a quarter, committee meeting a month when a committee is required, group meeting a
month in every live Party group under it, Party lesson a quarter, themed Party day a month, organisational-life
meeting and member appraisal a year; over the last 12 months, periods begun before the founding left out),
and ``inactive`` (nothing held in 3 months); for branches and community committees ``election_overdue`` (the
term from ``term_start``, 5 years for community organisations and compound branches, 3 otherwise, has ended;
an organisation with no ``term_start`` recorded is not judged on it).

From the official list and the city's standards:

* ``secretary_vacant``: nobody holds the secretary post now, for more than ``secretary_vacant_days`` since the last
  secretary's ``end_date`` (or since ``founded`` when there never was one; unknown counts as long);
* community committees: ``few_members`` (fewer than ``min_branch_members`` people on its team: Party posts and
  "two committees" members) and ``no_committee`` (no deputy, committee or two-committees member);
* ``no_cross_appointment`` (compound branches): the compound's ``cross_appointed`` measure is 0 (``domain.gaps``,
  the same rule as the compound's coverage gap);
* ``no_pairing``: a compound branch: its compound's ``community_pairings`` measure is 0; a community committee:
  no current pairing;
* ``few_registered``: in-service members registered with the community committee per 100 households of the
  community below ``min_registered_per_100_households``; for a compound branch also when none of the volunteer
  projects it lists has been claimed (a branch listing none has none claimed);
* ``unresolved_appeals``: more than ``max_unresolved_appeals`` open appeals concerning its area (and the areas
  under it);
* ``no_venue`` (compound branches, community committees): ``five_haves`` lacks ``venue``;
* ``one_person_dependence``: someone holding a post in it holds more than ``max_posts_per_person`` current posts
  (the structure analysis finds the other kind of dependence, a person whose departure cuts the network);
* ``broken_chain``: no unbroken ``SUB_ORG_OF`` chain up to a live street Party working committee;
* ``staff_flag``: staff recorded official items the graph cannot measure (``flags``, with ``flag_evidence``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analysis.chain import organization_chain
from graph_service.analysis.common import (
    INDEXED_NODE_ATTRIBUTES,
    PARTY_POST_CODES,
    GraphIndex,
    Thresholds,
    check_projection,
    graph_index,
)
from graph_service.domain.enums import ActivityKind, AreaLevel, FiveHave, OrgKind, Post
from graph_service.domain.gaps import GAP_RULES
from graph_service.domain.regulation import BASIS, BRANCH_KINDS, BranchRecord, findings, later
from graph_service.domain.standards import OFFICIAL_CRITERION, STAFF_FLAG_LABELS, CoverageGap, WeaknessFactor

__all__ = [
    "ASSESSED_KINDS",
    "OWN_ATTRIBUTES",
    "VERDICT_NODE_ATTRIBUTES",
    "FiredFactor",
    "OrganizationWeakness",
    "organization_weakness",
    "rejudged",
    "weak_organizations",
]

#: The organisations the weakness analysis scores.
ASSESSED_KINDS: tuple[OrgKind, ...] = (OrgKind.COMPOUND_BRANCH, OrgKind.JOINT_BRANCH, OrgKind.COMMUNITY_COMMITTEE)

#: The node attributes a verdict reads besides the day index's (``common.INDEXED_NODE_ATTRIBUTES``); a change of
#: any other attribute (a plaque, a capacity) moves no verdict. ``tests`` check the list against ``_assess``.
VERDICT_NODE_ATTRIBUTES = frozenset(
    {"name", "founded", "five_haves", "flags", "flag_evidence", "term_start", "term_years", "households"}
)
#: Those of them a verdict reads on the organisation it judges and on no other node (a group's ``founded`` is
#: read by the branch above it, an area's ``households`` by the organisations of its community).
OWN_ATTRIBUTES = frozenset({"name", "five_haves", "flags", "flag_evidence", "term_start", "term_years"})

_SECRETARY = frozenset({Post.SECRETARY.value})
_COMMITTEE = frozenset({Post.DEPUTY_SECRETARY.value, Post.COMMITTEE_MEMBER.value})
# A community Party committee's team is its "two committees" members (社区"两委"成员) besides Party posts.
_TWO_COMMITTEES = frozenset({Post.TWO_COMMITTEES_MEMBER.value})


@dataclass(frozen=True)
class FiredFactor:
    """A weakness factor that fired: the value it read against the threshold, the points it added, the item of
    the official list it falls under and, for the regulation's rules, the article."""

    code: str
    label: str
    criterion: str
    value: float | int | None
    threshold: float | int | None
    weight: float
    detail: str = ""
    evidence: str = ""
    basis: str = ""
    explanation: str = ""
    """The finding in a report's Chinese (书记空缺152天，超过90天)."""

    @property
    def report_text(self) -> str:
        """The finding and what it rests on, in words staff can paste into a report."""
        ground = f"依据：{self.basis}" if self.basis else f"对应软弱涣散情形：{self.criterion}"
        return f"{self.label}：{self.explanation or self.detail}。{ground}。"


@dataclass(frozen=True)
class OrganizationWeakness:
    """A branch's or community committee's weakness score (0-100, higher is weaker) and its factors."""

    org_id: str
    name: str
    kind: str
    kind_label: str
    area_id: str | None
    community_id: str | None
    street_id: str | None
    district_id: str | None
    members: int
    full_members: int
    secretary_vacant_days: int | None
    score: float
    weak: bool
    priority: bool
    factors: tuple[FiredFactor, ...]

    @property
    def factor_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.factors)


def organization_weakness(
    graph: nx.MultiDiGraph,
    measures: Iterable[Mapping[str, Any]] = (),
    thresholds: Thresholds | None = None,
    *,
    organizations: Iterable[str] | None = None,
) -> list[OrganizationWeakness]:
    """The weakness of every live assessed organisation (or of ``organizations``), weakest first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection or a hand-built graph of the same shape.
    measures : iterable of mappings
        The compounds' measures (``services.coverage.compound_measures``): a compound branch's cross-appointment
        and pairing are its compound's. A branch whose compound has no row here has neither.
    thresholds : Thresholds, optional
        Standards, factor weights and the day posts must be in force on.
    organizations : iterable of str, optional
        Limit to these ids; an id that is not a live assessed organisation raises ``ValueError``.

    Returns
    -------
    list of OrganizationWeakness
        Ranked by score (highest first), then by id; each lists only the factors that fired.

    Examples
    --------
    A branch with one full member and no secretary since it was founded long ago:

    >>> import networkx as nx
    >>> from datetime import date
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部", founded=date(2020, 1, 1))
    >>> g.add_node("p", label="Person")
    >>> _ = g.add_edge("p", "br", key="m", type="MEMBER_OF", post="member")
    >>> [w] = organization_weakness(g, thresholds=Thresholds(as_of=date(2024, 1, 1)))
    >>> w.weak, w.secretary_vacant_days, w.full_members
    (True, 1461, 1)
    >>> [f.code for f in w.factors][:2]
    ['secretary_vacant', 'few_members']
    >>> w.factors[1].value, w.factors[1].threshold, w.factors[1].basis[:20]
    (1, 3, '《中国共产党支部工作条例（试行）》第四条')
    """
    check_projection(graph)
    th = thresholds or Thresholds()
    ix = graph_index(graph, th.day())
    kinds = {k.value for k in ASSESSED_KINDS}
    if organizations is None:
        ids = sorted(o for o, k in ix.kind.items() if k in kinds)
    else:
        ids = list(organizations)
        bad = [o for o in ids if ix.kind.get(o) not in kinds]
        if bad:
            allowed = ", ".join(k.value for k in ASSESSED_KINDS)
            raise ValueError(f"not live organisations of the assessed kinds ({allowed}): {', '.join(map(repr, bad))}")
    by_compound = {str(m["id"]): m for m in measures}
    results = [_assess(graph, ix, th, org, by_compound) for org in ids]
    results.sort(key=lambda w: (-w.score, w.org_id))
    return results


def weak_organizations(
    graph: nx.MultiDiGraph, measures: Iterable[Mapping[str, Any]] = (), thresholds: Thresholds | None = None
) -> list[OrganizationWeakness]:
    """Only the weak organisations (any factor fired), weakest first.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("cc", label="Organization", kind="community_committee", name="社区党委")
    >>> [(w.org_id, w.kind_label) for w in weak_organizations(g)]
    [('cc', '社区党委')]
    """
    return [w for w in organization_weakness(graph, measures, thresholds) if w.weak]


def rejudged(
    previous: Sequence[OrganizationWeakness],
    graph: nx.MultiDiGraph,
    measures: Iterable[Mapping[str, Any]],
    thresholds: Thresholds,
    changed: Mapping[str, Collection[str]],
    changed_compounds: Collection[str],
) -> list[OrganizationWeakness] | None:
    """The weak organisations of ``graph`` (as ``weak_organizations`` finds them), from ``previous``, those found on a
    graph with the same nodes and edges whose nodes differed only in the attributes ``changed`` names per node, and
    on measures that differed only in the rows of ``changed_compounds``; ``None`` when such a change may move
    verdicts beyond the organisations it names, and only judging every organisation again can tell.

    Only the organisations whose verdict reads a changed value are judged again (by ``_assess``, the one
    definition): an organisation whose own ``OWN_ATTRIBUTES`` changed, and a compound branch whose compound's
    measures did. A change of an attribute the day index reads, or of one a verdict reads on other nodes than the
    organisation judged, gives ``None``.

    Parameters
    ----------
    previous : sequence of OrganizationWeakness
        ``weak_organizations`` of the graph before the change, with the measures before it.
    graph : networkx.MultiDiGraph
        The graph after the change (frozen, as a projection: its day index is kept).
    measures : iterable of mappings
        The compounds' measures after the change.
    thresholds : Thresholds
        The thresholds ``previous`` was found with.
    changed : mapping of str to a collection of str
        Per changed node, the names of the attributes whose values changed.
    changed_compounds : collection of str
        The compounds whose measures changed.

    Returns
    -------
    list of OrganizationWeakness or None
        As ``weak_organizations`` returns them, or ``None`` when the change needs every organisation judged again.

    Examples
    --------
    A committee judged weak, then given a team:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("cc", label="Organization", kind="community_committee", name="社区党委")
    >>> th = Thresholds(as_of=date(2024, 1, 1))
    >>> before = weak_organizations(nx.freeze(g), thresholds=th)
    >>> renamed = nx.MultiDiGraph(g)
    >>> renamed.nodes["cc"]["name"] = "新社区党委"
    >>> [w.name for w in rejudged(before, nx.freeze(renamed), (), th, {"cc": {"name"}}, ())]
    ['新社区党委']
    >>> rejudged(before, nx.freeze(renamed), (), th, {"cc": {"dissolved"}}, ()) is None  # the day index reads it
    True
    """
    th = thresholds
    ix = graph_index(graph, th.day())
    kinds = {k.value for k in ASSESSED_KINDS}
    again: set[str] = set()
    for node, attributes in changed.items():
        if node not in graph._node:
            continue  # outside this projection: nothing here reads it
        read = set(attributes) & (INDEXED_NODE_ATTRIBUTES | VERDICT_NODE_ATTRIBUTES)
        if not read:
            continue
        if not read <= OWN_ATTRIBUTES:
            return None
        if ix.kind.get(node) in kinds:
            again.add(node)
    if changed_compounds:
        compounds = set(changed_compounds)
        for org, kind in ix.kind.items():
            if kind == OrgKind.COMPOUND_BRANCH.value and _place(ix, org, OrgKind.COMPOUND_BRANCH)[0] in compounds:
                again.add(org)
    if not again:
        return list(previous)
    by_compound = {str(m["id"]): m for m in measures}
    fresh = [_assess(graph, ix, th, org, by_compound) for org in sorted(again)]
    out = [w for w in previous if w.org_id not in again] + [w for w in fresh if w.weak]
    out.sort(key=lambda w: (-w.score, w.org_id))
    return out


class _Factors:
    """Collects fired factors with their weights, criteria and articles."""

    def __init__(self, th: Thresholds) -> None:
        self.th = th
        self.fired: list[FiredFactor] = []

    def add(self, factor: WeaknessFactor, value: Any, threshold: Any, detail: str, explanation: str, evidence: str = "") -> None:
        self.fired.append(
            FiredFactor(
                factor.value,
                factor.label,
                OFFICIAL_CRITERION[factor],
                value,
                threshold,
                self.th.weakness_weight(factor),
                detail,
                evidence,
                BASIS.get(factor, ""),
                explanation,
            )
        )


_SECRETARY_CODE = Post.SECRETARY.value
_GROUP_MEETING = ActivityKind.GROUP_MEETING.value


def _assess(
    graph: nx.MultiDiGraph, ix: GraphIndex, th: Thresholds, org: str, by_compound: Mapping[str, Mapping[str, Any]]
) -> OrganizationWeakness:
    st = th.standards
    attrs = graph.nodes[org]
    kind = OrgKind(ix.kind[org])
    is_compound_branch = kind is OrgKind.COMPOUND_BRANCH
    is_branch = kind.value in BRANCH_KINDS
    area, community = _place(ix, org, kind)
    factors = _Factors(th)
    members = ix.holders(org, PARTY_POST_CODES)
    full = members - ix.probationary.get(org, set())

    # 1 班子不健全: the secretary, the team, the term.
    vacant_days: int | None = None
    if not ix.holders(org, _SECRETARY):
        vacant_days, since = _vacancy(ix, org, attrs.get("founded"), ix.as_of)
        if vacant_days is None or vacant_days > st.secretary_vacant_days:
            limit = st.secretary_vacant_days
            if since:
                detail = f"vacant since {since.isoformat()}"
                zh = f"书记空缺{vacant_days}天（自{since.isoformat()}起），超过{limit}天"
            else:
                detail, zh = "vacant; no record of a secretary or founding date", "书记空缺，且无前任书记或成立日期记录"
            factors.add(WeaknessFactor.SECRETARY_VACANT, vacant_days, limit, detail, zh)
    if not is_branch:  # a community committee's team: Party posts and its "two committees" members
        team = ix.holders(org, PARTY_POST_CODES | _TWO_COMMITTEES)
        least = st.min_branch_members
        if len(team) < least:
            zh = f"班子成员（党内职务及“两委”成员）{len(team)}名，少于{least}名"
            factors.add(WeaknessFactor.FEW_MEMBERS, len(team), least, f"{len(team)} on the team", zh)
        if not ix.holders(org, _COMMITTEE | _TWO_COMMITTEES):
            detail = "no deputy, committee or two-committees member"
            factors.add(WeaknessFactor.NO_COMMITTEE, 0, 1, detail, "无副书记、委员或“两委”成员")
    for found in findings(_record(graph, ix, org, kind, members, full), ix.as_of):
        factors.add(found.factor, found.value, found.threshold, found.detail, found.explanation)

    # 4 组织制度形同虚设: cross-appointment with the OC, chain to the street committee.
    compound = by_compound.get(area) if is_compound_branch and area else None
    if is_compound_branch:
        _compound_factors(factors, th, compound)
    complete, brk, path = organization_chain(ix, org)
    if not complete and brk is not None:
        chain = " -> ".join(path)
        zh = f"组织链条断开：{brk.label}（{chain}）"
        factors.add(WeaknessFactor.BROKEN_CHAIN, len(path) - 1, 1, f"{brk.value} ({brk.label})", zh, chain)

    # 10 服务意识差: pairing, registered members and claims, appeals.
    if kind is OrgKind.COMMUNITY_COMMITTEE and not ix.pairings.get(org):
        factors.add(WeaknessFactor.NO_PAIRING, 0, 1, "no current pairing", "无在期的结对共建单位")
    if kind is not OrgKind.JOINT_BRANCH:
        _registered(factors, graph, ix, th, org, community, is_compound_branch)
        appeals = _open_appeals(ix, area) if area else 0
        most = st.max_unresolved_appeals
        if appeals > most:
            zh = f"辖区未办结群众诉求{appeals}件，超过{most}件"
            factors.add(WeaknessFactor.UNRESOLVED_APPEALS, appeals, most, f"{appeals} open", zh)
        # 9 无活动场所.
        if FiveHave.VENUE.value not in (attrs.get("five_haves") or ()):
            factors.add(WeaknessFactor.NO_VENUE, 0, 1, "five_haves lacks venue", "“五有”中缺少活动场所")

    # 2 书记不胜任: the organisation hangs on one person.
    dependence = _one_person(ix, org, st.max_posts_per_person)
    if dependence:
        person, value, detail = dependence
        zh = f"{person}同时担任{value}个职务，超过{st.max_posts_per_person}个，工作过度依赖一人"
        factors.add(WeaknessFactor.ONE_PERSON_DEPENDENCE, value, st.max_posts_per_person, detail, zh, person)

    # 3/5/6/7/8: recorded by staff with evidence.
    flags = [str(f) for f in attrs.get("flags") or ()]
    if flags:
        evidence = str(attrs.get("flag_evidence") or "")
        zh = "工作人员登记：" + "、".join(STAFF_FLAG_LABELS.get(f, f) for f in flags)
        factors.add(WeaknessFactor.STAFF_FLAG, len(flags), 0, ",".join(flags), zh, evidence)

    score = min(100.0, sum(f.weight for f in factors.fired))
    street = ix.ancestor(community, AreaLevel.STREET) if community else _street_of(ix, org)
    return OrganizationWeakness(
        org_id=org,
        name=str(attrs.get("name", "")),
        kind=kind.value,
        kind_label=kind.label,
        area_id=area,
        community_id=community,
        street_id=street,
        district_id=ix.ancestor(street, AreaLevel.DISTRICT) if street else None,
        members=len(members),
        full_members=len(full),
        secretary_vacant_days=vacant_days,
        score=score,
        weak=bool(factors.fired),
        priority=score > st.weak_above,
        factors=tuple(factors.fired),
    )


def _place(ix: GraphIndex, org: str, kind: OrgKind) -> tuple[str | None, str | None]:
    """The area ``org`` leads (compound or community; none for a joint branch) and its community."""
    level = {OrgKind.COMPOUND_BRANCH: AreaLevel.COMPOUND, OrgKind.COMMUNITY_COMMITTEE: AreaLevel.COMMUNITY}.get(kind)
    areas = sorted(a for a in ix.led.get(org, ()) if level is not None and ix.level.get(a) == level.value)
    area = areas[0] if areas else None
    community = ix.ancestor(area, AreaLevel.COMMUNITY) if area else None
    if community is None and kind is not OrgKind.COMMUNITY_COMMITTEE:
        committees = sorted(ix.parents_of_kind(org, OrgKind.COMMUNITY_COMMITTEE))
        community = next((sorted(ix.led[c])[0] for c in committees if ix.led.get(c)), None)
    return area, community


def _street_of(ix: GraphIndex, org: str) -> str | None:
    """The street a joint branch under a street committee serves."""
    for committee in sorted(ix.parents_of_kind(org, OrgKind.STREET_COMMITTEE)):
        for area in sorted(ix.led.get(committee, ())):
            if ix.level.get(area) == AreaLevel.STREET.value:
                return area
    return None


def _record(graph: nx.MultiDiGraph, ix: GraphIndex, org: str, kind: OrgKind, members: set[str], full: set[str]) -> BranchRecord:
    """What the regulation reads of ``org`` (``domain.regulation.BranchRecord``)."""
    attrs = graph.nodes[org]
    founded = _day(attrs.get("founded"))
    groups = {
        group: (later(_day(graph.nodes[group].get("founded")), founded), ix.held.get(group, {}).get(_GROUP_MEETING, []))
        for group in ix.org_children.get(org, ())
        if ix.kind.get(group) == OrgKind.BUILDING_GROUP.value
    }
    return BranchRecord(
        kind=kind.value,
        founded=founded,
        members=len(members),
        full_members=len(full),
        committee=len(ix.holders(org, _SECRETARY | _COMMITTEE)),
        units=len(set(ix.joined_by.get(org, ()))),
        term_start=_day(attrs.get("term_start")),
        term_years=attrs.get("term_years"),
        held=ix.held.get(org, {}),
        groups_held=groups,
    )


def _day(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _compound_factors(factors: _Factors, th: Thresholds, compound: Mapping[str, Any] | None) -> None:
    """A compound branch's cross-appointment and pairing: its compound's gaps of the same name (``domain.gaps``)."""
    if compound is None:
        factors.add(WeaknessFactor.NO_CROSS_APPOINTMENT, 0, 1, "leads no live compound", "未领导在册小区")
        factors.add(WeaknessFactor.NO_PAIRING, 0, 1, "leads no live compound", "未领导在册小区")
        return
    if GAP_RULES[CoverageGap.NO_CROSS_APPOINTMENT].fires(compound, th.standards):
        oc = compound.get("owners_committee_id")
        if oc:
            detail, zh = f"owners' committee {oc}: nobody on both", f"支部党员与业委会{oc}无交叉任职"
        else:
            detail, zh = "the compound has no owners' committee", "小区未成立业委会，无从交叉任职"
        factors.add(WeaknessFactor.NO_CROSS_APPOINTMENT, 0, 1, detail, zh)
    if GAP_RULES[CoverageGap.NO_PAIRING].fires(compound, th.standards):
        detail = "the community committee has no current pairing"
        factors.add(WeaknessFactor.NO_PAIRING, 0, 1, detail, "所在社区党组织无在期的结对共建单位")


def _registered(
    factors: _Factors,
    graph: nx.MultiDiGraph,
    ix: GraphIndex,
    th: Thresholds,
    org: str,
    community: str | None,
    is_branch: bool,
) -> None:
    st = th.standards
    committees = _committees(ix, org, community, is_branch)
    community_households = _households(graph, ix, community)
    registered = {p for c in committees for p in ix.registered_people.get(c, ())}
    reg_rate = len(registered) * 100.0 / community_households if community_households else 0.0
    few = reg_rate < st.min_registered_per_100_households
    listed = ix.projects.get(org, ())
    claimed = sum(1 for p in listed if ix.claims.get(p)) if is_branch else None
    if few or claimed == 0:
        least = st.min_registered_per_100_households
        parts = [f"{len(registered)} registered for {community_households or 'unknown'} households"]
        zh = [f"在职党员报到{len(registered)}名，每百户{reg_rate:.2f}名（标准不低于{least:g}名）"]
        if claimed is not None:
            parts.append(f"{claimed} of {len(listed)} listed projects claimed")
            zh.append(f"所列{len(listed)}个志愿服务项目中{claimed}个被认领")
        factors.add(WeaknessFactor.FEW_REGISTERED, round(reg_rate, 3), least, "; ".join(parts), "；".join(zh))


def _vacancy(ix: GraphIndex, org: str, founded: object, as_of: date) -> tuple[int | None, date | None]:
    ends = [end for post, end in ix.ended_posts.get(org, ()) if post == _SECRETARY_CODE and end <= as_of]
    since = max(ends) if ends else (founded if isinstance(founded, date) else None)
    return ((as_of - since).days if since else None), since


def _committees(ix: GraphIndex, org: str, community: str | None, is_branch: bool) -> list[str]:
    if not is_branch:
        return [org]
    found = set(ix.parents_of_kind(org, OrgKind.COMMUNITY_COMMITTEE))
    if community:
        found.update(ix.led_by(community, OrgKind.COMMUNITY_COMMITTEE))
    return sorted(found)


def _households(graph: nx.MultiDiGraph, ix: GraphIndex, area: str | None) -> int | None:
    if area is None:
        return None
    value = graph.nodes[area].get("households")
    if isinstance(value, int) and value > 0:
        return value
    total = sum(int(graph.nodes[b].get("households") or 0) for b in ix.descendants(area, AreaLevel.BUILDING))
    return total or None


def _open_appeals(ix: GraphIndex, area: str) -> int:
    count = 0
    frontier = [area]
    while frontier:
        current = frontier.pop()
        count += len(ix.open_appeals.get(current, ()))
        frontier.extend(ix.children.get(current, ()))
    return count


def _one_person(ix: GraphIndex, org: str, max_posts: int) -> tuple[str, int, str] | None:
    holders = ix.posts.get(org, [])
    overloaded = sorted(
        ((ix.post_count.get(p, 0), p) for p in {p for p, _ in holders}),
        key=lambda item: (-item[0], item[1]),
    )
    if overloaded and overloaded[0][0] > max_posts:
        count, person = overloaded[0]
        return person, count, f"holds {count} current posts"
    return None
