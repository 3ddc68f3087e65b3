"""The month's bulletin as a 公文 (#14): the drafted document, the office's section edits
before 定稿, and the texts a 定稿 freezes.

* ``document`` — the ``Document`` every renderer draws (.docx, .pdf, the page): a 定稿 from
  the texts frozen with its figures (it reads the same after any later change); a live
  month drafted afresh from today's figures, the office's edited sections kept (marked).
* ``edit_section`` — the office rewrites a section (``bulletin.edit``); audited. Refused
  once the month is frozen, until the office reopens it (修订版). An empty text drops the
  edit: the section redrafts.
* ``texts_to_freeze`` — called by ``services.bulletin.freeze``: the document's texts as
  they stand at 定稿, stored in the snapshot's payload (``Bulletin.texts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.bulletin import Bulletin
from tracker.domain.document import Document
from tracker.domain.drafting import (
    HEADINGS,
    DraftInputs,
    DraftSettings,
    draft,
    frozen_texts,
    issue_number,
)
from tracker.domain.inputs import TextRule, ValueRefused, check_text, label_of
from tracker.domain.periods import add_months, month_end, month_start
from tracker.models import (
    BulletinSectionEdit,
    Milestone,
    MonthlyReport,
    PeriodSnapshot,
    Project,
    ReportingPeriod,
    utcnow,
)
from tracker.services import audit
from tracker.services import bulletin as bulletins
from tracker.services.auth import Actor
from tracker.services.cycle import month_name
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import require

SECTION_RULE = TextRule(label_of("bulletin.section"), 20000, column="bulletinsectionedit.text")


def draft_settings(settings: Settings) -> DraftSettings:
    return DraftSettings(
        office=str(settings.OFFICE_NAME),
        first_issue_no=int(settings.BULLETIN_FIRST_ISSUE_NO),
        amount_unit=settings.BULLETIN_AMOUNT_UNIT,
        distribution=(
            ("报", str(settings.BULLETIN_TO)),
            ("送", str(settings.BULLETIN_SEND)),
            ("抄送", str(settings.BULLETIN_CC)),
        ),
        signatures=(
            ("编辑", str(settings.BULLETIN_EDITOR)),
            ("审核", str(settings.BULLETIN_REVIEWER)),
            ("签发", str(settings.BULLETIN_SIGNER)),
        ),
    )


def _year_months(session: Session, year: int) -> list[date]:
    first, last = date(year, 1, 1), date(year, 12, 1)
    months = set(
        session.exec(
            select(ReportingPeriod.period)
            .where(ReportingPeriod.period >= first)
            .where(ReportingPeriod.period <= last)
        ).all()
    )
    months |= set(
        session.exec(
            select(PeriodSnapshot.period)
            .where(PeriodSnapshot.period >= first)
            .where(PeriodSnapshot.period <= last)
        ).all()
    )
    return sorted(months)


def _last_year(session: Session, b: Bulletin, settings: Settings) -> Bulletin | None:
    """The same month a year before: its 定稿 if frozen, else computed when it has reports."""
    before = add_months(b.month, -12)
    frozen = bulletins._snapshot(session, before)
    if frozen is not None:
        return frozen
    has = session.exec(select(MonthlyReport.id).where(MonthlyReport.period == before).limit(1))
    if has.first() is None:
        return None
    return bulletins.compute_bulletin(
        session, period=before, today=month_end(before), settings=settings, with_changes=False
    )


def _next_milestones(session: Session, period: date) -> tuple[dict[str, Any], ...]:
    nxt = add_months(month_start(period), 1)
    rows = session.exec(
        select(Milestone, Project)
        .join(Project, col(Milestone.project_id) == Project.id)
        .where(Milestone.planned_date >= nxt)
        .where(Milestone.planned_date <= month_end(nxt))
        .where(col(Milestone.actual_date).is_(None))
        .order_by(Milestone.planned_date, Project.sort_order, Milestone.seq)
    ).all()
    return tuple(
        {
            "code": p.code,
            "name": p.name,
            "county": p.county,
            "milestone": m.name,
            "planned": m.planned_date.isoformat(),
        }
        for m, p in rows
    )


def section_versions(session: Session, period: date) -> dict[str, int]:
    """Each edited section's version: what an editor saw, checked again when they save."""
    rows = session.exec(
        select(BulletinSectionEdit).where(BulletinSectionEdit.period == month_start(period))
    ).all()
    return {r.section: r.version for r in rows}


def _edits(session: Session, period: date) -> dict[str, str]:
    rows = session.exec(
        select(BulletinSectionEdit).where(BulletinSectionEdit.period == month_start(period))
    ).all()
    return {r.section: r.text for r in rows}


def _rectify_by(period: date, settings: Settings) -> date:
    """下月调度截止日: the report due day of the month after the bulletin's."""
    nxt = add_months(month_start(period), 1)
    return nxt.replace(day=min(int(settings.REPORT_DUE_DAY), month_end(nxt).day))


def draft_inputs(
    session: Session, b: Bulletin, *, settings: Settings, issued_on: date
) -> DraftInputs:
    return DraftInputs(
        bulletin=b,
        issue_index=issue_number(b.month, _year_months(session, b.month.year), 1),
        issued_on=issued_on,
        rectify_by=_rectify_by(b.month, settings),
        last_year=_last_year(session, b, settings),
        next_milestones=_next_milestones(session, b.month),
        edits=_edits(session, b.month),
        frozen=b.texts if b.final else None,
    )


def document_of(session: Session, b: Bulletin, *, settings: Settings) -> Document:
    """The 公文 of a bulletin already built (``build_bulletin``)."""
    if b.final and b.texts:
        # frozen: nothing live is read, so the 定稿 reads as it was signed
        inputs = DraftInputs(
            bulletin=b,
            issue_index=1,
            issued_on=date.fromisoformat(b.as_of),
            rectify_by=_rectify_by(b.month, settings),
            frozen=b.texts,
        )
        return draft(inputs, draft_settings(settings))
    issued = date.fromisoformat(b.as_of)
    return draft(
        draft_inputs(session, b, settings=settings, issued_on=issued), draft_settings(settings)
    )


def document(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    revision: int | None = None,
) -> Document:
    b = bulletins.build_bulletin(
        session, actor=actor, period=period, today=today, settings=settings, revision=revision
    )
    return document_of(session, b, settings=settings)


def texts_to_freeze(
    session: Session, b: Bulletin, *, settings: Settings, today: date
) -> dict[str, Any]:
    """The document's texts as they stand at 定稿 (the office's edits and the drafts)."""
    live = Bulletin.from_dict(b.to_dict(), final=False)
    live.texts = None
    options = draft_settings(settings)
    doc = draft(draft_inputs(session, live, settings=settings, issued_on=today), options)
    return frozen_texts(doc, options.amount_unit)


# --- editing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionText:
    key: str
    heading: str
    text: str
    edited: bool
    version: int = 0  # the office's stored edit's version (0: none, the draft)


def _editable(session: Session, period: date) -> None:
    """A month's texts can be edited until 定稿, and again once the office reopens it."""
    row = session.exec(select(ReportingPeriod).where(ReportingPeriod.period == period)).first()
    frozen = session.exec(select(PeriodSnapshot.id).where(PeriodSnapshot.period == period)).first()
    if frozen is not None and not (row is not None and row.status == "reopened"):
        raise ConflictError("bulletin.text_frozen", month=month_name(period))


def edit_section(
    session: Session,
    *,
    actor: Actor,
    period: date,
    key: str,
    text: str,
    today: date,
    settings: Settings,
    seen_version: int | None = None,
) -> SectionText:
    """Store the office's text of one section (empty: back to the draft); audited. With
    ``seen_version`` (the section's version when the editor opened it: 0 for the draft), a
    section a colleague saved or reset since is refused, not overwritten."""
    require(actor, "bulletin.edit")
    period = month_start(period)
    if key not in HEADINGS:
        raise NotFound("bulletin.no_section", section=key)
    try:
        cleaned = check_text(text, SECTION_RULE)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None
    bulletins.build_bulletin(session, actor=actor, period=period, today=today, settings=settings)
    _editable(session, period)
    row = session.exec(
        select(BulletinSectionEdit)
        .where(BulletinSectionEdit.period == period)
        .where(BulletinSectionEdit.section == key)
    ).first()
    if seen_version is not None and (row.version if row is not None else 0) != seen_version:
        raise ConflictError("bulletin.section_stale", section=HEADINGS[key])
    before = {"text": row.text} if row is not None else None
    if not cleaned:
        if row is not None:
            audit.record(
                session, actor, "bulletin.section_reset", "bulletin_section", row.id, before, None
            )
            session.delete(row)
            session.flush()
        return SectionText(key, HEADINGS[key], "", False)
    if row is None:
        row = BulletinSectionEdit(period=period, section=key, text=cleaned, edited_by=actor.id)
    else:
        row.text, row.edited_by, row.updated_at = cleaned, actor.id, utcnow()
        row.version += 1
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "bulletin.section_edit",
        "bulletin_section",
        row.id,
        before,
        {"period": period.isoformat(), "section": key, "text": cleaned},
    )
    return SectionText(key, HEADINGS[key], cleaned, True, row.version)


def sections(
    session: Session, *, actor: Actor, period: date, today: date, settings: Settings
) -> tuple[SectionText, ...]:
    """The month's four sections as the page shows them for editing."""
    doc = document(session, actor=actor, period=period, today=today, settings=settings)
    versions = section_versions(session, period)
    return tuple(
        SectionText(s.key, s.heading, s.text, s.edited, versions.get(s.key, 0))
        for s in doc.sections
    )


# --- files ----------------------------------------------------------------------------------

FORMATS = (".docx", ".pdf", ".xlsx")


def file_of(
    session: Session, b: Bulletin, *, settings: Settings, suffix: str
) -> bulletins.BulletinFile:
    """The bulletin as a file by its extension: .docx (the 公文, Word), .pdf (the 公文) or
    .xlsx (the tables, as before); named like the workbook (调度通报-YYYY-MM[-修订版n])."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput("bulletin.format_unknown", suffix=suffix or "—")
    if suffix == ".xlsx":
        return bulletins.bulletin_file(b, settings)
    stem = _stem(b)
    doc = document_of(session, b, settings=settings)
    if suffix == ".docx":
        from tracker.document.docx import document_docx
        from tracker.services.photos import with_red_photos

        doc = with_red_photos(session, doc, b.red_amber, settings=settings)
        return bulletins.BulletinFile(stem + suffix, document_docx(doc))
    from tracker.document.pdf import document_pdf

    return bulletins.BulletinFile(stem + suffix, document_pdf(doc))


def _stem(b: Bulletin) -> str:
    from tracker.domain.bulletin import bulletin_filename

    return bulletin_filename(b.month, b.revision if b.final else 1).removesuffix(".xlsx")


def download(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    suffix: str,
    revision: int | None = None,
) -> bulletins.BulletinFile:
    """The month's bulletin as a file for the reader, in the format its extension names."""
    b = bulletins.build_bulletin(
        session, actor=actor, period=period, today=today, settings=settings, revision=revision
    )
    return file_of(session, b, settings=settings, suffix=suffix)
