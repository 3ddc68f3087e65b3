"""The indicator rules (#16): periods, progress toward target, the light and its reasons."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.indicators import (
    Direction,
    Frequency,
    IndicatorFacts,
    IndicatorThresholds,
    Observation,
    due_period,
    expected_value,
    goal_light,
    judge,
    parse_period_key,
    period_key,
    read_direction,
    read_frequency,
    read_goal,
    read_period,
    read_rank,
    read_value,
    trend,
)
from tracker.domain.inputs import ValueRefused
from tracker.domain.rules import Light

AS_OF = date(2026, 11, 28)


def facts(*values: tuple[int, float], **over) -> IndicatorFacts:
    base = {
        "baseline_year": 2020,
        "baseline_value": 10.0,
        "targets": {2025: 20.0, 2030: 30.0},
        "observations": [Observation(date(y, 1, 1), v) for y, v in values],
    }
    return IndicatorFacts(**{**base, **over})


ON_LINE = [(2021, 12.0), (2022, 14.0), (2023, 16.0), (2024, 18.0), (2025, 20.0)]


@pytest.mark.parametrize(
    ("frequency", "as_of", "period"),
    [
        ("annual", date(2026, 11, 28), date(2025, 1, 1)),
        ("annual", date(2026, 4, 30), date(2024, 1, 1)),  # 2025's figures due end of April
        ("annual", date(2026, 5, 1), date(2025, 1, 1)),
        ("quarterly", date(2026, 11, 28), date(2026, 7, 1)),
        ("quarterly", date(2026, 10, 30), date(2026, 4, 1)),  # Q3 due on 10-30: missing after
        ("quarterly", date(2026, 10, 31), date(2026, 7, 1)),
        ("monthly", date(2026, 11, 28), date(2026, 10, 1)),
        ("monthly", date(2026, 11, 15), date(2026, 9, 1)),
    ],
)
def test_the_latest_period_due_follows_the_frequency(frequency, as_of, period):
    assert due_period(frequency, as_of) == period


@pytest.mark.parametrize(
    ("frequency", "text", "period"),
    [
        ("annual", "2024", date(2024, 1, 1)),
        ("annual", "2024年", date(2024, 1, 1)),
        ("quarterly", "2024Q3", date(2024, 7, 1)),
        ("quarterly", "2024年第3季度", date(2024, 7, 1)),
        ("monthly", "2024-07", date(2024, 7, 1)),
        ("monthly", "2024年7月", date(2024, 7, 1)),
        ("annual", "2024Q3", None),
        ("quarterly", "2024Q5", None),
        ("monthly", "2024-13", None),
    ],
)
def test_period_keys_read_back(frequency, text, period):
    assert parse_period_key(frequency, text) == period
    if period is not None:
        assert parse_period_key(frequency, period_key(frequency, period)) == period


def test_a_year_s_own_target_wins_over_the_line():
    with_year = facts(targets={2023: 19.0, 2025: 20.0})
    assert expected_value(with_year, 2023) == (19.0, "year_target")
    assert expected_value(facts(), 2023) == (pytest.approx(16.0), "linear")
    # after 2025 the line runs from the 2025 target to the 2030 one
    assert expected_value(facts(), 2027)[0] == pytest.approx(24.0)
    assert expected_value(facts(), 2031) == (None, "none")


@pytest.mark.parametrize(
    ("values", "light", "codes"),
    [
        (ON_LINE, Light.GREEN, []),
        ([*ON_LINE[:-1], (2025, 19.1)], Light.GREEN, []),  # 9 points behind
        ([*ON_LINE[:-1], (2025, 19.0)], Light.AMBER, ["behind_target"]),  # the amber edge
        ([*ON_LINE[:-1], (2025, 17.0)], Light.RED, ["behind_target"]),
        (ON_LINE[:-1], Light.AMBER, ["missing_values"]),  # 2025 due, not there
        (ON_LINE[:-2], Light.RED, ["missing_values"]),
    ],
)
def test_the_light_follows_the_rule_table(values, light, codes):
    judged = judge(facts(*values), AS_OF)
    assert judged.light is light
    assert sorted(r.code for r in judged.reasons) == sorted(codes)


def test_edges_come_from_the_thresholds():
    lagging = facts(*ON_LINE[:-1], (2025, 18.9))
    assert judge(lagging, AS_OF, IndicatorThresholds(amber_behind_pp=12)).light is Light.GREEN
    with pytest.raises(ValueError):
        IndicatorThresholds(amber_missing=3, red_missing=2)


def test_lower_is_better_counts_the_way_down():
    falling = facts(
        (2024, 0.62), (2025, 0.60), baseline_value=0.7, targets={2025: 0.58}, baseline_year=2020
    )
    judged = judge(replace_direction(falling, Direction.LOWER), AS_OF)
    # 0.7 → 0.58 by 2025: 0.60 made 0.10 of 0.12 (−16.7 points)
    assert judged.progress.gap_pp == pytest.approx(-16.67, abs=0.01)
    assert judged.light is Light.AMBER


def replace_direction(f: IndicatorFacts, direction: Direction) -> IndicatorFacts:
    from dataclasses import replace

    return replace(f, direction=direction)


@pytest.mark.parametrize(
    ("value", "light"),
    [(97.0, Light.GREEN), (94.5, Light.AMBER), (90.0, Light.RED), (100.5, Light.AMBER)],
)
def test_a_band_indicator_is_judged_on_the_band(value, light):
    f = IndicatorFacts(
        direction=Direction.BAND,
        band_low=95.0,
        band_high=100.0,
        observations=[Observation(date(2025, 1, 1), value)],
    )
    judged = judge(f, AS_OF)
    assert judged.light is light
    assert [r.code for r in judged.reasons] == ([] if light is Light.GREEN else ["outside_band"])


def test_moving_the_wrong_way_three_periods_is_red():
    f = IndicatorFacts(
        frequency=Frequency.QUARTERLY,
        observations=[
            Observation(date(2025, 10, 1), 5.0),
            Observation(date(2026, 1, 1), 4.0),
            Observation(date(2026, 4, 1), 3.5),
            Observation(date(2026, 7, 1), 3.0),
        ],
    )
    judged = judge(f, AS_OF)
    assert judged.light is Light.RED
    assert [(r.code, r.params["periods"]) for r in judged.reasons] == [("moving_away", 3)]


def test_missing_values_are_listed_from_the_first_period_owed():
    judged = judge(facts((2022, 14.0), (2024, 18.0)), AS_OF)
    assert judged.missing == (date(2021, 1, 1), date(2023, 1, 1), date(2025, 1, 1))


def test_the_trend_runs_from_the_baseline_to_the_last_target():
    points = trend(facts((2022, 14.0)), 2026)
    assert [p.year for p in points] == list(range(2020, 2031))
    assert points[0].actual == 10.0 and points[2].actual == 14.0 and points[1].actual is None
    assert points[5].target == 20.0 and points[7].expected == pytest.approx(24.0)


@pytest.mark.parametrize(
    ("lights", "tile"),
    [
        ([], None),
        ([Light.GREEN] * 3, Light.GREEN),
        ([Light.GREEN, Light.GREEN, Light.AMBER], Light.GREEN),
        ([Light.GREEN, Light.AMBER, Light.AMBER], Light.AMBER),
        ([Light.GREEN, Light.GREEN, Light.RED], Light.RED),
        ([Light.GREEN] * 4 + [Light.RED], Light.GREEN),
        ([Light.GREEN] * 3 + [Light.RED, Light.AMBER], Light.AMBER),
    ],
)
def test_an_sdg_tile_is_coloured_by_its_indicators(lights, tile):
    assert goal_light(lights) is tile


@pytest.mark.parametrize(
    ("raw", "number"),
    [("2.48", 2.48), ("-0.07", -0.07), ("１２．５", 12.5), ("1,234", 1234.0), ("65%", 65.0)],
)
def test_values_are_read_as_people_write_them(raw, number):
    assert read_value(raw) == pytest.approx(number)


@pytest.mark.parametrize("raw", ["abc", "1e5", "inf", "0x10", True])
def test_values_that_are_no_numbers_are_refused(raw):
    with pytest.raises(ValueRefused):
        read_value(raw)


def test_catalogue_words_are_read_in_chinese_and_as_codes():
    assert read_direction("正向") is Direction.HIGHER
    assert read_direction("逆向指标") is Direction.LOWER
    assert read_direction("区间") is Direction.BAND
    assert read_frequency("季度") is Frequency.QUARTERLY
    assert read_goal("SDG9") == 9 and read_goal("目标17") == 17
    assert read_rank("13") == 13 and read_rank("") is None
    assert read_period("annual", date(2024, 6, 30)) == date(2024, 1, 1)
    for bad in (lambda: read_goal("18"), lambda: read_rank("0"), lambda: read_direction("好")):
        with pytest.raises(ValueRefused):
            bad()
