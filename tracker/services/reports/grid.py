"""The month's report grid: the actor's projects, their saved reports or last month's
prefill, and what each row may do (the page's read side)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import Settings
from tracker.domain.inputs import (
    usable_amount,
    usable_percent,
)
from tracker.domain.messages import Message
from tracker.domain.periods import month_end, month_start, today_in_shanghai
from tracker.domain.reports import (
    AMOUNT_FIELDS,
    TEXT_FIELDS,
    Carried,
    ReportValues,
    carried_forward,
    overwrite_allowed,
    unusable_notice,
)
from tracker.domain.rules import Light, Thresholds
from tracker.models import (
    AuditLog,
    InvestmentPlan,
    MonthlyReport,
    Project,
    ReportingPeriod,
)
from tracker.services.auth import Actor
from tracker.services.cycle import get_period, is_reportable
from tracker.services.errors import PermissionDenied
from tracker.services.permissions import can, is_scoped, may_somewhere, scope_field
from tracker.services.policy import get_thresholds
from tracker.services.status import STATUS_PER_PROJECT, STATUS_WHOLE, project_statuses


@dataclass(frozen=True)
class ReportLine:
    """A row of the report-entry grid (a saved report, or a prefill when ``report_id`` is None)."""

    project_id: int
    code: str
    name: str
    county: str
    lead_unit: str
    period: date
    report_id: int | None
    version: int  # 0 when nothing is saved yet: pass it back as ``seen_version``
    status: str  # new | draft | submitted | returned
    values: ReportValues
    carried: Carried
    editable: bool
    late: bool = False
    return_comment: str = ""
    submitted_at: datetime | None = None
    light: Light = Light.GREEN
    problems_required: bool = False
    annual_plan: Decimal = Decimal("0")
    # a stored value that cannot be used (a legacy row): what to re-enter (a catalogue message)
    notice: Message | str = ""
    # #19: what the status column needs beyond ``status`` (see domain.reports.report_state)
    returned_before: bool = False  # the office returned it at least once
    reworked: bool = False  # returned, and a draft has been saved since
    submitted_on: date | None = None  # the day (Asia/Shanghai) of the latest submission
    last_progress_text: str = ""  # #19: last month's 形象进度说明, to mark it until edited


# --- reading -------------------------------------------------------------------------------


def scoped_projects(session: Session, *, actor: Actor, period: date) -> list[Project]:
    """The projects ``actor`` reports for that are expected to report in ``period``."""
    if not may_somewhere(actor, "report.edit"):
        raise PermissionDenied("report.no_permission")
    first, last = month_start(period), month_end(period)
    query = select(Project).order_by(Project.sort_order, Project.id)
    scope = scope_field(actor) if is_scoped(actor, "report.edit") else None
    if scope is not None:  # only a narrower read: ``can`` below decides
        query = query.where(getattr(Project, scope) == (getattr(actor, scope) or ""))
    return [
        p
        for p in session.exec(query).all()
        if is_reportable(p, first, last) and can(actor, "report.edit", p)
    ]


def previous_report(session: Session, project_id: int, period: date) -> MonthlyReport | None:
    """The latest submitted report before ``period``."""
    return session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project_id)
        .where(MonthlyReport.period < month_start(period))
        .where(MonthlyReport.status == "submitted")
        .order_by(col(MonthlyReport.period).desc())
    ).first()


def carried_for(
    session: Session, project_id: int, period: date
) -> tuple[Carried, MonthlyReport | None]:
    """What last month's submitted report carries over. A legacy report whose totals cannot
    be used (inf, 1e27) carries nothing, so this month's figures can be entered afresh."""
    last = previous_report(session, project_id, period)
    project = session.get(Project, project_id) if last is None else None
    return _carried(project, period, last), last


def _carried(project: Project | None, period: date, last: MonthlyReport | None) -> Carried:
    """``carried_for`` from what it reads: the project (needed only without ``last``) and its
    latest submitted report before ``period``."""
    if last is None:
        # #11: a list's 截至上年底累计完成投资 opens 开工以来累计 for the project's first report
        opening = project.opening_total if project is not None else None
        if opening is not None and project is not None and project.opening_year == period.year:
            return Carried(total=opening)
        return Carried()
    ytd, total = usable_amount(last.completed_ytd), usable_amount(last.completed_total)
    if ytd is None or total is None:
        return Carried()
    return carried_forward(period, last.period, ytd, total)


def _values_of(report: MonthlyReport) -> tuple[ReportValues, Message | str]:
    """A saved report's values; a stored figure that cannot be used is left blank, and the
    notice says which one to enter again."""
    amounts = {name: usable_amount(getattr(report, name)) for name in AMOUNT_FIELDS}
    progress = usable_percent(report.progress_pct)
    bad = [(name, getattr(report, name)) for name in AMOUNT_FIELDS if amounts[name] is None]
    if progress is None:
        bad.append(("progress_pct", report.progress_pct))
    notice = unusable_notice(bad)
    return (
        ReportValues(
            progress_pct=progress,
            **amounts,
            **{name: getattr(report, name) for name in TEXT_FIELDS},
        ),
        notice,
    )


def prefill(carried: Carried, last: MonthlyReport | None) -> ReportValues:
    """Last month's text copied, running totals carried forward, this month's amount blank."""
    if last is None:
        return ReportValues()
    return ReportValues(
        completed_month=None,
        completed_ytd=carried.ytd,
        completed_total=carried.total,
        progress_pct=last.progress_pct,
        **{name: getattr(last, name) for name in TEXT_FIELDS},
    )


def _editable(
    office: bool, report: MonthlyReport | None, period: ReportingPeriod | _Month | None
) -> bool:
    """``office``: the actor may overwrite a submitted report (``_office``)."""
    if period is None or period.status != "open":
        return False
    return report is None or overwrite_allowed(report.status, office=office)


def _office(actor: Actor) -> bool:
    """The office may overwrite a submitted report (a lead asks it to return one)."""
    return can(actor, "report.overwrite")


def report_grid(
    session: Session, *, actor: Actor, period: date, today: date, settings: Settings
) -> list[ReportLine]:
    """The month's reports for the actor's projects, saved or prefilled from last month."""
    if not may_somewhere(actor, "report.edit"):
        raise PermissionDenied("report.no_permission")
    pairs = _plan_lines(session, period=month_start(period), today=today, settings=settings)
    office = int(_office(actor))
    scope = scope_field(actor) if is_scoped(actor, "report.edit") else None
    mine = (getattr(actor, scope) or "") if scope is not None else None
    return [
        pair[office]
        for pair in pairs
        if (scope is None or getattr(pair[0], scope) == mine) and can(actor, "report.edit", pair[0])
    ]


# What the lines are read from (``_lines``, and the statuses it takes the lights from), row
# by row: a write to one of these tables, traced to its projects (``tracker.data_version``),
# changes only those projects' lines. A write to one of LINES_WHOLE (the projects, their
# areas and measures, the periods) or one not traced ("*", or a table's rows not traced to
# projects) builds every line again. A write to any other table (a ledger item, a
# notification, a setting: the thresholds are in the key) changes no line.
LINES_PER_PROJECT = STATUS_PER_PROJECT | {"auditlog"}
LINES_WHOLE = STATUS_WHOLE
LINES_READS = LINES_PER_PROJECT | LINES_WHOLE - {"*"}
LINES_CACHE = "report_lines"
# a project's line as a county lead or lead unit sees it, and as the office does (the same
# object unless the office may edit what they may not: a submitted report)
Pair = tuple[ReportLine, ReportLine]


@dataclass(frozen=True)
class _Month:
    """What the lines read of the month's period (``_editable``): its status."""

    status: str


@dataclass(frozen=True)
class _Held:
    """The lines kept for a version, and the month's period they were read under (a patch
    reads it from here: a write to the periods builds every line again)."""

    lines: tuple[Pair, ...]
    month: _Month | None


_READ = object()  # ``_lines`` reads the period itself


def _plan_lines(
    session: Session, *, period: date, today: date, settings: Settings
) -> tuple[Pair, ...]:
    """Every reportable project's line for ``period``, kept per data version in the engine's
    cache; after a write, only the lines of the projects it changed are read again
    (``_patched_lines``). The lines are frozen."""
    cache = data_version.reading(session, LINES_CACHE)  # the version, read before the data
    thresholds, _ = get_thresholds(session, settings)
    given = {"period": period, "today": today, "thresholds": thresholds}
    if cache is None:
        return _lines(session, None, **given)
    key = (period, today, thresholds)
    held = cache.get(key)
    if held is None:
        held = _patched_lines(session, cache, key, given)
        if held is None:
            row = get_period(session, period)
            month = None if row is None else _Month(row.status)
            held = _Held(_lines(session, None, month=month, **given), month)
        cache.put(key, held)
    return held.lines


def _patched_lines(
    session: Session, cache: data_version.Reading, key: tuple, given: dict
) -> _Held | None:
    """The lines under ``cache``'s version from those of an older version this worker holds,
    the lines of the projects written since read again (writes to tables the lines do not
    read change none); None when the writes since are not known project by project, or
    touch what every line reads."""
    prior = cache.cache.latest(key)
    if prior is None:
        return None
    since, kept = prior
    lines = kept.lines
    changed = data_version.changes_between(session.connection(), since, cache.version)
    if changed is None or not LINES_WHOLE.isdisjoint(changed):
        return None
    touched: set[int] = set()
    for table in LINES_PER_PROJECT & changed.keys():
        ids = changed[table]
        if ids is None:
            return None
        touched |= ids
    held = {pair[0].project_id for pair in lines}
    touched &= held
    if not touched:
        return kept
    fresh = {
        pair[0].project_id: pair
        for pair in _lines(session, sorted(touched), month=kept.month, **given)
    }
    if fresh.keys() != touched:  # a project no longer reportable: only a project write does it
        return None
    return _Held(tuple(fresh.get(pair[0].project_id, pair) for pair in lines), kept.month)


def _lines(
    session: Session,
    wanted: list[int] | None,
    *,
    period: date,
    today: date,
    thresholds: Thresholds,
    month: _Month | ReportingPeriod | None | object = _READ,
) -> tuple[Pair, ...]:
    """The lines of the reportable projects among ``wanted`` (None: all), as the plan lists
    them, each as a lead and as the office sees it; ``month``: the month's period when the
    caller has it (else read here)."""
    first, last_day = month_start(period), month_end(period)
    # each project with its report for the month, its plan for the year and its latest
    # submitted report before the month (``previous_report``), in one query (a project and
    # month make one report, a project and year one plan)
    earlier = aliased(MonthlyReport)
    latest = (
        select(func.max(MonthlyReport.period))
        .where(col(MonthlyReport.project_id) == col(Project.id))
        .where(col(MonthlyReport.period) < first)
        .where(MonthlyReport.status == "submitted")
        .correlate(Project)
        .scalar_subquery()
    )
    query = (
        select(Project, MonthlyReport, InvestmentPlan.amount, earlier)
        .outerjoin(
            MonthlyReport,
            and_(
                col(MonthlyReport.project_id) == col(Project.id),
                col(MonthlyReport.period) == period,
            ),
        )
        .outerjoin(
            InvestmentPlan,
            and_(
                col(InvestmentPlan.project_id) == col(Project.id),
                col(InvestmentPlan.year) == period.year,
            ),
        )
        .outerjoin(
            earlier,
            and_(earlier.project_id == col(Project.id), earlier.period == latest),
        )
        .order_by(Project.sort_order, Project.id)
    )
    if wanted is not None:
        query = query.where(col(Project.id).in_(wanted))
    found = [row for row in session.exec(query).all() if is_reportable(row[0], first, last_day)]
    projects = [row[0] for row in found]
    reports = {row[0].id or 0: row[1] for row in found if row[1] is not None}
    plans = {row[0].id or 0: row[2] for row in found}
    previous = {row[0].id or 0: row[3] for row in found if row[3] is not None}
    # the whole plan's statuses: kept per data version and patched after a write (a few
    # projects' statuses read alone would be computed afresh at every read)
    lights = {
        s.project.id: s.light for s in project_statuses(session, as_of=today, thresholds=thresholds)
    }
    row = get_period(session, period) if month is _READ else month
    reworked = _drafted_since_return(
        session, [r.id or 0 for r in reports.values() if r.status == "returned"]
    )
    lines: list[Pair] = []
    for project in projects:
        pid = project.id or 0
        last = previous.get(pid)
        carried = _carried(project, period, last)
        report = reports.get(pid)
        values, notice = _values_of(report) if report else (prefill(carried, last), "")
        light = lights.get(pid, Light.GREEN)
        line = ReportLine(
            project_id=pid,
            code=project.code,
            name=project.name,
            county=project.county,
            lead_unit=project.lead_unit,
            period=period,
            report_id=report.id if report else None,
            version=report.version if report else 0,
            status=report.status if report else "new",
            values=values,
            carried=carried,
            editable=_editable(False, report, row),
            late=report.late if report else False,
            return_comment=report.return_comment if report else "",
            submitted_at=report.submitted_at if report else None,
            light=light,
            problems_required=light is Light.RED,
            annual_plan=usable_amount(plans.get(pid)) or Decimal("0"),
            notice=notice,
            returned_before=report is not None and report.accepted is not None,
            reworked=report is not None and (report.id or 0) in reworked,
            submitted_on=(
                today_in_shanghai(report.submitted_at) if report and report.submitted_at else None
            ),
            last_progress_text=(last.progress_text or "") if last is not None else "",
        )
        as_office = _editable(True, report, row)
        lines.append(
            (line, line if as_office == line.editable else replace(line, editable=as_office))
        )
    return tuple(lines)


def _drafted_since_return(session: Session, report_ids: list[int]) -> set[int]:
    """Returned reports whose latest change is a draft saved by the lead (being reworked)."""
    if not report_ids:
        return set()
    latest: dict[int, str] = {}
    for entity_id, action in session.exec(
        select(AuditLog.entity_id, AuditLog.action)
        .where(AuditLog.entity == "monthlyreport")
        .where(col(AuditLog.entity_id).in_(report_ids))
        .where(col(AuditLog.action).in_(("report.draft", "report.return", "report.submit")))
        .order_by(col(AuditLog.id))
    ).all():
        latest[entity_id or 0] = action
    return {rid for rid, action in latest.items() if action == "report.draft"}
