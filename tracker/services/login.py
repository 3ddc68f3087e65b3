"""Login with throttling that holds across gunicorn workers: attempts live in the database.

A username is locked after ``max_failures`` failed attempts within the window, a client
address after ``max_failures_per_ip``; the lock lifts when the window has passed the
failures. Unknown and wrong credentials get the same answer and cost the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from tracker.config import Settings
from tracker.models import LoginAttempt, User
from tracker.services.auth import hash_password, needs_rehash
from tracker.services.users import authenticate

WRONG = "用户名或密码错误，或账号已停用"


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
    message: str = ""  # for the login form when ``user`` is None
    locked: bool = False


def check_login(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """Check the credentials unless the username or address is locked. Reads only: the
    slow password hash runs outside any write transaction (on SQLite a write transaction
    holds the database's one write lock)."""
    username = _name(username)
    until = locked_until(session, username=username, ip=_ip(ip), now=now, policy=policy)
    if until is not None:
        minutes = max(1, int((until - now).total_seconds() // 60) + 1)
        return LoginResult(None, f"登录失败次数过多，请 {minutes} 分钟后再试", locked=True)
    user = authenticate(session, username, password or "") if username else None
    if user is None:
        return LoginResult(None, WRONG)
    return LoginResult(user)


def record_login(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    result: LoginResult,
) -> None:
    """Record the attempt (also refused ones: they count toward the lockout), and store a
    stronger hash when the hasher's parameters have been raised since the last login."""
    session.add(
        LoginAttempt(at=now, username=_name(username), ip=_ip(ip), success=result.user is not None)
    )
    if result.user is not None:
        user = session.get(User, result.user.id)
        if user is not None and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            session.add(user)
    session.flush()


def attempt_login(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """``check_login`` and ``record_login`` in one session (the caller commits)."""
    result = check_login(
        session, username=username, password=password, ip=ip, now=now, policy=policy
    )
    if not result.locked:
        record_login(session, username=username, password=password, ip=ip, now=now, result=result)
    return result


def _name(username: str) -> str:
    return (username or "").strip()[:50]


def _ip(ip: str) -> str:
    return (ip or "")[:64]


def prune_attempts(session: Session, *, before: datetime) -> int:
    """Forget attempts older than ``before`` (the scheduler may call this daily)."""
    result = session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < before))
    return int(result.rowcount or 0)
