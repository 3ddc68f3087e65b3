"""调度通报 as a 公文 on the bulletin page (#14): the month's four sections (drafted, the
office's edits kept and marked, frozen at 定稿), the downloads (Word, PDF, the Excel tables)
and the quarter / half-year / year bulletins of the month's year.

The office (bulletin.edit) rewrites a section in a textarea until 定稿; then, and for every
other reader, the sections are the document's text, read-only. The text is the bulletin as
issued: Chinese whatever the interface language (``bl-document``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.i18n import t
from tracker.services.bulletin_page import BulletinPage
from tracker.services.bulletin_text import SectionText

SPAN_CODES = ("Q1", "H1", "Q3", "Y")
FORMATS = (".docx", ".pdf", ".xlsx")


class BulletinTextIds:
    PANEL = "bl-text"  # the box the sections render in (inside the month's body)
    STATUS = "bl-text-status"
    SECTION = "bl-text-section"  # pattern: {"type": SECTION, "index": key} (each section)
    TEXT = "bl-text-input"  # pattern: {"type": TEXT, "index": key} (the office's textarea)
    SAVE = "bl-text-save"  # pattern: {"type": SAVE, "index": key}
    RESET = "bl-text-reset"  # pattern: {"type": RESET, "index": key} (back to the draft)
    MARK = "bl-text-mark"  # pattern: {"type": MARK, "index": key} (已修改 / 自动起草)
    SEEN = "bl-text-seen"  # pattern: {"type": SEEN, "index": key}: the version the editor saw
    # the month's files: the 公文 in Word and PDF; the tables in Excel (bl-download, as before)
    DOWNLOAD_DOCX = "bl-download-docx"
    DOWNLOAD_PDF = "bl-download-pdf"
    # the quarter / half-year / year bulletins of the month's year
    SPAN_OPEN = "bl-span-open"
    SPAN = "bl-span"
    SPAN_YEAR = "bl-span-year"
    SPAN_DOCX = "bl-span-docx"
    SPAN_PDF = "bl-span-pdf"
    SPAN_XLSX = "bl-span-xlsx"
    SPAN_FILE = "bl-span-file"


Ids = BulletinTextIds


# --- the sections -----------------------------------------------------------------------------


def _mark(s: SectionText, language: str) -> dmc.Badge:
    return dmc.Badge(
        t("bulletin_text.edited" if s.edited else "bulletin_text.drafted", language),
        color="orange" if s.edited else "gray",
        variant="light",
        size="sm",
        id={"type": Ids.MARK, "index": s.key},
    )


def _heading(s: SectionText, language: str, *, marked: bool) -> dmc.Group:
    return dmc.Group(
        [
            # the heading as the document prints it (一、总体情况): issued in Chinese
            dmc.Text(s.heading, fw=600, size="sm", className="bl-document"),
            _mark(s, language) if marked else None,
        ],
        gap="xs",
        mb=4,
        wrap="nowrap",
    )


def _editor(s: SectionText, language: str) -> list[Any]:
    buttons = [
        dmc.Button(
            t("bulletin_text.save", language),
            id={"type": Ids.SAVE, "index": s.key},
            size="compact-sm",
            variant="light",
        )
    ]
    if s.edited:
        buttons.append(
            dmc.Button(
                t("bulletin_text.reset", language),
                id={"type": Ids.RESET, "index": s.key},
                size="compact-sm",
                variant="subtle",
                color="gray",
            )
        )
    return [
        dmc.Textarea(
            id={"type": Ids.TEXT, "index": s.key},
            value=s.text,
            autosize=True,
            minRows=4,
            maxRows=12,
            className="bl-document bl-text-input",
            # the column's limit (tracker.services.bulletin_text.SECTION_RULE)
            inputProps={"maxLength": 20000},
        ),
        dmc.Group(buttons, gap="xs", mt=6, justify="flex-end"),
        dcc.Store(id={"type": Ids.SEEN, "index": s.key}, data=s.version),
    ]


def _reading(s: SectionText) -> html.Div:
    return html.Div(
        [html.P(p, className="bl-text-para") for p in s.text.split("\n") if p.strip()],
        className="bl-document bl-text-read",
    )


def _status(page: BulletinPage, language: str) -> dmc.Badge:
    final = page.bulletin is not None and page.bulletin.final
    return dmc.Badge(
        t("bulletin_text.frozen" if final else "bulletin_text.draft_status", language),
        color="indigo" if final else "gray",
        variant="light",
        id=Ids.STATUS,
    )


def _help(page: BulletinPage, language: str) -> str:
    if page.text_editable:
        return t("bulletin_text.hint", language)
    if page.bulletin is not None and page.bulletin.final:
        return t("bulletin_text.frozen_hint", language)
    return t("bulletin_text.reader_draft", language)


def panel(page: BulletinPage, language: str) -> Any:
    """The month's 公文 text: the office's editor until 定稿, else the text to read."""
    if page.bulletin is None or not page.sections:
        return None
    editable, marked = page.text_editable, page.editor
    cards = [
        html.Div(
            [
                _heading(s, language, marked=marked),
                *(_editor(s, language) if editable else [_reading(s)]),
            ],
            id={"type": Ids.SECTION, "index": s.key},
            className="bl-text-card",
        )
        for s in page.sections
    ]
    return dmc.Paper(
        [
            dmc.Group(
                [
                    dmc.Title(
                        t("bulletin_text.title", language), order=4, className="section-title"
                    ),
                    _status(page, language),
                ],
                gap="sm",
                mb=4,
            ),
            dmc.Text(_help(page, language), size="xs", c="dimmed", mb="sm"),
            dmc.SimpleGrid(cards, cols={"base": 1, "lg": 2}, spacing="md"),
        ],
        withBorder=True,
        p="md",
        radius="md",
        mt="md",
        className="bl-text-panel",
    )


def box(page: BulletinPage, language: str) -> html.Div:
    """The panel in its box (the save callback redraws the box's content)."""
    return html.Div(panel(page, language), id=Ids.PANEL)


# --- downloads ----------------------------------------------------------------------------------


def _formats(ids: Sequence[str], language: str, *, size: str = "sm") -> dmc.ButtonGroup:
    return dmc.ButtonGroup(
        [
            dmc.Button(
                t(f"bulletin_text.format{suffix}", language), id=cid, variant="light", size=size
            )
            for cid, suffix in zip(ids, FORMATS, strict=True)
        ]
    )


def default_span(month: date | None) -> str:
    """The latest span the month completes (October: 前三季度), or the first quarter."""
    if month is None:
        return "Q1"
    ends = {"Q1": 3, "H1": 6, "Q3": 9, "Y": 12}
    done = [code for code in SPAN_CODES if ends[code] <= month.month]
    return done[-1] if done else "Q1"


def span_year(year: int | None, language: str) -> str:
    if year is None:
        return t("bulletin_span.title", language)
    return t("bulletin_span.title_year", language, year=year)


def download_controls(language: str, *, month: date | None, xlsx_id: str) -> dmc.Group:
    """The month's three files, and the span bulletins of its year in a popover."""
    spans = dmc.Popover(
        [
            dmc.PopoverTarget(
                dmc.Button(t("bulletin_span.open", language), id=Ids.SPAN_OPEN, variant="light")
            ),
            dmc.PopoverDropdown(
                [
                    dmc.Text(
                        span_year(month.year if month else None, language),
                        fw=600,
                        size="sm",
                        id=Ids.SPAN_YEAR,
                    ),
                    dmc.Text(t("bulletin_span.hint", language), size="xs", c="dimmed", mb="xs"),
                    dmc.SegmentedControl(
                        id=Ids.SPAN,
                        data=[
                            {"value": code, "label": t(f"bulletin_span.{code}", language)}
                            for code in SPAN_CODES
                        ],
                        value=default_span(month),
                        size="xs",
                        fullWidth=True,
                        mb="xs",
                    ),
                    _formats((Ids.SPAN_DOCX, Ids.SPAN_PDF, Ids.SPAN_XLSX), language, size="xs"),
                ],
                maw=340,
            ),
        ],
        position="bottom-end",
        withArrow=True,
        shadow="md",
    )
    return dmc.Group(
        [
            # labelled as the month picker beside it is, so the two line up
            dmc.InputWrapper(
                _formats((Ids.DOWNLOAD_DOCX, Ids.DOWNLOAD_PDF, xlsx_id), language),
                label=t("bulletin_text.download", language),
            ),
            html.Div(spans, style={"marginTop": 24}),
            # outside the popover: it stays mounted when the popover closes
            dcc.Download(id=Ids.SPAN_FILE),
        ],
        gap="sm",
        align="flex-start",
        wrap="nowrap",
    )
