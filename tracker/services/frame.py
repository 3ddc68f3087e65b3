"""What the frame around every page shows for the signed-in user, in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.config import Settings
from tracker.data_version import Version
from tracker.services import kept
from tracker.services.bell import unread_count
from tracker.services.cycle import CurrentPeriod, period_now

PERIODS_KEPT = 16  # (day, settings) pairs of the current data version
PERIOD_READS = frozenset({"reportingperiod"})  # period_now reads the periods only


@dataclass(frozen=True)
class Frame:
    unread: int  # the bell's count
    period: CurrentPeriod  # the reporting period at the foot of the navigation


def frame(
    session: Session,
    *,
    user_id: int | None,
    today: date,
    settings: Settings,
    version: Version | None = None,
) -> Frame:
    """The frame; ``version``: the data version the request read before this session (with
    its login session), else it is read here."""
    # the period is the office's calendar: kept per data version (read first), and beyond it
    # while no write touches the periods (tracker.services.kept); the bell's notifications
    # are not versioned (tracker.data_version.UNVERSIONED), so they are counted each time
    found = kept.carried(
        session,
        "frame_period",
        (today, id(settings)),
        PERIOD_READS,
        lambda: (settings, period_now(session, today=today, settings=settings)),
        lambda held: held[0] is settings,  # the id of these very settings
        PERIODS_KEPT,
        read_before=version,
    )
    return Frame(unread=unread_count(session, user_id=user_id), period=found[1])
