"""管理 page (the office): wiring only; every change goes through a service that checks
the actor's permission itself."""

from __future__ import annotations

import time

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from tracker.i18n import t
from tracker.models import utcnow
from tracker.services import import_jobs, milestones, policy, sessions, users
from tracker.services.auth import new_password
from tracker.services.errors import ServiceError
from tracker.services.permissions import can
from tracker.services.projects import filter_options
from tracker.web import ui
from tracker.web.context import actor, lang, reading, today, writing
from tracker.web.context import ctx as web
from tracker.web.payload import as_dict, as_id
from tracker.web.shell import ShellIds
from tracker.web.views import admin as view
from tracker.web.views.admin import THRESHOLD_FIELDS
from tracker.web.views.admin import AdminIds as Ids

NOTIFY = Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True)


def _stamp() -> int:
    return int(time.time() * 1000)


def layout(tab=None, **_query):
    language = lang()
    who = actor()
    if not can(who, "user.manage"):
        return html.Div(ui.denied(t("admin.denied", language)), className="page")
    settings = web().settings
    with reading() as session:
        people = users.list_users(session, actor=who)
        current, th_version = policy.get_thresholds(session, settings)
        needs, approval_version = milestones.reschedule_needs_approval(session)
        pending = milestones.pending_reschedules(session, actor=who)
        units = filter_options(session).lead_units
    users_tab = html.Div(
        [
            view.users_grid(people, language),
            view.two_columns(
                [view.selected_panel(language, units), view.add_user_form(language, units)]
            ),
            dcc.Store(id=Ids.USERS_REFRESH),
        ]
    )
    approvals = html.Div(
        [
            view.approval_form(needs, approval_version, language),
            ui.section(
                t("approval.pending", language),
                html.Div(view.pending_table(pending, language), id=Ids.PENDING),
                mt="md",
            ),
            dcc.Store(id=Ids.PENDING_REFRESH),
        ]
    )
    return html.Div(
        [
            ui.page_title(t("nav.admin", language), t("admin.subtitle", language)),
            view.tabs(
                language,
                users_tab,
                view.thresholds_form(current, th_version, language),
                approvals,
                view.list_panel(
                    import_jobs.importer_available(), int(settings.MAX_UPLOAD_MB), language
                ),
                tab=tab,
            ),
        ],
        className="page page-admin",
    )


def _first(rows):
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}


def register_callbacks(app: dash.Dash) -> None:
    # --- users ------------------------------------------------------------------------
    def _sessions_of(row) -> list[sessions.ActiveSession] | None:
        name = row.get("username")
        if not isinstance(name, str) or not name:
            return None
        with reading() as session:
            return sessions.active_sessions(
                session,
                actor=actor(),
                username=name,
                now=utcnow(),
                policy=sessions.SessionPolicy.from_settings(web().settings),
            )

    @app.callback(
        Output(Ids.SELECTED, "children"),
        Output(Ids.SCOPE_ROLE, "value"),
        Output(Ids.SCOPE_COUNTY, "value"),
        Output(Ids.SCOPE_UNIT, "value"),
        Output(Ids.SESSIONS, "children"),
        Input(Ids.USERS_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def show_selected_user(rows):
        row = _first(rows)
        try:
            active = _sessions_of(row)
        except ServiceError as exc:
            raise PreventUpdate from exc
        return (
            view.selected_text(row or None, lang()),
            row.get("role") if isinstance(row.get("role"), str) else None,
            row.get("county") if isinstance(row.get("county"), str) else None,
            row.get("lead_unit") if isinstance(row.get("lead_unit"), str) else "",
            view.session_table(active, lang()),
        )

    @app.callback(
        Output(Ids.USERS_GRID, "rowData"),
        Output(Ids.USERS_GRID, "selectedRows"),
        Output(Ids.SESSIONS, "children", allow_duplicate=True),
        Input(Ids.USERS_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def refresh_users(_stamp_value):
        try:
            with reading() as session:
                people = users.list_users(session, actor=actor())
        except ServiceError as exc:  # a forged call from someone not in the office
            raise PreventUpdate from exc
        return view.user_rows(people, lang()), [], None

    @app.callback(
        Output(Ids.USERS_REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.SIGN_OUT, "n_clicks"),
        State(Ids.USERS_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def sign_out_user_everywhere(n_clicks, rows):
        row = _first(rows)
        if not n_clicks or not row:
            return no_update, ui.notice(
                t("user.select_hint", lang()), ok=False
            ) if n_clicks else no_update
        try:
            with writing() as session:
                ended = sessions.sign_out_everywhere(
                    session,
                    actor=actor(),
                    username=str(row.get("username", "")),
                    now=utcnow(),
                )
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        name = str(row.get("username", ""))
        return _stamp(), ui.notice(t("session.signed_out", lang(), username=name, n=ended), ok=True)

    @app.callback(
        Output(Ids.USERS_REFRESH, "data", allow_duplicate=True),
        Output(Ids.NEW_PASSWORD, "children", allow_duplicate=True),
        NOTIFY,
        Input(Ids.ADD_SAVE, "n_clicks"),
        State(Ids.ADD_USERNAME, "value"),
        State(Ids.ADD_NAME, "value"),
        State(Ids.ADD_ROLE, "value"),
        State(Ids.ADD_COUNTY, "value"),
        State(Ids.ADD_UNIT, "value"),
        State(Ids.ADD_PASSWORD, "value"),
        prevent_initial_call=True,
    )
    def add_user(n_clicks, username, name, role, county, unit, password):
        if not n_clicks:
            return no_update, no_update, no_update
        chosen = password or new_password()
        try:
            with writing() as session:
                user = users.add_user(
                    session,
                    actor=actor(),
                    username=username or "",
                    password=chosen,
                    role=role or "",
                    county=county,
                    lead_unit=unit,
                    display_name=name or "",
                )
                created = user.username
        except ServiceError as exc:
            return no_update, no_update, ui.notice(str(exc), ok=False)
        shown = (
            ""
            if password
            else t("user.initial_password", lang(), username=created, password=chosen)
        )
        return _stamp(), shown, ui.notice(t("user.added", lang(), username=created), ok=True)

    @app.callback(
        Output(Ids.USERS_REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.TOGGLE, "n_clicks"),
        State(Ids.USERS_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def toggle_user_active(n_clicks, rows):
        row = _first(rows)
        if not n_clicks or not row:
            return no_update, ui.notice(
                t("user.select_hint", lang()), ok=False
            ) if n_clicks else no_update
        try:
            with writing() as session:
                user = users.set_active(
                    session,
                    actor=actor(),
                    username=str(row.get("username", "")),
                    active=not bool(row.get("active")),
                    seen_version=row.get("version"),
                )
                key = "user.enabled_msg" if user.active else "user.disabled_msg"
                name = user.username
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return _stamp(), ui.notice(t(key, lang(), username=name), ok=True)

    @app.callback(
        Output(Ids.USERS_REFRESH, "data", allow_duplicate=True),
        Output(Ids.NEW_PASSWORD, "children", allow_duplicate=True),
        NOTIFY,
        Input(Ids.RESET, "n_clicks"),
        State(Ids.USERS_GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def reset_user_password(n_clicks, rows):
        row = _first(rows)
        if not n_clicks or not row:
            return (
                no_update,
                no_update,
                ui.notice(t("user.select_hint", lang()), ok=False) if n_clicks else no_update,
            )
        password = new_password()
        try:
            with writing() as session:
                user = users.set_password(
                    session,
                    actor=actor(),
                    username=str(row.get("username", "")),
                    password=password,
                    seen_version=row.get("version"),
                )
                name = user.username
        except ServiceError as exc:
            return no_update, no_update, ui.notice(str(exc), ok=False)
        shown = t("user.initial_password", lang(), username=name, password=password)
        return _stamp(), shown, ui.notice(t("user.password_reset", lang(), username=name), ok=True)

    @app.callback(
        Output(Ids.USERS_REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.SCOPE_SAVE, "n_clicks"),
        State(Ids.USERS_GRID, "selectedRows"),
        State(Ids.SCOPE_ROLE, "value"),
        State(Ids.SCOPE_COUNTY, "value"),
        State(Ids.SCOPE_UNIT, "value"),
        prevent_initial_call=True,
    )
    def save_user_scope(n_clicks, rows, role, county, unit):
        row = _first(rows)
        if not n_clicks or not row:
            return no_update, ui.notice(
                t("user.select_hint", lang()), ok=False
            ) if n_clicks else no_update
        try:
            with writing() as session:
                user = users.set_scope(
                    session,
                    actor=actor(),
                    username=str(row.get("username", "")),
                    role=role or "",
                    county=county,
                    lead_unit=unit,
                    seen_version=row.get("version"),
                )
                name = user.username
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return _stamp(), ui.notice(t("user.scope_saved", lang(), username=name), ok=True)

    # --- thresholds and approval ----------------------------------------------------------
    @app.callback(
        Output(Ids.TH_VERSION, "data"),
        NOTIFY,
        Input(Ids.TH_SAVE, "n_clicks"),
        *[State(Ids.threshold(name), "value") for name, _, _ in THRESHOLD_FIELDS],
        State(Ids.TH_VERSION, "data"),
        prevent_initial_call=True,
    )
    def save_thresholds(n_clicks, *values):
        if not n_clicks:
            return no_update, no_update
        seen = as_id(values[-1] or 0)
        chosen = {
            name: value for (name, _, _), value in zip(THRESHOLD_FIELDS, values[:-1], strict=True)
        }
        try:
            with writing() as session:
                policy.set_thresholds(
                    session,
                    actor=actor(),
                    values=chosen,
                    seen_version=-1 if seen is None else seen,
                    settings=web().settings,
                )
        except (ServiceError, ValueError) as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return (seen or 0) + 1, ui.notice(t("th.saved", lang()), ok=True)

    @app.callback(
        Output(Ids.APPROVAL_VERSION, "data"),
        NOTIFY,
        Input(Ids.APPROVAL_SAVE, "n_clicks"),
        State(Ids.APPROVAL, "checked"),
        State(Ids.APPROVAL_VERSION, "data"),
        prevent_initial_call=True,
    )
    def save_approval_setting(n_clicks, checked, seen):
        if not n_clicks:
            return no_update, no_update
        version = as_id(seen or 0)
        try:
            with writing() as session:
                milestones.set_reschedule_needs_approval(
                    session,
                    actor=actor(),
                    value=checked is True,
                    seen_version=-1 if version is None else version,
                )
        except (ServiceError, ValueError) as exc:
            return no_update, ui.notice(str(exc), ok=False)
        return (version or 0) + 1, ui.notice(t("approval.saved", lang()), ok=True)

    @app.callback(
        Output(Ids.PENDING, "children"),
        Input(Ids.PENDING_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def refresh_pending(_stamp_value):
        try:
            with reading() as session:
                pending = milestones.pending_reschedules(session, actor=actor())
        except ServiceError as exc:  # a forged call from someone not in the office
            raise PreventUpdate from exc
        return view.pending_table(pending, lang())

    def _decide(service, done_key: str):
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update, no_update
        trigger = ctx.triggered_id or {}
        try:
            with writing() as session:
                service(
                    session,
                    actor=actor(),
                    milestone_id=trigger.get("index"),
                    seen_version=trigger.get("v"),
                    today=today(),
                )
        except ServiceError as exc:
            return _stamp(), ui.notice(str(exc), ok=False)
        return _stamp(), ui.notice(t(done_key, lang()), ok=True)

    @app.callback(
        Output(Ids.PENDING_REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input({"type": Ids.APPROVE, "index": ALL, "v": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def approve_reschedule_request(_clicks):
        return _decide(milestones.approve_reschedule, "approval.approved")

    @app.callback(
        Output(Ids.PENDING_REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input({"type": Ids.REJECT, "index": ALL, "v": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def reject_reschedule_request(_clicks):
        return _decide(milestones.reject_reschedule, "approval.rejected")

    # --- the project list -----------------------------------------------------------------
    @app.callback(
        Output(Ids.JOB, "data", allow_duplicate=True),
        Output(Ids.TIMER, "disabled", allow_duplicate=True),
        Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
        Output(Ids.UPLOAD, "contents"),
        NOTIFY,
        Input(Ids.UPLOAD, "contents"),
        State(Ids.UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def upload_project_list(contents, filename):
        if not contents:
            return (no_update,) * 5
        context = web()
        try:
            data = view.decode_upload(contents)
            job_id = import_jobs.start_dry_run(
                context.engine,
                actor=actor(),
                data=data,
                filename=str(filename or ""),
                max_bytes=context.max_upload_bytes,
                run=context.run_job,
            )
        except ServiceError as exc:
            return no_update, no_update, no_update, None, ui.notice(str(exc), ok=False)
        return {"id": job_id}, False, True, None, no_update

    @app.callback(
        Output(Ids.STATUS, "children"),
        Output(Ids.TIMER, "disabled"),
        Output(Ids.CONFIRM, "disabled"),
        Output(Ids.JOB, "data"),
        Input(Ids.TIMER, "n_intervals"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )
    def import_progress(_n, job):
        if not job or not job.get("id"):
            return no_update, True, True, no_update
        try:
            with reading() as session:
                current = import_jobs.job_view(session, actor=actor(), job_id=job.get("id"))
        except ServiceError as exc:
            return ui.denied(str(exc)), True, True, no_update
        return (
            view.job_status(current, lang(), now_seconds=time.time()),
            not current.active,
            not current.can_confirm,
            {"id": current.id, "version": current.version},
        )

    @app.callback(
        Output(Ids.TIMER, "disabled", allow_duplicate=True),
        Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
        NOTIFY,
        Input(Ids.CONFIRM, "n_clicks"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )
    def confirm_project_import(n_clicks, job):
        if not n_clicks:
            return no_update, no_update, no_update
        job = as_dict(job)
        context = web()
        try:
            import_jobs.confirm(
                context.engine,
                actor=actor(),
                job_id=job.get("id"),
                seen_version=job.get("version"),
                max_bytes=context.max_upload_bytes,
                run=context.run_job,
            )
        except ServiceError as exc:
            return no_update, no_update, ui.notice(str(exc), ok=False)
        return False, True, ui.notice(t("import.applying", lang()), ok=True)

    @app.callback(
        Output(Ids.TIMER, "disabled", allow_duplicate=True),
        Output(Ids.CONFIRM, "disabled", allow_duplicate=True),
        NOTIFY,
        Input(Ids.REMAP, "n_clicks"),
        State({"type": Ids.MAP, "index": ALL}, "value"),
        State({"type": Ids.MAP, "index": ALL}, "id"),
        State(Ids.MAP_YEAR, "value"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )
    def remap_project_list(n_clicks, values, ids, year, job):
        """The mapping step: read the stored upload again with the office's choices."""
        if not can(actor(), "plan.import"):  # refused with a word, whatever the click says
            return no_update, no_update, ui.notice(t("admin.denied", lang()), ok=False)
        if not n_clicks:
            return no_update, no_update, no_update
        job = job if isinstance(job, dict) else {}
        context = web()
        try:
            with reading() as session:
                current = import_jobs.job_view(session, actor=actor(), job_id=job.get("id"))
            mapping = view.changed_mapping(current, ids or [], values or [])
            if current.given_year is None and year == current.year:
                year = None  # the year the list itself names: keep its source
            import_jobs.remap(
                context.engine,
                actor=actor(),
                job_id=job.get("id"),
                seen_version=job.get("version"),
                mapping={**current.mapping, **mapping},
                year=year,
                max_bytes=context.max_upload_bytes,
                run=context.run_job,
            )
        except ServiceError as exc:
            return no_update, no_update, ui.notice(str(exc), ok=False)
        return False, True, ui.notice(t("import.remapping", lang()), ok=True)

    @app.callback(
        Output(Ids.EXPORT_FILE, "data"),
        NOTIFY,
        Input(Ids.EXPORT, "n_clicks"),
        prevent_initial_call=True,
    )
    def export_project_list(n_clicks):
        if not n_clicks:
            return no_update, no_update
        try:
            with reading() as session:
                data = import_jobs.export_list(session, actor=actor())
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        name = t("export.file", lang(), date=today().strftime("%Y%m%d"))
        return dcc.send_bytes(data, name), no_update


dash.register_page(
    __name__, path="/admin", title=lambda: t("nav.admin", lang()), order=9, layout=layout
)
