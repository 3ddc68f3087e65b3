"""Twelve simulated months of the cycle through five scenarios. Each period must end with
exactly one opening and one compile, and the outbox must hold exactly the reminders the
timeline calls for: none duplicated, none missed."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import func, select

from tests.schedules import sim
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import make_engine, read_session, write_session
from tracker.domain.periods import SHANGHAI
from tracker.models import JobRun, MonthlyReport, Notification, PeriodSnapshot, ReportingPeriod
from tracker.services import dispatch, reports
from tracker.services.cycle import PeriodLocked

S = SHANGHAI


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=S)


def settings_for(tmp_path):
    return dispatch_settings(
        SMTP_HOST="127.0.0.1",
        WEBHOOK_URL="http://127.0.0.1:9/robot",
        BULLETIN_DIR=str(tmp_path / "bulletins"),
    )


SCENARIOS = {
    "normal": sim.Scenario("normal"),
    "down across due, open and close times": sim.Scenario(
        "down",
        down=[
            (at(2026, 3, 24, 7), at(2026, 3, 27, 10)),  # across March's due day (25th)
            (at(2026, 5, 19, 20), at(2026, 5, 21, 7)),  # across May's opening (20th 08:00)
            (at(2026, 8, 4, 12), at(2026, 8, 6, 12)),  # across July's close (5 Aug 01:00)
        ],
    ),
    "crash in the middle of a job, then restart": sim.Scenario(
        "crash",
        crashes={("compile", date(2026, 7, 5)), ("reminders", date(2026, 4, 27))},
    ),
    "two restarts in one period": sim.Scenario(
        "restarts",
        down=[
            (at(2026, 9, 21, 10), at(2026, 9, 21, 10, 30)),
            (at(2026, 9, 25, 8, 55), at(2026, 9, 25, 9, 30)),
        ],
    ),
}


def check_year(engine, settings, office, timeline) -> None:
    assert len(timeline.submitted) == 24, "every report of the year went in"
    with read_session(engine) as s:
        runs = s.exec(select(JobRun)).all()
        keys = {n.dedupe_key for n in s.exec(select(Notification)).all()}
        total = s.exec(select(func.count()).select_from(Notification)).one()
        periods = {p.period: p for p in s.exec(select(ReportingPeriod)).all()}
        snapshots = s.exec(select(func.count()).select_from(PeriodSnapshot)).one()
    assert all(r.status == "done" for r in runs), [r for r in runs if r.status != "done"]
    per_job = Counter((r.job, r.period_key) for r in runs)
    assert max(per_job.values()) == 1  # also guaranteed by the unique key
    months = {f"{m:%Y-%m}" for m in sim.MONTHS}
    opened = {k for j, k in per_job if j == dispatch.OPEN_PERIOD}
    compiled = {k for j, k in per_job if j == dispatch.COMPILE_BULLETIN}
    assert opened == months, "one opening per period, none missing"
    assert compiled == months, "one compile per period, none missing"
    assert all(periods[m].status == "closed" for m in sim.MONTHS)
    assert snapshots == 12
    reminder_days = {k for j, k in per_job if j == dispatch.REMINDERS}
    watch_days = {k for j, k in per_job if j == dispatch.MILESTONE_WATCH}
    assert reminder_days == {
        d.isoformat() for d in timeline.daily_runs("reminders", sim.jobs.TIMES.reminders)
    }
    assert watch_days == {
        d.isoformat()
        for d in timeline.daily_runs("milestone_watch", sim.jobs.TIMES.milestone_watch)
    }
    expected = sim.expected_keys(engine, timeline, office, settings)
    assert total == len(keys)
    assert keys - expected == set(), "nothing sent that should not have been"
    assert expected - keys == set(), "nothing missed"
    # Late flags: the unit account always reports on the 1st of the next month.
    with read_session(engine) as s:
        lates = {(r.project_id, r.late) for r in s.exec(select(MonthlyReport)).all()}
    assert lates == {(office.p1, False), (office.p2, True)}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_year_of_the_cycle(sqlite_engine, tmp_path, monkeypatch, name):
    settings = settings_for(tmp_path)
    office = sim.make_office(sqlite_engine)
    scenario = SCENARIOS[name]
    scenario = sim.Scenario(scenario.name, list(scenario.down), set(scenario.crashes))
    timeline = sim.run(sqlite_engine, settings, scenario, office, monkeypatch)
    if name.startswith("crash"):
        assert [job for job, _ in timeline.crashed] == ["reminders", "compile"]
        with read_session(sqlite_engine) as s:
            retried = {r.job: r.attempts for r in s.exec(select(JobRun)).all() if r.attempts > 1}
        assert retried == {dispatch.REMINDERS: 2, dispatch.COMPILE_BULLETIN: 2}
    check_year(sqlite_engine, settings, office, timeline)
    assert len(list((tmp_path / "bulletins").glob("调度通报-2026-*.xlsx"))) == 12


@pytest.mark.slow
def test_two_schedulers_racing_on_one_database_do_each_job_once(engine, tmp_path, monkeypatch):
    settings = settings_for(tmp_path)
    office = sim.make_office(engine)
    # A second process has its own engine and connection pool on the same database.
    second = make_engine(
        str(engine.url.render_as_string(hide_password=False)),
        **(
            {
                "connect_args": {
                    "options": engine.dialect.name == "postgresql" and _pg_options(engine)
                }
            }
            if engine.dialect.name == "postgresql"
            else {}
        ),
    )
    try:
        timeline = sim.run(
            engine,
            settings,
            sim.Scenario("race", racers=2),
            office,
            monkeypatch,
            engines=[engine, second],
        )
    finally:
        second.dispose()
    check_year(engine, settings, office, timeline)


def _pg_options(engine) -> str:
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar()
    return f"-csearch_path={schema}"


def test_reports_of_a_compiled_period_are_locked(sqlite_engine, tmp_path, monkeypatch):
    settings = settings_for(tmp_path)
    office = sim.make_office(sqlite_engine)
    sim.jobs.catch_up(sqlite_engine, settings, now=at(2026, 1, 21, 12))
    assert sim.submit(sqlite_engine, settings, office, "a", date(2026, 1, 1), at(2026, 1, 21, 14))
    sim.jobs.catch_up(sqlite_engine, settings, now=at(2026, 2, 5, 2))
    with write_session(sqlite_engine) as s, pytest.raises(PeriodLocked, match="已锁定"):
        reports.submit_report(
            s,
            actor=office.b,
            project_id=office.p2,
            period=date(2026, 1, 1),
            values=reports.ReportValues(
                completed_month=Decimal("1"), progress_pct=1, progress_text="x", reporter="y"
            ),
            seen_version=0,
            today=date(2026, 2, 5),
            settings=settings,
        )
