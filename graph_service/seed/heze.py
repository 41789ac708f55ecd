"""The deterministic Heze demo city: areas, the five-level Party system, people and posts, with planted gaps.

``generate(scale, seed)`` returns every record (typed values, ready for ``bulk_insert``) and the ground truth.
At scale 1 the aggregates equal DOMAIN.md's published figures (see ``figures.py``); at scale ``s`` counts are
``round(figure * s)`` and rates stay. Gaps are planted on purpose; the ground truth is then computed from the
records by ``truth.evaluate`` with the definitions in README.md ("The Heze demo dataset"), so it is exact by construction.

All people, phone numbers, addresses and identity numbers are FICTITIOUS (see ``names``).
"""

from __future__ import annotations

import gc
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph_service.domain.enums import (
    AppealStatus,
    AreaLevel,
    Employment,
    FiveHave,
    NodeLabel,
    OrgKind,
    Post,
    ProjectKind,
    PropertyMode,
    RelType,
    SunkRole,
    UnitType,
    WorkingGroupTopic,
)
from graph_service.domain.records import NodeRecord, Record, RelRecord
from graph_service.domain.standards import DEFAULT_STANDARDS, STAFF_FLAGS, CoverageGap, Standards, WeaknessFactor
from graph_service.seed import names
from graph_service.seed.alloc import allocate, scaled
from graph_service.seed.figures import (
    COMMUNITY_WORKERS_PER_10K,
    RESIDENT_POPULATION,
    STATION_COVERAGE_BUILT,
    URBANISATION_RATE,
)

#: The day the demo city describes. Every date in it is on or before this day; every planted vacancy is at
#: least 180 days old by then, so analyses run on any later day see the same vacancies.
AS_OF = date(2025, 6, 30)
ALL_FIVE = [f.value for f in FiveHave]
#: The smallest city: every district with a compound, every published count still reachable.
MIN_SCALE = 0.01

A, O, P, PR, AP = (n.value for n in NodeLabel)
G = CoverageGap
W = WeaknessFactor


@dataclass
class HezeDataset:
    scale: float
    seed: int
    records: list[Record]
    ground_truth: dict[str, Any]

    def counts(self) -> dict[str, int]:
        """Records per node label and relationship type."""
        out: dict[str, int] = {}
        for r in self.records:
            key = r.label if isinstance(r, NodeRecord) else r.type
            out[key] = out.get(key, 0) + 1
        return out


@dataclass(frozen=True)
class Targets:
    """The published counts at one scale (see ``figures.PUBLISHED_FIGURES``)."""

    resident: int
    urban: int
    platform: int
    compounds: int
    communities: int
    five_haves: int
    cross: int
    leaders: int
    groups: int
    central_households: int
    station_covered: int
    sf_old: int
    sf_resettlement: int
    warm: int
    riders: int
    rider_appeals: int
    community_workers: int
    sunk_two_committees: int
    sunk_staff: int
    claimed: int
    teams: int
    problems: int

    @classmethod
    def at(cls, scale: float) -> Targets:
        if not scale >= MIN_SCALE:
            raise ValueError(f"scale must be at least {MIN_SCALE} (9 districts need a few compounds each), not {scale}")
        resident = scaled(RESIDENT_POPULATION, scale)
        urban = round(resident * URBANISATION_RATE)
        compounds = max(9, scaled(1000, scale))
        return cls(
            resident=resident,
            urban=urban,
            platform=scaled(1_400_000, scale),
            compounds=compounds,
            communities=min(compounds, max(9, scaled(300, scale))),
            five_haves=scaled(659, scale),
            cross=scaled(769, scale),
            leaders=scaled(13_000, scale),
            groups=scaled(3_216, scale),
            central_households=scaled(12_074, scale),
            station_covered=math.ceil(STATION_COVERAGE_BUILT * compounds),
            sf_old=scaled(125, scale),
            sf_resettlement=scaled(17, scale),
            warm=scaled(400, scale),
            riders=scaled(240, scale),
            rider_appeals=scaled(2_600, scale),
            community_workers=round(COMMUNITY_WORKERS_PER_10K * urban / 10_000),
            sunk_two_committees=scaled(957, scale),
            sunk_staff=scaled(2_355, scale),
            claimed=scaled(2_579, scale),
            teams=scaled(488, scale),
            problems=scaled(7_800, scale),
        )


class _District:
    __slots__ = ("communities", "d", "id", "lg", "platform", "resident", "streets", "urban")

    def __init__(self, d: names.District) -> None:
        self.d = d
        self.id = f"hz-{d.code}"
        self.streets: list[_Street] = []
        self.communities: list[_Community] = []
        self.resident = self.urban = self.platform = 0
        self.lg = f"{self.id}-lg"


class _Street:
    __slots__ = ("committee", "communities", "district", "id", "name")

    def __init__(self, sid: str, name: str, district: _District) -> None:
        self.id, self.name, self.district = sid, name, district
        self.committee = f"{sid}-pwc"
        self.communities: list[_Community] = []


class _Community:
    __slots__ = (
        "cc",
        "centre",
        "compounds",
        "gaps",
        "grid_workers",
        "hh",
        "id",
        "name",
        "street",
        "workers",
    )

    def __init__(self, cid: str, name: str, street: _Street) -> None:
        self.id, self.name, self.street = cid, name, street
        self.cc = f"{cid}-pc"
        self.centre = f"{cid}-ctr"
        self.compounds: list[_Compound] = []
        self.gaps: set[str] = set()  # "no_pairing", "no_registered", "few_registered"
        self.hh = 0
        self.grid_workers: list[str] = []
        self.workers = 0


class _Compound:
    __slots__ = (
        "bhh",
        "branch",
        "branch_id",
        "buildings",
        "ch",
        "claimed",
        "community",
        "covered",
        "cross",
        "fail",
        "five_ok",
        "gaps",
        "groups",
        "healthy",
        "hh",
        "id",
        "kind",
        "leaders",
        "m",
        "members",
        "name",
        "nb",
        "oc",
        "oc_id",
        "sf",
        "station",
        "sunk",
        "weak",
    )

    def __init__(self, cid: str, name: str, kind: str, community: _Community) -> None:
        self.id, self.name, self.kind, self.community = cid, name, kind, community
        self.branch_id, self.oc_id = f"{cid}-br", f"{cid}-oc"
        self.gaps: set[str] = set()
        self.weak: set[str] = set()
        self.healthy = False
        self.fail = ""  # which office misses the five-haves standard: "branch" or "oc"
        self.branch = self.oc = self.five_ok = self.station = self.sf = True
        self.nb = self.hh = self.leaders = self.covered = self.groups = self.ch = 0
        self.cross = self.sunk = self.claimed = self.m = 0
        self.buildings: list[str] = []
        self.bhh: list[int] = []
        self.members: list[str] = []


_BUILDINGS = {"commercial": (10, 28), "old": (5, 16), "resettlement": (12, 32), "unit": (2, 8)}
_HH_PER_BUILDING = {"commercial": (18, 36), "old": (10, 24), "resettlement": (20, 40), "unit": (8, 16)}


class _Builder:
    def __init__(self, scale: float, seed: int, standards: Standards) -> None:
        self.scale, self.seed, self.std = scale, seed, standards
        self.t = Targets.at(scale)
        self.rng = random.Random(seed)
        self.records: list[Record] = []
        self.posts: dict[str, int] = {}  # current posts per person
        self.n_people = 0
        self.districts = [_District(d) for d in names.DISTRICTS]
        self.streets: list[_Street] = []
        self.communities: list[_Community] = []
        self.compounds: list[_Compound] = []
        self._dates: dict[int, date] = {}
        self.planted_branches: dict[str, set[str]] = {}

    # --- small helpers --------------------------------------------------------------------------------------

    def date_between(self, lo: date, hi: date) -> date:
        ordinal = self.rng.randint(lo.toordinal(), max(lo.toordinal(), hi.toordinal()))
        d = self._dates.get(ordinal)
        if d is None:
            d = self._dates[ordinal] = date.fromordinal(ordinal)
        return d

    def node(self, label: str, nid: str, **props: Any) -> None:
        self.records.append(NodeRecord(label, nid, {k: v for k, v in props.items() if v is not None}))

    def rel(self, rtype: str, a: str, alabel: str, b: str, blabel: str, rid: str | None = None, **props: Any) -> None:
        self.records.append(
            RelRecord(
                rtype,
                rid or f"{a}:{rtype}:{b}",
                a,
                alabel,
                b,
                blabel,
                {k: v for k, v in props.items() if v is not None},
            )
        )

    def org(self, oid: str, kind: OrgKind, name: str, **props: Any) -> None:
        self.node(O, oid, kind=kind.value, name=name, **props)

    def sub(self, child: str, parent: str) -> None:
        self.rel(RelType.SUB_ORG_OF.value, child, O, parent, O)

    def org_area(self, rtype: RelType, org: str, area: str, **props: Any) -> None:
        self.rel(rtype.value, org, O, area, A, **props)

    def person(
        self,
        district: _District,
        *,
        party: bool,
        employment: Employment,
        home: str | None = None,
        address: str = "",
    ) -> str:
        rng = self.rng
        self.n_people += 1
        pid = f"hz-p{self.n_people:07d}"
        gender = "男" if rng.random() < 0.55 else "女"
        lo, hi = {
            Employment.RETIRED: (1945, 1962),
            Employment.IN_SERVICE: (1965, 2000),
            Employment.NEW_EMPLOYMENT: (1985, 2003),
            Employment.OTHER: (1950, 2000),
        }[employment]
        year = rng.randint(lo, hi)
        self.node(
            P,
            pid,
            name=names.person_name(rng, gender),
            gender=gender,
            birth_year=year,
            is_party_member=party,
            employment=employment.value,
            phone=names.phone(rng),
            address=address or f"菏泽市{district.d.name}",
            id_number=names.id_number(rng, district.d.region, year, gender),
        )
        self.posts[pid] = 0
        if home is not None:
            self.rel(RelType.RESIDES_IN.value, pid, P, home, A)
        return pid

    def post(
        self,
        pid: str,
        org: str,
        post: Post,
        start: date,
        end: date | None = None,
        full_time: bool | None = None,
    ) -> None:
        rid = f"{pid}:MEMBER_OF:{org}:{post.value}" + (f":{start.isoformat()}" if end is not None else "")
        self.rel(
            RelType.MEMBER_OF.value,
            pid,
            P,
            org,
            O,
            rid,
            post=post.value,
            start_date=start,
            end_date=end,
            full_time=full_time,
        )
        if end is None:
            self.posts[pid] += 1

    def free(self, pid: str, room: int = 1) -> bool:
        """Whether ``pid`` can take ``room`` more current posts without holding too many."""
        return self.posts[pid] + room <= self.std.max_posts_per_person

    def pick(self, items: list[Any], k: int) -> list[Any]:
        return self.rng.sample(items, min(k, len(items)))

    # --- build --------------------------------------------------------------------------------------------

    def build(self) -> None:
        self.areas()
        self.plan()
        self.allocate_counts()
        self.leadership()
        for street in self.streets:
            self.org(street.committee, OrgKind.STREET_COMMITTEE, f"{street.name}党工委", founded=date(2015, 1, 1))
            self.org_area(RelType.LEADS, street.committee, street.id)
            sec = self.person(street.district, party=True, employment=Employment.IN_SERVICE)
            self.post(sec, street.committee, Post.SECRETARY, self.date_between(date(2018, 1, 1), date(2023, 1, 1)))
        for community in self.communities:
            self.community(community)
        for compound in self.compounds:
            self.compound(compound)
        self.sunk_staff()
        self.property_management()
        self.appeals()
        self.volunteer_teams()
        self.warm_stations()
        self.units_and_pairings()
        self.registrations()

    def areas(self) -> None:
        rng, t = self.rng, self.t
        city_hh = 0
        n_comm = allocate(
            t.communities,
            [1] * 9,
            [t.communities] * 9,
            [d.d.weight for d in self.districts],
            rng,
        )
        n_cmp = allocate(t.compounds, n_comm, [t.compounds] * 9, [d.d.weight for d in self.districts], rng)
        residents = allocate(t.resident, [1] * 9, [t.resident] * 9, [d.d.resident for d in self.districts], rng)
        for d, r in zip(self.districts, residents, strict=True):
            d.resident = r
        urban = allocate(
            t.urban,
            [0] * 9,
            residents,
            [d.resident * d.d.urban_rate for d in self.districts],
            rng,
        )
        platform = allocate(t.platform, [0] * 9, [t.platform] * 9, urban, rng)
        used_streets: set[str] = set()
        for d, nc, nq, u, pf in zip(self.districts, n_comm, n_cmp, urban, platform, strict=True):
            d.urban = u
            n_streets = min(nc, max(1, round(len(d.d.streets) * math.sqrt(self.scale))))
            for i in range(n_streets):
                if i < len(d.d.streets):
                    code, sname = d.d.streets[i]
                else:
                    code, sname = f"s{i + 1:02d}", names.street_name(rng, used_streets)
                street = _Street(f"{d.id}-{code}", sname, d)
                d.streets.append(street)
                self.streets.append(street)
            per_street = allocate(nc, [1] * n_streets, [nc] * n_streets, [rng.uniform(0.6, 1.4) for _ in d.streets], rng)
            used_comm: set[str] = set()
            for street, k in zip(d.streets, per_street, strict=True):
                for j in range(k):
                    cm = _Community(f"{street.id}-c{j + 1:02d}", names.community_name(rng, used_comm), street)
                    street.communities.append(cm)
                    d.communities.append(cm)
                    self.communities.append(cm)
            per_comm = allocate(nq, [1] * nc, [nq] * nc, [rng.uniform(0.5, 1.5) for _ in d.communities], rng)
            for cm, k in zip(d.communities, per_comm, strict=True):
                used_cmp: set[str] = set()
                for j in range(k):
                    kind = self._kind()
                    cp = _Compound(f"{cm.id}-q{j + 1:02d}", names.compound_name(rng, kind, used_cmp), kind, cm)
                    cm.compounds.append(cp)
                    self.compounds.append(cp)
            d.platform = pf
        self._ensure_kinds()
        self._size_buildings()
        for d in self.districts:
            d_hh = 0
            for street in d.streets:
                s_hh = 0
                for cm in street.communities:
                    cm.hh = 0
                    for cp in cm.compounds:
                        cp.hh = sum(cp.bhh)
                        cm.hh += cp.hh
                    s_hh += cm.hh
                    self.node(A, cm.id, level=AreaLevel.COMMUNITY.value, name=cm.name, households=cm.hh)
                    self.rel(RelType.PART_OF.value, cm.id, A, street.id, A)
                self.node(A, street.id, level=AreaLevel.STREET.value, name=street.name, households=s_hh)
                self.rel(RelType.PART_OF.value, street.id, A, d.id, A)
                d_hh += s_hh
            self.node(
                A,
                d.id,
                level=AreaLevel.DISTRICT.value,
                name=d.d.name,
                code=d.d.region,
                resident_population=d.resident,
                urban_population=d.urban,
                platform_people_served=d.platform,
                households=d_hh,
            )
            self.rel(RelType.PART_OF.value, d.id, A, "hz", A)
            city_hh += d_hh
        self.node(
            A,
            "hz",
            level=AreaLevel.CITY.value,
            name="菏泽市",
            code="371700",
            resident_population=t.resident,
            urban_population=t.urban,
            platform_people_served=t.platform,
            households=city_hh,
        )

    def _kind(self) -> str:
        x = self.rng.random()
        return "commercial" if x < 0.58 else "old" if x < 0.85 else "resettlement" if x < 0.93 else "unit"

    def _ensure_kinds(self) -> None:
        """Enough old compounds and resettlement areas for the state-fallback figures, with slack."""
        rng = self.rng
        for kind, need in (("old", self.t.sf_old + 2), ("resettlement", self.t.sf_resettlement + 1)):
            have = [c for c in self.compounds if c.kind == kind]
            others = [c for c in self.compounds if c.kind in ("commercial", "unit")]
            rng.shuffle(others)
            for c in others[: max(0, need - len(have))]:
                c.kind = kind

    def _size_buildings(self) -> None:
        rng = self.rng
        for c in self.compounds:
            lo, hi = _BUILDINGS[c.kind]
            c.nb = rng.randint(lo, hi)
        # Enough buildings that the building leaders fit with the thresholds (about 85% of buildings led).
        missing = math.ceil(self.t.leaders / 0.8) - sum(c.nb for c in self.compounds)
        for _ in range(max(0, missing)):
            rng.choice(self.compounds).nb += 1
        for c in self.compounds:
            lo, hi = _HH_PER_BUILDING[c.kind]
            c.bhh = [rng.randint(lo, hi) for _ in range(c.nb)]
            c.buildings = [f"{c.id}-b{i + 1:02d}" for i in range(c.nb)]

    # --- planting ---------------------------------------------------------------------------------------

    def plan(self) -> None:
        rng, t, cps = self.rng, self.t, self.compounds
        comms = list(self.communities)
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
        for cm in self.communities:
            for c in cm.compounds:
                if "no_pairing" in cm.gaps:
                    c.gaps.add(G.NO_PAIRING.value)
                if "no_registered" in cm.gaps:
                    c.gaps.add(G.NO_REGISTERED_MEMBERS.value)
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
            c.gaps.add(G.FIVE_HAVES_MISSING.value)
        non_five = rest[n_five:]
        for c in non_five:
            x = rng.random()
            if x < 0.12:
                c.branch = False
                c.gaps.add(G.NO_BRANCH.value)
            elif x < 0.30:
                c.oc = False
                c.gaps.add(G.NO_OWNERS_COMMITTEE.value)
            else:
                c.fail = rng.choice(("branch", "oc"))
        n_nostation = len(cps) - t.station_covered
        for c in rng.sample(rest, min(n_nostation, len(rest))):
            c.station = False
            c.gaps.add(G.NO_STATION.value)
        others = [
            G.BUILDINGS_WITHOUT_GROUP,
            G.BUILDINGS_WITHOUT_LEADER,
            G.FEW_CENTRAL_HOUSEHOLDS,
            G.NO_PROPERTY_MANAGEMENT,
            G.NO_SUNK_STAFF,
            G.NO_CROSS_APPOINTMENT,
        ]
        for c in rest:
            if not c.gaps:
                c.gaps.add(rng.choice(others).value)
            for gap in others:
                if rng.random() < 0.06:
                    c.gaps.add(gap.value)
        for c in rest:
            if c.sf:
                c.gaps.discard(G.NO_PROPERTY_MANAGEMENT.value)
                if not c.gaps:
                    c.gaps.add(G.NO_SUNK_STAFF.value)
        # Cross-appointments: at most ``cross`` compounds can have one, at least a third of it must.
        eligible = [c for c in cps if c.branch and c.oc and G.NO_CROSS_APPOINTMENT.value not in c.gaps]
        k_max = min(t.cross, round(0.62 * len(cps)))
        extra = [c for c in eligible if not c.healthy]
        rng.shuffle(extra)
        for c in extra[: max(0, len(eligible) - k_max)]:
            c.gaps.add(G.NO_CROSS_APPOINTMENT.value)
        # Weak branches: only outside the healthy compounds, so that a healthy compound has a healthy branch.
        with_branch = [c for c in rest if c.branch]
        rates = {
            W.SECRETARY_VACANT: 0.07,
            W.FEW_MEMBERS: 0.05,
            W.NO_COMMITTEE: 0.05,
            W.ONE_PERSON_DEPENDENCE: 0.03,
            W.BROKEN_CHAIN: 0.02,
            W.STAFF_FLAG: 0.03,
            W.UNRESOLVED_APPEALS: 0.05,
            W.FEW_REGISTERED: 0.04,
        }
        for factor, rate in rates.items():
            for c in self.pick(with_branch, max(1, round(rate * len(with_branch)))):
                c.weak.add(factor.value)
        for c in with_branch:
            if W.ONE_PERSON_DEPENDENCE.value in c.weak:
                c.weak.discard(W.SECRETARY_VACANT.value)  # the overloaded person is the sitting secretary

    def allocate_counts(self) -> None:
        rng, t, cps = self.rng, self.t, self.compounds
        gap = G
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
                floor_ = math.floor(self.std.min_central_households_per_100 / 100 * c.hh) + 1
                lows.append(floor_)
                highs.append(max(floor_, math.ceil(0.07 * c.hh)))
        for c, n in zip(cps, allocate(t.central_households, lows, highs, [c.hh for c in cps], rng), strict=True):
            c.ch = n
        # Branch members, then the cross-appointed among them (members who also sit on the OC; a planted hub
        # holds too many posts to take one more).
        for c in cps:
            if not c.branch:
                continue
            if W.FEW_MEMBERS.value in c.weak:
                c.m = rng.randint(1, 2)
            elif W.NO_COMMITTEE.value in c.weak:
                c.m = rng.randint(3, 6)
            else:
                c.m = max(7, min(60, round(c.hh / 25 * rng.uniform(0.7, 1.3))))
            if W.ONE_PERSON_DEPENDENCE.value in c.weak and c.m == 1:
                c.m = 2  # the hub and one member who can sit on the OC
        cross = [c for c in cps if c.branch and c.oc and gap.NO_CROSS_APPOINTMENT.value not in c.gaps]
        lows = [1] * len(cross)
        highs = [min(3, c.m - (1 if W.ONE_PERSON_DEPENDENCE.value in c.weak else 0)) for c in cross]
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
        lows = [0 if W.FEW_REGISTERED.value in c.weak else 1 for c in branches]
        highs = [0 if W.FEW_REGISTERED.value in c.weak else 12 for c in branches]
        for c, n in zip(branches, allocate(t.claimed, lows, highs, [c.hh for c in branches], rng), strict=True):
            c.claimed = n

    # --- leadership, communities, compounds -----------------------------------------------------------------

    def leadership(self) -> None:
        groups = [("hz-lg", "hz", "菏泽市", self.districts[0])] + [(d.lg, d.id, d.d.name, d) for d in self.districts]
        topics = list(WorkingGroupTopic)
        for lg, area, place, d in groups:
            self.org(lg, OrgKind.LEADERSHIP_GROUP, f"{place}基层党建引领基层治理工作领导小组", founded=date(2021, 3, 1))
            self.org_area(RelType.LEADS, lg, area)
            head = self.person(d, party=True, employment=Employment.IN_SERVICE)
            self.post(head, lg, Post.LEADER, date(2021, 3, 1))
            for i, topic in enumerate(topics, start=1):
                wg = f"{lg}-wg{i}"
                self.org(
                    wg, OrgKind.WORKING_GROUP, f"{place}{topic.label}专项工作组", topic=topic.value, founded=date(2021, 3, 1)
                )
                self.sub(wg, lg)
                lead = self.person(d, party=True, employment=Employment.IN_SERVICE)
                self.post(lead, wg, Post.LEADER, date(2021, 4, 1))

    def community(self, cm: _Community) -> None:
        d = cm.street.district
        self.org(
            cm.cc, OrgKind.COMMUNITY_COMMITTEE, f"{cm.name}党委", founded=date(2016, 1, 1), has_plaque=True, five_haves=ALL_FIVE
        )
        self.org_area(RelType.LEADS, cm.cc, cm.id)
        self.sub(cm.cc, cm.street.committee)
        self.org(cm.centre, OrgKind.SERVICE_CENTER, f"{cm.name}党群服务中心", founded=date(2019, 7, 1))
        self.org_area(RelType.SERVES, cm.centre, cm.id)
        self.sub(cm.centre, cm.cc)
        sec = self.person(d, party=True, employment=Employment.IN_SERVICE)
        self.post(sec, cm.cc, Post.SECRETARY, self.date_between(date(2018, 1, 1), date(2022, 12, 31)))
        for _ in range(self.rng.randint(1, 2)):
            cadre = self.person(d, party=True, employment=Employment.IN_SERVICE)
            self.post(cadre, cm.cc, Post.RESERVE_CADRE, self.date_between(date(2022, 1, 1), date(2024, 12, 31)))
        covered = [c for c in cm.compounds if c.station]
        k = i = 0
        while i < len(covered):
            k += 1
            take = covered[i : i + self.rng.randint(1, 3)]
            i += len(take)
            st = f"{cm.id}-st{k:02d}"
            self.org(
                st,
                OrgKind.SERVICE_STATION,
                f"{cm.name}第{k}网格党群服务站",
                founded=self.date_between(date(2020, 1, 1), date(2023, 12, 31)),
            )
            self.sub(st, cm.centre)
            for c in take:
                self.org_area(RelType.SERVES, st, c.id)

    def _home(self, c: _Compound, i: int | None = None) -> tuple[str, str]:
        """A building of ``c`` and a fictitious street address in it."""
        rng = self.rng
        i = rng.randrange(c.nb) if i is None else i
        cm = c.community
        addr = (
            f"菏泽市{cm.street.district.d.name}{cm.street.name}{cm.name}{c.name}{i + 1}号楼"
            f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
        )
        return c.buildings[i], addr

    def resident(self, c: _Compound, *, party: bool, employment: Employment, i: int | None = None) -> str:
        home, addr = self._home(c, i)
        return self.person(c.community.street.district, party=party, employment=employment, home=home, address=addr)

    def _employment(self) -> Employment:
        x = self.rng.random()
        return Employment.RETIRED if x < 0.45 else Employment.IN_SERVICE if x < 0.82 else Employment.OTHER

    def compound(self, c: _Compound) -> None:
        rng = self.rng
        cm = c.community
        self.node(A, c.id, level=AreaLevel.COMPOUND.value, name=c.name, compound_kind=c.kind, households=c.hh, code=None)
        self.rel(RelType.PART_OF.value, c.id, A, cm.id, A)
        for i, (bid, hh) in enumerate(zip(c.buildings, c.bhh, strict=True)):
            self.node(A, bid, level=AreaLevel.BUILDING.value, name=f"{i + 1}号楼", households=hh)
            self.rel(RelType.PART_OF.value, bid, A, c.id, A)
        leader_org = c.branch_id if c.branch else cm.cc
        if c.branch:
            self._branch(c)
        if c.oc:
            self._owners_committee(c)
        ch_heads: dict[int, str] = {}
        if c.branch:
            ch_heads = self._groups_and_households(c)
        led = rng.sample(range(c.nb), c.leaders)
        for i in led:
            head = ch_heads.get(i)
            if head is not None and rng.random() < 0.5 and self.free(head):
                pid = head
            else:
                pid = self.resident(c, party=rng.random() < 0.4, employment=self._employment(), i=i)
            self.post(pid, leader_org, Post.BUILDING_LEADER, self.date_between(date(2021, 6, 1), date(2024, 12, 31)))
        if c.branch:
            self._projects(c)

    def _branch(self, c: _Compound) -> None:
        rng, cm = self.rng, c.community
        weak = c.weak
        founded = self.date_between(date(2019, 1, 1), date(2023, 6, 30))
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
        if W.STAFF_FLAG.value in weak:
            flags = rng.sample(STAFF_FLAGS, rng.randint(1, 2))
            evidence = "街道党工委2024年度排查记录"
        self.org(
            c.branch_id,
            OrgKind.COMPOUND_BRANCH,
            f"{c.name}党支部",
            founded=founded,
            has_plaque=plaque,
            five_haves=five,
            flags=flags,
            flag_evidence=evidence,
        )
        self.org_area(RelType.LEADS, c.branch_id, c.id)
        if W.BROKEN_CHAIN.value not in weak:
            self.sub(c.branch_id, cm.cc)
        m = c.m
        vacant = W.SECRETARY_VACANT.value in weak
        committee = 0 if (W.NO_COMMITTEE.value in weak or m < 3) else min(m - 1, rng.randint(2, 4))
        members = []
        start_lo = founded
        for j in range(m):
            pid = self.resident(c, party=True, employment=self._employment())
            members.append(pid)
            start = self.date_between(start_lo, date(2024, 12, 31))
            if j == 0 and not vacant:
                self.post(pid, c.branch_id, Post.SECRETARY, start)
            elif 1 <= j <= committee:
                role = Post.DEPUTY_SECRETARY if j == 1 and rng.random() < 0.3 else Post.COMMITTEE_MEMBER
                self.post(pid, c.branch_id, role, start)
            else:
                self.post(pid, c.branch_id, Post.MEMBER, start)
        c.members = members
        # History: a former secretary, whose post ended long before AS_OF when the post is now vacant.
        # (A vacant branch without one never had a secretary: the vacancy runs from its founding.)
        if (vacant and rng.random() < 0.65) or (not vacant and rng.random() < 0.25):
            former = self.resident(c, party=True, employment=Employment.RETIRED)
            start = self.date_between(founded, founded + timedelta(days=200))
            end_hi = AS_OF - timedelta(days=180) if vacant else AS_OF - timedelta(days=30)
            self.post(former, c.branch_id, Post.SECRETARY, start, self.date_between(start + timedelta(days=30), end_hi))
        if W.ONE_PERSON_DEPENDENCE.value in weak:
            hub = members[0]
            for post in (Post.RESERVE_CADRE, Post.PUBLIC_WELFARE, Post.GRID_WORKER):
                self.post(
                    hub,
                    cm.cc,
                    post,
                    self.date_between(date(2023, 1, 1), date(2024, 12, 31)),
                    full_time=True if post is Post.GRID_WORKER else None,
                )
            self.post(hub, cm.centre, Post.STAFF, self.date_between(date(2023, 1, 1), date(2024, 12, 31)))

    def _owners_committee(self, c: _Compound) -> None:
        rng = self.rng
        plaque, five = True, list(ALL_FIVE)
        if not c.five_ok and (not c.branch or c.fail == "oc"):
            if rng.random() < 0.5:
                plaque = False
            else:
                five = sorted(set(ALL_FIVE) - set(rng.sample(ALL_FIVE, rng.randint(1, 3))), key=ALL_FIVE.index)
        self.org(
            c.oc_id,
            OrgKind.OWNERS_COMMITTEE,
            f"{c.name}业主委员会",
            founded=self.date_between(date(2019, 1, 1), date(2023, 12, 31)),
            has_plaque=plaque,
            five_haves=five,
        )
        self.org_area(RelType.LOCATED_IN, c.oc_id, c.id)
        if c.branch:
            self.sub(c.oc_id, c.branch_id)
        size = rng.randint(5, 7)
        seats: list[str] = []
        candidates = [p for p in c.members if self.free(p)]
        mature = c.cross > 0 and rng.random() < 0.4 and candidates and W.SECRETARY_VACANT.value not in c.weak
        if c.cross:
            chosen = candidates[: c.cross] if mature else self.pick(candidates[1:] or candidates, c.cross)
            if len(chosen) < c.cross:  # not enough members with room: accept the secretary too
                chosen = (chosen + [p for p in candidates if p not in chosen])[: c.cross]
            seats.extend(chosen)
        while len(seats) < size:
            seats.append(self.resident(c, party=rng.random() < 0.3, employment=self._employment()))
        director_index = 0 if mature else (len(seats) - 1 if c.cross else 0)
        for j, pid in enumerate(seats):
            post = Post.OC_DIRECTOR if j == director_index else Post.OC_MEMBER
            self.post(pid, c.oc_id, post, self.date_between(date(2021, 1, 1), date(2024, 12, 31)))
        # History: a branch member whose OC seat ended, in a compound that now has no cross-appointment.
        if not c.cross and c.members and rng.random() < 0.4:
            pid = c.members[-1]
            start = self.date_between(date(2019, 6, 1), date(2021, 6, 1))
            self.post(pid, c.oc_id, Post.OC_MEMBER, start, self.date_between(start + timedelta(days=60), date(2024, 6, 30)))

    def _groups_and_households(self, c: _Compound) -> dict[int, str]:
        rng = self.rng
        order = list(range(c.nb))
        rng.shuffle(order)
        covered = order[: c.covered]
        group_of: dict[int, str] = {}
        if c.groups:
            cuts = sorted(rng.sample(range(1, c.covered), c.groups - 1)) if c.groups > 1 else []
            bounds = [0, *cuts, c.covered]
            leaders = [p for p in c.members if self.free(p)]
            for j in range(c.groups):
                gid = f"{c.id}-bg{j + 1:02d}"
                self.org(
                    gid,
                    OrgKind.BUILDING_GROUP,
                    f"{c.name}第{j + 1}党小组",
                    founded=self.date_between(date(2020, 1, 1), date(2024, 6, 30)),
                )
                self.sub(gid, c.branch_id)
                for i in covered[bounds[j] : bounds[j + 1]]:
                    self.org_area(RelType.COVERS, gid, c.buildings[i])
                    group_of[i] = gid
                if leaders:
                    pid = leaders[j % len(leaders)]
                    if self.free(pid):
                        self.post(pid, gid, Post.GROUP_LEADER, self.date_between(date(2021, 1, 1), date(2024, 12, 31)))
        heads: dict[int, str] = {}
        for k in range(c.ch):
            i = covered[k % len(covered)] if covered and rng.random() < 0.8 else rng.randrange(c.nb)
            chid = f"{c.buildings[i]}-ch{k + 1:02d}"
            self.org(
                chid,
                OrgKind.CENTRAL_HOUSEHOLD,
                f"{c.name}{i + 1}号楼党员中心户",
                households_served=rng.randint(5, 15),
                founded=self.date_between(date(2021, 1, 1), date(2024, 12, 31)),
            )
            self.sub(chid, group_of.get(i, c.branch_id))
            self.org_area(RelType.LOCATED_IN, chid, c.buildings[i])
            head = self.resident(c, party=True, employment=self._employment(), i=i)
            self.post(head, chid, Post.HOUSEHOLD_HEAD, self.date_between(date(2021, 1, 1), date(2024, 12, 31)))
            heads.setdefault(i, head)
        return heads

    def _projects(self, c: _Compound) -> None:
        rng = self.rng
        n = c.claimed + rng.randint(0, 2)
        for k in range(n):
            pj = f"{c.id}-pj{k + 1:02d}"
            need = rng.choice(names.NEEDS)
            created = self.date_between(date(2022, 1, 1), date(2025, 3, 31))
            self.node(PR, pj, kind=ProjectKind.VOLUNTEER.value, name=f"{c.name}{need}", need=need, created=created)
            self.rel(RelType.LISTED_BY.value, pj, PR, c.branch_id, O)
            if k < c.claimed:
                for pid in self.pick(c.members, 1 if rng.random() < 0.7 else 2):
                    self.rel(RelType.CLAIMED.value, pid, P, pj, PR, claimed_on=self.date_between(created, AS_OF))

    # --- community-wide pieces ----------------------------------------------------------------------------

    def sunk_staff(self) -> None:
        rng, t = self.rng, self.t
        n_ftw = round(t.sunk_staff * 0.55)
        n_gw = round(t.sunk_staff * 0.30)
        roles = (
            [SunkRole.TWO_COMMITTEES_MEMBER] * t.sunk_two_committees
            + [SunkRole.FULL_TIME_WORKER] * n_ftw
            + [SunkRole.GRID_WORKER] * n_gw
            + [SunkRole.PUBLIC_WELFARE] * (t.sunk_staff - n_ftw - n_gw)
        )
        rng.shuffle(roles)
        it = iter(roles)
        need: dict[str, dict[SunkRole, list[str]]] = {}
        for c in self.compounds:
            per = need.setdefault(c.community.id, {r: [] for r in SunkRole})
            for _ in range(c.sunk):
                per[next(it)].append(c.id)
        # Community workers: the published ratio city-wide, at least the sunk ones plus 3 kept at the centre.
        lows = [len(need[cm.id][SunkRole.FULL_TIME_WORKER]) + 3 for cm in self.communities]
        highs = [t.community_workers] * len(lows)
        workers = allocate(t.community_workers, lows, highs, [cm.hh + 1 for cm in self.communities], rng)
        post_of = {
            SunkRole.TWO_COMMITTEES_MEMBER: Post.TWO_COMMITTEES_MEMBER,
            SunkRole.FULL_TIME_WORKER: Post.COMMUNITY_WORKER,
            SunkRole.GRID_WORKER: Post.GRID_WORKER,
            SunkRole.PUBLIC_WELFARE: Post.PUBLIC_WELFARE,
        }
        for cm, n_workers in zip(self.communities, workers, strict=True):
            d = cm.street.district
            per = need[cm.id]
            keep = {
                SunkRole.TWO_COMMITTEES_MEMBER: rng.randint(3, 5),
                SunkRole.FULL_TIME_WORKER: n_workers - len(per[SunkRole.FULL_TIME_WORKER]),
                SunkRole.GRID_WORKER: rng.randint(1, 2),
                SunkRole.PUBLIC_WELFARE: rng.randint(0, 1),
            }
            for role, targets in per.items():
                post = post_of[role]
                for j in range(len(targets) + keep[role]):
                    pid = self.person(
                        d, party=role is SunkRole.TWO_COMMITTEES_MEMBER or rng.random() < 0.5, employment=Employment.IN_SERVICE
                    )
                    start = self.date_between(date(2019, 1, 1), date(2024, 12, 31))
                    full_time = True if post in (Post.GRID_WORKER, Post.COMMUNITY_WORKER) else None
                    self.post(pid, cm.cc, post, start, full_time=full_time)
                    if role is SunkRole.GRID_WORKER:
                        cm.grid_workers.append(pid)
                    if j < len(targets):
                        self.rel(
                            RelType.SUNK_TO.value,
                            pid,
                            P,
                            targets[j],
                            A,
                            role=role.value,
                            start_date=self.date_between(max(start, date(2022, 1, 1)), date(2025, 3, 31)),
                        )
                    elif rng.random() < 0.05 and cm.compounds:
                        # History: sunk once, back at the centre now.
                        s = self.date_between(date(2020, 1, 1), date(2022, 6, 30))
                        self.rel(
                            RelType.SUNK_TO.value,
                            pid,
                            P,
                            rng.choice(cm.compounds).id,
                            A,
                            role=role.value,
                            start_date=s,
                            end_date=self.date_between(s + timedelta(days=90), date(2024, 6, 30)),
                        )

    def property_management(self) -> None:
        rng = self.rng
        market = [f"hz-pm-{k + 1:03d}" for k in range(max(3, round(60 * self.scale)))]
        purchased = [f"hz-pg-{k + 1:03d}" for k in range(max(1, round(8 * self.scale)))]
        for k, pm in enumerate(market):
            self.org(
                pm,
                OrgKind.PROPERTY_COMPANY,
                f"菏泽{rng.choice(names.PROPERTY_WORDS)}物业服务有限公司{k + 1}号",
                founded=date(2010 + k % 10, 1, 1),
            )
        for k, pm in enumerate(purchased):
            self.org(
                pm,
                OrgKind.PROPERTY_COMPANY,
                f"菏泽{rng.choice(names.PROPERTY_WORDS)}城市服务有限公司{k + 1}号",
                founded=date(2016, 1, 1),
            )
        state: dict[str, str] = {}

        def state_company(c: _Compound) -> str:
            street, d = c.community.street, c.community.street.district
            key = street.id if rng.random() < 0.6 else d.id
            if key not in state:
                oid = f"{key}-pms"
                name = f"{street.name}国有物业服务有限公司" if key == street.id else f"{d.d.name}城投物业管理有限公司"
                self.org(oid, OrgKind.PROPERTY_COMPANY, name, founded=date(2021, 1, 1))
                self.org_area(RelType.LOCATED_IN, oid, key)
                state[key] = oid
            return state[key]

        for c in self.compounds:
            start = self.date_between(date(2020, 1, 1), date(2024, 6, 30))
            if rng.random() < 0.25 or (G.NO_PROPERTY_MANAGEMENT.value in c.gaps and rng.random() < 0.5):
                s0 = self.date_between(date(2014, 1, 1), date(2019, 6, 30))
                end = (
                    start - timedelta(days=1)
                    if G.NO_PROPERTY_MANAGEMENT.value not in c.gaps
                    else self.date_between(s0 + timedelta(days=200), date(2024, 6, 30))
                )
                self.org_area(
                    RelType.MANAGES,
                    rng.choice(market),
                    c.id,
                    mode=PropertyMode.MARKET.value,
                    start_date=s0,
                    end_date=end,
                    fee_collection_rate=round(rng.uniform(0.4, 0.7), 3),
                )
            if G.NO_PROPERTY_MANAGEMENT.value in c.gaps:
                continue
            if c.sf:
                company, mode = state_company(c), PropertyMode.STATE_FALLBACK
                rate, first = round(rng.uniform(0.9, 0.99), 3), rng.random() < 0.85
            elif c.kind == "resettlement" or (c.kind == "old" and rng.random() < 0.5):
                company, mode = rng.choice(purchased), PropertyMode.GOVERNMENT_PURCHASED
                rate, first = round(rng.uniform(0.7, 0.95), 3), False
            else:
                company, mode = rng.choice(market), PropertyMode.MARKET
                rate, first = round(rng.uniform(0.6, 0.97), 3), False
            self.org_area(
                RelType.MANAGES,
                company,
                c.id,
                rid=f"{company}:MANAGES:{c.id}:{start.isoformat()}",
                mode=mode.value,
                start_date=start,
                fee_collection_rate=rate,
                serve_first=first,
            )

    def appeals(self) -> None:
        rng, t = self.rng, self.t
        cap = min(3, self.std.max_unresolved_appeals)
        open_count: dict[str, int] = {}
        seq: dict[str, int] = {}

        def appeal(c: _Compound, collector: str, status: AppealStatus) -> None:
            seq[c.id] = seq.get(c.id, 0) + 1
            aid = f"{c.id}-ap{seq[c.id]:03d}"
            received = self.date_between(date(2023, 1, 1), AS_OF - timedelta(days=7))
            resolved = (
                self.date_between(received, min(AS_OF, received + timedelta(days=40)))
                if status is AppealStatus.RESOLVED
                else None
            )
            topic = rng.choice(names.APPEAL_TOPICS)
            self.node(AP, aid, summary=f"{c.name}{topic}", received=received, status=status.value, resolved=resolved)
            self.rel(RelType.COLLECTED.value, collector, P, aid, AP)
            self.rel(RelType.CONCERNS.value, aid, AP, c.id, A)
            if status is AppealStatus.OPEN:
                open_count[c.id] = open_count.get(c.id, 0) + 1

        def status_for(c: _Compound) -> AppealStatus:
            if rng.random() < 0.12 and open_count.get(c.id, 0) < cap:
                return AppealStatus.OPEN
            return AppealStatus.RESOLVED

        # Riders (Party members of the new employment groups) serving as part-time grid workers.
        per_comm = allocate(
            t.riders, [0] * len(self.communities), [3] * len(self.communities), [cm.hh for cm in self.communities], rng
        )
        riders: list[tuple[str, _Community]] = []
        for cm, n in zip(self.communities, per_comm, strict=True):
            for _ in range(n):
                pid = self.person(cm.street.district, party=True, employment=Employment.NEW_EMPLOYMENT)
                self.post(pid, cm.cc, Post.GRID_WORKER, self.date_between(date(2022, 6, 1), date(2024, 12, 31)), full_time=False)
                riders.append((pid, cm))
            for _ in range(rng.randint(0, 1)):  # riders who are not grid workers
                self.person(cm.street.district, party=rng.random() < 0.3, employment=Employment.NEW_EMPLOYMENT)
        if riders:
            per_rider = allocate(t.rider_appeals, [1] * len(riders), [60] * len(riders), [1.0] * len(riders), rng)
            for (pid, cm), n in zip(riders, per_rider, strict=True):
                for _ in range(n):
                    c = rng.choice(cm.compounds)
                    appeal(c, pid, status_for(c))
        for c in self.compounds:
            workers = c.community.grid_workers
            for _ in range(rng.randint(0, 3)):
                appeal(c, rng.choice(workers), status_for(c))
            if W.UNRESOLVED_APPEALS.value in c.weak:
                for _ in range(self.std.max_unresolved_appeals + 1 - open_count.get(c.id, 0) + rng.randint(0, 3)):
                    appeal(c, rng.choice(workers), AppealStatus.OPEN)

    def volunteer_teams(self) -> None:
        rng, t = self.rng, self.t
        if not t.teams:
            return
        per_comm = allocate(
            t.teams, [0] * len(self.communities), [6] * len(self.communities), [cm.hh for cm in self.communities], rng
        )
        solved = allocate(t.problems, [1] * t.teams, [80] * t.teams, [rng.uniform(0.3, 1.7) for _ in range(t.teams)], rng)
        k = 0
        for cm, n in zip(self.communities, per_comm, strict=True):
            for j in range(n):
                vt = f"{cm.id}-vt{j + 1:02d}"
                branches = [c for c in cm.compounds if c.branch]
                under = rng.choice(branches) if branches and rng.random() < 0.4 else None
                name = rng.choice(names.VOLUNTEER_TEAM_NAMES)
                self.org(
                    vt,
                    OrgKind.VOLUNTEER_TEAM,
                    f"{(under.name if under else cm.name)}“{name}”志愿服务队",
                    problems_solved=solved[k],
                    founded=self.date_between(date(2019, 1, 1), date(2024, 6, 30)),
                )
                k += 1
                self.sub(vt, under.branch_id if under else cm.cc)
                self.org_area(RelType.LOCATED_IN, vt, under.id if under else cm.id)
                pool = [p for c in cm.compounds for p in c.members if self.free(p)]
                for pid in self.pick(pool, rng.randint(2, 5)):
                    self.post(pid, vt, Post.VOLUNTEER, self.date_between(date(2021, 1, 1), date(2024, 12, 31)))

    def warm_stations(self) -> None:
        rng, t = self.rng, self.t
        per_street = allocate(
            t.warm, [0] * len(self.streets), [t.warm] * len(self.streets), [len(s.communities) for s in self.streets], rng
        )
        for street, n in zip(self.streets, per_street, strict=True):
            for j in range(n):
                ws = f"{street.id}-ws{j + 1:02d}"
                cm = rng.choice(street.communities)
                self.org(
                    ws,
                    OrgKind.WARM_STATION,
                    f"{cm.name}“暖心驿站”{j + 1}号",
                    founded=self.date_between(date(2022, 1, 1), date(2024, 12, 31)),
                )
                self.sub(ws, street.committee)
                self.org_area(RelType.LOCATED_IN, ws, cm.id)

    def units_and_pairings(self) -> None:
        rng = self.rng
        n_units = max(9, round(320 * self.scale))
        per_district = allocate(n_units, [1] * 9, [n_units] * 9, [len(d.communities) for d in self.districts], rng)
        kinds = [
            (UnitType.AGENCY, 0.35, ("局", "委员会", "中心", "服务中心")),
            (UnitType.STATE_ENTERPRISE, 0.15, ("城投集团", "供电公司", "水务集团", "交通集团")),
            (UnitType.SCHOOL, 0.20, ("实验小学", "第一中学", "第二中学", "实验中学")),
            (UnitType.PRIVATE_FIRM, 0.20, ("科技有限公司", "商贸有限公司", "食品有限公司", "医药有限公司")),
            (UnitType.SOCIAL_ORGANIZATION, 0.10, ("社会工作服务中心", "志愿者协会", "商会", "慈善协会")),
        ]
        units: dict[str, list[list[Any]]] = {}
        words = "市场监管 自然资源 住房城乡建设 人力资源 卫生健康 教育 交通运输 民政 财政 税务 文化旅游 农业农村"
        words_list = words.split(" ")
        for d, n in zip(self.districts, per_district, strict=True):
            for k in range(n):
                uid = f"{d.id}-u{k + 1:03d}"
                x, acc = rng.random(), 0.0
                utype, suffixes = kinds[-1][0], kinds[-1][2]
                for ut, share, sfx in kinds:
                    acc += share
                    if x < acc:
                        utype, suffixes = ut, sfx
                        break
                word = rng.choice(words_list) if utype is UnitType.AGENCY else rng.choice(names.PROPERTY_WORDS)
                uname = f"{d.d.name}{word}{rng.choice(suffixes)}"
                self.org(uid, OrgKind.UNIT, uname, unit_type=utype.value, founded=date(2000 + k % 20, 1, 1))
                self.org_area(RelType.LOCATED_IN, uid, d.id)
                po = f"{uid}-po"
                cap = rng.randint(1, 3)
                self.org(
                    po,
                    OrgKind.UNIT_PARTY_ORG,
                    f"{uname}党支部",
                    unit_type=utype.value,
                    capacity=cap,
                    founded=date(2000 + k % 20, 7, 1),
                )
                self.sub(po, uid)
                units.setdefault(d.id, []).append([po, cap, 0])
                cm = rng.choice(d.communities)
                self.rel(
                    RelType.REGISTERED_WITH.value,
                    po,
                    O,
                    cm.cc,
                    O,
                    start_date=self.date_between(date(2021, 1, 1), date(2024, 6, 30)),
                )
        everyone = [u for us in units.values() for u in us]
        for cm in self.communities:
            d = cm.street.district
            paired: set[str] = set()
            if "no_pairing" not in cm.gaps:
                for _ in range(2 if rng.random() < 0.35 else 1):
                    spare = [u for u in units.get(d.id, []) if u[2] < u[1] and u[0] not in paired] or [
                        u for u in everyone if u[2] < u[1] and u[0] not in paired
                    ]
                    if not spare:
                        break
                    u = rng.choice(spare)
                    u[2] += 1
                    paired.add(u[0])
                    self.rel(
                        RelType.PAIRED_WITH.value,
                        u[0],
                        O,
                        cm.cc,
                        O,
                        start_date=self.date_between(date(2021, 1, 1), date(2024, 12, 31)),
                        projects=rng.sample(names.PAIRING_PROJECTS, rng.randint(1, 3)),
                        resources="、".join(rng.sample(names.PAIRING_RESOURCES, 2)),
                    )
            if rng.random() < (0.6 if "no_pairing" in cm.gaps else 0.2):
                old = [u for u in everyone if u[0] not in paired]
                if old:
                    u = rng.choice(old)
                    s = self.date_between(date(2018, 1, 1), date(2020, 12, 31))
                    self.rel(
                        RelType.PAIRED_WITH.value,
                        u[0],
                        O,
                        cm.cc,
                        O,
                        start_date=s,
                        end_date=self.date_between(s + timedelta(days=365), date(2024, 6, 30)),
                        projects=rng.sample(names.PAIRING_PROJECTS, 1),
                        resources=rng.choice(names.PAIRING_RESOURCES),
                    )

    def registrations(self) -> None:
        """Dual check-in of in-service members with the community where they live."""
        rng = self.rng
        threshold = self.std.min_registered_per_100_households / 100
        in_service = {p for c in self.compounds for p in c.members}
        employment = {
            r.id: r.props.get("employment")
            for r in self.records
            if isinstance(r, NodeRecord) and r.label == P and r.id in in_service
        }
        for cm in self.communities:
            pool = [p for c in cm.compounds for p in c.members if employment.get(p) == Employment.IN_SERVICE.value]
            if "no_registered" in cm.gaps:
                n = 0
                for pid in self.pick(pool, rng.randint(0, 2)):  # history: checked in once, left since
                    s = self.date_between(date(2020, 1, 1), date(2022, 12, 31))
                    self.rel(
                        RelType.REGISTERED_WITH.value,
                        pid,
                        P,
                        cm.cc,
                        O,
                        start_date=s,
                        end_date=self.date_between(s + timedelta(days=90), date(2024, 12, 31)),
                    )
            elif "few_registered" in cm.gaps:
                n = max(1, math.ceil(threshold * cm.hh) - 2)
            else:
                n = math.floor(threshold * cm.hh) + 1 + rng.randint(0, 6)
            chosen = self.pick(pool, n)
            while len(chosen) < n:
                c = rng.choice(cm.compounds)
                chosen.append(self.resident(c, party=True, employment=Employment.IN_SERVICE))
            for pid in chosen:
                self.rel(
                    RelType.REGISTERED_WITH.value,
                    pid,
                    P,
                    cm.cc,
                    O,
                    start_date=self.date_between(date(2021, 1, 1), date(2025, 3, 31)),
                )


def generate(scale: float = 1.0, seed: int = 7, standards: Standards = DEFAULT_STANDARDS) -> HezeDataset:
    """The Heze demo city at ``scale`` (1 reproduces the published figures) from random ``seed``.

    The same (scale, seed) always gives the same records in the same order.
    """
    from graph_service.seed.truth import evaluate

    # Millions of small long-lived objects and no cycles: the cyclic collector would rescan them over and over.
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder(scale, seed, standards)
        builder.build()
        truth = evaluate(builder.records, AS_OF, standards)
    finally:
        if enabled:
            gc.enable()
    truth["scale"] = scale
    truth["seed"] = seed
    truth["as_of"] = AS_OF.isoformat()
    truth["intended"] = {
        "compound_gaps": {c.id: sorted(c.gaps) for c in builder.compounds if c.gaps},
        "branch_factors": {c.branch_id: sorted(c.weak) for c in builder.compounds if c.branch and c.weak},
        "healthy_compounds": sorted(c.id for c in builder.compounds if c.healthy),
    }
    return HezeDataset(scale=scale, seed=seed, records=builder.records, ground_truth=truth)
