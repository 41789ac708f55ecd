"""The commands' work done by the server that owns the store, through its admin API (``api/admin.py``).

Results come back as the application layer's own objects (``api/wire.py`` rebuilds them), progress as calls on
the command's own progress display, and refusals as the errors a local run raises, with the server's wording, so
that the command prints the same either way. A server that cannot be reached, or that breaks off an answer, is
said so in one line naming its address.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from graph_service.api.wire import ERRORS, LEDGER_ADMIN_PATH, PROGRESS, PROGRESS_CALLS, RESULT, USER_HEADER, from_data
from graph_service.domain.access import Role
from graph_service.domain.records import line_table
from graph_service.domain.schema import NODES, RELS
from graph_service.errors import (
    ConflictError,
    GraphServiceError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ValidationError,
)
from graph_service.services.analyses import AnalysisReport, AnalysisRunRecord, Progress
from graph_service.services.keys import ApiKeyInfo, local_user
from graph_service.services.ledger import LedgerProblem, LedgerRefusedError, LedgerReport
from graph_service.services.ndjson_export import TableProgress
from graph_service.services.ndjson_import import ImportProgress, ImportReport
from graph_service.services.xlsx import XLSX_MEDIA_TYPE

#: Bytes of the file read and sent at a time (the progress display moves by this much).
UPLOAD_CHUNK = 1 << 20
#: Waiting for a connection, or for a short answer; long work streams progress and may take as long as it takes.
CONNECT_SECONDS = 10.0
ANSWER_SECONDS = 120.0


class ServerError(GraphServiceError):
    """The server could not be reached, refused the credentials, or answered with something that is not an answer."""


@dataclass(frozen=True)
class ReportedProblem(Problem):
    """A problem as the server worded it (``Problem.__str__`` there), printed as it came."""

    text: str = ""

    def __str__(self) -> str:
        return self.text


class _Steps:
    """An analysis' ``progress(step, done, total)`` as the calls a stream makes."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def step(self, name: str, done: int, total: int) -> None:
        self.progress(name, done, total)


class Remote:
    """The server at ``url``, asked with ``credential`` (the local token or an admin API key)."""

    def __init__(self, url: str, credential: str) -> None:
        self.url = url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {credential}", USER_HEADER: local_user()}

    # --- the backend -------------------------------------------------------------------------------------------

    def create_key(self, role: Role, note: str) -> tuple[ApiKeyInfo, str]:
        body = self._call("POST", "/admin/keys", json={"role": role.value, "note": note})
        return from_data(ApiKeyInfo, body["api_key"]), str(body["key"])

    def list_keys(self) -> list[ApiKeyInfo]:
        return from_data(list[ApiKeyInfo], self._call("GET", "/admin/keys"))

    def revoke_key(self, key_id: str) -> ApiKeyInfo:
        # The id goes in the path: quote it so that any text stays one segment.
        return from_data(ApiKeyInfo, self._call("POST", f"/admin/keys/{_segment(key_id)}/revoke"))

    def analyze(
        self, area: str | None, as_of: date | None, progress: Progress
    ) -> tuple[AnalysisReport, AnalysisRunRecord | None]:
        body = {"area": area, "as_of": as_of.isoformat() if as_of else None}
        with self._stream("POST", "/admin/analyses", json=body) as response:
            result = self._result(response, _Steps(progress))
        previous = result.get("previous")
        return from_data(AnalysisReport, result["report"]), from_data(AnalysisRunRecord, previous) if previous else None

    def import_file(self, path: Path, progress: ImportProgress) -> ImportReport:
        size = path.stat().st_size

        def chunks() -> Iterator[bytes]:
            progress.phase("sending", size)
            with path.open("rb") as file:
                while block := file.read(UPLOAD_CHUNK):
                    progress.advance(len(block))
                    yield block

        headers = {"Content-Length": str(size), "Content-Type": "application/x-ndjson"}
        with self._stream("POST", "/admin/import", content=chunks(), headers=headers) as response:
            return from_data(ImportReport, self._result(response, progress))

    @contextmanager
    def export(self, progress: TableProgress) -> Iterator[Iterator[str]]:
        with self._stream("GET", "/admin/export") as response:
            yield _counted(response.iter_lines(), progress)

    def import_ledger(self, data: bytes, dry_run: bool) -> LedgerReport:
        params = {"dryRun": "true"} if dry_run else {}
        headers = {**self.headers, "Content-Type": XLSX_MEDIA_TYPE}
        try:
            response = httpx.post(
                self.url + LEDGER_ADMIN_PATH,
                content=data,
                params=params,
                headers=headers,
                timeout=httpx.Timeout(None, connect=CONNECT_SECONDS),
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        body = _json_or_none(response.content)
        if response.status_code == 422 and isinstance(body, dict) and isinstance(body.get(ERRORS), list):
            raise LedgerRefusedError([_ledger_problem(error) for error in body[ERRORS]])
        if response.is_error or not isinstance(body, dict):
            raise self._refusal(response.status_code, body)
        return LedgerReport(int(body["written"]), int(body["rows"]), bool(body["dryRun"]), str(body["sheet"]))

    # --- HTTP ---------------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, **request: Any) -> Any:
        """A short request's JSON answer; a refusal as the error a local run raises."""
        request["headers"] = {**self.headers, **request.get("headers", {})}
        try:
            response = httpx.request(
                method, self.url + path, timeout=httpx.Timeout(ANSWER_SECONDS, connect=CONNECT_SECONDS), **request
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if response.is_error:
            raise self._refusal(response.status_code, _json_or_none(response.content))
        return response.json()

    @contextmanager
    def _stream(self, method: str, path: str, **request: Any) -> Iterator[httpx.Response]:
        """A streamed answer, read inside the ``with``; transport failures there too are said in one line."""
        request["headers"] = {**self.headers, **request.get("headers", {})}
        timeout = httpx.Timeout(None, connect=CONNECT_SECONDS)
        try:
            with httpx.stream(method, self.url + path, timeout=timeout, **request) as response:
                if response.is_error:
                    raise self._refusal(response.status_code, _json_or_none(response.read()))
                response.encoding = "utf-8"
                yield response
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None

    def _result(self, response: httpx.Response, display: Any) -> Any:
        """Play a progress stream's calls on ``display``; its result, or its error raised."""
        for line in response.iter_lines():
            if not line:
                continue
            event = _json_or_none(line.encode("utf-8"))
            if not isinstance(event, dict):
                break
            if PROGRESS in event:
                method, *args = event[PROGRESS]
                if method in PROGRESS_CALLS and hasattr(display, method):
                    getattr(display, method)(*args)
            elif RESULT in event:
                return event[RESULT]
            elif ERRORS in event:
                raise self._refusal(200, event)
        raise ServerError(f"the server at {self.url} ended its answer before the result; its log may say why")

    def _unreachable(self, exc: httpx.HTTPError) -> ServerError:
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return ServerError(f"cannot reach the server at {self.url} ({exc}); is it running?")
        return ServerError(f"the connection to the server at {self.url} failed ({type(exc).__name__}: {exc})")

    def _refusal(self, status: int, body: Any) -> GraphServiceError:
        """The error a local run would have raised, worded as the server worded it."""
        errors = body.get(ERRORS) if isinstance(body, dict) else None
        if not isinstance(errors, list) or not errors or not all(isinstance(e, dict) for e in errors):
            return ServerError(f"the server at {self.url} answered {status} without saying why")
        extensions = [e.get("extensions") if isinstance(e.get("extensions"), dict) else {} for e in errors]
        messages = [str(e.get("message", "")) for e in errors]
        if all("field" in ext for ext in extensions):
            return ValidationError(
                [
                    ReportedProblem(str(ext["field"]), str(ext.get("problem", "")), ext.get("value"), ext.get("line"), text)
                    for ext, text in zip(extensions, messages, strict=True)
                ]
            )
        message = "; ".join(messages)
        code = extensions[0].get("code")
        if status == 401:
            return ServerError(f"the server at {self.url} refused this command's credentials: {message}")
        if code == "FORBIDDEN":
            return PermissionDeniedError(message)
        if code == "NOT_FOUND":
            return NotFoundError(message)
        if code == "BAD_USER_INPUT":
            return ConflictError(message)
        return ServerError(message)


def _segment(text: str) -> str:
    return quote(text, safe="")


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _ledger_problem(error: Any) -> LedgerProblem:
    """A ledger's problem as the server sent it (``api/ledger.py``)."""
    ext = error.get("extensions") if isinstance(error, dict) else None
    if not isinstance(ext, dict):
        return LedgerProblem(None, None, None, str(error))
    row, column = ext.get("row"), ext.get("column")
    message = ext.get("problem") or error.get("message", "")
    return LedgerProblem(
        row if isinstance(row, int) else None, column if isinstance(column, str) else None, ext.get("value"), str(message)
    )


def _counted(lines: Iterator[str], progress: TableProgress) -> Iterator[str]:
    """``lines`` as they come, telling ``progress`` each table's count as a local export does (empty ones too)."""
    order = [*NODES, *RELS]
    position = 0
    current: str | None = None
    count = 0

    def reach(table: str | None) -> None:
        # Every table before ``table`` in export order is done: the ones the stream skipped had no records.
        nonlocal position
        while position < len(order) and order[position] != table:
            name = order[position]
            progress(name, count if name == current else 0)
            position += 1

    for line in lines:
        if not line:
            continue
        table = line_table(line)
        if table != current:
            reach(table)
            current, count = table, 0
        count += 1
        yield line
    reach(None)


__all__ = ["Remote", "ReportedProblem", "ServerError"]
