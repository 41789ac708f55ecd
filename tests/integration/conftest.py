"""Fixtures for tests over real HTTP: a real uvicorn server on 127.0.0.1 (free port) on a real embedded store.

- ``small_city``: the records of a small, fully known city (2 districts, 4 streets, 8 communities, 24 compounds,
  49 buildings, with planted gaps, posts, cross-appointments, pairings and check-ins, a few activities, a joint
  branch, cadres sent down and deputies); tests derive expected answers from these records, not from constants.
- ``live_server``: one server per test session on a store holding ``small_city``, with one key per role
  (``live_server.keys["viewer"]`` ...). Treat it as read-only: tests that write start their own with
  ``start_server`` (a factory: ``start_server(records=..., **settings)``), which also serves production mode,
  other limits, or a different dataset.
- ``LiveServer.gql(query, variables=None, role="admin")`` posts a GraphQL request and returns the httpx response.
- ``small_city_store``: an embedded store holding ``small_city``, one per test module, for tests that only read.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn

from graph_service.config import Settings
from graph_service.domain.records import NodeRecord, Record, RelRecord, rel_id
from graph_service.services.bulk import bulk_insert
from graph_service.store.embedded import LadybugStore

ROLES = ("viewer", "analyst", "integration", "editor", "admin")

# --- the small city --------------------------------------------------------------------------------------------


@dataclass
class City:
    """Records of the small city and what was planted in them (for computing expected answers)."""

    records: list[Record] = field(default_factory=list)

    def node(self, label: str, node_id: str, **props: Any) -> str:
        self.records.append(NodeRecord(label, node_id, {k: v for k, v in props.items() if v is not None}))
        return node_id

    def rel(self, rel_type: str, source: str, source_label: str, target: str, target_label: str, **props: Any) -> str:
        rid = props.pop("id", None) or rel_id(rel_type, source, target)
        self.records.append(
            RelRecord(
                rel_type, rid, source, source_label, target, target_label, {k: v for k, v in props.items() if v is not None}
            )
        )
        return rid

    def nodes(self, label: str, **match: Any) -> list[NodeRecord]:
        return [
            r
            for r in self.records
            if isinstance(r, NodeRecord) and r.label == label and all(r.props.get(k) == v for k, v in match.items())
        ]

    def rels(self, rel_type: str) -> list[RelRecord]:
        return [r for r in self.records if isinstance(r, RelRecord) and r.type == rel_type]

    def props(self, node_id: str) -> dict[str, Any]:
        return next(r.props for r in self.records if isinstance(r, NodeRecord) and r.id == node_id)

    def parent(self, area_id: str) -> str | None:
        return next((r.to_id for r in self.rels("PART_OF") if r.from_id == area_id), None)

    def ancestors(self, area_id: str) -> list[str]:
        chain = []
        current = self.parent(area_id)
        while current:
            chain.append(current)
            current = self.parent(current)
        return chain

    def under(self, area_id: str, level: str) -> list[str]:
        return [n.id for n in self.nodes("Area", level=level) if area_id in self.ancestors(n.id)]


A, O, P, PR = "Area", "Organization", "Person", "Project"
KINDS = ("commercial", "old", "resettlement")
UNIT_TYPES = ("agency", "state_enterprise", "school", "private_firm")


def build_small_city() -> City:
    city = City()
    c = city.node(A, "hz", level="city", name="菏泽市", households=12000)
    lg = city.node(O, "hz-lg", kind="leadership_group", name="菏泽市城市基层党建领导小组")
    city.rel("LEADS", lg, O, c, A)
    companies = {}
    compound_index = 0
    for d in (1, 2):
        district = city.node(A, f"d{d}", level="district", name=("牡丹区", "定陶区")[d - 1])
        city.rel("PART_OF", district, A, c, A)
        companies[d] = city.node(O, f"d{d}-pc", kind="property_company", name=f"{('牡丹', '定陶')[d - 1]}国有物业公司")
        for s in (1, 2):
            street = city.node(A, f"d{d}s{s}", level="street", name=f"{('牡丹', '定陶')[d - 1]}第{s}街道")
            city.rel("PART_OF", street, A, district, A)
            sc = city.node(O, f"{street}-sc", kind="street_committee", name=f"{street}街道党工委")
            city.rel("LEADS", sc, O, street, A)
            for m in (1, 2):
                community = city.node(A, f"{street}m{m}", level="community", name=f"{street}第{m}社区")
                city.rel("PART_OF", community, A, street, A)
                cc = city.node(O, f"{community}-cc", kind="community_committee", name=f"{community}社区党委")
                city.rel("LEADS", cc, O, community, A)
                city.rel("SUB_ORG_OF", cc, O, sc, O)
                for k in (1, 2, 3):
                    i = compound_index
                    compound_index += 1
                    kind = KINDS[i % 3]
                    compound = city.node(
                        A,
                        f"{community}c{k}",
                        level="compound",
                        name=f"幸福{i:02d}小区",
                        compound_kind=kind,
                        households=100 + 10 * i,
                    )
                    city.rel("PART_OF", compound, A, community, A)
                    branch = None
                    if i % 4 != 3:
                        branch = city.node(
                            O, f"{compound}-br", kind="compound_branch", name=f"幸福{i:02d}小区党支部", has_plaque=True
                        )
                        city.rel("LEADS", branch, O, compound, A)
                        city.rel("SUB_ORG_OF", branch, O, cc, O)
                        secretary = city.node(
                            P,
                            f"{compound}-sec",
                            name=f"书记{i:02d}",
                            phone=f"1380000{i:04d}",
                            address=f"幸福{i:02d}小区1号楼",
                            id_number=f"37170019700101{i:04d}",
                            is_party_member=True,
                            employment="retired",
                        )
                        city.rel(
                            "MEMBER_OF",
                            secretary,
                            P,
                            branch,
                            O,
                            post="secretary",
                            start_date=date(2020, 1, 1),
                            member_status="full",
                        )
                        city.rel("RESIDES_IN", secretary, P, compound, A)
                        if i == 0:
                            former = city.node(
                                P, f"{compound}-former", name="前任书记", is_party_member=True, employment="retired"
                            )
                            city.rel(
                                "MEMBER_OF",
                                former,
                                P,
                                branch,
                                O,
                                post="secretary",
                                start_date=date(2015, 1, 1),
                                end_date=date(2019, 12, 31),
                            )
                    oc = None
                    if i % 3 != 2:
                        oc = city.node(O, f"{compound}-oc", kind="owners_committee", name=f"幸福{i:02d}小区业委会")
                        city.rel("LOCATED_IN", oc, O, compound, A)
                        if branch and i % 2 == 0:
                            city.rel("MEMBER_OF", f"{compound}-sec", P, oc, O, post="oc_director", start_date=date(2021, 1, 1))
                        else:
                            director = city.node(
                                P, f"{compound}-ocd", name=f"主任{i:02d}", is_party_member=False, employment="in_service"
                            )
                            city.rel("MEMBER_OF", director, P, oc, O, post="oc_director", start_date=date(2021, 1, 1))
                    if i % 2 == 0:
                        station = city.node(O, f"{compound}-st", kind="service_station", name=f"幸福{i:02d}小区党群服务站")
                        city.rel("SERVES", station, O, compound, A)
                    mode = "state_fallback" if kind == "old" else "market"
                    city.rel(
                        "MANAGES", companies[d], O, compound, A, mode=mode, start_date=date(2022, 1, 1), fee_collection_rate=0.9
                    )
                    # Compound 10 has a third building, also without a group: most of its buildings lack one.
                    for b in (1, 2, 3) if i == 10 else (1, 2):
                        building = city.node(
                            A, f"{compound}b{b}", level="building", name=f"幸福{i:02d}小区{b}号楼", households=50
                        )
                        city.rel("PART_OF", building, A, compound, A)
                        if (b == 2 and i % 5 == 0) or b == 3:
                            continue  # a building without a Party group or a leader
                        group = city.node(O, f"{building}-g", kind="building_group", name=f"幸福{i:02d}小区{b}号楼党小组")
                        city.rel("COVERS", group, O, building, A)
                        if branch:
                            city.rel("SUB_ORG_OF", group, O, branch, O)
                        leader = city.node(
                            P, f"{building}-ld", name=f"楼长{i:02d}{b}", is_party_member=True, employment="retired"
                        )
                        city.rel("MEMBER_OF", leader, P, group, O, post="building_leader", start_date=date(2022, 3, 1))
                        city.rel("RESIDES_IN", leader, P, building, A)  # a building leader lives in the building
                    if branch and i % 6 == 0:
                        project = city.node(PR, f"{compound}-pr", kind="volunteer", name=f"幸福{i:02d}小区助老服务", need="助老")
                        city.rel("LISTED_BY", project, PR, branch, O)
    communities = [n.id for n in city.nodes(A, level="community")]
    for u, unit_type in enumerate(UNIT_TYPES):
        unit = city.node(O, f"unit{u}", kind="unit", name=f"驻区单位{u}", unit_type=unit_type)
        upo = city.node(O, f"unit{u}-po", kind="unit_party_org", name=f"驻区单位{u}党支部", unit_type=unit_type, capacity=2)
        city.rel("SUB_ORG_OF", upo, O, unit, O)
        target = f"{communities[u * 2]}-cc"
        city.rel("PAIRED_WITH", upo, O, target, O, start_date=date(2021 + u, 6, 1), projects=[f"共建项目{u}"], resources="资金")
        if u == 0:
            # An ended pairing, kept as history.
            city.rel(
                "PAIRED_WITH",
                upo,
                O,
                f"{communities[1]}-cc",
                O,
                start_date=date(2019, 1, 1),
                end_date=date(2020, 12, 31),
                projects=["旧项目"],
            )
        city.rel("REGISTERED_WITH", upo, O, target, O, start_date=date(2022, 1, 1))
    # A rider who serves as a part-time grid worker and collected an open appeal; staff sunk to a compound;
    # a member who claimed a volunteer project.
    rider = city.node(P, "rider0", name="骑手0", is_party_member=True, employment="new_employment")
    city.rel("MEMBER_OF", rider, P, "d1s1m1-cc", O, post="grid_worker", full_time=False, start_date=date(2023, 5, 1))
    appeal = city.node("Appeal", "appeal0", summary="楼道灯不亮", received=date(2024, 11, 2), status="open")
    city.rel("COLLECTED", rider, P, appeal, "Appeal")
    city.rel("CONCERNS", appeal, "Appeal", "d1s1m1c1", A)
    worker = city.node(P, "worker0", name="社区工作者0", is_party_member=True, employment="in_service")
    city.rel("MEMBER_OF", worker, P, "d1s1m1-cc", O, post="community_worker", start_date=date(2022, 1, 1))
    city.rel("SUNK_TO", worker, P, "d1s1m1c1", A, role="full_time_worker", start_date=date(2023, 1, 1))
    for n in range(3):
        member = city.node(
            P, f"member{n}", name=f"在职党员{n}", phone=f"1390000{n:04d}", is_party_member=True, employment="in_service"
        )
        city.rel("REGISTERED_WITH", member, P, f"{communities[n]}-cc", O, start_date=date(2023, 3, 1 + n))
        city.rel("RESIDES_IN", member, P, f"{communities[n].rsplit('m', 1)[0]}m1c1", A)
    city.rel("CLAIMED", "member0", P, "d1s1m1c1-pr", PR, claimed_on=date(2024, 4, 1))
    # Organisational life, a joint branch of two small units, a cadre sent down and a deputy serving a community.
    meeting = city.node("Activity", "act0", kind="general_meeting", held_on=date(2024, 9, 20), attendance=5, topic="换届")
    city.rel("HELD_BY", meeting, "Activity", "d1s1m1c1-br", O)
    city.rel("ATTENDED", "d1s1m1c1-sec", P, meeting, "Activity")
    lesson = city.node("Activity", "act1", kind="party_lesson", held_on=date(2025, 3, 14), attendance=9, topic="学习党章")
    city.rel("HELD_BY", lesson, "Activity", "d1s1m1c1-br", O)
    group = city.node("Activity", "act2", kind="group_meeting", held_on=date(2025, 1, 10), attendance=4)
    city.rel("HELD_BY", group, "Activity", "d1s1m1c1b1-g", O)
    other = city.node("Activity", "act3", kind="general_meeting", held_on=date(2024, 12, 6), attendance=12)
    city.rel("HELD_BY", other, "Activity", "d2s1m1c1-br", O)
    # A probationary member (预备党员) of a branch.
    novice = city.node(P, "d2s1m1c1-novice", name="新同志0", is_party_member=True, employment="in_service")
    city.rel("MEMBER_OF", novice, P, "d2s1m1c1-br", O, post="member", start_date=date(2024, 7, 1), member_status="probationary")
    city.rel("ATTENDED", novice, P, other, "Activity")
    joint = city.node(
        O, "joint0", kind="joint_branch", name="驻区单位联合党支部", founded=date(2020, 1, 1), term_start=date(2023, 1, 1)
    )
    city.rel("SUB_ORG_OF", joint, O, "d1s1m1-cc", O)
    city.rel("LOCATED_IN", joint, O, "d1s1m1", A)
    for u in ("unit2", "unit3"):
        city.rel("JOINS", u, O, joint, O, start_date=date(2020, 1, 1))
    city.rel("JOINS", "unit1", O, joint, O, start_date=date(2020, 1, 1), end_date=date(2022, 12, 31))
    day = city.node("Activity", "act4", kind="themed_party_day", held_on=date(2025, 5, 9), attendance=6, topic="植树")
    city.rel("HELD_BY", day, "Activity", joint, O)
    cadre = city.node(P, "cadre0", name="下沉干部0", is_party_member=True, employment="in_service")
    city.rel("SENT_DOWN_TO", cadre, P, "d1s1m2", A, duty="包联社区", start_date=date(2024, 1, 1))
    city.rel("SENT_DOWN_TO", cadre, P, "d1s1m1", A, duty="第一书记", start_date=date(2021, 1, 1), end_date=date(2023, 12, 31))
    deputy = city.node(P, "deputy0", name="人大代表0", is_party_member=False, employment="in_service")
    city.rel("LIAISES_WITH", deputy, P, "d1s1m2", A, role="npc_deputy", level="区人大", start_date=date(2022, 1, 1))
    member = city.node(P, "cppcc0", name="政协委员0", is_party_member=False, employment="in_service")
    city.rel("LIAISES_WITH", member, P, "d1s1m2", A, role="cppcc_member", level="市政协", start_date=date(2023, 1, 1))
    return city


@pytest.fixture(scope="session")
def small_city() -> City:
    return build_small_city()


# --- live servers -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    base_url: str
    keys: dict[str, str]
    settings: Settings
    store: LadybugStore

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/graphql"

    def headers(self, role: str | None = "admin", accept: str | None = "application/graphql-response+json") -> dict[str, str]:
        headers = {}
        if role is not None:
            headers["Authorization"] = f"Bearer {self.keys[role]}"
        if accept is not None:
            headers["Accept"] = accept
        return headers

    def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        role: str | None = "admin",
        operation_name: str | None = None,
        accept: str | None = "application/graphql-response+json",
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        if operation_name is not None:
            body["operationName"] = operation_name
        return httpx.post(self.graphql_url, json=body, headers=self.headers(role, accept), timeout=30)

    def data(self, query: str, variables: dict[str, Any] | None = None, role: str = "admin") -> dict[str, Any]:
        """The ``data`` of a request that must succeed without errors."""
        response = self.gql(query, variables, role)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


class _Running:
    def __init__(self, server: uvicorn.Server, thread: threading.Thread, store: LadybugStore) -> None:
        self.server, self.thread, self.store = server, thread, store

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()


def start_live_server(path: Path, records: list[Record] | None, **overrides: Any) -> tuple[LiveServer, _Running]:
    """A uvicorn server in a thread on a LadybugDB store at ``path``, loaded with ``records`` if the store is new."""
    keys = {role: f"{role}-{secrets.token_urlsafe(24)}" for role in ROLES}
    # No background warm-up unless a test asks for it: it would race the round trips and timings tests count.
    settings = Settings(
        data_dir=path.parent,
        api_keys=",".join(f"{role}:{key}" for role, key in keys.items()),
        **{"warm_up": False, **overrides},
    )
    # Imported here so that a broken API module fails the HTTP tests only, not every integration test.
    from graph_service.api.app import create_app
    from graph_service.bootstrap import bootstrap

    store = LadybugStore(path)
    store.ensure_schema()
    if records:
        bulk_insert(store, records)
    app = create_app(settings, bootstrap(settings, store))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return LiveServer(f"http://127.0.0.1:{port}", keys, settings, store), _Running(server, thread, store)


class _Servers:
    """Servers started on fresh stores, stopped together."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._factory, self._running = tmp_path_factory, list[_Running]()

    def start(self, records: list[Record] | None = None, **overrides: Any) -> LiveServer:
        path = self._factory.mktemp("server") / "graph.lbdb"
        live, handle = start_live_server(path, records, **overrides)
        self._running.append(handle)
        return live

    def stop(self) -> None:
        for handle in self._running:
            handle.stop()


@pytest.fixture(scope="module")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., LiveServer]]:
    """A factory: ``start_server(records=None, **settings_overrides)`` starts a server on a fresh store. The servers
    stop with the test module: LadybugDB reserves 8 TiB of address space per open store, so a process holds about
    15 at once, and servers kept for the whole session ran a worker out of it."""
    servers = _Servers(tmp_path_factory)
    yield servers.start
    servers.stop()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, small_city: City) -> Iterator[LiveServer]:
    """The shared read-only server on the small city (max page size 100)."""
    servers = _Servers(tmp_path_factory)
    yield servers.start(records=small_city.records, max_page_size=100, default_page_size=20)
    servers.stop()


S = TypeVar("S", bound=LadybugStore)


@contextmanager
def store_of_city(path: Path, city: City, store_class: type[S]) -> Iterator[S]:
    """An embedded store of ``store_class`` at ``path`` holding ``city``, closed afterwards."""
    opened = store_class(path)
    try:
        opened.ensure_schema()
        bulk_insert(opened, city.records)
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def small_city_store(tmp_path_factory: pytest.TempPathFactory, small_city: City) -> Iterator[LadybugStore]:
    """An embedded store holding ``small_city``, one per test module (for tests that only read it)."""
    with store_of_city(tmp_path_factory.mktemp("small-city") / "graph.lbdb", small_city, LadybugStore) as opened:
        yield opened
