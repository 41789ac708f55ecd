"""The dual check-in ledger over HTTP: its template, and the upload of a filled one.

- ``GET /ledger/template.xlsx``: the template (no key needed: it holds no data).
- ``POST /ledger/registrations[?dryRun=true]``: the .xlsx file as the body (at most ``max_ledger_bytes``), for the
  roles that may create registrations (editor, admin). Answers ``{"written": n, "rows": n, "dryRun": bool}``, or
  422 with one error per problem in the service's error shape, each naming ``row``, ``column`` and ``value`` in its
  ``extensions``; nothing is written unless every row passes. Audited as the API key that sent it.
- ``POST /admin/ledger[?dryRun=true]``: the same for ``graph-service ledger import`` beside a running server (the
  admin API's callers: the local administrator, audited as the shell's user, or an admin key).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from graph_service.api.admin import Admin
from graph_service.api.permissions import Principal, Role, require_roles
from graph_service.api.responses import SafeJSONResponse
from graph_service.api.wire import LEDGER_ADMIN_PATH
from graph_service.bootstrap import Services
from graph_service.services.ledger import LedgerProblem, LedgerRefusedError, LedgerReport, template
from graph_service.services.workers import in_worker
from graph_service.services.xlsx import XLSX_MEDIA_TYPE, SpreadsheetError

router = APIRouter(tags=["ledger"])

TEMPLATE_PATH = "/ledger/template.xlsx"
UPLOAD_PATH = "/ledger/registrations"
ADMIN_UPLOAD_PATH = LEDGER_ADMIN_PATH
#: The paths that take a ledger as their body (their own body limit, ``max_ledger_bytes``).
UPLOAD_PATHS = (UPLOAD_PATH, ADMIN_UPLOAD_PATH)
TEMPLATE_FILENAME = "双报到台账模板.xlsx"

Editor = Annotated[Principal, Depends(require_roles(Role.EDITOR))]
DryRun = Annotated[bool, Query(alias="dryRun", description="Check every row and write nothing")]


def attachment(filename: str) -> str:
    """A ``Content-Disposition`` for ``filename``: an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def report_body(report: LedgerReport) -> dict[str, Any]:
    return {"written": report.written, "rows": report.rows, "dryRun": report.dry_run, "sheet": report.sheet}


def refusal_body(problems: list[LedgerProblem]) -> dict[str, Any]:
    """The error shape with, for each problem, where it is (``row``, ``column``) and the cell's ``value``."""
    errors = []
    for problem in problems:
        extensions = {
            "code": "BAD_USER_INPUT",
            "row": problem.row,
            "column": problem.column,
            "value": problem.value,
            "problem": problem.message,
        }
        errors.append({"message": str(problem), "extensions": extensions})
    return {"errors": errors}


async def run_import(services: Services, actor: str, request: Request, dry_run: bool) -> Response:
    data = await request.body()
    try:
        report = await in_worker(services.ledger.run, actor, data, dry_run=dry_run)
    except LedgerRefusedError as exc:
        return SafeJSONResponse(refusal_body(exc.problems), status_code=422)
    except SpreadsheetError as exc:
        return SafeJSONResponse(refusal_body([LedgerProblem(None, None, None, str(exc))]), status_code=422)
    return SafeJSONResponse(report_body(report))


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


@router.get(TEMPLATE_PATH, summary="The dual check-in ledger template (.xlsx)", response_class=Response)
async def ledger_template() -> Response:
    body = await in_worker(template)
    headers = {"Content-Disposition": attachment(TEMPLATE_FILENAME), "Cache-Control": "no-cache"}
    return Response(body, media_type=XLSX_MEDIA_TYPE, headers=headers)


@router.post(UPLOAD_PATH, summary="Import a filled ledger (.xlsx body): every row checked, all or nothing")
async def upload_ledger(request: Request, principal: Editor, dry_run: DryRun = False) -> Response:
    return await run_import(_services(request), principal.actor, request, dry_run)


@router.post(ADMIN_UPLOAD_PATH, summary="`graph-service ledger import` through the server: as /ledger/registrations")
async def admin_upload_ledger(request: Request, caller: Admin, dry_run: DryRun = False) -> Response:
    return await run_import(_services(request), caller.actor, request, dry_run)


__all__ = [
    "ADMIN_UPLOAD_PATH",
    "TEMPLATE_PATH",
    "UPLOAD_PATH",
    "UPLOAD_PATHS",
    "attachment",
    "refusal_body",
    "report_body",
    "router",
]
