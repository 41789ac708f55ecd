"""The dual check-in ledger (双报到台账): the spreadsheet a community office keeps, one registration a row.

This is the one definition of its columns: the template (``services/ledger_template.py``), the reader of an
uploaded ledger (``services/ledger.py``), the docs' table and the console all derive from ``COLUMNS``. A row names
existing entities by id; the names beside the ids are only compared with the stored names, to catch a row whose id
was mistyped. A row becomes one ``REGISTERED_WITH`` relationship (``domain.schema``): a unit's Party organisation
or an in-service Party member registered with a community Party organisation, from a day, optionally to a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from graph_service.domain.enums import NodeLabel


class RegistrantType(Enum):
    """Who checks in: the value of the 报到类型 column and the label of the node it names."""

    UNIT = ("单位", NodeLabel.ORGANIZATION, "驻区单位党组织（单位党支部、党委）")
    MEMBER = ("党员", NodeLabel.PERSON, "在职党员")

    def __init__(self, text: str, label: NodeLabel, meaning: str) -> None:
        self.text = text
        self.label = label
        self.meaning = meaning

    @classmethod
    def parse(cls, value: str) -> RegistrantType | None:
        return next((t for t in cls if t.text == value), None)


@dataclass(frozen=True)
class LedgerColumn:
    """One column: its header (what a row's errors name), the field it fills, and what the notes sheet says."""

    header: str
    key: str
    required: bool
    note: str
    example: str
    """The template's example row: ids of the Heze demo city (docs/dataset.md, ids that exist at every scale)."""
    width: int


#: The field a column fills: ``type``, ``registrant_id``, ``registrant_name``, ``community_org_id``,
#: ``community_name``, ``start_date``, ``end_date``, ``id`` (``number`` is the office's own numbering, not stored).
COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("序号", "number", False, "台账自己的编号，不导入；错误按表格行号指出。", "1", 8),
    LedgerColumn(
        "报到类型",
        "type",
        True,
        "“单位”：驻区单位党组织报到；“党员”：在职党员个人报到。",
        RegistrantType.UNIT.text,
        12,
    ),
    LedgerColumn(
        "报到单位/党员编号",
        "registrant_id",
        True,
        "本系统中报到方的编号：单位党组织（类型为单位党组织）或党员（须为中共党员）。",
        "hz-md-u001-po",
        24,
    ),
    LedgerColumn(
        "报到单位/党员名称",
        "registrant_name",
        False,
        "可填，用于核对：须与该编号在系统中的名称一致。",
        "",
        28,
    ),
    LedgerColumn(
        "社区党组织编号",
        "community_org_id",
        True,
        "报到的社区党组织（社区党委/党总支）在本系统中的编号。",
        "hz-dt-tz-c01-pc",
        22,
    ),
    LedgerColumn(
        "社区党组织名称",
        "community_name",
        False,
        "可填，用于核对：须与该编号在系统中的名称一致。",
        "",
        26,
    ),
    LedgerColumn("报到日期", "start_date", True, "报到的日期，YYYY-MM-DD 或表格日期。", "2025-03-01", 14),
    LedgerColumn(
        "结束日期",
        "end_date",
        False,
        "可空：仍在报到中。填写则为报到结束的日期，不早于报到日期。",
        "",
        14,
    ),
    LedgerColumn(
        "登记编号",
        "id",
        False,
        "可空：系统生成（registration-…）。填写则作为该报到记录的编号，不得与已有记录重复。",
        "",
        24,
    ),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
#: The column a field is read from, and the header that names it in errors.
HEADER_OF: dict[str, str] = {c.key: c.header for c in COLUMNS}
#: The sheet the rows are on (the first sheet is read when a ledger has no sheet of this name).
SHEET = "双报到台账"
NOTES_SHEET = "填写说明"
#: Rows a ledger may hold. A community's ledger is hundreds of rows; all of them are written in one transaction,
#: which other writers wait for: about 20 s for 2,000 rows on the development machine (bench/bench_ledger.py).
MAX_ROWS = 2000
#: Columns read from a row. A header that is not one of ``HEADERS`` is refused (a mistyped header must not make
#: its column vanish silently); this bounds the reading of a sheet with thousands of stray columns.
MAX_COLUMNS = 50
#: The first data row (row 1 holds the headers); errors name rows as the spreadsheet numbers them.
FIRST_ROW = 2

__all__ = [
    "COLUMNS",
    "FIRST_ROW",
    "HEADERS",
    "HEADER_OF",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "NOTES_SHEET",
    "SHEET",
    "LedgerColumn",
    "RegistrantType",
]
