"""Residents' side: appeals collected by riders, volunteer teams and their work, warm stations."""

from __future__ import annotations

from datetime import date, timedelta

from graph_service.domain.enums import (
    AppealStatus,
    Employment,
    OrgKind,
    Post,
    RelType,
)
from graph_service.domain.standards import WeaknessFactor
from graph_service.seed import names
from graph_service.seed.alloc import allocate
from graph_service.seed.core import APPEAL, AREA, AS_OF, PERSON, CityBuilder, Community, Compound


def appeals(b: CityBuilder) -> None:
    rng, t = b.rng, b.t
    cap = min(3, b.std.max_unresolved_appeals)
    open_count: dict[str, int] = {}
    seq: dict[str, int] = {}

    def appeal(c: Compound, collector: str, status: AppealStatus) -> None:
        seq[c.id] = seq.get(c.id, 0) + 1
        aid = f"{c.id}-ap{seq[c.id]:03d}"
        received = b.date_between(date(2023, 1, 1), AS_OF - timedelta(days=7))
        resolved = (
            b.date_between(received, min(AS_OF, received + timedelta(days=40))) if status is AppealStatus.RESOLVED else None
        )
        topic = rng.choice(names.APPEAL_TOPICS)
        b.node(APPEAL, aid, summary=f"{c.name}{topic}", received=received, status=status.value, resolved=resolved)
        b.rel(RelType.COLLECTED.value, collector, PERSON, aid, APPEAL)
        b.rel(RelType.CONCERNS.value, aid, APPEAL, c.id, AREA)
        if status is AppealStatus.OPEN:
            open_count[c.id] = open_count.get(c.id, 0) + 1

    def status_for(c: Compound) -> AppealStatus:
        if rng.random() < 0.12 and open_count.get(c.id, 0) < cap:
            return AppealStatus.OPEN
        return AppealStatus.RESOLVED

    # Riders (Party members of the new employment groups) serving as part-time grid workers.
    per_comm = allocate(t.riders, [0] * len(b.communities), [3] * len(b.communities), [cm.hh for cm in b.communities], rng)
    riders: list[tuple[str, Community]] = []
    for cm, n in zip(b.communities, per_comm, strict=True):
        for _ in range(n):
            pid = b.person(cm.street.district, party=True, employment=Employment.NEW_EMPLOYMENT)
            b.post(pid, cm.cc, Post.GRID_WORKER, b.date_between(date(2022, 6, 1), date(2024, 12, 31)), full_time=False)
            riders.append((pid, cm))
        for _ in range(rng.randint(0, 1)):  # riders who are not grid workers
            b.person(cm.street.district, party=rng.random() < 0.3, employment=Employment.NEW_EMPLOYMENT)
    if riders:
        per_rider = allocate(t.rider_appeals, [1] * len(riders), [60] * len(riders), [1.0] * len(riders), rng)
        for (pid, cm), n in zip(riders, per_rider, strict=True):
            for _ in range(n):
                c = rng.choice(cm.compounds)
                appeal(c, pid, status_for(c))
    for c in b.compounds:
        workers = c.community.grid_workers
        for _ in range(rng.randint(0, 3)):
            appeal(c, rng.choice(workers), status_for(c))
        if WeaknessFactor.UNRESOLVED_APPEALS.value in c.weak:
            for _ in range(b.std.max_unresolved_appeals + 1 - open_count.get(c.id, 0) + rng.randint(0, 3)):
                appeal(c, rng.choice(workers), AppealStatus.OPEN)


def volunteer_teams(b: CityBuilder) -> None:
    rng, t = b.rng, b.t
    if not t.teams:
        return
    per_comm = allocate(t.teams, [0] * len(b.communities), [6] * len(b.communities), [cm.hh for cm in b.communities], rng)
    solved = allocate(t.problems, [1] * t.teams, [80] * t.teams, [rng.uniform(0.3, 1.7) for _ in range(t.teams)], rng)
    k = 0
    for cm, n in zip(b.communities, per_comm, strict=True):
        for j in range(n):
            vt = f"{cm.id}-vt{j + 1:02d}"
            branches = [c for c in cm.compounds if c.branch]
            under = rng.choice(branches) if branches and rng.random() < 0.4 else None
            name = rng.choice(names.VOLUNTEER_TEAM_NAMES)
            b.org(
                vt,
                OrgKind.VOLUNTEER_TEAM,
                f"{(under.name if under else cm.name)}“{name}”志愿服务队",
                problems_solved=solved[k],
                founded=b.date_between(date(2019, 1, 1), date(2024, 6, 30)),
            )
            k += 1
            b.sub(vt, under.branch_id if under else cm.cc)
            b.org_area(RelType.LOCATED_IN, vt, under.id if under else cm.id)
            pool = [p for c in cm.compounds for p in c.members if b.free(p)]
            for pid in b.pick(pool, rng.randint(2, 5)):
                b.post(pid, vt, Post.VOLUNTEER, b.date_between(date(2021, 1, 1), date(2024, 12, 31)))


def warm_stations(b: CityBuilder) -> None:
    rng, t = b.rng, b.t
    per_street = allocate(t.warm, [0] * len(b.streets), [t.warm] * len(b.streets), [len(s.communities) for s in b.streets], rng)
    for street, n in zip(b.streets, per_street, strict=True):
        for j in range(n):
            ws = f"{street.id}-ws{j + 1:02d}"
            cm = rng.choice(street.communities)
            b.org(
                ws,
                OrgKind.WARM_STATION,
                f"{cm.name}“暖心驿站”{j + 1}号",
                founded=b.date_between(date(2022, 1, 1), date(2024, 12, 31)),
            )
            b.sub(ws, street.committee)
            b.org_area(RelType.LOCATED_IN, ws, cm.id)
