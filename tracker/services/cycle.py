"""Reporting periods: one per month, with open, due and close days taken from the settings.

A period is ``scheduled`` until the open job opens it, ``open`` while reports are entered,
and ``closed`` once the compile job has frozen its figures; reports of a closed period lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.cycle import PeriodDates, period_dates
from tracker.domain.periods import add_months, month_end, month_start
from tracker.models import Project, ReportingPeriod, utcnow
from tracker.services.errors import NotFound, ServiceError


class PeriodLocked(ServiceError):
    """The month's reporting is not open (not yet, or closed and locked)."""


def dates_for(period: date, settings: Settings) -> PeriodDates:
    return period_dates(
        period,
        open_day=settings.REPORT_OPEN_DAY,
        due_day=settings.REPORT_DUE_DAY,
        close_day=settings.REPORT_CLOSE_DAY,
        due_moves_to_workday=settings.DUE_DAY_MOVES_TO_WORKDAY,
    )


def get_period(session: Session, period: date) -> ReportingPeriod | None:
    return session.exec(
        select(ReportingPeriod).where(ReportingPeriod.period == month_start(period))
    ).first()


def ensure_period(session: Session, *, period: date, settings: Settings) -> ReportingPeriod:
    """The month's period, created ``scheduled`` with dates from the settings if missing.
    Two schedulers may create it at once: the insert ignores a conflict, then reads."""
    existing = get_period(session, period)
    if existing is not None:
        return existing
    dates = dates_for(period, settings)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReportingPeriod)
        .values(
            period=dates.period,
            opens_on=dates.opens_on,
            due_on=dates.due_on,
            closes_on=dates.closes_on,
            status="scheduled",
        )
        .on_conflict_do_nothing(index_elements=["period"])
    )
    row = get_period(session, period)
    assert row is not None
    return row


def month_label(period: date) -> str:
    return f"{period.year}年{period.month}月"


def require_open(session: Session, period: date) -> ReportingPeriod:
    """The period, if reports may be entered in it; else ``PeriodLocked`` with the reason."""
    row = get_period(session, period)
    if row is None:
        raise PeriodLocked(f"{month_label(month_start(period))}的调度填报尚未安排")
    if row.status == "closed":
        raise PeriodLocked(
            f"{month_label(row.period)}调度已于{row.closes_on:%Y年%m月%d日}截止，"
            "月报已锁定，不能再修改；如需更正请联系示范区建设办公室"
        )
    if row.status != "open":
        raise PeriodLocked(
            f"{month_label(row.period)}调度填报尚未开放（{row.opens_on:%m月%d日}开放）"
        )
    return row


def current_period(session: Session) -> ReportingPeriod | None:
    """The open period (the latest if, unusually, several are open)."""
    return session.exec(
        select(ReportingPeriod)
        .where(ReportingPeriod.status == "open")
        .order_by(col(ReportingPeriod.period).desc())
    ).first()


def list_periods(session: Session) -> list[ReportingPeriod]:
    return list(session.exec(select(ReportingPeriod).order_by(ReportingPeriod.period)).all())


def mark_open(period: ReportingPeriod, *, now: datetime | None = None) -> bool:
    """Open a scheduled period; False when it was already open or closed."""
    if period.status != "scheduled":
        return False
    period.status = "open"
    period.opened_at = now or utcnow()
    return True


def mark_closed(period: ReportingPeriod, *, now: datetime | None = None) -> bool:
    if period.status == "closed":
        return False
    period.status = "closed"
    period.closed_at = now or utcnow()
    return True


def reportable_projects(session: Session, period: date) -> list[Project]:
    """Projects expected to report for ``period``: planned (or actually) started by the month's
    end and not finished before it began. Ordered as the plan lists them."""
    first, last = month_start(period), month_end(period)
    rows = session.exec(select(Project).order_by(Project.sort_order, Project.id)).all()
    return [p for p in rows if is_reportable(p, first, last)]


def is_reportable(project: Project, first: date, last: date) -> bool:
    begins = project.actual_start or project.planned_start
    if begins is not None and begins > last:
        return False
    return not (project.actual_finish is not None and project.actual_finish < first)


def months_to_consider(session: Session, today: date) -> list[date]:
    """Months the catch-up must look at: every month after the last closed period up to
    today's month (or just today's month in an empty database)."""
    last_closed = session.exec(
        select(ReportingPeriod.period)
        .where(ReportingPeriod.status == "closed")
        .order_by(col(ReportingPeriod.period).desc())
    ).first()
    current = month_start(today)
    start = add_months(last_closed, 1) if last_closed is not None else current
    earliest_open = session.exec(
        select(ReportingPeriod.period)
        .where(col(ReportingPeriod.status).in_(("scheduled", "open")))
        .order_by(ReportingPeriod.period)
    ).first()
    if earliest_open is not None:
        start = min(start, earliest_open)
    months: list[date] = []
    month = start
    while month <= current:
        months.append(month)
        month = add_months(month, 1)
    return months


def period_or_404(session: Session, period: date) -> ReportingPeriod:
    row = get_period(session, period)
    if row is None:
        raise NotFound(f"没有{month_label(month_start(period))}的调度期")
    return row


def periods_between(session: Session, months: Iterable[date]) -> dict[date, ReportingPeriod]:
    wanted = [month_start(m) for m in months]
    rows = session.exec(
        select(ReportingPeriod).where(col(ReportingPeriod.period).in_(wanted))
    ).all()
    return {r.period: r for r in rows}
