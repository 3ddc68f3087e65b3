"""Accounts: add, list, reset password, disable, set scope; and login."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlmodel import Session, select

from tracker.domain.inputs import ValueRefused, check_text
from tracker.domain.messages import msg
from tracker.domain.places import PLACES
from tracker.models import User, utcnow
from tracker.services import audit, sessions
from tracker.services.auth import ROLES, Actor, hash_password, needs_rehash, verify_password
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import require

MIN_PASSWORD_LENGTH = 8
USER_FIELDS = [
    "username",
    "display_name",
    "role",
    "county",
    "lead_unit",
    "email",
    "phone",
    "active",
]


@dataclass(frozen=True)
class UserView:
    """An account as the office's user list shows it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    county: str | None
    lead_unit: str | None
    email: str
    phone: str
    active: bool
    version: int

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id or 0,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            county=user.county,
            lead_unit=user.lead_unit,
            email=user.email or "",
            phone=user.phone or "",
            active=bool(user.active),
            version=user.version,
        )


def _check_scope(role: str, county: str | None, lead_unit: str | None) -> None:
    if role not in ROLES:
        raise InvalidInput("user.bad_role", role=role, roles=", ".join(ROLES))
    if role == "county" and county not in PLACES:
        raise InvalidInput("user.bad_county", county=county or msg("user.county_empty"))
    if role == "unit" and not (lead_unit or "").strip():
        raise InvalidInput("user.unit_needed")


def _check_password(password: str) -> None:
    if not isinstance(password, str):
        raise InvalidInput("user.bad_password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("user.short_password", n=MIN_PASSWORD_LENGTH)
    _text(password, "user.password")


def _text(value: object, rule: str) -> str:
    """A user field through the input value rules (length, no control characters)."""
    try:
        return check_text(value, rule)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def add_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    county: str | None = None,
    lead_unit: str | None = None,
    display_name: str = "",
    email: str = "",
) -> UserView:
    """Create an account with a role and scope."""
    require(actor, "user.manage")
    username = _text(username, "user.username")
    display_name = _text(display_name, "user.display_name")
    email = _text(email, "user.email")
    lead_unit = _text(lead_unit, "user.lead_unit") or None if role == "unit" else None
    _check_scope(role, county, lead_unit)
    _check_password(password)
    if session.exec(select(User).where(User.username == username)).first():
        raise InvalidInput("user.exists", username=username)
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        county=county if role == "county" else None,
        lead_unit=lead_unit if role == "unit" else None,
        display_name=display_name or username,
        email=email,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, None, audit.snapshot(user, USER_FIELDS))
    return UserView.of(user)


def list_users(session: Session, *, actor: Actor) -> list[UserView]:
    require(actor, "user.manage")
    return [UserView.of(u) for u in session.exec(select(User).order_by(User.role, User.username))]


def get_by_username(session: Session, username: str) -> User:
    if not isinstance(username, str) or len(username) > 50:
        raise NotFound("user.unknown")
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound("user.not_found", username=username)
    return user


# Changes after which the user's open sessions end at once (the session record's reason).
ENDS_SESSIONS = {"reset_password": "password", "disable": "disabled", "set_scope": "scope"}


def _edit(
    session: Session, actor: Actor, user: User, seen_version: int | None, action: str, **changes
) -> UserView:
    require(actor, "user.manage")
    if seen_version is not None and (
        isinstance(seen_version, bool) or not isinstance(seen_version, int)
    ):
        raise ConflictError("user.stale")
    if seen_version is not None and user.version != seen_version:
        raise ConflictError("user.stale")
    before = audit.snapshot(user, USER_FIELDS)
    for key, value in changes.items():
        setattr(user, key, value)
    user.version += 1
    session.add(user)
    session.flush()
    if action in ENDS_SESSIONS:
        sessions.end_user_sessions(
            session, user_id=user.id or 0, reason=ENDS_SESSIONS[action], now=utcnow()
        )
    audit.record(session, actor, action, "user", user.id, before, audit.snapshot(user, USER_FIELDS))
    return UserView.of(user)


def set_password(
    session: Session, *, actor: Actor, username: str, password: str, seen_version: int | None = None
) -> UserView:
    """Reset a user's password (the office does this for everyone)."""
    _check_password(password)
    user = get_by_username(session, username)
    return _edit(
        session, actor, user, seen_version, "reset_password", password_hash=hash_password(password)
    )


def set_active(
    session: Session, *, actor: Actor, username: str, active: bool, seen_version: int | None = None
) -> UserView:
    user = get_by_username(session, username)
    if not active and actor.id is not None and user.id == actor.id:
        raise InvalidInput("user.disable_self")
    return _edit(
        session, actor, user, seen_version, "enable" if active else "disable", active=active
    )


def set_scope(
    session: Session,
    *,
    actor: Actor,
    username: str,
    role: str,
    county: str | None = None,
    lead_unit: str | None = None,
    seen_version: int | None = None,
) -> UserView:
    if role == "unit":
        lead_unit = _text(lead_unit, "user.lead_unit") or None
    _check_scope(role, county, lead_unit)
    user = get_by_username(session, username)
    return _edit(
        session,
        actor,
        user,
        seen_version,
        "set_scope",
        role=role,
        county=county if role == "county" else None,
        lead_unit=lead_unit if role == "unit" else None,
    )


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown and wrong)."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None:
        verify_password(_dummy_hash(), password)  # spend the same time as a real check
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")
