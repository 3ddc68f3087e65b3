"""The figures of the overview (总览): KPIs, totals by area and county, the monthly trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tracker.domain.periods import add_months, month_end, time_progress
from tracker.domain.places import PLACES
from tracker.domain.rollups import BY_AREA, BY_COUNTY, Rollup, rollup, summarize
from tracker.domain.rules import Thresholds
from tracker.models import MonthlyReport
from tracker.services.auth import Actor
from tracker.services.projects import ProjectFilter, filtered_statuses
from tracker.services.status import COUNTED_REPORT_STATES, reference_period

BEHIND_LIST = 10


@dataclass(frozen=True)
class MonthPoint:
    month: date  # first day
    completed: Decimal  # 本月完成投资, summed over the projects reported
    cumulative: Decimal  # year to date, summed
    expected: Decimal  # annual plan × 序时进度 at the month's end
    projects: int  # projects with a submitted report that month


@dataclass(frozen=True)
class BehindProject:
    id: int
    code: str
    name: str
    county: str
    gap_pp: float
    rate: float
    light: str


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


def _trend(
    session: Session, project_ids: list[int], period: date, annual_plan: Decimal
) -> list[MonthPoint]:
    first = date(period.year, 1, 1)
    sums: dict[date, Decimal] = defaultdict(Decimal)
    counts: dict[date, int] = defaultdict(int)
    if project_ids:
        rows = session.exec(
            select(MonthlyReport.period, MonthlyReport.completed_month).where(
                MonthlyReport.period >= first,
                MonthlyReport.period <= period,
                col(MonthlyReport.status).in_(COUNTED_REPORT_STATES),
                col(MonthlyReport.project_id).in_(project_ids),
            )
        )
        for month, amount in rows:
            sums[month] += amount
            counts[month] += 1
    points: list[MonthPoint] = []
    running = Decimal("0")
    month = first
    while month.year == period.year:
        if month <= period:
            running += sums[month]
        expected = (annual_plan * Decimal(str(time_progress(month_end(month))))).quantize(
            Decimal("0.01")
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
) -> OverviewData:
    """Everything the overview draws, for the projects that pass ``filters``."""
    period = reference_period(as_of)
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
    return OverviewData(
        as_of=as_of,
        period=period,
        time_progress=progress,
        total=total,
        by_area=rollup(figures, BY_AREA, progress),
        by_county=rollup(figures, BY_COUNTY, progress, order=PLACES),
        trend=_trend(session, [s.project.id or 0 for s in statuses], period, total.annual_plan),
        behind=[
            BehindProject(
                id=s.project.id or 0,
                code=s.project.code,
                name=s.project.name,
                county=s.project.county,
                gap_pp=s.gap_pp or 0.0,
                rate=s.rate or 0.0,
                light=s.light.value,
            )
            for s in behind
        ],
    )
