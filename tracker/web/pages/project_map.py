"""项目一张图 (/map): wiring only. The filters travel in the URL query under the battle
map's names, so a link from one to the other keeps them."""

from __future__ import annotations

import time

import dash
from dash import ClientsideFunction, Input, Output, State, no_update

from tracker.i18n import t
from tracker.services import photos
from tracker.services.battle_map import ViewState
from tracker.services.landing import landing_county
from tracker.services.permissions import may_somewhere
from tracker.services.project_map import ProjectMap, project_map
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, thresholds, today, write
from tracker.web.outcome import attempt, refusal_text
from tracker.web.pages import sync_query
from tracker.web.views import project_map as view
from tracker.web.views.project_map import MapIds as Ids


def _load(state: ViewState) -> ProjectMap:
    return read(
        project_map,
        actor=actor(),
        as_of=today(),
        thresholds=thresholds(),
        filters=state.filters,
    )


def layout(**query):
    language = lang()
    who = actor()
    state = ViewState.from_query(landing_county(query, who))
    loaded = attempt(lambda: _load(state))
    if not loaded:
        return ui.denied(refusal_text(loaded.error))
    page = view.page(loaded.value, state, language, may_locate=may_somewhere(who, "project.locate"))
    page.children.append(notices.store("map"))  # the page's toasts (no request on open)
    return page


def register_callbacks(app: dash.Dash) -> None:
    sync_query(app, Ids.QUERY)

    @app.callback(
        Output(Ids.GRAPH, "figure"),
        Output(Ids.COUNT, "children"),
        Output(Ids.QUERY, "data"),
        Output(Ids.BATTLE_LINK, "href"),
        Output(Ids.VERSIONS, "data"),
        Input(Ids.SEARCH, "value"),
        Input(Ids.COUNTY, "value"),
        Input(Ids.AREA, "value"),
        Input(Ids.LIGHT, "value"),
        Input(Ids.POINT, "data"),
        Input(Ids.REFRESH, "data"),
        State(Ids.QUERY, "data"),
        prevent_initial_call=True,
    )
    def update_project_map(q, county, area, light, point, _refresh, query):
        # the battle map's other filters (measure, lead unit, stage) stay as the URL had them
        state = ViewState.from_query(query if isinstance(query, str) else "")
        state = state.with_filters(q=q, county=county, area=area, light=light)
        loaded = attempt(lambda: _load(state))
        if not loaded:
            return (no_update,) * 5
        data, language = loaded.value, lang()
        return (
            view.figure(data, language, point),
            view.count_text(data, language),
            state.to_query(),
            view.battle_link(state),
            view.versions(data),
        )

    @app.callback(
        Output(Ids.CHOSEN, "children"),
        Input(Ids.POINT, "data"),
        prevent_initial_call=True,
    )
    def show_chosen_place(point):
        return view.chosen_text(point, lang())

    @app.callback(
        Output(Ids.REFRESH, "data"),
        Output(Ids.POINT, "data"),
        notices.output("map"),
        Input(Ids.LOCATE_SAVE, "n_clicks"),
        State(Ids.LOCATE_PROJECT, "value"),
        State(Ids.POINT, "data"),
        State(Ids.VERSIONS, "data"),
        prevent_initial_call=True,
    )
    def save_map_location(n_clicks, project_id, point, versions):
        if not n_clicks:
            return (no_update,) * 3
        point = point if isinstance(point, dict) else {}
        versions = versions if isinstance(versions, dict) else {}
        done = attempt(
            lambda: write(
                photos.set_location,
                actor=actor(),
                project_id=project_id,
                lat=point.get("lat"),
                lon=point.get("lon"),
                seen_version=versions.get(str(project_id)),
            ),
            ok=t("location.saved", lang()),
        )
        if not done:
            return no_update, no_update, done.notice
        return int(time.time() * 1000), None, done.notice

    app.clientside_callback(
        ClientsideFunction(namespace="trackerMap", function_name="openProject"),
        Output(Ids.GRAPH, "id"),
        Input(Ids.GRAPH, "clickData"),
        prevent_initial_call=True,
    )


dash.register_page(
    __name__,
    path="/map",
    title=lambda: t("map.title", lang()),
    layout=layout,
)
