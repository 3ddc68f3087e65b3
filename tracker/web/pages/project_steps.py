"""The project page's 前期手续 section (#17): wiring only. The page (pages/project.py) lays
the section out with ``section``; these callbacks open the step form, save and remove steps
and links, apply a template, and re-render the section after each change. Every one goes
through a service that checks the actor may edit this project (``approval.edit``)."""

from __future__ import annotations

import time
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, html, no_update

from tracker.i18n import t
from tracker.services import approvals
from tracker.services.errors import ConflictError
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.outcome import attempt, refusal_text
from tracker.web.payload import as_dict
from tracker.web.views import project_steps as view
from tracker.web.views.project_steps import FIELDS
from tracker.web.views.project_steps import StepIds as Ids

NOTIFY = notices.output("project")  # the project page's notice store


def _chain(project_id: Any) -> approvals.ProjectChain:
    return read(approvals.project_chain, actor=actor(), project_id=project_id, today=today())


def section(
    project_id: Any,
    step: Any = None,
    chain: approvals.ProjectChain | None = None,
    refused: Exception | None = None,
) -> html.Div:
    """The section of the page for ``project_id``, with step ``step`` opened (a ?step= link);
    ``chain`` or ``refused``: the chain, or why it was refused, already read by the page."""
    language = lang()
    if refused is not None:
        return view.section(None, language, refusal=refusal_text(refused))
    if chain is None:
        loaded = attempt(lambda: _chain(project_id))
        if not loaded:
            return view.section(None, language, refusal=refusal_text(loaded.error))
        chain = loaded.value
    opened = next((s for s in chain.steps if str(s.id) == str(step)), None) if step else None
    return view.section(chain, language, opened=opened)


def _stamp() -> int:
    return int(time.time() * 1000)


FORM_OUTPUTS = [Output(key, prop) for key, (_, prop) in FIELDS.items()]
ACTION_OUTPUTS = [
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Output(Ids.NOTICE, "children", allow_duplicate=True),
    NOTIFY,
]


def _acted(run, ok_key: str, **params: Any):
    """An action outside the form: refresh and a green notice, or the refusal in the section."""
    done = attempt(run)
    if not done:
        refresh = _stamp() if isinstance(done.error, ConflictError) else no_update
        return refresh, refusal_text(done.error), done.notice
    text = t(ok_key, lang(), **{k: getattr(done.value, v) for k, v in params.items()})
    return _stamp(), "", ui.notice(text, ok=True)


def register_callbacks(app: dash.Dash) -> None:
    _register_steps(app)
    _register_links(app)


def _register_steps(app: dash.Dash) -> None:
    """The step form: open, save, remove; and the section's refresh."""

    @app.callback(
        Output(Ids.MODAL, "opened", allow_duplicate=True),
        Output(Ids.FORM, "data", allow_duplicate=True),
        *FORM_OUTPUTS,
        Output(Ids.FORM_ERROR, "children", allow_duplicate=True),
        Input({"type": Ids.EDIT, "index": ALL}, "n_clicks"),
        Input({"type": Ids.ADD, "index": ALL}, "n_clicks"),  # only for who may edit
        State(Ids.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def open_step_form(_edits, _add, project_id):
        nothing = (no_update,) * (len(FIELDS) + 3)
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return nothing
        trigger = ctx.triggered_id if isinstance(ctx.triggered_id, dict) else {}
        if trigger.get("type") == Ids.ADD:
            values = view.form_values(None)
        else:
            loaded = attempt(lambda: _chain(project_id))
            if not loaded:
                return (no_update,) * (len(FIELDS) + 2) + (refusal_text(loaded.error),)
            index = trigger.get("index")
            step = next((s for s in loaded.value.steps if s.id == index), None)
            if step is None:
                return nothing
            values = view.form_values(step)
        return (True, values[Ids.FORM], *[values[key] for key in FIELDS], "")

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.MODAL, "opened", allow_duplicate=True),
        Output(Ids.FORM_ERROR, "children", allow_duplicate=True),
        NOTIFY,
        Input(Ids.SAVE, "n_clicks"),
        State(Ids.PROJECT, "data"),
        State(Ids.FORM, "data"),
        *[State(key, prop) for key, (_, prop) in FIELDS.items()],
        prevent_initial_call=True,
    )
    def save_project_step(n_clicks, project_id, form, *values):
        if not n_clicks:
            return (no_update,) * 4
        form = as_dict(form)
        fields = {FIELDS[key][0]: value for key, value in zip(FIELDS, values, strict=True)}
        done = attempt(
            lambda: write(
                approvals.save_step,
                actor=actor(),
                project_id=project_id,
                step_id=form.get("step_id"),
                seen_version=form.get("version"),
                today=today(),
                **fields,
            )
        )
        if not done:  # the form stays open with the reason; a stale one refreshes behind it
            refresh = _stamp() if isinstance(done.error, ConflictError) else no_update
            return refresh, no_update, refusal_text(done.error), done.notice
        return _stamp(), False, "", ui.notice(t("steps.saved", lang()), ok=True)

    @app.callback(
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        Output(Ids.MODAL, "opened", allow_duplicate=True),
        Output(Ids.FORM_ERROR, "children", allow_duplicate=True),
        NOTIFY,
        Input(Ids.DELETE, "n_clicks"),
        State(Ids.FORM, "data"),
        prevent_initial_call=True,
    )
    def delete_project_step(n_clicks, form):
        form = as_dict(form)
        if not n_clicks:  # a form without a step is the service's to refuse, with its reason
            return (no_update,) * 4
        done = attempt(
            lambda: write(
                approvals.delete_step,
                actor=actor(),
                step_id=form.get("step_id"),
                seen_version=form.get("version"),
            )
        )
        if not done:
            return no_update, no_update, refusal_text(done.error), done.notice
        return _stamp(), False, "", ui.notice(t("steps.deleted", lang()), ok=True)

    @app.callback(
        Output(Ids.SECTION, "children"),
        Input(Ids.REFRESH, "data"),
        State(Ids.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def refresh_project_steps(_refresh, project_id):
        loaded = attempt(lambda: _chain(project_id))
        if not loaded:
            return ui.denied(refusal_text(loaded.error))
        return view.section_body(loaded.value, lang())


def _register_links(app: dash.Dash) -> None:
    """Links added and removed, and a template applied to a project without steps."""

    @app.callback(
        *ACTION_OUTPUTS,
        Input(Ids.LINK_ADD, "n_clicks"),
        State(Ids.PROJECT, "data"),
        State(Ids.LINK_SOURCE, "value"),
        State(Ids.LINK_TARGET, "value"),
        State(Ids.LINK_KIND, "value"),
        State(Ids.LINK_LAG, "value"),
        prevent_initial_call=True,
    )
    def add_step_link(n_clicks, project_id, source, target, kind, lag):
        if not n_clicks:
            return (no_update,) * 3
        return _acted(
            lambda: write(
                approvals.save_link,
                actor=actor(),
                project_id=project_id,
                source=source,
                target=target,
                kind=kind,
                lag_days=lag,
            ),
            "steps.link_saved",
        )

    @app.callback(
        *ACTION_OUTPUTS,
        Input({"type": Ids.LINK_DELETE, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def delete_step_link(_clicks):
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return (no_update,) * 3
        trigger = ctx.triggered_id
        index = str(trigger.get("index", "")) if isinstance(trigger, dict) else ""
        link_id, _, version = index.partition(":")
        return _acted(
            lambda: write(
                approvals.delete_link, actor=actor(), link_id=link_id, seen_version=version
            ),
            "steps.link_deleted",
        )

    @app.callback(
        *ACTION_OUTPUTS,
        Input(Ids.APPLY, "n_clicks"),
        State(Ids.PROJECT, "data"),
        prevent_initial_call=True,
    )
    def apply_step_template(n_clicks, project_id):
        if not n_clicks:
            return (no_update,) * 3
        return _acted(
            lambda: write(
                approvals.apply_template, actor=actor(), project_id=project_id, today=today()
            ),
            "steps.applied",
            template="template",
            steps="steps",
            links="links",
        )
