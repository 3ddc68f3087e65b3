"""Totals by area, measure, county and lead unit, from per-project figures; and the rollup
of a group of the battle map (``group_summary``): the one place groups are added up."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from tracker.domain.rules import Light, Thresholds, completion_rate, gap_pp, group_light
from tracker.domain.schedule import StageFacts, StageRates, stage_counts


@dataclass(frozen=True)
class ProjectFigures:
    """One project's figures for a month, the unit every rollup adds up."""

    project_id: int
    area: str
    measure: str
    county: str
    lead_unit: str
    annual_plan: Decimal
    completed_ytd: Decimal
    started: bool  # actually started by as_of
    due_to_start: bool  # planned start is on or before as_of
    light: Light
    reported: bool = True
    milestones_due: int = 0  # milestones due this year by as_of (baseline date)
    milestones_on_time: int = 0  # of those, done by their baseline date
    due_amount: Decimal = Decimal("0")  # the plan × the project's own due share
    stage: StageFacts | None = None
    stage_code: str = ""  # tracker.domain.schedule.Stage value on as_of
    as_of: date | None = None


@dataclass(frozen=True)
class Rollup(StageRates):
    key: str
    projects: int
    annual_plan: Decimal
    completed_ytd: Decimal
    rate: float | None
    gap_pp: float | None  # against the office-wide 序时进度 (headlines)
    new_started: int  # 新开工: started this year
    new_due: int  # new projects due to start by now (or started this year)
    continuing: int  # 续建: started before this year, not finished before it
    resumed: int  # of those, with investment reported this year (复工)
    completed: int  # 竣工 this year
    late_to_start: int  # 应开未开
    red: int
    amber: int
    green: int
    reported: int
    milestones_due: int
    milestones_on_time: int
    due_amount: Decimal = Decimal("0")  # Σ each project's plan × its own due share

    @property
    def report_rate(self) -> float | None:
        return self.reported / self.projects if self.projects else None

    @property
    def on_time_rate(self) -> float | None:
        return self.milestones_on_time / self.milestones_due if self.milestones_due else None

    @property
    def due_share(self) -> float | None:
        """The group's own 序时: what its projects owe by now over what they plan."""
        return float(self.due_amount / self.annual_plan) if self.annual_plan > 0 else None

    @property
    def own_gap_pp(self) -> float | None:
        """Completion against the group's own 序时, in percentage points."""
        if self.due_share is None or self.due_amount <= 0:
            return None
        return gap_pp(self.rate, self.due_share)

    def light(self, thresholds: Thresholds) -> Light:
        """The group's colour on the charts and the battle map (``rules.group_light``)."""
        return group_light(self.completed_ytd, self.annual_plan, self.due_amount, thresholds)[0]


LIGHT_NAMES: tuple[str, ...] = (Light.RED.value, Light.AMBER.value, Light.GREEN.value)


def count_lights(lights: Iterable[str]) -> dict[str, int]:
    """How many of each light, worst first (a ``Light`` counts as its value)."""
    counts = dict.fromkeys(LIGHT_NAMES, 0)
    for light in lights:
        counts[light] += 1
    return counts


def summarize(key: str, rows: Iterable[ProjectFigures], time_progress: float) -> Rollup:
    rows = list(rows)
    plan = sum((r.annual_plan for r in rows), Decimal("0"))
    done = sum((r.completed_ytd for r in rows), Decimal("0"))
    rate = completion_rate(done, plan)
    as_of = next((r.as_of for r in rows if r.as_of is not None), None)
    facts = [r.stage for r in rows if r.stage is not None]
    counts = stage_counts(facts, as_of) if as_of is not None else None
    lights = count_lights([r.light for r in rows])
    return Rollup(
        key=key,
        projects=len(rows),
        annual_plan=plan,
        completed_ytd=done,
        rate=rate,
        gap_pp=gap_pp(rate, time_progress),
        new_started=counts.new_started if counts else 0,
        new_due=counts.new_due if counts else 0,
        continuing=counts.continuing if counts else 0,
        resumed=counts.resumed if counts else 0,
        completed=counts.completed if counts else 0,
        late_to_start=counts.late_to_start if counts else 0,
        red=lights["red"],
        amber=lights["amber"],
        green=lights["green"],
        reported=sum(1 for r in rows if r.reported),
        milestones_due=sum(r.milestones_due for r in rows),
        milestones_on_time=sum(r.milestones_on_time for r in rows),
        due_amount=sum((r.due_amount for r in rows), Decimal("0")),
    )


def rollup(
    rows: Iterable[ProjectFigures],
    key: Callable[[ProjectFigures], str],
    time_progress: float,
    order: Iterable[str] | None = None,
) -> list[Rollup]:
    """One ``Rollup`` per distinct key, in ``order`` when given, else by first appearance."""
    groups: dict[str, list[ProjectFigures]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    ordered = [k for k in (order or ()) if k in groups]
    keys = ordered + [k for k in groups if k not in set(ordered)]
    return [summarize(k, groups[k], time_progress) for k in keys]


BY_AREA: Callable[[ProjectFigures], str] = lambda r: r.area  # noqa: E731
BY_MEASURE: Callable[[ProjectFigures], str] = lambda r: r.measure  # noqa: E731
BY_COUNTY: Callable[[ProjectFigures], str] = lambda r: r.county  # noqa: E731
BY_LEAD_UNIT: Callable[[ProjectFigures], str] = lambda r: r.lead_unit  # noqa: E731


# --- a group of the battle map ----------------------------------------------------------


class GroupMember(Protocol):
    """What ``group_summary`` reads of a project (``tracker.gantt.rows.GanttProject``)."""

    planned_start: date
    planned_finish: date
    progress: float
    weight: float
    light: str
    completed_ytd: float
    annual_plan: float
    due_amount: float


@dataclass(frozen=True)
class GroupSummary:
    """The rollup of every project in a group (not only the ones on the current page)."""

    start: date  # earliest planned start
    finish: date  # latest planned finish
    progress: float  # investment-weighted; a plain mean when no project has a weight
    light: str  # the group's colour (rules.group_light; the worst light without thresholds)
    count: int
    weight: float
    red: int = 0
    amber: int = 0
    green: int = 0


def group_summary(
    projects: Sequence[GroupMember],
    thresholds: Thresholds | None = None,
    light: str | None = None,
) -> GroupSummary:
    """Span, investment-weighted progress, light counts and colour of a non-empty group.

    The colour is ``light`` when given (a group of one light), else with ``thresholds`` the
    investment rule on the group's totals against its own 序时 (``rules.group_light``, as
    ``Rollup.light`` colours a county on the overview), else the worst light of its
    projects."""
    # List comprehensions rather than generators: this runs for every group on every
    # build. The sums keep the projects' order, so the floats come out the same.
    weights = [0.0 if (w := p.weight) < 0.0 else w for p in projects]  # max(w, 0.0)
    total_weight = sum(weights)
    if total_weight > 0:
        progress = sum([p.progress * w for p, w in zip(projects, weights, strict=True)])
        progress /= total_weight
    else:
        progress = sum([p.progress for p in projects]) / len(projects)
    counts = count_lights([p.light for p in projects])
    if light is None and thresholds is not None:
        light = group_light(
            Decimal(str(sum([p.completed_ytd for p in projects]))),
            Decimal(str(sum([p.annual_plan for p in projects]))),
            Decimal(str(sum([p.due_amount for p in projects]))),
            thresholds,
        )[0].value
    if light is None:
        light = next(name for name in LIGHT_NAMES if counts[name])
    return GroupSummary(
        start=min([p.planned_start for p in projects]),
        finish=max([p.planned_finish for p in projects]),
        progress=progress,
        light=light,
        count=len(projects),
        weight=total_weight,
        red=counts["red"],
        amber=counts["amber"],
        green=counts["green"],
    )
