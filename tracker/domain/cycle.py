"""Calendar rules of the monthly dispatch cycle: open, due and close days, working days,
reminder stages, and the ageing colour of a ledger item. Pure: every rule takes the date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar

from tracker.domain.periods import add_months, month_start
from tracker.domain.rules import Light


@dataclass(frozen=True)
class WorkdayCheck:
    """Whether a day is a working day, and whether the official calendar knew that year."""

    workday: bool
    official: bool  # False: the year is beyond chinese_calendar's data; weekends only


def is_workday(day: date) -> WorkdayCheck:
    """A Chinese working day: Monday–Friday except public holidays, plus 调休 Saturdays/Sundays.

    chinese_calendar carries the State Council's announced holidays for the years it knows;
    for a later year (announced each November) it raises, and we fall back to weekends only.
    """
    try:
        return WorkdayCheck(chinese_calendar.is_workday(day), True)
    except NotImplementedError:
        return WorkdayCheck(day.weekday() < 5, False)


def next_workday(day: date) -> tuple[date, bool]:
    """``day`` if it is a working day, else the next one; and whether the calendar was official."""
    official = True
    current = day
    for _ in range(40):  # the longest run of non-working days is far shorter (春节 ≈ 9 days)
        check = is_workday(current)
        official = official and check.official
        if check.workday:
            return current, official
        current += timedelta(days=1)
    raise ValueError(f"no working day within 40 days of {day}")  # pragma: no cover


def _day_in(month: date, day: int) -> date:
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


@dataclass(frozen=True)
class PeriodDates:
    period: date  # first day of the month reported on
    opens_on: date
    due_on: date
    closes_on: date
    due_moved: bool  # the due day was moved off a weekend or holiday
    calendar_official: bool  # False when the holiday data did not cover the due day's year


def period_dates(
    period: date,
    *,
    open_day: int = 20,
    due_day: int = 25,
    close_day: int = 5,
    due_moves_to_workday: bool = True,
) -> PeriodDates:
    """Open, due and close days of a month's reporting. The due day may move to the next
    working day, but never onto or past the close day (the day before closing at the latest)."""
    period = month_start(period)
    opens_on = _day_in(period, open_day)
    nominal_due = _day_in(period, due_day)
    closes_on = _day_in(add_months(period, 1), close_day)
    due_on, official = nominal_due, True
    if due_moves_to_workday:
        due_on, official = next_workday(nominal_due)
    latest = closes_on - timedelta(days=1)
    due_on = min(due_on, latest)
    return PeriodDates(
        period=period,
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
        due_moved=due_on != nominal_due,
        calendar_official=official,
    )


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
