from datetime import date, timedelta
from decimal import Decimal

import pytest

from tracker.domain.rules import (
    Light,
    MilestoneState,
    MilestoneStatus,
    ProjectFacts,
    Thresholds,
    completion_rate,
    gap_pp,
    milestone_status,
    start_rate,
    traffic_light,
)

AS_OF = date(2026, 10, 31)
T = Thresholds()  # amber 10 pp, red 20 pp, red overdue 30 days, missed 1/2, due soon 15 days


@pytest.mark.parametrize(
    ("planned", "actual", "state", "days"),
    [
        (AS_OF - timedelta(days=3), AS_OF - timedelta(days=5), MilestoneState.DONE, -2),
        (AS_OF - timedelta(days=3), None, MilestoneState.OVERDUE, 3),
        (AS_OF - timedelta(days=1), None, MilestoneState.OVERDUE, 1),
        (AS_OF, None, MilestoneState.DUE_SOON, 0),  # due today is not yet late
        (AS_OF + timedelta(days=15), None, MilestoneState.DUE_SOON, 15),
        (AS_OF + timedelta(days=16), None, MilestoneState.FUTURE, 16),
        (AS_OF + timedelta(days=40), AS_OF + timedelta(days=1), MilestoneState.FUTURE, 40),
    ],
)
def test_a_milestone_s_state_on_a_day(planned, actual, state, days):
    status = milestone_status(planned, actual, AS_OF, due_soon_days=15)
    assert status == MilestoneStatus(state, days)


@pytest.mark.parametrize(
    ("completed", "planned", "expected"),
    [("50", "200", 0.25), ("0", "100", 0.0), ("120", "100", 1.2), ("10", "0", None)],
)
def test_completion_rate_is_completed_over_plan(completed, planned, expected):
    assert completion_rate(Decimal(completed), Decimal(planned)) == expected


def test_gap_is_in_percentage_points_and_negative_when_behind():
    assert gap_pp(0.60, 10 / 12) == pytest.approx(-23.33, abs=0.01)
    assert gap_pp(0.90, 0.75) == pytest.approx(15.0)
    assert gap_pp(None, 0.5) is None


def test_start_rate_counts_started_over_due_to_start():
    assert start_rate(9, 10) == 0.9
    assert start_rate(0, 0) is None


def facts(**kw) -> ProjectFacts:
    base = {"milestones": [], "rate": 0.75, "due_share": 0.75}
    base.update(kw)
    return ProjectFacts(**base)


def overdue(days: int) -> MilestoneStatus:
    return MilestoneStatus(MilestoneState.OVERDUE, days)


@pytest.mark.parametrize(
    ("case", "kwargs", "light", "codes"),
    [
        ("on track", {}, Light.GREEN, []),
        ("1 day overdue", {"milestones": [overdue(1)]}, Light.AMBER, ["milestone_overdue"]),
        ("29 days overdue", {"milestones": [overdue(29)]}, Light.AMBER, ["milestone_overdue"]),
        ("30 days overdue", {"milestones": [overdue(30)]}, Light.RED, ["milestone_overdue"]),
        ("9.99 pp behind", {"rate": 0.6501}, Light.GREEN, []),
        ("10 pp behind", {"rate": 0.65}, Light.AMBER, ["behind_time_progress"]),
        ("19.99 pp behind", {"rate": 0.5501}, Light.AMBER, ["behind_time_progress"]),
        ("20 pp behind", {"rate": 0.55}, Light.RED, ["behind_time_progress"]),
        ("ahead of time", {"rate": 1.3}, Light.GREEN, []),
        ("no annual plan", {"rate": None}, Light.GREEN, []),
        ("1 report missing", {"missed_reports": 1}, Light.AMBER, ["missed_reports"]),
        ("2 reports missing", {"missed_reports": 2}, Light.RED, ["missed_reports"]),
        (
            "not started 5 days after plan",
            {"planned_start": AS_OF - timedelta(days=5)},
            Light.AMBER,
            ["not_started"],
        ),
        (
            "started",
            {
                "planned_start": AS_OF - timedelta(days=50),
                "actual_start": AS_OF - timedelta(days=40),
            },
            Light.GREEN,
            [],
        ),
        (
            "red reasons come first",
            {"milestones": [overdue(3)], "missed_reports": 2},
            Light.RED,
            ["missed_reports", "milestone_overdue"],
        ),
    ],
)
def test_traffic_light_and_its_reasons(case, kwargs, light, codes):
    got, reasons = traffic_light(facts(**kwargs), AS_OF, T)
    assert got is light, case
    assert [r.code for r in reasons] == codes, case


def test_thresholds_are_policy_and_can_be_tightened():
    strict = Thresholds(amber_gap_pp=5, red_gap_pp=8, red_overdue_days=7, amber_overdue_days=1)
    assert traffic_light(facts(rate=0.69), AS_OF, strict)[0] is Light.AMBER
    assert traffic_light(facts(rate=0.66), AS_OF, strict)[0] is Light.RED
    assert traffic_light(facts(milestones=[overdue(7)]), AS_OF, strict)[0] is Light.RED


@pytest.mark.parametrize(
    "bad",
    [
        {"amber_gap_pp": 30, "red_gap_pp": 20},
        {"red_overdue_days": 0},
        {"amber_missed_reports": 3, "red_missed_reports": 2},
    ],
)
def test_inconsistent_thresholds_are_refused(bad):
    with pytest.raises(ValueError):
        Thresholds(**bad)
