"""The bell's drawer: wiring only. Reading, marking read and retrying are the bell's use
cases (``services.bell``); a user only ever reaches their own messages, and retrying needs
the office's permission."""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, ctx, no_update

from tracker.i18n import t
from tracker.services import bell
from tracker.web.context import actor, lang, read, write
from tracker.web.outcome import attempt
from tracker.web.payload import as_id
from tracker.web.shell import ShellIds
from tracker.web.views import bell as view
from tracker.web.views.bell import BellIds as Ids

BELL = ShellIds.BELL
NOTIFY = ShellIds.NOTIFY


def _content(drawer: bell.Drawer, language: str):
    return view.content(drawer.notes, language, unread=drawer.unread, failed=drawer.failed)


def open_notifications(n_clicks):
    if not n_clicks:
        return no_update, no_update
    return True, _content(read(bell.drawer, actor=actor()), lang())


def mark_notifications_read(n_clicks):
    if not n_clicks:
        return no_update, no_update, no_update
    drawer = write(bell.mark_all_read, actor=actor())
    return _content(drawer, lang()), str(drawer.unread), drawer.unread == 0


def retry_notification(_clicks):
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update, no_update
    trigger = ctx.triggered_id or {}
    done = attempt(
        lambda: write(bell.retry, actor=actor(), notification_id=as_id(trigger.get("index")) or 0),
        ok=t("bell.retried", lang()),
    )
    if not done or done.value is None:
        return no_update, done.notice
    return _content(done.value, lang()), done.notice


CALLBACKS = (
    (
        open_notifications,
        [Output(Ids.DRAWER, "opened"), Output(Ids.LIST, "children"), Input(Ids.BUTTON, "n_clicks")],
    ),
    (
        mark_notifications_read,
        [
            Output(Ids.LIST, "children", allow_duplicate=True),
            Output(BELL, "label", allow_duplicate=True),
            Output(BELL, "disabled", allow_duplicate=True),
            Input(Ids.MARK_ALL, "n_clicks"),
        ],
    ),
    (
        retry_notification,
        [
            Output(Ids.LIST, "children", allow_duplicate=True),
            Output(NOTIFY, "sendNotifications", allow_duplicate=True),
            Input({"type": Ids.RETRY, "index": ALL}, "n_clicks"),
        ],
    ),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)
