"""The office's "compile now" for a month: close it and freeze its bulletin beside the request.

The work is the scheduler's own compile job (``dispatch.compile_period`` through
``dispatch.run_once``), so it runs exactly once per month whoever starts it: the page or the
scheduler at the close day. The page polls the job's ``JobRun`` row, which lives in the
database, so any web worker can answer the poll.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.db import write_session
from tracker.domain.messages import Message, msg
from tracker.domain.periods import month_start
from tracker.models import JobRun, utcnow
from tracker.services import audit, dispatch
from tracker.services.auth import Actor
from tracker.services.cycle import get_period, month_name
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.import_jobs import Runner, in_thread
from tracker.services.permissions import require

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class CompileState:
    """Where a month's compile stands: ``none`` (never run), running, done or failed."""

    period: date
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    detail: Message | str = ""  # why it failed (a stored job detail stays as written)

    @property
    def active(self) -> bool:
        return self.status == "running"


def _work(engine: Engine, period: date, revision: int, today: date, settings: Settings) -> None:
    try:
        dispatch.run_once(
            engine,
            dispatch.COMPILE_BULLETIN,
            dispatch.compile_key(period, revision),
            lambda s: dispatch.compile_period(s, settings=settings, period=period, today=today),
        )
    except Exception:  # run_once has recorded the failure on the JobRun row for the page
        log.exception("compile of %s failed", period)


def start_compile(
    engine: Engine,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    run: Runner = in_thread,
) -> date:
    """Close ``period`` now and freeze its bulletin (in the background); the office only.
    A month the office reopened is compiled into its next revision (修订版)."""
    require(actor, "cycle.run")
    month = month_start(period)
    if month > month_start(today):
        raise InvalidInput("bulletin.compile_too_early", month=month_name(month))
    with write_session(engine) as session:
        row = get_period(session, month)
        if row is None:
            raise NotFound("period.not_found", month=month_name(month))
        if row.status == "closed":
            raise InvalidInput("bulletin.compile_closed", month=month_name(month))
        revision = row.revision
        # who asked for the close (a 修订版 after a reopening too); the job records its run
        audit.record(
            session,
            actor,
            "bulletin.compile",
            "reportingperiod",
            row.id,
            {"status": row.status, "revision": revision},
            {"requested": today.isoformat(), "revision": revision},
        )
    run(_work, engine, month, revision, today, settings)
    return month


def compile_state(session: Session, *, actor: Actor, period: date) -> CompileState:
    """The month's compile job as the page shows it."""
    require(actor, "cycle.run")
    month = month_start(period)
    row = get_period(session, month)
    revision = row.revision if row is not None else 1
    run = session.exec(
        select(JobRun)
        .where(JobRun.job == dispatch.COMPILE_BULLETIN)
        .where(JobRun.period_key == dispatch.compile_key(month, revision))
    ).first()
    if run is None:
        return CompileState(month, "none")
    status, detail = run.status, run.detail
    if status == "running" and _age(run.started_at) > STALE_AFTER:
        status, detail = "failed", msg("bulletin.compile_interrupted")
    return CompileState(month, status, run.started_at, run.finished_at, detail)


def _age(started: datetime) -> timedelta:
    now = utcnow()
    if started.tzinfo is None:
        now = now.replace(tzinfo=None)
    return now - started
