"""The ledger's one column definition against its docs, and the XLSX writer's and reader's rules without a server."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from graph_service.domain.ledger import COLUMNS, HEADERS
from graph_service.services.ledger import parse, template
from graph_service.services.xlsx import FORMULA_STARTS, SheetSpec, SpreadsheetError, read_rows, write_workbook

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import-export.md"


def test_the_docs_table_lists_every_column_as_defined() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## The dual check-in ledger") :]
    rows = re.findall(r"^\| (\S+) \| (yes|no) \|", section, flags=re.MULTILINE)
    assert rows == [(c.header, "yes" if c.required else "no") for c in COLUMNS]


def test_every_string_is_written_as_text_never_a_formula() -> None:
    values = [start + "1+1" for start in FORMULA_STARTS] + ['=HYPERLINK("http://example.invalid")', "普通文本"]
    data = write_workbook([(SheetSpec("表", ["值"]), [[v] for v in values])])
    sheet = load_workbook(io.BytesIO(data))["表"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells[: len(FORMULA_STARTS) + 1])


def test_the_template_reads_back_as_a_ledger_of_its_example_row() -> None:
    sheet, rows = read_rows(template(), "双报到台账", 10, 50)
    assert sheet == "双报到台账" and [c.value for c in rows[0]] == list(HEADERS)
    items, _, problems = parse(rows)
    assert problems == [] and len(items) == 1
    assert (items[0].from_id, items[0].to_id, items[0].from_labels) == ("hz-md-u001-po", "hz-dt-tz-c01-pc", ("Organization",))


def test_blank_rows_and_a_row_with_only_its_number_are_skipped() -> None:
    # Row 2 blank, row 3 only its 序号, row 4 a registration: errors would name it row 4, as the sheet does.
    book_rows = [list(HEADERS), [], [7], [1, "党员", "p1", None, "cc1", None, "2025-01-02"]]
    data = write_workbook([(SheetSpec("双报到台账", book_rows[0]), book_rows[1:])])
    _, rows = read_rows(data, "双报到台账", 10, 50)
    items, _, problems = parse(rows)
    assert problems == []
    assert [(i.line, i.from_id, i.from_labels) for i in items] == [(4, "p1", ("Person",))]


def test_a_lone_cell_far_down_is_refused_as_too_many_rows() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(list(HEADERS))
    sheet.cell(row=100_000, column=2, value="单位")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SpreadsheetError, match="more than 10 rows"):
        read_rows(out.getvalue(), "Sheet", 10, 50)


def test_an_xml_entity_bomb_in_a_sheet_is_refused_not_expanded() -> None:
    book = Workbook()
    book.active.title = "双报到台账"
    book.active.append(list(HEADERS))
    plain = io.BytesIO()
    book.save(plain)
    # A billion laughs: nine levels of ten, a gigabyte of text from a few hundred bytes.
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">{levels}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            archive.writestr(part.filename, bomb.encode() if part.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(SpreadsheetError, match="cannot be read"):
        read_rows(out.getvalue(), "双报到台账", 10, 50)
