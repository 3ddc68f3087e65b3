"""Where every project stands on a day: figures, stage, its own 序时, milestone states, light
and reasons.

This is the one query the overview, the battle map, the project page and the bulletin
read from, so they never disagree.

A report the office returned for correction keeps counting with the figures it had when it
was returned (``MonthlyReport.accepted``) until it is resubmitted: a correction request is
not a missing report, and the project shows "退回修改" beside its light.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import literal, union_all
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import Settings
from tracker.data_version import FrozenList
from tracker.domain.inputs import (
    MAX_AMOUNT_CEILING,
    shown,
    unusable_figure_messages,
    usable_amount,
)
from tracker.domain.messages import Message, listing, msg
from tracker.domain.periods import month_end, month_start
from tracker.domain.reports import missed_reports
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
from tracker.domain.schedule import (
    DueBasis,
    Stage,
    StageFacts,
    due_amount,
    due_share,
    stage_of,
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
from tracker.services import approvals
from tracker.services.cycle import reference_period as cycle_reference_period

COUNTED_REPORT_STATES = ("submitted",)
RETURNED = "returned"


@dataclass(frozen=True)
class CountedReport:
    """A month's figures as the lights count them: a submitted report, or a returned one
    with the figures it had when it was returned."""

    period: date
    completed_month: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    progress_pct: float
    returned: bool
    report: Any  # the report (or the row of its figures) it was counted from


# what the lights count of a report, read as plain rows (``counted`` takes either)
REPORT_FIGURES = (
    "id",
    "project_id",
    "period",
    "status",
    "completed_month",
    "completed_ytd",
    "completed_total",
    "progress_pct",
    "accepted",
)


def _reports_by_id(session: Session, ids: list[int]) -> dict[int, Any]:
    """The reports with these ids, every column (as read-only rows), in chunks a database
    takes as parameters."""
    out: dict[int, Any] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        query = select(*MonthlyReport.__table__.c).where(col(MonthlyReport.id).in_(chunk))
        for report in _rows(session, query):
            out[report.id] = report
    return out


def counted(report: Any) -> CountedReport | None:
    """A report's figures as the lights count them (a MonthlyReport, or a row of
    ``REPORT_FIGURES``); None for a report that does not count."""
    if report.status in COUNTED_REPORT_STATES:
        return CountedReport(
            report.period,
            report.completed_month,
            report.completed_ytd,
            report.completed_total,
            report.progress_pct,
            False,
            report,
        )
    if report.status != RETURNED:
        return None
    kept = report.accepted or {}

    def amount(name: str) -> Decimal:
        value = kept.get(name, getattr(report, name))
        return Decimal(str(value)) if value is not None else Decimal("0")

    return CountedReport(
        report.period,
        amount("completed_month"),
        amount("completed_ytd"),
        amount("completed_total"),
        float(kept.get("progress_pct", report.progress_pct) or 0.0),
        True,
        report,
    )


@dataclass(frozen=True)
class ProjectStatus:
    """One project's status. ``project``, the milestones and ``latest_report`` are read-only
    rows of their tables (attributes named as the models'); the lists refuse changes (a
    status may be shared through the cache)."""

    project: Any  # a row of Project
    area: str
    measure: str
    milestones: list[tuple[Any, MilestoneStatus]]  # (a row of Milestone, its state)
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    progress: float  # 形象进度 0..1 from the latest report
    rate: float | None
    gap_pp: float | None  # against the project's own 序时 (its due share)
    light: Light
    reasons: list[Reason]
    missed_reports: int
    reported: bool  # a counted report exists for the period
    latest_report: Any | None = None  # a row of MonthlyReport
    due_share: float = 0.0  # the project's own 序时 at the end of the period
    due_basis: str = DueBasis.MONTHS.value
    stage: Stage = Stage.PREPARING
    returned: bool = False  # a report of the project is back with the reporter (退回修改)
    reported_progress: bool = False  # investment reported this year (复工)
    period: date = date.min
    plan_monthly: list | None = None  # the investment plan's 12-month split, if any
    figures: ProjectFigures = field(init=False)

    def __post_init__(self) -> None:
        p = self.project
        year_start = date(self._as_of.year, 1, 1)
        due = [m for m, _ in self.milestones if year_start <= m.baseline_date <= self._as_of]
        figures = ProjectFigures(
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
            due_amount=due_amount(self.annual_plan, self.due_share),
            stage=StageFacts(
                planned_start=p.planned_start,
                actual_start=p.actual_start,
                actual_finish=p.actual_finish,
                reported_progress=self.reported_progress,
            ),
            stage_code=self.stage.value,
            as_of=self._as_of,
        )
        object.__setattr__(self, "figures", figures)

    _as_of: date = field(default=date.min, repr=False)
    # stored values that could not be used (a legacy row, an old import): left out, reported
    problem_messages: list[Message] = field(default_factory=list)

    @property
    def data_problems(self) -> list[str]:
        """``problem_messages`` in Chinese (the bulletin, issued in Chinese)."""
        return [str(m) for m in self.problem_messages]

    @property
    def due_amount(self) -> Decimal:
        return self.figures.due_amount


def reference_period(session: Session, *, as_of: date, settings: Settings | None = None) -> date:
    """The month the figures read on ``as_of`` (``services.cycle.reference_period``)."""
    return cycle_reference_period(session, as_of=as_of, settings=settings)


def reporting_months(session: Session, period: date) -> list[tuple[date, date]]:
    """Periods the office ran reporting for, up to ``period`` (oldest first), as (first
    month covered, the period's month): January for a merged January–February period."""
    rows = session.exec(
        select(ReportingPeriod.period, ReportingPeriod.first_month)
        .where(ReportingPeriod.period <= period)
        .order_by(ReportingPeriod.period)
    ).all()
    return [(first or month, month) for month, first in rows]


SMALL_READ = 50  # fewer projects than this, not cached: computed alone, they cost little
# a worker keeps at most this many statuses (≈ 6.5 kB each: 130 MB): two whole plans of
# 10,000 projects, or the current version's few periods and filtered sets at 5,000
CACHED_STATUSES = 20_000


def project_statuses(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    period: date | None = None,
    project_ids: Iterable[int] | None = None,
    settings: Settings | None = None,
) -> list[ProjectStatus]:
    """Every project's status on ``as_of``, using reports up to ``period`` (default: the
    latest month due by ``as_of``). Ordered as the plan lists them.

    Kept per data version in the engine's cache (``tracker.data_version``): the statuses of
    the whole plan, from which any set of projects is picked; after a write, only the
    projects it changed are computed again (``_patched``). The statuses are frozen and their lists refuse changes; each call gets
    its own list."""
    # the data version, read before the data
    cache = data_version.reading(session, "project_statuses", CACHED_STATUSES)
    period = month_start(period or reference_period(session, as_of=as_of, settings=settings))
    ids = None if project_ids is None else list(project_ids)
    if cache is None:
        return list(_statuses(session, as_of=as_of, thresholds=thresholds, period=period, ids=ids))
    key = (as_of, period, thresholds)
    whole = cache.get(key)
    if whole is not None:
        return list(whole) if ids is None else _pick(whole, ids)
    # the whole plan (a set of projects is picked from it): from an older version's statuses
    # with the projects written since computed again, when the writes are known. Under load
    # a write lands between most reads: patching the one project a save wrote, once for all
    # the readers of the new version, costs less than a county's statuses computed afresh
    # for each of them.
    whole = _patched(session, cache, key)
    if whole is None:
        if ids is not None and len(ids) < SMALL_READ:  # a few projects, nothing to patch
            return list(
                _statuses(session, as_of=as_of, thresholds=thresholds, period=period, ids=ids)
            )
        whole = _statuses(session, as_of, thresholds, period, None)
    cache.put(key, whole, len(whole))
    return list(whole) if ids is None else _pick(whole, ids)


# What the statuses are read from (``_statuses``): a write to one of these tables, through the
# ORM, names the projects whose statuses it changes; a write to one of STATUS_WHOLE (or one
# not traced to its projects) may change any status; writes to other tables change none.
STATUS_PER_PROJECT = frozenset(
    {"milestone", "investmentplan", "monthlyreport", "projectstep", "steplink"}
)
STATUS_WHOLE = frozenset({"project", "area", "measure", "reportingperiod", "*"})
STATUS_READS = STATUS_PER_PROJECT | STATUS_WHOLE - {"*"}


def _patched(
    session: Session, cache: data_version.Reading, key: tuple[Any, ...]
) -> tuple[ProjectStatus, ...] | None:
    """The whole plan's statuses under ``cache``'s version from those of an older version
    this worker holds, the projects written since computed again (a save changes one
    project: at 5,000 projects this is a few ms, against ~0.6 s for all), or None when the
    writes since are not known project by project."""
    prior = cache.cache.latest(key)
    if prior is None:
        return None
    since, statuses = prior
    changed = data_version.changes_between(session.connection(), since, cache.version)
    if changed is None or not STATUS_WHOLE.isdisjoint(changed):
        return None
    projects: set[int] = set()
    for table in STATUS_PER_PROJECT & changed.keys():
        ids = changed[table]
        if ids is None:
            return None
        projects |= ids
    if not projects:
        return statuses
    as_of, period, thresholds = key
    fresh = {
        s.project.id: s for s in _statuses(session, as_of, thresholds, period, sorted(projects))
    }
    held = {s.project.id for s in statuses}
    if not held.issuperset(fresh):  # a project the older statuses do not have
        return None
    return tuple(fresh.get(s.project.id, s) for s in statuses)


def _pick(statuses: tuple[ProjectStatus, ...], ids: list[int]) -> list[ProjectStatus]:
    wanted = set(ids)
    return [s for s in statuses if s.project.id in wanted]


def _rows(session: Session, query: Any) -> list[Any]:
    """A query's rows as plain (read-only) rows, through Core: no ORM objects to build and
    track, nor the ORM's loading of each row (the session's pending changes are flushed
    first, as its own queries would)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(query).all()


def _milestones(session: Session, wanted: list[int] | None) -> dict[int, list[Any]]:
    query = select(*Milestone.__table__.c).order_by(Milestone.project_id, Milestone.seq)
    if wanted is not None:
        query = query.where(col(Milestone.project_id).in_(wanted))
    out: dict[int, list[Any]] = defaultdict(list)
    for m in _rows(session, query):
        out[m.project_id].append(m)
    return out


def _plans(session: Session, year: int, wanted: list[int] | None) -> dict[int, Any]:
    query = select(InvestmentPlan.project_id, InvestmentPlan.amount, InvestmentPlan.monthly)
    query = query.where(InvestmentPlan.year == year)
    if wanted is not None:
        query = query.where(col(InvestmentPlan.project_id).in_(wanted))
    return {p.project_id: p for p in _rows(session, query)}


def _counted_reports(
    session: Session, period: date, wanted: list[int] | None, correctable: set[date]
) -> tuple[dict[int, list[CountedReport]], set[int]]:
    """The reports that count, per project, up to ``period`` (from last January), and the
    projects with a return still pending (``correctable``: the months open or reopened)."""
    # the figures of every report as plain rows (ORM objects for 60,000 reports of 5,000
    # projects cost most of a bulletin's time)
    query = (
        select(*(getattr(MonthlyReport, name) for name in REPORT_FIGURES))
        .where(MonthlyReport.period >= date(period.year - 1, 1, 1))
        .where(col(MonthlyReport.status).in_((*COUNTED_REPORT_STATES, RETURNED)))
        .order_by(MonthlyReport.project_id, MonthlyReport.period)
    )
    if wanted is not None:
        query = query.where(col(MonthlyReport.project_id).in_(wanted))
    reports: dict[int, list[CountedReport]] = defaultdict(list)
    returned: set[int] = set()
    for r in _rows(session, query):
        _, project_id, month, status, done_month, done_ytd, done_total, progress, _ = r
        if status == RETURNED and month in correctable:
            returned.add(project_id)
        if month > period:
            continue
        row = (  # a submitted report counts as it stands (most of them: read straight off)
            CountedReport(month, done_month, done_ytd, done_total, progress, False, r)
            if status in COUNTED_REPORT_STATES
            else counted(r)
        )
        if row is not None:
            reports[project_id].append(row)
    return reports, returned


_PLACE_NAMES = union_all(
    select(literal("a").label("kind"), col(Area.id).label("id"), col(Area.name).label("name")),
    select(literal("m"), col(Measure.id), col(Measure.name)),
)
_PERIODS = select(
    ReportingPeriod.period, ReportingPeriod.first_month, ReportingPeriod.status
).order_by(ReportingPeriod.period)


def _statuses(
    session: Session,
    as_of: date,
    thresholds: Thresholds,
    period: date,
    ids: list[int] | None,
) -> tuple[ProjectStatus, ...]:
    """The statuses, computed from the database's rows (read as plain rows, not ORM
    objects: 25,000 of them at 5,000 projects cost most of the time)."""
    query = (
        select(*Project.__table__.c)
        .join(Area, col(Project.area_id) == Area.id)
        .join(Measure, col(Project.measure_id) == Measure.id)
        .order_by(Area.sort_order, Measure.sort_order, Project.sort_order, Project.id)
    )
    if ids is not None:
        query = query.where(col(Project.id).in_(ids))
    projects = _rows(session, query)
    wanted = None if ids is None else [p.id for p in projects]
    areas: dict[int, str] = {}
    measures: dict[int, str] = {}
    for kind, row_id, name in _rows(session, _PLACE_NAMES):  # both in one statement
        (areas if kind == "a" else measures)[row_id] = name
    milestones = _milestones(session, wanted)
    plans = _plans(session, period.year, wanted)
    # the periods, once: the months reported (``reporting_months``) and those still open
    # to correction (a return is pending only while its month can still be corrected)
    periods = _rows(session, _PERIODS)
    correctable = {month for month, _, state in periods if state in ("open", "reopened")}
    reports, returned = _counted_reports(session, period, wanted, correctable)
    latest_reports = _reports_by_id(session, [own[-1].report.id for own in reports.values()])
    months = [
        (first or month, month)
        for month, first, _ in periods
        if month <= period and month.year >= period.year - 1
    ]
    risks = approvals.start_risks(session, today=as_of, project_ids=wanted)
    context = _Context(as_of, thresholds, period, months, risks)
    return tuple(
        _status(
            context,
            project,
            area=areas[project.area_id],
            measure=measures[project.measure_id],
            milestones=milestones.get(project.id, []),
            plan_row=plans.get(project.id),
            reports=reports.get(project.id, []),
            latest_reports=latest_reports,
            returned=project.id in returned,
        )
        for project in projects
    )


@dataclass(frozen=True)
class _Context:
    as_of: date
    thresholds: Thresholds
    period: date
    months: list[tuple[date, date]]
    risks: dict[int, Any] = field(default_factory=dict)  # #17: project id -> StartRisk


def _status(
    context: _Context,
    project: Any,
    *,
    area: str,
    measure: str,
    milestones: list[Any],
    plan_row: Any,
    reports: list[CountedReport],
    latest_reports: dict[int, Any],
    returned: bool,
) -> ProjectStatus:
    """One project's status from its rows."""
    as_of, period = context.as_of, context.period
    figures_date = month_end(period)
    latest = reports[-1] if reports else None
    own, problems = _usable(reports, plan_row.amount if plan_row else Decimal("0"))
    this_year = [r for r in own if r.period.year == period.year]
    ytd = this_year[-1].completed_ytd if this_year else Decimal("0")
    total = own[-1].completed_total if own else Decimal("0")
    missed = missed_reports(
        context.months,
        {r.period for r in reports},
        begins=project.actual_start or project.planned_start,
        finished=project.actual_finish,
    )
    plan = usable_amount(plan_row.amount if plan_row else Decimal("0")) or Decimal("0")
    monthly = FrozenList(plan_row.monthly) if plan_row and plan_row.monthly is not None else None
    share = due_share(
        figures_date,
        year=period.year,
        monthly=monthly,
        planned_start=project.planned_start,
        planned_finish=project.planned_finish,
    )
    ms = FrozenList(
        (
            m,
            milestone_status(
                m.planned_date, m.actual_date, as_of, due_soon_days=context.thresholds.due_soon_days
            ),
        )
        for m in milestones
    )
    rate = completion_rate(ytd, plan)
    risk = context.risks.get(project.id)
    facts = ProjectFacts(
        milestones=[s for _, s in ms],
        milestone_names=[m.name for m, _ in ms],
        rate=rate,
        due_share=share.share,
        missed_reports=missed,
        planned_start=project.planned_start,
        actual_start=project.actual_start,
        figures_date=figures_date,
        start_risk_step=risk.step_name if risk else "",
        start_risk_days=risk.days_past if risk else 0,
        start_risk_latest=risk.latest if risk else None,
    )
    light, reasons = traffic_light(facts, as_of, context.thresholds)
    return ProjectStatus(
        project=project,
        area=area,
        measure=measure,
        milestones=ms,
        annual_plan=plan,
        completed_ytd=ytd,
        completed_total=total,
        progress=(own[-1].progress_pct / 100) if own else 0.0,
        rate=rate,
        gap_pp=gap_pp(rate, share.share) if share.share > 0 else None,
        light=light,
        reasons=FrozenList(reasons),
        missed_reports=missed,
        reported=latest is not None and latest.period == period,
        latest_report=latest_reports.get(latest.report.id) if latest else None,
        due_share=share.share,
        due_basis=share.basis.value,
        stage=stage_of(
            actual_start=project.actual_start, actual_finish=project.actual_finish, as_of=as_of
        ),
        returned=returned,
        reported_progress=ytd > 0,
        period=period,
        plan_monthly=monthly,
        _as_of=as_of,
        problem_messages=FrozenList(problems),
    )


def _plainly_usable(report: CountedReport) -> bool:
    """True only for figures ``unusable_figure_messages`` finds nothing in: amounts that are
    Decimals within 0..ceiling (a NaN raises in the comparison), a percentage within 0..100."""
    month, ytd, total = report.completed_month, report.completed_ytd, report.completed_total
    progress = report.progress_pct
    try:  # written out: this runs for every report of the year (60,000 at 5,000 projects)
        return (
            type(month) is Decimal
            and type(ytd) is Decimal
            and type(total) is Decimal
            and type(progress) is float
            and 0 <= month <= MAX_AMOUNT_CEILING
            and 0 <= ytd <= MAX_AMOUNT_CEILING
            and 0 <= total <= MAX_AMOUNT_CEILING
            and 0.0 <= progress <= 100.0
        )
    except ArithmeticError:
        return False


def _usable(
    reports: list[CountedReport], plan: object
) -> tuple[list[CountedReport], list[Message]]:
    """The reports whose figures can be computed with, and what the others (and the annual
    plan) hold that cannot: such a row is left out of every figure and reported (#12)."""
    usable: list[CountedReport] = []
    problems: list[Message] = []
    for report in reports:
        if _plainly_usable(report):  # nearly every report: the full check only for the rest
            usable.append(report)
            continue
        bad = unusable_figure_messages(report)
        if bad:
            problems.append(
                msg("status.unusable_report", period=report.period, figures=listing(bad))
            )
        else:
            usable.append(report)
    if usable_amount(plan) is None:
        problems.append(msg("status.unusable_plan", value=shown(plan)))
    return usable, problems
