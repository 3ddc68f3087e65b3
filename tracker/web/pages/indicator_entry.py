"""指标填报 (/indicator-entry, #16): wiring only."""

from __future__ import annotations

import dash
from dash import Input, Output, State, no_update

from tracker.i18n import t
from tracker.services import indicators
from tracker.web.context import actor, lang, read, today, write
from tracker.web.outcome import attempt, refusal_text
from tracker.web.shell import ShellIds
from tracker.web.ui import denied
from tracker.web.views import indicator_entry as view
from tracker.web.views.indicator_entry import EntryIds as Ids


def _rows(language: str) -> list:
    return view.rows(read(indicators.entry_rows, actor=actor(), as_of=today()), language)


def layout(**_query):
    language = lang()
    loaded = attempt(lambda: _rows(language))
    if not loaded:
        return denied(refusal_text(loaded.error))
    return view.page(loaded.value or [], language)


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.GRID, "rowData"),
        Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True),
        Input(Ids.SAVE, "n_clicks"),
        State(Ids.GRID, "rowData"),
        prevent_initial_call=True,
    )
    def save_indicator_entries(n_clicks, grid_rows):
        if not n_clicks:
            return no_update, no_update
        language = lang()
        entries = view.entries(grid_rows)
        if not entries:
            return no_update, [
                {"action": "show", "message": t("indv.entry_nothing", language), "color": "gray"}
            ]
        done = attempt(
            lambda: write(
                indicators.save_values, actor=actor(), entries=entries, submit=True, today=today()
            ),
            ok=lambda results: t("indv.entry_saved", language, n=len(results)),
        )
        if not done:
            return no_update, done.notice
        return _rows(language), done.notice


dash.register_page(
    __name__,
    path="/indicator-entry",
    title=lambda: t("nav.indicator_entry", lang()),
    layout=layout,
)
