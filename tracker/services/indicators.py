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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from tracker.config import Settings
from tracker.domain.indicators import IndicatorThresholds
from tracker.domain.rules import Light, Reason
from tracker.services.auth import Actor

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
    goal: int | None = None  # SDG goal 1–17
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


def thresholds(session: Session) -> IndicatorThresholds:
    """The office's indicator light policy (the defaults until the office sets its own)."""
    raise NotImplementedError


def list_systems(session: Session, *, actor: Actor) -> list[SystemRow]:
    """The indicator systems in their order, with their indicator counts."""
    raise NotImplementedError


def catalogue(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    filters: CatalogueFilter | None = None,
) -> Catalogue:
    """The indicators judged on ``as_of``, filtered (bulk reads; kept per data version)."""
    raise NotImplementedError


def indicator_detail(
    session: Session, *, actor: Actor, indicator_id: Any, as_of: date
) -> IndicatorDetail:
    """One indicator: its entry, judgement, values, trend and linked measures/projects."""
    raise NotImplementedError


def sdg_tiles(session: Session, *, actor: Actor, as_of: date) -> list[GoalTile]:
    """The 17 SDG goals, each coloured by the indicators that serve it."""
    raise NotImplementedError


def overview_summary(session: Session, *, actor: Actor, as_of: date) -> IndicatorsSummary:
    """The overview's indicators block: lights per system, missing, waiting for review."""
    raise NotImplementedError


def pending_values(session: Session, *, actor: Actor) -> list[ValueRow]:
    """Values submitted and waiting for the office's review, oldest first."""
    raise NotImplementedError


def value_history(session: Session, *, actor: Actor, value_id: Any) -> list[ValueVersion]:
    """A value's versions (who, when, before, after), oldest first."""
    raise NotImplementedError


def due_values(session: Session, *, as_of: date, lead_unit: str | None = None) -> list[DueValue]:
    """Values due by ``as_of`` and not yet submitted or accepted, per indicator and period
    (the latest due period of each indicator's frequency, and earlier ones still missing)."""
    raise NotImplementedError


def entry_rows(session: Session, *, actor: Actor, as_of: date) -> list[EntryRow]:
    """The actor's indicators and the period each asks a value for (the latest due period,
    else the current one), with what is stored: a unit's grid and Excel form."""
    raise NotImplementedError


def attachment_file(session: Session, *, actor: Actor, value_id: Any) -> AttachmentFile:
    """A value's current attachment, for download."""
    raise NotImplementedError


def catalogue_specs(session: Session, *, actor: Actor) -> list[IndicatorSpec]:
    """The whole catalogue as files write it, in system then catalogue order."""
    raise NotImplementedError


def value_specs(session: Session, *, actor: Actor) -> list[ValueSpec]:
    """Every stored value as files write it (the accepted value where there is one)."""
    raise NotImplementedError


# --- writing -------------------------------------------------------------------------------


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
    raise NotImplementedError


def save_values(
    session: Session,
    *,
    actor: Actor,
    entries: Sequence[ValueEntry],
    submit: bool = True,
    today: date,
) -> list[ValueResult]:
    """Several values at once (the grid, the Excel form): all or nothing; a refusal names
    the entry (``where``) and the field."""
    raise NotImplementedError


def submit_value(
    session: Session, *, actor: Actor, value_id: Any, seen_version: Any, today: date
) -> ValueResult:
    """Send a draft or returned value to the office."""
    raise NotImplementedError


def accept_value(
    session: Session, *, actor: Actor, value_id: Any, seen_version: Any, today: date
) -> ValueResult:
    """The office accepts a submitted value: it now counts in the light."""
    raise NotImplementedError


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
    raise NotImplementedError


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
    raise NotImplementedError


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
    system and code: created or updated) and its values, all or nothing (``dry_run``: only
    count). Measures are matched by name and projects by code; an unknown one is refused."""
    raise NotImplementedError
