"""调度通报 page (/bulletin): wiring only. One read (``services.bulletin_page``) gives what a
render shows: the frozen snapshot of a closed month or a running one, the year's 考评, the
period and its revisions; the compile runs beside the request."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash import ctx as dash_ctx

from tracker.domain.messages import render
from tracker.i18n import t
from tracker.services import bulletin_text, compile_jobs, cycle
from tracker.services.bulletin_page import BulletinPage, bulletin_page
from tracker.services.permissions import can
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt, refusal_text
from tracker.web.pages import bulletin_text as text_page
from tracker.web.values import day_value, int_value, month_value
from tracker.web.views import bulletin as view
from tracker.web.views import bulletin_text as text_view
from tracker.web.views.bulletin import BulletinIds as Ids
from tracker.web.views.bulletin_text import BulletinTextIds as TextIds

NOTIFY = notices.output("bulletin")


def _page(month: date | None, *, pick: bool = False, assessment: bool = True) -> BulletinPage:
    return read(
        bulletin_page,
        actor=actor(),
        month=month,
        today=today(),
        settings=web().settings,
        pick=pick,
        assessment=assessment,
    )


def _content(page: BulletinPage, language: str) -> Any:
    """The body: the bulletin and the 考评, or why there is none."""
    if page.month is None:
        return dmc.Alert(t("bulletin.no_months", language), color="gray", variant="light")
    if page.bulletin is None:
        return ui.denied(render(page.refusal or "", language))
    return view.body(page.bulletin, language, text=text_view.box(page, language))


def _assessment(page: BulletinPage, language: str) -> Any:
    """The year's 考评 below the month (its own box: months of one year share it)."""
    if page.bulletin is None or page.assessment is None:
        return None
    return view.assessment_section(page.assessment, language)


def _year(page: BulletinPage) -> int | None:
    return page.assessment.year if page.bulletin is not None and page.assessment else None


def _not_found(asked: Any, page: BulletinPage, language: str) -> Any:
    """?month= naming no month with a bulletin: say so above the month opened instead."""
    if asked is None or (page.not_found is None and month_value(asked) is not None):
        return None
    return dmc.Alert(
        t("bulletin.month_not_found", language, month=str(asked)[:20]),
        color="yellow",
        variant="light",
        mb="sm",
        id=Ids.MONTH_NOTICE,
        className="page-alert",  # the page's own notice, where every page shows one
    )


def _compile_style(page: BulletinPage) -> dict[str, Any]:
    return {"marginTop": 24, "display": "block" if page.compilable else "none"}


def _period(page: BulletinPage, language: str) -> Any:
    """The month's calendar, the office's forms over it and its revisions."""
    return view.period_panel(
        page.period, page.revisions, language, office=page.office, today=today()
    )


def layout(month=None, **_query):
    language = lang()
    if not can(actor(), "bulletin.view"):
        return html.Div(ui.denied(t("bulletin.denied", language)), className="page")
    # #14: ?month= opens that month; none, or one without a bulletin, the opening month
    page = _page(month_value(month), pick=True)
    right = dmc.Group(
        [
            dmc.Select(
                id=Ids.MONTH,
                data=view.month_options(page.months, language),
                value=page.month.isoformat() if page.month else None,
                label=t("bulletin.month", language),
                allowDeselect=False,
                w=180,
            ),
            # #14: the month's 公文 (Word, PDF) and tables (Excel); the spans of its year
            text_view.download_controls(language, month=page.month, xlsx_id=Ids.DOWNLOAD),
            html.Div(
                view.compile_controls(language, visible=page.office),
                id=Ids.COMPILE_BOX,
                style=_compile_style(page),
            ),
        ],
        align="flex-start",
        gap="sm",
    )
    return html.Div(
        [
            ui.page_title(t("nav.bulletin", language), t("bulletin.subtitle", language), right),
            html.Div(id=Ids.COMPILE_STATE, className="bl-compile-state") if page.office else None,
            _not_found(month, page, language),
            html.Div(_period(page, language), id=Ids.PERIOD_BOX),
            dcc.Loading(
                html.Div(
                    [
                        html.Div(_content(page, language), id=Ids.BODY),
                        html.Div(_assessment(page, language), id=Ids.ASSESSMENT_BOX),
                    ]
                ),
                type="dot",
                delay_show=400,
            ),
            dcc.Store(id=Ids.YEAR, data=_year(page)),
            dcc.Store(id=Ids.URL_SYNC),
            dcc.Download(id=Ids.DOWNLOAD_FILE),
            dcc.Download(id=Ids.REVISION_FILE),
            dcc.Store(id=Ids.REFRESH),
            notices.store("bulletin"),
        ],
        className="page page-bulletin",
    )


def _stamp() -> int:
    return int(time.time() * 1000)


# --- the callbacks ------------------------------------------------------------------------


def show_bulletin(month, _refresh, year_shown):
    """The month picked: its bulletin and period; the year's 考评 only when the year changed
    or a compile finished (the rest of a year's months share it: not sent, not redrawn).
    The address follows the month (?month=YYYY-MM), so it can be shared."""
    language, chosen = lang(), month_value(month)
    fresh = (
        dash_ctx.triggered_id == Ids.REFRESH
        or chosen is None
        or chosen.year != int_value(year_shown)
    )
    page = _page(chosen, assessment=fresh)
    annual: Any = no_update
    year: Any = no_update
    if fresh or page.bulletin is None:
        annual, year = _assessment(page, language), _year(page)
    query = f"month={chosen:%Y-%m}" if chosen is not None else no_update
    return (
        _content(page, language),
        _compile_style(page),
        _period(page, language),
        annual,
        year,
        query,
    )


def _period_write(use_case, ok_key: str, **params):
    """The office's write on the month's period (move its dates, reopen it): the page
    refreshes when it is done; the notice says what happened or why not."""
    done = attempt(
        lambda: write(use_case, actor=actor(), **params),
        ok=lambda facts: t(ok_key, lang(), label=ui.period_name(facts.label, lang())),
    )
    return (_stamp() if done else no_update), done.notice


def move_period_dates(n_clicks, month, opens, due, closes, reason, seen):
    if not n_clicks:
        return no_update, no_update
    chosen, days = month_value(month), [day_value(v) for v in (opens, due, closes)]
    if chosen is None or None in days:
        return no_update, ui.notice(t("bl.move_days_required", lang()), ok=False)
    return _period_write(
        cycle.move_dates,
        "bl.moved",
        period=chosen,
        opens_on=days[0],
        due_on=days[1],
        closes_on=days[2],
        reason=str(reason or ""),
        seen_version=int_value(seen),
        today=today(),
    )


def reopen_closed_month(n_clicks, month, reason, seen):
    if not n_clicks:
        return no_update, no_update
    chosen = month_value(month)
    if chosen is None:
        return no_update, ui.notice(t("bulletin.no_months", lang()), ok=False)
    return _period_write(
        cycle.reopen,
        "bl.reopened",
        period=chosen,
        reason=str(reason or ""),
        seen_version=int_value(seen),
    )


def _send(month: date, revision: int | None = None, suffix: str = ".xlsx"):
    """The month's bulletin file for the browser (the 公文 as .docx or .pdf, the tables as
    .xlsx), or the refusal's notice."""
    done = attempt(
        lambda: read(
            bulletin_text.download,
            actor=actor(),
            period=month,
            today=today(),
            settings=web().settings,
            suffix=suffix,
            revision=revision,
        )
    )
    if not done or done.value is None:
        return no_update, done.notice
    return dcc.send_bytes(done.value.content, done.value.name), no_update


def download_revision(clicks, month):
    trigger = dash_ctx.triggered_id
    if not any(clicks or []) or not isinstance(trigger, dict):
        return no_update, no_update
    chosen, revision = month_value(month), int_value(trigger.get("index"))
    if chosen is None or revision < 1:
        return no_update, no_update
    return _send(chosen, revision)


DOWNLOADS = {Ids.DOWNLOAD: ".xlsx", TextIds.DOWNLOAD_DOCX: ".docx", TextIds.DOWNLOAD_PDF: ".pdf"}


def download_bulletin(xlsx, docx, pdf, month):
    suffix = DOWNLOADS.get(str(dash_ctx.triggered_id))
    clicks = {Ids.DOWNLOAD: xlsx, TextIds.DOWNLOAD_DOCX: docx, TextIds.DOWNLOAD_PDF: pdf}
    if suffix is None or not clicks.get(str(dash_ctx.triggered_id)):
        return no_update, no_update
    chosen = month_value(month)
    if chosen is None:
        return no_update, ui.notice(t("bulletin.no_months", lang()), ok=False)
    return _send(chosen, suffix=suffix)


def open_compile_dialog(n_clicks, month):
    chosen = month_value(month)
    if not n_clicks or chosen is None:
        return no_update, no_update
    return True, view.compile_warning(chosen, lang())


def compile_bulletin_now(n_clicks, month):
    if not n_clicks:
        return (no_update,) * 5
    chosen, context, started = month_value(month), web(), time.time()
    if chosen is None:
        return (
            False,
            no_update,
            True,
            no_update,
            ui.notice(t("bulletin.no_months", lang()), ok=False),
        )
    done = attempt(  # a long job: it opens its own sessions and runs beside the request
        lambda: compile_jobs.start_compile(
            context.engine,
            actor=actor(),
            period=chosen,
            today=today(),
            settings=context.settings,
            run=context.run_job,
        )
    )
    if not done:
        return False, no_update, True, no_update, done.notice
    job = {"period": chosen.isoformat(), "started": started}
    running = view.compile_state(
        compile_jobs.CompileState(chosen, "running"), lang(), started=started, now=started
    )
    return False, job, False, running, no_update


def compile_progress(_n, job):
    chosen = month_value(job.get("period")) if isinstance(job, dict) else None
    if chosen is None:
        return no_update, True, no_update
    started = view.started_at(job)
    done = attempt(lambda: read(compile_jobs.compile_state, actor=actor(), period=chosen))
    if not done or done.value is None:
        return ui.denied(refusal_text(done.error) if done.error else ""), True, no_update
    state = done.value
    if not view.fresh_since(state, started):
        state = compile_jobs.CompileState(chosen, "running")
    shown = view.compile_state(state, lang(), started=started, now=time.time())
    if view.finished(state):
        return shown, True, _stamp()
    return shown, False, no_update


def _period_form(button: str, *fields: State) -> list[Any]:
    """A form on the month's period: its button, the month, its fields and the period's
    version (a move or reopen made meanwhile by someone else is refused, not overwritten)."""
    return [
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(button, "n_clicks"),
        State(Ids.MONTH, "value"),
        *fields,
        State(Ids.PERIOD_VERSION, "data"),
    ]


CALLBACKS = (
    (
        show_bulletin,
        [
            Output(Ids.BODY, "children"),
            Output(Ids.COMPILE_BOX, "style"),
            Output(Ids.PERIOD_BOX, "children"),
            Output(Ids.ASSESSMENT_BOX, "children"),
            Output(Ids.YEAR, "data"),
            Output(Ids.URL_SYNC, "data"),
            Input(Ids.MONTH, "value"),
            Input(Ids.REFRESH, "data"),
            State(Ids.YEAR, "data"),
        ],
    ),
    (
        move_period_dates,
        _period_form(
            Ids.MOVE_SAVE,
            *(State(i, "value") for i in (Ids.MOVE_OPENS, Ids.MOVE_DUE, Ids.MOVE_CLOSES)),
            State(Ids.MOVE_REASON, "value"),
        ),
    ),
    (reopen_closed_month, _period_form(Ids.REOPEN_SAVE, State(Ids.REOPEN_REASON, "value"))),
    (
        download_revision,
        [
            Output(Ids.REVISION_FILE, "data"),
            NOTIFY,
            Input({"type": Ids.REVISION, "index": ALL}, "n_clicks"),
            State(Ids.MONTH, "value"),
        ],
    ),
    (
        download_bulletin,
        [
            Output(Ids.DOWNLOAD_FILE, "data"),
            NOTIFY,
            Input(Ids.DOWNLOAD, "n_clicks"),
            Input(TextIds.DOWNLOAD_DOCX, "n_clicks"),
            Input(TextIds.DOWNLOAD_PDF, "n_clicks"),
            State(Ids.MONTH, "value"),
        ],
    ),
    (
        open_compile_dialog,
        [
            Output(Ids.COMPILE_MODAL, "opened"),
            Output(Ids.COMPILE_WHAT, "children"),
            Input(Ids.COMPILE, "n_clicks"),
            State(Ids.MONTH, "value"),
        ],
    ),
    (
        compile_bulletin_now,
        [
            Output(Ids.COMPILE_MODAL, "opened", allow_duplicate=True),
            Output(Ids.JOB, "data"),
            Output(Ids.TIMER, "disabled"),
            Output(Ids.COMPILE_STATE, "children"),
            NOTIFY,
            Input(Ids.COMPILE_CONFIRM, "n_clicks"),
            State(Ids.MONTH, "value"),
        ],
    ),
    (
        compile_progress,
        [
            Output(Ids.COMPILE_STATE, "children", allow_duplicate=True),
            Output(Ids.TIMER, "disabled", allow_duplicate=True),
            Output(Ids.REFRESH, "data"),
            Input(Ids.TIMER, "n_intervals"),
            State(Ids.JOB, "data"),
        ],
    ),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)
    text_page.register_callbacks(app)
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="replaceQuery"),
        Output(Ids.URL_SYNC, "id"),
        Input(Ids.URL_SYNC, "data"),
        prevent_initial_call=True,
    )


dash.register_page(
    __name__, path="/bulletin", title=lambda: t("nav.bulletin", lang()), order=4, layout=layout
)
