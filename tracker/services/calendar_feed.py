"""A user's calendar feed (#17): their milestones and approval steps due, at a private URL.

The URL carries a random token; only its SHA-256 is stored (``CalendarToken``, like the
signed-in sessions), so the database never holds a working URL. The user makes the URL (and
makes a new one, which ends the old one) with ``reset_calendar_token``, which returns the
token once. A phone calendar subscribed to the URL fetches ``calendar_feed`` without a login:
the token is the credential, and a disabled account's feed stops answering.

Whose items: the projects of the user's own scope (a county lead's county, a unit's projects
as lead unit); the office and the leaders see every project. Items: milestones not reached
yet (on their planned day) and approval steps not approved yet (on their planned finish).
Each event's SEQUENCE is the row's version, so a rescheduled milestone replaces its event.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from tracker.domain.messages import msg
from tracker.exchange.ical import FeedItem, build_feed
from tracker.models import CalendarToken, Milestone, Project, ProjectStep, User
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.permissions import require, scope_field
from tracker.services.sessions import token_hash


def reset_calendar_token(session: Session, *, actor: Actor, now: datetime) -> str:
    """A new private feed token for the signed-in user (the old URL stops working)."""
    require(actor, "calendar.view")
    if actor.id is None:
        raise ValueError("a calendar feed belongs to a signed-in user")
    token = secrets.token_urlsafe(32)
    had = session.get(CalendarToken, actor.id) is not None
    session.exec(delete(CalendarToken).where(col(CalendarToken.user_id) == actor.id))
    session.add(CalendarToken(user_id=actor.id, token_hash=token_hash(token), created_at=now))
    session.flush()
    # the audit row says that the URL changed, never what it is
    audit.record(
        session,
        actor,
        "update" if had else "create",
        "calendartoken",
        actor.id,
        {"reset": True} if had else None,
        {"created_at": now.isoformat()},
    )
    return token


def has_calendar_token(session: Session, *, actor: Actor) -> bool:
    """Whether the user has made a feed URL (it cannot be shown again, only replaced)."""
    require(actor, "calendar.view")
    return actor.id is not None and session.get(CalendarToken, actor.id) is not None


def _user_of(session: Session, token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    user = session.exec(
        select(User)
        .join(CalendarToken, col(CalendarToken.user_id) == col(User.id))
        .where(CalendarToken.token_hash == token_hash(token))
    ).first()
    return user if user is not None and user.active else None


def _projects(session: Session, actor: Actor) -> list[Project]:
    query = select(Project).order_by(Project.sort_order, Project.id)
    field = scope_field(actor)
    if field is not None:
        query = query.where(getattr(Project, field) == getattr(actor, field))
    return list(session.exec(query))


def feed_items(session: Session, *, actor: Actor, language: str, host: str) -> list[FeedItem]:
    """The user's milestones not reached and steps not approved, as calendar events."""
    require(actor, "calendar.view")
    projects = {p.id: p for p in _projects(session, actor)}
    items: list[FeedItem] = []
    milestones = session.exec(
        select(Milestone)
        .where(col(Milestone.project_id).in_(list(projects)), col(Milestone.actual_date).is_(None))
        .order_by(Milestone.planned_date, Milestone.id)
    )
    for m in milestones:
        project = projects[m.project_id]
        items.append(
            FeedItem(
                uid=f"milestone-{m.id}@{host}",
                title=msg("feed.milestone_title", milestone=m.name, project=project.name).render(
                    language
                ),
                day=m.planned_date,
                description=msg(
                    "feed.milestone_description", code=project.code, day=m.planned_date
                ).render(language),
                sequence=m.version,
            )
        )
    steps = session.exec(
        select(ProjectStep)
        .where(
            col(ProjectStep.project_id).in_(list(projects)),
            col(ProjectStep.actual_finish).is_(None),
            col(ProjectStep.planned_finish).is_not(None),
        )
        .order_by(ProjectStep.planned_finish, ProjectStep.id)
    )
    for step in steps:
        project = projects[step.project_id]
        assert step.planned_finish is not None
        items.append(
            FeedItem(
                uid=f"step-{step.id}@{host}",
                title=msg("feed.step_title", step=step.name, project=project.name).render(language),
                day=step.planned_finish,
                description=msg(
                    "feed.step_description",
                    code=project.code,
                    unit=step.approving_unit or "—",
                    day=step.planned_finish,
                ).render(language),
                sequence=step.version,
            )
        )
    return items


def calendar_feed(session: Session, *, token: str, now: datetime, host: str) -> bytes | None:
    """The .ics of the user whose feed token this is; None for an unknown token or a
    disabled account (the route answers 404 alike: nothing tells which)."""
    user = _user_of(session, token)
    if user is None:
        return None
    actor = Actor.of(user)
    language = user.language or "zh"
    items = feed_items(session, actor=actor, language=language, host=host)
    name = msg("feed.calendar_name", user=actor.label).render(language)
    return build_feed(items, name=name, stamp=now)
