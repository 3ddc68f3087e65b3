"""The work of the monthly cycle's jobs: open a period, remind, watch milestones, compile.

Each job runs exactly once per (job, period key): ``run_once`` claims the ``JobRun`` row in
the same transaction as the job's work and its outbox rows. If the work fails, the whole
transaction rolls back (no ``done`` row, no half-sent reminders) and the failure is recorded
for the office in a separate transaction; the next catch-up claims the failed row again.
A second scheduler racing for the same key waits on the unique key (PostgreSQL) or on the
write lock (SQLite, BEGIN IMMEDIATE), then finds the row taken and does nothing.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.db import write_session
from tracker.domain.cycle import ReminderStage, escalates, reminder_stage
from tracker.domain.messages import Message, listing, msg
from tracker.domain.periods import add_months, month_start
from tracker.models import (
    JobRun,
    Milestone,
    MilestoneAlert,
    MilestonePlanRecord,
    MonthlyReport,
    Project,
    ReportingPeriod,
    User,
    utcnow,
)
from tracker.services import bulletin as bulletins
from tracker.services import ledger, notify
from tracker.services.auth import Actor
from tracker.services.cycle import (
    ensure_period,
    get_period,
    mark_closed,
    mark_open,
    period_label,
    period_name,
    reportable_projects,
)
from tracker.services.permissions import in_scope

log = logging.getLogger(__name__)

OPEN_PERIOD = "open_period"
REMINDERS = "reminders"
MILESTONE_WATCH = "milestone_watch"
COMPILE_BULLETIN = "compile_bulletin"
DUBAN = "duban_escalation"  # #14: 督办 levels rise by age and missed deadlines, daily
JOBS = (OPEN_PERIOD, REMINDERS, MILESTONE_WATCH, COMPILE_BULLETIN, DUBAN)

REPORT_OPEN = "report_open"
ESCALATION = "report_escalation"
MILESTONE_DUE_SOON = "milestone_due_soon"
MILESTONE_OVERDUE = "milestone_overdue"
BULLETIN_READY = "bulletin_ready"
DUBAN_ESCALATED = "duban_escalation"


@dataclass
class JobResult:
    job: str
    key: str
    status: str  # done | skipped (already done, or taken by another scheduler)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.status == "done"


def period_key(period: date) -> str:
    return f"{period:%Y-%m}"


def day_key(day: date) -> str:
    return day.isoformat()


def _insert_ignore(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _claim(session: Session, job: str, key: str, now: datetime) -> JobRun | None:
    """Take the (job, key) row for this transaction, or None when it is done or taken."""
    existing = session.exec(
        select(JobRun).where(JobRun.job == job).where(JobRun.period_key == key)
    ).first()
    if existing is not None:
        if existing.status == "done":
            return None
        taken = session.execute(
            update(JobRun)
            .where(col(JobRun.id) == existing.id)
            .where(col(JobRun.status) == existing.status)
            .where(col(JobRun.attempts) == existing.attempts)
            .values(status="running", attempts=existing.attempts + 1, started_at=now)
        ).rowcount
        if taken != 1:
            return None
        session.refresh(existing)
        return existing
    # RETURNING, not rowcount: with implicit RETURNING, PostgreSQL drivers report -1 rows.
    inserted = session.execute(
        _insert_ignore(session)(JobRun)
        .values(job=job, period_key=key, status="running", attempts=1, started_at=now, detail="")
        .on_conflict_do_nothing(index_elements=["job", "period_key"])
        .returning(col(JobRun.id))
    ).first()
    if inserted is None:
        return None
    return session.exec(
        select(JobRun).where(JobRun.job == job).where(JobRun.period_key == key)
    ).one()


def run_once(
    engine: Engine,
    job: str,
    key: str,
    work: Callable[[Session], dict[str, Any]],
    *,
    now: datetime | None = None,
) -> JobResult:
    """Run ``work`` for (job, key) unless it has been done; exactly once across processes."""
    now = now or utcnow()
    try:
        with write_session(engine) as session:
            run = _claim(session, job, key, now)
            if run is None:
                return JobResult(job, key, "skipped")
            detail = work(session)
            run.status = "done"
            run.finished_at = now
            run.detail = json.dumps(detail, ensure_ascii=False, default=str)[:4000]
            session.add(run)
    except Exception as exc:
        _record_failure(engine, job, key, exc, now)
        raise
    return JobResult(job, key, "done", detail)


def _record_failure(engine: Engine, job: str, key: str, exc: Exception, now: datetime) -> None:
    """Leave a visible ``failed`` row (never ``done``), so the office sees it and the next
    catch-up claims it again."""
    message = f"{exc.__class__.__name__}: {exc}"[:4000]
    try:
        with write_session(engine) as session:
            existing = session.exec(
                select(JobRun).where(JobRun.job == job).where(JobRun.period_key == key)
            ).first()
            if existing is None:
                session.add(
                    JobRun(
                        job=job,
                        period_key=key,
                        status="failed",
                        attempts=1,
                        started_at=now,
                        finished_at=now,
                        detail=message,
                    )
                )
            elif existing.status != "done":
                existing.status, existing.detail, existing.finished_at = "failed", message, now
                existing.attempts += 1
                session.add(existing)
    except Exception:  # the database itself may be what failed; the log still has it
        log.exception("could not record the failure of %s %s", job, key)


def job_runs(session: Session, *, job: str | None = None, limit: int = 200) -> list[JobRun]:
    """Recent job runs, newest first (the office's view of the cycle)."""
    query = select(JobRun).order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
    if job is not None:
        query = query.where(JobRun.job == job)
    return list(session.exec(query.limit(limit)).all())


# --- who is told --------------------------------------------------------------------------


def reporting_accounts(session: Session) -> list[User]:
    """Active county and lead-unit accounts: the people who report."""
    return list(
        session.exec(
            select(User)
            .where(col(User.role).in_(("county", "unit")))
            .where(User.active == True)  # noqa: E712
            .order_by(User.id)
        ).all()
    )


def office_admins(session: Session) -> list[User]:
    return list(
        session.exec(
            select(User).where(User.role == "admin").where(User.active == True)  # noqa: E712
        ).all()
    )


def _scope_of(user: User, projects: list[Project]) -> list[Project]:
    actor = Actor.of(user)
    return [p for p in projects if in_scope(actor, p)]


def unreported(session: Session, period: ReportingPeriod) -> list[Project]:
    """Projects expected to report for the period that have not submitted."""
    submitted = set(
        session.exec(
            select(MonthlyReport.project_id)
            .where(MonthlyReport.period == period.period)
            .where(MonthlyReport.status == "submitted")
        ).all()
    )
    return [
        p
        for p in reportable_projects(session, period.period, period.first_month)
        if p.id not in submitted
    ]


def _listing(projects: list[Project], limit: int = 30) -> str:
    return "\n".join(f"- {p.code} {p.name}" for p in projects[:limit])


def _more(projects: list[Project], limit: int = 30) -> Message | str:
    """The line after a listing cut at ``limit``: how many there are in all."""
    return msg("notify.listing_more", total=len(projects)) if len(projects) > limit else ""


# --- the jobs' work -------------------------------------------------------------------------


def open_period(
    session: Session, *, settings: Settings, period: date, today: date
) -> dict[str, Any]:
    """Open the month's reporting and tell every reporting account what it owes."""
    row = ensure_period(session, period=period, settings=settings)
    if not mark_open(row):
        return {"period": period_key(row.period), "opened": False, "status": row.status}
    session.add(row)
    projects = reportable_projects(session, row.period, row.first_month)
    told = 0
    label = period_label(row)
    for user in reporting_accounts(session):
        mine = _scope_of(user, projects)
        if not mine:
            continue
        told += notify.notify_user(
            session,
            user=user,
            reason=REPORT_OPEN,
            day=today,
            subject=msg("notify.open.subject", period=period_name(row), due=row.due_on),
            body=msg(
                "notify.open.body",
                n=len(mine),
                period=period_name(row),
                listing=_listing(mine),
                more=_more(mine),
            ),
            settings=settings,
            event=f"period:{period_key(row.period)}",
        )
    told += notify.notify_group(
        session,
        reason=REPORT_OPEN,
        day=today,
        subject=f"{label}月度调度填报已开放",
        body=f"本期共 {len(projects)} 个项目应报送，截止 {row.due_on:%Y-%m-%d}。",
        settings=settings,
        event=f"period:{period_key(row.period)}",
    )
    return {"period": period_key(row.period), "opened": True, "notifications": told}


def reminders(session: Session, *, settings: Settings, today: date) -> dict[str, Any]:
    """The day's reminders to accounts that still owe reports, and the office's list of who
    has not reported once the escalation delay has passed."""
    periods = session.exec(
        select(ReportingPeriod)
        .where(ReportingPeriod.status == "open")
        .order_by(ReportingPeriod.period)
    ).all()
    told = 0
    stages: dict[str, str] = {}
    for row in periods:
        stage = reminder_stage(
            today,
            opens_on=row.opens_on,
            due_on=row.due_on,
            closes_on=row.closes_on,
            days_before=settings.REMINDER_DAYS_BEFORE_DUE,
        )
        escalate = escalates(
            today,
            due_on=row.due_on,
            closes_on=row.closes_on,
            after_days=settings.ESCALATE_AFTER_DAYS,
        )
        if stage is None and not escalate:
            continue
        owing = unreported(session, row)
        stages[period_key(row.period)] = stage.value if stage else "escalation"
        if not owing:
            continue
        if stage is not None:
            subject = msg(
                {
                    ReminderStage.DUE_SOON: "notify.due_soon.subject",
                    ReminderStage.DUE_TODAY: "notify.due_today.subject",
                    ReminderStage.OVERDUE: "notify.overdue.subject",
                }[stage],
                period=period_name(row),
                due=row.due_on,
            )
            for user in reporting_accounts(session):
                mine = _scope_of(user, owing)
                if mine:
                    told += notify.notify_user(
                        session,
                        user=user,
                        reason=stage.value,
                        day=today,
                        subject=subject,
                        body=msg(
                            "notify.owing.body",
                            n=len(mine),
                            listing=_listing(mine),
                            more=_more(mine),
                        ),
                        settings=settings,
                    )
        if escalate:
            by_place: dict[str, int] = defaultdict(int)
            for p in owing:
                by_place[p.county] += 1
            summary = listing(
                (msg("notify.place_count", place=place, n=n) for place, n in by_place.items()),
                zh="；",
                en="; ",
            )
            subject = msg("notify.escalation.subject", period=period_name(row), n=len(owing))
            body = msg(
                "notify.escalation.body",
                due=row.due_on,
                summary=summary,
                listing=_listing(owing),
                more=_more(owing),
            )
            for admin in office_admins(session):
                told += notify.notify_user(
                    session,
                    user=admin,
                    reason=ESCALATION,
                    day=today,
                    subject=subject,
                    body=body,
                    settings=settings,
                )
            told += notify.notify_group(
                session,
                reason=ESCALATION,
                day=today,
                subject=str(subject),  # the office's group reads Chinese
                body=str(body),
                settings=settings,
            )
    return {"day": today.isoformat(), "stages": stages, "notifications": told}


def _milestone_lines(items: list[tuple[Milestone, Project]], key: str) -> Message:
    """One line a milestone (项目、节点、计划日期), worded in the reader's language."""
    return listing(
        (
            msg(
                key,
                code=p.code,
                name=p.name,
                county=p.county,
                milestone=m.name,
                planned=m.planned_date,
            )
            for m, p in items
        ),
        zh="\n",
        en="\n",
    )


def milestone_watch(session: Session, *, settings: Settings, today: date) -> dict[str, Any]:
    """Tell the responsible accounts, once per milestone and planned date, that a milestone
    falls due within the watch window, and that it has become overdue (the office too)."""
    rows = session.exec(
        select(Milestone, Project)
        .join(Project, col(Milestone.project_id) == Project.id)
        .where(col(Milestone.actual_date).is_(None))
        .order_by(Milestone.planned_date)
    ).all()
    seen = {
        (a.milestone_id, a.kind, a.planned_date) for a in session.exec(select(MilestoneAlert)).all()
    }
    news: dict[str, list[tuple[Milestone, Project]]] = {"due_soon": [], "overdue": []}
    for milestone, project in rows:
        left = (milestone.planned_date - today).days
        if left < 0:
            kind = "overdue"
        elif left <= settings.MILESTONE_WATCH_DAYS:
            kind = "due_soon"
        else:
            continue
        if (milestone.id, kind, milestone.planned_date) in seen:
            continue
        session.add(
            MilestoneAlert(
                milestone_id=milestone.id or 0,
                kind=kind,
                planned_date=milestone.planned_date,
                alerted_on=today,
            )
        )
        news[kind].append((milestone, project))
    told = 0
    texts = {
        "due_soon": (MILESTONE_DUE_SOON, "notify.milestone_due_soon.subject"),
        "overdue": (MILESTONE_OVERDUE, "notify.milestone_overdue.subject"),
    }
    for kind, items in news.items():
        if not items:
            continue
        reason, title = texts[kind]
        for user in reporting_accounts(session):
            actor = Actor.of(user)
            mine = [(m, p) for m, p in items if in_scope(actor, p)]
            if mine:
                told += notify.notify_user(
                    session,
                    user=user,
                    reason=reason,
                    day=today,
                    subject=msg(title, n=len(mine)),
                    body=_milestone_lines(mine, "notify.milestone_line"),
                    settings=settings,
                )
        if kind == "overdue":
            for admin in office_admins(session):
                told += notify.notify_user(
                    session,
                    user=admin,
                    reason=reason,
                    day=today,
                    subject=msg("notify.milestones_overdue_office.subject", n=len(items)),
                    body=_milestone_lines(items, "notify.milestone_line_county"),
                    settings=settings,
                )
    session.flush()
    return {
        "day": today.isoformat(),
        "due_soon": len(news["due_soon"]),
        "overdue": len(news["overdue"]),
        "notifications": told,
    }


def duban_escalation(session: Session, *, settings: Settings, today: date) -> dict[str, Any]:
    """Raise the 督办 level of the open ledger items that have aged or missed their deadline
    (``ledger.escalate``, audited), and tell it once a day: each account responsible for a
    project raised, or named as an item's unit, and each office admin gets one notice listing
    their items (not one an item: the first run after an upgrade may raise dozens), and the
    office's group one list of all."""
    raised = ledger.escalate(session, today=today, settings=settings)
    if not raised:
        return {"day": today.isoformat(), "escalated": 0, "notifications": 0}
    accounts = reporting_accounts(session)
    mine: dict[int, list[ledger.Escalation]] = defaultdict(list)
    for up in raised:
        subject = SimpleSubject(up.county, up.lead_unit)
        for user in accounts:
            if in_scope(Actor.of(user), subject) or (
                up.item.owner and user.lead_unit == up.item.owner
            ):
                mine[user.id or 0].append(up)
    people = {u.id or 0: u for u in accounts}
    admins = office_admins(session)
    event = f"escalations:{today.isoformat()}"
    told = 0
    for user, ups in [
        *((people[i], ups) for i, ups in mine.items()),
        *((a, raised) for a in admins),
    ]:
        told += notify.notify_user(
            session,
            user=user,
            reason=DUBAN_ESCALATED,
            day=today,
            settings=settings,
            event=event,
            **_escalation_notice(ups),
        )
    notice = _escalation_notice(raised)
    told += notify.notify_group(
        session,
        reason=DUBAN_ESCALATED,
        day=today,
        settings=settings,
        event=event,
        subject=str(notice["subject"]),  # the office's group reads Chinese
        body=str(notice["body"]),
    )
    return {
        "day": today.isoformat(),
        "escalated": len(raised),
        "notifications": told,
    }


@dataclass(frozen=True)
class SimpleSubject:
    """What the permission scope reads of a project."""

    county: str
    lead_unit: str


def _escalation_notice(ups: list[ledger.Escalation]) -> dict[str, Message]:
    """One notice of the day's escalations: the item itself when there is one, else how
    many, each item in the body (its project, what it is, its unit, its age and levels)."""
    if len(ups) == 1:
        up = ups[0]
        subject = msg(
            "duban.escalated.subject",
            code=up.project_code,
            name=up.project_name,
            level=msg(f"ledger.level.{up.item.level}"),
        )
    else:
        subject = msg("duban.escalated.digest_subject", n=len(ups))
    body = listing(
        (
            msg(
                "duban.escalated.item",
                code=up.project_code,
                name=up.project_name,
                text=up.item.text,
                owner=up.item.owner or msg("ledger.owner_unknown"),
                days=up.days_open,
                due=up.item.due_date.isoformat() if up.item.due_date else "—",
                before=msg(f"ledger.level.{up.before}"),
                level=msg(f"ledger.level.{up.item.level}"),
            )
            for up in ups
        ),
        zh="\n\n",
        en="\n\n",
    )
    return {"subject": subject, "body": body}


def compile_key(period: date, revision: int = 1) -> str:
    """The compile job's key: the month, and the revision from a 修订版 on."""
    return period_key(period) if revision <= 1 else f"{period_key(period)}#r{revision}"


def compile_period(
    session: Session, *, settings: Settings, period: date, today: date
) -> dict[str, Any]:
    """Close the month: freeze its figures (the bulletin, or its next 修订版 when the office
    reopened it), record the milestones' planned dates, lock the reports, and tell the office
    that the bulletin is ready."""
    row = ensure_period(session, period=period, settings=settings)
    snapshot = bulletins.freeze(session, period=row.period, today=today, settings=settings)
    _record_planned_dates(session, row.period)
    mark_closed(row)
    session.add(row)
    label = period_label(row)
    payload = snapshot.payload
    revision = snapshot.revision
    kind = "定稿" if revision <= 1 else f"修订版{revision}"  # the office's group reads Chinese
    kind_name = (
        msg("notify.kind.final")
        if revision <= 1
        else msg("notify.kind.revision", revision=revision)
    )
    event = compile_key(row.period, revision)
    told = 0
    for admin in office_admins(session):
        told += notify.notify_user(
            session,
            user=admin,
            reason=BULLETIN_READY,
            day=today,
            subject=msg("notify.bulletin_ready.subject", period=period_name(row), kind=kind_name),
            body=payload["headline"],
            settings=settings,
            attachment=f"bulletin:{event}",
            event=event,
        )
    told += notify.notify_group(
        session,
        reason=BULLETIN_READY,
        day=today,
        subject=f"{label}调度通报" + (f"（{kind}）" if revision > 1 else ""),
        body=payload["headline"],
        settings=settings,
        event=event,
    )
    return {
        "period": period_key(row.period),
        "revision": revision,
        "snapshot": snapshot.id,
        "notifications": told,
    }


def _record_planned_dates(session: Session, period: date) -> None:
    """Each milestone's planned date at the month's close (the battle map's slip trend)."""
    insert = _insert_ignore(session)
    for milestone_id, planned in session.exec(select(Milestone.id, Milestone.planned_date)).all():
        session.execute(
            insert(MilestonePlanRecord)
            .values(milestone_id=milestone_id, period=period, planned_date=planned)
            .on_conflict_do_nothing(index_elements=["milestone_id", "period"])
        )


# --- which periods are due --------------------------------------------------------------------


def period_to_open(session: Session, *, settings: Settings, today: date) -> date | None:
    """The latest month whose reporting should be open by ``today``: this month's once its
    open day has come, else last month's if it exists and is still waiting to open (a month
    the cycle never ran is left alone: the catch-up decides what to open)."""
    current = month_start(today)
    row = ensure_period(session, period=current, settings=settings)
    if today >= row.opens_on:
        return row.period
    before = get_period(session, add_months(current, -1))
    if before is not None and before.status == "scheduled" and today >= before.opens_on:
        return before.period
    return None


def period_to_close(session: Session, *, today: date) -> date | None:
    """The earliest open month whose close day has come, if any. Months that were never
    opened are left to the catch-up, which opens them first."""
    return session.exec(
        select(ReportingPeriod.period)
        .where(ReportingPeriod.status == "open")
        .where(ReportingPeriod.closes_on <= today)
        .order_by(ReportingPeriod.period)
    ).first()
