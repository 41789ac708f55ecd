"""User errors in mutation payloads: what was wrong with the input, never a stack trace or Cypher."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import strawberry

from graph_service.errors import (
    MESSAGE_LIMIT,
    ConflictError,
    GraphServiceError,
    NotFoundError,
    Problem,
    ValidationError,
    clip,
)


@strawberry.type(description="A problem with a mutation's input: which field, why, and the value given.")
class UserError:
    field: str = strawberry.field(description="The input field at fault (e.g. `endDate`, `to`, `post`)")
    message: str = strawberry.field(description="Why the value was refused")
    value: str | None = strawberry.field(default=None, description="The refused value as text, if any")


def _text(value: Any) -> str | None:
    """The refused value as text, cut to a short prefix (a 1 MB value is not sent back whole)."""
    if value is None:
        return None
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, date):  # as the client wrote it (GraphQL's Date), not as a JSON string
        return value.isoformat()
    try:
        return clip(json.dumps(value, ensure_ascii=False, default=str))
    except (TypeError, ValueError):
        return clip(str(value))


def from_problem(problem: Problem) -> UserError:
    return UserError(field=_camel(problem.field), message=clip(problem.message, MESSAGE_LIMIT), value=_text(problem.value))


def from_exception(exc: GraphServiceError, *, field: str = "id", value: Any = None) -> list[UserError]:
    """The user errors an expected service error stands for (validation, not found, conflict)."""
    if isinstance(exc, ValidationError):
        return [from_problem(p) for p in exc.problems]
    if isinstance(exc, NotFoundError | ConflictError) and hasattr(exc, "field"):
        # The service's own errors name the field and value and carry a message written for users.
        problem_value = getattr(exc, "value", None)
        return [UserError(field=_camel(exc.field), message=clip(str(exc), MESSAGE_LIMIT), value=_text(problem_value or value))]
    if isinstance(exc, ConflictError):
        # Raised by the engine (e.g. a concurrent writer took the same id): its text is not for users.
        message = "clashes with a concurrent change; nothing was written, try again"
        return [UserError(field=_camel(field), message=message, value=_text(value))]
    if isinstance(exc, NotFoundError):
        return [UserError(field=_camel(field), message="not found", value=_text(value))]
    return [UserError(field=_camel(field), message="the change could not be stored; nothing was written", value=None)]


def _camel(name: str) -> str:
    """GraphQL spells input fields in camelCase; problems name the stored (snake_case) property."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
