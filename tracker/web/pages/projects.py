"""项目 list page: wiring only."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, no_update

from tracker.i18n import t
from tracker.services.permissions import can, scope_field
from tracker.services.projects import ProjectFilter, ProjectsPage, export_view, projects_page
from tracker.web import notices, ui
from tracker.web.context import actor, ctx, lang, read, today
from tracker.web.outcome import attempt
from tracker.web.pages import sync_query
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


def _page(filters: ProjectFilter) -> ProjectsPage:
    return read(
        projects_page, as_of=today(), filters=filters, actor=actor(), settings=ctx().settings
    )


def layout(**query):
    language = lang()
    filters = ProjectFilter.from_query(query)
    who = actor()
    day = today()
    page = _page(filters)
    return view.page(
        [
            ui.page_title(t("nav.projects", language), t("projects.subtitle", language)),
            None if page.has_list else no_list_notice(language, office=can(who, "plan.import")),
            view.filter_bar(
                page.options,
                filters,
                language,
                year=day.year,
                scoped=scope_field(who) is not None,
            ),
            view.toolbar(len(page.items), None, language),
            view.grid(page.items, None, language),
            dcc.Store(id=Ids.URL_SYNC),
            notices.store("projects"),
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
        items = _page(filters).items
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
        notices.output("projects"),
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
        done = attempt(
            lambda: read(
                export_view, actor=actor(), as_of=day, project_ids=ids, settings=ctx().settings
            )
        )
        if not done:
            return no_update, done.notice
        data = view.export_workbook(
            done.value, view.export_columns(column_state, chosen), language, as_of=day
        )
        return dcc.send_bytes(data, view.export_filename(day, language)), no_update

    sync_query(app, Ids.URL_SYNC)


dash.register_page(
    __name__, path="/projects", title=lambda: t("nav.projects", lang()), order=1, layout=layout
)
