from datetime import date

import pytest

from tracker.domain.cycle import (
    ReminderStage,
    ageing_light,
    escalates,
    is_late,
    is_workday,
    merged_away,
    next_workday,
    period_dates,
    reference_period,
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
        # 清明 2026 (4–6 April) moves March's close to the 7th.
        (date(2026, 3, 1), {}, date(2026, 3, 20), date(2026, 3, 25), date(2026, 4, 7), ("close",)),
        (
            date(2026, 10, 1),
            {},
            date(2026, 10, 20),
            date(2026, 10, 26),
            date(2026, 11, 5),
            ("due",),
        ),
        (
            date(2026, 10, 1),
            {"due_moves_to_workday": False},
            date(2026, 10, 20),
            date(2026, 10, 25),
            date(2026, 11, 5),
            (),
        ),
        # 中秋 2026 (25 September, a Friday) moves the due day to Monday the 28th; 国庆
        # (1–7 October) moves the close to the 8th; the 20th is a 调休 Sunday and stays.
        (
            date(2026, 9, 1),
            {},
            date(2026, 9, 20),
            date(2026, 9, 28),
            date(2026, 10, 8),
            ("due", "close"),
        ),
        # Open and due on the 1st of October: the whole golden week passes for both.
        (
            date(2025, 10, 1),
            {"open_day": 1, "due_day": 1},
            date(2025, 10, 9),
            date(2025, 10, 9),
            date(2025, 11, 5),
            ("open", "due"),
        ),
        # 春节 2026 (15–23 February): February opens after the break, on the 24th.
        (date(2026, 2, 1), {}, date(2026, 2, 24), date(2026, 2, 25), date(2026, 3, 5), ("open",)),
        # 春节 2020 pushes the January due day to 3 February, still before the close.
        (date(2020, 1, 1), {}, date(2020, 1, 20), date(2020, 2, 3), date(2020, 2, 5), ("due",)),
        # A due day that would pass the close is brought back to the last working day before
        # it (23 January 2020, before the extended 春节 break); the close moves off the break.
        (
            date(2020, 1, 1),
            {"close_day": 1},
            date(2020, 1, 20),
            date(2020, 1, 23),
            date(2020, 2, 3),
            ("due", "close"),
        ),
        # Days beyond a short month are clipped.
        (
            date(2026, 2, 1),
            {"open_day": 30, "due_day": 31, "due_moves_to_workday": False},
            date(2026, 2, 28),
            date(2026, 2, 28),
            date(2026, 3, 5),
            (),
        ),
    ],
)
def test_open_due_and_close_days_move_off_weekends_and_holidays(
    period, kwargs, opens, due, closes, moved
):
    dates = period_dates(period, **kwargs)
    assert (dates.opens_on, dates.due_on, dates.closes_on, dates.moved) == (
        opens,
        due,
        closes,
        moved,
    )
    assert dates.due_moved == ("due" in moved)
    if kwargs.get("due_moves_to_workday", True):
        for day in (dates.opens_on, dates.due_on, dates.closes_on):
            assert is_workday(day).workday, day


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024, 2025, 2026])
def test_no_day_of_a_year_s_cycle_falls_on_a_day_off(year):
    for month in range(1, 13):
        dates = period_dates(date(year, month, 1))
        for day in (dates.opens_on, dates.due_on, dates.closes_on):
            check = is_workday(day)
            assert check.workday or not check.official, (month, day)
        assert dates.opens_on <= dates.due_on < dates.closes_on


def test_january_and_february_can_report_as_one_period():
    merged = period_dates(date(2026, 1, 1), merge_jan_feb=True)
    assert merged == period_dates(date(2026, 2, 1), merge_jan_feb=True)
    assert merged.period == date(2026, 2, 1)
    assert merged.first_month == date(2026, 1, 1)
    assert merged.months == (date(2026, 1, 1), date(2026, 2, 1))
    assert merged.opens_on == date(2026, 2, 24)  # after the Spring Festival break
    assert merged_away(date(2026, 1, 1), merge_jan_feb=True)
    assert not merged_away(date(2026, 2, 1), merge_jan_feb=True)
    assert period_dates(date(2026, 3, 1), merge_jan_feb=True).first_month is None


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 3, 25), date(2026, 2, 1)),  # the due day itself still belongs to reporters
        (date(2026, 3, 26), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 2, 1)),
        (date(2026, 2, 25), date(2026, 1, 1)),
        (date(2026, 1, 10), date(2025, 12, 1)),
    ],
)
def test_the_reference_period_is_the_latest_month_whose_reports_were_due(as_of, expected):
    def due_on(month: date) -> date:
        return period_dates(month).due_on

    assert reference_period(as_of, due_on) == expected


def test_a_merged_january_is_skipped_by_the_reference_period():
    def due_on(month: date) -> date | None:
        if merged_away(month, merge_jan_feb=True):
            return None
        return period_dates(month, merge_jan_feb=True).due_on

    assert reference_period(date(2026, 2, 10), due_on) == date(2025, 12, 1)
    assert reference_period(date(2026, 2, 26), due_on) == date(2026, 2, 1)


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
        dispatch.DUBAN_ESCALATED,
    ):
        zh, en = CATALOGUE[f"notify.reason.{reason}"]
        assert zh and en
    for job in dispatch.JOBS:
        assert t(f"job.{job}") != f"job.{job}"
