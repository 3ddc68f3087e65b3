"""Working days on the Chinese calendar: the one place that knows which days are worked.

A working day is Monday–Friday except the State Council's public holidays, plus the 调休
Saturdays and Sundays worked in exchange. ``chinesecalendar`` carries the announced
holidays for the years it knows (announced each November for the next year); for a year
beyond its data only weekends move, and ``is_workday(...).official`` says so.

Counting is O(1): every day from ``FIRST_DAY`` to ``LAST_DAY`` is numbered once (on first
use) by the working days before it, so adding, subtracting and counting working days are
list look-ups. A day's *index* is the number of working days before it: a working day has
the index of its position in the run of working days, a non-working day the index of the
next working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

from tracker.domain.messages import KeyedError

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


class OutsideCalendar(KeyedError):
    """A day outside the span the working-day index covers."""


@dataclass(frozen=True)
class WorkdayCheck:
    """Whether a day is a working day, and whether the official calendar knew that year."""

    workday: bool
    official: bool  # False: the year is beyond chinese_calendar's data; weekends only


def _official_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> WorkdayCheck:
    """A Chinese working day: Monday–Friday except public holidays, plus 调休 Saturdays/Sundays.

    For a year beyond chinese_calendar's data we fall back to weekends only."""
    try:
        return WorkdayCheck(chinese_calendar.is_workday(day), True)
    except NotImplementedError:
        return WorkdayCheck(day.weekday() < 5, False)


@dataclass(frozen=True)
class _Index:
    first_ordinal: int
    before: list[int]  # per day from FIRST_DAY: working days before it
    days: list[date]  # per index: the working day itself
    official_years: frozenset[int]


@cache
def _index() -> _Index:
    official_years = frozenset(
        y for y in range(FIRST_DAY.year, LAST_DAY.year + 1) if _official_year(y)
    )
    before: list[int] = []
    days: list[date] = []
    day = FIRST_DAY
    one = timedelta(days=1)
    holidays, extra = chinese_calendar.holidays, chinese_calendar.workdays  # the package's data
    while day <= LAST_DAY:
        before.append(len(days))
        if day.year in official_years and (day in holidays or day in extra):
            worked = day in extra
        else:
            worked = day.weekday() < 5
        if worked:
            days.append(day)
        day += one
    before.append(len(days))  # the day after LAST_DAY
    return _Index(FIRST_DAY.toordinal(), before, days, official_years)


def index_of(day: date) -> int:
    """The number of working days from ``FIRST_DAY`` before ``day`` (a non-working day has
    the index of the next working day)."""
    idx = _index()
    offset = day.toordinal() - idx.first_ordinal
    if not 0 <= offset < len(idx.before):
        raise OutsideCalendar("workdays.outside", day=day, first=FIRST_DAY, last=LAST_DAY)
    return idx.before[offset]


def day_at(index: int) -> date:
    """The working day at ``index`` (the inverse of ``index_of`` on working days)."""
    days = _index().days
    if not 0 <= index < len(days):
        raise OutsideCalendar("workdays.outside", day=index, first=FIRST_DAY, last=LAST_DAY)
    return days[index]


def add_workdays(day: date, count: int) -> date:
    """The working day ``count`` working days after ``day`` (before it when negative).

    ``count == 0`` gives ``day`` itself when it is worked, else the next working day; from a
    non-working day, +1 is the second working day after it and -1 the last one before it."""
    return day_at(index_of(day) + count)


def next_workday(day: date) -> date:
    """``day`` if it is a working day, else the next one."""
    return day_at(index_of(day))


def previous_workday(day: date) -> date:
    """``day`` if it is a working day, else the last one before it."""
    return day_at(index_of(day + timedelta(days=1)) - 1)


def count_workdays(first: date, last: date) -> int:
    """Working days from ``first`` to ``last``, both included (0 when ``last`` < ``first``)."""
    return max(0, index_of(last + timedelta(days=1)) - index_of(first))


def official(day: date) -> bool:
    """Whether the holiday data covers ``day``'s year (else only weekends move that year)."""
    return day.year in _index().official_years


def exceptions(first: date, last: date) -> tuple[list[date], list[date]]:
    """The days from ``first`` to ``last`` that differ from a plain Monday–Friday week:
    (weekdays off — public holidays, weekend days worked — 调休). For calendars written out
    (MS Project's exceptions)."""
    off: list[date] = []
    worked: list[date] = []
    idx = _index()
    day = max(first, FIRST_DAY)
    one = timedelta(days=1)
    while day <= min(last, LAST_DAY):
        offset = day.toordinal() - idx.first_ordinal
        is_worked = idx.before[offset + 1] > idx.before[offset]
        if day.weekday() < 5 and not is_worked:
            off.append(day)
        elif day.weekday() >= 5 and is_worked:
            worked.append(day)
        day += one
    return off, worked
