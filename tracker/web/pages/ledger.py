"""问题台账 page (/ledger): wiring only; the ledger service checks who may edit, close and
issue a 督办单."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from tracker.domain.inputs import parse_id
from tracker.i18n import t
from tracker.services import ledger
from tracker.services.ledger import LedgerLine
from tracker.services.permissions import can, is_scoped
from tracker.web import notices, ui
from tracker.web.context import actor, ctx, lang, read, today, write
from tracker.web.outcome import Outcome, attempt, refusal_text
from tracker.web.values import day_value
from tracker.web.views import ledger as view
from tracker.web.views.ledger import LedgerIds as Ids

NOTIFY = notices.output("ledger")
ACTION_OUTPUTS = [
    Output(Ids.REFRESH, "data", allow_duplicate=True),
    Output(Ids.GRID, "selectedRows", allow_duplicate=True),
    NOTIFY,
]


def _stamp() -> int:
    return int(time.time() * 1000)


def _lines(status, kind, level, county, cause=None) -> Outcome[list[LedgerLine]]:
    return attempt(
        lambda: read(
            ledger.ledger,
            actor=actor(),
            today=today(),
            **view.filters(status, kind, level, county, cause),
        )
    )


def layout(**_query):
    language = lang()
    who = actor()
    # someone who edits only their own county's items opens on that county
    county = who.county if is_scoped(who, "problem.edit") and who.county else None
    found = _lines("open", None, None, county)
    if not found or found.value is None:
        return html.Div(
            ui.denied(refusal_text(found.error) if found.error else ""), className="page"
        )
    lines = found.value
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
            dcc.Download(id=Ids.DOWNLOAD),
            notices.store("ledger"),
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


# --- the callbacks ------------------------------------------------------------------------


def refresh_ledger(status, kind, level, county, cause, _refresh):
    language = lang()
    found = _lines(status, kind, level, county, cause)
    if not found or found.value is None:
        return [], ""
    return view.rows(found.value, language), view.count_label(found.value, language)


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
            can_issue=can(who, "duban.issue", subject),
        ),
        data,
    )


def _changes(item: dict[str, Any], text, owner, due, level, cause=None) -> dict[str, Any]:
    """What the form changes of the item as loaded (the service checks the values)."""
    changes: dict[str, Any] = {}
    if cause and cause != item.get("cause"):
        changes["cause"] = str(cause)
    if text is not None and text != item.get("text"):
        changes["text"] = str(text)
    if owner is not None and owner != item.get("owner"):
        changes["owner"] = str(owner)
    shown = day_value(due)
    if due not in (None, "") and (shown is None or shown != day_value(item.get("due_date"))):
        changes["due_date"] = due  # the service reads it through the input value rules
    if level and level != item.get("level"):
        changes["level"] = str(level)
        changes["today"] = today()  # a level set by hand: escalation counts from today
    return changes


def _act(item: Any, run: Callable[[int, int], Any], ok_key: str):
    """Run one action on the selected item; refresh the grid either way (a refusal may mean
    someone else changed it)."""
    if not isinstance(item, dict):
        return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
    item_id, version = _key(item)
    done = attempt(lambda: run(item_id, version), ok=lambda _: t(ok_key, lang()))
    return _stamp(), ([] if done else no_update), done.notice


def save_ledger_item(n_clicks, item, text, owner, due, level, cause):
    if not n_clicks:
        return no_update, no_update, no_update
    changes = _changes(item, text, owner, due, level, cause) if isinstance(item, dict) else {}
    if isinstance(item, dict) and not changes:
        return no_update, no_update, ui.notice(t("ledger.unchanged", lang()), ok=False)
    return _act(
        item,
        lambda item_id, version: write(
            ledger.update_item, actor=actor(), item_id=item_id, seen_version=version, **changes
        ),
        "ledger.saved",
    )


def close_ledger_item(n_clicks, item, note):
    if not n_clicks:
        return no_update, no_update, no_update
    return _act(
        item,
        lambda item_id, version: write(
            ledger.close_item,
            actor=actor(),
            item_id=item_id,
            seen_version=version,
            note=str(note or ""),
            today=today(),
        ),
        "ledger.closed",
    )


def reopen_ledger_item(n_clicks, item, note):
    if not n_clicks:
        return no_update, no_update, no_update
    return _act(
        item,
        lambda item_id, version: write(
            ledger.reopen_item,
            actor=actor(),
            item_id=item_id,
            seen_version=version,
            note=str(note or ""),
        ),
        "ledger.reopened",
    )


def download_duban(docx_clicks, pdf_clicks, item):
    """The selected item's 督办单 (the office); its 文号 is given on the first download."""
    if not (docx_clicks or pdf_clicks):
        return no_update, no_update, no_update
    if not isinstance(item, dict):
        return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
    fmt = "pdf" if dash.ctx.triggered_id == Ids.DUBAN_PDF else "docx"
    item_id, _ = _key(item)
    done = attempt(
        lambda: write(
            ledger.duban_file,
            actor=actor(),
            item_id=item_id,
            fmt=fmt,
            today=today(),
            settings=ctx().settings,
            language=lang(),
        )
    )
    if not done or done.value is None:
        return no_update, no_update, done.notice
    found = done.value
    notice = ui.notice(t("ledger.duban.issued", lang(), number=found.number), ok=True)
    return dcc.send_bytes(found.content, found.name), _stamp(), notice


CALLBACKS = (
    (
        refresh_ledger,
        [
            Output(Ids.GRID, "rowData"),
            Output(Ids.COUNT, "children"),
            Input(Ids.STATUS, "value"),
            Input(Ids.KIND, "value"),
            Input(Ids.LEVEL, "value"),
            Input(Ids.COUNTY, "value"),
            Input(Ids.CAUSE, "value"),
            Input(Ids.REFRESH, "data"),
        ],
    ),
    (
        show_ledger_item,
        [Output(Ids.PANEL, "children"), Output(Ids.ITEM, "data"), Input(Ids.GRID, "selectedRows")],
    ),
    (
        save_ledger_item,
        [
            *ACTION_OUTPUTS,
            Input(Ids.SAVE, "n_clicks"),
            State(Ids.ITEM, "data"),
            State(Ids.TEXT, "value"),
            State(Ids.OWNER, "value"),
            State(Ids.DUE, "value"),
            State(Ids.LEVEL_EDIT, "value"),
            State(Ids.CAUSE_EDIT, "value"),
        ],
    ),
    (
        close_ledger_item,
        [
            *ACTION_OUTPUTS,
            Input(Ids.CLOSE, "n_clicks"),
            State(Ids.ITEM, "data"),
            State(Ids.NOTE, "value"),
        ],
    ),
    (
        reopen_ledger_item,
        [
            *ACTION_OUTPUTS,
            Input(Ids.REOPEN, "n_clicks"),
            State(Ids.ITEM, "data"),
            State(Ids.NOTE, "value"),
        ],
    ),
    (
        download_duban,
        [
            Output(Ids.DOWNLOAD, "data"),
            Output(Ids.REFRESH, "data", allow_duplicate=True),
            NOTIFY,
            Input(Ids.DUBAN_DOCX, "n_clicks"),
            Input(Ids.DUBAN_PDF, "n_clicks"),
            State(Ids.ITEM, "data"),
        ],
    ),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)


dash.register_page(
    __name__, path="/ledger", title=lambda: t("nav.ledger", lang()), order=3, layout=layout
)
