"""Callback values are read one way (tracker.web.values): a forged value never raises."""

from datetime import date, datetime

import pytest

from tracker.web.values import day_value, int_value, month_value, text_value


@pytest.mark.parametrize(
    ("raw", "day", "month"),
    [
        ("2026-03-17", date(2026, 3, 17), date(2026, 3, 1)),
        ("2026-03-17T08:00:00", date(2026, 3, 17), date(2026, 3, 1)),
        ("2026-03", None, date(2026, 3, 1)),
        (date(2026, 12, 31), date(2026, 12, 31), date(2026, 12, 1)),
        (datetime(2026, 2, 1, 9), date(2026, 2, 1), date(2026, 2, 1)),
        ("1900-01-01", None, None),  # outside what the product draws
        ("2026-02-30", None, None),
        ("", None, None),
        (None, None, None),
        (20260301, None, None),
        (["2026-03-01"], None, None),
        ({"date": "2026-03-01"}, None, None),
        ("'; drop table", None, None),
    ],
)
def test_days_and_months(raw, day, month):
    assert day_value(raw) == day
    assert month_value(raw) == month


@pytest.mark.parametrize(
    ("raw", "expected"), [(3, 3), (0, 0), (True, -1), ("3", -1), (None, -1), (2.0, -1)]
)
def test_integers(raw, expected):
    assert int_value(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("a", "a"), ("", None), (None, None), (1, None)])
def test_texts(raw, expected):
    assert text_value(raw) == expected
