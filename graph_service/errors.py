"""One exception tree for the service, and the one way an error message quotes a value.

Every error raised on purpose derives from ``GraphServiceError`` and says, as class attributes, the code the API
answers with (``code``) and whether the caller caused it (``client_fault``): a client's mistake keeps its message
in production and is logged in one line; anything else is masked in production and logged with its traceback.

```
GraphServiceError                 SERVICE_ERROR     the service failed (masked in production)
├── BadInputError                 BAD_USER_INPUT    the request or an argument is unusable
│   ├── ValidationError                             input broke a domain rule (one Problem per field)
│   ├── InputError                                  an argument the API cannot use
│   └── RequestError                                an HTTP request we cannot run (carries its status)
├── ConflictError                 BAD_USER_INPUT    a change clashes with the stored state
├── NotFoundError                 NOT_FOUND
├── PermissionDeniedError         FORBIDDEN
├── StoreError                    SERVICE_ERROR     the store failed; its text may quote the driver
├── ConfigurationError            SERVICE_ERROR
└── UnknownQueryError             SERVICE_ERROR     no named Cypher query of that name (a bug, not input)
```

A value the client sent is shown in a message only through ``echo`` (or ``clip`` for text shown as is): escaped,
so control characters and lone surrogates cannot break a log line or a response, and cut to a short prefix, so a
10 MB argument is not sent back whole.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from typing import Any, ClassVar

#: Characters of a client's value that an error message shows; the rest is summarised by its length.
ECHO_LIMIT = 80
#: Characters of an error message (which may quote a value through a library's own wording).
MESSAGE_LIMIT = 500

_REPR = reprlib.Repr()  # keyword arguments need Python 3.12
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxstring, _REPR.maxother = 3, 8, 8, ECHO_LIMIT, ECHO_LIMIT


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (saying how long it was), lone surrogates written as ``\\udXXX``."""
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text)} characters)"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def echo(value: Any, limit: int = ECHO_LIMIT) -> str:
    """A client's value as an error message quotes it: ``repr`` (escapes included), cut to ``limit`` characters."""
    if isinstance(value, str):
        shown = repr(value[:limit])
        return shown if len(value) <= limit else f"{shown}… ({len(value)} characters)"
    shown = _REPR.repr(value)
    return shown if len(shown) <= limit else f"{shown[:limit]}…"


class GraphServiceError(Exception):
    """Base of every error the service raises on purpose."""

    #: The ``extensions.code`` the API answers with.
    code: ClassVar[str] = "SERVICE_ERROR"
    #: Whether the caller caused it: kept in production, logged without a traceback.
    client_fault: ClassVar[bool] = False


class BadInputError(GraphServiceError):
    """The request or one of its arguments cannot be used; the message names it and the value."""

    code = "BAD_USER_INPUT"
    client_fault = True


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: which field, what value, why; ``line`` for file imports."""

    field: str
    message: str
    value: Any = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.message} (value: {echo(self.value)})"


class ValidationError(BadInputError):
    """Input broke a domain rule; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]) + (" ..." if len(problems) > 20 else ""))


class InputError(BadInputError):
    """An argument the API cannot use; the message names the argument and the value."""


class RequestError(BadInputError):
    """The HTTP request is not one we can run; carries its status (the API derives the code from it unless
    ``code`` names a more precise one)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.error_code = code


class NotFoundError(GraphServiceError):
    """The entity asked for does not exist."""

    code = "NOT_FOUND"
    client_fault = True


class ConflictError(GraphServiceError):
    """The change clashes with the current state (a duplicate id, a second writer)."""

    code = "BAD_USER_INPUT"
    client_fault = True


class PermissionDeniedError(GraphServiceError):
    """The caller's role may not do this."""

    code = "FORBIDDEN"
    client_fault = True


class StoreError(GraphServiceError):
    """The store failed; the transaction was rolled back."""


class WorkingMemoryError(StoreError):
    """The embedded store's buffer pool was full: the statement could not get the working memory it needed."""


class ConfigurationError(GraphServiceError):
    """Settings are missing or unsafe."""


class UnknownQueryError(GraphServiceError):
    """No file in ``cypher/`` has that name: a bug in the caller, never the client's input."""
