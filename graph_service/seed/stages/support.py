"""Who supports communities and branches beyond their own members: joint Party branches of small units (联合党支部),
cadres of agencies sent down to communities (下沉干部), deputies and CPPCC members serving them (人大代表、政协委员),
and each street's secretary studio (书记工作室) led by an experienced branch secretary."""

from __future__ import annotations

from datetime import date, timedelta

from graph_service.domain.enums import DeputyCapacity, Employment, OrgKind, Post, RelType, UnitType
from graph_service.domain.regulation import term_years
from graph_service.domain.standards import WeaknessFactor
from graph_service.seed import names
from graph_service.seed.core import ALL_FIVE, AREA, ORG, PERSON, CityBuilder, Community, JointBranch
from graph_service.seed.stages.organisations import branch_posts, joined

#: Joint branches per community, and the share of them planted too wide (more than 5 units).
JOINT_BRANCHES_PER_COMMUNITY = 0.25
TOO_WIDE_SHARE = 0.2


def joint_branches(b: CityBuilder) -> None:
    """Joint branches under community (or street) committees, each joined by 2-4 small units without a Party
    organisation of their own (7-8 when planted too wide), with a secretary, a committee where 7 or more full
    members require one, and a term."""
    rng = b.rng
    hosts = b.pick(b.communities, max(2, round(JOINT_BRANCHES_PER_COMMUNITY * len(b.communities))))
    wide = set(b.pick(range(len(hosts)), max(1, round(TOO_WIDE_SHARE * len(hosts)))))
    for k, cm in enumerate(hosts):
        jb = _joint_branch(b, cm, under_street=rng.random() < 0.3)
        n_units = rng.randint(7, 8) if k in wide else rng.randint(2, 4)
        if k in wide:
            jb.weak.add(WeaknessFactor.JOINT_BRANCH_TOO_WIDE.value)
        founded = jb.founded
        for u in range(n_units):
            unit = _small_unit(b, cm, f"{jb.id}-u{u + 1:02d}", founded)
            b.rel(RelType.JOINS.value, unit, ORG, jb.id, ORG, start_date=b.date_between(founded, date(2024, 12, 31)))
            jb.units.append(unit)
        if rng.random() < 0.3:  # history: a unit that left (it grew and set up its own branch, or closed)
            unit = _small_unit(b, cm, f"{jb.id}-u{n_units + 1:02d}", founded)
            start = b.date_between(founded, founded + timedelta(days=365))
            b.rel(RelType.JOINS.value, unit, ORG, jb.id, ORG, start_date=start, end_date=b.date_between(start, date(2024, 6, 30)))
        full = rng.choice((4, 5)) if rng.random() < 0.4 else rng.randint(8, 12)
        novices = rng.randint(0, 1) if full >= 8 else 0
        for post, status in branch_posts(b, full, full + novices, vacant=False, no_committee=False):
            pid = b.person(cm.street.district, party=True, employment=Employment.IN_SERVICE)
            b.post(pid, jb.id, post, joined(b, founded, status), status=status)
            jb.members.append(pid)
        jb.full = full
        b.joint_branches.append(jb)


def _joint_branch(b: CityBuilder, cm: Community, *, under_street: bool) -> JointBranch:
    rng, street = b.rng, cm.street
    jid = f"{cm.id}-jb"
    parent, place = (street.committee, street.id) if under_street else (cm.cc, cm.id)
    name = f"{street.name if under_street else cm.name}非公企业和社会组织联合党支部"
    founded = b.date_between(date(2018, 1, 1), date(2023, 6, 30))
    years = term_years(OrgKind.JOINT_BRANCH.value, None)
    b.org(
        jid,
        OrgKind.JOINT_BRANCH,
        name,
        founded=founded,
        term_start=b.term_start(founded, years),
        term_years=years if rng.random() < 0.5 else None,
        has_plaque=True,
        five_haves=ALL_FIVE,
    )
    b.sub(jid, parent)
    b.org_area(RelType.LOCATED_IN, jid, place)
    return JointBranch(jid, name, parent, place, street, founded)


def _small_unit(b: CityBuilder, cm: Community, uid: str, before: date) -> str:
    """A small unit (a shop, a small firm, a social organisation) of the community, without a Party organisation."""
    rng = b.rng
    social = rng.random() < 0.25
    suffix = "社会工作服务站" if social else rng.choice(names.SMALL_UNIT_SUFFIXES)
    b.org(
        uid,
        OrgKind.UNIT,
        f"{cm.name}{rng.choice(names.PROPERTY_WORDS)}{suffix}",
        unit_type=(UnitType.SOCIAL_ORGANIZATION if social else UnitType.PRIVATE_FIRM).value,
        founded=b.date_between(date(2010, 1, 1), before),
    )
    b.org_area(RelType.LOCATED_IN, uid, cm.id)
    return uid


def cadres_and_deputies(b: CityBuilder) -> None:
    """Per community: 0-2 cadres of the district's agencies sent down to it (some postings ended, kept as history),
    and 0-2 deputies to a people's congress or members of a political consultative conference who serve it."""
    rng = b.rng
    for cm in b.communities:
        d = cm.street.district
        units = b.units.get(d.id, [])
        agencies = [u for u, t in units if t in (UnitType.AGENCY.value, UnitType.STATE_ENTERPRISE.value)] or [u for u, _ in units]
        current: tuple[date, date, date | None] = (date(2023, 1, 1), date(2025, 3, 31), None)
        postings = [current] * rng.choice((0, 1, 1, 2))
        if rng.random() < 0.15:
            postings.append((date(2020, 6, 1), date(2021, 12, 31), date(2023, 12, 31)))
        for lo, hi, ended_by in postings:
            pid = b.person(d, party=True, employment=Employment.IN_SERVICE)
            if agencies:
                b.post(pid, rng.choice(agencies), Post.STAFF, b.date_between(date(2008, 1, 1), date(2019, 12, 31)))
            start = b.date_between(lo, hi)
            end = b.date_between(start + timedelta(days=180), ended_by) if ended_by else None
            b.rel(
                RelType.SENT_DOWN_TO.value,
                pid,
                PERSON,
                cm.id,
                AREA,
                duty=rng.choice(names.CADRE_DUTIES),
                start_date=start,
                end_date=end,
            )
        for _ in range(rng.choice((0, 1, 1, 2))):
            npc = rng.random() < 0.6
            role = DeputyCapacity.NPC_DEPUTY if npc else DeputyCapacity.CPPCC_MEMBER
            place = "菏泽市" if rng.random() < 0.3 else d.d.name
            employment = Employment.IN_SERVICE if rng.random() < 0.8 else Employment.RETIRED
            pid = b.person(d, party=rng.random() < 0.6, employment=employment)
            b.rel(
                RelType.LIAISES_WITH.value,
                pid,
                PERSON,
                cm.id,
                AREA,
                role=role.value,
                level=f"{place}{'人大' if npc else '政协'}",
                start_date=b.date_between(date(2021, 12, 1), date(2022, 3, 31)),
            )


def studios(b: CityBuilder) -> None:
    """A secretary studio (书记工作室) per street, led by the secretary of one of its healthy compounds' branches
    who has room for another post (or a retired secretary when none has)."""
    rng = b.rng
    for street in b.streets:
        candidates = [
            c.members[0]
            for cm in street.communities
            for c in cm.compounds
            if c.healthy and c.branch and c.members and b.free(c.members[0])
        ]
        lead = rng.choice(candidates) if candidates else b.person(street.district, party=True, employment=Employment.RETIRED)
        founded = b.date_between(date(2021, 1, 1), date(2023, 12, 31))
        b.org(street.studio, OrgKind.SECRETARY_STUDIO, f"{street.name}“红色领航”书记工作室", founded=founded)
        b.sub(street.studio, street.committee)
        b.org_area(RelType.LOCATED_IN, street.studio, street.id)
        b.post(lead, street.studio, Post.STUDIO_LEAD, b.date_between(founded, date(2024, 12, 31)))
