"""The admin API: what the ``graph-service`` commands do through the server that owns the store.

LadybugDB lets one process open the database, so while ``serve`` runs, ``keys``, ``analyze``, ``import`` and
``export`` ask the server instead of opening the store (``cli/remote.py``). The routes call the application layer
(``bootstrap.Services``), never Cypher, and run its blocking work in worker threads (``services.workers``):

- ``GET /admin/keys``; ``POST /admin/keys`` ``{"role", "note"}`` (201, the key in the answer only);
  ``POST /admin/keys/{id}/revoke``
- ``POST /admin/analyses`` ``{"area", "as_of"}``: every analysis, the run saved; streams progress, then the report
- ``POST /admin/import``: the NDJSON file as the body, streamed to a temporary file in the data directory (at
  most ``max_import_bytes``), then checked and written as a local import is, all or nothing; streams progress,
  then the report
- ``GET /admin/export``: the whole graph as NDJSON, streamed as it is produced

Callers: the local administrator, with the token the server wrote beside the store (``api/discovery.py``), or an
admin API key. Anything else gets 401 (no or unknown credentials) or 403 (a key of another role). Errors are in
the service's one shape, ``{"errors": [{"message", "extensions": {"code"}}]}``; streams are described in
``api/wire.py``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import re
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from graph_service.api.auth import bearer_token
from graph_service.api.discovery import TOKEN_PREFIX
from graph_service.api.wire import PROGRESS, USER_HEADER, error_body, error_status, message_body, to_json
from graph_service.bootstrap import Services
from graph_service.domain.access import Role
from graph_service.errors import GraphServiceError, Problem, ValidationError
from graph_service.services.keys import local_actor
from graph_service.services.ndjson_export import export_records
from graph_service.services.ndjson_import import import_lines, read_file
from graph_service.services.workers import in_worker

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

PREFIX = "/admin"
NDJSON = "application/x-ndjson"
#: Lines of an export sent together: one write per few hundred kilobytes rather than per line.
EXPORT_BLOCK_LINES = 2000
#: Bytes of an uploaded file gathered before each write to the temporary file (a worker thread writes them).
UPLOAD_WRITE_BYTES = 1 << 20
_USER_NAME = re.compile(r"[\w.@-]{1,64}")

router = APIRouter(prefix=PREFIX, tags=["admin"])
#: Where an import file is posted: it has its own body limit (GRAPH_SERVICE_MAX_IMPORT_BYTES).
IMPORT_PATH = f"{PREFIX}/import"


class AdminError(Exception):
    """A refusal or failure of an admin route, answered as ``status`` with ``body`` (the error shape)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers

    @classmethod
    def of(cls, exc: GraphServiceError) -> AdminError:
        return cls(error_status(exc)[0], error_body(exc))


@dataclass(frozen=True)
class Caller:
    """Who asks: how the audit trail names them."""

    actor: str


def admin_caller(request: Request) -> Caller:
    """The local administrator (the data directory's token) or an admin API key; 401 or 403 otherwise."""
    token = bearer_token(request.headers.get("authorization"))
    local: str | None = getattr(request.app.state, "admin_token", None)
    if token and local and token.startswith(TOKEN_PREFIX) and hmac.compare_digest(token.encode(), local.encode()):
        user = request.headers.get(USER_HEADER, "")
        return Caller(local_actor(user if _USER_NAME.fullmatch(user) else None))
    principal = getattr(request.state, "principal", None)
    if principal is None:
        message = (
            "the admin API needs Authorization: Bearer <an admin API key, or the local token in admin.token beside the store>"
        )
        if token and token.startswith(TOKEN_PREFIX):
            message = "this is not the local token of this server (it was restarted, or serves another directory)"
        raise AdminError(401, message_body(message, "UNAUTHENTICATED"), {"WWW-Authenticate": "Bearer"})
    if principal.role is not Role.ADMIN:
        message = f"the admin API needs role admin; this API key has role {principal.role.value}"
        raise AdminError(403, message_body(message, "FORBIDDEN"))
    return Caller(principal.actor)


Admin = Annotated[Caller, Depends(admin_caller)]


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _call(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``call`` in a worker thread; an error of the application layer becomes its answer."""
    try:
        return await in_worker(call, *args, **kwargs)
    except GraphServiceError as exc:
        raise AdminError.of(exc) from exc


def _json(value: Any, status: int = 200) -> Response:
    return Response(to_json(value), status_code=status, media_type="application/json")


async def _body(request: Request) -> dict[str, Any]:
    """The request's JSON object (``{}`` for an empty body)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AdminError(400, message_body("the request body is not valid JSON", "BAD_USER_INPUT")) from None
    if not isinstance(body, dict):
        raise AdminError(400, message_body("the request body must be a JSON object", "BAD_USER_INPUT"))
    return body


def _text(body: dict[str, Any], name: str, default: str | None = None) -> str | None:
    value = body.get(name, default)
    if value is not None and not isinstance(value, str):
        raise AdminError.of(ValidationError([Problem(name, "must be text", value)]))
    return value


def _day(body: dict[str, Any], name: str) -> date | None:
    text = _text(body, name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AdminError.of(ValidationError([Problem(name, "is not a date YYYY-MM-DD", text)])) from None


# --- streams of progress -----------------------------------------------------------------------------------------


class _Relay:
    """A progress display's calls (``ImportProgress``, an analysis' ``progress``), sent down the stream."""

    def __init__(self, send: Callable[[list[Any]], None]) -> None:
        self.send = send

    def phase(self, name: str, total: int | None) -> None:
        self.send(["phase", name, total])

    def advance(self, count: int) -> None:
        self.send(["advance", count])

    def step(self, name: str, done: int, total: int) -> None:
        self.send(["step", name, done, total])


_RUNNING: set[asyncio.Task[None]] = set()


def _line(body: dict[str, Any]) -> bytes:
    return to_json(body).encode("utf-8") + b"\n"


def _progress_stream(work: Callable[[_Relay], str]) -> StreamingResponse:
    """Start ``work`` (in a worker thread) and answer with its progress, then its result (JSON text) or error.

    The work runs to its end even if the client goes away meanwhile: an import is then written or not, whole,
    exactly as if the client had stayed.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def send(call: list[Any]) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, _line({PROGRESS: call}))

    async def run() -> None:
        try:
            result = await in_worker(work, _Relay(send))
            final = b'{"result":' + result.encode("utf-8") + b"}\n"
        except GraphServiceError as exc:
            final = _line(error_body(exc))
        except Exception:
            log.exception("admin work failed")
            final = _line(message_body("the work failed unexpectedly; the server's log says why", "INTERNAL_SERVER_ERROR"))
        # Queued after every progress call the worker made: those were scheduled before it returned.
        queue.put_nowait(final)
        queue.put_nowait(None)

    task = asyncio.create_task(run())
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)

    async def events() -> AsyncIterator[bytes]:
        while (line := await queue.get()) is not None:
            yield line

    return StreamingResponse(events(), media_type=NDJSON, headers={"Cache-Control": "no-store"})


# --- keys -------------------------------------------------------------------------------------------------------


@router.get("/keys", summary="Every API key: configured ones, then stored ones (never a key or its hash)")
async def list_keys(request: Request, caller: Admin) -> Response:
    return _json(await _call(_services(request).keys.list))


@router.post("/keys", status_code=201, summary="Create a stored API key; the key is in this answer only")
async def create_key(request: Request, caller: Admin) -> Response:
    body = await _body(request)
    role, note = _text(body, "role", ""), _text(body, "note", "")
    info, key = await _call(_services(request).keys.create, role or "", note or "", caller.actor)
    return _json({"api_key": info, "key": key}, 201)


@router.post("/keys/{key_id}/revoke", summary="Revoke a stored API key: refused from its next request on")
async def revoke_key(request: Request, key_id: str, caller: Admin) -> Response:
    return _json(await _call(_services(request).keys.revoke, key_id, caller.actor))


# --- analyses ----------------------------------------------------------------------------------------------------


@router.post("/analyses", summary="Run every analysis and save the run; progress, then the report")
async def run_analyses(request: Request, caller: Admin) -> StreamingResponse:
    body = await _body(request)
    area, as_of = _text(body, "area"), _day(body, "as_of")
    analyses = _services(request).analyses

    def work(relay: _Relay) -> str:
        previous = next(iter(analyses.runs(area, limit=1)), None)
        report = analyses.run_all(area, relay.step, as_of=as_of)
        return to_json({"report": report, "previous": previous})

    return _progress_stream(work)


# --- import and export -------------------------------------------------------------------------------------------


def _too_large(limit: int) -> AdminError:
    message = f"the file is larger than this server takes ({limit} bytes, GRAPH_SERVICE_MAX_IMPORT_BYTES)"
    return AdminError(413, message_body(message, "REQUEST_TOO_LARGE"), {"Connection": "close"})


def _temporary_file(data_dir: Path) -> Path:
    # Beside the store, not in /tmp: the data directory is where the room for the data is.
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".import-", suffix=".ndjson.part", dir=data_dir)
    os.close(handle)
    return Path(name)


async def _receive(request: Request, path: Path, limit: int) -> None:
    """The body into ``path`` as it arrives (never whole in memory); 413 once it passes ``limit`` bytes."""
    received = 0
    pending = bytearray()
    with path.open("wb") as out:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise _too_large(limit)
            pending += chunk
            if len(pending) >= UPLOAD_WRITE_BYTES:
                block, pending = bytes(pending), bytearray()
                await in_worker(out.write, block)
        if pending:
            await in_worker(out.write, bytes(pending))


@router.post(
    IMPORT_PATH.removeprefix(PREFIX), summary="Import an NDJSON file (the body): all or nothing; progress, then the report"
)
async def import_ndjson(request: Request, caller: Admin) -> StreamingResponse:
    services = _services(request)
    settings = services.settings
    limit = settings.max_import_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    path = await in_worker(_temporary_file, Path(settings.data_dir))
    try:
        await _receive(request, path, limit)
    except BaseException:
        path.unlink(missing_ok=True)
        raise

    def work(relay: _Relay) -> str:
        try:
            file = read_file(path)
        finally:
            path.unlink(missing_ok=True)
        return to_json(import_lines(services.store, file, relay, batch_size=settings.import_batch_size))

    return _progress_stream(work)


def _blocks(first: str, rest: Iterator[str]) -> Iterator[bytes]:
    block = [first]
    for line in rest:
        block.append(line)
        if len(block) >= EXPORT_BLOCK_LINES:
            yield ("\n".join(block) + "\n").encode("utf-8")
            block = []
    yield ("\n".join(block) + "\n").encode("utf-8")


@router.get("/export", summary="The whole domain graph as NDJSON, sorted (equal graphs give equal files)")
async def export_ndjson(request: Request, caller: Admin) -> Response:
    lines = export_records(_services(request).store)
    # The first line needs the whole snapshot read: a store that keeps changing is refused before any byte is sent.
    first = await _call(next, lines, None)
    if first is None:
        return Response(b"", media_type=NDJSON)
    # A plain iterator: Starlette draws it in a worker thread, off the event loop.
    return StreamingResponse(_blocks(first, lines), media_type=NDJSON, headers={"Cache-Control": "no-store"})


def install(app: FastAPI, token: str | None) -> None:
    """Serve the admin API on ``app``; ``token`` is the local administrator's (``None``: admin API keys only)."""
    app.state.admin_token = token

    @app.exception_handler(AdminError)
    async def refused(request: Request, exc: AdminError) -> Response:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    app.include_router(router)


__all__ = ["PREFIX", "AdminError", "Caller", "admin_caller", "install", "router"]
