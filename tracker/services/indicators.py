"""The zone's indicators (#16): the catalogue, values under review, judgement and views.

Reading: ``catalogue`` (the indicators page: filters by system, unit, SDG goal and light),
``indicator_detail`` (one indicator: trend against target, values, linked measures and
projects), ``sdg_tiles`` (the 17 goals), ``overview_summary``, ``pending_values`` (the
office's review list), ``value_history`` (versions from the audit log), ``due_values`` (what
each unit owes by ``as_of``: the scheduler asks for it), ``entry_rows`` (a unit's grid and
Excel form), ``catalogue_specs``/``value_specs`` (the export).

Writing: a responsible unit enters values (``save_value``, ``save_values`` for a grid or a
form, all or nothing) with source, note and an optional attachment and submits them; the
office accepts or returns them with a reason (``accept_value``, ``return_value``); an
accepted value is revised with a reason (``revise_value``). ``apply_catalogue`` writes the
catalogue (and values) read from a file, all or nothing. Every write is versioned (a stale
save is refused with ``ConflictError``) and audited.

The catalogue reads in bulk (one query per table, never one per indicator), so the page stays
fast at 5,000 indicators; judged rows are kept per data version.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from sqlalchemy import String, delete, func, insert, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.config import Settings
from tracker.domain.indicators import (
    DEFAULT_THRESHOLDS,
    SDG_GOALS,
    TEXT_RULES,
    Direction,
    Frequency,
    IndicatorFacts,
    IndicatorThresholds,
    Observation,
    ValueStatus,
    due_on,
    due_period,
    goal_light,
    judge,
    period_end,
    period_key,
    periods_between,
    read_direction,
    read_frequency,
    read_goal,
    read_period,
    read_rank,
    read_value,
    read_year,
    trend,
)
from tracker.domain.inputs import TextRule, ValueRefused, check_text, parse_id, shown
from tracker.domain.messages import msg
from tracker.domain.rules import Light, Reason
from tracker.models import (
    AppSetting,
    Area,
    AuditLog,
    Indicator,
    IndicatorAttachment,
    IndicatorGoal,
    IndicatorLink,
    IndicatorSystem,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    User,
    moment_on,
    utcnow,
)
from tracker.services import audit, notify
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import (
    SCOPE_FIELDS,
    can,
    is_scoped,
    may_somewhere,
    require,
)

AUDIT_ENTITY = "indicatorvalue"  # AuditLog.entity of value writes
CATALOGUE_ENTITY = "indicator"  # AuditLog.entity of catalogue writes
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".xls", ".docx", ".doc", ".ofd")


# --- what the readings return --------------------------------------------------------------


@dataclass(frozen=True)
class SystemRow:
    """An indicator system and how many indicators it holds."""

    id: int
    code: str  # innovation | sdg | plan | …
    name: str  # 创新能力监测 …
    count: int
    sort_order: int = 0


@dataclass(frozen=True)
class CatalogueFilter:
    """The indicators page's filters (None/empty: all)."""

    system: str | None = None  # a system's code
    lead_unit: str | None = None
    goal: int | str | None = None  # SDG goal 1–17 (digits from an address are read)
    light: str | None = None  # green | amber | red
    missing: bool = False  # only indicators with missing values
    text: str = ""  # in the code or the name
    mine: bool = False  # only the actor's own (a unit's indicators)


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as the catalogue lists it, judged on ``as_of``."""

    id: int
    system_id: int
    system_code: str
    system_name: str
    code: str
    name: str
    unit: str  # 计量单位
    direction: str  # higher | lower | band
    frequency: str  # annual | quarterly | monthly
    lead_unit: str  # 责任单位
    goals: tuple[int, ...]
    baseline_year: int | None
    baseline_value: float | None
    target_2025: float | None
    target_2030: float | None
    latest_period: date | None  # of the latest accepted value
    latest_value: float | None
    expected: float | None  # where the latest value should stand (year target / line)
    gap_pp: float | None  # + ahead, − behind (points of the way to the target)
    light: Light
    reasons: tuple[Reason, ...]
    missing: tuple[date, ...]  # due periods with no accepted value
    province_rank: int | None
    pending: int  # values waiting for the office's review
    version: int
    sort_order: int = 0


@dataclass(frozen=True)
class Catalogue:
    rows: list[IndicatorRow]  # after the filters, in system then catalogue order
    total: int  # before the filters
    counts: dict[str, int]  # light -> indicators (after the filters)
    systems: list[SystemRow]
    units: list[str]  # responsible units, for the filter
    goals: list[int]  # SDG goals that have indicators


@dataclass(frozen=True)
class ValueRow:
    id: int
    indicator_id: int
    period: date
    period_key: str  # 2024 | 2024Q3 | 2024-07
    value: float | None
    accepted_value: float | None
    source: str
    note: str
    province_rank: int | None
    status: str  # draft | submitted | returned | accepted
    return_reason: str
    revision_reason: str
    revisions: int
    entered_by: str  # display name
    submitted_at: datetime | None
    reviewed_at: datetime | None
    attachment: str  # the current attachment's file name ("" none)
    version: int
    due_on: date | None = None


@dataclass(frozen=True)
class TargetRow:
    year: int
    value: float


@dataclass(frozen=True)
class GoalRef:
    goal: int
    sdg_target: str  # e.g. "9.5" ("" unknown)


@dataclass(frozen=True)
class TrendRow:
    """One year of the trend figure."""

    year: int
    actual: float | None
    expected: float | None
    target: float | None


@dataclass(frozen=True)
class LinkedMeasure:
    id: int
    name: str
    area: str


@dataclass(frozen=True)
class LinkedProject:
    id: int
    code: str
    name: str
    county: str
    lead_unit: str


@dataclass(frozen=True)
class IndicatorDetail:
    row: IndicatorRow
    definition: str
    data_source: str
    band_low: float | None
    band_high: float | None
    targets: list[TargetRow]
    goal_refs: list[GoalRef]
    values: list[ValueRow]  # newest period first
    trend: list[TrendRow]
    measures: list[LinkedMeasure]
    projects: list[LinkedProject]
    can_enter: bool  # the actor may enter and submit values of this indicator
    can_review: bool  # the actor may accept and return values
    can_manage: bool  # the actor may edit the catalogue entry
    next_period: date | None  # the period a new value would most likely be for


@dataclass(frozen=True)
class GoalTile:
    """An SDG goal's tile: coloured by its indicators (None: no indicator serves it)."""

    goal: int
    light: Light | None
    total: int
    green: int
    amber: int
    red: int
    missing: int  # indicators with missing values
    indicator_ids: tuple[int, ...]


@dataclass(frozen=True)
class SystemSummary:
    code: str
    name: str
    total: int
    green: int
    amber: int
    red: int
    missing: int


@dataclass(frozen=True)
class IndicatorsSummary:
    """The overview's indicators block."""

    total: int
    green: int
    amber: int
    red: int
    missing: int  # indicators with missing values
    pending_review: int  # values waiting for the office
    systems: list[SystemSummary]
    worst: list[IndicatorRow]  # a few red indicators furthest behind


@dataclass(frozen=True)
class ValueVersion:
    """One entry of a value's history (from the audit log)."""

    at: datetime
    actor: str
    action: str  # save | submit | accept | return | revise | import
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class DueValue:
    """A value a unit owes by ``as_of`` (the scheduler's request, reminders, escalation)."""

    indicator_id: int
    system_code: str
    code: str
    name: str
    lead_unit: str
    frequency: str
    period: date
    due_on: date
    status: str | None  # None: nothing entered; draft | returned: entered, not submitted


@dataclass(frozen=True)
class EntryRow:
    """A line of a unit's entry grid / Excel form: an indicator and the period asked for,
    with what is already stored for it."""

    indicator_id: int
    system_name: str
    code: str
    name: str
    unit: str
    frequency: str
    period: date
    period_key: str
    value: float | None
    source: str
    note: str
    province_rank: int | None
    status: str | None
    value_id: int | None
    version: int | None  # the value's version (None: new)


@dataclass(frozen=True)
class AttachmentIn:
    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ValueResult:
    value_id: int
    indicator_id: int
    period: date
    status: str
    version: int


@dataclass(frozen=True)
class ValueEntry:
    """A value as a grid or a form gives it (``save_values``)."""

    indicator_id: int
    period: date
    value: Any  # text or number as typed: read by the input rules
    source: str = ""
    note: str = ""
    province_rank: Any = None
    seen_version: int | None = None  # the stored value's version (None: new)
    where: str = ""  # sheet/row for the refusal message ("" from the grid)


# --- the catalogue as files read and write it -------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator as a file carries it (export and import)."""

    system: str  # the system's name (创新能力监测 …)
    code: str
    name: str
    unit: str = ""
    definition: str = ""
    direction: str = "higher"
    band_low: float | None = None
    band_high: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    targets: Mapping[int, float] = field(default_factory=dict)  # year -> value (2025, 2030 …)
    lead_unit: str = ""
    data_source: str = ""
    frequency: str = "annual"
    goals: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()  # "9.5" … (for the goals they name)
    measures: tuple[str, ...] = ()  # work measures' names
    projects: tuple[str, ...] = ()  # projects' codes
    sort_order: int = 0


@dataclass(frozen=True)
class ValueSpec:
    """A value as a file carries it."""

    system: str
    code: str
    period: date
    value: float | None
    source: str = ""
    note: str = ""
    province_rank: int | None = None
    status: str = "accepted"


@dataclass(frozen=True)
class ApplyResult:
    systems_created: int
    created: int
    updated: int
    unchanged: int
    values_written: int
    dry_run: bool


# --- reading -------------------------------------------------------------------------------

THRESHOLDS_KEY = "indicator_thresholds"  # AppSetting: the office's edges (JSON object)
CACHED_ROWS = 40_000  # judged rows kept per worker (a few as-of days of 5,000 indicators)
DUE_WINDOW_DAYS = 366  # missing periods older than this are shown, not asked for again
WORST_SHOWN = 8


def thresholds(session: Session) -> IndicatorThresholds:
    """The office's indicator light policy (the defaults until the office sets its own)."""
    stored = session.get(AppSetting, THRESHOLDS_KEY)
    if stored is None or not isinstance(stored.value, dict):
        return DEFAULT_THRESHOLDS
    known = {f.name for f in fields(IndicatorThresholds)}
    try:
        return IndicatorThresholds(**{k: v for k, v in stored.value.items() if k in known})
    except (TypeError, ValueError):
        return DEFAULT_THRESHOLDS


def thresholds_version(session: Session) -> int:
    """The version of the office's indicator policy (0 while never saved)."""
    stored = session.get(AppSetting, THRESHOLDS_KEY)
    return 0 if stored is None else stored.version


def set_thresholds(
    session: Session, *, actor: Actor, values: Mapping[str, Any], seen_version: Any
) -> IndicatorThresholds:
    """The office sets the indicator rules' edges and due days (``IndicatorThresholds``
    fields; those not given keep their value); refused when changed since ``seen_version``
    or when an amber edge is not above 0 and at most its red one."""
    require(actor, "settings.edit")
    current = thresholds(session)
    if parse_id(seen_version) != thresholds_version(session):
        raise ConflictError("indicator.thresholds_stale")
    known = {f.name: f.type for f in fields(IndicatorThresholds)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidInput("indicator.err.thresholds", detail=", ".join(unknown))
    merged = {f: getattr(current, f) for f in known}
    try:
        merged.update({k: _threshold_number(v) for k, v in values.items()})
        chosen = IndicatorThresholds(**merged)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("indicator.err.thresholds", detail=str(exc)) from None
    stored = session.get(AppSetting, THRESHOLDS_KEY)
    if stored is None:
        session.add(AppSetting(key=THRESHOLDS_KEY, value=merged))
    else:
        stored.value = merged
        stored.version += 1
        stored.updated_at = utcnow()
        session.add(stored)
    audit.record(
        session,
        actor,
        "update",
        "setting",
        None,
        {THRESHOLDS_KEY: audit.jsonable(current.__dict__)},
        {THRESHOLDS_KEY: merged},
    )
    session.flush()
    return chosen


def _threshold_number(value: Any) -> float:
    number = read_value(value)
    if number is None:
        raise ValueError("blank")
    return int(number) if float(number).is_integer() else number


def list_systems(session: Session, *, actor: Actor) -> list[SystemRow]:
    """The indicator systems in their order, with their indicator counts."""
    require(actor, "indicator.view")
    counts = dict(
        session.exec(
            select(Indicator.system_id, func.count()).group_by(col(Indicator.system_id))
        ).all()
    )
    return [
        SystemRow(s.id or 0, s.code, s.name, int(counts.get(s.id, 0)), s.sort_order)
        for s in session.exec(
            select(IndicatorSystem).order_by(
                col(IndicatorSystem.sort_order), col(IndicatorSystem.id)
            )
        )
    ]


def _by_indicator(rows: Sequence[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:])
    return out


def _where_ids(statement: Any, column: Any, ids: Sequence[int] | None) -> Any:
    return statement if ids is None else statement.where(column.in_(list(ids)))


@dataclass(frozen=True)
class _Bulk:
    """Everything the judgement of many indicators needs, one query per table."""

    indicators: list[Any]
    systems: dict[int, IndicatorSystem]
    targets: dict[int, list[Any]]
    goals: dict[int, list[Any]]
    accepted: dict[int, list[Any]]
    pending: dict[int, int]


JUDGED_COLUMNS = (
    "id",
    "system_id",
    "code",
    "name",
    "unit",
    "direction",
    "frequency",
    "lead_unit",
    "baseline_year",
    "baseline_value",
    "band_low",
    "band_high",
    "version",
    "sort_order",
)


def _rows_of(session: Session, statement: Any) -> Sequence[Any]:
    """A column select run on the session's connection (Core rows: no ORM result layer)."""
    return session.connection().execute(statement).all()


def _bulk(session: Session, ids: Sequence[int] | None) -> _Bulk:
    # plain rows, not ORM objects: a third of the cost at 5,000 indicators
    columns = [getattr(Indicator, name) for name in JUDGED_COLUMNS]
    indicators = _rows_of(
        session,
        _where_ids(select(*columns), col(Indicator.id), ids).order_by(
            col(Indicator.system_id), col(Indicator.sort_order), col(Indicator.id)
        ),
    )
    systems = {s.id or 0: s for s in session.exec(select(IndicatorSystem))}
    targets = _rows_of(
        session,
        _where_ids(
            select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value),
            col(IndicatorTarget.indicator_id),
            ids,
        ),
    )
    goals = _rows_of(
        session,
        _where_ids(
            select(IndicatorGoal.indicator_id, IndicatorGoal.goal).order_by(
                col(IndicatorGoal.goal)
            ),
            col(IndicatorGoal.indicator_id),
            ids,
        ),
    )
    accepted = _rows_of(
        session,
        _where_ids(
            select(
                IndicatorValue.indicator_id,
                # the stored text on SQLite, read below with date.fromisoformat: SQLAlchemy's
                # own date parsing was most of this query's time (28,000 values: 70 ms)
                type_coerce(IndicatorValue.period, String),
                IndicatorValue.accepted_value,
                IndicatorValue.province_rank,
            ).where(col(IndicatorValue.accepted_value).is_not(None)),
            col(IndicatorValue.indicator_id),
            ids,
        ),
    )
    pending = _rows_of(
        session,
        _where_ids(
            select(IndicatorValue.indicator_id, func.count())
            .where(IndicatorValue.status == ValueStatus.SUBMITTED.value)
            .group_by(col(IndicatorValue.indicator_id)),
            col(IndicatorValue.indicator_id),
            ids,
        ),
    )
    return _Bulk(
        list(indicators),
        systems,
        _by_indicator(targets),
        _by_indicator(goals),
        _by_indicator([(i, _day(p), v, r) for i, p, v, r in accepted]),
        {int(i): int(n) for i, n in pending},
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def facts_of(indicator: Any, targets: Sequence[Any], accepted: Sequence[Any]) -> IndicatorFacts:
    """The judgement's facts of one indicator from its rows (targets: (year, value);
    accepted: (period, accepted value, province rank))."""
    observations = [Observation(period, float(value)) for period, value, _rank in accepted]
    latest = max(accepted, key=lambda a: a[0], default=None)
    return IndicatorFacts(
        direction=Direction(indicator.direction),
        frequency=Frequency(indicator.frequency),
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets={int(year): float(value) for year, value in targets},
        band_low=indicator.band_low,
        band_high=indicator.band_high,
        observations=observations,
        province_rank=latest[2] if latest is not None else None,
    )


def _row(
    indicator: Any,
    system: IndicatorSystem | None,
    bulk: _Bulk,
    as_of: date,
    policy: IndicatorThresholds,
) -> IndicatorRow:
    key = indicator.id or 0
    targets = bulk.targets.get(key, [])
    facts = facts_of(indicator, targets, bulk.accepted.get(key, []))
    judged = judge(facts, as_of, policy)
    prog = judged.progress
    return IndicatorRow(
        id=key,
        system_id=indicator.system_id,
        system_code=system.code if system else "",
        system_name=system.name if system else "",
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        direction=indicator.direction,
        frequency=indicator.frequency,
        lead_unit=indicator.lead_unit,
        goals=tuple(int(g[0]) for g in bulk.goals.get(key, [])),
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        target_2025=facts.targets.get(2025),
        target_2030=facts.targets.get(2030),
        latest_period=judged.latest.period if judged.latest else None,
        latest_value=judged.latest.value if judged.latest else None,
        expected=prog.expected if prog else None,
        gap_pp=prog.gap_pp if prog else None,
        light=judged.light,
        reasons=judged.reasons,
        missing=judged.missing,
        province_rank=judged.province_rank,
        pending=bulk.pending.get(key, 0),
        version=indicator.version,
        sort_order=indicator.sort_order,
    )


def _judged_rows(
    session: Session, as_of: date, policy: IndicatorThresholds, ids: Sequence[int] | None = None
) -> list[IndicatorRow]:
    bulk = _bulk(session, ids)
    rows = [
        _row(ind, bulk.systems.get(ind.system_id), bulk, as_of, policy) for ind in bulk.indicators
    ]
    order = {sid: (s.sort_order, sid) for sid, s in bulk.systems.items()}
    rows.sort(key=lambda r: (order.get(r.system_id, (0, 0)), r.sort_order, r.id))
    return rows


# the tables the judged rows are read from (a write to any other table leaves them as they
# were: a project's save does not make the indicators page compute them again)
JUDGED_FROM = frozenset(
    {"indicatorsystem", "indicator", "indicatortarget", "indicatorgoal", "indicatorvalue"}
    | {"appsetting", "*"}
)


def _carried(
    session: Session, cache: data_version.Reading, key: tuple[Any, ...]
) -> tuple[IndicatorRow, ...] | None:
    """The rows this worker judged under an older data version, when no write since touched
    the tables they come from (None: unknown, or they changed)."""
    prior = cache.cache.latest(key)
    if prior is None:
        return None
    since, rows = prior
    changed = data_version.changes_between(session.connection(), since, cache.version)
    if changed is None or not JUDGED_FROM.isdisjoint(changed):
        return None
    return rows


def all_rows(session: Session, *, as_of: date) -> tuple[IndicatorRow, ...]:
    """Every indicator judged on ``as_of``, kept per data version (a page load after no write
    to the indicator tables is served from the worker's cache). No permission check: callers
    check theirs."""
    cache = data_version.reading(session, "indicator_rows", CACHED_ROWS)  # before the data
    policy = thresholds(session)
    key = (as_of, policy)
    if cache is None:
        return tuple(_judged_rows(session, as_of, policy))
    held = cache.get(key)
    if held is None:
        held = _carried(session, cache, key) or tuple(_judged_rows(session, as_of, policy))
        cache.put(key, held, max(1, len(held)))
    return held


def _matches(row: IndicatorRow, f: CatalogueFilter, actor: Actor) -> bool:
    checks = (
        not f.system or row.system_code == f.system,
        not f.lead_unit or row.lead_unit == f.lead_unit,
        f.goal is None or f.goal in row.goals,
        not f.light or row.light.value == f.light,
        not f.missing or bool(row.missing),
        not f.mine or row.lead_unit == (actor.lead_unit or "\0"),
        not f.text or f.text.lower() in f"{row.code} {row.name}".lower(),
    )
    return all(checks)


def catalogue(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    filters: CatalogueFilter | None = None,
) -> Catalogue:
    """The indicators judged on ``as_of``, filtered (bulk reads; kept per data version)."""
    require(actor, "indicator.view")
    rows = all_rows(session, as_of=as_of)
    chosen = filters or CatalogueFilter()
    if chosen.goal is not None and not isinstance(chosen.goal, int):  # from an address
        chosen = replace(chosen, goal=parse_id(chosen.goal) or -1)
    shown_rows = [row for row in rows if _matches(row, chosen, actor)]
    counts = {light.value: 0 for light in Light}
    for row in shown_rows:
        counts[row.light.value] += 1
    return Catalogue(
        rows=shown_rows,
        total=len(rows),
        counts=counts,
        systems=list_systems(session, actor=actor),
        units=sorted({row.lead_unit for row in rows if row.lead_unit}),
        goals=sorted({goal for row in rows for goal in row.goals}),
    )


def _indicator(session: Session, indicator_id: Any) -> Indicator:
    key = parse_id(indicator_id)
    found = session.get(Indicator, key) if key is not None else None
    if found is None:
        raise NotFound("indicator.missing")
    return found


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = session.exec(
        select(User.id, User.display_name, User.username).where(col(User.id).in_(wanted))
    ).all()
    return {int(i): (d or u) for i, d, u in rows}


def _value_rows(
    session: Session, values: Sequence[IndicatorValue], policy: IndicatorThresholds
) -> list[ValueRow]:
    if not values:
        return []
    ids = [v.id for v in values]
    attachments: dict[int, str] = {}
    for value_id, filename in session.exec(
        select(IndicatorAttachment.value_id, IndicatorAttachment.filename)
        .where(col(IndicatorAttachment.value_id).in_(ids))
        .order_by(col(IndicatorAttachment.id))
    ):
        attachments[value_id] = filename  # the newest wins
    names = _names(session, {v.entered_by for v in values})
    frequencies = dict(
        session.exec(
            select(Indicator.id, Indicator.frequency).where(
                col(Indicator.id).in_({v.indicator_id for v in values})
            )
        ).all()
    )
    out = []
    for v in values:
        freq = frequencies.get(v.indicator_id, "annual")
        out.append(
            ValueRow(
                id=v.id or 0,
                indicator_id=v.indicator_id,
                period=v.period,
                period_key=period_key(freq, v.period),
                value=v.value,
                accepted_value=v.accepted_value,
                source=v.source,
                note=v.note,
                province_rank=v.province_rank,
                status=v.status,
                return_reason=v.return_reason,
                revision_reason=v.revision_reason,
                revisions=v.revisions,
                entered_by=names.get(v.entered_by or -1, ""),
                submitted_at=v.submitted_at,
                reviewed_at=v.reviewed_at,
                attachment=attachments.get(v.id or 0, ""),
                version=v.version,
                due_on=due_on(freq, v.period, policy),
            )
        )
    return out


def _links(session: Session, indicator_id: int) -> tuple[list[LinkedMeasure], list[LinkedProject]]:
    measures = session.exec(
        select(Measure.id, Measure.name, Area.name)
        .join(IndicatorLink, col(IndicatorLink.measure_id) == Measure.id)
        .join(Area, col(Area.id) == Measure.area_id)
        .where(IndicatorLink.indicator_id == indicator_id)
        .order_by(col(Area.sort_order), col(Measure.sort_order))
    ).all()
    projects = session.exec(
        select(Project.id, Project.code, Project.name, Project.county, Project.lead_unit)
        .join(IndicatorLink, col(IndicatorLink.project_id) == Project.id)
        .where(IndicatorLink.indicator_id == indicator_id)
        .order_by(col(Project.sort_order), col(Project.code))
    ).all()
    return (
        [LinkedMeasure(int(i), n, a) for i, n, a in measures],
        [LinkedProject(int(i), c, n, co, lu) for i, c, n, co, lu in projects],
    )


def _next_period(
    indicator: Indicator, values: Sequence[IndicatorValue], as_of: date, policy: IndicatorThresholds
) -> date:
    """The period a new value is most likely for: the oldest period still asked for (due
    within the last year) that has nothing accepted or waiting, else the latest due one."""
    held = {v.period for v in values if v.status in ("accepted", "submitted")}
    window = _window(indicator.frequency, as_of, policy)
    open_ = [p for p in window if p not in held]
    return open_[0] if open_ else due_period(indicator.frequency, as_of, policy)


def indicator_detail(
    session: Session, *, actor: Actor, indicator_id: Any, as_of: date
) -> IndicatorDetail:
    """One indicator: its entry, judgement, values, trend and linked measures/projects."""
    require(actor, "indicator.view")
    indicator = _indicator(session, indicator_id)
    policy = thresholds(session)
    key = indicator.id or 0
    (row,) = _judged_rows(session, as_of, policy, [key])
    bulk_targets = session.exec(
        select(IndicatorTarget)
        .where(IndicatorTarget.indicator_id == key)
        .order_by(col(IndicatorTarget.year))
    ).all()
    values = session.exec(
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id == key)
        .order_by(col(IndicatorValue.period).desc())
    ).all()
    accepted = [
        (v.period, v.accepted_value, v.province_rank)
        for v in values
        if v.accepted_value is not None
    ]
    facts = facts_of(indicator, [(t.year, t.value) for t in bulk_targets], accepted)
    goal_rows = session.exec(
        select(IndicatorGoal)
        .where(IndicatorGoal.indicator_id == key)
        .order_by(col(IndicatorGoal.goal))
    ).all()
    measures, projects = _links(session, key)
    return IndicatorDetail(
        row=row,
        definition=indicator.definition,
        data_source=indicator.data_source,
        band_low=indicator.band_low,
        band_high=indicator.band_high,
        targets=[TargetRow(t.year, t.value) for t in bulk_targets],
        goal_refs=[GoalRef(g.goal, g.sdg_target) for g in goal_rows],
        values=_value_rows(session, values, policy),
        trend=[TrendRow(p.year, p.actual, p.expected, p.target) for p in trend(facts, as_of.year)],
        measures=measures,
        projects=projects,
        can_enter=can(actor, "indicator.enter", indicator),
        can_review=can(actor, "indicator.review"),
        can_manage=can(actor, "indicator.manage"),
        next_period=_next_period(indicator, values, as_of, policy),
    )


def _counts(rows: Sequence[IndicatorRow]) -> tuple[int, int, int, int]:
    green = sum(1 for r in rows if r.light is Light.GREEN)
    amber = sum(1 for r in rows if r.light is Light.AMBER)
    red = sum(1 for r in rows if r.light is Light.RED)
    return green, amber, red, sum(1 for r in rows if r.missing)


def sdg_tiles(session: Session, *, actor: Actor, as_of: date) -> list[GoalTile]:
    """The 17 SDG goals, each coloured by the indicators that serve it."""
    require(actor, "indicator.view")
    rows = all_rows(session, as_of=as_of)
    tiles = []
    for goal in SDG_GOALS:
        serving = [r for r in rows if goal in r.goals]
        green, amber, red, missing = _counts(serving)
        tiles.append(
            GoalTile(
                goal=goal,
                light=goal_light(r.light for r in serving),
                total=len(serving),
                green=green,
                amber=amber,
                red=red,
                missing=missing,
                indicator_ids=tuple(r.id for r in serving),
            )
        )
    return tiles


def overview_summary(session: Session, *, actor: Actor, as_of: date) -> IndicatorsSummary:
    """The overview's indicators block: lights per system, missing, waiting for review."""
    require(actor, "indicator.view")
    rows = all_rows(session, as_of=as_of)
    systems = []
    for system in list_systems(session, actor=actor):
        mine = [r for r in rows if r.system_id == system.id]
        g, a, r_, m = _counts(mine)
        systems.append(SystemSummary(system.code, system.name, len(mine), g, a, r_, m))
    green, amber, red, missing = _counts(rows)
    reds = sorted(
        (r for r in rows if r.light is Light.RED),
        key=lambda r: (r.gap_pp if r.gap_pp is not None else 0.0, -len(r.missing)),
    )
    return IndicatorsSummary(
        total=len(rows),
        green=green,
        amber=amber,
        red=red,
        missing=missing,
        pending_review=sum(r.pending for r in rows),
        systems=systems,
        worst=reds[:WORST_SHOWN],
    )


def pending_values(session: Session, *, actor: Actor) -> list[ValueRow]:
    """Values submitted and waiting for the office's review, oldest first."""
    require(actor, "indicator.review")
    values = session.exec(
        select(IndicatorValue)
        .where(IndicatorValue.status == ValueStatus.SUBMITTED.value)
        .order_by(col(IndicatorValue.submitted_at), col(IndicatorValue.id))
    ).all()
    return _value_rows(session, values, thresholds(session))


def value_history(session: Session, *, actor: Actor, value_id: Any) -> list[ValueVersion]:
    """A value's versions (who, when, before, after), oldest first: for those who may read
    the audit of the indicator (the office, the leaders, the unit responsible for it)."""
    value = _value(session, value_id)
    require(actor, "audit.view", _indicator(session, value.indicator_id))
    entries = session.exec(
        select(AuditLog)
        .where(AuditLog.entity == AUDIT_ENTITY, AuditLog.entity_id == value.id)
        .order_by(col(AuditLog.at), col(AuditLog.id))
    ).all()
    return [
        ValueVersion(e.at, e.actor_name, e.action.removeprefix("indicator."), e.before, e.after)
        for e in entries
    ]


def _window(frequency: str, as_of: date, policy: IndicatorThresholds) -> list[date]:
    """Due periods still asked for: due by ``as_of``, due within the last year."""
    latest = due_period(frequency, as_of, policy)
    since = as_of - timedelta(days=DUE_WINDOW_DAYS)
    return [
        p
        for p in periods_between(frequency, since - timedelta(days=400), latest)
        if due_on(frequency, p, policy) > since
    ]


def due_values(session: Session, *, as_of: date, lead_unit: str | None = None) -> list[DueValue]:
    """Values due by ``as_of`` and not yet submitted or accepted, per indicator and period
    (the periods due within the last year: the latest, and earlier ones still missing)."""
    policy = thresholds(session)
    statement = select(Indicator, IndicatorSystem).join(
        IndicatorSystem, col(IndicatorSystem.id) == Indicator.system_id
    )
    if lead_unit is not None:
        statement = statement.where(Indicator.lead_unit == lead_unit)
    pairs = session.exec(
        statement.order_by(col(IndicatorSystem.sort_order), col(Indicator.sort_order))
    ).all()
    held = _held_values(session, as_of)
    out = []
    for indicator, system in pairs:
        for period in _window(indicator.frequency, as_of, policy):
            status, has_accepted = held.get((indicator.id or 0, period), (None, False))
            if has_accepted or status == ValueStatus.SUBMITTED.value:
                continue
            out.append(
                DueValue(
                    indicator_id=indicator.id or 0,
                    system_code=system.code,
                    code=indicator.code,
                    name=indicator.name,
                    lead_unit=indicator.lead_unit,
                    frequency=indicator.frequency,
                    period=period,
                    due_on=due_on(indicator.frequency, period, policy),
                    status=status,
                )
            )
    return out


def _held_values(session: Session, as_of: date) -> dict[tuple[int, date], tuple[str, bool]]:
    since = date(as_of.year - 3, 1, 1)
    rows = session.exec(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.period,
            IndicatorValue.status,
            IndicatorValue.accepted_value,
        ).where(col(IndicatorValue.period) >= since)
    ).all()
    return {(int(i), p): (s, a is not None) for i, p, s, a in rows}


def entry_rows(session: Session, *, actor: Actor, as_of: date) -> list[EntryRow]:
    """The actor's indicators and the periods each asks a value for (the due periods of the
    last year not yet accepted, else the latest due period), with what is stored: a unit's
    grid and Excel form."""
    if not may_somewhere(actor, "indicator.enter"):
        require(actor, "indicator.enter")
    policy = thresholds(session)
    statement = select(Indicator, IndicatorSystem).join(
        IndicatorSystem, col(IndicatorSystem.id) == Indicator.system_id
    )
    if is_scoped(actor, "indicator.enter"):
        statement = statement.where(Indicator.lead_unit == (actor.lead_unit or "\0"))
    pairs = session.exec(
        statement.order_by(col(IndicatorSystem.sort_order), col(Indicator.sort_order))
    ).all()
    stored = {
        (v.indicator_id, v.period): v
        for v in session.exec(
            select(IndicatorValue).where(
                col(IndicatorValue.indicator_id).in_([i.id for i, _ in pairs]),
                col(IndicatorValue.period) >= date(as_of.year - 3, 1, 1),
            )
        )
    }
    out = []
    for indicator, system in pairs:
        window = _window(indicator.frequency, as_of, policy)
        open_ = [p for p in window if _still_open(stored.get((indicator.id or 0, p)))]
        for period in open_ or window[-1:]:
            out.append(
                _entry_row(indicator, system, period, stored.get((indicator.id or 0, period)))
            )
    return out


def _still_open(value: IndicatorValue | None) -> bool:
    return value is None or value.status != ValueStatus.ACCEPTED.value


def _entry_row(
    indicator: Indicator, system: IndicatorSystem, period: date, value: IndicatorValue | None
) -> EntryRow:
    return EntryRow(
        indicator_id=indicator.id or 0,
        system_name=system.name,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        frequency=indicator.frequency,
        period=period,
        period_key=period_key(indicator.frequency, period),
        value=value.value if value else None,
        source=value.source if value else indicator.data_source,
        note=value.note if value else "",
        province_rank=value.province_rank if value else None,
        status=value.status if value else None,
        value_id=value.id if value else None,
        version=value.version if value else None,
    )


def _value(session: Session, value_id: Any) -> IndicatorValue:
    key = parse_id(value_id)
    found = session.get(IndicatorValue, key) if key is not None else None
    if found is None:
        raise NotFound("indicator.value_missing")
    return found


def attachment_file(session: Session, *, actor: Actor, value_id: Any) -> AttachmentFile:
    """A value's current attachment, for download."""
    require(actor, "indicator.view")
    value = _value(session, value_id)
    found = session.exec(
        select(IndicatorAttachment)
        .where(IndicatorAttachment.value_id == value.id)
        .order_by(col(IndicatorAttachment.id).desc())
        .limit(1)
    ).first()
    if found is None:
        raise NotFound("indicator.err.no_attachment")
    return AttachmentFile(found.filename, found.content_type, found.data)


def catalogue_specs(session: Session, *, actor: Actor) -> list[IndicatorSpec]:
    """The whole catalogue as files write it, in system then catalogue order."""
    require(actor, "indicator.export")
    systems = {s.id: s for s in session.exec(select(IndicatorSystem))}
    targets = _by_indicator(
        session.exec(
            select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
        ).all()
    )
    goals = _by_indicator(
        session.exec(
            select(
                IndicatorGoal.indicator_id, IndicatorGoal.goal, IndicatorGoal.sdg_target
            ).order_by(col(IndicatorGoal.goal))
        ).all()
    )
    measures = _by_indicator(
        session.exec(
            select(IndicatorLink.indicator_id, Measure.name)
            .join(Measure, col(Measure.id) == IndicatorLink.measure_id)
            .order_by(col(Measure.id))
        ).all()
    )
    projects = _by_indicator(
        session.exec(
            select(IndicatorLink.indicator_id, Project.code)
            .join(Project, col(Project.id) == IndicatorLink.project_id)
            .order_by(col(Project.code))
        ).all()
    )
    indicators = session.exec(select(Indicator)).all()
    order = {sid: (s.sort_order, sid) for sid, s in systems.items()}
    indicators = sorted(
        indicators, key=lambda i: (order.get(i.system_id, (0, 0)), i.sort_order, i.id)
    )
    return [
        _spec(i, systems[i.system_id].name, targets, goals, measures, projects) for i in indicators
    ]


def _spec(
    indicator: Indicator,
    system: str,
    targets: dict[int, list[Any]],
    goals: dict[int, list[Any]],
    measures: dict[int, list[Any]],
    projects: dict[int, list[Any]],
) -> IndicatorSpec:
    key = indicator.id or 0
    mine = goals.get(key, [])
    return IndicatorSpec(
        system=system,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        definition=indicator.definition,
        direction=indicator.direction,
        band_low=indicator.band_low,
        band_high=indicator.band_high,
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets={int(y): float(v) for y, v in sorted(targets.get(key, []))},
        lead_unit=indicator.lead_unit,
        data_source=indicator.data_source,
        frequency=indicator.frequency,
        goals=tuple(int(g) for g, _t in mine),
        sdg_targets=tuple(t for _g, t in mine if t),
        measures=tuple(m for (m,) in measures.get(key, [])),
        projects=tuple(p for (p,) in projects.get(key, [])),
        sort_order=indicator.sort_order,
    )


def value_specs(session: Session, *, actor: Actor) -> list[ValueSpec]:
    """Every stored value as files write it (the accepted value where there is one)."""
    require(actor, "indicator.export")
    rows = session.exec(
        select(IndicatorValue, Indicator.code, IndicatorSystem.name)
        .join(Indicator, col(Indicator.id) == IndicatorValue.indicator_id)
        .join(IndicatorSystem, col(IndicatorSystem.id) == Indicator.system_id)
        .order_by(
            col(IndicatorSystem.sort_order),
            col(Indicator.sort_order),
            col(Indicator.id),
            col(IndicatorValue.period),
        )
    ).all()
    return [
        ValueSpec(
            system=system,
            code=code,
            period=v.period,
            value=v.accepted_value if v.accepted_value is not None else v.value,
            source=v.source,
            note=v.note,
            province_rank=v.province_rank,
            status=ValueStatus.ACCEPTED.value if v.accepted_value is not None else v.status,
        )
        for v, code, system in rows
    ]


# --- writing -------------------------------------------------------------------------------

VALUE_FIELDS = [
    "indicator_id",
    "period",
    "value",
    "source",
    "note",
    "province_rank",
    "status",
    "return_reason",
    "revision_reason",
    "revisions",
    "accepted_value",
    "version",
]
INDICATOR_RETURNED = "indicator_returned"  # the notice's reason (the bell's kind)
ATTACHMENT_NAME = TextRule(msg("indicator.field.attachment"), 200, multiline=False)


@dataclass(frozen=True)
class _Input:
    period: date
    value: float
    source: str
    note: str
    rank: int | None


def _checked(value: Any, rule: str) -> str:
    try:
        return check_text(value, TEXT_RULES[rule], field=rule)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def _reason_text(value: Any) -> str:
    text = _checked(value, "reason") if value is not None else ""
    if not text:
        raise InvalidInput("indicator.err.reason_required")
    return text


def _read_input(
    indicator: Indicator,
    *,
    period: Any,
    value: Any,
    source: Any,
    note: Any,
    province_rank: Any,
    today: date,
) -> _Input:
    try:
        when = read_period(indicator.frequency, period)
        number = read_value(value)
        rank = read_rank(province_rank)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None
    if number is None:
        raise InvalidInput("indicator.err.value_required")
    if period_end(indicator.frequency, when) >= today:  # a value is for a period ended
        raise InvalidInput(
            "indicator.err.period_future", period=period_key(indicator.frequency, when)
        )
    text_source = _checked(source, "source") or indicator.data_source
    if not text_source:
        raise InvalidInput("indicator.err.source_required")
    return _Input(when, number, text_source, _checked(note, "note"), rank)


def _checked_attachment(attachment: AttachmentIn) -> tuple[str, str]:
    """The attachment's file name and the content type its suffix gives (the browser's is
    not trusted), or a refusal: a type not in ATTACHMENT_TYPES, empty, too large."""
    try:
        name = check_text(PurePath(str(attachment.filename)).name, ATTACHMENT_NAME)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None
    suffix = PurePath(name).suffix.lower()
    if not name or suffix not in ATTACHMENT_TYPES:
        raise InvalidInput(
            "indicator.err.attachment_type", name=name, types=" ".join(ATTACHMENT_TYPES)
        )
    if not attachment.data:
        raise InvalidInput("indicator.err.attachment_empty", name=name)
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            "indicator.err.attachment_size", name=name, limit=MAX_ATTACHMENT_BYTES // 2**20
        )
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, kind


def _store_attachment(
    session: Session, actor: Actor, value_id: int, attachment: AttachmentIn
) -> None:
    name, kind = _checked_attachment(attachment)
    session.add(
        IndicatorAttachment(
            value_id=value_id,
            filename=name,
            content_type=kind,
            size=len(attachment.data),
            sha256=hashlib.sha256(attachment.data).hexdigest(),
            data=attachment.data,
            uploaded_by=actor.id,
        )
    )
    audit.record(
        session,
        actor,
        "indicator.attach",
        AUDIT_ENTITY,
        value_id,
        None,
        {"attachment": name, "size": len(attachment.data)},
    )


def _seen(seen_version: Any) -> int:
    seen = parse_id(seen_version)
    if seen is None:
        raise ConflictError("indicator.stale")
    return seen


def _update(
    session: Session,
    *,
    actor: Actor,
    action: str,
    value: IndicatorValue,
    seen: int,
    changes: dict[str, Any],
) -> int:
    """The versioned write and its audit entry; returns the new version."""
    if value.version != seen:
        raise ConflictError("indicator.stale")
    before = audit.snapshot(value, VALUE_FIELDS)
    result = session.exec(
        update(IndicatorValue)
        .where(col(IndicatorValue.id) == value.id, col(IndicatorValue.version) == seen)
        .values(**changes, version=IndicatorValue.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConflictError("indicator.stale")
    after = {**before, **audit.jsonable(changes), "version": seen + 1}
    audit.record(session, actor, action, AUDIT_ENTITY, value.id, before, after)
    session.expire(value)
    return seen + 1


def _result(value: IndicatorValue, status: str, version: int) -> ValueResult:
    return ValueResult(value.id or 0, value.indicator_id, value.period, status, version)


def _insert(
    session: Session, actor: Actor, action: str, indicator: Indicator, fields_: dict[str, Any]
) -> IndicatorValue:
    value = IndicatorValue(indicator_id=indicator.id or 0, **fields_)
    try:
        with session.begin_nested():
            session.add(value)
            session.flush()
    except IntegrityError as exc:  # someone entered the same period a moment ago
        raise ConflictError("indicator.stale") from exc
    audit.record(
        session, actor, action, AUDIT_ENTITY, value.id, None, audit.snapshot(value, VALUE_FIELDS)
    )
    return value


def save_value(
    session: Session,
    *,
    actor: Actor,
    indicator_id: Any,
    period: Any,
    value: Any,
    source: Any = "",
    note: Any = "",
    province_rank: Any = None,
    seen_version: Any = None,
    attachment: AttachmentIn | None = None,
    submit: bool = True,
    today: date,
) -> ValueResult:
    """Enter (and by default submit) an indicator's value for a period. ``seen_version``:
    the stored value's version (None for a new one); an accepted value is changed only
    through ``revise_value``."""
    indicator = _indicator(session, indicator_id)
    require(actor, "indicator.enter", indicator)
    data = _read_input(
        indicator,
        period=period,
        value=value,
        source=source,
        note=note,
        province_rank=province_rank,
        today=today,
    )
    if attachment is not None:
        _checked_attachment(attachment)
    status = ValueStatus.SUBMITTED.value if submit else ValueStatus.DRAFT.value
    changes: dict[str, Any] = {
        "value": data.value,
        "source": data.source,
        "note": data.note,
        "province_rank": data.rank,
        "status": status,
        "return_reason": "",
        "entered_by": actor.id,
        "submitted_at": moment_on(today) if submit else None,
    }
    action = "indicator.submit" if submit else "indicator.save"
    existing = session.exec(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == data.period
        )
    ).first()
    if existing is None:
        stored = _insert(session, actor, action, indicator, {"period": data.period, **changes})
        version = stored.version
    else:
        if existing.status == ValueStatus.ACCEPTED.value:
            raise InvalidInput("indicator.err.accepted_needs_revision")
        stored = existing
        version = _update(
            session,
            actor=actor,
            action=action,
            value=existing,
            seen=_seen(seen_version),
            changes=changes,
        )
    if attachment is not None:
        _store_attachment(session, actor, stored.id or 0, attachment)
    return _result(stored, status, version)


def save_values(
    session: Session,
    *,
    actor: Actor,
    entries: Sequence[ValueEntry],
    submit: bool = True,
    today: date,
) -> list[ValueResult]:
    """Several values at once (the grid, the Excel form): all or nothing; a refusal names
    the entry (``where``) and what is wrong. Callers leave out the lines left blank."""
    seen: set[tuple[int, date]] = set()
    results = []
    with session.begin_nested():
        for entry in entries:
            try:
                result = save_value(
                    session,
                    actor=actor,
                    indicator_id=entry.indicator_id,
                    period=entry.period,
                    value=entry.value,
                    source=entry.source,
                    note=entry.note,
                    province_rank=entry.province_rank,
                    seen_version=entry.seen_version,
                    submit=submit,
                    today=today,
                )
            except (InvalidInput, ConflictError, NotFound) as exc:
                if not entry.where:
                    raise
                raise type(exc)(
                    "indicator.err.at", where=entry.where, message=exc.message
                ) from None
            if (result.indicator_id, result.period) in seen:
                raise InvalidInput(
                    "indicator.err.duplicate_entry",
                    code=entry.where or str(entry.indicator_id),
                    period=result.period,
                )
            seen.add((result.indicator_id, result.period))
            results.append(result)
    return results


def submit_value(
    session: Session, *, actor: Actor, value_id: Any, seen_version: Any, today: date
) -> ValueResult:
    """Send a draft or returned value to the office."""
    value = _value(session, value_id)
    require(actor, "indicator.enter", _indicator(session, value.indicator_id))
    if value.status not in (ValueStatus.DRAFT.value, ValueStatus.RETURNED.value):
        raise InvalidInput("indicator.err.nothing_to_submit")
    if value.value is None:
        raise InvalidInput("indicator.err.value_required")
    changes = {"status": ValueStatus.SUBMITTED.value, "submitted_at": moment_on(today)}
    version = _update(
        session,
        actor=actor,
        action="indicator.submit",
        value=value,
        seen=_seen(seen_version),
        changes=changes,
    )
    return _result(value, ValueStatus.SUBMITTED.value, version)


def accept_value(
    session: Session, *, actor: Actor, value_id: Any, seen_version: Any, today: date
) -> ValueResult:
    """The office accepts a submitted value: it now counts in the light."""
    require(actor, "indicator.review")
    value = _value(session, value_id)
    seen = _seen(seen_version)
    if value.version != seen:
        raise ConflictError("indicator.stale")
    if value.status != ValueStatus.SUBMITTED.value:
        raise InvalidInput("indicator.err.not_submitted")
    now = moment_on(today)
    changes = {
        "status": ValueStatus.ACCEPTED.value,
        "accepted_value": value.value,
        "accepted_at": now,
        "reviewed_by": actor.id,
        "reviewed_at": now,
        "return_reason": "",
    }
    version = _update(
        session, actor=actor, action="indicator.accept", value=value, seen=seen, changes=changes
    )
    return _result(value, ValueStatus.ACCEPTED.value, version)


def return_value(
    session: Session,
    *,
    actor: Actor,
    value_id: Any,
    seen_version: Any,
    reason: Any,
    today: date,
    settings: Settings | None = None,
) -> ValueResult:
    """The office returns a submitted value with a reason (the unit's accounts are told
    through the outbox when ``settings`` is given)."""
    require(actor, "indicator.review")
    value = _value(session, value_id)
    text = _reason_text(reason)
    seen = _seen(seen_version)
    if value.version != seen:
        raise ConflictError("indicator.stale")
    if value.status != ValueStatus.SUBMITTED.value:
        raise InvalidInput("indicator.err.not_submitted")
    changes = {
        "status": ValueStatus.RETURNED.value,
        "return_reason": text,
        "reviewed_by": actor.id,
        "reviewed_at": moment_on(today),
    }
    version = _update(
        session, actor=actor, action="indicator.return", value=value, seen=seen, changes=changes
    )
    if settings is not None:
        _tell_returned(session, value, text, version, today, settings)
    return _result(value, ValueStatus.RETURNED.value, version)


def _unit_accounts(session: Session, indicator: Indicator, entered_by: int | None) -> list[User]:
    """Who hears about a returned value: who entered it, else the unit's accounts."""
    if entered_by is not None:
        user = session.get(User, entered_by)
        if user is not None and user.active:
            return [user]
    roles = [role for role, name in SCOPE_FIELDS.items() if name == "lead_unit"]
    return list(
        session.exec(
            select(User).where(
                col(User.active),
                col(User.role).in_(roles),
                User.lead_unit == indicator.lead_unit,
            )
        )
    )


def _tell_returned(
    session: Session,
    value: IndicatorValue,
    reason: str,
    version: int,
    today: date,
    settings: Settings,
) -> None:
    indicator = _indicator(session, value.indicator_id)
    period = period_key(indicator.frequency, value.period)
    for user in _unit_accounts(session, indicator, value.entered_by):
        notify.notify_user(
            session,
            user=user,
            reason=INDICATOR_RETURNED,
            day=today,
            subject=msg(
                "indicator.returned_subject",
                code=indicator.code,
                name=indicator.name,
                period=period,
            ),
            body=msg("indicator.returned_body", name=indicator.name, period=period, reason=reason),
            settings=settings,
            event=f"indicatorvalue:{value.id}:v{version}",
        )


def revise_value(
    session: Session,
    *,
    actor: Actor,
    value_id: Any,
    seen_version: Any,
    value: Any,
    reason: Any,
    source: Any = None,
    note: Any = None,
    province_rank: Any = None,
    attachment: AttachmentIn | None = None,
    today: date,
) -> ValueResult:
    """Revise an accepted value with a reason: by the office it is accepted at once; by the
    unit it waits for review (the accepted value keeps counting until then)."""
    stored = _value(session, value_id)
    indicator = _indicator(session, stored.indicator_id)
    require(actor, "indicator.enter", indicator)
    text = _reason_text(reason)
    if stored.status != ValueStatus.ACCEPTED.value:
        raise InvalidInput("indicator.err.not_accepted")
    data = _read_input(
        indicator,
        period=stored.period,
        value=value,
        source=stored.source if source is None else source,
        note=stored.note if note is None else note,
        province_rank=stored.province_rank if province_rank is None else province_rank,
        today=today,
    )
    if attachment is not None:
        _checked_attachment(attachment)
    now = moment_on(today)
    changes: dict[str, Any] = {
        "value": data.value,
        "source": data.source,
        "note": data.note,
        "province_rank": data.rank,
        "revision_reason": text,
        "revisions": stored.revisions + 1,
        "entered_by": actor.id,
        "submitted_at": now,
    }
    if can(actor, "indicator.review"):
        changes.update(
            status=ValueStatus.ACCEPTED.value,
            accepted_value=data.value,
            accepted_at=now,
            reviewed_by=actor.id,
            reviewed_at=now,
        )
    else:
        changes["status"] = ValueStatus.SUBMITTED.value
    version = _update(
        session,
        actor=actor,
        action="indicator.revise",
        value=stored,
        seen=_seen(seen_version),
        changes=changes,
    )
    if attachment is not None:
        _store_attachment(session, actor, stored.id or 0, attachment)
    return _result(stored, changes["status"], version)


# --- the catalogue from a file ------------------------------------------------------------

KNOWN_SYSTEMS: dict[str, str] = {
    "创新能力监测": "innovation",
    "SDGs 进展": "sdg",
    "可持续发展规划": "plan",
}
INDICATOR_COLUMNS = [
    "code",
    "name",
    "unit",
    "definition",
    "direction",
    "band_low",
    "band_high",
    "baseline_year",
    "baseline_value",
    "lead_unit",
    "data_source",
    "frequency",
    "sort_order",
]


@dataclass(frozen=True)
class _Clean:
    """An ``IndicatorSpec`` checked: the indicator's columns and its child rows."""

    system: str
    columns: dict[str, Any]
    targets: frozenset[tuple[int, float]]
    goals: frozenset[tuple[int, str]]
    links: frozenset[tuple[int | None, int | None]]  # (measure_id, project_id)


def _where(spec_system: str, code: str, exc: InvalidInput | ValueRefused) -> InvalidInput:
    return InvalidInput(
        "indicator.err.at", where=f"{spec_system} {code}".strip(), message=exc.message
    )


def _number(raw: Any, label: str) -> float | None:
    return read_value(raw, label=msg(label))


def _goals(spec: IndicatorSpec) -> frozenset[tuple[int, str]]:
    per_goal: dict[int, list[str]] = {read_goal(g): [] for g in spec.goals}
    for target in spec.sdg_targets:
        text = check_text(target, TEXT_RULES["sdg_target"])
        if text:
            per_goal.setdefault(read_goal(text.split(".")[0]), []).append(text)
    return frozenset((g, ",".join(ts)[:20]) for g, ts in per_goal.items())


def _columns(spec: IndicatorSpec) -> dict[str, Any]:
    direction = read_direction(spec.direction)
    low = _number(spec.band_low, "indicator.field.band")
    high = _number(spec.band_high, "indicator.field.band")
    if direction is Direction.BAND and (
        (low is None and high is None) or (low is not None and high is not None and low > high)
    ):
        raise InvalidInput("indicator.err.band")
    return {
        "code": check_text(spec.code, TEXT_RULES["code"]),
        "name": check_text(spec.name, TEXT_RULES["name"]),
        "unit": check_text(spec.unit, TEXT_RULES["unit"]),
        "definition": check_text(spec.definition, TEXT_RULES["definition"]),
        "direction": direction.value,
        "band_low": low if direction is Direction.BAND else None,
        "band_high": high if direction is Direction.BAND else None,
        "baseline_year": read_year(spec.baseline_year),
        "baseline_value": _number(spec.baseline_value, "indicator.field.baseline_value"),
        "lead_unit": check_text(spec.lead_unit, TEXT_RULES["lead_unit"]),
        "data_source": check_text(spec.data_source, TEXT_RULES["data_source"]),
        "frequency": read_frequency(spec.frequency).value,
        "sort_order": int(spec.sort_order or 0),
    }


def _clean(spec: IndicatorSpec, measures: dict[str, int], projects: dict[str, int]) -> _Clean:
    try:
        system = check_text(spec.system, TEXT_RULES["system"])
        columns = _columns(spec)
        if not columns["code"]:
            raise InvalidInput("indicator.err.code_required")
        if not columns["name"]:
            raise InvalidInput("indicator.err.name_required")
        targets = frozenset(
            (read_year(year) or 0, _number(value, "indicator.field.value") or 0.0)
            for year, value in spec.targets.items()
            if value is not None and str(value).strip() != ""
        )
        goals = _goals(spec)
        links = frozenset(
            [
                (_known(measures, m, "indicator.err.unknown_measure", "name"), None)
                for m in spec.measures
            ]
            + [
                (None, _known(projects, p, "indicator.err.unknown_project", "code"))
                for p in spec.projects
            ]
        )
    except (InvalidInput, ValueRefused) as exc:
        raise _where(str(spec.system), str(spec.code), exc) from None
    return _Clean(system, columns, targets, goals, links)


def _known(names: dict[str, int], name: str, key: str, param: str) -> int:
    found = names.get(str(name).strip())
    if found is None:
        raise InvalidInput(key, **{param: name})
    return found


@dataclass
class _Plan:
    """What ``apply_catalogue`` will do: new systems, indicators created and updated."""

    new_systems: list[str] = field(default_factory=list)
    create: list[_Clean] = field(default_factory=list)
    update: list[tuple[Indicator, _Clean]] = field(default_factory=list)
    unchanged: int = 0


def _current_children(
    session: Session, ids: list[int]
) -> dict[int, tuple[frozenset[Any], frozenset[Any], frozenset[Any]]]:
    targets = _by_indicator(
        session.exec(
            select(IndicatorTarget.indicator_id, IndicatorTarget.year, IndicatorTarget.value)
        ).all()
    )
    goals = _by_indicator(
        session.exec(
            select(IndicatorGoal.indicator_id, IndicatorGoal.goal, IndicatorGoal.sdg_target)
        ).all()
    )
    links = _by_indicator(
        session.exec(
            select(IndicatorLink.indicator_id, IndicatorLink.measure_id, IndicatorLink.project_id)
        ).all()
    )
    return {
        i: (
            frozenset(tuple(t) for t in targets.get(i, [])),
            frozenset(tuple(g) for g in goals.get(i, [])),
            frozenset(tuple(k) for k in links.get(i, [])),
        )
        for i in ids
    }


def _plan(session: Session, cleaned: list[_Clean]) -> _Plan:
    systems = {s.name: s.id for s in session.exec(select(IndicatorSystem))}
    existing = {
        (i.system_id, i.code): i
        for i in session.exec(select(Indicator).execution_options(populate_existing=True))
    }
    children = _current_children(session, [i.id or 0 for i in existing.values()])
    plan = _Plan()
    for item in cleaned:
        if item.system not in systems and item.system not in plan.new_systems:
            plan.new_systems.append(item.system)
        found = existing.get((systems.get(item.system), item.columns["code"]))
        if found is None:
            plan.create.append(item)
            continue
        same = all(getattr(found, k) == v for k, v in item.columns.items()) and children[
            found.id or 0
        ] == (item.targets, item.goals, item.links)
        if same:
            plan.unchanged += 1
        else:
            plan.update.append((found, item))
    return plan


def _check_duplicates(cleaned: list[_Clean]) -> None:
    seen: set[tuple[str, str]] = set()
    for item in cleaned:
        key = (item.system, item.columns["code"])
        if key in seen:
            raise InvalidInput("indicator.err.duplicate_code", system=key[0], code=key[1])
        seen.add(key)


def _write_systems(session: Session, names: list[str]) -> dict[str, int]:
    taken = set(session.exec(select(IndicatorSystem.code)).all())
    last = session.exec(select(func.max(IndicatorSystem.sort_order))).first() or 0
    for offset, name in enumerate(names, start=1):
        code = KNOWN_SYSTEMS.get(name)
        number = len(taken) + 1
        while code is None or code in taken:
            code, number = f"system{number}", number + 1
        taken.add(code)
        session.add(IndicatorSystem(code=code, name=name, sort_order=last + offset))
    session.flush()
    return {s.name: s.id or 0 for s in session.exec(select(IndicatorSystem))}


def _write_indicators(session: Session, actor: Actor, plan: _Plan, systems: dict[str, int]) -> None:
    """Created and updated indicators as bulk Core writes (5,000 in a second, where ORM
    objects took tens), their targets, goals and links written anew, one audit row each."""
    now = utcnow()
    if plan.create:
        session.execute(
            insert(Indicator.__table__),  # type: ignore[attr-defined]
            [
                {
                    "system_id": systems[item.system],
                    **item.columns,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for item in plan.create
            ],
        )
    for indicator, item in plan.update:
        session.exec(
            update(Indicator)
            .where(col(Indicator.id) == indicator.id)
            .values(**item.columns, version=Indicator.version + 1, updated_at=now)
        )
        session.expire(indicator)
    ids = {
        (system_id, code): key
        for key, system_id, code in session.exec(
            select(Indicator.id, Indicator.system_id, Indicator.code)
        )
    }
    pairs = [(ids[(systems[item.system], item.columns["code"])], item) for item in plan.create]
    pairs += [(indicator.id or 0, item) for indicator, item in plan.update]
    changed = [key for key, _item in pairs[len(plan.create) :]]
    for table in (IndicatorTarget, IndicatorGoal, IndicatorLink):
        if changed:
            session.exec(delete(table).where(col(table.indicator_id).in_(changed)))  # type: ignore[call-overload]
        rows = [row for key, item in pairs for row in _child_rows(table, key, item)]
        if rows:
            session.execute(insert(table.__table__), rows)
    entries = [
        audit.values(
            actor,
            "indicator.import",
            CATALOGUE_ENTITY,
            key,
            None,
            {**audit.jsonable(item.columns), "system": item.system},
        )
        for key, item in pairs
    ]
    if entries:
        session.execute(insert(AuditLog.__table__), entries)  # type: ignore[attr-defined]


def _child_rows(table: Any, indicator_id: int, item: _Clean) -> list[dict[str, Any]]:
    if table is IndicatorTarget:
        return [{"indicator_id": indicator_id, "year": y, "value": v} for y, v in item.targets]
    if table is IndicatorGoal:
        return [{"indicator_id": indicator_id, "goal": g, "sdg_target": t} for g, t in item.goals]
    return [{"indicator_id": indicator_id, "measure_id": m, "project_id": p} for m, p in item.links]


@dataclass(frozen=True)
class _Target:
    """An indicator a value is written for (read as plain columns: fresh after updates)."""

    id: int
    frequency: str


def _value_changes(spec: ValueSpec, indicator: _Target, today: date) -> dict[str, Any]:
    try:
        status = ValueStatus(str(spec.status or "accepted").strip())
    except ValueError:
        raise InvalidInput("indicator.err.value_status", value=shown(spec.status)) from None
    number = read_value(spec.value)
    if number is None:
        raise InvalidInput("indicator.err.value_required")
    accepted = status is ValueStatus.ACCEPTED
    period = read_period(indicator.frequency, spec.period)
    if period_end(indicator.frequency, period) >= today:
        raise InvalidInput(
            "indicator.err.period_future", period=period_key(indicator.frequency, period)
        )
    return {
        "period": period,
        "value": number,
        "source": check_text(spec.source, TEXT_RULES["source"]),
        "note": check_text(spec.note, TEXT_RULES["note"]),
        "province_rank": read_rank(spec.province_rank),
        "status": status.value,
        "accepted_value": number if accepted else None,
    }


STORED_VALUE = [
    "id",
    "indicator_id",
    "period",
    "value",
    "source",
    "note",
    "province_rank",
    "status",
    "return_reason",
    "revision_reason",
    "revisions",
    "accepted_value",
    "version",
]


def _stored_values(session: Session) -> dict[tuple[int, date], dict[str, Any]]:
    columns = [getattr(IndicatorValue, name) for name in STORED_VALUE]
    return {
        (row["indicator_id"], row["period"]): row
        for row in (dict(zip(STORED_VALUE, r, strict=True)) for r in session.exec(select(*columns)))
    }


def _write_values(session: Session, actor: Actor, values: Sequence[ValueSpec], today: date) -> int:
    """The values as bulk Core writes and one audit insert; returns how many changed."""
    systems = {s.id: s.name for s in session.exec(select(IndicatorSystem))}
    indicators = {
        (systems.get(system_id), code): _Target(key or 0, frequency)
        for key, system_id, code, frequency in session.exec(
            select(Indicator.id, Indicator.system_id, Indicator.code, Indicator.frequency)
        )
    }
    stored = _stored_values(session)
    new: dict[tuple[int, date], dict[str, Any]] = {}
    changed: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for spec in values:
        indicator = indicators.get((spec.system, spec.code))
        try:
            if indicator is None:
                raise InvalidInput(
                    "indicator.err.unknown_indicator", system=spec.system, code=spec.code
                )
            changes = _value_changes(spec, indicator, today)
        except (InvalidInput, ValueRefused) as exc:
            raise _where(spec.system, f"{spec.code} {spec.period:%Y-%m}", exc) from None
        key = (indicator.id, changes["period"])
        current = stored.get(key)
        if current is None:
            new[key] = _new_value(actor, indicator.id, changes, today)
        elif any(current[k] != v for k, v in changes.items()):
            changed.append((current, changes))
    _insert_values(session, list(new.values()))
    for current, changes in changed:
        _update_value(session, current, changes, today)
    _audit_values(session, actor, new, changed)
    return len(new) + len(changed)


def _new_value(
    actor: Actor, indicator_id: int, changes: dict[str, Any], today: date
) -> dict[str, Any]:
    now = moment_on(today)
    accepted = changes["status"] == ValueStatus.ACCEPTED.value
    return {
        "indicator_id": indicator_id,
        **changes,
        "return_reason": "",
        "revision_reason": "",
        "revisions": 0,
        "accepted_at": now if accepted else None,
        "entered_by": actor.id,
        "submitted_at": now if changes["status"] != ValueStatus.DRAFT.value else None,
        "version": 1,
        "updated_at": now,
    }


def _insert_values(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(IndicatorValue.__table__), rows)  # type: ignore[attr-defined]


def _update_value(
    session: Session, current: dict[str, Any], changes: dict[str, Any], today: date
) -> None:
    if changes["accepted_value"] is None:  # not accepted in the file: the office's stays
        changes = {**changes, "accepted_value": current["accepted_value"]}
    elif changes["accepted_value"] != current["accepted_value"]:
        changes = {**changes, "accepted_at": moment_on(today)}
    session.exec(
        update(IndicatorValue)
        .where(col(IndicatorValue.id) == current["id"])
        .values(**changes, version=IndicatorValue.version + 1, updated_at=utcnow())
    )


AUDITED_IMPORT = ("period", "value", "source", "note", "province_rank", "status")


def _shown_value(row: dict[str, Any]) -> dict[str, Any]:
    """A value's audited fields as JSON (plain types only: 30,000 of them in an import)."""
    shown_row = {name: row.get(name) for name in AUDITED_IMPORT}
    shown_row["period"] = row["period"].isoformat()
    return shown_row


def _audit_values(
    session: Session,
    actor: Actor,
    new: dict[tuple[int, date], dict[str, Any]],
    changed: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    ids = {
        (indicator_id, period): key
        for key, indicator_id, period in _rows_of(
            session, select(IndicatorValue.id, IndicatorValue.indicator_id, IndicatorValue.period)
        )
    }
    base = {
        "at": utcnow(),
        "actor_id": actor.id,
        "actor_name": actor.label,
        "action": "indicator.import",
        "entity": AUDIT_ENTITY,
    }
    entries = [
        {**base, "entity_id": ids[key], "before": None, "after": _shown_value(row)}
        for key, row in new.items()
    ]
    entries += [
        {
            **base,
            "entity_id": current["id"],
            "before": _shown_value(current),
            "after": _shown_value({**current, **changes}),
        }
        for current, changes in changed
    ]
    if entries:
        session.execute(insert(AuditLog.__table__), entries)  # type: ignore[attr-defined]


def apply_catalogue(
    session: Session,
    *,
    actor: Actor,
    specs: Sequence[IndicatorSpec],
    values: Sequence[ValueSpec] = (),
    dry_run: bool = False,
    today: date,
) -> ApplyResult:
    """Write a catalogue read from a file (systems created as named, indicators matched by
    system and code: created or updated; indicators the file leaves out are kept) and its
    values, all or nothing (``dry_run``: only count). Measures are matched by name and
    projects by code; an unknown one is refused. A refusal names the system and code."""
    require(actor, "indicator.manage")
    measures = {name: i for i, name in session.exec(select(Measure.id, Measure.name))}
    projects = {code: i for i, code in session.exec(select(Project.id, Project.code))}
    cleaned = [_clean(spec, measures, projects) for spec in specs]
    _check_duplicates(cleaned)
    plan = _plan(session, cleaned)
    with session.begin_nested() as savepoint:
        if plan.new_systems or plan.create or plan.update:
            systems = _write_systems(session, plan.new_systems)
            _write_indicators(session, actor, plan, systems)
        written = _write_values(session, actor, values, today)
        if dry_run:
            savepoint.rollback()
    return ApplyResult(
        systems_created=len(plan.new_systems),
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        values_written=written,
        dry_run=dry_run,
    )
