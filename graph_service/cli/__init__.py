"""The one console script, ``graph-service``: serve, seed, import, export, analyze, keys, ledger, schema.

While ``serve`` runs on the data directory, the commands that touch the store go through it (``cli/backend.py``);
``--server URL`` (with an admin API key) names a server elsewhere.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graph_service.cli.output import fail
from graph_service.config import get_settings
from graph_service.errors import GraphServiceError

if TYPE_CHECKING:
    from graph_service.cli.backend import Backend

app = typer.Typer(help="Organisational network service: Party-building-led community governance graph.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (stored hashed).", no_args_is_help=True)
schema_app = typer.Typer(help="Schema files generated from the domain catalogue.", no_args_is_help=True)
ledger_app = typer.Typer(help="The dual check-in ledger (双报到台账): its template and its import.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(schema_app, name="schema")
app.add_typer(ledger_app, name="ledger")


ServerOption = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="GRAPH_SERVICE_SERVER",
        help="Go through the graph-service at this URL (default: the one serving the data directory, if any)",
        show_default=False,
    ),
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key",
        envvar="GRAPH_SERVICE_ADMIN_KEY",
        help="Admin API key for --server (not needed for the server of the data directory)",
        show_default=False,
    ),
]


def _backend(server: str | None, key: str | None) -> Backend:
    from graph_service.cli.backend import choose_backend

    return choose_backend(get_settings(), server, key)


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    demo: Annotated[bool, typer.Option(help="Seed the Heze demo dataset into an empty store first")] = False,
    scale: Annotated[float, typer.Option(help="Scale of the demo dataset with --demo")] = 1.0,
) -> None:
    """Run the GraphQL service (GraphiQL at /graphql, health at /healthz)."""
    from graph_service.allocator import limit_arenas
    from graph_service.api.server import run

    limit_arenas()  # before the server's threads: see graph_service/allocator.py
    try:
        run(get_settings(), host=host, port=port, demo=demo, demo_scale=scale)
    except GraphServiceError as exc:
        fail(exc)


@app.command()
def seed(
    profile: Annotated[str, typer.Option(help="Dataset profile")] = "heze",
    scale: Annotated[float, typer.Option(help="1 reproduces the published figures; 0.01 is a small test city")] = 1.0,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same city")] = 7,
    out: Annotated[Path | None, typer.Option(help="Also write the dataset as NDJSON here")] = None,
) -> None:
    """Generate the demo city into the store and write its planted ground truth beside the data."""
    from graph_service.cli.data import seed_command

    try:
        seed_command(get_settings(), profile=profile, scale=scale, seed=seed_value, out_path=out)
    except GraphServiceError as exc:
        fail(exc)


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="NDJSON file (see README: import format)", exists=True, dir_okay=False)],
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Import an NDJSON file: every record is checked first; any bad record means nothing is written."""
    from graph_service.cli.data import import_command

    try:
        import_command(_backend(server, key), path)
    except GraphServiceError as exc:
        fail(exc)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="NDJSON file to write ('-' for standard output)")],
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Export the whole domain graph as NDJSON, sorted, so that equal graphs give equal files."""
    from graph_service.cli.data import export_command

    try:
        export_command(_backend(server, key), path)
    except GraphServiceError as exc:
        fail(exc)


@app.command()
def analyze(
    area: Annotated[str | None, typer.Option(help="Limit to this area id (district, street, community)")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="Output format")] = OutputFormat.TABLE,
    out: Annotated[Path | None, typer.Option(help="Write the result here instead of the terminal")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Judge posts and pairings as in force on this day (YYYY-MM-DD); default today")
    ] = None,
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Run the coverage, weakness and structure analyses and save the run."""
    from graph_service.cli.analyze import analyze_command

    try:
        day = date.fromisoformat(as_of) if as_of is not None else None
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    try:
        analyze_command(_backend(server, key), area=area, output_format=output_format.value, out_path=out, as_of=day)
    except GraphServiceError as exc:
        fail(exc)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="viewer, analyst, integration, editor or admin")],
    note: Annotated[str, typer.Option(help="Who or what the key is for")] = "",
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    from graph_service.cli.keys import create_key_command

    try:
        create_key_command(_backend(server, key), role=role, note=note)
    except GraphServiceError as exc:
        fail(exc)


class KeysFormat(str, Enum):
    TABLE = "table"
    JSON = "json"


@keys_app.command("list")
def keys_list(
    output_format: Annotated[KeysFormat, typer.Option("--format", help="Output format")] = KeysFormat.TABLE,
    active: Annotated[bool, typer.Option("--active", help="Leave out revoked keys")] = False,
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """List API keys: id, role, where it comes from, note, created, revoked (never the key or its hash)."""
    from graph_service.cli.keys import list_keys_command

    try:
        list_keys_command(_backend(server, key), as_json=output_format is KeysFormat.JSON, active_only=active)
    except GraphServiceError as exc:
        fail(exc)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, as `keys list` shows it")],
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Revoke a stored API key: every request with it is refused from now on."""
    from graph_service.cli.keys import revoke_key_command

    try:
        revoke_key_command(_backend(server, key), key_id)
    except GraphServiceError as exc:
        fail(exc)


@ledger_app.command("import")
def ledger_import(
    path: Annotated[Path, typer.Argument(help="The filled ledger (.xlsx)", exists=True, dir_okay=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and write nothing")] = False,
    server: ServerOption = None,
    key: KeyOption = None,
) -> None:
    """Import a dual check-in ledger: every row is checked first; any bad row means nothing is written."""
    from graph_service.cli.ledger import import_ledger_command

    try:
        import_ledger_command(_backend(server, key), path, dry_run, get_settings().max_ledger_bytes)
    except GraphServiceError as exc:
        fail(exc)


@ledger_app.command("template")
def ledger_template(
    path: Annotated[Path, typer.Argument(help="Where to write the template (.xlsx)", dir_okay=False)],
) -> None:
    """Write the ledger template: its columns, an example row and a sheet of notes."""
    from graph_service.cli.ledger import template_command

    template_command(path)


@schema_app.command("ddl")
def schema_ddl() -> None:
    """Rewrite cypher/*/schema.cypher from the domain catalogue."""
    from graph_service.store.ddl import write_ddl_files

    for path in write_ddl_files():
        typer.echo(f"wrote {path}")


@schema_app.command("graphql")
def schema_graphql() -> None:
    """Rewrite graphql/schema.graphql from the GraphQL schema."""
    from graph_service.api.sdl import write_sdl

    typer.echo(f"wrote {write_sdl()}")


if __name__ == "__main__":
    app()
