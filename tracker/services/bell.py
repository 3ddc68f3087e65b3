"""The notification bell: a user's in-app messages (unread first), the number of unread ones,
and for the office the e-mails and group messages that could not be delivered. Each use case
returns plain results (``Note``, ``Drawer``); the outbox itself lives in ``notify``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from tracker.domain.messages import Message, stored_message
from tracker.models import Notification
from tracker.services import notify
from tracker.services.auth import Actor
from tracker.services.permissions import can

LIMIT = 20  # messages in the drawer
FAILED_LIMIT = 50  # undelivered messages shown to the office


@dataclass(frozen=True)
class Note:
    """One message as the drawer shows it."""

    id: int
    channel: str
    reason: str
    subject: str
    body: str
    recipient: str
    attempts: int
    last_error: str
    created_at: datetime
    read_at: datetime | None
    # subject and body as messages, for the reader's language (None: as written above)
    subject_message: Message | None = None
    body_message: Message | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def subject_in(self, language: str) -> str:
        return self.subject_message.render(language) if self.subject_message else self.subject

    def body_in(self, language: str) -> str:
        return self.body_message.render(language) if self.body_message else self.body


def note_of(row: Notification) -> Note:
    return Note(
        id=row.id or 0,
        channel=row.channel,
        reason=row.reason,
        subject=row.subject,
        body=row.body,
        recipient=row.recipient,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        read_at=row.read_at,
        subject_message=_message(row.message, "subject"),
        body_message=_message(row.message, "body"),
    )


def _message(stored: Any, part: str) -> Message | None:
    """A stored subject or body message; None for a row that holds only its texts."""
    found = stored_message(stored.get(part)) if isinstance(stored, dict) else None
    return found if isinstance(found, Message) else None


@dataclass(frozen=True)
class Drawer:
    notes: tuple[Note, ...]  # the latest messages, unread first
    unread: int  # the number on the bell
    failed: tuple[Note, ...] | None  # None for those who may not see delivery


# the bell's count on every page load and timer tick: a Core statement built once, run on
# the session's connection (no ORM compile per request; the same SQL)
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(
        Notification.user_id == bindparam("user_id"),
        Notification.channel == notify.INAPP,
        col(Notification.read_at).is_(None),
    )
)


def unread_count(session: Session, *, user_id: int | None) -> int:
    """Unread in-app notifications of ``user_id`` (0 for nobody): the number on the bell."""
    if user_id is None:
        return 0
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()  # as the ORM's own execution would: a read sees the unit's changes
    return int(session.connection().execute(_UNREAD, {"user_id": user_id}).scalar_one())


def latest(unread: Sequence[Note], recent: Sequence[Note], limit: int = LIMIT) -> list[Note]:
    """At most ``limit`` messages: the unread ones first, then the latest read ones."""
    seen: set[int] = set()
    out: list[Note] = []
    for n in [*unread, *recent]:
        if n.id in seen:
            continue
        seen.add(n.id)
        out.append(n)
    out.sort(key=lambda n: not n.unread)  # stable: newest first within each group
    return out[:limit]


def drawer(session: Session, *, actor: Actor, limit: int = LIMIT) -> Drawer:
    """What the bell's drawer shows the actor."""
    unread = notify.list_notifications(session, actor=actor, limit=limit, unread_only=True)
    recent = notify.list_notifications(session, actor=actor, limit=limit)
    failed = (
        tuple(
            note_of(n)
            for n in notify.failed_notifications(session, actor=actor, limit=FAILED_LIMIT)
        )
        if can(actor, "cycle.run")
        else None
    )
    return Drawer(
        notes=tuple(latest([note_of(n) for n in unread], [note_of(n) for n in recent], limit)),
        unread=unread_count(session, user_id=actor.id),
        failed=failed,
    )


def mark_all_read(session: Session, *, actor: Actor) -> Drawer:
    """Mark every message of the actor read; the drawer afterwards."""
    notify.mark_read(session, actor=actor)
    session.flush()
    return drawer(session, actor=actor)


def retry(session: Session, *, actor: Actor, notification_id: int) -> Drawer:
    """Queue an undelivered message again (the office); the drawer afterwards."""
    notify.retry_failed(session, actor=actor, notification_id=notification_id)
    return drawer(session, actor=actor)
