"""The input contract of the battle map: plain frozen rows, filled by the web layer.

Nothing here knows about the database or Dash. States and lights are computed
upstream (``tracker/domain/``); the builders only draw them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

MILESTONE_STATES: tuple[str, ...] = ("done", "due_soon", "overdue", "future")
LIGHTS: tuple[str, ...] = ("red", "amber", "green")  # worst first
# a 前期 step's status: 未启动、办理中、已办结、超时 (#17)
STEP_STATES: tuple[str, ...] = ("not_started", "in_progress", "done", "overdue")
LINK_KINDS: tuple[str, ...] = ("FS", "SS")
MILESTONE_NODE = "m:"  # a link end "m:<milestone name>" is a milestone of the project


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
class GanttStep:
    """One approval step (前期手续) of a project's chain, as drawn: planned dates, or the
    actual ones where it has them."""

    key: str  # unique within the project; links name it
    id: int  # the step's record id (a click opens it on the project page)
    name: str
    unit: str  # the approving unit (审批部门)
    start: date
    finish: date
    state: str  # one of STEP_STATES
    critical: bool = False  # on the critical path to the chain's target
    float_days: int | None = None  # total float in working days; None when not computed
    latest_finish: date | None = None  # the latest finish that keeps the target date

    def __post_init__(self) -> None:
        if self.state not in STEP_STATES:
            raise ValueError(f"unknown step state {self.state!r}")


@dataclass(frozen=True)
class GanttLink:
    """A dependency between two steps, or a step and a milestone (``"m:<name>"``)."""

    predecessor: str
    successor: str
    kind: str = "FS"  # one of LINK_KINDS
    lag: int = 0  # working days
    critical: bool = False

    def __post_init__(self) -> None:
        if self.kind not in LINK_KINDS:
            raise ValueError(f"unknown link kind {self.kind!r}")


@dataclass(frozen=True)
class GanttChain:
    """A project's 前期 chain: its steps and the links between them and its milestones."""

    steps: tuple[GanttStep, ...]
    links: tuple[GanttLink, ...] = ()
    target: str = ""  # the milestone the critical path leads to (开工建设), "" if none


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
    chain: GanttChain | None = None  # #17: the 前期 chain, when the view shows chains

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


@dataclass(frozen=True)
class OutsideDate:
    """A date the battle map does not draw because it lies outside the plan's range."""

    code: str  # the project's code
    what: str  # "planned_start", "planned_finish", "baseline", "actual", "milestone", "step"
    name: str  # the milestone's or step's name ("" for project dates)
    day: date


def fit_to_range(
    projects: Iterable[GanttProject], first: date, last: date
) -> tuple[list[GanttProject], list[OutsideDate]]:
    """The projects with every date outside ``first``..``last`` left out, and what was left
    out: a stored date of 9999-12-31 (or 0001-01-01) must not stretch the axis over
    millennia and hide every bar. A project whose own plan lies outside is not drawn; a
    milestone with a date outside is not drawn; a baseline or actual date outside is
    dropped (the baseline then follows the plan)."""
    inside = lambda day: first <= day <= last  # noqa: E731
    kept: list[GanttProject] = []
    outside: list[OutsideDate] = []
    for p in projects:
        if not inside(p.planned_start) or not inside(p.planned_finish):
            for what, day in (
                ("planned_start", p.planned_start),
                ("planned_finish", p.planned_finish),
            ):
                if not inside(day):
                    outside.append(OutsideDate(p.code, what, "", day))
            continue
        changes: dict[str, object] = {}
        if not inside(p.baseline_start) or not inside(p.baseline_finish):
            for day in (p.baseline_start, p.baseline_finish):
                if not inside(day):
                    outside.append(OutsideDate(p.code, "baseline", "", day))
            changes.update(baseline_start=p.planned_start, baseline_finish=p.planned_finish)
        for name in ("actual_start", "actual_finish"):
            day = getattr(p, name)
            if day is not None and not inside(day):
                outside.append(OutsideDate(p.code, "actual", "", day))
                changes[name] = None
        milestones = []
        for m in p.milestones:
            wrong = [
                d for d in (m.baseline, m.planned, m.actual) if d is not None and not inside(d)
            ]
            if wrong:
                outside.extend(OutsideDate(p.code, "milestone", m.name, d) for d in wrong)
            else:
                milestones.append(m)
        if len(milestones) != len(p.milestones):
            changes["milestones"] = tuple(milestones)
        if p.chain is not None:
            chain = _chain_inside(p.chain, p.code, inside, outside)
            if chain is not p.chain:
                changes["chain"] = chain
        kept.append(replace(p, **changes) if changes else p)  # type: ignore[arg-type]
    return kept, outside


def _chain_inside(
    chain: GanttChain, code: str, inside: Callable[[date], bool], outside: list[OutsideDate]
) -> GanttChain:
    """The chain without its steps dated outside the range (and their links)."""
    wrong = [s for s in chain.steps if not inside(s.start) or not inside(s.finish)]
    if not wrong:
        return chain
    for step in wrong:
        outside.extend(
            OutsideDate(code, "step", step.name, d)
            for d in (step.start, step.finish)
            if not inside(d)
        )
    gone = {s.key for s in wrong}
    return replace(
        chain,
        steps=tuple(s for s in chain.steps if s.key not in gone),
        links=tuple(
            k for k in chain.links if k.predecessor not in gone and k.successor not in gone
        ),
    )
