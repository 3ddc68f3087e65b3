"""问题台账 page (/ledger): wiring only; the ledger service checks who may edit and close."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from tracker.domain.inputs import parse_id
from tracker.i18n import t
from tracker.services import ledger
from tracker.services.errors import ServiceError
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, reading, today, writing
from tracker.web.shell import ShellIds
from tracker.web.views import ledger as view
from tracker.web.views.ledger import LedgerIds as Ids

NOTIFY = Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True)
ACTION_OUTPUTS = [
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Output(Ids.GRID, "selectedRows", allow_duplicate=True),
    NOTIFY,
]


def _stamp() -> int:
    return int(time.time() * 1000)


def _lines(status, kind, level, county):
    with reading() as session:
        return ledger.ledger(
            session, actor=actor(), today=today(), **view.filters(status, kind, level, county)
        )


def layout(**_query):
    language = lang()
    who = actor()
    county = who.county if who.role == "county" else None
    try:
        lines = _lines("open", None, None, county)
    except ServiceError as exc:
        return html.Div(ui.denied(str(exc)), className="page")
    return html.Div(
        [
            ui.page_title(t("nav.ledger", language), t("ledger.subtitle", language)),
            view.filter_bar(language, county=county, count=view.count_label(lines, language)),
            html.Div(
                [
                    html.Div(view.grid(view.rows(lines, language), language), className="lg-main"),
                    ui.section(
                        t("ledger.item", language),
                        html.Div(
                            view.panel(None, language, can_edit=False, can_close=False),
                            id=Ids.PANEL,
                            className="lg-panel",
                        ),
                        className="lg-side",
                    ),
                ],
                className="lg-layout",
            ),
            dcc.Store(id=Ids.ITEM),
            dcc.Store(id=Ids.REFRESH),
        ],
        className="page page-ledger",
    )


def _item(rows: Any) -> dict[str, Any] | None:
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        return rows[0]
    return None


def _key(item: Any) -> tuple[int, int]:
    item = item if isinstance(item, dict) else {}
    return parse_id(item.get("item_id")) or 0, parse_id(item.get("version") or 0) or -1


def _due(value: Any) -> date | None:
    """The due date as the picker shows it (unreadable: None; the service says why)."""
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None
    except ValueError:
        return None


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.GRID, "rowData"),
        Output(Ids.COUNT, "children"),
        Input(Ids.STATUS, "value"),
        Input(Ids.KIND, "value"),
        Input(Ids.LEVEL, "value"),
        Input(Ids.COUNTY, "value"),
        Input(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def refresh_ledger(status, kind, level, county, _refresh):
        language = lang()
        try:
            lines = _lines(status, kind, level, county)
        except ServiceError:
            return [], ""
        return view.rows(lines, language), view.count_label(lines, language)

    @app.callback(
        Output(Ids.PANEL, "children"),
        Output(Ids.ITEM, "data"),
        Input(Ids.GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def show_ledger_item(selected):
        data = _item(selected)
        who = actor()
        language = lang()
        if data is None:
            return view.panel(None, language, can_edit=False, can_close=False), None
        subject = view.subject(data)
        return (
            view.panel(
                data,
                language,
                can_edit=can(who, "problem.edit", subject),
                can_close=can(who, "problem.close", subject),
            ),
            data,
        )

    @app.callback(
        *ACTION_OUTPUTS,
        Input(Ids.SAVE, "n_clicks"),
        State(Ids.ITEM, "data"),
        State(Ids.TEXT, "value"),
        State(Ids.OWNER, "value"),
        State(Ids.DUE, "value"),
        State(Ids.LEVEL_EDIT, "value"),
        prevent_initial_call=True,
    )
    def save_ledger_item(n_clicks, item, text, owner, due, level):
        if not n_clicks:
            return no_update, no_update, no_update
        if not isinstance(item, dict):
            return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
        item_id, version = _key(item)
        changes: dict[str, Any] = {}
        if text is not None and text != item.get("text"):
            changes["text"] = str(text)
        if owner is not None and owner != item.get("owner"):
            changes["owner"] = str(owner)
        if due not in (None, "") and (_due(due) is None or _due(due) != _due(item.get("due_date"))):
            changes["due_date"] = due  # the service reads it through the input value rules
        if level and level != item.get("level"):
            changes["level"] = str(level)
        if not changes:
            return no_update, no_update, ui.notice(t("ledger.unchanged", lang()), ok=False)
        try:
            with writing() as session:
                ledger.update_item(
                    session, actor=actor(), item_id=item_id, seen_version=version, **changes
                )
        except ServiceError as exc:
            return _stamp(), no_update, ui.notice(str(exc), ok=False)
        return _stamp(), [], ui.notice(t("ledger.saved", lang()), ok=True)

    @app.callback(
        *ACTION_OUTPUTS,
        Input(Ids.CLOSE, "n_clicks"),
        State(Ids.ITEM, "data"),
        State(Ids.NOTE, "value"),
        prevent_initial_call=True,
    )
    def close_ledger_item(n_clicks, item, note):
        if not n_clicks:
            return no_update, no_update, no_update
        if not isinstance(item, dict):
            return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
        item_id, version = _key(item)
        try:
            with writing() as session:
                ledger.close_item(
                    session,
                    actor=actor(),
                    item_id=item_id,
                    seen_version=version,
                    note=str(note or ""),
                    today=today(),
                )
        except ServiceError as exc:
            return _stamp(), no_update, ui.notice(str(exc), ok=False)
        return _stamp(), [], ui.notice(t("ledger.closed", lang()), ok=True)

    @app.callback(
        *ACTION_OUTPUTS,
        Input(Ids.REOPEN, "n_clicks"),
        State(Ids.ITEM, "data"),
        State(Ids.NOTE, "value"),
        prevent_initial_call=True,
    )
    def reopen_ledger_item(n_clicks, item, note):
        if not n_clicks:
            return no_update, no_update, no_update
        if not isinstance(item, dict):
            return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
        item_id, version = _key(item)
        try:
            with writing() as session:
                ledger.reopen_item(
                    session,
                    actor=actor(),
                    item_id=item_id,
                    seen_version=version,
                    note=str(note or ""),
                )
        except ServiceError as exc:
            return _stamp(), no_update, ui.notice(str(exc), ok=False)
        return _stamp(), [], ui.notice(t("ledger.reopened", lang()), ok=True)


dash.register_page(
    __name__, path="/ledger", title=lambda: t("nav.ledger", lang()), order=3, layout=layout
)
