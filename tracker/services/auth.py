"""Passwords (argon2id) and the actor a service acts for."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.models import User

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, m=64 MiB, p=4).
_hasher = PasswordHasher()

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
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_password() -> str:
    """A random password that is easy to read out over the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))
