"""Write user text into a cell so that it stays text: the one place exporters do it.

openpyxl decides a cell's type from its value: a string starting with "=" becomes a
formula, and "#N/A" and the other error codes become error cells. Project names, units
and problem descriptions come from users, so an exported list could otherwise carry a
live formula such as =HYPERLINK("http://evil", "点击") or =WEBSERVICE(...) into every
office that opens it (CSV/formula injection, OWASP). We therefore force the cell type
to string, and for text that starts with a character a spreadsheet treats as the start
of a formula (= + - @, and tab or carriage return per OWASP) we also set the cell's
quotePrefix style: Excel and LibreOffice then keep it as text even when someone edits
the cell and presses Enter. The stored value is unchanged, so a round trip through the
importer gives back exactly the same text.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

__all__ = ["FORMULA_TRIGGERS", "MAX_CELL_TEXT", "csv_safe", "put", "safe_text", "write_text"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell


def safe_text(text: str) -> str:
    """Text that a worksheet can hold: control characters removed, Excel's length limit kept."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


def write_text(cell: Cell, text: str | None) -> None:
    """Write user text into ``cell`` as a string, never as a formula or an error value."""
    if text is None or text == "":
        cell.value = None
        return
    value = safe_text(str(text))
    cell.value = value
    # openpyxl has just turned "=..." into a formula and "#N/A" into an error: undo that
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def put(cell: Cell, value: Any) -> Cell:
    """Numbers, decimals and dates as they are; any string through ``write_text``."""
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value
    return cell


def csv_safe(text: str) -> str:
    """User text for a CSV field: a leading formula character is neutralised with an
    apostrophe, because a CSV carries no cell types to keep it text (OWASP)."""
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
