"""月报填报 page (/reports): wiring only. Every read is one use case (``services.reports.page``)
and every save goes through the report services, which check the actor's scope and the
month's lock themselves; a refusal becomes the notice in the reader's language (``attempt``)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, no_update
from dash import dcc as dash_dcc
from dash.exceptions import PreventUpdate

from tracker.i18n import t
from tracker.services import report_entry
from tracker.services.errors import PermissionDenied
from tracker.services.permissions import can
from tracker.services.reports import page as cases
from tracker.web import notices, ui
from tracker.web.context import actor, lang, read, today, write
from tracker.web.context import ctx as web
from tracker.web.http_cache import Cacheable
from tracker.web.outcome import attempt, refusal_text
from tracker.web.payload import as_id
from tracker.web.plain import dcc, dmc, html
from tracker.web.values import month_value, text_value
from tracker.web.views import reports as view
from tracker.web.views.reports import ReportsIds as Ids
from tracker.web.views.reports import phone

NOTIFY = notices.output("reports")
NOTHING = no_update


def cacheable(pathname: str, search: str) -> Cacheable | None:
    """A county lead's (a lead unit's) page is drawn from its scope's projects, the months,
    the reader (language, name, role, scope) and the day: its response is kept per those
    while no write touches those projects or moves one into the scope (a write to the months
    or the settings is traced to no project: it counts). The office's page (the whole plan)
    and a month asked for by the address are not kept (``http_cache.install_page_cache``)."""
    who = actor()
    if pathname != PATH or search or who.id is None:
        return None
    projects = read(cases.scope_projects, actor=who)
    if projects is None:
        return None
    key = ("reports", lang(), who.id, who.label, who.role, who.county, who.lead_unit, today())
    return Cacheable(key, projects, SCOPE_TABLES)


PATH = "/reports"
SCOPE_TABLES = frozenset({"project"})  # a project joins or leaves the scope, or is added


def _stamp() -> int:
    return int(time.time() * 1000)


def _office() -> bool:
    """The office's view of the page: its review and the missing list."""
    return can(actor(), "report.return")


def _render(
    screen: cases.ReportScreen, language: str, *, rows: bool = True, panels: bool = True
) -> dict[str, Any]:
    """What the page shows for a month, from the one read of it: the grid's ``rows`` and the
    ``panels`` (info, review, missing), or only those asked for (a save's answer needs the
    rows, the panels' refresh the panels)."""
    who, day, period = actor(), today(), screen.period
    lines = list(screen.lines)
    office = panels and _office()
    drawn: dict[str, Any] = {"editable": screen.editable}
    if rows:
        drawn["rows"] = view.rows(lines, language, period=period, today=day, reporter=who.label)
    if panels:
        drawn["info"] = view.period_info(period, lines, language, today=day)
        drawn["review"] = (
            view.review_table(
                lines, language, can_return=period is not None and period.status == "open"
            )
            if office
            else None
        )
        drawn["missing"] = view.missing_list(lines, period, language, today=day) if office else None
    return drawn


def _read_screen(period: date | None):
    """The month's screen as an ``Outcome`` (refused for an account that does not report)."""
    return attempt(
        lambda: read(
            cases.report_screen,
            actor=actor(),
            period=period,
            today=today(),
            settings=web().settings,
        )
    )


def _denied(error: BaseException | None, language: str) -> Any:
    if isinstance(error, PermissionDenied) or error is None:
        return ui.denied(t("reports.denied", language))
    return ui.denied(refusal_text(error))


def layout(month=None, **_query):
    language = lang()
    done = attempt(
        lambda: read(
            cases.report_page,
            actor=actor(),
            month=month_value(month),
            today=today(),
            settings=web().settings,
        )
    )
    if not done or done.value is None:
        return html.Div(_denied(done.error, language), className="page")
    page = done.value
    screen = _render(page.screen, language)
    chosen = page.chosen
    return html.Div(
        [
            ui.page_title(
                t("nav.reports", language),
                t("reports.subtitle", language),
                right=_picker(page, language),
            ),
            html.Div(screen["info"], id=Ids.INFO, className="rp-info"),
            _tabs(screen, language),
            view.return_modal(language),
            dcc.Store(id=Ids.PERIOD, data=chosen.isoformat() if chosen else None),
            dcc.Store(id=Ids.REFRESH),
            dcc.Store(id=Ids.PANELS),
            notices.store("reports"),
        ],
        className="page page-reports",
    )


def _picker(page: cases.ReportPage, language: str) -> Any:
    return dmc.Select(
        id=Ids.MONTH,
        data=view.month_options(page.periods, language),
        value=page.chosen.isoformat() if page.chosen else None,
        label=t("reports.month", language),
        allowDeselect=False,
        w=220,
    )


def _tabs(screen: dict[str, Any], language: str) -> Any:
    entry = html.Div(
        [
            html.Div(  # the office's grid; a phone shows a card per project instead (#18)
                [
                    view.actions(language, editable=screen["editable"]),
                    view.grid(screen["rows"], language),
                ],
                className="rp-desk",
            ),
            html.Div(
                phone.cards(screen["rows"], language), id=Ids.PHONE_LIST, className="rp-phone"
            ),
            html.Div(id=Ids.MESSAGES, className="rp-messages"),
            phone.form_modal(language),
        ]
    )
    tabs = [
        dmc.TabsTab(t("reports.tab_entry", language), value="entry"),
        dmc.TabsTab(t("reports.tab_offline", language), value="offline"),
    ]
    offline = view.offline_panel(
        language, office=_office(), max_mb=int(web().settings.MAX_UPLOAD_MB)
    )
    panels = [
        dmc.TabsPanel(entry, value="entry", pt="sm"),
        dmc.TabsPanel(offline, value="offline", pt="sm"),
    ]
    if _office():
        tabs += [
            dmc.TabsTab(t("reports.tab_review", language), value="review"),
            dmc.TabsTab(t("reports.tab_missing", language), value="missing"),
        ]
        panels += [
            dmc.TabsPanel(html.Div(screen["review"], id=Ids.REVIEW), value="review", pt="sm"),
            dmc.TabsPanel(html.Div(screen["missing"], id=Ids.MISSING), value="missing", pt="sm"),
        ]
    else:  # the outputs exist on every variant of the page
        panels.append(html.Div([html.Div(id=Ids.REVIEW), html.Div(id=Ids.MISSING)], hidden=True))
    return dmc.Tabs(
        [dmc.TabsList(tabs), *panels], id=Ids.TABS, value="entry", mt="sm", keepMounted=True
    )


# --- the grid -----------------------------------------------------------------------------------


def show_report_month(month, _reload, _refresh):
    period = month_value(month)
    language = lang()
    done = _read_screen(period)
    if not done:
        return (
            [],
            _denied(done.error, language),
            None,
            None,
            True,
            True,
            True,
            NOTHING,
            None,
            NOTHING,
        )
    screen = _render(done.value, language)
    locked = not screen["editable"]
    return (
        screen["rows"],
        screen["info"],
        screen["review"],
        screen["missing"],
        locked,
        locked,
        locked,
        period.isoformat() if period else None,
        None,
        view.column_defs(language, show_return=view.has_return_comments(screen["rows"])),
    )


def refresh_report_panels(_modified, period_iso):
    period = month_value(period_iso)
    done = _read_screen(period)
    if period is None or not done:
        return (NOTHING,) * 6
    screen = _render(done.value, lang(), rows=False)
    locked = not screen["editable"]
    return screen["info"], screen["review"], screen["missing"], locked, locked, locked


def _save(mode: str, row_data, virtual, selected, period_iso, submit: bool | None = None):
    """Save or submit the chosen rows; refused rows keep the user's values and their problems.
    ``submit`` None: a draft for ``draft``, a submission for the others."""
    language = lang()
    period = month_value(period_iso)
    if period is None:
        return NOTHING, NOTHING, ui.notice(t("reports.no_period", language), ok=False), NOTHING
    rows_now = view.current_rows(row_data, virtual)
    chosen = view.pick_rows(rows_now, mode, selected)
    if not chosen:
        key = "reports.nothing_selected" if mode == "selected" else "reports.nothing_to_save"
        return NOTHING, NOTHING, ui.notice(t(key, language), ok=False), NOTHING
    submit = mode != "draft" if submit is None else submit
    context = web()
    # one transaction per row (a refused row never undoes the others): the batch's own unit
    outcomes = report_entry.save_rows(
        context.engine,
        actor=actor(),
        period=period,
        rows=view.inputs_of(chosen, context.settings.AMOUNT_MAX_WAN),
        submit=submit,
        today=today(),
        settings=context.settings,
    )
    fresh = _read_screen(period)
    fresh_rows = _render(fresh.value, language, panels=False)["rows"] if fresh else []
    merged = view.merge_outcomes(rows_now, outcomes, fresh_rows, language)
    ok = all(o.ok for o in outcomes)
    summary = view.outcome_summary(outcomes, submit=submit, language=language, rows_before=chosen)
    return merged, view.messages(merged, language), ui.notice(summary, ok=ok), _stamp()


def save_report_drafts(n_clicks, row_data, virtual, period_iso):
    if not n_clicks:
        return (NOTHING,) * 4
    return _save("draft", row_data, virtual, None, period_iso)


def submit_reports(selected_clicks, all_clicks, row_data, virtual, selected, period_iso):
    if not (selected_clicks or all_clicks):
        return (NOTHING,) * 4
    mode = "selected" if ctx.triggered_id == Ids.SUBMIT_SELECTED else "all"
    return _save(mode, row_data, virtual, selected, period_iso)


# --- the phone: a card per project, a form for one (#18) ---------------------------------------


def show_phone_cards(row_data):
    return phone.cards(row_data, lang())


def open_phone_form(_clicks, row_data):
    """The form on the tapped project's row as the grid holds it (nothing is read or saved:
    the save goes through the report service, which checks the actor's scope)."""
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        raise PreventUpdate  # the cards drawn anew: nothing tapped (one answer for all outputs)
    found = phone.find_row(row_data, (ctx.triggered_id or {}).get("index"))
    if found is None:
        raise PreventUpdate
    language, locked = lang(), not found.get("editable")
    title = f"{found.get('code', '')} {found.get('name', '')}"
    note = phone.form_note(found, language)
    return True, title, found.get("project_id"), phone.form_values(found), note, locked, locked


def save_phone_report(save_clicks, submit_clicks, values, project_id, row_data, period_iso):
    """Save or submit the one project's report from the phone's form."""
    if not (save_clicks or submit_clicks):
        return (NOTHING,) * 6
    found = phone.find_row(row_data, project_id)
    if found is None:
        return NOTHING, NOTHING, ui.notice(t("request.invalid", lang()), ok=False), *(NOTHING,) * 3
    names = [s["id"].get("index") for s in ctx.states_list[0]] if ctx.states_list else []
    typed = phone.edited(found, names, values if isinstance(values, list) else [])
    rows_now = [
        typed if r.get("project_id") == found.get("project_id") else r
        for r in view.current_rows(row_data, None)
    ]
    submit = ctx.triggered_id == Ids.PHONE_SUBMIT
    merged, problems, notice, stamp = _save(
        "selected", rows_now, None, [found], period_iso, submit=submit
    )
    if merged is NOTHING:
        return merged, problems, notice, stamp, NOTHING, NOTHING
    after = phone.find_row(merged, project_id) or {}
    if after.get("refused"):  # the form stays open on what was typed, with the reason
        return merged, problems, notice, stamp, NOTHING, str(after.get("message") or "")
    return merged, problems, notice, stamp, False, ""


# --- the offline form ---------------------------------------------------------------------------


def download_report_form(n_clicks, county, period_iso):
    if not n_clicks:
        return NOTHING, NOTHING
    language = lang()
    period = month_value(period_iso)
    who = actor()
    done = attempt(
        lambda: read(
            cases.form_bytes,
            actor=who,
            period=period,
            today=today(),
            settings=web().settings,
            county=text_value(county),
        )
    )
    if not done or period is None:
        return NOTHING, done.notice
    scope = who.county or who.lead_unit or text_value(county) or t("reports.form_all", language)
    name = t("reports.form_file", language, scope=scope, month=f"{period:%Y-%m}")
    return dash_dcc.send_bytes(done.value, name), NOTHING


def upload_report_form(contents, filename, as_draft):
    if not contents:
        return (NOTHING,) * 4
    language = lang()
    submit = not as_draft
    fresh_box = view.upload_box(language, int(web().settings.MAX_UPLOAD_MB))
    done = attempt(  # all or nothing: a refused form raises, and the unit writes nothing
        lambda: write(
            cases.upload_form,
            actor=actor(),
            data=view.upload_bytes(contents),
            filename=str(filename or ""),
            today=today(),
            settings=web().settings,
            submit=submit,
        )
    )
    result = done.value if done else getattr(done.error, "result", None)
    if result is None:  # the file itself was refused
        return ui.denied(refusal_text(done.error)), fresh_box, done.notice, NOTHING
    shown = view.upload_result(
        saved=result.saved,
        skipped=result.skipped,
        unchanged=result.unchanged,
        errors=result.errors,
        submit=submit,
        language=language,
        notes=result.notes,
    )
    if not done:
        return shown, fresh_box, NOTHING, NOTHING
    message = t("reports.form_done", language, n=result.saved)
    return shown, fresh_box, ui.notice(message, ok=True), _stamp()


# --- the office's review ------------------------------------------------------------------------


def open_return_dialog(_clicks, period_iso):
    if not ctx.triggered or not ctx.triggered[0].get("value"):
        return (NOTHING,) * 4
    line = read(
        cases.line_to_return,
        actor=actor(),
        period=month_value(period_iso),
        project_id=(ctx.triggered_id or {}).get("index"),
        today=today(),
        settings=web().settings,
    )
    if line is None:
        return (NOTHING,) * 4
    return True, view.return_target(line), f"{line.code} {line.name}", ""


def return_submitted_report(n_clicks, target, comment):
    if not n_clicks:
        return NOTHING, NOTHING, NOTHING
    if not isinstance(target, dict):
        return NOTHING, NOTHING, ui.notice(t("request.invalid", lang()), ok=False)
    done = attempt(
        lambda: write(
            cases.send_back,
            actor=actor(),
            project_id=as_id(target.get("project_id")) or 0,
            period=month_value(target.get("period")),
            comment=comment if isinstance(comment, str) else "",
            seen_version=as_id(target.get("version")),
            today=today(),
            settings=web().settings,
        ),
        ok=lambda _version: t("reports.returned", lang()),
    )
    if not done:
        return NOTHING, NOTHING, done.notice
    return False, _stamp(), done.notice


# --- wiring -------------------------------------------------------------------------------------

_GRID_ROWS = (Output(Ids.GRID, "rowData", allow_duplicate=True),)
_SAVED = (*_GRID_ROWS, Output(Ids.MESSAGES, "children", allow_duplicate=True), NOTIFY)
_SAVED += (Output(Ids.PANELS, "data", allow_duplicate=True),)
_EDITS = (State(Ids.GRID, "rowData"), State(Ids.GRID, "virtualRowData"))
_BUTTONS = (Ids.SAVE, Ids.SUBMIT_SELECTED, Ids.SUBMIT_ALL)  # disabled while nothing is editable

CALLBACKS: tuple[tuple[Any, tuple[Any, ...]], ...] = (
    (
        show_report_month,
        (
            Output(Ids.GRID, "rowData"),
            Output(Ids.INFO, "children"),
            Output(Ids.REVIEW, "children"),
            Output(Ids.MISSING, "children"),
            *(Output(button, "disabled") for button in _BUTTONS),
            Output(Ids.PERIOD, "data"),
            Output(Ids.MESSAGES, "children"),
            Output(Ids.GRID, "columnDefs"),
            Input(Ids.MONTH, "value"),
            Input(Ids.RELOAD, "n_clicks"),
            Input(Ids.REFRESH, "data"),
        ),
    ),
    (
        refresh_report_panels,
        (
            Output(Ids.INFO, "children", allow_duplicate=True),
            Output(Ids.REVIEW, "children", allow_duplicate=True),
            Output(Ids.MISSING, "children", allow_duplicate=True),
            *(Output(button, "disabled", allow_duplicate=True) for button in _BUTTONS),
            Input(Ids.PANELS, "data"),
            State(Ids.PERIOD, "data"),
        ),
    ),
    (
        save_report_drafts,
        (*_SAVED, Input(Ids.SAVE, "n_clicks"), *_EDITS, State(Ids.PERIOD, "data")),
    ),
    (
        submit_reports,
        (
            *_SAVED,
            Input(Ids.SUBMIT_SELECTED, "n_clicks"),
            Input(Ids.SUBMIT_ALL, "n_clicks"),
            *_EDITS,
            State(Ids.GRID, "selectedRows"),
            State(Ids.PERIOD, "data"),
        ),
    ),
    (show_phone_cards, (Output(Ids.PHONE_LIST, "children"), Input(Ids.GRID, "rowData"))),
    (
        open_phone_form,
        (
            Output(Ids.PHONE_MODAL, "opened"),
            Output(Ids.PHONE_MODAL, "title"),
            Output(Ids.PHONE_TARGET, "data"),
            Output({"type": Ids.PHONE_FIELD, "index": ALL}, "value"),
            Output(Ids.PHONE_NOTE, "children"),
            Output(Ids.PHONE_SAVE, "disabled"),
            Output(Ids.PHONE_SUBMIT, "disabled"),
            Input({"type": Ids.PHONE_OPEN, "index": ALL}, "n_clicks"),
            State(Ids.GRID, "rowData"),
        ),
    ),
    (
        save_phone_report,
        (
            *_SAVED,
            Output(Ids.PHONE_MODAL, "opened", allow_duplicate=True),
            Output(Ids.PHONE_NOTE, "children", allow_duplicate=True),
            Input(Ids.PHONE_SAVE, "n_clicks"),
            Input(Ids.PHONE_SUBMIT, "n_clicks"),
            State({"type": Ids.PHONE_FIELD, "index": ALL}, "value"),
            State(Ids.PHONE_TARGET, "data"),
            State(Ids.GRID, "rowData"),
            State(Ids.PERIOD, "data"),
        ),
    ),
    (
        download_report_form,
        (
            Output(Ids.FORM_FILE, "data"),
            NOTIFY,
            Input(Ids.FORM_DOWNLOAD, "n_clicks"),
            State(Ids.FORM_COUNTY, "value"),
            State(Ids.PERIOD, "data"),
        ),
    ),
    (
        upload_report_form,
        (
            Output(Ids.UPLOAD_RESULT, "children"),
            Output(Ids.UPLOAD_BOX, "children"),
            NOTIFY,
            Output(Ids.REFRESH, "data"),
            Input(Ids.UPLOAD, "contents"),
            State(Ids.UPLOAD, "filename"),
            State(Ids.UPLOAD_DRAFT, "checked"),
        ),
    ),
    (
        open_return_dialog,
        (
            Output(Ids.RETURN_MODAL, "opened"),
            Output(Ids.RETURN_TARGET, "data"),
            Output(Ids.RETURN_WHAT, "children"),
            Output(Ids.RETURN_COMMENT, "value"),
            Input({"type": Ids.RETURN_OPEN, "index": ALL}, "n_clicks"),
            State(Ids.PERIOD, "data"),
        ),
    ),
    (
        return_submitted_report,
        (
            Output(Ids.RETURN_MODAL, "opened", allow_duplicate=True),
            Output(Ids.REFRESH, "data", allow_duplicate=True),
            NOTIFY,
            Input(Ids.RETURN_CONFIRM, "n_clicks"),
            State(Ids.RETURN_TARGET, "data"),
            State(Ids.RETURN_COMMENT, "value"),
        ),
    ),
)


def register_callbacks(app: dash.Dash) -> None:
    for callback, dependencies in CALLBACKS:
        app.callback(*dependencies, prevent_initial_call=True)(callback)


dash.register_page(
    __name__, path=PATH, title=lambda: t("nav.reports", lang()), order=2, layout=layout
)
