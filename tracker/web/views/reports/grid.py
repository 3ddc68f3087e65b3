"""The entry grid: its columns (the AG Grid config), the grid itself and its buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dash_ag_grid as dag

from tracker.i18n import t
from tracker.web.plain import dmc
from tracker.web.views.reports.ids import ReportsIds as Ids

STATUS_COLORS = {
    "new": "gray",
    "draft": "blue",
    "submitted": "green",
    "returned": "orange",
    "returned_draft": "blue",
}


@dataclass(frozen=True)
class GridColumn:
    field: str
    label: str
    kind: str = "text"  # text | money | pct | long | status | light | reason
    width: int = 120
    editable: bool = False
    pinned: bool = False
    width_en: int = 0  # #19: wider in English where the words are longer (0: ``width``)


GRID_COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("status_label", "col.report_status", "status", 160, pinned=True, width_en=190),
    # #19: why the office sent it back, beside the status (shown when the month has one)
    GridColumn("return_comment", "reports.col.return_comment", "reason", 190, pinned=True),
    GridColumn("code", "col.code", width=100, pinned=True),
    GridColumn("name", "col.name", "link", 220, pinned=True),
    GridColumn("county", "col.county", width=90),
    GridColumn("light_label", "col.light", "light", 104),  # #19: "Amber" whole
    GridColumn("annual_plan", "col.plan_wan", "money", 120),
    GridColumn("carried_ytd", "reports.col.carried_ytd", "money", 120),
    GridColumn("completed_month", "col.completed_month", "money", 130, True),
    GridColumn("completed_ytd", "reports.col.ytd", "money", 130, True),
    GridColumn("completed_total", "reports.col.total", "money", 140, True),
    GridColumn("progress_pct", "reports.col.progress_pct", "pct", 110, True),
    GridColumn("progress_text", "col.progress_text", "long", 200, True),
    GridColumn("milestone_status", "reports.col.milestone_status", "long", 180, True),
    GridColumn("problems", "col.problems", "long", 200, True),
    GridColumn("next_steps", "col.next_steps", "long", 180, True),
    GridColumn("coordination", "col.coordination", "long", 180, True),
    GridColumn("reporter", "col.reporter", "text", 100, True),
    GridColumn("message", "reports.col.check", "long", 260),
    GridColumn("lead_unit", "col.lead_unit", width=130),
)


# a cell that is not a number yet (as typed, refused by the server with a message) shows as
# typed (assets/dispatch.js)
_FORMAT = {
    "money": {"function": "trackerFixed(params.value, 2, true)"},
    "pct": {"function": "trackerFixed(params.value, 1, false)"},
}


# the cell still holds last month's text (the grid's expressions have no String())
_CARRIED = (
    "params.data && params.value && params.data.last_progress_text && "
    "('' + params.value).trim() === params.data.last_progress_text.trim()"
)


def has_return_comments(row_data: Sequence[dict[str, Any]]) -> bool:
    return any(r.get("return_comment") for r in row_data)


def column_defs(language: str, *, show_return: bool = True) -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = []
    for c in GRID_COLUMNS:
        d: dict[str, Any] = {
            "field": c.field,
            "colId": c.field,
            "headerName": t(c.label, language),
            "width": c.width_en if language == "en" and c.width_en else c.width,
            "resizable": True,
            "sortable": c.kind in {"status", "text", "money", "light"},
        }
        if c.pinned:
            d["pinned"] = "left"
        if c.kind in _FORMAT:
            d["valueFormatter"] = _FORMAT[c.kind]
            d["type"] = "rightAligned"
        if c.kind == "link":
            d["cellRenderer"] = "ProjectLink"
        if c.kind == "light":
            d["cellRenderer"] = "LightCell"
        if c.kind == "long":
            d["tooltipField"] = c.field
        if c.kind == "status":
            d["cellClassRules"] = {
                f"rp-status-{s}": f"params.data.state == '{s}'" for s in STATUS_COLORS
            } | {
                "rp-status-overdue": "params.data.qualifier == 'overdue'",
                "rp-status-late": "params.data.qualifier == 'late_resubmit'",
            }
            d["tooltipField"] = "status_tip"
            d["cellClass"] = "rp-status-cell"  # #19: two lines rather than cut
        if c.kind == "reason":
            d["tooltipField"] = c.field
            d["cellClass"] = "rp-return-cell"
            d["hide"] = not show_return
        if c.field == "message":
            d["cellClass"] = "rp-message"
        if c.editable:
            d["editable"] = {"function": "params.data.editable"}
            d["cellClassRules"] = {
                "rp-cell-error": f"params.data.errors && params.data.errors.{c.field}",
                "rp-cell-editable": "params.data.editable",
            }
            d["headerClass"] = "rp-head-editable"
            if c.kind in {"money", "pct"}:
                d["cellEditor"] = "agNumberCellEditor"
                d["cellEditorParams"] = {"min": 0, "precision": 2}
                d["valueParser"] = {"function": "trackerNumber(params.newValue)"}
            elif c.kind == "long":
                d["cellEditor"] = "agLargeTextCellEditor"
                d["cellEditorPopup"] = True
                d["cellEditorParams"] = {"maxLength": 4000, "rows": 6, "cols": 50}
            if c.field == "completed_month":
                d["valueSetter"] = {"function": "trackerReportMonth(params)"}
            if c.field == "progress_text":  # #19: last month's text, marked until edited
                d["valueFormatter"] = {
                    "function": f"({_CARRIED}) ? params.data.carried_tag + params.value"
                    " : params.value"
                }
                d["cellClassRules"]["rp-text-carried"] = _CARRIED
        defs.append(d)
    return defs


def grid(row_data: list[dict[str, Any]], language: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=Ids.GRID,
        rowData=row_data,
        columnDefs=column_defs(language, show_return=has_return_comments(row_data)),
        getRowId="params.data.row_id",
        defaultColDef={
            "suppressHeaderMenuButton": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "rowSelection": {
                "mode": "multiRow",
                "checkboxes": True,
                "headerCheckbox": True,
                "enableClickSelection": False,
                "isRowSelectable": {"function": "params.data.editable"},
            },
            "selectionColumnDef": {"pinned": "left", "width": 44},
            "rowHeight": 38,
            "animateRows": False,
            "stopEditingWhenCellsLoseFocus": True,
            "suppressColumnVirtualisation": True,
            "singleClickEdit": True,
            "tooltipShowDelay": 300,
            "enableCellTextSelection": True,
            "localeText": {"noRowsToShow": t("reports.no_rows", language)},
        },
        className="ag-theme-quartz rp-grid",
        style={"height": grid_height(len(row_data)), "width": "100%"},
    )


def grid_height(n_rows: int) -> str:
    """Tall enough for a county's projects without a gap; the office's 70-odd rows scroll."""
    return f"{min(620, 72 + 39 * max(n_rows, 4))}px"


def actions(language: str, *, editable: bool) -> Any:
    return dmc.Group(
        [
            dmc.Button(
                t("reports.save_draft", language),
                id=Ids.SAVE,
                variant="light",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.submit_selected", language),
                id=Ids.SUBMIT_SELECTED,
                variant="outline",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.submit_all", language),
                id=Ids.SUBMIT_ALL,
                color="green",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.reload", language), id=Ids.RELOAD, variant="subtle", color="gray"
            ),
            dmc.Text(t("reports.grid_help", language), size="xs", c="dimmed"),
        ],
        gap="xs",
        mb="xs",
    )
