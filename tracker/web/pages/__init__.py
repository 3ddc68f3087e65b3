"""The app's pages (registered with ``dash.register_page``) and what several of them share."""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output


def sync_query(app: dash.Dash, store: str) -> None:
    """Keep the address bar's query in step with the page's filters: what a callback writes
    to ``store`` (a ``dcc.Store``) replaces the query without a reload (assets/tracker.js)."""
    app.clientside_callback(
        ClientsideFunction(namespace="tracker", function_name="replaceQuery"),
        Output(store, "id"),
        Input(store, "data"),
        prevent_initial_call=True,
    )
