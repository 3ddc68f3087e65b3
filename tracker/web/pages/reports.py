"""月报填报 page (/reports): wiring only. Every save goes through the report services, which
check the actor's scope and the month's lock themselves."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from tracker.excel.report_form import FormFileError
from tracker.i18n import t
from tracker.services import cycle, report_entry, reports
from tracker.services.errors import ServiceError
from tracker.services.permissions import can
from tracker.web import ui
from tracker.web.context import actor, lang, reading, today, writing
from tracker.web.context import ctx as web
from tracker.web.payload import as_id
from tracker.web.shell import ShellIds
from tracker.web.views import reports as view
from tracker.web.views.admin import decode_upload
from tracker.web.views.reports import ReportsIds as Ids

NOTIFY = Output(ShellIds.NOTIFY, "sendNotifications", allow_duplicate=True)
REPORTING_ROLES = ("admin", "county", "unit")


def _stamp() -> int:
    return int(time.time() * 1000)


def _screen(period: date | None, language: str) -> dict[str, Any]:
    """Everything the page shows for a month, read in one go."""
    who, day, settings = actor(), today(), web().settings
    with reading() as session:
        row = cycle.get_period(session, period) if period else None
        lines = (
            reports.report_grid(session, actor=who, period=period, today=day, settings=settings)
            if period
            else []
        )
    office = who.role == "admin"
    editable = any(line.editable for line in lines)
    return {
        "rows": view.rows(lines, language, period=row, today=day, reporter=who.label),
        "info": view.period_info(row, lines, language, today=day),
        "review": view.review_table(
            lines,
            language,
            can_return=office and row is not None and row.status == "open",
        )
        if office
        else None,
        "missing": view.missing_list(lines, row, language, today=day) if office else None,
        "editable": editable,
    }


def layout(month=None, **_query):
    language = lang()
    who = actor()
    if who.role not in REPORTING_ROLES:
        return html.Div(ui.denied(t("reports.denied", language)), className="page")
    with reading() as session:
        periods = cycle.list_periods(session)
        current = cycle.period_now(session, today=today(), settings=web().settings)
    # #19: the month the sidebar names (the current period by the reporting calendar)
    stored = {p.period for p in periods}
    chosen = view.parse_month(month) or view.default_month(
        periods, current.period if current.period in stored else None
    )
    screen = _screen(chosen, language)
    office = who.role == "admin"
    entry = html.Div(
        [
            view.actions(language, editable=screen["editable"]),
            view.grid(screen["rows"], language),
            html.Div(id=Ids.MESSAGES, className="rp-messages"),
        ]
    )
    tabs = [
        dmc.TabsTab(t("reports.tab_entry", language), value="entry"),
        dmc.TabsTab(t("reports.tab_offline", language), value="offline"),
    ]
    panels = [
        dmc.TabsPanel(entry, value="entry", pt="sm"),
        dmc.TabsPanel(
            view.offline_panel(language, office=office, max_mb=int(web().settings.MAX_UPLOAD_MB)),
            value="offline",
            pt="sm",
        ),
    ]
    if office:
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
    picker = dmc.Select(
        id=Ids.MONTH,
        data=view.month_options(periods, language),
        value=chosen.isoformat() if chosen else None,
        label=t("reports.month", language),
        allowDeselect=False,
        w=220,
    )
    return html.Div(
        [
            ui.page_title(
                t("nav.reports", language),
                t("reports.subtitle", language),
                right=picker,
            ),
            html.Div(screen["info"], id=Ids.INFO, className="rp-info"),
            dmc.Tabs(
                [dmc.TabsList(tabs), *panels], id=Ids.TABS, value="entry", mt="sm", keepMounted=True
            ),
            view.return_modal(language),
            dcc.Store(id=Ids.PERIOD, data=chosen.isoformat() if chosen else None),
            dcc.Store(id=Ids.REFRESH),
            dcc.Store(id=Ids.PANELS),
        ],
        className="page page-reports",
    )


def _save(mode: str, row_data, virtual, selected, period_iso):
    """Save or submit the chosen rows; refused rows keep the user's values and their problems."""
    language = lang()
    period = view.parse_month(period_iso)
    refused = None
    if actor().role not in REPORTING_ROLES:
        refused = t("reports.denied", language)
    elif period is None:
        refused = t("reports.no_period", language)
    if refused is not None:
        return no_update, no_update, ui.notice(refused, ok=False), no_update
    rows_now = view.current_rows(row_data, virtual)
    chosen = view.pick_rows(rows_now, mode, selected)
    if not chosen:
        key = "reports.nothing_selected" if mode == "selected" else "reports.nothing_to_save"
        return no_update, no_update, ui.notice(t(key, language), ok=False), no_update
    submit = mode != "draft"
    context = web()
    outcomes = report_entry.save_rows(
        context.engine,
        actor=actor(),
        period=period,
        rows=view.inputs_of(chosen, context.settings.AMOUNT_MAX_WAN),
        submit=submit,
        today=today(),
        settings=context.settings,
    )
    fresh = _screen(period, language)["rows"]
    merged = view.merge_outcomes(rows_now, outcomes, fresh, language)
    ok = all(o.ok for o in outcomes)
    summary = view.outcome_summary(outcomes, submit=submit, language=language, rows_before=chosen)
    notice = ui.notice(summary, ok=ok)
    return merged, view.messages(merged, language), notice, _stamp()


def register_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output(Ids.GRID, "rowData"),
        Output(Ids.INFO, "children"),
        Output(Ids.REVIEW, "children"),
        Output(Ids.MISSING, "children"),
        Output(Ids.SAVE, "disabled"),
        Output(Ids.SUBMIT_SELECTED, "disabled"),
        Output(Ids.SUBMIT_ALL, "disabled"),
        Output(Ids.PERIOD, "data"),
        Output(Ids.MESSAGES, "children"),
        Output(Ids.GRID, "columnDefs"),
        Input(Ids.MONTH, "value"),
        Input(Ids.RELOAD, "n_clicks"),
        Input(Ids.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def show_report_month(month, _reload, _refresh):
        period = view.parse_month(month)
        language = lang()
        if actor().role not in REPORTING_ROLES:
            return (no_update,) * 10
        try:
            screen = _screen(period, language)
        except ServiceError as exc:
            return (
                [],
                ui.denied(str(exc)),
                None,
                None,
                True,
                True,
                True,
                no_update,
                None,
                no_update,
            )
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

    @app.callback(
        Output(Ids.INFO, "children", allow_duplicate=True),
        Output(Ids.REVIEW, "children", allow_duplicate=True),
        Output(Ids.MISSING, "children", allow_duplicate=True),
        Output(Ids.SAVE, "disabled", allow_duplicate=True),
        Output(Ids.SUBMIT_SELECTED, "disabled", allow_duplicate=True),
        Output(Ids.SUBMIT_ALL, "disabled", allow_duplicate=True),
        Input(Ids.PANELS, "data"),
        State(Ids.PERIOD, "data"),
        prevent_initial_call=True,
    )
    def refresh_report_panels(_modified, period_iso):
        period = view.parse_month(period_iso)
        if actor().role not in REPORTING_ROLES or period is None:
            return (no_update,) * 6
        screen = _screen(period, lang())
        locked = not screen["editable"]
        return screen["info"], screen["review"], screen["missing"], locked, locked, locked

    @app.callback(
        Output(Ids.GRID, "rowData", allow_duplicate=True),
        Output(Ids.MESSAGES, "children", allow_duplicate=True),
        NOTIFY,
        Output(Ids.PANELS, "data", allow_duplicate=True),
        Input(Ids.SAVE, "n_clicks"),
        State(Ids.GRID, "rowData"),
        State(Ids.GRID, "virtualRowData"),
        State(Ids.PERIOD, "data"),
        prevent_initial_call=True,
    )
    def save_report_drafts(n_clicks, row_data, virtual, period_iso):
        if not n_clicks:
            return (no_update,) * 4
        return _save("draft", row_data, virtual, None, period_iso)

    @app.callback(
        Output(Ids.GRID, "rowData", allow_duplicate=True),
        Output(Ids.MESSAGES, "children", allow_duplicate=True),
        NOTIFY,
        Output(Ids.PANELS, "data", allow_duplicate=True),
        Input(Ids.SUBMIT_SELECTED, "n_clicks"),
        Input(Ids.SUBMIT_ALL, "n_clicks"),
        State(Ids.GRID, "rowData"),
        State(Ids.GRID, "virtualRowData"),
        State(Ids.GRID, "selectedRows"),
        State(Ids.PERIOD, "data"),
        prevent_initial_call=True,
    )
    def submit_reports(selected_clicks, all_clicks, row_data, virtual, selected, period_iso):
        if not (selected_clicks or all_clicks):
            return (no_update,) * 4
        mode = "selected" if ctx.triggered_id == Ids.SUBMIT_SELECTED else "all"
        return _save(mode, row_data, virtual, selected, period_iso)

    # --- the offline form -------------------------------------------------------------------
    @app.callback(
        Output(Ids.FORM_FILE, "data"),
        NOTIFY,
        Input(Ids.FORM_DOWNLOAD, "n_clicks"),
        State(Ids.FORM_COUNTY, "value"),
        State(Ids.PERIOD, "data"),
        prevent_initial_call=True,
    )
    def download_report_form(n_clicks, county, period_iso):
        if not n_clicks:
            return no_update, no_update
        language = lang()
        period = view.parse_month(period_iso)
        who = actor()
        try:
            if period is None:
                raise ServiceError(t("reports.no_period", language))
            with reading() as session:
                data = reports.report_form(
                    session,
                    actor=who,
                    period=period,
                    today=today(),
                    settings=web().settings,
                    county=county if who.role == "admin" and county else None,
                )
        except ServiceError as exc:
            return no_update, ui.notice(str(exc), ok=False)
        scope = who.county or who.lead_unit or county or t("reports.form_all", language)
        name = t("reports.form_file", language, scope=scope, month=f"{period:%Y-%m}")
        return dcc.send_bytes(data, name), no_update

    @app.callback(
        Output(Ids.UPLOAD_RESULT, "children"),
        Output(Ids.UPLOAD_BOX, "children"),
        NOTIFY,
        Output(Ids.REFRESH, "data"),
        Input(Ids.UPLOAD, "contents"),
        State(Ids.UPLOAD, "filename"),
        State(Ids.UPLOAD_DRAFT, "checked"),
        prevent_initial_call=True,
    )
    def upload_report_form(contents, filename, as_draft):
        if not contents:
            return (no_update,) * 4
        language = lang()
        submit = not as_draft
        fresh_box = view.upload_box(language, int(web().settings.MAX_UPLOAD_MB))
        try:
            data = decode_upload(contents)
            with writing() as session:  # the service runs the upload guard before reading
                result = reports.apply_report_form(
                    session,
                    actor=actor(),
                    data=data,
                    filename=str(filename or ""),
                    today=today(),
                    settings=web().settings,
                    submit=submit,
                )
                if not result.ok:
                    session.rollback()  # all or nothing: a refused form writes nothing
        except (ServiceError, FormFileError) as exc:
            return ui.denied(str(exc)), fresh_box, ui.notice(str(exc), ok=False), no_update
        shown = view.upload_result(
            saved=result.saved,
            skipped=result.skipped,
            unchanged=result.unchanged,
            errors=result.errors,
            submit=submit,
            language=language,
            notes=result.notes,
        )
        if not result.ok:
            return shown, fresh_box, no_update, no_update
        message = t("reports.form_done", language, n=result.saved)
        return shown, fresh_box, ui.notice(message, ok=True), _stamp()

    # --- the office's review ---------------------------------------------------------------
    @app.callback(
        Output(Ids.RETURN_MODAL, "opened"),
        Output(Ids.RETURN_TARGET, "data"),
        Output(Ids.RETURN_WHAT, "children"),
        Output(Ids.RETURN_COMMENT, "value"),
        Input({"type": Ids.RETURN_OPEN, "index": ALL}, "n_clicks"),
        State(Ids.PERIOD, "data"),
        prevent_initial_call=True,
    )
    def open_return_dialog(_clicks, period_iso):
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return (no_update,) * 4
        period = view.parse_month(period_iso)
        project_id = (ctx.triggered_id or {}).get("index")
        who = actor()
        if period is None or not can(who, "report.return"):
            return (no_update,) * 4
        with reading() as session:
            lines = reports.report_grid(
                session, actor=who, period=period, today=today(), settings=web().settings
            )
        line = next((x for x in lines if x.project_id == project_id), None)
        if line is None or line.status != "submitted":
            return (no_update,) * 4
        return True, view.return_target(line), f"{line.code} {line.name}", ""

    @app.callback(
        Output(Ids.RETURN_MODAL, "opened", allow_duplicate=True),
        Output(Ids.REFRESH, "data", allow_duplicate=True),
        NOTIFY,
        Input(Ids.RETURN_CONFIRM, "n_clicks"),
        State(Ids.RETURN_TARGET, "data"),
        State(Ids.RETURN_COMMENT, "value"),
        prevent_initial_call=True,
    )
    def return_submitted_report(n_clicks, target, comment):
        if not n_clicks:
            return no_update, no_update, no_update
        if not isinstance(target, dict):
            return no_update, no_update, ui.notice(t("request.invalid", lang()), ok=False)
        period = view.parse_month(target.get("period"))
        try:
            if period is None:
                raise ServiceError(t("reports.no_period", lang()))
            with writing() as session:
                reports.return_report(
                    session,
                    actor=actor(),
                    project_id=as_id(target.get("project_id")) or 0,
                    period=period,
                    comment=comment if isinstance(comment, str) else "",
                    seen_version=as_id(target.get("version")),
                    today=today(),
                    settings=web().settings,
                )
        except (ServiceError, ValueError) as exc:
            return no_update, no_update, ui.notice(str(exc), ok=False)
        return False, _stamp(), ui.notice(t("reports.returned", lang()), ok=True)


dash.register_page(
    __name__, path="/reports", title=lambda: t("nav.reports", lang()), order=2, layout=layout
)
