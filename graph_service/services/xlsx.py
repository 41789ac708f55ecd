"""XLSX in and out, never trusting a file: what the ledger import reads and what table downloads write.

An uploaded .xlsx is a zip of XML parts. Before openpyxl opens one, its zip directory is read and the file is
refused when it is not a zip, holds too many parts, or would decompress to more than ``MAX_UNCOMPRESSED`` bytes
(a zip bomb): the directory states each part's size, and Python's ``zipfile`` never yields more than that size
from a part, so the stated sizes bound what opening it can cost. Its XML is parsed by the standard library's expat
(2.4 and later refuse entity expansion bombs: the workbook then "cannot be read"; a test keeps that so). Cells are
read as values; a formula is refused, never evaluated. Writing turns every string into a text cell, also one that
starts with ``=``, so a value from the store or a client can never become a formula in a colleague's spreadsheet
(CSV/XLSX injection).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from graph_service.errors import BadInputError

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What the parts of an uploaded workbook may decompress to, together: a ledger of the most rows it may hold is
#: about 1 MB, and openpyxl holds a workbook's shared strings in memory.
MAX_UNCOMPRESSED = 30_000_000
#: Parts a workbook may hold (a ledger has about a dozen).
MAX_PARTS = 1000
#: Excel's own limit on the characters of a cell.
MAX_CELL_CHARS = 32767
#: Characters that make a spreadsheet read a typed-in cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")

Cell = str | int | float | bool | date | datetime | None
_SURROGATE = re.compile("[\ud800-\udfff]")


class SpreadsheetError(BadInputError):
    """An uploaded file that is not an XLSX workbook this service will open; the message says what is wrong."""


@dataclass(frozen=True)
class SheetCell:
    """A cell as read: its value, or ``formula`` (its text) when the cell holds a formula instead of a value."""

    value: Cell
    formula: str | None = None


def check_zip(data: bytes) -> None:
    """Refuse ``data`` unless it is a zip whose directory promises a workbook of bounded size."""
    if not data:
        raise SpreadsheetError("the file is empty; send the .xlsx workbook as the request body")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError("the file is not an .xlsx workbook (not a zip archive); save it as Excel Workbook (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(f"the file is not a readable .xlsx workbook ({exc})") from None
    if len(parts) > MAX_PARTS:
        raise SpreadsheetError(f"the workbook holds {len(parts)} parts, more than {MAX_PARTS}; it is not a ledger")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise SpreadsheetError(
            f"the workbook would decompress to {total} bytes, more than {MAX_UNCOMPRESSED}; refused (a zip bomb?)"
        )
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
        raise SpreadsheetError("the file is a zip archive but not an .xlsx workbook (no worksheets in it)")


def read_rows(data: bytes, sheet: str, max_rows: int, max_columns: int) -> tuple[str, list[list[SheetCell]]]:
    """The sheet named ``sheet`` (else the first) of the workbook ``data``: its name and its rows, header first.

    Trailing empty rows are dropped; more than ``max_rows`` rows of data after the header are refused before
    they are all read. Raises ``SpreadsheetError`` for anything that is not a workbook this service opens.
    """
    check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on a damaged file
        raise SpreadsheetError(f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None
    try:
        name = sheet if sheet in book.sheetnames else book.sheetnames[0]
        rows: list[list[SheetCell]] = []
        blank = 0
        for raw in book[name].iter_rows(max_col=max_columns):
            row = [_sheet_cell(cell) for cell in raw]
            while row and row[-1].value is None and row[-1].formula is None:
                row.pop()
            if not row:
                blank += 1
                continue
            # Counted before the blank rows are kept: a lone cell a million rows down is refused, not padded to.
            if len(rows) + blank + 1 > max_rows + 1:
                raise SpreadsheetError(f"the sheet {name!r} has more than {max_rows} rows of data; split the ledger")
            rows.extend([] for _ in range(blank))
            blank = 0
            rows.append(row)
        return name, rows
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise SpreadsheetError(f"the sheet cannot be read ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()


def _sheet_cell(cell: Any) -> SheetCell:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return SheetCell(None, str(value))
    if isinstance(value, str) and not value.strip():
        value = None
    return SheetCell(value)


# --- writing ---------------------------------------------------------------------------------------------------


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be written into a cell (control characters XML 1.0 forbids, lone surrogates), or None."""
    bad = ILLEGAL_CHARACTERS_RE.search(text) or _SURROGATE.search(text)
    if bad is None:
        return None
    return f"holds a character a spreadsheet cannot hold (U+{ord(bad.group()):04X} at position {bad.start()})"


@dataclass(frozen=True)
class SheetSpec:
    """A sheet to write: its name, headers (bold, frozen), column widths (characters; none: from the contents) and
    ``choices``: for a column (by index), the values a drop-down offers in its first ``choice_rows`` rows."""

    name: str
    headers: Sequence[str]
    widths: Sequence[int] = ()
    choices: Mapping[int, Sequence[str]] = field(default_factory=dict)
    choice_rows: int = 0


def write_workbook(sheets: Iterable[tuple[SheetSpec, Iterable[Sequence[Cell]]]]) -> bytes:
    """A workbook of ``sheets`` (each with its rows) as .xlsx bytes; strings are always text cells."""
    book = Workbook(write_only=True)
    for spec, rows in sheets:
        sheet = book.create_sheet(spec.name)
        _write_sheet(sheet, spec, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(sheet: Worksheet, spec: SheetSpec, rows: Iterable[Sequence[Cell]]) -> None:
    rows = list(rows)
    widths = list(spec.widths) or [_width(i, spec.headers, rows) for i in range(len(spec.headers))]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for index, allowed in spec.choices.items():
        column = get_column_letter(index + 1)
        listed = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
        listed.error = f"one of {', '.join(allowed)}"
        listed.add(f"{column}2:{column}{spec.choice_rows + 1}")
        sheet.data_validations.append(listed)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, bold) for header in spec.headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _cell(sheet: Worksheet, value: Cell, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl makes any string starting with "=" a formula: keep it text, and mark it so that editing the cell
        # in Excel keeps it text too.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    return cell


def _width(index: int, headers: Sequence[str], rows: list[Sequence[Cell]]) -> int:
    """A column wide enough for its header and its longest value among the first rows, within bounds."""
    sample: Iterator[Cell] = (row[index] if index < len(row) else None for row in rows[:200])
    longest = max((_display_width(str(v)) for v in sample if v is not None), default=0)
    return max(8, min(60, max(_display_width(headers[index]), longest) + 2))


def _display_width(text: str) -> int:
    # A CJK character takes two columns of a spreadsheet's width.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


__all__ = [
    "FORMULA_STARTS",
    "MAX_CELL_CHARS",
    "MAX_UNCOMPRESSED",
    "XLSX_MEDIA_TYPE",
    "Cell",
    "SheetCell",
    "SheetSpec",
    "SpreadsheetError",
    "check_zip",
    "read_rows",
    "text_problem",
    "write_workbook",
]
