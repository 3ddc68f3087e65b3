"""The frame's period is kept per data version (``services.frame``): the same as a read
with nothing kept, and a moved due day is on the very next frame another worker draws."""

from __future__ import annotations

from datetime import date

from tests.services.dispatch_helpers import dispatch_settings
from tracker.db import make_engine, read_session, write_session
from tracker.domain.cycle import PeriodState
from tracker.services import cycle
from tracker.services.frame import frame

SETTINGS = dispatch_settings()
NOVEMBER = date(2026, 11, 1)
DAY = date(2026, 11, 27)


def _frame(engine):
    with read_session(engine) as s:
        return frame(s, user_id=None, today=DAY, settings=SETTINGS)


def _uncached(engine):
    with read_session(engine) as s:
        return cycle.period_now(s, today=DAY, settings=SETTINGS)


def _store(engine, **dates) -> None:
    with write_session(engine) as s:
        row = cycle.ensure_period(s, period=NOVEMBER, settings=SETTINGS)
        for name, value in dates.items():
            setattr(row, name, value)
        s.add(row)


def test_the_kept_period_is_what_a_read_with_nothing_kept_makes(sqlite_engine):
    _store(sqlite_engine, status="open")
    first = _frame(sqlite_engine)
    assert _frame(sqlite_engine).period is first.period  # kept
    assert first.period == _uncached(sqlite_engine)


def test_a_due_day_moved_in_another_worker_is_on_the_next_frame(sqlite_engine):
    _store(sqlite_engine, status="open", due_on=date(2026, 11, 25))
    assert _frame(sqlite_engine).period.state == PeriodState.OVERDUE
    other = make_engine(str(sqlite_engine.url))  # another worker's engine
    try:
        _store(other, due_on=date(2026, 11, 30))
    finally:
        other.dispose()
    moved = _frame(sqlite_engine).period
    assert moved.state == PeriodState.OPEN and moved == _uncached(sqlite_engine)


def test_the_period_is_kept_across_a_write_that_touches_no_period(sqlite_engine):
    from tests.factories import make_project

    _store(sqlite_engine, status="open")
    first = _frame(sqlite_engine).period
    with write_session(sqlite_engine) as s:  # a project: not what the period is read from
        make_project(s)
    assert _frame(sqlite_engine).period is first
    assert first == _uncached(sqlite_engine)


def test_what_changed_counts_only_when_every_write_names_other_projects():
    from tracker.services.kept import changed_only

    tables = frozenset({"milestone", "auditlog"})
    mine = frozenset({1, 2})
    assert changed_only({"milestone": {3}, "auditlog": {3}}, tables, mine)
    assert changed_only({}, tables, mine)
    assert not changed_only({"milestone": {2}}, tables, mine)  # one of the value's projects
    assert not changed_only({"milestone": None}, tables, mine)  # a write naming none
    assert not changed_only({"project": {3}}, tables, mine)  # a table read whole
    assert not changed_only(None, tables, mine)  # not known


def test_a_frame_on_the_version_read_with_the_session_sees_another_worker_s_write(
    sqlite_engine,
):
    """The web hands the frame the version its request read with the login session
    (``sessions.resume_reading``): a due day moved in another worker is on the next frame."""
    from tracker import data_version

    def version_now():
        with sqlite_engine.connect() as connection:
            return data_version.current(connection)

    def framed(version):
        with read_session(sqlite_engine) as s:
            return frame(s, user_id=None, today=DAY, settings=SETTINGS, version=version)

    _store(sqlite_engine, status="open", due_on=date(2026, 11, 25))
    first = framed(version_now()).period
    assert first.state == PeriodState.OVERDUE and first == _uncached(sqlite_engine)
    assert framed(version_now()).period is first  # kept
    other = make_engine(str(sqlite_engine.url))  # another worker's engine
    try:
        _store(other, due_on=date(2026, 11, 30))
    finally:
        other.dispose()
    moved = framed(version_now()).period
    assert moved.state == PeriodState.OPEN and moved == _uncached(sqlite_engine)
