"""The report grid's batch saves and the office's compile-now, on both backends."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from sqlmodel import select

from tests.factories import actor_of, make_project, make_report, make_user, report_values
from tests.services.dispatch_helpers import dispatch_settings, open_period
from tracker.db import read_session, write_session
from tracker.models import JobRun, MonthlyReport, PeriodSnapshot, ReportingPeriod
from tracker.services import compile_jobs
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.report_entry import RowInput, save_rows
from tracker.services.reports import ReportValues

D = Decimal
APRIL = date(2026, 4, 1)
TODAY = date(2026, 4, 22)
SETTINGS = dispatch_settings()


def inline(target, *args) -> None:
    target(*args)


good = partial(report_values, problems="无")


@pytest.fixture
def office(engine):
    """A 双江县 lead and the office; three 双江县 projects with March reported; April open."""
    with write_session(engine) as s:
        lead = make_user(s, "county", county="双江县")
        admin = make_user(s, "admin")
        projects = [
            make_project(
                s,
                county="双江县",
                lead_unit="市科技局",
                annual_plan={2026: 1200},
                actual_start=date(2026, 1, 5),
            )
            for _ in range(3)
        ]
        for p in projects:
            make_report(
                s,
                p,
                date(2026, 3, 1),
                completed_month=D("100"),
                completed_ytd=D("300"),
                completed_total=D("900"),
                progress_pct=35.0,
                progress_text="基础施工",
                reporter="李明",
            )
        open_period(s, APRIL)
        return actor_of(lead), actor_of(admin), [p.id for p in projects]


def test_one_refused_row_does_not_undo_the_others(engine, office):
    lead, _, (a, b, c) = office
    outcomes = save_rows(
        engine,
        actor=lead,
        period=APRIL,
        rows=[
            RowInput(a, 0, good()),
            RowInput(b, 0, good(completed_month=None)),  # missing this month's amount
            RowInput(c, 7, good()),  # a version nobody has seen
        ],
        submit=True,
        today=TODAY,
        settings=SETTINGS,
    )
    assert [o.ok for o in outcomes] == [True, False, False]
    assert outcomes[0].status == "submitted" and outcomes[0].version == 1
    assert "completed_month" in [p.field for p in outcomes[1].problems]
    assert outcomes[2].conflict and "刷新" in str(outcomes[2].message)
    with read_session(engine) as s:
        saved = s.exec(select(MonthlyReport).where(MonthlyReport.period == APRIL)).all()
    assert [(r.project_id, r.status, r.completed_ytd) for r in saved] == [
        (a, "submitted", D("400"))
    ]


def test_drafts_need_no_completeness_and_a_closed_month_refuses_every_row(engine, office):
    lead, _, (a, b, _) = office
    drafts = save_rows(
        engine,
        actor=lead,
        period=APRIL,
        rows=[RowInput(a, 0, ReportValues(completed_month=D("5")))],
        submit=False,
        today=TODAY,
        settings=SETTINGS,
    )
    assert drafts[0].ok and drafts[0].status == "draft"
    with write_session(engine) as s:
        period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == APRIL)).one()
        period.status = "closed"
        s.add(period)
    locked = save_rows(
        engine,
        actor=lead,
        period=APRIL,
        rows=[RowInput(a, 1, good()), RowInput(b, 0, good())],
        submit=True,
        today=TODAY,
        settings=SETTINGS,
    )
    assert all(o.locked and "锁定" in str(o.message) for o in locked)


def test_a_lead_s_rows_outside_the_county_are_refused_by_the_service(engine, office):
    _, _, ids = office
    with write_session(engine) as s:
        other_lead = actor_of(make_user(s, "county", county="临翔区"))
    outcomes = save_rows(
        engine,
        actor=other_lead,
        period=APRIL,
        rows=[RowInput(ids[0], 0, good())],
        submit=True,
        today=TODAY,
        settings=SETTINGS,
    )
    assert not outcomes[0].ok and "权限" in str(outcomes[0].message)


def test_the_office_compiles_a_month_once_and_the_page_can_follow_it(engine, office):
    lead, admin, _ = office
    with pytest.raises(PermissionDenied):
        compile_jobs.start_compile(
            engine, actor=lead, period=APRIL, today=TODAY, settings=SETTINGS, run=inline
        )
    with read_session(engine) as s:
        assert compile_jobs.compile_state(s, actor=admin, period=APRIL).status == "none"
    compile_jobs.start_compile(
        engine, actor=admin, period=APRIL, today=TODAY, settings=SETTINGS, run=inline
    )
    with read_session(engine) as s:
        state = compile_jobs.compile_state(s, actor=admin, period=APRIL)
        assert state.status == "done" and not state.active
        assert s.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == APRIL)).one()
        period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == APRIL)).one()
        assert period.status == "closed"
    with pytest.raises(InvalidInput, match="已关账"):
        compile_jobs.start_compile(
            engine, actor=admin, period=APRIL, today=TODAY, settings=SETTINGS, run=inline
        )
    with pytest.raises(NotFound):
        compile_jobs.start_compile(
            engine, actor=admin, period=date(2026, 2, 1), today=TODAY, settings=SETTINGS, run=inline
        )
    with pytest.raises(InvalidInput, match="尚未开始"):
        compile_jobs.start_compile(
            engine, actor=admin, period=date(2026, 6, 1), today=TODAY, settings=SETTINGS, run=inline
        )


def test_a_failed_or_stalled_compile_shows_as_failed(engine, office):
    _, admin, _ = office
    with write_session(engine) as s:
        s.add(
            JobRun(
                job="compile_bulletin",
                period_key="2026-04",
                status="running",
                started_at=compile_jobs.utcnow() - compile_jobs.STALE_AFTER * 2,
            )
        )
    with read_session(engine) as s:
        state = compile_jobs.compile_state(s, actor=admin, period=APRIL)
    assert state.status == "failed" and "中断" in str(state.detail)
