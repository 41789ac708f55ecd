"""Bulk exports over REST: pairings as NDJSON and CSV, the organisational network as Popolo JSON.

Each response streams: the body is produced batch by batch from the store while it is sent, so memory stays
flat however large the city. Roles: integration, analyst and admin. Person names appear only in the Popolo
export and only for roles that may read personal data; contact data (phone, address, ID number) never does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from graph_service.api.permissions import PERSONAL, Principal, Role, require_roles
from graph_service.bootstrap import Services
from graph_service.services.pairing_export import PairingExports

router = APIRouter(prefix="/export", tags=["export"])

Exporter = Annotated[Principal, Depends(require_roles(Role.INTEGRATION, Role.ANALYST))]

NDJSON = "application/x-ndjson"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"


def request_exports(request: Request) -> PairingExports:
    """The app's exports (the application services are built once, in the lifespan)."""
    services: Services = request.app.state.services
    return services.exports


ExportsDep = Annotated[PairingExports, Depends(request_exports)]


#: The change-feed cursor taken just before the export was read: follow ``pairingChanges(since:)`` from it.
CURSOR_HEADER = "X-Change-Cursor"


def _headers(name: str, exports: PairingExports) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
        CURSOR_HEADER: exports.cursor(),
    }


@router.get(
    "/pairings.ndjson",
    summary="Every co-construction pairing, one JSON object a line",
    response_class=StreamingResponse,
    responses={200: {"content": {NDJSON: {}}}},
)
def pairings_ndjson(principal: Exporter, exports: ExportsDep) -> StreamingResponse:
    headers = _headers("pairings.ndjson", exports)  # the cursor first: the export's reads run after it
    return StreamingResponse(exports.ndjson(), media_type=NDJSON, headers=headers)


@router.get(
    "/pairings.csv",
    summary="Every co-construction pairing as CSV (UTF-8 with a byte-order mark for spreadsheets)",
    response_class=StreamingResponse,
    responses={200: {"content": {CSV: {}}}},
)
def pairings_csv(principal: Exporter, exports: ExportsDep) -> StreamingResponse:
    headers = _headers("pairings.csv", exports)
    return StreamingResponse(exports.csv(), media_type=CSV, headers=headers)


@router.get(
    "/popolo.json",
    summary="Areas, organisations, posts, memberships (and pairings as collaborations) as Popolo JSON-LD",
    response_class=StreamingResponse,
    responses={200: {"content": {JSON: {}}}},
)
def popolo_json(principal: Exporter, exports: ExportsDep) -> StreamingResponse:
    headers = _headers("popolo.json", exports)
    body = exports.popolo(with_person_names=principal.may(frozenset(PERSONAL)))
    return StreamingResponse(body, media_type=JSON, headers=headers)


__all__ = ["router"]
