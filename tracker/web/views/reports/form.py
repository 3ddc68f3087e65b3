"""The offline form's panel: download, upload, and what an upload did."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.messages import render
from tracker.domain.places import PLACES
from tracker.excel.rows import RowError
from tracker.i18n import t
from tracker.web import plain as _plain
from tracker.web.views.reports.ids import ReportsIds as Ids


def offline_panel(language: str, *, office: bool, max_mb: int) -> Any:
    """The offline form's tab (drawn with every page: plain dicts, tracker/web/plain.py)."""
    county = (
        _plain.dmc.Select(
            id=Ids.FORM_COUNTY,
            data=[{"value": p, "label": p} for p in PLACES],
            placeholder=t("reports.form_all", language),
            clearable=True,
            w=200,
        )
        if office
        else _plain.dcc.Store(id=Ids.FORM_COUNTY)
    )
    return _plain.dmc.Stack(
        [
            _plain.dmc.Paper(
                [
                    _plain.dmc.Title(t("reports.form_download_title", language), order=5, mb="xs"),
                    _plain.dmc.Text(
                        t("reports.form_download_help", language), size="sm", c="dimmed"
                    ),
                    _plain.dmc.Group(
                        [
                            county,
                            _plain.dmc.Button(
                                t("reports.form_download", language),
                                id=Ids.FORM_DOWNLOAD,
                                variant="light",
                            ),
                        ],
                        mt="sm",
                        align="flex-end",
                    ),
                    _plain.dcc.Download(id=Ids.FORM_FILE),
                ],
                withBorder=True,
                p="md",
            ),
            _plain.dmc.Paper(
                [
                    _plain.dmc.Title(t("reports.form_upload_title", language), order=5, mb="xs"),
                    _plain.dmc.Text(t("reports.form_upload_help", language), size="sm", c="dimmed"),
                    _plain.dmc.Checkbox(
                        id=Ids.UPLOAD_DRAFT,
                        label=t("reports.form_as_draft", language),
                        checked=False,
                        mt="sm",
                        mb="sm",
                    ),
                    _plain.html.Div(upload_box(language, max_mb), id=Ids.UPLOAD_BOX),
                    _plain.html.Div(id=Ids.UPLOAD_RESULT, className="rp-upload-result"),
                ],
                withBorder=True,
                p="md",
            ),
        ]
    )


def upload_box(language: str, max_mb: int, *, upload_id: str = Ids.UPLOAD) -> dcc.Upload:
    """A fresh upload field (made anew after each file, so the same file can be sent again);
    ``upload_id`` for another page's form (the indicators' values form)."""
    return dcc.Upload(
        html.Div(
            [
                html.Div(t("import.drop", language), className="upload-title"),
                html.Div(t("reports.form_limits", language, mb=max_mb), className="upload-sub"),
            ]
        ),
        id=upload_id,
        accept=".xlsx",
        max_size=max_mb * 1024 * 1024,
        multiple=False,
        className="upload-box",
    )


def upload_result(
    *,
    saved: int,
    skipped: int,
    errors: Sequence[RowError],
    submit: bool,
    language: str,
    notes: Sequence[RowError] = (),
    unchanged: int = 0,
) -> Any:
    """All or nothing: what was saved (and any value read after normalising it), or every
    row error with sheet, row, column and reason."""
    if not errors:
        key = "reports.form_submitted" if submit else "reports.form_saved"
        return dmc.Alert(
            [
                html.Div(
                    t(key, language, n=saved, skipped=skipped)
                    + t("reports.form_unchanged", language, n=unchanged)
                ),
                html.Ul([html.Li(n.render(language)) for n in notes], className="rp-upload-notes")
                if notes
                else None,
            ],
            color="green",
            variant="light",
            id=Ids.UPLOAD_OK,
        )
    return error_alert(errors, t("reports.form_refused", language, n=len(errors)), language)


def error_alert(
    errors: Sequence[RowError], title: str, language: str, *, table_id: str = Ids.UPLOAD_ERRORS
) -> dmc.Alert:
    """A refused upload: every row error with its sheet, row, column and reason."""
    head = ("reports.err_sheet", "reports.err_row", "reports.err_column", "reports.err_reason")
    return dmc.Alert(
        [
            dmc.Table(
                [
                    html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(e.sheet),
                                    html.Td(str(e.row) if e.row else "—"),
                                    html.Td(
                                        f"{e.column} {e.field}".strip()
                                        if e.column or e.field
                                        else "—"
                                    ),
                                    html.Td(render(e.message, language)),
                                ]
                            )
                            for e in errors
                        ]
                    ),
                ],
                striped=True,
                withTableBorder=True,
                fz="sm",
                id=table_id,
            )
        ],
        title=title,
        color="red",
        variant="light",
    )


def upload_bytes(contents: object) -> bytes:
    """The bytes of a ``dcc.Upload`` data URL; nothing readable is no bytes. The checks on
    the file are the form service's (the upload guard refuses an empty or broken file)."""
    if not isinstance(contents, str) or "," not in contents:
        return b""
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return b""
