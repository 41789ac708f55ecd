"""Typed settings, read once from the environment (prefix ``GRAPH_SERVICE_``) and ``.env``."""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_service.errors import ConfigurationError


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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPH_SERVICE_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    store: StoreKind = StoreKind.EMBEDDED
    data_dir: Path = Path("./data")
    api_keys: SecretStr = Field(default=SecretStr(""), description="role:key,role:key")
    max_page_size: int = Field(default=500, ge=1)
    default_page_size: int = Field(default=50, ge=1)
    max_query_depth: int = Field(default=10, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=10)
    max_query_cost: int = Field(default=50_000, ge=1)
    request_timeout_seconds: float = Field(default=10.0, gt=0)
    introspection: bool = True
    import_batch_size: int = Field(default=5000, ge=1)
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)

    @property
    def database_path(self) -> Path:
        return self.data_dir / "graph.lbdb"

    @property
    def production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @model_validator(mode="after")
    def _check_store(self) -> Settings:
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
