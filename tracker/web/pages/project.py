"""Project page (/projects/<id>): wiring only."""

from __future__ import annotations

import re
import time

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.i18n import t
from tracker.services import milestones
from tracker.services.errors import ConflictError
from tracker.services.projects import ProjectPage, project_page
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.http_cache import Cacheable
from tracker.web.outcome import Outcome, attempt, refusal_text
from tracker.web.pages import project_photos
from tracker.web.pages.project_steps import section as steps_section
from tracker.web.payload import as_dict
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


PATH = re.compile(r"^/projects/(\d{1,9})$")


def cacheable(pathname: str, search: str) -> Cacheable | None:
    """The project page is drawn from its project's data, the reader's language, role and
    scope (what they may see and do) and the day: its response is kept per those
    (``http_cache.install_page_cache``). A form opened by the address (``?edit=``) is not."""
    found = PATH.match(pathname)
    who = actor()
    if found is None or search or who.id is None:
        return None
    project_id = int(found.group(1))
    key = ("project", project_id, lang(), who.role, who.county, who.lead_unit, today())
    return Cacheable(key, frozenset({project_id}))


def _page(project_id, edit=None, parts=False) -> ProjectPage:
    return read(
        project_page,
        actor=actor(),
        project_id=project_id,
        as_of=today(),
        settings=web().settings,
        edit=edit,
        parts=parts,
    )


def layout(project_id=None, edit=None, step=None, **_query):
    language = lang()
    day = today()
    loaded = attempt(lambda: _page(project_id, edit, parts=True))
    if not loaded:
        return view.not_found(refusal_text(loaded.error), language)
    page = loaded.value
    detail = page.detail
    values, notice = None, None
    if page.form is not None:  # a link such as /projects/5?edit=12 opens the form at once
        values = view.form_values(page.form, language, today=day)
    if page.form_refused is not None:
        notice = ui.denied(refusal_text(page.form_refused))
    modal = view.edit_modal(language, today=day, values=values)
    return html.Div(
        [
            notice,
            html.Div(
                view.body(detail, language, today=day, open_items=page.open_items), id=Ids.BODY
            ),
            # #17: 前期手续; ?step= opens one
            steps_section(detail.project.id, step, page.chain, page.chain_refused),
            project_photos.photo_section(detail.project.id, page.timeline),
            modal,
            dcc.Store(id=Ids.PROJECT, data=detail.project.id),
            dcc.Store(id=Ids.REFRESH),
            notices.store("project"),
        ],
        className="page page-project",
    )


def _saved(message: str):
    return int(time.time() * 1000), False, "", ui.notice(message, ok=True)


def _refused(done: Outcome):
    # A stale save keeps the form open with the reason; the page is refreshed behind it.
    refresh = int(time.time() * 1000) if isinstance(done.error, ConflictError) else no_update
    return refresh, no_update, refusal_text(done.error), done.notice


def _save(n_clicks, use_case, form, saved_key, **fields):
    """Run a milestone use case on the open form's milestone (its id and the version the form
    was opened on), as the signed-in user, today; ``saved_key(result)``: the message's key."""
    if not n_clicks:
        return (no_update,) * 4
    form = as_dict(form)
    done = attempt(
        lambda: write(
            use_case,
            actor=actor(),
            milestone_id=form.get("milestone_id"),
            seen_version=form.get("version"),
            today=today(),
            **fields,
        )
    )
    if not done:
        return _refused(done)
    return _saved(t(saved_key(done.value), lang()))


def _done_key(result) -> str:
    return "form.saved_started" if result.started_project else "form.saved_done"


def _moved_key(result) -> str:
    return "form.saved_pending" if result.pending else "form.saved_reschedule"


SAVE_OUTPUTS = [
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Output(Ids.MODAL, "opened", allow_duplicate=True),
    Output(Ids.FORM_ERROR, "children", allow_duplicate=True),
    notices.output("project"),
]


def register_callbacks(app: dash.Dash) -> None:
    project_photos.register_callbacks(app)

    @app.callback(
        Output(Ids.MODAL, "opened"),
        *[Output(key, FORM_PROPS[key]) for key in FORM_FIELDS],
        Output(Ids.FORM_ERROR, "children"),
        notices.output("project"),
        Input({"type": Ids.EDIT, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_milestone_form(_clicks):
        nothing = (no_update,) * (len(FORM_FIELDS) + 3)
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return nothing
        trigger = ctx.triggered_id
        language = lang()
        done = attempt(
            lambda: read(milestones.edit_form, actor=actor(), milestone_id=trigger["index"])
        )
        if not done:
            return (False,) + (no_update,) * len(FORM_FIELDS) + ("", done.notice)
        values = view.form_values(done.value, language, today=today())
        return (True, *[values[key] for key in FORM_FIELDS], "", no_update)

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.DONE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.DONE_DATE, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_done(n_clicks, form, actual_date):
        return _save(n_clicks, milestones.mark_done, form, _done_key, actual_date=actual_date)

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.RESCHEDULE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.NEW_DATE, "value"),
        State(Ids.REASON, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_reschedule(n_clicks, form, new_date, reason):
        fields = {"new_date": new_date, "reason": reason}
        return _save(n_clicks, milestones.reschedule, form, _moved_key, **fields)

    @app.callback(
        *SAVE_OUTPUTS,
        Input(Ids.NOTE_SAVE, "n_clicks"),
        State(Ids.FORM, "data"),
        State(Ids.NOTE, "value"),
        prevent_initial_call=True,
    )
    def save_milestone_note(n_clicks, form, note):
        return _save(n_clicks, milestones.add_note, form, lambda _r: "form.saved_note", note=note)

    @app.callback(
        Output(Ids.BODY, "children"),
        Input(Ids.REFRESH, "data"),
        State(Ids.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def refresh_project_page(_refresh, project_id):
        loaded = attempt(lambda: _page(project_id))
        if not loaded:
            return ui.denied(refusal_text(loaded.error))
        page = loaded.value
        return view.body(page.detail, lang(), today=today(), open_items=page.open_items)


dash.register_page(
    __name__,
    path_template="/projects/<project_id>",
    title=lambda project_id=None: t("project.title", lang()),
    layout=layout,
)
