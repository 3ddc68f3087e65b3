"""The fault tests' pauses (tests/prod/hooks.py) attach from the test side: a transaction that
saves a milestone or freezes a month's bulletin announces itself before its commit, with its
writes flushed; nothing happens when the variables are unset or the transaction rolls back."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import text

from tests.prod import hooks
from tracker.db import write_session
from tracker.models import AuditLog, PeriodSnapshot


@pytest.fixture
def hooked(monkeypatch, tmp_path):
    path = tmp_path / "hooks.log"
    for name in (hooks.SLOW_SAVE_MS, hooks.PAUSE_JOB, hooks.PAUSE_JOB_S):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(hooks.HOOK_FILE, str(path))
    hooks.install()
    yield path
    hooks.uninstall()


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _milestone_save(engine, version: int) -> None:
    with write_session(engine) as session:
        session.add(
            AuditLog(action="update", entity="milestone", entity_id=7, after={"version": version})
        )


def test_a_milestone_save_pauses_before_its_commit_with_its_writes_flushed(
    sqlite_engine, hooked, monkeypatch
):
    _milestone_save(sqlite_engine, 2)
    assert _lines(hooked) == []  # inert without its variable
    monkeypatch.setenv(hooks.SLOW_SAVE_MS, "1")
    _milestone_save(sqlite_engine, 3)
    assert _lines(hooked) == [f"slow_save {os.getpid()} milestone=7 version=3"]
    with pytest.raises(RuntimeError), write_session(sqlite_engine) as session:
        session.add(
            AuditLog(action="update", entity="milestone", entity_id=8, after={"version": 9})
        )
        session.flush()
        raise RuntimeError("refused")  # rolled back: owes no pause
    _milestone_save(sqlite_engine, 4)
    assert _lines(hooked)[1:] == [f"slow_save {os.getpid()} milestone=7 version=4"]


def test_freezing_a_bulletin_pauses_the_compile_job_named(sqlite_engine, hooked, monkeypatch):
    monkeypatch.setenv(hooks.PAUSE_JOB, hooks.COMPILE_BULLETIN)
    monkeypatch.setenv(hooks.PAUSE_JOB_S, "0.01")
    with write_session(sqlite_engine) as session:
        session.add(PeriodSnapshot(period=date(2026, 10, 1), as_of=date(2026, 10, 31), payload={}))
    assert _lines(hooked) == [f"pause_job:compile_bulletin {os.getpid()} period=2026-10"]
    with write_session(sqlite_engine) as session:
        assert session.exec(text("select count(*) from periodsnapshot")).one()[0] == 1


def test_without_install_the_product_never_pauses(sqlite_engine, monkeypatch, tmp_path):
    monkeypatch.setenv(hooks.HOOK_FILE, str(tmp_path / "hooks.log"))
    monkeypatch.setenv(hooks.SLOW_SAVE_MS, "1")
    _milestone_save(sqlite_engine, 2)
    assert not (tmp_path / "hooks.log").exists()
