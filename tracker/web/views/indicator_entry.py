"""指标填报 (#16): a unit's indicators and the periods they owe, in one editable grid; the
values typed in are saved and sent to the office together (all or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from tracker.i18n import t
from tracker.services.indicator_cycle import IndicatorFormResult
from tracker.services.indicators import EntryRow, ValueEntry
from tracker.web import ui
from tracker.web.views.indicator import number, period_label
from tracker.web.views.reports.form import error_alert
from tracker.web.views.reports.form import upload_box as report_upload_box

EDITABLE = (None, "draft", "returned")  # a value not yet sent, or sent back
FIELDS = ("value", "source", "note")


class EntryIds:
    GRID = "ie-grid"
    SAVE = "ie-save"
    COUNT = "ie-count"
    TABS = "ie-tabs"
    # the Excel form: download, upload back
    FORM_UNIT = "ie-form-unit"  # the office picks a unit (a unit's page: a store, unused)
    FORM_DOWNLOAD = "ie-form-download"
    FORM_FILE = "ie-form-file"
    UPLOAD = "ie-upload"
    UPLOAD_BOX = "ie-upload-box"
    UPLOAD_DRAFT = "ie-upload-draft"
    UPLOAD_RESULT = "ie-upload-result"
    UPLOAD_OK = "ie-upload-ok"
    UPLOAD_ERRORS = "ie-upload-errors"


def row(item: EntryRow, language: str) -> dict[str, Any]:
    value = "" if item.value is None else number(item.value).replace(",", "")
    shown = {"value": value, "source": item.source, "note": item.note}
    return {
        "row_id": f"{item.indicator_id}:{item.period.isoformat()}",
        "id": item.indicator_id,
        "indicator_id": item.indicator_id,
        "code": item.code,
        "name": item.name,
        "system": item.system_name,
        "unit": item.unit,
        "period": item.period.isoformat(),
        "period_label": period_label(item.frequency, item.period, language),
        "status": t(f"indicator.status.{item.status or 'none'}", language),
        "editable": item.status in EDITABLE,
        "version": item.version,
        **shown,
        "orig": shown,
    }


def rows(items: Sequence[EntryRow], language: str) -> list[dict[str, Any]]:
    return [row(i, language) for i in items]


def _changed(line: dict[str, Any]) -> bool:
    orig = line.get("orig") if isinstance(line.get("orig"), dict) else {}
    return any(str(line.get(k) or "") != str(orig.get(k) or "") for k in FIELDS)


def entries(grid_rows: Any) -> list[ValueEntry]:
    """The lines the user changed and filled in, as the service takes them; the line's code
    and period name it in a refusal."""
    out = []
    for line in grid_rows if isinstance(grid_rows, list) else []:
        if not isinstance(line, dict) or not _changed(line) or not str(line.get("value") or ""):
            continue
        try:
            period = date.fromisoformat(str(line.get("period")))
        except ValueError:
            continue  # not a period this page offered: nothing of the user's is lost
        out.append(
            ValueEntry(
                indicator_id=line.get("indicator_id"),
                period=period,
                value=line.get("value"),
                source=str(line.get("source") or ""),
                note=str(line.get("note") or ""),
                seen_version=line.get("version"),
                where=f"{line.get('code', '')} {line.get('period_label', '')}".strip(),
            )
        )
    return out


COLUMNS = (
    ("code", "indv.col.code", 96, False),
    ("name", "indv.col.name", 260, False),
    ("period_label", "indv.col.period", 120, False),
    ("value", "indv.value", 120, True),
    ("unit", "indv.col.unit", 80, False),
    ("source", "indv.value_source", 220, True),
    ("note", "indv.note", 240, True),
    ("status", "indv.col.status", 172, False),
    ("system", "indv.col.system", 130, False),
)


def column_defs(language: str) -> list[dict[str, Any]]:
    defs = []
    for key, label, width, editable in COLUMNS:
        d: dict[str, Any] = {"field": key, "headerName": t(label, language), "width": width}
        if key == "name":
            d["cellRenderer"] = "IndicatorLink"
            d["pinned"] = "left"
        if editable:
            d["editable"] = {"function": "params.data.editable"}
            d["cellClassRules"] = {"rp-cell-editable": "params.data.editable"}
        defs.append(d)
    return defs


def grid(row_data: list[dict[str, Any]], language: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=EntryIds.GRID,
        rowData=row_data,
        columnDefs=column_defs(language),
        getRowId="params.data.row_id",
        defaultColDef={"resizable": True, "sortable": True},
        dashGridOptions={
            "rowHeight": 38,
            "animateRows": False,
            "stopEditingWhenCellsLoseFocus": True,
            "singleClickEdit": True,
            "enableCellTextSelection": True,
            "localeText": {"noRowsToShow": t("indv.entry_none", language)},
        },
        className="ag-theme-quartz rp-grid",
        style={"height": "calc(100vh - 300px)", "minHeight": "360px", "width": "100%"},
    )


def _grid_panel(row_data: list[dict[str, Any]], language: str) -> html.Div:
    return html.Div(
        [
            dmc.Group(
                [
                    dmc.Text(
                        t("indv.entry_count", language, n=len(row_data)),
                        id=EntryIds.COUNT,
                        size="sm",
                        fw=500,
                    ),
                    dmc.Button(t("indv.entry_save", language), id=EntryIds.SAVE),
                ],
                justify="space-between",
                mb="xs",
            ),
            grid(row_data, language),
        ]
    )


def _unit_picker(units: Sequence[str] | None, language: str) -> Any:
    """The office's choice of one unit's form (none: every unit's); a unit gets its own."""
    if not units:
        return dcc.Store(id=EntryIds.FORM_UNIT)
    return dmc.Select(
        id=EntryIds.FORM_UNIT,
        data=[{"value": u, "label": u} for u in units],
        label=t("indv.form_unit", language),
        placeholder=t("indv.all_units", language),
        clearable=True,
        searchable=True,
        w=240,
    )


def upload_box(language: str, max_mb: int) -> Any:
    """A fresh upload field (made anew after each file, so the same file can be sent again)."""
    return report_upload_box(language, max_mb, upload_id=EntryIds.UPLOAD)


def form_panel(language: str, *, units: Sequence[str] | None, max_mb: int) -> dmc.Stack:
    """The Excel form: download it (the office: one unit's or every unit's), upload it back."""
    download = dmc.Paper(
        [
            dmc.Title(t("indv.form_download_title", language), order=5, mb="xs"),
            dmc.Text(t("indv.form_download_help", language), size="sm", c="dimmed"),
            dmc.Group(
                [
                    _unit_picker(units, language),
                    dmc.Button(
                        t("reports.form_download", language),
                        id=EntryIds.FORM_DOWNLOAD,
                        variant="light",
                    ),
                ],
                mt="sm",
                align="flex-end",
            ),
            dcc.Download(id=EntryIds.FORM_FILE),
        ],
        withBorder=True,
        p="md",
    )
    upload = dmc.Paper(
        [
            dmc.Title(t("indv.form_upload_title", language), order=5, mb="xs"),
            dmc.Text(t("reports.form_upload_help", language), size="sm", c="dimmed"),
            dmc.Checkbox(
                id=EntryIds.UPLOAD_DRAFT,
                label=t("reports.form_as_draft", language),
                checked=False,
                mt="sm",
                mb="sm",
            ),
            html.Div(upload_box(language, max_mb), id=EntryIds.UPLOAD_BOX),
            html.Div(id=EntryIds.UPLOAD_RESULT, className="rp-upload-result"),
        ],
        withBorder=True,
        p="md",
    )
    return dmc.Stack([download, upload])


def upload_result(result: IndicatorFormResult, *, submit: bool, language: str) -> Any:
    """All or nothing: what was written (and any value read after normalising it), or every
    row error with its sheet, row, column and reason."""
    if result.errors:
        title = t("indv.form_refused", language, n=len(result.errors))
        return error_alert(result.errors, title, language, table_id=EntryIds.UPLOAD_ERRORS)
    key = "indv.form_submitted" if submit else "indv.form_saved"
    text = t(key, language, n=result.saved, skipped=result.skipped)
    if result.revised:
        text += t("indv.form_revised", language, n=result.revised)
    text += t("reports.form_unchanged", language, n=result.unchanged)
    notes = result.notes
    return dmc.Alert(
        [
            html.Div(text),
            html.Ul([html.Li(n.render(language)) for n in notes], className="rp-upload-notes")
            if notes
            else None,
        ],
        color="green",
        variant="light",
        id=EntryIds.UPLOAD_OK,
    )


def page(
    row_data: list[dict[str, Any]],
    language: str,
    *,
    units: Sequence[str] | None = None,
    max_mb: int = 10,
    extra: Sequence[Any] = (),
) -> html.Div:
    tabs = dmc.Tabs(
        [
            dmc.TabsList(
                [
                    dmc.TabsTab(t("reports.tab_entry", language), value="grid"),
                    dmc.TabsTab(t("reports.tab_offline", language), value="form"),
                ]
            ),
            dmc.TabsPanel(_grid_panel(row_data, language), value="grid", pt="sm"),
            dmc.TabsPanel(form_panel(language, units=units, max_mb=max_mb), value="form", pt="sm"),
        ],
        id=EntryIds.TABS,
        value="grid",
        keepMounted=True,
    )
    return html.Div(
        [
            ui.page_title(t("nav.indicator_entry", language), t("indv.entry_subtitle", language)),
            tabs,
            *extra,
        ],
        className="page page-indicator-entry",
    )
