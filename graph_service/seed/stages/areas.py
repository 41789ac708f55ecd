"""Areas: districts, streets, communities, compounds and buildings, and the plan of what each holds and lacks."""

from __future__ import annotations

import math

from graph_service.domain.enums import (
    AreaLevel,
    RelType,
)
from graph_service.domain.regulation import COMMITTEE_REQUIRED_FROM, committee_required
from graph_service.domain.standards import CoverageGap, WeaknessFactor
from graph_service.seed import names
from graph_service.seed.alloc import allocate
from graph_service.seed.core import AREA, CityBuilder, Community, Compound, Street

#: Buildings per compound and households per building, by kind of compound (ranges to draw from).
BUILDINGS = {"commercial": (10, 28), "old": (5, 16), "resettlement": (12, 32), "unit": (2, 8)}
HH_PER_BUILDING = {"commercial": (18, 36), "old": (10, 24), "resettlement": (20, 40), "unit": (8, 16)}


def areas(b: CityBuilder) -> None:
    rng, t = b.rng, b.t
    city_hh = 0
    n_comm = allocate(
        t.communities,
        [1] * 9,
        [t.communities] * 9,
        [d.d.weight for d in b.districts],
        rng,
    )
    n_cmp = allocate(t.compounds, n_comm, [t.compounds] * 9, [d.d.weight for d in b.districts], rng)
    residents = allocate(t.resident, [1] * 9, [t.resident] * 9, [d.d.resident for d in b.districts], rng)
    for d, r in zip(b.districts, residents, strict=True):
        d.resident = r
    urban = allocate(
        t.urban,
        [0] * 9,
        residents,
        [d.resident * d.d.urban_rate for d in b.districts],
        rng,
    )
    platform = allocate(t.platform, [0] * 9, [t.platform] * 9, urban, rng)
    used_streets: set[str] = set()
    for d, nc, nq, u, pf in zip(b.districts, n_comm, n_cmp, urban, platform, strict=True):
        d.urban = u
        n_streets = min(nc, max(1, round(len(d.d.streets) * math.sqrt(b.scale))))
        for i in range(n_streets):
            if i < len(d.d.streets):
                code, sname = d.d.streets[i]
            else:
                code, sname = f"s{i + 1:02d}", names.street_name(rng, used_streets)
            street = Street(f"{d.id}-{code}", sname, d)
            d.streets.append(street)
            b.streets.append(street)
        per_street = allocate(nc, [1] * n_streets, [nc] * n_streets, [rng.uniform(0.6, 1.4) for _ in d.streets], rng)
        used_comm: set[str] = set()
        for street, k in zip(d.streets, per_street, strict=True):
            for j in range(k):
                cm = Community(f"{street.id}-c{j + 1:02d}", names.community_name(rng, used_comm), street)
                street.communities.append(cm)
                d.communities.append(cm)
                b.communities.append(cm)
        per_comm = allocate(nq, [1] * nc, [nq] * nc, [rng.uniform(0.5, 1.5) for _ in d.communities], rng)
        for cm, k in zip(d.communities, per_comm, strict=True):
            used_cmp: set[str] = set()
            for j in range(k):
                kind = _kind(b)
                cp = Compound(f"{cm.id}-q{j + 1:02d}", names.compound_name(rng, kind, used_cmp), kind, cm)
                cm.compounds.append(cp)
                b.compounds.append(cp)
        d.platform = pf
    _ensure_kinds(b)
    _size_buildings(b)
    for d in b.districts:
        d_hh = 0
        for street in d.streets:
            s_hh = 0
            for cm in street.communities:
                cm.hh = 0
                for cp in cm.compounds:
                    cp.hh = sum(cp.bhh)
                    cm.hh += cp.hh
                s_hh += cm.hh
                b.node(AREA, cm.id, level=AreaLevel.COMMUNITY.value, name=cm.name, households=cm.hh)
                b.rel(RelType.PART_OF.value, cm.id, AREA, street.id, AREA)
            b.node(AREA, street.id, level=AreaLevel.STREET.value, name=street.name, households=s_hh)
            b.rel(RelType.PART_OF.value, street.id, AREA, d.id, AREA)
            d_hh += s_hh
        b.node(
            AREA,
            d.id,
            level=AreaLevel.DISTRICT.value,
            name=d.d.name,
            code=d.d.region,
            resident_population=d.resident,
            urban_population=d.urban,
            platform_people_served=d.platform,
            households=d_hh,
        )
        b.rel(RelType.PART_OF.value, d.id, AREA, "hz", AREA)
        city_hh += d_hh
    b.node(
        AREA,
        "hz",
        level=AreaLevel.CITY.value,
        name="菏泽市",
        code="371700",
        resident_population=t.resident,
        urban_population=t.urban,
        platform_people_served=t.platform,
        households=city_hh,
    )


def _kind(b: CityBuilder) -> str:
    x = b.rng.random()
    return "commercial" if x < 0.58 else "old" if x < 0.85 else "resettlement" if x < 0.93 else "unit"


def _ensure_kinds(b: CityBuilder) -> None:
    """Enough old compounds and resettlement areas for the state-fallback figures, with slack."""
    rng = b.rng
    for kind, need in (("old", b.t.sf_old + 2), ("resettlement", b.t.sf_resettlement + 1)):
        have = [c for c in b.compounds if c.kind == kind]
        others = [c for c in b.compounds if c.kind in ("commercial", "unit")]
        rng.shuffle(others)
        for c in others[: max(0, need - len(have))]:
            c.kind = kind


def _size_buildings(b: CityBuilder) -> None:
    rng = b.rng
    for c in b.compounds:
        lo, hi = BUILDINGS[c.kind]
        c.nb = rng.randint(lo, hi)
    # Enough buildings that the building leaders fit with the thresholds (about 85% of buildings led).
    missing = math.ceil(b.t.leaders / 0.8) - sum(c.nb for c in b.compounds)
    for _ in range(max(0, missing)):
        rng.choice(b.compounds).nb += 1
    for c in b.compounds:
        lo, hi = HH_PER_BUILDING[c.kind]
        c.bhh = [rng.randint(lo, hi) for _ in range(c.nb)]
        c.buildings = [f"{c.id}-b{i + 1:02d}" for i in range(c.nb)]


def plan(b: CityBuilder) -> None:
    rng, t, cps = b.rng, b.t, b.compounds
    comms = list(b.communities)
    rng.shuffle(comms)
    n_np = max(1, round(0.06 * len(comms)))
    n_nr = max(1, round(0.04 * len(comms)))
    for cm in comms[:n_np]:
        cm.gaps.add("no_pairing")
    for cm in comms[n_np : n_np + n_nr]:
        cm.gaps.add("no_registered")
    big = [cm for cm in comms[n_np + n_nr :] if cm.hh >= 600]
    for cm in big[: max(1, round(0.02 * len(comms)))]:
        cm.gaps.add("few_registered")
    for cm in b.communities:
        for c in cm.compounds:
            if "no_pairing" in cm.gaps:
                c.gaps.add(CoverageGap.NO_PAIRING.value)
            if "no_registered" in cm.gaps:
                c.gaps.add(CoverageGap.NO_REGISTERED_MEMBERS.value)
    # State fallback first, so that no compound planted without management is one of them.
    for kind, n in (("old", t.sf_old), ("resettlement", t.sf_resettlement)):
        pool = [c for c in cps if c.kind == kind]
        for c in cps:
            if c.kind == kind:
                c.sf = False
        for c in rng.sample(pool, n):
            c.sf = True
    for c in cps:
        if c.kind not in ("old", "resettlement"):
            c.sf = False
    good = [c for c in cps if not c.gaps and not c.community.gaps]
    n_healthy = min(round(0.30 * len(cps)), t.five_haves, len(good))
    healthy = rng.sample(good, n_healthy)
    for c in healthy:
        c.healthy = True
    rest = [c for c in cps if not c.healthy]
    rng.shuffle(rest)
    n_five = t.five_haves - n_healthy
    for c in rest[n_five:]:
        c.five_ok = False
        c.gaps.add(CoverageGap.FIVE_HAVES_MISSING.value)
    non_five = rest[n_five:]
    for c in non_five:
        x = rng.random()
        if x < 0.12:
            c.branch = False
            c.gaps.add(CoverageGap.NO_BRANCH.value)
        elif x < 0.30:
            c.oc = False
            c.gaps.add(CoverageGap.NO_OWNERS_COMMITTEE.value)
        else:
            c.fail = rng.choice(("branch", "oc"))
    n_nostation = len(cps) - t.station_covered
    for c in rng.sample(rest, min(n_nostation, len(rest))):
        c.station = False
        c.gaps.add(CoverageGap.NO_STATION.value)
    others = [
        CoverageGap.BUILDINGS_WITHOUT_GROUP,
        CoverageGap.BUILDINGS_WITHOUT_LEADER,
        CoverageGap.FEW_CENTRAL_HOUSEHOLDS,
        CoverageGap.NO_PROPERTY_MANAGEMENT,
        CoverageGap.NO_SUNK_STAFF,
        CoverageGap.NO_CROSS_APPOINTMENT,
    ]
    for c in rest:
        if not c.gaps:
            c.gaps.add(rng.choice(others).value)
        for gap in others:
            if rng.random() < 0.06:
                c.gaps.add(gap.value)
    for c in rest:
        if c.sf:
            c.gaps.discard(CoverageGap.NO_PROPERTY_MANAGEMENT.value)
            if not c.gaps:
                c.gaps.add(CoverageGap.NO_SUNK_STAFF.value)
    # Cross-appointments: at most ``cross`` compounds can have one, at least a third of it must.
    eligible = [c for c in cps if c.branch and c.oc and CoverageGap.NO_CROSS_APPOINTMENT.value not in c.gaps]
    k_max = min(t.cross, round(0.62 * len(cps)))
    extra = [c for c in eligible if not c.healthy]
    rng.shuffle(extra)
    for c in extra[: max(0, len(eligible) - k_max)]:
        c.gaps.add(CoverageGap.NO_CROSS_APPOINTMENT.value)
    # Weak branches: only outside the healthy compounds, so that a healthy compound has a healthy branch.
    with_branch = [c for c in rest if c.branch]
    rates = {
        WeaknessFactor.SECRETARY_VACANT: 0.07,
        WeaknessFactor.ONE_PERSON_DEPENDENCE: 0.03,
        WeaknessFactor.BROKEN_CHAIN: 0.02,
        WeaknessFactor.STAFF_FLAG: 0.03,
        WeaknessFactor.UNRESOLVED_APPEALS: 0.05,
        WeaknessFactor.FEW_REGISTERED: 0.04,
        WeaknessFactor.ELECTION_OVERDUE: 0.04,
    }
    for factor, rate in rates.items():
        for c in b.pick(with_branch, max(1, round(rate * len(with_branch)))):
            c.weak.add(factor.value)
    # The size of a branch: few full members, no committee where 7 or more full members require one, too many
    # members. Their sizes exclude each other, so each branch gets at most one of them.
    sized: set[str] = set()
    sizes = (
        (WeaknessFactor.FEW_MEMBERS, 0.05),
        (WeaknessFactor.NO_COMMITTEE, 0.05),
        (WeaknessFactor.TOO_MANY_MEMBERS, 0.02),
    )
    for factor, rate in sizes:
        free = [c for c in with_branch if c.id not in sized]
        for c in b.pick(free, max(1, round(rate * len(with_branch)))):
            c.weak.add(factor.value)
            sized.add(c.id)
    for c in with_branch:
        if WeaknessFactor.ONE_PERSON_DEPENDENCE.value in c.weak:
            c.weak.discard(WeaknessFactor.SECRETARY_VACANT.value)  # the overloaded person is the sitting secretary
    # Community committees whose term ran out long ago (换届逾期).
    for cm in b.pick(b.communities, max(1, round(0.03 * len(b.communities)))):
        b.overdue_committees.add(cm.cc)


#: Planted irregularities of organisational life and the share of weak-pool branches each is planted in.
LIFE_RATES: dict[WeaknessFactor, float] = {
    WeaknessFactor.IRREGULAR_GENERAL_MEETING: 0.03,
    WeaknessFactor.IRREGULAR_COMMITTEE_MEETING: 0.03,
    WeaknessFactor.IRREGULAR_GROUP_MEETING: 0.03,
    WeaknessFactor.IRREGULAR_PARTY_LESSON: 0.03,
    WeaknessFactor.IRREGULAR_PARTY_DAY: 0.03,
    WeaknessFactor.NO_ORG_LIFE_MEETING: 0.03,
    WeaknessFactor.NO_MEMBER_APPRAISAL: 0.03,
    WeaknessFactor.INACTIVE: 0.02,
}


def plan_life(b: CityBuilder) -> None:
    """Which branches keep their organisational life irregular: planned once their sizes and Party groups are
    known, since committee meetings are due only where 7 or more full members require a committee, and group
    meetings only where the branch has Party groups."""
    with_branch = [c for c in b.compounds if c.branch and not c.healthy]
    for factor, rate in LIFE_RATES.items():
        pool = with_branch
        if factor is WeaknessFactor.IRREGULAR_COMMITTEE_MEETING:
            pool = [c for c in with_branch if committee_required(c.full) and WeaknessFactor.NO_COMMITTEE.value not in c.weak]
        elif factor is WeaknessFactor.IRREGULAR_GROUP_MEETING:
            pool = [c for c in with_branch if c.groups]
        for c in b.pick(pool, max(1, round(rate * len(with_branch)))):
            c.weak.add(factor.value)


def allocate_counts(b: CityBuilder) -> None:
    rng, t, cps = b.rng, b.t, b.compounds
    gap = CoverageGap
    # Building leaders.
    lows, highs = [], []
    for c in cps:
        if gap.BUILDINGS_WITHOUT_LEADER.value in c.gaps:
            lows.append(0)
            highs.append(math.floor(0.3 * c.nb))
        else:
            lows.append(math.ceil(0.6 * c.nb))
            highs.append(c.nb)
    for c, n in zip(cps, allocate(t.leaders, lows, highs, [c.nb for c in cps], rng), strict=True):
        c.leaders = n
    # Buildings covered by a Party group, then the groups themselves.
    for c in cps:
        if not c.branch:
            c.covered = 0
        elif gap.BUILDINGS_WITHOUT_GROUP.value in c.gaps:
            c.covered = rng.randint(0, math.floor(0.3 * c.nb))
        else:
            c.covered = rng.randint(math.ceil(0.6 * c.nb), c.nb)
    lows = [1 if c.covered else 0 for c in cps]
    highs = [c.covered for c in cps]
    for c, n in zip(cps, allocate(t.groups, lows, highs, [c.covered for c in cps], rng), strict=True):
        c.groups = n
    # Central households.
    lows, highs = [], []
    for c in cps:
        if not c.branch:
            lows.append(0)
            highs.append(0)
        elif gap.FEW_CENTRAL_HOUSEHOLDS.value in c.gaps:
            lows.append(0)
            highs.append(math.floor(0.01 * c.hh))
        else:
            floor_ = math.floor(b.std.min_central_households_per_100 / 100 * c.hh) + 1
            lows.append(floor_)
            highs.append(max(floor_, math.ceil(0.07 * c.hh)))
    for c, n in zip(cps, allocate(t.central_households, lows, highs, [c.hh for c in cps], rng), strict=True):
        c.ch = n
    # Branch members, full and probationary, then the cross-appointed among them (members who also sit on the OC;
    # a planted hub holds too many posts to take one more). A branch of a small compound has 4-5 full members and
    # no committee; a larger one 9-42 and a committee; planted sizes are far from every threshold of the
    # regulation (3 full members, 7 for a committee, 50 members).
    for c in cps:
        if not c.branch:
            continue
        if WeaknessFactor.FEW_MEMBERS.value in c.weak:
            full, novices = rng.randint(1, 2), rng.randint(0, 2)
        elif WeaknessFactor.NO_COMMITTEE.value in c.weak:
            full, novices = rng.randint(9, 16), rng.randint(0, 1)
        elif WeaknessFactor.TOO_MANY_MEMBERS.value in c.weak:
            full, novices = rng.randint(54, 64), rng.randint(2, 5)
        else:
            target = round(c.hh / 25 * rng.uniform(0.7, 1.3))
            if target < COMMITTEE_REQUIRED_FROM:
                full, novices = rng.randint(4, 5), 0
            else:
                full = min(42, max(9, target))
                novices = min(3, round(full * rng.uniform(0.0, 0.08)))  # a few per cent probationary (预备党员)
        if WeaknessFactor.ONE_PERSON_DEPENDENCE.value in c.weak and full + novices == 1:
            full = 2  # the hub and one member who can sit on the OC
        c.full, c.m = full, full + novices
    cross = [c for c in cps if c.branch and c.oc and gap.NO_CROSS_APPOINTMENT.value not in c.gaps]
    lows = [1] * len(cross)
    highs = [min(3, c.m - (1 if WeaknessFactor.ONE_PERSON_DEPENDENCE.value in c.weak else 0)) for c in cross]
    for c, n in zip(cross, allocate(t.cross, lows, highs, [1.0] * len(cross), rng), strict=True):
        c.cross = n
    # Staff sunk to compounds.
    lows = [0 if gap.NO_SUNK_STAFF.value in c.gaps else 1 for c in cps]
    highs = [0 if gap.NO_SUNK_STAFF.value in c.gaps else 10 for c in cps]
    total_sunk = t.sunk_two_committees + t.sunk_staff
    for c, n in zip(cps, allocate(total_sunk, lows, highs, [c.hh for c in cps], rng), strict=True):
        c.sunk = n
    # Volunteer projects claimed, per branch.
    branches = [c for c in cps if c.branch]
    lows = [0 if WeaknessFactor.FEW_REGISTERED.value in c.weak else 1 for c in branches]
    highs = [0 if WeaknessFactor.FEW_REGISTERED.value in c.weak else 12 for c in branches]
    for c, n in zip(branches, allocate(t.claimed, lows, highs, [c.hh for c in branches], rng), strict=True):
        c.claimed = n
