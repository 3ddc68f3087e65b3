"""The admin page's accounts tab: the user list, the selected user (scope, active sessions,
enable/disable, password reset, sign out everywhere) and the new-user form."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from tracker.i18n import t
from tracker.services import sessions, users
from tracker.services.auth import new_password
from tracker.web import ui
from tracker.web.context import actor, lang, read, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt
from tracker.web.pages.admin.common import NOTIFY, first_row, stamp
from tracker.web.values import text_value
from tracker.web.views import admin as view
from tracker.web.views.admin import AdminIds as Ids

USERS_REFRESH = Output(Ids.USERS_REFRESH, "data", allow_duplicate=True)
NEW_PASSWORD = Output(Ids.NEW_PASSWORD, "children", allow_duplicate=True)
SELECTED = State(Ids.USERS_GRID, "selectedRows")


def _select_hint(n_clicks: Any) -> Any:
    """Clicked with no user selected: say so; not clicked at all: nothing."""
    return ui.notice(t("user.select_hint", lang()), ok=False) if n_clicks else no_update


def _username(row: dict[str, Any]) -> str:
    return str(row.get("username", ""))


def show_selected_user(rows):
    row = first_row(rows)
    name = text_value(row.get("username"))
    active = None
    if name is not None:
        done = attempt(
            lambda: read(
                sessions.active_sessions,
                actor=actor(),
                username=name,
                policy=sessions.SessionPolicy.from_settings(web().settings),
            )
        )
        if not done:
            raise PreventUpdate
        active = done.value
    return (
        view.selected_text(row or None, lang()),
        text_value(row.get("role")),
        text_value(row.get("county")),
        text_value(row.get("lead_unit")) or "",
        view.session_table(active, lang()),
    )


def refresh_users(_stamp_value):
    done = attempt(lambda: read(users.list_users, actor=actor()))
    if not done:  # a forged call from someone not in the office
        raise PreventUpdate
    return view.user_rows(done.value, lang()), [], None


def sign_out_user_everywhere(n_clicks, rows):
    row = first_row(rows)
    if not n_clicks or not row:
        return no_update, _select_hint(n_clicks)
    name = _username(row)
    done = attempt(
        lambda: write(sessions.sign_out_everywhere, actor=actor(), username=name),
        ok=lambda ended: t("session.signed_out", lang(), username=name, n=ended),
    )
    return (stamp() if done else no_update), done.notice


def add_user(n_clicks, username, name, role, county, unit, password):
    if not n_clicks:
        return no_update, no_update, no_update
    chosen = password or new_password()
    done = attempt(
        lambda: write(
            users.add_user,
            actor=actor(),
            username=username or "",
            password=chosen,
            role=role or "",
            county=county,
            lead_unit=unit,
            display_name=name or "",
        ),
        ok=lambda user: t("user.added", lang(), username=user.username),
    )
    if not done:
        return no_update, no_update, done.notice
    created = done.value.username
    shown = (
        "" if password else t("user.initial_password", lang(), username=created, password=chosen)
    )
    return stamp(), shown, done.notice


def _change_selected(row: dict[str, Any], service, ok, **changes):
    """Change the selected user (as the office saw it: its version) through ``service``."""
    return attempt(
        lambda: write(
            service,
            actor=actor(),
            username=_username(row),
            seen_version=row.get("version"),
            **changes,
        ),
        ok=lambda user: t(ok(user), lang(), username=user.username),
    )


def toggle_user_active(n_clicks, rows):
    row = first_row(rows)
    if not n_clicks or not row:
        return no_update, _select_hint(n_clicks)
    done = _change_selected(
        row,
        users.set_active,
        lambda user: "user.enabled_msg" if user.active else "user.disabled_msg",
        active=not bool(row.get("active")),
    )
    return (stamp() if done else no_update), done.notice


def reset_user_password(n_clicks, rows):
    row = first_row(rows)
    if not n_clicks or not row:
        return no_update, no_update, _select_hint(n_clicks)
    password = new_password()
    done = _change_selected(
        row, users.set_password, lambda _: "user.password_reset", password=password
    )
    if not done:
        return no_update, no_update, done.notice
    name = done.value.username
    shown = t("user.initial_password", lang(), username=name, password=password)
    return stamp(), shown, done.notice


def save_user_scope(n_clicks, rows, role, county, unit):
    row = first_row(rows)
    if not n_clicks or not row:
        return no_update, _select_hint(n_clicks)
    done = _change_selected(
        row,
        users.set_scope,
        lambda _: "user.scope_saved",
        role=role or "",
        county=county,
        lead_unit=unit,
    )
    return (stamp() if done else no_update), done.notice


def register_callbacks(app: dash.Dash) -> None:
    app.callback(
        Output(Ids.SELECTED, "children"),
        Output(Ids.SCOPE_ROLE, "value"),
        Output(Ids.SCOPE_COUNTY, "value"),
        Output(Ids.SCOPE_UNIT, "value"),
        Output(Ids.SESSIONS, "children"),
        Input(Ids.USERS_GRID, "selectedRows"),
        prevent_initial_call=True,
    )(show_selected_user)
    app.callback(
        Output(Ids.USERS_GRID, "rowData"),
        Output(Ids.USERS_GRID, "selectedRows"),
        Output(Ids.SESSIONS, "children", allow_duplicate=True),
        Input(Ids.USERS_REFRESH, "data"),
        prevent_initial_call=True,
    )(refresh_users)
    app.callback(
        USERS_REFRESH,
        NOTIFY,
        Input(Ids.SIGN_OUT, "n_clicks"),
        SELECTED,
        prevent_initial_call=True,
    )(sign_out_user_everywhere)
    app.callback(
        USERS_REFRESH,
        NEW_PASSWORD,
        NOTIFY,
        Input(Ids.ADD_SAVE, "n_clicks"),
        State(Ids.ADD_USERNAME, "value"),
        State(Ids.ADD_NAME, "value"),
        State(Ids.ADD_ROLE, "value"),
        State(Ids.ADD_COUNTY, "value"),
        State(Ids.ADD_UNIT, "value"),
        State(Ids.ADD_PASSWORD, "value"),
        prevent_initial_call=True,
    )(add_user)
    app.callback(
        USERS_REFRESH, NOTIFY, Input(Ids.TOGGLE, "n_clicks"), SELECTED, prevent_initial_call=True
    )(toggle_user_active)
    app.callback(
        USERS_REFRESH,
        NEW_PASSWORD,
        NOTIFY,
        Input(Ids.RESET, "n_clicks"),
        SELECTED,
        prevent_initial_call=True,
    )(reset_user_password)
    app.callback(
        USERS_REFRESH,
        NOTIFY,
        Input(Ids.SCOPE_SAVE, "n_clicks"),
        SELECTED,
        State(Ids.SCOPE_ROLE, "value"),
        State(Ids.SCOPE_COUNTY, "value"),
        State(Ids.SCOPE_UNIT, "value"),
        prevent_initial_call=True,
    )(save_user_scope)
