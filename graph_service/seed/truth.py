"""The ground truth of a generated city, computed from its records with the definitions of docs/dataset.md.

This is a reference implementation in plain Python, independent of any store and of ``analysis``: the seed uses
it to write the ground truth, and the tests compare it with the Cypher roll-ups of ``services.coverage`` and
with the analyses. The rules of the Branch Work Regulations are read from ``domain.regulation`` (its constants
and functions), so the ground truth and the analysis apply one statement of each rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph_service.domain import regulation
from graph_service.domain.enums import (
    OC_POSTS,
    PARTY_POSTS,
    ActivityKind,
    AppealStatus,
    AreaLevel,
    Employment,
    FiveHave,
    MemberStatus,
    OrgKind,
    Post,
    ProjectKind,
    PropertyMode,
    SunkRole,
)
from graph_service.domain.records import NodeRecord, Record
from graph_service.domain.standards import CoverageGap, Standards, WeaknessFactor

_PARTY = {p.value for p in PARTY_POSTS}
_OC = {p.value for p in OC_POSTS}
#: The posts of a branch's committee as the regulation counts it: secretary, deputy secretary, committee members.
_COMMITTEE = {Post.SECRETARY.value, Post.DEPUTY_SECRETARY.value, Post.COMMITTEE_MEMBER.value}
_PROBATIONARY = MemberStatus.PROBATIONARY.value
_BRANCH_KINDS = regulation.BRANCH_KINDS
_ALL_FIVE = {f.value for f in FiveHave}
_STAFF_ROLES = {SunkRole.FULL_TIME_WORKER.value, SunkRole.GRID_WORKER.value, SunkRole.PUBLIC_WELFARE.value}


class _Index:
    """The records, indexed by what the definitions ask."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.areas: dict[str, dict[str, Any]] = {}
        self.orgs: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.projects: dict[str, dict[str, Any]] = {}
        self.appeals: dict[str, dict[str, Any]] = {}
        self.parent: dict[str, str] = {}
        self.children: dict[str, list[str]] = defaultdict(list)
        self.leads: dict[str, list[str]] = defaultdict(list)  # area -> orgs
        self.led_area: dict[str, str] = {}  # org -> area
        self.covers: dict[str, list[str]] = defaultdict(list)  # building -> groups
        self.serves: dict[str, list[str]] = defaultdict(list)  # area -> orgs
        self.located: dict[str, list[str]] = defaultdict(list)  # area -> orgs
        self.manages: dict[str, list[dict[str, Any]]] = defaultdict(list)  # compound -> current props
        self.posts: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)  # org -> (person, post, props)
        self.current_posts: dict[str, int] = defaultdict(int)
        self.person_posts: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        self.sub_parents: dict[str, list[str]] = defaultdict(list)
        self.paired: dict[str, int] = defaultdict(int)
        self.registered: dict[str, set[str]] = defaultdict(set)
        self.sunk: dict[str, list[tuple[str, str]]] = defaultdict(list)  # compound -> (person, role)
        self.home: dict[str, list[str]] = defaultdict(list)  # area -> residents
        self.listed: dict[str, list[str]] = defaultdict(list)  # org -> projects
        self.claimed: set[str] = set()
        self.collected: dict[str, list[str]] = defaultdict(list)  # appeal -> collectors
        self.concerns: dict[str, list[str]] = defaultdict(list)  # area -> appeals
        self.activities: dict[str, dict[str, Any]] = {}
        self.held: dict[str, list[str]] = defaultdict(list)  # org -> activities it held
        self.sub_children: dict[str, list[str]] = defaultdict(list)  # org -> organisations under it
        self.joined: dict[str, list[dict[str, Any]]] = defaultdict(list)  # joint branch -> JOINS props
        for r in records:
            if isinstance(r, NodeRecord):
                table = {
                    "Area": self.areas,
                    "Organization": self.orgs,
                    "Person": self.people,
                    "Project": self.projects,
                    "Appeal": self.appeals,
                    "Activity": self.activities,
                }[r.label]
                table[r.id] = r.props
                continue
            a, b, p, t = r.from_id, r.to_id, r.props, r.type
            current = p.get("end_date") is None
            if t == "PART_OF":
                self.parent[a] = b
                self.children[b].append(a)
            elif t == "LEADS":
                self.leads[b].append(a)
                self.led_area[a] = b
            elif t == "COVERS":
                self.covers[b].append(a)
            elif t == "SERVES":
                self.serves[b].append(a)
            elif t == "LOCATED_IN":
                self.located[b].append(a)
            elif t == "MANAGES" and current:
                self.manages[b].append(p)
            elif t == "MEMBER_OF":
                self.posts[b].append((a, p["post"], p))
                self.person_posts[a].append((b, p["post"], p))
                if current:
                    self.current_posts[a] += 1
            elif t == "SUB_ORG_OF":
                self.sub_parents[a].append(b)
                self.sub_children[b].append(a)
            elif t == "HELD_BY":
                self.held[b].append(a)
            elif t == "JOINS":
                self.joined[b].append(p)
            elif t == "PAIRED_WITH" and current:
                self.paired[b] += 1
            elif t == "REGISTERED_WITH" and current and r.from_label == "Person":
                self.registered[b].add(a)
            elif t == "SUNK_TO" and current:
                self.sunk[b].append((a, p["role"]))
            elif t == "RESIDES_IN":
                self.home[b].append(a)
            elif t == "LISTED_BY":
                self.listed[b].append(a)
            elif t == "CLAIMED":
                self.claimed.add(b)
            elif t == "COLLECTED":
                self.collected[b].append(a)
            elif t == "CONCERNS":
                self.concerns[b].append(a)

    def kind(self, org: str) -> str | None:
        props = self.orgs.get(org)
        return props.get("kind") if props else None

    def active(self, org: str, kind: OrgKind) -> bool:
        props = self.orgs.get(org, {})
        return props.get("kind") == kind.value and props.get("dissolved") is None

    def level_children(self, area: str, level: AreaLevel) -> list[str]:
        return [c for c in self.children.get(area, []) if self.areas[c].get("level") == level.value]

    def holders(self, org: str, posts: set[str]) -> set[str]:
        return {p for p, post, props in self.posts.get(org, []) if post in posts and props.get("end_date") is None}

    def committee_of(self, community: str | None) -> str | None:
        if community is None:
            return None
        return next((o for o in self.leads.get(community, []) if self.active(o, OrgKind.COMMUNITY_COMMITTEE)), None)


def evaluate(records: Iterable[Record], as_of: date, standards: Standards) -> dict[str, Any]:
    """Gaps per compound, weakness factors per branch, chain breaks and the city's figures."""
    ix = _Index(records)
    compounds = sorted(a for a, p in ix.areas.items() if p.get("level") == AreaLevel.COMPOUND.value)
    gaps: dict[str, list[str]] = {}
    cross_people: set[str] = set()
    cross_count: dict[str, int] = {}
    five_ok: set[str] = set()
    for c in compounds:
        found, cross = _compound_gaps(ix, c, standards)
        cross_count[c] = len(cross)
        cross_people |= cross
        if CoverageGap.FIVE_HAVES_MISSING.value not in found:
            five_ok.add(c)
        if found:
            gaps[c] = sorted(found)
    branches = sorted(o for o, p in ix.orgs.items() if p.get("kind") in _BRANCH_KINDS and _live(p, as_of))
    factors = {}
    for b in branches:
        if ix.orgs[b]["kind"] == OrgKind.COMPOUND_BRANCH.value:
            fired = _branch_factors(ix, b, as_of, standards, cross_count)
        else:
            fired = _joint_branch_factors(ix, b, as_of, standards)
        fired |= _regulation_factors(ix, b, as_of)
        if fired:
            factors[b] = sorted(fired)
    communities = sorted(a for a, p in ix.areas.items() if p.get("level") == AreaLevel.COMMUNITY.value)
    committees = sorted(o for o, p in ix.orgs.items() if p.get("kind") == OrgKind.COMMUNITY_COMMITTEE.value and _live(p, as_of))
    return {
        "planted_under_covered_compounds": gaps,
        "healthy_compounds": [c for c in compounds if c not in gaps],
        "planted_weak_branches": factors,
        "healthy_branches": [b for b in branches if b not in factors],
        "community_committees_election_overdue": [c for c in committees if _election_overdue(ix.orgs[c], as_of)],
        "chain_breaks": _chain_breaks(ix),
        "communities_without_pairing": [c for c in communities if not ix.paired.get(ix.committee_of(c) or "")],
        "communities_without_registered_members": [c for c in communities if not ix.registered.get(ix.committee_of(c) or "")],
        "figures": _figures(ix, compounds, five_ok, cross_people),
    }


def _compound_gaps(ix: _Index, c: str, std: Standards) -> tuple[set[str], set[str]]:
    found: set[str] = set()
    branches = [o for o in ix.leads.get(c, []) if ix.active(o, OrgKind.COMPOUND_BRANCH)]
    ocs = [o for o in ix.located.get(c, []) if ix.active(o, OrgKind.OWNERS_COMMITTEE)]
    if not branches:
        found.add(CoverageGap.NO_BRANCH.value)
    if not ocs:
        found.add(CoverageGap.NO_OWNERS_COMMITTEE.value)
    in_branch = set().union(*(ix.holders(b, _PARTY) for b in branches))
    in_oc = set().union(*(ix.holders(o, _OC) for o in ocs))
    cross = in_branch & in_oc
    if not cross:
        found.add(CoverageGap.NO_CROSS_APPOINTMENT.value)
    buildings = ix.level_children(c, AreaLevel.BUILDING)
    if buildings:
        no_group = sum(1 for b in buildings if not any(ix.active(g, OrgKind.BUILDING_GROUP) for g in ix.covers.get(b, [])))
        if no_group / len(buildings) > std.max_share_buildings_without_group:
            found.add(CoverageGap.BUILDINGS_WITHOUT_GROUP.value)
        no_leader = sum(1 for b in buildings if not _has_leader(ix, b))
        if no_leader / len(buildings) > std.max_share_buildings_without_leader:
            found.add(CoverageGap.BUILDINGS_WITHOUT_LEADER.value)
    households = ix.areas[c].get("households") or 0
    ch = sum(1 for b in buildings for o in ix.located.get(b, []) if ix.active(o, OrgKind.CENTRAL_HOUSEHOLD))
    if households and ch * 100 / households < std.min_central_households_per_100:
        found.add(CoverageGap.FEW_CENTRAL_HOUSEHOLDS.value)
    if not any(ix.kind(o) == OrgKind.SERVICE_STATION.value for o in ix.serves.get(c, [])):
        found.add(CoverageGap.NO_STATION.value)
    if not ix.manages.get(c):
        found.add(CoverageGap.NO_PROPERTY_MANAGEMENT.value)
    if not ix.sunk.get(c):
        found.add(CoverageGap.NO_SUNK_STAFF.value)
    cc = ix.committee_of(ix.parent.get(c))
    if not cc or not ix.paired.get(cc):
        found.add(CoverageGap.NO_PAIRING.value)
    if not cc or not ix.registered.get(cc):
        found.add(CoverageGap.NO_REGISTERED_MEMBERS.value)
    if not any(_five_ok(ix, b) for b in branches) or not any(_five_ok(ix, o) for o in ocs):
        found.add(CoverageGap.FIVE_HAVES_MISSING.value)
    return found, cross


def _has_leader(ix: _Index, building: str) -> bool:
    return any(
        post == Post.BUILDING_LEADER.value and props.get("end_date") is None
        for person in ix.home.get(building, [])
        for _org, post, props in ix.person_posts.get(person, [])
    )


def _five_ok(ix: _Index, org: str) -> bool:
    props = ix.orgs[org]
    return props.get("has_plaque") is True and set(props.get("five_haves") or []) >= _ALL_FIVE


def _branch_factors(ix: _Index, b: str, as_of: date, std: Standards, cross_count: dict[str, int]) -> set[str]:
    compound = ix.led_area.get(b)
    community = ix.parent.get(compound) if compound else None
    cc = ix.committee_of(community)
    fired = _team_factors(ix, b, as_of, std)
    if not compound or not cross_count.get(compound):
        fired.add(WeaknessFactor.NO_CROSS_APPOINTMENT.value)
    if not cc or not ix.paired.get(cc):
        fired.add(WeaknessFactor.NO_PAIRING.value)
    community_hh = ix.areas.get(community or "", {}).get("households") or 0
    registered = len(ix.registered.get(cc or "", ()))
    few = not community_hh or registered * 100 / community_hh < std.min_registered_per_100_households
    claimed = sum(1 for pj in ix.listed.get(b, []) if pj in ix.claimed)
    if few or claimed == 0:
        fired.add(WeaknessFactor.FEW_REGISTERED.value)
    open_appeals = sum(1 for a in ix.concerns.get(compound or "", []) if ix.appeals[a].get("status") == AppealStatus.OPEN.value)
    if open_appeals > std.max_unresolved_appeals:
        fired.add(WeaknessFactor.UNRESOLVED_APPEALS.value)
    if _chain_up(ix, [b], (OrgKind.COMMUNITY_COMMITTEE, OrgKind.STREET_COMMITTEE)) is not None:
        fired.add(WeaknessFactor.BROKEN_CHAIN.value)
    return fired


def _team_factors(ix: _Index, b: str, as_of: date, std: Standards) -> set[str]:
    """The factors of any branch that are not about its compound: a vacant secretary, no venue, one person it hangs
    on, staff flags."""
    fired: set[str] = set()
    props = ix.orgs[b]
    posts = ix.posts.get(b, [])
    if not ix.holders(b, {Post.SECRETARY.value}):
        ends = [p["end_date"] for _, post, p in posts if post == Post.SECRETARY.value and p.get("end_date")]
        since = max(ends) if ends else props.get("founded")
        if since is None or (as_of - since).days > std.secretary_vacant_days:
            fired.add(WeaknessFactor.SECRETARY_VACANT.value)
    if FiveHave.VENUE.value not in (props.get("five_haves") or []):
        fired.add(WeaknessFactor.NO_VENUE.value)
    holders = {p for p, _post, pp in posts if pp.get("end_date") is None}
    if any(ix.current_posts[p] > std.max_posts_per_person for p in holders):
        fired.add(WeaknessFactor.ONE_PERSON_DEPENDENCE.value)
    if props.get("flags"):
        fired.add(WeaknessFactor.STAFF_FLAG.value)
    return fired


def _joint_branch_factors(ix: _Index, b: str, as_of: date, std: Standards) -> set[str]:
    """A joint branch has no compound: the factors about a compound and its community (cross-appointment,
    pairing, registered members, appeals) do not apply; its chain must reach a live street committee through
    live organisations (it may sit under a community committee or directly under the street's)."""
    fired = _team_factors(ix, b, as_of, std)
    if not _reaches_street(ix, b, as_of):
        fired.add(WeaknessFactor.BROKEN_CHAIN.value)
    return fired


def _reaches_street(ix: _Index, org: str, as_of: date) -> bool:
    seen: set[str] = set()
    level = [org]
    while level:
        parents = [p for o in level for p in ix.sub_parents.get(o, []) if p not in seen and _live(ix.orgs.get(p, {}), as_of)]
        if any(ix.kind(p) == OrgKind.STREET_COMMITTEE.value for p in parents):
            return True
        seen.update(parents)
        level = parents
    return False


def _live(org: Mapping[str, Any], as_of: date) -> bool:
    """An organisation is live on ``as_of`` unless it was dissolved on or before that day."""
    dissolved = org.get("dissolved")
    return dissolved is None or dissolved > as_of


def _current(props: Mapping[str, Any], as_of: date) -> bool:
    """A dated relationship in force on ``as_of``: started on or before it (or no start), not ended before it."""
    start, end = props.get("start_date"), props.get("end_date")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def _election_overdue(org: Mapping[str, Any], as_of: date) -> bool:
    """A community committee's term has ended (``domain.regulation.findings``, which judges committees on it)."""
    record = regulation.BranchRecord(
        kind=str(org.get("kind")), term_start=org.get("term_start"), term_years=org.get("term_years")
    )
    return any(f.factor is WeaknessFactor.ELECTION_OVERDUE for f in regulation.findings(record, as_of))


def _regulation_factors(ix: _Index, b: str, as_of: date) -> set[str]:
    """The factors the Branch Work Regulations define, for a live compound or joint branch: what
    ``domain.regulation.findings`` finds in the branch's records (the analysis asks the same function)."""
    props = ix.orgs[b]
    posts = [(person, post, pp) for person, post, pp in ix.posts.get(b, []) if _current(pp, as_of)]
    members = {person for person, post, _pp in posts if post in _PARTY}
    full = {person for person, post, pp in posts if post in _PARTY and pp.get("member_status") != _PROBATIONARY}
    committee = {person for person, post, _pp in posts if post in _COMMITTEE}
    founded = props.get("founded")
    groups = [g for g in ix.sub_children.get(b, []) if ix.kind(g) == OrgKind.BUILDING_GROUP.value and _live(ix.orgs[g], as_of)]
    group_meeting = ActivityKind.GROUP_MEETING.value
    record = regulation.BranchRecord(
        kind=str(props.get("kind")),
        founded=founded,
        members=len(members),
        full_members=len(full),
        committee=len(committee),
        units=sum(1 for joins in ix.joined.get(b, []) if _current(joins, as_of)),
        term_start=props.get("term_start"),
        term_years=props.get("term_years"),
        held=_days_by_kind(ix, b, as_of),
        groups_held={
            g: (regulation.later(ix.orgs[g].get("founded"), founded), _days_by_kind(ix, g, as_of).get(group_meeting, []))
            for g in groups
        },
    )
    return {f.factor.value for f in regulation.findings(record, as_of)}


def _days_by_kind(ix: _Index, org: str, as_of: date) -> dict[str, list[date]]:
    """The days (on or before ``as_of``) on which ``org`` held activities, per kind of activity."""
    days: dict[str, list[date]] = defaultdict(list)
    for activity in ix.held.get(org, []):
        props = ix.activities[activity]
        if props["held_on"] <= as_of:
            days[props["kind"]].append(props["held_on"])
    return days


def _chain_up(ix: _Index, start: list[str], kinds: tuple[OrgKind, ...]) -> str | None:
    """The first kind in ``kinds`` that the SUB_ORG_OF chain from ``start`` cannot reach, or None if unbroken."""
    level = start
    for kind in kinds:
        level = [p for o in level for p in ix.sub_parents.get(o, []) if ix.active(p, kind)]
        if not level:
            return str(kind.value)
    return None


def _chain_breaks(ix: _Index) -> dict[str, str]:
    breaks = {}
    for a, p in ix.areas.items():
        if p.get("level") != AreaLevel.BUILDING.value:
            continue
        groups = [g for g in ix.covers.get(a, []) if ix.active(g, OrgKind.BUILDING_GROUP)]
        where = (
            OrgKind.BUILDING_GROUP.value
            if not groups
            else _chain_up(ix, groups, (OrgKind.COMPOUND_BRANCH, OrgKind.COMMUNITY_COMMITTEE, OrgKind.STREET_COMMITTEE))
        )
        if where:
            breaks[a] = where
    return dict(sorted(breaks.items()))


def _figures(ix: _Index, compounds: list[str], five_ok: set[str], cross_people: set[str]) -> dict[str, Any]:
    city = next(p for p in ix.areas.values() if p.get("level") == AreaLevel.CITY.value)
    resident, urban = city.get("resident_population"), city.get("urban_population")
    riders = {
        p
        for p, props in ix.people.items()
        if props.get("employment") == Employment.NEW_EMPLOYMENT.value
        and props.get("is_party_member")
        and any(
            post == Post.GRID_WORKER.value
            and pp.get("full_time") is False
            and pp.get("end_date") is None
            and ix.kind(org) == OrgKind.COMMUNITY_COMMITTEE.value
            for org, post, pp in ix.person_posts.get(p, [])
        )
    }
    workers = {
        p
        for org, rows in ix.posts.items()
        if ix.kind(org) == OrgKind.COMMUNITY_COMMITTEE.value
        for p, post, pp in rows
        if post == Post.COMMUNITY_WORKER.value and pp.get("end_date") is None
    }
    fallback = [
        (ix.areas[c].get("compound_kind"), m.get("fee_collection_rate"))
        for c in compounds
        for m in ix.manages.get(c, [])
        if m.get("mode") == PropertyMode.STATE_FALLBACK.value
    ]
    fallback_old = {
        c
        for c in compounds
        for m in ix.manages.get(c, [])
        if m.get("mode") == PropertyMode.STATE_FALLBACK.value and ix.areas[c].get("compound_kind") == "old"
    }
    fallback_res = {
        c
        for c in compounds
        for m in ix.manages.get(c, [])
        if m.get("mode") == PropertyMode.STATE_FALLBACK.value and ix.areas[c].get("compound_kind") == "resettlement"
    }
    rates = [r for kind, r in fallback if kind in ("old", "resettlement") and r is not None]
    covered = sum(1 for c in compounds if any(ix.kind(o) == OrgKind.SERVICE_STATION.value for o in ix.serves.get(c, [])))
    sunk = [(p, role) for c in compounds for p, role in ix.sunk.get(c, [])]
    lgs = [o for o, p in ix.orgs.items() if p.get("kind") == OrgKind.LEADERSHIP_GROUP.value]
    wgs = [o for o, p in ix.orgs.items() if p.get("kind") == OrgKind.WORKING_GROUP.value]
    teams = [p for p in ix.orgs.values() if p.get("kind") == OrgKind.VOLUNTEER_TEAM.value]
    leaders = {
        p
        for b, people in ix.home.items()
        if ix.areas[b].get("level") == AreaLevel.BUILDING.value
        for p in people
        if any(post == Post.BUILDING_LEADER.value and pp.get("end_date") is None for _o, post, pp in ix.person_posts.get(p, []))
    }
    claimed = {
        pj
        for org, pjs in ix.listed.items()
        if ix.kind(org) == OrgKind.COMPOUND_BRANCH.value
        for pj in pjs
        if pj in ix.claimed and ix.projects[pj].get("kind") == ProjectKind.VOLUNTEER.value
    }
    return {
        "resident_population": resident,
        "urban_population": urban,
        "urbanisation_rate": urban / resident if resident and urban is not None else None,
        "platform_people_served": city.get("platform_people_served"),
        "compounds": len(compounds),
        "five_haves_compounds": len(five_ok),
        "cross_appointed_persons": len(cross_people),
        "building_leaders": len(leaders),
        "building_groups": sum(1 for p in ix.orgs.values() if p.get("kind") == OrgKind.BUILDING_GROUP.value),
        "central_households": sum(1 for p in ix.orgs.values() if p.get("kind") == OrgKind.CENTRAL_HOUSEHOLD.value),
        "station_covered_compounds": covered,
        "station_coverage_rate": covered / len(compounds) if compounds else None,
        "state_fallback_old_compounds": len(fallback_old),
        "state_fallback_resettlement_areas": len(fallback_res),
        "state_fallback_fee_collection_rate": sum(rates) / len(rates) if rates else None,
        "warm_stations": sum(1 for p in ix.orgs.values() if p.get("kind") == OrgKind.WARM_STATION.value),
        "rider_grid_workers": len(riders),
        "rider_appeals": sum(1 for a, who in ix.collected.items() if any(p in riders for p in who)),
        "community_workers": len(workers),
        "community_workers_per_10k": len(workers) * 10_000 / urban if urban else None,
        "sunk_two_committees_members": len({p for p, role in sunk if role == SunkRole.TWO_COMMITTEES_MEMBER.value}),
        "sunk_staff": len({p for p, role in sunk if role in _STAFF_ROLES}),
        "claimed_volunteer_projects": len(claimed),
        "volunteer_teams": len(teams),
        "problems_solved": sum(p.get("problems_solved") or 0 for p in teams),
        "leadership_groups": len(lgs),
        "working_groups": len(wgs),
        "working_groups_per_leadership_group": len(wgs) / len(lgs) if lgs else None,
    }
