"""Test-only pauses for the fault tests, attached from the test side (the product never
imports this module): SQLAlchemy session events, installed by the processes the fault tests
start (``tests/prod/hooked_app.py`` for gunicorn, ``tests/prod/hooked_scheduler.py`` for
the scheduler). Each pause is inert unless its variable is set.

``TRACKER_TEST_SLOW_SAVE_MS``
    A transaction that wrote a milestone's audit entry (a milestone save) sleeps this many
    milliseconds once its writes are flushed, before it commits, so a test can kill the
    worker in the middle. Announced as ``slow_save <pid> milestone=<id> version=<new>``.
``TRACKER_TEST_PAUSE_JOB`` and ``TRACKER_TEST_PAUSE_JOB_S``
    With ``compile_bulletin``, the transaction that freezes a month's bulletin (the close)
    sleeps that many seconds (default 30) with all its writes flushed and not committed, so
    a test can kill the scheduler in the middle of the job. Announced as
    ``pause_job:compile_bulletin <pid> period=<YYYY-MM>``.
``TRACKER_TEST_HOOK_FILE``
    When a pause begins, its line ``<point> <pid> <detail>`` is appended to this file, so the
    test knows which process to kill and when.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.models import AuditLog, PeriodSnapshot

SLOW_SAVE_MS = "TRACKER_TEST_SLOW_SAVE_MS"
PAUSE_JOB = "TRACKER_TEST_PAUSE_JOB"
PAUSE_JOB_S = "TRACKER_TEST_PAUSE_JOB_S"
HOOK_FILE = "TRACKER_TEST_HOOK_FILE"
COMPILE_BULLETIN = "compile_bulletin"
_PENDING = "tests.prod.hooks"  # the session.info key holding the pauses a transaction owes


def _announce(point: str, detail: str) -> None:
    path = os.environ.get(HOOK_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{point} {os.getpid()} {detail}\n")


def _pauses_for(written: object) -> list[tuple[str, str, float]]:
    """(point, detail, seconds) owed for one row a flush wrote."""
    if isinstance(written, AuditLog) and written.entity == "milestone":
        raw = os.environ.get(SLOW_SAVE_MS)
        version = (written.after or {}).get("version")
        if raw and version is not None:
            detail = f"milestone={written.entity_id} version={version}"
            return [("slow_save", detail, int(raw) / 1000)]
    if isinstance(written, PeriodSnapshot) and os.environ.get(PAUSE_JOB) == COMPILE_BULLETIN:
        seconds = float(os.environ.get(PAUSE_JOB_S) or "30")
        return [(f"pause_job:{COMPILE_BULLETIN}", f"period={written.period:%Y-%m}", seconds)]
    return []


def _after_flush(session: Session, _context: object) -> None:
    owed = [pause for row in [*session.new, *session.dirty] for pause in _pauses_for(row)]
    if owed:
        session.info.setdefault(_PENDING, []).extend(owed)


def _before_commit(session: Session) -> None:
    session.flush()  # the pause holds real, uncommitted changes
    for point, detail, seconds in session.info.pop(_PENDING, []):
        _announce(point, detail)
        time.sleep(seconds)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("before_commit", _before_commit),
    ("after_rollback", _after_rollback),
)


def install() -> None:
    """Attach the pauses to every session of this process (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def uninstall() -> None:
    for name, listener in _LISTENERS:
        if event.contains(Session, name, listener):
            event.remove(Session, name, listener)
