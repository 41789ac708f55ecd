"""The exported SDL, ``graphql/schema.graphql``: committed so that schema changes show in review (a test fails
when the file is stale). ``graph-service schema graphql`` rewrites it."""

from __future__ import annotations

from pathlib import Path

from strawberry.printer import print_schema

from graph_service.config import Settings

SDL_PATH = Path(__file__).resolve().parents[1] / "graphql" / "schema.graphql"
HEADER = "# Generated from the strawberry schema by `graph-service schema graphql`. Do not edit.\n\n"


def schema_sdl() -> str:
    """The SDL of the full schema (introspection on, development limits: limits do not change the SDL)."""
    from graph_service.api.schema import build_schema

    return HEADER + print_schema(build_schema(Settings(introspection=True))) + "\n"


def write_sdl(path: Path = SDL_PATH) -> Path:
    """Write the SDL to ``path`` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_sdl(), encoding="utf-8")
    return path


__all__ = ["SDL_PATH", "schema_sdl", "write_sdl"]
