"""问题台账: the problems and coordination items raised by monthly reports, followed until the
office closes them out (销号).

A submitted report's 存在问题 and 需协调解决事项 become one item per line. An item already open
for the same project with the same text is not raised again (the form carries last month's
text forward), nor is one raised by the same month's report before (a resubmission).

An item's cause and responsible unit are read from its text (tracker.domain.duban); a
coordination item naming no known unit has none (待明确) until the office names one. Its
督办 level rises by age and missed deadlines (``escalate``, the daily job), and the office
issues a 督办单 with a 文号 (``issue_duban``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.cycle import ageing_light
from tracker.domain.duban import (
    CAUSES,
    DubanSheet,
    cause_from_text,
    duban_document,
    duban_number,
    known_units,
    level_for,
    owner_from_text,
    rank,
)
from tracker.domain.duban import LEVELS as LEVELS
from tracker.domain.inputs import ValueRefused, check_text, parse_day, parse_id
from tracker.domain.periods import add_months, month_end, month_start
from tracker.domain.rules import Light
from tracker.i18n import t
from tracker.models import MonthlyReport, ProblemItem, Project, utcnow
from tracker.services import audit
from tracker.services.auth import SYSTEM, Actor
from tracker.services.cycle import dates_for
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import require

KINDS = ("problem", "coordination")
_SPLIT = re.compile(r"[\n\r；;]+")
_NUMBERING = re.compile(r"^\s*(?:\d+[.、．)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、)\s*")


def split_items(text: str) -> list[str]:
    """One item per line (or per ；), numbering like "1." or "（2）" removed, duplicates dropped."""
    out: list[str] = []
    for part in _SPLIT.split(text or ""):
        item = _NUMBERING.sub("", part).strip(" \t。.")
        if item and item not in out:
            out.append(item)
    return out


def normalize(text: str) -> str:
    return re.sub(r"\s+", "", text).strip("。.")


def sync_from_report(
    session: Session,
    *,
    actor: Actor,
    report: MonthlyReport,
    project: Project,
    today: date,
    settings: Settings,
    red: bool = False,
) -> list[ProblemItem]:
    """Raise the report's problems and coordination items; withdraw this month's items whose
    line was deleted on resubmission. Returns the items raised now."""
    existing = session.exec(select(ProblemItem).where(ProblemItem.project_id == project.id)).all()
    due = dates_for(add_months(report.period, 1), settings).due_on
    units: list[str] | None = None
    raised: list[ProblemItem] = []
    kept: set[int] = set()
    for kind, text in (("problem", report.problems), ("coordination", report.coordination)):
        for line in split_items(text):
            key = normalize(line)
            match = next(
                (
                    item
                    for item in existing
                    if item.kind == kind
                    and normalize(item.text) == key
                    and (item.status == "open" or item.period == report.period)
                ),
                None,
            )
            if match is not None:
                kept.add(match.id or 0)
                continue
            units = units if units is not None else unit_names(session, settings)
            named = owner_from_text(line, units)
            item = ProblemItem(
                project_id=project.id or 0,
                report_id=report.id,
                kind=kind,
                text=line[:4000],
                # a problem is the project's own unless it names another; a coordination
                # item's unit is the one it names, else to be named by the office
                owner=(named or project.lead_unit if kind == "problem" else named)[:100],
                due_date=due,
                level="city" if red else "office",
                raised_on=today,
                period=report.period,
                cause=cause_from_text(line),
            )
            session.add(item)
            session.flush()
            audit.record(
                session, actor, "raise", "problemitem", item.id, None, audit.snapshot(item)
            )
            raised.append(item)
    for item in existing:
        if (
            item.period == report.period
            and item.status == "open"
            and item.report_id == report.id
            and (item.id or 0) not in kept
        ):
            before = audit.snapshot(item)
            item.status, item.closed_on = "closed", today
            item.close_note = "重新报送时填报人已删除此项"
            item.version += 1
            item.updated_at = utcnow()
            session.add(item)
            audit.record(
                session, actor, "withdraw", "problemitem", item.id, before, audit.snapshot(item)
            )
    session.flush()
    return raised


def unit_names(session: Session, settings: Settings) -> list[str]:
    """The units an item's text is matched against: the projects' lead units and the
    KNOWN_UNITS setting."""
    leads = session.exec(select(Project.lead_unit).distinct().order_by(Project.lead_unit)).all()
    return known_units(leads, str(getattr(settings, "KNOWN_UNITS", "") or ""))


@dataclass(frozen=True)
class Item:
    """A ledger item as its readers see it (a plain copy of the row)."""

    id: int
    project_id: int
    kind: str
    text: str
    owner: str
    due_date: date | None
    level: str
    status: str
    raised_on: date
    period: date | None
    closed_on: date | None
    close_note: str
    version: int
    cause: str = "other"
    level_by_hand_on: date | None = None
    duban_number: str = ""  # the 督办单's 文号 once issued


def item_of(row: ProblemItem) -> Item:
    return Item(
        id=row.id or 0,
        project_id=row.project_id,
        kind=row.kind,
        text=row.text,
        owner=row.owner,
        due_date=row.due_date,
        level=row.level,
        status=row.status,
        raised_on=row.raised_on,
        period=row.period,
        closed_on=row.closed_on,
        close_note=row.close_note,
        version=row.version,
        cause=row.cause,
        level_by_hand_on=row.level_by_hand_on,
        duban_number=row.duban_number,
    )


@dataclass(frozen=True)
class LedgerLine:
    """A ledger item with what the ledger page shows next to it."""

    item: Item
    project_code: str
    project_name: str
    county: str
    lead_unit: str
    ageing: Light
    days_open: int

    @property
    def id(self) -> int:
        return self.item.id or 0


def ledger(
    session: Session,
    *,
    actor: Actor,
    today: date,
    status: str | None = "open",
    project_id: int | None = None,
    kind: str | None = None,
    level: str | None = None,
    county: str | None = None,
    cause: str | None = None,
) -> list[LedgerLine]:
    """Ledger items (open by default), oldest due first, with their ageing colour."""
    require(actor, "project.view")
    query = select(ProblemItem, Project).join(Project, col(ProblemItem.project_id) == Project.id)
    if status is not None:
        query = query.where(ProblemItem.status == status)
    if project_id is not None:
        query = query.where(ProblemItem.project_id == project_id)
    if kind is not None:
        query = query.where(ProblemItem.kind == kind)
    if level is not None:
        query = query.where(ProblemItem.level == level)
    if county is not None:
        query = query.where(Project.county == county)
    if cause is not None:
        query = query.where(ProblemItem.cause == cause)
    query = query.order_by(
        col(ProblemItem.due_date).is_(None), ProblemItem.due_date, ProblemItem.id
    )
    return [line_of(item, project, today) for item, project in session.exec(query).all()]


def line_of(item: ProblemItem, project: Project, today: date) -> LedgerLine:
    """The item as it stood on ``today``: one closed after that day was still open then."""
    closed = item.status == "closed" and (item.closed_on is None or item.closed_on <= today)
    end = item.closed_on if closed and item.closed_on else today
    return LedgerLine(
        item=item_of(item),
        project_code=project.code,
        project_name=project.name,
        county=project.county,
        lead_unit=project.lead_unit,
        ageing=ageing_light(item.raised_on, item.due_date, today, closed=closed),
        days_open=max(0, (end - item.raised_on).days),
    )


def open_counts(session: Session, project_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Open ledger items per project (the battle map's row badge); projects with none omitted."""
    query = (
        select(ProblemItem.project_id, func.count())
        .where(ProblemItem.status == "open")
        .group_by(ProblemItem.project_id)
    )
    if project_ids is not None:
        query = query.where(col(ProblemItem.project_id).in_(list(project_ids)))
    return {pid: n for pid, n in session.exec(query).all()}


def open_items_by_project(
    session: Session,
    project_ids: Iterable[int],
    *,
    as_of: date | None = None,
    month: date | None = None,
) -> dict[int, list[ProblemItem]]:
    """Items open on ``as_of`` (default: now) for the given projects, oldest first; with
    ``month``, only those that belong to that month's bulletin or an earlier one."""
    query = (
        select(ProblemItem)
        .where(col(ProblemItem.project_id).in_(list(project_ids)))
        .order_by(ProblemItem.raised_on, ProblemItem.id)
    )
    out: dict[int, list[ProblemItem]] = defaultdict(list)
    for item in session.exec(query).all():
        if _open_on(item, as_of) and _of_month(item, month):
            out[item.project_id].append(item)
    return dict(out)


def _open_on(item: ProblemItem, as_of: date | None) -> bool:
    if as_of is None:
        return item.status == "open"
    if item.raised_on > as_of:
        return False
    return item.status == "open" or (item.closed_on is not None and item.closed_on > as_of)


def _of_month(item: ProblemItem, month: date | None) -> bool:
    """Whether an item belongs to ``month``'s bulletin (or an earlier one's): raised by a
    report for that month or before (October's reports come in early November, and their
    items are October's), or, raised by hand, on or before the month's last day. An item a
    November report raised is never in October's bulletin, whenever October is compiled."""
    if month is None:
        return True
    if item.period is not None:
        return item.period <= month_start(month)
    return item.raised_on <= month_end(month)


def coordination_items(
    session: Session, *, today: date, as_of: date | None = None, month: date | None = None
) -> list[LedgerLine]:
    """Coordination items open on ``as_of`` (default: open now), for the bulletin and the
    dispatch meeting, aged on ``today`` (a bulletin passes the day it is compiled for both,
    and its ``month``: only the items of that month or before)."""
    query = (
        select(ProblemItem, Project)
        .join(Project, col(ProblemItem.project_id) == Project.id)
        .where(ProblemItem.kind == "coordination")
        .order_by(Project.sort_order, ProblemItem.raised_on, ProblemItem.id)
    )
    return [
        line_of(item, project, today)
        for item, project in session.exec(query).all()
        if _open_on(item, as_of) and _of_month(item, month)
    ]


def _load(session: Session, item_id: int) -> tuple[ProblemItem, Project]:
    key = parse_id(item_id)
    item = session.get(ProblemItem, key) if key else None
    if item is None:
        raise NotFound("ledger.err.not_found")
    project = session.get(Project, item.project_id)
    assert project is not None
    return item, project


def _text(value: object, rule: str) -> str:
    try:
        return check_text(value, rule)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def _save(session: Session, item: ProblemItem, seen_version: int, values: dict) -> None:
    """UPDATE … WHERE version = :seen; a stale save is refused."""
    if parse_id(seen_version) is None:
        raise ConflictError("ledger.err.changed")
    updated = session.execute(
        update(ProblemItem)
        .where(col(ProblemItem.id) == item.id)
        .where(col(ProblemItem.version) == seen_version)
        .values(**values, version=seen_version + 1, updated_at=utcnow())
    ).rowcount
    if updated != 1:
        raise ConflictError("ledger.err.changed")
    session.refresh(item)


def update_item(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    seen_version: int,
    owner: str | None = None,
    due_date: date | str | None = None,
    level: str | None = None,
    text: str | None = None,
    cause: str | None = None,
    today: date | None = None,
) -> Item:
    """Change owner, due date, text, cause (the project's leads or the office) or 督办 level
    (the office, by hand: ``today`` is the day escalation by age counts from again)."""
    item, project = _load(session, item_id)
    require(actor, "problem.edit", project)
    if item.status != "open":
        raise InvalidInput("ledger.err.closed_no_edit")
    values: dict = {}
    if owner is not None:
        values["owner"] = _text(owner, "problem.owner")
    if due_date is not None:
        try:
            values["due_date"] = parse_day(due_date, label="整改时限")
        except ValueRefused as refusal:
            raise InvalidInput(refusal.message) from None
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("ledger.err.text_required")
        values["text"] = _text(text, "problem.text")
    if cause is not None:
        if cause not in CAUSES:
            raise InvalidInput("ledger.err.cause")
        values["cause"] = cause
    if level is not None:
        values.update(_hand_level(actor, project, level, today))
    before = audit.snapshot(item)
    _save(session, item, seen_version, values)
    audit.record(session, actor, "update", "problemitem", item.id, before, audit.snapshot(item))
    return item_of(item)


def _hand_level(actor: Actor, project: Project, level: object, today: date | None) -> dict:
    """The office sets the 督办 level by hand: kept, and escalation counts from ``today``."""
    if level not in LEVELS:
        raise InvalidInput("ledger.err.level")
    require(actor, "problem.close", project)
    if today is None:
        raise TypeError("a level set by hand needs today")
    return {"level": level, "level_by_hand_on": today}


def close_item(
    session: Session, *, actor: Actor, item_id: int, seen_version: int, note: str, today: date
) -> Item:
    """销号: the office closes an item with a note saying how it was resolved."""
    item, project = _load(session, item_id)
    require(actor, "problem.close", project)
    if item.status == "closed":
        raise InvalidInput("ledger.err.already_closed")
    note = _text(note, "problem.close_note")
    if not note:
        raise InvalidInput("ledger.err.close_note_required")
    before = audit.snapshot(item)
    _save(
        session,
        item,
        seen_version,
        {"status": "closed", "closed_on": today, "close_note": note},
    )
    audit.record(session, actor, "close", "problemitem", item.id, before, audit.snapshot(item))
    return item_of(item)


def reopen_item(
    session: Session, *, actor: Actor, item_id: int, seen_version: int, note: str
) -> Item:
    """Reopen an item closed by mistake (the office)."""
    item, project = _load(session, item_id)
    require(actor, "problem.close", project)
    if item.status != "closed":
        raise InvalidInput("ledger.err.not_closed")
    reason = _text(note, "problem.close_note")
    prefix = "重新打开："
    if len(prefix) + len(reason) > 2000:
        raise InvalidInput("ledger.err.reopen_note_too_long", limit=2000 - len(prefix))
    before = audit.snapshot(item)
    _save(
        session,
        item,
        seen_version,
        {"status": "open", "closed_on": None, "close_note": prefix + reason},
    )
    audit.record(session, actor, "reopen", "problemitem", item.id, before, audit.snapshot(item))
    return item_of(item)


# --- 督办: escalation and the 督办单 -----------------------------------------------------------


@dataclass(frozen=True)
class Escalation:
    """An item raised to a higher 督办 level by the daily job."""

    item: Item
    before: str  # the level it had
    project_code: str
    project_name: str
    county: str
    lead_unit: str
    days_open: int


def escalate(session: Session, *, today: date, settings: Settings) -> list[Escalation]:
    """Raise every open item to the level ``domain.duban.level_for`` gives on ``today``
    (never lower), audited as the system; returns the items raised."""
    rows = session.exec(
        select(ProblemItem, Project)
        .join(Project, col(ProblemItem.project_id) == Project.id)
        .where(ProblemItem.status == "open")
        .order_by(ProblemItem.id)
    ).all()
    raised: list[Escalation] = []
    for item, project in rows:
        level = level_for(item, today, settings)
        if rank(level) <= rank(item.level):
            continue
        before = audit.snapshot(item)
        item.level = level
        item.version += 1
        item.updated_at = utcnow()
        session.add(item)
        audit.record(
            session, SYSTEM, "escalate", "problemitem", item.id, before, audit.snapshot(item)
        )
        raised.append(
            Escalation(
                item=item_of(item),
                before=before["level"],
                project_code=project.code,
                project_name=project.name,
                county=project.county,
                lead_unit=project.lead_unit,
                days_open=max(0, (today - item.raised_on).days),
            )
        )
    session.flush()
    return raised


def _next_duban_no(session: Session, year: int) -> int:
    last = session.exec(
        select(func.max(ProblemItem.duban_no)).where(ProblemItem.duban_year == year)
    ).one()
    return int(last or 0) + 1


def issue_duban(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    today: date,
    settings: Settings,
    language: str = "zh",
) -> DubanSheet:
    """The item's 督办单 (the office). The first issue gives it its 文号, numbered per year
    ("{prefix}督〔2026〕7号"), kept for every later copy; audited."""
    item, project = _load(session, item_id)
    require(actor, "duban.issue", project)
    if item.status != "open":
        raise InvalidInput("ledger.err.duban_closed")
    if not item.duban_number:
        year = today.year
        number = _next_duban_no(session, year)
        before = audit.snapshot(item)
        item.duban_year, item.duban_no, item.duban_issued_on = year, number, today
        item.duban_number = duban_number(str(settings.DUBAN_NUMBER_PREFIX), year, number)
        session.add(item)
        try:
            session.flush()
        except IntegrityError:  # another office user took the number at the same moment
            raise ConflictError("ledger.err.changed") from None
        audit.record(
            session, actor, "duban.issue", "problemitem", item.id, before, audit.snapshot(item)
        )
    return sheet_of(item, project, today, settings, language)


def sheet_of(
    item: ProblemItem, project: Project, today: date, settings: Settings, language: str
) -> DubanSheet:
    """What the item's 督办单 says, in ``language``."""
    return DubanSheet(
        number=item.duban_number,
        office=str(settings.OFFICE_NAME),
        issued_on=item.duban_issued_on or today,
        project=f"{project.code} {project.name}",
        county=project.county,
        lead_unit=project.lead_unit,
        kind=t(f"ledger.kind.{item.kind}", language),
        text=item.text,
        cause=t(f"ledger.cause.{item.cause}", language),
        owner=item.owner or t("ledger.owner_unknown", language),
        level=t(f"ledger.level.{item.level}", language),
        raised_on=item.raised_on,
        due_date=item.due_date,
        days_open=max(0, (today - item.raised_on).days),
    )


DUBAN_LABELS = (
    "title", "field", "content", "project", "county", "lead_unit", "kind", "text", "cause",
    "owner", "level", "raised_on", "due_date", "days_open", "none", "request_heading", "request",
)  # fmt: skip
DUBAN_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class DubanFile:
    name: str  # 督办单-临示办督〔2026〕7号.docx
    content: bytes
    number: str  # the 文号


def duban_file(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    fmt: str,
    today: date,
    settings: Settings,
    language: str = "zh",
) -> DubanFile:
    """The item's 督办单 as .docx or .pdf (issued, and numbered, on the first download)."""
    from tracker.document import duban as render

    if fmt not in DUBAN_FORMATS:
        raise InvalidInput("request.invalid")
    sheet = issue_duban(
        session, actor=actor, item_id=item_id, today=today, settings=settings, language=language
    )
    labels = {key: t(f"duban.{key}", language) for key in DUBAN_LABELS}
    doc = duban_document(sheet, labels)
    content = render.docx_bytes(doc) if fmt == "docx" else render.pdf_bytes(doc)
    return DubanFile(f"{doc.file_stem}.{fmt}", content, sheet.number)
