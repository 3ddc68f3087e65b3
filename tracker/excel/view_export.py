"""A table as the user sees it (the project list's current view) → .xlsx bytes.

User text is written as text, never as a formula, through the shared
``tracker.excel.cells.write_text``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tracker.excel.cells import write_text

HEADER_FILL = PatternFill("solid", fgColor="E7ECF7")


def put_value(cell: Cell, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = "#,##0.00"
    elif isinstance(value, int | float):
        cell.value = value
    elif isinstance(value, datetime | date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        write_text(cell, str(value))


def table_workbook(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, caption: str = ""
) -> bytes:
    """One sheet: an optional caption row, a header row, then ``rows``."""
    wb = Workbook()
    ws = wb.active
    ws.title = (title or "Sheet1")[:31].translate({ord(c): "_" for c in "[]:*?/\\"})
    top = 1
    if caption:
        write_text(ws.cell(row=1, column=1), caption)
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        top = 3
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=col)
        write_text(cell, str(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [max(6, min(40, len(str(h)) * 2 + 2)) for h in headers]
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            put_value(ws.cell(row=r, column=c), value)
            if isinstance(value, str):
                widths[c - 1] = max(widths[c - 1], min(40, len(value) * 2))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
