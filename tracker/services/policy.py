"""Policy the office edits in the app (traffic-light thresholds), stored over the env defaults."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlmodel import Session

from tracker.config import Settings
from tracker.domain.messages import msg
from tracker.domain.rules import RULES, Thresholds
from tracker.models import AppSetting, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput
from tracker.services.permissions import require

THRESHOLDS_KEY = "thresholds"


def default_thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        amber_gap_pp=settings.LIGHT_AMBER_GAP_PP,
        red_gap_pp=settings.LIGHT_RED_GAP_PP,
        amber_overdue_days=settings.LIGHT_AMBER_OVERDUE_DAYS,
        red_overdue_days=settings.LIGHT_RED_OVERDUE_DAYS,
        amber_missed_reports=settings.LIGHT_AMBER_MISSED_REPORTS,
        red_missed_reports=settings.LIGHT_RED_MISSED_REPORTS,
        amber_late_start_days=settings.LIGHT_AMBER_LATE_START_DAYS,
        red_late_start_days=settings.LIGHT_RED_LATE_START_DAYS,
        due_soon_days=settings.MILESTONE_DUE_SOON_DAYS,
    )


def current_thresholds(session: Session, settings: Settings) -> Thresholds:
    """The thresholds in force (a use case of its own: every page's lights need them)."""
    return get_thresholds(session, settings)[0]


def get_thresholds(session: Session, settings: Settings) -> tuple[Thresholds, int]:
    """The thresholds in force and the version of the stored override (0 when none)."""
    stored = session.get(AppSetting, THRESHOLDS_KEY)
    base = asdict(default_thresholds(settings))
    if stored is None:
        return Thresholds(**base), 0
    merged = {**base, **{k: v for k, v in stored.value.items() if k in base}}
    try:
        return Thresholds(**merged), stored.version
    except (TypeError, ValueError):
        # A stored rule that no longer fits the defaults it is merged with (a new rule's
        # default edge above an old stored one): the defaults hold until the office saves.
        return Thresholds(**base), stored.version


def set_thresholds(
    session: Session, *, actor: Actor, values: dict, seen_version: int, settings: Settings
) -> Thresholds:
    """Save new thresholds; refused when someone else saved since ``seen_version``."""
    require(actor, "settings.edit")
    current, version = get_thresholds(session, settings)
    if version != seen_version:
        raise ConflictError("th.stale")
    merged = asdict(current)
    for f in fields(Thresholds):
        if f.name in values and values[f.name] is not None:
            try:
                merged[f.name] = type(getattr(current, f.name))(values[f.name])
            except (TypeError, ValueError) as exc:
                raise InvalidInput("th.not_number", name=f.name) from exc
    for rule in RULES:
        amber, red = merged[rule.amber], merged[rule.red]
        if not 0 < amber <= red:
            raise InvalidInput("th.bad_edges", rule=msg(f"rule.{rule.code}.name"))
    if merged["due_soon_days"] < 0:
        raise InvalidInput("th.negative_due_soon")
    new = Thresholds(**merged)
    stored = session.get(AppSetting, THRESHOLDS_KEY)
    if stored is None:
        stored = AppSetting(key=THRESHOLDS_KEY, value=asdict(new))
        session.add(stored)
    else:
        stored.value = asdict(new)
        stored.version += 1
        stored.updated_at = utcnow()
    audit.record(session, actor, "update", "thresholds", None, asdict(current), asdict(new))
    session.flush()
    return new
