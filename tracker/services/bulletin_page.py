"""What the bulletin page (/bulletin) shows for one month, read in one session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.bulletin import Bulletin, default_month
from tracker.domain.messages import Message
from tracker.models import MonthlyReport, PeriodSnapshot
from tracker.services.auth import Actor
from tracker.services.bulletin import (
    Assessment,
    Revision,
    annual_assessment,
    build_bulletin,
    bulletin_months,
    bulletin_revisions,
)
from tracker.services.bulletin_text import SectionText, document_of, section_versions
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
    # the month asked for (?month=) when there is no bulletin for it: the page says so and
    # shows the month it opens on instead
    not_found: date | None = None
    # #14 the 公文's four sections as the month's document reads them (drafted, the office's
    # edits kept, or frozen with a 定稿), and whether the reader may rewrite them
    sections: tuple[SectionText, ...] = ()
    editor: bool = False  # bulletin.edit

    @property
    def text_editable(self) -> bool:
        """The office may rewrite the sections now (until 定稿; again once reopened)."""
        return self.editor and self.bulletin is not None and not self.bulletin.final

    @property
    def compilable(self) -> bool:
        """The office may compile the month now (its bulletin is not final)."""
        return self.office and self.bulletin is not None and not self.bulletin.final


def opening_month(session: Session, *, months: tuple[date, ...], today: date, settings: Settings):
    """The month the page opens on (domain.bulletin.default_month): the month in reporting
    today if a report has been submitted for it, else the latest 定稿, else the latest."""
    in_reporting = period_now(session, today=today, settings=settings).period
    reported = (
        session.exec(
            select(MonthlyReport.id)
            .where(MonthlyReport.period == in_reporting)
            .where(col(MonthlyReport.submitted_at).is_not(None))
            .limit(1)
        ).first()
        is not None
    )
    finals = tuple(session.exec(select(PeriodSnapshot.period)).all())
    return default_month(months, in_reporting=in_reporting, reported=reported, finals=finals)


def bulletin_page(
    session: Session,
    *,
    actor: Actor,
    month: date | None,
    today: date,
    settings: Settings,
    pick: bool = False,
    assessment: bool = True,
) -> BulletinPage:
    """The month's bulletin, the year's 考评 (unless ``assessment`` is false: the page shows
    that year's already), its period and revisions. With ``pick`` (the page opening): no
    month, or one that has no bulletin, opens on ``opening_month``."""
    months = tuple(bulletin_months(session))
    not_found = None
    if pick and month is not None and month not in months:
        month, not_found = None, month
    if month is None and pick:
        month = opening_month(session, months=months, today=today, settings=settings)
    bulletin = annual = refusal = period = None
    revisions: tuple[Revision, ...] = ()
    sections: tuple[SectionText, ...] = ()
    if month is not None:
        try:
            bulletin = build_bulletin(
                session, actor=actor, period=month, today=today, settings=settings
            )
            if assessment:
                annual = annual_assessment(session, actor=actor, year=month.year, settings=settings)
            sections = _sections(session, bulletin, settings)
        except ServiceError as exc:
            bulletin, refusal = None, exc.message
        row = get_period(session, month)
        period = period_facts(row) if row is not None else None
        revisions = tuple(bulletin_revisions(session, period=month))
    return BulletinPage(
        months=months,
        month=month,
        bulletin=bulletin,
        assessment=annual,
        refusal=refusal,
        period=period,
        revisions=revisions,
        office=can(actor, "cycle.run"),
        not_found=not_found,
        sections=sections,
        editor=can(actor, "bulletin.edit"),
    )


def _sections(session: Session, bulletin: Bulletin, settings: Settings) -> tuple[SectionText, ...]:
    """The month's document's sections, drafted from the bulletin already built."""
    doc = document_of(session, bulletin, settings=settings)
    versions = section_versions(session, bulletin.month)
    return tuple(
        SectionText(s.key, s.heading, s.text, s.edited, versions.get(s.key, 0))
        for s in doc.sections
    )
