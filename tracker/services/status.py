"""Where every project stands on a day: figures, milestone states, light and reasons.

This is the one query the overview, the battle map, the project page and the bulletin
read from, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tracker.domain.inputs import shown, unusable_figures, usable_amount
from tracker.domain.periods import month_end, month_start, time_progress
from tracker.domain.rollups import ProjectFigures
from tracker.domain.rules import (
    Light,
    MilestoneStatus,
    ProjectFacts,
    Reason,
    Thresholds,
    completion_rate,
    gap_pp,
    milestone_status,
    traffic_light,
)
from tracker.models import (
    Area,
    InvestmentPlan,
    Measure,
    Milestone,
    MonthlyReport,
    Project,
    ReportingPeriod,
)

COUNTED_REPORT_STATES = ("submitted",)


@dataclass
class ProjectStatus:
    project: Project
    area: str
    measure: str
    milestones: list[tuple[Milestone, MilestoneStatus]]
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    progress: float  # 形象进度 0..1 from the latest report
    rate: float | None
    gap_pp: float | None
    light: Light
    reasons: list[Reason]
    missed_reports: int
    reported: bool  # a submitted report exists for the period
    latest_report: MonthlyReport | None = None
    figures: ProjectFigures = field(init=False)

    def __post_init__(self) -> None:
        p = self.project
        due = [m for m, _ in self.milestones if m.baseline_date <= self._as_of]
        self.figures = ProjectFigures(
            project_id=p.id or 0,
            area=self.area,
            measure=self.measure,
            county=p.county,
            lead_unit=p.lead_unit,
            annual_plan=self.annual_plan,
            completed_ytd=self.completed_ytd,
            started=p.actual_start is not None and p.actual_start <= self._as_of,
            due_to_start=p.planned_start is not None and p.planned_start <= self._as_of,
            light=self.light,
            reported=self.reported,
            milestones_due=len(due),
            milestones_on_time=sum(
                1 for m in due if m.actual_date is not None and m.actual_date <= m.baseline_date
            ),
        )

    _as_of: date = field(default=date.min, repr=False)
    # stored values that could not be used (a legacy row, an old import): left out, reported
    data_problems: list[str] = field(default_factory=list)


def reference_period(as_of: date, due_day: int = 25) -> date:
    """The latest month whose reports are due by ``as_of`` (first day of that month)."""
    if as_of.day >= due_day or as_of == month_end(as_of):
        return month_start(as_of)
    previous = month_start(as_of).replace(day=1)
    return month_start(date.fromordinal(previous.toordinal() - 1))


def reporting_months(session: Session, period: date) -> list[date]:
    """Months the office ran reporting for, up to ``period`` (newest last)."""
    periods = session.exec(
        select(ReportingPeriod.period)
        .where(ReportingPeriod.period <= period)
        .order_by(ReportingPeriod.period)
    ).all()
    return list(periods)


def _missed(months: list[date], reported: set[date], planned_start: date | None) -> int:
    """Consecutive latest months without a submitted report, since the project began."""
    count = 0
    for month in reversed(months):
        if planned_start is not None and month_end(month) < planned_start:
            break
        if month in reported:
            break
        count += 1
    return count


def project_statuses(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    period: date | None = None,
    project_ids: Iterable[int] | None = None,
) -> list[ProjectStatus]:
    """Every project's status on ``as_of``, using reports up to ``period`` (default: the
    latest month due by ``as_of``). Ordered as the plan lists them."""
    period = month_start(period or reference_period(as_of))
    progress_of_year = time_progress(month_end(period))
    query = (
        select(Project, Area.name, Measure.name)
        .join(Area, col(Project.area_id) == Area.id)
        .join(Measure, col(Project.measure_id) == Measure.id)
        .order_by(Area.sort_order, Measure.sort_order, Project.sort_order, Project.id)
    )
    ids = None if project_ids is None else list(project_ids)
    if ids is not None:
        query = query.where(col(Project.id).in_(ids))
    rows = session.exec(query).all()
    wanted = [p.id for p, _, _ in rows]

    milestones: dict[int, list[Milestone]] = defaultdict(list)
    ms_query = select(Milestone).order_by(Milestone.project_id, Milestone.seq)
    if ids is not None:
        ms_query = ms_query.where(col(Milestone.project_id).in_(wanted))
    for m in session.exec(ms_query):
        milestones[m.project_id].append(m)

    plan_query = select(InvestmentPlan).where(InvestmentPlan.year == period.year)
    if ids is not None:
        plan_query = plan_query.where(col(InvestmentPlan.project_id).in_(wanted))
    plans = {p.project_id: p.amount for p in session.exec(plan_query)}

    report_query = (
        select(MonthlyReport)
        .where(MonthlyReport.period <= period)
        .where(MonthlyReport.period >= date(period.year - 1, 1, 1))
        .where(col(MonthlyReport.status).in_(COUNTED_REPORT_STATES))
        .order_by(MonthlyReport.project_id, MonthlyReport.period)
    )
    if ids is not None:
        report_query = report_query.where(col(MonthlyReport.project_id).in_(wanted))
    reports: dict[int, list[MonthlyReport]] = defaultdict(list)
    for r in session.exec(report_query):
        reports[r.project_id].append(r)

    months = [m for m in reporting_months(session, period) if m.year >= period.year - 1]
    out: list[ProjectStatus] = []
    for project, area, measure in rows:
        own = reports.get(project.id or 0, [])
        latest = own[-1] if own else None
        own, problems = _usable(own, plans.get(project.id or 0, Decimal("0")))
        this_year = [r for r in own if r.period.year == period.year]
        ytd = this_year[-1].completed_ytd if this_year else Decimal("0")
        total = own[-1].completed_total if own else Decimal("0")
        reported = latest is not None and latest.period == period
        missed = _missed(
            months, {r.period for r in reports.get(project.id or 0, [])}, project.planned_start
        )
        plan = usable_amount(plans.get(project.id or 0, Decimal("0"))) or Decimal("0")
        ms = [
            (
                m,
                milestone_status(
                    m.planned_date, m.actual_date, as_of, due_soon_days=thresholds.due_soon_days
                ),
            )
            for m in milestones.get(project.id or 0, [])
        ]
        rate = completion_rate(ytd, plan)
        facts = ProjectFacts(
            milestones=[s for _, s in ms],
            milestone_names=[m.name for m, _ in ms],
            rate=rate,
            time_progress=progress_of_year,
            missed_reports=missed,
            planned_start=project.planned_start,
            actual_start=project.actual_start,
        )
        light, reasons = traffic_light(facts, as_of, thresholds)
        out.append(
            ProjectStatus(
                project=project,
                area=area,
                measure=measure,
                milestones=ms,
                annual_plan=plan,
                completed_ytd=ytd,
                completed_total=total,
                progress=(own[-1].progress_pct / 100) if own else 0.0,
                rate=rate,
                gap_pp=gap_pp(rate, progress_of_year),
                light=light,
                reasons=reasons,
                missed_reports=missed,
                reported=reported,
                latest_report=latest,
                _as_of=as_of,
                data_problems=problems,
            )
        )
    return out


def _usable(reports: list[MonthlyReport], plan: object) -> tuple[list[MonthlyReport], list[str]]:
    """The reports whose figures can be computed with, and what the others (and the annual
    plan) hold that cannot: such a row is left out of every figure and reported (#12)."""
    usable, problems = [], []
    for report in reports:
        bad = unusable_figures(report)
        if bad:
            problems.append(f"{report.period.year}年{report.period.month}月月报：{'、'.join(bad)}")
        else:
            usable.append(report)
    if usable_amount(plan) is None:
        problems.append(f"年度计划投资（{shown(plan)}）")
    return usable, problems
