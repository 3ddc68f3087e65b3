"""项目 list page: wiring only."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, no_update

from tracker.i18n import t
from tracker.services.errors import ServiceError
from tracker.services.landing import has_project_list
from tracker.services.projects import ProjectFilter, export_items, filter_options, list_projects
from tracker.web import ui
from tracker.web.context import actor, lang, reading, thresholds, today
from tracker.web.shell import ShellIds
from tracker.web.views import projects as view
from tracker.web.views.overview import no_list_notice
from tracker.web.views.projects import ProjectsIds as Ids

FILTER_INPUTS = [
    Input(Ids.SEARCH, "value"),
    Input(Ids.COUNTY, "value"),
    Input(Ids.AREA, "value"),
    Input(Ids.MEASURE, "value"),
    Input(Ids.LIGHT, "value"),
    Input(Ids.START, "value"),
    Input(Ids.REPORTED, "value"),
    Input(Ids.BEHIND, "checked"),
    Input(Ids.MINE, "checked"),
]


def layout(**query):
    language = lang()
    filters = ProjectFilter.from_query(query)
    who = actor()
    day = today()
    with reading() as session:
        options = filter_options(session)
        has_list = has_project_list(session)
        items = list_projects(
            session, as_of=day, thresholds=thresholds(session), filters=filters, actor=who
        )
    return view.page(
        [
            ui.page_title(t("nav.projects", language), t("projects.subtitle", language)),
            None if has_list else no_list_notice(language, office=who.role == "admin"),
            view.filter_bar(
                options, filters, language, year=day.year, scoped=who.role in {"county", "unit"}
            ),
            view.toolbar(len(items), None, language),
            view.grid(items, None, language),
            dcc.Store(id=Ids.URL_SYNC),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.GRID, "rowData"),
        Output(Ids.COUNT, "children"),
        Output(Ids.URL_SYNC, "data"),
        *FILTER_INPUTS,
        prevent_initial_call=True,
    )
    def refresh_project_list(q, county, area, measure, light, start, reported, behind, mine):
        language = lang()
        filters = view.filters_from(q, county, area, measure, light, start, reported, behind, mine)
        with reading() as session:
            items = list_projects(
                session,
                as_of=today(),
                thresholds=thresholds(session),
                filters=filters,
                actor=actor(),
            )
        return (
            view.rows(items, language),
            view.count_label(len(items), language),
            filters.to_query(),
        )

    @app.callback(
        Output(Ids.SEARCH, "value"),
        Output(Ids.COUNTY, "value"),
        Output(Ids.AREA, "value"),
        Output(Ids.MEASURE, "value"),
        Output(Ids.LIGHT, "value"),
        Output(Ids.START, "value"),
        Output(Ids.REPORTED, "value"),
        Output(Ids.BEHIND, "checked"),
        Output(Ids.MINE, "checked"),
        Input(Ids.RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def reset_project_filters(_n):
        return "", None, None, None, "", None, None, False, False

    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="showColumns"),
        Output(Ids.GRID, "columnDefs"),
        Input(Ids.COLUMNS, "value"),
        State(Ids.GRID, "columnDefs"),
    )

    @app.callback(
        Output(Ids.DOWNLOAD_FILE, "data"),
        Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True),
        Input(Ids.DOWNLOAD, "n_clicks"),
        State(Ids.GRID, "virtualRowData"),
        State(Ids.GRID, "columnState"),
        State(Ids.COLUMNS, "value"),
        prevent_initial_call=True,
    )
    def download_project_view(n_clicks, shown_rows, column_state, chosen):
        if not n_clicks:
            return no_update, no_update
        language = lang()
        rows = shown_rows if isinstance(shown_rows, list) else []
        ids = [r.get("id") for r in rows if isinstance(r, dict)]
        day = today()
        try:
            with reading() as session:
                items = export_items(
                    session,
                    actor=actor(),
                    as_of=day,
                    thresholds=thresholds(session),
                    project_ids=ids,
                )
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        data = view.export_workbook(
            items, view.export_columns(column_state, chosen), language, as_of=day
        )
        return dcc.send_bytes(data, view.export_filename(day, language)), no_update

    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="replaceQuery"),
        Output(Ids.URL_SYNC, "id"),
        Input(Ids.URL_SYNC, "data"),
        prevent_initial_call=True,
    )


dash.register_page(
    __name__, path="/projects", title=lambda: t("nav.projects", lang()), order=1, layout=layout
)
