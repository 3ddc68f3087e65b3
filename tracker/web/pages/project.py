"""Project page (/projects/<id>): wiring only."""

from __future__ import annotations

import time

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.i18n import t
from tracker.services import ledger, milestones
from tracker.services.errors import ConflictError, NotFound, PermissionDenied, ServiceError
from tracker.services.projects import project_detail
from tracker.web import ui
from tracker.web.context import actor, lang, reading, thresholds, today, writing
from tracker.web.payload import as_dict
from tracker.web.shell import ShellIds
from tracker.web.views import project as view
from tracker.web.views.project import ProjectIds as Ids

FORM_FIELDS = [
    Ids.FORM_INFO,
    Ids.FORM,
    Ids.DONE_DATE,
    Ids.NEW_DATE,
    Ids.REASON,
    Ids.NOTE,
    Ids.APPROVAL_HINT,
    Ids.FORM_TABS,
]
FORM_PROPS = view.FORM_PROPS


def layout(project_id=None, edit=None, **_query):
    language = lang()
    day = today()
    who = actor()
    try:
        with reading() as session:
            detail = project_detail(
                session, actor=who, project_id=project_id, as_of=day, thresholds=thresholds(session)
            )
            items = ledger.ledger(session, actor=who, today=day, project_id=detail.project.id)
    except (NotFound, PermissionDenied) as exc:
        return view.not_found(str(exc), language)
    values, notice = None, None
    if edit is not None:  # a link such as /projects/5?edit=12 opens the form at once
        try:
            with reading() as session:
                form = milestones.edit_form(session, actor=who, milestone_id=edit)
            if form.project_id != detail.project.id:
                raise NotFound(t("form.wrong_project", language))
            values = view.form_values(form, language, today=day)
        except ServiceError as exc:
            notice = ui.denied(str(exc))
    modal = view.edit_modal(language, today=day, values=values)
    return html.Div(
        [
            notice,
            html.Div(view.body(detail, language, today=day, open_items=items), id=Ids.BODY),
            modal,
            dcc.Store(id=Ids.PROJECT, data=detail.project.id),
            dcc.Store(id=Ids.REFRESH),
        ],
        className="page page-project",
    )


def _saved(message: str):
    return int(time.time() * 1000), False, "", ui.notice(message, ok=True)


def _refused(exc: ServiceError):
    # A stale save keeps the form open with the reason; the page is refreshed behind it.
    refresh = int(time.time() * 1000) if isinstance(exc, ConflictError) else no_update
    return refresh, no_update, str(exc), ui.notice(str(exc), ok=False)


SAVE_OUTPUTS = [
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Output(Ids.MODAL, "opened", allow_duplicate=True),
    Output(Ids.FORM_ERROR, "children", allow_duplicate=True),
    Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True),
]


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.MODAL, "opened"),
        *[Output(key, FORM_PROPS[key]) for key in FORM_FIELDS],
        Output(Ids.FORM_ERROR, "children"),
        Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True),
        Input({"type": Ids.EDIT, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_milestone_form(_clicks):
        nothing = (no_update,) * (len(FORM_FIELDS) + 3)
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return nothing
        trigger = ctx.triggered_id
        language = lang()
        try:
            with reading() as session:
                form = milestones.edit_form(session, actor=actor(), milestone_id=trigger["index"])
        except ServiceError as exc:
            return (False,) + (no_update,) * len(FORM_FIELDS) + ("", ui.notice(str(exc), ok=False))
        values = view.form_values(form, language, today=today())
        return (True, *[values[key] for key in FORM_FIELDS], "", no_update)

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.DONE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.DONE_DATE, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_done(n_clicks, form, actual_date):
        if not n_clicks:
            return (no_update,) * 4
        form = as_dict(form)
        try:
            with writing() as session:
                result = milestones.mark_done(
                    session,
                    actor=actor(),
                    milestone_id=form.get("milestone_id"),
                    actual_date=actual_date,
                    seen_version=form.get("version"),
                    today=today(),
                )
        except ServiceError as exc:
            return _refused(exc)
        key = "form.saved_started" if result.started_project else "form.saved_done"
        return _saved(t(key, lang()))

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.RESCHEDULE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.NEW_DATE, "value"),
        State(Ids.REASON, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_reschedule(n_clicks, form, new_date, reason):
        if not n_clicks:
            return (no_update,) * 4
        form = as_dict(form)
        try:
            with writing() as session:
                result = milestones.reschedule(
                    session,
                    actor=actor(),
                    milestone_id=form.get("milestone_id"),
                    new_date=new_date,
                    reason=reason,
                    seen_version=form.get("version"),
                    today=today(),
                )
        except ServiceError as exc:
            return _refused(exc)
        return _saved(
            t("form.saved_pending" if result.pending else "form.saved_reschedule", lang())
        )

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.NOTE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.NOTE, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_note(n_clicks, form, note):
        if not n_clicks:
            return (no_update,) * 4
        form = as_dict(form)
        try:
            with writing() as session:
                milestones.add_note(
                    session,
                    actor=actor(),
                    milestone_id=form.get("milestone_id"),
                    note=note,
                    seen_version=form.get("version"),
                    today=today(),
                )
        except ServiceError as exc:
            return _refused(exc)
        return _saved(t("form.saved_note", lang()))

    @app.callback(
        Output(Ids.BODY, "children"),
        Input(Ids.REFRESH, "data"),
        State(Ids.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def refresh_project_page(_refresh, project_id):
        language = lang()
        day = today()
        try:
            with reading() as session:
                detail = project_detail(
                    session,
                    actor=actor(),
                    project_id=project_id,
                    as_of=day,
                    thresholds=thresholds(session),
                )
                items = ledger.ledger(
                    session, actor=actor(), today=day, project_id=detail.project.id
                )
        except ServiceError as exc:
            return ui.denied(str(exc))
        return view.body(detail, language, today=day, open_items=items)


dash.register_page(
    __name__,
    path_template="/projects/<project_id>",
    title=lambda project_id=None: t("project.title", lang()),
    layout=layout,
)
