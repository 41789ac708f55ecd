"""Typed settings, read once from the environment (prefix ``GRAPH_SERVICE_``) and ``.env``."""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service.domain.standards import DEFAULT_STANDARDS, CoverageGap, Standards, WeaknessFactor
from graph_service.errors import ConfigurationError

#: LadybugDB's buffer pool in MiB unless set: it holds the pages read and the working memory of running queries
#: (hash tables, sorts). LadybugDB's own default is about 80% of the machine's memory, which a server sharing a
#: machine never gives back (1.8 GB after a 16-client load at scale 1, for a 56 MB database file). 512 MiB ran
#: full at scale 1 when the console's views ran the coverage figures, an analysis projection and a community's
#: network one after another ("The buffer pool is full and no memory could be freed"); 1 GiB held them
#: (docs/performance.md). The pool is a cap: memory is taken as the work needs it, but a larger cap lets the pool keep
#: more pages, so the cap follows the data rather than the machine (``buffer_pool_mb_for``).
DEFAULT_BUFFER_POOL_MB = 1024
#: Unless set, the buffer pool is the larger of ``DEFAULT_BUFFER_POOL_MB`` and this many times the database file. At
#: scale 10 (a 632 MB file) 1 GiB ran full in the example operations (an area's organisational life: "the buffer pool
#: is full"), 2 GiB held all of them under 16 clients; at scale 1 (an 80 MB file) the pool stays at 1 GiB.
BUFFER_POOL_PER_DATABASE_BYTE = 4
#: The least buffer pool a setting may ask for, in MiB.
MIN_BUFFER_POOL_MB = 64


#: Prepared statements a connection of the embedded store keeps unless set (``GRAPH_SERVICE_STORE_KEPT_STATEMENTS``):
#: at scale 1, 32 held the server to 0.90 GiB through the 16-client examples where 512 took 0.99
#: (docs/performance.md#kept-statements-fill-the-buffer-pool).
DEFAULT_KEPT_STATEMENTS = 32
#: The default of ``brief_read_ms``: see docs/performance.md, "Short reads on the event loop's thread".
BRIEF_READ_MS = 25.0


def buffer_pool_mb_for(setting: int, database: Path) -> int:
    """The buffer pool in MiB for the database file ``database``: ``setting`` when set (not 0), else the larger of
    ``DEFAULT_BUFFER_POOL_MB`` and ``BUFFER_POOL_PER_DATABASE_BYTE`` times the file's size (a new store: the
    default)."""
    if setting:
        return setting
    size = database.stat().st_size if database.is_file() else 0
    return max(DEFAULT_BUFFER_POOL_MB, -(-BUFFER_POOL_PER_DATABASE_BYTE * size // 2**20))


#: The largest the embedded database file may grow, in GiB (a power of two): LadybugDB reserves this much address
#: space (not memory) per open database, 8 TiB by default, which lets one process open about 15 databases at once.
#: Lower it only for many small stores in one process: the engine also carves its buffer pool's and its queries'
#: temporary pages out of this space, and at 1 TiB a city at scale 1 ran out after a few coverage and analysis
#: requests ("The buffer pool is full and no memory could be freed").
DEFAULT_MAX_DB_GB = 8192


class StoreKind(str, Enum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class Environment(str, Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Neo4jSettings(BaseSettings):
    """Neo4j connection, read from the driver's usual variables (``NEO4J_URI`` ...)."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", env_file=".env", extra="ignore")

    uri: str | None = None
    user: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str = "neo4j"


class AnalysisSettings(BaseSettings):
    """Thresholds and weights of the analyses (``GRAPH_SERVICE_ANALYSIS_*``); defaults from ``domain.standards``.

    Weights: JSON maps of factor code to points, overriding the defaults in ``graph_service.analysis.common``,
    e.g. ``GRAPH_SERVICE_ANALYSIS_COVERAGE_WEIGHTS='{"no_branch": 40}'``.
    """

    model_config = SettingsConfigDict(env_prefix="GRAPH_SERVICE_ANALYSIS_", env_file=".env", extra="ignore")

    min_branch_members: int = Field(default=DEFAULT_STANDARDS.min_branch_members, ge=1)
    secretary_vacant_days: int = Field(default=DEFAULT_STANDARDS.secretary_vacant_days, ge=0)
    min_central_households_per_100: float = Field(default=DEFAULT_STANDARDS.min_central_households_per_100, ge=0)
    max_share_buildings_without_group: float = Field(default=DEFAULT_STANDARDS.max_share_buildings_without_group, ge=0, le=1)
    max_share_buildings_without_leader: float = Field(default=DEFAULT_STANDARDS.max_share_buildings_without_leader, ge=0, le=1)
    min_registered_per_100_households: float = Field(default=DEFAULT_STANDARDS.min_registered_per_100_households, ge=0)
    max_unresolved_appeals: int = Field(default=DEFAULT_STANDARDS.max_unresolved_appeals, ge=0)
    max_posts_per_person: int = Field(default=DEFAULT_STANDARDS.max_posts_per_person, ge=1)
    under_covered_below: float = Field(default=DEFAULT_STANDARDS.under_covered_below, ge=0, le=100)
    weak_above: float = Field(default=DEFAULT_STANDARDS.weak_above, ge=0, le=100)
    broker_sample: int = Field(default=50, ge=1, description="Sources sampled for betweenness (structure analysis)")
    coverage_weights: dict[str, float] = Field(default_factory=dict, description="CoverageGap code -> points")
    weakness_weights: dict[str, float] = Field(default_factory=dict, description="WeaknessFactor code -> points")

    @model_validator(mode="after")
    def _check_weights(self) -> AnalysisSettings:
        for name, codes in (
            ("coverage_weights", {g.value for g in CoverageGap}),
            ("weakness_weights", {f.value for f in WeaknessFactor}),
        ):
            for code, points in getattr(self, name).items():
                if code not in codes:
                    raise ConfigurationError(f"GRAPH_SERVICE_ANALYSIS_{name.upper()}: unknown code {code!r}")
                if points < 0:
                    raise ConfigurationError(f"GRAPH_SERVICE_ANALYSIS_{name.upper()}: {code} = {points} is negative")
        return self

    def standards(self) -> Standards:
        """The thresholds as the ``Standards`` the analyses take."""
        return Standards(**{name: getattr(self, name) for name in Standards.__dataclass_fields__})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPH_SERVICE_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    store: StoreKind = StoreKind.EMBEDDED
    data_dir: Path = Path("./data")
    api_keys: SecretStr = Field(default=SecretStr(""), description="role:key,role:key")
    max_page_size: int = Field(default=500, ge=1)
    default_page_size: int = Field(default=50, ge=1)
    # Relay connections spend three levels per list (field, edges, node): 15 allows city -> district -> street.
    max_query_depth: int = Field(default=15, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=10)
    max_query_cost: int = Field(default=50_000, ge=1)
    request_timeout_seconds: float = Field(default=10.0, gt=0)
    # A read whose call site has kept within this many ms runs on the event loop's thread rather than in a worker
    # (services/brief_calls.py); the longest the loop is held by one such read, but for a site's rare run over it.
    # 0: every read in a worker.
    brief_read_ms: float = Field(default=BRIEF_READ_MS, ge=0, le=1000)
    # A request body over this many bytes gets 413 before it is read whole (any route); GraphQL requests are small.
    max_request_bytes: int = Field(default=2_000_000, ge=1024)
    # A GraphQL document over this many characters is refused before it is lexed (a 10 MB comment took 3 s).
    max_query_length: int = Field(default=100_000, ge=100)
    introspection: bool = True
    # Answers to GraphQL queries kept until the next write, in MiB of response bodies; 0 turns it off
    # (api/response_cache.py).
    response_cache_mb: int = Field(default=32, ge=0)
    import_batch_size: int = Field(default=5000, ge=1)
    # An NDJSON file sent to the admin API's import (`graph-service import` while the server runs): its own limit,
    # far above a GraphQL request's, because the file streams to disk and is checked before anything is written.
    max_import_bytes: int = Field(default=2_000_000_000, ge=1024)
    # The embedded store's buffer pool in MiB; 0: from the database's size when it is opened (buffer_pool_mb_for).
    buffer_pool_mb: int = Field(default=0, ge=0)
    # Threads the embedded store gives each statement; 0: one thread until a statement has shown itself heavy, every
    # core after (store/thread_choice.py); a number: that many for every statement (docs/performance.md).
    store_threads: int = Field(default=0, ge=0)
    # One-thread connections of the embedded store (where a read starts when store_threads is 0); 0: one per core
    # beside the event loop's, at least one (store.embedded.light_connections). Each keeps its plans and memory.
    store_light_connections: int = Field(default=0, ge=0, le=64)
    # Prepared statements each connection of the embedded store keeps, the least recently run going first. Each holds
    # the working memory it last ran in (docs/performance.md#kept-statements-fill-the-buffer-pool): more run faster
    # after a mixed load's first requests, fewer keep the server smaller.
    store_kept_statements: int = Field(default=DEFAULT_KEPT_STATEMENTS, ge=1, le=4096)
    # Build the analysis projection and the city's and districts' figures in the background at start and after
    # writes, so the console's first visitor does not wait for them (services/warmup.py).
    warm_up: bool = True
    # The largest the embedded database may grow in GiB, a power of two (see DEFAULT_MAX_DB_GB).
    max_db_gb: int = Field(default=DEFAULT_MAX_DB_GB, ge=1)
    # An uploaded dual check-in ledger (.xlsx, compressed): a ledger of the most rows it may hold is about 300 KB.
    max_ledger_bytes: int = Field(default=10_000_000, ge=1024)
    # A table the console sends to be written as .xlsx (JSON): larger than a GraphQL request, bounded all the same.
    max_table_bytes: int = Field(default=20_000_000, ge=1024)
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "graph.lbdb"

    @property
    def production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @model_validator(mode="after")
    def _check_store(self) -> Settings:
        if 0 < self.buffer_pool_mb < MIN_BUFFER_POOL_MB:
            raise ConfigurationError(
                f"GRAPH_SERVICE_BUFFER_POOL_MB must be 0 (sized from the database) or at least {MIN_BUFFER_POOL_MB}: "
                f"not {self.buffer_pool_mb}"
            )
        if self.max_db_gb & (self.max_db_gb - 1):
            raise ConfigurationError(f"GRAPH_SERVICE_MAX_DB_GB must be a power of two (LadybugDB's rule): not {self.max_db_gb}")
        if self.store is StoreKind.NEO4J and not self.neo4j.uri:
            raise ConfigurationError("GRAPH_SERVICE_STORE=neo4j needs NEO4J_URI (for example neo4j://localhost:7687)")
        if (
            self.production
            and self.store is StoreKind.NEO4J
            and self.neo4j.password.get_secret_value() in ("", "neo4j", "password")
        ):
            raise ConfigurationError("NEO4J_PASSWORD is empty or a default; refused in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
