"""调度通报 page (/bulletin): wiring only. The bulletin service reads the frozen snapshot of a
closed month or computes a running one; the compile runs beside the request."""

from __future__ import annotations

import time
from datetime import date

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, dcc, html, no_update

from tracker.domain.bulletin import bulletin_filename
from tracker.excel.bulletin import bulletin_workbook
from tracker.i18n import t
from tracker.services import compile_jobs
from tracker.services.bulletin import build_bulletin, bulletin_months
from tracker.services.errors import ServiceError
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, reading, today
from tracker.web.context import ctx as web
from tracker.web.shell import ShellIds
from tracker.web.views import bulletin as view
from tracker.web.views.bulletin import BulletinIds as Ids

NOTIFY = Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True)


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
    except ServiceError as exc:
        return ui.denied(str(exc)), False
    return view.body(bulletin, language), not bulletin.final


def layout(month=None, **_query):
    language = lang()
    who = actor()
    if not can(who, "bulletin.view"):
        return html.Div(ui.denied(t("bulletin.denied", language)), className="page")
    with reading() as session:
        months = bulletin_months(session)
    chosen = _month(month) or view.default_month(months, today())
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
            dcc.Loading(html.Div(content, id=Ids.BODY), type="dot", delay_show=400),
            dcc.Download(id=Ids.DOWNLOAD_FILE),
            dcc.Store(id=Ids.REFRESH),
        ],
        className="page page-bulletin",
    )


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.BODY, "children"),
        Output(Ids.COMPILE_BOX, "style"),
        Input(Ids.MONTH, "value"),
        Input(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def show_bulletin(month, _refresh):
        language = lang()
        content, compilable = _render(_month(month), language)
        office = can(actor(), "cycle.run")
        show = office and compilable
        return content, {"marginTop": 24, "display": "block" if show else "none"}

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
        return dcc.send_bytes(bulletin_workbook(bulletin), bulletin_filename(chosen)), no_update

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
