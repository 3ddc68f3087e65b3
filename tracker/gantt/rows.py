"""The input contract of the battle map: plain frozen rows, filled by the web layer.

Nothing here knows about the database or Dash. States and lights are computed
upstream (``tracker/domain/``); the builders only draw them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MILESTONE_STATES: tuple[str, ...] = ("done", "due_soon", "overdue", "future")
LIGHTS: tuple[str, ...] = ("red", "amber", "green")  # worst first


@dataclass(frozen=True)
class GanttMilestone:
    name: str
    baseline: date  # the date in the approved plan
    planned: date  # the date as currently planned
    actual: date | None  # when it was reached; None while open
    state: str  # one of MILESTONE_STATES

    def __post_init__(self) -> None:
        if self.state not in MILESTONE_STATES:
            raise ValueError(f"unknown milestone state {self.state!r}")


@dataclass(frozen=True)
class GanttProject:
    id: int
    code: str
    name: str
    area: str
    measure: str
    county: str
    lead_unit: str
    light: str  # one of LIGHTS
    light_reasons: tuple[str, ...]
    baseline_start: date
    baseline_finish: date
    planned_start: date
    planned_finish: date
    actual_start: date | None
    actual_finish: date | None
    progress: float  # 0..1, physical progress
    weight: float  # total investment in 万元; weights the group rollups
    milestones: tuple[GanttMilestone, ...]
    open_problems: int = 0
    # #10: what a group's colour is decided from (rules.group_light), and the stage
    annual_plan: float = 0.0  # this year's plan, 万元
    completed_ytd: float = 0.0  # completed this year, 万元
    due_amount: float = 0.0  # the plan × the project's own 序时, 万元
    stage: str = ""  # tracker.domain.schedule.Stage value
    returned: bool = False  # a report is back with the reporter (退回修改)

    def __post_init__(self) -> None:
        if self.light not in LIGHTS:
            raise ValueError(f"unknown light {self.light!r}")
        if not 0.0 <= self.progress <= 1.0:
            raise ValueError(f"progress must lie in 0..1, got {self.progress!r}")

    @property
    def baseline_differs(self) -> bool:
        return (self.baseline_start, self.baseline_finish) != (
            self.planned_start,
            self.planned_finish,
        )
