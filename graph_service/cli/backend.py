"""Where a command's work is done: here, on the store (``Local``), or by the server that owns it (``cli.remote``).

LadybugDB lets one process open the database file. While ``graph-service serve`` runs on the data directory, the
commands that touch the store (``keys``, ``analyze``, ``import``, ``export``, ``ledger import``) go through it;
otherwise they open the store themselves, as they always did. Both backends return the same objects of the application layer, so a
command prints the same tables, progress and messages either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import Protocol

from graph_service.api.discovery import TOKEN_FILE, find_server, read_token
from graph_service.bootstrap import bootstrap
from graph_service.cli.output import err
from graph_service.config import Settings
from graph_service.domain.access import Role
from graph_service.errors import ConfigurationError
from graph_service.services.analyses import AnalysisReport, AnalysisRunRecord, Progress
from graph_service.services.keys import ApiKeyInfo, local_actor
from graph_service.services.ledger import LedgerReport
from graph_service.services.ndjson_export import TableProgress, export_records
from graph_service.services.ndjson_import import ImportProgress, ImportReport, import_lines, read_file


class Backend(Protocol):
    """What the commands ask of the store, wherever it is."""

    def create_key(self, role: Role, note: str) -> tuple[ApiKeyInfo, str]: ...

    def list_keys(self) -> list[ApiKeyInfo]: ...

    def revoke_key(self, key_id: str) -> ApiKeyInfo: ...

    def analyze(
        self, area: str | None, as_of: date | None, progress: Progress
    ) -> tuple[AnalysisReport, AnalysisRunRecord | None]:
        """Run every analysis and save the run; the report, and the run before it (for the same area)."""
        ...

    def import_file(self, path: Path, progress: ImportProgress) -> ImportReport: ...

    def export(self, progress: TableProgress) -> AbstractContextManager[Iterator[str]]:
        """The export's lines, to be read inside the ``with``."""
        ...

    def import_ledger(self, data: bytes, dry_run: bool) -> LedgerReport:
        """Import a dual check-in ledger (.xlsx bytes); ``LedgerRefusedError`` names every bad row."""
        ...


class Local:
    """The store of the data directory, opened by this process for each command."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create_key(self, role: Role, note: str) -> tuple[ApiKeyInfo, str]:
        with bootstrap(self.settings) as services:
            return services.keys.create(role, note)

    def list_keys(self) -> list[ApiKeyInfo]:
        with bootstrap(self.settings) as services:
            return services.keys.list()

    def revoke_key(self, key_id: str) -> ApiKeyInfo:
        with bootstrap(self.settings) as services:
            return services.keys.revoke(key_id)

    def analyze(
        self, area: str | None, as_of: date | None, progress: Progress
    ) -> tuple[AnalysisReport, AnalysisRunRecord | None]:
        with bootstrap(self.settings) as services:
            previous = next(iter(services.analyses.runs(area, limit=1)), None)
            return services.analyses.run_all(area, progress, as_of=as_of), previous

    def import_file(self, path: Path, progress: ImportProgress) -> ImportReport:
        lines = read_file(path)
        with bootstrap(self.settings) as services:
            return import_lines(services.store, lines, progress, batch_size=self.settings.import_batch_size)

    @contextmanager
    def export(self, progress: TableProgress) -> Iterator[Iterator[str]]:
        with bootstrap(self.settings) as services:
            yield export_records(services.store, progress)

    def import_ledger(self, data: bytes, dry_run: bool) -> LedgerReport:
        with bootstrap(self.settings) as services:
            return services.ledger.run(local_actor(), data, dry_run=dry_run)


def choose_backend(settings: Settings, server: str | None = None, key: str | None = None) -> Backend:
    """The server named by ``server`` (with the admin API ``key``), else the one serving the data directory (as
    the local administrator, with its token), else the store itself."""
    from graph_service.cli.remote import Remote

    data_dir = Path(settings.data_dir)
    if server:
        credential = key or _token_of(data_dir, server)
        if not credential:
            raise ConfigurationError(
                f"--server {server} needs an admin API key: pass --key KEY or set GRAPH_SERVICE_ADMIN_KEY "
                f"(the local token in {data_dir / TOKEN_FILE} is only for the server that wrote it)"
            )
        return Remote(server, credential)
    found = find_server(data_dir)
    if found.note:
        err.print(f"note: {found.note}", highlight=False)
    if found.server is None:
        return Local(settings)
    if key:
        return Remote(found.server.url, key)
    try:
        token = read_token(data_dir)
    except OSError as exc:
        raise ConfigurationError(
            f"the store in {data_dir} is served by {found.server.describe()}, but its admin token "
            f"{data_dir / TOKEN_FILE} cannot be read ({exc.strerror}): run this command as the user who runs the "
            "server, or pass an admin API key with --key"
        ) from None
    return Remote(found.server.url, token)


def _token_of(data_dir: Path, server: str) -> str | None:
    """The local token, when ``server`` is the very server announced in ``data_dir``."""
    from graph_service.api.discovery import read_server

    try:
        info = read_server(data_dir)
        if info is None or info.url.rstrip("/") != server.rstrip("/"):
            return None
        return read_token(data_dir)
    except (OSError, ValueError):
        return None


__all__ = ["Backend", "Local", "choose_backend"]
