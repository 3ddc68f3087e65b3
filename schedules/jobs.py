"""One thin function per job: take the clock as a parameter, call the service, return.

``today`` (or ``now``) is always passed in, so the tests can drive a year of the cycle in a
few seconds; only ``schedules.runner`` reads the real clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine

from tracker.config import Settings
from tracker.db import read_session, write_session
from tracker.domain.periods import SHANGHAI, month_start
from tracker.services import bulletin as bulletins
from tracker.services import dispatch, indicator_cycle, login, notify, photos, sessions, unit
from tracker.services.cycle import ensure_period, months_to_consider, periods_between
from tracker.services.dispatch import JobResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobTimes:
    """When in the day (Asia/Shanghai) each job is due."""

    compile: time = time(1, 0)  # on the close day, after midnight
    open: time = time(8, 0)  # on the open day
    milestone_watch: time = time(8, 30)  # daily
    reminders: time = time(9, 0)  # daily
    duban: time = time(8, 45)  # daily: 督办 escalation by age and missed deadlines
    housekeeping: time = time(3, 30)  # daily, at night
    indicators: time = time(9, 15)  # daily: indicator values asked for, reminded, escalated
    media_cleanup: time = time(4, 0)  # daily, at night: photo files no photo refers to


TIMES = JobTimes()


def run_open_period(
    engine: Engine, settings: Settings, *, today: date, period: date | None = None
) -> JobResult:
    """Open the month's reporting (default: the latest month due to open by ``today``)."""
    if period is None:
        with write_session(engine) as session:
            period = dispatch.period_to_open(session, settings=settings, today=today)
        if period is None:
            return JobResult(dispatch.OPEN_PERIOD, "", "skipped", {"reason": "nothing to open"})
    month = month_start(period)
    return dispatch.run_once(
        engine,
        dispatch.OPEN_PERIOD,
        dispatch.period_key(month),
        lambda s: dispatch.open_period(s, settings=settings, period=month, today=today),
    )


def run_reminders(engine: Engine, settings: Settings, *, today: date) -> JobResult:
    """The day's reminders and escalation (once per day)."""
    return dispatch.run_once(
        engine,
        dispatch.REMINDERS,
        dispatch.day_key(today),
        lambda s: dispatch.reminders(s, settings=settings, today=today),
    )


def run_milestone_watch(engine: Engine, settings: Settings, *, today: date) -> JobResult:
    """Milestones due soon and newly overdue (once per day)."""
    return dispatch.run_once(
        engine,
        dispatch.MILESTONE_WATCH,
        dispatch.day_key(today),
        lambda s: dispatch.milestone_watch(s, settings=settings, today=today),
    )


def run_duban(engine: Engine, settings: Settings, *, today: date) -> JobResult:
    """Raise the 督办 level of aged ledger items and tell each escalation (once per day)."""
    return dispatch.run_once(
        engine,
        dispatch.DUBAN,
        dispatch.day_key(today),
        lambda s: dispatch.duban_escalation(s, settings=settings, today=today),
    )


def run_indicator_cycle(engine: Engine, settings: Settings, *, today: date) -> list[JobResult]:
    """Indicator values (#16): ask the owners for each period whose values are due to be
    asked for (once per frequency and period, so a period missed while the process was down
    is asked for at the next run), then the day's reminders and escalation (once per day)."""
    with read_session(engine) as session:
        asked = indicator_cycle.requests_due(session, today=today)
    results = [
        dispatch.run_once(
            engine,
            indicator_cycle.REQUEST,
            indicator_cycle.request_key(frequency, period),
            lambda s, f=frequency, p=period: indicator_cycle.request_values(
                s, settings=settings, today=today, frequency=f, period=p
            ),
        )
        for frequency, period in asked
    ]
    results.append(
        dispatch.run_once(
            engine,
            indicator_cycle.REMINDERS,
            dispatch.day_key(today),
            lambda s: indicator_cycle.remind_values(s, settings=settings, today=today),
        )
    )
    return results


def run_compile(
    engine: Engine, settings: Settings, *, today: date, period: date | None = None
) -> JobResult:
    """Close a month (default: the latest due to close by ``today``) and write its bulletin."""
    if period is None:
        with read_session(engine) as session:
            due = dispatch.period_to_close(session, today=today)
        if due is None:
            return JobResult(
                dispatch.COMPILE_BULLETIN, "", "skipped", {"reason": "nothing to close"}
            )
        period = due
    month = month_start(period)
    with read_session(engine) as session:
        row = periods_between(session, [month]).get(month)
        revision = row.revision if row is not None else 1
    result = dispatch.run_once(
        engine,
        dispatch.COMPILE_BULLETIN,
        dispatch.compile_key(month, revision),
        lambda s: dispatch.compile_period(s, settings=settings, period=month, today=today),
    )
    if result.done and settings.BULLETIN_DIR:
        write_bulletin_file(engine, settings, month)
    return result


def write_bulletin_file(engine: Engine, settings: Settings, period: date) -> Path | None:
    """Write the frozen bulletin to BULLETIN_DIR (outside the job's transaction: the file can
    always be made again from the snapshot, with `python -m tracker bulletin`)."""
    try:
        found = unit.read(engine, bulletins.attachment_file, period=period, settings=settings)
        if found is None:
            return None
        folder = Path(settings.BULLETIN_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / found.name
        path.write_bytes(found.content)
        return path
    except OSError:
        log.exception("could not write the bulletin of %s", period)
        return None


def run_deliver(engine: Engine, settings: Settings, *, now: datetime) -> notify.DeliveryResult:
    """Send the pending e-mails and webhook messages."""
    return notify.deliver_pending(engine, settings, now=now)


# How long records of ended sign-ins are kept after they can no longer be used: long enough
# to look back at a week of sessions or a month of failed logins, short enough that the
# tables stay small.
SESSION_KEEP = timedelta(days=7)
ATTEMPT_KEEP = timedelta(days=30)


@dataclass(frozen=True)
class Housekeeping:
    sessions: int
    attempts: int

    def __str__(self) -> str:
        return f"forgot {self.sessions} ended sessions and {self.attempts} login attempts"


def run_housekeeping(engine: Engine, settings: Settings, *, now: datetime) -> Housekeeping:
    """Forget sessions that can no longer be used (past their lifetime, or signed out) and
    login attempts past the lockout window, once they are older than the keep periods."""
    moment = now.astimezone(UTC)
    lifetime = timedelta(hours=settings.SESSION_MAX_HOURS)
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    with write_session(engine) as session:
        ended = sessions.prune_sessions(session, before=moment - max(lifetime, SESSION_KEEP))
        attempts = login.prune_attempts(session, before=moment - max(window, ATTEMPT_KEEP))
    return Housekeeping(sessions=ended, attempts=attempts)


def run_media_cleanup(
    engine: Engine, settings: Settings, *, now: datetime
) -> photos.Cleanup | None:
    """Delete the photo files no photo refers to (older than the grace period). Skipped when
    the database holds no photo at all while the store holds files: that is a scheduler
    pointed at the wrong database (or an empty one restored), not a thousand orphans."""
    store = photos.store_for(settings, engine)
    with read_session(engine) as session:
        if not photos.has_photos(session) and next(store.digests(), None) is not None:
            log.warning("media cleanup skipped: no photo in the database, files in %s", store.root)
            return None
        return photos.clean_orphans(session, store=store, now=now.timestamp())


def catch_up(engine: Engine, settings: Settings, *, now: datetime) -> list[JobResult]:
    """Run every job that is due by ``now`` and not done: missed openings and closes of any
    month since the last closed one, in order, and today's daily jobs if their time has come.
    Safe to call at any time and as often as wanted: done work is never redone."""
    local = now.astimezone(SHANGHAI)
    today, clock = local.date(), local.time()
    with write_session(engine) as session:
        months = months_to_consider(session, today, settings)
        for month in months:
            ensure_period(session, period=month, settings=settings)
    results: list[JobResult] = []
    for month in months:
        with read_session(engine) as session:
            row = periods_between(session, [month])[month]
            status, opens_on, closes_on = row.status, row.opens_on, row.closes_on
        # A month due to close is due to open too, so a month missed entirely is opened
        # (its reminders are past) and then closed: every month has one opening, one close.
        if status == "scheduled" and _due(today, clock, opens_on, TIMES.open):
            results.append(run_open_period(engine, settings, today=today, period=month))
        # A month the office reopened to correct it is the office's: never closed here.
        if status not in ("closed", "reopened") and _due(today, clock, closes_on, TIMES.compile):
            results.append(run_compile(engine, settings, today=today, period=month))
    if clock >= TIMES.milestone_watch:
        results.append(run_milestone_watch(engine, settings, today=today))
    if clock >= TIMES.duban:
        results.append(run_duban(engine, settings, today=today))
    if clock >= TIMES.reminders:
        results.append(run_reminders(engine, settings, today=today))
    if clock >= TIMES.indicators:
        results.extend(run_indicator_cycle(engine, settings, today=today))
    return [r for r in results if r.done]


def _due(today: date, clock: time, day: date, at: time) -> bool:
    return today > day or (today == day and clock >= at)
