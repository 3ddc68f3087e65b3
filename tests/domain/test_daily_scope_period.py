"""#19: one notion of "the current period" — a table over a year of days (before an open day,
the open day, the due day, the day after, the close day, after it; holiday shifts; January
merged into February) and the service every page reads it from."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.cycle import PeriodState, current_period, merged_away, period_dates

OPEN, OVERDUE, CLOSED = PeriodState.OPEN, PeriodState.OVERDUE, PeriodState.CLOSED


def _dates_of(merge: bool):
    def dates_of(month: date):
        if merged_away(month, merge_jan_feb=merge):
            return None
        return period_dates(month, merge_jan_feb=merge)

    return dates_of


def m(year: int, month: int) -> date:
    return date(year, month, 1)


# day → (current period, state, next period, figures month), default settings
# (open 20th, due 25th, close 5th of the next month, moved to working days)
TABLE = [
    ("2026-01-05", m(2025, 12), CLOSED, m(2026, 1), m(2025, 12)),  # December closed 5 Jan
    ("2026-01-19", m(2025, 12), CLOSED, m(2026, 1), m(2025, 12)),  # the day before the open
    ("2026-01-20", m(2026, 1), OPEN, m(2026, 2), m(2025, 12)),  # the open day
    ("2026-01-26", m(2026, 1), OPEN, m(2026, 2), m(2025, 12)),  # due day (25th: Sunday)
    ("2026-01-27", m(2026, 1), OVERDUE, m(2026, 2), m(2026, 1)),  # the day after
    ("2026-02-04", m(2026, 1), OVERDUE, m(2026, 2), m(2026, 1)),
    ("2026-02-05", m(2026, 1), CLOSED, m(2026, 2), m(2026, 1)),  # the close day
    ("2026-02-20", m(2026, 1), CLOSED, m(2026, 2), m(2026, 1)),  # 春节: February not open
    ("2026-02-24", m(2026, 2), OPEN, m(2026, 3), m(2026, 1)),  # opens after the holiday
    ("2026-03-05", m(2026, 2), CLOSED, m(2026, 3), m(2026, 2)),
    ("2026-06-20", m(2026, 5), CLOSED, m(2026, 6), m(2026, 5)),  # open day a Saturday
    ("2026-06-22", m(2026, 6), OPEN, m(2026, 7), m(2026, 5)),  # … moved to Monday
    ("2026-10-05", m(2026, 9), OVERDUE, m(2026, 10), m(2026, 9)),  # 国庆: close moved
    ("2026-10-08", m(2026, 9), CLOSED, m(2026, 10), m(2026, 9)),
    ("2026-11-19", m(2026, 10), CLOSED, m(2026, 11), m(2026, 10)),
    ("2026-11-20", m(2026, 11), OPEN, m(2026, 12), m(2026, 10)),
    ("2026-11-25", m(2026, 11), OPEN, m(2026, 12), m(2026, 10)),
    ("2026-11-26", m(2026, 11), OVERDUE, m(2026, 12), m(2026, 11)),
    ("2026-12-04", m(2026, 11), OVERDUE, m(2026, 12), m(2026, 11)),  # not December
    ("2026-12-07", m(2026, 11), CLOSED, m(2026, 12), m(2026, 11)),  # close 5th: Saturday
    ("2026-12-20", m(2026, 11), CLOSED, m(2026, 12), m(2026, 11)),
    ("2026-12-21", m(2026, 12), OPEN, m(2027, 1), m(2026, 11)),  # 20th: Sunday
    ("2026-12-31", m(2026, 12), OVERDUE, m(2027, 1), m(2026, 12)),
]


def _said(now) -> tuple:
    """What the sidebar says of the period: which month, its state, the next month to open
    and the month whose figures are shown."""
    return now.period, now.state, now.next.period if now.next else None, now.figures


@pytest.mark.parametrize(("day", "period", "state", "upcoming", "figures"), TABLE)
def test_the_current_period_follows_the_reporting_calendar(day, period, state, upcoming, figures):
    now = current_period(date.fromisoformat(day), _dates_of(merge=False))
    assert _said(now) == (period, state, upcoming, figures)


# January and February reported as one period (1–2月), opened and due in February
MERGED = [
    ("2026-01-20", m(2025, 12), CLOSED, m(2026, 2), m(2025, 12)),  # January opens nothing
    ("2026-02-20", m(2025, 12), CLOSED, m(2026, 2), m(2025, 12)),
    ("2026-02-24", m(2026, 2), OPEN, m(2026, 3), m(2025, 12)),
    ("2026-03-04", m(2026, 2), OVERDUE, m(2026, 3), m(2026, 2)),
    ("2026-03-05", m(2026, 2), CLOSED, m(2026, 3), m(2026, 2)),
]


@pytest.mark.parametrize(("day", "period", "state", "upcoming", "figures"), MERGED)
def test_a_merged_january_and_february_is_one_period(day, period, state, upcoming, figures):
    now = current_period(date.fromisoformat(day), _dates_of(merge=True))
    assert _said(now) == (period, state, upcoming, figures)
    if now.period == m(2026, 2):
        assert now.dates.months == (m(2026, 1), m(2026, 2))


def test_a_period_the_cycle_closed_is_closed_whatever_the_day():
    now = current_period(
        date(2026, 12, 4), _dates_of(merge=False), closed=lambda month: month == m(2026, 11)
    )
    assert (now.period, now.state) == (m(2026, 11), CLOSED)
