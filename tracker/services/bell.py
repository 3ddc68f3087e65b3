"""The notification bell: how many in-app notifications a user has not read yet."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from tracker.models import Notification


def unread_count(session: Session, *, user_id: int | None) -> int:
    """Unread in-app notifications of ``user_id`` (0 for nobody)."""
    if user_id is None:
        return 0
    return int(
        session.exec(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.channel == "inapp",
                col(Notification.read_at).is_(None),
            )
        ).one()
    )
