"""The monthly dispatch cycle's scheduler. Importing this package starts nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from schedules.runner import Embedded
    from tracker.config import Settings


def start_embedded(engine: Engine, settings: Settings) -> Embedded:
    """Start the scheduler inside this process (``python app.py``), if no other copy runs."""
    from schedules.runner import start_embedded as start

    return start(engine, settings)
