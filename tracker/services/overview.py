"""The figures of the overview (总览): KPIs, totals by area and county, the monthly trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.periods import add_months, month_end, time_progress
from tracker.domain.places import PLACES
from tracker.domain.rollups import BY_AREA, BY_COUNTY, Rollup, rollup, summarize
from tracker.domain.rules import Thresholds
from tracker.domain.schedule import due_amount, due_share, late_to_start
from tracker.models import MonthlyReport
from tracker.services.auth import Actor
from tracker.services.landing import has_project_list
from tracker.services.policy import current_thresholds
from tracker.services.projects import (
    FilterOptions,
    ProjectFilter,
    filter_options,
    filtered_statuses,
)
from tracker.services.status import (
    COUNTED_REPORT_STATES,
    REPORT_FIGURES,
    RETURNED,
    ProjectStatus,
    counted,
    reference_period,
)

BEHIND_LIST = 10


@dataclass(frozen=True)
class MonthPoint:
    month: date  # first day
    completed: Decimal  # 本月完成投资, summed over the projects reported
    cumulative: Decimal  # year to date, summed
    expected: Decimal  # Σ each project's plan × its own 序时 at the month's end
    projects: int  # projects with a submitted report that month


@dataclass(frozen=True)
class BehindProject:
    id: int
    code: str
    name: str
    county: str
    gap_pp: float  # against the project's own 序时
    rate: float
    light: str
    due_share: float = 0.0  # the project's own 序时


@dataclass(frozen=True)
class LateProject:
    """应开未开: planned to have started by now, not started."""

    id: int
    code: str
    name: str
    county: str
    lead_unit: str
    planned_start: date | None
    days: int  # since the planned start


@dataclass(frozen=True)
class OverviewData:
    as_of: date
    period: date  # the reporting month the figures use
    time_progress: float  # 序时进度 at the end of ``period``
    total: Rollup
    by_area: list[Rollup]
    by_county: list[Rollup]
    trend: list[MonthPoint]
    behind: list[BehindProject]
    late_to_start: list[LateProject] = field(default_factory=list)


def _trend(session: Session, statuses: list[ProjectStatus], period: date) -> list[MonthPoint]:
    first = date(period.year, 1, 1)
    project_ids = [s.project.id or 0 for s in statuses]
    sums: dict[date, Decimal] = defaultdict(Decimal)
    counts: dict[date, int] = defaultdict(int)
    if project_ids:
        # the figures as plain rows (``counted`` reads them as it reads a report)
        query = select(*(getattr(MonthlyReport, name) for name in REPORT_FIGURES)).where(
            MonthlyReport.period >= first,
            MonthlyReport.period <= period,
            col(MonthlyReport.status).in_((*COUNTED_REPORT_STATES, RETURNED)),
            col(MonthlyReport.project_id).in_(project_ids),
        )
        for report in session.execute(query):
            row = counted(report)
            if row is not None:
                sums[row.period] += row.completed_month
                counts[row.period] += 1
    points: list[MonthPoint] = []
    running = Decimal("0")
    month = first
    while month.year == period.year:
        if month <= period:
            running += sums[month]
        # What the projects' own plans ask by the month's end (their monthly split, else
        # their planned start and finish): the same 序时 the lights judge by.
        expected = sum(
            (
                due_amount(
                    s.annual_plan,
                    due_share(
                        month_end(month),
                        year=period.year,
                        monthly=s.plan_monthly,
                        planned_start=s.project.planned_start,
                        planned_finish=s.project.planned_finish,
                    ).share,
                )
                for s in statuses
                if s.annual_plan > 0
            ),
            Decimal("0"),
        )
        points.append(
            MonthPoint(
                month=month,
                completed=sums[month] if month <= period else Decimal("0"),
                cumulative=running if month <= period else Decimal("0"),
                expected=expected,
                projects=counts[month],
            )
        )
        month = add_months(month, 1)
    return points


def overview(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    filters: ProjectFilter,
    actor: Actor | None = None,
    settings: Settings | None = None,
) -> OverviewData:
    """Everything the overview draws, for the projects that pass ``filters``."""
    period = reference_period(session, as_of=as_of, settings=settings)
    progress = time_progress(month_end(period))
    statuses = filtered_statuses(
        session, as_of=as_of, thresholds=thresholds, filters=filters, actor=actor
    )
    figures = [s.figures for s in statuses]
    total = summarize("total", figures, progress)
    behind = sorted(
        (s for s in statuses if s.gap_pp is not None and s.gap_pp < 0),
        key=lambda s: s.gap_pp or 0.0,
    )[:BEHIND_LIST]
    late = [s for s in statuses if late_to_start(s.figures.stage, as_of)] if statuses else []
    return OverviewData(
        as_of=as_of,
        period=period,
        time_progress=progress,
        total=total,
        by_area=rollup(figures, BY_AREA, progress),
        by_county=rollup(figures, BY_COUNTY, progress, order=PLACES),
        trend=_trend(session, statuses, period),
        behind=[
            BehindProject(
                id=s.project.id or 0,
                code=s.project.code,
                name=s.project.name,
                county=s.project.county,
                gap_pp=s.gap_pp or 0.0,
                rate=s.rate or 0.0,
                light=s.light.value,
                due_share=s.due_share,
            )
            for s in behind
        ],
        late_to_start=[
            LateProject(
                id=s.project.id or 0,
                code=s.project.code,
                name=s.project.name,
                county=s.project.county,
                lead_unit=s.project.lead_unit,
                planned_start=s.project.planned_start,
                days=(as_of - s.project.planned_start).days if s.project.planned_start else 0,
            )
            for s in sorted(late, key=lambda s: s.project.planned_start or as_of)
        ],
    )


@dataclass(frozen=True)
class OverviewPage:
    """One render of the overview page: the figures, the lights' thresholds, the filter
    choices and whether the office has a project list yet (read in one session)."""

    data: OverviewData
    thresholds: Thresholds
    has_list: bool
    options: FilterOptions


def overview_page(
    session: Session,
    *,
    as_of: date,
    filters: ProjectFilter,
    actor: Actor | None = None,
    settings: Settings,
) -> OverviewPage:
    """The overview page for ``filters`` (a use case: ``read(overview_page, ...)``)."""
    limits = current_thresholds(session, settings)
    return OverviewPage(
        data=overview(
            session,
            as_of=as_of,
            thresholds=limits,
            filters=filters,
            actor=actor,
            settings=settings,
        ),
        thresholds=limits,
        has_list=has_project_list(session),
        options=filter_options(session),
    )
