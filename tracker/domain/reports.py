"""Checks on a monthly report's figures, shared by the entry grid and the Excel form. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.domain.inputs import AMOUNT_CEILING, ValueRefused, check_amount, parse_percent

ROUNDING = Decimal("0.01")  # 万元: amounts agree when they differ by no more than this


@dataclass(frozen=True)
class Carried:
    """What last month's report carries into this one (zeros for a first report)."""

    ytd: Decimal = Decimal("0")  # 年度累计 at the end of last month (0 in January)
    total: Decimal = Decimal("0")  # 开工以来累计
    has_previous: bool = False


def carried_forward(
    period: date, previous_period: date | None, ytd: Decimal, total: Decimal
) -> Carried:
    """Year to date restarts in January; since-start carries over the year end."""
    if previous_period is None:
        return Carried()
    same_year = previous_period.year == period.year
    return Carried(ytd=ytd if same_year else Decimal("0"), total=total, has_previous=True)


@dataclass(frozen=True)
class FieldProblem:
    field: str  # a MonthlyReport field name
    message: str  # plain Chinese
    code: str = ""  # a catalogue key (reports.problem.<code>) the page may show instead


def check_figures(
    *,
    completed_month: Decimal | None,
    completed_ytd: Decimal | None,
    completed_total: Decimal | None,
    progress_pct: float | None,
    carried: Carried,
    ceiling: Decimal = AMOUNT_CEILING,
) -> list[FieldProblem]:
    """Amounts within the input value rules (finite, ≥ 0, ≤ ``ceiling``, two decimals);
    年度累计 = 上月年度累计 + 本月; 开工以来累计 = 上月 + 本月; progress 0–100."""
    problems: list[FieldProblem] = []
    for name, label, value in (
        ("completed_month", "本月完成投资", completed_month),
        ("completed_ytd", "年度累计完成投资", completed_ytd),
        ("completed_total", "开工以来累计完成投资", completed_total),
    ):
        if value is None:
            problems.append(FieldProblem(name, f"请填写{label}（万元）"))
            continue
        try:
            check_amount(value, label=label, ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, str(refusal)))
    if progress_pct is None:
        problems.append(FieldProblem("progress_pct", "请填写形象进度（%）"))
    else:
        try:
            parse_percent(progress_pct, label="形象进度")
        except ValueRefused as refusal:
            problems.append(FieldProblem("progress_pct", str(refusal)))
    if problems or completed_month is None or completed_ytd is None or completed_total is None:
        return problems
    expected_ytd = carried.ytd + completed_month
    if abs(completed_ytd - expected_ytd) > ROUNDING:
        problems.append(
            FieldProblem(
                "completed_ytd",
                f"年度累计完成投资应为上月累计 {carried.ytd:.2f} + 本月 {completed_month:.2f}"
                f" = {expected_ytd:.2f} 万元，填报为 {completed_ytd:.2f}",
            )
        )
    if carried.has_previous:
        expected_total = carried.total + completed_month
        if abs(completed_total - expected_total) > ROUNDING:
            problems.append(
                FieldProblem(
                    "completed_total",
                    f"开工以来累计完成投资应为上月累计 {carried.total:.2f} + 本月"
                    f" {completed_month:.2f} = {expected_total:.2f} 万元，填报为"
                    f" {completed_total:.2f}",
                )
            )
    elif completed_total + ROUNDING < completed_ytd:
        problems.append(
            FieldProblem("completed_total", "开工以来累计完成投资不能小于年度累计完成投资")
        )
    return problems


# --- #19: what a report's state reads as ------------------------------------------------------


@dataclass(frozen=True)
class ReportState:
    """What the status column says: a base state and at most one qualifier.

    ``base``: new | draft | submitted | returned | returned_draft (returned, and the lead has
    saved a draft since: the row is being reworked). ``qualifier``: overdue (not submitted,
    the month open and its due day passed) | late (first submitted after the due day) |
    late_resubmit (returned, then resubmitted after the due day) | "" (none)."""

    base: str
    qualifier: str = ""


def report_state(
    *,
    status: str,
    late: bool = False,
    returned_before: bool = False,
    draft_since_return: bool = False,
    submitted_on: date | None = None,
    due_on: date | None = None,
    period_open: bool = False,
    today: date | None = None,
) -> ReportState:
    """The state a report row reads as. Lateness that counts in the rankings stays the first
    submission's (``late``); a resubmission after the due day is named as such, so a late
    resubmission never reads as a plain 已报送."""
    if status == "submitted":
        if late:
            return ReportState("submitted", "late")
        if returned_before and submitted_on and due_on and submitted_on > due_on:
            return ReportState("submitted", "late_resubmit")
        return ReportState("submitted")
    base = status if status in {"new", "draft", "returned"} else "new"
    if base == "returned" and draft_since_return:
        base = "returned_draft"
    overdue = period_open and today is not None and due_on is not None and today > due_on
    return ReportState(base, "overdue" if overdue else "")


# --- #19: progress text carried over from last month -------------------------------------------

_FIGURE = re.compile(r"\d[\d,，.]*\s*(?:万元|亿元|元|%|％)")


def cites_figures(text: str) -> bool:
    """Whether a progress text quotes an amount or a percentage (4215.25万元, 15%)."""
    return bool(_FIGURE.search(text or ""))


def carried_text(text: str, last_text: str | None) -> bool:
    """Whether ``text`` is last month's progress text, unedited."""
    return bool(last_text) and (text or "").strip() == (last_text or "").strip()


def stale_progress_text(
    *,
    text: str,
    last_text: str | None,
    completed_total: Decimal | None,
    progress_pct: float | None,
    last_total: Decimal | None,
    last_pct: float | None,
) -> bool:
    """Last month's text, unedited, that quotes figures while this month's figures differ
    from last month's: submitting it would contradict the report's own numbers."""
    if not carried_text(text, last_text) or not cites_figures(text):
        return False
    total_moved = (
        completed_total is not None
        and last_total is not None
        and abs(completed_total - last_total) > ROUNDING
    )
    pct_moved = (
        progress_pct is not None and last_pct is not None and abs(progress_pct - last_pct) > 0.05
    )
    return total_moved or pct_moved
