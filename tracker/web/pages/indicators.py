"""指标监测 list page (/indicators, #16): wiring only."""

from __future__ import annotations

import dash
from dash import Input, Output, dcc

from tracker.i18n import t
from tracker.services.indicators import Catalogue, CatalogueFilter, catalogue
from tracker.services.permissions import can, is_scoped
from tracker.web import ui
from tracker.web.context import actor, lang, read, today
from tracker.web.pages import sync_query
from tracker.web.views import indicators as view
from tracker.web.views.indicators import IndicatorsIds as Ids

FILTER_INPUTS = [
    Input(Ids.SEARCH, "value"),
    Input(Ids.SYSTEM, "value"),
    Input(Ids.UNIT, "value"),
    Input(Ids.GOAL, "value"),
    Input(Ids.LIGHT, "value"),
    Input(Ids.MISSING, "checked"),
    Input(Ids.PENDING, "checked"),
]


def _page(filters: CatalogueFilter) -> Catalogue:
    return read(catalogue, actor=actor(), as_of=today(), filters=filters)


def layout(**query):
    language = lang()
    who = actor()
    if not query and is_scoped(who, "indicator.enter") and who.lead_unit:
        query = {"unit": who.lead_unit}  # a unit lands on its own indicators; Reset widens
    filters = view.filters_from_query(query)
    pending = view.pending_from(query.get("pending"))
    page = _page(filters)
    rows = view.shown(page.rows, pending)
    reviewer = can(who, "indicator.review")
    return view.page(
        [
            ui.page_title(t("nav.indicators", language), t("indv.subtitle", language)),
            view.filter_bar(page, filters, language, pending=pending, reviewer=reviewer),
            view.toolbar(len(rows), language),
            view.grid(view.rows(rows, language), language),
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
    def refresh_indicator_list(q, system, unit, goal, light, missing, pending):
        language = lang()
        filters = view.filters_from(q, system, unit, goal, light, missing)
        only = view.pending_from(pending)
        rows = view.shown(_page(filters).rows, only)
        query = view.to_query(filters, only)
        return view.rows(rows, language), view.count_label(len(rows), language), query

    @app.callback(
        Output(Ids.SEARCH, "value"),
        Output(Ids.SYSTEM, "value"),
        Output(Ids.UNIT, "value"),
        Output(Ids.GOAL, "value"),
        Output(Ids.LIGHT, "value"),
        Output(Ids.MISSING, "checked"),
        Output(Ids.PENDING, "checked"),
        Input(Ids.RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def reset_indicator_filters(_n):
        return "", None, None, None, "", False, False

    sync_query(app, Ids.URL_SYNC)


dash.register_page(
    __name__,
    path="/indicators",
    title=lambda: t("nav.indicators", lang()),
    layout=layout,
)
