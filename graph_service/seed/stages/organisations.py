"""The five-level Party system and each compound's bodies: committees, branches, owners' committees, groups."""

from __future__ import annotations

from datetime import date, timedelta

from graph_service.domain.enums import (
    AreaLevel,
    Employment,
    MemberStatus,
    OrgKind,
    Post,
    ProjectKind,
    RelType,
    WorkingGroupTopic,
)
from graph_service.domain.regulation import committee_required, term_years
from graph_service.domain.standards import STAFF_FLAGS, WeaknessFactor
from graph_service.seed import names
from graph_service.seed.core import ALL_FIVE, AREA, AS_OF, ORG, PERSON, PROJECT, CityBuilder, Community, Compound


def leadership(b: CityBuilder) -> None:
    groups = [("hz-lg", "hz", "菏泽市", b.districts[0])] + [(d.lg, d.id, d.d.name, d) for d in b.districts]
    topics = list(WorkingGroupTopic)
    for lg, area, place, d in groups:
        b.org(lg, OrgKind.LEADERSHIP_GROUP, f"{place}基层党建引领基层治理工作领导小组", founded=date(2021, 3, 1))
        b.org_area(RelType.LEADS, lg, area)
        head = b.person(d, party=True, employment=Employment.IN_SERVICE)
        b.post(head, lg, Post.LEADER, date(2021, 3, 1))
        for i, topic in enumerate(topics, start=1):
            wg = f"{lg}-wg{i}"
            b.org(wg, OrgKind.WORKING_GROUP, f"{place}{topic.label}专项工作组", topic=topic.value, founded=date(2021, 3, 1))
            b.sub(wg, lg)
            lead = b.person(d, party=True, employment=Employment.IN_SERVICE)
            b.post(lead, wg, Post.LEADER, date(2021, 4, 1))


def street_committees(b: CityBuilder) -> None:
    for street in b.streets:
        b.org(street.committee, OrgKind.STREET_COMMITTEE, f"{street.name}党工委", founded=date(2015, 1, 1))
        b.org_area(RelType.LEADS, street.committee, street.id)
        sec = b.person(street.district, party=True, employment=Employment.IN_SERVICE)
        b.post(sec, street.committee, Post.SECRETARY, b.date_between(date(2018, 1, 1), date(2023, 1, 1)))
        # The street's reserve pool of future secretaries (后备干部库 "雏雁"): the communities' reserve cadres sit in it.
        b.org(street.pool, OrgKind.RESERVE_POOL, f"{street.name}“雏雁”后备干部库", founded=date(2021, 6, 1))
        b.sub(street.pool, street.committee)
        b.org_area(RelType.LOCATED_IN, street.pool, street.id)


def community(b: CityBuilder, cm: Community) -> None:
    d = cm.street.district
    # Community committees were elected in the 2021 round (换届, 5-year terms); a planted few never since.
    if cm.cc in b.overdue_committees:
        term_start = b.date_between(date(2017, 3, 1), date(2019, 6, 30))
    else:
        term_start = b.date_between(date(2021, 1, 15), date(2021, 6, 30))
    b.org(
        cm.cc,
        OrgKind.COMMUNITY_COMMITTEE,
        f"{cm.name}党委",
        founded=date(2016, 1, 1),
        has_plaque=True,
        five_haves=ALL_FIVE,
        term_start=term_start,
        term_years=5,
    )
    b.org_area(RelType.LEADS, cm.cc, cm.id)
    b.sub(cm.cc, cm.street.committee)
    b.org(cm.centre, OrgKind.SERVICE_CENTER, f"{cm.name}党群服务中心", founded=date(2019, 7, 1))
    b.org_area(RelType.SERVES, cm.centre, cm.id)
    b.sub(cm.centre, cm.cc)
    sec = b.person(d, party=True, employment=Employment.IN_SERVICE)
    b.post(sec, cm.cc, Post.SECRETARY, b.date_between(date(2018, 1, 1), date(2022, 12, 31)))
    for _ in range(b.rng.randint(1, 2)):
        cadre = b.person(d, party=True, employment=Employment.IN_SERVICE)
        b.post(cadre, cm.street.pool, Post.RESERVE_CADRE, b.date_between(date(2022, 1, 1), date(2024, 12, 31)))
    covered = [c for c in cm.compounds if c.station]
    k = i = 0
    while i < len(covered):
        k += 1
        take = covered[i : i + b.rng.randint(1, 3)]
        i += len(take)
        st = f"{cm.id}-st{k:02d}"
        b.org(
            st,
            OrgKind.SERVICE_STATION,
            f"{cm.name}第{k}网格党群服务站",
            founded=b.date_between(date(2020, 1, 1), date(2023, 12, 31)),
        )
        b.sub(st, cm.centre)
        for c in take:
            b.org_area(RelType.SERVES, st, c.id)


def compound(b: CityBuilder, c: Compound) -> None:
    rng = b.rng
    cm = c.community
    b.node(AREA, c.id, level=AreaLevel.COMPOUND.value, name=c.name, compound_kind=c.kind, households=c.hh, code=None)
    b.rel(RelType.PART_OF.value, c.id, AREA, cm.id, AREA)
    for i, (bid, hh) in enumerate(zip(c.buildings, c.bhh, strict=True)):
        b.node(AREA, bid, level=AreaLevel.BUILDING.value, name=f"{i + 1}号楼", households=hh)
        b.rel(RelType.PART_OF.value, bid, AREA, c.id, AREA)
    leader_org = c.branch_id if c.branch else cm.cc
    if c.branch:
        _branch(b, c)
    if c.oc:
        _owners_committee(b, c)
    ch_heads: dict[int, str] = {}
    if c.branch:
        ch_heads = _groups_and_households(b, c)
    led = rng.sample(range(c.nb), c.leaders)
    for i in led:
        head = ch_heads.get(i)
        if head is not None and rng.random() < 0.5 and b.free(head):
            pid = head
        else:
            pid = b.resident(c, party=rng.random() < 0.4, employment=b.employment(), i=i)
        b.post(pid, leader_org, Post.BUILDING_LEADER, b.date_between(date(2021, 6, 1), date(2024, 12, 31)))
    if c.branch:
        _projects(b, c)


def _branch(b: CityBuilder, c: Compound) -> None:
    rng, cm = b.rng, c.community
    weak = c.weak
    if WeaknessFactor.ELECTION_OVERDUE.value in weak:
        # Founded long ago and never re-elected: its term ended 1.5 years or more before AS_OF.
        founded = b.date_between(date(2014, 1, 1), date(2018, 12, 31))
        term_start = founded
    else:
        founded = b.date_between(date(2019, 1, 1), date(2023, 6, 30))
        term_start = b.term_start(founded, term_years(OrgKind.COMPOUND_BRANCH.value, None))
    five = list(ALL_FIVE)
    plaque = True
    if c.fail == "branch":
        if rng.random() < 0.4:
            plaque = False
        else:
            five = sorted(set(ALL_FIVE) - set(rng.sample(ALL_FIVE, rng.randint(1, 2))), key=ALL_FIVE.index)
    elif not c.five_ok and not c.oc:
        five = sorted(set(ALL_FIVE) - set(rng.sample(ALL_FIVE, rng.randint(0, 2))), key=ALL_FIVE.index)
    flags = None
    evidence = None
    if WeaknessFactor.STAFF_FLAG.value in weak:
        flags = rng.sample(STAFF_FLAGS, rng.randint(1, 2))
        evidence = "街道党工委2024年度排查记录"
    b.org(
        c.branch_id,
        OrgKind.COMPOUND_BRANCH,
        f"{c.name}党支部",
        founded=founded,
        has_plaque=plaque,
        five_haves=five,
        flags=flags,
        flag_evidence=evidence,
        term_start=term_start,
    )
    b.org_area(RelType.LEADS, c.branch_id, c.id)
    if WeaknessFactor.BROKEN_CHAIN.value not in weak:
        b.sub(c.branch_id, cm.cc)
    vacant = WeaknessFactor.SECRETARY_VACANT.value in weak
    members = []
    for post, status in branch_posts(b, c.full, c.m, vacant, WeaknessFactor.NO_COMMITTEE.value in weak):
        pid = b.resident(c, party=True, employment=b.employment())
        members.append(pid)
        b.post(pid, c.branch_id, post, joined(b, founded, status), status=status)
    c.members = members
    # History: a former secretary, whose post ended long before AS_OF when the post is now vacant.
    # (AREA vacant branch without one never had a secretary: the vacancy runs from its founding.)
    if (vacant and rng.random() < 0.65) or (not vacant and rng.random() < 0.25):
        former = b.resident(c, party=True, employment=Employment.RETIRED)
        start = b.date_between(founded, founded + timedelta(days=200))
        end_hi = AS_OF - timedelta(days=180) if vacant else AS_OF - timedelta(days=30)
        b.post(former, c.branch_id, Post.SECRETARY, start, b.date_between(start + timedelta(days=30), end_hi))
    if WeaknessFactor.ONE_PERSON_DEPENDENCE.value in weak:
        hub = members[0]
        for post in (Post.RESERVE_CADRE, Post.PUBLIC_WELFARE, Post.GRID_WORKER):
            b.post(
                hub,
                cm.street.pool if post is Post.RESERVE_CADRE else cm.cc,
                post,
                b.date_between(date(2023, 1, 1), date(2024, 12, 31)),
                full_time=True if post is Post.GRID_WORKER else None,
            )
        b.post(hub, cm.centre, Post.STAFF, b.date_between(date(2023, 1, 1), date(2024, 12, 31)))


def branch_posts(b: CityBuilder, full: int, m: int, vacant: bool, no_committee: bool) -> list[tuple[Post, MemberStatus]]:
    """The posts of a branch's ``m`` members, the first ``full`` of them full members: the secretary (unless the
    post is vacant), then a committee of 3 to 5 where 7 or more full members require one (3 or 4 without the
    secretary when the post is vacant) or at most a deputy in a smaller branch, then members; the probationary
    members last."""
    rng = b.rng
    if no_committee:
        others = 0
    elif committee_required(full):
        others = rng.randint(3, 4) if vacant else rng.randint(2, 4)
    else:
        others = 1 if full >= 4 and rng.random() < 0.3 else 0
    posts = []
    for j in range(m):
        status = MemberStatus.FULL if j < full else MemberStatus.PROBATIONARY
        if j == 0 and not vacant:
            post = Post.SECRETARY
        elif 1 <= j <= others:
            deputy = not committee_required(full) or (j == 1 and rng.random() < 0.3)
            post = Post.DEPUTY_SECRETARY if deputy else Post.COMMITTEE_MEMBER
        else:
            post = Post.MEMBER
        posts.append((post, status))
    return posts


def joined(b: CityBuilder, founded: date, status: MemberStatus) -> date:
    """When a member took up their post: any day since the founding, or within the last year for a probationary
    member (the probation lasts a year)."""
    if status is MemberStatus.PROBATIONARY:
        return b.date_between(max(founded, AS_OF - timedelta(days=330)), AS_OF - timedelta(days=30))
    return b.date_between(founded, date(2024, 12, 31))


def _owners_committee(b: CityBuilder, c: Compound) -> None:
    rng = b.rng
    plaque, five = True, list(ALL_FIVE)
    if not c.five_ok and (not c.branch or c.fail == "oc"):
        if rng.random() < 0.5:
            plaque = False
        else:
            five = sorted(set(ALL_FIVE) - set(rng.sample(ALL_FIVE, rng.randint(1, 3))), key=ALL_FIVE.index)
    b.org(
        c.oc_id,
        OrgKind.OWNERS_COMMITTEE,
        f"{c.name}业主委员会",
        founded=b.date_between(date(2019, 1, 1), date(2023, 12, 31)),
        has_plaque=plaque,
        five_haves=five,
    )
    b.org_area(RelType.LOCATED_IN, c.oc_id, c.id)
    if c.branch:
        b.sub(c.oc_id, c.branch_id)
    size = rng.randint(5, 7)
    seats: list[str] = []
    candidates = [p for p in c.members if b.free(p)]
    mature = c.cross > 0 and rng.random() < 0.4 and candidates and WeaknessFactor.SECRETARY_VACANT.value not in c.weak
    if c.cross:
        chosen = candidates[: c.cross] if mature else b.pick(candidates[1:] or candidates, c.cross)
        if len(chosen) < c.cross:  # not enough members with room: accept the secretary too
            chosen = (chosen + [p for p in candidates if p not in chosen])[: c.cross]
        seats.extend(chosen)
    while len(seats) < size:
        seats.append(b.resident(c, party=rng.random() < 0.3, employment=b.employment()))
    director_index = 0 if mature else (len(seats) - 1 if c.cross else 0)
    for j, pid in enumerate(seats):
        post = Post.OC_DIRECTOR if j == director_index else Post.OC_MEMBER
        b.post(pid, c.oc_id, post, b.date_between(date(2021, 1, 1), date(2024, 12, 31)))
    # History: a branch member whose OC seat ended, in a compound that now has no cross-appointment.
    if not c.cross and c.members and rng.random() < 0.4:
        pid = c.members[-1]
        start = b.date_between(date(2019, 6, 1), date(2021, 6, 1))
        b.post(pid, c.oc_id, Post.OC_MEMBER, start, b.date_between(start + timedelta(days=60), date(2024, 6, 30)))


def _groups_and_households(b: CityBuilder, c: Compound) -> dict[int, str]:
    rng = b.rng
    order = list(range(c.nb))
    rng.shuffle(order)
    covered = order[: c.covered]
    group_of: dict[int, str] = {}
    if c.groups:
        cuts = sorted(rng.sample(range(1, c.covered), c.groups - 1)) if c.groups > 1 else []
        bounds = [0, *cuts, c.covered]
        leaders = [p for p in c.members if b.free(p)]
        for j in range(c.groups):
            gid = f"{c.id}-bg{j + 1:02d}"
            b.org(
                gid,
                OrgKind.BUILDING_GROUP,
                f"{c.name}第{j + 1}党小组",
                founded=b.date_between(date(2020, 1, 1), date(2024, 6, 30)),
            )
            b.sub(gid, c.branch_id)
            for i in covered[bounds[j] : bounds[j + 1]]:
                b.org_area(RelType.COVERS, gid, c.buildings[i])
                group_of[i] = gid
            if leaders:
                pid = leaders[j % len(leaders)]
                if b.free(pid):
                    b.post(pid, gid, Post.GROUP_LEADER, b.date_between(date(2021, 1, 1), date(2024, 12, 31)))
    heads: dict[int, str] = {}
    for k in range(c.ch):
        i = covered[k % len(covered)] if covered and rng.random() < 0.8 else rng.randrange(c.nb)
        chid = f"{c.buildings[i]}-ch{k + 1:02d}"
        b.org(
            chid,
            OrgKind.CENTRAL_HOUSEHOLD,
            f"{c.name}{i + 1}号楼党员中心户",
            households_served=rng.randint(5, 15),
            founded=b.date_between(date(2021, 1, 1), date(2024, 12, 31)),
        )
        b.sub(chid, group_of.get(i, c.branch_id))
        b.org_area(RelType.LOCATED_IN, chid, c.buildings[i])
        head = b.resident(c, party=True, employment=b.employment(), i=i)
        b.post(head, chid, Post.HOUSEHOLD_HEAD, b.date_between(date(2021, 1, 1), date(2024, 12, 31)))
        heads.setdefault(i, head)
    return heads


def _projects(b: CityBuilder, c: Compound) -> None:
    rng = b.rng
    n = c.claimed + rng.randint(0, 2)
    for k in range(n):
        pj = f"{c.id}-pj{k + 1:02d}"
        need = rng.choice(names.NEEDS)
        created = b.date_between(date(2022, 1, 1), date(2025, 3, 31))
        b.node(PROJECT, pj, kind=ProjectKind.VOLUNTEER.value, name=f"{c.name}{need}", need=need, created=created)
        b.rel(RelType.LISTED_BY.value, pj, PROJECT, c.branch_id, ORG)
        if k < c.claimed:
            for pid in b.pick(c.members, 1 if rng.random() < 0.7 else 2):
                b.rel(RelType.CLAIMED.value, pid, PERSON, pj, PROJECT, claimed_on=b.date_between(created, AS_OF))
