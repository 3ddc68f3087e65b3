"""Reporting periods: one per month, with open, due and close days taken from the settings.

A period is ``scheduled`` until the open job opens it, ``open`` while reports are entered,
and ``closed`` once the compile job has frozen its figures; reports of a closed period lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from tracker.config import Settings, load_settings
from tracker.domain.cycle import CurrentPeriod, PeriodDates, PeriodState, merged_away, period_dates
from tracker.domain.cycle import current_period as domain_current_period
from tracker.domain.messages import Message, msg
from tracker.domain.periods import add_months, month_end, month_start
from tracker.models import Project, ReportingPeriod, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound, ServiceError
from tracker.services.permissions import require


class PeriodLocked(ServiceError):
    """The month's reporting is not open (not yet, or closed and locked)."""


def dates_for(period: date, settings: Settings) -> PeriodDates:
    """The period's dates from the settings (January gives February's when merged)."""
    return period_dates(
        period,
        open_day=settings.REPORT_OPEN_DAY,
        due_day=settings.REPORT_DUE_DAY,
        close_day=settings.REPORT_CLOSE_DAY,
        due_moves_to_workday=settings.DUE_DAY_MOVES_TO_WORKDAY,
        merge_jan_feb=settings.REPORT_MERGE_JAN_FEB,
    )


def has_own_period(period: date, settings: Settings) -> bool:
    """False for January when January and February report as one period."""
    return not merged_away(month_start(period), merge_jan_feb=settings.REPORT_MERGE_JAN_FEB)


def _dates_of(
    session: Session, *, today: date, settings: Settings
) -> tuple[Callable[[date], PeriodDates | None], set[date]]:
    """Each month's period dates as the calendar has them on ``today``: the stored period's
    (the office may have moved them), else the settings' (None for a month without a period
    of its own); and the months the cycle has closed (not reopened)."""
    stored = {
        r.period: r
        for r in session.exec(
            select(ReportingPeriod)
            .where(ReportingPeriod.period >= add_months(month_start(today), -37))
            .where(ReportingPeriod.period <= add_months(month_start(today), 3))
        ).all()
    }
    merged_into: set[date] = {r.first_month for r in stored.values() if r.first_month}
    merged_into -= set(stored)

    def dates_of(month: date) -> PeriodDates | None:
        row = stored.get(month)
        if row is not None:
            return PeriodDates(
                period=row.period,
                opens_on=row.opens_on,
                due_on=row.due_on,
                closes_on=row.closes_on,
                due_moved=False,
                calendar_official=True,
                first_month=row.first_month,
            )
        if month in merged_into or not has_own_period(month, settings):
            return None
        return dates_for(month, settings)

    closed = {p for p, r in stored.items() if r.status == "closed"}
    return dates_of, closed


def period_now(session: Session, *, today: date, settings: Settings | None = None) -> CurrentPeriod:
    """The current period on ``today`` — the one notion every page, the sidebar, the lights
    and the reminders read: the period ``today`` belongs to by the reporting calendar (open
    days, due days and close days with their holiday shifts, January merged into February
    when the office reports them together), its state, the next one, and the figures month."""
    settings = settings or default_settings()
    dates_of, closed = _dates_of(session, today=today, settings=settings)
    return domain_current_period(today, dates_of, lambda month: month in closed)


def reference_period(session: Session, *, as_of: date, settings: Settings | None = None) -> date:
    """The month the lights, pages, reminders and the close read on ``as_of``: the latest
    month whose reports were due before ``as_of`` (``period_now(...).figures``). The stored
    period's due day counts (the office may have moved it); a month without a stored period
    takes the settings' dates (the defaults when none are given)."""
    return period_now(session, today=as_of, settings=settings).figures


def default_settings() -> Settings:
    """The settings' defaults (no environment): for callers that were given none."""
    global _DEFAULTS
    if _DEFAULTS is None:
        _DEFAULTS = load_settings({})
    return _DEFAULTS


_DEFAULTS: Settings | None = None


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
    existing = get_period(session, dates.period)  # January merged into February
    if existing is not None:
        return existing
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ReportingPeriod)
        .values(
            period=dates.period,
            opens_on=dates.opens_on,
            due_on=dates.due_on,
            closes_on=dates.closes_on,
            first_month=dates.first_month,
            status="scheduled",
            dates_reason="",
            reopen_reason="",
            revision=1,
            version=1,
        )
        .on_conflict_do_nothing(index_elements=["period"])
    )
    row = get_period(session, dates.period)
    assert row is not None
    return row


def month_label(period: date) -> str:
    return f"{period.year}年{period.month}月"


def period_label(row: ReportingPeriod) -> str:
    """The period as offices name it: 2026年10月, or 2026年1–2月 for a merged period."""
    if row.first_month is not None and row.first_month != row.period:
        return f"{row.period.year}年{row.first_month.month}–{row.period.month}月"
    return month_label(row.period)


@dataclass(frozen=True)
class PeriodFacts:
    """A reporting period as pages show it (a plain copy of the row)."""

    period: date
    status: str
    opens_on: date
    due_on: date
    closes_on: date
    dates_reason: str
    version: int
    label: str  # period_label: 2026年10月, or 2026年1–2月 for a merged period
    name: Message  # the label worded in the reader's language


def period_facts(row: ReportingPeriod) -> PeriodFacts:
    return PeriodFacts(
        period=row.period,
        status=row.status,
        opens_on=row.opens_on,
        due_on=row.due_on,
        closes_on=row.closes_on,
        dates_reason=row.dates_reason or "",
        version=row.version,
        label=period_label(row),
        name=period_name(row),
    )


def month_name(period: date) -> Message:
    """A month inside a message, worded in the reader's language."""
    return msg("period.month_name", month=month_start(period))


def period_name(row: ReportingPeriod) -> Message:
    """``period_label`` inside a message, worded in the reader's language."""
    if row.first_month is not None and row.first_month != row.period:
        return msg("period.merged_months", first=row.first_month, month=row.period)
    return month_name(row.period)


def require_open(session: Session, period: date) -> ReportingPeriod:
    """The period, if reports may be entered in it; else ``PeriodLocked`` with the reason."""
    row = get_period(session, period)
    if row is None:
        raise PeriodLocked("period.not_scheduled", month=month_name(period))
    if row.status == "reopened":
        return row
    if row.status == "closed":
        raise PeriodLocked(
            "period.closed_locked", month=month_name(row.period), closed=row.closes_on
        )
    if row.status != "open":
        raise PeriodLocked("period.not_open_yet", month=month_name(row.period), opens=row.opens_on)
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


def reportable_projects(
    session: Session, period: date, first_month: date | None = None
) -> list[Project]:
    """Projects expected to report for ``period``: planned (or actually) started by the month's
    end and not finished before it began (before ``first_month`` for a merged period).
    Ordered as the plan lists them."""
    first, last = month_start(first_month or period), month_end(period)
    rows = session.exec(select(Project).order_by(Project.sort_order, Project.id)).all()
    return [p for p in rows if is_reportable(p, first, last)]


def is_reportable(project: Project, first: date, last: date) -> bool:
    begins = project.actual_start or project.planned_start
    if begins is not None and begins > last:
        return False
    return not (project.actual_finish is not None and project.actual_finish < first)


def months_to_consider(
    session: Session, today: date, settings: Settings | None = None
) -> list[date]:
    """Months the catch-up must look at: every month after the last closed period up to
    today's month (or just today's month in an empty database); a January merged into
    February is left out (February's period covers it)."""
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
        if settings is None or has_own_period(month, settings):
            months.append(month)
        month = add_months(month, 1)
    return months


def period_or_404(session: Session, period: date) -> ReportingPeriod:
    row = get_period(session, period)
    if row is None:
        raise NotFound("period.not_found", month=month_name(period))
    return row


def periods_between(session: Session, months: Iterable[date]) -> dict[date, ReportingPeriod]:
    wanted = [month_start(m) for m in months]
    rows = session.exec(
        select(ReportingPeriod).where(col(ReportingPeriod.period).in_(wanted))
    ).all()
    return {r.period: r for r in rows}


# --- the office's say over a period -----------------------------------------------------------


def _locked_for_change(row: ReportingPeriod, seen_version: int) -> None:
    if row.version != seen_version:
        raise ConflictError("period.changed")


def move_dates(
    session: Session,
    *,
    actor: Actor,
    period: date,
    opens_on: date,
    due_on: date,
    closes_on: date,
    reason: str,
    seen_version: int,
    today: date,
) -> PeriodFacts:
    """The office moves a period's open, due and close days (any day it chooses, working or
    not), with a reason; audited. A day already passed cannot be moved, nor moved into the
    past; the order open ≤ due < close must hold."""
    require(actor, "cycle.run")
    row = period_or_404(session, period)
    _locked_for_change(row, seen_version)
    label = period_name(row)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("period.move_reason_required")
    if row.status in ("closed", "reopened"):
        raise InvalidInput("period.closed_no_move", period=label)
    if not opens_on <= due_on < closes_on:
        raise InvalidInput("period.day_order")
    if due_on < row.period:
        raise InvalidInput("period.due_before_month")
    changes = {"opens_on": opens_on, "due_on": due_on, "closes_on": closes_on}
    for name, new in changes.items():
        old = getattr(row, name)
        if new == old:
            continue
        if name == "opens_on" and row.status != "scheduled":
            raise InvalidInput("period.already_open", period=label)
        if old < today:
            raise InvalidInput(
                "period.day_passed", period=label, day_name=msg(f"period.day.{name}"), old=old
            )
        if new < today:
            raise InvalidInput("period.day_in_past", day_name=msg(f"period.day.{name}"), new=new)
    before = audit.snapshot(row, ["opens_on", "due_on", "closes_on", "dates_reason"])
    updated = session.execute(
        update(ReportingPeriod)
        .where(col(ReportingPeriod.id) == row.id)
        .where(col(ReportingPeriod.version) == seen_version)
        .values(**changes, dates_reason=reason[:500], version=seen_version + 1)
    ).rowcount
    if updated != 1:
        raise ConflictError("period.changed")
    session.refresh(row)
    after = audit.snapshot(row, ["opens_on", "due_on", "closes_on", "dates_reason"])
    audit.record(session, actor, "period.move_dates", "reportingperiod", row.id, before, after)
    return period_facts(row)


def reopen(
    session: Session,
    *,
    actor: Actor,
    period: date,
    reason: str,
    seen_version: int,
    now: datetime | None = None,
) -> PeriodFacts:
    """The office reopens a closed month to correct it (with a reason; audited). Reports of
    the month can be entered again; the frozen bulletin stays until the office compiles the
    month again, which freezes the next revision (修订版). The scheduler never touches a
    reopened month."""
    require(actor, "cycle.run")
    row = period_or_404(session, period)
    _locked_for_change(row, seen_version)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("period.reopen_reason_required")
    if row.status != "closed":
        raise InvalidInput("period.not_closed", period=period_name(row))
    before = audit.snapshot(row, ["status", "revision", "reopen_reason", "closed_at"])
    updated = session.execute(
        update(ReportingPeriod)
        .where(col(ReportingPeriod.id) == row.id)
        .where(col(ReportingPeriod.version) == seen_version)
        .values(
            status="reopened",
            reopen_reason=reason[:500],
            revision=row.revision + 1,
            version=seen_version + 1,
        )
    ).rowcount
    if updated != 1:
        raise ConflictError("period.changed")
    session.refresh(row)
    after = audit.snapshot(row, ["status", "revision", "reopen_reason", "closed_at"])
    audit.record(session, actor, "period.reopen", "reportingperiod", row.id, before, after)
    return period_facts(row)


@dataclass(frozen=True)
class ReportingNow:
    """What the sidebar says about reporting on a day: the month(s) open for reporting, or
    when the next one opens."""

    open: list[tuple[str, date]]  # (label, due day) of each open period, oldest first
    next_label: str | None = None
    next_opens_on: date | None = None


def reporting_now(session: Session, *, today: date, settings: Settings) -> ReportingNow:
    """The period open for reporting on ``today``, else the next one to open — read from
    ``period_now`` (the one notion of the current period)."""
    now = period_now(session, today=today, settings=settings)
    if now.state != PeriodState.CLOSED:
        return ReportingNow([(dates_label(now.dates), now.dates.due_on)])
    if now.next is not None:
        return ReportingNow([], dates_label(now.next), now.next.opens_on)
    return ReportingNow([])  # pragma: no cover - a period follows every month or two


def dates_label(dates: PeriodDates, language: str = "zh") -> str:
    """2026年11月, or 2026年1–2月 for a merged period (Nov 2026 / Jan–Feb 2026 in English)."""
    first = dates.first_month
    if language != "zh":
        if first is not None and first != dates.period:
            return f"{first:%b}–{dates.period:%b %Y}"
        return f"{dates.period:%b %Y}"
    if first is not None and first != dates.period:
        return f"{dates.period.year}年{first.month}–{dates.period.month}月"
    return month_label(dates.period)
