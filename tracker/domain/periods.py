"""Calendar rules of the monthly cycle. Nothing here reads the clock: pass ``as_of``."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_in_shanghai(now: datetime) -> date:
    """The office's calendar day of an instant: the one way to say "today in Shanghai" (a
    naive instant is UTC, as the database stores moments)."""
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from ``first``'s month to ``last``'s month, inclusive."""
    out: list[date] = []
    current = month_start(first)
    while current <= last:
        out.append(current)
        current = add_months(current, 1)
    return out


def time_progress(as_of: date) -> float:
    """序时进度: the share of the year elapsed at the end of ``as_of`` (31 March → 0.25).

    Offices count in months (end of March is 25%, not 90/365); within a month the share
    grows by day, so the figure is continuous and reaches whole twelfths at month ends.
    """
    days = calendar.monthrange(as_of.year, as_of.month)[1]
    return (as_of.month - 1 + as_of.day / days) / 12


def previous_month(as_of: date) -> date:
    """First day of the month before ``as_of``'s month."""
    return add_months(month_start(as_of), -1)


def month_label(period: date, language: str = "zh") -> str:
    return f"{period.year}年{period.month}月" if language == "zh" else period.strftime("%b %Y")


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days


def shift_days(day: date, days: int) -> date:
    return day + timedelta(days=days)
