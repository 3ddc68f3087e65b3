"""kill -9 of `python -m schedules` in the middle of a job, then a restart.

The demo office is dated 70 days back, so the scheduler's catch-up at start has months to
open and close. The test-only hook TRACKER_TEST_PAUSE_JOB=compile_bulletin (tests/prod/hooks.py,
attached by `python -m tests.prod.hooked_scheduler`) makes the first close sleep before its
commit, with the month's figures frozen, the milestones' planned dates recorded and the month
closed (flushed, not committed); the scheduler is killed there. Afterwards nothing of that
close is in the database; a restarted scheduler (no hook) closes the month exactly once,
and the end state matches an uninterrupted catch-up on a copy of the same office.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import select

from schedules import jobs
from schedules.runner import ADVISORY_KEY
from tests.prod.conftest import copy_database, drop_database
from tests.prod.procs import ROOT, hook_lines, production_env, wait_until
from tracker.config import load_settings
from tracker.db import make_engine, read_session
from tracker.domain.periods import SHANGHAI
from tracker.models import (
    JobRun,
    MilestonePlanRecord,
    Notification,
    PeriodSnapshot,
    ReportingPeriod,
)
from tracker.services.dispatch import BULLETIN_READY, COMPILE_BULLETIN, OPEN_PERIOD, REPORT_OPEN

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.clock]

PERIOD_JOBS = (OPEN_PERIOD, COMPILE_BULLETIN)
PERIOD_REASONS = (REPORT_OPEN, BULLETIN_READY)


def start_scheduler(env: dict[str, str], log: Path, *, hooked: bool = False) -> subprocess.Popen:
    """``python -m schedules``; ``hooked``: the same with the fault tests' pauses attached."""
    module = "tests.prod.hooked_scheduler" if hooked else "schedules"
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def log_messages(log: Path) -> list[str]:
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line).get("msg", ""))
        except ValueError:
            continue
    return out


def state(engine: Engine) -> dict:
    """What the monthly cycle's period jobs leave behind."""
    with read_session(engine) as session:
        runs = sorted(
            (r.job, r.period_key, r.status, r.attempts)
            for r in session.exec(select(JobRun).where(JobRun.job.in_(PERIOD_JOBS)))  # type: ignore[attr-defined]
        )
        notes = sorted(
            (n.user_id or 0, n.channel, n.reason, n.subject)
            for n in session.exec(
                select(Notification).where(Notification.reason.in_(PERIOD_REASONS))  # type: ignore[attr-defined]
            )
        )
        return {
            "runs": runs,
            "snapshots": sorted(p.isoformat() for p in session.exec(select(PeriodSnapshot.period))),
            "plan_records": session.exec(
                select(func.count()).select_from(MilestonePlanRecord)
            ).one(),
            "periods": sorted(
                (p.period.isoformat(), p.status) for p in session.exec(select(ReportingPeriod))
            ),
            "notifications": notes,
        }


def period_of(detail: str) -> date:
    key = dict(part.split("=") for part in detail.split())["period"]
    return date.fromisoformat(f"{key}-01")


def lock_free(engine: Engine) -> bool:
    with engine.connect() as conn:
        held = conn.execute(
            text(
                "select count(*) from pg_locks where locktype = 'advisory' "
                "and ((classid::bigint << 32) | objid::bigint) = :k"
            ),
            {"k": ADVISORY_KEY},
        ).scalar()
    return held == 0


def test_kill_9_of_the_scheduler_mid_job_rolls_back_and_the_restart_runs_it_once(
    prod_db, prod_template, tmp_path
):
    engine = make_engine(prod_db)
    hooks = tmp_path / "hooks.log"
    env = production_env(prod_db, BULLETIN_DIR=str(tmp_path / "bulletins"), LOG_LEVEL="INFO")
    first_log, second_log = tmp_path / "scheduler-1.log", tmp_path / "scheduler-2.log"
    with read_session(engine) as session:
        closed_before = set(
            session.exec(select(ReportingPeriod.period).where(ReportingPeriod.status == "closed"))
        )

    # 1. the scheduler pauses inside its first close; kill -9 it there
    first = start_scheduler(
        {
            **env,
            "TRACKER_TEST_PAUSE_JOB": COMPILE_BULLETIN,
            "TRACKER_TEST_PAUSE_JOB_S": "120",
            "TRACKER_TEST_HOOK_FILE": str(hooks),
        },
        first_log,
        hooked=True,
    )
    try:
        pid, detail = wait_until(
            lambda: (hook_lines(hooks, f"pause_job:{COMPILE_BULLETIN}") or [None])[0],
            90,
            0.1,
            "the scheduler to pause inside the close",
        )
        assert pid == first.pid
        period = period_of(detail)
        with engine.connect() as conn:  # the close's writes are there, uncommitted
            open_tx = conn.execute(
                text(
                    "select count(*) from pg_stat_activity where datname = current_database() "
                    "and state = 'idle in transaction' and pid <> pg_backend_pid()"
                )
            ).scalar()
        assert open_tx >= 1
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)

    # 2. nothing of the interrupted close is in the database; the lock went with the process
    wait_until(lambda: lock_free(engine), 15, 0.1, "PostgreSQL to release the advisory lock")
    with read_session(engine) as session:
        row = session.exec(select(ReportingPeriod).where(ReportingPeriod.period == period)).one()
        assert row.status != "closed" and row.closed_at is None
        assert (
            session.exec(select(PeriodSnapshot).where(PeriodSnapshot.period == period)).first()
            is None
        )
        assert (
            session.exec(
                select(JobRun)
                .where(JobRun.job == COMPILE_BULLETIN)
                .where(JobRun.period_key == f"{period:%Y-%m}")
            ).first()
            is None
        )
        assert (
            session.exec(
                select(MilestonePlanRecord).where(MilestonePlanRecord.period == period)
            ).first()
            is None
        )
        assert (
            session.exec(
                select(Notification).where(Notification.attachment == f"bulletin:{period:%Y-%m}")
            ).first()
            is None
        )

    # 3. a restarted scheduler (no hook) finishes the catch-up
    second = start_scheduler(env, second_log)
    try:
        wait_until(
            lambda: any(m.startswith("catch_up:") for m in log_messages(second_log)),
            120,
            0.2,
            "the restarted scheduler's catch-up",
        )
        now = datetime.now(SHANGHAI)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait(10)
    assert lock_free(engine)

    # 4. the same catch-up, uninterrupted, on a copy of the same office
    name, url = copy_database(prod_template)
    reference = make_engine(url)
    try:
        jobs.catch_up(
            reference,
            load_settings(env={"DATABASE_URL": url, "BULLETIN_DIR": str(tmp_path / "ref")}),
            now=now,
        )
        expected = state(reference)
    finally:
        reference.dispose()
        drop_database(name)
    got = state(engine)
    assert got == expected
    compiled = [r for r in got["runs"] if r[0] == COMPILE_BULLETIN]
    assert (COMPILE_BULLETIN, f"{period:%Y-%m}", "done", 1) in compiled
    assert all(attempts == 1 and status == "done" for _, _, status, attempts in got["runs"])
    newly_closed = {p for p, s in got["periods"] if s == "closed"} - {
        p.isoformat() for p in closed_before
    }
    assert len(compiled) == len(newly_closed) >= 1
    assert (tmp_path / "bulletins").exists()
    print(
        f"\nscheduler kill: killed inside the close of {period:%Y-%m}; nothing of it was kept; "
        f"after the restart {len(compiled)} closes and "
        f"{sum(1 for r in got['runs'] if r[0] == OPEN_PERIOD)} openings ran once each "
        f"(attempts 1), {len(got['snapshots'])} snapshots, {got['plan_records']} planned-date "
        f"records, {len(got['notifications'])} period notifications, as an uninterrupted run"
    )
    engine.dispose()
