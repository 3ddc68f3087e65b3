"""Totals by area, measure, county and lead unit, from per-project figures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from tracker.domain.rules import Light, completion_rate, gap_pp, start_rate


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
    started: bool
    due_to_start: bool  # planned start is on or before as_of
    light: Light
    reported: bool = True
    milestones_due: int = 0  # milestones planned on or before as_of
    milestones_on_time: int = 0  # of those, done by their planned date


@dataclass(frozen=True)
class Rollup:
    key: str
    projects: int
    annual_plan: Decimal
    completed_ytd: Decimal
    rate: float | None
    gap_pp: float | None
    started: int
    due_to_start: int
    start_rate: float | None
    red: int
    amber: int
    green: int
    reported: int
    milestones_due: int
    milestones_on_time: int

    @property
    def report_rate(self) -> float | None:
        return self.reported / self.projects if self.projects else None

    @property
    def on_time_rate(self) -> float | None:
        return self.milestones_on_time / self.milestones_due if self.milestones_due else None


def summarize(key: str, rows: Iterable[ProjectFigures], time_progress: float) -> Rollup:
    rows = list(rows)
    plan = sum((r.annual_plan for r in rows), Decimal("0"))
    done = sum((r.completed_ytd for r in rows), Decimal("0"))
    rate = completion_rate(done, plan)
    # A started project counts toward 开工率 even if it started ahead of plan.
    started = sum(1 for r in rows if r.started)
    due = sum(1 for r in rows if r.due_to_start or r.started)
    return Rollup(
        key=key,
        projects=len(rows),
        annual_plan=plan,
        completed_ytd=done,
        rate=rate,
        gap_pp=gap_pp(rate, time_progress),
        started=started,
        due_to_start=due,
        start_rate=start_rate(started, due),
        red=sum(1 for r in rows if r.light is Light.RED),
        amber=sum(1 for r in rows if r.light is Light.AMBER),
        green=sum(1 for r in rows if r.light is Light.GREEN),
        reported=sum(1 for r in rows if r.reported),
        milestones_due=sum(r.milestones_due for r in rows),
        milestones_on_time=sum(r.milestones_on_time for r in rows),
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
