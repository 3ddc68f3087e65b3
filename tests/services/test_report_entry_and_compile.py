"""The report grid's batch saves and the office's compile-now, on both backends."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from sqlmodel import select

from tests.factories import (
    EARLIER_REPORT,
    actor_of,
    make_project,
    make_report,
    make_user,
    report_values,
)
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


def _rows(engine, actor, rows, *, submit: bool):
    """``actor`` saves ``rows`` of April's grid at once (submits them with ``submit``)."""
    return save_rows(
        engine,
        actor=actor,
        period=APRIL,
        rows=rows,
        submit=submit,
        today=TODAY,
        settings=SETTINGS,
    )


def _compile(engine, actor, period=APRIL):
    """``actor`` asks for the month to be compiled now (run inline)."""
    return compile_jobs.start_compile(
        engine, actor=actor, period=period, today=TODAY, settings=SETTINGS, run=inline
    )


_submit = partial(_rows, submit=True)
_save_drafts = partial(_rows, submit=False)


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
            make_report(s, p, date(2026, 3, 1), **EARLIER_REPORT)
        open_period(s, APRIL)
        return actor_of(lead), actor_of(admin), [p.id for p in projects]


def test_one_refused_row_does_not_undo_the_others(engine, office):
    lead, _, (a, b, c) = office
    outcomes = _submit(
        engine,
        lead,
        [
            RowInput(a, 0, good()),
            RowInput(b, 0, good(completed_month=None)),  # missing this month's amount
            RowInput(c, 7, good()),  # a version nobody has seen
        ],
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
    drafts = _save_drafts(engine, lead, [RowInput(a, 0, ReportValues(completed_month=D("5")))])
    assert drafts[0].ok and drafts[0].status == "draft"
    with write_session(engine) as s:
        period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == APRIL)).one()
        period.status = "closed"
        s.add(period)
    locked = _submit(engine, lead, [RowInput(a, 1, good()), RowInput(b, 0, good())])
    assert all(o.locked and "锁定" in str(o.message) for o in locked)


def test_a_lead_s_rows_outside_the_county_are_refused_by_the_service(engine, office):
    _, _, ids = office
    with write_session(engine) as s:
        other_lead = actor_of(make_user(s, "county", county="临翔区"))
    outcomes = _submit(engine, other_lead, [RowInput(ids[0], 0, good())])
    assert not outcomes[0].ok and "权限" in str(outcomes[0].message)


def test_the_office_compiles_a_month_once_and_the_page_can_follow_it(engine, office):
    lead, admin, _ = office
    with pytest.raises(PermissionDenied):
        _compile(engine, lead)
    with read_session(engine) as s:
        assert compile_jobs.compile_state(s, actor=admin, period=APRIL).status == "none"
    _compile(engine, admin)
    with read_session(engine) as s:
        state = compile_jobs.compile_state(s, actor=admin, period=APRIL)
        assert state.status == "done" and not state.active
        assert s.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == APRIL)).one()
        period = s.exec(select(ReportingPeriod).where(ReportingPeriod.period == APRIL)).one()
        assert period.status == "closed"
    with pytest.raises(InvalidInput, match="已关账"):
        _compile(engine, admin)
    with pytest.raises(NotFound):
        _compile(engine, admin, date(2026, 2, 1))
    with pytest.raises(InvalidInput, match="尚未开始"):
        _compile(engine, admin, date(2026, 6, 1))


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
