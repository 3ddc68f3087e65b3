"""The append-only audit log: who changed what, when, before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from tracker import data_version
from tracker.models import AuditLog, utcnow
from tracker.services.auth import Actor


def jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(record: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The record's fields as JSON-safe values (all columns when ``fields`` is None)."""
    names = fields or [c for c in type(record).model_fields if c not in {"password_hash"}]
    return {name: jsonable(getattr(record, name)) for name in names}


def values(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    """An audit entry as plain column values, for bulk inserts."""
    return {
        "at": utcnow(),
        "actor_id": actor.id,
        "actor_name": actor.label,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": jsonable(before) if before is not None else None,
        "after": jsonable(after) if after is not None else None,
    }


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    project_id: int | None = None,
) -> AuditLog:
    """Add an audit entry; ``project_id``: the project the changed record belongs to (the
    data version then names it, and caches of other projects' pages stay valid)."""
    entry = AuditLog(**values(actor, action, entity, entity_id, before, after))
    if project_id is not None:
        data_version.belongs_to(entry, project_id)
    session.add(entry)
    return entry
