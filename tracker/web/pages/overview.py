"""总览 page: wiring only (layout and callbacks); figures come from services.overview."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, ctx, dcc, html, no_update

from tracker.i18n import t
from tracker.services.indicators import IndicatorsSummary
from tracker.services.landing import landing_filters
from tracker.services.overview import OverviewPage, overview_indicators, overview_page
from tracker.services.permissions import can, scope_field
from tracker.services.projects import ProjectFilter
from tracker.web import ui
from tracker.web.context import actor, lang, read, today
from tracker.web.context import ctx as web
from tracker.web.http_cache import Cacheable
from tracker.web.pages import sync_query
from tracker.web.views.indicators import summary as indicators_summary
from tracker.web.views.overview import (
    DRAWN,
    INDICATORS_DRAWN,
    body,
    click_target,
    filter_bar,
    subtitle,
)
from tracker.web.views.overview import OverviewIds as Ids


def _page(filters: ProjectFilter) -> OverviewPage:
    return read(
        overview_page, as_of=today(), filters=filters, actor=actor(), settings=web().settings
    )


def _body(page: OverviewPage, filters: ProjectFilter, language: str) -> Any:
    office = can(actor(), "plan.import")  # the notice offers the import to those who may
    return DRAWN.draw(
        ("body", page.data, filters, page.thresholds, language, page.has_list, office),
        lambda: body(
            page.data, filters, page.thresholds, language, has_list=page.has_list, office=office
        ),
    )


def _filters(county, area, measure, mine=False) -> ProjectFilter:
    return ProjectFilter.from_query(
        {"county": county, "area": area, "measure": measure, "mine": "1" if mine else None}
    )


def cacheable(pathname: str, search: str) -> Cacheable | None:
    """The overview is drawn from the whole plan, the reader's language, role and scope and
    the day: its response is kept until the next write (``http_cache.install_page_cache``)."""
    who = actor()
    if pathname != "/" or who.id is None:
        return None
    return Cacheable(
        ("overview", search, lang(), who.role, who.county, who.lead_unit, today()), None
    )


def _indicators(data: IndicatorsSummary, language: str, *, office: bool):
    """The zone's indicators, drawn by their own values (``INDICATORS_DRAWN``)."""
    if not data.total:
        return None
    return INDICATORS_DRAWN.draw(
        ("indicators", data, language, office),
        lambda: html.Div(
            indicators_summary(data, language, office=office), className="ov-indicators"
        ),
    )


def layout(**query):
    language = lang()
    who = actor()
    filters = landing_filters(query, who)
    page = _page(filters)
    indicators = read(overview_indicators, actor=who, as_of=today())
    unit = scope_field(who) == "lead_unit"
    review = can(who, "indicator.review")
    office = can(who, "plan.import")  # the notice offers the import to those who may

    def draw() -> html.Div:
        return html.Div(
            [
                ui.page_title(
                    t("nav.overview", language),
                    subtitle(page.data, language),
                    right=filter_bar(page.options, filters, language, unit=unit),
                ),
                html.Div(
                    body(
                        page.data,
                        filters,
                        page.thresholds,
                        language,
                        has_list=page.has_list,
                        office=office,
                    ),
                    id=Ids.BODY,
                ),
                # #16: the zone's indicators, whatever the filter
                _indicators(indicators, language, office=review),
                dcc.Location(id=Ids.NAV, refresh="callback-nav"),
                dcc.Store(id=Ids.URL_SYNC),
            ],
            className="page page-overview",
        )

    # everything the page is drawn from, so an unchanged drawing is not built again
    return DRAWN.draw(("page", page, filters, language, unit, office, indicators, review), draw)


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.BODY, "children"),
        Output(Ids.URL_SYNC, "data"),
        Input(Ids.COUNTY, "value"),
        Input(Ids.AREA, "value"),
        Input(Ids.MEASURE, "value"),
        Input(Ids.MINE, "checked"),
        prevent_initial_call=True,
    )
    def refresh_overview(county, area, measure, mine):
        filters = _filters(county, area, measure, mine)
        return _body(_page(filters), filters, lang()), filters.to_query()

    @app.callback(
        Output(Ids.COUNTY, "value"),
        Output(Ids.AREA, "value"),
        Output(Ids.MEASURE, "value"),
        Output(Ids.MINE, "checked"),
        Input(Ids.RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def reset_overview_filters(_n):
        return None, None, None, False

    charts = [Ids.CHART_AREA, Ids.CHART_COUNTY, Ids.CHART_LIGHTS, Ids.CHART_TREND, Ids.CHART_BEHIND]

    @app.callback(
        Output(Ids.NAV, "href"),
        [Input(chart, "clickData") for chart in charts],
        State(Ids.COUNTY, "value"),
        State(Ids.AREA, "value"),
        State(Ids.MEASURE, "value"),
        State(Ids.MINE, "checked"),
        prevent_initial_call=True,
    )
    def open_clicked_projects(*args):
        county, area, measure, mine = args[-4:]
        trigger = ctx.triggered_id
        click = dict(zip(charts, args[: len(charts)], strict=True)).get(trigger)
        points = click.get("points") if isinstance(click, dict) else None
        if not isinstance(points, list) or not points or not isinstance(points[0], dict):
            return no_update
        target = click_target(trigger, points[0], _filters(county, area, measure, mine))
        return target or no_update

    sync_query(app, Ids.URL_SYNC)


dash.register_page(
    __name__, path="/", title=lambda: t("nav.overview", lang()), order=0, layout=layout
)
