"""The figures of the overview (总览): KPIs, totals by area and county, the monthly trend."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.data_version import FrozenList
from tracker.domain.periods import add_months, month_end, time_progress
from tracker.domain.places import PLACES
from tracker.domain.rollups import BY_AREA, BY_COUNTY, Rollup, rollup, summarize
from tracker.domain.rules import Thresholds
from tracker.domain.schedule import due_amount, due_share, late_to_start
from tracker.models import MonthlyReport
from tracker.services import kept
from tracker.services.auth import Actor
from tracker.services.indicators import JUDGED_FROM, IndicatorsSummary, overview_summary
from tracker.services.landing import has_project_list
from tracker.services.permissions import require
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
V = TypeVar("V")


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


@dataclass(frozen=True)
class _TrendPart:
    """One project's part of the trend for a reporting month: what its plan asks by each
    month's end of the year (empty without a plan) and its counted reports' 本月完成投资 by
    month, up to that month."""

    expected: tuple[Decimal, ...]
    reported: tuple[tuple[date, Decimal, int], ...]  # (month, completed, reports)


# Each status's part, made once per status object: a status is frozen and is the same object
# in the next data version while nothing of its project changed (``project_statuses`` patches
# only the projects a write touched), and its reports are among what it is computed from.
# The entry goes with its status (the weak reference's callback).
_PARTS_MADE: dict[tuple[int, date], tuple[weakref.ref[ProjectStatus], _TrendPart]] = {}
PARTS_MADE_KEPT = 40_000  # a safety bound (entries leave with their statuses)


def _forget_part(key: tuple[int, date]) -> Callable[[object], None]:
    return lambda _ref: _PARTS_MADE.pop(key, None)


def _expected(status: ProjectStatus, year: int) -> tuple[Decimal, ...]:
    """What the project's own plan asks by each month's end of ``year`` (its monthly split,
    else its planned start and finish): the same 序时 the lights judge by."""
    if not status.annual_plan > 0:
        return ()
    out: list[Decimal] = []
    month = date(year, 1, 1)
    while month.year == year:
        share = due_share(
            month_end(month),
            year=year,
            monthly=status.plan_monthly,
            planned_start=status.project.planned_start,
            planned_finish=status.project.planned_finish,
        ).share
        out.append(due_amount(status.annual_plan, share))
        month = add_months(month, 1)
    return tuple(out)


def _reported(
    session: Session, project_ids: list[int], period: date
) -> dict[int, tuple[tuple[date, Decimal, int], ...]]:
    """The counted reports' 本月完成投资 of these projects by month, from January to ``period``."""
    sums: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    counts: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    if project_ids:
        # the figures as plain rows (``counted`` reads them as it reads a report)
        query = select(*(getattr(MonthlyReport, name) for name in REPORT_FIGURES)).where(
            MonthlyReport.period >= date(period.year, 1, 1),
            MonthlyReport.period <= period,
            col(MonthlyReport.status).in_((*COUNTED_REPORT_STATES, RETURNED)),
            col(MonthlyReport.project_id).in_(project_ids),
        )
        for report in session.execute(query):
            row = counted(report)
            if row is not None:
                sums[report.project_id][row.period] += row.completed_month
                counts[report.project_id][row.period] += 1
    return {
        pid: tuple((month, amount, counts[pid][month]) for month, amount in months.items())
        for pid, months in sums.items()
    }


def _trend_parts(session: Session, statuses: list[ProjectStatus], period: date) -> list[_TrendPart]:
    """Each status's part of the trend: from ``_PARTS_MADE``, the missing ones made."""
    parts: list[_TrendPart | None] = []
    missing: list[ProjectStatus] = []
    for s in statuses:
        made = _PARTS_MADE.get((id(s), period))
        if made is not None and made[0]() is s:
            parts.append(made[1])
        else:
            parts.append(None)
            missing.append(s)
    if not missing:
        return parts  # type: ignore[return-value]
    reported = _reported(session, [s.project.id or 0 for s in missing], period)
    if len(_PARTS_MADE) + len(missing) > PARTS_MADE_KEPT:
        _PARTS_MADE.clear()
    made_now: dict[int, _TrendPart] = {}
    for s in missing:
        part = _TrendPart(_expected(s, period.year), reported.get(s.project.id or 0, ()))
        key = (id(s), period)
        _PARTS_MADE[key] = (weakref.ref(s, _forget_part(key)), part)
        made_now[id(s)] = part
    return [
        made_now[id(s)] if part is None else part for s, part in zip(statuses, parts, strict=True)
    ]


def _trend(session: Session, statuses: list[ProjectStatus], period: date) -> list[MonthPoint]:
    sums: dict[date, Decimal] = defaultdict(Decimal)
    counts: dict[date, int] = defaultdict(int)
    expected = [Decimal("0")] * 12
    for part in _trend_parts(session, statuses, period):
        for month, amount, reports in part.reported:
            sums[month] += amount
            counts[month] += reports
        if part.expected:
            expected = [a + b for a, b in zip(expected, part.expected, strict=True)]
    points: list[MonthPoint] = []
    running = Decimal("0")
    month = date(period.year, 1, 1)
    while month.year == period.year:
        if month <= period:
            running += sums[month]
        points.append(
            MonthPoint(
                month=month,
                completed=sums[month] if month <= period else Decimal("0"),
                cumulative=running if month <= period else Decimal("0"),
                expected=expected[month.month - 1],
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
    return _overview(
        session,
        as_of=as_of,
        thresholds=thresholds,
        filters=filters,
        actor=actor,
        period=reference_period(session, as_of=as_of, settings=settings),
        # the statuses' own month (they read it without the settings)
        statuses_period=reference_period(session, as_of=as_of),
    )


def _overview(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    filters: ProjectFilter,
    actor: Actor | None,
    period: date,
    statuses_period: date,
) -> OverviewData:
    statuses = filtered_statuses(
        session,
        as_of=as_of,
        thresholds=thresholds,
        filters=filters,
        actor=actor,
        period=statuses_period,
    )
    key = (as_of, period, tuple(id(s) for s in statuses))
    with _SUMMED_LOCK:
        held = _SUMMED.get(key)
        if held is not None:
            _SUMMED.move_to_end(key)
    if held is not None and all(r() is s for r, s in zip(held[0], statuses, strict=True)):
        return held[1]  # the very same statuses (an id is only reused once its object is gone)
    data = _summed(session, statuses, as_of=as_of, period=period)
    with _SUMMED_LOCK:
        _SUMMED[key] = (tuple(weakref.ref(s) for s in statuses), data)
        while len(_SUMMED) > SUMMED_KEPT:
            _SUMMED.popitem(last=False)
    return data


# The figures of a list of statuses, by the statuses' identity: a status is frozen, and the
# same object while nothing of its project changed (``project_statuses``), its reports (the
# trend's) included; a county's page after a save elsewhere sums the same statuses.
_SUMMED: OrderedDict[tuple, tuple[tuple[weakref.ref[ProjectStatus], ...], OverviewData]] = (
    OrderedDict()
)
_SUMMED_LOCK = threading.Lock()
SUMMED_KEPT = 64


def _summed(
    session: Session, statuses: list[ProjectStatus], *, as_of: date, period: date
) -> OverviewData:
    """The overview's figures of ``statuses`` (its lists refuse changes: they may be shared)."""
    progress = time_progress(month_end(period))
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
        by_area=FrozenList(rollup(figures, BY_AREA, progress)),
        by_county=FrozenList(rollup(figures, BY_COUNTY, progress, order=PLACES)),
        trend=FrozenList(_trend(session, statuses, period)),
        behind=FrozenList(
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
        ),
        late_to_start=FrozenList(
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
        ),
    )


@dataclass(frozen=True)
class OverviewPage:
    """One render of the overview page: the figures, the lights' thresholds, the filter
    choices and whether the office has a project list yet (read in one session)."""

    data: OverviewData
    thresholds: Thresholds
    has_list: bool
    options: FilterOptions


# What ``_frame`` reads: a version whose writes touch none of these (a milestone's note or
# date, a report, a plan: per-project tables) leaves the frame as it was ("*": a write not
# traced to its table).
FRAME_READS = frozenset({"appsetting", "reportingperiod", "project", "area", "measure", "*"})


@dataclass(frozen=True)
class _Frame:
    """What the overview reads besides the statuses: the same for every reader on a day."""

    settings: Settings  # read with these (held: the key names them by identity)
    thresholds: Thresholds
    period: date  # the figures' month, by the settings' calendar
    statuses_period: date  # … and by the defaults' (what the statuses read by themselves)
    has_list: bool
    options: FilterOptions


def _read_frame(session: Session, as_of: date, settings: Settings) -> _Frame:
    return _Frame(
        settings=settings,
        thresholds=current_thresholds(session, settings),
        period=reference_period(session, as_of=as_of, settings=settings),
        statuses_period=reference_period(session, as_of=as_of),
        has_list=has_project_list(session),
        options=filter_options(session),
    )


def _frame(session: Session, as_of: date, settings: Settings) -> _Frame:
    """The frame under the session's data version, carried over versions that wrote none of
    ``FRAME_READS`` (a save to a project's milestones or reports, most of a meeting's
    writes, changes none of it)."""
    return kept.carried(
        session,
        "overview_frame",
        (as_of, id(settings)),
        FRAME_READS,
        lambda: _read_frame(session, as_of, settings),
        lambda frame: frame.settings is settings,
    )


def overview_indicators(session: Session, *, actor: Actor, as_of: date) -> IndicatorsSummary:
    """The overview's indicators block (``indicators.overview_summary``, the same for every
    reader who may see it), carried over versions that wrote none of its tables."""
    require(actor, "indicator.view")
    return kept.carried(
        session,
        "overview_indicators",
        as_of,
        JUDGED_FROM,
        lambda: overview_summary(session, actor=actor, as_of=as_of),
    )


def overview_page(
    session: Session,
    *,
    as_of: date,
    filters: ProjectFilter,
    actor: Actor | None = None,
    settings: Settings,
) -> OverviewPage:
    """The overview page for ``filters`` (a use case: ``read(overview_page, ...)``)."""
    frame = _frame(session, as_of, settings)
    return OverviewPage(
        data=_overview(
            session,
            as_of=as_of,
            thresholds=frame.thresholds,
            filters=filters,
            actor=actor,
            period=frame.period,
            statuses_period=frame.statuses_period,
        ),
        thresholds=frame.thresholds,
        has_list=frame.has_list,
        options=frame.options,
    )
