"""月报填报: the month's reports of an actor's projects in one editable grid, the offline
Excel form, and the office's review (return with a comment, who has not reported).

Grid rows are plain dicts: raw numbers, the values the row was loaded with (``orig``) so the
page knows what was edited, and the per-field problems of the last save (``errors``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import dash_ag_grid as dag
import dash_mantine_components as dmc
from dash import dcc, html

from tracker.domain.inputs import (
    AMOUNT_CEILING,
    ValueRefused,
    parse_amount,
    parse_id,
    parse_percent,
    usable_date,
)
from tracker.domain.messages import render
from tracker.domain.periods import month_label
from tracker.domain.places import PLACES
from tracker.domain.reports import FieldProblem, ReportState, report_state
from tracker.excel.rows import RowError
from tracker.i18n import light_label, t
from tracker.models import ReportingPeriod
from tracker.services.cycle import period_label
from tracker.services.report_entry import RowInput, RowOutcome
from tracker.services.reports import ReportLine, ReportValues
from tracker.web import ui
from tracker.web.views.timefmt import local_day, local_time


class ReportsIds:
    MONTH = "rp-month"
    PERIOD = "rp-period"  # Store: the ISO month shown
    REFRESH = "rp-refresh"  # Store: bumped to reload the grid from the database
    PANELS = "rp-panels"  # Store: bumped to reload the month's counts and the office's lists
    INFO = "rp-info"
    TABS = "rp-tabs"
    GRID = "rp-grid"
    SAVE = "rp-save"
    SUBMIT_SELECTED = "rp-submit-selected"
    SUBMIT_ALL = "rp-submit-all"
    RELOAD = "rp-reload"
    MESSAGES = "rp-messages"
    # offline form
    FORM_COUNTY = "rp-form-county"
    FORM_DOWNLOAD = "rp-form-download"
    FORM_FILE = "rp-form-file"
    UPLOAD = "rp-upload"
    UPLOAD_BOX = "rp-upload-box"
    UPLOAD_DRAFT = "rp-upload-draft"
    UPLOAD_RESULT = "rp-upload-result"
    # the office's review
    REVIEW = "rp-review"
    MISSING = "rp-missing"
    RETURN_OPEN = "rp-return-open"  # pattern: {"type": RETURN_OPEN, "index": project id}
    RETURN_MODAL = "rp-return-modal"
    RETURN_TARGET = "rp-return-target"  # Store: {"project_id", "period", "version"}
    RETURN_WHAT = "rp-return-what"
    RETURN_COMMENT = "rp-return-comment"
    RETURN_CONFIRM = "rp-return-confirm"


NUMBER_FIELDS = ("completed_month", "completed_ytd", "completed_total", "progress_pct")
TEXT_FIELDS = (
    "progress_text",
    "milestone_status",
    "problems",
    "next_steps",
    "coordination",
    "reporter",
)
EDITABLE = NUMBER_FIELDS + TEXT_FIELDS
FIELD_LABELS = {
    "completed_month": "col.completed_month",
    "completed_ytd": "reports.col.ytd",
    "completed_total": "reports.col.total",
    "progress_pct": "reports.col.progress_pct",
    "progress_text": "col.progress_text",
    "milestone_status": "reports.col.milestone_status",
    "problems": "col.problems",
    "next_steps": "col.next_steps",
    "coordination": "col.coordination",
    "reporter": "col.reporter",
}
STATUS_COLORS = {
    "new": "gray",
    "draft": "blue",
    "submitted": "green",
    "returned": "orange",
    "returned_draft": "blue",
}
# #19: a state's qualifier and the catalogue key it reads as
QUALIFIERS = {
    "overdue": "report.status.overdue",
    "late": "report.late",
    "late_resubmit": "reports.state.late_resubmit",
}


# --- the month ------------------------------------------------------------------------------


def _period_name(p: ReportingPeriod, language: str) -> str:
    """2026年10月, or 2026年1–2月 when January and February report as one (#10)."""
    return period_label(p) if language == "zh" else month_label(p.period, language)


def month_options(periods: Sequence[ReportingPeriod], language: str) -> list[dict[str, str]]:
    """The month picker: newest first, each with its state."""
    return [
        {
            "value": p.period.isoformat(),
            "label": f"{_period_name(p, language)} · {t(f'period.status.{p.status}', language)}",
        }
        for p in sorted(periods, key=lambda p: p.period, reverse=True)
    ]


def default_month(periods: Sequence[ReportingPeriod], open_period: date | None) -> date | None:
    """The open month, else the latest."""
    if open_period is not None:
        return open_period
    return max((p.period for p in periods), default=None)


def parse_month(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return usable_date(date.fromisoformat(value[:10]).replace(day=1))
    except ValueError:
        return None


def is_overdue(status: str, period: ReportingPeriod | None, today: date) -> bool:
    """Not submitted while the month is open and its due day has passed."""
    return (
        period is not None
        and period.status == "open"
        and status != "submitted"
        and today > period.due_on
    )


def status_label(status: str, *, late: bool, overdue: bool, language: str) -> str:
    """未填报 / 草稿 / 已报送 / 已退回, with 逾期报送 or 逾期 when it applies."""
    label = t(f"report.status.{status}", language)
    if status == "submitted" and late:
        return f"{label} · {t('report.late', language)}"
    if overdue:
        return f"{label} · {t('report.status.overdue', language)}"
    return label


def line_state(line: ReportLine, period: ReportingPeriod | None, today: date) -> ReportState:
    """What a report row reads as (the rule is tracker.domain.reports.report_state)."""
    return report_state(
        status=line.status,
        late=line.late,
        returned_before=line.returned_before,
        draft_since_return=line.reworked,
        submitted_on=line.submitted_on,
        due_on=period.due_on if period is not None else None,
        period_open=period is not None and period.status == "open",
        today=today,
    )


def state_label(state: ReportState, language: str) -> str:
    """已退回 · 逾期, 草稿 · 已退回, 已报送 · 逾期重报 …"""
    base = (
        "reports.state.returned_draft"
        if state.base == "returned_draft"
        else f"report.status.{state.base}"
    )
    label = t(base, language)
    if state.qualifier in QUALIFIERS:
        return f"{label} · {t(QUALIFIERS[state.qualifier], language)}"
    return label


def returned_notice(lines: Sequence[ReportLine], language: str) -> Any:
    """#19: the reports the office sent back, each with its reason, above the grid."""
    returned = [x for x in lines if x.status == "returned"]
    if not returned:
        return None
    return dmc.Alert(
        html.Ul(
            [
                html.Li(
                    [
                        html.B(f"{x.code} {x.name}"),
                        html.Span(" — "),
                        html.Span(
                            t("reports.returned_because", language, reason=x.return_comment or "—"),
                            className="rp-returned-reason",
                        ),
                        html.Span(
                            t("reports.returned_reworked", language) if x.reworked else "",
                            className="rp-returned-reworked",
                        ),
                    ],
                    className="rp-returned-item",
                )
                for x in returned
            ],
            className="rp-message-list",
        ),
        title=t("reports.returned_title", language, n=len(returned)),
        color="orange",
        variant="light",
        id="rp-returned",
        mt="xs",
    )


def period_info(
    period: ReportingPeriod | None, lines: Sequence[ReportLine], language: str, *, today: date
) -> Any:
    """The month's dates, how many are submitted, and the lock notice once it is closed."""
    if period is None:
        return dmc.Alert(t("reports.no_period", language), color="gray", variant="light")
    done = sum(1 for line in lines if line.status == "submitted")
    badges = dmc.Group(
        [
            dmc.Badge(
                t(f"period.status.{period.status}", language),
                color={"open": "green", "closed": "gray"}.get(period.status, "blue"),
                variant="light",
                id="rp-period-status",
            ),
            dmc.Text(
                t(
                    "reports.dates",
                    language,
                    opens=ui.day(period.opens_on),
                    due=ui.day(period.due_on),
                    closes=ui.day(period.closes_on),
                ),
                size="sm",
                c="dimmed",
            ),
            dmc.Text(
                t("reports.progress", language, done=done, total=len(lines)),
                size="sm",
                fw=500,
                id="rp-count",
            ),
        ],
        gap="sm",
    )
    notice: Any = None
    if period.status == "closed":
        notice = dmc.Alert(
            t(
                "reports.locked_notice",
                language,
                month=month_label(period.period, language),
                # the day it closed: the office may compile before the close day (立即生成)
                date=ui.day(local_day(period.closed_at) or period.closes_on),
            ),
            title=t("report.locked", language),
            color="gray",
            variant="light",
            id="rp-locked",
            mt="xs",
        )
    elif period.status != "open":
        notice = dmc.Alert(
            t("reports.not_open", language, date=ui.day(period.opens_on)),
            color="blue",
            variant="light",
            id="rp-locked",
            mt="xs",
        )
    elif today > period.due_on and done < len(lines):
        notice = dmc.Alert(
            t("reports.past_due", language, due=ui.day(period.due_on), n=len(lines) - done),
            color="orange",
            variant="light",
            mt="xs",
        )
    return html.Div([badges, notice, returned_notice(lines, language)])


# --- grid rows ------------------------------------------------------------------------------


def _num(value: Decimal | float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _editable_values(values: ReportValues) -> dict[str, Any]:
    return {
        "completed_month": _num(values.completed_month),
        "completed_ytd": _num(values.completed_ytd),
        "completed_total": _num(values.completed_total),
        "progress_pct": values.progress_pct,
        **{name: getattr(values, name) or "" for name in TEXT_FIELDS},
    }


def row(
    line: ReportLine,
    language: str,
    *,
    period: ReportingPeriod | None,
    today: date,
    reporter: str = "",
) -> dict[str, Any]:
    """One grid row; a blank 填报人 is filled with the signed-in user's name."""
    values = _editable_values(line.values)
    if line.editable and not values["reporter"]:
        values["reporter"] = reporter
    state = line_state(line, period, today)
    return {
        "row_id": str(line.project_id),
        "project_id": line.project_id,
        "id": line.project_id,
        "code": line.code,
        "name": line.name,
        "county": line.county,
        "lead_unit": line.lead_unit,
        "status": line.status,
        "status_label": state_label(state, language),
        "state": state.base,
        "qualifier": state.qualifier,
        "status_tip": t("reports.returned_because", language, reason=line.return_comment)
        if line.return_comment
        else "",
        "late": line.late,
        "overdue": state.qualifier == "overdue",
        "editable": line.editable,
        "version": line.version,
        "return_comment": line.return_comment,
        "light": line.light.value,
        "light_label": light_label(line.light, language),
        "problems_required": line.problems_required,
        "carried_ytd": float(line.carried.ytd),
        "carried_total": float(line.carried.total),
        "annual_plan": float(line.annual_plan),
        "last_progress_text": line.last_progress_text if line.editable else "",
        "carried_tag": t("reports.carried_tag", language),
        **values,
        "orig": _editable_values(line.values),
        "errors": {},
        "message": line.notice,
    }


def rows(
    lines: Iterable[ReportLine],
    language: str,
    *,
    period: ReportingPeriod | None,
    today: date,
    reporter: str = "",
) -> list[dict[str, Any]]:
    return [row(x, language, period=period, today=today, reporter=reporter) for x in lines]


def decimal_or_none(value: Any) -> Decimal | None:
    """A grid cell as a Decimal, leniently, to tell whether it was edited (``is_dirty``);
    blank or not a number is None. Saving reads cells strictly (``read_row``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    da, db = decimal_or_none(a), decimal_or_none(b)
    if da is not None and db is not None:
        return da == db
    return str(a if a is not None else "").strip() == str(b if b is not None else "").strip()


def is_dirty(data: dict[str, Any]) -> bool:
    """Whether any editable cell differs from what the row was loaded with."""
    orig = data.get("orig") if isinstance(data.get("orig"), dict) else {}
    return any(not _same(data.get(name), orig.get(name)) for name in EDITABLE)


AMOUNT_LABELS = {
    "completed_month": "本月完成投资",
    "completed_ytd": "年度累计完成投资",
    "completed_total": "开工以来累计完成投资",
}


@dataclass(frozen=True)
class ReadRow:
    """A grid row as read for the service: its values, the cells that could not be read
    (named per field) and what was normalised on the way (full-width digits, separators)."""

    values: ReportValues
    problems: tuple[FieldProblem, ...] = ()
    notes: tuple[str, ...] = ()


def read_row(data: dict[str, Any], ceiling: Decimal = AMOUNT_CEILING) -> ReadRow:
    """The row's cells through the input value rules (tracker.domain.inputs). A running
    total left as loaded while 本月 changed is sent blank, so the service computes it
    (last month's + this month's). Nothing unreadable is turned into a blank or a zero."""
    orig = data.get("orig") if isinstance(data.get("orig"), dict) else {}
    problems: list[FieldProblem] = []
    notes: list[str] = []
    amounts: dict[str, Decimal | None] = {}
    for name, label in AMOUNT_LABELS.items():
        try:
            reading = parse_amount(data.get(name), label=label, ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, str(refusal)))
            amounts[name] = None
            continue
        amounts[name] = reading.value
        if reading.note:
            notes.append(reading.note)
    month_changed = not _same(data.get("completed_month"), orig.get("completed_month"))
    for name in ("completed_ytd", "completed_total"):
        if (
            amounts["completed_month"] is not None
            and month_changed
            and _same(data.get(name), orig.get(name))
        ):
            amounts[name] = None
    progress: float | None = None
    try:
        reading_pct = parse_percent(data.get("progress_pct"), label="形象进度")
        progress = reading_pct.value
        if reading_pct.note:
            notes.append(reading_pct.note)
    except ValueRefused as refusal:
        problems.append(FieldProblem("progress_pct", str(refusal)))
    texts: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name)
        texts[name] = "" if value is None else value  # the service checks type and length
    values = ReportValues(
        completed_month=amounts["completed_month"],
        completed_ytd=amounts["completed_ytd"],
        completed_total=amounts["completed_total"],
        progress_pct=progress,
        **texts,
    )
    return ReadRow(values, tuple(problems), tuple(notes))


def values_of(data: dict[str, Any]) -> ReportValues:
    """The row's values for the service (see ``read_row``)."""
    return read_row(data).values


def _as_int(value: Any) -> int | None:
    return parse_id(value)


def _key(value: Any) -> str:
    return value if isinstance(value, str) else str(parse_id(value))


def current_rows(
    row_data: list[dict[str, Any]] | None, virtual: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The grid's rows with the user's edits (``virtualRowData`` carries them), in order."""
    edited = {_key(r.get("row_id")): r for r in _dicts(virtual)}
    rows: dict[int, dict[str, Any]] = {}  # one row per project, whatever was sent
    for r in _dicts(row_data):
        pid = _as_int(r.get("project_id"))
        if pid is not None and pid not in rows:
            rows[pid] = edited.get(_key(r.get("row_id")), r)
    return list(rows.values())


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def pick_rows(
    rows_now: Sequence[dict[str, Any]], mode: str, selected: Sequence[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Which rows an action sends: ``draft`` the edited ones, ``selected`` the ticked ones,
    ``all`` every editable row not yet submitted (and submitted ones the office edited)."""
    editable = [r for r in rows_now if r.get("editable")]
    if mode == "draft":
        return [r for r in editable if is_dirty(r)]
    if mode == "selected":
        ticked = {_key(r.get("row_id")) for r in _dicts(selected)}
        return [r for r in editable if _key(r.get("row_id")) in ticked]
    return [r for r in editable if r.get("status") != "submitted" or is_dirty(r)]


def inputs_of(
    chosen: Sequence[dict[str, Any]], ceiling: Decimal = AMOUNT_CEILING
) -> list[RowInput]:
    out = []
    for r in chosen:
        read = read_row(r, ceiling)
        version = _as_int(r.get("version"))
        out.append(
            RowInput(
                project_id=_as_int(r.get("project_id")) or 0,
                seen_version=-1 if version is None else version,  # unreadable: stale
                values=read.values,
                problems=read.problems,
                notes=read.notes,
            )
        )
    return out


def merge_outcomes(
    rows_now: Sequence[dict[str, Any]],
    outcomes: Sequence[RowOutcome],
    fresh: Sequence[dict[str, Any]],
    language: str,
) -> list[dict[str, Any]]:
    """Saved rows as the database now has them; refused rows keep what the user typed, with
    the problems attached; untouched rows keep their unsaved edits."""
    by_id = {o.project_id: o for o in outcomes}
    fresh_by_id = {r["project_id"]: r for r in fresh}
    merged: list[dict[str, Any]] = []
    for current in rows_now:
        pid = _as_int(current.get("project_id"))
        outcome = by_id.get(pid or 0)
        if outcome is None:  # not sent: its unsaved edits stay, and any stored-value notice
            notice = fresh_by_id.get(pid, {}).get("message", "")
            merged.append(
                {**current, "errors": {}, "message": notice, "conflict": False, "refused": False}
            )
        elif outcome.ok and pid in fresh_by_id:
            row_now = fresh_by_id[pid]
            if outcome.notes:
                row_now = {
                    **row_now,
                    "message": t("reports.read_as", language, notes="；".join(outcome.notes)),
                }
            merged.append(row_now)
        else:
            merged.append(
                {
                    **current,
                    "errors": {p.field: problem_text(p, language) for p in outcome.problems},
                    "refused": True,
                    "conflict": outcome.conflict,
                    "message": render(outcome.message, language)
                    or "；".join(
                        f"{t(FIELD_LABELS.get(p.field, ''), language)}：{problem_text(p, language)}"
                        for p in outcome.problems
                    ),
                }
            )
    return merged


def problem_text(problem: FieldProblem, language: str) -> str:
    """A service's problem in the page's language when the catalogue knows it (#19)."""
    return problem.render(language)


def outcome_summary(
    outcomes: Sequence[RowOutcome],
    *,
    submit: bool,
    language: str,
    rows_before: Sequence[dict[str, Any]] = (),
) -> str:
    ok = sum(1 for o in outcomes if o.ok)
    failed = len(outcomes) - ok
    key = "reports.submitted_n" if submit else "reports.saved_n"
    text = t(key, language, n=ok)
    if failed:
        text += t("reports.refused_n", language, n=failed)
    # #19: a returned row saved or resubmitted: say so, with the office's reason
    before = {_as_int(r.get("project_id")): r for r in rows_before}
    for o in outcomes:
        was = before.get(o.project_id) or {}
        if not o.ok or was.get("status") != "returned":
            continue
        what = "reports.resubmitted_one" if submit else "reports.draft_still_returned"
        text += t(what, language, code=was.get("code", ""), reason=was.get("return_comment") or "—")
    return text


def messages(rows_now: Sequence[dict[str, Any]], language: str) -> Any:
    """Every refused row and why, under the grid."""
    bad = [r for r in rows_now if r.get("refused") and r.get("message")]
    if not bad:
        return None
    conflict = any(r.get("conflict") for r in bad)
    return dmc.Alert(
        [
            html.Ul(
                [
                    html.Li(
                        [
                            html.B(f"{r.get('code', '')} {r.get('name', '')}"),
                            html.Span(f"：{r.get('message', '')}"),
                        ]
                    )
                    for r in bad
                ],
                className="rp-message-list",
            ),
            dmc.Text(t("reports.conflict_hint", language), size="sm") if conflict else None,
        ],
        title=t("reports.problems_title", language, n=len(bad)),
        color="red",
        variant="light",
        id="rp-problems",
    )


# --- the grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridColumn:
    field: str
    label: str
    kind: str = "text"  # text | money | pct | long | status | light | reason
    width: int = 120
    editable: bool = False
    pinned: bool = False
    width_en: int = 0  # #19: wider in English where the words are longer (0: ``width``)


GRID_COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("status_label", "col.report_status", "status", 160, pinned=True, width_en=190),
    # #19: why the office sent it back, beside the status (shown when the month has one)
    GridColumn("return_comment", "reports.col.return_comment", "reason", 190, pinned=True),
    GridColumn("code", "col.code", width=100, pinned=True),
    GridColumn("name", "col.name", "link", 220, pinned=True),
    GridColumn("county", "col.county", width=90),
    GridColumn("light_label", "col.light", "light", 104),  # #19: "Amber" whole
    GridColumn("annual_plan", "col.plan_wan", "money", 120),
    GridColumn("carried_ytd", "reports.col.carried_ytd", "money", 120),
    GridColumn("completed_month", "col.completed_month", "money", 130, True),
    GridColumn("completed_ytd", "reports.col.ytd", "money", 130, True),
    GridColumn("completed_total", "reports.col.total", "money", 140, True),
    GridColumn("progress_pct", "reports.col.progress_pct", "pct", 110, True),
    GridColumn("progress_text", "col.progress_text", "long", 200, True),
    GridColumn("milestone_status", "reports.col.milestone_status", "long", 180, True),
    GridColumn("problems", "col.problems", "long", 200, True),
    GridColumn("next_steps", "col.next_steps", "long", 180, True),
    GridColumn("coordination", "col.coordination", "long", 180, True),
    GridColumn("reporter", "col.reporter", "text", 100, True),
    GridColumn("message", "reports.col.check", "long", 260),
    GridColumn("lead_unit", "col.lead_unit", width=130),
)
# a cell that is not a number yet (as typed, refused by the server with a message) shows as
# typed (assets/dispatch.js)
_FORMAT = {
    "money": {"function": "trackerFixed(params.value, 2, true)"},
    "pct": {"function": "trackerFixed(params.value, 1, false)"},
}


# the cell still holds last month's text (the grid's expressions have no String())
_CARRIED = (
    "params.data && params.value && params.data.last_progress_text && "
    "('' + params.value).trim() === params.data.last_progress_text.trim()"
)


def has_return_comments(row_data: Sequence[dict[str, Any]]) -> bool:
    return any(r.get("return_comment") for r in row_data)


def column_defs(language: str, *, show_return: bool = True) -> list[dict[str, Any]]:
    defs: list[dict[str, Any]] = []
    for c in GRID_COLUMNS:
        d: dict[str, Any] = {
            "field": c.field,
            "colId": c.field,
            "headerName": t(c.label, language),
            "width": c.width_en if language == "en" and c.width_en else c.width,
            "resizable": True,
            "sortable": c.kind in {"status", "text", "money", "light"},
        }
        if c.pinned:
            d["pinned"] = "left"
        if c.kind in _FORMAT:
            d["valueFormatter"] = _FORMAT[c.kind]
            d["type"] = "rightAligned"
        if c.kind == "link":
            d["cellRenderer"] = "ProjectLink"
        if c.kind == "light":
            d["cellRenderer"] = "LightCell"
        if c.kind == "long":
            d["tooltipField"] = c.field
        if c.kind == "status":
            d["cellClassRules"] = {
                f"rp-status-{s}": f"params.data.state == '{s}'" for s in STATUS_COLORS
            } | {
                "rp-status-overdue": "params.data.qualifier == 'overdue'",
                "rp-status-late": "params.data.qualifier == 'late_resubmit'",
            }
            d["tooltipField"] = "status_tip"
            d["cellClass"] = "rp-status-cell"  # #19: two lines rather than cut
        if c.kind == "reason":
            d["tooltipField"] = c.field
            d["cellClass"] = "rp-return-cell"
            d["hide"] = not show_return
        if c.field == "message":
            d["cellClass"] = "rp-message"
        if c.editable:
            d["editable"] = {"function": "params.data.editable"}
            d["cellClassRules"] = {
                "rp-cell-error": f"params.data.errors && params.data.errors.{c.field}",
                "rp-cell-editable": "params.data.editable",
            }
            d["headerClass"] = "rp-head-editable"
            if c.kind in {"money", "pct"}:
                d["cellEditor"] = "agNumberCellEditor"
                d["cellEditorParams"] = {"min": 0, "precision": 2}
                d["valueParser"] = {"function": "trackerNumber(params.newValue)"}
            elif c.kind == "long":
                d["cellEditor"] = "agLargeTextCellEditor"
                d["cellEditorPopup"] = True
                d["cellEditorParams"] = {"maxLength": 4000, "rows": 6, "cols": 50}
            if c.field == "completed_month":
                d["valueSetter"] = {"function": "trackerReportMonth(params)"}
            if c.field == "progress_text":  # #19: last month's text, marked until edited
                d["valueFormatter"] = {
                    "function": f"({_CARRIED}) ? params.data.carried_tag + params.value"
                    " : params.value"
                }
                d["cellClassRules"]["rp-text-carried"] = _CARRIED
        defs.append(d)
    return defs


def grid(row_data: list[dict[str, Any]], language: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=ReportsIds.GRID,
        rowData=row_data,
        columnDefs=column_defs(language, show_return=has_return_comments(row_data)),
        getRowId="params.data.row_id",
        defaultColDef={
            "suppressHeaderMenuButton": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "rowSelection": {
                "mode": "multiRow",
                "checkboxes": True,
                "headerCheckbox": True,
                "enableClickSelection": False,
                "isRowSelectable": {"function": "params.data.editable"},
            },
            "selectionColumnDef": {"pinned": "left", "width": 44},
            "rowHeight": 38,
            "animateRows": False,
            "stopEditingWhenCellsLoseFocus": True,
            "suppressColumnVirtualisation": True,
            "singleClickEdit": True,
            "tooltipShowDelay": 300,
            "enableCellTextSelection": True,
            "localeText": {"noRowsToShow": t("reports.no_rows", language)},
        },
        className="ag-theme-quartz rp-grid",
        style={"height": grid_height(len(row_data)), "width": "100%"},
    )


def grid_height(n_rows: int) -> str:
    """Tall enough for a county's projects without a gap; the office's 70-odd rows scroll."""
    return f"{min(620, 72 + 39 * max(n_rows, 4))}px"


def actions(language: str, *, editable: bool) -> dmc.Group:
    return dmc.Group(
        [
            dmc.Button(
                t("reports.save_draft", language),
                id=ReportsIds.SAVE,
                variant="light",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.submit_selected", language),
                id=ReportsIds.SUBMIT_SELECTED,
                variant="outline",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.submit_all", language),
                id=ReportsIds.SUBMIT_ALL,
                color="green",
                disabled=not editable,
            ),
            dmc.Button(
                t("reports.reload", language), id=ReportsIds.RELOAD, variant="subtle", color="gray"
            ),
            dmc.Text(t("reports.grid_help", language), size="xs", c="dimmed"),
        ],
        gap="xs",
        mb="xs",
    )


# --- the offline form -------------------------------------------------------------------------


def offline_panel(language: str, *, office: bool, max_mb: int) -> dmc.Stack:
    county = (
        dmc.Select(
            id=ReportsIds.FORM_COUNTY,
            data=[{"value": p, "label": p} for p in PLACES],
            placeholder=t("reports.form_all", language),
            clearable=True,
            w=200,
        )
        if office
        else dcc.Store(id=ReportsIds.FORM_COUNTY)
    )
    return dmc.Stack(
        [
            dmc.Paper(
                [
                    dmc.Title(t("reports.form_download_title", language), order=5, mb="xs"),
                    dmc.Text(t("reports.form_download_help", language), size="sm", c="dimmed"),
                    dmc.Group(
                        [
                            county,
                            dmc.Button(
                                t("reports.form_download", language),
                                id=ReportsIds.FORM_DOWNLOAD,
                                variant="light",
                            ),
                        ],
                        mt="sm",
                        align="flex-end",
                    ),
                    dcc.Download(id=ReportsIds.FORM_FILE),
                ],
                withBorder=True,
                p="md",
            ),
            dmc.Paper(
                [
                    dmc.Title(t("reports.form_upload_title", language), order=5, mb="xs"),
                    dmc.Text(t("reports.form_upload_help", language), size="sm", c="dimmed"),
                    dmc.Checkbox(
                        id=ReportsIds.UPLOAD_DRAFT,
                        label=t("reports.form_as_draft", language),
                        checked=False,
                        mt="sm",
                        mb="sm",
                    ),
                    html.Div(upload_box(language, max_mb), id=ReportsIds.UPLOAD_BOX),
                    html.Div(id=ReportsIds.UPLOAD_RESULT, className="rp-upload-result"),
                ],
                withBorder=True,
                p="md",
            ),
        ]
    )


def upload_box(language: str, max_mb: int) -> dcc.Upload:
    """A fresh upload field (made anew after each file, so the same file can be sent again)."""
    return dcc.Upload(
        html.Div(
            [
                html.Div(t("import.drop", language), className="upload-title"),
                html.Div(t("reports.form_limits", language, mb=max_mb), className="upload-sub"),
            ]
        ),
        id=ReportsIds.UPLOAD,
        accept=".xlsx",
        max_size=max_mb * 1024 * 1024,
        multiple=False,
        className="upload-box",
    )


def upload_result(
    *,
    saved: int,
    skipped: int,
    errors: Sequence[RowError],
    submit: bool,
    language: str,
    notes: Sequence[RowError] = (),
    unchanged: int = 0,
) -> Any:
    """All or nothing: what was saved (and any value read after normalising it), or every
    row error with sheet, row, column and reason."""
    if not errors:
        key = "reports.form_submitted" if submit else "reports.form_saved"
        return dmc.Alert(
            [
                html.Div(
                    t(key, language, n=saved, skipped=skipped)
                    + t("reports.form_unchanged", language, n=unchanged)
                ),
                html.Ul([html.Li(str(n)) for n in notes], className="rp-upload-notes")
                if notes
                else None,
            ],
            color="green",
            variant="light",
            id="rp-upload-ok",
        )
    head = ("reports.err_sheet", "reports.err_row", "reports.err_column", "reports.err_reason")
    return dmc.Alert(
        [
            dmc.Table(
                [
                    html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(e.sheet),
                                    html.Td(str(e.row) if e.row else "—"),
                                    html.Td(
                                        f"{e.column} {e.field}".strip()
                                        if e.column or e.field
                                        else "—"
                                    ),
                                    html.Td(e.message),
                                ]
                            )
                            for e in errors
                        ]
                    ),
                ],
                striped=True,
                withTableBorder=True,
                fz="sm",
                id="rp-upload-errors",
            )
        ],
        title=t("reports.form_refused", language, n=len(errors)),
        color="red",
        variant="light",
    )


# --- the office's review ------------------------------------------------------------------------


_NUMERIC_HEADS = {"col.completed_month", "reports.col.ytd", "reports.col.progress_pct"}


def review_table(lines: Sequence[ReportLine], language: str, *, can_return: bool) -> Any:
    """Submitted reports, each with 退回 while the month is open."""
    submitted = [x for x in lines if x.status == "submitted"]
    if not submitted:
        return dmc.Text(t("reports.review_none", language), c="dimmed", size="sm")
    head = [
        "col.code",
        "col.name",
        "col.county",
        "col.lead_unit",
        "col.completed_month",
        "reports.col.ytd",
        "reports.col.progress_pct",
        "col.problems",
        "reports.col.submitted_at",
        "col.actions",
    ]
    body = []
    for x in submitted:
        when = local_time(x.submitted_at)
        body.append(
            html.Tr(
                [
                    html.Td(x.code, className="nowrap"),  # #19: never "LC-01-" / "01"
                    html.Td(x.name),
                    html.Td(x.county),
                    html.Td(x.lead_unit),
                    html.Td(ui.wan(x.values.completed_month), className="num"),
                    html.Td(ui.wan(x.values.completed_ytd), className="num"),
                    html.Td(
                        "—" if x.values.progress_pct is None else f"{x.values.progress_pct:.1f}",
                        className="num",
                    ),
                    html.Td(x.values.problems or "—", className="rp-text"),
                    html.Td(
                        [
                            html.Span(when),
                            dmc.Badge(t("report.late", language), color="orange", size="xs")
                            if x.late
                            else None,
                        ]
                    ),
                    html.Td(
                        dmc.Button(
                            t("reports.return", language),
                            id={"type": ReportsIds.RETURN_OPEN, "index": x.project_id},
                            size="xs",
                            variant="light",
                            color="orange",
                            className="rp-return-button",
                        )
                        if can_return
                        else None
                    ),
                ],
                className="rp-review-row",
            )
        )
    return dmc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(t(k, language), className="num" if k in _NUMERIC_HEADS else None)
                        for k in head
                    ]
                )
            ),
            html.Tbody(body),
        ],
        striped=True,
        highlightOnHover=True,
        withTableBorder=True,
        horizontalSpacing="sm",
        fz="sm",
        id="rp-review-table",
    )


def missing_list(
    lines: Sequence[ReportLine], period: ReportingPeriod | None, language: str, *, today: date
) -> Any:
    """Who has not reported this month: by county, then each project and its state."""
    missing = [x for x in lines if x.status != "submitted"]
    if not missing:
        return dmc.Alert(t("reports.all_reported", language), color="green", variant="light")
    counts: dict[str, int] = {}
    for x in missing:
        counts[x.county] = counts.get(x.county, 0) + 1
    summary = dmc.Group(
        [
            dmc.Badge(f"{county} {n}", variant="outline", color="gray")
            for county, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ],
        gap=6,
        mb="sm",
    )
    head = ["col.code", "col.name", "col.county", "col.lead_unit", "col.report_status"]
    table = dmc.Table(
        [
            html.Thead(html.Tr([html.Th(t(k, language)) for k in head])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(x.code),
                            html.Td(x.name),
                            html.Td(x.county),
                            html.Td(x.lead_unit),
                            html.Td(state_label(line_state(x, period, today), language)),
                        ]
                    )
                    for x in missing
                ]
            ),
        ],
        striped=True,
        withTableBorder=True,
        horizontalSpacing="sm",
        fz="sm",
        id="rp-missing-table",
    )
    return html.Div(
        [dmc.Text(t("reports.missing_n", language, n=len(missing)), fw=500, mb=4), summary, table]
    )


def return_modal(language: str) -> dmc.Modal:
    return dmc.Modal(
        [
            dmc.Text(id=ReportsIds.RETURN_WHAT, fw=500, mb="xs"),
            dmc.Textarea(
                id=ReportsIds.RETURN_COMMENT,
                inputProps={"maxLength": 2000},
                label=t("reports.return_comment", language),
                placeholder=t("reports.return_placeholder", language),
                autosize=True,
                minRows=3,
            ),
            dmc.Group(
                dmc.Button(
                    t("reports.return_confirm", language),
                    id=ReportsIds.RETURN_CONFIRM,
                    color="orange",
                ),
                justify="flex-end",
                mt="md",
            ),
            dcc.Store(id=ReportsIds.RETURN_TARGET),
        ],
        id=ReportsIds.RETURN_MODAL,
        title=t("reports.return_title", language),
        opened=False,
        size="lg",
    )


def return_target(line: ReportLine) -> dict[str, Any]:
    return {
        "project_id": line.project_id,
        "period": line.period.isoformat(),
        "version": line.version,
    }
