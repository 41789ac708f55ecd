"""Units and their Party organisations: pairings with communities and dual check-ins (双报到)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from graph_service.domain.enums import (
    Employment,
    OrgKind,
    RelType,
    UnitType,
)
from graph_service.domain.records import NodeRecord
from graph_service.seed import names
from graph_service.seed.alloc import allocate
from graph_service.seed.core import ORG, PERSON, CityBuilder


def units_and_pairings(b: CityBuilder) -> None:
    rng = b.rng
    n_units = max(9, round(320 * b.scale))
    per_district = allocate(n_units, [1] * 9, [n_units] * 9, [len(d.communities) for d in b.districts], rng)
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
    for d, n in zip(b.districts, per_district, strict=True):
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
            b.org(uid, OrgKind.UNIT, uname, unit_type=utype.value, founded=date(2000 + k % 20, 1, 1))
            b.org_area(RelType.LOCATED_IN, uid, d.id)
            b.units.setdefault(d.id, []).append((uid, utype.value))
            po = f"{uid}-po"
            cap = rng.randint(1, 3)
            b.org(
                po,
                OrgKind.UNIT_PARTY_ORG,
                f"{uname}党支部",
                unit_type=utype.value,
                capacity=cap,
                founded=date(2000 + k % 20, 7, 1),
            )
            b.sub(po, uid)
            units.setdefault(d.id, []).append([po, cap, 0])
            cm = rng.choice(d.communities)
            b.rel(
                RelType.REGISTERED_WITH.value,
                po,
                ORG,
                cm.cc,
                ORG,
                start_date=b.date_between(date(2021, 1, 1), date(2024, 6, 30)),
            )
    everyone = [u for us in units.values() for u in us]
    for cm in b.communities:
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
                b.rel(
                    RelType.PAIRED_WITH.value,
                    u[0],
                    ORG,
                    cm.cc,
                    ORG,
                    start_date=b.date_between(date(2021, 1, 1), date(2024, 12, 31)),
                    projects=rng.sample(names.PAIRING_PROJECTS, rng.randint(1, 3)),
                    resources="、".join(rng.sample(names.PAIRING_RESOURCES, 2)),
                )
        if rng.random() < (0.6 if "no_pairing" in cm.gaps else 0.2):
            old = [u for u in everyone if u[0] not in paired]
            if old:
                u = rng.choice(old)
                s = b.date_between(date(2018, 1, 1), date(2020, 12, 31))
                b.rel(
                    RelType.PAIRED_WITH.value,
                    u[0],
                    ORG,
                    cm.cc,
                    ORG,
                    start_date=s,
                    end_date=b.date_between(s + timedelta(days=365), date(2024, 6, 30)),
                    projects=rng.sample(names.PAIRING_PROJECTS, 1),
                    resources=rng.choice(names.PAIRING_RESOURCES),
                )


def registrations(b: CityBuilder) -> None:
    """Dual check-in of in-service members with the community where they live."""
    rng = b.rng
    threshold = b.std.min_registered_per_100_households / 100
    in_service = {p for c in b.compounds for p in c.members}
    employment = {
        r.id: r.props.get("employment")
        for r in b.records
        if isinstance(r, NodeRecord) and r.label == PERSON and r.id in in_service
    }
    for cm in b.communities:
        pool = [p for c in cm.compounds for p in c.members if employment.get(p) == Employment.IN_SERVICE.value]
        if "no_registered" in cm.gaps:
            n = 0
            for pid in b.pick(pool, rng.randint(0, 2)):  # history: checked in once, left since
                s = b.date_between(date(2020, 1, 1), date(2022, 12, 31))
                b.rel(
                    RelType.REGISTERED_WITH.value,
                    pid,
                    PERSON,
                    cm.cc,
                    ORG,
                    start_date=s,
                    end_date=b.date_between(s + timedelta(days=90), date(2024, 12, 31)),
                )
        elif "few_registered" in cm.gaps:
            n = max(1, math.ceil(threshold * cm.hh) - 2)
        else:
            n = math.floor(threshold * cm.hh) + 1 + rng.randint(0, 6)
        chosen = b.pick(pool, n)
        while len(chosen) < n:
            c = rng.choice(cm.compounds)
            chosen.append(b.resident(c, party=True, employment=Employment.IN_SERVICE))
        for pid in chosen:
            b.rel(
                RelType.REGISTERED_WITH.value,
                pid,
                PERSON,
                cm.cc,
                ORG,
                start_date=b.date_between(date(2021, 1, 1), date(2025, 3, 31)),
            )
