"""GraphQL over HTTP (the GraphQL-over-HTTP spec): content negotiation, GET for queries, status codes.

- Responds with ``application/graphql-response+json`` when the client accepts it, ``application/json``
  otherwise (no ``Accept``, ``*/*``, or ``application/json``); 406 when it accepts neither.
- POST needs ``Content-Type: application/json`` (415 otherwise) and a JSON object with a string ``query``,
  optional ``variables``/``extensions`` maps and ``operationName`` string (400 otherwise).
- GET runs queries only (a mutation gets 405 with ``Allow: POST``); a browser asking for HTML gets GraphiQL.
- A request error (parse, validation, cost, variable coercion: no execution, no ``data`` entry) is 400 under
  ``application/graphql-response+json`` and 200 under ``application/json`` (the legacy rule).
- Every request but the GraphiQL page needs an API key (401 otherwise); each runs under a timeout and a
  store round-trip counter (``X-Store-Round-Trips`` header outside production).
- JSON (the body, GET's ``variables`` and ``extensions``) nested deeper than ``MAX_JSON_DEPTH`` is refused before
  it is decoded (a 4 KB body of 2,000 brackets was a RecursionError); a string that is no Unicode text (a lone
  surrogate) in ``variables``, ``extensions`` or ``operationName`` is refused naming where it is.
- Every error body has one shape, ``{"errors": [{"message", "extensions": {"code"}}]}``; bodies always encode.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from typing import Any

import strawberry
from fastapi import APIRouter, Request
from fastapi.responses import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from graph_service.api.context import GraphContext
from graph_service.api.graphiql import graphiql_page
from graph_service.api.limits import MAX_JSON_DEPTH
from graph_service.api.permissions import Principal
from graph_service.api.response_cache import KeptResponse, ResponseCache
from graph_service.api.responses import JSON, encode_json, error_body, format_error, status_code
from graph_service.bootstrap import Services
from graph_service.config import Settings
from graph_service.domain.validation import text_problem
from graph_service.errors import RequestError, echo
from graph_service.services.workers import in_worker
from graph_service.store.port import count_round_trips

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE = "application/graphql-response+json"
ROUND_TRIPS_HEADER = "X-Store-Round-Trips"
#: ``hit`` on an answer served from the response cache (``api/response_cache.py``).
CACHE_HEADER = "X-Response-Cache"


@dataclass(frozen=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or ``None`` when the client accepts none we produce (406)."""
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, int] | None = None
    best_media: str | None = None
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media == GRAPHQL_RESPONSE:
            chosen = GRAPHQL_RESPONSE
        elif media in (JSON, "application/*", "*/*"):
            chosen = JSON
        else:
            continue
        # Highest quality wins; at equal quality the spec's preferred type, then the client's order.
        rank = (quality, 1 if chosen == GRAPHQL_RESPONSE else 0, -position)
        if best is None or rank > best:
            best, best_media = rank, chosen
    return best_media


# JSON strings (escapes included) and, with them removed, every byte but the four brackets: what is left is the
# structure, whose running sum of +1/-1 is the nesting depth. All of it runs in C, over a body of a few MB.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


def json_depth(raw: bytes) -> int:
    """How deep arrays and objects nest in the JSON text ``raw``, found without decoding (or recursing) it."""
    structure = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, structure)), default=0)


def decode_json(raw: bytes | str, name: str) -> Any:
    """``raw`` decoded, after checking how deep it nests; ``RequestError`` (400) naming ``name`` otherwise."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise RequestError(400, f"{name} nests arrays and objects {depth} deep; the limit is {MAX_JSON_DEPTH}")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestError(400, f"{name} is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise RequestError(400, f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise RequestError(400, f"{name} holds a number of more than 4300 digits") from None


def check_text(value: Any, where: str) -> None:
    """Refuse a string that is no Unicode text (a lone surrogate) anywhere in ``value``, naming where it is."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise RequestError(400, f"{where}: {echo(value)} {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, f"{where} (a key)")
            check_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, f"{where}[{index}]")


def _json_object(text: str | None, name: str) -> dict[str, Any] | None:
    if text is None or text == "":
        return None
    value = decode_json(text, name)
    if value is not None and not isinstance(value, dict):
        raise RequestError(400, f"{name} must be a JSON object")
    return value


def _checked(params: GraphQLParams) -> GraphQLParams:
    """``params`` after refusing any string in them that is no Unicode text (the query's own are the parser's)."""
    check_text(params.operation_name, "operationName")
    for name, value in (params.variables or {}).items():
        check_text(name, "variables (a name)")
        check_text(value, f"variable ${name}")
    check_text(params.extensions, "extensions")
    return params


def params_from_body(body: Any) -> GraphQLParams:
    if not isinstance(body, dict):
        raise RequestError(400, "the request body must be a JSON object")
    query = body.get("query")
    if query is None:
        raise RequestError(400, "the request has no query")
    if not isinstance(query, str):
        raise RequestError(400, "query must be a string")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "variables must be a JSON object")
    operation_name = body.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "operationName must be a string")
    extensions = body.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(400, "extensions must be a JSON object")
    return _checked(GraphQLParams(query, variables, operation_name, extensions))


def params_from_query_string(request: Request) -> GraphQLParams:
    args = request.query_params
    query = args.get("query")
    if not query:
        raise RequestError(400, "the request has no query")
    return _checked(
        GraphQLParams(
            query=query,
            variables=_json_object(args.get("variables"), "variables"),
            operation_name=args.get("operationName") or None,
            extensions=_json_object(args.get("extensions"), "extensions"),
        )
    )


class GraphQLEndpoint:
    """Serves ``/graphql`` for one schema, store and settings."""

    def __init__(self, schema: strawberry.Schema, settings: Settings, services_getter: Any) -> None:
        self.schema = schema
        self.settings = settings
        self.services_getter = services_getter
        self.responses = ResponseCache(settings.response_cache_mb * 1024 * 1024)

    def router(self, path: str = "/graphql") -> APIRouter:
        # One Starlette route, not two of FastAPI's: the handlers take the request and nothing else, and FastAPI's
        # routes solved their (empty) dependencies on every request (2-4% of a small request's time on the event
        # loop); and a refused method now hears every allowed one (``Allow: GET, HEAD, POST``), not the first route's.
        router = APIRouter()
        router.add_route(path, self.handle, methods=["GET", "POST"], include_in_schema=False)
        return router

    async def handle(self, request: Request) -> Response:
        return await (self.post(request) if request.method == "POST" else self.get(request))

    def _response(self, media: str, body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return Response(encode_json(body), status_code=status, media_type=f"{media}; charset=utf-8", headers=headers)

    def _request_error(self, media: str, exc: RequestError) -> Response:
        return self._response(media, error_body(exc.message, exc.error_code or status_code(exc.status)), exc.status, exc.headers)

    def _unauthorized(self, media: str) -> Response:
        return self._response(
            media,
            error_body("missing or invalid API key: send Authorization: Bearer <key>", "UNAUTHENTICATED"),
            401,
            {"WWW-Authenticate": 'Bearer realm="graph-service"'},
        )

    async def get(self, request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if "text/html" in accept.lower() and "query" not in request.query_params:
            return graphiql_page(request.url.path)
        media = negotiate(accept)
        if media is None:
            return self._request_error(JSON, RequestError(406, f"cannot answer with any of: {accept}"))
        principal = getattr(request.state, "principal", None)
        if principal is None:
            return self._unauthorized(media)
        try:
            params = params_from_query_string(request)
        except RequestError as exc:
            return self._request_error(media, exc)
        return await self.run(request, media, params, principal, {OperationType.QUERY})

    async def post(self, request: Request) -> Response:
        media = negotiate(request.headers.get("accept"))
        if media is None:
            return self._request_error(JSON, RequestError(406, "cannot answer with the media types in Accept"))
        principal = getattr(request.state, "principal", None)
        if principal is None:
            return self._unauthorized(media)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != JSON:
            return self._request_error(media, RequestError(415, f"Content-Type must be {JSON}; got {content_type or 'none'}"))
        raw = await request.body()
        if not raw:
            return self._request_error(media, RequestError(400, "the request body is empty"))
        try:
            params = params_from_body(decode_json(raw, "the request body"))
        except RequestError as exc:
            return self._request_error(media, exc)
        return await self.run(request, media, params, principal, {OperationType.QUERY, OperationType.MUTATION})

    async def run(
        self,
        request: Request,
        media: str,
        params: GraphQLParams,
        principal: Principal,
        allowed: set[OperationType],
    ) -> Response:
        services = self.services_getter(request)
        kept_as: tuple[int, bytes] | None = None
        if self.responses.enabled and OperationType.QUERY in allowed:
            version, days = await in_worker(_version_and_days, services)
            key = self.responses.key(principal, media, params.query or "", params.operation_name, params.variables, days)
            # ``Cache-Control: no-cache`` asks for an answer computed now (benchmarks measure cold answers so).
            fresh = "no-cache" in request.headers.get("cache-control", "").lower()
            kept = self.responses.get(version, key) if key is not None and not fresh else None
            if kept is not None:
                headers = {CACHE_HEADER: "hit"} if self.settings.production else {ROUND_TRIPS_HEADER: "0", CACHE_HEADER: "hit"}
                return Response(kept.body, status_code=kept.status, media_type=kept.media_type, headers=headers)
            kept_as = (version, key) if key is not None else None
        context = GraphContext(services=services, principal=principal)
        context.request = request
        timeout = self.settings.request_timeout_seconds
        with count_round_trips() as trips, _loaders_cleared(context):
            try:
                # In the request's own task: ``wait_for`` would make one more task per request to run it in.
                async with asyncio.timeout(timeout):
                    result = await self.schema.execute(
                        params.query,
                        variable_values=params.variables,
                        context_value=context,
                        operation_name=params.operation_name,
                        allowed_operation_types=allowed,
                    )
            except InvalidOperationTypeError:
                return self._request_error(media, RequestError(405, "mutations must be sent with POST", {"Allow": "POST"}))
            except CannotGetOperationTypeError:
                name = params.operation_name
                message = (
                    f"operationName: the document has no operation named {echo(name)}"
                    if name
                    else ("the document has several operations: name one in operationName")
                )
                return self._request_error(media, RequestError(400, message, code="OPERATION_RESOLUTION_FAILURE"))
            except MissingQueryError:
                return self._request_error(media, RequestError(400, "the request has no query"))
            except TimeoutError:
                log.warning("GraphQL request stopped after %ss (operation %s)", timeout, params.operation_name)
                timeout_body = error_body(f"the request took longer than {timeout:g}s and was stopped; ask for less", "TIMEOUT")
                return self._response(media, timeout_body, 504 if media == GRAPHQL_RESPONSE else 200)
        headers = {} if self.settings.production else {ROUND_TRIPS_HEADER: str(trips.count)}
        errors = list(result.errors or [])
        body: dict[str, Any] = {}
        request_error = result.data is None and errors and all(not e.path for e in errors)
        if not request_error:
            body["data"] = result.data
        if errors:
            body["errors"] = [format_error(e) for e in errors]
        if result.extensions:
            body["extensions"] = result.extensions
        status = 400 if request_error and media == GRAPHQL_RESPONSE else 200
        response = self._response(media, body, status, headers)
        if kept_as is not None and not errors and status == 200:
            version, key = kept_as
            # Kept only when no write landed while it ran: then it shows the state of ``version`` exactly.
            if await in_worker(services.store.write_version) == version:
                kept = KeptResponse(bytes(response.body), status, f"{media}; charset=utf-8")
                self.responses.put(version, key, params.query or "", params.operation_name, kept)
        return response


@contextmanager
def _loaders_cleared(context: GraphContext) -> Iterator[None]:
    """The request's loaders forgotten once its answer is made (``Loaders.clear``)."""
    try:
        yield
    finally:
        context.loaders.clear()


def _version_and_days(services: Services) -> tuple[int, tuple[date, date]]:
    """What a kept answer depends on beyond the request: the store's write version, the day a query without
    ``asOf`` is judged on and today (``active`` flags)."""
    return services.store.write_version(), (services.calendar.day(None), date.today())


__all__ = [
    "CACHE_HEADER",
    "GRAPHQL_RESPONSE",
    "JSON",
    "ROUND_TRIPS_HEADER",
    "GraphQLEndpoint",
    "check_text",
    "decode_json",
    "json_depth",
    "negotiate",
]
