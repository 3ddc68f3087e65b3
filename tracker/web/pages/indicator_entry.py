"""指标填报 (/indicator-entry, #16): wiring only. The grid's save and the Excel form's
download and upload are use cases of ``services.indicators`` / ``services.indicator_cycle``,
which check the actor's scope themselves; a refused form writes nothing."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from tracker.i18n import t
from tracker.services import indicator_cycle, indicators
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt, refusal_text
from tracker.web.values import text_value
from tracker.web.views import indicator_entry as view
from tracker.web.views.indicator_entry import EntryIds as Ids
from tracker.web.views.reports.form import upload_bytes

PAGE = "indicator-entry"
NOTIFY = notices.output(PAGE)


def _rows(language: str) -> list:
    return view.rows(read(indicators.entry_rows, actor=actor(), as_of=today()), language)


def _max_mb() -> int:
    return int(web().settings.MAX_UPLOAD_MB)


def layout(**_query):
    language = lang()
    loaded = attempt(lambda: _rows(language))
    if not loaded:  # a county lead or a leader: no values to enter
        return html.Div(ui.denied(refusal_text(loaded.error)), className="page")
    units = read(indicator_cycle.form_units, actor=actor())
    return view.page(
        loaded.value or [],
        language,
        units=units,
        max_mb=_max_mb(),
        extra=[notices.store(PAGE)],
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


def download_indicator_form(n_clicks, lead_unit):
    if not n_clicks:
        return no_update, no_update
    done = attempt(
        lambda: read(
            indicator_cycle.indicator_form_file,
            actor=actor(),
            today=today(),
            lead_unit=text_value(lead_unit),
        )
    )
    if not done:
        return no_update, done.notice
    return dcc.send_bytes(done.value.content, done.value.name), no_update


def upload_indicator_form(contents, filename, as_draft):
    if not contents:
        return (no_update,) * 4
    language = lang()
    submit = not as_draft
    fresh_box = view.upload_box(language, _max_mb())
    done = attempt(  # all or nothing: a refused form raises, and the unit writes nothing
        lambda: write(
            indicator_cycle.upload_indicator_form,
            actor=actor(),
            data=upload_bytes(contents),
            filename=str(filename or ""),
            today=today(),
            settings=web().settings,
            submit=submit,
        )
    )
    result = done.value if done else getattr(done.error, "result", None)
    if result is None:  # the file itself was refused (or the actor enters no values)
        return ui.denied(refusal_text(done.error)), fresh_box, done.notice, no_update
    shown = view.upload_result(result, submit=submit, language=language)
    if not done:
        return shown, fresh_box, no_update, no_update
    message = t("indv.form_done", language, n=result.saved + result.revised)
    return shown, fresh_box, ui.notice(message, ok=True), _rows(language)


CALLBACKS: tuple[tuple[Any, tuple[Any, ...]], ...] = (
    (
        save_indicator_entries,
        (
            Output(Ids.GRID, "rowData", allow_duplicate=True),
            NOTIFY,
            Input(Ids.SAVE, "n_clicks"),
            State(Ids.GRID, "rowData"),
        ),
    ),
    (
        download_indicator_form,
        (
            Output(Ids.FORM_FILE, "data"),
            NOTIFY,
            Input(Ids.FORM_DOWNLOAD, "n_clicks"),
            State(Ids.FORM_UNIT, "value"),
        ),
    ),
    (
        upload_indicator_form,
        (
            Output(Ids.UPLOAD_RESULT, "children"),
            Output(Ids.UPLOAD_BOX, "children"),
            NOTIFY,
            Output(Ids.GRID, "rowData", allow_duplicate=True),
            Input(Ids.UPLOAD, "contents"),
            State(Ids.UPLOAD, "filename"),
            State(Ids.UPLOAD_DRAFT, "checked"),
        ),
    ),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)


dash.register_page(
    __name__,
    path="/indicator-entry",
    title=lambda: t("nav.indicator_entry", lang()),
    layout=layout,
)
