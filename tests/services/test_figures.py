"""#10's figures through the services: a return that is not a failing project, each project
judged by its own 序时, the stage counts on the battle map against plain SQL, the office's
say over a period's dates and a closed month, and one notice per event."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.factories import make_project, make_report, make_user
from tests.services.dispatch_helpers import dispatch_settings, open_period
from tracker.db import read_session, write_session
from tracker.domain.approvals import workdays_after
from tracker.domain.rules import RULES_BY_CODE, Light, Thresholds, grade
from tracker.models import AuditLog, MonthlyReport, Notification, ProjectStep, ReportingPeriod
from tracker.services import cycle, reports
from tracker.services.auth import Actor
from tracker.services.battle_map import ViewState, battle_map
from tracker.services.errors import ConflictError, InvalidInput, PermissionDenied
from tracker.services.status import project_statuses

SETTINGS = dispatch_settings()
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
T = Thresholds()


# --- a returned report ------------------------------------------------------------------------


def _returned_world(engine):
    """A project on track, its October report submitted and then returned by the office."""
    with write_session(engine) as s:
        for month in (date(2026, 9, 1), OCTOBER):
            open_period(s, month)
        lead = make_user(s, "county", county="双江县")
        admin = make_user(s, "admin")
        p = make_project(
            s,
            annual_plan={2026: 1200},
            planned_start=date(2025, 6, 1),
            actual_start=date(2025, 6, 3),
            planned_finish=date(2027, 12, 31),
        )
        make_report(s, p, date(2026, 9, 1), completed_ytd=Decimal("900"), completed_month=100)
        report = make_report(
            s, p, OCTOBER, completed_ytd=Decimal("1000"), completed_month=100, progress_pct=60
        )
        return Actor.of(lead), Actor.of(admin), p.id, report.version


def test_a_returned_report_keeps_the_project_judged_on_the_figures_it_was_returned_with(
    sqlite_engine,
):
    lead, admin, pid, version = _returned_world(sqlite_engine)
    as_of = date(2026, 10, 28)
    with read_session(sqlite_engine) as s:
        [before] = project_statuses(s, as_of=as_of, thresholds=T)
    assert before.light is Light.GREEN and not before.returned
    with write_session(sqlite_engine) as s:
        reports.return_report(
            s,
            actor=admin,
            project_id=pid,
            period=OCTOBER,
            comment="本月完成投资与凭证不符",
            seen_version=version,
            today=as_of,
            settings=SETTINGS,
        )
        # the lead starts correcting: a draft with other figures does not count yet
        row = s.exec(select(MonthlyReport).where(MonthlyReport.period == OCTOBER)).one()
        reports.save_draft(
            s,
            actor=lead,
            project_id=pid,
            period=OCTOBER,
            values=reports.ReportValues(completed_month=Decimal("0"), completed_ytd=Decimal("0")),
            seen_version=row.version,
            today=as_of,
            settings=SETTINGS,
        )
    with read_session(sqlite_engine) as s:
        [after] = project_statuses(s, as_of=as_of, thresholds=T)
    assert after.light is Light.GREEN  # not red, not amber: a correction is not a failure
    assert after.returned  # 退回修改 beside the light
    assert after.reported and after.missed_reports == 0
    assert after.completed_ytd == Decimal("1000") and after.progress == 0.6
    # and submitting the correction does not demand 存在问题 of a green project
    with write_session(sqlite_engine) as s:
        row = s.exec(select(MonthlyReport).where(MonthlyReport.period == OCTOBER)).one()
        reports.submit_report(
            s,
            actor=lead,
            project_id=pid,
            period=OCTOBER,
            values=reports.ReportValues(
                completed_month=Decimal("110"),
                progress_pct=61,
                progress_text="已更正",
                reporter="更正人",
            ),
            seen_version=row.version,
            today=as_of,
            settings=SETTINGS,
        )
    with read_session(sqlite_engine) as s:
        [final] = project_statuses(s, as_of=as_of, thresholds=T)
    assert not final.returned and final.completed_ytd == Decimal("1010")


def test_three_returns_to_one_person_on_one_day_are_three_notices(sqlite_engine):
    settings = dispatch_settings(SMTP_HOST="127.0.0.1")
    as_of = date(2026, 10, 28)
    with write_session(sqlite_engine) as s:
        open_period(s, OCTOBER)
        lead = make_user(s, "county", county="双江县")
        lead.email = "lead@example.lincang.gov.cn"
        admin = Actor.of(make_user(s, "admin"))
        rows = []
        for _ in range(3):
            p = make_project(s, annual_plan={2026: 100}, actual_start=date(2026, 1, 5))
            rows.append(make_report(s, p, OCTOBER, reporter_id=lead.id))
    with write_session(sqlite_engine) as s:
        for i, r in enumerate(rows):
            reports.return_report(
                s,
                actor=admin,
                project_id=r.project_id,
                period=OCTOBER,
                comment=f"第{i + 1}处需要更正",
                seen_version=r.version,
                today=as_of,
                settings=settings,
            )
    with read_session(sqlite_engine) as s:
        notes = s.exec(
            select(Notification).where(Notification.reason == reports.REPORT_RETURNED)
        ).all()
    assert Counter(n.channel for n in notes) == {"inapp": 3, "email": 3}
    assert {n.user_id for n in notes} == {lead.id}
    assert sorted(n.body.splitlines()[-1] for n in notes if n.channel == "inapp") == [
        "退回原因：第1处需要更正",
        "退回原因：第2处需要更正",
        "退回原因：第3处需要更正",
    ]


# --- the project's own 序时 -------------------------------------------------------------------


def test_a_project_starting_in_september_is_not_judged_on_investment_in_march(sqlite_engine):
    with write_session(sqlite_engine) as s:
        open_period(s, date(2026, 3, 1))
        later = make_project(
            s,
            annual_plan={2026: 1200},
            planned_start=date(2026, 9, 1),
            planned_finish=date(2027, 8, 31),
        )
        running = make_project(
            s,
            annual_plan={2026: 1200},
            planned_start=date(2025, 1, 1),
            actual_start=date(2025, 1, 1),
            planned_finish=date(2027, 12, 31),
        )
        make_report(s, running, date(2026, 3, 1), completed_ytd=Decimal("0"))
    with read_session(sqlite_engine) as s:
        by_id = {
            x.project.id: x for x in project_statuses(s, as_of=date(2026, 4, 10), thresholds=T)
        }
    assert by_id[later.id].light is Light.GREEN and by_id[later.id].reasons == []
    assert by_id[later.id].due_share == 0.0 and by_id[later.id].stage.value == "preparing"
    assert by_id[running.id].light is Light.RED  # 25% due, nothing done: 25 pp behind
    assert by_id[running.id].reasons[0].params["due"] == 25.0


def test_the_demo_office_owes_no_investment_before_a_planned_start(sqlite_engine):
    from tracker.services.demo import build_demo

    as_of = date(2022, 4, 10)
    with write_session(sqlite_engine) as s:
        build_demo(s, as_of=as_of, password="pw")
    with read_session(sqlite_engine) as s:
        statuses = project_statuses(s, as_of=as_of, thresholds=T)
        steps = {(p.project_id, p.name): p for p in s.exec(select(ProjectStep))}
    before_start = [
        x
        for x in statuses
        if x.project.planned_start and x.project.planned_start > date(2022, 3, 31)
    ]
    assert before_start, "the demo has projects planned to start later in 2022"
    at_risk = 0
    for x in before_start:  # the March figures owe nothing for a start in April or later
        assert all(r.code != "behind_time_progress" for r in x.reasons), x.project.code
        if x.project.planned_start > as_of:  # not even late to start: judged on milestones
            # … and (#17) on its approval steps: one step past the latest date that keeps
            # the start, an approval owed, not investment
            codes = [r.code for r in x.reasons]
            assert set(codes) <= {"milestone_overdue", "start_at_risk"}, x.project.code
            assert codes.count("start_at_risk") <= 1, x.project.code
        for r in x.reasons:
            if r.code != "start_at_risk":
                continue
            at_risk += 1
            step = steps[(x.project.id, r.params["step"])]  # one of the project's own steps
            assert step.actual_finish is None, x.project.code  # not approved yet
            assert r.params["latest"] < as_of, x.project.code
            # the working days since that latest date, and the light the rule table gives them
            assert r.params["days"] == workdays_after(r.params["latest"], as_of), x.project.code
            assert r.light is grade(r.params["days"], RULES_BY_CODE["start_at_risk"], T)
    assert at_risk, "the demo has approval steps that put a later start at risk"
    lights = Counter(x.light for x in statuses)
    assert lights[Light.RED] <= 10  # the March 2022 alarm (43 red) is gone


# --- stages on the battle map, against plain SQL ---------------------------------------------


@pytest.mark.parametrize(
    ("stage", "sql"),
    [
        ("preparing", "actual_start is null or actual_start > :d"),
        (
            "new",
            "actual_start >= :y0 and actual_start <= :d "
            "and (actual_finish is null or actual_finish > :d)",
        ),
        (
            "continuing",
            "actual_start < :y0 and (actual_finish is null or actual_finish > :d)",
        ),
        ("completed", "actual_finish >= :y0 and actual_finish <= :d"),
        ("completed_before", "actual_finish < :y0"),
    ],
)
def test_the_battle_map_s_stage_filter_and_grouping_count_as_sql_does(demo_engine, stage, sql):
    with demo_engine.connect() as conn:
        expected = {
            row[0]
            for row in conn.execute(
                text(f"select id from project where {sql}"),
                {"y0": "2026-01-01", "d": DEMO_AS_OF.isoformat()},
            )
        }
    with read_session(demo_engine) as s:
        admin = Actor(id=None, username="office", role="admin")
        filtered = battle_map(
            s, actor=admin, as_of=DEMO_AS_OF, thresholds=T, view=ViewState(stage=stage)
        )
        grouped = battle_map(
            s, actor=admin, as_of=DEMO_AS_OF, thresholds=T, view=ViewState(group_by="stage")
        )
    assert {p.id for p in filtered.projects} == expected
    assert {p.id for p in grouped.projects if p.stage == stage} == expected


# --- the office's say over a period ------------------------------------------------------------


def test_the_office_moves_a_period_s_dates_with_a_reason_and_it_is_audited(sqlite_engine):
    with write_session(sqlite_engine) as s:
        row = cycle.ensure_period(s, period=NOVEMBER, settings=SETTINGS)
        admin = Actor.of(make_user(s, "admin"))
        lead = Actor.of(make_user(s, "county"))
        version = row.version
    today = date(2026, 11, 10)
    dates = {
        "opens_on": date(2026, 11, 20),
        "due_on": date(2026, 11, 28),  # a Saturday: the office may choose it
        "closes_on": date(2026, 12, 7),
        "reason": "全市项目观摩，截止日顺延",
    }

    def move(actor, **change):
        with write_session(sqlite_engine) as s:
            values = dates | change
            cycle.move_dates(
                s, actor=actor, period=NOVEMBER, seen_version=version, today=today, **values
            )

    with pytest.raises(PermissionDenied):
        move(lead, reason="x")
    bad = [
        ({"reason": "  "}, "写明原因"),
        ({"due_on": date(2026, 12, 8)}, "开放日 ≤ 截止日 < 关账日"),
        ({"opens_on": date(2026, 11, 5)}, "已过去的日期"),
    ]
    for change, message in bad:
        with pytest.raises(InvalidInput, match=message):
            move(admin, **change)
    move(admin)
    with pytest.raises(ConflictError):
        move(admin, due_on=date(2026, 11, 27), reason="again")  # on a stale version
    with read_session(sqlite_engine) as s:
        row = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == NOVEMBER)).one()
        audit = s.exec(select(AuditLog).where(AuditLog.action == "period.move_dates")).one()
    assert row.due_on == date(2026, 11, 28) and row.dates_reason == "全市项目观摩，截止日顺延"
    assert audit.before["due_on"] == "2026-11-25" and audit.after["due_on"] == "2026-11-28"


def test_only_a_closed_month_is_reopened_and_the_cycle_leaves_it_to_the_office(sqlite_engine):
    from schedules import jobs
    from tracker.domain.periods import SHANGHAI

    with write_session(sqlite_engine) as s:
        admin = Actor.of(make_user(s, "admin"))
        row = open_period(s, OCTOBER)
        version = row.version
    with write_session(sqlite_engine) as s, pytest.raises(InvalidInput, match="尚未关账"):
        cycle.reopen(s, actor=admin, period=OCTOBER, reason="更正", seen_version=version)
    from datetime import datetime

    jobs.catch_up(sqlite_engine, SETTINGS, now=datetime(2026, 11, 6, 2, tzinfo=SHANGHAI))
    with write_session(sqlite_engine) as s:
        row = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == OCTOBER)).one()
        assert row.status == "closed"
        cycle.reopen(
            s, actor=admin, period=OCTOBER, reason="双江县数据更正", seen_version=row.version
        )
    # days of catch-up later, the scheduler has not closed it again
    for day in (7, 12, 30):
        jobs.catch_up(sqlite_engine, SETTINGS, now=datetime(2026, 11, day, 10, tzinfo=SHANGHAI))
    with read_session(sqlite_engine) as s:
        row = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == OCTOBER)).one()
        audit = s.exec(select(AuditLog).where(AuditLog.action == "period.reopen")).one()
    assert (row.status, row.revision, row.reopen_reason) == ("reopened", 2, "双江县数据更正")
    assert audit.after["status"] == "reopened"


def test_the_sidebar_names_the_month_open_for_reporting(sqlite_engine):
    with write_session(sqlite_engine) as s:
        open_period(s, NOVEMBER)
    with read_session(sqlite_engine) as s:
        now = cycle.reporting_now(s, today=date(2026, 12, 3), settings=SETTINGS)
    assert now.open == [("2026年11月", date(2026, 11, 25))]  # not December: November is open
    with read_session(sqlite_engine) as s:
        later = cycle.reporting_now(s, today=date(2026, 12, 3), settings=SETTINGS)
    assert later.open
    with write_session(sqlite_engine) as s:
        row = s.exec(select(ReportingPeriod)).one()
        row.status = "closed"
        s.add(row)
    with read_session(sqlite_engine) as s:
        after = cycle.reporting_now(s, today=date(2026, 12, 9), settings=SETTINGS)
    assert (after.open, after.next_label, after.next_opens_on) == (
        [],
        "2026年12月",
        date(2026, 12, 21),  # the 20th is a Sunday
    )


# --- the overview's counts, against plain SQL ------------------------------------------------


def test_the_overview_s_stage_counts_are_what_sql_counts(demo_engine):
    from tracker.services.overview import overview
    from tracker.services.projects import ProjectFilter

    params = {"y0": "2026-01-01", "d": DEMO_AS_OF.isoformat(), "last": "2026-11-01"}

    def one(sql: str) -> int:
        with demo_engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    with read_session(demo_engine) as s:
        data = overview(s, as_of=DEMO_AS_OF, thresholds=T, filters=ProjectFilter())
    total = data.total
    assert total.new_started == one(
        "select count(*) from project where actual_start >= :y0 and actual_start <= :d"
    )
    assert total.new_due == one(
        "select count(*) from project where (actual_start is null or actual_start >= :y0) "
        "and (planned_start <= :d or (actual_start >= :y0 and actual_start <= :d))"
    )
    assert total.continuing == one(
        "select count(*) from project where actual_start < :y0 "
        "and (actual_finish is null or actual_finish >= :y0)"
    )
    assert total.resumed == one(
        "select count(*) from project p where actual_start < :y0 "
        "and (actual_finish is null or actual_finish >= :y0) and exists (select 1 from "
        "monthlyreport r where r.project_id = p.id and r.status = 'submitted' "
        "and r.period >= :y0 and r.period <= :last and r.completed_ytd > 0)"
    )
    assert total.completed == one(
        "select count(*) from project where actual_finish >= :y0 and actual_finish <= :d"
    )
    late = one(
        "select count(*) from project where planned_start <= :d "
        "and (actual_start is null or actual_start > :d)"
    )
    assert total.late_to_start == late == len(data.late_to_start) > 0


def test_the_annual_assessment_is_built_from_the_year_s_frozen_months(demo_engine):
    from tracker.services.auth import SYSTEM
    from tracker.services.bulletin import annual_assessment, build_bulletin

    with read_session(demo_engine) as s:
        a = annual_assessment(s, actor=SYSTEM, year=2026, settings=SETTINGS)
        october = build_bulletin(
            s, actor=SYSTEM, period=OCTOBER, today=DEMO_AS_OF, settings=SETTINGS
        )
    assert a.months == [f"2026-{m:02d}" for m in range(1, 11)]  # closed by 28 November
    assert a.missing == ["2026-11"] and a.latest == "2026-10"
    # reporting over the frozen months, summed month by month, agrees with the October
    # bulletin's own count of the year's reports (made from the report rows)
    year_rates = {
        r["key"]: r["year_on_time"] / r["year_expected"]
        for r in october.by_county
        if r["year_expected"]
    }
    for row in a.counties["rows"]:
        assert row["reporting_rate"] == pytest.approx(year_rates[row["county"]])
    assert {r["unit"] for r in a.units["rows"]} == {r["key"] for r in october.by_lead_unit}
    scores = [r["score"] for r in a.counties["rows"]]
    assert scores == sorted(scores, reverse=True)


def test_january_and_february_report_as_one_period_when_the_office_merges_them(sqlite_engine):
    from datetime import datetime

    from schedules import jobs
    from tracker.domain.periods import SHANGHAI

    merged = dispatch_settings(REPORT_MERGE_JAN_FEB=True, BULLETIN_DIR="")
    with write_session(sqlite_engine) as s:
        make_user(s, "county", county="双江县")
        make_project(
            s,
            annual_plan={2026: 1200},
            planned_start=date(2025, 1, 1),
            actual_start=date(2025, 1, 1),
            planned_finish=date(2027, 12, 31),
        )
    for month, day in ((1, 2), (1, 21), (2, 10), (2, 24)):
        jobs.catch_up(sqlite_engine, merged, now=datetime(2026, month, day, 10, tzinfo=SHANGHAI))
        if (month, day) == (2, 10):  # inside the Spring Festival break: nothing is open yet
            with read_session(sqlite_engine) as s:
                assert cycle.reporting_now(s, today=date(2026, 2, 10), settings=merged).open == []
    with read_session(sqlite_engine) as s:
        rows = {r.period: r for r in s.exec(select(ReportingPeriod))}
        [status] = project_statuses(s, as_of=date(2026, 2, 10), thresholds=T, settings=merged)
    assert date(2026, 1, 1) not in rows  # January has no period of its own
    feb = rows[date(2026, 2, 1)]
    assert feb.first_month == date(2026, 1, 1) and cycle.period_label(feb) == "2026年1–2月"
    assert feb.opens_on == date(2026, 2, 24)  # after the break (15–23 February)
    assert feb.status == "open"
    jobs.catch_up(sqlite_engine, merged, now=datetime(2026, 3, 6, 10, tzinfo=SHANGHAI))
    with read_session(sqlite_engine) as s:
        feb = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == feb.period)).one()
    assert feb.status == "closed" and feb.closes_on == date(2026, 3, 5)
    # in February the lights still read December, and January is not a missing month
    assert status.period == date(2025, 12, 1)
    assert all(r.code != "missed_reports" for r in status.reasons)
