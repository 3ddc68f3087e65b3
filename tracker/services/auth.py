"""Passwords (argon2id) and the actor a service acts for."""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.models import User

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()
log = logging.getLogger(__name__)
T = TypeVar("T")


class HashGate:
    """Where password hashes run: at most ``slots`` at a time in this process, in threads
    of their own whose scheduling priority is lowered by ``nice`` (Linux; argon2's lane
    threads inherit it), so a burst of logins queues behind a few hashes and leaves the
    CPU to the reads instead of taking both cores. ``idle``: those threads are scheduled
    SCHED_IDLE instead (Linux), i.e. they run on what CPU the requests leave. ``slots`` 0: in
    the caller's thread, unbounded (the behaviour before #15). A hash that fails frees its
    slot."""

    def __init__(self, slots: int = 1, nice: int = 10, idle: bool = True) -> None:
        self.slots, self.nice, self.idle = slots, nice, idle
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[], T]) -> T:
        if self.slots <= 0:
            return work()
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    self.slots, thread_name_prefix="password-hash", initializer=self._lower
                )
            pool = self._pool
        return pool.submit(work).result()

    def _lower(self) -> None:
        me = threading.get_native_id()
        if self.idle and hasattr(os, "SCHED_IDLE"):
            try:  # this thread only (and the lane threads argon2 starts from it)
                os.sched_setscheduler(me, os.SCHED_IDLE, os.sched_param(0))
                return
            except OSError as exc:  # pragma: no cover - refused: fall back to nice
                log.warning("password hashing cannot run SCHED_IDLE: %s", exc)
        if self.nice <= 0 or not hasattr(os, "setpriority"):
            return
        try:  # this thread only: its nice value, not the process's
            os.setpriority(
                os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + self.nice)
            )
        except OSError as exc:  # pragma: no cover - a system refusing it: hashes still bounded
            log.warning("password hashing keeps its priority: %s", exc)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)


_gate = HashGate()


def configure_hashing(slots: int, nice: int, idle: bool = False) -> None:
    """Set LOGIN_HASH_SLOTS, LOGIN_HASH_NICE and LOGIN_HASH_IDLE for this process (the app
    factory does)."""
    global _gate
    if (slots, nice, idle) != (_gate.slots, _gate.nice, _gate.idle):
        old, _gate = _gate, HashGate(slots, nice, idle)
        old.close()


def _forked() -> None:  # a forked child has none of its parent's threads: start afresh
    global _gate
    _gate = HashGate(_gate.slots, _gate.nice, _gate.idle)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)

ROLES = ("admin", "county", "unit", "viewer")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or the scheduler (``id`` None, role ``system``)."""

    id: int | None
    username: str
    role: str
    county: str | None = None
    lead_unit: str | None = None
    display_name: str = ""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            user.id, user.username, user.role, user.county, user.lead_unit, user.display_name
        )

    @property
    def label(self) -> str:
        return self.display_name or self.username


SYSTEM = Actor(id=None, username="system", role="system", display_name="系统")
ANONYMOUS = Actor(id=None, username="", role="anonymous")


def hash_password(password: str) -> str:
    return _gate.run(lambda: _hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _gate.run(lambda: _hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_password() -> str:
    """A random password that is easy to read out over the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))
