from datetime import UTC, date, datetime

import pytest

from tracker.domain.periods import (
    SHANGHAI,
    add_months,
    month_end,
    months_between,
    time_progress,
    today_in_shanghai,
)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 1, 31), 1 / 12),
        (date(2026, 3, 31), 0.25),  # the office's own example: end of March is 25%
        (date(2026, 6, 30), 0.5),
        (date(2026, 12, 31), 1.0),
        (date(2026, 1, 1), (1 / 31) / 12),
        (date(2026, 4, 15), (3 + 15 / 30) / 12),
        (date(2024, 2, 29), (1 + 29 / 29) / 12),  # leap day closes February
    ],
)
def test_time_progress_counts_months_and_days_within_the_month(as_of, expected):
    assert time_progress(as_of) == pytest.approx(expected)


def test_time_progress_never_falls_as_the_year_goes_on():
    days = [date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + i) for i in range(365)]
    values = [time_progress(d) for d in days]
    assert values == sorted(values)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
    ],
)
def test_add_months_clips_to_the_month_s_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_months_between_lists_first_days_inclusive():
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert month_end(date(2026, 2, 3)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 10, 31, 15, 59, tzinfo=UTC), date(2026, 10, 31)),  # 23:59 in Shanghai
        (datetime(2026, 10, 31, 16, 0, tzinfo=UTC), date(2026, 11, 1)),  # midnight there
        (datetime(2026, 10, 31, 16, 0), date(2026, 11, 1)),  # naive: UTC, as stored
        (datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI), date(2026, 11, 1)),
    ],
)
def test_today_in_shanghai_is_the_office_day_of_any_instant(moment, day):
    assert today_in_shanghai(moment) == day
