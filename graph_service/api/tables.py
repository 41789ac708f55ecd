"""``POST /tables/xlsx``: a table the client already holds, written as an .xlsx download.

The console downloads its lists as CSV by itself and as XLSX through this route. It reads no data: it formats the
rows it is sent, so any signed-in role may use it. The body is
``{"filename": str, "sheet": str, "columns": [str, ...], "rows": [[str | number | bool | null, ...], ...]}``;
each problem is named by its field (``rows[3][2]``) and refused with 400 before anything is written. The answer
has bold headers, a frozen header row, widths from the contents, and every string as text: a cell starting with
``=``, ``+``, ``-`` or ``@`` never becomes a formula (``services/xlsx.py``).
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from graph_service.api.ledger import attachment
from graph_service.api.permissions import Principal, request_principal
from graph_service.api.responses import SafeJSONResponse
from graph_service.api.wire import error_body
from graph_service.errors import Problem, ValidationError
from graph_service.services.workers import in_worker
from graph_service.services.xlsx import MAX_CELL_CHARS, XLSX_MEDIA_TYPE, Cell, SheetSpec, text_problem, write_workbook

router = APIRouter(tags=["tables"])

TABLE_PATH = "/tables/xlsx"
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000
MAX_NAME = 200
#: Excel's rules for a sheet's name: at most 31 characters, none of these.
MAX_SHEET_NAME = 31
SHEET_FORBIDDEN = set("[]:*?/\\")
#: Problems reported at most (a table of a million bad cells is refused with the first ones).
MAX_PROBLEMS = 50

SignedIn = Annotated[Principal, Depends(request_principal)]


class Table:
    """A checked table: what the workbook is written from."""

    def __init__(self, filename: str, sheet: str, columns: list[str], rows: list[list[Cell]]) -> None:
        self.filename = filename
        self.sheet = sheet
        self.columns = columns
        self.rows = rows


def parse_table(raw: bytes) -> Table:
    """The table a request body describes; ``ValidationError`` naming each bad field otherwise."""
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ValidationError([Problem("body", f"is not valid JSON ({exc})", None)]) from None
    if not isinstance(body, dict):
        raise ValidationError([Problem("body", "must be a JSON object with columns and rows", type(body).__name__)])
    problems: list[Problem] = []
    unknown = sorted(set(body) - {"filename", "sheet", "columns", "rows"})
    problems += [Problem(name, "unknown field; the fields are filename, sheet, columns, rows", None) for name in unknown]
    filename = _filename(body.get("filename", "table.xlsx"), problems)
    sheet = _sheet(body.get("sheet", "Sheet1"), problems)
    columns = body.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(Problem("columns", "must be a non-empty list of headers", _short(columns)))
        columns = []
    elif len(columns) > MAX_COLUMNS:
        problems.append(Problem("columns", f"has {len(columns)} headers, more than {MAX_COLUMNS}", len(columns)))
    else:
        for i, header in enumerate(columns):
            if not isinstance(header, str) or len(header) > MAX_NAME:
                problems.append(Problem(f"columns[{i}]", f"must be text of at most {MAX_NAME} characters", _short(header)))
            elif message := text_problem(header):
                problems.append(Problem(f"columns[{i}]", message, _short(header)))
    rows = body.get("rows")
    if not isinstance(rows, list):
        problems.append(Problem("rows", "must be a list of rows (lists of cells)", _short(rows)))
        rows = []
    elif len(rows) > MAX_ROWS or len(rows) * max(len(columns), 1) > MAX_CELLS:
        problems.append(Problem("rows", f"has {len(rows)} rows; at most {MAX_ROWS} and {MAX_CELLS} cells", len(rows)))
        rows = []
    for r, row in enumerate(rows):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not isinstance(row, list) or len(row) != len(columns):
            problems.append(Problem(f"rows[{r}]", f"must be a list of {len(columns)} cells, one per column", _short(row)))
            continue
        for c, value in enumerate(row):
            message = _cell_problem(value)
            if message:
                problems.append(Problem(f"rows[{r}][{c}]", message, _short(value)))
    if problems:
        raise ValidationError(problems[:MAX_PROBLEMS])
    return Table(filename, sheet, [str(c) for c in columns], rows)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _cell_problem(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if abs(value) < 2**53 else "is a number too large for a spreadsheet (at most 2^53)"
    if isinstance(value, float):
        return None if math.isfinite(value) else "must be a finite number"
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            return f"has more than {MAX_CELL_CHARS} characters (a cell's limit)"
        return text_problem(value)
    return "must be text, a number, true/false or null"


def _filename(value: Any, problems: list[Problem]) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME:
        problems.append(Problem("filename", f"must be a name of 1 to {MAX_NAME} characters", _short(value)))
        return "table.xlsx"
    if any(ch in value for ch in "/\\") or any(not ch.isprintable() for ch in value) or text_problem(value):
        problems.append(Problem("filename", "must be a file name without / \\ or control characters", value))
        return "table.xlsx"
    name = value.strip()
    return name if name.lower().endswith(".xlsx") else f"{name}.xlsx"


def _sheet(value: Any, problems: list[Problem]) -> str:
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > MAX_SHEET_NAME
        or SHEET_FORBIDDEN & set(value)
        or value.startswith("'")
        or text_problem(value)
    ):
        message = f"must be a sheet name of 1 to {MAX_SHEET_NAME} characters without [ ] : * ? / \\"
        problems.append(Problem("sheet", message, _short(value)))
        return "Sheet1"
    return value


def _short(value: Any) -> Any:
    """A value an error can echo: long text and large lists are cut."""
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "…"
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 80 else text[:80] + "…"
    return value


def table_workbook(table: Table) -> bytes:
    return write_workbook([(SheetSpec(table.sheet, table.columns), table.rows)])


@router.post(TABLE_PATH, summary="Write a table (JSON body) as an .xlsx download", response_class=Response)
async def table_xlsx(request: Request, principal: SignedIn) -> Response:
    raw = await request.body()
    try:
        table = await in_worker(parse_table, raw)
    except ValidationError as exc:
        return SafeJSONResponse(error_body(exc), status_code=400)
    body = await in_worker(table_workbook, table)
    headers = {"Content-Disposition": attachment(table.filename), "Cache-Control": "no-store"}
    return Response(body, media_type=XLSX_MEDIA_TYPE, headers=headers)


__all__ = ["TABLE_PATH", "Table", "parse_table", "router", "table_workbook"]
