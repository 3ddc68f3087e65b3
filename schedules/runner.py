"""APScheduler 3.x wiring: triggers in Asia/Shanghai, one scheduler per installation.

Never started at import time. ``start_embedded`` is called by ``python app.py`` (when
TRACKER_SCHEDULER=embedded); ``python -m schedules`` runs it as its own process. Either way
``acquire_lock`` lets only one copy run jobs: a PostgreSQL advisory lock held on a dedicated
connection for the process lifetime, or on SQLite an fcntl lock on a lock file. A copy that
does not get the lock stays idle and tries again every minute (a warm standby).
"""

from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from schedules import jobs
from tracker.config import TIMEZONE, Settings
from tracker.domain.periods import SHANGHAI

log = logging.getLogger("schedules")

# pg_try_advisory_lock takes a bigint; this one is "LCDISPAT" read as 8 bytes.
ADVISORY_KEY = int.from_bytes(b"LCDISPAT", "big") & 0x7FFFFFFFFFFFFFFF


def triggers(settings: Settings) -> dict[str, CronTrigger]:
    """The jobs' cron triggers. The catch-up (hourly and at start) makes up for any missed.

    Opening and closing fire every day at their time and act only when a period's stored
    day has come: those days move off weekends and holidays, and the office can move them,
    so no fixed day of the month would do."""
    t = jobs.TIMES
    return {
        "compile": CronTrigger(hour=t.compile.hour, minute=t.compile.minute, timezone=TIMEZONE),
        "open": CronTrigger(hour=t.open.hour, minute=t.open.minute, timezone=TIMEZONE),
        "milestone_watch": CronTrigger(
            hour=t.milestone_watch.hour, minute=t.milestone_watch.minute, timezone=TIMEZONE
        ),
        "reminders": CronTrigger(
            hour=t.reminders.hour, minute=t.reminders.minute, timezone=TIMEZONE
        ),
        "duban": CronTrigger(hour=t.duban.hour, minute=t.duban.minute, timezone=TIMEZONE),
        "indicators": CronTrigger(
            hour=t.indicators.hour, minute=t.indicators.minute, timezone=TIMEZONE
        ),
        "catch_up": CronTrigger(minute=5, timezone=TIMEZONE),
        "housekeeping": CronTrigger(
            hour=t.housekeeping.hour, minute=t.housekeeping.minute, timezone=TIMEZONE
        ),
        "media_cleanup": CronTrigger(
            hour=t.media_cleanup.hour, minute=t.media_cleanup.minute, timezone=TIMEZONE
        ),
    }


def _today() -> datetime:
    return datetime.now(SHANGHAI)


def _guarded(name: str, call) -> Any:
    try:
        result = call()
        log.info("%s: %s", name, result)
        return result
    except Exception:  # a failed job is logged and recorded; the scheduler keeps going
        log.exception("job %s failed", name)
        return None


def job_functions(engine: Engine, settings: Settings) -> dict[str, Any]:
    """What each trigger calls; the only place that reads the real clock."""
    return {
        "compile": lambda: _guarded(
            "compile", lambda: jobs.run_compile(engine, settings, today=_today().date())
        ),
        "open": lambda: _guarded(
            "open", lambda: jobs.run_open_period(engine, settings, today=_today().date())
        ),
        "milestone_watch": lambda: _guarded(
            "milestone_watch",
            lambda: jobs.run_milestone_watch(engine, settings, today=_today().date()),
        ),
        "reminders": lambda: _guarded(
            "reminders", lambda: jobs.run_reminders(engine, settings, today=_today().date())
        ),
        "duban": lambda: _guarded(
            "duban", lambda: jobs.run_duban(engine, settings, today=_today().date())
        ),
        "indicators": lambda: _guarded(
            "indicators",
            lambda: jobs.run_indicator_cycle(engine, settings, today=_today().date()),
        ),
        "catch_up": lambda: _guarded(
            "catch_up", lambda: jobs.catch_up(engine, settings, now=_today())
        ),
        "deliver": lambda: _guarded(
            "deliver", lambda: jobs.run_deliver(engine, settings, now=_today())
        ),
        "housekeeping": lambda: _guarded(
            "housekeeping", lambda: jobs.run_housekeeping(engine, settings, now=_today())
        ),
        "media_cleanup": lambda: _guarded(
            "media_cleanup", lambda: jobs.run_media_cleanup(engine, settings, now=_today())
        ),
    }


def build_scheduler(engine: Engine, settings: Settings, *, blocking: bool = False) -> BaseScheduler:
    """A scheduler with every job added (not started). The catch-up also runs at start."""
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(
        timezone=TIMEZONE,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    functions = job_functions(engine, settings)
    for name, trigger in triggers(settings).items():
        scheduler.add_job(functions[name], trigger, id=name, name=name)
    scheduler.add_job(
        functions["catch_up"],
        id="catch_up_at_start",
        name="catch_up_at_start",
        next_run_time=_today(),
    )
    scheduler.add_job(
        functions["deliver"], IntervalTrigger(minutes=1), id="deliver", name="deliver"
    )
    return scheduler


# --- one scheduler per installation ------------------------------------------------------------


@dataclass
class SchedulerLock:
    """Held for the process lifetime; ``release`` on shutdown."""

    kind: str  # postgresql | file
    connection: Connection | None = None
    fd: int | None = None
    path: Path | None = None

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(text("select pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            finally:
                self.connection.close()
                self.connection = None
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def lock_file_path(engine: Engine, settings: Settings) -> Path:
    if settings.SCHEDULER_LOCK_FILE:
        return Path(settings.SCHEDULER_LOCK_FILE)
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        return Path("data") / "scheduler.lock"
    return Path(f"{database}.scheduler.lock")


def acquire_lock(engine: Engine, settings: Settings) -> SchedulerLock | None:
    """The installation's scheduler lock, or None when another process holds it."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(
            text("select pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}
        ).scalar()
        if not got:
            connection.close()
            return None
        return SchedulerLock("postgresql", connection=connection)
    path = lock_file_path(engine, settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    return SchedulerLock("file", fd=fd, path=path)


@dataclass
class Embedded:
    scheduler: BaseScheduler | None
    lock: SchedulerLock | None

    def shutdown(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self.lock is not None:
            self.lock.release()


def start_embedded(engine: Engine, settings: Settings) -> Embedded:
    """Start the scheduler in this process (background threads) if no other copy runs it."""
    lock = acquire_lock(engine, settings)
    if lock is None:
        log.warning("another scheduler holds the lock: this process runs no jobs")
        return Embedded(None, None)
    scheduler = build_scheduler(engine, settings)
    scheduler.start()
    log.info("scheduler started (embedded)")
    return Embedded(scheduler, lock)
