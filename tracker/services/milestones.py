"""Milestone updates by county leads, lead units and the office: done, rescheduled, noted.

Every save names the version it was based on. The write is one atomic
``UPDATE … SET …, version = version + 1 WHERE id = :id AND version = :seen``; when no row
matches, somebody saved first and the save is refused with ``ConflictError`` — nothing is
overwritten. Each change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.domain.inputs import ValueRefused, check_text, parse_day, parse_id
from tracker.domain.messages import Message, msg
from tracker.models import AppSetting, Milestone, Project, User, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import can, require

APPROVAL_KEY = "reschedule_needs_approval"
START_MILESTONE = "开工建设"
EARLIEST = date(2000, 1, 1)
STALE_MESSAGE = "milestone.stale"  # a catalogue key (tracker/texts/plan.py)
MILESTONE_FIELDS = [
    "name",
    "baseline_date",
    "planned_date",
    "actual_date",
    "note",
    "pending_date",
    "pending_reason",
    "pending_by",
    "version",
]


@dataclass(frozen=True)
class EditForm:
    """What the edit form of one milestone starts from."""

    milestone_id: int
    project_id: int
    project_name: str
    name: str
    baseline_date: date
    planned_date: date
    actual_date: date | None
    note: str
    pending_date: date | None
    pending_reason: str
    version: int
    needs_approval: bool  # a reschedule by this actor waits for the office


@dataclass(frozen=True)
class SaveResult:
    milestone_id: int
    project_id: int
    version: int
    pending: bool = False  # the reschedule waits for approval
    started_project: bool = False  # the project's actual start was set by this save


@dataclass(frozen=True)
class PendingReschedule:
    milestone_id: int
    project_id: int
    project_code: str
    project_name: str
    county: str
    name: str
    planned_date: date
    pending_date: date
    pending_reason: str
    requested_by: str
    version: int


# --- the office's setting ----------------------------------------------------------------


def reschedule_needs_approval(session: Session) -> tuple[bool, int]:
    """Whether reschedules by county leads and lead units wait for the office, and the
    setting's version (0 while never saved)."""
    stored = session.get(AppSetting, APPROVAL_KEY)
    if stored is None:
        return False, 0
    return bool(stored.value), stored.version


def set_reschedule_needs_approval(
    session: Session, *, actor: Actor, value: bool, seen_version: int
) -> bool:
    """Turn approval of reschedules on or off; refused when changed since ``seen_version``."""
    require(actor, "settings.edit")
    current, version = reschedule_needs_approval(session)
    if version != seen_version:
        raise ConflictError("milestone.setting_stale")
    stored = session.get(AppSetting, APPROVAL_KEY)
    if stored is None:
        session.add(AppSetting(key=APPROVAL_KEY, value=bool(value)))
    else:
        stored.value = bool(value)
        stored.version += 1
        stored.updated_at = utcnow()
        session.add(stored)
    audit.record(
        session,
        actor,
        "update",
        "setting",
        None,
        {APPROVAL_KEY: current},
        {APPROVAL_KEY: bool(value)},
    )
    session.flush()
    return bool(value)


# --- reading -------------------------------------------------------------------------------


def _load(session: Session, milestone_id: Any) -> tuple[Milestone, Project]:
    milestone, project, _ = _load_with_setting(session, milestone_id, setting=False)
    return milestone, project


def _load_with_setting(
    session: Session, milestone_id: Any, *, setting: bool = True
) -> tuple[Milestone, Project, tuple[bool, int]]:
    """The milestone, its project and (``setting``) ``reschedule_needs_approval``'s answer,
    in one select (the setting's row outer-joined: absent, it is (False, 0))."""
    key = parse_id(milestone_id)
    if key is None:
        raise NotFound("milestone.missing")
    query = (
        select(Milestone, Project)
        .join(Project, col(Project.id) == Milestone.project_id)
        .where(Milestone.id == key)
    )
    if setting:
        query = query.add_columns(AppSetting.value, AppSetting.version).outerjoin(
            AppSetting, col(AppSetting.key) == APPROVAL_KEY
        )
    row = session.exec(query).first()
    if row is None:
        raise NotFound("milestone.missing")
    if not setting:
        return row[0], row[1], (False, 0)
    stored = row[3] is not None  # the version is never NULL on a stored setting
    return row[0], row[1], (bool(row[2]), row[3]) if stored else (False, 0)


def _seen(seen_version: Any) -> int:
    seen = parse_id(seen_version)
    if seen is None:
        raise ConflictError(STALE_MESSAGE)
    return seen


def _date(value: Any, what: Message) -> date:
    """A date from the dialog through the input value rules (1990-01-01 to 2100-12-31)."""
    try:
        day = parse_day(value, label=str(what))
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None
    if day is None:
        raise InvalidInput("milestone.date_required", what=what)
    return day


def _text(value: Any, rule: str) -> str:
    try:
        return check_text(value, rule)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def edit_form(session: Session, *, actor: Actor, milestone_id: Any) -> EditForm:
    """The milestone as its edit form shows it; only for those who may update it."""
    milestone, project, (needs, _) = _load_with_setting(session, milestone_id)
    require(actor, "milestone.update", project)
    return EditForm(
        milestone_id=milestone.id or 0,
        project_id=project.id or 0,
        project_name=project.name,
        name=milestone.name,
        baseline_date=milestone.baseline_date,
        planned_date=milestone.planned_date,
        actual_date=milestone.actual_date,
        note=milestone.note,
        pending_date=milestone.pending_date,
        pending_reason=milestone.pending_reason,
        version=milestone.version,
        needs_approval=needs and not can(actor, "milestone.approve"),
    )


def pending_reschedules(session: Session, *, actor: Actor) -> list[PendingReschedule]:
    """Reschedules waiting for the office, oldest project first."""
    require(actor, "milestone.approve")
    rows = session.exec(
        select(Milestone, Project)
        .join(Project, col(Project.id) == Milestone.project_id)
        .where(col(Milestone.pending_date).is_not(None))
        .order_by(Project.sort_order, Milestone.seq)
    ).all()
    names = {u.id: u.display_name or u.username for u in session.exec(select(User))}
    return [
        PendingReschedule(
            milestone_id=m.id or 0,
            project_id=p.id or 0,
            project_code=p.code,
            project_name=p.name,
            county=p.county,
            name=m.name,
            planned_date=m.planned_date,
            pending_date=m.pending_date,  # type: ignore[arg-type]
            pending_reason=m.pending_reason,
            requested_by=names.get(m.pending_by, "") if m.pending_by else "",
            version=m.version,
        )
        for m, p in rows
    ]


# --- writing -------------------------------------------------------------------------------


def _apply(
    session: Session,
    *,
    actor: Actor,
    action: str,
    milestone: Milestone,
    seen: int,
    changes: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> int:
    """The versioned write and its audit entry; returns the new version."""
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    result = session.exec(
        update(Milestone)
        .where(col(Milestone.id) == milestone.id, col(Milestone.version) == seen)
        .values(**changes, version=Milestone.version + 1, updated_at=utcnow())
        .execution_options(
            synchronize_session=False, **data_version.of_projects(milestone.project_id)
        )
    )
    if result.rowcount != 1:
        raise ConflictError(STALE_MESSAGE)
    after = {**before, **audit.jsonable(changes), "version": seen + 1}
    if extra:
        after.update(audit.jsonable(extra))
    audit.record(
        session,
        actor,
        action,
        "milestone",
        milestone.id,
        before,
        after,
        project_id=milestone.project_id,
    )
    # what the write changed is read again when next asked; the id and the project (never
    # changed here) stay loaded, so the caller's answer costs no select
    session.expire(milestone, [*changes, "version", "updated_at"])
    return seen + 1


# what a milestone's pending reschedule request is once there is none
_NOTHING_PENDING = {"pending_date": None, "pending_reason": "", "pending_by": None}


def _check_version(milestone: Milestone, seen: int) -> None:
    if milestone.version != seen:
        raise ConflictError(STALE_MESSAGE)


def _is_start_milestone(session: Session, milestone: Milestone) -> bool:
    if milestone.name.strip() == START_MILESTONE:
        return True
    names = session.exec(
        select(Milestone.name).where(Milestone.project_id == milestone.project_id)
    ).all()
    if any(n.strip() == START_MILESTONE for n in names):
        return False
    first = session.exec(
        select(Milestone.id)
        .where(Milestone.project_id == milestone.project_id)
        .order_by(Milestone.seq)
        .limit(1)
    ).first()
    return first == milestone.id


def mark_done(
    session: Session,
    *,
    actor: Actor,
    milestone_id: Any,
    actual_date: Any,
    seen_version: Any,
    today: date,
) -> SaveResult:
    """Record a milestone as done on ``actual_date`` (not in the future). Marking 开工建设
    (or, without one, the first milestone) done sets the project's actual start if empty."""
    milestone, project = _load(session, milestone_id)
    require(actor, "milestone.update", project)
    seen = _seen(seen_version)
    done_on = _date(actual_date, msg("milestone.field.actual_date"))
    if done_on > today:
        raise InvalidInput("milestone.done_in_future", day=done_on)
    if done_on < EARLIEST:
        raise InvalidInput("milestone.done_unlikely", day=done_on)
    _check_version(milestone, seen)
    changes: dict[str, Any] = {"actual_date": done_on}
    if milestone.pending_date is not None:  # a done milestone needs no new date
        changes.update(pending_date=None, pending_reason="", pending_by=None)
    version = _apply(
        session, actor=actor, action="mark_done", milestone=milestone, seen=seen, changes=changes
    )
    started = False
    if project.actual_start is None and _is_start_milestone(session, milestone):
        before = audit.snapshot(project, ["actual_start", "version"])
        result = session.exec(
            update(Project)
            .where(col(Project.id) == project.id, col(Project.actual_start).is_(None))
            .values(actual_start=done_on, version=Project.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            started = True
            after = {"actual_start": done_on.isoformat(), "version": project.version + 1}
            audit.record(session, actor, "start", "project", project.id, before, after)
            session.expire(project)
    session.flush()
    return SaveResult(milestone.id or 0, project.id or 0, version, started_project=started)


def reschedule(
    session: Session,
    *,
    actor: Actor,
    milestone_id: Any,
    new_date: Any,
    reason: Any,
    seen_version: Any,
    today: date,
) -> SaveResult:
    """Move a milestone's planned date (the baseline stays). When the office requires it,
    a reschedule by a county lead or lead unit waits for approval instead."""
    milestone, project, (needs, _) = _load_with_setting(session, milestone_id)
    require(actor, "milestone.update", project)
    seen = _seen(seen_version)
    target = _date(new_date, msg("milestone.field.new_date"))
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        raise InvalidInput("milestone.reason_required")
    why = _text(reason, "milestone.reason")
    if milestone.actual_date is not None:
        raise InvalidInput("milestone.already_done")
    if target == milestone.planned_date:
        raise InvalidInput("milestone.same_date")
    if target < EARLIEST:
        raise InvalidInput("milestone.new_date_unlikely", day=target)
    _check_version(milestone, seen)
    if needs and not can(actor, "milestone.approve"):
        changes: dict[str, Any] = {
            "pending_date": target,
            "pending_reason": why,
            "pending_by": actor.id,
        }
        version = _apply(
            session,
            actor=actor,
            action="request_reschedule",
            milestone=milestone,
            seen=seen,
            changes=changes,
        )
        session.flush()
        return SaveResult(milestone.id or 0, project.id or 0, version, pending=True)
    changes = {"planned_date": target, **_NOTHING_PENDING}
    version = _apply(
        session,
        actor=actor,
        action="reschedule",
        milestone=milestone,
        seen=seen,
        changes=changes,
        extra={"reason": why},
    )
    session.flush()
    return SaveResult(milestone.id or 0, project.id or 0, version)


def approve_reschedule(
    session: Session, *, actor: Actor, milestone_id: Any, seen_version: Any, today: date
) -> SaveResult:
    """The office accepts a pending reschedule: the pending date becomes the plan."""

    def changes(m: Milestone) -> dict[str, Any]:
        return {"planned_date": m.pending_date, **_NOTHING_PENDING}

    def extra(m: Milestone) -> dict[str, Any]:
        return {"reason": m.pending_reason}

    request = (milestone_id, seen_version)
    return _decide_pending(session, actor, request, changes, extra, action="approve_reschedule")


def reject_reschedule(
    session: Session,
    *,
    actor: Actor,
    milestone_id: Any,
    seen_version: Any,
    today: date,
    comment: str = "",
) -> SaveResult:
    """The office turns a pending reschedule down: the plan stays as it was."""

    def extra(_m: Milestone) -> dict[str, Any]:
        return {"comment": _text(comment, "milestone.note")}

    request = (milestone_id, seen_version)
    return _decide_pending(session, actor, request, _stays, extra, action="reject_reschedule")


def _stays(_milestone: Milestone) -> dict[str, Any]:
    """A rejected request: the plan stays, the request goes."""
    return dict(_NOTHING_PENDING)


def _decide_pending(
    session: Session,
    actor: Actor,
    request: tuple[Any, Any],
    changes: Callable[[Milestone], dict[str, Any]],
    extra: Callable[[Milestone], dict[str, Any]],
    *,
    action: str,
) -> SaveResult:
    """The office's answer to a pending reschedule (``request``: the milestone's id and the
    version the office saw): ``changes`` written and audited as ``action`` with ``extra``,
    both computed from the milestone once its version is checked."""
    milestone_id, seen_version = request
    milestone, project = _load(session, milestone_id)
    require(actor, "milestone.approve", project)
    seen = _seen(seen_version)
    if milestone.pending_date is None:
        raise InvalidInput("milestone.nothing_pending")
    _check_version(milestone, seen)
    version = _apply(
        session,
        actor=actor,
        action=action,
        milestone=milestone,
        seen=seen,
        changes=changes(milestone),
        extra=extra(milestone),
    )
    session.flush()
    return SaveResult(milestone.id or 0, project.id or 0, version)


def add_note(
    session: Session,
    *,
    actor: Actor,
    milestone_id: Any,
    note: Any,
    seen_version: Any,
    today: date,
) -> SaveResult:
    """Replace the milestone's note (情况说明)."""
    milestone, project = _load(session, milestone_id)
    require(actor, "milestone.update", project)
    seen = _seen(seen_version)
    text = _text(note, "milestone.note")
    _check_version(milestone, seen)
    version = _apply(
        session, actor=actor, action="note", milestone=milestone, seen=seen, changes={"note": text}
    )
    session.flush()
    return SaveResult(milestone.id or 0, project.id or 0, version)
