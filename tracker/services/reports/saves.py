"""Saving a report: drafts, submissions (checked, flagged late, raising ledger items) and
the office's return. Versioned (``UPDATE … WHERE version = :seen``) and audited; a closed
period refuses every edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker import data_version
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
from tracker.domain.messages import msg
from tracker.domain.periods import month_end, month_start
from tracker.domain.reports import (
    AMOUNT_FIELDS,
    FIGURE_FIELDS,
    TEXT_FIELDS,
    Carried,
    FieldProblem,
    LastReport,
    check_figures,
    field_label,
    overwrite_allowed,
    refusal_note,
    submission_problems,
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
from tracker.models import (
    MonthlyReport,
    Project,
    ReportingPeriod,
    User,
    utcnow,
)
from tracker.models import moment_on as _moment_on
from tracker.services import audit, ledger, notify
from tracker.services.auth import Actor
from tracker.services.cycle import is_reportable, require_open
from tracker.services.errors import ConflictError, InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import SCOPE_FIELDS, require
from tracker.services.policy import get_thresholds
from tracker.services.reports.grid import (
    ReportValues,
    _carried,
    _office,
    carried_for,
    previous_report,
)
from tracker.services.status import project_statuses


class ReportInvalid(InvalidInput):
    """A report that fails its checks; ``problems`` says which field and why."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("report.invalid", problems=self.render("zh"))

    def render(self, lang: str = "zh") -> str:
        return "；".join(p.render(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.render("zh")


# --- writing -------------------------------------------------------------------------------


def _project(session: Session, actor: Actor, project_id: int, period: date) -> Project:
    """The project to report on: it must exist, be in the actor's scope and be due to report
    in ``period`` (a project outside the month's grid is refused like a forged one)."""
    key = parse_id(project_id)
    project = session.get(Project, key) if key else None
    if project is None:
        raise NotFound("report.project_not_found")
    require(actor, "report.edit", project)
    if not is_reportable(project, month_start(period), month_end(period)):
        raise PermissionDenied("report.not_due", code=project.code, period=period)
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
    for name in AMOUNT_FIELDS:
        value = getattr(values, name)
        if value is None:
            continue
        try:
            cleaned[name] = check_amount(value, label=field_label(name), ceiling=ceiling)
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, refusal_note(refusal)))
            cleaned[name] = None
    if values.progress_pct is not None:
        try:
            cleaned["progress_pct"] = parse_percent(
                values.progress_pct, label=field_label("progress_pct")
            ).value
        except ValueRefused as refusal:
            problems.append(FieldProblem("progress_pct", refusal_note(refusal)))
            cleaned["progress_pct"] = None
    for name in TEXT_FIELDS:
        try:
            cleaned[name] = check_text(getattr(values, name), f"report.{name}")
        except ValueRefused as refusal:
            problems.append(FieldProblem(name, refusal_note(refusal)))
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


_UNREAD = object()  # ``last`` not read by the caller


def check_submission(
    session: Session,
    *,
    project: Project,
    period: date,
    values: ReportValues,
    carried: Carried,
    today: date,
    settings: Settings,
    last: MonthlyReport | None | object = _UNREAD,
) -> list[FieldProblem]:
    """Every check a submission must pass (the rule: ``domain.reports.submission_problems``).
    ``last``: the latest submitted report before ``period`` when the caller has read it."""
    if last is _UNREAD:
        last = previous_report(session, project.id or 0, period)
    assert last is None or isinstance(last, MonthlyReport)
    return submission_problems(
        completed_month=values.completed_month,
        completed_ytd=values.completed_ytd,
        completed_total=values.completed_total,
        progress_pct=values.progress_pct,
        progress_text=values.progress_text,
        reporter=values.reporter,
        problems_text=values.problems,
        carried=carried,
        last=None
        if last is None
        else LastReport(
            progress_text=last.progress_text,
            completed_total=usable_amount(last.completed_total),
            progress_pct=usable_percent(last.progress_pct),
        ),
        # red only matters when the problems are left blank (it reads the project's status)
        red=not values.problems and _is_red(session, project, period, values, today, settings),
        ceiling=_ceiling(settings),
    )


def prepare(
    session: Session,
    *,
    project: Project,
    period: date,
    submit: bool = True,
    values: ReportValues,
    today: date,
    settings: Settings,
    last: MonthlyReport | None | object = _UNREAD,
) -> tuple[ReportValues, Carried, list[FieldProblem]]:
    """The values through the value rules (``ReportInvalid`` for one they refuse), their
    running totals completed from last month's, and what stops them: every check of a
    submission, or only the figures' for a draft. ``last``: the latest submitted report
    before ``period`` when the caller has read it (``_guard_edit``)."""
    if last is _UNREAD:
        carried, last = carried_for(session, project.id or 0, period)
    else:
        assert last is None or isinstance(last, MonthlyReport)
        carried = _carried(project, period, last)
    values = _complete(_clean_text(values, _ceiling(settings)), carried)
    if submit:
        problems = check_submission(
            session,
            project=project,
            period=period,
            values=values,
            carried=carried,
            today=today,
            settings=settings,
            last=last,
        )
    else:
        problems = check_figures(
            completed_month=values.completed_month,
            completed_ytd=values.completed_ytd,
            completed_total=values.completed_total,
            progress_pct=values.progress_pct if values.progress_pct is not None else 0.0,
            carried=carried,
            ceiling=_ceiling(settings),
        )
    return values, carried, problems


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
    existing: MonthlyReport | None,
) -> MonthlyReport:
    """Insert (seen_version 0) or update under the version check, and audit the change;
    ``existing``: the stored report as this transaction read it (``_guard_edit``)."""
    if parse_id(seen_version) is None:
        raise ConflictError("report.stale")
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
            raise ConflictError("report.gone")
        report = MonthlyReport(project_id=project.id or 0, period=period, **fields)
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
        except IntegrityError as exc:
            raise ConflictError("report.just_saved") from exc
        audit.record(
            session, actor, action, "monthlyreport", report.id, None, audit.snapshot(report)
        )
        return report
    if seen_version != existing.version:
        raise ConflictError("report.stale")
    before = audit.snapshot(existing)
    _update_returning(
        session,
        existing,
        update(MonthlyReport)
        .where(col(MonthlyReport.id) == existing.id)
        .where(col(MonthlyReport.version) == seen_version)
        .values(**fields, version=seen_version + 1),
    )
    audit.record(
        session, actor, action, "monthlyreport", existing.id, before, audit.snapshot(existing)
    )
    return existing


def _update_returning(session: Session, report: MonthlyReport, statement) -> None:
    """Run the versioned UPDATE of ``report`` (``ConflictError`` unless it changed exactly
    that row) and load the row it wrote into ``report``, in one round trip (RETURNING, as
    ``session.refresh`` would read it back)."""
    written = session.scalars(
        statement.returning(MonthlyReport).execution_options(
            populate_existing=True, **data_version.of_projects(report.project_id)
        )
    ).all()
    if len(written) != 1 or written[0] is not report:
        raise ConflictError("report.stale")


def _stored(session: Session, project_id: int, period: date) -> MonthlyReport | None:
    """The project's report for ``period`` as stored (None before the first save)."""
    return session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project_id)
        .where(MonthlyReport.period == period)
    ).first()


def _stored_and_last(
    session: Session, project_id: int, period: date
) -> tuple[MonthlyReport | None, MonthlyReport | None]:
    """The project's report for ``period`` as stored (``_stored``) and its latest submitted
    report before ``period`` (``previous_report``), in one query: the two latest of those."""
    first = month_start(period)
    rows = session.exec(
        select(MonthlyReport)
        .where(MonthlyReport.project_id == project_id)
        .where(
            or_(
                col(MonthlyReport.period) == first,
                and_(col(MonthlyReport.period) < first, MonthlyReport.status == "submitted"),
            )
        )
        .order_by(col(MonthlyReport.period).desc())
        .limit(2)
    ).all()
    current = rows[0] if rows and rows[0].period == first else None
    last = next((r for r in rows if r.period < first), None)
    return current, last


def _guard_edit(
    session: Session, actor: Actor, project: Project, period: date
) -> tuple[ReportingPeriod, MonthlyReport | None, MonthlyReport | None]:
    """The open period, the project's stored report in it (read once: the save writes on
    it), refused when the actor may not overwrite that report, and the latest submitted
    report before it (what the running totals carry)."""
    row = require_open(session, period)
    current, last = _stored_and_last(session, project.id or 0, row.period)
    if current is not None and not overwrite_allowed(current.status, office=_office(actor)):
        raise InvalidInput("report.already_submitted")
    return row, current, last


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
    _, current, last = _guard_edit(session, actor, project, period)
    carried = _carried(project, period, last)
    values = _complete(_clean_text(values, _ceiling(settings)), carried)
    status = current.status if current and current.status in {"returned", "submitted"} else "draft"
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
        existing=current,
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
    row, current, last = _guard_edit(session, actor, project, period)
    values, _, problems = prepare(
        session,
        project=project,
        period=period,
        values=values,
        today=today,
        settings=settings,
        last=last,
    )
    if problems:
        raise ReportInvalid(problems)
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
        existing=current,
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
        raise NotFound("report.project_not_found")
    require(actor, "report.return", project)
    require_open(session, period)
    if not str(comment or "").strip():
        raise InvalidInput("report.return_needs_reason")
    try:
        comment = check_text(comment, "report.return_comment")
    except ValueRefused as refusal:
        raise InvalidInput(refusal_note(refusal)) from None
    if parse_id(seen_version) is None:
        raise ConflictError("report.stale")
    report = _stored(session, project.id or 0, period)
    if report is None or report.status != "submitted":
        raise InvalidInput("report.return_only_submitted")
    if report.version != seen_version:
        raise ConflictError("report.stale")
    before = audit.snapshot(report)
    _update_returning(
        session,
        report,
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
        ),
    )
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
                subject=msg(
                    "report.returned_subject", period=period, code=project.code, name=project.name
                ),
                body=msg(
                    "report.returned_body",
                    period=period,
                    code=project.code,
                    name=project.name,
                    reason=comment,
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
                or_(
                    *(
                        (User.role == role) & (getattr(User, name) == getattr(project, name))
                        for role, name in SCOPE_FIELDS.items()
                    )
                )
            )
        )
    )
