"""The office's admin page in one read: its accounts, settings, pending approvals, choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from tracker.config import Settings
from tracker.domain.rules import Thresholds
from tracker.services import milestones, policy, users
from tracker.services.auth import Actor
from tracker.services.milestones import PendingReschedule
from tracker.services.projects import filter_options
from tracker.services.users import UserView


@dataclass(frozen=True)
class AdminPage:
    users: tuple[UserView, ...]
    thresholds: Thresholds
    thresholds_version: int
    needs_approval: bool
    approval_version: int
    pending: tuple[PendingReschedule, ...]
    lead_units: tuple[str, ...]


def admin_page(session: Session, *, actor: Actor, settings: Settings) -> AdminPage:
    """Everything the admin page shows when it opens (refused outside the office)."""
    people = users.list_users(session, actor=actor)
    current, thresholds_version = policy.get_thresholds(session, settings)
    needs, approval_version = milestones.reschedule_needs_approval(session)
    return AdminPage(
        users=tuple(people),
        thresholds=current,
        thresholds_version=thresholds_version,
        needs_approval=needs,
        approval_version=approval_version,
        pending=tuple(milestones.pending_reschedules(session, actor=actor)),
        lead_units=tuple(filter_options(session).lead_units),
    )
