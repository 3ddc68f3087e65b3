"""A document's annex tables (``Document.annexes``) as a plain workbook: one sheet a table,
its title, header, rows and note, so the office can re-sort and re-use the figures. No
database: it draws the plain ``Document`` the drafting builds, and decides nothing.

Figures are numbers formatted to show the digits the document writes; text goes through
``cells.put`` so no cell becomes a formula."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tracker.domain.document import Document, Table
from tracker.excel.cells import put

FONT = "Noto Sans CJK SC"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SHEET_NAME_MAX = 31  # Excel's limit


_NUMBER = re.compile(r"([+-]?)(\d+)(?:\.(\d+))?(%?)")


def _figure(text: str) -> tuple[Any, str | None]:
    """A written figure of a right-aligned column as a number showing the same digits
    ('46.9%' → 0.469 as 0.0%, '+16.4' → 16.4 as +0.0, '7.61' → 7.61 as 0.00), so the office
    can sort and add; anything else ('—') stays text."""
    found = _NUMBER.fullmatch(text.replace(",", ""))
    if found is None:
        return text, None
    sign, whole, decimals, pct = found.groups()
    places = "0" + ("." + "0" * len(decimals) if decimals else "")
    value = Decimal(text.replace(",", "").rstrip("%"))
    if pct:
        return float(value / 100), places + "%"
    if sign == "+":
        return float(value), f"+{places};-{places};{places}"
    grouped = "#,##" if "," in text else ""
    return (float(value) if decimals else int(value)), grouped + places


def _sheet_name(table: Table, index: int) -> str:
    """附件1 … from the title's 附件N：, else a numbered name."""
    head = table.title.split("：", 1)[0].split(":", 1)[0].strip()
    return (head if head and len(head) <= SHEET_NAME_MAX else f"附件{index}")[:SHEET_NAME_MAX]


def _draw(ws, table: Table, document: Document) -> None:
    width = max(len(table.columns), 1)
    put(ws.cell(1, 1), table.title).font = Font(name=FONT, bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(ws.cell(2, 1), "　".join(p for p in (document.title, document.status) if p))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for c, column in enumerate(table.columns, 1):
        cell = put(ws.cell(3, c), column.label)
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = column.width * 1.2 + 2
    for r, row in enumerate(table.rows, 4):
        for c, (column, value) in enumerate(zip(table.columns, row, strict=False), 1):
            number, shown = _figure(value) if column.align == "right" else (value, None)
            cell = put(ws.cell(r, c), number)
            if shown:
                cell.number_format = shown
            cell.font, cell.border = Font(name=FONT), BORDER
            cell.alignment = Alignment(horizontal=column.align, vertical="center")
    if table.note:
        last = len(table.rows) + 5
        put(ws.cell(last, 1), table.note).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=width)
        ws.row_dimensions[last].height = 15 * (len(table.note) // (width * 12) + 2)
    ws.row_dimensions[3].height = 40  # two lines of a wrapped label
    ws.freeze_panes = "B4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def annex_workbook(document: Document) -> bytes:
    """The document's annexes as .xlsx bytes (one sheet a table; one empty sheet titled with
    the document when it has none)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for index, table in enumerate(document.annexes, 1):
        name = _sheet_name(table, index)
        while name in used:
            name = f"{name[: SHEET_NAME_MAX - 3]}-{index}"
        used.add(name)
        _draw(wb.create_sheet(name), table, document)
    if not document.annexes:
        put(wb.create_sheet("附件").cell(1, 1), document.title)
    wb.properties.title = document.title
    wb.properties.creator = document.office
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
