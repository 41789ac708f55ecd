"""A dual check-in ledger (双报到台账) as a client fills it in: an .xlsx workbook built in memory, for the tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

HEADERS = [
    "序号",
    "报到类型",
    "报到单位/党员编号",
    "报到单位/党员名称",
    "社区党组织编号",
    "社区党组织名称",
    "报到日期",
    "结束日期",
    "登记编号",
]


def ledger(rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "双报到台账"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
