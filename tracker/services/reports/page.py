"""The report page's use cases: one read per render, one write per action.

Each takes a session (``tracker.services.unit.read`` / ``write`` give it one) and returns a
frozen plain result: the month's periods as ``PeriodInfo`` (never the table's rows), the
month's lines, the new version of a returned report. A refused form raises ``FormRefused``
so the unit of work rolls back: a refused form writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain.periods import month_start
from tracker.domain.reports import default_month
from tracker.models import Project, ReportingPeriod
from tracker.services import cycle, kept
from tracker.services.auth import Actor
from tracker.services.errors import InvalidInput
from tracker.services.permissions import can, is_scoped, scope_field
from tracker.services.reports.form import FormResult, apply_report_form, report_form
from tracker.services.reports.grid import ReportLine, report_grid
from tracker.services.reports.saves import return_report


@dataclass(frozen=True)
class PeriodInfo:
    """A reporting month as the page shows it (the fields of the period it needs)."""

    period: date
    status: str  # scheduled | open | closed | reopened
    opens_on: date
    due_on: date
    closes_on: date
    closed_at: datetime | None = None
    first_month: date | None = None  # January's first day when January and February are one


def period_info(row: ReportingPeriod) -> PeriodInfo:
    """The period's row as the page's plain value (the fields ``PeriodInfo`` names)."""
    return PeriodInfo(**{f.name: getattr(row, f.name) for f in fields(PeriodInfo)})


@dataclass(frozen=True)
class ReportScreen:
    """Everything the page shows for a month."""

    period: PeriodInfo | None
    lines: tuple[ReportLine, ...] = ()

    @property
    def editable(self) -> bool:
        return any(line.editable for line in self.lines)


@dataclass(frozen=True)
class ReportPage:
    """The page on arrival: the months to pick from, the one chosen, and its screen."""

    periods: tuple[PeriodInfo, ...]
    chosen: date | None
    screen: ReportScreen


@dataclass(frozen=True)
class _Months:
    """The reporting months and the current one on a day, under the settings they came from."""

    settings: Settings
    periods: tuple[PeriodInfo, ...]
    current: date

    def info(self, period: date) -> PeriodInfo | None:
        first = month_start(period)
        return next((p for p in self.periods if p.period == first), None)


MONTHS_CACHE = "report_months"
MONTHS_READ = frozenset({"reportingperiod", "*"})  # what ``_months`` reads ("*": untraced)


def _months(session: Session, *, today: date, settings: Settings) -> _Months:
    """Every reporting month and the current one by the calendar, kept per data version and
    carried to a newer version while the writes between touched no period."""

    def read() -> _Months:
        periods = tuple(period_info(p) for p in cycle.list_periods(session))
        current = cycle.period_now(session, today=today, settings=settings).period
        return _Months(settings, periods, current)

    return kept.carried(
        session,
        MONTHS_CACHE,
        (today, id(settings)),  # the value holds ``settings``: its id is not reused
        MONTHS_READ,
        read,
        lambda months: months.settings is settings,
    )


def report_screen(
    session: Session, *, actor: Actor, period: date | None, today: date, settings: Settings
) -> ReportScreen:
    """The month's period and the actor's lines (``PermissionDenied`` outside the roles that
    report)."""
    if period is None:
        return ReportScreen(None)
    months = _months(session, today=today, settings=settings)
    return _screen(session, months, actor=actor, period=period, today=today, settings=settings)


def _screen(
    session: Session,
    months: _Months,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
) -> ReportScreen:
    """``report_screen`` with the months already read (in this transaction)."""
    lines = report_grid(session, actor=actor, period=period, today=today, settings=settings)
    return ReportScreen(months.info(period), tuple(lines))


def report_page(
    session: Session, *, actor: Actor, month: date | None, today: date, settings: Settings
) -> ReportPage:
    """The month asked for, else the current period by the reporting calendar (#19), else
    the latest month."""
    months = _months(session, today=today, settings=settings)
    periods = months.periods
    chosen = month or default_month((p.period for p in periods), months.current)
    screen = (
        ReportScreen(None)
        if chosen is None
        else _screen(session, months, actor=actor, period=chosen, today=today, settings=settings)
    )
    return ReportPage(periods, chosen, screen)


def scope_projects(session: Session, *, actor: Actor) -> frozenset[int] | None:
    """Every project of a county lead's county (a lead unit's unit), whatever its dates: what
    their report page may show. None for the office and the accounts that do not report."""
    name = scope_field(actor) if is_scoped(actor, "report.edit") else None
    if name is None:
        return None
    mine = getattr(actor, name) or ""
    return frozenset(session.exec(select(Project.id).where(getattr(Project, name) == mine)).all())


def line_to_return(
    session: Session,
    *,
    actor: Actor,
    period: date | None,
    project_id: object,
    today: date,
    settings: Settings,
) -> ReportLine | None:
    """The submitted line the office is about to return (None when there is none to return)."""
    if period is None or not can(actor, "report.return"):
        return None
    lines = report_grid(session, actor=actor, period=period, today=today, settings=settings)
    line = next((x for x in lines if x.project_id == project_id), None)
    return line if line is not None and line.status == "submitted" else None


def send_back(session: Session, *, period: date | None, **fields) -> int:
    """The office returns a submitted report (``saves.return_report``); its new version."""
    if period is None:
        raise InvalidInput("reports.no_period")
    return return_report(session, period=period, **fields).version


def form_bytes(
    session: Session,
    *,
    actor: Actor,
    period: date | None,
    today: date,
    settings: Settings,
    county: str | None = None,
) -> bytes:
    """The offline form to download; the office may pick one county."""
    if period is None:
        raise InvalidInput("reports.no_period")
    office = can(actor, "report.return")
    return report_form(
        session,
        actor=actor,
        period=month_start(period),
        today=today,
        settings=settings,
        county=county if office and county else None,
    )


class FormRefused(InvalidInput):
    """An uploaded form with row errors: nothing is written; ``result`` lists them."""

    def __init__(self, result: FormResult) -> None:
        self.result = result
        super().__init__("reports.form_refused", n=len(result.errors))


def upload_form(session: Session, **fields) -> FormResult:
    """Apply an uploaded form all or nothing: ``FormRefused`` (and a rollback) on any error."""
    result = apply_report_form(session, **fields)
    if not result.ok:
        raise FormRefused(result)
    return result
