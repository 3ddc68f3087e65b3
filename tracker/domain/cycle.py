"""Calendar rules of the monthly dispatch cycle: open, due and close days, working days,
reminder stages, and the ageing colour of a ledger item. Pure: every rule takes the date.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tracker.domain import workdays
from tracker.domain.periods import add_months, month_start
from tracker.domain.rules import Light

# working days live in tracker.domain.workdays; these names stay importable from here
from tracker.domain.workdays import WorkdayCheck as WorkdayCheck
from tracker.domain.workdays import is_workday as is_workday
from tracker.domain.workdays import previous_workday


def next_workday(day: date) -> tuple[date, bool]:
    """``day`` if it is a working day, else the next one; and whether the calendar was official."""
    found = workdays.next_workday(day)
    return found, workdays.official(day) and workdays.official(found)


def _day_in(month: date, day: int) -> date:
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


@dataclass(frozen=True)
class PeriodDates:
    period: date  # first day of the (last) month reported on
    opens_on: date
    due_on: date
    closes_on: date
    due_moved: bool  # the due day was moved off a weekend or holiday
    calendar_official: bool  # False when the holiday data did not cover one of the days
    first_month: date | None = None  # January when January and February report as one
    moved: tuple[str, ...] = ()  # which of open / due / close moved off a non-working day

    @property
    def months(self) -> tuple[date, ...]:
        """The months this period reports on (two when January and February are merged)."""
        first = self.first_month or self.period
        return (first, self.period) if first != self.period else (self.period,)


def merged_away(period: date, *, merge_jan_feb: bool) -> bool:
    """January has no period of its own when the office merges January and February."""
    return merge_jan_feb and period.month == 1


def period_dates(
    period: date,
    *,
    open_day: int = 20,
    due_day: int = 25,
    close_day: int = 5,
    due_moves_to_workday: bool = True,
    merge_jan_feb: bool = False,
) -> PeriodDates:
    """Open, due and close days of a month's reporting. With ``due_moves_to_workday`` each
    day that falls on a weekend or a public holiday moves to the next working day (调休
    workdays count as working days), so February never opens inside the Spring Festival
    break. The due day stays before the close day and on or after the open day.

    With ``merge_jan_feb`` the February period reports on January and February together
    (January has none: ``merged_away``)."""
    period = month_start(period)
    if merged_away(period, merge_jan_feb=merge_jan_feb):
        period = period.replace(month=2)
    nominal = {
        "open": _day_in(period, open_day),
        "due": _day_in(period, due_day),
        "close": _day_in(add_months(period, 1), close_day),
    }
    days = dict(nominal)
    official = True
    if due_moves_to_workday:
        for name, day in nominal.items():
            days[name], known = next_workday(day)
            official = official and known
    closes_on = days["close"]
    latest = closes_on - timedelta(days=1)
    if due_moves_to_workday:  # the last working day before the close, where there is one
        latest = max(previous_workday(latest), min(days["open"], latest))
    opens_on = min(days["open"], latest)
    due_on = min(max(days["due"], opens_on), latest)
    moved = tuple(
        name
        for name, day in (("open", opens_on), ("due", due_on), ("close", closes_on))
        if day != nominal[name]
    )
    return PeriodDates(
        period=period,
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
        due_moved=due_on != nominal["due"],
        calendar_official=official,
        first_month=period.replace(month=1) if merge_jan_feb and period.month == 2 else None,
        moved=moved,
    )


def reference_period(as_of: date, due_on: Callable[[date], date | None]) -> date:
    """The latest month whose reports were due before ``as_of`` (the due day itself still
    belongs to the reporters). ``due_on(month)`` gives that month's due day, or None for a
    month without a period of its own (January when merged with February)."""
    month = month_start(as_of)
    for _ in range(36):
        day = due_on(month)
        if day is not None and day < as_of:
            return month
        month = add_months(month, -1)
    raise ValueError(f"no reporting period due before {as_of}")  # pragma: no cover


class PeriodState(StrEnum):
    OPEN = "open"  # open for reporting, the due day not passed
    OVERDUE = "overdue"  # still open, past the due day (late reports until the close)
    CLOSED = "closed"  # closed; the next period has not opened yet


@dataclass(frozen=True)
class CurrentPeriod:
    """The one notion of "the current period" on a day: the period the day belongs to (the
    latest whose open day has come), how far along it is, the next one to open, and the
    month the figures read (the latest month whose reports were due before the day)."""

    today: date
    dates: PeriodDates
    state: PeriodState
    next: PeriodDates | None
    figures: date

    @property
    def period(self) -> date:
        return self.dates.period


def current_period(
    today: date,
    dates_of: Callable[[date], PeriodDates | None],
    closed: Callable[[date], bool] = lambda _month: False,
) -> CurrentPeriod:
    """The current period on ``today`` by the reporting calendar. ``dates_of(month)`` gives
    the month's period dates (stored or from the settings), or None for a month without a
    period of its own (January when merged with February); ``closed(month)`` says whether
    the cycle has already closed it (the close day counts otherwise)."""
    month = month_start(today)
    found: PeriodDates | None = None
    for _ in range(36):
        dates = dates_of(month)
        if dates is not None and dates.opens_on <= today:
            found = dates
            break
        month = add_months(month, -1)
    if found is None:  # pragma: no cover - a period opens every month or two
        raise ValueError(f"no reporting period opened by {today}")
    if today >= found.closes_on or closed(found.period):
        state = PeriodState.CLOSED
    elif today > found.due_on:
        state = PeriodState.OVERDUE
    else:
        state = PeriodState.OPEN
    upcoming: PeriodDates | None = None
    month = add_months(found.period, 1)
    for _ in range(3):
        upcoming = dates_of(month)
        if upcoming is not None:
            break
        month = add_months(month, 1)

    def due_on(m: date) -> date | None:
        d = dates_of(m)
        return d.due_on if d is not None else None

    return CurrentPeriod(today, found, state, upcoming, reference_period(today, due_on))


class ReminderStage(StrEnum):
    DUE_SOON = "report_due_soon"  # before the due day
    DUE_TODAY = "report_due_today"
    OVERDUE = "report_overdue"  # after the due day, to the accounts that still owe reports


def reminder_stage(
    today: date, *, opens_on: date, due_on: date, closes_on: date, days_before: int
) -> ReminderStage | None:
    """Which reminder, if any, the accounts that still owe a report get on ``today``."""
    if not opens_on <= today < closes_on:
        return None
    if today == due_on:
        return ReminderStage.DUE_TODAY
    if today > due_on:
        return ReminderStage.OVERDUE
    if (due_on - today).days <= days_before:
        return ReminderStage.DUE_SOON
    return None


def escalates(today: date, *, due_on: date, closes_on: date, after_days: int) -> bool:
    """Whether the office admins get the list of who has not reported on ``today``."""
    return (today - due_on).days >= after_days and today < closes_on


def is_late(submitted_on: date, due_on: date) -> bool:
    """A report submitted after its due day is late (on the due day itself is on time)."""
    return submitted_on > due_on


# --- the problem ledger ------------------------------------------------------------------


def ageing_light(
    raised_on: date,
    due_date: date | None,
    today: date,
    *,
    closed: bool = False,
    due_soon_days: int = 7,
    amber_open_days: int = 30,
    red_open_days: int = 60,
) -> Light:
    """Colour of an open ledger item: red once past its due date, amber when the due date is
    near; without a due date, by days open. A closed item is green."""
    if closed:
        return Light.GREEN
    if due_date is not None:
        if today > due_date:
            return Light.RED
        if (due_date - today).days <= due_soon_days:
            return Light.AMBER
        return Light.GREEN
    open_days = (today - raised_on).days
    if open_days >= red_open_days:
        return Light.RED
    if open_days >= amber_open_days:
        return Light.AMBER
    return Light.GREEN
