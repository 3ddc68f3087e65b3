"""The light rules as a table: every rule at its amber and red edges, and the investment rule
on projects before their start, in their first month, finished, with a monthly plan and
without. Lights are judged at the end of the reporting month (the figures' date)."""

from datetime import date, timedelta

import pytest

from tracker.domain.rules import (
    RULES,
    Light,
    MilestoneState,
    MilestoneStatus,
    ProjectFacts,
    Thresholds,
    grade,
    group_light,
    traffic_light,
)
from tracker.domain.schedule import due_share

T = Thresholds()  # milestones 1/30 days, investment 10/20 pp, reports 1/2, late start 1/30 days
MONTH_END = date(2026, 6, 30)  # the figures' date (June's reports)
AS_OF = date(2026, 7, 10)  # the day the light is read
SEASONAL = ["0", "0", "100", "100", "100", "50", "50", "100", "100", "100", "100", "200"]


def light_of(**facts) -> tuple[Light, list[str]]:
    base = {"milestones": [], "figures_date": MONTH_END}
    light, reasons = traffic_light(ProjectFacts(**{**base, **facts}), AS_OF, T)
    return light, [r.code for r in reasons]


def test_the_rule_table_names_each_rule_and_its_two_edges():
    assert [r.code for r in RULES] == [
        "milestone_overdue",
        "behind_time_progress",
        "missed_reports",
        "not_started",
        "start_at_risk",
        "approval_unit_overdue",
    ]
    for rule in RULES:
        amber, red = getattr(T, rule.amber), getattr(T, rule.red)
        assert grade(amber - (0.01 if rule.unit == "pp" else 1), rule, T) is None
        assert grade(amber, rule, T) is Light.AMBER
        assert grade(red - (0.01 if rule.unit == "pp" else 1), rule, T) is Light.AMBER
        assert grade(red, rule, T) is Light.RED


@pytest.mark.parametrize(
    ("days", "light"), [(0, Light.GREEN), (1, Light.AMBER), (29, Light.AMBER), (30, Light.RED)]
)
def test_milestone_overdue_edges(days, light):
    states = [MilestoneStatus(MilestoneState.OVERDUE, days)] if days else []
    assert light_of(milestones=states)[0] is light


@pytest.mark.parametrize(
    ("months", "light"), [(0, Light.GREEN), (1, Light.AMBER), (2, Light.RED), (5, Light.RED)]
)
def test_missed_reports_edges(months, light):
    assert light_of(missed_reports=months)[0] is light


@pytest.mark.parametrize(
    ("days_late", "light"),
    [(0, Light.GREEN), (1, Light.AMBER), (29, Light.AMBER), (30, Light.RED)],
)
def test_late_start_edges(days_late, light):
    planned = AS_OF - timedelta(days=days_late)
    assert light_of(planned_start=planned)[0] is light


@pytest.mark.parametrize(
    ("days", "light"), [(0, Light.GREEN), (1, Light.AMBER), (19, Light.AMBER), (20, Light.RED)]
)
def test_a_step_past_its_latest_date_puts_the_start_at_risk_by_working_days(days, light):
    got = light_of(
        start_risk_step="用地批复", start_risk_days=days, start_risk_latest=date(2026, 6, 1)
    )
    assert got[0] is light
    assert got[1] == (["start_at_risk"] if days else [])


def test_a_start_after_the_planned_day_ends_the_late_start_reason():
    got = light_of(planned_start=AS_OF - timedelta(days=40), actual_start=AS_OF)
    assert got == (Light.GREEN, [])


# --- the investment rule against the project's own 序时 -------------------------------------


def investment(rate: float, **plan) -> tuple[Light, list[str]]:
    share = due_share(MONTH_END, year=2026, **plan).share
    start = plan.get("planned_start")
    return light_of(rate=rate, due_share=share, planned_start=start, actual_start=start)


WHOLE_YEAR = {"planned_start": date(2025, 1, 1), "planned_finish": date(2027, 12, 31)}


@pytest.mark.parametrize(
    ("rate", "light"),
    [
        (0.5001, Light.GREEN),  # 9.99 pp behind 50%
        (0.40, Light.AMBER),  # exactly 10 pp
        (0.3001, Light.AMBER),  # 19.99 pp
        (0.30, Light.RED),  # exactly 20 pp
        (0.95, Light.GREEN),  # ahead
    ],
)
def test_investment_edges_without_a_monthly_plan(rate, light):
    assert investment(rate, **WHOLE_YEAR)[0] is light


@pytest.mark.parametrize(
    ("rate", "light"),
    [
        (0.2501, Light.GREEN),  # the split owes 35% by June: 9.99 pp behind
        (0.25, Light.AMBER),
        (0.1501, Light.AMBER),
        (0.15, Light.RED),
    ],
)
def test_investment_edges_with_a_monthly_plan(rate, light):
    # March to June of the split: 100 + 100 + 100 + 50 of 1,000 → 35% due by 30 June
    due = due_share(MONTH_END, year=2026, monthly=SEASONAL).share
    assert due == pytest.approx(0.35)
    assert light_of(rate=rate, due_share=due)[0] is light


def test_a_project_before_its_planned_start_owes_no_investment():
    # planned to start in September; nothing reported; judged green, not on investment
    for rate in (0.0, None):
        got = light_of(
            rate=rate,
            due_share=due_share(
                MONTH_END,
                year=2026,
                planned_start=date(2026, 9, 1),
                planned_finish=date(2027, 6, 30),
            ).share,
            planned_start=date(2026, 9, 1),
        )
        assert got == (Light.GREEN, [])


def test_before_its_start_a_project_is_judged_on_its_pre_start_milestones():
    got = light_of(
        rate=0.0,
        due_share=0.0,
        planned_start=date(2026, 9, 1),
        milestones=[MilestoneStatus(MilestoneState.OVERDUE, 35)],
        milestone_names=["完成前期手续"],
    )
    assert got == (Light.RED, ["milestone_overdue"])


def test_a_monthly_plan_that_owes_nothing_yet_is_not_judged_on_investment():
    late_split = ["0"] * 8 + ["100"] * 4  # nothing planned before September
    share = due_share(MONTH_END, year=2026, monthly=late_split).share
    assert share == 0.0
    assert light_of(rate=0.0, due_share=share) == (Light.GREEN, [])


@pytest.mark.parametrize(
    ("rate", "light"),
    [(0.0, Light.AMBER), (0.0999, Light.GREEN), (0.05, Light.GREEN)],
)
def test_the_first_month_owes_its_month_s_part(rate, light):
    # started 1 June, finishing next year: June is one of 7 active months (≈14.3% due)
    plan = {"planned_start": date(2026, 6, 1), "planned_finish": date(2027, 6, 30)}
    share = due_share(MONTH_END, year=2026, **plan).share
    assert share == pytest.approx(1 / 7)
    got = light_of(
        rate=rate,
        due_share=share,
        planned_start=plan["planned_start"],
        actual_start=plan["planned_start"],
    )
    assert got[0] is light


def test_a_project_started_in_the_middle_of_its_first_month_owes_part_of_that_month():
    plan = {"planned_start": date(2026, 6, 16), "planned_finish": date(2026, 12, 31)}
    share = due_share(MONTH_END, year=2026, **plan).share
    assert share == pytest.approx(1 / 7)  # June's part is due by the 30th
    early = due_share(date(2026, 6, 23), year=2026, **plan).share
    assert early == pytest.approx((8 / 15) / 7)


@pytest.mark.parametrize(
    ("rate", "light"), [(1.0, Light.GREEN), (0.9, Light.AMBER), (0.8, Light.RED)]
)
def test_a_finished_project_owes_its_whole_plan(rate, light):
    plan = {"planned_start": date(2025, 3, 1), "planned_finish": date(2026, 5, 31)}
    share = due_share(MONTH_END, year=2026, **plan).share
    assert share == 1.0
    got = light_of(
        rate=rate,
        due_share=share,
        planned_start=plan["planned_start"],
        actual_start=date(2025, 3, 1),
    )
    assert got[0] is light


def test_no_plan_this_year_means_no_investment_judgement():
    assert light_of(rate=None, due_share=0.5) == (Light.GREEN, [])


def test_every_reason_carries_its_value_and_the_rule_s_edges():
    _, reasons = traffic_light(
        ProjectFacts(
            milestones=[],
            rate=0.2,
            due_share=0.5,
            missed_reports=1,
            figures_date=MONTH_END,
        ),
        AS_OF,
        T,
    )
    by_code = {r.code: r for r in reasons}
    gap = by_code["behind_time_progress"]
    assert gap.light is Light.RED
    assert gap.params["gap"] == pytest.approx(-30.0)
    assert gap.params["due"] == 50.0 and gap.params["rate"] == 20.0
    assert (gap.params["amber_at"], gap.params["red_at"]) == (10.0, 20.0)
    assert by_code["missed_reports"].params["months"] == 1
    assert reasons[0].light is Light.RED  # the worst first


def test_the_office_s_edges_are_what_the_lights_follow():
    strict = Thresholds(amber_gap_pp=5, red_gap_pp=8, amber_overdue_days=3, red_overdue_days=7)
    facts = ProjectFacts(milestones=[], rate=0.44, due_share=0.5, figures_date=MONTH_END)
    assert traffic_light(facts, AS_OF, strict)[0] is Light.AMBER  # 6 pp
    assert traffic_light(facts, AS_OF, T)[0] is Light.GREEN
    two_days = ProjectFacts(milestones=[MilestoneStatus(MilestoneState.OVERDUE, 2)])
    assert traffic_light(two_days, AS_OF, strict)[0] is Light.GREEN  # amber from 3 days


@pytest.mark.parametrize(
    ("done", "light"), [(56, Light.GREEN), (55, Light.AMBER), (46, Light.AMBER), (45, Light.RED)]
)
def test_a_group_s_colour_is_the_investment_rule_on_its_totals(done, light):
    from decimal import Decimal

    assert group_light(Decimal(done), Decimal(100), Decimal(65), T)[0] is light
