"""Shared fixtures: a real store in a temporary directory, per adapter."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_service.store.embedded import LadybugStore
from graph_service.store.port import Store


def neo4j_test_store() -> Store:
    """The Neo4j at NEO4J_URI, emptied: the contract suite owns that database."""
    from graph_service.config import Neo4jSettings
    from graph_service.store.neo4j import Neo4jStore

    store = Neo4jStore.from_neo4j_settings(Neo4jSettings())
    store.ensure_schema()
    store.clear_all()  # the contract suite owns the test database
    return store


STORE_KINDS = [
    "embedded",
    pytest.param(
        "neo4j",
        marks=[
            pytest.mark.neo4j,
            pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: no Neo4j 5 server to test against"),
        ],
    ),
]


@pytest.fixture(params=STORE_KINDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Every adapter, each on an empty database: the contract suite runs against this."""
    store = LadybugStore(tmp_path / "graph.lbdb") if request.param == "embedded" else neo4j_test_store()
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    """The embedded store on an empty database in a temporary directory."""
    s = LadybugStore(tmp_path / "graph.lbdb")
    s.ensure_schema()
    yield s
    s.close()
