"""Working days on the Chinese calendar, counted from the precomputed index."""

from datetime import date

import pytest

from tracker.domain import workdays
from tracker.domain.workdays import OutsideCalendar


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Fri 25th is 中秋, then a weekend
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # 国庆 1–7 October
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Saturday 10th is worked (调休)
        (date(2026, 10, 8), -1, date(2026, 9, 30)),
        (date(2026, 10, 3), 0, date(2026, 10, 8)),  # from a holiday: the next working day
        (date(2026, 10, 3), -1, date(2026, 9, 30)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # 春节: Saturday 14 February is worked
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # … then off until Tuesday the 24th
        (date(2026, 12, 4), 5, date(2026, 12, 11)),  # a plain week
    ],
)
def test_adding_working_days_skips_holidays_and_counts_swapped_weekends(day, count, expected):
    assert workdays.add_workdays(day, count) == expected


def test_counting_working_days_of_a_month_with_the_national_day_holiday():
    # October 2026: 22 weekdays, 5 of them off (1, 2, 5, 6, 7), Saturday the 10th worked
    assert workdays.count_workdays(date(2026, 10, 1), date(2026, 10, 31)) == 22 - 5 + 1
    assert workdays.count_workdays(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert workdays.count_workdays(date(2026, 10, 9), date(2026, 10, 8)) == 0


def test_a_year_beyond_the_holiday_data_moves_weekends_only():
    beyond = date(2099, 1, 1)  # a Thursday: New Year is not known that far ahead
    assert not workdays.official(beyond)
    assert workdays.is_workday(beyond).workday and not workdays.is_workday(beyond).official
    assert workdays.add_workdays(date(2099, 1, 2), 1) == date(2099, 1, 5)  # Fri → Mon
    assert workdays.official(date(2026, 5, 1))


def test_next_and_previous_working_day_of_a_holiday():
    assert workdays.next_workday(date(2026, 5, 1)) == date(2026, 5, 6)
    assert workdays.previous_workday(date(2026, 5, 5)) == date(2026, 4, 30)
    assert workdays.next_workday(date(2026, 5, 9)) == date(2026, 5, 9)  # a worked Saturday


def test_the_exceptions_to_a_plain_week_are_the_holidays_and_the_swapped_days():
    off, worked = workdays.exceptions(date(2026, 9, 19), date(2026, 10, 11))
    assert off == [date(2026, 9, 25), *(date(2026, 10, d) for d in (1, 2, 5, 6, 7))]
    assert worked == [date(2026, 9, 20), date(2026, 10, 10)]


def test_a_day_outside_the_index_is_refused_with_its_span():
    with pytest.raises(OutsideCalendar) as refused:
        workdays.add_workdays(date(1999, 12, 31), 1)
    assert "1999-12-31" in str(refused.value) and "2000-01-01" in str(refused.value)
