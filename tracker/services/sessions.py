"""Sessions you can end: one ``UserSession`` row per signed-in browser.

The browser's cookie carries a random token (``secrets.token_urlsafe``); the database keeps
its SHA-256 with the user, when it began, when it was last seen, the address and the user
agent. A session is active while it has not been ended, has been used within the idle
timeout and is younger than the absolute lifetime, and while the account is active and
unchanged since the login. Logout ends it; a password reset, disabling the account, a scope
change and the office's "sign out everywhere" end every session of the user, in the
transaction that makes the change — a copied cookie is worth nothing afterwards.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, update
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import Settings
from tracker.models import DataVersion, User, UserSession, utcnow
from tracker.services import audit, unit
from tracker.services.auth import Actor
from tracker.services.errors import NotFound
from tracker.services.permissions import require

TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session
MAX_USER_AGENT = 300


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(minutes=120)
    lifetime: timedelta = timedelta(hours=12)

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionPolicy:
        return cls(
            idle=timedelta(minutes=int(settings.SESSION_IDLE_MINUTES)),
            lifetime=timedelta(hours=int(settings.SESSION_MAX_HOURS)),
        )


@dataclass(frozen=True)
class ActiveSession:
    """A session as the office sees it in the user list."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    ip: str
    user_agent: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None else moment


def start_session(session: Session, *, user: User, ip: str, user_agent: str, now: datetime) -> str:
    """A new session for ``user``; returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id or 0,
            user_version=user.version,
            created_at=now,
            last_seen_at=now,
            ip=(ip or "")[:64],
            user_agent=_printable(user_agent)[:MAX_USER_AGENT],
        )
    )
    session.flush()
    return token


def _printable(text: str) -> str:
    return "".join(c for c in (text or "") if c.isprintable())


def _active(record: Any, now: datetime, policy: SessionPolicy) -> bool:
    """Whether a session (a ``UserSession``, or a row with its columns) is still open."""
    return (
        record.ended_at is None
        and now - _aware(record.last_seen_at, now) <= policy.idle
        and now - _aware(record.created_at, now) <= policy.lifetime
    )


# Every request reads its session: a Core select of the columns the checks and the actor
# need, on a plain connection (no ORM session, no rows made into objects). Built once;
# SQLAlchemy compiles it once per dialect and keeps it.
_SESSIONS, _USERS = UserSession.__table__, User.__table__  # type: ignore[attr-defined]
_SIGNED_IN = (
    select(
        _SESSIONS.c.id,
        _SESSIONS.c.user_version,
        _SESSIONS.c.ended_at,
        _SESSIONS.c.last_seen_at,
        _SESSIONS.c.created_at,
        _USERS.c.id.label("user_id"),
        _USERS.c.username,
        _USERS.c.role,
        _USERS.c.county,
        _USERS.c.lead_unit,
        _USERS.c.display_name,
        _USERS.c.active,
        _USERS.c.version,
    )
    .select_from(_SESSIONS.join(_USERS, _USERS.c.id == _SESSIONS.c.user_id))
    .where(_SESSIONS.c.token_hash == bindparam("token_hash"))
)
# … and the data version beside it (``data_version.joinable``): the request that needs both
# (a kept page, the frame's period) reads them in one round trip
_VERSIONS = DataVersion.__table__  # type: ignore[attr-defined]
_SIGNED_IN_AT = (
    select(
        *_SIGNED_IN.selected_columns,
        _VERSIONS.c.epoch.label("data_epoch"),
        _VERSIONS.c.version.label("data_version"),
    )
    .select_from(
        _SESSIONS.join(_USERS, _USERS.c.id == _SESSIONS.c.user_id).outerjoin(
            _VERSIONS, _VERSIONS.c.id == 1
        )
    )
    .where(_SESSIONS.c.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class SignedIn:
    """An active session as the web sees it: who, which record, whether to note its use."""

    actor: Actor
    record_id: int
    stale: bool  # last_seen is older than TOUCH_EVERY: the caller should ``touch`` it


def signed_in(
    connection: Connection, *, token: str, now: datetime, policy: SessionPolicy
) -> SignedIn | None:
    """The user of an active session, or None (unknown, ended, idle, expired, account
    disabled or changed since the login). Reads only."""
    return _signed_in(connection, token=token, now=now, policy=policy, version="never")[0]


def _signed_in(
    connection: Connection, *, token: str, now: datetime, policy: SessionPolicy, version: str
) -> tuple[SignedIn | None, data_version.Version | None]:
    """``signed_in``, and the data version (``version``: "always", "beside" or "never")
    read in the same statement when it can be (``data_version.joinable``), else ("always")
    right after it on the same connection."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None, None
    beside = version != "never" and data_version.joinable(connection)
    row = connection.execute(
        _SIGNED_IN_AT if beside else _SIGNED_IN, {"token_hash": token_hash(token)}
    ).first()
    if row is None:
        return None, None
    if not _active(row, now, policy) or not row.active or row.version != row.user_version:
        return None, None
    actor = Actor(row.user_id, row.username, row.role, row.county, row.lead_unit, row.display_name)
    stale = now - _aware(row.last_seen_at, now) >= TOUCH_EVERY
    if beside:
        seen = data_version.current_in(row.data_epoch, row.data_version)
    else:
        seen = data_version.current(connection) if version == "always" else None
    return SignedIn(actor, row.id or 0, stale), seen


def resume(
    engine: Engine, *, token: str, policy: SessionPolicy, now: datetime | None = None
) -> Actor | None:
    """The actor of the cookie's session while it is active; its last use is noted (at
    most once a minute, so the idle timeout counts from the latest request)."""
    return resume_reading(engine, token=token, policy=policy, now=now, version="never")[0]


def resume_reading(
    engine: Engine,
    *,
    token: str,
    policy: SessionPolicy,
    now: datetime | None = None,
    version: str = "always",
) -> tuple[Actor | None, data_version.Version | None]:
    """``resume``, and the data version read with the session (``data_version.current``;
    None: no cache may be used): in the same statement when the version's table is known
    (``data_version.joinable``), else ("always") right after it on the same connection;
    "beside": only when it comes in the same statement; "never": not at all. Read before
    anything the request builds, so it may key what the request builds."""
    now = now or utcnow()
    with _reader(engine) as connection:  # one read on every request: no ORM session
        found, seen = _signed_in(connection, token=token, now=now, policy=policy, version=version)
    if found is None:
        return None, None
    if found.stale:
        unit.write(engine, touch, record_id=found.record_id, now=now)
    return found.actor, seen


def _reader(engine: Engine) -> Connection:
    """A connection for the one read of every request. On PostgreSQL it runs in autocommit:
    a single statement is its own snapshot either way (READ COMMITTED), and it spares the
    BEGIN and the ROLLBACK round trips psycopg sends around it otherwise (the pool's ping
    before it stays)."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def log_out(engine: Engine, *, token: str, now: datetime | None = None) -> bool:
    """End the session of this token (the logout button)."""
    return unit.write(engine, end_session, token=token, reason="logout", now=now or utcnow())


def touch(session: Session, *, record_id: int, now: datetime) -> None:
    """Note that the session was used now (the idle timeout counts from here)."""
    session.exec(
        update(UserSession)
        .where(col(UserSession.id) == record_id, col(UserSession.ended_at).is_(None))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def end_session(session: Session, *, token: str, reason: str, now: datetime) -> bool:
    """End one session (logout). True when it was still open."""
    result = session.exec(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(token), col(UserSession.ended_at).is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def end_user_sessions(session: Session, *, user_id: int, reason: str, now: datetime) -> int:
    """End every open session of a user (password reset, disabled, scope change, sign-out
    everywhere); returns how many were open."""
    result = session.exec(
        update(UserSession)
        .where(UserSession.user_id == user_id, col(UserSession.ended_at).is_(None))
        .values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def active_sessions(
    session: Session,
    *,
    actor: Actor,
    username: str,
    policy: SessionPolicy,
    now: datetime | None = None,
) -> list[ActiveSession]:
    """A user's active sessions, latest first (the office's user list)."""
    require(actor, "user.manage")
    now = now or utcnow()
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        return []
    rows = session.exec(
        select(UserSession)
        .where(UserSession.user_id == user.id, col(UserSession.ended_at).is_(None))
        .where(UserSession.user_version == user.version)
        .order_by(col(UserSession.last_seen_at).desc())
    ).all()
    return [
        ActiveSession(r.id or 0, r.created_at, r.last_seen_at, r.ip, r.user_agent)
        for r in rows
        if user.active and _active(r, now, policy)
    ]


def sign_out_everywhere(
    session: Session, *, actor: Actor, username: str, now: datetime | None = None
) -> int:
    """The office ends every session of a user at once (a lost phone, a shared computer)."""
    require(actor, "user.manage")
    now = now or utcnow()
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound("user.not_found", username=username)
    ended = end_user_sessions(session, user_id=user.id or 0, reason="signed_out", now=now)
    audit.record(
        session, actor, "sign_out_everywhere", "user", user.id, None, {"sessions_ended": ended}
    )
    return ended


def prune_sessions(session: Session, *, before: datetime) -> int:
    """Forget sessions that ended (or were last seen) before ``before``."""
    result = session.exec(
        delete(UserSession).where(
            (col(UserSession.ended_at) < before) | (col(UserSession.last_seen_at) < before)
        )
    )
    return int(result.rowcount or 0)
