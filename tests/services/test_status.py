from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_project, make_report
from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.periods import add_months
from tracker.domain.rules import Light, Thresholds
from tracker.models import ReportingPeriod
from tracker.services.cycle import dates_for
from tracker.services.status import project_statuses, reference_period

AS_OF = date(2026, 11, 28)


def add_periods(session, months):
    for m in months:
        session.add(
            ReportingPeriod(
                period=m,
                opens_on=m.replace(day=20),
                due_on=m.replace(day=25),
                closes_on=m.replace(day=28),
                status="closed",
            )
        )


def _latest_month_due_before(as_of: date, settings) -> date:
    """The rule, stated on the settings' calendar: the latest month due before ``as_of``."""
    month = as_of.replace(day=1)
    while not dates_for(month, settings).due_on < as_of:
        month = add_months(month, -1)
    return month


@pytest.mark.parametrize("open_day, due_day", [(20, 25), (20, 28), (5, 10)])
def test_the_reference_period_is_the_latest_month_whose_due_day_has_passed(
    sqlite_engine, open_day, due_day
):
    """No stored period: the settings' due day (moved to a working day) decides, whatever
    day the office configured; each month's due day itself still reads the month before."""
    settings = dispatch_settings(REPORT_OPEN_DAY=open_day, REPORT_DUE_DAY=due_day)
    days = [date(2026, 1, 3), date(2026, 10, 26), date(2026, 10, 27)]
    for month in (date(2026, 10, 1), date(2026, 11, 1), date(2027, 2, 1)):
        due = dates_for(month, settings).due_on
        days += [due - timedelta(days=1), due, due + timedelta(days=1)]
    with read_session(sqlite_engine) as s:
        for day in days:
            expected = _latest_month_due_before(day, settings)
            assert reference_period(s, as_of=day, settings=settings) == expected, day
        due = dates_for(date(2026, 11, 1), settings).due_on
        assert reference_period(s, as_of=due, settings=settings) < date(2026, 11, 1)
        after = due + timedelta(days=1)
        assert reference_period(s, as_of=after, settings=settings) == date(2026, 11, 1)


def test_the_default_due_day_moves_off_a_sunday(sqlite_engine):
    """October 2026's 25th is a Sunday: due on Monday the 26th (the settings' defaults)."""
    assert dates_for(date(2026, 10, 1), dispatch_settings()).due_on == date(2026, 10, 26)
    with read_session(sqlite_engine) as s:
        assert reference_period(s, as_of=date(2026, 10, 26)) == date(2026, 9, 1)
        assert reference_period(s, as_of=date(2026, 10, 27)) == date(2026, 10, 1)


def test_a_due_day_the_office_moved_moves_the_reference_period(sqlite_engine):
    with write_session(sqlite_engine) as s:
        s.add(
            ReportingPeriod(
                period=date(2026, 11, 1),
                opens_on=date(2026, 11, 20),
                due_on=date(2026, 11, 30),
                closes_on=date(2026, 12, 7),
                status="open",
                dates_reason="县区反映填报系统故障，顺延",
            )
        )
    with read_session(sqlite_engine) as s:
        assert reference_period(s, as_of=date(2026, 11, 28)) == date(2026, 10, 1)
        assert reference_period(s, as_of=date(2026, 12, 1)) == date(2026, 11, 1)


def test_a_merged_january_belongs_to_february_s_period(sqlite_engine):
    merged = dispatch_settings(REPORT_MERGE_JAN_FEB=True)
    with read_session(sqlite_engine) as s:
        assert reference_period(s, as_of=date(2026, 1, 28), settings=merged) == date(2025, 12, 1)
        assert reference_period(s, as_of=date(2026, 2, 26), settings=merged) == date(2026, 2, 1)


def test_a_milestone_past_due_turns_the_project_amber_and_names_it(engine):
    with write_session(engine) as s:
        add_periods(s, [date(2026, 10, 1), date(2026, 11, 1)])
        p = make_project(
            s,
            milestones=[("开工建设", date(2026, 11, 20))],
            annual_plan={2026: 1200},
            actual_start=date(2026, 1, 5),
        )
        make_report(s, p, date(2026, 11, 1), completed_ytd=Decimal("1100"), progress_pct=40)
    with read_session(engine) as s:
        [status] = project_statuses(s, as_of=AS_OF, thresholds=Thresholds())
    assert status.light is Light.AMBER
    assert [(r.code, r.params["name"], r.params["days"]) for r in status.reasons] == [
        ("milestone_overdue", "开工建设", 8)
    ]
    assert status.rate == 1100 / 1200
    assert status.reported and status.progress == 0.4


def test_missing_reports_for_two_months_turn_the_project_red(engine):
    with write_session(engine) as s:
        add_periods(s, [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)])
        p = make_project(s, annual_plan={2026: 1200}, actual_start=date(2026, 1, 5))
        make_report(s, p, date(2026, 9, 1), completed_ytd=Decimal("1000"))
    with read_session(engine) as s:
        [status] = project_statuses(s, as_of=AS_OF, thresholds=Thresholds())
    assert status.missed_reports == 2
    assert status.light is Light.RED
    assert status.completed_ytd == Decimal("1000"), "the latest report carries forward"


def test_a_draft_report_does_not_count_as_reported(engine):
    with write_session(engine) as s:
        add_periods(s, [date(2026, 11, 1)])
        p = make_project(s, annual_plan={2026: 1200}, actual_start=date(2026, 1, 5))
        make_report(s, p, date(2026, 11, 1), completed_ytd=Decimal("1200"), status="draft")
    with read_session(engine) as s:
        [status] = project_statuses(s, as_of=AS_OF, thresholds=Thresholds())
    assert not status.reported and status.completed_ytd == 0
