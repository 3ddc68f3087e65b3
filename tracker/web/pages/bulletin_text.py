"""The bulletin page's 公文 (#14), wiring only: the office saves a section (or sends it back
to the draft), and any reader downloads the quarter / half-year / year bulletin of the
month's year. The month's own files go through ``pages.bulletin.download_bulletin``; the
sections render with the month's body (``views.bulletin_text.box``)."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, no_update
from dash import ctx as dash_ctx

from tracker.i18n import t
from tracker.services import bulletin_text, span_bulletin
from tracker.services.bulletin_page import bulletin_page
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.outcome import attempt
from tracker.web.values import int_value, month_value, text_value
from tracker.web.views import bulletin_text as view
from tracker.web.views.bulletin import BulletinIds
from tracker.web.views.bulletin_text import BulletinTextIds as Ids

NOTIFY = notices.output("bulletin")
SPAN_BUTTONS = {Ids.SPAN_DOCX: ".docx", Ids.SPAN_PDF: ".pdf", Ids.SPAN_XLSX: ".xlsx"}


def _of_section(key: str, states: Any, prop: str = "value") -> Any:
    """Section ``key``'s entry among a pattern's states (as Dash lists them: id and value)."""
    for item in states if isinstance(states, list) else []:
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, dict) and str(ident.get("index")) == key:
            return item.get(prop)
    return None


def _typed(key: str, texts: Any) -> str | None:
    """The text of section ``key``'s textarea, or None when there is no such textarea or no
    text in it."""
    value = _of_section(key, texts)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


def _seen(key: str, versions: Any) -> int | None:
    """The version of section ``key`` the editor opened (None: not sent, nothing to check)."""
    value = int_value(_of_section(key, versions, "value"))
    return value if value >= 0 else None


def _clicked() -> tuple[str, str] | None:
    """(button type, section key) of the save or reset button pressed, if one was. The key
    goes to the service as sent (it refuses one that names no section, with the reason)."""
    trigger = dash_ctx.triggered_id
    pressed = any(item.get("value") for item in dash_ctx.triggered or [] if isinstance(item, dict))
    if not pressed or not isinstance(trigger, dict):
        return None
    kind = trigger.get("type")
    if kind not in (Ids.SAVE, Ids.RESET):
        return None
    return str(kind), str(trigger.get("index"))[:40]


def save_bulletin_section(_saves, _resets, _texts, _versions, month):
    """Save the office's text of one section (reset: empty, back to the draft); the panel
    redraws with its marks; a month signed meanwhile is refused with the reason."""
    clicked = _clicked()
    if clicked is None:
        return no_update, no_update
    kind, key = clicked
    chosen, language = month_value(month), lang()
    if chosen is None:
        return no_update, ui.notice(t("bulletin.no_months", language), ok=False)
    typed = "" if kind == Ids.RESET else _typed(key, dash_ctx.states_list[0])
    if typed is None:
        return no_update, ui.notice(t("bulletin_text.no_text", language), ok=False)
    done = attempt(
        lambda: write(
            bulletin_text.edit_section,
            actor=actor(),
            period=chosen,
            key=key,
            text=typed,
            today=today(),
            settings=web().settings,
            seen_version=_seen(key, dash_ctx.states_list[1]),
        ),
        ok=lambda s: t(
            "bulletin_text.saved" if s.edited else "bulletin_text.reset_done",
            language,
            heading=t(f"bulletin_text.section.{s.key}", language),
        ),
    )
    if not done:
        return no_update, done.notice
    page = read(
        bulletin_page,
        actor=actor(),
        month=chosen,
        today=today(),
        settings=web().settings,
        assessment=False,
    )
    return view.panel(page, language), done.notice


def download_span_bulletin(_docx, _pdf, _xlsx, span, month):
    """The span bulletin of the month's year as the format pressed, or the refusal."""
    suffix = SPAN_BUTTONS.get(str(dash_ctx.triggered_id))
    if suffix is None or not any(v for v in (dash_ctx.triggered or []) if v.get("value")):
        return no_update, no_update
    chosen = month_value(month)
    if chosen is None:
        return no_update, ui.notice(t("bulletin.no_months", lang()), ok=False)
    code = text_value(span) or ""
    done = attempt(
        lambda: read(
            span_bulletin.span_file,
            actor=actor(),
            year=chosen.year,
            span=code[:8],
            settings=web().settings,
            today=today(),
            suffix=suffix,
        )
    )
    if not done or done.value is None:
        return no_update, done.notice
    return dcc.send_bytes(done.value.content, done.value.name), no_update


def show_span_year(year):
    """The popover names the year its bulletins are of (the month's, when it changes)."""
    chosen = int_value(year)
    return view.span_year(chosen if 1990 <= chosen <= 2100 else None, lang())


CALLBACKS = (
    (
        save_bulletin_section,
        [
            Output(Ids.PANEL, "children"),
            NOTIFY,
            Input({"type": Ids.SAVE, "index": ALL}, "n_clicks"),
            Input({"type": Ids.RESET, "index": ALL}, "n_clicks"),
            State({"type": Ids.TEXT, "index": ALL}, "value"),
            State({"type": Ids.SEEN, "index": ALL}, "data"),
            State(BulletinIds.MONTH, "value"),
        ],
    ),
    (
        download_span_bulletin,
        [
            Output(Ids.SPAN_FILE, "data"),
            NOTIFY,
            Input(Ids.SPAN_DOCX, "n_clicks"),
            Input(Ids.SPAN_PDF, "n_clicks"),
            Input(Ids.SPAN_XLSX, "n_clicks"),
            State(Ids.SPAN, "value"),
            State(BulletinIds.MONTH, "value"),
        ],
    ),
    (show_span_year, [Output(Ids.SPAN_YEAR, "children"), Input(BulletinIds.YEAR, "data")]),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)
