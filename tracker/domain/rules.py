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
    """Policy for the lights; defaults come from settings, the office may edit them."""

    amber_gap_pp: float = 10.0
    red_gap_pp: float = 20.0
    red_overdue_days: int = 30
    amber_missed_reports: int = 1
    red_missed_reports: int = 2
    due_soon_days: int = 15

    def __post_init__(self) -> None:
        if not 0 <= self.amber_gap_pp <= self.red_gap_pp:
            raise ValueError("amber_gap_pp must be between 0 and red_gap_pp")
        if self.red_overdue_days < 1 or self.due_soon_days < 0:
            raise ValueError("red_overdue_days must be ≥ 1 and due_soon_days ≥ 0")
        if not 1 <= self.amber_missed_reports <= self.red_missed_reports:
            raise ValueError("amber_missed_reports must be between 1 and red_missed_reports")


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
    """Why a light is what it is: a code for the catalogue and its numbers."""

    code: str  # milestone_overdue | behind_time_progress | missed_reports | not_started
    light: Light
    params: dict[str, object] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ProjectFacts:
    """What the light is decided from, for one project on ``as_of``."""

    milestones: Sequence[MilestoneStatus]
    milestone_names: Sequence[str] = ()
    rate: float | None = None  # year-to-date completion rate
    time_progress: float = 0.0
    missed_reports: int = 0  # consecutive latest months without a report
    planned_start: date | None = None
    actual_start: date | None = None


def traffic_light(
    facts: ProjectFacts, as_of: date, thresholds: Thresholds
) -> tuple[Light, list[Reason]]:
    """红黄绿灯 with every reason that set it, the worst first."""
    reasons: list[Reason] = []
    names = list(facts.milestone_names) or [""] * len(facts.milestones)
    for name, status in zip(names, facts.milestones, strict=False):
        if status.state is MilestoneState.OVERDUE:
            light = Light.RED if status.days >= thresholds.red_overdue_days else Light.AMBER
            reasons.append(Reason("milestone_overdue", light, {"name": name, "days": status.days}))
    gap = gap_pp(facts.rate, facts.time_progress)
    if gap is not None and gap <= -thresholds.amber_gap_pp:
        light = Light.RED if gap <= -thresholds.red_gap_pp else Light.AMBER
        reasons.append(Reason("behind_time_progress", light, {"gap": gap}))
    if facts.missed_reports >= thresholds.amber_missed_reports:
        light = Light.RED if facts.missed_reports >= thresholds.red_missed_reports else Light.AMBER
        reasons.append(Reason("missed_reports", light, {"months": facts.missed_reports}))
    if (
        facts.planned_start is not None
        and facts.actual_start is None
        and facts.planned_start < as_of
    ):
        late = (as_of - facts.planned_start).days
        light = Light.RED if late >= thresholds.red_overdue_days else Light.AMBER
        reasons.append(Reason("not_started", light, {"days": late}))
    reasons.sort(key=lambda reason: -reason.light.rank)
    return worst(reason.light for reason in reasons), reasons
