"""A year of the monthly cycle in a few seconds: an injected clock driven by the fire times of
the scheduler's real APScheduler triggers, a process that can be down or crash, and people
who submit their reports.

The expected outcome is worked out here from the timeline alone (which instants the process
was up, who had submitted by then) and compared with the JobRun and Notification tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine
from sqlmodel import select

from schedules import jobs
from schedules.runner import triggers
from tests.factories import make_project, make_user
from tracker.config import TIMEZONE, Settings
from tracker.db import read_session, write_session
from tracker.domain.periods import SHANGHAI, add_months
from tracker.models import ReportingPeriod
from tracker.services import dispatch, reports
from tracker.services.auth import Actor
from tracker.services.errors import ServiceError

START = datetime(2026, 1, 1, 0, 0, tzinfo=SHANGHAI)
END = datetime(2027, 1, 7, 0, 0, tzinfo=SHANGHAI)  # December's period closes on 5 January
MONTHS = [date(2026, m, 1) for m in range(1, 13)]
A_SUBMITS = (23, time(14, 0))  # the county lead: the 23rd of the month, before the due day
B_SUBMITS = (1, time(14, 0))  # the unit account: the 1st of the next month, late
# The production catch-up runs every hour; the simulation thins it to every six hours (it
# also runs at every start), which keeps a year at a few seconds and still exercises it.
SIM_CATCH_UP = CronTrigger(hour="*/6", minute=5, timezone=TIMEZONE)


class Crash(RuntimeError):
    """Injected in the middle of a job: the process dies here."""


@dataclass
class Office:
    a: Actor  # 双江县 county lead, reports project 1
    b: Actor  # 市能源局 account, reports project 2
    admin_id: int
    p1: int
    p2: int


def make_office(engine: Engine) -> Office:
    with write_session(engine) as s:
        a = make_user(s, "county", county="双江县", username="shuangjiang")
        b = make_user(s, "unit", lead_unit="市能源局", username="nengyuan")
        admin = make_user(s, "admin", username="office")
        for user in (a, b, admin):
            user.email = f"{user.username}@example.lincang.gov.cn"
            s.add(user)
        p1 = make_project(
            s,
            county="双江县",
            lead_unit="市水务局",
            annual_plan={2026: 1200},
            actual_start=date(2025, 6, 1),
            planned_start=date(2025, 6, 1),
        )
        p2 = make_project(
            s,
            county="市直",
            lead_unit="市能源局",
            annual_plan={2026: 1200},
            actual_start=date(2025, 6, 1),
            planned_start=date(2025, 6, 1),
        )
        return Office(Actor.of(a), Actor.of(b), admin.id or 0, p1.id or 0, p2.id or 0)


def fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    out: list[datetime] = []
    previous = None
    now = start
    while True:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None or nxt >= end:
            return out
        out.append(nxt)
        previous, now = nxt, nxt + timedelta(seconds=1)


@dataclass(order=True)
class Event:
    at: datetime
    order: int  # at the same instant: a start first, then jobs, then people
    kind: str = field(compare=False)  # start | job | submit
    name: str = field(compare=False, default="")
    who: str = field(compare=False, default="")
    period: date | None = field(compare=False, default=None)


@dataclass
class Scenario:
    name: str
    down: list[tuple[datetime, datetime]] = field(default_factory=list)
    # (job name, run day) -> crash after part of the work; the process is then down for 2 h
    crashes: set[tuple[str, date]] = field(default_factory=set)
    racers: int = 1


@dataclass
class Timeline:
    """What happened, as the harness saw it: the model the tables are checked against."""

    up_events: list[tuple[datetime, str]] = field(default_factory=list)  # ran while up
    submitted: dict[tuple[str, date], datetime] = field(default_factory=dict)
    crashed: list[tuple[str, datetime]] = field(default_factory=list)

    # Which events can run a job: its own trigger, the catch-up, and the catch-up at start.
    COVERS = {
        "open": {"open", "catch_up", "start"},
        "compile": {"compile", "catch_up", "start"},
        "reminders": {"reminders", "catch_up", "start"},
        "milestone_watch": {"milestone_watch", "catch_up", "start"},
    }

    def first_run(self, job: str, due: datetime, before: datetime | None = None) -> datetime | None:
        """When ``job`` should have run for something due at ``due``: the first event able to
        run it, at or after ``due`` (and before ``before``), while the process was up."""
        for at, name in self.up_events:
            if at >= due and name in self.COVERS[job] and (before is None or at < before):
                return at
        return None

    def daily_runs(self, job: str, at: time) -> dict[date, datetime]:
        """Day -> the instant ``job`` should have run that day (its time, or later that day)."""
        out: dict[date, datetime] = {}
        day = START.date()
        while day < END.date():
            due = datetime.combine(day, at, SHANGHAI)
            first = self.first_run(
                job, due, datetime.combine(day + timedelta(days=1), time(0), SHANGHAI)
            )
            if first is not None:
                out[day] = first
            day += timedelta(days=1)
        return out


def events(settings: Settings, scenario: Scenario) -> list[Event]:
    out: list[Event] = [Event(START, 0, "start")]
    for name, trigger in triggers(settings).items():
        if name == "catch_up":
            trigger = SIM_CATCH_UP
        out += [Event(t, 1, "job", name) for t in fire_times(trigger, START, END)]
    for month in MONTHS:
        a_day = datetime.combine(month.replace(day=A_SUBMITS[0]), A_SUBMITS[1], SHANGHAI)
        b_day = datetime.combine(
            add_months(month, 1).replace(day=B_SUBMITS[0]), B_SUBMITS[1], SHANGHAI
        )
        out += [Event(a_day, 2, "submit", who="a", period=month)]
        out += [Event(b_day, 2, "submit", who="b", period=month)]
    out += [Event(up, 0, "start") for _, up in scenario.down]
    return sorted(out)


def is_up(scenario: Scenario, at: datetime, extra_down: list[tuple[datetime, datetime]]) -> bool:
    return not any(start <= at < end for start, end in [*scenario.down, *extra_down])


def submit(
    engine: Engine, settings: Settings, office: Office, who: str, period: date, at: datetime
) -> bool:
    actor, pid = (office.a, office.p1) if who == "a" else (office.b, office.p2)
    values = reports.ReportValues(
        completed_month=Decimal("100"),
        progress_pct=float(period.month * 8),
        progress_text="按计划推进",
        reporter="填报人",
    )
    try:
        with write_session(engine) as s:
            reports.submit_report(
                s,
                actor=actor,
                project_id=pid,
                period=period,
                values=values,
                seen_version=0,
                today=at.date(),
                settings=settings,
            )
        return True
    except ServiceError as exc:
        print("submission refused:", who, period, at, exc)
        return False


def run(
    engine: Engine,
    settings: Settings,
    scenario: Scenario,
    office: Office,
    monkeypatch,
    *,
    engines: list[Engine] | None = None,
) -> Timeline:
    """Drive the year. With ``racers`` > 1, every job call is made by that many threads at
    once (each with its own engine when ``engines`` is given), as if as many scheduler
    processes ran side by side."""
    timeline = Timeline()
    crash_now: dict[str, bool] = {"armed": False}
    extra_down: list[tuple[datetime, datetime]] = []
    restarts: list[Event] = []
    _arm_crashes(monkeypatch, crash_now)
    pending = events(settings, scenario)
    racers = engines or [engine] * scenario.racers
    pool = ThreadPoolExecutor(max_workers=len(racers)) if len(racers) > 1 else None
    while pending or restarts:
        if restarts:
            pending = sorted([*pending, *restarts])
            restarts = []
        event = pending.pop(0)
        if event.kind == "submit":
            assert event.period is not None
            if submit(engine, settings, office, event.who, event.period, event.at):
                timeline.submitted[(event.who, event.period)] = event.at
            continue
        if not is_up(scenario, event.at, extra_down):
            continue
        crash_now["armed"] = (
            event.kind == "job" and (event.name, event.at.date()) in scenario.crashes
        )
        try:
            results = _call(event, settings, racers, pool)
        except Crash:
            scenario.crashes.discard((event.name, event.at.date()))
            timeline.crashed.append((event.name, event.at))
            back = event.at + timedelta(hours=2)
            extra_down.append((event.at, back))
            restarts.append(Event(back, 0, "start"))
            continue
        finally:
            crash_now["armed"] = False
        timeline.up_events.append((event.at, "start" if event.kind == "start" else event.name))
        del results
    if pool is not None:
        pool.shutdown()
    return timeline


def _call(event: Event, settings: Settings, racers: list[Engine], pool) -> list[dispatch.JobResult]:
    def once(engine: Engine, barrier: threading.Barrier | None) -> list[dispatch.JobResult]:
        if barrier is not None:
            barrier.wait()
        today = event.at.date()
        if event.kind == "start" or event.name == "catch_up":
            return jobs.catch_up(engine, settings, now=event.at)
        job: Callable[..., dispatch.JobResult] = {
            "open": jobs.run_open_period,
            "compile": jobs.run_compile,
            "reminders": jobs.run_reminders,
            "milestone_watch": jobs.run_milestone_watch,
        }[event.name]
        result = job(engine, settings, today=today)
        return [result] if result.done else []

    if pool is None:
        return once(racers[0], None)
    barrier = threading.Barrier(len(racers))
    futures = [pool.submit(once, engine, barrier) for engine in racers]
    out: list[dispatch.JobResult] = []
    for future in futures:
        out += future.result()
    return out


def _arm_crashes(monkeypatch, state: dict[str, bool]) -> None:
    """Crash the compile after the snapshot is written and the period closed (before commit),
    and the reminders after the first person's outbox rows are written."""
    real_compile = dispatch.compile_period
    real_notify = dispatch.notify.notify_user

    def compile_then_crash(session, **kwargs):
        result = real_compile(session, **kwargs)
        if state["armed"]:
            raise Crash("injected crash after the compile's work, before its commit")
        return result

    calls = {"n": 0}

    def notify_then_crash(session, **kwargs):
        count = real_notify(session, **kwargs)
        if state["armed"] and kwargs.get("reason", "").startswith("report_"):
            calls["n"] += 1
            if calls["n"] == 1:
                raise Crash("injected crash in the middle of the reminders")
        return count

    monkeypatch.setattr(dispatch, "compile_period", compile_then_crash)
    monkeypatch.setattr(dispatch.notify, "notify_user", notify_then_crash)


# --- the expected outcome ----------------------------------------------------------------------


def expected_keys(
    engine: Engine, timeline: Timeline, office: Office, settings: Settings
) -> set[str]:
    """Every outbox dedupe key the year should have produced, from the timeline alone (the
    period's dates are read back: they are configuration, not what is tested here)."""
    with read_session(engine) as s:
        periods = {p.period: p for p in s.exec(select(ReportingPeriod)).all()}
    keys: set[str] = set()
    users = {"a": office.a.id, "b": office.b.id}
    channels = ("inapp", "email")
    reminder_days = timeline.daily_runs("reminders", jobs.TIMES.reminders)
    for month in MONTHS:
        row = periods[month]
        opened = timeline.first_run(
            "open", datetime.combine(row.opens_on, jobs.TIMES.open, SHANGHAI)
        )
        closed = timeline.first_run(
            "compile", datetime.combine(row.closes_on, jobs.TIMES.compile, SHANGHAI)
        )
        assert opened is not None and closed is not None
        for who in ("a", "b"):
            keys |= {f"{c}:{users[who]}:report_open:{opened.date()}" for c in channels}
        keys.add(f"webhook:group:report_open:{opened.date()}")
        keys |= {f"{c}:{office.admin_id}:bulletin_ready:{closed.date()}" for c in channels}
        keys.add(f"webhook:group:bulletin_ready:{closed.date()}")
        for day, at in reminder_days.items():
            if not (row.opens_on <= day < row.closes_on and opened <= at < closed):
                continue
            owing = [
                who
                for who in ("a", "b")
                if (who, month) not in timeline.submitted or timeline.submitted[(who, month)] > at
            ]
            if day == row.due_on:
                stage = "report_due_today"
            elif day > row.due_on:
                stage = "report_overdue"
            elif (row.due_on - day).days <= settings.REMINDER_DAYS_BEFORE_DUE:
                stage = "report_due_soon"
            else:
                stage = None
            if stage:
                for who in owing:
                    keys |= {f"{c}:{users[who]}:{stage}:{day}" for c in channels}
            if owing and (day - row.due_on).days >= settings.ESCALATE_AFTER_DAYS:
                keys |= {f"{c}:{office.admin_id}:report_escalation:{day}" for c in channels}
                keys.add(f"webhook:group:report_escalation:{day}")
    return keys
