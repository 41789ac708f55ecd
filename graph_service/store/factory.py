"""The one place that picks and opens the store named by the settings."""

from __future__ import annotations

from graph_service.config import Settings, StoreKind
from graph_service.store.port import Store


def open_store(settings: Settings, *, ensure_schema: bool = True) -> Store:
    """Open the configured store (LadybugDB by default, Neo4j when ``GRAPH_SERVICE_STORE=neo4j``)."""
    store: Store
    if settings.store is StoreKind.NEO4J:
        from graph_service.store.neo4j import Neo4jStore

        store = Neo4jStore.from_settings(settings)
    else:
        from graph_service.store.embedded import LadybugStore

        store = LadybugStore(settings.database_path)
    if ensure_schema:
        store.ensure_schema()
    return store
