"""前期手续 rules: a step's status, a chain's schedule to 开工 and the step that puts the start
at risk, and the approving units' counts and lights (working days, Chinese holidays)."""

from datetime import date

import pytest

from tracker.domain import critical_path as cp
from tracker.domain.approvals import (
    STANDARD_STEPS,
    STANDARD_TEMPLATES,
    STEPS_BY_CODE,
    LinkFacts,
    MilestoneFacts,
    StepFacts,
    StepStatus,
    UnitStep,
    chain_schedule,
    limit_due,
    over_limit,
    step_status,
    unit_counts,
)
from tracker.domain.rules import Light, Thresholds

TODAY = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("planned_finish", "actual_start", "actual_finish", "limit", "state"),
    [
        (date(2026, 12, 1), None, None, None, StepStatus.NOT_STARTED),
        (date(2026, 12, 1), date(2026, 11, 2), None, date(2026, 11, 27), StepStatus.IN_PROGRESS),
        (date(2026, 12, 1), date(2026, 10, 8), None, date(2026, 11, 19), StepStatus.OVERDUE),
        (date(2026, 11, 19), None, None, None, StepStatus.OVERDUE),  # never submitted, late
        (date(2026, 11, 19), date(2026, 10, 8), date(2026, 11, 18), None, StepStatus.DONE),
        (date(2026, 12, 1), date(2026, 11, 2), date(2026, 11, 23), None, StepStatus.IN_PROGRESS),
    ],
)
def test_a_step_is_not_started_in_progress_approved_or_overdue(
    planned_finish, actual_start, actual_finish, limit, state
):
    got = step_status(
        planned_finish=planned_finish,
        actual_start=actual_start,
        actual_finish=actual_finish,
        limit_due=limit,
        today=TODAY,
    )
    assert got is state


def test_the_committed_limit_counts_working_days_over_the_national_day_holiday():
    # submitted Monday 28 September 2026; 10 working days: 28–30 Sep (3), 国庆 1–7 Oct off,
    # 8, 9 and Saturday 10 Oct (调休, worked: 6), 12–15 Oct (10): the limit ends on the 15th
    assert limit_due(date(2026, 9, 28), 10) == date(2026, 10, 15)
    assert limit_due(date(2026, 11, 16), 5) == date(2026, 11, 20)  # Mon..Fri


def test_the_standard_catalogue_and_templates_name_known_steps():
    assert len(STANDARD_STEPS) == 11
    assert {"可行性研究报告批复", "用地批复", "施工许可证"} <= {s.name for s in STANDARD_STEPS}
    for template in STANDARD_TEMPLATES:
        assert set(template.steps) <= set(STEPS_BY_CODE)
        for link in template.links:
            for end in (link.source, link.target):
                assert end in template.steps or end.startswith("milestone:")


def chain(actuals=None):
    """可研 (10 wd) → 用地 (20 wd) → 施工许可 (5 wd) → 开工建设 (1 Dec 2026) → 竣工验收."""
    actuals = actuals or {}
    steps = [
        StepFacts(1, "可研", 10, **actuals.get(1, {})),
        StepFacts(2, "用地", 20, **actuals.get(2, {})),
        StepFacts(3, "施工许可", 5, **actuals.get(3, {})),
    ]
    milestones = [
        MilestoneFacts(10, "开工建设", date(2026, 12, 1)),
        MilestoneFacts(11, "竣工验收", date(2027, 12, 1)),
    ]
    links = [
        LinkFacts("step:1", "step:2"),
        LinkFacts("step:2", "step:3"),
        LinkFacts("step:3", "milestone:10"),
        LinkFacts("milestone:10", "milestone:11", "FS", 200),
    ]
    return steps, milestones, links


def test_a_chain_on_time_keeps_its_start_and_names_its_critical_path():
    done = {"actual_start": date(2026, 9, 1), "actual_finish": date(2026, 9, 14)}
    steps, ms, links = chain({1: done, 2: {"actual_start": date(2026, 10, 19)}})
    got = chain_schedule(steps, ms, links, today=TODAY)
    assert got.start is not None and got.start.planned == date(2026, 12, 1)
    assert got.start.path[-3:] == ("step:2", "step:3", "milestone:10")
    assert got.start.float_days is not None and got.start.float_days >= 0
    assert got.late_step is None
    assert got.nodes["step:3"].critical and got.nodes["step:3"].late_finish < date(2026, 12, 1)
    assert got.finish is not None and got.finish.planned == date(2027, 12, 1)


def test_a_step_never_submitted_past_its_latest_start_puts_the_start_at_risk():
    steps, ms, links = chain()  # nothing submitted on 20 November: 35 working days before 开工
    got = chain_schedule(steps, ms, links, today=TODAY)
    assert got.start is not None and got.start.float_days is not None
    assert got.start.float_days < 0
    assert got.late_step is not None and got.late_step.name == "可研"
    # its latest start (35 working days before 1 December) has passed
    assert got.late_step.latest == got.nodes["step:1"].late_start
    assert got.late_step.latest < TODAY and got.late_step.days_past >= 1


def test_a_started_project_has_no_start_at_risk():
    steps, ms, links = chain()
    assert chain_schedule(steps, ms, links, today=TODAY, started=True).late_step is None


def test_a_cycle_is_refused_naming_its_steps():
    steps, ms, links = chain()
    with pytest.raises(cp.NetworkError) as refused:
        chain_schedule(steps, ms, [*links, LinkFacts("step:3", "step:1")], today=TODAY)
    text = str(refused.value)
    assert "可研" in text and "施工许可" in text


def unit(name, limit=10, **dates):
    return UnitStep(name, limit, dates.get("planned_finish"), dates.get("start"), dates.get("done"))


@pytest.mark.parametrize(("overdue", "light"), [(0, Light.GREEN), (1, Light.AMBER), (3, Light.RED)])
def test_an_approving_unit_is_amber_or_red_by_its_overdue_steps(overdue, light):
    late = [unit("市生态环境局", start=date(2026, 9, 1)) for _ in range(overdue)]
    fresh = [unit("市生态环境局", start=date(2026, 11, 18))]
    [row] = unit_counts([*late, *fresh], today=TODAY, thresholds=Thresholds())
    assert (row.overdue, row.in_progress, row.light) == (overdue, 1, light)


def test_an_approving_unit_s_average_counts_working_days_against_its_limit():
    steps = [
        unit("市水务局", 10, start=date(2026, 11, 2), done=date(2026, 11, 13)),  # 10 wd
        unit("市水务局", 10, start=date(2026, 11, 2), done=date(2026, 11, 20)),  # 15 wd
        unit("市水务局", 10, planned_finish=date(2026, 11, 1)),  # late, not submitted
    ]
    [row] = unit_counts(steps, today=TODAY, thresholds=Thresholds())
    assert (row.done, row.average_days, row.limit_days) == (2, 12.5, 10.0)
    assert (row.overdue, row.late_to_submit, row.light) == (0, 1, Light.GREEN)


def test_over_limit_counts_working_days_past_the_limit():
    step = unit("市住房和城乡建设局", 5, start=date(2026, 11, 9))  # limit ends Fri 13 Nov
    assert over_limit(step, TODAY) == 5
    assert over_limit(unit("x", 5, start=date(2026, 11, 16)), TODAY) == 0
