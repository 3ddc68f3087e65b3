"""项目 list: filter bar, column choice, the grid and its Excel export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.periods import month_label
from tracker.domain.rules import Light
from tracker.excel.view_export import table_workbook
from tracker.i18n import describe_reason, light_label, nature_label, t
from tracker.services.projects import FilterOptions, ProjectFilter, ProjectListItem
from tracker.web import ui
from tracker.web.views.overview import measure_data


class ProjectsIds:
    COUNTY = "pl-county"
    AREA = "pl-area"
    MEASURE = "pl-measure"
    LIGHT = "pl-light"
    START = "pl-start"
    REPORTED = "pl-reported"
    BEHIND = "pl-behind"
    MINE = "pl-mine"
    SEARCH = "pl-search"
    RESET = "pl-reset"
    COLUMNS = "pl-columns"
    COLUMNS_BUTTON = "pl-columns-button"
    COUNT = "pl-count"
    GRID = "pl-grid"
    DOWNLOAD = "pl-download"
    DOWNLOAD_FILE = "pl-download-file"
    URL_SYNC = "pl-url-sync"


@dataclass(frozen=True)
class Column:
    key: str  # field in the row dict, and the column id
    label: str  # catalogue key
    kind: str = "text"  # text | money | pct | pp | date | int | light | link | bool
    visible: bool = True
    width: int = 110
    pinned: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("light_label", "col.light", "light", width=110, pinned=True),  # #19 clipping
    Column("code", "col.code", width=110, pinned=True),
    Column("name", "col.name", "link", width=250, pinned=True),
    Column("stage_label", "stage.label", width=112),  # #19 clipping
    Column("county", "col.county", width=110),
    Column("area", "col.area", visible=False, width=120),
    Column("measure", "col.measure", width=170),
    Column("lead_unit", "col.lead_unit", width=140),
    Column("nature", "col.nature", visible=False, width=70),
    Column("total_investment", "col.total_investment", "money", visible=False, width=130),
    Column("annual_plan", "col.annual_plan", "money", width=140),
    Column("completed_ytd", "col.completed_ytd", "money", width=140),
    Column("rate", "col.rate", "pct", width=100),
    Column("gap_pp", "col.gap_pp", "pp", width=120),
    Column("progress", "col.progress", "pct", visible=False, width=96),
    Column("next_milestone", "col.next_milestone", width=130),
    Column("next_milestone_date", "col.next_milestone_date", "date", width=128),
    Column("overdue_milestones", "col.overdue", "int", width=90),
    Column("reported", "col.reported", "bool", width=96),
    Column("planned_start", "col.planned_start", "date", visible=False),
    Column("planned_finish", "col.planned_finish", "date", visible=False),
    Column("actual_start", "col.actual_start", "date", visible=False),
    Column("contact_person", "col.contact_person", visible=False, width=90),
    Column("contact_phone", "col.contact_phone", visible=False, width=120),
    Column("reasons", "col.reasons", visible=False, width=280),
)
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = [c.key for c in COLUMNS if c.visible]
LIGHT_ORDER = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def row(item: ProjectListItem, language: str) -> dict[str, Any]:
    """One grid row: raw values (numbers, ISO dates); the grid formats them."""
    return {
        "id": item.id,
        "row_id": str(item.id),
        "light": item.light.value,
        "light_order": LIGHT_ORDER[item.light],
        "light_label": light_label(item.light, language)
        + (f"·{t('light.returned', language)}" if item.returned else ""),
        "stage": item.stage,
        "stage_label": t(f"stage.{item.stage}", language),
        "code": item.code,
        "name": item.name,
        "county": item.county,
        "area": item.area,
        "measure": item.measure,
        "lead_unit": item.lead_unit,
        "nature": nature_label(item.nature, language),
        "total_investment": float(item.total_investment),
        "annual_plan": float(item.annual_plan),
        "completed_ytd": float(item.completed_ytd),
        "rate": round(item.rate * 100, 1) if item.rate is not None else None,
        "gap_pp": item.gap_pp,
        "progress": round(item.progress * 100, 1),
        "next_milestone": item.next_milestone,
        "next_milestone_date": _iso(item.next_milestone_date),
        "overdue_milestones": item.overdue_milestones,
        "reported": t("common.yes" if item.reported else "common.no", language),
        "planned_start": _iso(item.planned_start),
        "planned_finish": _iso(item.planned_finish),
        "actual_start": _iso(item.actual_start),
        "contact_person": item.contact_person,
        "contact_phone": item.contact_phone,
        "reasons": ("；" if language == "zh" else "; ").join(
            describe_reason(r, language) for r in item.reasons
        )
        or t("reason.none", language),
    }


def rows(items: Sequence[ProjectListItem], language: str) -> list[dict[str, Any]]:
    return [row(i, language) for i in items]


_FORMATS = {
    "money": {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"},
    "pct": {"function": "params.value == null ? '—' : d3.format('.1f')(params.value) + '%'"},
    "pp": {"function": "params.value == null ? '—' : d3.format('+.1f')(params.value)"},
}


def column_defs(visible: Sequence[str] | None, language: str) -> list[dict[str, Any]]:
    shown = set(visible or DEFAULT_COLUMNS)
    defs: list[dict[str, Any]] = []
    for c in COLUMNS:
        d: dict[str, Any] = {
            "field": c.key,
            "colId": c.key,
            "headerName": t(c.label, language),
            "hide": c.key not in shown,
            "width": c.width,
            "headerTooltip": t(c.label, language),
        }
        if c.pinned:
            d["pinned"] = "left"
        if c.kind in ("money", "pct", "pp", "int"):
            d["type"] = "rightAligned"
            d["filter"] = "agNumberColumnFilter"
            if c.kind in _FORMATS:
                d["valueFormatter"] = _FORMATS[c.kind]
        if c.kind == "pp":
            d["cellClassRules"] = {
                "cell-behind": "params.value != null && params.value < 0",
                "cell-ahead": "params.value != null && params.value >= 0",
            }
        if c.kind == "int":
            d["cellClassRules"] = {"cell-behind": "params.value > 0"}
        if c.kind == "link":
            d["cellRenderer"] = "ProjectLink"
            d["tooltipField"] = "name"
        if c.kind == "light":
            d["cellRenderer"] = "LightCell"
            d["comparator"] = {
                "function": "(a, b, na, nb) => na.data.light_order - nb.data.light_order"
            }
            d["filter"] = True
        defs.append(d)
    return defs


def grid(items: Sequence[ProjectListItem], visible: Sequence[str] | None, language: str):
    return dag.AgGrid(
        id=ProjectsIds.GRID,
        rowData=rows(items, language),
        columnDefs=column_defs(visible, language),
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "filter": True,
            "floatingFilter": False,
            "suppressHeaderMenuButton": False,
        },
        getRowId="params.data.row_id",
        dashGridOptions={
            "animateRows": False,
            "rowHeight": 38,
            "headerHeight": 40,
            "tooltipShowDelay": 400,
            "enableCellTextSelection": True,
            "localeText": {"noRowsToShow": t("projects.no_rows", language)},
        },
        className="project-grid",
        style={"height": "calc(100vh - 250px)", "minHeight": "420px", "width": "100%"},
    )


def column_choice(visible: Sequence[str] | None, language: str) -> dmc.Popover:
    """A button that opens a checklist of the columns (remembered in the browser)."""
    return dmc.Popover(
        [
            dmc.PopoverTarget(
                dmc.Button(
                    t("projects.columns", language),
                    variant="default",
                    size="sm",
                    id=ProjectsIds.COLUMNS_BUTTON,
                )
            ),
            dmc.PopoverDropdown(
                dmc.CheckboxGroup(
                    dmc.SimpleGrid(
                        [
                            dmc.Checkbox(label=t(c.label, language), value=c.key, size="sm")
                            for c in COLUMNS
                        ],
                        cols=2,
                        spacing="xs",
                        verticalSpacing=6,
                    ),
                    id=ProjectsIds.COLUMNS,
                    value=list(visible or DEFAULT_COLUMNS),
                    persistence=True,
                    persistence_type="local",
                )
            ),
        ],
        position="bottom-end",
        shadow="md",
        width=380,
        withinPortal=True,
    )


def month_options(year: int, language: str) -> list[dict[str, str]]:
    return [
        {"value": f"{year}-{m:02d}", "label": month_label(date(year, m, 1), language)}
        for m in range(1, 13)
    ]


def filter_bar(options: FilterOptions, f: ProjectFilter, language: str, *, year: int, scoped: bool):
    start_data = [
        {"value": value, "label": t(f"filter.start.{value}", language)}
        for value in ("new", "new_due", "late", "continuing", "resumed", "completed", "started")
    ]
    return dmc.Group(
        [
            ui.search_filter(ProjectsIds.SEARCH, f.q, language, 180),
            ui.filter_select(
                ProjectsIds.COUNTY,
                options.counties,
                f.county,
                t("filter.all_counties", language),
                116,
            ),
            ui.filter_select(
                ProjectsIds.AREA, options.areas, f.area, t("filter.all_areas", language), 128
            ),
            ui.filter_select(
                ProjectsIds.MEASURE,
                measure_data(options),
                f.measure,
                t("filter.all_measures", language),
                170,
                list_width=320,
            ),
            ui.light_filter(ProjectsIds.LIGHT, f.light, language),
            ui.filter_select(
                ProjectsIds.START, start_data, f.start, t("filter.start", language), 116
            ),
            ui.filter_select(
                ProjectsIds.REPORTED,
                month_options(year, language),
                f.reported.strftime("%Y-%m") if f.reported else None,
                t("filter.reported", language),
                130,
            ),
            dmc.Checkbox(
                id=ProjectsIds.BEHIND,
                label=t("filter.behind", language),
                checked=f.behind,
                size="sm",
            ),
            dmc.Checkbox(
                id=ProjectsIds.MINE,
                label=t("filter.mine", language),
                checked=f.mine,
                size="sm",
                display="block" if scoped else "none",
            ),
            dmc.Button(
                t("filter.reset", language), id=ProjectsIds.RESET, variant="subtle", size="sm"
            ),
        ],
        gap="xs",
        className="filter-bar",
    )


def toolbar(count: int, visible: Sequence[str] | None, language: str) -> dmc.Group:
    return dmc.Group(
        [
            dmc.Text(
                t("projects.count", language, n=count), id=ProjectsIds.COUNT, fw=500, size="sm"
            ),
            dmc.Group(
                [
                    column_choice(visible, language),
                    dmc.Button(
                        t("projects.download", language),
                        id=ProjectsIds.DOWNLOAD,
                        variant="light",
                        size="sm",
                    ),
                    dcc.Download(id=ProjectsIds.DOWNLOAD_FILE),
                ],
                gap="xs",
            ),
        ],
        justify="space-between",
        my="xs",
    )


def count_label(count: int, language: str) -> str:
    return t("projects.count", language, n=count)


def filters_from(
    q: str | None,
    county: str | None,
    area: str | None,
    measure: str | None,
    light: str | None,
    start: str | None,
    reported: str | None,
    behind: bool | None,
    mine: bool | None,
) -> ProjectFilter:
    return ProjectFilter.from_query(
        {
            "q": q,
            "county": county,
            "area": area,
            "measure": measure,
            "light": light,
            "start": start,
            "reported": reported,
            "behind": "1" if behind else None,
            "mine": "1" if mine else None,
        }
    )


def export_columns(column_state: Any, chosen: Sequence[str] | None) -> list[str]:
    """The chosen columns, in the grid's current order when it reported one (the grid's
    column state can lag behind the choice, so the choice decides what is shown)."""
    picked = chosen if isinstance(chosen, list | tuple) else DEFAULT_COLUMNS
    visible = [k for k in picked if isinstance(k, str) and k in BY_KEY]
    order: list[str] = []
    if isinstance(column_state, list):
        order = [
            str(c.get("colId"))
            for c in column_state
            if isinstance(c, dict) and c.get("colId") in visible
        ]
    return list(dict.fromkeys(order + visible))


def export_workbook(
    items: Sequence[ProjectListItem], columns: Sequence[str], language: str, *, as_of: date
) -> bytes:
    keys = [k for k in columns if k in BY_KEY] or DEFAULT_COLUMNS
    headers = [t(BY_KEY[k].label, language) for k in keys]
    data = rows(items, language)
    body = []
    for item, values in zip(items, data, strict=True):
        line = []
        for k in keys:
            kind = BY_KEY[k].kind
            value = values[k]
            if kind == "money" or kind == "date":
                value = getattr(item, k)
            line.append(value)
        body.append(line)
    caption = t("projects.export_caption", language, date=as_of.isoformat(), n=len(items))
    return table_workbook(t("nav.projects", language), headers, body, caption=caption)


def export_filename(as_of: date, language: str) -> str:
    return t("projects.export_file", language, date=as_of.strftime("%Y%m%d"))


def page(children: list) -> html.Div:
    return html.Div(children, className="page page-projects")
