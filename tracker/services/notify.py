"""Notifications through the outbox: in-app (the bell), e-mail over SMTP, a chat group robot.

Jobs write outbox rows in their own transaction (``notify_user`` / ``notify_group``); the
deliverer sends pending e-mail and webhook rows afterwards, retrying with exponential
backoff, and marks a row ``failed`` with the last error once the attempts run out.
``dedupe_key`` = channel:user:reason:event is unique, and rows are inserted with "on
conflict do nothing", so only an exact repeat of the same event is dropped. The event names
what happened: a returned report is its own event (the report and its version), a period's
opening or its bulletin (the period and revision); the daily digests (reminders, the
escalation list, the milestone watch) are one event per day.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy import Engine, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.db import read_session, write_session
from tracker.domain.messages import Message, render
from tracker.models import Notification, User, utcnow
from tracker.services import unit
from tracker.services.auth import Actor
from tracker.services.errors import NotFound
from tracker.services.permissions import require

INAPP, EMAIL, WEBHOOK = "inapp", "email", "webhook"
GROUP = "group"  # the user part of a webhook row's dedupe key
LEASE = timedelta(minutes=5)  # a row being sent is not picked up again for this long


def dedupe_key(channel: str, who: str | int, reason: str, event: str | date) -> str:
    """channel:user:reason:event; a date as event means a daily digest (one per day)."""
    name = event.isoformat() if isinstance(event, date) else event
    return f"{channel}:{who}:{reason}:{name}"[:200]


def enqueue(
    session: Session,
    *,
    channel: str,
    reason: str,
    day: date,
    subject: str,
    body: str,
    user_id: int | None = None,
    recipient: str = "",
    attachment: str = "",
    now: datetime | None = None,
    event: str | None = None,
    message: Mapping[str, Any] | None = None,
) -> bool:
    """Insert an outbox row unless one with the same key exists; True when inserted.
    ``event`` names what happened (default: ``day``, a daily digest); ``message`` holds the
    subject and body as catalogue messages (``Message.to_dict``) for the bell."""
    who: str | int = user_id if user_id is not None else GROUP
    created = now or utcnow()
    values: dict[str, Any] = {
        "user_id": user_id,
        "channel": channel,
        "reason": reason,
        "dedupe_key": dedupe_key(channel, who, reason, event or day),
        "recipient": recipient,
        "subject": subject[:300],
        "body": body[:20000],
        "attachment": attachment,
        # An in-app message is delivered by being there: the bell reads it from this table.
        "status": "sent" if channel == INAPP else "pending",
        "attempts": 0,
        "next_attempt_at": None,  # due at once
        "last_error": "",
        "created_at": created,
        "sent_at": created if channel == INAPP else None,
        "message": dict(message) if message is not None else None,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(col(Notification.id))
    )
    # RETURNING, not rowcount: with implicit RETURNING, PostgreSQL drivers report -1 rows.
    return session.execute(statement).first() is not None


def notify_user(
    session: Session,
    *,
    user: User,
    reason: str,
    day: date,
    subject: str | Message,
    body: str | Message,
    settings: Settings,
    attachment: str = "",
    now: datetime | None = None,
    event: str | None = None,
) -> int:
    """The bell, and an e-mail when the user has an address and SMTP is configured.
    ``event`` names what happened (default: ``day``, a daily digest). A subject and body
    given as messages are written in the user's language (the e-mail's text) and kept as
    messages, so the bell shows them in whatever language its reader reads."""
    message = None
    if isinstance(subject, Message) and isinstance(body, Message):
        message = {"subject": subject.to_dict(), "body": body.to_dict()}
    language = getattr(user, "language", None) or "zh"
    subject, body = render(subject, language), render(body, language)
    count = int(
        enqueue(
            session,
            channel=INAPP,
            reason=reason,
            day=day,
            subject=subject,
            body=body,
            user_id=user.id,
            now=now,
            event=event,
            message=message,
        )
    )
    if settings.SMTP_HOST and user.email:
        count += enqueue(
            session,
            channel=EMAIL,
            reason=reason,
            day=day,
            subject=subject,
            body=body,
            user_id=user.id,
            recipient=user.email,
            attachment=attachment,
            now=now,
            event=event,
        )
    return count


def notify_group(
    session: Session,
    *,
    reason: str,
    day: date,
    subject: str,
    body: str,
    settings: Settings,
    now: datetime | None = None,
    event: str | None = None,
) -> int:
    """A notice to the office's chat group, when a webhook is configured."""
    if not settings.WEBHOOK_URL:
        return 0
    return int(
        enqueue(
            session,
            channel=WEBHOOK,
            reason=reason,
            day=day,
            subject=subject,
            body=body,
            recipient=GROUP,
            now=now,
            event=event,
        )
    )


# --- the bell -------------------------------------------------------------------------------


def list_notifications(
    session: Session, *, actor: Actor, limit: int = 20, unread_only: bool = False
) -> list[Notification]:
    """The actor's in-app notifications, newest first."""
    if actor.id is None:
        return []
    query = (
        select(Notification)
        .where(Notification.user_id == actor.id)
        .where(Notification.channel == INAPP)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    return list(session.exec(query).all())


def mark_read(
    session: Session, *, actor: Actor, ids: list[int] | None = None, now: datetime | None = None
) -> int:
    """Mark the actor's notifications (all when ``ids`` is None) read; returns how many."""
    if actor.id is None:
        return 0
    statement = (
        update(Notification)
        .where(col(Notification.user_id) == actor.id)
        .where(col(Notification.channel) == INAPP)
        .where(col(Notification.read_at).is_(None))
        .values(read_at=now or utcnow())
    )
    if ids is not None:
        statement = statement.where(col(Notification.id).in_(ids))
    return session.execute(statement).rowcount


# --- the office's view of delivery ---------------------------------------------------------


def failed_notifications(session: Session, *, actor: Actor, limit: int = 200) -> list[Notification]:
    """E-mails and webhook messages that could not be delivered, newest first."""
    require(actor, "cycle.run")
    return list(
        session.exec(
            select(Notification)
            .where(Notification.status == "failed")
            .order_by(col(Notification.created_at).desc())
            .limit(limit)
        ).all()
    )


def retry_failed(
    session: Session, *, actor: Actor, notification_id: int, now: datetime | None = None
) -> Notification:
    """Put a failed message back in the queue with fresh attempts."""
    require(actor, "cycle.run")
    row = session.get(Notification, notification_id)
    if row is None or row.status != "failed":
        raise NotFound("notify.err.no_failed")
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    session.add(row)
    session.flush()
    return row


# --- delivery -------------------------------------------------------------------------------


class DeliveryError(Exception):
    pass


class Transport(Protocol):
    def __call__(self, message: Notification, settings: Settings) -> None: ...


AttachmentResolver = Callable[[str], "tuple[str, bytes] | None"]


def markdown_payload(kind: str, title: str, text: str) -> dict[str, Any]:
    """The JSON body a 企业微信 (wecom) or 钉钉 (dingtalk) group robot accepts."""
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    return {"msgtype": "markdown", "markdown": {"content": f"### {title}\n{text}"}}


def send_webhook(message: Notification, settings: Settings) -> None:
    payload = markdown_payload(settings.WEBHOOK_KIND, message.subject, message.body)
    request = urllib.request.Request(
        settings.WEBHOOK_URL,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(str(exc)) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return  # a plain 200 from a relay is taken as accepted
    # Both robots answer 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a refusal.
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def make_email_sender(resolve: AttachmentResolver | None = None) -> Transport:
    def send_email(message: Notification, settings: Settings) -> None:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = settings.SMTP_FROM
        mail["To"] = message.recipient
        mail.set_content(message.body)
        if message.attachment and resolve is not None:
            found = resolve(message.attachment)
            if found is not None:
                name, data = found
                mail.add_attachment(
                    data,
                    maintype="application",
                    subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    filename=name,
                )
        try:
            with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=10) as smtp:
                if settings.SMTP_STARTTLS:
                    smtp.starttls()
                if settings.SMTP_USER:
                    smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{exc.__class__.__name__}: {exc}") from exc

    return send_email


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed tries: base, 2×base, 4×base … ≤ 1 day."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 86400))


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_pending(
    engine: Engine,
    settings: Settings,
    *,
    now: datetime,
    transports: Mapping[str, Transport] | None = None,
    limit: int = 100,
) -> DeliveryResult:
    """Send the e-mail and webhook rows that are due; one short transaction per step, so a
    slow mail server never holds the database."""
    if transports is None:
        transports = {
            EMAIL: make_email_sender(bulletin_attachment(engine, settings)),
            WEBHOOK: send_webhook,
        }
    result = DeliveryResult()
    with read_session(engine) as session:
        due = session.exec(
            select(Notification.id, Notification.attempts)
            .where(Notification.status == "pending")
            .where(col(Notification.channel).in_(list(transports)))
            .where(
                or_(
                    col(Notification.next_attempt_at).is_(None),
                    col(Notification.next_attempt_at) <= now,
                )
            )
            .order_by(Notification.id)
            .limit(limit)
        ).all()
    for notification_id, seen_attempts in due:
        with write_session(engine) as session:
            claimed = session.execute(
                update(Notification)
                .where(col(Notification.id) == notification_id)
                .where(col(Notification.status) == "pending")
                .where(col(Notification.attempts) == seen_attempts)
                .values(attempts=seen_attempts + 1, next_attempt_at=now + LEASE)
            ).rowcount
            message = session.get(Notification, notification_id) if claimed else None
        if message is None:
            continue  # another deliverer took it
        try:
            transports[message.channel](message, settings)
            error = None
        except Exception as exc:  # any failure of a peer is recorded on the row, never raised
            error = f"{exc.__class__.__name__}: {exc}"[:2000]
        with write_session(engine) as session:
            row = session.get(Notification, notification_id)
            assert row is not None
            if error is None:
                row.status, row.sent_at, row.last_error = "sent", now, ""
                result.sent += 1
            elif row.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                row.status, row.last_error = "failed", error
                result.failed += 1
                result.errors.append(error)
            else:
                row.last_error = error
                row.next_attempt_at = now + backoff(row.attempts, settings.NOTIFY_RETRY_SECONDS)
                result.retrying += 1
                result.errors.append(error)
            session.add(row)
    return result


def bulletin_attachment(engine: Engine, settings: Settings) -> AttachmentResolver:
    """Builds "bulletin:YYYY-MM" attachments from the frozen figures when the mail is sent."""

    def resolve(name: str) -> tuple[str, bytes] | None:
        from tracker.services.bulletin import attachment_file

        kind, _, key = name.partition(":")
        if kind != "bulletin":
            return None
        month, _, rev = key.partition("#r")  # "2026-10" or "2026-10#r2" (a 修订版)
        period = date.fromisoformat(f"{month}-01")
        revision = int(rev) if rev.isdigit() else None
        found = unit.read(
            engine, attachment_file, period=period, settings=settings, revision=revision
        )
        return None if found is None else (found.name, found.content)

    return resolve
