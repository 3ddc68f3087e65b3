"""Queries behind the project list and the project page (read-only; no Dash here).

Both read ``status.project_statuses`` so the list, the page, the overview and the
battle map agree on every light and figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, make_dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import bindparam
from sqlmodel import Session, col, or_, select

from tracker import data_version
from tracker.config import Settings
from tracker.data_version import FrozenList
from tracker.domain.inputs import has_control_characters, parse_id, usable_amount
from tracker.domain.periods import add_months, month_end, month_start
from tracker.domain.places import PLACES
from tracker.domain.rollups import ProjectFigures
from tracker.domain.rules import Light, MilestoneState, Reason, Thresholds
from tracker.domain.schedule import (
    Stage,
    completed_this_year,
    continuing,
    due_amount,
    due_share,
    due_to_start_new,
    late_to_start,
    started_this_year,
)
from tracker.models import (
    Area,
    AuditLog,
    InvestmentPlan,
    Measure,
    Milestone,
    MilestonePlanRecord,
    MonthlyReport,
    Photo,
    Project,
    ProjectStep,
    StepLink,
)
from tracker.services import approvals, kept, photos
from tracker.services.auth import Actor
from tracker.services.errors import NotFound, ServiceError
from tracker.services.ledger import LedgerLine, ledger
from tracker.services.milestones import EditForm, edit_form
from tracker.services.permissions import can, in_scope, require
from tracker.services.policy import current_thresholds, default_thresholds
from tracker.services.status import (
    STATUS_PER_PROJECT,
    STATUS_WHOLE,
    ProjectStatus,
    project_statuses,
    reference_period,
)

START_FILTERS = ("started", "due", "late", "new", "new_due", "continuing", "resumed", "completed")
HISTORY_LIMIT = 200


# --- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilter:
    """The filters of the overview and the list, as they travel in the URL query."""

    county: str | None = None
    area: str | None = None
    measure: str | None = None
    light: str | None = None  # red | amber | green
    lead_unit: str | None = None
    start: str | None = None  # one of START_FILTERS (the overview's click-throughs)
    stage: str | None = None  # 前期 / 新开工 / 续建 / 竣工 / 已竣工 (Stage values)
    behind: bool = False  # completion below 序时进度
    reported: date | None = None  # a submitted report for this month exists
    mine: bool = False  # in the actor's county or lead unit
    q: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> ProjectFilter:
        """Read a URL query, dropping values that are not valid (never raising)."""

        def text(name: str, limit: int = 200) -> str | None:
            value = query.get(name)
            if isinstance(value, list):
                value = value[0] if value else None
            if value is None:
                return None
            value = str(value).strip()[:limit]
            if has_control_characters(value):  # NUL, line breaks, lone surrogates: no name
                return None
            return value or None

        county = text("county")
        light = text("light")
        start = text("start")
        stage = text("stage")
        reported = None
        if raw := text("reported", 10):
            try:
                reported = month_start(date.fromisoformat(raw[:7] + "-01"))
            except ValueError:
                reported = None
        return cls(
            county=county if county in PLACES else None,
            area=text("area"),
            measure=text("measure"),
            light=light if light in {x.value for x in Light} else None,
            lead_unit=text("lead_unit"),
            start=start if start in START_FILTERS else None,
            stage=stage if stage in {x.value for x in Stage} else None,
            behind=text("behind") in {"1", "true"},
            reported=reported,
            mine=text("mine") in {"1", "true"},
            q=text("q") or "",
        )

    def to_query(self, **overrides: Any) -> str:
        """The URL query (without ``?``) of this filter with ``overrides`` applied."""
        merged = replace(self, **overrides) if overrides else self
        pairs: list[tuple[str, str]] = []
        for name in (
            "county",
            "area",
            "measure",
            "light",
            "lead_unit",
            "start",
            "stage",
            "q",
        ):
            value = getattr(merged, name)
            if value:
                pairs.append((name, str(value)))
        if merged.behind:
            pairs.append(("behind", "1"))
        if merged.reported:
            pairs.append(("reported", merged.reported.strftime("%Y-%m")))
        if merged.mine:
            pairs.append(("mine", "1"))
        return urlencode(pairs)

    def matches(self, status: ProjectStatus, actor: Actor | None = None) -> bool:
        p = status.project
        f = status.figures
        if self.county and p.county != self.county:
            return False
        if self.area and status.area != self.area:
            return False
        if self.measure and status.measure != self.measure:
            return False
        if self.light and status.light.value != self.light:
            return False
        if self.lead_unit and p.lead_unit != self.lead_unit:
            return False
        if self.start and not start_matches(self.start, f):
            return False
        if self.stage and status.stage.value != self.stage:
            return False
        if self.behind and not (status.gap_pp is not None and status.gap_pp < 0):
            return False
        if self.mine and (actor is None or not in_scope(actor, p)):
            return False
        if self.q:
            needle = self.q.lower()
            if needle not in p.name.lower() and needle not in p.code.lower():
                return False
        return True


def start_matches(kind: str, f: ProjectFigures) -> bool:
    """The overview's start and stage click-throughs (新开工率, 复工率, 竣工, 应开未开)."""
    as_of, facts = f.as_of, f.stage
    if kind == "started":
        return f.started
    if kind == "due":
        return f.started or f.due_to_start
    if as_of is None or facts is None:
        return False
    return {
        "late": late_to_start,
        "new": lambda x, d: due_to_start_new(x, d) and started_this_year(x, d),
        "new_due": due_to_start_new,
        "continuing": continuing,
        "resumed": lambda x, d: continuing(x, d) and x.reported_progress,
        "completed": completed_this_year,
    }[kind](facts, as_of)


@dataclass(frozen=True)
class FilterOptions:
    counties: list[str]
    areas: list[str]
    measures: dict[str, list[str]]  # area -> measures
    lead_units: list[str]


def filter_options(session: Session) -> FilterOptions:
    """Choices for the filter bars, in the plan's order."""
    areas = session.exec(select(Area).order_by(Area.sort_order, Area.id)).all()
    names = {a.id: a.name for a in areas}
    measures: dict[str, list[str]] = {a.name: [] for a in areas}
    for m in session.exec(select(Measure).order_by(Measure.area_id, Measure.sort_order)):
        measures.setdefault(names.get(m.area_id, ""), []).append(m.name)
    units = sorted(
        {u for u in session.exec(select(Project.lead_unit).distinct()) if u},
    )
    return FilterOptions(
        counties=list(PLACES), areas=[a.name for a in areas], measures=measures, lead_units=units
    )


def _reported_ids(session: Session, period: date) -> set[int]:
    return set(
        session.exec(
            select(MonthlyReport.project_id).where(
                MonthlyReport.period == period, MonthlyReport.status == "submitted"
            )
        )
    )


def filtered_statuses(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    filters: ProjectFilter,
    actor: Actor | None = None,
    period: date | None = None,
) -> list[ProjectStatus]:
    """Statuses of the projects that pass ``filters``, in plan order (``period``: as
    ``project_statuses``)."""
    statuses = project_statuses(session, as_of=as_of, thresholds=thresholds, period=period)
    rows = [s for s in statuses if filters.matches(s, actor)]
    if filters.reported is not None:
        wanted = _reported_ids(session, filters.reported)
        rows = [s for s in rows if s.project.id in wanted]
    return rows


# --- the list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectListItem:
    """One row of the project list (amounts in 万元; rates as fractions)."""

    id: int
    code: str
    name: str
    area: str
    measure: str
    county: str
    lead_unit: str
    nature: str
    total_investment: Decimal
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    rate: float | None
    gap_pp: float | None
    progress: float
    light: Light
    reasons: tuple[Reason, ...]
    planned_start: date | None
    planned_finish: date | None
    actual_start: date | None
    next_milestone: str
    next_milestone_date: date | None
    overdue_milestones: int
    reported: bool
    contact_person: str
    contact_phone: str
    stage: str = Stage.PREPARING.value
    due_share: float = 0.0  # the project's own 序时
    returned: bool = False  # a report is back with the reporter (退回修改)


def _item(status: ProjectStatus) -> ProjectListItem:
    p = status.project
    open_ms = [(m, s) for m, s in status.milestones if s.state is not MilestoneState.DONE]
    nxt = open_ms[0][0] if open_ms else None
    return ProjectListItem(
        id=p.id or 0,
        code=p.code,
        name=p.name,
        area=status.area,
        measure=status.measure,
        county=p.county,
        lead_unit=p.lead_unit,
        nature=p.nature,
        total_investment=p.total_investment,
        annual_plan=status.annual_plan,
        completed_ytd=status.completed_ytd,
        completed_total=status.completed_total,
        rate=status.rate,
        gap_pp=status.gap_pp,
        progress=status.progress,
        light=status.light,
        reasons=tuple(status.reasons),
        planned_start=p.planned_start,
        planned_finish=p.planned_finish,
        actual_start=p.actual_start,
        next_milestone=nxt.name if nxt else "",
        next_milestone_date=nxt.planned_date if nxt else None,
        overdue_milestones=sum(
            1 for _, s in status.milestones if s.state is MilestoneState.OVERDUE
        ),
        reported=status.reported,
        contact_person=p.contact_person,
        contact_phone=p.contact_phone,
        stage=status.stage.value,
        due_share=status.due_share,
        returned=status.returned,
    )


def list_projects(
    session: Session,
    *,
    as_of: date,
    thresholds: Thresholds,
    filters: ProjectFilter,
    actor: Actor | None = None,
) -> list[ProjectListItem]:
    """The rows of the project list for ``filters``."""
    return [
        _item(s)
        for s in filtered_statuses(
            session, as_of=as_of, thresholds=thresholds, filters=filters, actor=actor
        )
    ]


def export_items(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    thresholds: Thresholds,
    project_ids: Iterable[Any],
) -> list[ProjectListItem]:
    """The rows of an export of the list as the user sees it, in ``project_ids`` order: each
    project once (the page may send an id many times), only projects the actor may see."""
    require(actor, "plan.export")
    order: dict[int, None] = {}  # insertion-ordered set
    for value in project_ids:
        key = parse_id(value)
        if key is not None:
            order.setdefault(key, None)
    if not order:
        return []
    statuses = project_statuses(
        session, as_of=as_of, thresholds=thresholds, project_ids=list(order)
    )
    by_id = {s.project.id: _item(s) for s in statuses if can(actor, "project.view", s.project)}
    return [by_id[i] for i in order if i in by_id]


def has_project_list(session: Session) -> bool:
    """Whether the office has imported (or entered) any project yet."""
    return session.exec(select(Project.id).limit(1)).first() is not None


@dataclass(frozen=True)
class ProjectsPage:
    """One render of the project list: its rows, the filter choices, whether there is a list."""

    items: list[ProjectListItem]
    options: FilterOptions
    has_list: bool


def projects_page(
    session: Session,
    *,
    as_of: date,
    filters: ProjectFilter,
    actor: Actor,
    settings: Settings,
) -> ProjectsPage:
    """The project list page for ``filters`` (a use case: ``read(projects_page, ...)``)."""
    items = list_projects(
        session,
        as_of=as_of,
        thresholds=current_thresholds(session, settings),
        filters=filters,
        actor=actor,
    )
    return ProjectsPage(
        items=items, options=filter_options(session), has_list=has_project_list(session)
    )


def export_view(
    session: Session, *, actor: Actor, as_of: date, project_ids: Iterable[Any], settings: Settings
) -> list[ProjectListItem]:
    """``export_items`` with the office's thresholds (a use case: ``read(export_view, ...)``)."""
    limits = current_thresholds(session, settings)
    return export_items(
        session, actor=actor, as_of=as_of, thresholds=limits, project_ids=project_ids
    )


# --- the project page ---------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneView:
    id: int
    seq: int
    name: str
    baseline_date: date
    planned_date: date
    actual_date: date | None
    state: MilestoneState
    days: int
    note: str
    pending_date: date | None
    pending_reason: str
    version: int

    @property
    def slipped_days(self) -> int:
        return (self.planned_date - self.baseline_date).days


@dataclass(frozen=True)
class YearPlan:
    year: int
    planned: Decimal
    completed: Decimal | None  # year-to-date at the latest report of that year


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    subject: str  # the milestone's name, or "" for the project itself
    changes: tuple[Change, ...]


def _record_class(model: type) -> type:
    """A frozen plain copy of a table's columns (what a page reads after its session closed)."""
    names = list(model.model_fields)
    return make_dataclass(f"{model.__name__}Record", [(n, Any) for n in names], frozen=True)


ProjectRecord = _record_class(Project)
ReportRecord = _record_class(MonthlyReport)


@dataclass(frozen=True)
class _Plan:
    year: int
    amount: Any
    monthly: Any


def _record(cls: type, row: Any) -> Any:
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class StatusView:
    """What the project page shows of a project's status (plain; no rows)."""

    area: str
    measure: str
    light: Light
    reasons: tuple[Reason, ...]
    stage: Stage
    annual_plan: Decimal
    completed_ytd: Decimal
    completed_total: Decimal
    progress: float
    rate: float | None
    gap_pp: float | None
    due_share: float
    due_basis: str
    returned: bool

    @classmethod
    def of(cls, status: ProjectStatus) -> StatusView:
        return cls(
            **{f.name: getattr(status, f.name) for f in fields(cls) if f.name != "reasons"},
            reasons=tuple(status.reasons),
        )


@dataclass(frozen=True)
class ProjectDetail:
    project: Any  # ProjectRecord: the project's columns
    status: StatusView
    milestones: list[MilestoneView]
    plans: list[YearPlan]
    reports: list[Any]  # ReportRecord, newest first
    history: list[HistoryEntry] | None  # None when the actor may not see it
    can_edit: bool
    can_approve: bool
    monthly: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)
    # (month, completed that month, year to date) for the current year
    slips: list[tuple[date, str, date]] = field(default_factory=list)
    # (dispatch month, milestone, planned date then): tracker.gantt.slip's history
    pace: list[float] = field(default_factory=list)
    # what the project's own plan asks by each month's end of the year, 万元 (12 values)


def _changes(before: dict | None, after: dict | None) -> tuple[Change, ...]:
    before = before or {}
    after = after or {}
    keys = [k for k in after if k != "version"] + [
        k for k in before if k not in after and k != "version"
    ]
    return tuple(
        Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)
    )


def project_history(
    session: Session,
    *,
    project_id: int,
    milestone_names: Mapping[int, str],
    sections: _Sections | None = None,
) -> list[HistoryEntry]:
    """Changes to the project, its milestones, its approval steps and their links (#17) and
    its site photos (#18), newest first. Only these entities: indicator values (#16) are the
    office's, not a project's, and never read here. A step or link is found by its row's
    project, so one that was deleted (no row left) is not found, nor its delete."""
    owned_rows = (sections or _Sections(session, None, project_id)).subjects()
    subjects = _subjects(owned_rows, milestone_names)
    owned = {"milestone": list(milestone_names), **_owned_ids(subjects)}
    rows = session.exec(_HISTORY, params={"pid": project_id, **owned}).all()
    entries = [
        HistoryEntry(
            at=row.at,
            actor=row.actor_name,
            action=row.action,
            entity=row.entity,
            subject=subjects.get((row.entity, row.entity_id or 0), "")
            or (_snapshot_name(row.before, row.after) if row.entity != "project" else ""),
            changes=_changes(row.before, row.after),
        )
        for row in _this_life(rows)
    ]
    return _named_places(session, entries)


# The page's statements, built once: building one (and its cache key) on every request cost
# as much as running it. ``:pid`` is the project; ``_HISTORY`` takes each entity's ids.
_AUDITED = ("milestone", "projectstep", "steplink", "photo")
_HISTORY = (
    select(AuditLog)
    .where(
        or_(
            (col(AuditLog.entity) == "project") & (col(AuditLog.entity_id) == bindparam("pid")),
            *(
                (col(AuditLog.entity) == entity)
                & col(AuditLog.entity_id).in_(bindparam(entity, expanding=True))
                for entity in _AUDITED
            ),
        )
    )
    .order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
    .limit(HISTORY_LIMIT)
)
# a project's steps, links and photos as plain rows: the chain (``approvals``), the photo
# timeline and the history's subjects are built from them
_STEPS = (
    select(*approvals.chain_columns(ProjectStep))
    .where(ProjectStep.project_id == bindparam("pid"))
    .order_by(ProjectStep.seq)
)
_LINKS = (
    select(*approvals.chain_columns(StepLink))
    .where(StepLink.project_id == bindparam("pid"))
    .order_by(StepLink.id)
)
_PHOTOS = (  # ordered as ``photos.timeline_photos``
    select(*Photo.__table__.c)
    .where(Photo.project_id == bindparam("pid"))
    .order_by(col(Photo.period).desc(), col(Photo.taken_at).desc(), col(Photo.id).desc())
)
_PLAN_RECORDS = (
    select(MilestonePlanRecord)
    .where(col(MilestonePlanRecord.milestone_id).in_(bindparam("ids", expanding=True)))
    .order_by(MilestonePlanRecord.period, MilestonePlanRecord.milestone_id)
)
_REPORTS = (
    select(MonthlyReport)
    .where(MonthlyReport.project_id == bindparam("pid"))
    .order_by(col(MonthlyReport.period).desc())
)
_PLANS = (
    select(InvestmentPlan)
    .where(InvestmentPlan.project_id == bindparam("pid"))
    .order_by(InvestmentPlan.year)
)


def _this_life(rows: Sequence[AuditLog]) -> list[AuditLog]:
    """Drop (newest first) a step's, link's or photo's entries from its row's delete on: the
    row is there, so that delete, and all before it, were of a deleted row whose id the
    database gave again (SQLite reuses the highest id), perhaps to another project's row."""
    ended: set[tuple[str, int | None]] = set()
    kept = []
    for row in rows:
        key = (row.entity, row.entity_id)
        if row.entity in ("projectstep", "steplink", "photo") and row.action == "delete":
            ended.add(key)
        if key not in ended:
            kept.append(row)
    return kept


def _owned_ids(subjects: Mapping[tuple[str, int], str]) -> dict[str, list[int]]:
    """The ids of the project's steps, links and photos, by their audit entity (read off
    ``_subjects``, which names every one of them)."""
    owned: dict[str, list[int]] = {"projectstep": [], "steplink": [], "photo": []}
    for entity, row_id in subjects:
        if entity in owned and row_id:
            owned[entity].append(row_id)
    return owned


@dataclass(frozen=True)
class OwnedRows:
    """A project's steps (id -> name), links (id, from step, from milestone, to step, to
    milestone) and photos (id, milestone): what its history's entries are about."""

    steps: Mapping[int, str]
    links: tuple[tuple[int, Any, Any, Any, Any], ...]
    photos: tuple[tuple[int, Any], ...]


def _subjects(owned: OwnedRows, milestone_names: Mapping[int, str]) -> dict[tuple[str, int], str]:
    """What each entry is about, as a user names it: a milestone's or a step's name, a link
    as "前一项 → 后一项", a photo by the milestone it is evidence for."""
    subjects = {("milestone", i): name for i, name in milestone_names.items()}
    steps = owned.steps
    subjects |= {("projectstep", i): name for i, name in steps.items()}
    for link_id, from_step, from_milestone, to_step, to_milestone in owned.links:
        source = steps.get(from_step) or milestone_names.get(from_milestone or 0)
        target = steps.get(to_step) or milestone_names.get(to_milestone or 0)
        subjects[("steplink", link_id or 0)] = f"{source or ''} → {target or ''}"
    subjects |= {("photo", i or 0): milestone_names.get(m or 0, "") for i, m in owned.photos}
    return subjects


def _snapshot_name(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """The name an entry's own snapshot carries (a step renamed since, or a template)."""
    for snap in (after, before):
        if snap and isinstance(snap.get("name"), str):
            return snap["name"]
    return ""


def _named_places(session: Session, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """An area or measure change names the area or measure, not its row id."""
    models: dict[str, Any] = {"area_id": Area, "measure_id": Measure}
    models |= {"from_step_id": ProjectStep, "to_step_id": ProjectStep, "milestone_id": Milestone}
    models |= {"from_milestone_id": Milestone, "to_milestone_id": Milestone}
    wanted: dict[str, set[int]] = {name: set() for name in models}
    for entry in entries:
        for c in entry.changes:
            if c.field in models:
                wanted[c.field] |= {v for v in (c.before, c.after) if isinstance(v, int)}
    names: dict[str, dict[int, str]] = {}
    for name, model in models.items():
        ids = wanted[name]
        rows = (
            session.exec(select(model.id, model.name).where(col(model.id).in_(ids))) if ids else []
        )
        names[name] = {row_id: label for row_id, label in rows}
    if not any(names.values()):
        return entries
    return [
        replace(
            entry,
            changes=tuple(
                Change(
                    c.field,
                    names[c.field].get(c.before, c.before),
                    names[c.field].get(c.after, c.after),
                )
                if c.field in names
                else c
                for c in entry.changes
            ),
        )
        for entry in entries
    ]


def milestone_slip_history(
    session: Session,
    *,
    milestones: Sequence[MilestoneView],
    as_of: date,
    sections: _Sections | None = None,
) -> list[tuple[date, str, date]]:
    """Each milestone's planned date at every month's close (``MilestonePlanRecord``), then
    the current plan where it moved since the last close: dated the next dispatch month,
    which is the one that will record it, and given for every milestone so that months line
    up (a milestone without an entry in a month would read as a broken streak)."""
    if not milestones:
        return []
    names = [m.name for m in milestones]
    unique = len(set(names)) == len(names)
    label = {m.id: m.name if unique else f"{m.seq}. {m.name}" for m in milestones}
    records = (sections or _Sections(session, None, 0)).plan_records(list(label))
    history = [(period, label[mid], planned) for period, mid, planned in records]
    latest = {mid: planned for _, mid, planned in records}  # ordered: the last one wins
    if all(latest.get(m.id) == m.planned_date for m in milestones):
        return history
    last = max((period for period, _, _ in records), default=None)
    now = month_start(as_of)
    month = now if last is None or last < now else add_months(last, 1)
    return history + [(month, label[m.id], m.planned_date) for m in milestones]


# The page's parts a milestone's save cannot change, kept per project across data versions
# whose writes did not touch their tables for this project (``_Sections``). Each part's
# tables, all of them: a part that starts reading another table adds it here.
REPORT_READS = frozenset({"monthlyreport"})
PLAN_READS = frozenset({"investmentplan"})
PLAN_RECORD_READS = frozenset({"milestoneplanrecord"})  # no project column: any write counts
STEP_READS = frozenset({"projectstep"})
LINK_READS = frozenset({"steplink"})
PHOTO_READS = frozenset({"photo"})
SETTING_READS = frozenset({"appsetting"})  # ``current_thresholds``
PERIOD_READS = frozenset({"reportingperiod"})  # ``reference_period``
LEDGER_READS = frozenset({"problemitem", "project"})  # ``ledger``: its items joined to it
CACHED_SECTIONS = 4_000  # per data version (one a part and project)


def untouched(changed: kept.Changed | None, tables: frozenset[str], project_id: int) -> bool:
    """Whether the writes of ``changed`` are all known, and none of them to one of
    ``tables`` for ``project_id`` (a write to one of them without its projects counts)."""
    if changed is None or "*" in changed:
        return False
    return all(
        changed[table] is not None and project_id not in changed[table]  # type: ignore[operator]
        for table in tables & changed.keys()
    )


class _Sections:
    """One project's parts of the page, each read, or carried from the version it was kept
    under when no write since touched its tables for this project (``untouched``). Under
    load a project's page is read after nearly every save of it, and a note or reschedule
    writes the milestone and the audit log, none of these."""

    def __init__(
        self, session: Session, reading: data_version.Reading | None, project_id: int
    ) -> None:
        self.session, self.reading, self.project_id = session, reading, project_id
        self.changes = None if reading is None else kept.Changes(session, reading.version)

    def _value(
        self, key: Any, tables: frozenset[str], read: Any, whole: frozenset[str] = frozenset()
    ) -> Any:
        """``key``'s value, carried while no write touched ``tables`` for this project nor
        ``whole`` for any project (a value of no project: ``whole`` only); ``read()`` (None:
        nothing to keep) otherwise."""
        if self.reading is None or self.changes is None:
            return read()
        found = self.reading.get(key)
        if found is not None:
            return found
        held = kept.latest(self.reading, key)
        if held is not None:
            changed = self.changes.since(held[0])
            if untouched(changed, tables, self.project_id) and whole.isdisjoint(changed or {}):
                return kept.keep(self.reading, key, held[1])
        fresh = read()
        return fresh if fresh is None else kept.keep(self.reading, key, fresh)

    def status(self, as_of: date, thresholds: Thresholds) -> ProjectStatus | None:
        """The project's status (None: no such project), carried like ``project_statuses``
        patches the whole plan's: while no write touched its tables for this project nor
        one of STATUS_WHOLE (the writes elsewhere in the county, most of them under load)."""
        pid = self.project_id

        def read() -> ProjectStatus | None:
            found = project_statuses(
                self.session,
                as_of=as_of,
                thresholds=thresholds,
                period=self.period(as_of),
                project_ids=[pid],
            )
            return found[0] if found else None

        key = ("status", pid, as_of, thresholds)
        return self._value(key, STATUS_PER_PROJECT, read, whole=STATUS_WHOLE)

    def reports(self) -> tuple[Any, ...]:
        """The project's reports (``ReportRecord``), newest first."""
        pid = self.project_id
        return self._value(
            ("reports", pid),
            REPORT_READS,
            lambda: tuple(
                _record(ReportRecord, r) for r in self.session.exec(_REPORTS, params={"pid": pid})
            ),
        )

    def plans(self) -> tuple[tuple[int, Any, Any], ...]:
        """The project's yearly plans (year, amount, monthly), by year."""
        pid = self.project_id

        def read() -> tuple[tuple[int, Any, Any], ...]:
            rows = self.session.exec(_PLANS, params={"pid": pid}).all()
            return tuple(
                (ip.year, ip.amount, None if ip.monthly is None else FrozenList(ip.monthly))
                for ip in rows
            )

        return self._value(("plans", pid), PLAN_READS, read)

    def plan_records(self, milestone_ids: list[int]) -> tuple[tuple[date, int, date], ...]:
        """The milestones' planned dates at each month's close (period, milestone, date)."""

        def read() -> tuple[tuple[date, int, date], ...]:
            rows = self.session.exec(_PLAN_RECORDS, params={"ids": milestone_ids}).all()
            return tuple((r.period, r.milestone_id, r.planned_date) for r in rows)

        key = ("plan_records", self.project_id, tuple(milestone_ids))
        return self._value(key, PLAN_RECORD_READS, read)

    def _rows(self, name: str, tables: frozenset[str], statement: Any) -> tuple[Any, ...]:
        pid = self.project_id

        def read() -> tuple[Any, ...]:
            if self.session.autoflush:
                self.session.flush()
            return tuple(self.session.connection().execute(statement, {"pid": pid}).all())

        return self._value((name, pid), tables, read)

    def steps(self) -> tuple[Any, ...]:
        """The project's approval steps (plain rows, ``approvals.chain_columns``), by seq."""
        return self._rows("steps", STEP_READS, _STEPS)

    def links(self) -> tuple[Any, ...]:
        """The project's links between steps and milestones (plain rows), by id."""
        return self._rows("links", LINK_READS, _LINKS)

    def photos(self) -> tuple[Any, ...]:
        """The project's photos (plain rows), as the photo timeline orders them."""
        return self._rows("photos", PHOTO_READS, _PHOTOS)

    def period(self, as_of: date) -> date:
        """The month the figures read on ``as_of`` (``reference_period``, as
        ``project_statuses`` finds it), carried while no period was written."""
        read = lambda: reference_period(self.session, as_of=as_of)  # noqa: E731
        return self._value(("period", as_of), frozenset(), read, whole=PERIOD_READS)

    def thresholds(self, settings: Settings) -> Thresholds:
        """The thresholds in force (``current_thresholds``), carried while no setting was
        written (a setting's write names no project: any counts)."""
        read = lambda: current_thresholds(self.session, settings)  # noqa: E731
        key = ("thresholds", default_thresholds(settings))  # with the settings' defaults
        return self._value(key, frozenset(), read, whole=SETTING_READS)

    def open_items(self, actor: Actor, today: date) -> tuple[LedgerLine, ...]:
        """The project's open ledger items on ``today`` (``ledger``: the same for every
        reader who may see the project)."""
        require(actor, "project.view")
        pid = self.project_id
        return self._value(
            ("ledger", pid, today),
            LEDGER_READS,
            lambda: tuple(ledger(self.session, actor=actor, today=today, project_id=pid)),
        )

    def subjects(self) -> OwnedRows:
        return OwnedRows(
            {row.id: row.name for row in self.steps()},
            tuple(
                (x.id, x.from_step_id, x.from_milestone_id, x.to_step_id, x.to_milestone_id)
                for x in self.links()
            ),
            tuple((p.id, p.milestone_id) for p in self.photos()),
        )


def _project_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise NotFound("project.missing") from exc


def project_detail(
    session: Session, *, actor: Actor, project_id: Any, as_of: date, thresholds: Thresholds
) -> ProjectDetail:
    """Everything the project page shows, with what this actor may do there."""
    return _detail(session, actor, project_id, as_of, thresholds)[0]


def _sections(session: Session, project_id: Any) -> _Sections:
    # the data version, read before the data (the parts carried across versions)
    reading = data_version.reading(session, "project_sections", CACHED_SECTIONS)
    return _Sections(session, reading, _project_id(project_id))


def _detail(
    session: Session,
    actor: Actor,
    project_id: Any,
    as_of: date,
    thresholds: Thresholds,
    sections: _Sections | None = None,
) -> tuple[ProjectDetail, ProjectStatus, _Sections]:
    sections = sections or _sections(session, project_id)
    pid = sections.project_id
    status = sections.status(as_of, thresholds)
    if status is None:
        raise NotFound("project.missing")
    project = status.project
    require(actor, "project.view", project)
    milestones = [
        MilestoneView(
            id=m.id or 0,
            seq=m.seq,
            name=m.name,
            baseline_date=m.baseline_date,
            planned_date=m.planned_date,
            actual_date=m.actual_date,
            state=s.state,
            days=s.days,
            note=m.note,
            pending_date=m.pending_date,
            pending_reason=m.pending_reason,
            version=m.version,
        )
        for m, s in status.milestones
    ]
    reports = sections.reports()
    submitted = [r for r in reports if r.status == "submitted"]
    ytd_by_year: dict[int, Decimal] = {}
    for r in sorted(submitted, key=lambda r: r.period):
        ytd_by_year[r.period.year] = r.completed_ytd
    plan_rows = sections.plans()
    plans = [YearPlan(year, amount, ytd_by_year.get(year)) for year, amount, _ in plan_rows]
    monthly = [
        (r.period, r.completed_month, r.completed_ytd)
        for r in sorted(submitted, key=lambda r: r.period)
        if r.period.year == as_of.year
    ]
    slips = milestone_slip_history(session, milestones=milestones, as_of=as_of, sections=sections)
    # one plan a year (unique): this year's is among those just read
    year_plan = next((_Plan(*ip) for ip in plan_rows if ip[0] == as_of.year), None)
    pace = (
        [
            float(
                due_amount(
                    year_plan.amount,
                    due_share(
                        month_end(date(as_of.year, m, 1)),
                        year=as_of.year,
                        monthly=year_plan.monthly,
                        planned_start=project.planned_start,
                        planned_finish=project.planned_finish,
                    ).share,
                )
            )
            for m in range(1, 13)
        ]
        # a stored plan that cannot be computed with (#12) draws no pace line
        if year_plan is not None and usable_amount(year_plan.amount) is not None
        else []
    )
    history = None
    if can(actor, "audit.view", project):
        history = project_history(
            session,
            project_id=pid,
            milestone_names={m.id: m.name for m in milestones},
            sections=sections,
        )
    detail = ProjectDetail(
        project=_record(ProjectRecord, project),
        status=StatusView.of(status),
        milestones=milestones,
        plans=plans,
        reports=list(reports),
        history=history,
        can_edit=can(actor, "milestone.update", project),
        can_approve=can(actor, "milestone.approve", project),
        monthly=monthly,
        slips=slips,
        pace=pace,
    )
    return detail, status, sections


@dataclass(frozen=True)
class ProjectPage:
    """One render of the project page: the project, its open ledger items and, when the link
    asked for one (``?edit=<milestone>``), the milestone form or why it cannot open."""

    detail: ProjectDetail
    open_items: list[LedgerLine]
    form: EditForm | None = None
    form_refused: ServiceError | None = None
    # the page's sections (``parts``): the 前期手续 chain or why it is refused, the photos
    chain: approvals.ProjectChain | None = None
    chain_refused: ServiceError | None = None
    timeline: photos.Timeline | None = None


def _form(
    session: Session, actor: Actor, edit: Any, project_id: int
) -> tuple[EditForm | None, ServiceError | None]:
    try:
        form = edit_form(session, actor=actor, milestone_id=edit)
    except ServiceError as error:
        return None, error
    if form.project_id != project_id:
        return None, NotFound("form.wrong_project")
    return form, None


def project_page(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    as_of: date,
    settings: Settings,
    edit: Any = None,
    parts: bool = False,
) -> ProjectPage:
    """The project page (a use case: ``read(project_page, ...)``); refuses an unknown project
    or one the actor may not see (NotFound / PermissionDenied). ``parts``: with its 前期手续
    chain and its photo timeline, as ``approvals.project_chain`` and ``photos.timeline``
    give them, built from the rows the page read (and carried) for its own parts."""
    sections = _sections(session, project_id)
    thresholds = sections.thresholds(settings)
    detail, status, sections = _detail(session, actor, project_id, as_of, thresholds, sections)
    pid = detail.project.id
    items = sections.open_items(actor, as_of)
    form, refused = _form(session, actor, edit, pid) if edit is not None else (None, None)
    page = ProjectPage(detail, list(items), form, refused)
    if not parts:
        return page
    project, milestones = status.project, [m for m, _ in status.milestones]
    chain, chain_refused = None, None
    try:
        require(actor, "approval.view")
        rows = approvals.ChainRows(
            {pid: list(sections.steps())}, {pid: milestones}, {pid: list(sections.links())}
        )
        chain = approvals.chain_of(actor, project, rows, as_of)
    except ServiceError as error:
        chain_refused = error
    latest = [(r.id, r.period) for r in sections.reports()[:3]]  # newest first
    names = {m.id: m.name for m in milestones}
    timeline = photos.timeline_of(actor, project, names, sections.photos(), latest)
    return replace(page, chain=chain, chain_refused=chain_refused, timeline=timeline)
