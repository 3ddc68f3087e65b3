"""SQLModel tables: the plan, the monthly cycle, people, and the records kept about them.

Amounts are 万元 (10,000 yuan) as ``Decimal`` with two decimals. A reporting month is stored
as the first day of that month (``period``). Records that people edit carry ``version``;
services update them with ``WHERE version = :seen`` so a stale save is refused.
Timestamps are timezone-aware (SQLModel 0.0.50 rejects naive datetimes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.domain.periods import SHANGHAI

MONEY = {"max_digits": 16, "decimal_places": 2}


def utcnow() -> datetime:
    return datetime.now(UTC)


def moment_on(today: date) -> datetime:
    """Now, on the day a service was given: a record's time agrees with the day its rules
    judge it on (the same moment in production; the pinned day in tests and the demo)."""
    now = utcnow()
    local = now.astimezone(SHANGHAI)
    if local.date() == today:
        return now
    return datetime.combine(today, local.time(), SHANGHAI).astimezone(UTC)


# --- the plan -------------------------------------------------------------------------


class Area(SQLModel, table=True):
    """所属领域: one of the 4 focus areas."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    sort_order: int = 0


class Measure(SQLModel, table=True):
    """工作举措: one of the 21 work measures, under an area."""

    __table_args__ = (UniqueConstraint("area_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    name: str = Field(max_length=200)
    sort_order: int = 0


class Project(SQLModel, table=True):
    """重大项目. ``baseline_*`` are the first approved dates; ``planned_*`` the current ones."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200, index=True)
    area_id: int = Field(foreign_key="area.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    county: str = Field(max_length=40, index=True)
    lead_unit: str = Field(default="", max_length=100, index=True)
    responsible_units: str = Field(default="", max_length=500)
    contact_person: str = Field(default="", max_length=50)
    contact_phone: str = Field(default="", max_length=50)
    scope: str = Field(default="", max_length=4000)
    nature: str = Field(default="新建", max_length=10)
    total_investment: Decimal = Field(default=Decimal("0"), **MONEY)
    baseline_start: date | None = None
    baseline_finish: date | None = None
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    sort_order: int = 0
    # #11: what real lists carry besides the plan's core
    city_leader: str = Field(default="", max_length=100)  # 市级责任领导
    implementer: str = Field(default="", max_length=200)  # 实施主体 / 项目业主
    remark: str = Field(default="", max_length=2000)  # 备注
    # 开工以来累计 completed before ``opening_year`` began (截至上年底累计完成投资), 万元
    opening_total: Decimal | None = Field(default=None, **MONEY)
    opening_year: int | None = None
    # #18: where the project is (WGS-84 degrees, as the phones' GPS and the map have them)
    latitude: float | None = None
    longitude: float | None = None
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Milestone(SQLModel, table=True):
    """节点. A reschedule keeps ``baseline_date`` and may wait for the office's approval."""

    __table_args__ = (UniqueConstraint("project_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    seq: int
    name: str = Field(max_length=200)
    baseline_date: date
    planned_date: date
    actual_date: date | None = None
    note: str = Field(default="", max_length=2000)
    pending_date: date | None = None  # a reschedule awaiting approval
    pending_reason: str = Field(default="", max_length=2000)
    pending_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class MilestonePlanRecord(SQLModel, table=True):
    """A milestone's planned date as it stood at the close of a reporting month (slip trend)."""

    __table_args__ = (UniqueConstraint("milestone_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True, ondelete="CASCADE")
    period: date
    planned_date: date


class InvestmentPlan(SQLModel, table=True):
    """年度计划投资 of a project for one year, with an optional 12-month split."""

    __table_args__ = (UniqueConstraint("project_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    year: int
    amount: Decimal = Field(default=Decimal("0"), **MONEY)
    monthly: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    version: int = 1


# --- the monthly cycle ------------------------------------------------------------------


class ReportingPeriod(SQLModel, table=True):
    """A month of reporting: opens, is due, closes; its figures freeze at close."""

    id: int | None = Field(default=None, primary_key=True)
    period: date = Field(unique=True)  # first day of the month reported on
    opens_on: date
    due_on: date
    closes_on: date
    status: str = Field(default="scheduled", max_length=20)
    # scheduled | open | closed | reopened (the office reopened a closed month to correct it)
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    # #10: January's first day when January and February report as one period
    first_month: date | None = None
    dates_reason: str = Field(default="", max_length=500)  # why the office moved the dates
    reopen_reason: str = Field(default="", max_length=500)  # why the office reopened it
    revision: int = 1  # the bulletin revision the next close freezes (修订版 from 2)
    version: int = 1


class MonthlyReport(SQLModel, table=True):
    """月度调度表: one per project per month."""

    __table_args__ = (UniqueConstraint("project_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    period: date = Field(index=True)
    completed_month: Decimal = Field(default=Decimal("0"), **MONEY)  # 本月完成投资
    completed_ytd: Decimal = Field(default=Decimal("0"), **MONEY)  # 年度累计完成投资
    completed_total: Decimal = Field(default=Decimal("0"), **MONEY)  # 开工以来累计完成投资
    progress_pct: float = 0.0  # 形象进度 %
    progress_text: str = Field(default="", max_length=4000)
    milestone_status: str = Field(default="", max_length=4000)
    problems: str = Field(default="", max_length=4000)
    next_steps: str = Field(default="", max_length=4000)
    coordination: str = Field(default="", max_length=4000)  # 需协调解决事项
    status: str = Field(default="draft", max_length=20)  # draft | submitted | returned
    return_comment: str = Field(default="", max_length=2000)
    reporter: str = Field(default="", max_length=50)  # 填报人
    reporter_id: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = None  # 填报时间
    late: bool = False
    # #10: the figures as submitted, kept when the office returns the report, so the project
    # is judged on them until it is resubmitted (completed_month/ytd/total, progress_pct)
    accepted: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class ProblemItem(SQLModel, table=True):
    """问题台账: a problem or coordination item, followed until it is closed out (销号)."""

    __table_args__ = (UniqueConstraint("duban_year", "duban_no", name="uq_problemitem_duban_no"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    report_id: int | None = Field(default=None, foreign_key="monthlyreport.id")
    kind: str = Field(default="problem", max_length=20)  # problem | coordination
    text: str = Field(max_length=4000)
    owner: str = Field(default="", max_length=100)
    due_date: date | None = None
    level: str = Field(default="office", max_length=20)  # 督办 level: office | city | mayor
    status: str = Field(default="open", max_length=20)  # open | closed
    raised_on: date
    period: date | None = Field(default=None, index=True)  # the report month that raised it
    closed_on: date | None = None
    close_note: str = Field(default="", max_length=2000)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)
    # #14 督办: the cause (domain.duban.CAUSES), the day the office last set the level by hand
    # (escalation by age counts from it), and the 督办单's 文号 once issued (per year)
    cause: str = Field(default="other", max_length=20)
    level_by_hand_on: date | None = None
    duban_year: int | None = None
    duban_no: int | None = None
    duban_issued_on: date | None = None
    duban_number: str = Field(default="", max_length=60)  # 文号 as issued (the prefix then)


class PeriodSnapshot(SQLModel, table=True):
    """Figures of a month frozen when its period closes, so a bulletin reads the same later."""

    id: int | None = Field(default=None, primary_key=True)
    period: date = Field(unique=True)
    as_of: date
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    revision: int = 1  # 1: the first 定稿; 2, 3 …: 修订版 after the office reopened the month


class SupersededSnapshot(SQLModel, table=True):
    """A bulletin revision replaced by a 修订版: kept as it was, so it still downloads."""

    __table_args__ = (UniqueConstraint("period", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    period: date = Field(index=True)
    revision: int
    as_of: date
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime
    superseded_at: datetime = Field(default_factory=utcnow)


# --- people and records -----------------------------------------------------------------


class User(SQLModel, table=True):
    """A login. ``role``: admin | county | unit | viewer; scope by ``county`` or ``lead_unit``."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(default="", max_length=100)
    password_hash: str = Field(max_length=300)
    role: str = Field(max_length=20)
    county: str | None = Field(default=None, max_length=40)
    lead_unit: str | None = Field(default=None, max_length=100)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    language: str = Field(default="zh", max_length=5)
    active: bool = True
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)


class AuditLog(SQLModel, table=True):
    """Append-only: who changed what, when, from what to what."""

    __table_args__ = (Index("ix_auditlog_entity", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    actor_name: str = Field(default="", max_length=100)
    action: str = Field(max_length=50)
    entity: str = Field(max_length=50)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class AppSetting(SQLModel, table=True):
    """Policy the office edits in the app (traffic-light thresholds), over the env defaults."""

    key: str = Field(primary_key=True, max_length=100)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class JobRun(SQLModel, table=True):
    """One run of a scheduled job for one period; the unique key makes a job run once."""

    __table_args__ = (UniqueConstraint("job", "period_key"),)
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=50)
    period_key: str = Field(max_length=40)
    status: str = Field(default="running", max_length=20)  # running | done | failed
    attempts: int = 1
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    detail: str = Field(default="", max_length=4000)


class Notification(SQLModel, table=True):
    """Outbox: written in the job's transaction, delivered afterwards with retries."""

    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        Index("ix_notification_delivery", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    channel: str = Field(max_length=20)  # inapp | email | webhook
    reason: str = Field(max_length=50)
    dedupe_key: str = Field(max_length=200)  # channel:user:reason:day
    recipient: str = Field(default="", max_length=200)  # e-mail address; "group" for a webhook
    subject: str = Field(default="", max_length=300)
    body: str = Field(default="", max_length=20000)
    attachment: str = Field(default="", max_length=100)  # e.g. "bulletin:2026-10", built on send
    status: str = Field(default="pending", max_length=20)  # pending | sent | failed
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    read_at: datetime | None = None
    # subject and body as catalogue messages ({"subject": …, "body": …}, Message.to_dict), so
    # the bell shows them in the reader's language; None: the texts above as written
    message: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class MilestoneAlert(SQLModel, table=True):
    """The milestone watch told people about this milestone's planned date (once each kind)."""

    __table_args__ = (UniqueConstraint("milestone_id", "kind", "planned_date"),)
    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="milestone.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)  # due_soon | overdue
    planned_date: date
    alerted_on: date


class LoginAttempt(SQLModel, table=True):
    """One try at the login form, kept so the lockout holds across gunicorn workers."""

    __table_args__ = (
        Index("ix_loginattempt_username_at", "username", "at"),
        Index("ix_loginattempt_ip_at", "ip", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    username: str = Field(max_length=50)
    ip: str = Field(default="", max_length=64)
    success: bool = False


class ImportJob(SQLModel, table=True):
    """A project list uploaded in the browser: read (dry run) in the background, then applied.

    The uploaded bytes stay here until the list is applied or dropped, so any worker can
    pick the job up; ``progress`` and ``stage`` let the page show how far reading got.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    filename: str = Field(max_length=200)
    size: int = 0
    status: str = Field(default="reading", max_length=20)
    # reading | ready | applying | applied | failed | cancelled
    stage: str = Field(default="", max_length=200)
    progress: float = 0.0  # 0..1 when the reader reports it
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    error: str = Field(default="", max_length=4000)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # #11: how the office mapped the columns (header -> field name or "ignore") and the
    # year it gave for 本年度, as the job was read and applied
    mapping: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    year: int | None = None


class HeaderMapping(SQLModel, table=True):
    """A column heading the office mapped once (to a field, or to "ignore"): the next list
    with the same heading maps itself."""

    id: int | None = Field(default=None, primary_key=True)
    header: str = Field(max_length=200, unique=True)  # as written, width and spaces folded
    field: str = Field(max_length=40)  # a Field name (COUNTY, ANNUAL_PLAN, …) or "ignore"
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class UserSession(SQLModel, table=True):
    """A signed-in browser (#12). The cookie carries a random token; this row keeps only its
    SHA-256, so reading the table opens no session. Logout, a password reset, disabling the
    account, a scope change and the office's "sign out everywhere" end it at once; the idle
    timeout and the absolute lifetime are checked on every request."""

    __table_args__ = (Index("ix_usersession_user_ended", "user_id", "ended_at"),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    user_version: int = 1  # the account's version at login: any later account change ends it
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)
    ended_at: datetime | None = None
    end_reason: str = Field(default="", max_length=30)  # logout | password | disabled | …


class BulletinSectionEdit(SQLModel, table=True):
    """A section of a month's bulletin (一、总体情况 …) as the office rewrote it before 定稿
    (#14): kept when the figures change (the other sections redraft); frozen into the
    snapshot at 定稿, editable again only after the month is reopened (修订版)."""

    __table_args__ = (UniqueConstraint("period", "section"),)
    id: int | None = Field(default=None, primary_key=True)
    period: date = Field(index=True)
    section: str = Field(max_length=30)  # overall | progress | problems | next_steps
    text: str = Field(max_length=20000)
    edited_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class DataVersion(SQLModel, table=True):
    """One row: the version of the data every committed write bumps (``tracker.data_version``),
    so each worker knows whether what it cached is still current."""

    id: int = Field(default=1, primary_key=True)
    epoch: str = Field(max_length=32)  # new when the row is created or a backup restored
    version: int = Field(default=1, sa_type=BigInteger)


class DataChange(SQLModel, table=True):
    """What the write that made one data version changed (``tracker.data_version``): per
    table, the projects its rows belong to, or null for "any" (a write not traced to
    projects). A worker holding statuses of an older version recomputes only those
    projects. Rows older than the last few thousand versions are pruned."""

    epoch: str = Field(max_length=32, primary_key=True)
    version: int = Field(sa_type=BigInteger, primary_key=True)
    changes: str  # JSON: {"milestone": [12, 40], "auditlog": null, ...}


# --- the zone's indicators (#16) ------------------------------------------------------------


class IndicatorSystem(SQLModel, table=True):
    """指标体系: 创新能力监测, SDGs 进展, 可持续发展规划, and any the office adds."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)  # innovation | sdg | plan | …
    name: str = Field(max_length=100, unique=True)
    sort_order: int = 0
    version: int = 1


class Indicator(SQLModel, table=True):
    """An indicator of a system. ``lead_unit`` is its 责任单位 (the unit account that reports
    it, scoped like a project's lead unit); ``direction``: higher | lower | band (then
    ``band_low``..``band_high`` is the target band); ``frequency``: annual | quarterly |
    monthly. Targets per year (2025, 2030 and any year) are ``IndicatorTarget`` rows."""

    __table_args__ = (UniqueConstraint("system_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    system_id: int = Field(foreign_key="indicatorsystem.id", index=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    unit: str = Field(default="", max_length=40)  # 计量单位: %, 亿元, 家, 件 …
    definition: str = Field(default="", max_length=2000)
    direction: str = Field(default="higher", max_length=10)
    band_low: float | None = None
    band_high: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    lead_unit: str = Field(default="", max_length=100, index=True)
    data_source: str = Field(default="", max_length=200)
    frequency: str = Field(default="annual", max_length=10)
    sort_order: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class IndicatorTarget(SQLModel, table=True):
    """An indicator's target value for one year (2025, 2030, or a per-year target)."""

    __table_args__ = (UniqueConstraint("indicator_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    year: int
    value: float


class IndicatorGoal(SQLModel, table=True):
    """An SDG goal (1–17) an indicator serves, with the SDG target (e.g. "9.5") if known."""

    __table_args__ = (UniqueConstraint("indicator_id", "goal"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    goal: int = Field(index=True)
    sdg_target: str = Field(default="", max_length=20)


class IndicatorLink(SQLModel, table=True):
    """A work measure or a project that moves an indicator (one of the two is set)."""

    __table_args__ = (UniqueConstraint("indicator_id", "measure_id", "project_id"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    measure_id: int | None = Field(
        default=None, foreign_key="measure.id", index=True, ondelete="CASCADE"
    )
    project_id: int | None = Field(
        default=None, foreign_key="project.id", index=True, ondelete="CASCADE"
    )


class IndicatorValue(SQLModel, table=True):
    """An indicator's value for one period (``period``: the first day of the year, quarter
    or month). ``status``: draft | submitted | returned | accepted. The light is judged on
    ``accepted_value`` (the value as the office last accepted it), so a revision waiting for
    review does not move it."""

    __table_args__ = (UniqueConstraint("indicator_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True, ondelete="CASCADE")
    period: date = Field(index=True)
    value: float | None = None
    source: str = Field(default="", max_length=200)  # 数据来源 of this value
    note: str = Field(default="", max_length=2000)
    province_rank: int | None = None  # 全省排名, where the office records it
    status: str = Field(default="draft", max_length=20)
    return_reason: str = Field(default="", max_length=2000)
    revision_reason: str = Field(default="", max_length=2000)  # why it was last revised
    revisions: int = 0  # times revised after it was first accepted
    accepted_value: float | None = None
    accepted_at: datetime | None = None
    entered_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    submitted_at: datetime | None = None
    reviewed_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reviewed_at: datetime | None = None
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class IndicatorAttachment(SQLModel, table=True):
    """Evidence for a value (a scan, a statistics table). The newest is the value's current
    one; older ones stay as the value's history."""

    id: int | None = Field(default=None, primary_key=True)
    value_id: int = Field(foreign_key="indicatorvalue.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=200)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    size: int = 0
    sha256: str = Field(default="", max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    uploaded_at: datetime = Field(default_factory=utcnow)


# --- #17: 前期手续 (approval steps), their links, calendar feeds ------------------------------


class ApprovalStepType(SQLModel, table=True):
    """A standard approval step of the catalogue (可研批复, 用地批复, 施工许可 …): the unit that
    approves it (审批部门) and the time limit it committed to, in working days."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)  # stable key: "feasibility", "land" …
    name: str = Field(max_length=100)
    approving_unit: str = Field(max_length=100)  # 审批部门
    time_limit_days: int = 20  # 承诺时限, working days
    sort_order: int = 0
    version: int = 1


class ApprovalTemplate(SQLModel, table=True):
    """A chain of steps for a kind of project (by 建设性质 and, optionally, 所属领域): which
    steps apply in which order and how they link (``links``: [{"from": code, "to": code,
    "kind": "FS"|"SS", "lag": working days}], a code being a step type's code or
    "milestone:<name>" for a milestone of the project such as 开工建设)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    nature: str = Field(default="", max_length=10)  # 新建 | 续建 | "" (any)
    area_id: int | None = Field(default=None, foreign_key="area.id", ondelete="SET NULL")
    steps: list[str] = Field(sa_column=Column(JSON, nullable=False))  # step type codes
    links: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    sort_order: int = 0
    version: int = 1


class ProjectStep(SQLModel, table=True):
    """One approval step of one project: planned and actual dates, 批复文号, the approving
    unit's contact. Its status (未启动/办理中/已办结/超时) follows from the dates and the day
    (``tracker.domain.approvals.step_status``), so it is never stale."""

    __table_args__ = (UniqueConstraint("project_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    step_type_id: int | None = Field(
        default=None, foreign_key="approvalsteptype.id", index=True, ondelete="SET NULL"
    )
    seq: int
    name: str = Field(max_length=100)
    approving_unit: str = Field(default="", max_length=100, index=True)
    time_limit_days: int = 20  # working days the approving unit committed to
    planned_start: date | None = None
    planned_finish: date | None = None
    actual_start: date | None = None  # 受理 (submitted and accepted)
    actual_finish: date | None = None  # 办结 (approved)
    document_number: str = Field(default="", max_length=100)  # 批复文号
    contact_person: str = Field(default="", max_length=50)  # the approving unit's contact
    contact_phone: str = Field(default="", max_length=50)
    note: str = Field(default="", max_length=2000)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class StepLink(SQLModel, table=True):
    """A dependency between two nodes of one project's chain: each end is a step or a
    milestone (exactly one of its two ids set). FS: the successor starts after the
    predecessor finishes; SS: after it starts; ``lag_days`` working days later."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    from_step_id: int | None = Field(default=None, foreign_key="projectstep.id", ondelete="CASCADE")
    from_milestone_id: int | None = Field(
        default=None, foreign_key="milestone.id", ondelete="CASCADE"
    )
    to_step_id: int | None = Field(default=None, foreign_key="projectstep.id", ondelete="CASCADE")
    to_milestone_id: int | None = Field(
        default=None, foreign_key="milestone.id", ondelete="CASCADE"
    )
    kind: str = Field(default="FS", max_length=2)  # FS | SS
    lag_days: int = 0  # working days, may be negative (a lead)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)


class CalendarToken(SQLModel, table=True):
    """A user's private iCalendar feed URL: only the SHA-256 of its token is kept (like
    ``UserSession``); a reset replaces it, and the old URL stops working."""

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


# --- #18: site photos -----------------------------------------------------------------------


class Photo(SQLModel, table=True):
    """现场照片: evidence for a project's month, attached to a milestone or a monthly report.

    The files are content-addressed (``tracker.media.store``): ``full_sha`` the photo
    re-encoded without its EXIF, ``thumb_sha`` its thumbnail. ``taken_at``/``lat``/``lon``
    were read from the EXIF before it was dropped; ``flags`` are the checks it failed
    (``tracker.domain.photos``), empty when it passed them all."""

    __table_args__ = (Index("ix_photo_project_period", "project_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    milestone_id: int | None = Field(
        default=None, foreign_key="milestone.id", ondelete="SET NULL", index=True
    )
    report_id: int | None = Field(
        default=None, foreign_key="monthlyreport.id", ondelete="SET NULL", index=True
    )
    period: date  # the reporting month it is evidence for
    full_sha: str = Field(max_length=64, index=True)
    thumb_sha: str = Field(max_length=64, index=True)
    width: int
    height: int
    source_format: str = Field(max_length=10)
    original_name: str = Field(default="", max_length=200)
    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    flags: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploader_name: str = Field(default="", max_length=100)
    uploaded_at: datetime = Field(default_factory=utcnow)
