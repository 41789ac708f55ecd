"""The dual check-in ledger (双报到台账) in and out: its template, and the import of a filled one.

A ledger is read into one ``NewRel`` a row (``domain.ledger`` defines the columns), then written by
``ChangeService.create_rels``: the checks ``createRegistration`` applies, row by row, in one transaction, each
row audited as a ``createRegistration`` is (so it shows in ``registrationChanges`` and ``auditLog`` under the
actor who ran the import). Every row is checked before anything is kept; one bad row refuses the whole ledger, and
the refusal names every bad row by its row number in the sheet, the column header and the cell's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graph_service.domain.enums import NodeLabel, RelType
from graph_service.domain.ledger import (
    COLUMNS,
    FIRST_ROW,
    HEADER_OF,
    HEADERS,
    MAX_COLUMNS,
    MAX_ROWS,
    NOTES_SHEET,
    SHEET,
    RegistrantType,
)
from graph_service.domain.schema import RELS
from graph_service.domain.validation import validate_props
from graph_service.errors import BadInputError, Problem, ValidationError
from graph_service.services.changes import ChangeService, NewRel
from graph_service.services.xlsx import SheetCell, SheetSpec, read_rows, write_workbook
from graph_service.store.port import Row

#: The ledger column a problem of ``create_rels`` is about, by the problem's field.
_COLUMN_OF_FIELD: dict[str, str] = {
    "from": "registrant_id",
    "to": "community_org_id",
    "start_date": "start_date",
    "end_date": "end_date",
    "id": "id",
    "registrant_name": "registrant_name",
    "community_name": "community_name",
}


@dataclass(frozen=True)
class LedgerProblem:
    """One thing wrong with a ledger: the sheet's row number (``None``: the file), the column header, the value."""

    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.column or "") if part)
        shown = "" if self.value in (None, "") else f" (value: {self.value!r})"
        return f"{where}: {self.message}{shown}" if where else f"{self.message}{shown}"


class LedgerRefusedError(BadInputError):
    """The ledger was refused whole; ``problems`` name every bad row and cell. Nothing was written."""

    def __init__(self, problems: list[LedgerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]) + (" ..." if len(problems) > 20 else ""))


@dataclass(frozen=True)
class LedgerReport:
    """What an import did: ``written`` registrations (would have been, with ``dry_run``) from ``rows`` rows."""

    written: int
    rows: int
    dry_run: bool
    sheet: str


def template() -> bytes:
    """The ledger template: the headers with an example row, and a sheet of notes on each column."""
    widths = [c.width for c in COLUMNS]
    type_index = next(i for i, c in enumerate(COLUMNS) if c.key == "type")
    ledger = SheetSpec(SHEET, HEADERS, widths, {type_index: [t.text for t in RegistrantType]}, MAX_ROWS)
    example = [c.example or None for c in COLUMNS]
    notes = SheetSpec(NOTES_SHEET, ("列", "必填", "说明"), (22, 8, 80))
    note_rows = [(c.header, "是" if c.required else "否", c.note) for c in COLUMNS]
    rules = f"每个台账至多 {MAX_ROWS} 行；示例行请删除或改为实际数据。所有行检查通过才写入，任何一行有误则全部不写入。"
    note_rows.append(("", "", rules))
    note_rows += [("报到类型", t.text, t.meaning) for t in RegistrantType]
    return write_workbook([(ledger, [example]), (notes, note_rows)])


class LedgerImport:
    """Imports ledgers into the store through ``changes`` (the API's write path)."""

    def __init__(self, changes: ChangeService) -> None:
        self.changes = changes

    def run(self, actor: str, data: bytes, *, dry_run: bool = False) -> LedgerReport:
        sheet, rows = read_rows(data, SHEET, MAX_ROWS, MAX_COLUMNS)
        items, cells, problems = parse(rows)
        if problems:
            raise LedgerRefusedError(problems)
        if not items:
            raise LedgerRefusedError([LedgerProblem(None, None, sheet, "the ledger has no rows below its headers")])
        try:
            written = self.changes.create_rels(
                actor, RelType.REGISTERED_WITH.value, items, dry_run=dry_run, check=lambda item, s, t: _names(cells, item, s, t)
            )
        except ValidationError as exc:
            raise LedgerRefusedError([_located(p, cells) for p in exc.problems]) from None
        return LedgerReport(written, len(items), dry_run, sheet)


# --- reading rows ------------------------------------------------------------------------------------------------

#: A row's cells by field, as typed in the sheet (for the values errors show).
RowCells = dict[str, Any]


def parse(rows: list[list[SheetCell]]) -> tuple[list[NewRel], dict[int, RowCells], list[LedgerProblem]]:
    """The registrations a sheet's rows (header first) ask for, each row's cells by field, and what is wrong."""
    if not rows or not rows[0]:
        return [], {}, [LedgerProblem(1, None, None, f"the first row must hold the headers: {', '.join(HEADERS)}")]
    fields, problems = _header(rows[0])
    if problems:
        return [], {}, problems
    items: list[NewRel] = []
    cells: dict[int, RowCells] = {}
    for number, row in enumerate(rows[1:], start=FIRST_ROW):
        values: RowCells = {}
        formulas: set[str] = set()
        for index, cell in enumerate(row):
            key = fields.get(index)
            if key is None:
                continue
            if cell.formula is not None:
                formulas.add(key)
                problems.append(
                    LedgerProblem(number, HEADER_OF[key], cell.formula, "is a formula; type the value (paste as values)")
                )
                continue
            values[key] = cell.value
        if not formulas and all(v is None for k, v in values.items() if k != "number"):
            continue  # an empty row (perhaps with only its 序号): nothing to register
        cells[number] = values
        item, found = _item(number, values, formulas)
        problems += found
        if item is not None:
            items.append(item)
    return items, cells, problems


def _header(header: list[SheetCell]) -> tuple[dict[int, str], list[LedgerProblem]]:
    key_of = {c.header: c.key for c in COLUMNS}
    fields: dict[int, str] = {}
    problems: list[LedgerProblem] = []
    for index, cell in enumerate(header):
        text = cell.value.strip() if isinstance(cell.value, str) else cell.value
        if text is None:
            continue
        key = key_of.get(str(text))
        if key is None:
            problems.append(LedgerProblem(1, str(text), text, f"unknown column; the ledger's columns are {', '.join(HEADERS)}"))
        elif key in fields.values():
            problems.append(LedgerProblem(1, str(text), text, "appears twice in the headers"))
        else:
            fields[index] = key
    for column in COLUMNS:
        if column.required and column.key not in fields.values():
            problems.append(LedgerProblem(1, column.header, None, "is missing from the headers (row 1)"))
    return fields, problems


def _item(number: int, values: RowCells, formulas: set[str]) -> tuple[NewRel | None, list[LedgerProblem]]:
    """The registration a row asks for, or what is wrong with its cells (``formulas``: cells already refused)."""
    problems: list[LedgerProblem] = []

    def text(key: str) -> str | None:
        value = values.get(key)
        if value is None:
            return None
        if isinstance(value, bool | datetime | date):
            problems.append(LedgerProblem(number, HEADER_OF[key], _shown(value), "must be text"))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an id typed as a number
        return str(value).strip()

    def required(key: str) -> str | None:
        value = text(key)
        if value is None and key not in formulas and not any(p.column == HEADER_OF[key] for p in problems):
            problems.append(LedgerProblem(number, HEADER_OF[key], None, "is required"))
        return value

    kind_text = required("type")
    kind = RegistrantType.parse(kind_text) if kind_text is not None else None
    if kind_text is not None and kind is None:
        allowed = " or ".join(t.text for t in RegistrantType)
        problems.append(LedgerProblem(number, HEADER_OF["type"], kind_text, f"must be {allowed}"))
    registrant, community = required("registrant_id"), required("community_org_id")
    text("registrant_name")
    text("community_name")
    props: dict[str, Any] = {}
    for key in ("start_date", "end_date"):
        value = values.get(key)
        if isinstance(value, datetime):
            value = value.date()
        if value is not None:
            props[key] = value if isinstance(value, date) else _shown(value)
        elif key == "start_date" and key not in formulas:
            problems.append(LedgerProblem(number, HEADER_OF[key], None, "is required"))
    rel_id = text("id")
    if rel_id:
        props["id"] = rel_id
    # The registration's own rules (dates, their order, the id) now, so that a sheet's every problem shows at once;
    # the write checks them again with the rules on both ends.
    _, invalid = validate_props(RELS[RelType.REGISTERED_WITH.value], props, partial=True)
    problems += [_located(p, {number: values}, number) for p in invalid]
    if problems or kind is None or registrant is None or community is None:
        return None, problems
    return NewRel(registrant, community, props, number, (kind.label.value,)), []


def _shown(value: Any) -> Any:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


# --- checks against the store and what errors show ---------------------------------------------------------------


def _names(cells: Mapping[int, RowCells], item: NewRel, source: Row, target: Row) -> list[Problem]:
    """The names a row gives beside its ids must be the stored names: a mistyped id shows up here."""
    values = cells.get(item.line, {})
    problems: list[Problem] = []
    for key, node in (("registrant_name", source), ("community_name", target)):
        given = values.get(key)
        if given is None:
            continue
        stored = node.get("name")
        if str(given).strip() != (stored or ""):
            if node.get("_label") == NodeLabel.PERSON.value:
                # A person's name is personal data: the message does not repeat the stored one.
                message = f"is not the name stored for person {node['id']!r}; check the id and the name"
            else:
                message = f"is not the name stored for {node['id']!r} ({stored!r}); check the id and the name"
            problems.append(Problem(key, message, given))
    return problems


def _located(problem: Problem, cells: Mapping[int, RowCells], line: int | None = None) -> LedgerProblem:
    """A problem of ``create_rels`` as the ledger's: its row, the column it is about, and that cell's value."""
    line = problem.line if line is None else line
    key = _COLUMN_OF_FIELD.get(problem.field)
    if key is None:
        return LedgerProblem(line, None, _shown(problem.value), problem.message)
    row = cells.get(line or 0, {})
    value = row.get(key)
    message = problem.message
    shown = _shown(value) if value is not None else None
    if problem.value is not None and _shown(problem.value) != shown:
        message = f"{message} (found: {_shown(problem.value)})"  # a rule's value: the kind of the node, say
    kind = RegistrantType.parse(str(row.get("type") or ""))
    if key == "registrant_id" and kind is not None and message.startswith("no "):
        message = f"{message}; 报到类型 {kind.text} names {kind.label.value} ids ({kind.meaning})"
    return LedgerProblem(line, HEADER_OF[key], shown, message)


__all__ = ["LedgerImport", "LedgerProblem", "LedgerRefusedError", "LedgerReport", "parse", "template"]
