"""The monthly report's rules, shared by the entry grid and the Excel form. Pure.

Its fields (one list), the checks on its figures and on a submission, what a row's state
reads as, when it is overdue, and how many reports in a row a project has missed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from tracker.domain.inputs import AMOUNT_CEILING, ValueRefused, check_amount, parse_percent
from tracker.domain.messages import Message, msg, render
from tracker.domain.periods import month_end

ROUNDING = Decimal("0.01")  # 万元: amounts agree when they differ by no more than this

# --- the report's fields (the one list: grid, form, services) ---------------------------------

AMOUNT_FIELDS = ("completed_month", "completed_ytd", "completed_total")
FIGURE_FIELDS = (*AMOUNT_FIELDS, "progress_pct")
TEXT_FIELDS = (
    "progress_text",
    "milestone_status",
    "problems",
    "next_steps",
    "coordination",
    "reporter",
)
FIELDS = FIGURE_FIELDS + TEXT_FIELDS


@dataclass(frozen=True)
class ReportValues:
    """What a person enters for a project's month (the grid, the form, the services).
    ``completed_ytd`` / ``completed_total`` left as None are computed as last month's
    figure + this month's."""

    completed_month: Decimal | None = None
    completed_ytd: Decimal | None = None
    completed_total: Decimal | None = None
    progress_pct: float | None = None
    progress_text: str = ""
    milestone_status: str = ""
    problems: str = ""
    next_steps: str = ""
    coordination: str = ""
    reporter: str = ""

    def values(self) -> ReportValues:
        """Only the report's values (of a row that carries more, such as a form's)."""
        return ReportValues(**{name: getattr(self, name) for name in FIELDS})


def field_label(name: str) -> Message:
    """A report field's name for the reader (本月完成投资 / Investment this month)."""
    return msg(f"report.field.{name}")


@dataclass(frozen=True)
class StoredValues(Message):
    """Stored values as one parameter, in the reader's language: 本月完成投资（inf）、形象进度（nan）
    / investment this month (inf), physical progress (nan)."""

    def render(self, lang: str = "zh") -> str:
        pattern, sep = ("{}（{}）", "、") if lang == "zh" else ("{} ({})", ", ")
        pairs = self.params.get("pairs", ())
        return sep.join(pattern.format(field_label(name).render(lang), v) for name, v in pairs)


@dataclass(frozen=True)
class ReportChange(Message):
    """A field's change as a form would make it, in the reader's language: 本月完成投资 100.00 →
    150.00, 形象进度 40% → 45%, 存在问题“…” → “…” (the values as written)."""

    def render(self, lang: str = "zh") -> str:
        name, old, new = self.params["name"], self.params["old"], self.params["new"]
        label = field_label(name).render(lang)
        if name in AMOUNT_FIELDS:
            return f"{label} {old:.2f} → {new:.2f}"
        if name == "progress_pct":
            return f"{label} {old:g}% → {new:g}%"
        return f"{label}“{old}” → “{new}”" if lang == "zh" else f"{label} “{old}” → “{new}”"


def report_change(name: str, old: object, new: object) -> ReportChange:
    """What changes in field ``name`` (its stored value ``old``, the new one ``new``)."""
    return ReportChange("report.change", MappingProxyType({"name": name, "old": old, "new": new}))


def unusable_notice(stored: Sequence[tuple[str, object]]) -> Message | str:
    """What to enter again when stored values cannot be used: (field name, stored value)
    pairs; "" when there are none."""
    if not stored:
        return ""
    pairs = tuple((name, str(value)) for name, value in stored)
    return msg("report.stored_unusable", fields=StoredValues("stored", {"pairs": pairs}))


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
    """A field of a report and what is wrong with it (a catalogue message)."""

    field: str  # a MonthlyReport field name
    note: Message | str  # a ``Message``; a refused value's own text until it is keyed

    @property
    def message(self) -> str:
        """The problem in Chinese (logs, the CLI, the form's row errors)."""
        return render(self.note, "zh")

    def render(self, lang: str = "zh") -> str:
        return render(self.note, lang)


def refusal_note(refusal: ValueRefused) -> Message:
    """A value rule's refusal as a problem's note."""
    return refusal.message


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
    for name, value in zip(
        AMOUNT_FIELDS, (completed_month, completed_ytd, completed_total), strict=True
    ):
        if value is None:
            problems.append(
                FieldProblem(name, msg("report.check.amount_missing", field=field_label(name)))
            )
            continue
        try:
            check_amount(value, label=field_label(name), ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, refusal_note(refusal)))
    if progress_pct is None:
        problems.append(FieldProblem("progress_pct", msg("report.check.progress_missing")))
    else:
        try:
            parse_percent(progress_pct, label=field_label("progress_pct"))
        except ValueRefused as refusal:
            problems.append(FieldProblem("progress_pct", refusal_note(refusal)))
    if problems or completed_month is None or completed_ytd is None or completed_total is None:
        return problems
    return _running_totals(completed_month, completed_ytd, completed_total, carried)


def _running_totals(
    month: Decimal, ytd: Decimal, total: Decimal, carried: Carried
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    expected_ytd = carried.ytd + month
    if abs(ytd - expected_ytd) > ROUNDING:
        problems.append(
            FieldProblem(
                "completed_ytd",
                msg(
                    "report.check.ytd_sum",
                    last=carried.ytd,
                    month=month,
                    expected=expected_ytd,
                    given=ytd,
                ),
            )
        )
    if carried.has_previous:
        expected_total = carried.total + month
        if abs(total - expected_total) > ROUNDING:
            problems.append(
                FieldProblem(
                    "completed_total",
                    msg(
                        "report.check.total_sum",
                        last=carried.total,
                        month=month,
                        expected=expected_total,
                        given=total,
                    ),
                )
            )
    elif total + ROUNDING < ytd:
        problems.append(FieldProblem("completed_total", msg("report.check.total_below_ytd")))
    return problems


@dataclass(frozen=True)
class LastReport:
    """What the check on a submission needs from last month's submitted report."""

    progress_text: str
    completed_total: Decimal | None
    progress_pct: float | None


def submission_problems(
    *,
    completed_month: Decimal | None,
    completed_ytd: Decimal | None,
    completed_total: Decimal | None,
    progress_pct: float | None,
    progress_text: str,
    reporter: str,
    problems_text: str,
    carried: Carried,
    last: LastReport | None,
    red: bool,
    ceiling: Decimal = AMOUNT_CEILING,
) -> list[FieldProblem]:
    """Every check a submission must pass: the figures, a progress text that is not last
    month's contradicting this month's figures, the reporter, and the problems when red."""
    problems = check_figures(
        completed_month=completed_month,
        completed_ytd=completed_ytd,
        completed_total=completed_total,
        progress_pct=progress_pct,
        carried=carried,
        ceiling=ceiling,
    )
    if not progress_text:
        problems.append(FieldProblem("progress_text", msg("report.check.progress_text_missing")))
    elif last is not None and stale_progress_text(
        text=progress_text,
        last_text=last.progress_text,
        completed_total=completed_total,
        progress_pct=progress_pct,
        last_total=last.completed_total,
        last_pct=last.progress_pct,
    ):
        problems.append(FieldProblem("progress_text", msg("reports.problem.stale_progress_text")))
    if not reporter:
        problems.append(FieldProblem("reporter", msg("report.check.reporter_missing")))
    if not problems_text and red:
        problems.append(FieldProblem("problems", msg("report.check.problems_when_red")))
    return problems


def overwrite_allowed(status: str, *, office: bool) -> bool:
    """Whether a report in ``status`` may be changed: a submitted one by the office only
    (a lead asks the office to return it first)."""
    return status != "submitted" or office


def is_overdue(*, status: str, period_open: bool, due_on: date | None, today: date) -> bool:
    """Not submitted while the month is open and its due day has passed."""
    return period_open and status != "submitted" and due_on is not None and today > due_on


def default_month(months: Iterable[date], current: date | None) -> date | None:
    """The month the report page opens on: the current period when it has been made, else
    the latest month."""
    stored = set(months)
    if current is not None and current in stored:
        return current
    return max(stored, default=None)


def reportable(begins: date | None, finished: date | None, first: date, last: date) -> bool:
    """Whether a project is expected to report for the period ``first``–``last``: begun by its
    end (actual, else planned start) and not finished before it began."""
    if begins is not None and begins > last:
        return False
    return not (finished is not None and finished < first)


def missed_reports(
    months: Sequence[tuple[date, date]],
    reported: Iterable[date],
    *,
    begins: date | None,
    finished: date | None,
) -> int:
    """Consecutive latest periods without a counted report among those the project was
    expected to report for. ``months`` are (first month, period) pairs, oldest first."""
    seen = set(reported)
    count = 0
    for first, month in reversed(months):
        if not reportable(begins, finished, first, month_end(month)):
            if begins is not None and begins > month_end(month):
                break  # before the project began: nothing earlier counts either
            continue  # finished before this period: not expected to report
        if month in seen:
            break
        count += 1
    return count


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
    overdue = today is not None and is_overdue(
        status=status, period_open=period_open, due_on=due_on, today=today
    )
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
