"""Two years of the monthly cycle (2025–2026, with the Chinese holidays) in a few seconds: an
injected clock driven by the fire times of the scheduler's real APScheduler triggers, a
process that can be down or crash, people who submit their reports, and an office that
moves a period's dates, returns reports and reopens a closed month to correct it.

The expected outcome is worked out here from the timeline alone (which instants the process
was up, who had submitted by then) and compared with the JobRun and Notification tables.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
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
from tracker.models import MonthlyReport, ReportingPeriod
from tracker.services import compile_jobs, cycle, dispatch, reports
from tracker.services.auth import Actor
from tracker.services.cycle import dates_for
from tracker.services.errors import ServiceError

START = datetime(2025, 1, 1, 0, 0, tzinfo=SHANGHAI)
END = datetime(2027, 1, 8, 0, 0, tzinfo=SHANGHAI)  # December 2026 closes on 5 January 2027
MONTHS = [date(y, m, 1) for y in (2025, 2026) for m in range(1, 13)]
A_SUBMITS = time(14, 0)  # the county lead: the day after the open day, by the due day
B_SUBMITS = (1, time(14, 0))  # the unit account: the 1st of the next month, late
# The production catch-up runs every hour; the simulation thins it to every six hours (it
# also runs at every start), which keeps a year at a few seconds and still exercises it.
SIM_CATCH_UP = CronTrigger(hour="*/6", minute=5, timezone=TIMEZONE)


class Crash(RuntimeError):
    """Injected in the middle of a job: the process dies here."""


@dataclass
class Office:
    a: Actor  # 双江县 county lead, reports projects 1, 3 and 4
    b: Actor  # 市能源局 account, reports project 2
    admin_id: int
    p1: int
    p2: int
    p3: int = 0
    p4: int = 0
    admin: Actor | None = None

    def projects_of(self, who: str) -> list[int]:
        return [self.p1, self.p3, self.p4] if who == "a" else [self.p2]


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
        more = [
            make_project(
                s,
                county="双江县",
                lead_unit="市水务局",
                annual_plan={2026: 600},
                actual_start=date(2024, 12, 1),
                planned_start=date(2024, 12, 1),
            )
            for _ in range(2)
        ]
        for p in (p1, p2):  # reporting from January 2025
            p.planned_start = p.actual_start = date(2024, 12, 1)
            s.add(p)
        return Office(
            Actor.of(a),
            Actor.of(b),
            admin.id or 0,
            p1.id or 0,
            p2.id or 0,
            more[0].id or 0,
            more[1].id or 0,
            Actor.of(admin),
        )


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
    kind: str = field(compare=False)  # start | job | submit | office
    name: str = field(compare=False, default="")
    who: str = field(compare=False, default="")
    period: date | None = field(compare=False, default=None)
    action: OfficeAction | None = field(compare=False, default=None)


@dataclass(frozen=True)
class OfficeAction:
    """What the office does by hand at ``at``: ``move`` a period's dates (to ``dates``),
    ``return`` every report of person ``who`` for the period, ``reopen`` a closed month, or
    ``compile`` it (the page's 立即生成)."""

    at: datetime
    kind: str  # move | return | reopen | compile
    period: date
    who: str = ""
    dates: tuple[date, date, date] | None = None
    reason: str = "办公室调整"


@dataclass
class Scenario:
    name: str
    down: list[tuple[datetime, datetime]] = field(default_factory=list)
    # (job name, run day) -> crash after part of the work; the process is then down for 2 h
    crashes: set[tuple[str, date]] = field(default_factory=set)
    racers: int = 1
    office: list[OfficeAction] = field(default_factory=list)
    # month -> 需协调解决事项 the county lead writes in the first project's report that month
    coordination: dict[date, str] = field(default_factory=dict)


@dataclass
class Timeline:
    """What happened, as the harness saw it: the model the tables are checked against."""

    up_events: list[tuple[datetime, str]] = field(default_factory=list)  # ran while up
    submitted: dict[tuple[str, date], datetime] = field(default_factory=dict)
    crashed: list[tuple[str, datetime]] = field(default_factory=list)
    office: list[OfficeAction] = field(default_factory=list)  # what the office did

    # Which events can run a job: its own trigger, the catch-up, and the catch-up at start.
    COVERS = {
        "open": {"open", "catch_up", "start"},
        "compile": {"compile", "catch_up", "start"},
        "reminders": {"reminders", "catch_up", "start"},
        "milestone_watch": {"milestone_watch", "catch_up", "start"},
        "duban": {"duban", "catch_up", "start"},
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
    moved = {a.period: a.dates for a in scenario.office if a.kind == "move" and a.dates}
    for month in MONTHS:
        opens_on = moved[month][0] if month in moved else dates_for(month, settings).opens_on
        a_day = datetime.combine(opens_on + timedelta(days=1), A_SUBMITS, SHANGHAI)
        b_day = datetime.combine(
            add_months(month, 1).replace(day=B_SUBMITS[0]), B_SUBMITS[1], SHANGHAI
        )
        out += [Event(a_day, 2, "submit", who="a", period=month)]
        out += [Event(b_day, 2, "submit", who="b", period=month)]
    out += [Event(up, 0, "start") for _, up in scenario.down]
    out += [Event(a.at, 3, "office", name=a.kind, action=a) for a in scenario.office]
    # a returned report is corrected and submitted again four hours later
    out += [
        Event(a.at + timedelta(hours=4), 2, "submit", who=a.who, period=a.period)
        for a in scenario.office
        if a.kind == "return"
    ]
    return sorted(out)


def is_up(scenario: Scenario, at: datetime, extra_down: list[tuple[datetime, datetime]]) -> bool:
    return not any(start <= at < end for start, end in [*scenario.down, *extra_down])


def submit(
    engine: Engine,
    settings: Settings,
    office: Office,
    who: str,
    period: date,
    at: datetime,
    coordination: str = "",
) -> bool:
    actor = office.a if who == "a" else office.b
    values = reports.ReportValues(
        completed_month=Decimal("100"),
        progress_pct=float(period.month * 4),
        progress_text="按计划推进",
        reporter="填报人",
    )
    try:
        with write_session(engine) as s:
            for pid in office.projects_of(who):
                if coordination and pid == office.p1:
                    values = replace(values, coordination=coordination)
                elif coordination:
                    values = replace(values, coordination="")
                seen = s.exec(
                    select(MonthlyReport.version)
                    .where(MonthlyReport.project_id == pid)
                    .where(MonthlyReport.period == period)
                ).first()
                reports.submit_report(
                    s,
                    actor=actor,
                    project_id=pid,
                    period=period,
                    values=values,
                    seen_version=seen or 0,
                    today=at.date(),
                    settings=settings,
                    now=at,
                )
        return True
    except ServiceError as exc:
        print("submission refused:", who, period, at, exc)
        return False


def act(engine: Engine, settings: Settings, office: Office, action: OfficeAction) -> None:
    """The office's hand at work (through the same services the pages call)."""
    admin = office.admin
    assert admin is not None
    today = action.at.date()
    with write_session(engine) as s:
        row = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == action.period)).one()
        if action.kind == "move":
            assert action.dates is not None
            cycle.move_dates(
                s,
                actor=admin,
                period=action.period,
                opens_on=action.dates[0],
                due_on=action.dates[1],
                closes_on=action.dates[2],
                reason=action.reason,
                seen_version=row.version,
                today=today,
            )
        elif action.kind == "reopen":
            cycle.reopen(
                s, actor=admin, period=action.period, reason=action.reason, seen_version=row.version
            )
        elif action.kind == "return":
            for pid in office.projects_of(action.who):
                report = s.exec(
                    select(MonthlyReport)
                    .where(MonthlyReport.project_id == pid)
                    .where(MonthlyReport.period == action.period)
                ).one()
                reports.return_report(
                    s,
                    actor=admin,
                    project_id=pid,
                    period=action.period,
                    comment=f"项目{pid}：本月完成投资与现场不符，请核实后重报",
                    seen_version=report.version,
                    today=today,
                    settings=settings,
                )
    if action.kind == "compile":
        compile_jobs.start_compile(
            engine,
            actor=admin,
            period=action.period,
            today=today,
            settings=settings,
            run=lambda work, *args: work(*args),
        )


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
            text = scenario.coordination.get(event.period, "") if event.who == "a" else ""
            if submit(engine, settings, office, event.who, event.period, event.at, text):
                timeline.submitted.setdefault((event.who, event.period), event.at)
            continue
        if event.kind == "office":
            assert event.action is not None
            act(engine, settings, office, event.action)
            timeline.office.append(event.action)
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
        if event.name == "housekeeping":  # sign-in records only: no part of the cycle
            jobs.run_housekeeping(engine, settings, now=event.at)
            return []
        if event.name == "indicators":  # #16: tests/schedules/test_indicator_cycle.py
            return [r for r in jobs.run_indicator_cycle(engine, settings, today=today) if r.done]
        if event.name == "media_cleanup":  # photo files only (#18): no part of the cycle
            return []
        job: Callable[..., dispatch.JobResult] = {
            "open": jobs.run_open_period,
            "compile": jobs.run_compile,
            "reminders": jobs.run_reminders,
            "milestone_watch": jobs.run_milestone_watch,
            "duban": jobs.run_duban,
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
    engine: Engine,
    timeline: Timeline,
    office: Office,
    settings: Settings,
    scenario: Scenario | None = None,
) -> set[str]:
    """Every outbox dedupe key the year should have produced, from the timeline alone (the
    period's dates are read back: they are configuration, not what is tested here)."""
    with read_session(engine) as s:
        periods = {p.period: p for p in s.exec(select(ReportingPeriod)).all()}
        returned = {(r.project_id, r.period): r.id for r in s.exec(select(MonthlyReport)).all()}
    keys: set[str] = set()
    users = {"a": office.a.id, "b": office.b.id}
    channels = ("inapp", "email")
    reminder_days = timeline.daily_runs("reminders", jobs.TIMES.reminders)
    for month in MONTHS:
        row = periods[month]
        key = f"{month:%Y-%m}"
        opened = timeline.first_run(
            "open", datetime.combine(row.opens_on, jobs.TIMES.open, SHANGHAI)
        )
        closed = timeline.first_run(
            "compile", datetime.combine(row.closes_on, jobs.TIMES.compile, SHANGHAI)
        )
        assert opened is not None and closed is not None
        for who in ("a", "b"):
            keys |= {f"{c}:{users[who]}:report_open:period:{key}" for c in channels}
        keys.add(f"webhook:group:report_open:period:{key}")
        keys |= {f"{c}:{office.admin_id}:bulletin_ready:{key}" for c in channels}
        keys.add(f"webhook:group:bulletin_ready:{key}")
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
    # The office's own actions: every returned report is its own notice; a 修订版 its own.
    for action in timeline.office:
        if action.kind == "return":
            for pid in office.projects_of(action.who):
                report_id = returned[(pid, action.period)]
                keys |= {
                    f"{c}:{users[action.who]}:report_returned:report:{report_id}:v2"
                    for c in channels
                }
        if action.kind == "compile":
            revision = periods[action.period].revision
            key = f"{action.period:%Y-%m}#r{revision}"
            keys |= {f"{c}:{office.admin_id}:bulletin_ready:{key}" for c in channels}
            keys.add(f"webhook:group:bulletin_ready:{key}")
    if scenario is not None:
        keys |= escalation_keys(engine, timeline, office, settings, scenario)
    return keys


def escalation_days(raised_on: date, settings: Settings, runs: dict[date, datetime]) -> dict:
    """Level -> the day the daily 督办 job raises an item raised on ``raised_on`` to it by age:
    the first day the job ran once the settings' days had passed."""
    out = {}
    for level, days in (
        ("city", settings.DUBAN_LEVEL2_DAYS),
        ("mayor", settings.DUBAN_LEVEL3_DAYS),
    ):
        due = raised_on + timedelta(days=days)
        out[level] = min(day for day in runs if day >= due)
    return out


def escalation_keys(
    engine: Engine, timeline: Timeline, office: Office, settings: Settings, scenario: Scenario
) -> set[str]:
    """Each escalation told once: the county lead (the project's county), the unit account
    the text names (市能源局), the office, by bell and e-mail, and the office's group."""
    from tracker.models import ProblemItem

    runs = timeline.daily_runs("duban", jobs.TIMES.duban)
    keys: set[str] = set()
    with read_session(engine) as s:
        for text in scenario.coordination.values():
            item = s.exec(select(ProblemItem).where(ProblemItem.text == text)).one()
            for day in escalation_days(item.raised_on, settings, runs).values():
                event = f"escalations:{day.isoformat()}"  # one notice a person a day
                for user in (office.a.id, office.b.id, office.admin_id):
                    keys |= {f"{c}:{user}:duban_escalation:{event}" for c in ("inapp", "email")}
                keys.add(f"webhook:group:duban_escalation:{event}")
    return keys
