"""What the admin page's callbacks share: the notification output, the refresh stamp."""

from __future__ import annotations

import time
from typing import Any

from tracker.web import notices

NOTIFY = notices.output("admin")


def stamp() -> int:
    """A new value for a refresh store (milliseconds: two clicks never share one)."""
    return int(time.time() * 1000)


def first_row(rows: Any) -> dict[str, Any]:
    """The grid's selected row, or {} (whatever a forged call sends)."""
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}
