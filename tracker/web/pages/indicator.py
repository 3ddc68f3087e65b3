"""An indicator's page (/indicators/<id>, #16): wiring only."""

from __future__ import annotations

import time

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.i18n import t
from tracker.services import indicators
from tracker.services.indicators import AttachmentIn, IndicatorDetail
from tracker.web import notices
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt, refusal_text
from tracker.web.ui import denied
from tracker.web.views import indicator as view
from tracker.web.views.indicator import IndicatorIds as Ids
from tracker.web.views.reports.form import upload_bytes

NOTIFY = notices.output("indicator")


def _detail(indicator_id) -> IndicatorDetail:
    return read(
        indicators.indicator_detail, actor=actor(), indicator_id=indicator_id, as_of=today()
    )


def layout(indicator_id=None, **_query):
    language = lang()
    loaded = attempt(lambda: _detail(indicator_id))
    if not loaded:
        return view.not_found(refusal_text(loaded.error), language)
    return html.Div(
        [
            html.Div(view.body(loaded.value, language), id=Ids.BODY),
            dcc.Store(id=Ids.INDICATOR, data=loaded.value.row.id),
            dcc.Store(id=Ids.REFRESH),
            dcc.Download(id=Ids.EVIDENCE_FILE),
            notices.store("indicator"),
        ],
        className="page page-indicator",
    )


def _stamp() -> int:
    return int(time.time() * 1000)


def _attachment(contents, filename) -> AttachmentIn | None:
    if not isinstance(filename, str) or not filename:
        return None
    return AttachmentIn(filename=filename, data=upload_bytes(contents))


def _enter(indicator_id, period, value, source, note, reason, stored, attachment):
    """Save and submit the form's value: a new or returned one, or a revision (with its
    reason) of an accepted one."""
    value_id, version, accepted = view.entry_target(stored, period)
    common = {"actor": actor(), "today": today(), "attachment": attachment}
    if accepted:
        return write(
            indicators.revise_value,
            value_id=value_id,
            seen_version=version,
            value=value,
            reason=reason,
            source=source,
            note=note,
            **common,
        )
    return write(
        indicators.save_value,
        indicator_id=indicator_id,
        period=period,
        value=value,
        source=source,
        note=note,
        seen_version=version,
        submit=True,
        **common,
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.BODY, "children"),
        Input(Ids.REFRESH, "data"),
        State(Ids.INDICATOR, "data"),
        prevent_initial_call=True,
    )
    def refresh_indicator_page(_refresh, indicator_id):
        loaded = attempt(lambda: _detail(indicator_id))
        if not loaded:
            return denied(refusal_text(loaded.error))
        return view.body(loaded.value, lang())

    @app.callback(
        Output(Ids.VALUE, "value"),
        Output(Ids.SOURCE, "value"),
        Output(Ids.NOTE, "value"),
        Input(Ids.PERIOD, "value"),
        State(Ids.STORED, "data"),
        prevent_initial_call=True,
    )
    def fill_indicator_entry(period, stored):
        return view.entry_fill(stored, period)

    @app.callback(
        Output(Ids.EVIDENCE_FILE, "data"),
        NOTIFY,
        Input({"type": Ids.EVIDENCE_GET, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download_indicator_evidence(_clicks):
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0].get("value") or not isinstance(trigger, dict):
            return no_update, no_update
        done = attempt(
            lambda: read(indicators.attachment_file, actor=actor(), value_id=trigger.get("index"))
        )
        if not done:
            return no_update, done.notice
        return dcc.send_bytes(done.value.data, done.value.filename), no_update

    @app.callback(
        Output(Ids.EVIDENCE_NAME, "children"),
        Input(Ids.EVIDENCE, "filename"),
        prevent_initial_call=True,
    )
    def show_evidence_name(filename):
        return filename if isinstance(filename, str) else ""

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.ENTRY_ERROR, "children"),
        NOTIFY,
        Input(Ids.SUBMIT, "n_clicks"),
        State(Ids.INDICATOR, "data"),
        State(Ids.PERIOD, "value"),
        State(Ids.VALUE, "value"),
        State(Ids.SOURCE, "value"),
        State(Ids.NOTE, "value"),
        State(Ids.REASON, "value"),
        State(Ids.STORED, "data"),
        State(Ids.EVIDENCE, "contents"),
        State(Ids.EVIDENCE, "filename"),
        prevent_initial_call=True,
    )
    def submit_indicator_value(
        n_clicks, indicator_id, period, value, source, note, reason, stored, contents, filename
    ):
        if not n_clicks:
            return no_update, no_update, no_update
        attachment = _attachment(contents, filename)
        done = attempt(
            lambda: _enter(indicator_id, period, value, source, note, reason, stored, attachment),
            ok=lambda result: t(f"indv.saved.{result.status}", lang()),
        )
        if not done:
            return no_update, refusal_text(done.error), done.notice
        return _stamp(), "", done.notice

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.ACCEPT, "n_clicks"),
        State(Ids.REVIEW_PICK, "value"),
        prevent_initial_call=True,
    )
    def accept_indicator_value(n_clicks, picked):
        if not n_clicks:
            return no_update, no_update
        value_id, version = view.review_target(picked)
        done = attempt(
            lambda: write(
                indicators.accept_value,
                actor=actor(),
                value_id=value_id,
                seen_version=version,
                today=today(),
            ),
            ok=t("indv.accepted_msg", lang()),
        )
        return (_stamp() if done else no_update), done.notice

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.RETURN, "n_clicks"),
        State(Ids.REVIEW_PICK, "value"),
        State(Ids.COMMENT, "value"),
        prevent_initial_call=True,
    )
    def return_indicator_value(n_clicks, picked, comment):
        if not n_clicks:
            return no_update, no_update
        value_id, version = view.review_target(picked)
        done = attempt(
            lambda: write(
                indicators.return_value,
                actor=actor(),
                value_id=value_id,
                seen_version=version,
                reason=comment,
                today=today(),
                settings=web().settings,
            ),
            ok=t("indv.returned_msg", lang()),
        )
        return (_stamp() if done else no_update), done.notice


dash.register_page(
    __name__,
    path_template="/indicators/<indicator_id>",
    title=lambda indicator_id=None: t("indv.title", lang()),
    layout=layout,
)
