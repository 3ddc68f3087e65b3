"""Monthly report entry: the grid of an actor's projects, drafts, submission, the office's
return, the offline Excel form, and the lock at the period's close.

Scope: a county lead reports for the projects of their county, a lead-unit account for its
unit's, the office for all. Saves are versioned (``UPDATE … WHERE version = :seen``) and
audited. Submissions after the due day are flagged late; a closed period refuses every edit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.cycle import is_late
from tracker.domain.inputs import (
    AMOUNT_CEILING,
    ValueRefused,
    check_amount,
    check_text,
    parse_id,
    parse_percent,
    usable_amount,
    usable_percent,
)
from tracker.domain.periods import SHANGHAI, month_end, month_start
from tracker.domain.reports import (
    Carried,
    FieldProblem,
    carried_forward,
    check_figures,
    stale_progress_text,
)
from tracker.domain.rules import (
    RULES_BY_CODE,
    Light,
    ProjectFacts,
    completion_rate,
    gap_pp,
    grade,
    investment_due,
)
from tracker.domain.schedule import due_share
from tracker.excel.cells import safe_text
from tracker.excel.report_form import (
    FilledRow,
    FormRow,
    ReportForm,
    error,
    parse_report_form,
    report_form_workbook,
)
from tracker.excel.rows import RowError
from tracker.models import (
    AuditLog,
    InvestmentPlan,
    MonthlyReport,
    Project,
    ReportingPeriod,
    User,
    utcnow,
)
from tracker.services import audit, ledger, notify
from tracker.services.auth import Actor
from tracker.services.cycle import PeriodLocked, get_period, is_reportable, require_open
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import can, require
from tracker.services.policy import get_thresholds
from tracker.services.status import project_statuses

TEXT_FIELDS = (
    "progress_text",
    "milestone_status",
    "problems",
    "next_steps",
    "coordination",
    "reporter",
)
FIGURE_FIELDS = ("completed_month", "completed_ytd", "completed_total", "progress_pct")
OFFICE_ROLES = ("admin", "system")


@dataclass(frozen=True)
class ReportValues:
    """What a person enters for a project's month. ``completed_ytd`` / ``completed_total`` left
    as None are computed as last month's figure + this month's."""

    completed_month: Decimal | None = None
    completed_ytd: Decimal | None = None
    completed_total: Decimal | None = None
    progress_pct: float | None = None
    progress_text: str = ""
    milestone_status: str = ""
    problems: str = ""
    next_steps: str = ""
    coordination: str = ""
    reporter: str = ""


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
    notice: str = ""  # a stored value that cannot be used (a legacy row): what to re-enter
    # #19: what the status column needs beyond ``status`` (see domain.reports.report_state)
    returned_before: bool = False  # the office returned it at least once
    reworked: bool = False  # returned, and a draft has been saved since
    submitted_on: date | None = None  # the day (Asia/Shanghai) of the latest submission
    last_progress_text: str = ""  # #19: last month's 形象进度说明, to mark it until edited


@dataclass
class FormResult:
    """An uploaded form: what was saved, or why nothing was."""

    saved: int = 0
    skipped: int = 0  # rows left blank (本月完成投资 empty): not reported in this upload
    unchanged: int = 0  # rows identical to what is stored, e.g. already submitted: 未变更
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # values read after normalising

    @property
    def ok(self) -> bool:
        return not self.errors


class ReportInvalid(InvalidInput):
    """A report that fails its checks; ``problems`` says which field and why."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


# --- reading -------------------------------------------------------------------------------


def scoped_projects(session: Session, *, actor: Actor, period: date) -> list[Project]:
    """The projects ``actor`` reports for that are expected to report in ``period``."""
    if actor.role not in (*OFFICE_ROLES, "county", "unit"):
        raise PermissionDenied("没有填报月报的权限")
    first, last = month_start(period), month_end(period)
    query = select(Project).order_by(Project.sort_order, Project.id)
    if actor.role == "county":
        query = query.where(Project.county == (actor.county or ""))
    elif actor.role == "unit":
        query = query.where(Project.lead_unit == (actor.lead_unit or ""))
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
    if last is None:
        # #11: a list's 截至上年底累计完成投资 opens 开工以来累计 for the project's first report
        project = session.get(Project, project_id)
        opening = project.opening_total if project is not None else None
        if opening is not None and project is not None and project.opening_year == period.year:
            return Carried(total=opening), None
        return Carried(), None
    ytd, total = usable_amount(last.completed_ytd), usable_amount(last.completed_total)
    if ytd is None or total is None:
        return Carried(), last
    return carried_forward(period, last.period, ytd, total), last


AMOUNT_LABELS = {
    "completed_month": "本月完成投资",
    "completed_ytd": "年度累计完成投资",
    "completed_total": "开工以来累计完成投资",
}


def _values_of(report: MonthlyReport) -> tuple[ReportValues, str]:
    """A saved report's values; a stored figure that cannot be used is left blank, and the
    notice says which one to enter again."""
    amounts = {name: usable_amount(getattr(report, name)) for name in AMOUNT_LABELS}
    progress = usable_percent(report.progress_pct)
    bad = [
        f"{label}（{getattr(report, name)}）"
        for name, label in AMOUNT_LABELS.items()
        if amounts[name] is None
    ]
    if progress is None:
        bad.append(f"形象进度（{report.progress_pct}）")
    notice = f"原存储的{'、'.join(bad)}无法使用，请重新填写" if bad else ""
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


def _editable(actor: Actor, report: MonthlyReport | None, period: ReportingPeriod | None) -> bool:
    if period is None or period.status != "open":
        return False
    if report is None or report.status in {"draft", "returned"}:
        return True
    return actor.role in OFFICE_ROLES


def report_grid(
    session: Session, *, actor: Actor, period: date, today: date, settings: Settings
) -> list[ReportLine]:
    """The month's reports for the actor's projects, saved or prefilled from last month."""
    period = month_start(period)
    projects = scoped_projects(session, actor=actor, period=period)
    ids = [p.id or 0 for p in projects]
    reports = {
        r.project_id: r
        for r in session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == period)
            .where(col(MonthlyReport.project_id).in_(ids))
        ).all()
    }
    plans = _plans(session, ids, period.year)
    thresholds, _ = get_thresholds(session, settings)
    lights = {
        s.project.id: s.light
        for s in project_statuses(session, as_of=today, thresholds=thresholds, project_ids=ids)
    }
    row = get_period(session, period)
    reworked = _drafted_since_return(
        session, [r.id or 0 for r in reports.values() if r.status == "returned"]
    )
    lines: list[ReportLine] = []
    for project in projects:
        pid = project.id or 0
        carried, last = carried_for(session, pid, period)
        report = reports.get(pid)
        values, notice = _values_of(report) if report else (prefill(carried, last), "")
        light = lights.get(pid, Light.GREEN)
        lines.append(
            ReportLine(
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
                editable=_editable(actor, report, row),
                late=report.late if report else False,
                return_comment=report.return_comment if report else "",
                submitted_at=report.submitted_at if report else None,
                light=light,
                problems_required=light is Light.RED,
                annual_plan=usable_amount(plans.get(pid)) or Decimal("0"),
                notice=notice,
                returned_before=report is not None and report.accepted is not None,
                reworked=report is not None and (report.id or 0) in reworked,
                submitted_on=_local_day(report.submitted_at) if report else None,
                last_progress_text=(last.progress_text or "") if last is not None else "",
            )
        )
    return lines


def _local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(SHANGHAI).date()


def _moment_on(today: date) -> datetime:
    """Now, on the day the service was given: a submission's time agrees with the day its
    lateness is judged on (the same moment in production; the pinned day in tests)."""
    now = utcnow()
    local = now.astimezone(SHANGHAI)
    if local.date() == today:
        return now
    return datetime.combine(today, local.time(), SHANGHAI).astimezone(UTC)


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


def _plans(session: Session, ids: list[int], year: int) -> dict[int, Decimal]:
    return {
        p.project_id: p.amount
        for p in session.exec(
            select(InvestmentPlan)
            .where(InvestmentPlan.year == year)
            .where(col(InvestmentPlan.project_id).in_(ids))
        ).all()
    }


# --- writing -------------------------------------------------------------------------------


def _project(session: Session, actor: Actor, project_id: int, period: date) -> Project:
    """The project to report on: it must exist, be in the actor's scope and be due to report
    in ``period`` (a project outside the month's grid is refused like a forged one)."""
    key = parse_id(project_id)
    project = session.get(Project, key) if key else None
    if project is None:
        raise NotFound("项目不存在")
    require(actor, "report.edit", project)
    if not is_reportable(project, month_start(period), month_end(period)):
        raise PermissionDenied(
            f"项目 {project.code} 在{period.year}年{period.month}月无需填报（不在本月填报范围内）"
        )
    return project


def _complete(values: ReportValues, carried: Carried) -> ReportValues:
    """Fill the running totals left blank from last month's + this month's amount."""
    month = values.completed_month
    if month is None:
        return values
    return replace(
        values,
        completed_ytd=values.completed_ytd
        if values.completed_ytd is not None
        else carried.ytd + month,
        completed_total=(
            values.completed_total if values.completed_total is not None else carried.total + month
        ),
    )


def _checked(
    values: ReportValues, ceiling: Decimal = AMOUNT_CEILING
) -> tuple[ReportValues, list[FieldProblem]]:
    """Every value through the input value rules (tracker.domain.inputs): amounts finite,
    ≥ 0, ≤ the ceiling, two decimals; progress 0–100; text within its length and free of
    control characters. A refused value is blanked and named in the problems."""
    problems: list[FieldProblem] = []
    cleaned: dict[str, object] = {}
    for name, label in AMOUNT_LABELS.items():
        value = getattr(values, name)
        if value is None:
            continue
        try:
            cleaned[name] = check_amount(value, label=label, ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, str(refusal)))
            cleaned[name] = None
    if values.progress_pct is not None:
        try:
            cleaned["progress_pct"] = parse_percent(values.progress_pct, label="形象进度").value
        except ValueRefused as refusal:
            problems.append(FieldProblem("progress_pct", str(refusal)))
            cleaned["progress_pct"] = None
    for name in TEXT_FIELDS:
        try:
            cleaned[name] = check_text(getattr(values, name), f"report.{name}")
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, str(refusal)))
            cleaned[name] = ""
    return replace(values, **cleaned), problems  # type: ignore[arg-type]


def _clean_text(values: ReportValues, ceiling: Decimal = AMOUNT_CEILING) -> ReportValues:
    """The values through the input value rules; ``ReportInvalid`` names every bad field."""
    cleaned, problems = _checked(values, ceiling)
    if problems:
        raise ReportInvalid(problems)
    return cleaned


def _ceiling(settings: Settings) -> Decimal:
    try:
        return Decimal(settings.AMOUNT_MAX_WAN)
    except AttributeError:  # settings made before the ceiling existed
        return AMOUNT_CEILING


def check_submission(
    session: Session,
    *,
    project: Project,
    period: date,
    values: ReportValues,
    carried: Carried,
    today: date,
    settings: Settings,
) -> list[FieldProblem]:
    """Every check a submission must pass (figures, required text, problems when red)."""
    problems = check_figures(
        completed_month=values.completed_month,
        completed_ytd=values.completed_ytd,
        completed_total=values.completed_total,
        progress_pct=values.progress_pct,
        carried=carried,
        ceiling=_ceiling(settings),
    )
    if not values.progress_text:
        problems.append(FieldProblem("progress_text", "请填写形象进度说明"))
    else:
        last = previous_report(session, project.id or 0, period)
        if last is not None and stale_progress_text(
            text=values.progress_text,
            last_text=last.progress_text,
            completed_total=values.completed_total,
            progress_pct=values.progress_pct,
            last_total=usable_amount(last.completed_total),
            last_pct=usable_percent(last.progress_pct),
        ):
            problems.append(
                FieldProblem(
                    "progress_text",
                    "仍是上月的说明，其中的数字与本月填报的投资或形象进度不符，"
                    "请按本月情况修改后再报送",
                    code="stale_progress_text",
                )
            )
    if not values.reporter:
        problems.append(FieldProblem("reporter", "请填写填报人"))
    if not values.problems and _is_red(session, project, period, values, today, settings):
        problems.append(
            FieldProblem("problems", "该项目为红灯项目（或本月投资严重滞后），须填写存在问题")
        )
    return problems


def _is_red(
    session: Session,
    project: Project,
    period: date,
    values: ReportValues,
    today: date,
    settings: Settings,
) -> bool:
    thresholds, _ = get_thresholds(session, settings)
    status = project_statuses(
        session, as_of=today, thresholds=thresholds, project_ids=[project.id or 0]
    )
    if status and status[0].light is Light.RED:
        return True
    if values.completed_ytd is None or not status:
        return False
    # The figures being submitted, against the project's own 序时 at the month's end.
    facts = ProjectFacts(
        milestones=[],
        rate=completion_rate(values.completed_ytd, status[0].annual_plan),
        due_share=due_share(
            month_end(period),
            year=period.year,
            monthly=status[0].plan_monthly,
            planned_start=project.planned_start,
            planned_finish=project.planned_finish,
        ).share,
        planned_start=project.planned_start,
        figures_date=month_end(period),
    )
    gap = gap_pp(facts.rate, facts.due_share)
    if not investment_due(facts, month_end(period)) or gap is None or gap >= 0:
        return False
    return grade(-gap, RULES_BY_CODE["behind_time_progress"], thresholds) is Light.RED


def _write(
    session: Session,
    *,
    actor: Actor,
    project: Project,
    period: date,
    values: ReportValues,
    seen_version: int,
    status: str,
    extra: dict,
    action: str,
) -> MonthlyReport:
    """Insert (seen_version 0) or update under the version check, and audit the change."""
    if parse_id(seen_version) is None:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    existing = session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project.id)
        .where(MonthlyReport.period == period)
    ).first()
    fields = {
        "completed_month": values.completed_month or Decimal("0"),
        "completed_ytd": values.completed_ytd or Decimal("0"),
        "completed_total": values.completed_total or Decimal("0"),
        "progress_pct": float(values.progress_pct or 0.0),
        **{name: getattr(values, name) for name in TEXT_FIELDS},
        "status": status,
        "reporter_id": actor.id,
        "updated_at": utcnow(),
        **extra,
    }
    if existing is None:
        if seen_version != 0:
            raise ConflictError("该月报已被删除或不存在，请刷新后重试")
        report = MonthlyReport(project_id=project.id or 0, period=period, **fields)
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
        except IntegrityError as exc:
            raise ConflictError("该月报刚由他人保存，请刷新后重试") from exc
        audit.record(
            session, actor, action, "monthlyreport", report.id, None, audit.snapshot(report)
        )
        return report
    if seen_version != existing.version:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    before = audit.snapshot(existing)
    updated = session.execute(
        update(MonthlyReport)
        .where(col(MonthlyReport.id) == existing.id)
        .where(col(MonthlyReport.version) == seen_version)
        .values(**fields, version=seen_version + 1)
    ).rowcount
    if updated != 1:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    session.refresh(existing)
    audit.record(
        session, actor, action, "monthlyreport", existing.id, before, audit.snapshot(existing)
    )
    return existing


def _guard_edit(session: Session, actor: Actor, project: Project, period: date) -> ReportingPeriod:
    row = require_open(session, period)
    current = session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project.id)
        .where(MonthlyReport.period == row.period)
    ).first()
    if current is not None and current.status == "submitted" and actor.role not in OFFICE_ROLES:
        raise InvalidInput("月报已报送，不能再修改；如需更正请联系示范区建设办公室退回")
    return row


def save_draft(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    period: date,
    values: ReportValues,
    seen_version: int,
    today: date,
    settings: Settings,
) -> MonthlyReport:
    """Save without submitting (no completeness checks, but no negative or impossible numbers)."""
    period = month_start(period)
    project = _project(session, actor, project_id, period)
    _guard_edit(session, actor, project, period)
    carried, _ = carried_for(session, project.id or 0, period)
    values = _complete(_clean_text(values, _ceiling(settings)), carried)
    current = session.exec(
        select(MonthlyReport.status)
        .where(MonthlyReport.project_id == project.id)
        .where(MonthlyReport.period == period)
    ).first()
    status = current if current in {"returned", "submitted"} else "draft"
    return _write(
        session,
        actor=actor,
        project=project,
        period=period,
        values=values,
        seen_version=seen_version,
        status=status,
        extra={},
        action="report.draft",
    )


def submit_report(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    period: date,
    values: ReportValues,
    seen_version: int,
    today: date,
    settings: Settings,
    now: datetime | None = None,
) -> MonthlyReport:
    """Check and submit; flagged late after the due day; raises the ledger items."""
    period = month_start(period)
    project = _project(session, actor, project_id, period)
    row = _guard_edit(session, actor, project, period)
    carried, _ = carried_for(session, project.id or 0, period)
    values = _complete(_clean_text(values, _ceiling(settings)), carried)
    problems = check_submission(
        session,
        project=project,
        period=period,
        values=values,
        carried=carried,
        today=today,
        settings=settings,
    )
    if problems:
        raise ReportInvalid(problems)
    current = session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project.id)
        .where(MonthlyReport.period == period)
    ).first()
    first_submission = current is None or current.submitted_at is None
    extra = {"submitted_at": now or _moment_on(today), "return_comment": ""}
    if first_submission:
        # Lateness is the first submission's: a report the office returns stays on time.
        extra["late"] = is_late(today, row.due_on)
    red = _is_red(session, project, period, values, today, settings)
    report = _write(
        session,
        actor=actor,
        project=project,
        period=period,
        values=values,
        seen_version=seen_version,
        status="submitted",
        extra=extra,
        action="report.submit",
    )
    ledger.sync_from_report(
        session,
        actor=actor,
        report=report,
        project=project,
        today=today,
        settings=settings,
        red=red,
    )
    return report


def return_report(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    period: date,
    comment: str,
    seen_version: int,
    today: date,
    settings: Settings | None = None,
) -> MonthlyReport:
    """The office sends a submitted report back with a comment; the lead edits and resubmits.

    With ``settings``, whoever reported it (else the accounts whose scope holds the project)
    is told through the outbox in the same transaction."""
    period = month_start(period)
    key = parse_id(project_id)
    project = session.get(Project, key) if key else None
    if project is None:
        raise NotFound("项目不存在")
    require(actor, "report.return", project)
    require_open(session, period)
    if not str(comment or "").strip():
        raise InvalidInput("退回须写明原因")
    try:
        comment = check_text(comment, "report.return_comment")
    except ValueRefused as refusal:
        raise InvalidInput(str(refusal)) from None
    if parse_id(seen_version) is None:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    report = session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project_id)
        .where(MonthlyReport.period == period)
    ).first()
    if report is None or report.status != "submitted":
        raise InvalidInput("只能退回已报送的月报")
    if report.version != seen_version:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    before = audit.snapshot(report)
    updated = session.execute(
        update(MonthlyReport)
        .where(col(MonthlyReport.id) == report.id)
        .where(col(MonthlyReport.version) == seen_version)
        .values(
            status="returned",
            return_comment=comment,
            # #10: judged on these until resubmitted (a return is not a missing report)
            accepted={name: str(getattr(report, name)) for name in FIGURE_FIELDS},
            version=seen_version + 1,
            updated_at=utcnow(),
        )
    ).rowcount
    if updated != 1:
        raise ConflictError("该月报已被他人修改，请刷新后重试（您看到的是旧版本）")
    session.refresh(report)
    audit.record(
        session, actor, "report.return", "monthlyreport", report.id, before, audit.snapshot(report)
    )
    if settings is not None:
        for user in _reporters_of(session, project, report):
            notify.notify_user(
                session,
                user=user,
                reason=REPORT_RETURNED,
                day=today,
                subject=f"{period.year}年{period.month}月月报被退回：{project.code} {project.name}",
                body=(
                    f"{period.year}年{period.month}月月报：{project.code} {project.name}\n"
                    f"退回原因：{comment}"
                ),
                settings=settings,
                event=f"report:{report.id}:v{report.version}",  # each return is its own notice
            )
    return report


REPORT_RETURNED = "report_returned"


def _reporters_of(session: Session, project: Project, report: MonthlyReport) -> list[User]:
    """Who should hear about a returned report: its reporter, else the project's accounts."""
    if report.reporter_id is not None:
        user = session.get(User, report.reporter_id)
        if user is not None and user.active:
            return [user]
    return list(
        session.exec(
            select(User)
            .where(col(User.active))
            .where(
                ((User.role == "county") & (User.county == project.county))
                | ((User.role == "unit") & (User.lead_unit == project.lead_unit))
            )
        )
    )


# --- the offline Excel form -----------------------------------------------------------------


def report_form(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    county: str | None = None,
) -> bytes:
    """The actor's (or, for the office, one county's) prefilled form as .xlsx bytes."""
    period = month_start(period)
    row = get_period(session, period)
    if row is None:
        raise NotFound(f"没有{period.year}年{period.month}月的调度期")
    lines = report_grid(session, actor=actor, period=period, today=today, settings=settings)
    if county is not None:
        lines = [line for line in lines if line.county == county]
    scope = actor.county or actor.lead_unit or county or "全部"
    form = ReportForm(
        period=period,
        scope=scope,
        due_on=row.due_on,
        rows=[
            FormRow(
                code=line.code,
                name=line.name,
                county=line.county,
                lead_unit=line.lead_unit,
                last_ytd=line.carried.ytd,
                last_total=line.carried.total,
                version=line.version,
                status=line.status,
                completed_month=line.values.completed_month if line.report_id else None,
                completed_ytd=line.values.completed_ytd if line.report_id else None,
                completed_total=line.values.completed_total if line.report_id else None,
                progress_pct=line.values.progress_pct,
                **{name: getattr(line.values, name) for name in TEXT_FIELDS},
            )
            for line in lines
        ],
    )
    return report_form_workbook(form)


_FIELD_KEYS = {
    "completed_month": "completed_month",
    "completed_ytd": "completed_ytd",
    "completed_total": "completed_total",
    "progress_pct": "progress_pct",
    "progress_text": "progress_text",
    "reporter": "reporter",
    "problems": "problems",
}


def apply_report_form(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    today: date,
    settings: Settings,
    submit: bool = True,
    filename: str = "",
) -> FormResult:
    """Apply an uploaded form all-or-nothing: every row is checked first; any error, and
    nothing is written. Rows outside the actor's scope are errors, not silently skipped.

    The file passes the upload guard first (``FormFileError`` when refused). A row identical
    to the stored report is skipped and counted as 未变更, so a form downloaded and sent
    back unchanged is accepted; a changed row over a submitted report is refused (unless
    the office returned it, or the office itself uploads).
    """
    parsed = parse_report_form(data, filename, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)
    result = FormResult(
        skipped=parsed.skipped, errors=list(parsed.errors), notes=list(parsed.notes)
    )
    assert parsed.period is not None
    period = parsed.period
    try:
        require_open(session, period)
    except PeriodLocked as exc:
        result.errors.append(RowError("月度调度表", 0, "", "", str(exc)))
        return result
    plan: list[tuple[FilledRow, Project, ReportValues]] = []
    codes = [row.code for row in parsed.rows]
    projects = {
        p.code: p for p in session.exec(select(Project).where(col(Project.code).in_(codes))).all()
    }
    reports = {
        r.project_id: r
        for r in session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == period)
            .where(col(MonthlyReport.project_id).in_([p.id for p in projects.values()]))
        ).all()
    }
    for row in parsed.rows:
        project = projects.get(row.code)
        if project is None:
            result.errors.append(error(row.row, "code", f"系统中没有编号为 {row.code} 的项目"))
            continue
        if not can(actor, "report.edit", project):
            result.errors.append(
                error(row.row, "code", f"项目 {row.code} 不在您的填报范围内，不能导入")
            )
            continue
        current = reports.get(project.id or 0)
        version = current.version if current else 0
        if row.version != version:
            result.errors.append(
                error(row.row, "version", "该项目月报在下载后已被修改，请重新下载填报表后再填写")
            )
            continue
        carried, _ = carried_for(session, project.id or 0, period)
        values = _complete(
            _clean_text(
                ReportValues(
                    completed_month=row.completed_month,
                    completed_ytd=row.completed_ytd,
                    completed_total=row.completed_total,
                    progress_pct=row.progress_pct,
                    **{name: getattr(row, name) for name in TEXT_FIELDS},
                )
            ),
            carried,
        )
        if current is not None:
            changed = _form_changes(values, current)
            target = "submitted" if submit else "draft"
            if not changed and current.status in ("submitted", target):
                result.unchanged += 1
                continue
            if current.status == "submitted" and actor.role not in OFFICE_ROLES:
                result.errors.append(
                    error(
                        row.row,
                        changed[0][0] if changed else "status",
                        "该项目月报已报送，不能用填报表修改（改动："
                        + "；".join(text for _, text in changed)
                        + "）；如需更正请联系示范区建设办公室退回后再填报",
                    )
                )
                continue
        if submit:
            problems = check_submission(
                session,
                project=project,
                period=period,
                values=values,
                carried=carried,
                today=today,
                settings=settings,
            )
        else:
            problems = check_figures(
                completed_month=values.completed_month,
                completed_ytd=values.completed_ytd,
                completed_total=values.completed_total,
                progress_pct=values.progress_pct if values.progress_pct is not None else 0.0,
                carried=carried,
            )
        for problem in problems:
            result.errors.append(
                error(row.row, _FIELD_KEYS.get(problem.field, ""), problem.message)
            )
        plan.append((row, project, values))
    if result.errors:
        return result
    for row, project, values in plan:
        save = submit_report if submit else save_draft
        save(
            session,
            actor=actor,
            project_id=project.id or 0,
            period=period,
            values=values,
            seen_version=row.version,
            today=today,
            settings=settings,
        )
        result.saved += 1
    return result


_FORM_LABELS = {
    "completed_month": "本月完成投资",
    "completed_ytd": "年度累计完成投资",
    "completed_total": "开工以来累计完成投资",
    "progress_pct": "形象进度",
    "progress_text": "形象进度说明",
    "milestone_status": "节点完成情况",
    "problems": "存在问题",
    "next_steps": "下步工作计划",
    "coordination": "需协调解决事项",
    "reporter": "填报人",
}


def _form_changes(values: ReportValues, stored: MonthlyReport) -> list[tuple[str, str]]:
    """What a form row changes against the stored report: (column key, "字段 旧 → 新")."""
    changes: list[tuple[str, str]] = []
    for name in ("completed_month", "completed_ytd", "completed_total"):
        new, old = getattr(values, name), getattr(stored, name)
        if new is not None and abs(new - old) > Decimal("0.005"):
            changes.append((name, f"{_FORM_LABELS[name]} {old:.2f} → {new:.2f}"))
    pct = values.progress_pct
    if pct is not None and abs(pct - stored.progress_pct) > 0.005:
        changes.append(("progress_pct", f"形象进度 {stored.progress_pct:g}% → {pct:g}%"))
    for name in TEXT_FIELDS:
        new, old = getattr(values, name) or "", safe_text(getattr(stored, name) or "").strip()
        if new != old:
            changes.append((name, f"{_FORM_LABELS[name]}“{_short(old)}” → “{_short(new)}”"))
    return changes


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"


def report_history(session: Session, *, actor: Actor, project_id: int) -> list[MonthlyReport]:
    """A project's reports, newest first (the project page)."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("项目不存在")
    require(actor, "project.view", project)
    return list(
        session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == project_id)
            .order_by(col(MonthlyReport.period).desc())
        ).all()
    )


def values_dict(values: ReportValues) -> dict:
    return asdict(values)
