"""What the admin API sends and the CLI reads: the application layer's results as JSON and back, progress, errors.

A result (an ``ImportReport``, an ``AnalysisReport``, an ``ApiKeyInfo``) travels as the JSON of its dataclass
fields (dates as ISO text, sets as lists) and is rebuilt on the other side by pydantic from the same dataclass's
type hints, so the CLI prints a report from the server with the very code that prints a local one.

Long work answers with a stream of NDJSON events, one JSON object a line:

- ``{"progress": [method, *args]}``: a call to make on the command's progress display (``phase``, ``advance``,
  ``step``), in order;
- then exactly one ``{"result": ...}``, or ``{"errors": [...]}`` in the service's error shape when the work failed
  after the stream had started (the HTTP status is 200 by then).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

from graph_service.errors import ConflictError, GraphServiceError, NotFoundError, PermissionDeniedError, ValidationError

T = TypeVar("T")

#: The header in which the shell names its operating-system user, for the audit trail (with the local token only).
USER_HEADER = "X-Graph-Service-User"
#: Where ``graph-service ledger import`` sends a ledger through the server (``api/ledger.py``).
LEDGER_ADMIN_PATH = "/admin/ledger"
PROGRESS = "progress"
RESULT = "result"
ERRORS = "errors"
#: The progress calls an event may ask for (a stream names nothing else to call).
PROGRESS_CALLS = frozenset({"phase", "advance", "step"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return {key: _data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_data(item) for item in value]
    return value


def to_json(value: Any) -> str:
    """``value`` (dataclasses, lists and maps of them, plain values) as one line of JSON."""
    return json.dumps(_data(value), ensure_ascii=False, separators=(",", ":"), default=_jsonable)


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def from_data(kind: type[T], data: Any) -> T:
    """``data`` (decoded JSON) as a ``kind``: a dataclass, or a type such as ``list[ApiKeyInfo]``."""
    result: T = _adapter(kind).validate_python(data)  # type: ignore[arg-type]
    return result


# --- errors ---------------------------------------------------------------------------------------------------


def error_status(exc: GraphServiceError) -> tuple[int, str]:
    """The HTTP status and ``extensions.code`` of an error of the application layer."""
    if isinstance(exc, ValidationError):
        return 400, "BAD_USER_INPUT"
    if isinstance(exc, NotFoundError):
        return 404, "NOT_FOUND"
    if isinstance(exc, ConflictError):
        return 409, "BAD_USER_INPUT"
    if isinstance(exc, PermissionDeniedError):
        return 403, "FORBIDDEN"
    return 500, "SERVICE_ERROR"


def error_body(exc: GraphServiceError) -> dict[str, Any]:
    """The service's error shape for ``exc``; a refused input gives one error per problem, with where and what.

    Each problem's ``message`` is its whole text (``Problem.__str__``), so the CLI prints exactly what a local
    run prints; ``extensions`` carry the parts (``field``, ``line``, ``value``) for programs.
    """
    _, code = error_status(exc)
    if isinstance(exc, ValidationError):
        errors = []
        for problem in exc.problems:
            extensions: dict[str, Any] = {"code": code, "field": problem.field, "problem": problem.message}
            if problem.line is not None:
                extensions["line"] = problem.line
            extensions["value"] = _plain(problem.value)
            errors.append({"message": str(problem), "extensions": extensions})
        return {ERRORS: errors}
    return message_body(str(exc), code)


def message_body(message: str, code: str) -> dict[str, Any]:
    return {ERRORS: [{"message": message, "extensions": {"code": code}}]}


def _plain(value: Any) -> Any:
    """``value`` if JSON can carry it as it is, else its ``repr`` (bytes of a file that is not UTF-8, say)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return repr(value)
    return value


__all__ = [
    "ERRORS",
    "LEDGER_ADMIN_PATH",
    "PROGRESS",
    "PROGRESS_CALLS",
    "RESULT",
    "USER_HEADER",
    "error_body",
    "error_status",
    "from_data",
    "message_body",
    "to_json",
]
