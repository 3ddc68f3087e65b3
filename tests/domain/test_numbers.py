"""The one rounding of the bulletin's figures: half up, once, from the exact value."""

from decimal import Decimal

import pytest

from tracker.domain.numbers import amount, percent, points, points_abs, rounded


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.125, 2, "0.13"),  # as it reads, not the binary 0.12
        (2.675, 2, "2.68"),
        (-3.15, 1, "-3.2"),  # half away from zero, as offices round by hand
        (-3.149, 1, "-3.1"),
        (-0.04, 1, "0.0"),  # no "-0.0"
        (Decimal("1.005"), 2, "1.01"),
        (7, 1, "7.0"),
    ],
)
def test_rounds_half_up_once(value, places, expected):
    assert str(rounded(value, places)) == expected


@pytest.mark.parametrize(
    ("wan", "unit", "grouped", "expected"),
    [
        (123456.78, "yi", False, "12.35"),
        (123456.78, "wan", True, "123,456.78"),
        (5000, "yi", False, "0.50"),
        (None, "yi", False, "—"),
    ],
)
def test_amounts_in_the_offices_unit(wan, unit, grouped, expected):
    assert amount(wan, unit, grouped=grouped) == expected


def test_sentence_and_table_show_the_same_gap():
    gap = -3.15  # the stored gap in points
    assert points(gap) == "-3.2"
    assert points_abs(gap) == "3.2"  # 低于序时进度3.2个百分点
    assert points(2.25) == "+2.3"
    assert percent(0.81249) == "81.2%" and percent(0.8125) == "81.3%" and percent(None) == "—"
