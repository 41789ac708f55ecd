"""The small core every stage of the demo city builds on: the random generator, ids, records, the plan.

``CityBuilder`` holds the seeded generator (the same seed gives the same city), the records made so far, the
posts each person holds, and the plan of districts, streets, communities and compounds with what to plant in
each; its helpers make nodes, relationships, people and posts. The stages in ``seed.stages`` fill it in order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph_service.domain.enums import (
    Employment,
    FiveHave,
    MemberStatus,
    NodeLabel,
    OrgKind,
    Post,
    RelType,
)
from graph_service.domain.figures import (
    COMMUNITY_WORKERS_PER_10K,
    RESIDENT_POPULATION,
    STATION_COVERAGE_BUILT,
    URBANISATION_RATE,
    scaled,
)
from graph_service.domain.records import NodeRecord, Record, RelRecord
from graph_service.domain.regulation import election_due
from graph_service.domain.standards import Standards
from graph_service.seed import names

#: The day the demo city describes. Every date in it is on or before this day; every planted vacancy is at
#: least 180 days old by then, so analyses run on any later day see the same vacancies.
AS_OF = date(2025, 6, 30)
ALL_FIVE = [f.value for f in FiveHave]
#: The smallest city: every district with a compound, every published count still reachable.
MIN_SCALE = 0.01

AREA, ORG, PERSON, PROJECT, APPEAL, ACTIVITY = (n.value for n in NodeLabel)


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


class District:
    __slots__ = ("communities", "d", "id", "lg", "platform", "resident", "streets", "urban")

    def __init__(self, d: names.District) -> None:
        self.d = d
        self.id = f"hz-{d.code}"
        self.streets: list[Street] = []
        self.communities: list[Community] = []
        self.resident = self.urban = self.platform = 0
        self.lg = f"{self.id}-lg"


class Street:
    __slots__ = ("committee", "communities", "district", "id", "name", "pool", "studio")

    def __init__(self, sid: str, name: str, district: District) -> None:
        self.id, self.name, self.district = sid, name, district
        self.committee = f"{sid}-pwc"
        self.pool = f"{sid}-pool"  # the reserve pool of secretaries (后备干部库 雏雁)
        self.studio = f"{sid}-studio"  # the secretary studio (书记工作室)
        self.communities: list[Community] = []


class Community:
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

    def __init__(self, cid: str, name: str, street: Street) -> None:
        self.id, self.name, self.street = cid, name, street
        self.cc = f"{cid}-pc"
        self.centre = f"{cid}-ctr"
        self.compounds: list[Compound] = []
        self.gaps: set[str] = set()  # "no_pairing", "no_registered", "few_registered"
        self.hh = 0
        self.grid_workers: list[str] = []
        self.workers = 0


class Compound:
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
        "full",
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

    def __init__(self, cid: str, name: str, kind: str, community: Community) -> None:
        self.id, self.name, self.kind, self.community = cid, name, kind, community
        self.branch_id, self.oc_id = f"{cid}-br", f"{cid}-oc"
        self.gaps: set[str] = set()
        self.weak: set[str] = set()
        self.healthy = False
        self.fail = ""  # which office misses the five-haves standard: "branch" or "oc"
        self.branch = self.oc = self.five_ok = self.station = self.sf = True
        self.nb = self.hh = self.leaders = self.covered = self.groups = self.ch = 0
        self.cross = self.sunk = self.claimed = self.m = 0
        self.full = 0  # full members (正式党员) of the branch; the other m - full are probationary (预备党员)
        self.buildings: list[str] = []
        self.bhh: list[int] = []
        self.members: list[str] = []


class JointBranch:
    """A joint Party branch (联合党支部) of small units, under a street or community committee."""

    __slots__ = ("founded", "full", "id", "members", "name", "parent", "place", "street", "units", "weak")

    def __init__(self, jid: str, name: str, parent: str, place: str, street: Street, founded: date) -> None:
        self.id, self.name, self.parent, self.place, self.street = jid, name, parent, place, street
        self.founded = founded
        self.units: list[str] = []
        self.members: list[str] = []
        self.full = 0
        self.weak: set[str] = set()


class CityBuilder:
    """The state of a demo city under construction, and the helpers every stage uses."""

    def __init__(self, scale: float, seed: int, standards: Standards) -> None:
        self.scale, self.seed, self.std = scale, seed, standards
        self.t = Targets.at(scale)
        self.rng = random.Random(seed)
        self.records: list[Record] = []
        self.posts: dict[str, int] = {}  # current posts per person
        self.n_people = 0
        self.districts = [District(d) for d in names.DISTRICTS]
        self.streets: list[Street] = []
        self.communities: list[Community] = []
        self.compounds: list[Compound] = []
        self._dates: dict[int, date] = {}
        self.planted_branches: dict[str, set[str]] = {}
        self.units: dict[str, list[tuple[str, str]]] = {}  # district id -> (unit id, unit type)
        self.joint_branches: list[JointBranch] = []
        self.overdue_committees: set[str] = set()  # community committees whose election is planted overdue

    def date_between(self, lo: date, hi: date) -> date:
        ordinal = self.rng.randint(lo.toordinal(), max(lo.toordinal(), hi.toordinal()))
        d = self._dates.get(ordinal)
        if d is None:
            d = self._dates[ordinal] = date.fromordinal(ordinal)
        return d

    def term_start(self, founded: date, years: int) -> date:
        """The first day of a committee's current term, well within it on ``AS_OF`` (its election due 180 days or
        more later): the founding day, the regular re-election at the end of the terms since, or an early
        re-election when the regular one would fall too close to ``AS_OF``."""
        soonest_due = AS_OF + timedelta(days=180)
        earliest = soonest_due.replace(year=soonest_due.year - years)
        latest = AS_OF - timedelta(days=60)
        if founded >= earliest:
            return founded
        start = founded
        while start < earliest:
            start = election_due(start, years)
        return start if start <= latest else self.date_between(earliest, latest)

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
        self.node(ORG, oid, kind=kind.value, name=name, **props)

    def sub(self, child: str, parent: str) -> None:
        self.rel(RelType.SUB_ORG_OF.value, child, ORG, parent, ORG)

    def org_area(self, rtype: RelType, org: str, area: str, **props: Any) -> None:
        self.rel(rtype.value, org, ORG, area, AREA, **props)

    def person(
        self,
        district: District,
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
            PERSON,
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
            self.rel(RelType.RESIDES_IN.value, pid, PERSON, home, AREA)
        return pid

    def post(
        self,
        pid: str,
        org: str,
        post: Post,
        start: date,
        end: date | None = None,
        full_time: bool | None = None,
        status: MemberStatus | None = None,
    ) -> None:
        rid = f"{pid}:MEMBER_OF:{org}:{post.value}" + (f":{start.isoformat()}" if end is not None else "")
        self.rel(
            RelType.MEMBER_OF.value,
            pid,
            PERSON,
            org,
            ORG,
            rid,
            post=post.value,
            start_date=start,
            end_date=end,
            full_time=full_time,
            member_status=status.value if status is not None else None,
        )
        if end is None:
            self.posts[pid] += 1

    def free(self, pid: str, room: int = 1) -> bool:
        """Whether ``pid`` can take ``room`` more current posts without holding too many."""
        return self.posts[pid] + room <= self.std.max_posts_per_person

    def pick(self, items: Sequence[Any], k: int) -> list[Any]:
        return self.rng.sample(items, min(k, len(items)))

    def home(self, c: Compound, i: int | None = None) -> tuple[str, str]:
        """A building of ``c`` and a fictitious street address in it."""
        rng = self.rng
        i = rng.randrange(c.nb) if i is None else i
        cm = c.community
        addr = (
            f"菏泽市{cm.street.district.d.name}{cm.street.name}{cm.name}{c.name}{i + 1}号楼"
            f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 4)}"
        )
        return c.buildings[i], addr

    def resident(self, c: Compound, *, party: bool, employment: Employment, i: int | None = None) -> str:
        home, addr = self.home(c, i)
        return self.person(c.community.street.district, party=party, employment=employment, home=home, address=addr)

    def employment(self) -> Employment:
        x = self.rng.random()
        return Employment.RETIRED if x < 0.45 else Employment.IN_SERVICE if x < 0.82 else Employment.OTHER
