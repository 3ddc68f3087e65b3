"""Values arriving in callbacks, read one way: whatever a browser (or a forged call) sends.

A date picker, a store or a URL gives ``"2026-03-01"``, ``"2026-03-01T00:00:00"``, ``None``,
or anything at all; these return the value or ``None``, never raise, and never a date
outside the range the product can draw (``tracker.domain.inputs.usable_date``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.domain.inputs import usable_date


def day_value(value: Any) -> date | None:
    """A day from a callback value (an ISO date, or the date part of an ISO moment)."""
    if isinstance(value, date):
        return usable_date(value)
    if not isinstance(value, str) or not value:
        return None
    try:
        return usable_date(date.fromisoformat(value[:10]))
    except ValueError:
        return None


def month_value(value: Any) -> date | None:
    """The first day of the month a callback value names (``"2026-03"`` or any day in it)."""
    if isinstance(value, str) and len(value) == 7:
        value = f"{value}-01"
    day = day_value(value)
    return day.replace(day=1) if day else None


def int_value(value: Any, default: int = -1) -> int:
    """An integer from a callback value (booleans are not integers here)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def text_value(value: Any) -> str | None:
    """A non-empty string from a callback value."""
    return value if isinstance(value, str) and value else None
