"""Each project's own 序时 (the share of its annual plan due by a date) and its stage.

The office-wide 序时进度 (``periods.time_progress``, counted in months) is what headlines
publish. A project is judged against its own due share instead:

1. its monthly plan, where the investment plan carries a 12-month split;
2. else its planned start and finish within the year: every active month owes an equal
   part, and within a month the part grows by day over the days the project is active;
3. else (no planned dates) the office's month count.

Before its planned start a project owes nothing (share 0); after its planned finish it owes
its whole plan. Pure: every function takes the date.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from tracker.domain.periods import time_progress


class DueBasis(StrEnum):
    MONTHLY = "monthly"  # the investment plan's monthly split
    SPAN = "span"  # planned start and finish within the year
    MONTHS = "months"  # the office's month count (no planned dates)


@dataclass(frozen=True)
class DueShare:
    share: float  # 0..1: the part of the year's plan due by the date
    basis: DueBasis


def monthly_amounts(monthly: Sequence[object] | None) -> list[Decimal] | None:
    """A stored 12-month split as amounts, or None when there is no usable split (not 12
    entries, a negative or unreadable entry, or nothing planned in any month)."""
    if not monthly or len(monthly) != 12:
        return None
    amounts: list[Decimal] = []
    for value in monthly:
        if value is None or value == "":
            amounts.append(Decimal("0"))
            continue
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None
        if not amount.is_finite() or amount < 0:
            return None
        amounts.append(amount)
    return amounts if sum(amounts) > 0 else None


def _elapsed(as_of: date, first: date, last: date) -> float:
    """The part of the days ``first``..``last`` (inclusive) that have passed by the end of
    ``as_of``: 0 before ``first``, 1 from ``last`` on."""
    if as_of < first:
        return 0.0
    if as_of >= last:
        return 1.0
    return ((as_of - first).days + 1) / ((last - first).days + 1)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def due_share(
    as_of: date,
    *,
    year: int,
    monthly: Sequence[object] | None = None,
    planned_start: date | None = None,
    planned_finish: date | None = None,
) -> DueShare:
    """The share of the project's ``year`` plan due by the end of ``as_of``."""
    amounts = monthly_amounts(monthly)
    if amounts is not None:
        if as_of.year != year:
            return DueShare(0.0 if as_of.year < year else 1.0, DueBasis.MONTHLY)
        total = sum(amounts)
        due = sum(
            float(amount) * _elapsed(as_of, *_month_bounds(year, m))
            for m, amount in enumerate(amounts, start=1)
        )
        return DueShare(min(due / float(total), 1.0), DueBasis.MONTHLY)
    if planned_start is None and planned_finish is None:
        if as_of.year != year:
            return DueShare(0.0 if as_of.year < year else 1.0, DueBasis.MONTHS)
        return DueShare(time_progress(as_of), DueBasis.MONTHS)
    first = max(planned_start or date(year, 1, 1), date(year, 1, 1))
    last = min(planned_finish or date(year, 12, 31), date(year, 12, 31))
    if last < first:  # planned to finish before this year or to start after it
        finished_before = planned_finish is not None and planned_finish < date(year, 1, 1)
        share = 1.0 if finished_before and as_of >= date(year, 1, 1) else 0.0
        return DueShare(share, DueBasis.SPAN)
    parts: list[float] = []
    for month in range(first.month, last.month + 1):
        month_first, month_last = _month_bounds(year, month)
        parts.append(_elapsed(as_of, max(month_first, first), min(month_last, last)))
    return DueShare(sum(parts) / len(parts), DueBasis.SPAN)


def due_amount(plan: Decimal, share: float) -> Decimal:
    """The investment due by the date: the plan × the due share, in 万元 (two decimals)."""
    return (plan * Decimal(str(round(share, 6)))).quantize(Decimal("0.01"))


# --- stages ------------------------------------------------------------------------------


class Stage(StrEnum):
    PREPARING = "preparing"  # 前期: not started by the date
    NEW = "new"  # 新开工: started this year
    CONTINUING = "continuing"  # 续建: started in an earlier year, not finished
    COMPLETED = "completed"  # 竣工: finished this year
    COMPLETED_BEFORE = "completed_before"  # 已竣工: finished in an earlier year


STAGES: tuple[Stage, ...] = tuple(Stage)


def stage_of(*, actual_start: date | None, actual_finish: date | None, as_of: date) -> Stage:
    """The project's stage on ``as_of`` (a date in the future counts as not yet happened)."""
    if actual_finish is not None and actual_finish <= as_of:
        return Stage.COMPLETED if actual_finish.year == as_of.year else Stage.COMPLETED_BEFORE
    if actual_start is None or actual_start > as_of:
        return Stage.PREPARING
    return Stage.NEW if actual_start.year == as_of.year else Stage.CONTINUING


@dataclass(frozen=True)
class StageFacts:
    """What the published counts need of one project on ``as_of``."""

    planned_start: date | None
    actual_start: date | None
    actual_finish: date | None
    reported_progress: bool = False  # a counted report this year with investment done


def started_this_year(f: StageFacts, as_of: date) -> bool:
    s = f.actual_start
    return s is not None and s.year == as_of.year and s <= as_of


def started_before_year(f: StageFacts, as_of: date) -> bool:
    return f.actual_start is not None and f.actual_start < date(as_of.year, 1, 1)


def due_to_start_new(f: StageFacts, as_of: date) -> bool:
    """In 新开工率's denominator: not started before this year, and either planned to have
    started by ``as_of`` (an earlier year's plan still unmet included) or started this year
    (a start ahead of plan counts)."""
    if started_before_year(f, as_of):
        return False
    planned = f.planned_start is not None and f.planned_start <= as_of
    return planned or started_this_year(f, as_of)


def continuing(f: StageFacts, as_of: date) -> bool:
    """In 复工率's denominator: started before this year, not finished before it."""
    if not started_before_year(f, as_of):
        return False
    return f.actual_finish is None or f.actual_finish >= date(as_of.year, 1, 1)


def late_to_start(f: StageFacts, as_of: date) -> bool:
    """应开未开: planned to have started by ``as_of``, not started."""
    not_started = f.actual_start is None or f.actual_start > as_of
    return not_started and f.planned_start is not None and f.planned_start <= as_of


def completed_this_year(f: StageFacts, as_of: date) -> bool:
    e = f.actual_finish
    return e is not None and e.year == as_of.year and e <= as_of


class StageRates:
    """新开工率 and 复工率 of whatever counts new starts and resumptions (a dataclass's fields)."""

    new_started: int
    new_due: int
    continuing: int
    resumed: int

    @property
    def new_start_rate(self) -> float | None:
        return self.new_started / self.new_due if self.new_due else None

    @property
    def resume_rate(self) -> float | None:
        return self.resumed / self.continuing if self.continuing else None


@dataclass(frozen=True)
class StageCounts(StageRates):
    """新开工率, 复工率, 竣工 and 应开未开 as offices publish them."""

    new_started: int
    new_due: int
    continuing: int
    resumed: int
    completed: int
    late_to_start: int
    by_stage: dict[str, int]


def stage_counts(facts: Sequence[StageFacts], as_of: date) -> StageCounts:
    by_stage = dict.fromkeys((s.value for s in STAGES), 0)
    for f in facts:
        by_stage[
            stage_of(actual_start=f.actual_start, actual_finish=f.actual_finish, as_of=as_of)
        ] += 1
    due = [f for f in facts if due_to_start_new(f, as_of)]
    cont = [f for f in facts if continuing(f, as_of)]
    return StageCounts(
        new_started=sum(1 for f in due if started_this_year(f, as_of)),
        new_due=len(due),
        continuing=len(cont),
        resumed=sum(1 for f in cont if f.reported_progress),
        completed=sum(1 for f in facts if completed_this_year(f, as_of)),
        late_to_start=sum(1 for f in facts if late_to_start(f, as_of)),
        by_stage=by_stage,
    )
