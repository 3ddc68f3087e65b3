"""Test-only pauses for the fault tests (tests/prod/): inert unless their variable is set.

These are not settings (they are not in ``tracker.config.SPECS`` and never belong in an
environment file); each is one dictionary lookup when unset.

``TRACKER_TEST_SLOW_SAVE_MS``
    A milestone save sleeps this many milliseconds after writing the row and its audit
    entry, before its transaction commits, so a test can kill the worker in the middle.
``TRACKER_TEST_PAUSE_JOB`` and ``TRACKER_TEST_PAUSE_JOB_S``
    The scheduler job named by the first (``compile_bulletin``) sleeps that many seconds
    after part of its work (the month's figures frozen and flushed, the period not yet
    closed, nobody told), so a test can kill the scheduler in the middle of a job.
``TRACKER_TEST_HOOK_FILE``
    When a pause begins, a line ``<point> <pid> <detail>`` is appended to this file, so
    the test knows which process to kill and when.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

SLOW_SAVE_MS = "TRACKER_TEST_SLOW_SAVE_MS"
PAUSE_JOB = "TRACKER_TEST_PAUSE_JOB"
PAUSE_JOB_S = "TRACKER_TEST_PAUSE_JOB_S"
HOOK_FILE = "TRACKER_TEST_HOOK_FILE"


def _announce(point: str, detail: str) -> None:
    path = os.environ.get(HOOK_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{point} {os.getpid()} {detail}\n")


def slow_save(flush: Callable[[], None], detail: str) -> None:
    """Called inside a milestone save's transaction, after its writes (``flush`` sends them
    to the database first, so the pause holds real, uncommitted changes)."""
    raw = os.environ.get(SLOW_SAVE_MS)
    if not raw:
        return
    flush()
    _announce("slow_save", detail)
    time.sleep(int(raw) / 1000)


def pause_job(job: str, flush: Callable[[], None], detail: str) -> None:
    """Called inside a scheduler job's transaction, after part of its work."""
    if os.environ.get(PAUSE_JOB) != job:
        return
    flush()
    _announce(f"pause_job:{job}", detail)
    time.sleep(float(os.environ.get(PAUSE_JOB_S) or "30"))
