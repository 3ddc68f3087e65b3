"""Each project's own 序时 and its stage, as pure functions of the plan and the date."""

from datetime import date

import pytest

from tracker.domain.schedule import (
    DueBasis,
    Stage,
    StageFacts,
    due_share,
    monthly_amounts,
    stage_counts,
    stage_of,
)

YEAR = 2026
EVEN = ["100"] * 12
SEASONAL = ["0", "0", "100", "100", "100", "0", "0", "0", "100", "100", "100", "400"]


@pytest.mark.parametrize(
    ("as_of", "monthly", "start", "finish", "share", "basis"),
    [
        # the office's month count when the plan has neither a split nor dates
        (date(YEAR, 3, 31), None, None, None, 0.25, DueBasis.MONTHS),
        (date(YEAR, 3, 15), None, None, None, (2 + 15 / 31) / 12, DueBasis.MONTHS),
        # a monthly plan: what the months elapsed hold (a day at a time within a month)
        (date(YEAR, 3, 31), EVEN, None, None, 0.25, DueBasis.MONTHLY),
        (date(YEAR, 2, 28), SEASONAL, date(YEAR, 3, 1), None, 0.0, DueBasis.MONTHLY),
        (date(YEAR, 3, 31), SEASONAL, date(YEAR, 3, 1), None, 0.1, DueBasis.MONTHLY),
        (date(YEAR, 8, 31), SEASONAL, date(YEAR, 3, 1), None, 0.3, DueBasis.MONTHLY),
        (date(YEAR, 11, 30), SEASONAL, date(YEAR, 3, 1), None, 0.6, DueBasis.MONTHLY),
        (date(YEAR, 12, 31), SEASONAL, date(YEAR, 3, 1), None, 1.0, DueBasis.MONTHLY),
        # planned start and finish: the active months owe equal parts
        (date(YEAR, 8, 31), None, date(YEAR, 9, 1), date(YEAR + 1, 6, 30), 0.0, DueBasis.SPAN),
        (date(YEAR, 9, 30), None, date(YEAR, 9, 1), date(YEAR + 1, 6, 30), 0.25, DueBasis.SPAN),
        (date(YEAR, 12, 31), None, date(YEAR, 9, 1), date(YEAR + 1, 6, 30), 1.0, DueBasis.SPAN),
        # a start in the middle of a month: that month's part grows from the start day
        (date(YEAR, 3, 19), None, date(YEAR, 3, 20), date(YEAR, 12, 31), 0.0, DueBasis.SPAN),
        (
            date(YEAR, 3, 25),
            None,
            date(YEAR, 3, 20),
            date(YEAR, 12, 31),
            (6 / 12) / 10,
            DueBasis.SPAN,
        ),
        # finishing in June: all due at the end of June, nothing more after
        (date(YEAR, 6, 30), None, date(YEAR - 1, 1, 1), date(YEAR, 6, 30), 1.0, DueBasis.SPAN),
        (date(YEAR, 3, 31), None, date(YEAR - 1, 1, 1), date(YEAR, 6, 30), 0.5, DueBasis.SPAN),
        # a plan left over from a project that should have finished last year: all due
        (date(YEAR, 2, 1), None, date(YEAR - 2, 1, 1), date(YEAR - 1, 6, 30), 1.0, DueBasis.SPAN),
        # a continuing project over the whole year
        (date(YEAR, 6, 30), None, date(YEAR - 1, 5, 1), date(YEAR + 1, 5, 31), 0.5, DueBasis.SPAN),
    ],
)
def test_a_project_s_own_due_share(as_of, monthly, start, finish, share, basis):
    got = due_share(as_of, year=YEAR, monthly=monthly, planned_start=start, planned_finish=finish)
    assert got.basis is basis
    assert got.share == pytest.approx(share)


def _all_year(as_of, monthly):
    """The due share of a project planned from 1 January to 31 December of YEAR."""
    return due_share(
        as_of,
        year=YEAR,
        monthly=monthly,
        planned_start=date(YEAR, 1, 1),
        planned_finish=date(YEAR, 12, 31),
    )


def test_a_monthly_plan_wins_over_the_planned_dates():
    got = _all_year(date(YEAR, 3, 31), SEASONAL)
    assert (got.basis, got.share) == (DueBasis.MONTHLY, pytest.approx(0.1))


@pytest.mark.parametrize(
    "monthly",
    [None, [], ["1"] * 11, ["0"] * 12, ["-1"] + ["1"] * 11, ["x"] + ["1"] * 11, ["nan"] * 12],
)
def test_a_split_that_cannot_be_used_falls_back_to_the_dates(monthly):
    assert monthly_amounts(monthly) is None
    got = _all_year(date(YEAR, 6, 30), monthly)
    assert got.basis is DueBasis.SPAN and got.share == pytest.approx(0.5)


def test_outside_the_plan_s_year_nothing_or_everything_is_due():
    before = due_share(date(YEAR - 1, 12, 31), year=YEAR, monthly=EVEN)
    after = due_share(date(YEAR + 1, 1, 1), year=YEAR, monthly=EVEN)
    assert (before.share, after.share) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("start", "finish", "as_of", "stage"),
    [
        (None, None, date(YEAR, 5, 1), Stage.PREPARING),
        (date(YEAR, 5, 2), None, date(YEAR, 5, 1), Stage.PREPARING),  # starts tomorrow
        (date(YEAR, 5, 1), None, date(YEAR, 5, 1), Stage.NEW),
        (date(YEAR - 1, 12, 31), None, date(YEAR, 5, 1), Stage.CONTINUING),
        (date(YEAR - 1, 3, 1), date(YEAR, 4, 30), date(YEAR, 5, 1), Stage.COMPLETED),
        (date(YEAR, 1, 3), date(YEAR, 4, 30), date(YEAR, 5, 1), Stage.COMPLETED),
        (date(YEAR - 2, 3, 1), date(YEAR - 1, 12, 31), date(YEAR, 5, 1), Stage.COMPLETED_BEFORE),
        (date(YEAR - 1, 3, 1), date(YEAR, 6, 30), date(YEAR, 5, 1), Stage.CONTINUING),
    ],
)
def test_every_project_has_a_stage_on_any_date(start, finish, as_of, stage):
    assert stage_of(actual_start=start, actual_finish=finish, as_of=as_of) is stage


def test_the_counts_offices_publish():
    as_of = date(YEAR, 6, 30)
    facts = [
        StageFacts(date(YEAR, 3, 1), date(YEAR, 3, 5), None),  # new, on time
        StageFacts(date(YEAR, 9, 1), date(YEAR, 5, 10), None),  # new, ahead of plan
        StageFacts(date(YEAR, 4, 1), None, None),  # 应开未开
        StageFacts(date(YEAR - 1, 11, 1), None, None),  # last year's start, still not made
        StageFacts(date(YEAR, 10, 1), None, None),  # not due yet
        StageFacts(date(YEAR - 2, 1, 1), date(YEAR - 2, 1, 1), None, True),  # 续建, working
        StageFacts(date(YEAR - 2, 1, 1), date(YEAR - 2, 1, 1), None, False),  # 续建, idle
        StageFacts(date(YEAR - 2, 1, 1), date(YEAR - 2, 1, 1), date(YEAR, 5, 31), True),  # 竣工
        StageFacts(date(YEAR - 3, 1, 1), date(YEAR - 3, 1, 1), date(YEAR - 1, 5, 31)),  # 已竣工
    ]
    c = stage_counts(facts, as_of)
    assert (c.new_started, c.new_due) == (2, 4)
    assert c.new_start_rate == 0.5
    assert (c.continuing, c.resumed, c.resume_rate) == (3, 2, pytest.approx(2 / 3))
    assert c.completed == 1
    assert c.late_to_start == 2
    assert c.by_stage == {
        "preparing": 3,
        "new": 2,
        "continuing": 2,
        "completed": 1,
        "completed_before": 1,
    }
