"""Why the embedded store's ``read_arrow`` does not use LadybugDB's native Arrow collector.

``Connection.query_as_arrow`` builds the Arrow batches while the statement runs, without the interpreter's lock: at
scale 10 it would take away the 300 ms during which ``get_as_arrow`` holds the lock for the memberships
(docs/performance.md, "The projection's columns converted in short calls"). In ladybug 0.22.0 it gives a null as
the type's zero (0, '', false, 1970-01-01). This test asserts the nulls it should keep; it is expected to fail
until a release keeps them, and then passes (strict: the run turns red), saying the collector can be used.
"""

from __future__ import annotations

from pathlib import Path

import ladybug
import pytest

ROWS = [
    "CREATE (:T {id: 'a', n: 1, d: date('2024-03-01'), s: 'x', b: true})",
    "CREATE (:T {id: 'b'})",
]
QUERY = "MATCH (t:T) RETURN t.id AS id, t.n AS n, t.d AS d, t.s AS s, t.b AS b ORDER BY t.id"


@pytest.fixture
def connection(tmp_path: Path) -> ladybug.Connection:
    db = ladybug.Database(str(tmp_path / "arrow.lbdb"))
    conn = ladybug.Connection(db, num_threads=1)
    conn.execute("CREATE NODE TABLE T(id STRING PRIMARY KEY, n INT64, d DATE, s STRING, b BOOLEAN)")
    for row in ROWS:
        conn.execute(row)
    return conn


def test_the_result_read_as_arrow_keeps_nulls(connection: ladybug.Connection) -> None:
    # The path read_arrow takes: the premise of the test below.
    table = connection.execute(QUERY).get_as_arrow()
    assert table.to_pylist()[1] == {"id": "b", "n": None, "d": None, "s": None, "b": None}


@pytest.mark.xfail(strict=True, reason="ladybug 0.22.0's native Arrow collector gives nulls as zeros")
def test_the_native_arrow_collector_keeps_nulls(connection: ladybug.Connection) -> None:
    table = connection.query_as_arrow(QUERY, 1024).get_as_arrow()
    assert table.to_pylist()[1] == {"id": "b", "n": None, "d": None, "s": None, "b": None}
