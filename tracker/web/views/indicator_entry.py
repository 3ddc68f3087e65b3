"""指标填报 (#16): a unit's indicators and the periods they owe, in one editable grid; the
values typed in are saved and sent to the office together (all or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import html

from tracker.i18n import t
from tracker.services.indicators import EntryRow, ValueEntry
from tracker.web import ui
from tracker.web.views.indicator import number, period_label

EDITABLE = (None, "draft", "returned")  # a value not yet sent, or sent back
FIELDS = ("value", "source", "note")


class EntryIds:
    GRID = "ie-grid"
    SAVE = "ie-save"
    COUNT = "ie-count"


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
        style={"height": "calc(100vh - 260px)", "minHeight": "360px", "width": "100%"},
    )


def page(row_data: list[dict[str, Any]], language: str) -> html.Div:
    return html.Div(
        [
            ui.page_title(
                t("nav.indicator_entry", language),
                t("indv.entry_subtitle", language),
                right=dmc.Button(t("indv.entry_save", language), id=EntryIds.SAVE),
            ),
            dmc.Text(
                t("indv.entry_count", language, n=len(row_data)),
                id=EntryIds.COUNT,
                size="sm",
                fw=500,
                mb="xs",
            ),
            grid(row_data, language),
        ],
        className="page page-indicator-entry",
    )
