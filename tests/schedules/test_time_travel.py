"""Twenty-four simulated months of the cycle (2025–2026, Chinese holidays) through several
scenarios. Each period must end with exactly one opening and one compile, every open, due and
close day must fall on a working day unless the office moved it, and the outbox must hold
exactly the notices the timeline calls for: none duplicated, none missed, and every event
its own notice (three returned reports to one person on one day are three notices)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import col, func, select

from tests.schedules import sim
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import make_engine, read_session, write_session
from tracker.domain.cycle import is_workday
from tracker.domain.periods import SHANGHAI
from tracker.excel.bulletin import bulletin_workbook
from tracker.models import (
    AuditLog,
    JobRun,
    MonthlyReport,
    Notification,
    PeriodSnapshot,
    ProblemItem,
    ReportingPeriod,
)
from tracker.services import bulletin as bulletins
from tracker.services import dispatch, reports
from tracker.services.auth import SYSTEM
from tracker.services.cycle import PeriodLocked, dates_for

S = SHANGHAI


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=S)


def settings_for(tmp_path):
    return dispatch_settings(
        SMTP_HOST="127.0.0.1",
        WEBHOOK_URL="http://127.0.0.1:9/robot",
        BULLETIN_DIR=str(tmp_path / "bulletins"),
    )


MARCH_2026 = date(2026, 3, 1)
MAY_2026 = date(2026, 5, 1)
JUNE_2025 = date(2025, 6, 1)
OFFICE = [
    # May 2026: the office moves the due day to Saturday 30 May and the close to 8 June
    sim.OfficeAction(
        at(2026, 5, 12, 10),
        "move",
        MAY_2026,
        dates=(date(2026, 5, 20), date(2026, 5, 30), date(2026, 6, 8)),
        reason="配合全市项目集中开工活动，截止日顺延至30日（周六）",
    ),
    # June 2025: three of the county lead's reports returned on one day, then resubmitted
    sim.OfficeAction(at(2025, 6, 24, 10), "return", JUNE_2025, who="a"),
    # March 2026, closed on 7 April: reopened on 15 April, a correction, compiled again
    sim.OfficeAction(at(2026, 4, 15, 10), "reopen", MARCH_2026, reason="双江县3月投资数据有误"),
    sim.OfficeAction(at(2026, 4, 16, 9), "return", MARCH_2026, who="a"),
    sim.OfficeAction(at(2026, 4, 20, 15), "compile", MARCH_2026),
]
SCENARIOS = {
    "normal": sim.Scenario("normal"),
    "down across due, open and close times": sim.Scenario(
        "down",
        down=[
            (at(2026, 3, 24, 7), at(2026, 3, 27, 10)),  # across March's due day (25th)
            (at(2026, 5, 19, 20), at(2026, 5, 21, 7)),  # across May's opening (20th 08:00)
            (at(2026, 8, 4, 12), at(2026, 8, 6, 12)),  # across July's close (5 Aug 01:00)
            (at(2025, 10, 7, 12), at(2025, 10, 10, 12)),  # across September 2025's close (9 Oct)
        ],
    ),
    "crash in the middle of a job, then restart": sim.Scenario(
        "crash",
        crashes={("compile", date(2026, 7, 6)), ("reminders", date(2026, 4, 27))},
    ),
    "two restarts in one period": sim.Scenario(
        "restarts",
        down=[
            (at(2026, 9, 21, 10), at(2026, 9, 21, 10, 30)),
            (at(2026, 9, 25, 8, 55), at(2026, 9, 25, 9, 30)),
        ],
    ),
    "the office moves dates, returns reports and reopens a month": sim.Scenario(
        "office", office=OFFICE
    ),
}


def check_year(engine, settings, office, timeline, scenario=None) -> None:
    assert len(timeline.submitted) == 48, "every report of the two years went in"
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
    revisions = {
        f"{a.period:%Y-%m}#r2" for a in timeline.office if a.kind == "compile"
    }  # the office's compiles of a reopened month
    assert opened == months, "one opening per period, none missing"
    assert compiled == months | revisions, "one compile per period and revision, none missing"
    assert all(periods[m].status == "closed" for m in sim.MONTHS)
    assert snapshots == 24
    # No open, due or close day on a day off, unless the office moved it (and said why).
    for month in sim.MONTHS:
        row = periods[month]
        if row.dates_reason:
            continue
        for day in (row.opens_on, row.due_on, row.closes_on):
            check = is_workday(day)
            assert check.workday or not check.official, (month, day)
    reminder_days = {k for j, k in per_job if j == dispatch.REMINDERS}
    watch_days = {k for j, k in per_job if j == dispatch.MILESTONE_WATCH}
    assert reminder_days == {
        d.isoformat() for d in timeline.daily_runs("reminders", sim.jobs.TIMES.reminders)
    }
    assert watch_days == {
        d.isoformat()
        for d in timeline.daily_runs("milestone_watch", sim.jobs.TIMES.milestone_watch)
    }
    expected = sim.expected_keys(engine, timeline, office, settings, scenario)
    assert total == len(keys)
    assert keys - expected == set(), "nothing sent that should not have been"
    assert expected - keys == set(), "nothing missed"
    # Late flags: the unit account always reports on the 1st of the next month.
    with read_session(engine) as s:
        lates = {(r.project_id, r.late) for r in s.exec(select(MonthlyReport)).all()}
    assert lates == {(office.p1, False), (office.p3, False), (office.p4, False), (office.p2, True)}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_year_of_the_cycle(sqlite_engine, tmp_path, monkeypatch, name):
    settings = settings_for(tmp_path)
    office = sim.make_office(sqlite_engine)
    scenario = SCENARIOS[name]
    scenario = sim.Scenario(
        scenario.name, list(scenario.down), set(scenario.crashes), office=list(scenario.office)
    )
    timeline = sim.run(sqlite_engine, settings, scenario, office, monkeypatch)
    if name.startswith("crash"):
        assert [job for job, _ in timeline.crashed] == ["reminders", "compile"]
        with read_session(sqlite_engine) as s:
            retried = {r.job: r.attempts for r in s.exec(select(JobRun)).all() if r.attempts > 1}
        assert retried == {dispatch.REMINDERS: 2, dispatch.COMPILE_BULLETIN: 2}
    check_year(sqlite_engine, settings, office, timeline)
    assert len(list((tmp_path / "bulletins").glob("调度通报-202[56]-??.xlsx"))) == 24
    if name.startswith("the office"):
        check_office(sqlite_engine, office)


def check_office(engine, office) -> None:
    """What the office did by hand left what it should."""
    with read_session(engine) as s:
        may = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == MAY_2026)).one()
        assert (may.due_on, may.closes_on) == (date(2026, 5, 30), date(2026, 6, 8))
        assert not is_workday(may.due_on).workday  # the office's choice, with its reason
        assert "顺延" in may.dates_reason
        moved = s.exec(select(AuditLog).where(AuditLog.action == "period.move_dates")).all()
        assert len(moved) == 1 and moved[0].after["due_on"] == "2026-05-30"
        # three returns to one person on one day: three notices, each naming its project
        returns = s.exec(
            select(Notification)
            .where(Notification.reason == "report_returned")
            .where(Notification.channel == "inapp")
            .where(Notification.user_id == office.a.id)
        ).all()
        june = s.exec(
            select(MonthlyReport.id)
            .where(MonthlyReport.period == JUNE_2025)
            .where(col(MonthlyReport.project_id).in_(office.projects_of("a")))
        ).all()
        on_the_day = [n for n in returns if any(f"report:{i}:" in n.dedupe_key for i in june)]
        assert len(returns) == 6 and len(on_the_day) == 3  # June's three, then March's three
        assert len({n.body for n in returns}) == 6  # one per report and return, with the comment
        assert all("退回原因：项目" in n.body for n in returns)
        # March 2026: 修订版 2 is current, version 1 still downloads
        march = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == MARCH_2026)).one()
        assert (march.status, march.revision) == ("closed", 2)
        versions = bulletins.bulletin_revisions(s, period=MARCH_2026)
        assert [(v.revision, v.current) for v in versions] == [(2, True), (1, False)]
        assert versions[0].reason == "双江县3月投资数据有误"
        first = bulletins.build_bulletin(
            s,
            actor=SYSTEM,
            period=MARCH_2026,
            today=date(2026, 12, 1),
            settings=dispatch_settings(),
            revision=1,
        )
        current = bulletins.build_bulletin(
            s,
            actor=SYSTEM,
            period=MARCH_2026,
            today=date(2026, 12, 1),
            settings=dispatch_settings(),
        )
        assert (first.revision, current.revision) == (1, 2)
        assert current.title.endswith("（修订版2）") and first.status_label == "定稿"
        assert load_workbook(io.BytesIO(bulletin_workbook(first))).sheetnames[0] == "调度通报"
        # the scheduler never compiled the reopened month by itself: only the office did
        runs = s.exec(
            select(JobRun)
            .where(JobRun.job == dispatch.COMPILE_BULLETIN)
            .where(col(JobRun.period_key).startswith("2026-03"))
        ).all()
        assert sorted(r.period_key for r in runs) == ["2026-03", "2026-03#r2"]
        audit = [
            a.action for a in s.exec(select(AuditLog).where(AuditLog.entity == "reportingperiod"))
        ]
        assert "period.reopen" in audit


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


@pytest.mark.slow
def test_a_coordination_item_escalates_by_age_on_the_days_the_settings_say(
    sqlite_engine, tmp_path, monkeypatch
):
    """#14: an item raised by the county lead's March 2026 report (on the day after March's
    open day) reaches 分管市领导督办 after DUBAN_LEVEL2_DAYS and 市长督办 after
    DUBAN_LEVEL3_DAYS, by the daily job, each escalation told once to the county lead, the
    unit the text names and the office; nothing else of the cycle changes."""
    settings = dispatch_settings(
        SMTP_HOST="127.0.0.1",
        WEBHOOK_URL="http://127.0.0.1:9/robot",
        BULLETIN_DIR=str(tmp_path / "bulletins"),
        DUBAN_LEVEL2_DAYS=15,
        DUBAN_LEVEL3_DAYS=30,
    )
    office = sim.make_office(sqlite_engine)
    text = "请市能源局协调解决施工用电"
    scenario = sim.Scenario("duban", coordination={MARCH_2026: text})
    timeline = sim.run(sqlite_engine, settings, scenario, office, monkeypatch)
    check_year(sqlite_engine, settings, office, timeline, scenario)
    with read_session(sqlite_engine) as s:
        item = s.exec(select(ProblemItem).where(ProblemItem.text == text)).one()
        raised = item.raised_on
        escalations = s.exec(
            select(AuditLog)
            .where(AuditLog.action == "escalate")
            .where(AuditLog.entity_id == item.id)
            .order_by(AuditLog.id)
        ).all()
        told = s.exec(
            select(Notification)
            .where(Notification.reason == "duban_escalation")
            .where(Notification.channel == "inapp")
        ).all()
    opens_on = dates_for(MARCH_2026, settings).opens_on
    assert raised == opens_on + timedelta(days=1)  # the day the county lead submitted
    assert (item.level, item.owner, item.cause) == ("mayor", "市能源局", "factors")
    assert [(a.before["level"], a.after["level"]) for a in escalations] == [
        ("office", "city"),
        ("city", "mayor"),
    ]
    day2, day3 = raised + timedelta(days=15), raised + timedelta(days=30)
    # once per person on the day the settings say (the event names the day), naming the level
    got = sorted(
        (n.user_id, n.dedupe_key.split(":")[-1], n.subject.rsplit("（", 1)[-1]) for n in told
    )
    assert got == sorted(
        (user, day.isoformat(), level)
        for user in (office.a.id, office.b.id, office.admin_id)
        for day, level in ((day2, "分管市领导督办）"), (day3, "市长督办）"))
    )
