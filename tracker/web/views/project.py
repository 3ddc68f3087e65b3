"""The project page: plan, light and reasons, milestones, investment, reports, history,
and the milestone edit form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tracker import palette
from tracker.domain.approvals import STEPS_BY_CODE
from tracker.domain.periods import SHANGHAI, month_label
from tracker.domain.places import FULL_NAMES
from tracker.domain.rules import Light, MilestoneState
from tracker.i18n import describe_reason, nature_label, t
from tracker.services.ledger import LedgerLine
from tracker.services.milestones import EditForm
from tracker.services.projects import HistoryEntry, MilestoneView, ProjectDetail
from tracker.web import figures, ui
from tracker.web.plain import Plain, dcc, dmc, html
from tracker.web.views import ledger as ledger_view
from tracker.web.views.slips import slip_section

REPORTS_SHOWN = 24
# The one palette's text colours (readable on the badge's pale tint); the badge says the state.
STATE_COLORS = {
    MilestoneState.DONE: palette.TEXT["green"],
    MilestoneState.OVERDUE: palette.TEXT["red"],
    MilestoneState.DUE_SOON: palette.TEXT["amber"],
    MilestoneState.FUTURE: "gray",
}


class ProjectIds:
    BODY = "pj-body"
    PROJECT = "pj-project"  # Store: the project id of the page
    REFRESH = "pj-refresh"  # Store: bumped after a save, re-renders the body
    EDIT = "pj-edit"  # pattern: {"type": EDIT, "index": milestone id}
    MODAL = "pj-modal"
    FORM = "pj-form"  # Store: {"milestone_id", "version"} the form was opened at
    FORM_INFO = "pj-form-info"
    FORM_TABS = "pj-form-tabs"
    FORM_ERROR = "pj-form-error"
    DONE_DATE = "pj-done-date"
    DONE_SAVE = "pj-done-save"
    NEW_DATE = "pj-new-date"
    REASON = "pj-reason"
    APPROVAL_HINT = "pj-approval-hint"
    RESCHEDULE_SAVE = "pj-reschedule-save"
    NOTE = "pj-note"
    NOTE_SAVE = "pj-note-save"
    # the page's parts (tests and the English walk find them by these ids)
    MILESTONES = "pj-milestones"
    LIGHT = "pj-light"
    REASONS = "pj-reasons"
    OWN_DUE = "pj-own-due"
    RATE = "pj-rate"
    HISTORY = "pj-history"
    CHART = "pj-chart"
    NAME = "pj-name"
    STAGE = "pj-stage"


def _state_badge(m: MilestoneView, language: str) -> Plain:
    label = t(f"milestone.{m.state.value}", language)
    if m.state is MilestoneState.OVERDUE:
        label = t("milestone.overdue_days", language, days=m.days)
    elif m.state is MilestoneState.DUE_SOON:
        label = t("milestone.due_in", language, days=m.days)
    elif m.state is MilestoneState.DONE and m.days > 0:
        label = t("milestone.done_late", language, days=m.days)
    return dmc.Badge(label, color=STATE_COLORS[m.state], variant="light", className="ms-state")


def _planned_cell(m: MilestoneView, language: str) -> list:
    cell: list = [html.Div(ui.day(m.planned_date))]
    if m.slipped_days:
        cell.append(
            html.Div(t("milestone.slipped", language, days=m.slipped_days), className="cell-note")
        )
    if m.pending_date:
        cell.append(
            dmc.Tooltip(
                dmc.Badge(
                    t("milestone.pending", language, date=ui.day(m.pending_date)),
                    color="violet",
                    variant="light",
                    size="sm",
                ),
                label=m.pending_reason,
                multiline=True,
                w=260,
            )
        )
    return cell


def _phone_label(key: str, language: str) -> Plain:
    """A column's name inside its cell, shown only where a phone stacks the row (#18)."""
    return html.Span(t(key, language), className="ms-label")


def milestone_table(detail: ProjectDetail, language: str) -> Plain:
    head = [
        "col.seq",
        "col.milestone",
        "col.baseline",
        "col.planned",
        "col.actual",
        "col.state",
        "col.note",
    ]
    header = [dmc.TableTh(t(k, language)) for k in head]
    if detail.can_edit:
        header.append(dmc.TableTh(t("col.actions", language)))
    body = []
    for m in detail.milestones:
        cells = [
            dmc.TableTd(str(m.seq), className="ms-seq"),
            dmc.TableTd(m.name, className="ms-name"),
            dmc.TableTd([_phone_label("col.baseline", language), ui.day(m.baseline_date)]),
            dmc.TableTd([_phone_label("col.planned", language), *_planned_cell(m, language)]),
            dmc.TableTd(
                [_phone_label("col.actual", language), ui.day(m.actual_date)],
                className="ms-actual" if m.actual_date else "ms-actual ms-empty",
            ),
            dmc.TableTd(_state_badge(m, language), className="ms-state-cell"),
            dmc.TableTd(m.note or "", className="ms-note" if m.note else "ms-note ms-empty"),
        ]
        if detail.can_edit:
            cells.append(
                dmc.TableTd(
                    dmc.Button(
                        t("milestone.update", language),
                        id={"type": ProjectIds.EDIT, "index": m.id},
                        size="xs",
                        variant="light",
                        className="ms-edit",
                    )
                )
            )
        body.append(dmc.TableTr(cells, className=f"ms-row ms-{m.state.value}"))
    return dmc.Table(
        [dmc.TableThead(dmc.TableTr(header)), dmc.TableTbody(body)],
        striped=False,
        highlightOnHover=True,
        verticalSpacing="xs",
        className="ms-table",
        id=ProjectIds.MILESTONES,
    )


def _figure(label: str, value: Any, sub: Any = None, cid: str | None = None) -> Plain:
    return html.Div(
        [
            html.Div(label, className="fig-label"),
            html.Div(value, className="fig-value", id=cid)
            if cid
            else html.Div(value, className="fig-value"),
            html.Div(sub, className="fig-sub") if sub is not None else None,
        ],
        className="fig-box",
    )


def status_panel(detail: ProjectDetail, language: str) -> Plain:
    s = detail.status
    reasons = [describe_reason(r, language) for r in s.reasons] or [t("reason.none", language)]
    gap_class = "gap-ahead" if s.gap_pp is not None and s.gap_pp >= 0 else "gap-behind"
    return dmc.Paper(
        [
            dmc.Group(
                [
                    html.Div(
                        [
                            ui.light_badge(s.light, language, size="lg"),
                            *([ui.returned_badge(language, size="lg")] if s.returned else []),
                        ],
                        id=ProjectIds.LIGHT,
                        className="light-with-tags",
                    ),
                    html.Ul(
                        [html.Li(r) for r in reasons],
                        className="reason-list",
                        id=ProjectIds.REASONS,
                    ),
                ],
                align="flex-start",
                wrap="nowrap",
                gap="lg",
            ),
            html.Div(
                [
                    _figure(
                        t("fig.total_investment", language),
                        [
                            ui.wan(detail.project.total_investment),
                            html.Small(t("unit.wan", language), className="nowrap"),
                        ],
                    ),
                    _figure(
                        t("fig.annual_plan", language),
                        [
                            ui.wan(s.annual_plan),
                            html.Small(t("unit.wan", language), className="nowrap"),
                        ],
                    ),
                    _figure(
                        t("fig.completed_ytd", language),
                        [
                            ui.wan(s.completed_ytd),
                            html.Small(t("unit.wan", language), className="nowrap"),
                        ],
                    ),
                    _figure(
                        t("fig.rate_label", language),
                        ui.pct(s.rate),
                        [
                            html.Span(ui.pp(s.gap_pp, language), className=gap_class),
                            html.Span(
                                " · "
                                + t("project.own_due", language, value=ui.pct(s.due_share))
                                + ui.paren(
                                    t(f"project.due_basis.{s.due_basis}", language), language
                                ),
                                className="dimmed",
                                id=ProjectIds.OWN_DUE,
                            ),
                        ],
                        cid=ProjectIds.RATE,
                    ),
                    _figure(
                        t("fig.completed_total", language),
                        [
                            ui.wan(s.completed_total),
                            html.Small(t("unit.wan", language), className="nowrap"),
                        ],
                    ),
                    _figure(
                        t("fig.progress", language),
                        ui.pct(s.progress, 0),
                        dmc.Progress(value=round(s.progress * 100), size="sm", mt=6),
                    ),
                ],
                className="fig-row",
            ),
        ],
        withBorder=True,
        p="md",
        radius="md",
        className=f"status-panel status-{s.light.value}",
    )


def _info_rows(detail: ProjectDetail, language: str) -> list:
    p = detail.project
    county = FULL_NAMES.get(p.county, p.county)
    pairs = [
        ("col.code", p.code),
        ("col.area", detail.status.area),
        ("col.measure", detail.status.measure),
        ("col.county", county),
        ("col.lead_unit", p.lead_unit),
        ("col.responsible_units", p.responsible_units),
        ("col.contact_person", p.contact_person),
        ("col.contact_phone", p.contact_phone),
        ("col.nature", nature_label(p.nature, language)),
        ("col.total_investment_wan", ui.wan(p.total_investment)),
        ("col.baseline_period", f"{ui.day(p.baseline_start)} — {ui.day(p.baseline_finish)}"),
        ("col.planned_period", f"{ui.day(p.planned_start)} — {ui.day(p.planned_finish)}"),
        ("col.actual_period", f"{ui.day(p.actual_start)} — {ui.day(p.actual_finish)}"),
        ("col.scope", p.scope),
    ]
    # #11: what real lists carry besides the plan's core, shown when the list gave it
    for key, value in (
        ("col.implementer", p.implementer),
        ("col.city_leader", p.city_leader),
        (
            "col.opening_total",
            t(
                "col.opening_value",
                language,
                year=p.opening_year - 1,
                amount=ui.wan(p.opening_total),
            )
            if p.opening_total is not None and p.opening_year
            else "",
        ),
        ("col.remark", p.remark),
    ):
        if value:
            pairs.append((key, value))
    return [
        html.Div(
            [html.Dt(t(k, language)), html.Dd(v or "—")],
            className="info-row",
        )
        for k, v in pairs
    ]


def plan_table(detail: ProjectDetail, language: str) -> Plain:
    rows = []
    for plan in detail.plans:
        rate = (
            float(plan.completed / plan.planned)
            if plan.completed is not None and plan.planned > 0
            else None
        )
        rows.append(
            dmc.TableTr(
                [
                    dmc.TableTd(str(plan.year)),
                    dmc.TableTd(ui.wan(plan.planned), className="num"),
                    dmc.TableTd(ui.wan(plan.completed), className="num"),
                    dmc.TableTd(ui.pct(rate), className="num"),
                ]
            )
        )
    head = ["col.year", "col.plan_wan", "col.done_wan", "col.rate"]
    return dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
            dmc.TableTbody(rows),
        ],
        verticalSpacing=4,
        className="plan-table",
    )


def reports_table(detail: ProjectDetail, language: str) -> Any:
    if not detail.reports:
        return dmc.Text(t("project.no_reports", language), c="dimmed")
    head = [
        "col.period",
        "col.completed_month",
        "col.done_wan",
        "col.completed_total",
        "col.progress",
        "col.progress_text",
        "col.problems",
        "col.next_steps",
        "col.coordination",
        "col.reporter",
        "col.report_status",
    ]
    rows = [
        dmc.TableTr(
            [
                dmc.TableTd(month_label(r.period, language), className="nowrap"),
                dmc.TableTd(ui.wan(r.completed_month), className="num"),
                dmc.TableTd(ui.wan(r.completed_ytd), className="num"),
                dmc.TableTd(ui.wan(r.completed_total), className="num"),
                dmc.TableTd(f"{r.progress_pct:.0f}%", className="num"),
                dmc.TableTd(r.progress_text, className="text-cell"),
                dmc.TableTd(r.problems, className="text-cell"),
                dmc.TableTd(r.next_steps, className="text-cell"),
                dmc.TableTd(r.coordination, className="text-cell"),
                dmc.TableTd(r.reporter),
                dmc.TableTd(
                    dmc.Badge(
                        t(f"report.{r.status}", language),
                        className="nowrap",
                        color="green" if r.status == "submitted" else "gray",
                        variant="light",
                        size="sm",
                    )
                ),
            ]
        )
        for r in detail.reports[:REPORTS_SHOWN]
    ]
    return dmc.TableScrollContainer(
        dmc.Table(
            [
                dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
                dmc.TableTbody(rows),
            ],
            verticalSpacing=4,
            striped=True,
            className="report-table",
        ),
        minWidth=1300,
    )


HIDDEN_FIELDS = {"pending_by", "updated_at", "version"}
# ids a user has no use for: a step's catalogue type, a photo's project and report row, and
# its checks (the photo page shows them in words)
HIDDEN_FIELDS |= {"step_type_id", "project_id", "report_id"}
MONEY_FIELDS = {"total_investment", "opening_total"}
PLAN_FIELD = re.compile(r"plan_(\d{4})$")
APPROVAL_FIELD = re.compile(r"approval_(\w+)$")  # a step's date from the project list (#17)
FORM_LABELS = {"projectstep": "label.step", "steplink": "label.link"}


def change_label(entity: str, field: str, language: str) -> str:
    """A changed field named in words: the entity's own label first (a project's name is
    项目名称, a milestone's 节点名称), then the shared one; never the raw key."""
    form = FORM_LABELS.get(entity)  # a step's fields as its form names them (#17)
    keys = (f"field.{entity}.{field}", f"{form}.{field}" if form else "", f"field.{field}")
    for key in filter(None, keys):
        label = t(key, language)
        if label != key:
            return label
    if match := PLAN_FIELD.match(field):
        return t("field.plan_year", language, year=match.group(1))
    if (step := APPROVAL_FIELD.match(field)) and step.group(1) in STEPS_BY_CODE:
        return t("field.approval_date", language, step=STEPS_BY_CODE[step.group(1)].name)
    return t("field.unknown", language, name=field.replace("_", " ").replace(".", " "))


def action_label(action: str, language: str, entity: str = "") -> str:
    """An audited action in words, the entity's own wording first (新增前期手续步骤 rather
    than 新建); an action without a label reads as a change."""
    for key in (f"action.{entity}.{action}", f"action.{action}"):
        label = t(key, language)
        if label != key:
            return label
    return t("action.unknown", language)


def _number(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _amount(value: Any, language: str) -> str:
    return t("changelog.amount", language, amount=_number(value))


def _link_or_photo_value(field: str, value: Any, language: str) -> list[str] | None:
    """A link's kind (#17), a photo's month and checks (#18) in words; None for others."""
    if field == "flags" and isinstance(value, list):  # as the photo page says them
        return [
            t(f["key"], language, **f.get("params", {})) if isinstance(f, dict) else str(f)
            for f in value
        ]
    if field == "period" and isinstance(value, str):
        try:
            return [month_label(date.fromisoformat(value), language)]
        except ValueError:
            return [value]
    if field == "kind" and value in {"FS", "SS"}:
        return [t(f"changelog.link.{value}", language)]
    return None


def change_lines(field: str, value: Any, language: str) -> list[str]:
    """A value as the change log shows it, one string per line: milestones as "名称 日期"
    lines, annual plans as "2026年 500.00万元" lines, other lists joined with 、."""
    if value is None or value == "" or value == [] or value == {}:
        return ["—"]
    if isinstance(value, bool):
        return [t("common.yes" if value else "common.no", language)]
    if field == "milestones" and isinstance(value, list):
        lines = []
        for entry in value:
            if isinstance(entry, list | tuple) and entry:
                line = " ".join(str(v) for v in entry[:2])
                if len(entry) > 2 and entry[2]:
                    line += t("changelog.done_on", language, date=entry[2])
                lines.append(line)
            else:
                lines.append(str(entry))
        return lines or [t("changelog.none", language)]
    if (own := _link_or_photo_value(field, value, language)) is not None:
        return own
    if field == "annual_plans" and isinstance(value, dict):
        return [
            t("changelog.plan_line", language, year=year, amount=_number(amount))
            for year, amount in sorted(value.items())
        ]
    if isinstance(value, dict):
        return [f"{k}: {', '.join(change_lines('', v, language))}" for k, v in value.items()]
    if isinstance(value, list | tuple):
        joiner = ", " if language == "en" else "、"
        return [joiner.join(" ".join(change_lines("", v, language)) for v in value)]
    if field in MONEY_FIELDS or PLAN_FIELD.match(field):
        return [_amount(value, language)]
    if field == "nature":
        key = f"changelog.nature.{value}"
        label = t(key, language)
        return [label if label != key else str(value)]
    return [str(value)]


def _value(field: str, value: Any, language: str, class_name: str) -> Plain:
    lines = change_lines(field, value, language)
    children: list[Any] = []
    for i, line in enumerate(lines):
        if i:
            children.append(html.Br())
        children.append(line)
    if len(lines) == 1:
        return html.Span(children, className=class_name)
    # a list of lines stays one block, so "before → after" still reads left to right
    return html.Span(
        children, className=class_name, style={"display": "inline-block", "verticalAlign": "top"}
    )


def _local(at: datetime) -> str:
    moment = at if at.tzinfo else at.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def history_table(entries: Sequence[HistoryEntry] | None, language: str) -> Any:
    if entries is None:
        return dmc.Text(t("project.history_hidden", language), c="dimmed")
    if not entries:
        return dmc.Text(t("project.no_history", language), c="dimmed")
    rows = []
    for e in entries:
        changes = [
            html.Div(
                [
                    html.Span(change_label(e.entity, c.field, language), className="chg-field"),
                    _value(c.field, c.before, language, "chg-before"),
                    html.Span("→", className="chg-arrow"),
                    _value(c.field, c.after, language, "chg-after"),
                ],
                className="chg",
            )
            for c in e.changes
            if c.field not in HIDDEN_FIELDS
        ]
        subject = e.subject or t(f"entity.{e.entity}", language)
        rows.append(
            dmc.TableTr(
                [
                    dmc.TableTd(_local(e.at), className="nowrap"),
                    dmc.TableTd(e.actor),
                    dmc.TableTd(action_label(e.action, language, e.entity)),
                    dmc.TableTd(subject),
                    dmc.TableTd(changes),
                ]
            )
        )
    head = ["col.when", "col.who", "col.action", "col.subject", "col.changes"]
    return dmc.Table(
        [
            dmc.TableThead(dmc.TableTr([dmc.TableTh(t(k, language)) for k in head])),
            dmc.TableTbody(rows),
        ],
        verticalSpacing=4,
        className="history-table",
        id=ProjectIds.HISTORY,
    )


def _chart(detail: ProjectDetail, year: int, language: str) -> Plain:
    figure = figures.project_monthly(
        [(d, float(a), float(b)) for d, a, b in detail.monthly],
        float(detail.status.annual_plan),
        year,
        language,
        pace=detail.pace,
    )
    return dcc.Graph(
        figure=figure,
        config=figures.CONFIG,
        responsive=True,
        style={"height": figures.height(figure)},
        id=ProjectIds.CHART,
    )


def body(
    detail: ProjectDetail,
    language: str,
    *,
    today: date,
    open_items: Sequence[LedgerLine] | None = None,
) -> Plain:
    p = detail.project
    light: Light = detail.status.light
    header = html.Div(
        [
            dmc.Breadcrumbs(
                [
                    dcc.Link(t("nav.projects", language), href="/projects"),
                    html.Span(p.code),
                ],
                separator="›",
                className="crumbs",
            ),
            dmc.Group(
                [
                    dmc.Title(p.name, order=2, className="page-title", id=ProjectIds.NAME),
                    dmc.Badge(p.county, variant="outline", color="gray"),
                    *(  # 续建 and the stage 续建 say the same: one badge, not two
                        [
                            dmc.Badge(
                                nature_label(p.nature, language), variant="outline", color="gray"
                            )
                        ]
                        if nature_label(p.nature, language)
                        != t(f"stage.{detail.status.stage.value}", language)
                        else []
                    ),
                    dmc.Badge(
                        t(f"stage.{detail.status.stage.value}", language),
                        variant="light",
                        color="indigo",
                        id=ProjectIds.STAGE,
                    ),
                ],
                gap="sm",
                mt=4,
            ),
            dmc.Text(
                f"{detail.status.area} › {detail.status.measure} · {p.lead_unit}",
                c="dimmed",
                size="sm",
            ),
        ],
        className=f"project-head head-{light.value}",
    )
    year = today.year
    return html.Div(
        [
            header,
            status_panel(detail, language),
            ui.section(
                t("project.milestones", language),
                milestone_table(detail, language),
                right=dmc.Text(
                    t("project.can_edit" if detail.can_edit else "project.read_only", language),
                    size="xs",
                    c="dimmed",
                ),
            ),
            slip_section(detail, language),
            dmc.SimpleGrid(
                [
                    ui.section(
                        t("project.plan", language),
                        html.Dl(_info_rows(detail, language), className="info-list"),
                    ),
                    ui.section(
                        t("project.investment", language),
                        plan_table(detail, language),
                        _chart(detail, year, language),
                    ),
                ],
                cols={"base": 1, "lg": 2},
                spacing="md",
            ),
            ui.section(t("project.reports", language), reports_table(detail, language)),
            ui.section(
                t("ledger.project_open", language, n=len(open_items)),
                ledger_view.open_items_table(open_items, language),
                right=dcc.Link(t("nav.ledger", language), href="/ledger"),
            )
            if open_items is not None
            else None,
            ui.section(t("project.history", language), history_table(detail.history, language)),
        ],
        className="project-body",
    )


FORM_PROPS = {
    ProjectIds.FORM_INFO: "children",
    ProjectIds.FORM: "data",
    ProjectIds.DONE_DATE: "value",
    ProjectIds.NEW_DATE: "value",
    ProjectIds.REASON: "value",
    ProjectIds.NOTE: "value",
    ProjectIds.APPROVAL_HINT: "children",
    ProjectIds.FORM_TABS: "value",
}


def edit_modal(language: str, *, today: date, values: dict[str, Any] | None = None) -> Plain:
    """The milestone edit form: filled and opened by a callback, or at once with ``values``
    (from ``form_values``) when the page is opened with ``?edit=<milestone id>``."""
    return _modal(language, today=today, values=values or {})


def _filled(values: dict[str, Any], key: str, default: Any = None) -> dict[str, Any]:
    """The keyword that gives the form's field ``key`` its opened value, if it has one."""
    if key in values:
        return {FORM_PROPS[key]: values[key]}
    return {} if default is None else {FORM_PROPS[key]: default}


def _panel(value: str, children: list) -> Plain:
    return dmc.TabsPanel(dmc.Stack(children, pt="md", align="flex-start"), value=value)


def _date_input(component_id: str, label: str, language: str, values: dict, **limits: Any):
    return dmc.DatePickerInput(
        id=component_id,
        label=label,
        valueFormat="YYYY-MM-DD",
        monthLabelFormat=t("form.month_label", language),
        w=220,
        **limits,
        **_filled(values, component_id),
    )


def _long_text(component_id: str, label: str, rows: int, values: dict) -> Plain:
    return dmc.Textarea(
        id=component_id,
        label=label,
        autosize=True,
        minRows=rows,
        inputProps={"maxLength": 2000},
        w="100%",
        **_filled(values, component_id),
    )


def _modal(language: str, *, today: date, values: dict[str, Any]) -> Plain:
    return dmc.Modal(
        [
            html.Div(
                id=ProjectIds.FORM_INFO,
                className="form-info",
                **_filled(values, ProjectIds.FORM_INFO),
            ),
            dmc.Tabs(
                [
                    dmc.TabsList(
                        [
                            dmc.TabsTab(t("form.tab_done", language), value="done"),
                            dmc.TabsTab(t("form.tab_reschedule", language), value="reschedule"),
                            dmc.TabsTab(t("form.tab_note", language), value="note"),
                        ]
                    ),
                    _panel(
                        "done",
                        [
                            _date_input(
                                ProjectIds.DONE_DATE,
                                t("form.actual_date", language),
                                language,
                                values,
                                maxDate=today.isoformat(),
                            ),
                            dmc.Button(t("form.save_done", language), id=ProjectIds.DONE_SAVE),
                        ],
                    ),
                    _panel(
                        "reschedule",
                        [
                            _date_input(
                                ProjectIds.NEW_DATE, t("form.new_date", language), language, values
                            ),
                            _long_text(ProjectIds.REASON, t("form.reason", language), 2, values),
                            dmc.Text(
                                id=ProjectIds.APPROVAL_HINT,
                                size="xs",
                                c="dimmed",
                                **_filled(values, ProjectIds.APPROVAL_HINT),
                            ),
                            dmc.Button(
                                t("form.save_reschedule", language),
                                id=ProjectIds.RESCHEDULE_SAVE,
                            ),
                        ],
                    ),
                    _panel(
                        "note",
                        [
                            _long_text(ProjectIds.NOTE, t("form.note", language), 3, values),
                            dmc.Button(t("form.save_note", language), id=ProjectIds.NOTE_SAVE),
                        ],
                    ),
                ],
                id=ProjectIds.FORM_TABS,
                **_filled(values, ProjectIds.FORM_TABS, "done"),
            ),
            html.Div(id=ProjectIds.FORM_ERROR, className="form-error", role="alert"),
            dcc.Store(id=ProjectIds.FORM, **_filled(values, ProjectIds.FORM)),
        ],
        id=ProjectIds.MODAL,
        title=t("form.title", language),
        size="lg",
        opened=bool(values),
    )


def form_values(form: EditForm, language: str, *, today: date) -> dict[str, Any]:
    """What the opened edit form shows (keys: the form's component ids)."""
    # an open milestone past its date is most likely being reported done now
    suggested = form.actual_date or (today if form.planned_date < today else form.planned_date)
    suggested = min(suggested, today)
    info = [
        html.Div([html.B(form.name), html.Span(f" · {form.project_name}", className="dimmed")]),
        html.Div(
            t(
                "form.dates",
                language,
                baseline=ui.day(form.baseline_date),
                planned=ui.day(form.planned_date),
                actual=ui.day(form.actual_date),
            ),
            className="dimmed",
        ),
    ]
    if form.pending_date:
        info.append(
            html.Div(
                t(
                    "form.pending",
                    language,
                    date=ui.day(form.pending_date),
                    reason=form.pending_reason,
                ),
                className="form-pending",
            )
        )
    return {
        ProjectIds.FORM_INFO: info,
        ProjectIds.FORM: {"milestone_id": form.milestone_id, "version": form.version},
        ProjectIds.DONE_DATE: suggested.isoformat(),
        ProjectIds.NEW_DATE: (form.pending_date or form.planned_date).isoformat(),
        ProjectIds.REASON: "",
        ProjectIds.NOTE: form.note,
        ProjectIds.APPROVAL_HINT: t("form.needs_approval", language) if form.needs_approval else "",
        ProjectIds.FORM_TABS: "done" if form.actual_date is None else "note",
    }


def not_found(message: str, language: str) -> Plain:
    return html.Div(
        [
            ui.denied(message),
            dcc.Link(t("project.back", language), href="/projects"),
        ],
        className="page",
    )
