"""When an indicator's values are due, and when their owners are reminded or the office told.
Pure: every rule takes the day.

An indicator is reported by frequency: annual (a calendar year), quarterly or monthly. A
period's values are asked for the day after it ends (the statistics of a period exist only
once it is over) and are due ``due_day`` days of the following month for a month or a
quarter, and on the last day of ``annual_due_month`` of the following year for a year (the
yearly statistics bulletin appears in the spring; the zone's annual report follows it). A due
day on a weekend or holiday moves to the next working day, as the monthly reports' do.

Owners are chased the way monthly reports are: daily in the days before the due day, on it
and in the first week after it, then weekly, until ``CHASE_DAYS`` after the due day; the
office is told from ``escalate_after`` days after the due day (then weekly) which values
have not arrived.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tracker.domain.cycle import next_workday
from tracker.domain.messages import KeyedError, Message, msg
from tracker.domain.periods import add_months

ANNUAL, QUARTERLY, MONTHLY = "annual", "quarterly", "monthly"
FREQUENCIES = (ANNUAL, QUARTERLY, MONTHLY)
CHASE_DAYS = 91  # after this many days past the due day a period's values are no longer chased
WEEK = 7

_KEY = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2}))?$")


class PeriodKeyError(KeyedError):
    """A value period written in a form the product does not know."""


@dataclass(frozen=True, order=True)
class ValuePeriod:
    """The period a value is for: a year, a quarter or a month, named by its first day."""

    start: date
    frequency: str

    @property
    def key(self) -> str:
        """2026 | 2026-Q3 | 2026-10 (one text per period, whatever the frequency)."""
        if self.frequency == ANNUAL:
            return f"{self.start.year}"
        if self.frequency == QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def end(self) -> date:
        """The period's last day."""
        return add_months(self.start, _MONTHS[self.frequency]) - timedelta(days=1)

    @property
    def name(self) -> Message:
        """The period as people say it, in the reader's language."""
        if self.frequency == ANNUAL:
            return msg("indicator_cycle.period.annual", year=self.start.year)
        if self.frequency == QUARTERLY:
            quarter = (self.start.month - 1) // 3 + 1
            return msg("indicator_cycle.period.quarterly", year=self.start.year, quarter=quarter)
        return msg("indicator_cycle.period.monthly", month=self.start)

    def following(self) -> ValuePeriod:
        return ValuePeriod(add_months(self.start, _MONTHS[self.frequency]), self.frequency)

    def preceding(self) -> ValuePeriod:
        return ValuePeriod(add_months(self.start, -_MONTHS[self.frequency]), self.frequency)


_MONTHS = {ANNUAL: 12, QUARTERLY: 3, MONTHLY: 1}


def check_frequency(frequency: str) -> str:
    if frequency not in FREQUENCIES:
        raise PeriodKeyError("indicator_cycle.bad_frequency", value=str(frequency)[:20])
    return frequency


def period_of(frequency: str, day: date) -> ValuePeriod:
    """The period of ``frequency`` that ``day`` falls in."""
    check_frequency(frequency)
    if frequency == ANNUAL:
        return ValuePeriod(date(day.year, 1, 1), ANNUAL)
    if frequency == QUARTERLY:
        return ValuePeriod(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), QUARTERLY)
    return ValuePeriod(day.replace(day=1), MONTHLY)


def parse_period(key: str) -> ValuePeriod:
    """'2026' → the year, '2026-Q3' → the third quarter, '2026-10' → October."""
    found = _KEY.match(str(key or "").strip().upper())
    if found is None or not 1900 < int(found.group(1)) < 2200:
        raise PeriodKeyError("indicator_cycle.bad_period", value=str(key)[:40])
    year, quarter, month = found.groups()
    if quarter:
        return ValuePeriod(date(int(year), (int(quarter) - 1) * 3 + 1, 1), QUARTERLY)
    if month:
        if not 1 <= int(month) <= 12:
            raise PeriodKeyError("indicator_cycle.bad_period", value=str(key)[:40])
        return ValuePeriod(date(int(year), int(month), 1), MONTHLY)
    return ValuePeriod(date(int(year), 1, 1), ANNUAL)


@dataclass(frozen=True)
class ValueCalendar:
    """The office's policy for indicator values (settings INDICATOR_DUE_DAY and
    INDICATOR_ANNUAL_DUE_MONTH; the reminders' and escalation's days are the reports')."""

    due_day: int = 20  # of the month after a month or a quarter
    annual_due_month: int = 3  # the year's values by the end of this month of the next year
    days_before: int = 3  # reminders start this many days before the due day
    escalate_after: int = 2  # the office is told this many days after the due day


def requested_on(period: ValuePeriod) -> date:
    """The day a period's values are asked for: the day after it ends."""
    return period.end + timedelta(days=1)


def due_on(period: ValuePeriod, policy: ValueCalendar) -> date:
    """The day a period's values are due (moved off a weekend or holiday)."""
    after = requested_on(period)
    if period.frequency == ANNUAL:
        month = date(after.year, max(1, min(policy.annual_due_month, 12)), 1)
        nominal = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    else:
        last = calendar.monthrange(after.year, after.month)[1]
        nominal = after.replace(day=max(1, min(policy.due_day, last)))
    return next_workday(nominal)[0]


def periods_asked(frequency: str, today: date, policy: ValueCalendar) -> list[ValuePeriod]:
    """The periods of ``frequency`` whose values have been asked for by ``today`` and are
    still chased (not more than ``CHASE_DAYS`` past their due day), oldest first."""
    period = period_of(frequency, today).preceding()
    found: list[ValuePeriod] = []
    while (today - due_on(period, policy)).days <= CHASE_DAYS:
        found.append(period)
        period = period.preceding()
    return sorted(found)


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
