"""总览 page: wiring only (layout and callbacks); figures come from services.overview."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from tracker.i18n import t
from tracker.services.landing import has_project_list, landing_filters
from tracker.services.overview import overview
from tracker.services.projects import ProjectFilter, filter_options
from tracker.web import ui
from tracker.web.context import actor, lang, reading, thresholds, today
from tracker.web.context import ctx as web
from tracker.web.views.overview import OverviewIds as Ids
from tracker.web.views.overview import body, click_target, filter_bar, subtitle


def ctx_settings():
    return web().settings


def _filters(county, area, measure, mine=False) -> ProjectFilter:
    return ProjectFilter.from_query(
        {"county": county, "area": area, "measure": measure, "mine": "1" if mine else None}
    )


def layout(**query):
    language = lang()
    who = actor()
    filters = landing_filters(query, who)
    with reading() as session:
        options = filter_options(session)
        limits = thresholds(session)
        has_list = has_project_list(session)
        data = overview(
            session,
            as_of=today(),
            thresholds=limits,
            filters=filters,
            actor=who,
            settings=ctx_settings(),
        )
    return html.Div(
        [
            ui.page_title(
                t("nav.overview", language),
                subtitle(data, language),
                right=filter_bar(options, filters, language, unit=who.role == "unit"),
            ),
            html.Div(
                body(
                    data, filters, limits, language, has_list=has_list, office=who.role == "admin"
                ),
                id=Ids.BODY,
            ),
            dcc.Location(id=Ids.NAV, refresh="callback-nav"),
            dcc.Store(id=Ids.URL_SYNC),
        ],
        className="page page-overview",
    )


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
        language = lang()
        filters = _filters(county, area, measure, mine)
        who = actor()
        with reading() as session:
            limits = thresholds(session)
            has_list = has_project_list(session)
            data = overview(
                session,
                as_of=today(),
                thresholds=limits,
                filters=filters,
                actor=who,
                settings=ctx_settings(),
            )
        shown = body(data, filters, limits, language, has_list=has_list, office=who.role == "admin")
        return shown, filters.to_query()

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

    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="replaceQuery"),
        Output(Ids.URL_SYNC, "id"),
        Input(Ids.URL_SYNC, "data"),
        prevent_initial_call=True,
    )


dash.register_page(
    __name__, path="/", title=lambda: t("nav.overview", lang()), order=0, layout=layout
)
