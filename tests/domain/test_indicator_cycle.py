"""When indicator values are asked for, due, reminded and escalated."""

from datetime import date

import pytest

from tracker.domain.indicator_cycle import (
    ANNUAL,
    MONTHLY,
    QUARTERLY,
    PeriodKeyError,
    Stage,
    ValueCalendar,
    ValuePeriod,
    due_on,
    escalates,
    parse_period,
    period_of,
    periods_asked,
    reminder_stage,
    requested_on,
)

POLICY = ValueCalendar()


@pytest.mark.parametrize(
    ("frequency", "day", "key", "end"),
    [
        (ANNUAL, date(2026, 7, 9), "2026", date(2026, 12, 31)),
        (QUARTERLY, date(2026, 8, 31), "2026-Q3", date(2026, 9, 30)),
        (QUARTERLY, date(2026, 1, 1), "2026-Q1", date(2026, 3, 31)),
        (MONTHLY, date(2026, 2, 14), "2026-02", date(2026, 2, 28)),
    ],
)
def test_a_day_falls_in_one_period_of_each_frequency(frequency, day, key, end):
    period = period_of(frequency, day)
    assert (period.key, period.end) == (key, end)
    assert parse_period(key) == period


@pytest.mark.parametrize("text", ["2026年", "2026-Q5", "2026-13", "26", "", "1800"])
def test_a_period_written_otherwise_is_refused(text):
    with pytest.raises(PeriodKeyError, match="无法识别报告期"):
        parse_period(text)


@pytest.mark.parametrize(
    ("key", "asked", "due"),
    [
        # a year's values: by the end of March of the next year (31 March 2026 is a Tuesday)
        ("2025", date(2026, 1, 1), date(2026, 3, 31)),
        # a quarter's: the 20th of the month after
        ("2026-Q4", date(2027, 1, 1), date(2027, 1, 20)),
        ("2026-Q3", date(2026, 10, 1), date(2026, 10, 20)),
        # a month's: Sunday 20 September 2026 is a 调休 working day (National Day)
        ("2026-08", date(2026, 9, 1), date(2026, 9, 20)),
        # Saturday 20 June 2026 is not: Monday 22
        ("2026-05", date(2026, 6, 1), date(2026, 6, 22)),
    ],
)
def test_values_are_asked_for_when_the_period_ends_and_due_on_a_working_day(key, asked, due):
    period = parse_period(key)
    assert requested_on(period) == asked
    assert due_on(period, POLICY) == due


def test_the_october_holiday_moves_a_due_day():
    # 1–8 October 2025 were the National Day and Mid-Autumn holidays
    policy = ValueCalendar(due_day=5)
    assert due_on(ValuePeriod(date(2025, 9, 1), MONTHLY), policy) == date(2025, 10, 9)


def test_the_periods_still_chased_on_a_day():
    today = date(2026, 11, 28)
    assert [p.key for p in periods_asked(ANNUAL, today, POLICY)] == []  # 2025's: 31 Mar + 91
    assert [p.key for p in periods_asked(QUARTERLY, today, POLICY)] == ["2026-Q3"]
    # July's were due on 20 August: 100 days before, no longer chased
    assert [p.key for p in periods_asked(MONTHLY, today, POLICY)] == [
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    assert [p.key for p in periods_asked(ANNUAL, date(2026, 2, 1), POLICY)] == ["2025"]


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 10, 1), None),  # asked, the due day far
        (date(2026, 10, 16), None),
        (date(2026, 10, 17), Stage.DUE_SOON),
        (date(2026, 10, 20), Stage.DUE_TODAY),
        (date(2026, 10, 21), Stage.OVERDUE),
        (date(2026, 10, 27), Stage.OVERDUE),  # the first week: daily
        (date(2026, 10, 28), None),
        (date(2026, 11, 3), Stage.OVERDUE),  # then weekly
        (date(2027, 1, 19), Stage.OVERDUE),  # 91 days past the due day: the last
        (date(2027, 1, 26), None),
    ],
)
def test_the_owner_is_reminded_daily_around_the_due_day_then_weekly(today, stage):
    assert (
        reminder_stage(today, asked_on=date(2026, 10, 1), due=date(2026, 10, 20), days_before=3)
        == stage
    )


def test_a_value_not_yet_asked_for_brings_no_reminder():
    assert (
        reminder_stage(
            date(2026, 9, 30), asked_on=date(2026, 10, 1), due=date(2026, 10, 2), days_before=3
        )
        is None
    )


def test_the_office_is_told_two_days_after_the_due_day_then_weekly():
    due = date(2026, 10, 20)
    told = [
        d
        for d in range(-5, 120)
        if escalates(date.fromordinal(due.toordinal() + d), due=due, after_days=2)
    ]
    assert told == [2, 9, 16, 23, 30, 37, 44, 51, 58, 65, 72, 79, 86]
