"""How the API answers when something is wrong: one error shape on every route, codes taken from the exception
tree (``graph_service.errors``), bodies that always encode, and logs that keep tracebacks for our own faults.

Every error body is ``{"errors": [{"message": ..., "extensions": {"code": ...}}]}`` (GraphQL errors add
``locations`` and ``path``). A client's mistake is logged in one line without a traceback; an unexpected error
is logged with its traceback and, in production, masked.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi.responses import JSONResponse, Response
from strawberry.extensions import MaskErrors

from graph_service.errors import MESSAGE_LIMIT, GraphServiceError, clip
from graphql import GraphQLError, GraphQLSyntaxError

log = logging.getLogger("graph_service.api")

_SURROGATE = re.compile("[\ud800-\udfff]")

JSON = "application/json"

#: The ``extensions.code`` of an error answered with an HTTP status (rather than a GraphQL error).
STATUS_CODES: dict[int, str] = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "REQUEST_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "BAD_USER_INPUT",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
    504: "TIMEOUT",
}


#: The codes of errors that are the service's fault, not the client's.
OUR_CODES = frozenset({"SERVICE_ERROR", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"})


def status_code(status: int) -> str:
    return STATUS_CODES.get(status, "BAD_USER_INPUT" if 400 <= status < 500 else "INTERNAL_SERVER_ERROR")


# --- encoding ---------------------------------------------------------------------------------------------------


# Dates, times and dataclasses are written as ``str()`` writes them, as the standard encoder's fallback did.
_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS


def encode_json(body: Any) -> bytes:
    """``body`` as UTF-8 JSON, whatever it holds: lone surrogates become U+FFFD, non-finite numbers null.

    orjson writes a page of rows several times faster than the standard library (and NaN as null); what it
    refuses (a lone surrogate, an integer beyond 64 bits) takes the standard library's slower, careful path.
    """
    try:
        return orjson.dumps(body, default=str, option=_ORJSON)
    except orjson.JSONEncodeError:
        pass
    try:
        return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str).encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return json.dumps(_clean(body), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.isascii() else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return _clean(str(value))


class SafeJSONResponse(JSONResponse):
    """A JSON response whose rendering cannot fail (see ``encode_json``)."""

    def render(self, content: Any) -> bytes:
        return encode_json(content)


def error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"errors": [{"message": clip(message, MESSAGE_LIMIT), "extensions": {"code": code, **extensions}}]}


def error_response(
    status: int, message: str, code: str | None = None, headers: Mapping[str, str] | None = None, media: str = JSON
) -> Response:
    """The one error shape, for any route."""
    body = encode_json(error_body(message, code or status_code(status)))
    return Response(body, status_code=status, media_type=f"{media}; charset=utf-8", headers=headers)


# --- GraphQL errors ---------------------------------------------------------------------------------------------


def unexpected(error: GraphQLError) -> bool:
    """Whether an error is the service's fault, not the client's: masked in production, logged with a traceback.

    An error that carries a code was judged where it was raised (the limits, validation: an integer literal of
    5,000 digits fails validation with Python's ValueError inside). Errors without an original exception are
    about the request (parse, variables); errors from graphql-core or strawberry's input coercion (a malformed
    global id, a bad date) are too. Our own errors say so themselves (``GraphServiceError.client_fault``).
    Anything else (a driver error, a bug) is unexpected.
    """
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code in OUR_CODES
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return False
    if isinstance(original, GraphServiceError):
        return not original.client_fault
    return True


def graphql_error_code(error: GraphQLError) -> str:
    """The ``extensions.code`` of a GraphQL error: its own, else from the exception tree, else by its kind."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    original = error.original_error
    if isinstance(original, GraphServiceError):
        return original.code
    if unexpected(error) or (original is None and error.path is not None):
        return "INTERNAL_SERVER_ERROR"
    return "BAD_USER_INPUT"  # variable and argument coercion


def format_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    formatted["message"] = clip(formatted["message"], MESSAGE_LIMIT)
    formatted["extensions"] = {**formatted.get("extensions", {}), "code": graphql_error_code(error)}
    return formatted


class MaskUnexpected(MaskErrors):
    """Strawberry's masking of unexpected errors, with the code a masked error answers with."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked


def log_errors(errors: list[GraphQLError], operation: str | None = None) -> None:
    """A client's mistake in one line without a traceback; anything else with its traceback."""
    where = operation or "anonymous"
    for error in errors:
        message = clip(error.message, MESSAGE_LIMIT).replace("\n", "\\n").replace("\r", "\\r")
        path = ".".join(str(p) for p in error.path) if error.path else "-"
        if unexpected(error):
            log.error("operation %s, path %s: %s", where, path, message, exc_info=error.original_error)
        else:
            log.info("refused (operation %s, path %s, %s): %s", where, path, graphql_error_code(error), message)


__all__ = [
    "JSON",
    "STATUS_CODES",
    "MaskUnexpected",
    "SafeJSONResponse",
    "encode_json",
    "error_body",
    "error_response",
    "format_error",
    "graphql_error_code",
    "log_errors",
    "status_code",
    "unexpected",
]
