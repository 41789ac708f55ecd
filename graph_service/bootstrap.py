"""The one place that wires the service: settings, the store, the application layer's services and their caches.

The server, the CLI and the tests all get what they need from ``bootstrap``; nothing else opens a store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_service.analysis.projection import ProjectionCache
from graph_service.config import Settings
from graph_service.errors import StoreError
from graph_service.services.activities import ActivityReader
from graph_service.services.analyses import AnalysisService
from graph_service.services.areas import AreaReader
from graph_service.services.audit import AuditTrail
from graph_service.services.brief_calls import BriefCalls
from graph_service.services.calendar import Calendar
from graph_service.services.changes import ChangeService
from graph_service.services.coverage import CoverageReader
from graph_service.services.graph import GraphReader
from graph_service.services.keys import KeyService
from graph_service.services.ledger import LedgerImport
from graph_service.services.measures import CompoundMeasures
from graph_service.services.organizations import OrganizationReader
from graph_service.services.pairing_export import PairingExports
from graph_service.services.people import PeopleReader
from graph_service.services.relations import RelationReader
from graph_service.services.search import SearchReader
from graph_service.services.upgrades import upgrade_store
from graph_service.store.port import Store


@dataclass
class Services:
    """The application layer over one store. Close it to close the store, when ``bootstrap`` opened it."""

    settings: Settings
    store: Store
    calendar: Calendar
    graph: GraphReader
    areas: AreaReader
    organizations: OrganizationReader
    people: PeopleReader
    relations: RelationReader
    activities: ActivityReader
    search: SearchReader
    coverage: CoverageReader
    analyses: AnalysisService
    changes: ChangeService
    audit: AuditTrail
    keys: KeyService
    exports: PairingExports
    ledger: LedgerImport
    #: Where the API's reads run: on the event loop's thread when short (``services.brief_calls``), else a worker.
    brief: BriefCalls
    owns_store: bool = field(default=False)

    def close(self) -> None:
        if self.owns_store:
            self.store.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(settings: Settings, *, ensure_schema: bool = True) -> Store:
    """Open the configured store (LadybugDB by default, Neo4j when ``GRAPH_SERVICE_STORE=neo4j``); with
    ``ensure_schema``, create or upgrade its tables and fill in what an earlier version did not derive."""
    from graph_service.config import StoreKind

    store: Store
    if settings.store is StoreKind.NEO4J:
        from graph_service.store.neo4j import Neo4jStore

        store = Neo4jStore.from_settings(settings)
    else:
        from graph_service.store.embedded import LadybugStore
        from graph_service.store.in_use import in_use_error

        try:
            store = LadybugStore(
                settings.database_path,
                buffer_pool_mb=settings.buffer_pool_mb,
                max_db_gb=settings.max_db_gb,
                statement_threads=settings.store_threads,
                light=settings.store_light_connections or None,
                kept_statements=settings.store_kept_statements,
            )
        except StoreError as exc:
            # Said in one line with what to do, not as LadybugDB's lock message (a server or a command holds it).
            in_use = in_use_error(exc, settings.data_dir)
            if in_use is None:
                raise
            raise in_use from exc
    if ensure_schema:
        store.ensure_schema()
        upgrade_store(store)
    return store


def bootstrap(settings: Settings, store: Store | None = None) -> Services:
    """The services over ``store``, or over the store the settings name (opened here, closed with the services)."""
    owns = store is None
    if store is None:
        store = open_store(settings)
    standards = settings.analysis.standards()
    calendar = Calendar(store)
    calendar.reference_day()  # read now: the first request should not pay for it
    changes = ChangeService(store)
    measures = CompoundMeasures(store)
    return Services(
        settings=settings,
        store=store,
        calendar=calendar,
        graph=GraphReader(store),
        areas=AreaReader(store, standards, calendar),
        organizations=OrganizationReader(store),
        people=PeopleReader(store, calendar),
        relations=RelationReader(store, calendar),
        activities=ActivityReader(store),
        search=SearchReader(store),
        coverage=CoverageReader(store, standards, calendar, measures),
        analyses=AnalysisService(ProjectionCache(store), settings.analysis, calendar, measures),
        changes=changes,
        audit=AuditTrail(store),
        keys=KeyService(store, settings),
        exports=PairingExports(store),
        ledger=LedgerImport(changes),
        brief=BriefCalls(settings.brief_read_ms / 1000, store.brief_reads_ready, store.spread_reads),
        owns_store=owns,
    )


__all__ = ["Services", "bootstrap", "open_store"]
