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
        "LOG_FORMAT",
        "text",
        "`text` for people, `json` for one JSON object per line (production log shippers).",
    ),
    SettingSpec("LOG_LEVEL", "INFO", "Logging level: DEBUG, INFO, WARNING, ERROR."),
    SettingSpec(
        "LIGHT_AMBER_GAP_PP",
        "10",
        "Amber light when year-to-date investment completion is this many percentage points below the project's own 序时 (its share of the annual plan due by then).",
        float,
    ),
    SettingSpec(
        "LIGHT_RED_GAP_PP",
        "20",
        "Red light when completion is this many percentage points below the project's own 序时.",
        float,
    ),
    SettingSpec(
        "LIGHT_AMBER_OVERDUE_DAYS",
        "1",
        "Amber light when a milestone is overdue by at least this many days.",
        int,
    ),
    SettingSpec(
        "LIGHT_RED_OVERDUE_DAYS",
        "30",
        "Red light when a milestone is overdue by at least this many days.",
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
        "LIGHT_AMBER_LATE_START_DAYS",
        "1",
        "Amber light when a project is not started this many days after its planned start (应开未开).",
        int,
    ),
    SettingSpec(
        "LIGHT_RED_LATE_START_DAYS",
        "30",
        "Red light when a project is not started this many days after its planned start.",
        int,
    ),
    SettingSpec(
        "MILESTONE_DUE_SOON_DAYS",
        "15",
        "A milestone is 'due soon' when its planned date is within this many days.",
        int,
    ),  # --- the monthly dispatch cycle ---------------------------------------------------
    SettingSpec(
        "REPORT_OPEN_DAY",
        "20",
        "Day of the month on which that month's reporting opens (clipped to the month's last day).",
        int,
    ),
    SettingSpec(
        "REPORT_DUE_DAY",
        "25",
        "Day of the month by which that month's report is due; later submissions are flagged late.",
        int,
    ),
    SettingSpec(
        "REPORT_CLOSE_DAY",
        "5",
        "Day of the NEXT month on which the period closes: figures freeze, the bulletin is compiled, reports lock.",
        int,
    ),
    SettingSpec(
        "DUE_DAY_MOVES_TO_WORKDAY",
        "true",
        "Move an open, due or close day that falls on a weekend or a Chinese public holiday to the next working day (chinese_calendar, 调休 workdays counted; weekends only beyond its data).",
        _bool,
    ),
    SettingSpec(
        "REPORT_MERGE_JAN_FEB",
        "false",
        "Report January and February as one period (1–2月), opened and due in February; January has no period of its own.",
        _bool,
    ),
    SettingSpec(
        "REMINDER_DAYS_BEFORE_DUE",
        "3",
        "Daily reminders to accounts with unreported projects start this many days before the due day.",
        int,
    ),
    SettingSpec(
        "ESCALATE_AFTER_DAYS",
        "2",
        "This many days after the due day, the office admins get a daily list of who has still not reported.",
        int,
    ),
    SettingSpec(
        "MILESTONE_WATCH_DAYS",
        "7",
        "The milestone watch tells the responsible accounts about milestones due within this many days (once per milestone and planned date), and about newly overdue ones.",
        int,
    ),
    SettingSpec(
        "SCHEDULER_LOCK_FILE",
        "",
        "SQLite only: the lock file that keeps a second scheduler idle. Default: the database file's path + `.scheduler.lock`.",
    ),
    SettingSpec(
        "BULLETIN_DIR",
        str(ROOT / "data" / "bulletins"),
        "Where the compile job writes each month's bulletin workbook (调度通报-YYYY-MM.xlsx).",
    ),
    SettingSpec(
        "RANK_WEIGHT_INVESTMENT",
        "50",
        "County ranking: weight (%) of the investment completion rate (capped at 100%).",
        float,
    ),
    SettingSpec(
        "RANK_WEIGHT_MILESTONES",
        "30",
        "County ranking: weight (%) of the share of milestones due that were done on time.",
        float,
    ),
    SettingSpec(
        "RANK_WEIGHT_REPORTING",
        "20",
        "County ranking: weight (%) of the share of monthly reports submitted by the due day.",
        float,
    ),
    SettingSpec("SMTP_HOST", "", "Mail server for e-mail notifications; empty: no e-mail is sent."),
    SettingSpec("SMTP_PORT", "25", "Mail server port (587 with STARTTLS is common).", int),
    SettingSpec("SMTP_USER", "", "Mail server login; empty: no login."),
    SettingSpec("SMTP_PASSWORD", "", "Mail server password."),
    SettingSpec("SMTP_FROM", "tracker@localhost", "Sender address of notification e-mails."),
    SettingSpec("SMTP_STARTTLS", "false", "Upgrade the mail connection with STARTTLS.", _bool),
    SettingSpec(
        "WEBHOOK_URL",
        "",
        "Chat group robot URL (企业微信 or 钉钉) for group notices; empty: no group notices.",
    ),
    SettingSpec(
        "WEBHOOK_KIND",
        "wecom",
        "`wecom` (企业微信 group robot) or `dingtalk` (钉钉 group robot): the message shape.",
    ),
    SettingSpec(
        "NOTIFY_MAX_ATTEMPTS",
        "5",
        "Delivery attempts of one e-mail or webhook message before it is marked failed.",
        int,
    ),
    SettingSpec(
        "NOTIFY_RETRY_SECONDS",
        "60",
        "Wait before the first retry of a failed delivery; doubles with each attempt.",
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
    for name in ("REPORT_OPEN_DAY", "REPORT_DUE_DAY"):
        if not 1 <= values[name] <= 31:
            raise SettingsError(f"{name} must be a day of the month (1–31)")
    if not values["REPORT_OPEN_DAY"] <= values["REPORT_DUE_DAY"]:
        raise SettingsError("REPORT_OPEN_DAY must not be after REPORT_DUE_DAY")
    if not 1 <= values["REPORT_CLOSE_DAY"] <= 28:
        raise SettingsError("REPORT_CLOSE_DAY must be a day (1–28) of the next month")
    if values["WEBHOOK_KIND"] not in {"wecom", "dingtalk"}:
        raise SettingsError("WEBHOOK_KIND must be 'wecom' or 'dingtalk'")
    return Settings(values)


def settings_markdown() -> str:
    """The README's settings table (`python -m tracker settings` prints it)."""
    lines = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for spec in SPECS:
        default = spec.default.replace(str(ROOT), ".")
        lines.append(f"| `{spec.env}` | `{default}` | {spec.help} |")
    return "\n".join(lines)
