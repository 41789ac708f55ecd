"""How the Neo4j adapter drives the driver's sessions and transactions, checked without a server.

The driver's sessions are replaced by a recording stand-in that behaves as the real ones do where it matters
here: a managed transaction is retried while the error is retryable, a transaction block commits on success
and rolls back on an exception, results are read inside the transaction. What the adapter sends and when it
commits is then visible. Behaviour against a real server is the contract suite's job (NEO4J_URI).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pytest
from neo4j import READ_ACCESS, WRITE_ACCESS, Record
from neo4j.exceptions import Neo4jError

from graph_service.domain.naming import natural_key
from graph_service.errors import ConflictError, StoreError
from graph_service.store.neo4j import BATCH_ROWS, Neo4jStore
from graph_service.store.port import StaleVersionError, count_round_trips
from graph_service.store.queries import UnknownQueryError, split_statements

PLACEHOLDER = re.compile(r"__[a-z][a-z_]*[a-z]__")

Answer = Callable[[dict[str, Any]], tuple[list[str], list[tuple[Any, ...]]]]


def driver_error(code: str, message: str = "from the fake server") -> Neo4jError:
    """A driver exception as the driver builds it from a server's FAILURE message."""
    hydrate: Callable[..., Neo4jError] = getattr(Neo4jError, "_hydrate_neo4j", None) or getattr(Neo4jError, "hydrate")  # noqa: B009 - driver 6 / 5
    error = hydrate(code=code, message=message)
    return error


@dataclass
class FakeServer:
    store: Neo4jStore
    answers: dict[str, Answer] = field(default_factory=dict)
    failures: dict[str, list[Exception]] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    committed: list[list[tuple[str, dict[str, Any]]]] = field(default_factory=list)
    rolled_back: int = 0
    autocommit: list[str] = field(default_factory=list)

    def name_of(self, text: str) -> str:
        """Which catalogue query ``text`` is: its file's text with each placeholder standing for some name."""
        if text in split_statements(self.store.catalog.text("schema")):
            return "schema"
        for name in self.store.catalog.names():
            try:
                template = self.store.catalog.text(name)
            except UnknownQueryError:
                continue
            pattern = PLACEHOLDER.sub(lambda _: "[A-Za-z_]+", re.escape(template).replace(r"\_", "_"))
            if re.fullmatch(pattern, text):
                return name
        raise AssertionError(f"not a catalogue query: {text!r}")

    def execute(self, name: str, params: dict[str, Any]) -> FakeResult:
        pending = self.failures.get(name)
        if pending:
            raise pending.pop(0)
        answer = self.answers.get(name)
        keys, rows = answer(params) if answer else ([], [])
        return FakeResult(keys, rows)


class FakeResult:
    def __init__(self, keys: list[str], rows: list[tuple[Any, ...]]) -> None:
        self._keys = keys
        self._rows = rows

    def keys(self) -> list[str]:
        return self._keys

    def __iter__(self) -> Iterator[Record]:
        return iter([Record(zip(self._keys, row, strict=True)) for row in self._rows])  # type: ignore[no-untyped-call]

    def consume(self) -> None:
        return None


class FakeTx:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.statements: list[tuple[str, dict[str, Any]]] = []
        self.closed = False

    def run(self, text: str, parameters: dict[str, Any] | None = None) -> FakeResult:
        name = self.server.name_of(text)
        self.statements.append((name, parameters or {}))
        return self.server.execute(name, parameters or {})

    def commit(self) -> None:
        assert not self.closed
        self.closed = True
        self.server.committed.append(self.statements)

    def rollback(self) -> None:
        if not self.closed:
            self.closed = True
            self.server.rolled_back += 1

    def __enter__(self) -> FakeTx:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        # As the driver's Transaction: commit when the block ends normally and nothing closed it, else roll back.
        if not self.closed:
            self.commit() if kind is None else self.rollback()


class FakeSession:
    def __init__(self, server: FakeServer, **config: Any) -> None:
        self.server = server
        server.sessions.append(config)

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def begin_transaction(self) -> FakeTx:
        return FakeTx(self.server)

    def run(self, text: str, parameters: dict[str, Any] | None = None) -> FakeResult:
        self.server.autocommit.append(self.server.name_of(text))
        return self.server.execute(self.server.name_of(text), parameters or {})

    def _managed(self, work: Callable[[FakeTx], Any]) -> Any:
        for attempt in range(3):
            tx = FakeTx(self.server)
            try:
                result = work(tx)
            except Exception as exc:
                tx.rollback()
                if isinstance(exc, Neo4jError) and exc.is_retryable() and attempt < 2:
                    continue
                raise
            tx.commit()
            return result
        raise AssertionError("unreachable")

    execute_read = _managed
    execute_write = _managed


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    store = Neo4jStore("bolt://localhost:7687", "neo4j", "plumbing-test")
    server = FakeServer(store)
    server.answers["bump_write_version"] = lambda p: (["version"], [(len(server.committed) + 1,)])
    monkeypatch.setattr(store._driver, "session", lambda **config: FakeSession(server, **config))
    yield server
    store.close()


def names(statements: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [name for name, _ in statements]


AREA_A1 = {"id": "a1", "level": "city", "name": "a", "households": None}


def test_every_write_bumps_the_version_first_in_its_own_transaction(fake: FakeServer) -> None:
    store = fake.store
    store.write("contract_create_area", AREA_A1)
    store.execute_write(lambda tx: tx.run("contract_set_households", {"id": "a1", "households": 1}))
    with store.write_tx() as tx:
        tx.run("contract_count", label="Area")

    def described(tx: Any) -> None:
        tx.described = True  # as an audited change says of itself
        tx.run("contract_set_households", {"id": "a1", "households": 2})

    store.execute_write(described)
    # A write no audit entry describes records its version as the last opaque one, last, inside its transaction.
    assert [names(s) for s in fake.committed] == [
        ["bump_write_version", "contract_create_area", "mark_opaque_write"],
        ["bump_write_version", "contract_set_households", "mark_opaque_write"],
        ["bump_write_version", "contract_count", "mark_opaque_write"],
        ["bump_write_version", "contract_set_households"],
    ]
    assert all(s["default_access_mode"] == WRITE_ACCESS for s in fake.sessions)


def test_reads_use_read_access_and_every_session_shares_one_bookmark_manager(fake: FakeServer) -> None:
    store = fake.store
    fake.answers["contract_list_areas"] = lambda p: (["id", "households"], [("a1", 3), ("a2", None)])
    store.read("contract_list_areas")
    store.execute_read(lambda tx: tx.run("contract_list_areas"))
    table = store.read_arrow("contract_list_areas")
    store.write("contract_create_area", {"id": "a3", "level": "city", "name": "c", "households": None})
    assert [s["default_access_mode"] for s in fake.sessions] == [READ_ACCESS] * 3 + [WRITE_ACCESS]
    assert len({id(s["bookmark_manager"]) for s in fake.sessions}) == 1
    assert {s["database"] for s in fake.sessions} == {"neo4j"}
    assert table.to_pylist() == [{"id": "a1", "households": 3}, {"id": "a2", "households": None}]
    assert table.schema.field("households").type == pa.int64()


def test_transient_errors_reach_the_driver_which_retries_the_whole_work(fake: FakeServer) -> None:
    store = fake.store
    fake.failures["contract_set_households"] = [driver_error("Neo.TransientError.Transaction.DeadlockDetected")]
    calls: list[int] = []

    def work(tx: Any) -> str:
        calls.append(1)
        tx.run("contract_set_households", {"id": "a1", "households": 2})
        return f"attempt {len(calls)}"

    with count_round_trips() as trips:
        assert store.execute_write(work) == "attempt 2"
    assert fake.rolled_back == 1
    assert [names(s) for s in fake.committed] == [["bump_write_version", "contract_set_households", "mark_opaque_write"]]
    assert trips.count == 5  # both attempts' statements went to the server (the second one's opaque mark too)


def test_driver_errors_become_the_services_errors_and_nothing_commits(fake: FakeServer) -> None:
    store = fake.store
    fake.failures["contract_create_area"] = [
        driver_error("Neo.ClientError.Schema.ConstraintValidationFailed", "Node(1) already exists with id 'a1'"),
        driver_error("Neo.ClientError.Statement.SyntaxError", "Invalid input"),
    ]
    fake.failures["neo4j_bulk_nodes"] = [driver_error("Neo.ClientError.Schema.ConstraintValidationFailed")]
    with pytest.raises(ConflictError, match="already exists"):
        store.write("contract_create_area", AREA_A1)
    with pytest.raises(StoreError, match="SyntaxError"):
        store.execute_write(lambda tx: tx.run("contract_create_area", AREA_A1))
    with pytest.raises(ConflictError):
        store.bulk_load_nodes("Area", pa.table({"id": ["a1"], "level": ["city"], "name": ["菏泽市"]}))
    assert fake.committed == []
    assert fake.rolled_back == 3


def test_bulk_loads_send_batches_in_one_transaction(fake: FakeServer) -> None:
    store = fake.store
    rows = 2 * BATCH_ROWS + 5
    ids = [f"a{i}" for i in range(rows)]
    store.bulk_load_nodes("Area", pa.table({"id": ids, "level": ["city"] * rows, "name": ["甲"] * rows}))
    (tx,) = fake.committed
    assert names(tx) == ["bump_write_version"] + ["neo4j_bulk_nodes"] * 3 + ["mark_opaque_write"]
    batches = [params["rows"] for name, params in tx if name == "neo4j_bulk_nodes"]
    assert [len(b) for b in batches] == [BATCH_ROWS, BATCH_ROWS, 5]
    # The adapter derives the name's sort key on the bulk path too.
    assert batches[2][-1] == {"id": f"a{rows - 1}", "level": "city", "name": "甲", "name_key": natural_key("甲")}


def test_bulk_rels_with_a_missing_endpoint_roll_the_whole_table_back(fake: FakeServer) -> None:
    store = fake.store
    # The server found both ends for every row of the first batch, one row short in the second.
    found = iter([BATCH_ROWS, 2])
    fake.answers["neo4j_bulk_rels"] = lambda p: (["created"], [(next(found),)])
    size = BATCH_ROWS + 3
    table = pa.table({"from": ["p1"] * size, "to": ["o1"] * size, "id": [f"r{i}" for i in range(size)]})
    with pytest.raises(StoreError, match="1 MEMBER_OF relationships name a Person or Organization id"):
        store.bulk_load_rels("MEMBER_OF", "Person", "Organization", table)
    assert fake.committed == [] and fake.rolled_back == 1
    first_row = store.catalog.text("neo4j_bulk_rels", rel="MEMBER_OF", src="Person", dst="Organization")
    assert "MATCH (a:Person {id: row.src})" in first_row and "[r:MEMBER_OF]" in first_row


def test_ensure_schema_tolerates_a_replica_creating_the_same_rules(fake: FakeServer) -> None:
    store = fake.store
    fake.failures["schema"] = [driver_error("Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists")]
    store.ensure_schema()
    statements = split_statements(store.catalog.text("schema"))
    assert fake.autocommit == ["schema"] * len(statements)
    assert [names(s) for s in fake.committed] == [["ensure_write_version"]]
    fake.failures["schema"] = [driver_error("Neo.ClientError.Security.Forbidden", "no schema rights")]
    with pytest.raises(StoreError, match="Forbidden"):
        store.ensure_schema()


def test_a_bulk_load_of_several_tables_is_one_transaction_and_a_late_failure_commits_nothing(fake: FakeServer) -> None:
    store = fake.store
    areas = pa.table({"id": ["a1", "a2"], "level": ["city", "district"], "name": ["甲", "乙"]})
    parts = pa.table({"from": ["a2"], "to": ["a1"], "id": ["a2:PART_OF:a1"]})
    fake.answers["neo4j_bulk_rels"] = lambda p: (["created"], [(len(p["rows"]),)])

    def load(loader: Any) -> str:
        loader.nodes("Area", areas)
        loader.rels("PART_OF", "Area", "Area", parts)
        return "loaded"

    assert store.bulk_load(load) == "loaded"
    (tx,) = fake.committed
    assert names(tx) == ["bump_write_version", "neo4j_bulk_nodes", "neo4j_bulk_rels", "mark_opaque_write"]
    # The relationships' end is missing on the server: the nodes sent before it in the same load go too.
    fake.answers["neo4j_bulk_rels"] = lambda p: (["created"], [(0,)])
    with pytest.raises(StoreError, match="does not exist"):
        store.bulk_load(load)
    assert len(fake.committed) == 1 and fake.rolled_back == 1


def test_a_write_given_a_stale_version_is_refused_inside_its_transaction(fake: FakeServer) -> None:
    store = fake.store
    # The fake's version after a bump is the number of commits so far plus one; the bump comes first.
    store.execute_write(lambda tx: tx.run("contract_count", label="Area"), expected_version=0)
    with pytest.raises(StaleVersionError):
        store.execute_write(lambda tx: tx.run("contract_count", label="Area"), expected_version=0)
    with pytest.raises(StaleVersionError):
        store.bulk_load(lambda loader: None, expected_version=0)
    assert [names(s) for s in fake.committed] == [["bump_write_version", "contract_count", "mark_opaque_write"]]
    assert fake.rolled_back == 2
