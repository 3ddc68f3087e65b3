from datetime import date

import pytest

from tracker.domain.cycle import (
    ReminderStage,
    ageing_light,
    escalates,
    is_late,
    is_workday,
    next_workday,
    period_dates,
    reminder_stage,
)
from tracker.domain.rules import Light


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 25), date(2026, 3, 25)),  # a Wednesday
        (date(2026, 4, 25), date(2026, 4, 27)),  # Saturday → Monday
        (date(2026, 1, 25), date(2026, 1, 26)),  # Sunday → Monday
        (date(2025, 10, 1), date(2025, 10, 9)),  # 国庆+中秋 2025: 1–8 October
        (date(2025, 10, 5), date(2025, 10, 9)),
        (date(2026, 10, 1), date(2026, 10, 8)),  # 国庆 2026: 1–7 October
        (date(2025, 9, 28), date(2025, 9, 28)),  # a Sunday made a working day (调休)
        (date(2026, 2, 14), date(2026, 2, 14)),  # a Saturday made a working day before 春节
        (date(2026, 2, 15), date(2026, 2, 24)),  # 春节 2026: 15–23 February
        (date(2024, 2, 10), date(2024, 2, 18)),  # 春节 2024; the 18th (Sunday) was a 调休 day
        (date(2020, 1, 25), date(2020, 2, 3)),  # 春节 2020, extended to 2 February
        (date(2026, 5, 1), date(2026, 5, 6)),  # 劳动节 2026: 1–5 May
    ],
)
def test_a_day_off_moves_to_the_next_chinese_working_day(day, expected):
    moved, official = next_workday(day)
    assert moved == expected
    assert official


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2031, 3, 25), date(2031, 3, 25)),  # Tuesday
        (date(2031, 1, 25), date(2031, 1, 27)),  # Saturday → Monday (春节 2031 unknown)
        (date(2031, 10, 1), date(2031, 10, 1)),  # 国庆 unknown beyond the data: weekday stays
    ],
)
def test_beyond_the_holiday_data_only_weekends_move_and_the_result_says_so(day, expected):
    moved, official = next_workday(day)
    assert (moved, official) == (expected, False)
    assert is_workday(date(2031, 3, 29)).workday is False


@pytest.mark.parametrize(
    ("period", "kwargs", "opens", "due", "closes", "moved"),
    [
        (date(2026, 3, 1), {}, date(2026, 3, 20), date(2026, 3, 25), date(2026, 4, 5), False),
        (date(2026, 10, 1), {}, date(2026, 10, 20), date(2026, 10, 26), date(2026, 11, 5), True),
        (
            date(2026, 10, 1),
            {"due_moves_to_workday": False},
            date(2026, 10, 20),
            date(2026, 10, 25),
            date(2026, 11, 5),
            False,
        ),
        # Due on the 1st of October: the whole golden week passes.
        (
            date(2025, 10, 1),
            {"open_day": 1, "due_day": 1},
            date(2025, 10, 1),
            date(2025, 10, 9),
            date(2025, 11, 5),
            True,
        ),
        # 春节 2020 pushes the January due day to 3 February, still before the close.
        (date(2020, 1, 1), {}, date(2020, 1, 20), date(2020, 2, 3), date(2020, 2, 5), True),
        # Never onto the close day: a close on the 1st caps the due day at the month end.
        (
            date(2020, 1, 1),
            {"close_day": 1},
            date(2020, 1, 20),
            date(2020, 1, 31),
            date(2020, 2, 1),
            True,
        ),
        # Days beyond a short month are clipped.
        (
            date(2026, 2, 1),
            {"open_day": 30, "due_day": 31, "due_moves_to_workday": False},
            date(2026, 2, 28),
            date(2026, 2, 28),
            date(2026, 3, 5),
            False,
        ),
    ],
)
def test_period_dates(period, kwargs, opens, due, closes, moved):
    dates = period_dates(period, **kwargs)
    assert (dates.opens_on, dates.due_on, dates.closes_on, dates.due_moved) == (
        opens,
        due,
        closes,
        moved,
    )


OPENS, DUE, CLOSES = date(2026, 3, 20), date(2026, 3, 25), date(2026, 4, 5)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 3, 19), None),
        (date(2026, 3, 20), None),  # open, but more than 3 days before the due day
        (date(2026, 3, 22), ReminderStage.DUE_SOON),
        (date(2026, 3, 24), ReminderStage.DUE_SOON),
        (date(2026, 3, 25), ReminderStage.DUE_TODAY),
        (date(2026, 3, 26), ReminderStage.OVERDUE),
        (date(2026, 4, 4), ReminderStage.OVERDUE),
        (date(2026, 4, 5), None),  # closed
    ],
)
def test_reminder_stage(today, stage):
    assert (
        reminder_stage(today, opens_on=OPENS, due_on=DUE, closes_on=CLOSES, days_before=3) == stage
    )


def test_the_office_is_told_after_the_escalation_delay_until_the_close():
    def told(day: date) -> bool:
        return escalates(day, due_on=DUE, closes_on=CLOSES, after_days=2)

    assert not told(date(2026, 3, 26))
    assert told(date(2026, 3, 27))
    assert told(date(2026, 4, 4))
    assert not told(date(2026, 4, 5))


def test_a_report_on_the_due_day_is_on_time_the_day_after_is_late():
    assert not is_late(DUE, DUE)
    assert is_late(date(2026, 3, 26), DUE)


@pytest.mark.parametrize(
    ("raised", "due", "today", "closed", "light"),
    [
        (date(2026, 3, 1), date(2026, 4, 25), date(2026, 4, 1), False, Light.GREEN),
        (date(2026, 3, 1), date(2026, 4, 25), date(2026, 4, 18), False, Light.AMBER),
        (date(2026, 3, 1), date(2026, 4, 25), date(2026, 4, 25), False, Light.AMBER),
        (date(2026, 3, 1), date(2026, 4, 25), date(2026, 4, 26), False, Light.RED),
        (date(2026, 3, 1), date(2026, 4, 25), date(2026, 6, 1), True, Light.GREEN),
        (date(2026, 3, 1), None, date(2026, 3, 20), False, Light.GREEN),
        (date(2026, 3, 1), None, date(2026, 3, 31), False, Light.AMBER),
        (date(2026, 3, 1), None, date(2026, 4, 30), False, Light.RED),
    ],
)
def test_ageing_light_of_a_ledger_item(raised, due, today, closed, light):
    assert ageing_light(raised, due, today, closed=closed) is light


def test_every_dispatch_label_has_chinese_and_english():
    from tracker.i18n import CATALOGUE, t
    from tracker.services import dispatch

    for reason in (
        "report_open",
        "report_due_soon",
        "report_due_today",
        "report_overdue",
        dispatch.ESCALATION,
        dispatch.MILESTONE_DUE_SOON,
        dispatch.MILESTONE_OVERDUE,
        dispatch.BULLETIN_READY,
    ):
        zh, en = CATALOGUE[f"notify.reason.{reason}"]
        assert zh and en
    for job in dispatch.JOBS:
        assert t(f"job.{job}") != f"job.{job}"
