"""#19: the service every page reads the current period from (``cycle.period_now``): stored
dates the office moved win over the settings', the figures month and the sidebar's
``reporting_now`` come from the same reading."""

from __future__ import annotations

from datetime import date

from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import read_session, write_session
from tracker.domain.cycle import PeriodState
from tracker.services import cycle, status

SETTINGS = dispatch_settings()
NOVEMBER = date(2026, 11, 1)


def _store(engine, **dates) -> None:
    with write_session(engine) as s:
        row = cycle.ensure_period(s, period=NOVEMBER, settings=SETTINGS)
        for name, value in dates.items():
            setattr(row, name, value)
        s.add(row)


def test_a_due_day_the_office_moved_moves_the_current_period_with_it(sqlite_engine):
    _store(sqlite_engine, status="open", due_on=date(2026, 11, 30))
    with read_session(sqlite_engine) as s:
        now = cycle.period_now(s, today=date(2026, 11, 27), settings=SETTINGS)
        figures = status.reference_period(s, as_of=date(2026, 11, 27), settings=SETTINGS)
        sidebar = cycle.reporting_now(s, today=date(2026, 11, 27), settings=SETTINGS)
    assert (now.period, now.state) == (NOVEMBER, PeriodState.OPEN)  # not overdue: due 30th
    assert figures == now.figures == date(2026, 10, 1)  # November's reports are not due yet
    assert sidebar.open == [("2026年11月", date(2026, 11, 30))]


def test_between_the_close_and_the_next_open_the_closed_month_stays_current(sqlite_engine):
    _store(sqlite_engine, status="closed")
    with read_session(sqlite_engine) as s:
        now = cycle.period_now(s, today=date(2026, 12, 10), settings=SETTINGS)
        sidebar = cycle.reporting_now(s, today=date(2026, 12, 10), settings=SETTINGS)
    assert (now.period, now.state) == (NOVEMBER, PeriodState.CLOSED)
    assert now.next is not None and now.next.opens_on == date(2026, 12, 21)
    assert (sidebar.open, sidebar.next_label) == ([], "2026年12月")


def test_merged_labels_name_both_months():
    merged = cycle.dates_for(date(2026, 2, 1), dispatch_settings(REPORT_MERGE_JAN_FEB=True))
    assert cycle.dates_label(merged) == "2026年1–2月"
    assert cycle.dates_label(merged, "en") == "Jan–Feb 2026"
