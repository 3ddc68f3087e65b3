"""When an indicator's owner is asked for a value, reminded, and when the office is told.
Pure: every rule takes the day.

Periods and due days are the indicators' own (``tracker.domain.indicators``: a value of a
period is due ``*_due_days`` after the period ends, the office's policy). On top of them:
a period's values are asked for the day after it ends (its statistics exist only once it is
over); its owner is chased the way monthly reports are — daily in the days before the due
day, on it and in the first week after it, then weekly, until ``CHASE_DAYS`` after it; the
office is told from ``escalate_after`` days after the due day, then weekly, which values
have not arrived.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from tracker.domain.indicators import (
    DEFAULT_THRESHOLDS,
    Frequency,
    IndicatorThresholds,
    due_on,
    parse_period_key,
    period_end,
    period_start,
)
from tracker.domain.messages import Message, msg
from tracker.domain.periods import add_months

CHASE_DAYS = 91  # after this many days past the due day a period's value is no longer chased
WEEK = 7


def requested_on(frequency: Frequency | str, period: date) -> date:
    """The day a period's values are asked for: the day after it ends."""
    return period_end(frequency, period) + timedelta(days=1)


def periods_chased(
    frequency: Frequency | str,
    today: date,
    thresholds: IndicatorThresholds = DEFAULT_THRESHOLDS,
) -> list[date]:
    """The periods of ``frequency`` whose values have been asked for by ``today`` and are
    still chased (not more than ``CHASE_DAYS`` past their due day), oldest first."""
    freq = Frequency(frequency)
    period = add_months(period_start(freq, today), -freq.months)
    found: list[date] = []
    while (today - due_on(freq, period, thresholds)).days <= CHASE_DAYS:
        found.append(period)
        period = add_months(period, -freq.months)
    return sorted(found)


def period_name(frequency: Frequency | str, period: date) -> Message:
    """The period as people say it (2026年第3季度 / Q3 2026), in the reader's language."""
    freq = Frequency(frequency)
    if freq is Frequency.ANNUAL:
        return msg("indicator.period.annual", year=period.year)
    if freq is Frequency.QUARTERLY:
        quarter = (period.month - 1) // 3 + 1
        return msg("indicator.period.quarterly", year=period.year, quarter=quarter)
    return msg("indicator.period.monthly", year=period.year, month=period.month)


def read_period(text: str) -> tuple[Frequency, date] | None:
    """A period key of any frequency (``2025``, ``2025Q3``, ``2025-07``; the Chinese forms
    too), or None. The forms cannot be confused: a year, a quarter and a month differ."""
    for freq in Frequency:
        try:
            found = parse_period_key(freq, text)
        except (ValueError, TypeError):
            found = None
        if found is not None:
            return freq, found
    return None


class Stage(StrEnum):
    DUE_SOON = "indicator_due_soon"
    DUE_TODAY = "indicator_due_today"
    OVERDUE = "indicator_overdue"


def reminder_stage(today: date, *, asked_on: date, due: date, days_before: int) -> Stage | None:
    """Which reminder, if any, the owner of a missing value gets on ``today``: daily from
    ``days_before`` days before the due day, on it, in the week after it, then weekly until
    ``CHASE_DAYS`` after it."""
    if today < asked_on:
        return None
    late = (today - due).days
    if late == 0:
        return Stage.DUE_TODAY
    if late < 0:
        return Stage.DUE_SOON if -late <= days_before else None
    if late <= WEEK or (late <= CHASE_DAYS and late % WEEK == 0):
        return Stage.OVERDUE
    return None


def escalates(today: date, *, due: date, after_days: int) -> bool:
    """Whether the office is told on ``today`` of a value still missing: ``after_days`` after
    the due day, then weekly, until ``CHASE_DAYS`` after it."""
    late = (today - due).days
    if late < after_days or late > CHASE_DAYS:
        return False
    return (late - after_days) % WEEK == 0


def is_late(submitted_on: date, due: date) -> bool:
    """A value submitted after its due day is late (on the due day itself is on time)."""
    return submitted_on > due
