"""Typing into a cell of the report grid (AG Grid) in a browser test, as a person does."""

from __future__ import annotations


def type_in(cell, value: str) -> None:
    """Open ``cell``'s editor, type ``value`` and press Enter."""
    cell.scroll_into_view_if_needed()
    cell.click()
    editor = cell.locator("input")
    editor.wait_for()
    editor.fill(value)
    editor.press("Enter")


def write_long_text(page, cell, text: str) -> None:
    """Write ``text`` in ``cell``'s large-text editor, then leave the cell (which ends the edit)."""
    cell.scroll_into_view_if_needed()
    cell.click()
    page.locator(".ag-large-text textarea").fill(text)
    page.locator(".page-title").first.click()
