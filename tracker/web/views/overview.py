"""总览: KPI cards, charts by area and county, the monthly trend — every figure a link."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.periods import month_label
from tracker.domain.rules import Light, Thresholds
from tracker.i18n import light_label, t
from tracker.services.overview import OverviewData
from tracker.services.projects import FilterOptions, ProjectFilter
from tracker.web import figures, ui
from tracker.web.drawn import Drawings
from tracker.web.values import month_value

# the page and its body, kept by what they are drawn from (``tracker.web.drawn``)
DRAWN = Drawings()
# the zone's indicators under the page, by their own values: a save that changes the plan's
# figures (the page drawn again) seldom changes them
INDICATORS_DRAWN = Drawings(4 << 20)

_PROP_ORDER: dict[type, tuple[str, ...]] = {}


def _plain(kind: type, children: Any = None, **props: Any) -> dict[str, Any]:
    """``kind(children, **props)`` as the JSON Dash sends for it (``fastjson._component``:
    ``children`` always, then the props given, in the component's order), without building
    the component: Dash's checking constructor was most of a redrawn overview's CPU (a
    county's late list, the KPI cards, the body's frame). Only for plain props of generated
    components that always set ``children`` (html, dcc.Link, dmc; not dcc.Graph), with no
    wildcards and no Component as a prop."""
    order = _PROP_ORDER.get(kind)
    if order is None:
        order = _PROP_ORDER[kind] = tuple(kind(**_REQUIRED.get(kind, {}))._prop_names)
    given = {"children": children, **props}
    unknown = set(given) - set(order)
    if unknown:
        raise TypeError(f"{kind.__name__} has no prop {sorted(unknown)}")
    return {
        "props": {name: given[name] for name in order if name in given},
        "type": kind._type,  # type: ignore[attr-defined]
        "namespace": kind._namespace,  # type: ignore[attr-defined]
    }


_REQUIRED: dict[type, dict[str, Any]] = {dcc.Link: {"href": ""}}


class OverviewIds:
    COUNTY = "ov-county"
    AREA = "ov-area"
    MEASURE = "ov-measure"
    MINE = "ov-mine"  # a lead unit: only the projects it leads
    RESET = "ov-reset"
    BODY = "ov-body"
    URL_SYNC = "ov-url-sync"  # a clientside callback writes the filter into the URL
    NAV = "ov-nav"  # a Location the chart clicks navigate with
    KPI = "ov-kpi"
    CHART_AREA = "ov-chart-area"
    CHART_COUNTY = "ov-chart-county"
    CHART_LIGHTS = "ov-chart-lights"
    CHART_TREND = "ov-chart-trend"
    CHART_BEHIND = "ov-chart-behind"
    LATE = "ov-late"  # 应开未开
    # the page's parts (tests and the English walk find them by these ids)
    KPI_PROJECTS_VALUE = "kpi-projects-value"
    KPI_PROJECTS = "kpi-projects"
    KPI_STARTED_VALUE = "kpi-started-value"
    KPI_NEW_DUE_VALUE = "kpi-new-due-value"
    KPI_NEW_START_RATE = "kpi-new-start-rate"
    KPI_LATE_LINK = "kpi-late-link"
    KPI_STARTED = "kpi-started"
    KPI_RESUMED_VALUE = "kpi-resumed-value"
    KPI_RESUME_RATE = "kpi-resume-rate"
    KPI_COMPLETED_LINK = "kpi-completed-link"
    KPI_RESUMED = "kpi-resumed"
    KPI_INVEST_VALUE = "kpi-invest-value"
    KPI_INVEST = "kpi-invest"
    KPI_GAP_VALUE = "kpi-gap-value"
    KPI_OWN_DUE = "kpi-own-due"
    KPI_GAP = "kpi-gap"
    KPI_LIGHTS = "kpi-lights"
    NO_LIST_LINK = "no-list-link"
    NO_LIST = "no-list"
    KPI_LIGHT = "kpi-light-"  # + the light: one card per light (``kpi_light``)

    @classmethod
    def kpi_light(cls, light: str) -> str:
        """The card of one light (kpi-light-red …)."""
        return f"{cls.KPI_LIGHT}{light}"


def projects_href(filters: ProjectFilter, **overrides: Any) -> str:
    query = filters.to_query(**overrides)
    return "/projects" + (f"?{query}" if query else "")


def measure_data(options: FilterOptions) -> list[dict[str, Any]]:
    return [
        {"group": area, "items": [{"value": m, "label": m} for m in measures]}
        for area, measures in options.measures.items()
        if measures
    ]


def filter_bar(
    options: FilterOptions, filters: ProjectFilter, language: str, *, unit: bool = False
) -> dmc.Group:
    """County, area and measure; for a lead unit also 只看本单位牵头 (on when it lands)."""
    mine = dmc.Checkbox(
        id=OverviewIds.MINE,
        checked=filters.mine,
        label=t("ov.scope_mine_unit", language),
        size="sm",
        style=None if unit else {"display": "none"},
    )
    return dmc.Group(
        [
            mine,
            dmc.Select(
                id=OverviewIds.COUNTY,
                data=options.counties,
                value=filters.county,
                placeholder=t("filter.all_counties", language),
                clearable=True,
                w=150,
                size="sm",
                comboboxProps={"withinPortal": True},
            ),
            ui.filter_select(
                OverviewIds.AREA, options.areas, filters.area, t("filter.all_areas", language), 160
            ),
            ui.filter_select(
                OverviewIds.MEASURE,
                measure_data(options),
                filters.measure,
                t("filter.all_measures", language),
                220,
                list_width=320,
            ),
            dmc.Button(
                t("filter.reset", language), id=OverviewIds.RESET, variant="subtle", size="sm"
            ),
        ],
        gap="xs",
    )


def _card(title: str, value: Any, sub: Any, href: str, accent: str = "indigo", cid: str = ""):
    return _plain(
        dcc.Link,
        _plain(
            dmc.Paper,
            [
                _plain(dmc.Text, title, size="sm", c="dimmed", fw=500),
                _plain(html.Div, value, className="kpi-value"),
                _plain(html.Div, sub, className="kpi-sub"),
            ],
            withBorder=True,
            p="md",
            radius="md",
            className=f"kpi-card kpi-{accent}",
        ),
        href=href,
        className="kpi-link",
        id=cid or None,
    )


def kpi_cards(data: OverviewData, filters: ProjectFilter, language: str) -> dict[str, Any]:
    total = data.total
    gap = total.gap_pp
    gap_class = "gap-ahead" if gap is not None and gap >= 0 else "gap-behind"
    lights = _plain(
        dmc.Group,
        [
            _plain(
                dcc.Link,
                _plain(
                    html.Div,
                    [
                        _plain(html.Span, className=f"light-dot light-dot-{light.value}"),
                        _plain(html.Span, str(count), className="light-count"),
                        _plain(html.Span, light_label(light, language), className="light-name"),
                    ],
                    className=f"light-chip light-chip-{light.value}",
                ),
                href=projects_href(filters, light=light.value),
                id=OverviewIds.kpi_light(light.value),
                className="kpi-link",
            )
            for light, count in (
                (Light.RED, total.red),
                (Light.AMBER, total.amber),
                (Light.GREEN, total.green),
            )
        ],
        gap="xs",
        grow=True,
    )
    return _plain(
        dmc.SimpleGrid,
        [
            _card(
                t("kpi.projects", language),
                [
                    _plain(html.Span, str(total.projects), id=OverviewIds.KPI_PROJECTS_VALUE),
                    _plain(html.Small, t("unit.count", language)),
                ],
                t("kpi.plan_total", language, amount=ui.yi(total.annual_plan)),
                projects_href(filters),
                cid=OverviewIds.KPI_PROJECTS,
            ),
            _card(
                t("kpi.new_started", language),
                [
                    _plain(html.Span, f"{total.new_started}", id=OverviewIds.KPI_STARTED_VALUE),
                    _plain(html.Small, f" / {total.new_due}", id=OverviewIds.KPI_NEW_DUE_VALUE),
                ],
                [
                    _plain(html.Span, t("kpi.new_start_rate", language), className="kpi-sub-label"),
                    _plain(html.B, ui.pct(total.new_start_rate), id=OverviewIds.KPI_NEW_START_RATE),
                    _plain(
                        dcc.Link,
                        t("kpi.late_start", language, n=total.late_to_start),
                        href=projects_href(filters, start="late"),
                        className="kpi-inline-link",
                        id=OverviewIds.KPI_LATE_LINK,
                    ),
                ],
                projects_href(filters, start="new"),
                cid=OverviewIds.KPI_STARTED,
            ),
            _card(
                t("kpi.resumed", language),
                [
                    _plain(html.Span, f"{total.resumed}", id=OverviewIds.KPI_RESUMED_VALUE),
                    _plain(html.Small, f" / {total.continuing}"),
                ],
                [
                    _plain(html.Span, t("kpi.resume_rate", language), className="kpi-sub-label"),
                    _plain(html.B, ui.pct(total.resume_rate), id=OverviewIds.KPI_RESUME_RATE),
                    _plain(
                        dcc.Link,
                        t("kpi.completed", language, n=total.completed),
                        href=projects_href(filters, start="completed"),
                        className="kpi-inline-link",
                        id=OverviewIds.KPI_COMPLETED_LINK,
                    ),
                ],
                projects_href(filters, start="continuing"),
                cid=OverviewIds.KPI_RESUMED,
            ),
            _card(
                t("kpi.investment", language),
                [
                    _plain(html.Span, ui.yi(total.completed_ytd), id=OverviewIds.KPI_INVEST_VALUE),
                    _plain(html.Small, t("unit.yi", language)),
                ],
                [
                    _plain(
                        html.Span,
                        t(
                            "kpi.of_plan",
                            language,
                            plan=ui.yi(total.annual_plan),
                            rate=ui.pct(total.rate),
                        ),
                        className="kpi-sub-label",
                    ),
                ],
                projects_href(filters),
                cid=OverviewIds.KPI_INVEST,
            ),
            _card(
                t("kpi.gap", language),
                _plain(
                    html.Span,
                    ui.pp(gap, language),
                    className=gap_class,
                    id=OverviewIds.KPI_GAP_VALUE,
                ),
                [
                    _plain(
                        html.Span,
                        t("kpi.time_progress", language, value=ui.pct(data.time_progress)),
                    ),
                    _plain(
                        html.Span,
                        t("kpi.own_due", language, value=ui.pct(total.due_share)),
                        className="kpi-sub-label",
                        id=OverviewIds.KPI_OWN_DUE,
                    ),
                ],
                projects_href(filters, behind=True),
                accent="orange" if gap is not None and gap < 0 else "green",
                cid=OverviewIds.KPI_GAP,
            ),
            _plain(
                dmc.Paper,
                [
                    _plain(dmc.Text, t("kpi.lights", language), size="sm", c="dimmed", fw=500),
                    _plain(html.Div, lights, className="kpi-lights"),
                ],
                withBorder=True,
                p="md",
                radius="md",
                className="kpi-card",
                id=OverviewIds.KPI_LIGHTS,
            ),
        ],
        cols={"base": 1, "sm": 2, "lg": 3},
        spacing="md",
        id=OverviewIds.KPI,
    )


def _graph(gid: str, figure) -> dcc.Graph:
    return dcc.Graph(
        id=gid,
        figure=figure,
        config=figures.CONFIG,
        responsive=True,
        style={"height": figures.height(figure)},
        className="chart",
    )


def no_list_notice(language: str, *, office: bool) -> dmc.Alert:
    """An office without a project list yet: say so, and where the list is imported (the
    office), or that the office has not imported it yet (everybody else)."""
    if office:
        text: list[Any] = [
            t("empty.no_list_office", language),
            " ",
            dcc.Link(
                t("empty.import_link", language),
                href="/admin?tab=list",
                id=OverviewIds.NO_LIST_LINK,
            ),
        ]
    else:
        text = [t("empty.no_list_other", language)]
    return dmc.Alert(
        text,
        title=t("empty.no_list_title", language),
        color="blue",
        variant="light",
        id=OverviewIds.NO_LIST,
        className="no-list",
    )


def body(
    data: OverviewData,
    filters: ProjectFilter,
    thresholds: Thresholds,
    language: str,
    *,
    has_list: bool = True,
    office: bool = False,
):
    """Everything under the filter bar."""
    if not has_list:
        return no_list_notice(language, office=office)
    if data.total.projects == 0:
        return dmc.Alert(t("overview.empty", language), color="gray", variant="light")
    hint = _plain(dmc.Text, t("overview.click_hint", language), size="xs", c="dimmed")
    progress_hint = _plain(
        dmc.Text,
        t("overview.progress_hint", language, value=ui.pct(data.time_progress)),
        size="xs",
        c="dimmed",
    )
    return _plain(
        dmc.Stack,
        [
            kpi_cards(data, filters, language),
            _plain(
                dmc.SimpleGrid,
                [
                    ui.section(
                        t("overview.by_area", language),
                        _graph(
                            OverviewIds.CHART_AREA,
                            figures.completion_by_group(
                                data.by_area,
                                data.time_progress,
                                thresholds,
                                language,
                                label_limit=8,
                            ),
                        ),
                        right=progress_hint,
                    ),
                    ui.section(
                        t("overview.by_county", language),
                        _graph(
                            OverviewIds.CHART_COUNTY,
                            figures.completion_by_group(
                                data.by_county, data.time_progress, thresholds, language
                            ),
                        ),
                        right=progress_hint,
                    ),
                    ui.section(
                        t("overview.trend", language),
                        _graph(
                            OverviewIds.CHART_TREND,
                            figures.monthly_trend(data.trend, data.period, language),
                        ),
                        right=hint,
                    ),
                    ui.section(
                        t("overview.lights_by_county", language),
                        _graph(
                            OverviewIds.CHART_LIGHTS,
                            figures.lights_by_group(data.by_county, language),
                        ),
                        right=hint,
                    ),
                ],
                cols={"base": 1, "lg": 2},
                spacing="md",
            ),
            _plain(
                dmc.SimpleGrid,
                [
                    ui.section(
                        t("overview.behind", language),
                        _graph(
                            OverviewIds.CHART_BEHIND,
                            figures.behind_projects(data.behind, language),
                        )
                        if data.behind
                        else _plain(dmc.Text, t("overview.none_behind", language), c="dimmed"),
                        right=hint,
                    ),
                    ui.section(
                        t("ov.late_title", language),
                        late_list(data, language),
                    ),
                ],
                cols={"base": 1, "lg": 2},
                spacing="md",
            ),
        ],
        gap="md",
    )


def late_list(data: OverviewData, language: str):
    """应开未开: the projects planned to have started by now that have not, latest first."""
    if not data.late_to_start:
        return dmc.Text(t("ov.late_none", language), c="dimmed", id=OverviewIds.LATE)
    return html.Ul(
        [
            _plain(
                html.Li,
                [
                    _plain(
                        dcc.Link,
                        f"{p.code} {p.name}",
                        href=f"/projects/{p.id}",
                        className="grid-link",
                    ),
                    _plain(html.Span, f"　{p.county} · {p.lead_unit}　", className="dimmed"),
                    _plain(
                        html.Span,
                        f"{p.planned_start:%Y-%m-%d} · " if p.planned_start else "",
                        className="dimmed",
                    ),
                    _plain(html.B, t("ov.late_days", language, n=p.days), className="cell-behind"),
                ],
            )
            for p in sorted(data.late_to_start, key=lambda p: -p.days)
        ],
        className="late-list",
        id=OverviewIds.LATE,
    )


def subtitle(data: OverviewData, language: str) -> str:
    return t(
        "overview.subtitle",
        language,
        period=month_label(data.period, language),
        progress=ui.pct(data.time_progress),
    )


def click_target(graph_id: str, point: dict[str, Any], filters: ProjectFilter) -> str | None:
    """Where a click on a chart point leads (the projects behind it), or None."""
    custom = point.get("customdata")
    if custom is None:
        return None
    if graph_id in (OverviewIds.CHART_AREA, OverviewIds.CHART_COUNTY):
        key = custom[0] if isinstance(custom, list) and custom else custom  # [key, light]
        name = "area" if graph_id == OverviewIds.CHART_AREA else "county"
        return projects_href(filters, **{name: str(key)})
    if graph_id == OverviewIds.CHART_LIGHTS and isinstance(custom, list) and len(custom) == 2:
        return projects_href(filters, county=str(custom[0]), light=str(custom[1]))
    if graph_id == OverviewIds.CHART_TREND:
        return projects_href(filters, reported=month_value(custom))
    if graph_id == OverviewIds.CHART_BEHIND:
        try:
            return f"/projects/{int(custom)}"
        except (TypeError, ValueError):
            return None
    return None
