"""Quarter, half-year and year figures (tracker.domain.span) against figures worked by hand.

The office's three counties used throughout (万元):

| county | plan    | H1 completed | rate (exact)        | 任务过半 | last year's H1 |
| 临翔区 | 10000   | 5000         | 50%                 | yes (exactly half) | 4000 of 9000 |
| 凤庆县 | 8000    | 3999.6       | 49.995% (reads 50.0%) | no     | 3999.6 of 8000 |
| 云县   | 6000    | 1500         | 25%                 | no       | none (not in last year's list) |
| 合计   | 24000   | 10499.6      | 43.74833…%          | no       | 7999.6 of 17000 |

By hand: 同比 of the total = (10499.6 − 7999.6) ÷ 7999.6 = 2500 ÷ 7999.6 = 0.3125156… → 31.3%;
last year's rate 7999.6 ÷ 17000 = 47.0564…%, this year's 43.7483…%, change −3.3081… points
→ "下降3.3个百分点". 临翔区: (5000 − 4000) ÷ 4000 = 25.0%; rate 50% vs 44.444…% → +5.6 points.
凤庆县: the same amount both years → 持平.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.numbers import percent, points_abs
from tracker.domain.span import (
    SPANS,
    Figures,
    FrozenMonth,
    SpanError,
    YearOnYear,
    below_half_rate,
    bottom,
    double_half,
    figures_of,
    order_by_rate,
    parse_period,
    same_month_last_year,
    span_figures,
    time_half,
)


def row(key: str, plan: float, done: float, **more) -> dict:
    return {"key": key, "projects": 3, "annual_plan": plan, "completed_ytd": done, **more}


def payload(counties: list[dict], total: dict, units: list[dict] | None = None) -> dict:
    return {"totals": total, "by_county": counties, "by_lead_unit": units or []}


THIS_H1 = payload(
    [row("临翔区", 10000, 5000), row("凤庆县", 8000, 3999.6), row("云县", 6000, 1500)],
    row("合计", 24000, 10499.6, new_started=4, completed=1),
    [row("市科技局", 14000, 7000), row("市能源局", 10000, 3499.6)],
)
LAST_H1 = payload(
    [row("临翔区", 9000, 4000), row("凤庆县", 8000, 3999.6)],
    row("合计", 17000, 7999.6),
)


def month(n: int, body: dict, expected: int = 0, on_time: int = 0, first: int | None = None):
    totals = {**body["totals"], "expected": expected, "reported_on_time": on_time}
    return FrozenMonth(first or n, n, {**body, "totals": totals})


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, year, code, end",
    [
        ("2026-Q1", 2026, "Q1", date(2026, 3, 31)),
        ("2026-H1", 2026, "H1", date(2026, 6, 30)),
        ("2026-q3", 2026, "Q3", date(2026, 9, 30)),
        (" 2025-Y ", 2025, "Y", date(2025, 12, 31)),
    ],
)
def test_a_period_names_its_year_and_span(text, year, code, end):
    found_year, span = parse_period(text)
    assert (found_year, span.code, span.end(found_year)) == (year, code, end)
    assert span.months == tuple(range(1, end.month + 1))


@pytest.mark.parametrize("text", ["2026-H2", "2026", "H1-2026", "26-Q1", "2026-Q2", "2026-H1x"])
def test_a_period_the_product_does_not_know_is_refused_naming_the_forms(text):
    with pytest.raises(SpanError) as refused:
        parse_period(text)
    assert refused.value.key == "span.bad_period"
    assert text in str(refused.value) and "2026-H1" in str(refused.value)


# --- the span's figures from frozen months -------------------------------------------------------


def test_the_half_year_takes_june_s_year_to_date_and_sums_reporting_over_its_months():
    months = [
        month(2, THIS_H1, expected=10, on_time=9, first=1),  # January reported with February
        month(3, THIS_H1, expected=5, on_time=5),
        month(4, THIS_H1, expected=5, on_time=4),
        month(5, THIS_H1, expected=5, on_time=5),
        month(6, THIS_H1, expected=5, on_time=3),
        month(7, THIS_H1, expected=99, on_time=0),  # after the span: not counted
    ]
    figures = span_figures(2026, SPANS["H1"], months)
    assert figures.data_month == 6 and figures.complete and figures.missing == ()
    assert figures.total.completed == Decimal("10499.6")
    assert (figures.total.expected, figures.total.on_time) == (30, 26)
    assert percent(figures.total.reporting_rate) == "86.7%"  # 26 ÷ 30 = 86.666…%
    assert (figures.total.new_started, figures.total.finished) == (4, 1)
    assert figures.time_progress == 0.5


def test_a_month_not_frozen_is_named_missing_and_the_figures_are_the_latest_frozen_month_s():
    months = [month(1, THIS_H1), month(2, THIS_H1), month(3, THIS_H1), month(4, LAST_H1)]
    figures = span_figures(2026, SPANS["H1"], months)
    assert figures.data_month == 4
    assert figures.missing == (5, 6) and not figures.complete
    assert figures.total.completed == Decimal("7999.6")  # April's payload, not computed
    assert figures.time_progress == pytest.approx(4 / 12)


def test_a_gap_in_the_middle_is_missing_too():
    months = [month(1, THIS_H1), month(2, THIS_H1), month(4, THIS_H1)]
    figures = span_figures(2026, SPANS["Q1"], months)
    assert (figures.data_month, figures.missing) == (2, (3,))


def test_nothing_frozen_gives_no_data_month():
    figures = span_figures(2026, SPANS["Q3"], [])
    assert figures.data_month is None and figures.missing == tuple(range(1, 10))


# --- 同比 ---------------------------------------------------------------------------------------


def test_year_on_year_of_the_total_against_last_year_s_same_month():
    this = figures_of({**THIS_H1["totals"], "key": "合计"})
    last_total, last_counties, _ = same_month_last_year([month(6, LAST_H1)], 6)
    yoy = YearOnYear(this, last_total)
    assert yoy.direction == "up" and percent(yoy.growth) == "31.3%"
    assert percent(this.rate) == "43.7%" and percent(last_total.rate) == "47.1%"
    assert yoy.rate_direction == "down" and points_abs(yoy.rate_change_pp) == "3.3"


@pytest.mark.parametrize(
    "county, direction, growth, rate_direction, pp",
    [
        ("临翔区", "up", "25.0%", "up", "5.6"),
        ("凤庆县", "flat", "0.0%", "flat", "0.0"),
        ("云县", "none", "—", "none", None),  # not in last year's figures: never invented
    ],
)
def test_year_on_year_per_county(county, direction, growth, rate_direction, pp):
    this = next(figures_of(r) for r in THIS_H1["by_county"] if r["key"] == county)
    _, last_counties, _ = same_month_last_year([month(6, LAST_H1)], 6)
    yoy = YearOnYear(this, last_counties.get(county))
    assert (yoy.direction, percent(yoy.growth), yoy.rate_direction) == (
        direction,
        growth,
        rate_direction,
    )
    if pp is not None:
        assert points_abs(yoy.rate_change_pp) == pp


@pytest.mark.parametrize(
    "this, last, direction, written",
    [
        ("10000.4", "10000", "flat", "0.0%"),  # +0.004%: written 0.0%, so 持平, never 增长0.0%
        ("10005", "10000", "up", "0.1%"),  # +0.05%: rounds half up to 0.1%
        ("9995", "10000", "down", "-0.1%"),  # −0.05%: rounds half away from zero to 0.1%
        ("9999.6", "10000", "flat", "0.0%"),  # −0.004%: 持平 (a minus zero is never written)
        ("500", "0", "from_zero", "—"),  # nothing last year: no growth rate
    ],
)
def test_year_on_year_is_decided_on_the_growth_as_written(this, last, direction, written):
    yoy = YearOnYear(
        Figures("合计", 1, Decimal(0), Decimal(this)), Figures("合计", 1, Decimal(0), Decimal(last))
    )
    assert yoy.direction == direction
    assert percent(yoy.growth) == written


def test_no_frozen_month_last_year_means_no_year_on_year():
    assert same_month_last_year([], 6) is None
    assert same_month_last_year([month(5, LAST_H1)], 6) is None  # June last year not frozen
    assert YearOnYear(figures_of(THIS_H1["totals"]), None).direction == "none"


# --- 双过半 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026, 2024])  # 2024: a leap year, still exactly half
def test_time_is_exactly_half_at_30_june_on_the_month_count_calendar(year):
    assert time_half(year) == (0.5, True)


def test_double_half_names_who_did_not_reach_half_of_the_annual_plan():
    figures = span_figures(2026, SPANS["H1"], [month(6, THIS_H1, first=1)])
    check = double_half(figures)
    assert check is not None and check.time_half
    assert not check.task_half and not check.both  # 10499.6 < 12000
    # 临翔区 exactly half reaches it; 凤庆县 at 49.995% does not, though 50.0% is written
    assert [g.key for g in check.counties_missed] == ["凤庆县", "云县"]
    assert [g.key for g in check.units_missed] == ["市能源局"]  # 3499.6 of 10000
    assert percent(check.counties_missed[0].rate) == "50.0%"
    assert below_half_rate(check.counties_missed[0].rate) == (Decimal("49.995"), 3)


@pytest.mark.parametrize(
    "rate, written",
    [
        ("0.4996", ("49.96", 2)),  # one decimal would read 50.0%
        ("0.4994", ("49.9", 1)),
        ("0.25", ("25.0", 1)),
        ("0.499999", ("49.9999", 4)),
    ],
)
def test_a_rate_below_half_is_written_so_it_reads_below_half(rate, written):
    value, places = below_half_rate(Decimal(rate))
    assert (str(value), places) == written


def test_double_half_is_only_judged_on_a_frozen_june():
    assert double_half(span_figures(2026, SPANS["H1"], [month(5, THIS_H1, first=1)])) is None
    assert double_half(span_figures(2026, SPANS["Q3"], [month(6, THIS_H1, first=1)])) is None


def test_a_group_without_a_plan_neither_reaches_nor_misses_half():
    empty = Figures("市直", 2, Decimal(0), Decimal(300))
    assert empty.half_done is None and empty.rate is None
    figures = span_figures(
        2026, SPANS["H1"], [month(6, payload([row("临翔区", 0, 10)], row("合计", 0, 10)))]
    )
    check = double_half(figures)
    assert check is not None and check.counties_missed == () and not check.task_half


# --- ranking sentences ----------------------------------------------------------------------------


def test_counties_by_rate_highest_first_leaving_out_those_without_a_plan():
    groups = [figures_of(r) for r in THIS_H1["by_county"]] + [
        Figures("市直", 1, Decimal(0), Decimal(5))
    ]
    assert [g.key for g in order_by_rate(groups)] == ["临翔区", "凤庆县", "云县"]


@pytest.mark.parametrize(
    "ranks, last_three",
    [
        ([1, 2, 3, 4, 5, 6], ["d", "e", "f"]),
        ([1, 2, 3, 3, 5, 6], ["c", "d", "e", "f"]),  # a tie at the third-last: both named
        ([1, 2, 3, 4, 4, 4], ["d", "e", "f"]),
        ([1, 1, 1], []),  # three ranked: naming the last three would name the first
        ([1, 2, 3, 4, None, None], ["b", "c", "d"]),  # no score: no rank, not named
    ],
)
def test_the_bottom_three_are_named_with_ties(ranks, last_three):
    ranked = list(zip(ranks, "abcdef", strict=False))
    assert bottom(ranked) == last_three
