"""One exception tree for the service; the API maps its subclasses to user errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class GraphServiceError(Exception):
    """Base of every error the service raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: which field, what value, why; ``line`` for file imports."""

    field: str
    message: str
    value: Any = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.message} (value: {self.value!r})"


class ValidationError(GraphServiceError):
    """Input broke a domain rule; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]) + (" ..." if len(problems) > 20 else ""))


class NotFoundError(GraphServiceError):
    """The entity asked for does not exist."""


class ConflictError(GraphServiceError):
    """The change clashes with the current state (a duplicate id, a second writer)."""


class StoreError(GraphServiceError):
    """The store failed; the transaction was rolled back."""


class ConfigurationError(GraphServiceError):
    """Settings are missing or unsafe."""


class PermissionDeniedError(GraphServiceError):
    """The caller's role may not do this."""
