"""Settings, read from the environment once at start-up.

Every setting is declared once in ``SPECS`` with its default and its meaning; the README's
settings table is checked against this list by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TIMEZONE = "Asia/Shanghai"
DEFAULT_OFFICE_NAME = "临沧市国家可持续发展议程创新示范区建设办公室"
DEFAULT_OFFICE_REGION = "临沧市"


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word in {"1", "true", "yes", "on"}:
        return True
    if word in {"", "0", "false", "no", "off"}:
        return False
    raise ValueError(f"{value!r} is not a yes/no value (true/false, yes/no, on/off, 1/0)")


def _optional_bool(value: str) -> bool | None:
    """Empty: not set (the mode decides); otherwise true/false."""
    return None if not value.strip() else _bool(value)


def _decimal(value: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def _amount_unit(value: str) -> str:
    unit = value.strip().lower()
    if unit not in {"yi", "wan"}:
        raise ValueError("use yi (亿元) or wan (万元)")
    return unit


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
        "Signs session cookies. Required in production: at least 32 bytes, random (make one with `python -m tracker secret`), never a value found in this repository; in development a random key is made per start.",
    ),
    SettingSpec(
        "TRACKER_DEMO",
        "true",
        "Fill an empty database with the demo office on first start (development only).",
        _bool,
    ),
    SettingSpec(
        "TRACKER_HOST",
        "127.0.0.1",
        "Address `python app.py` and gunicorn (gunicorn.conf.py) listen on. Keep 127.0.0.1 behind nginx.",
    ),
    SettingSpec(
        "TRACKER_PORT",
        "8050",
        "Port `python app.py` and gunicorn (gunicorn.conf.py) listen on.",
        int,
    ),
    SettingSpec("TRACKER_DEBUG", "false", "Dash/Flask debug mode. Never in production.", _bool),
    SettingSpec(
        "WEB_WORKERS",
        "4",
        "gunicorn worker processes (gunicorn.conf.py). Each holds its own copy of the app.",
        int,
    ),
    SettingSpec("WEB_THREADS", "2", "Threads per gunicorn worker (gunicorn.conf.py).", int),
    SettingSpec("TRACKER_LANGUAGE", "zh", "Default interface language: `zh` (简体中文) or `en`."),
    SettingSpec(
        "OFFICE_NAME",
        DEFAULT_OFFICE_NAME,
        "The office's name, shown in the header and on the login page.",
    ),
    SettingSpec(
        "OFFICE_NAME_EN",
        "",
        "The office's name in the English interface. Empty: OFFICE_NAME (the demo office's English name while OFFICE_NAME is unchanged).",
    ),
    SettingSpec(
        "OFFICE_REGION",
        DEFAULT_OFFICE_REGION,
        "The city or region the office serves; its first character is the mark beside the office's name.",
    ),
    SettingSpec(
        "SESSION_COOKIE_SECURE",
        "",
        "Mark the session cookie Secure (sent over HTTPS only). Empty: on in production, off in development; set false only to serve production over plain HTTP.",
        _optional_bool,
    ),
    SettingSpec(
        "SESSION_IDLE_MINUTES",
        "120",
        "A signed-in session ends after this many minutes without a request.",
        int,
    ),
    SettingSpec(
        "SESSION_MAX_HOURS",
        "12",
        "A signed-in session ends this many hours after the login, however active.",
        int,
    ),
    SettingSpec(
        "MAX_UPLOAD_MB",
        "20",
        "Largest file accepted by uploads and the list importer, in MiB.",
        int,
    ),
    SettingSpec(
        "MEDIA_DIR",
        "",
        "Folder of the site photos (content-addressed files; `python -m tracker backup` copies it beside the database's backup). Empty: `media` beside the SQLite database file (./data/media by default), or ./data/media with PostgreSQL. Production: a volume every web worker and the scheduler share.",
    ),
    SettingSpec(
        "PHOTO_MAX_MB",
        "15",
        "Largest site photo accepted, in MiB (checked before the image is decoded).",
        int,
    ),
    SettingSpec(
        "PHOTO_MAX_MEGAPIXELS",
        "50",
        "Largest site photo accepted, in millions of pixels by its header (refuses decompression bombs before they are decoded).",
        int,
    ),
    SettingSpec(
        "PHOTO_MAX_DISTANCE_KM",
        "3",
        "A site photo taken farther than this from its project's location is flagged.",
        float,
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
        "LOGIN_HASH_SLOTS",
        "1",
        "Password hashes (argon2id) running at once per web worker; more logins wait their turn, so a login burst cannot take every core from the readers. 0: no limit, in the request's own thread.",
        int,
    ),
    SettingSpec(
        "LOGIN_HASH_NICE",
        "10",
        "How much lower (Linux nice, 0-19) the password-hashing threads run than the requests they serve.",
        int,
    ),
    SettingSpec(
        "LOGIN_HASH_IDLE",
        "true",
        "Run the password-hashing threads under Linux's SCHED_IDLE instead of LOGIN_HASH_NICE: they get only the CPU that requests leave.",
        _bool,
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
        "AMOUNT_MAX_WAN",
        "100000000",
        "Largest amount (万元) any form, upload or import accepts; larger values are refused as typing or unit errors (default 1 万亿元).",
        _decimal,
    ),
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
    SettingSpec(
        "BULLETIN_AMOUNT_UNIT",
        "yi",
        "Amounts in the bulletin's text and tables: `yi` (亿元, two decimals) or `wan` (万元, two decimals).",
        _amount_unit,
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
    SettingSpec(
        "DUBAN_LEVEL2_DAYS",
        "30",
        "督办: a ledger item open this many days is raised from 办公室督办 to 分管市领导督办 (counted from the office's last hand setting, if any).",
        int,
    ),
    SettingSpec(
        "DUBAN_LEVEL3_DAYS",
        "60",
        "督办: a ledger item open this many days is raised to 市长督办.",
        int,
    ),
    SettingSpec(
        "DUBAN_MISSED_DUE_ESCALATES",
        "true",
        "督办: an item whose 整改时限 has passed is raised one level more.",
        _bool,
    ),
    SettingSpec(
        "DUBAN_NUMBER_PREFIX",
        "临示办",
        "督办单 文号 prefix: the 文号 reads {prefix}督〔year〕N号, N counted per year.",
    ),
    SettingSpec(
        "KNOWN_UNITS",
        "",
        "Units (besides the projects' lead units) a ledger item's text is matched against to find its responsible unit, separated by commas or 、.",
    ),
    SettingSpec(
        "BULLETIN_FIRST_ISSUE_NO",
        "1",
        "期号 of the year's first month bulletin (第N期); each later month bulletin of the year counts on from it.",
        int,
    ),
    SettingSpec(
        "BULLETIN_TO", "市委、市政府主要领导，分管领导", "The bulletin's 报 line (empty: left out)."
    ),
    SettingSpec(
        "BULLETIN_SEND",
        "各县（区）人民政府，市直各牵头单位",
        "The bulletin's 送 line (empty: left out).",
    ),
    SettingSpec("BULLETIN_CC", "", "The bulletin's 抄送 line (empty: left out)."),
    SettingSpec("BULLETIN_EDITOR", "", "The bulletin's 编辑 (empty: left out)."),
    SettingSpec("BULLETIN_REVIEWER", "", "The bulletin's 审核 (empty: left out)."),
    SettingSpec("BULLETIN_SIGNER", "", "The bulletin's 签发 (empty: left out)."),
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

    @property
    def cookies_secure(self) -> bool:
        """SESSION_COOKIE_SECURE when set, else on in production."""
        chosen = self.values["SESSION_COOKIE_SECURE"]
        return self.is_production if chosen is None else bool(chosen)

    def startup_notes(self) -> list[tuple[str, str]]:
        """(level, message) lines the app logs when it starts: what production decided."""
        if not self.is_production:
            return []
        chosen = self.values["SESSION_COOKIE_SECURE"]
        if chosen is None:
            return [
                (
                    "INFO",
                    "session cookies are Secure (production default): serve the app over "
                    "HTTPS, or set SESSION_COOKIE_SECURE=false for plain HTTP",
                )
            ]
        if not chosen:
            return [
                (
                    "WARNING",
                    "session cookies are NOT Secure (SESSION_COOKIE_SECURE=false): a login "
                    "can be read on the network unless the app is served over HTTPS only",
                )
            ]
        return [("INFO", "session cookies are Secure (SESSION_COOKIE_SECURE=true)")]


class SettingsError(ValueError):
    pass


MiB = 1024 * 1024
UPLOAD_ENVELOPE = MiB  # a Dash callback carries an upload as base64 inside JSON


def request_limit_bytes(max_upload_mb: int) -> int:
    """The largest request the app accepts for an upload of MAX_UPLOAD_MB: 4/3 of the file
    (base64) plus the JSON around it. nginx's client_max_body_size must be at least this."""
    return math.ceil(int(max_upload_mb) * MiB * 4 / 3) + UPLOAD_ENVELOPE


def nginx_body_size(max_upload_mb: int) -> str:
    """client_max_body_size for nginx in front of the app: exactly the app's own limit, in
    bytes, so nginx refuses (413) what the app would refuse. A larger value lets through
    requests the app answers with 413 before reading them; nginx, still sending the body,
    then sees the connection reset and answers 502 instead."""
    return str(request_limit_bytes(max_upload_mb))


MISSING_DATABASE = (
    "TRACKER_ENV=production but DATABASE_URL is not set: the app would open the default empty "
    "SQLite file instead of the office's database. Set DATABASE_URL in the environment file "
    "(docs/deploy.md), or start with --env-file."
)


def require_database_url(env: Mapping[str, str] | None = None) -> None:
    """In production the database must be named: refuse to fall back to the default SQLite
    file (a web process or scheduler on an empty database looks like a lost office)."""
    env = os.environ if env is None else env
    if env.get("TRACKER_ENV", "development") == "production" and not env.get("DATABASE_URL"):
        raise SettingsError(MISSING_DATABASE)


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read every setting from ``env`` (default: os.environ), then apply ``overrides``."""
    values = _read_values(os.environ if env is None else env)
    _apply_overrides(values, overrides)
    _check_environment(values)
    _check_report_days(values)
    _check_limits(values)
    return Settings(values)


def _read_values(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in SPECS:
        raw = env.get(spec.env, spec.default)
        try:
            values[spec.env] = spec.parse(raw)
        except ValueError as exc:
            raise SettingsError(f"{spec.env}={raw!r} is not valid: {exc}") from exc
    return values


def _apply_overrides(values: dict[str, Any], overrides: Mapping[str, Any]) -> None:
    for key, value in overrides.items():
        if key.upper() not in values:
            raise SettingsError(f"unknown setting {key}")
        values[key.upper()] = value


def _check_environment(values: Mapping[str, Any]) -> None:
    """TRACKER_ENV is known; production has a real secret key and no debugger."""
    if values["TRACKER_ENV"] not in {"development", "production"}:
        raise SettingsError("TRACKER_ENV must be 'development' or 'production'")
    if values["TRACKER_ENV"] != "production":
        return
    problem = secret_key_problem(values["SECRET_KEY"])
    if problem:
        raise SettingsError(
            f"SECRET_KEY {problem} (TRACKER_ENV=production). Make one with "
            "`python -m tracker secret` and put it in the environment file."
        )
    if values["TRACKER_DEBUG"]:
        raise SettingsError("TRACKER_DEBUG must be off when TRACKER_ENV=production")


def _check_report_days(values: Mapping[str, Any]) -> None:
    for name in ("REPORT_OPEN_DAY", "REPORT_DUE_DAY"):
        if not 1 <= values[name] <= 31:
            raise SettingsError(f"{name} must be a day of the month (1–31)")
    if not values["REPORT_OPEN_DAY"] <= values["REPORT_DUE_DAY"]:
        raise SettingsError("REPORT_OPEN_DAY must not be after REPORT_DUE_DAY")
    if not 1 <= values["REPORT_CLOSE_DAY"] <= 28:
        raise SettingsError("REPORT_CLOSE_DAY must be a day (1–28) of the next month")


def _check_limits(values: Mapping[str, Any]) -> None:
    """The webhook kind, the amount ceiling, session lengths, workers and the office's name."""
    if values["WEBHOOK_KIND"] not in {"wecom", "dingtalk"}:
        raise SettingsError("WEBHOOK_KIND must be 'wecom' or 'dingtalk'")
    if values["BULLETIN_FIRST_ISSUE_NO"] < 1:
        raise SettingsError("BULLETIN_FIRST_ISSUE_NO must be at least 1")
    from tracker.domain.inputs import MAX_AMOUNT_CEILING

    if not 0 < values["AMOUNT_MAX_WAN"] <= MAX_AMOUNT_CEILING:
        raise SettingsError(
            f"AMOUNT_MAX_WAN must be above 0 and at most {MAX_AMOUNT_CEILING:f} "
            "(in 10k yuan): what the database's amount columns hold"
        )
    if values["SESSION_IDLE_MINUTES"] < 1 or values["SESSION_MAX_HOURS"] < 1:
        raise SettingsError("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1")
    for name in ("WEB_WORKERS", "WEB_THREADS"):
        if values[name] < 1:
            raise SettingsError(f"{name} must be at least 1")
    if values["LOGIN_HASH_SLOTS"] < 0:
        raise SettingsError("LOGIN_HASH_SLOTS must be 0 (no limit) or more")
    if not 0 <= values["LOGIN_HASH_NICE"] <= 19:
        raise SettingsError("LOGIN_HASH_NICE must be between 0 and 19")
    for name in ("OFFICE_NAME", "OFFICE_REGION"):
        if not str(values[name]).strip():
            raise SettingsError(f"{name} must not be empty")


# --- the production secret ---------------------------------------------------------------------

MIN_SECRET_BYTES = 32
# Placeholder words people leave in a key; a random key does not contain them.
_PLACEHOLDERS = ("changeme", "change-me", "change_me", "replace", "placeholder", "example")
# What the repository check reads: shipped text (docs, examples, code, tests), never the
# environment file an installation keeps its real key in (*.env, .env).
_SCANNED = {".md", ".py", ".example", ".txt", ".service", ".timer", ".conf", ".sh", ".toml"}
_SKIPPED_DIRS = {".git", "data", "node_modules", "__pycache__", "site-packages", "artifacts"}


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign production cookies, or None: shorter than 32 bytes, a
    placeholder, of low variety (few distinct characters, a repeated or sequential run), or
    a value written anywhere in this repository (an example, a test, the docs)."""
    if not key:
        return "must be set"
    if len(key.encode()) < MIN_SECRET_BYTES:
        return f"must be at least {MIN_SECRET_BYTES} bytes long (it has {len(key.encode())})"
    lowered = key.lower()
    if any(word in lowered for word in _PLACEHOLDERS):
        return "is a placeholder, not a secret"
    if _low_variety(key):
        return "has too little variety to be a random secret"
    if key in _repository_text():
        return "is written in this repository (an example or a test), so it is not secret"
    return None


def _low_variety(key: str) -> bool:
    counts = Counter(key)
    n = len(key)
    bits = -sum(c / n * math.log2(c / n) for c in counts.values())
    if len(counts) < 10 or bits < 3.0:
        return True
    for unit in range(1, n // 2 + 1):  # "abcdef" * 6
        if n % unit == 0 and key == key[:unit] * (n // unit):
            return True
    steps = sum(1 for a, b in zip(key, key[1:], strict=False) if abs(ord(a) - ord(b)) == 1)
    return steps > (n - 1) // 2  # "0123456789abcdef…"


def _repository_files(root: Path) -> Iterator[Path]:
    for directory, dirs, files in os.walk(root):
        dirs[:] = [
            d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith((".venv", "venv"))
        ]
        for name in files:
            path = Path(directory, name)
            if path.suffix in _SCANNED or name in {"Procfile", "README"}:
                yield path


@cache
def _repository_text() -> str:
    """Every shipped text file of the repository, joined (read once per process)."""
    parts = []
    for path in _repository_files(ROOT):
        try:
            parts.append(path.read_text(encoding="utf-8", errors="ignore"))
        except OSError:
            continue
    return "\n".join(parts)


def settings_markdown() -> str:
    """The README's settings table (`python -m tracker settings` prints it)."""
    lines = ["| setting | default | meaning |", "| --- | --- | --- |"]
    for spec in SPECS:
        default = spec.default.replace(str(ROOT), ".")
        lines.append(f"| `{spec.env}` | `{default}` | {spec.help} |")
    return "\n".join(lines)


# --- the environment file the services read -------------------------------------------------

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHELL_ESCAPED = '"\\`$'


def parse_env_file(text: str) -> dict[str, str]:
    """``KEY=VALUE`` assignments read the way systemd reads an ``EnvironmentFile=``.

    Blank lines and lines starting with ``#`` or ``;`` are ignored (a ``#`` after a value is
    part of the value); an unquoted value keeps its inner spaces and loses its outer ones;
    ``'…'`` is taken verbatim, ``"…"`` knows the shell's escapes; a backslash at the end of a
    line continues it. The later of two assignments wins. Names that are not valid
    environment variable names are ignored, as systemd ignores them."""
    reader = _EnvReader()
    for char in text:
        reader.read(char)
    return reader.end()


class _EnvReader:
    """The systemd reader of ``parse_env_file``: a state machine, one method per state,
    each taking a character and returning the next state."""

    _OPEN = frozenset({"pre_value", "value", "value_escape", "single", "double", "double_escape"})

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.state = "pre_key"
        self.key: list[str] = []
        self.value: list[str] = []
        self.trailing = 0  # unquoted whitespace at the end of ``value``, dropped at line end

    def read(self, char: str) -> None:
        self.state = getattr(self, f"_{self.state}")(char)

    def end(self) -> dict[str, str]:
        if self.state in self._OPEN:
            self._finish()
        return self.values

    def _finish(self) -> None:
        name = "".join(self.key).strip()
        value = self.value[: len(self.value) - self.trailing] if self.trailing else self.value
        if _ENV_NAME.fullmatch(name):
            self.values[name] = "".join(value)

    def _pre_key(self, char: str) -> str:
        if char in "#;":
            return "comment"
        if char.isspace():
            return "pre_key"
        self.key, self.value, self.trailing = [char], [], 0
        return "key"

    def _key(self, char: str) -> str:
        if char == "\n":
            return "pre_key"  # no "=": not an assignment
        if char == "=":
            return "pre_value"
        self.key.append(char)
        return "key"

    def _pre_value(self, char: str) -> str:
        if char == "\n":
            self._finish()
            return "pre_key"
        if char == "'":
            self.trailing = 0
            return "single"
        if char == '"':
            self.trailing = 0
            return "double"
        if char == "\\":
            return "value_escape"
        if char in " \t\r":
            return "pre_value"
        self.value.append(char)
        self.trailing = 0
        return "value"

    def _value(self, char: str) -> str:
        if char == "\n":
            self._finish()
            return "pre_key"
        if char == "\\":
            self.trailing = 0
            return "value_escape"
        self.value.append(char)
        self.trailing = self.trailing + 1 if char in " \t\r" else 0
        return "value"

    def _value_escape(self, char: str) -> str:
        if char != "\n":
            self.value.append(char)
        return "value"

    def _single(self, char: str) -> str:
        if char == "'":
            return "pre_value"
        self.value.append(char)
        return "single"

    def _double(self, char: str) -> str:
        if char == '"':
            return "pre_value"
        if char == "\\":
            return "double_escape"
        self.value.append(char)
        return "double"

    def _double_escape(self, char: str) -> str:
        if char in _SHELL_ESCAPED:
            self.value.append(char)
        elif char != "\n":
            self.value.extend(("\\", char))
        return "double"

    def _comment(self, char: str) -> str:
        if char == "\\":
            return "comment_escape"
        return "pre_key" if char == "\n" else "comment"

    def _comment_escape(self, char: str) -> str:
        return "comment"


def read_env_file(path: str | Path) -> dict[str, str]:
    """The settings in ``path`` (see ``parse_env_file``), or a SettingsError saying why not."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file {path} does not exist") from exc
    except PermissionError as exc:
        raise SettingsError(f"settings file {path} is not readable by this user") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"settings file {path} cannot be read: {exc}") from exc
    return parse_env_file(text)
