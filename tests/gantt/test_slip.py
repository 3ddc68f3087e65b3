from datetime import date

import plotly.graph_objects as go
import pytest

from tracker.gantt.slip import slip_streaks, slip_trend_figure


def month(m: int, year: int = 2022) -> date:
    return date(year, m, 1)


def history(name: str, planned: list[date], start: int = 1) -> list[tuple[date, str, date]]:
    return [(month(start + i), name, p) for i, p in enumerate(planned)]


def test_a_milestone_that_moved_later_three_months_running_has_a_streak_of_three():
    rows = history(
        "主体完工",
        [
            date(2022, 6, 30),
            date(2022, 6, 30),
            date(2022, 7, 31),
            date(2022, 8, 31),
            date(2022, 9, 30),
        ],
    )

    assert slip_streaks(rows) == {"主体完工": 3}


@pytest.mark.parametrize(
    ("planned", "streak"),
    [
        ([date(2022, 6, 30)], 0),
        ([date(2022, 6, 30), date(2022, 6, 30)], 0),
        ([date(2022, 6, 30), date(2022, 7, 31)], 1),
        ([date(2022, 6, 30), date(2022, 8, 31), date(2022, 8, 31)], 0),  # held last month
        ([date(2022, 6, 30), date(2022, 8, 31), date(2022, 7, 31)], 0),  # pulled in
        ([date(2022, 9, 30), date(2022, 6, 30), date(2022, 7, 31), date(2022, 8, 31)], 2),
    ],
)
def test_the_streak_counts_back_from_the_latest_month_until_the_date_held_or_moved_in(
    planned, streak
):
    assert slip_streaks(history("竣工验收", planned)) == {"竣工验收": streak}


def test_a_month_without_an_entry_breaks_the_streak():
    rows = [
        (month(1), "开工", date(2022, 3, 31)),
        (month(2), "开工", date(2022, 4, 30)),
        (month(3), "其他", date(2022, 9, 30)),  # 开工 not reported in March
        (month(4), "开工", date(2022, 5, 31)),
    ]

    assert slip_streaks(rows)["开工"] == 0


def test_a_milestone_missing_from_the_latest_month_has_no_streak():
    rows = history("开工", [date(2022, 3, 31), date(2022, 4, 30)]) + [
        (month(3), "验收", date(2022, 12, 31))
    ]

    assert slip_streaks(rows) == {"开工": 0, "验收": 0}


def test_months_are_taken_by_calendar_month_and_the_last_entry_of_a_month_wins():
    rows = [
        (date(2022, 1, 15), "开工", date(2022, 3, 31)),
        (date(2022, 2, 3), "开工", date(2022, 3, 31)),
        (date(2022, 2, 28), "开工", date(2022, 4, 30)),  # corrected later in February
    ]

    assert slip_streaks(rows) == {"开工": 1}


def test_an_empty_history_has_no_streaks():
    assert slip_streaks([]) == {}


def test_the_trend_figure_draws_one_line_per_milestone_and_marks_slips():
    rows = history("主体完工", [date(2022, 6, 30), date(2022, 7, 31), date(2022, 8, 31)]) + history(
        "竣工验收", [date(2022, 12, 31)] * 3
    )

    fig = slip_trend_figure(rows)

    assert [t.name for t in fig.data] == ["主体完工（连续2个月推迟）", "竣工验收"]
    slipped = fig.data[0]
    assert list(slipped.x) == ["2022-01-01", "2022-02-01", "2022-03-01"]
    assert list(slipped.y) == ["2022-06-30", "2022-07-31", "2022-08-31"]
    assert list(slipped.marker.symbol) == ["circle", "triangle-up", "triangle-up"]
    assert slipped.line.width > fig.data[1].line.width
    assert fig.layout.meta["streaks"] == {"主体完工": 2, "竣工验收": 0}
    go.Figure(fig.to_plotly_json())


def test_the_trend_figure_escapes_milestone_names():
    rows = history("<img src=x onerror=alert(1)>", [date(2022, 6, 30)])

    fig = slip_trend_figure(rows, labels={"slip.title": "Slips"})

    assert "<img" not in fig.data[0].name
    assert "<img" not in fig.data[0].hovertemplate
    assert "&lt;img" in fig.data[0].name
    assert fig.layout.title.text == "Slips"
