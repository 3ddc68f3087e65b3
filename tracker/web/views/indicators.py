"""指标监测 list (#16): filter bar (system, responsible unit, SDG goal, light), the grid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import html

from tracker.i18n import t
from tracker.web import ui

LIGHT_ORDER = {"red": 0, "amber": 1, "green": 2, "none": 3}
NO_LIGHT = "none"  # the light filter's "no value to judge" choice


class IndicatorsIds:
    SEARCH = "in-search"
    SYSTEM = "in-system"
    UNIT = "in-unit"
    GOAL = "in-goal"
    LIGHT = "in-light"
    RESET = "in-reset"
    COUNT = "in-count"
    GRID = "in-grid"
    URL_SYNC = "in-url-sync"


# (field, label key, width, kind)
COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("light_label", "indv.col.light", 104, "light"),
    ("code", "indv.col.code", 96, "text"),
    ("name", "indv.col.name", 280, "link"),
    ("system", "indv.col.system", 130, "text"),
    ("latest", "indv.col.latest", 110, "number"),
    ("unit", "indv.col.unit", 90, "text"),
    ("period", "indv.col.period", 96, "text"),
    ("target", "indv.col.target", 110, "number"),
    ("progress", "indv.col.progress", 110, "pct"),
    ("responsible", "indv.col.responsible", 150, "text"),
    ("goals", "indv.col.sdg", 110, "text"),
    ("state", "indv.col.state", 120, "text"),
    ("reasons", "indv.col.reasons", 320, "text"),
)


def light_filter(value: str | None, language: str) -> dmc.SegmentedControl:
    """全部 / 红灯 / 黄灯 / 绿灯 / 无数据: an indicator with no value to judge has no light."""
    data = [{"value": "", "label": t("filter.all_lights", language)}] + [
        {"value": light, "label": t(f"light.{light}", language)}
        for light in ("red", "amber", "green")
    ]
    data.append({"value": NO_LIGHT, "label": t("indv.no_light", language)})
    return dmc.SegmentedControl(id=IndicatorsIds.LIGHT, data=data, value=value or "", size="sm")


def filter_bar(
    *,
    systems: Sequence[tuple[str, str]],
    units: Sequence[str],
    goals: Sequence[tuple[int, str]],
    chosen: dict[str, Any],
    language: str,
) -> dmc.Group:
    """``systems``: (value, label); ``goals``: (number, name); ``chosen``: the filters."""
    goal = chosen.get("goal")
    return dmc.Group(
        [
            ui.search_filter(IndicatorsIds.SEARCH, chosen.get("q") or "", language, 180),
            ui.filter_select(
                IndicatorsIds.SYSTEM,
                [{"value": v, "label": label} for v, label in systems],
                chosen.get("system"),
                t("indv.all_systems", language),
                150,
            ),
            ui.filter_select(
                IndicatorsIds.UNIT,
                list(units),
                chosen.get("unit"),
                t("indv.all_units", language),
                150,
                list_width=260,
            ),
            ui.filter_select(
                IndicatorsIds.GOAL,
                [{"value": str(n), "label": f"{n}. {name}"} for n, name in goals],
                str(goal) if goal else None,
                t("indv.all_goals", language),
                150,
                list_width=320,
            ),
            light_filter(chosen.get("light"), language),
            dmc.Button(
                t("filter.reset", language), id=IndicatorsIds.RESET, variant="subtle", size="sm"
            ),
        ],
        gap="xs",
        className="filter-bar",
    )


_FORMATS = {
    "number": {"function": "params.value == null ? '—' : d3.format(',~r')(params.value)"},
    "pct": {"function": "params.value == null ? '—' : d3.format('.0f')(params.value) + '%'"},
}


def column_defs(language: str) -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = []
    for key, label, width, kind in COLUMNS:
        d: dict[str, Any] = {
            "field": key,
            "colId": key,
            "headerName": t(label, language),
            "headerTooltip": t(label, language),
            "width": width,
        }
        if kind in _FORMATS:
            d["type"] = "rightAligned"
            d["filter"] = "agNumberColumnFilter"
            d["valueFormatter"] = _FORMATS[kind]
        if kind == "link":
            d["cellRenderer"] = "IndicatorLink"
            d["tooltipField"] = "name"
            d["pinned"] = "left"
        if kind == "light":
            d["cellRenderer"] = "LightCell"
            d["pinned"] = "left"
            d["comparator"] = {
                "function": "(a, b, na, nb) => na.data.light_order - nb.data.light_order"
            }
        if key == "reasons":
            d["tooltipField"] = "reasons"
        defs.append(d)
    return defs


def grid(row_data: list[dict[str, Any]], language: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=IndicatorsIds.GRID,
        rowData=row_data,
        columnDefs=column_defs(language),
        defaultColDef={"sortable": True, "resizable": True, "filter": True},
        getRowId="params.data.row_id",
        dashGridOptions={
            "animateRows": False,
            "rowHeight": 38,
            "headerHeight": 40,
            "tooltipShowDelay": 400,
            "enableCellTextSelection": True,
            "localeText": {"noRowsToShow": t("indv.no_rows", language)},
        },
        className="indicator-grid",
        style={"height": "calc(100vh - 250px)", "minHeight": "420px", "width": "100%"},
    )


def count_label(n: int, language: str) -> str:
    return t("indv.count", language, n=n)


def toolbar(n: int, language: str) -> dmc.Group:
    return dmc.Group(
        [dmc.Text(count_label(n, language), id=IndicatorsIds.COUNT, fw=500, size="sm")],
        justify="space-between",
        my="xs",
    )


def page(children: list) -> html.Div:
    return html.Div(children, className="page page-indicators")
