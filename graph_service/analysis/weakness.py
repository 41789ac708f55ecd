"""Weak and lax Party organisations (软弱涣散): a weakness score for compound branches and community committees.

Each measurable factor (``WeaknessFactor``) maps onto an item of the official list (``OFFICIAL_CRITERION``); a
fired factor adds its weight to the score (capped at 100) and is listed with its value, threshold, weight,
criterion and evidence. An organisation is weak when any factor fires (each is a departure from the official
criteria; the seed's ground truth counts a branch with any planted factor); the score ranks them, and those
scoring above ``Standards.weak_above`` are marked ``priority`` (the official practice rectifies the bottom
5-10% of a yearly ranking). The factors:

* ``secretary_vacant``: nobody holds the secretary post now, for more than ``secretary_vacant_days`` since the last
  secretary's ``end_date`` (or since ``founded`` when there never was one; unknown counts as long);
* ``few_members``: fewer than ``min_branch_members`` people hold a current Party post (secretary, deputy, committee
  member, member, group leader; for a community committee also its "two committees" members);
* ``no_committee``: no current deputy secretary or committee member (or, for a community committee, "two
  committees" member);
* ``no_cross_appointment`` (branches): nobody holds a Party post in the branch and a post in the compound's
  owners' committee (a compound without an OC has none);
* ``no_pairing``: no current pairing with the community committee (for a branch: of its community);
* ``few_registered``: in-service members registered with the community committee per 100 households of the
  community below ``min_registered_per_100_households``; for a branch also when none of the volunteer projects
  it lists has been claimed;
* ``unresolved_appeals``: more than ``max_unresolved_appeals`` open appeals concerning its area (and the areas
  under it);
* ``no_venue``: ``five_haves`` lacks ``venue``;
* ``one_person_dependence``: someone holding a post in it holds more than ``max_posts_per_person`` current posts
  (the structure analysis finds the other kind of dependence, a person whose departure cuts the network);
* ``broken_chain``: no unbroken ``SUB_ORG_OF`` chain up to a live street Party working committee;
* ``staff_flag``: staff recorded official items the graph cannot measure (``flags``, with ``flag_evidence``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analysis.chain import organization_chain
from graph_service.analysis.common import (
    OC_POST_CODES,
    PARTY_POST_CODES,
    GraphIndex,
    Thresholds,
    check_projection,
    graph_index,
)
from graph_service.analysis.coverage import owners_committees
from graph_service.domain.enums import AreaLevel, FiveHave, OrgKind, Post
from graph_service.domain.standards import OFFICIAL_CRITERION, WeaknessFactor

__all__ = [
    "ASSESSED_KINDS",
    "FiredFactor",
    "OrganizationWeakness",
    "organization_weakness",
    "weak_organizations",
]

#: The organisations the weakness analysis scores.
ASSESSED_KINDS: tuple[OrgKind, ...] = (OrgKind.COMPOUND_BRANCH, OrgKind.COMMUNITY_COMMITTEE)

_SECRETARY = frozenset({Post.SECRETARY.value})
_COMMITTEE = frozenset({Post.DEPUTY_SECRETARY.value, Post.COMMITTEE_MEMBER.value})
# A community Party committee's team is its "two committees" members (社区"两委"成员) besides Party posts.
_TWO_COMMITTEES = frozenset({Post.TWO_COMMITTEES_MEMBER.value})


@dataclass(frozen=True)
class FiredFactor:
    """A weakness factor that fired: value against threshold, the points it added and the official criterion."""

    code: str
    label: str
    criterion: str
    value: float | int | None
    threshold: float | int | None
    weight: float
    detail: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class OrganizationWeakness:
    """A compound branch's or community committee's weakness score (0-100, higher is weaker) and its factors."""

    org_id: str
    name: str
    kind: str
    kind_label: str
    area_id: str | None
    community_id: str | None
    street_id: str | None
    district_id: str | None
    members: int
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
    thresholds: Thresholds | None = None,
    *,
    organizations: Iterable[str] | None = None,
) -> list[OrganizationWeakness]:
    """The weakness of every live compound branch and community committee (or of ``organizations``), weakest first.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection or a hand-built graph of the same shape.
    thresholds : Thresholds, optional
        Standards, factor weights and the day posts must be in force on.
    organizations : iterable of str, optional
        Limit to these ids; an id that is not a live branch or community committee raises ``ValueError``.

    Returns
    -------
    list of OrganizationWeakness
        Ranked by score (highest first), then by id; each lists only the factors that fired.

    Examples
    --------
    A branch with one plain member and no secretary since it was founded long ago:

    >>> import networkx as nx
    >>> from datetime import date
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("br", label="Organization", kind="compound_branch", name="支部", founded=date(2020, 1, 1))
    >>> g.add_node("p", label="Person")
    >>> _ = g.add_edge("p", "br", key="m", type="MEMBER_OF", post="member")
    >>> [w] = organization_weakness(g, Thresholds(as_of=date(2024, 1, 1)))
    >>> w.weak, w.secretary_vacant_days, w.members
    (True, 1461, 1)
    >>> [f.code for f in w.factors][:2]
    ['secretary_vacant', 'few_members']
    >>> w.factors[0].criterion
    '1 班子不健全、书记长期缺职、工作处于停滞状态'
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
            raise ValueError(f"not live compound branches or community committees: {', '.join(map(repr, bad))}")
    results = [_assess(graph, ix, th, org) for org in ids]
    results.sort(key=lambda w: (-w.score, w.org_id))
    return results


def weak_organizations(graph: nx.MultiDiGraph, thresholds: Thresholds | None = None) -> list[OrganizationWeakness]:
    """Only the weak organisations (any factor fired), weakest first.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("cc", label="Organization", kind="community_committee", name="社区党委")
    >>> [(w.org_id, w.kind_label) for w in weak_organizations(g)]
    [('cc', '社区党委')]
    """
    return [w for w in organization_weakness(graph, thresholds) if w.weak]


class _Factors:
    """Collects fired factors with their weights and criteria."""

    def __init__(self, th: Thresholds) -> None:
        self.th = th
        self.fired: list[FiredFactor] = []

    def add(self, factor: WeaknessFactor, value: Any, threshold: Any, detail: str = "", evidence: str = "") -> None:
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
            )
        )


def _assess(graph: nx.MultiDiGraph, ix: GraphIndex, th: Thresholds, org: str) -> OrganizationWeakness:
    st = th.standards
    attrs = graph.nodes[org]
    kind = OrgKind(ix.kind[org])
    is_branch = kind is OrgKind.COMPOUND_BRANCH
    level = AreaLevel.COMPOUND if is_branch else AreaLevel.COMMUNITY
    areas = sorted(a for a in ix.led.get(org, ()) if ix.level.get(a) == level.value)
    area = areas[0] if areas else None
    community = ix.ancestor(area, AreaLevel.COMMUNITY) if area else None
    if community is None and is_branch:
        community = next((ix.led[c][0] for c in ix.parents_of_kind(org, OrgKind.COMMUNITY_COMMITTEE) if ix.led.get(c)), None)
    factors = _Factors(th)

    # 1 班子不健全: secretary, members, committee.
    vacant_days: int | None = None
    if not ix.holders(org, _SECRETARY):
        vacant_days, since = _vacancy(ix, org, attrs.get("founded"), ix.as_of)
        if vacant_days is None or vacant_days > st.secretary_vacant_days:
            detail = f"vacant since {since.isoformat()}" if since else "vacant; no record of a secretary or founding date"
            factors.add(WeaknessFactor.SECRETARY_VACANT, vacant_days, st.secretary_vacant_days, detail)
    team = PARTY_POST_CODES if is_branch else PARTY_POST_CODES | _TWO_COMMITTEES
    members = ix.holders(org, team)
    if len(members) < st.min_branch_members:
        factors.add(WeaknessFactor.FEW_MEMBERS, len(members), st.min_branch_members)
    if not ix.holders(org, _COMMITTEE if is_branch else _COMMITTEE | _TWO_COMMITTEES):
        factors.add(WeaknessFactor.NO_COMMITTEE, 0, 1)

    # 4 组织制度形同虚设: cross-appointment with the OC, chain to the street committee.
    if is_branch:
        ocs = owners_committees(ix, area, [org]) if area else []
        oc_people = set().union(*(ix.holders(o, OC_POST_CODES) for o in ocs)) if ocs else set()
        if not members & oc_people:
            detail = f"owners' committee {', '.join(ocs)}" if ocs else "no owners' committee"
            factors.add(WeaknessFactor.NO_CROSS_APPOINTMENT, 0, 1, detail)
    complete, brk, path = organization_chain(ix, org)
    if not complete and brk is not None:
        factors.add(WeaknessFactor.BROKEN_CHAIN, len(path) - 1, 1, f"{brk.value} ({brk.label})", " -> ".join(path))

    # 10 服务意识差: pairing, registered members and claims, appeals.
    committees = _committees(ix, org, community, is_branch)
    partners = {p for c in committees for p in ix.pairings.get(c, ())}
    if not partners:
        factors.add(WeaknessFactor.NO_PAIRING, 0, 1, "" if committees else "no community committee")
    community_households = _households(graph, ix, community)
    registered = {p for c in committees for p in ix.registered_people.get(c, ())}
    reg_rate = len(registered) * 100.0 / community_households if community_households else 0.0
    few = reg_rate < st.min_registered_per_100_households
    claimed = sum(1 for p in ix.projects.get(org, ()) if ix.claims.get(p)) if is_branch else None
    if few or claimed == 0:
        parts = [f"{len(registered)} registered for {community_households or 'unknown'} households"]
        if claimed is not None:
            parts.append(f"{claimed} of {len(ix.projects.get(org, ()))} listed projects claimed")
        factors.add(WeaknessFactor.FEW_REGISTERED, round(reg_rate, 3), st.min_registered_per_100_households, "; ".join(parts))
    appeals = _open_appeals(ix, area) if area else 0
    if appeals > st.max_unresolved_appeals:
        factors.add(WeaknessFactor.UNRESOLVED_APPEALS, appeals, st.max_unresolved_appeals)

    # 9 无活动场所.
    if FiveHave.VENUE.value not in (attrs.get("five_haves") or ()):
        factors.add(WeaknessFactor.NO_VENUE, 0, 1, "five_haves lacks venue")

    # 2 书记不胜任: the organisation hangs on one person.
    dependence = _one_person(ix, org, st.max_posts_per_person)
    if dependence:
        person, value, detail = dependence
        factors.add(WeaknessFactor.ONE_PERSON_DEPENDENCE, value, st.max_posts_per_person, detail, person)

    # 3/5/6/7/8: recorded by staff with evidence.
    flags = [str(f) for f in attrs.get("flags") or ()]
    if flags:
        factors.add(WeaknessFactor.STAFF_FLAG, len(flags), 0, ",".join(flags), str(attrs.get("flag_evidence") or ""))

    score = min(100.0, sum(f.weight for f in factors.fired))
    return OrganizationWeakness(
        org_id=org,
        name=str(attrs.get("name", "")),
        kind=kind.value,
        kind_label=kind.label,
        area_id=area,
        community_id=community,
        street_id=ix.ancestor(community, AreaLevel.STREET) if community else None,
        district_id=ix.ancestor(community, AreaLevel.DISTRICT) if community else None,
        members=len(members),
        secretary_vacant_days=vacant_days,
        score=score,
        weak=bool(factors.fired),
        priority=score > st.weak_above,
        factors=tuple(factors.fired),
    )


def _vacancy(ix: GraphIndex, org: str, founded: object, as_of: date) -> tuple[int | None, date | None]:
    ends = [end for post, end in ix.ended_posts.get(org, ()) if post == Post.SECRETARY.value and end <= as_of]
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
        ((len(ix.person_posts.get(p, ())), p) for p in {p for p, _ in holders}),
        key=lambda item: (-item[0], item[1]),
    )
    if overloaded and overloaded[0][0] > max_posts:
        count, person = overloaded[0]
        return person, count, f"holds {count} current posts"
    return None
