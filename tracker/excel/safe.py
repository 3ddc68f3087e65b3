"""Writing user text into a cell so that it stays text (a helper of the dispatch workbooks).

openpyxl turns any string that starts with "=" into a formula, and spreadsheet programs
treat "+", "-" and "@" at the start as formulas too (CSV/formula injection). User text is
therefore stored as a string cell (``data_type = "s"`` after assignment), and text that
starts with such a character also gets ``quotePrefix`` so it stays text when edited.
tracker/excel/cells.py did not exist in the dispatch branch when this was written; this
module mirrors its ``write_text`` so the two can be merged into one when the branches meet.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell


def write_text(cell: Cell, text: Any) -> Cell:
    """Store ``text`` as a string, never as a formula or an error value."""
    if text is None or text == "":
        cell.value = None
        return cell
    value = ILLEGAL_CHARACTERS_RE.sub("", str(text))[:MAX_CELL_TEXT]
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def put(cell: Cell, value: Any) -> Cell:
    """Numbers, decimals and dates as they are; any string through ``write_text``."""
    if isinstance(value, str):
        return write_text(cell, value)
    cell.value = value
    return cell
