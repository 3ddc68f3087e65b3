"""The admin page's settings: the light thresholds, whether reschedules wait for the
office, and the reschedules waiting for it (approve / reject)."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from tracker.i18n import t
from tracker.services import milestones, policy
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt
from tracker.web.pages.admin.common import NOTIFY, stamp
from tracker.web.payload import as_id
from tracker.web.views import admin as view
from tracker.web.views.admin import THRESHOLD_FIELDS
from tracker.web.views.admin import AdminIds as Ids

PENDING_REFRESH = Output(Ids.PENDING_REFRESH, "data", allow_duplicate=True)


def _seen(version) -> int | None:
    return as_id(version or 0)


def save_thresholds(n_clicks, *values):
    if not n_clicks:
        return no_update, no_update
    seen = _seen(values[-1])
    chosen = {
        name: value for (name, _, _), value in zip(THRESHOLD_FIELDS, values[:-1], strict=True)
    }
    done = attempt(
        lambda: write(
            policy.set_thresholds,
            actor=actor(),
            values=chosen,
            seen_version=-1 if seen is None else seen,
            settings=web().settings,
        ),
        ok=lambda _: t("th.saved", lang()),
    )
    return ((seen or 0) + 1 if done else no_update), done.notice


def save_approval_setting(n_clicks, checked, seen):
    if not n_clicks:
        return no_update, no_update
    version = _seen(seen)
    done = attempt(
        lambda: write(
            milestones.set_reschedule_needs_approval,
            actor=actor(),
            value=checked is True,
            seen_version=-1 if version is None else version,
        ),
        ok=lambda _: t("approval.saved", lang()),
    )
    return ((version or 0) + 1 if done else no_update), done.notice


def refresh_pending(_stamp_value):
    done = attempt(lambda: read(milestones.pending_reschedules, actor=actor()))
    if not done:  # a forged call from someone not in the office
        raise PreventUpdate
    return view.pending_table(done.value, lang())


def _decide(service, done_key: str):
    """Approve or reject the reschedule whose button was clicked (its id names the
    milestone and the version the office saw)."""
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update, no_update
    trigger = ctx.triggered_id if isinstance(ctx.triggered_id, dict) else {}
    done = attempt(
        lambda: write(
            service,
            actor=actor(),
            milestone_id=trigger.get("index"),
            seen_version=trigger.get("v"),
            today=today(),
        ),
        ok=lambda _: t(done_key, lang()),
    )
    return stamp(), done.notice


def approve_reschedule_request(_clicks):
    return _decide(milestones.approve_reschedule, "approval.approved")


def reject_reschedule_request(_clicks):
    return _decide(milestones.reject_reschedule, "approval.rejected")


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(Ids.TH_VERSION, "data"),
        NOTIFY,
        Input(Ids.TH_SAVE, "n_clicks"),
        *[State(Ids.threshold(name), "value") for name, _, _ in THRESHOLD_FIELDS],
        State(Ids.TH_VERSION, "data"),
        prevent_initial_call=True,
    )(save_thresholds)
    app.callback(
        Output(Ids.APPROVAL_VERSION, "data"),
        NOTIFY,
        Input(Ids.APPROVAL_SAVE, "n_clicks"),
        State(Ids.APPROVAL, "checked"),
        State(Ids.APPROVAL_VERSION, "data"),
        prevent_initial_call=True,
    )(save_approval_setting)
    app.callback(
        Output(Ids.PENDING, "children"),
        Input(Ids.PENDING_REFRESH, "data"),
        prevent_initial_call=True,
    )(refresh_pending)
    app.callback(
        PENDING_REFRESH,
        NOTIFY,
        Input({"type": Ids.APPROVE, "index": ALL, "v": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(approve_reschedule_request)
    app.callback(
        PENDING_REFRESH,
        NOTIFY,
        Input({"type": Ids.REJECT, "index": ALL, "v": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(reject_reschedule_request)
