"""Login with throttling that holds across gunicorn workers: attempts live in the database.

A username is locked after ``max_failures`` failed attempts within the window, a client
address after ``max_failures_per_ip``; the lock lifts when the window has passed the
failures. Unknown and wrong credentials get the same answer and cost the same time.

The check and the record of an attempt are one step (``begin_attempt``): in one write
transaction that holds a lock on the username and the address (SQLite: the database's
write lock, taken at BEGIN IMMEDIATE; PostgreSQL: transaction-scoped advisory locks), the
failures are counted and, when not locked, the attempt is written as a failure. Only then
is the password hashed, outside any lock, and a right password turns the attempt into a
success (``finish_attempt``). So N concurrent wrong passwords cost exactly the limit in
password checks, on both databases.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, text, update
from sqlmodel import Session, col, func, select

from tracker.config import Settings
from tracker.db import read_session, write_session
from tracker.domain.messages import Message, msg
from tracker.models import LoginAttempt, User, utcnow
from tracker.services import sessions, unit
from tracker.services.auth import Actor, hash_password, needs_rehash
from tracker.services.users import authenticate

WRONG = msg("login.wrong")
MAX_PASSWORD = 256  # characters; a longer one is refused without hashing it


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    max_failures_per_ip: int = 30
    window: timedelta = timedelta(minutes=15)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        return cls(
            max_failures=settings.LOGIN_MAX_FAILURES,
            max_failures_per_ip=settings.LOGIN_MAX_FAILURES_PER_IP,
            window=timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES),
        )


def _failures(session: Session, since: datetime, **where: str) -> tuple[int, datetime | None]:
    query = select(func.count(), func.min(LoginAttempt.at)).where(
        LoginAttempt.at >= since, col(LoginAttempt.success).is_(False)
    )
    for name, value in where.items():
        query = query.where(getattr(LoginAttempt, name) == value)
    count, oldest = session.exec(query).one()
    return int(count or 0), oldest


def _last_success(session: Session, username: str) -> datetime | None:
    return session.exec(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, col(LoginAttempt.success).is_(True)
        )
    ).one()


def locked_until(
    session: Session, *, username: str, ip: str, now: datetime, policy: LoginPolicy
) -> datetime | None:
    """When the lock on this username or address lifts, or None when not locked.
    A successful login clears the username's earlier failures."""
    window_start = now - policy.window
    since_user = window_start
    last_ok = _last_success(session, username)
    if last_ok is not None and _aware(last_ok, now) > since_user:
        since_user = _aware(last_ok, now)
    ends: list[datetime] = []
    checks = (
        ({"username": username}, since_user, policy.max_failures),
        ({"ip": ip}, window_start, policy.max_failures_per_ip),
    )
    for where, since, limit in checks:
        count, oldest = _failures(session, since, **where)
        if count >= limit and oldest is not None:
            ends.append(_aware(oldest, now) + policy.window)
    return max(ends) if ends else None


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: Message | str = ""  # for the login form when ``user`` is None
    locked: bool = False


@dataclass(frozen=True)
class Attempt:
    """A login attempt that was let through (``id`` of its row) or refused as locked."""

    id: int | None
    locked: bool = False
    message: Message | str = ""


def _lock_key(kind: str, value: str) -> int:
    digest = hashlib.sha256(f"login:{kind}:{value}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _serialise(session: Session, username: str, ip: str) -> None:
    """Hold the username's and the address's locks until the transaction ends. SQLite's
    write transaction (BEGIN IMMEDIATE) already holds the one write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for kind, value in (("user", username), ("ip", ip)):  # always in this order: no deadlock
        session.exec(
            text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_lock_key(kind, value))
        )  # type: ignore[call-overload]


def begin_attempt(
    session: Session, *, username: str, ip: str, now: datetime, policy: LoginPolicy
) -> Attempt:
    """Check the locks and record the attempt as one step, in the caller's write
    transaction: refused when locked (nothing recorded), else written as a failure until
    ``finish_attempt`` says the password was right."""
    username, ip = _name(username), _ip(ip)
    _serialise(session, username, ip)
    until = locked_until(session, username=username, ip=ip, now=now, policy=policy)
    if until is not None:
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        return Attempt(None, locked=True, message=msg("login.locked", minutes=minutes))
    row = LoginAttempt(at=now, username=username, ip=ip, success=False)
    session.add(row)
    session.flush()
    return Attempt(row.id)


def verify(session: Session, *, username: str, password: str) -> User | None:
    """The active user with these credentials (the slow hash; reads only)."""
    username = _name(username)
    if not username or len(password or "") > MAX_PASSWORD:
        return None
    return authenticate(session, username, password or "")


def finish_attempt(session: Session, *, attempt: Attempt, user: User | None, password: str) -> None:
    """A right password turns the attempt into a success (clearing the username's earlier
    failures) and stores a stronger hash when the hasher's parameters were raised."""
    if user is None or attempt.id is None:
        return
    session.exec(
        update(LoginAttempt)
        .where(col(LoginAttempt.id) == attempt.id)
        .values(success=True)
        .execution_options(synchronize_session=False)
    )
    stored = session.get(User, user.id)
    if stored is not None and needs_rehash(stored.password_hash):
        stored.password_hash = hash_password(password)
        session.add(stored)
    session.flush()


def login(
    engine: Engine,
    *,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    policy: LoginPolicy,
) -> tuple[LoginResult, Attempt]:
    """The whole login: reserve the attempt (write), check the password (read, no lock
    held), record the outcome (write). The caller starts the session on success."""
    with write_session(engine) as session:
        attempt = begin_attempt(session, username=username, ip=ip, now=now, policy=policy)
    if attempt.locked:
        return LoginResult(None, attempt.message, locked=True), attempt
    with read_session(engine) as session:
        user = verify(session, username=username, password=password)
    if user is None:
        return LoginResult(None, WRONG), attempt
    return LoginResult(user), attempt


def attempt_login(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """``begin_attempt``, the password check and ``finish_attempt`` in one session (the
    caller commits): the CLI and tests, where no other request waits on the lock."""
    attempt = begin_attempt(session, username=username, ip=ip, now=now, policy=policy)
    if attempt.locked:
        return LoginResult(None, attempt.message, locked=True)
    user = verify(session, username=username, password=password)
    finish_attempt(session, attempt=attempt, user=user, password=password)
    return LoginResult(user) if user is not None else LoginResult(None, WRONG)


@dataclass(frozen=True)
class SignIn:
    """What the login form learns: the actor and the new session's token, or why not."""

    actor: Actor | None
    token: str = ""
    message: Message | str = ""  # when ``actor`` is None
    locked: bool = False


def sign_in(
    engine: Engine,
    *,
    username: str,
    password: str,
    ip: str,
    user_agent: str,
    policy: LoginPolicy,
    now: datetime | None = None,
) -> SignIn:
    """The whole sign-in of the login form: ``login``, then (right password) the attempt
    turns into a success and a server-side session starts, in one write transaction."""
    now = now or utcnow()
    result, attempt = login(
        engine, username=username, password=password, ip=ip, now=now, policy=policy
    )
    if result.user is None:
        return SignIn(None, message=result.message, locked=result.locked)
    return unit.write(
        engine,
        _start,
        attempt=attempt,
        user=result.user,
        password=password,
        ip=ip,
        user_agent=user_agent,
        now=now,
    )


def _start(
    session: Session,
    *,
    attempt: Attempt,
    user: User,
    password: str,
    ip: str,
    user_agent: str,
    now: datetime,
) -> SignIn:
    finish_attempt(session, attempt=attempt, user=user, password=password)
    token = sessions.start_session(session, user=user, ip=ip, user_agent=user_agent, now=now)
    return SignIn(Actor.of(user), token)


def _name(username: str) -> str:
    return (username if isinstance(username, str) else "").strip()[:50]


def _ip(ip: str) -> str:
    return (ip or "")[:64]


def prune_attempts(session: Session, *, before: datetime) -> int:
    """Forget attempts older than ``before`` (the scheduler may call this daily)."""
    result = session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < before))
    return int(result.rowcount or 0)
