"""指标监测 list (#16): filter bar (system, responsible unit, SDG goal, light), the grid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.indicators import period_key
from tracker.i18n import describe_reason, light_label, t
from tracker.services.indicators import (
    Catalogue,
    CatalogueFilter,
    IndicatorRow,
    IndicatorsSummary,
)
from tracker.web import ui

LIGHT_ORDER = {"red": 0, "amber": 1, "green": 2}


class IndicatorsIds:
    SEARCH = "in-search"
    SYSTEM = "in-system"
    UNIT = "in-unit"
    GOAL = "in-goal"
    LIGHT = "in-light"
    MISSING = "in-missing"  # only indicators with missing values
    PENDING = "in-pending"  # only indicators with values waiting for review (the office)
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
    ("target", "indv.col.target", 132, "number"),
    ("gap", "indv.col.gap", 160, "pp"),
    ("responsible", "indv.col.responsible", 150, "text"),
    ("goals", "indv.col.sdg", 124, "text"),
    ("state", "indv.col.state", 120, "text"),
    ("reasons", "indv.col.reasons", 320, "text"),
)


def filters_from_query(query: dict[str, Any]) -> CatalogueFilter:
    """The page's filters from its address (?system=sdg&unit=…&goal=9&light=red&missing=1)."""

    def text(key: str) -> str | None:
        value = query.get(key)
        return str(value).strip() or None if value is not None else None

    goal = text("goal")
    light = text("light")
    return CatalogueFilter(
        system=text("system"),
        lead_unit=text("unit"),
        goal=int(goal) if goal and goal.isdigit() and 1 <= int(goal) <= 17 else None,
        light=light if light in LIGHT_ORDER else None,
        missing=text("missing") == "1",
        text=text("q") or "",
    )


def filters_from(q, system, unit, goal, light, missing) -> CatalogueFilter:
    """The filters from the filter bar's values (as a forged request may send them)."""
    return filters_from_query(
        {
            "q": q if isinstance(q, str) else None,
            "system": system if isinstance(system, str) else None,
            "unit": unit if isinstance(unit, str) else None,
            "goal": str(goal) if isinstance(goal, str | int) else None,
            "light": light if isinstance(light, str) else None,
            "missing": "1" if missing is True else None,
        }
    )


def pending_from(value: Any) -> bool:
    """Only indicators with values waiting for review: ?pending=1, or the box ticked."""
    return value is True or value == "1"


def shown(rows: Sequence[IndicatorRow], pending: bool) -> list[IndicatorRow]:
    """The rows the list shows: all, or those with values waiting for the office."""
    return [r for r in rows if r.pending] if pending else list(rows)


def to_query(f: CatalogueFilter, pending: bool = False) -> str:
    """The filters as the address's query (the same keys ``filters_from_query`` reads)."""
    from urllib.parse import urlencode

    pairs = {
        "q": f.text,
        "system": f.system,
        "unit": f.lead_unit,
        "goal": f.goal,
        "light": f.light,
        "missing": "1" if f.missing else None,
        "pending": "1" if pending else None,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


def filter_bar(
    page: Catalogue, f: CatalogueFilter, language: str, *, pending: bool, reviewer: bool
) -> dmc.Group:
    lights = [{"value": "", "label": t("filter.all_lights", language)}] + [
        {"value": light, "label": t(f"light.{light}", language)}
        for light in ("red", "amber", "green")
    ]
    return dmc.Group(
        [
            dmc.TextInput(
                id=IndicatorsIds.SEARCH,
                value=f.text,
                placeholder=t("indv.search", language),
                w=max(200, ui.fits(t("indv.search", language)) + 32),
                size="sm",
                debounce=400,
            ),
            ui.filter_select(
                IndicatorsIds.SYSTEM,
                [{"value": s.code, "label": s.name} for s in page.systems],
                f.system,
                t("indv.all_systems", language),
                150,
            ),
            ui.filter_select(
                IndicatorsIds.UNIT,
                list(page.units),
                f.lead_unit,
                t("indv.all_units", language),
                150,
                list_width=260,
            ),
            ui.filter_select(
                IndicatorsIds.GOAL,
                [{"value": str(n), "label": t(f"sdg.goal.{n}", language)} for n in page.goals],
                str(f.goal) if f.goal else None,
                t("indv.all_goals", language),
                150,
                list_width=340,
            ),
            dmc.SegmentedControl(
                id=IndicatorsIds.LIGHT, data=lights, value=f.light or "", size="sm"
            ),
            dmc.Checkbox(
                id=IndicatorsIds.MISSING,
                label=t("indv.only_missing", language),
                checked=f.missing,
                size="sm",
            ),
            dmc.Checkbox(
                id=IndicatorsIds.PENDING,
                label=t("indv.only_pending", language),
                checked=pending,
                size="sm",
                display="block" if reviewer else "none",
            ),
            dmc.Button(
                t("filter.reset", language), id=IndicatorsIds.RESET, variant="subtle", size="sm"
            ),
        ],
        gap="xs",
        className="filter-bar",
    )


def _state(item: IndicatorRow, language: str) -> str:
    parts = []
    if item.missing:
        parts.append(t("indv.state_missing", language, n=len(item.missing)))
    if item.pending:
        parts.append(t("indv.state_pending", language, n=item.pending))
    return "；".join(parts) if language == "zh" else "; ".join(parts)


def row(item: IndicatorRow, language: str) -> dict[str, Any]:
    """One grid row: raw values; the grid formats them."""
    target = item.target_2025 if item.target_2025 is not None else item.target_2030
    return {
        "id": item.id,
        "row_id": str(item.id),
        "light": item.light.value,
        "light_order": LIGHT_ORDER.get(item.light.value, 3),
        "light_label": light_label(item.light, language),
        "code": item.code,
        "name": item.name,
        "system": item.system_name,
        "latest": item.latest_value,
        "unit": item.unit,
        "period": period_key(item.frequency, item.latest_period) if item.latest_period else "",
        "target": target,
        "gap": item.gap_pp,
        "responsible": item.lead_unit,
        "goals": "、".join(str(g) for g in item.goals),
        "state": _state(item, language),
        "reasons": ("；" if language == "zh" else "; ").join(
            describe_reason(r, language) for r in item.reasons
        )
        or t("reason.none", language),
    }


def rows(items: Sequence[IndicatorRow], language: str) -> list[dict[str, Any]]:
    return [row(i, language) for i in items]


_FORMATS = {
    "number": {"function": "params.value == null ? '—' : d3.format(',~r')(params.value)"},
    "pp": {"function": "params.value == null ? '—' : d3.format('+.1f')(params.value)"},
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
        if kind == "pp":
            d["cellClassRules"] = {
                "cell-behind": "params.value != null && params.value < 0",
                "cell-ahead": "params.value != null && params.value >= 0",
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


# --- the overview's indicators summary -------------------------------------------------------


class SummaryIds:
    BOX = "ov-indicators"
    PENDING = "ov-indicators-pending"


def _light_counts(red: int, amber: int, green: int, missing: int, language: str) -> list:
    chips = [
        html.Span(
            [
                html.Span(className=f"light-dot light-dot-{light}"),
                f"{t(f'light.{light}', language)} {n}",
            ],
            className="light-cell",
        )
        for light, n in (("red", red), ("amber", amber), ("green", green))
    ]
    chips.append(html.Span(t("indv.state_missing_n", language, n=missing), className="dimmed"))
    return chips


def summary(data: IndicatorsSummary, language: str, *, office: bool) -> dmc.Paper:
    """Lights per system, missing values, what waits for the office; links to the lists."""
    systems = [
        html.Tr(
            [
                html.Td(dcc.Link(s.name, href=f"/indicators?system={s.code}")),
                html.Td(str(s.total)),
                html.Td(
                    html.Div(
                        _light_counts(s.red, s.amber, s.green, s.missing, language),
                        className="ind-summary-line",
                    )
                ),
            ]
        )
        for s in data.systems
    ]
    worst = [
        html.Li(
            [
                dcc.Link(f"{r.code} {r.name}", href=f"/indicators/{r.id}"),
                html.Span(f" · {r.lead_unit}", className="dimmed"),
            ]
        )
        for r in data.worst
    ]
    links = dmc.Group(
        [
            dcc.Link(t("indv.summary_open", language), href="/indicators"),
            dcc.Link(t("indv.summary_sdg", language), href="/sdg"),
            dcc.Link(
                t("indv.summary_pending", language, n=data.pending_review),
                href="/indicators?pending=1",
                id=SummaryIds.PENDING,
            )
            if office and data.pending_review
            else None,
        ],
        gap="md",
    )
    return ui.section(
        t("indv.summary", language),
        html.Div(
            _light_counts(data.red, data.amber, data.green, data.missing, language),
            className="ind-summary-line",
        ),
        html.Table(html.Tbody(systems), className="ind-facts"),
        dmc.Text(t("indv.summary_worst", language), size="sm", fw=500, mt="sm") if worst else None,
        html.Ul(worst, className="linked-list") if worst else None,
        right=links,
        id=SummaryIds.BOX,
    )
