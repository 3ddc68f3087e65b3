"""What the frame around every page shows for the signed-in user, in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.config import Settings
from tracker.services.bell import unread_count
from tracker.services.cycle import CurrentPeriod, period_now


@dataclass(frozen=True)
class Frame:
    unread: int  # the bell's count
    period: CurrentPeriod  # the reporting period at the foot of the navigation


def frame(session: Session, *, user_id: int | None, today: date, settings: Settings) -> Frame:
    return Frame(
        unread=unread_count(session, user_id=user_id),
        period=period_now(session, today=today, settings=settings),
    )
