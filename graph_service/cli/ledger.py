"""``graph-service ledger import`` and ``ledger template``: the dual check-in ledger (双报到台账) from the shell.

The import runs on the store, or through the server that serves it (``cli/backend.py``), exactly as an upload
to ``POST /ledger/registrations`` does; a refusal is printed as a table of row, column, value and message. The
template is the one the server offers, written from the same column definition (``domain/ledger.py``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from graph_service.cli.backend import Backend
from graph_service.cli.output import err, out
from graph_service.errors import InputError
from graph_service.services.ledger import LedgerProblem, LedgerRefusedError, LedgerReport, template
from graph_service.services.xlsx import SpreadsheetError


def import_ledger_command(backend: Backend, path: Path, dry_run: bool, max_bytes: int) -> LedgerReport:
    """Check (and unless ``dry_run``, write) the ledger at ``path``; a refusal exits with status 1."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(f"{path} is {size} bytes, more than a ledger may be ({max_bytes}, GRAPH_SERVICE_MAX_LEDGER_BYTES)")
    data = path.read_bytes()
    err.print(f"checking {path} ({size} bytes){' (dry run)' if dry_run else ''} ...", highlight=False)
    try:
        report = backend.import_ledger(data, dry_run)
    except LedgerRefusedError as exc:
        _print_problems(exc.problems)
        raise typer.Exit(code=1) from None
    except SpreadsheetError as exc:
        _print_problems([LedgerProblem(None, None, None, str(exc))])
        raise typer.Exit(code=1) from None
    if report.dry_run:
        summary = f"{report.rows} row(s) of sheet {report.sheet!r} checked: all pass; nothing written (dry run)"
    else:
        summary = f"{report.written} registration(s) written from {report.rows} row(s) of sheet {report.sheet!r}"
    out.print(summary, highlight=False)
    return report


def _print_problems(problems: list[LedgerProblem]) -> None:
    table = Table(title="the ledger was refused", title_justify="left")
    for column in ("row", "column", "value", "message"):
        table.add_column(column, justify="right" if column == "row" else "left", overflow="fold")
    for problem in problems:
        value = "" if problem.value is None else str(problem.value)
        table.add_row(str(problem.row or ""), problem.column or "", value, problem.message)
    err.print(table)
    err.print(f"{len(problems)} problem(s); nothing was written.", highlight=False)


def template_command(path: Path) -> None:
    """Write the template to ``path``."""
    path.write_bytes(template())
    out.print(f"wrote the ledger template to {path}", highlight=False)


__all__ = ["import_ledger_command", "template_command"]
