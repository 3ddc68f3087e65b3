"""The bell's drawer: wiring only. Reading, marking read and retrying are notify services;
a user only ever reaches their own messages, and retrying needs the office's permission."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, ctx, no_update

from tracker.i18n import t
from tracker.services import notify
from tracker.services.errors import ServiceError
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, reading, writing
from tracker.web.payload import as_id
from tracker.web.shell import ShellIds
from tracker.web.views import bell as view
from tracker.web.views.bell import BellIds as Ids

BELL = ShellIds.BELL
NOTIFY = ShellIds.NOTIFY


def _content(language: str):
    who = actor()
    with reading() as session:
        unread = notify.list_notifications(session, actor=who, limit=view.LIMIT, unread_only=True)
        recent = notify.list_notifications(session, actor=who, limit=view.LIMIT)
        count = notify.unread_count(session, actor=who)
        failed = (
            notify.failed_notifications(session, actor=who, limit=50)
            if can(who, "cycle.run")
            else None
        )
    return view.content(view.latest(unread, recent), language, unread=count, failed=failed), count


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.DRAWER, "opened"),
        Output(Ids.LIST, "children"),
        Input(Ids.BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_notifications(n_clicks):
        if not n_clicks:
            return no_update, no_update
        body, _ = _content(lang())
        return True, body

    @app.callback(
        Output(Ids.LIST, "children", allow_duplicate=True),
        Output(BELL, "label", allow_duplicate=True),
        Output(BELL, "disabled", allow_duplicate=True),
        Input(Ids.MARK_ALL, "n_clicks"),
        prevent_initial_call=True,
    )
    def mark_notifications_read(n_clicks):
        if not n_clicks:
            return no_update, no_update, no_update
        with writing() as session:
            notify.mark_read(session, actor=actor())
        body, count = _content(lang())
        return body, str(count), count == 0

    @app.callback(
        Output(Ids.LIST, "children", allow_duplicate=True),
        Output(NOTIFY, "sendNotifications", allow_duplicate=True),
        Input({"type": Ids.RETRY, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def retry_notification(_clicks):
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update, no_update
        trigger = ctx.triggered_id or {}
        try:
            with writing() as session:
                notify.retry_failed(
                    session, actor=actor(), notification_id=as_id(trigger.get("index")) or 0
                )
        except (ServiceError, ValueError) as exc:
            return no_update, ui.notice(str(exc), ok=False)
        body, _ = _content(lang())
        return body, ui.notice(t("bell.retried", lang()), ok=True)
