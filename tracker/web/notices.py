"""A page's notices (toasts), sent through a store of the page's own (#15).

Dash fires a callback when its inputs arrive with a page if any of its outputs lies outside
that page, whatever ``prevent_initial_call`` says (dash-renderer treats the inputs as changed
for an output that was already there). A page callback that wrote to the shell's
notification container therefore cost a server request on every page open, answered with
nothing. Page callbacks write their toasts to the page's own store instead; one clientside
callback hands them to the shell's container in the browser, for free.
"""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, dcc

from tracker.web.shell import ShellIds


class NoticeIds:
    STORE = "page-notice"  # {"type": STORE, "index": <page>}: the toasts a page's callbacks send


def store(page: str) -> dcc.Store:
    """The page's notice store: put it in the page's layout."""
    return dcc.Store(id={"type": NoticeIds.STORE, "index": page})


def output(page: str) -> Output:
    """The output a page's callbacks send their toasts to (``ui.notice(...)`` values)."""
    return Output({"type": NoticeIds.STORE, "index": page}, "data", allow_duplicate=True)


def register_callbacks(app: dash.Dash) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="relayNotice"),
        Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True),
        Input({"type": NoticeIds.STORE, "index": ALL}, "data"),
        prevent_initial_call=True,
    )
