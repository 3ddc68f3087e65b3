"""Moments as the office reads them: Beijing time, to the minute."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.domain.periods import SHANGHAI, today_in_shanghai


def local_time(at: datetime | None) -> str:
    """A stored moment (UTC; naive means UTC) as 'YYYY-MM-DD HH:MM' in Asia/Shanghai."""
    if at is None:
        return "—"
    moment = at if at.tzinfo else at.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def local_day(at: datetime | None) -> date | None:
    """The day in Asia/Shanghai of a stored moment (UTC; naive means UTC)."""
    return None if at is None else today_in_shanghai(at)
