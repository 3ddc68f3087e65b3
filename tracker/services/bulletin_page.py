"""What the bulletin page (/bulletin) shows for one month, read in one session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.config import Settings
from tracker.domain.bulletin import Bulletin, default_month
from tracker.domain.messages import Message
from tracker.services.auth import Actor
from tracker.services.bulletin import (
    Assessment,
    Revision,
    annual_assessment,
    build_bulletin,
    bulletin_months,
    bulletin_revisions,
)
from tracker.services.cycle import PeriodFacts, get_period, period_facts, period_now
from tracker.services.errors import ServiceError
from tracker.services.permissions import can


@dataclass(frozen=True)
class BulletinPage:
    months: tuple[date, ...]  # months that have a bulletin, newest first (the picker)
    month: date | None  # the month shown (None: there is none yet)
    bulletin: Bulletin | None
    assessment: Assessment | None
    refusal: Message | None  # why the bulletin cannot be shown (then bulletin is None)
    period: PeriodFacts | None  # the month's reporting period, if it has one
    revisions: tuple[Revision, ...]  # its frozen revisions, newest first
    office: bool  # the reader may compile, move and reopen (cycle.run)

    @property
    def compilable(self) -> bool:
        """The office may compile the month now (its bulletin is not final)."""
        return self.office and self.bulletin is not None and not self.bulletin.final


def bulletin_page(
    session: Session,
    *,
    actor: Actor,
    month: date | None,
    today: date,
    settings: Settings,
    pick: bool = False,
) -> BulletinPage:
    """The month's bulletin, the year's 考评, its period and revisions; with ``pick`` and no
    month, the month the page opens on (the current period's, #19)."""
    months = tuple(bulletin_months(session))
    if month is None and pick:
        month = default_month(months, period_now(session, today=today, settings=settings).period)
    bulletin = assessment = refusal = period = None
    revisions: tuple[Revision, ...] = ()
    if month is not None:
        try:
            bulletin = build_bulletin(
                session, actor=actor, period=month, today=today, settings=settings
            )
            assessment = annual_assessment(session, actor=actor, year=month.year, settings=settings)
        except ServiceError as exc:
            bulletin, refusal = None, exc.message
        row = get_period(session, month)
        period = period_facts(row) if row is not None else None
        revisions = tuple(bulletin_revisions(session, period=month))
    return BulletinPage(
        months=months,
        month=month,
        bulletin=bulletin,
        assessment=assessment,
        refusal=refusal,
        period=period,
        revisions=revisions,
        office=can(actor, "cycle.run"),
    )
