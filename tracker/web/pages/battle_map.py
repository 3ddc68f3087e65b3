"""挂图作战 page (/battle-map): wiring only. The view state lives in the URL's query."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from tracker.i18n import t
from tracker.services.battle_map import BattleMap, ViewState, battle_map_page
from tracker.services.landing import landing_county
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, read, today
from tracker.web.context import ctx as web
from tracker.web.http_cache import Cacheable
from tracker.web.outcome import attempt, refusal_text
from tracker.web.pages import sync_query
from tracker.web.views import battle_map as view
from tracker.web.views.battle_map import BattleMapIds as Ids
from tracker.web.views.overview import no_list_notice

CHANGES = [
    Input(Ids.SEARCH, "value"),
    Input(Ids.COUNTY, "value"),
    Input(Ids.AREA, "value"),
    Input(Ids.MEASURE, "value"),
    Input(Ids.LEAD_UNIT, "value"),
    Input(Ids.LIGHT, "value"),
    Input(Ids.STAGE, "value"),
    Input(Ids.GROUP_BY, "value"),
    Input(Ids.ZOOM, "value"),
    Input(Ids.RANGE, "value"),
    Input(Ids.PAGER, "value"),
    Input(Ids.MEETING, "checked"),
    Input(Ids.CHAINS, "checked"),
    Input(Ids.EXIT, "n_clicks"),
    Input(Ids.TIMER, "n_intervals"),
    Input(Ids.EVENT, "data"),
]


def _load(state: ViewState) -> BattleMap:
    return read(
        battle_map_page,
        actor=actor(),
        as_of=today(),
        view=state,
        language=lang(),
        settings=web().settings,
    )


def cacheable(pathname: str, search: str) -> Cacheable | None:
    """The page is drawn from the whole plan, its query (the view), the reader's language,
    role and scope and the day: its response is kept until the next write
    (``http_cache.install_page_cache``), as the overview's is."""
    who = actor()
    if pathname != "/battle-map" or who.id is None:
        return None
    return Cacheable(
        ("battle-map", search, lang(), who.role, who.county, who.lead_unit, today()), None
    )


def layout(**query):
    language = lang()
    who = actor()
    state = ViewState.from_query(landing_county(query, who))  # #19: a county lead's county
    loaded = attempt(lambda: _load(state))
    if not loaded:
        return ui.denied(refusal_text(loaded.error))
    data = loaded.value
    shown = data.view
    fig, chart = view.drawn(data, shown, language)
    page = view.page(data, shown, fig, chart, language)
    if not data.has_list:  # #19: an office without a list says so instead of an empty chart
        head, *rest = page.children
        page.children = [head, no_list_notice(language, office=can(who, "plan.import")), *rest]
    return page


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.CHART, "data"),
        Output(Ids.STATE, "data"),
        Output(Ids.URL_SYNC, "data"),
        Output(Ids.AREA, "value"),
        Output(Ids.PAGER, "value"),
        Output(Ids.PAGER, "total"),
        Output(Ids.PAGE_LABEL, "children"),
        Output(Ids.ZOOM, "value"),
        Output(Ids.RANGE, "value"),
        Output(Ids.MEETING, "checked"),
        Output(Ids.CHAINS, "checked"),
        Output(Ids.ROOT, "className"),
        Output(Ids.TIMER, "disabled"),
        Output(Ids.SUBTITLE, "children"),
        Output(Ids.NOTE, "children"),
        *CHANGES,
        State(Ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def update_battle_map(*args):
        stored = args[-1] if isinstance(args[-1], dict) else {}
        trigger = ctx.triggered_id
        changed = {c.component_id: value for c, value in zip(CHANGES, args, strict=False)}
        before = ViewState.from_query(stored.get("query"))
        after = view.next_view(before, trigger, changed.get(trigger), stored)
        if after == before:
            raise PreventUpdate
        language = lang()
        loaded = attempt(lambda: _load(after))
        if not loaded:
            raise PreventUpdate
        data = loaded.value
        shown = data.view
        fig, chart = view.drawn(data, shown, language)
        c = view.controls(data, shown, fig, language)
        return (
            chart,
            c.state,
            c.query,
            c.area,
            c.page,
            c.pages,
            c.page_label,
            c.zoom,
            c.months,
            c.meeting,
            c.chains,
            c.root_class,
            not c.meeting,
            c.subtitle,
            c.note,
        )

    # Every output lives on this page: an output that is already on screen when the page's
    # inputs arrive (the shell's notifications) would make Dash run this on page load.
    @app.callback(
        Output(Ids.DOWNLOAD, "data"),
        Output(Ids.EXPORT_ERROR, "children"),
        Input(Ids.EXPORT_HTML, "n_clicks"),
        Input(Ids.EXPORT_PDF, "n_clicks"),
        State(Ids.STATE, "data"),
        running=[
            (Output(Ids.EXPORT_HTML, "loading"), True, False),
            (Output(Ids.EXPORT_PDF, "loading"), True, False),
        ],
        prevent_initial_call=True,
    )
    def export_battle_map(_html_clicks, _pdf_clicks, stored):
        trigger = ctx.triggered_id
        if trigger not in (Ids.EXPORT_HTML, Ids.EXPORT_PDF) or not ctx.triggered[0].get("value"):
            return no_update, no_update
        language = lang()
        state = ViewState.from_query(stored.get("query") if isinstance(stored, dict) else None)
        loaded = attempt(lambda: _load(state))
        if not loaded:
            return no_update, t("bm.export_failed", language, error=refusal_text(loaded.error))
        data = loaded.value
        stem = view.file_stem(data.as_of, language)
        if trigger == Ids.EXPORT_PDF:
            pdf = view.pdf_export(data, data.view, language)
            return dcc.send_bytes(pdf, f"{stem}.pdf"), ""
        page = view.html_export(view.figure(data, data.view, language))
        return dcc.send_string(page, f"{stem}.html"), ""

    app.clientside_callback(
        ClientsideFunction(namespace="battleMap", function_name="draw"),
        Output(Ids.GRAPH, "figure"),
        Input(Ids.CHART, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="battleMapEvent"),
        Output(Ids.EVENT, "data"),
        Input(Ids.GRAPH, "clickData"),
        Input(Ids.GRAPH, "relayoutData"),
        prevent_initial_call=True,
    )
    sync_query(app, Ids.URL_SYNC)
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="downloadPng"),
        Output(Ids.EXPORT_PNG, "id"),
        Input(Ids.EXPORT_PNG, "n_clicks"),
        State(Ids.GRAPH, "config"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="fullScreen"),
        Output(Ids.EXIT, "id"),
        Input(Ids.MEETING, "checked"),
        Input(Ids.EXIT, "n_clicks"),
        prevent_initial_call=True,
    )


dash.register_page(
    __name__,
    path="/battle-map",
    title=lambda: t("nav.battle_map", lang()),
    order=1,
    layout=layout,
)
