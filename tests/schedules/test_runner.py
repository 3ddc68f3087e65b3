"""The scheduler's wiring: triggers in Asia/Shanghai, nothing started at import, one copy per
installation (PostgreSQL advisory lock or a lock file), and the milestone watch."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from sqlmodel import select

from schedules import jobs, runner
from tests.factories import make_project, make_user
from tests.services.dispatch_helpers import dispatch_settings
from tracker.config import ROOT
from tracker.db import read_session, write_session
from tracker.domain.periods import SHANGHAI
from tracker.models import Milestone, MilestoneAlert, Notification


def test_python_m_schedules_help_prints_its_usage_and_starts_nothing(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "schedules", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: python -m schedules")
    assert "monthly dispatch cycle" in out.stdout
    assert not (tmp_path / "never.db").exists()  # no database was opened, no scheduler ran


def test_importing_the_packages_starts_no_scheduler():
    code = (
        "import threading, schedules, schedules.jobs, schedules.runner, tracker.services.dispatch;"
        "print(sorted(t.name for t in threading.enumerate()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['MainThread']"


def test_the_triggers_fire_at_the_office_s_hours_in_shanghai():
    settings = dispatch_settings()
    t = runner.triggers(settings)
    start = datetime(2026, 3, 1, tzinfo=SHANGHAI)
    # opening and closing look every day (their days move off holidays, or by the office)
    assert t["open"].get_next_fire_time(None, start) == datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)
    assert t["compile"].get_next_fire_time(None, start) == datetime(
        2026, 3, 1, 1, 0, tzinfo=SHANGHAI
    )
    assert t["reminders"].get_next_fire_time(None, start) == datetime(
        2026, 3, 1, 9, 0, tzinfo=SHANGHAI
    )
    assert t["catch_up"].get_next_fire_time(None, start) == datetime(
        2026, 3, 1, 0, 5, tzinfo=SHANGHAI
    )
    assert t["housekeeping"].get_next_fire_time(None, start) == datetime(
        2026, 3, 1, 3, 30, tzinfo=SHANGHAI
    )


def test_only_one_scheduler_gets_the_lock(engine, tmp_path):
    settings = dispatch_settings(SCHEDULER_LOCK_FILE=str(tmp_path / "scheduler.lock"))
    first = runner.acquire_lock(engine, settings)
    assert first is not None
    assert runner.acquire_lock(engine, settings) is None  # a second copy stays idle
    first.release()
    again = runner.acquire_lock(engine, settings)
    assert again is not None
    again.release()


@pytest.mark.clock  # the embedded scheduler's catch-up runs on the real clock
def test_a_second_embedded_scheduler_stays_idle(sqlite_engine, tmp_path):
    settings = dispatch_settings(SCHEDULER_LOCK_FILE=str(tmp_path / "s.lock"), BULLETIN_DIR="")
    one = runner.start_embedded(sqlite_engine, settings)
    two = runner.start_embedded(sqlite_engine, settings)
    try:
        assert one.scheduler is not None and one.scheduler.running
        assert two.scheduler is None
        names = {job.id for job in one.scheduler.get_jobs()}
        assert {"open", "compile", "reminders", "milestone_watch", "catch_up", "deliver"} <= names
    finally:
        one.shutdown()
        two.shutdown()


def test_the_milestone_watch_tells_once_per_milestone_and_planned_date(sqlite_engine):
    settings = dispatch_settings(MILESTONE_WATCH_DAYS=7)
    with write_session(sqlite_engine) as s:
        lead = make_user(s, "county", county="双江县")
        make_user(s, "admin")
        make_project(
            s,
            county="双江县",
            milestones=[("开工建设", date(2026, 5, 10)), ("主体完工", date(2026, 8, 1))],
        )

    def run(day: date):
        return jobs.run_milestone_watch(sqlite_engine, settings, today=day)

    assert run(date(2026, 5, 1)).detail["due_soon"] == 0
    assert run(date(2026, 5, 3)).detail["due_soon"] == 1  # 7 days before
    assert run(date(2026, 5, 4)).detail["due_soon"] == 0  # told already
    assert not run(date(2026, 5, 4)).done  # and the day's run happens once
    assert run(date(2026, 5, 11)).detail["overdue"] == 1  # newly overdue
    assert run(date(2026, 5, 12)).detail["overdue"] == 0
    with write_session(sqlite_engine) as s:  # re-planned: the new date is watched again
        m = s.exec(select(Milestone).where(Milestone.seq == 1)).one()
        m.planned_date = date(2026, 5, 20)
        s.add(m)
    assert run(date(2026, 5, 14)).detail["due_soon"] == 1
    with read_session(sqlite_engine) as s:
        alerts = s.exec(select(MilestoneAlert)).all()
        reasons = sorted(
            n.reason for n in s.exec(select(Notification).where(Notification.user_id == lead.id))
        )
    assert len(alerts) == 3
    assert reasons == ["milestone_due_soon", "milestone_due_soon", "milestone_overdue"]


def test_a_crash_mid_job_rolls_back_its_work_and_leaves_no_done_run(engine):
    from datetime import date as d

    import pytest

    from tracker.models import JobRun
    from tracker.services import dispatch, notify

    def work(session):
        notify.enqueue(
            session, channel="inapp", reason="x", day=d(2026, 1, 1), subject="s", body="b"
        )
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        dispatch.run_once(engine, "reminders", "2026-01-01", work)
    with read_session(engine) as s:
        [run] = s.exec(select(JobRun)).all()
        assert (run.status, run.attempts) == ("failed", 1) and "disk full" in run.detail
        assert s.exec(select(Notification)).all() == []

    def good(session):
        notify.enqueue(
            session, channel="inapp", reason="x", day=d(2026, 1, 1), subject="s", body="b"
        )
        return {"ok": True}

    assert dispatch.run_once(engine, "reminders", "2026-01-01", good).done
    assert not dispatch.run_once(engine, "reminders", "2026-01-01", good).done
    with read_session(engine) as s:
        [run] = s.exec(select(JobRun)).all()
        assert (run.status, run.attempts) == ("done", 2)
        assert len(s.exec(select(Notification)).all()) == 1


def test_housekeeping_forgets_dead_sessions_and_old_login_attempts_only(engine):
    """The nightly job keeps what can still sign someone in and what the lockout and a
    week's (sessions) or a month's (attempts) look back need; the rest goes."""
    from datetime import UTC, timedelta

    from tracker.models import LoginAttempt, UserSession

    now = datetime(2026, 6, 10, 3, 30, tzinfo=SHANGHAI)
    utc = now.astimezone(UTC)
    settings = dispatch_settings()
    with write_session(engine) as s:
        user = make_user(s, "county", username="lead", county="云县")
        uid = user.id or 0
        for name, created, seen, ended in [
            ("live", 1, 0, None),
            ("ended an hour ago", 2, 1 / 24, 1 / 24),
            ("ended 8 days ago", 9, 8, 8),
            ("silent for 10 days", 11, 10, None),
        ]:
            s.add(
                UserSession(
                    token_hash=name.ljust(64, "x")[:64],
                    user_id=uid,
                    created_at=utc - timedelta(days=created),
                    last_seen_at=utc - timedelta(days=seen),
                    ended_at=None if ended is None else utc - timedelta(days=ended),
                    end_reason="" if ended is None else "logout",
                )
            )
        for days in (0, 29, 31, 400):
            s.add(LoginAttempt(at=utc - timedelta(days=days), username="lead", ip="10.0.0.1"))
    done = jobs.run_housekeeping(engine, settings, now=now)
    assert (done.sessions, done.attempts) == (2, 2)
    with read_session(engine) as s:
        kept = sorted(r.token_hash.rstrip("x") for r in s.exec(select(UserSession)).all())
        ages = sorted((utc - a.at).days for a in s.exec(select(LoginAttempt)).all())
    assert kept == ["ended an hour ago", "live"]
    assert ages == [0, 29]
    again = jobs.run_housekeeping(engine, settings, now=now)
    assert (again.sessions, again.attempts) == (0, 0)
