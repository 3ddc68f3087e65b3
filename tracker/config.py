"""Settings, read from the environment once at start-up.

Every setting is declared once in ``SPECS`` with its default and its meaning; the README's
settings table is checked against this list by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMEZONE = "Asia/Shanghai"


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SettingSpec:
    env: str
    default: str
    help: str
    parse: Callable[[str], Any] = str


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "DATABASE_URL",
        f"sqlite:///{ROOT / 'data' / 'tracker.db'}",
        "Database. Default: a SQLite file under ./data/. Production: postgresql+psycopg://user:pass@host/db",
    ),
    SettingSpec(
        "TRACKER_ENV",
        "development",
        "`development` or `production`. Production refuses to start without SECRET_KEY and never creates demo data.",
    ),
    SettingSpec(
        "SECRET_KEY",
        "",
        "Signs session cookies. Required in production; in development a random key is made per start.",
    ),
    SettingSpec(
        "TRACKER_DEMO",
        "true",
        "Fill an empty database with the demo office on first start (development only).",
        _bool,
    ),
    SettingSpec("TRACKER_HOST", "127.0.0.1", "Address `python app.py` listens on."),
    SettingSpec("TRACKER_PORT", "8050", "Port `python app.py` listens on.", int),
    SettingSpec("TRACKER_DEBUG", "false", "Dash/Flask debug mode. Never in production.", _bool),
    SettingSpec("TRACKER_LANGUAGE", "zh", "Default interface language: `zh` (简体中文) or `en`."),
    SettingSpec(
        "SESSION_COOKIE_SECURE",
        "false",
        "Mark the session cookie Secure (set true behind HTTPS).",
        _bool,
    ),
    SettingSpec(
        "MAX_UPLOAD_MB",
        "20",
        "Largest file accepted by uploads and the list importer, in MiB.",
        int,
    ),
    SettingSpec(
        "LOGIN_MAX_FAILURES",
        "5",
        "Failed logins for one username within LOGIN_LOCKOUT_MINUTES before that username is locked out.",
        int,
    ),
    SettingSpec(
        "LOGIN_MAX_FAILURES_PER_IP",
        "30",
        "Failed logins from one client address within LOGIN_LOCKOUT_MINUTES before that address is locked out.",
        int,
    ),
    SettingSpec(
        "LOGIN_LOCKOUT_MINUTES",
        "15",
        "Window in which failed logins are counted, and how long a lockout lasts (minutes).",
        int,
    ),
    SettingSpec(
        "TRACKER_TRUSTED_PROXIES",
        "0",
        "Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (0: none). Set 1 behind one nginx, so login throttling sees client addresses.",
        int,
    ),
    SettingSpec(
        "TRACKER_SCHEDULER",
        "embedded",
        "`embedded`: `python app.py` runs the monthly cycle itself; `off`: run `python -m schedules` as its own process.",
    ),
    SettingSpec(
        "LIGHT_AMBER_GAP_PP",
        "10",
        "Amber light when year-to-date investment completion is this many percentage points below 序时进度.",
        float,
    ),
    SettingSpec(
        "LIGHT_RED_GAP_PP",
        "20",
        "Red light when completion is this many percentage points below 序时进度.",
        float,
    ),
    SettingSpec(
        "LIGHT_RED_OVERDUE_DAYS",
        "30",
        "Red light when a milestone is overdue by at least this many days (any overdue milestone gives amber).",
        int,
    ),
    SettingSpec(
        "LIGHT_AMBER_MISSED_REPORTS",
        "1",
        "Amber light when this many of the latest monthly reports are missing.",
        int,
    ),
    SettingSpec(
        "LIGHT_RED_MISSED_REPORTS",
        "2",
        "Red light when this many of the latest monthly reports are missing.",
        int,
    ),
    SettingSpec(
        "MILESTONE_DUE_SOON_DAYS",
        "15",
        "A milestone is 'due soon' when its planned date is within this many days.",
        int,
    ),
)


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name.upper()]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def is_production(self) -> bool:
        return self.values["TRACKER_ENV"] == "production"

    @property
    def is_sqlite(self) -> bool:
        return str(self.values["DATABASE_URL"]).startswith("sqlite")


class SettingsError(ValueError):
    pass


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read every setting from ``env`` (default: os.environ), then apply ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for spec in SPECS:
        raw = env.get(spec.env, spec.default)
        try:
            values[spec.env] = spec.parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{spec.env}={raw!r} is not valid: {exc}") from exc
    for key, value in overrides.items():
        if key.upper() not in values:
            raise SettingsError(f"unknown setting {key}")
        values[key.upper()] = value
    if values["TRACKER_ENV"] not in {"development", "production"}:
        raise SettingsError("TRACKER_ENV must be 'development' or 'production'")
    if values["TRACKER_ENV"] == "production":
        if len(values["SECRET_KEY"]) < 32:
            raise SettingsError(
                "SECRET_KEY must be set (at least 32 characters) when TRACKER_ENV=production"
            )
        if values["TRACKER_DEBUG"]:
            raise SettingsError("TRACKER_DEBUG must be off when TRACKER_ENV=production")
    return Settings(values)
