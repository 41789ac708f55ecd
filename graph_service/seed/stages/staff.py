"""Staff sunk to compounds and property management (market, government-purchased, state fallback)."""

from __future__ import annotations

from datetime import date, timedelta

from graph_service.domain.enums import (
    Employment,
    OrgKind,
    Post,
    PropertyMode,
    RelType,
    SunkRole,
)
from graph_service.domain.standards import CoverageGap
from graph_service.seed import names
from graph_service.seed.alloc import allocate
from graph_service.seed.core import AREA, PERSON, CityBuilder, Compound


def sunk_staff(b: CityBuilder) -> None:
    rng, t = b.rng, b.t
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
    for c in b.compounds:
        per = need.setdefault(c.community.id, {r: [] for r in SunkRole})
        for _ in range(c.sunk):
            per[next(it)].append(c.id)
    # Community workers: the published ratio city-wide, at least the sunk ones plus 3 kept at the centre.
    lows = [len(need[cm.id][SunkRole.FULL_TIME_WORKER]) + 3 for cm in b.communities]
    highs = [t.community_workers] * len(lows)
    workers = allocate(t.community_workers, lows, highs, [cm.hh + 1 for cm in b.communities], rng)
    post_of = {
        SunkRole.TWO_COMMITTEES_MEMBER: Post.TWO_COMMITTEES_MEMBER,
        SunkRole.FULL_TIME_WORKER: Post.COMMUNITY_WORKER,
        SunkRole.GRID_WORKER: Post.GRID_WORKER,
        SunkRole.PUBLIC_WELFARE: Post.PUBLIC_WELFARE,
    }
    for cm, n_workers in zip(b.communities, workers, strict=True):
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
                pid = b.person(
                    d, party=role is SunkRole.TWO_COMMITTEES_MEMBER or rng.random() < 0.5, employment=Employment.IN_SERVICE
                )
                start = b.date_between(date(2019, 1, 1), date(2024, 12, 31))
                full_time = True if post in (Post.GRID_WORKER, Post.COMMUNITY_WORKER) else None
                b.post(pid, cm.cc, post, start, full_time=full_time)
                if role is SunkRole.GRID_WORKER:
                    cm.grid_workers.append(pid)
                if j < len(targets):
                    b.rel(
                        RelType.SUNK_TO.value,
                        pid,
                        PERSON,
                        targets[j],
                        AREA,
                        role=role.value,
                        start_date=b.date_between(max(start, date(2022, 1, 1)), date(2025, 3, 31)),
                    )
                elif rng.random() < 0.05 and cm.compounds:
                    # History: sunk once, back at the centre now.
                    s = b.date_between(date(2020, 1, 1), date(2022, 6, 30))
                    b.rel(
                        RelType.SUNK_TO.value,
                        pid,
                        PERSON,
                        rng.choice(cm.compounds).id,
                        AREA,
                        role=role.value,
                        start_date=s,
                        end_date=b.date_between(s + timedelta(days=90), date(2024, 6, 30)),
                    )


def property_management(b: CityBuilder) -> None:
    rng = b.rng
    market = [f"hz-pm-{k + 1:03d}" for k in range(max(3, round(60 * b.scale)))]
    purchased = [f"hz-pg-{k + 1:03d}" for k in range(max(1, round(8 * b.scale)))]
    for k, pm in enumerate(market):
        b.org(
            pm,
            OrgKind.PROPERTY_COMPANY,
            f"菏泽{rng.choice(names.PROPERTY_WORDS)}物业服务有限公司{k + 1}号",
            founded=date(2010 + k % 10, 1, 1),
        )
    for k, pm in enumerate(purchased):
        b.org(
            pm,
            OrgKind.PROPERTY_COMPANY,
            f"菏泽{rng.choice(names.PROPERTY_WORDS)}城市服务有限公司{k + 1}号",
            founded=date(2016, 1, 1),
        )
    state: dict[str, str] = {}

    def state_company(c: Compound) -> str:
        street, d = c.community.street, c.community.street.district
        key = street.id if rng.random() < 0.6 else d.id
        if key not in state:
            oid = f"{key}-pms"
            name = f"{street.name}国有物业服务有限公司" if key == street.id else f"{d.d.name}城投物业管理有限公司"
            b.org(oid, OrgKind.PROPERTY_COMPANY, name, founded=date(2021, 1, 1))
            b.org_area(RelType.LOCATED_IN, oid, key)
            state[key] = oid
        return state[key]

    for c in b.compounds:
        start = b.date_between(date(2020, 1, 1), date(2024, 6, 30))
        if rng.random() < 0.25 or (CoverageGap.NO_PROPERTY_MANAGEMENT.value in c.gaps and rng.random() < 0.5):
            s0 = b.date_between(date(2014, 1, 1), date(2019, 6, 30))
            end = (
                start - timedelta(days=1)
                if CoverageGap.NO_PROPERTY_MANAGEMENT.value not in c.gaps
                else b.date_between(s0 + timedelta(days=200), date(2024, 6, 30))
            )
            b.org_area(
                RelType.MANAGES,
                rng.choice(market),
                c.id,
                mode=PropertyMode.MARKET.value,
                start_date=s0,
                end_date=end,
                fee_collection_rate=round(rng.uniform(0.4, 0.7), 3),
            )
        if CoverageGap.NO_PROPERTY_MANAGEMENT.value in c.gaps:
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
        b.org_area(
            RelType.MANAGES,
            company,
            c.id,
            rid=f"{company}:MANAGES:{c.id}:{start.isoformat()}",
            mode=mode.value,
            start_date=start,
            fee_collection_rate=rate,
            serve_first=first,
        )
