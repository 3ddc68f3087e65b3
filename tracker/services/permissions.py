"""One permission table and one ``can(actor, action, obj)``; services call ``require``.

Scope: a county lead acts on the projects of their county, a lead-unit account on the
projects its unit leads, the office (admin) on everything; viewers only read.
"""

from __future__ import annotations

from typing import Any

from tracker.services.auth import Actor
from tracker.services.errors import PermissionDenied

ALL = "all"  # any object
SCOPED = "scoped"  # objects in the actor's county or lead unit
NONE = "none"

# action -> role -> ALL | SCOPED | NONE (roles not listed: NONE)
PERMISSIONS: dict[str, dict[str, str]] = {
    "project.view": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    "milestone.update": {"admin": ALL, "county": SCOPED, "unit": SCOPED},
    "milestone.approve": {"admin": ALL},
    "report.edit": {"admin": ALL, "county": SCOPED, "unit": SCOPED, "system": ALL},
    "report.return": {"admin": ALL},
    # overwrite a report already submitted (the office, and the scheduler's corrections)
    "report.overwrite": {"admin": ALL, "system": ALL},
    "problem.edit": {"admin": ALL, "county": SCOPED, "unit": SCOPED, "system": ALL},
    "problem.close": {"admin": ALL},
    "duban.issue": {"admin": ALL},  # issue a ledger item's 督办单 (gives it its 文号)
    "plan.import": {"admin": ALL, "system": ALL},
    "import.any_job": {"admin": ALL},  # act on an import job someone else uploaded
    "plan.export": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    "user.manage": {"admin": ALL, "system": ALL},
    "settings.edit": {"admin": ALL, "system": ALL},
    "cycle.run": {"admin": ALL, "system": ALL},
    "bulletin.view": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    # draft → edit → 定稿: the office rewrites the bulletin's sections before it signs (#14)
    "bulletin.edit": {"admin": ALL},
    # #17 前期手续: a project's approval steps and their links (county leads for their
    # projects, like milestones); one's own calendar feed and its private URL (anyone signed
    # in; it changes no plan data)
    "approval.edit": {"admin": ALL, "county": SCOPED, "unit": SCOPED},
    "approval.view": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    "calendar.view": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL},
    "audit.view": {"admin": ALL, "viewer": ALL, "county": SCOPED, "unit": SCOPED},
    # the zone's indicators (#16): a unit enters the values of the indicators it is
    # responsible for (Indicator.lead_unit); the office reviews them and keeps the catalogue
    "indicator.view": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    "indicator.enter": {"admin": ALL, "unit": SCOPED, "system": ALL},
    "indicator.review": {"admin": ALL},
    "indicator.manage": {"admin": ALL, "system": ALL},  # the catalogue: edit, import
    "indicator.export": {"admin": ALL, "viewer": ALL, "county": ALL, "unit": ALL, "system": ALL},
    # #18: site photos as evidence, and where a project is
    "photo.upload": {"admin": ALL, "county": SCOPED, "unit": SCOPED},
    "project.locate": {"admin": ALL, "county": SCOPED, "unit": SCOPED},
}


# role -> what its SCOPED grants are drawn by: a county lead's county, a unit's lead unit
SCOPE_FIELDS: dict[str, str] = {"county": "county", "unit": "lead_unit"}


def scope_field(actor: Actor) -> str | None:
    """What the actor's own scope is drawn by ("county" or "lead_unit"); None for roles
    without one (the office, the leaders: the whole city)."""
    return SCOPE_FIELDS.get(actor.role)


def in_scope(actor: Actor, obj: Any) -> bool:
    """Whether ``obj`` (anything with ``county`` / ``lead_unit``) is in the actor's scope."""
    name = scope_field(actor)
    mine = getattr(actor, name, None) if name else None
    return mine is not None and getattr(obj, name, None) == mine


def grant(actor: Actor, action: str) -> str:
    """The actor's grant for ``action``: ALL, SCOPED or NONE (``KeyError`` for an unknown
    action: a programming error)."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}")
    return PERMISSIONS[action].get(actor.role, NONE)


def may_somewhere(actor: Actor, action: str) -> bool:
    """Allowed on at least some objects: a county lead reports for their own projects."""
    return grant(actor, action) != NONE


def is_scoped(actor: Actor, action: str) -> bool:
    """Allowed only within the actor's county or lead unit (the 'mine' views)."""
    return grant(actor, action) == SCOPED


def can(actor: Actor, action: str, obj: Any = None) -> bool:
    """Whether ``actor`` may do ``action`` on ``obj`` (a project, or None for global actions)."""
    grant_ = grant(actor, action)
    if grant_ == ALL:
        return True
    if grant_ == SCOPED:
        return obj is not None and in_scope(actor, obj)
    return False


def require(actor: Actor, action: str, obj: Any = None) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied("perm.denied" if actor.role != "anonymous" else "perm.login_first")
