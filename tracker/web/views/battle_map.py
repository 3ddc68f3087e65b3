"""挂图作战: the battle map page — controls, the Gantt figure, exports, meeting mode.

The figure comes from ``tracker.gantt`` (``gantt_dict``, then the open-problem badges);
everything here lays out components or turns a view into what a builder needs. User text
reaches components only as text children or plotly text that the builders escape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

import dash_mantine_components as dmc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.domain.periods import add_months, month_end, month_label, month_start
from tracker.domain.schedule import Stage
from tracker.gantt.chains import CHAIN_ROW_GROWTH
from tracker.gantt.figure import gantt_dict
from tracker.gantt.html import standalone_html
from tracker.gantt.marks import problem_marks
from tracker.gantt.pdf import gantt_pdf
from tracker.i18n import gantt_labels, t
from tracker.services.battle_map import ZOOMS, BattleMap, ViewState
from tracker.web import ui
from tracker.web.values import day_value
from tracker.web.views.overview import measure_data

MEETING_PAGE_SIZE = 18  # project rows per screen: with their group rows, fits 1080 px in large type
# Above this many rows the browser draws only the rows in sight and redraws as the map
# scrolls (assets/battle_map.js); below it, the whole map at once, as the page scrolls.
WINDOW_FROM_ROWS = 200
PNG_SCALE = 2


class BattleMapIds:
    ROOT = "bm-root"
    GRAPH = "bm-graph"
    CHART = "bm-chart-data"  # Store: the whole view's rows as the builder's trace arrays
    SCROLL = "bm-scroll"  # the scroll box whose position picks the rows drawn
    STATE = "bm-state"  # Store: the view's query plus what the next change needs
    URL_SYNC = "bm-url-sync"  # Store: the query a clientside callback writes to the URL
    EVENT = "bm-event"  # Store: a chart click or zoom, filtered in the browser
    SEARCH = "bm-search"
    COUNTY = "bm-county"
    AREA = "bm-area"
    MEASURE = "bm-measure"
    LEAD_UNIT = "bm-lead-unit"
    LIGHT = "bm-light"
    STAGE = "bm-stage"
    GROUP_BY = "bm-group-by"
    ZOOM = "bm-zoom"
    RANGE = "bm-range"
    PAGER = "bm-pager"
    PAGE_LABEL = "bm-page-label"
    SUBTITLE = "bm-subtitle"
    NOTE = "bm-note"
    MEETING = "bm-meeting"  # the switch
    CHAINS = "bm-chains"  # the switch that shows the 前期 chains (#17)
    EXIT = "bm-exit"  # the button that leaves meeting mode
    TIMER = "bm-timer"
    EXPORT_PNG = "bm-export-png"
    EXPORT_HTML = "bm-export-html"
    EXPORT_PDF = "bm-export-pdf"
    DOWNLOAD = "bm-download"
    EXPORT_ERROR = "bm-export-error"


# --- the figure --------------------------------------------------------------------------


def page_size(view: ViewState) -> int | None:
    """A meeting pages screens; otherwise every row of the view is on one scrollable map.
    Chained rows are twice as tall (#17): a screen of them holds half as many."""
    if not view.meeting:
        return None
    return MEETING_PAGE_SIZE // CHAIN_ROW_GROWTH if view.chains else MEETING_PAGE_SIZE


def figure_title(view: ViewState, language: str, areas: list[str] | None = None) -> str:
    """The chart's heading with what the view is filtered to, so that an exported picture
    or print says what it shows; in a meeting, also which area of how many is on screen."""
    parts = [t("gantt.title", language)]
    if view.area:
        where = ""
        if view.meeting and areas and view.area in areas:
            where = f"（{areas.index(view.area) + 1}/{len(areas)}）"
        parts.append(view.area + where)
    parts += [v for v in (view.measure, view.county, view.lead_unit) if v]
    if view.light:
        parts.append(t(f"light.{view.light}", language))
    if view.stage:
        parts.append(t(f"stage.{view.stage}", language))
    if view.q:
        parts.append(f"“{view.q}”")
    return " · ".join(parts)


def figure(data: BattleMap, view: ViewState, language: str) -> go.Figure:
    """The battle map of ``view`` with the open-problem badges, as a plotly ``Figure`` (the
    HTML export)."""
    return go.Figure(figure_dict(data, view, language), _validate=False)


def figure_dict(data: BattleMap, view: ViewState, language: str) -> dict[str, Any]:
    """The battle map of ``view`` with the open-problem badges, as plain dicts: what the
    page sends, built without plotly's ``Figure`` (validation, deep copies)."""
    labels = gantt_labels(language)
    built = gantt_dict(
        data.projects,
        as_of=data.as_of,
        time_progress=data.time_progress,
        group_by=view.group_by,
        collapsed=view.collapsed,
        x_range=view.window(data.as_of, data.span),
        page=view.page,
        page_size=page_size(view),
        labels=labels,
        meeting=view.meeting,
        title=figure_title(view, language, data.areas),
        thresholds=data.thresholds,
    )
    return problem_marks(built, data.projects, labels=labels, meeting=view.meeting)


Figure = dict[str, Any]  # a figure as plain dicts (``figure_dict``)

# what was drawn from a BattleMap read under a data version, per (token, language): the
# figure and the CHART store's data. The token names the rows object (kept across data
# versions only while a write changed none of them) and everything else the drawing reads,
# so a kept drawing is always the one its BattleMap would draw.
DRAWN_KEPT = 32
_drawn: OrderedDict[Hashable, tuple[Figure, dict[str, Any]]] = OrderedDict()
_drawn_lock = threading.Lock()


def drawn(data: BattleMap, view: ViewState, language: str) -> tuple[Figure, dict[str, Any]]:
    """The figure of ``view`` and the CHART store's data, built once per rows: the users of
    one view (a county's leads, the office at a meeting) share them, and so do the data
    versions whose writes left the rows as they were. Neither may be changed by the caller."""
    if data.token is None:
        fig = figure_dict(data, view, language)
        return fig, chart_data(fig, view)
    key = (*data.token, view, language)
    with _drawn_lock:
        kept = _drawn.get(key)
        if kept is not None:
            _drawn.move_to_end(key)
            return kept
    fig = figure_dict(data, view, language)
    kept = (fig, chart_data(fig, view))
    with _drawn_lock:
        _drawn[key] = kept
        while len(_drawn) > DRAWN_KEPT:
            _drawn.popitem(last=False)
    return kept


def chart_data(fig: go.Figure | Figure, view: ViewState) -> dict[str, Any]:
    """The CHART store: the figure's traces and layout as plain JSON, marked ``window``
    when the browser should draw only the rows in sight (a big view, not a meeting). A
    figure of plain dicts is not changed: the store shares its traces."""
    plain = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    layout = plain["layout"]
    meta = dict(layout.get("meta") or {})
    meta["window"] = not view.meeting and int(meta.get("row_count", 0)) > WINDOW_FROM_ROWS
    return {**plain, "layout": {**layout, "meta": meta}}


def figure_pages(fig: go.Figure | Figure) -> tuple[int, int]:
    """(page shown, 0-based; page count) of a built figure."""
    meta = (fig["layout"].get("meta") if isinstance(fig, dict) else fig.layout.meta) or {}
    return int(meta.get("page", 0)), max(int(meta.get("page_count", 1)), 1)


def file_stem(as_of: date, language: str) -> str:
    return t("bm.file", language, date=as_of.isoformat())


def graph_config(as_of: date, language: str) -> dict[str, Any]:
    """Modebar: the camera button saves a PNG of the view at twice the screen's resolution."""
    return {
        "displaylogo": False,
        "scrollZoom": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"],
        "toImageButtonOptions": {
            "format": "png",
            "filename": file_stem(as_of, language),
            "scale": PNG_SCALE,
        },
    }


def html_export(fig: go.Figure) -> str:
    return standalone_html(fig)


def pdf_export(data: BattleMap, view: ViewState, language: str) -> bytes:
    """The printable A3 chart of every project of the filtered view (all pages)."""
    return gantt_pdf(
        data.projects,
        as_of=data.as_of,
        title=figure_title(view, language),
        group_by=view.group_by,
        collapsed=view.collapsed,
        time_progress=data.time_progress,
        x_range=view.window(data.as_of, data.span),
        labels=gantt_labels(language),
        thresholds=data.thresholds,
    )


# --- what the page's controls show --------------------------------------------------------


def month_count(span: tuple[date, date]) -> int:
    first, last = span
    return (last.year - first.year) * 12 + last.month - first.month


def slider_value(view: ViewState, data: BattleMap) -> list[int]:
    """The range slider's thumbs (months from the plan's first month) for the view."""
    window = view.window(data.as_of, data.span) or data.span
    last = month_count(data.span)

    def index(day: date) -> int:
        return min(max(month_count((data.span[0], day)), 0), last)

    low, high = index(window[0]), index(window[1])
    return [low, max(high, low + 1)] if last else [0, 1]


def slider_dates(months: Any, span_start: date) -> tuple[date, date] | None:
    """The window a range slider value stands for (whole months), or None if malformed."""
    if not isinstance(months, list) or len(months) != 2:
        return None
    if not all(isinstance(m, int) and not isinstance(m, bool) for m in months):
        return None
    low, high = sorted(months)
    if not 0 <= low < high <= 1200:
        return None
    first = month_start(span_start)
    return add_months(first, low), month_end(add_months(first, high))


def slider_marks(span: tuple[date, date]) -> list[dict[str, Any]]:
    """A mark at each January (every second one on a long plan)."""
    count = month_count(span)
    years = range(span[0].year + (span[0].month > 1), span[1].year + 1)
    step = 1 if len(years) <= 8 else 2
    return [
        {"value": month_count((span[0], date(y, 1, 1))), "label": str(y)}
        for y in years[::step]
        if 0 <= month_count((span[0], date(y, 1, 1))) <= count
    ]


@dataclass(frozen=True)
class Controls:
    """What the main callback writes back to the page after a change."""

    state: dict[str, Any]  # the STATE store
    query: str  # for the address bar
    area: str | None
    page: int  # 1-based, as the pager shows it
    pages: int
    page_label: str
    zoom: str
    months: list[int]
    meeting: bool
    chains: bool
    root_class: str
    subtitle: str
    note: str


def page_label(page: int, pages: int, language: str) -> str:
    return t("bm.page", language, page=page + 1, pages=pages)


def subtitle(data: BattleMap, language: str) -> str:
    return t(
        "bm.subtitle",
        language,
        period=month_label(data.period, language),
        progress=f"{data.time_progress:.1%}",
        n=len(data.projects),
    )


def note(data: BattleMap, language: str) -> str:
    outside = outside_note(data, language)
    if not data.projects:
        return t("bm.empty", language) + (f" · {outside}" if outside else "")
    extra = f" · {t('bm.undated', language, n=data.undated)}" if data.undated else ""
    return t("bm.hint", language) + extra + (f" · {outside}" if outside else "")


SHOWN_OUTSIDE = 5


def outside_note(data: BattleMap, language: str) -> str:
    """Which dates are not drawn because they lie outside the plan's range (#12)."""
    outside = getattr(data, "outside", None) or []
    if not outside or data.drawn is None:
        return ""
    items = [
        f"{o.code} {o.name or t(f'bm.outside.{o.what}', language)} {o.day.isoformat()}"
        for o in outside[:SHOWN_OUTSIDE]
    ]
    more = (
        t("bm.outside.more", language, n=len(outside) - SHOWN_OUTSIDE)
        if len(outside) > SHOWN_OUTSIDE
        else ""
    )
    return t(
        "bm.outside_range",
        language,
        n=len(outside),
        first=data.drawn[0].isoformat(),
        last=data.drawn[1].isoformat(),
        items="；".join(items) + more,
    )


def root_class(view: ViewState) -> str:
    return "page page-battle-map" + (" bm-meeting" if view.meeting else "")


def state_data(data: BattleMap, view: ViewState, fig: Figure) -> dict[str, Any]:
    """The STATE store: the view's query (with the page actually shown) and what the next
    change needs (areas for meeting mode, page count, the plan's first and last month)."""
    page, pages = figure_pages(fig)
    return {
        "query": view.paged(page).to_query(),
        "page_count": pages,
        "areas": list(data.areas),
        "span": [data.span[0].isoformat(), data.span[1].isoformat()],
    }


def controls(data: BattleMap, view: ViewState, fig: Figure, language: str) -> Controls:
    page, pages = figure_pages(fig)
    state = state_data(data, view, fig)
    return Controls(
        state=state,
        query=state["query"],
        area=view.area,
        page=page + 1,
        pages=pages,
        page_label=page_label(page, pages, language),
        zoom=view.zoom,
        months=slider_value(view, data),
        meeting=view.meeting,
        chains=view.chains,
        root_class=root_class(view),
        subtitle=subtitle(data, language),
        note=note(data, language),
    )


# --- the next view after a change ---------------------------------------------------------


def next_view(view: ViewState, trigger: Any, value: Any, state: Any) -> ViewState:
    """The view after the control ``trigger`` (a component id) took ``value``.

    ``state`` is the STATE store as the browser sent it: treated as untrusted, like every
    callback argument (anything malformed leaves the view as it was).
    """
    context = state if isinstance(state, dict) else {}
    areas = [a for a in context.get("areas") or [] if isinstance(a, str)][:100]
    pages = context.get("page_count")
    pages = pages if isinstance(pages, int) and not isinstance(pages, bool) and pages > 0 else 1
    span = context.get("span")
    span_start = day_value(span[0]) if isinstance(span, list) and span else None
    ids = BattleMapIds
    filters = {
        ids.SEARCH: "q",
        ids.COUNTY: "county",
        ids.AREA: "area",
        ids.MEASURE: "measure",
        ids.LEAD_UNIT: "lead_unit",
        ids.LIGHT: "light",
        ids.STAGE: "stage",
    }
    if trigger in filters:
        return view.with_filters(**{filters[trigger]: value if isinstance(value, str) else None})
    if trigger == ids.GROUP_BY:
        return view.grouped_by(value if isinstance(value, str) else None)
    if trigger == ids.ZOOM:
        return view.zoomed(value if isinstance(value, str) else None)
    if trigger == ids.RANGE:
        window = slider_dates(value, span_start) if span_start else None
        return view.ranged(*window) if window else view
    if trigger == ids.PAGER:
        return view.paged(value - 1, pages) if isinstance(value, int) else view
    if trigger == ids.CHAINS:
        return view.with_chains(value is True)
    if trigger == ids.MEETING:
        return view.in_meeting(bool(value), areas)
    if trigger == ids.EXIT:
        return view.in_meeting(False)
    if trigger == ids.TIMER:
        return view.advanced(areas, pages) if view.meeting else view
    if trigger == ids.EVENT and isinstance(value, dict):
        kind = value.get("kind")
        if kind == "toggle":
            return view.toggled(value.get("key"))
        if kind == "range":
            return view.ranged(day_value(value.get("from")), day_value(value.get("to")))
        if kind == "autorange":
            return view.zoomed("plan")
    return view


# --- the page ----------------------------------------------------------------------------


def _filter_bar(data: BattleMap, view: ViewState, language: str) -> dmc.Group:
    options = data.options
    return dmc.Group(
        [
            ui.search_filter(BattleMapIds.SEARCH, view.q, language, 170),
            ui.filter_select(
                BattleMapIds.COUNTY,
                options.counties,
                view.county,
                t("filter.all_counties", language),
                130,
            ),
            ui.filter_select(
                BattleMapIds.AREA, options.areas, view.area, t("filter.all_areas", language), 128
            ),
            ui.filter_select(
                BattleMapIds.MEASURE,
                measure_data(options),
                view.measure,
                t("filter.all_measures", language),
                170,
                list_width=320,
            ),
            ui.filter_select(
                BattleMapIds.LEAD_UNIT,
                options.lead_units,
                view.lead_unit,
                t("bm.all_lead_units", language),
                150,
                list_width=260,
            ),
            ui.light_filter(BattleMapIds.LIGHT, view.light, language),
            ui.filter_select(
                BattleMapIds.STAGE,
                [{"value": s.value, "label": t(f"stage.{s.value}", language)} for s in Stage],
                view.stage,
                t("filter.all_stages", language),
                110,
            ),
        ],
        gap="xs",
        className="filter-bar bm-filters",
    )


def _view_bar(data: BattleMap, view: ViewState, fig: Figure, language: str) -> dmc.Group:
    page, pages = figure_pages(fig)
    span = data.span
    return dmc.Group(
        [
            dmc.Group(
                [
                    dmc.Text(t("bm.group_by", language), size="sm", c="dimmed"),
                    dmc.SegmentedControl(
                        id=BattleMapIds.GROUP_BY,
                        data=[
                            {"value": g, "label": t(f"bm.group.{g}", language)}
                            for g in ("measure", "county", "lead_unit", "light", "stage")
                        ],
                        value=view.group_by,
                        size="sm",
                    ),
                ],
                gap=6,
                wrap="nowrap",
            ),
            dmc.SegmentedControl(
                id=BattleMapIds.ZOOM,
                data=[
                    {"value": z, "label": t(f"bm.zoom.{z}", language), "disabled": z == "custom"}
                    for z in ZOOMS
                ],
                value=view.zoom,
                size="sm",
            ),
            html.Div(
                dmc.RangeSlider(
                    id=BattleMapIds.RANGE,
                    min=0,
                    max=max(month_count(span), 1),
                    step=1,
                    minRange=1,
                    value=slider_value(view, data),
                    marks=slider_marks(span),
                    label={
                        "function": "trackerMonthLabel",
                        "options": {"start": span[0].isoformat()},
                    },
                    size="sm",
                    **{"aria-label": t("bm.range", language)},
                ),
                className="bm-range",
                title=t("bm.range", language),
            ),
            dmc.Group(
                [
                    dmc.Pagination(
                        id=BattleMapIds.PAGER,
                        total=pages,
                        value=page + 1,
                        size="sm",
                        siblings=1,
                        boundaries=1,
                    ),
                    dmc.Text(
                        page_label(page, pages, language),
                        id=BattleMapIds.PAGE_LABEL,
                        size="sm",
                        c="dimmed",
                        className="bm-page-label",
                    ),
                ],
                gap="xs",
                wrap="nowrap",
                className="bm-pager",  # shown in a meeting only: the map itself scrolls
            ),
        ],
        gap="md",
        className="bm-view-bar",
        wrap="wrap",
    )


def _actions(view: ViewState, language: str) -> dmc.Group:
    return dmc.Group(
        [
            html.Div(
                dmc.Switch(
                    id=BattleMapIds.CHAINS,
                    label=t("bm.chains", language),
                    checked=view.chains,
                    size="sm",
                ),
                title=t("bm.chains_hint", language),
            ),
            dmc.Switch(
                id=BattleMapIds.MEETING,
                label=t("bm.meeting", language),
                checked=view.meeting,
                size="sm",
            ),
            *[
                dmc.Button(t(key, language), id=button_id, n_clicks=0, variant=variant, size="sm")
                for key, button_id, variant in (
                    ("bm.export_png", BattleMapIds.EXPORT_PNG, "default"),
                    ("bm.export_html", BattleMapIds.EXPORT_HTML, "default"),
                    ("bm.export_pdf", BattleMapIds.EXPORT_PDF, "light"),
                )
            ],
            dcc.Download(id=BattleMapIds.DOWNLOAD),
            dmc.Text(id=BattleMapIds.EXPORT_ERROR, c="red", size="sm"),
        ],
        gap="xs",
        className="bm-actions",
    )


def _meeting_bar(view: ViewState, language: str) -> html.Div:
    return html.Div(
        [
            dmc.Text(t("bm.meeting_every", language, seconds=view.interval), size="sm", c="dimmed"),
            dmc.Button(
                t("bm.exit_meeting", language),
                id=BattleMapIds.EXIT,
                n_clicks=0,
                variant="default",
                size="xs",
            ),
        ],
        className="bm-meeting-bar",
    )


def graph(chart: dict[str, Any], as_of: date, language: str) -> dcc.Loading:
    """The chart: the browser draws the CHART store's rows into the graph (all of them, or
    the window in sight of the scroll box) with a clientside callback."""
    return dcc.Loading(
        [
            dcc.Graph(
                id=BattleMapIds.GRAPH,
                config=graph_config(as_of, language),
                className="bm-graph",
            ),
            dcc.Store(id=BattleMapIds.CHART, data=chart),
        ],
        delay_show=400,
        overlay_style={"visibility": "visible", "opacity": 0.6},
        type="circle",
    )


def page(
    data: BattleMap, view: ViewState, fig: Figure, chart: dict[str, Any], language: str
) -> html.Div:
    head = dmc.Group(
        [
            html.Div(
                [
                    dmc.Title(t("nav.battle_map", language), order=2, className="page-title"),
                    dmc.Text(
                        subtitle(data, language), id=BattleMapIds.SUBTITLE, c="dimmed", size="sm"
                    ),
                ]
            ),
            _actions(view, language),
        ],
        justify="space-between",
        align="flex-end",
        mb="sm",
        className="bm-head",
    )
    return html.Div(
        [
            head,
            _filter_bar(data, view, language),
            _view_bar(data, view, fig, language),
            dmc.Text(note(data, language), id=BattleMapIds.NOTE, size="xs", c="dimmed", mb=4),
            _meeting_bar(view, language),
            html.Div(
                html.Div(
                    [
                        html.Div(
                            graph(chart, data.as_of, language),
                            className="bm-window",
                        ),
                        html.Div(className="bm-spacer"),
                    ],
                    id=BattleMapIds.SCROLL,
                    className="bm-scroll",
                ),
                className="bm-chart",
            ),
            dcc.Store(id=BattleMapIds.STATE, data=state_data(data, view, fig)),
            dcc.Store(id=BattleMapIds.URL_SYNC),
            dcc.Store(id=BattleMapIds.EVENT),
            dcc.Interval(
                id=BattleMapIds.TIMER, interval=view.interval * 1000, disabled=not view.meeting
            ),
        ],
        id=BattleMapIds.ROOT,
        className=root_class(view),
    )
