"""Shared set-up for the dispatch tests: settings without the environment, an open period."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from tracker.config import Settings, load_settings
from tracker.models import ReportingPeriod
from tracker.services.cycle import ensure_period, mark_open


def dispatch_settings(**overrides: Any) -> Settings:
    return load_settings(env={}, **overrides)


def open_period(
    session: Session, period: date, settings: Settings | None = None
) -> ReportingPeriod:
    row = ensure_period(session, period=period, settings=settings or dispatch_settings())
    mark_open(row)
    session.add(row)
    session.flush()
    return row
