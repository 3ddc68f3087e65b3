"""调度通报 page (/bulletin): wiring only. The bulletin service reads the frozen snapshot of a
closed month or computes a running one; the compile runs beside the request."""

from __future__ import annotations

import time
from datetime import date

import dash
import dash_mantine_components as dmc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.domain.bulletin import bulletin_filename
from tracker.excel.bulletin import bulletin_workbook
from tracker.i18n import t
from tracker.services import compile_jobs, cycle
from tracker.services.bulletin import (
    annual_assessment,
    build_bulletin,
    bulletin_months,
    bulletin_revisions,
)
from tracker.services.cycle import get_period
from tracker.services.errors import InvalidInput, ServiceError
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, reading, today, writing
from tracker.web.context import ctx as web
from tracker.web.shell import ShellIds
from tracker.web.views import bulletin as view
from tracker.web.views.bulletin import BulletinIds as Ids

NOTIFY = Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True)


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _month(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]).replace(day=1)
    except (TypeError, ValueError):
        return None


def _bulletin(month: date):
    with reading() as session:
        return build_bulletin(
            session, actor=actor(), period=month, today=today(), settings=web().settings
        )


def _render(month: date | None, language: str):
    """The body and whether the office may compile the month."""
    if month is None:
        return dmc.Alert(t("bulletin.no_months", language), color="gray", variant="light"), False
    try:
        bulletin = _bulletin(month)
        with reading() as session:
            assessment = annual_assessment(
                session, actor=actor(), year=month.year, settings=web().settings
            )
    except ServiceError as exc:
        return ui.denied(str(exc)), False
    body = html.Div([view.body(bulletin, language), view.assessment_section(assessment, language)])
    return body, not bulletin.final


def _period(month: date | None, language: str):
    """The month's calendar, the office's forms over it and its revisions."""
    if month is None:
        return view.period_panel(None, [], language, office=False, today=today())
    with reading() as session:
        row = get_period(session, month)
        revisions = bulletin_revisions(session, period=month)
    return view.period_panel(
        row, revisions, language, office=can(actor(), "cycle.run"), today=today()
    )


def layout(month=None, **_query):
    language = lang()
    who = actor()
    if not can(who, "bulletin.view"):
        return html.Div(ui.denied(t("bulletin.denied", language)), className="page")
    with reading() as session:
        months = bulletin_months(session)
        current = cycle.period_now(session, today=today(), settings=web().settings).period
    chosen = _month(month) or view.default_month(months, current)  # #19: the current period
    content, compilable = _render(chosen, language)
    office = can(who, "cycle.run")
    right = dmc.Group(
        [
            dmc.Select(
                id=Ids.MONTH,
                data=view.month_options(months, language),
                value=chosen.isoformat() if chosen else None,
                label=t("bulletin.month", language),
                allowDeselect=False,
                w=180,
            ),
            dmc.Button(t("bulletin.download", language), id=Ids.DOWNLOAD, variant="light", mt=24),
            html.Div(
                view.compile_controls(language, visible=office),
                id=Ids.COMPILE_BOX,
                style={"marginTop": 24, "display": "block" if office and compilable else "none"},
            ),
        ],
        align="flex-start",
        gap="sm",
    )
    return html.Div(
        [
            ui.page_title(t("nav.bulletin", language), t("bulletin.subtitle", language), right),
            html.Div(id=Ids.COMPILE_STATE, className="bl-compile-state") if office else None,
            html.Div(_period(chosen, language), id=Ids.PERIOD_BOX),
            dcc.Loading(html.Div(content, id=Ids.BODY), type="dot", delay_show=400),
            dcc.Download(id=Ids.DOWNLOAD_FILE),
            dcc.Download(id=Ids.REVISION_FILE),
            dcc.Store(id=Ids.REFRESH),
        ],
        className="page page-bulletin",
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.BODY, "children"),
        Output(Ids.COMPILE_BOX, "style"),
        Output(Ids.PERIOD_BOX, "children"),
        Input(Ids.MONTH, "value"),
        Input(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def show_bulletin(month, _refresh):
        language = lang()
        chosen = _month(month)
        content, compilable = _render(chosen, language)
        office = can(actor(), "cycle.run")
        show = office and compilable
        style = {"marginTop": 24, "display": "block" if show else "none"}
        return content, style, _period(chosen, language)

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.MOVE_SAVE, "n_clicks"),
        State(Ids.MONTH, "value"),
        State(Ids.MOVE_OPENS, "value"),
        State(Ids.MOVE_DUE, "value"),
        State(Ids.MOVE_CLOSES, "value"),
        State(Ids.MOVE_REASON, "value"),
        State(Ids.PERIOD_VERSION, "data"),
        prevent_initial_call=True,
    )
    def move_period_dates(n_clicks, month, opens, due, closes, reason, seen):
        if not n_clicks:
            return no_update, no_update
        chosen = _month(month)
        days = [_day(v) for v in (opens, due, closes)]
        try:
            if chosen is None or None in days:
                raise InvalidInput(t("bl.move_title", lang()) + "：请填写三个日期")
            with writing() as session:
                row = cycle.move_dates(
                    session,
                    actor=actor(),
                    period=chosen,
                    opens_on=days[0],
                    due_on=days[1],
                    closes_on=days[2],
                    reason=str(reason or ""),
                    seen_version=_int(seen),
                    today=today(),
                )
                label = ui.period_name(cycle.period_label(row), lang())
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return int(time.time() * 1000), ui.notice(t("bl.moved", lang(), label=label), ok=True)

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.REOPEN_SAVE, "n_clicks"),
        State(Ids.MONTH, "value"),
        State(Ids.REOPEN_REASON, "value"),
        State(Ids.PERIOD_VERSION, "data"),
        prevent_initial_call=True,
    )
    def reopen_closed_month(n_clicks, month, reason, seen):
        if not n_clicks:
            return no_update, no_update
        chosen = _month(month)
        try:
            if chosen is None:
                raise InvalidInput(t("bulletin.no_months", lang()))
            with writing() as session:
                row = cycle.reopen(
                    session,
                    actor=actor(),
                    period=chosen,
                    reason=str(reason or ""),
                    seen_version=_int(seen),
                )
                label = ui.period_name(cycle.period_label(row), lang())
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return int(time.time() * 1000), ui.notice(t("bl.reopened", lang(), label=label), ok=True)

    @app.callback(
        Output(Ids.REVISION_FILE, "data"),
        NOTIFY,
        Input({"type": Ids.REVISION, "index": ALL}, "n_clicks"),
        State(Ids.MONTH, "value"),
        prevent_initial_call=True,
    )
    def download_revision(clicks, month):
        trigger = ctx.triggered_id
        if not any(clicks or []) or not isinstance(trigger, dict):
            return no_update, no_update
        chosen = _month(month)
        revision = trigger.get("index")
        if chosen is None or not isinstance(revision, int) or isinstance(revision, bool):
            return no_update, no_update
        try:
            with reading() as session:
                bulletin = build_bulletin(
                    session,
                    actor=actor(),
                    period=chosen,
                    today=today(),
                    settings=web().settings,
                    revision=revision,
                )
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        name = bulletin_filename(chosen, bulletin.revision)
        return dcc.send_bytes(bulletin_workbook(bulletin), name), no_update

    @app.callback(
        Output(Ids.DOWNLOAD_FILE, "data"),
        NOTIFY,
        Input(Ids.DOWNLOAD, "n_clicks"),
        State(Ids.MONTH, "value"),
        prevent_initial_call=True,
    )
    def download_bulletin(n_clicks, month):
        if not n_clicks:
            return no_update, no_update
        chosen = _month(month)
        if chosen is None:
            return no_update, ui.notice(t("bulletin.no_months", lang()), ok=False)
        try:
            bulletin = _bulletin(chosen)
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        name = bulletin_filename(chosen, bulletin.revision if bulletin.final else 1)
        return dcc.send_bytes(bulletin_workbook(bulletin), name), no_update

    @app.callback(
        Output(Ids.COMPILE_MODAL, "opened"),
        Output(Ids.COMPILE_WHAT, "children"),
        Input(Ids.COMPILE, "n_clicks"),
        State(Ids.MONTH, "value"),
        prevent_initial_call=True,
    )
    def open_compile_dialog(n_clicks, month):
        chosen = _month(month)
        if not n_clicks or chosen is None:
            return no_update, no_update
        return True, view.compile_warning(chosen, lang())

    @app.callback(
        Output(Ids.COMPILE_MODAL, "opened", allow_duplicate=True),
        Output(Ids.JOB, "data"),
        Output(Ids.TIMER, "disabled"),
        Output(Ids.COMPILE_STATE, "children"),
        NOTIFY,
        Input(Ids.COMPILE_CONFIRM, "n_clicks"),
        State(Ids.MONTH, "value"),
        prevent_initial_call=True,
    )
    def compile_bulletin_now(n_clicks, month):
        if not n_clicks:
            return (no_update,) * 5
        chosen = _month(month)
        context = web()
        started = time.time()
        try:
            if chosen is None:
                raise ServiceError(t("bulletin.no_months", lang()))
            compile_jobs.start_compile(
                context.engine,
                actor=actor(),
                period=chosen,
                today=today(),
                settings=context.settings,
                run=context.run_job,
            )
        except ServiceError as exc:
            return False, no_update, True, no_update, ui.notice(str(exc), ok=False)
        job = {"period": chosen.isoformat(), "started": started}
        running = view.compile_state(
            compile_jobs.CompileState(chosen, "running"), lang(), started=started, now=started
        )
        return False, job, False, running, no_update

    @app.callback(
        Output(Ids.COMPILE_STATE, "children", allow_duplicate=True),
        Output(Ids.TIMER, "disabled", allow_duplicate=True),
        Output(Ids.REFRESH, "data"),
        Input(Ids.TIMER, "n_intervals"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )
    def compile_progress(_n, job):
        chosen = _month(job.get("period")) if isinstance(job, dict) else None
        if chosen is None:
            return no_update, True, no_update
        started = view.started_at(job)
        try:
            with reading() as session:
                state = compile_jobs.compile_state(session, actor=actor(), period=chosen)
        except ServiceError as exc:
            return ui.denied(str(exc)), True, no_update
        if not view.fresh_since(state, started):
            state = compile_jobs.CompileState(chosen, "running")
        shown = view.compile_state(state, lang(), started=started, now=time.time())
        if view.finished(state):
            return shown, True, int(time.time() * 1000)
        return shown, False, no_update


dash.register_page(
    __name__, path="/bulletin", title=lambda: t("nav.bulletin", lang()), order=4, layout=layout
)
