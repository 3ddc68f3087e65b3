"""What the offline forms (the monthly report form, the indicator values form) share: the
print set-up, the hidden sheet that marks a workbook as ours, and opening an upload behind
the upload guard."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tracker.excel.cells import write_text
from tracker.excel.rows import ListFileError
from tracker.excel.safety import Limits, guard_upload


def cell_text(value: object) -> str:
    """A cell as the text a person typed (a whole float without its ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def print_landscape(ws: Worksheet, *, header_row: int, freeze: str) -> None:
    """Frozen headings, the header row on every printed page, A4 landscape one page wide."""
    ws.freeze_panes = freeze
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def finish(wb: Workbook, meta_sheet: str, meta: Iterable[str]) -> bytes:
    """The workbook's bytes, with a hidden sheet holding ``meta`` (the marker first)."""
    sheet = wb.create_sheet(meta_sheet)
    for r, value in enumerate(meta, start=1):
        write_text(sheet.cell(row=r, column=1), value)
    sheet.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def open_form(
    data: bytes,
    filename: str,
    *,
    limits: Limits,
    sheet: str,
    meta_sheet: str,
    marker: str,
    refuse: Callable[[str], Exception],
    keys: str,
):
    """The workbook, once it passed the upload guard and proved to be one of our forms;
    ``refuse(key)`` makes the error (``{keys}.unreadable`` / ``.no_sheet`` / ``.not_ours``)."""
    try:
        guard_upload(data, filename, limits=limits)
    except ListFileError as exc:
        raise refuse(getattr(exc, "message", None) or str(exc)) from exc
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:  # whatever openpyxl trips over, the user gets a sentence
        raise refuse(f"{keys}.unreadable") from exc
    if sheet not in wb.sheetnames or meta_sheet not in wb.sheetnames:
        raise refuse(f"{keys}.no_sheet")
    if cell_text(wb[meta_sheet]["A1"].value) != marker:
        raise refuse(f"{keys}.not_ours")
    return wb
