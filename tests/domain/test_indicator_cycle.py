"""When indicator values are asked for, reminded and escalated (the due days are the
indicators' own: ``tracker.domain.indicators.due_on``)."""

from datetime import date

import pytest

from tracker.domain.indicator_cycle import (
    Stage,
    escalates,
    periods_chased,
    read_period,
    reminder_stage,
    requested_on,
)
from tracker.domain.indicators import Frequency


@pytest.mark.parametrize(
    ("text", "frequency", "period"),
    [
        ("2025", Frequency.ANNUAL, date(2025, 1, 1)),
        ("2025年", Frequency.ANNUAL, date(2025, 1, 1)),
        ("2025Q3", Frequency.QUARTERLY, date(2025, 7, 1)),
        ("2025年第3季度", Frequency.QUARTERLY, date(2025, 7, 1)),
        ("2025-07", Frequency.MONTHLY, date(2025, 7, 1)),
        ("2025年7月", Frequency.MONTHLY, date(2025, 7, 1)),
    ],
)
def test_a_period_key_of_any_frequency_is_read(text, frequency, period):
    assert read_period(text) == (frequency, period)


@pytest.mark.parametrize("text", ["2025Q5", "2025-13", "25", "", "下半年"])
def test_a_period_written_otherwise_is_not_a_period(text):
    assert read_period(text) is None


def test_values_are_asked_for_the_day_after_the_period_ends():
    assert requested_on(Frequency.ANNUAL, date(2025, 1, 1)) == date(2026, 1, 1)
    assert requested_on(Frequency.QUARTERLY, date(2026, 7, 1)) == date(2026, 10, 1)
    assert requested_on(Frequency.MONTHLY, date(2026, 2, 1)) == date(2026, 3, 1)


def test_the_periods_still_chased_on_a_day():
    today = date(2026, 11, 28)
    # 2025's values were due 120 days after its end (30 April 2026): long past the chase
    assert periods_chased(Frequency.ANNUAL, today) == []
    assert periods_chased(Frequency.ANNUAL, date(2026, 1, 1)) == [date(2025, 1, 1)]
    # Q2 was due 30 July (121 days before): no longer; Q3 (due 30 October) is
    assert periods_chased(Frequency.QUARTERLY, today) == [date(2026, 7, 1)]
    # a month's values are due on the 15th of the next: August's (15 Sept) to October's
    assert periods_chased(Frequency.MONTHLY, today) == [
        date(2026, 8, 1),
        date(2026, 9, 1),
        date(2026, 10, 1),
    ]


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 9, 30), None),  # not asked yet
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
    asked, due = date(2026, 10, 1), date(2026, 10, 20)
    assert reminder_stage(today, asked_on=asked, due=due, days_before=3) == stage


def test_the_office_is_told_two_days_after_the_due_day_then_weekly():
    due = date(2026, 10, 20)
    told = [
        d
        for d in range(-5, 120)
        if escalates(date.fromordinal(due.toordinal() + d), due=due, after_days=2)
    ]
    assert told == [2, 9, 16, 23, 30, 37, 44, 51, 58, 65, 72, 79, 86]
