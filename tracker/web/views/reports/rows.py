"""Grid rows: a report line as a row (raw numbers, the values it was loaded with in ``orig``
and the per-field problems of the last save in ``errors``), reading edited rows back for the
service, and merging the save's outcomes into the grid."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from tracker.domain.inputs import (
    AMOUNT_CEILING,
    ValueRefused,
    parse_amount,
    parse_id,
    parse_percent,
)
from tracker.domain.messages import render
from tracker.domain.reports import (
    AMOUNT_FIELDS,
    FIELDS,
    TEXT_FIELDS,
    FieldProblem,
    field_label,
    refusal_note,
)
from tracker.i18n import light_label, t
from tracker.services.report_entry import RowInput, RowOutcome
from tracker.services.reports import ReportLine, ReportValues
from tracker.services.reports.page import PeriodInfo
from tracker.web.plain import dmc, html
from tracker.web.views.reports.ids import ReportsIds as Ids
from tracker.web.views.reports.month import line_state, state_label


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
    period: PeriodInfo | None,
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
        "message": render(line.notice, language),
    }


def rows(
    lines: Iterable[ReportLine],
    language: str,
    *,
    period: PeriodInfo | None,
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
    return any(not _same(data.get(name), orig.get(name)) for name in FIELDS)


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
    for name in AMOUNT_FIELDS:
        label = field_label(name)
        try:
            reading = parse_amount(data.get(name), label=label, ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, refusal_note(refusal)))
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
        reading_pct = parse_percent(data.get("progress_pct"), label=field_label("progress_pct"))
        progress = reading_pct.value
        if reading_pct.note:
            notes.append(reading_pct.note)
    except ValueRefused as refusal:
        problems.append(FieldProblem("progress_pct", refusal_note(refusal)))
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
                        f"{field_label(p.field).render(language)}：{problem_text(p, language)}"
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
        id=Ids.PROBLEMS,
    )
