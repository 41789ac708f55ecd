"""What the commands print: one console for errors and progress (standard error), one for results."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console

from graph_service.errors import GraphServiceError, ValidationError

# soft_wrap: messages name values and paths that tests and scripts grep for, so never break them mid-line.
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def fail(exc: GraphServiceError) -> None:
    """Print ``exc`` (every problem of a refused input, one a line) and exit with status 1."""
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            err.print(f"[red]error[/red] {problem}", markup=True, highlight=False)
        err.print(f"{len(exc.problems)} problem(s); nothing was written.")
    else:
        err.print(f"[red]error[/red] {exc}", highlight=False)
    raise typer.Exit(code=1)


class PhaseProgress:
    """A rich progress bar for work in phases (``ImportProgress``): one bar per phase, replaced by the next."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.task: Any = None

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, count: int) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)


__all__ = ["PhaseProgress", "err", "fail", "out"]
