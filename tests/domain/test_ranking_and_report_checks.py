from datetime import date
from decimal import Decimal

import pytest

from tracker.domain.ranking import Weights, rank_order, score
from tracker.domain.reports import Carried, carried_forward, check_figures

D = Decimal


def rates(investment, milestones, reporting):
    return {"investment": investment, "milestones": milestones, "reporting": reporting}


def test_the_score_weighs_the_three_rates_and_caps_investment_at_full_marks():
    w = Weights(50, 30, 20)
    assert score(rates(0.8, 0.5, 1.0), w) == 40 + 15 + 20
    assert score(rates(1.6, 1.0, 1.0), w) == 100
    assert "投资完成率×50" in w.formula()


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        # no milestone due this year: (80×50 + 100×20) ÷ 70
        (rates(0.8, None, 1.0), round((80 * 50 + 100 * 20) / 70, 2)),
        # no plan this year: (50×30 + 100×20) ÷ 50
        (rates(None, 0.5, 1.0), round((50 * 30 + 100 * 20) / 50, 2)),
        # only reporting counts
        (rates(None, None, 0.25), 25.0),
        # nothing to count at all: no score, not full marks
        (rates(None, None, None), None),
    ],
)
def test_a_component_with_nothing_to_count_is_left_out_and_the_weights_renormalise(parts, expected):
    assert score(parts, Weights(50, 30, 20)) == expected


def test_the_formula_says_how_the_weights_renormalise():
    text = Weights(50, 30, 20).formula()
    assert "÷ 参与计分的权重之和" in text
    assert "记“—”" in text
    assert "÷ 70" in text  # the worked example without milestones due
    assert "本年" in text and "分别排名" in text


def test_equal_scores_share_a_rank_and_keep_the_listed_order():
    assert rank_order({"b": 80.0, "a": 90.0, "c": 80.0, "d": 70.0}, ("a", "c", "b")) == [
        (1, "a"),
        (2, "c"),
        (2, "b"),
        (4, "d"),
    ]


def test_a_key_without_a_score_comes_last_without_a_rank():
    assert rank_order({"a": None, "b": 50.0}) == [(1, "b"), (None, "a")]


def test_year_to_date_restarts_in_january_and_since_start_carries_over():
    assert carried_forward(date(2026, 1, 1), date(2025, 12, 1), D("900"), D("2500")) == Carried(
        D("0"), D("2500"), True
    )
    assert carried_forward(date(2026, 5, 1), date(2026, 4, 1), D("300"), D("900")) == Carried(
        D("300"), D("900"), True
    )
    assert carried_forward(date(2026, 5, 1), None, D("1"), D("1")) == Carried()


def fields(problems):
    return {p.field for p in problems}


@pytest.mark.parametrize(
    ("month", "ytd", "total", "pct", "carried", "bad"),
    [
        (D("100"), D("400"), D("1100"), 40.0, Carried(D("300"), D("1000"), True), set()),
        (D("100"), D("400.01"), D("1100"), 40.0, Carried(D("300"), D("1000"), True), set()),
        (
            D("100"),
            D("401"),
            D("1100"),
            40.0,
            Carried(D("300"), D("1000"), True),
            {"completed_ytd"},
        ),
        (
            D("100"),
            D("400"),
            D("1300"),
            40.0,
            Carried(D("300"), D("1000"), True),
            {"completed_total"},
        ),
        (
            D("-1"),
            D("400"),
            D("1100"),
            40.0,
            Carried(D("300"), D("1000"), True),
            {"completed_month"},
        ),
        (
            D("100"),
            D("400"),
            D("1100"),
            101.0,
            Carried(D("300"), D("1000"), True),
            {"progress_pct"},
        ),
        (None, D("400"), D("1100"), 40.0, Carried(D("300"), D("1000"), True), {"completed_month"}),
        (D("100"), D("100"), D("5000"), 40.0, Carried(), set()),  # first report: any total ≥ ytd
        (D("100"), D("100"), D("50"), 40.0, Carried(), {"completed_total"}),
    ],
)
def test_report_figures(month, ytd, total, pct, carried, bad):
    problems = check_figures(
        completed_month=month,
        completed_ytd=ytd,
        completed_total=total,
        progress_pct=pct,
        carried=carried,
    )
    assert fields(problems) == bad
    assert all(p.message for p in problems)
