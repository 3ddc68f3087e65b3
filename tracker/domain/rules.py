"""The office's figures and traffic lights, as pure functions of facts and ``as_of``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class MilestoneState(StrEnum):
    DONE = "done"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    FUTURE = "future"


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        return {"green": 0, "amber": 1, "red": 2}[self.value]


def worst(lights: Iterable[Light]) -> Light:
    return max(lights, key=lambda light: light.rank, default=Light.GREEN)


@dataclass(frozen=True)
class Thresholds:
    """The office's light policy: the amber and red edge of every rule in ``RULES``.
    Defaults come from settings; the office edits them on the thresholds page."""

    amber_gap_pp: float = 10.0
    red_gap_pp: float = 20.0
    amber_overdue_days: int = 1
    red_overdue_days: int = 30
    amber_missed_reports: int = 1
    red_missed_reports: int = 2
    amber_late_start_days: int = 1
    red_late_start_days: int = 30
    due_soon_days: int = 15
    # #17: a step past the latest date that keeps the planned start (working days past it)
    amber_start_risk_days: int = 1
    red_start_risk_days: int = 20
    # #17: an approving unit's overdue steps (its light on the units' view and the bulletin)
    amber_unit_overdue: int = 1
    red_unit_overdue: int = 3

    def __post_init__(self) -> None:
        for rule in RULES:
            amber, red = getattr(self, rule.amber), getattr(self, rule.red)
            if not 0 < amber <= red:
                raise ValueError(
                    f"{rule.amber} must be above 0 and {rule.red} at least {rule.amber}"
                )
        if self.due_soon_days < 0:
            raise ValueError("due_soon_days must be ≥ 0")


@dataclass(frozen=True)
class MilestoneStatus:
    state: MilestoneState
    days: int  # overdue: days late; due_soon/future: days left; done: days late (≤0 early)


def milestone_status(
    planned: date, actual: date | None, as_of: date, *, due_soon_days: int
) -> MilestoneStatus:
    """Done, overdue by N days, due within N days, or in the future."""
    if actual is not None and actual <= as_of:
        return MilestoneStatus(MilestoneState.DONE, (actual - planned).days)
    left = (planned - as_of).days
    if left < 0:
        return MilestoneStatus(MilestoneState.OVERDUE, -left)
    if left <= due_soon_days:
        return MilestoneStatus(MilestoneState.DUE_SOON, left)
    return MilestoneStatus(MilestoneState.FUTURE, left)


def completion_rate(completed: Decimal, planned: Decimal) -> float | None:
    """投资完成率: completed / planned; None when nothing is planned."""
    if planned <= 0:
        return None
    return float(completed / planned)


def gap_pp(rate: float | None, progress: float) -> float | None:
    """Gap of a completion rate to 序时进度, in percentage points (negative = behind)."""
    if rate is None:
        return None
    return round((rate - progress) * 100, 2)


def start_rate(started: int, due_to_start: int) -> float | None:
    """开工率: projects started / projects planned to start by now."""
    if due_to_start <= 0:
        return None
    return started / due_to_start


@dataclass(frozen=True)
class Reason:
    """Why a light is what it is: the rule's code and its numbers (the measured value, the
    rule's amber and red edges, and what the text needs)."""

    code: str  # milestone_overdue | behind_time_progress | missed_reports | not_started
    light: Light
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


# --- the rule table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One row of the light rules: what is measured, on which projects, and the two
    threshold fields of ``Thresholds`` (a value at or above the edge sets the light)."""

    code: str  # the reason code it gives
    amber: str  # field of Thresholds: the amber edge
    red: str  # field of Thresholds: the red edge
    unit: str  # days | pp | months
    step: float = 1  # the edit step on the thresholds page


RULES: tuple[Rule, ...] = (
    Rule("milestone_overdue", "amber_overdue_days", "red_overdue_days", "days"),
    Rule("behind_time_progress", "amber_gap_pp", "red_gap_pp", "pp", 0.5),
    Rule("missed_reports", "amber_missed_reports", "red_missed_reports", "months"),
    Rule("not_started", "amber_late_start_days", "red_late_start_days", "days"),
    Rule("start_at_risk", "amber_start_risk_days", "red_start_risk_days", "workdays"),
    Rule("approval_unit_overdue", "amber_unit_overdue", "red_unit_overdue", "items"),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def grade(value: float, rule: Rule, thresholds: Thresholds) -> Light | None:
    """The light ``value`` earns under ``rule``: red at or above the red edge, amber at or
    above the amber edge, none below."""
    if value >= getattr(thresholds, rule.red):
        return Light.RED
    if value >= getattr(thresholds, rule.amber):
        return Light.AMBER
    return None


def _reason(code: str, value: float, thresholds: Thresholds, **params: object) -> Reason | None:
    rule = RULES_BY_CODE[code]
    light = grade(value, rule, thresholds)
    if light is None:
        return None
    edges = {"amber_at": getattr(thresholds, rule.amber), "red_at": getattr(thresholds, rule.red)}
    return Reason(code, light, {**params, **edges})


@dataclass(frozen=True)
class ProjectFacts:
    """What the light is decided from, for one project on ``as_of``."""

    milestones: Sequence[MilestoneStatus]
    milestone_names: Sequence[str] = ()
    rate: float | None = None  # year-to-date completion rate (None: no plan this year)
    due_share: float = 0.0  # the project's own 序时: share of its plan due by the figures' date
    missed_reports: int = 0  # consecutive latest months without a report
    planned_start: date | None = None
    actual_start: date | None = None
    figures_date: date | None = None  # the date the investment figures stand at (month end)
    # #17: the step whose latest date (that keeps the planned start) passed longest ago, and
    # by how many working days; "" / 0 when the start is not at risk
    start_risk_step: str = ""
    start_risk_days: int = 0
    start_risk_latest: date | None = None


def investment_due(facts: ProjectFacts, as_of: date) -> bool:
    """Whether the investment rule applies: an annual plan, some of it due by the figures'
    date, and the planned start reached (before it a project owes no investment)."""
    on = facts.figures_date or as_of
    if facts.rate is None or facts.due_share <= 0:
        return False
    return facts.planned_start is None or facts.planned_start <= on


def traffic_light(
    facts: ProjectFacts, as_of: date, thresholds: Thresholds
) -> tuple[Light, list[Reason]]:
    """红黄绿灯 by the rule table, with every reason that set it, the worst first."""
    reasons: list[Reason | None] = []
    names = list(facts.milestone_names) or [""] * len(facts.milestones)
    for name, status in zip(names, facts.milestones, strict=False):
        if status.state is MilestoneState.OVERDUE:
            reasons.append(
                _reason("milestone_overdue", status.days, thresholds, name=name, days=status.days)
            )
    if investment_due(facts, as_of):
        gap = gap_pp(facts.rate, facts.due_share)
        if gap is not None and gap < 0:
            reasons.append(
                _reason(
                    "behind_time_progress",
                    -gap,
                    thresholds,
                    gap=gap,
                    due=round(facts.due_share * 100, 1),
                    rate=round((facts.rate or 0.0) * 100, 1),
                )
            )
    if facts.missed_reports > 0:
        reasons.append(
            _reason("missed_reports", facts.missed_reports, thresholds, months=facts.missed_reports)
        )
    if (
        facts.planned_start is not None
        and (facts.actual_start is None or facts.actual_start > as_of)
        and facts.planned_start < as_of
    ):
        late = (as_of - facts.planned_start).days
        reasons.append(_reason("not_started", late, thresholds, days=late))
    if facts.start_risk_step and facts.start_risk_days > 0:
        reasons.append(
            _reason(
                "start_at_risk",
                facts.start_risk_days,
                thresholds,
                step=facts.start_risk_step,
                days=facts.start_risk_days,
                latest=facts.start_risk_latest,
            )
        )
    found = [r for r in reasons if r is not None]
    found.sort(key=lambda reason: -reason.light.rank)
    return worst(reason.light for reason in found), found


def group_light(
    completed: Decimal, plan: Decimal, due: Decimal, thresholds: Thresholds
) -> tuple[Light, float | None]:
    """A group's colour (county, area, measure, lead unit) on the charts and the battle map:
    the investment rule applied to its totals against its own due share (the sum of its
    projects' due amounts over the sum of their plans). Returns the light and the gap."""
    if plan <= 0 or due <= 0:
        return Light.GREEN, None
    gap = gap_pp(completion_rate(completed, plan), float(due / plan))
    if gap is None or gap >= 0:
        return Light.GREEN, gap
    light = grade(-gap, RULES_BY_CODE["behind_time_progress"], thresholds)
    return light or Light.GREEN, gap
