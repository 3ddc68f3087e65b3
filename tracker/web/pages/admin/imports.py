"""The admin page's project list: upload (a dry run), progress, the column mapping step,
confirm, and the export of the list as it stands."""

from __future__ import annotations

import time
from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, no_update

from tracker.i18n import t
from tracker.services import import_jobs
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, read, today
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt, refusal_text
from tracker.web.pages.admin.common import NOTIFY
from tracker.web.payload import as_dict
from tracker.web.views import admin as view
from tracker.web.views.admin import AdminIds as Ids

TIMER_OFF = Output(Ids.TIMER, "disabled", allow_duplicate=True)
CONFIRM_OFF = Output(Ids.CONFIRM, "disabled", allow_duplicate=True)


def _jobs() -> dict[str, Any]:
    """How this app runs import jobs: its upload limit, runner, importer and amount ceiling."""
    context = web()
    return {
        "max_bytes": context.max_upload_bytes,
        "run": context.run_job,
        "importer": context.importer,
        "amount_ceiling": context.settings.AMOUNT_MAX_WAN,
    }


def upload_project_list(contents, filename):
    if not contents:
        return (no_update,) * 5
    done = attempt(
        lambda: import_jobs.start_dry_run(
            web().engine,
            actor=actor(),
            data=view.decode_upload(contents),
            filename=str(filename or ""),
            **_jobs(),
        )
    )
    if not done:
        return no_update, no_update, no_update, None, done.notice
    return {"id": done.value}, False, True, None, no_update


def import_progress(_n, job):
    job = as_dict(job)
    if not job.get("id"):
        return no_update, True, True, no_update
    done = attempt(lambda: read(import_jobs.job_view, actor=actor(), job_id=job.get("id")))
    if not done:
        return ui.denied(refusal_text(done.error)), True, True, no_update
    current = done.value
    return (
        view.job_status(current, lang(), now_seconds=time.time()),
        not current.active,
        not current.can_confirm,
        {"id": current.id, "version": current.version},
    )


def confirm_project_import(n_clicks, job):
    if not n_clicks:
        return no_update, no_update, no_update
    job = as_dict(job)
    done = attempt(
        lambda: import_jobs.confirm(
            web().engine,
            actor=actor(),
            job_id=job.get("id"),
            seen_version=job.get("version"),
            **_jobs(),
        ),
        ok=t("import.applying", lang()),
    )
    return (False, True, done.notice) if done else (no_update, no_update, done.notice)


def _remap(job: dict[str, Any], ids: list, values: list, year: Any) -> int:
    """Read the stored upload again with the office's column choices (and year)."""
    current = read(import_jobs.job_view, actor=actor(), job_id=job.get("id"))
    mapping = view.changed_mapping(current, ids, values)
    if current.given_year is None and year == current.year:
        year = None  # the year the list itself names: keep its source
    return import_jobs.remap(
        web().engine,
        actor=actor(),
        job_id=job.get("id"),
        seen_version=job.get("version"),
        mapping={**current.mapping, **mapping},
        year=year,
        **_jobs(),
    )


def remap_project_list(n_clicks, values, ids, year, job):
    """The mapping step: read the stored upload again with the office's choices."""
    if not can(actor(), "plan.import"):  # refused with a word, whatever the click says
        return no_update, no_update, ui.notice(t("admin.denied", lang()), ok=False)
    if not n_clicks:
        return no_update, no_update, no_update
    done = attempt(
        lambda: _remap(as_dict(job), ids or [], values or [], year),
        ok=t("import.remapping", lang()),
    )
    return (False, True, done.notice) if done else (no_update, no_update, done.notice)


def export_project_list(n_clicks):
    if not n_clicks:
        return no_update, no_update
    done = attempt(lambda: read(import_jobs.export_list, actor=actor(), importer=web().importer))
    if not done:
        return no_update, done.notice
    name = t("export.file", lang(), date=today().strftime("%Y%m%d"))
    return dcc.send_bytes(done.value, name), no_update


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(Ids.JOB, "data", allow_duplicate=True),
        TIMER_OFF,
        CONFIRM_OFF,
        Output(Ids.UPLOAD, "contents"),
        NOTIFY,
        Input(Ids.UPLOAD, "contents"),
        State(Ids.UPLOAD, "filename"),
        prevent_initial_call=True,
    )(upload_project_list)
    app.callback(
        Output(Ids.STATUS, "children"),
        Output(Ids.TIMER, "disabled"),
        Output(Ids.CONFIRM, "disabled"),
        Output(Ids.JOB, "data"),
        Input(Ids.TIMER, "n_intervals"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )(import_progress)
    app.callback(
        TIMER_OFF,
        CONFIRM_OFF,
        NOTIFY,
        Input(Ids.CONFIRM, "n_clicks"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )(confirm_project_import)
    app.callback(
        TIMER_OFF,
        CONFIRM_OFF,
        NOTIFY,
        Input(Ids.REMAP, "n_clicks"),
        State({"type": Ids.MAP, "index": ALL}, "value"),
        State({"type": Ids.MAP, "index": ALL}, "id"),
        State(Ids.MAP_YEAR, "value"),
        State(Ids.JOB, "data"),
        prevent_initial_call=True,
    )(remap_project_list)
    app.callback(
        Output(Ids.EXPORT_FILE, "data"),
        NOTIFY,
        Input(Ids.EXPORT, "n_clicks"),
        prevent_initial_call=True,
    )(export_project_list)
