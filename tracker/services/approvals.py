"""前期手续 use cases (#17): a project's approval steps and their links, the schedule of its
chain (critical path and float to 开工 and 竣工), the start-at-risk light reason, and the
approving units' view.

Editing follows milestones (tracker/services/milestones.py): the county lead of the
project's county (or its lead unit, or the office) edits; every save names the version it
was based on and is one ``UPDATE … WHERE id = :id AND version = :seen`` (a stale save is
refused with ``ConflictError("approval.stale")``); every change writes an audit row
(entity ``projectstep`` / ``steplink``) in the same transaction.

Node keys: ``"step:<id>"`` and ``"milestone:<id>"`` (tracker.domain.approvals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from tracker import data_version
from tracker.domain import critical_path as cp
from tracker.domain import workdays
from tracker.domain.approvals import (
    FINISH_MILESTONE,
    LINK_KINDS,
    MILESTONE_REF,
    STANDARD_STEPS,
    STANDARD_TEMPLATES,
    START_MILESTONE,
    ChainSchedule,
    LinkFacts,
    MilestoneFacts,
    NodeSchedule,
    StepFacts,
    StepStatus,
    TargetView,
    UnitStep,
    chain_schedule,
    limit_due,
    milestone_key,
    over_limit,
    parse_key,
    step_key,
    step_status,
    unit_counts,
)
from tracker.domain.critical_path import NetworkError
from tracker.domain.inputs import ValueRefused, check_text, label_of, parse_day, parse_id
from tracker.domain.messages import Message
from tracker.domain.rules import Light, Thresholds
from tracker.models import (
    ApprovalStepType,
    ApprovalTemplate,
    Milestone,
    Project,
    ProjectStep,
    StepLink,
    utcnow,
)
from tracker.services import audit
from tracker.services.auth import SYSTEM as _SYSTEM
from tracker.services.auth import Actor
from tracker.services.errors import ConflictError, InvalidInput, NotFound
from tracker.services.permissions import can, require

# --- what the services return ----------------------------------------------------------------


@dataclass(frozen=True)
class StepTypeView:
    """A standard step of the catalogue."""

    id: int
    code: str
    name: str
    approving_unit: str
    time_limit_days: int


@dataclass(frozen=True)
class TemplateView:
    id: int
    name: str
    nature: str  # 新建 | 续建 | "" (any)
    steps: tuple[str, ...]  # step names, in order


@dataclass(frozen=True)
class StepView:
    """One approval step of a project, as the page, the map and the exports show it."""

    id: int
    key: str  # "step:<id>"
    project_id: int
    seq: int
    name: str
    approving_unit: str
    time_limit_days: int
    planned_start: date | None
    planned_finish: date | None
    actual_start: date | None
    actual_finish: date | None
    document_number: str
    contact_person: str
    contact_phone: str
    note: str
    status: StepStatus
    version: int
    schedule: NodeSchedule | None  # None when the chain cannot be scheduled (a cycle)


@dataclass(frozen=True)
class MilestoneNode:
    """A milestone as a node of the chain (zero duration)."""

    id: int
    key: str  # "milestone:<id>"
    name: str
    planned_date: date
    actual_date: date | None
    schedule: NodeSchedule | None


@dataclass(frozen=True)
class LinkView:
    id: int
    project_id: int
    source: str  # node key of the predecessor
    target: str  # node key of the successor
    kind: str  # FS | SS
    lag_days: int  # working days
    version: int
    critical: bool  # both ends on the critical path to 开工 (or to 竣工) and the link drives


@dataclass(frozen=True)
class StartRisk:
    """The light reason "start at risk": the unfinished step whose latest date that keeps
    the planned start passed longest ago: ``latest`` is its latest start when it is not
    submitted yet, else its latest finish."""

    project_id: int
    step_id: int
    step_name: str
    latest: date
    days_past: int  # working days after ``latest`` up to today


@dataclass(frozen=True)
class ProjectChain:
    project_id: int
    code: str
    name: str
    county: str
    planned_start: date | None
    steps: tuple[StepView, ...]
    milestones: tuple[MilestoneNode, ...]
    links: tuple[LinkView, ...]
    start: TargetView | None  # to 开工 (None: no 开工建设 milestone linked)
    finish: TargetView | None  # to 竣工
    risk: StartRisk | None
    problem: Message | None  # why the chain has no schedule (a cycle, named)
    may_edit: bool  # the actor may edit this project's steps and links


@dataclass(frozen=True)
class OverdueStep:
    project_id: int
    project_code: str
    project_name: str
    county: str
    step_id: int
    step_name: str
    approving_unit: str
    due: date  # the last working day of the committed limit
    days_over: int  # working days past ``due``
    contact_person: str
    contact_phone: str


@dataclass(frozen=True)
class UnitRow:
    """One approving unit (审批部门) on the units' view and in the bulletin's annex."""

    approving_unit: str
    steps: int
    not_started: int
    in_progress: int  # submitted, not approved, within time (办理中)
    overdue: int  # 超时: submitted, not approved, past the committed limit (the unit's delay)
    late_to_submit: int  # past the planned approval, not yet submitted (the project's delay)
    done: int
    average_days: float | None  # working days from submission to approval, done steps
    limit_days: float | None  # the committed limit averaged over the same steps
    light: Light
    overdue_items: tuple[OverdueStep, ...]  # the most overdue first


@dataclass(frozen=True)
class StepSaveResult:
    step_id: int
    project_id: int
    version: int


@dataclass(frozen=True)
class LinkSaveResult:
    link_id: int
    project_id: int
    version: int


@dataclass(frozen=True)
class ApplyResult:
    project_id: int
    template: str
    steps: int
    links: int


# --- the catalogue -----------------------------------------------------------------------------


def seed_catalogue(session: Session) -> None:
    """Write the standard steps and templates when the catalogue is empty (init, demo)."""
    if session.exec(select(ApprovalStepType.id).limit(1)).first() is None:
        for order, step in enumerate(STANDARD_STEPS, start=1):
            session.add(
                ApprovalStepType(
                    code=step.code,
                    name=step.name,
                    approving_unit=step.approving_unit,
                    time_limit_days=step.time_limit_days,
                    sort_order=order,
                )
            )
    if session.exec(select(ApprovalTemplate.id).limit(1)).first() is None:
        for order, template in enumerate(STANDARD_TEMPLATES, start=1):
            session.add(
                ApprovalTemplate(
                    name=template.name,
                    nature=template.nature,
                    steps=list(template.steps),
                    links=[
                        {"from": x.source, "to": x.target, "kind": x.kind, "lag": x.lag}
                        for x in template.links
                    ],
                    sort_order=order,
                )
            )
    session.flush()


def catalogue(session: Session) -> list[StepTypeView]:
    """The standard steps, in their order."""
    rows = session.exec(select(ApprovalStepType).order_by(ApprovalStepType.sort_order))
    return [
        StepTypeView(r.id or 0, r.code, r.name, r.approving_unit, r.time_limit_days) for r in rows
    ]


def templates(session: Session) -> list[TemplateView]:
    """The chain templates, in their order."""
    names = {r.code: r.name for r in session.exec(select(ApprovalStepType))}
    rows = session.exec(select(ApprovalTemplate).order_by(ApprovalTemplate.sort_order))
    return [
        TemplateView(r.id or 0, r.name, r.nature, tuple(names.get(c, c) for c in r.steps))
        for r in rows
    ]


# --- reading -----------------------------------------------------------------------------------


@dataclass
class _Rows:
    """A set of projects' chain rows, read in three queries as plain (read-only) Core rows:
    building ORM objects cost most of the time at 1,000 projects."""

    steps: dict[int, list[Any]]
    milestones: dict[int, list[Any]]
    links: dict[int, list[Any]]


def _plain(
    session: Session, table: Any, columns: Sequence[Any], ids: Sequence[int] | None, order: Any
) -> dict[int, list[Any]]:
    query = select(*columns).order_by(table.project_id, order)
    if ids is not None:
        query = query.where(col(table.project_id).in_(list(ids)))
    if session.autoflush:
        session.flush()
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.connection().execute(query).all():
        grouped[row.project_id].append(row)
    return grouped


def _columns(table: Any, *names: str) -> list[Any]:
    """The table's columns but ``updated_at`` (time-zone handling of 30,000 timestamps
    cost a fifth of the read), or only ``names``."""
    columns = table.__table__.c
    return [columns[n] for n in names] if names else [c for c in columns if c.name != "updated_at"]


def _rows(session: Session, project_ids: Sequence[int] | None) -> _Rows:
    milestone = ("id", "project_id", "seq", "name", "planned_date", "actual_date")
    return _Rows(
        _plain(session, ProjectStep, _columns(ProjectStep), project_ids, ProjectStep.seq),
        _plain(session, Milestone, _columns(Milestone, *milestone), project_ids, Milestone.seq),
        _plain(session, StepLink, _columns(StepLink), project_ids, StepLink.id),
    )


ChainRows = _Rows


def _source(link: StepLink) -> str:
    if link.from_step_id is not None:
        return step_key(link.from_step_id)
    return milestone_key(link.from_milestone_id or 0)


def _target(link: StepLink) -> str:
    if link.to_step_id is not None:
        return step_key(link.to_step_id)
    return milestone_key(link.to_milestone_id or 0)


def _step_facts(step: ProjectStep) -> StepFacts:
    return StepFacts(
        step.id or 0,
        step.name,
        step.time_limit_days,
        step.planned_start,
        step.planned_finish,
        step.actual_start,
        step.actual_finish,
    )


def _schedule(
    project: Any,
    steps: Sequence[Any],
    milestones: Sequence[Any],
    links: Sequence[Any],
    today: date,
    *,
    detail: bool = True,
) -> tuple[ChainSchedule | None, Message | None]:
    """The chain's schedule, or why there is none (a cycle, named); ``detail`` False: only
    what the light needs (no node dates, no path to 竣工)."""
    if not links:
        return None, None
    try:
        return (
            chain_schedule(
                [_step_facts(s) for s in steps],
                [
                    MilestoneFacts(m.id or 0, m.name, m.planned_date, m.actual_date)
                    for m in milestones
                ],
                [LinkFacts(_source(x), _target(x), x.kind, x.lag_days) for x in links],
                today=today,
                started=project.actual_start is not None and project.actual_start <= today,
                detail=detail,
            ),
            None,
        )
    except NetworkError as refusal:
        return None, refusal.message


def _status(step: ProjectStep, today: date) -> StepStatus:
    return step_status(
        planned_finish=step.planned_finish,
        actual_start=step.actual_start,
        actual_finish=step.actual_finish,
        limit_due=limit_due(step.actual_start, step.time_limit_days),
        today=today,
    )


def _step_view(step: ProjectStep, today: date, plan: ChainSchedule | None) -> StepView:
    key = step_key(step.id or 0)
    return StepView(
        id=step.id or 0,
        key=key,
        project_id=step.project_id,
        seq=step.seq,
        name=step.name,
        approving_unit=step.approving_unit,
        time_limit_days=step.time_limit_days,
        planned_start=step.planned_start,
        planned_finish=step.planned_finish,
        actual_start=step.actual_start,
        actual_finish=step.actual_finish,
        document_number=step.document_number,
        contact_person=step.contact_person,
        contact_phone=step.contact_phone,
        note=step.note,
        status=_status(step, today),
        version=step.version,
        schedule=plan.nodes.get(key) if plan else None,
    )


def _link_view(link: Any, paths: Sequence[frozenset[str]]) -> LinkView:
    source, target = _source(link), _target(link)
    critical = any(source in path and target in path for path in paths)
    return LinkView(
        link.id or 0,
        link.project_id,
        source,
        target,
        link.kind,
        link.lag_days,
        link.version,
        critical,
    )


def chain_columns(table: Any) -> list[Any]:
    """The columns of ``table`` (steps, links) a chain is built from (``chain_of``)."""
    return _columns(table)


def chain_of(actor: Actor | None, project: Any, rows: ChainRows, today: date) -> ProjectChain:
    """One project's chain from its rows (``project``: its columns; ``rows``: its steps and
    links with ``chain_columns``, its milestones with at least id, seq, name and dates, by
    seq); the caller checked ``approval.view``."""
    return _chain(actor, project, rows, today)


def _chain(actor: Actor | None, project: Any, rows: _Rows, today: date) -> ProjectChain:
    """One project's chain; ``actor`` None: ``may_edit`` False (the caller sets it)."""
    pid = project.id or 0
    steps, milestones, links = rows.steps[pid], rows.milestones[pid], rows.links[pid]
    plan, problem = _schedule(project, steps, milestones, links, today)
    targets = (plan.start, plan.finish) if plan is not None else ()
    paths = [frozenset(target.path) for target in targets if target]
    risk = None
    if plan is not None and plan.late_step is not None:
        late = plan.late_step
        risk = StartRisk(pid, late.step_id, late.name, late.latest, late.days_past)
    return ProjectChain(
        project_id=pid,
        code=project.code,
        name=project.name,
        county=project.county,
        planned_start=project.planned_start,
        steps=tuple(_step_view(s, today, plan) for s in steps),
        milestones=tuple(
            MilestoneNode(
                m.id or 0,
                milestone_key(m.id or 0),
                m.name,
                m.planned_date,
                m.actual_date,
                plan.nodes.get(milestone_key(m.id or 0)) if plan else None,
            )
            for m in milestones
        ),
        links=tuple(_link_view(x, paths) for x in links),
        start=plan.start if plan else None,
        finish=plan.finish if plan else None,
        risk=risk,
        problem=problem,
        may_edit=actor is not None and can(actor, "approval.edit", project),
    )


def _project(session: Session, project_id: Any) -> Project:
    key = parse_id(project_id)
    project = session.get(Project, key) if key is not None else None
    if project is None:
        raise NotFound("project.missing")
    return project


def project_chain(session: Session, *, actor: Actor, project_id: Any, today: date) -> ProjectChain:
    """One project's steps, milestones, links and schedule (``NotFound`` when missing)."""
    require(actor, "approval.view")
    project = _project(session, project_id)
    return _chain(actor, project, _rows(session, [project.id or 0]), today)


CACHED_CHAINS = 20_000  # chains a worker keeps (weight: one a project), per data version


def chains(
    session: Session, *, actor: Actor, today: date, project_ids: Sequence[int] | None = None
) -> dict[int, ProjectChain]:
    """The chains of many projects at once (the battle map, the exports): a few queries,
    whatever the number of projects. ``None``: every project.

    Kept per data version in the engine's cache (``tracker.data_version``), like the
    statuses: the map asks again with every view change, and nothing changed since."""
    require(actor, "approval.view")
    cache = data_version.reading(session, "approval_chains", CACHED_CHAINS)  # before the data
    key = (today, None if project_ids is None else tuple(sorted(set(project_ids))))
    found = cache.get(key) if cache is not None else None
    if found is None:
        rows = _rows(session, project_ids)
        found = {p.id: (_chain(None, p, rows, today), p) for p in _projects(session, project_ids)}
        if cache is not None:
            cache.put(key, found, max(1, len(found)))
    return {
        pid: replace(chain, may_edit=can(actor, "approval.edit", project))
        for pid, (chain, project) in found.items()
    }


def _projects(session: Session, project_ids: Sequence[int] | None, *more: Any) -> list[Any]:
    """The projects' fields a chain needs, as plain rows, in the plan's order."""
    query = select(
        Project.id,
        Project.code,
        Project.name,
        Project.county,
        Project.lead_unit,
        Project.planned_start,
        Project.actual_start,
    ).order_by(Project.sort_order, Project.id)
    if project_ids is not None:
        query = query.where(col(Project.id).in_(list(project_ids)))
    for condition in more:
        query = query.where(condition)
    if session.autoflush:
        session.flush()
    return list(session.connection().execute(query))


def start_risks(
    session: Session, *, today: date, project_ids: Sequence[int] | None = None
) -> dict[int, StartRisk]:
    """Projects whose start is at risk (the light reason), by project id; no actor: the
    statuses read it like milestones."""
    linked = col(Project.id).in_(select(StepLink.project_id))
    started = (col(Project.actual_start).is_not(None)) & (col(Project.actual_start) <= today)
    projects = _projects(session, project_ids, linked, ~started)
    if not projects:
        return {}
    rows = _rows(session, [p.id or 0 for p in projects])
    found: dict[int, StartRisk] = {}
    for project in projects:
        pid = project.id or 0
        plan, _ = _schedule(
            project, rows.steps[pid], rows.milestones[pid], rows.links[pid], today, detail=False
        )
        if plan is not None and plan.late_step is not None:
            late = plan.late_step
            found[pid] = StartRisk(pid, late.step_id, late.name, late.latest, late.days_past)
    return found


def approving_units(
    session: Session, *, actor: Actor, today: date, thresholds: Thresholds
) -> list[UnitRow]:
    """Per 审批部门: steps in progress, overdue, average working days against the limit and
    a light by overdue items; the reddest and most overdue first."""
    require(actor, "approval.view")
    query = (
        select(
            *ProjectStep.__table__.c,
            col(Project.code).label("project_code"),
            col(Project.name).label("project_name"),
            col(Project.county).label("project_county"),
        )
        .join(Project, col(Project.id) == ProjectStep.project_id)
        .order_by(Project.sort_order, ProjectStep.project_id, ProjectStep.seq)
    )
    if session.autoflush:
        session.flush()
    rows = list(session.connection().execute(query))
    facts = [
        UnitStep(
            s.approving_unit, s.time_limit_days, s.planned_finish, s.actual_start, s.actual_finish
        )
        for s in rows
    ]
    overdue: dict[str, list[OverdueStep]] = defaultdict(list)
    for step, fact in zip(rows, facts, strict=True):
        days = over_limit(fact, today)
        if days > 0:
            overdue[step.approving_unit].append(_overdue(step, days))
    result = []
    for count in unit_counts(facts, today=today, thresholds=thresholds):
        items = sorted(overdue[count.approving_unit], key=lambda o: (-o.days_over, o.project_code))
        result.append(
            UnitRow(
                approving_unit=count.approving_unit,
                steps=count.steps,
                not_started=count.not_started,
                in_progress=count.in_progress,
                overdue=count.overdue,
                late_to_submit=count.late_to_submit,
                done=count.done,
                average_days=count.average_days,
                limit_days=count.limit_days,
                light=count.light,
                overdue_items=tuple(items),
            )
        )
    return result


def _overdue(step: Any, days: int) -> OverdueStep:
    """An overdue step from a row of ``approving_units``' query."""
    return OverdueStep(
        project_id=step.project_id,
        project_code=step.project_code,
        project_name=step.project_name,
        county=step.project_county,
        step_id=step.id or 0,
        step_name=step.name,
        approving_unit=step.approving_unit,
        due=limit_due(step.actual_start, step.time_limit_days) or step.actual_start or date.min,
        days_over=days,
        contact_person=step.contact_person,
        contact_phone=step.contact_phone,
    )


# --- writing -----------------------------------------------------------------------------------

STEP_FIELDS = [
    "seq",
    "name",
    "approving_unit",
    "time_limit_days",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "document_number",
    "contact_person",
    "contact_phone",
    "note",
    "step_type_id",
    "version",
]
LINK_FIELDS = [
    "from_step_id",
    "from_milestone_id",
    "to_step_id",
    "to_milestone_id",
    "kind",
    "lag_days",
    "version",
]
MAX_LIMIT = 365
MAX_LAG = 250


def _template_for(session: Session, project: Project, template_id: Any) -> ApprovalTemplate:
    if template_id not in (None, ""):
        key = parse_id(template_id)
        found = session.get(ApprovalTemplate, key) if key is not None else None
        if found is None:
            raise NotFound("approval.template_missing")
        return found
    rows = session.exec(select(ApprovalTemplate).order_by(ApprovalTemplate.sort_order)).all()
    fitting = [t for t in rows if t.area_id in (None, project.area_id)]
    for nature in (project.nature, ""):
        for template in fitting:
            if template.nature == nature:
                return template
    raise InvalidInput("approval.no_template", nature=project.nature)


def _milestone_link_end(end: str, by_name: dict[str, Milestone]) -> Milestone | None:
    return by_name.get(end[len(MILESTONE_REF) :]) if end.startswith(MILESTONE_REF) else None


def _template_links(
    template: ApprovalTemplate,
    project: Project,
    steps: dict[str, ProjectStep],
    milestones: Sequence[Milestone],
) -> list[StepLink]:
    by_name = {m.name.strip(): m for m in milestones}
    made: list[StepLink] = []
    for spec in template.links:
        ends: list[tuple[int | None, int | None]] = []
        for end in (str(spec["from"]), str(spec["to"])):
            milestone = _milestone_link_end(end, by_name)
            step = steps.get(end)
            ends.append((step.id if step else None, milestone.id if milestone else None))
        if any(s is None and m is None for s, m in ends):
            continue  # a step the template names but the project lacks, or no such milestone
        (fs, fm), (ts, tm) = ends
        made.append(
            StepLink(
                project_id=project.id or 0,
                from_step_id=fs,
                from_milestone_id=fm,
                to_step_id=ts,
                to_milestone_id=tm,
                kind=str(spec.get("kind", "FS")),
                lag_days=int(spec.get("lag", 0)),
            )
        )
    start, finish = by_name.get(START_MILESTONE), by_name.get(FINISH_MILESTONE)
    if start is not None and finish is not None and finish.planned_date > start.planned_date:
        # construction: 开工 to 竣工 as planned, so the path to 竣工 runs through the chain
        lag = workdays.index_of(finish.planned_date) - workdays.index_of(start.planned_date)
        made.append(
            StepLink(
                project_id=project.id or 0,
                from_milestone_id=start.id,
                to_milestone_id=finish.id,
                lag_days=lag,
            )
        )
    return made


def apply_template(
    session: Session, *, actor: Actor, project_id: Any, template_id: Any = None, today: date
) -> ApplyResult:
    """Give a project without steps the steps and links of a template (the one for its
    nature when ``template_id`` is None), each step planned at the latest dates that keep
    the planned 开工."""
    project = _project(session, project_id)
    require(actor, "approval.edit", project)
    count = len(
        session.exec(select(ProjectStep.id).where(ProjectStep.project_id == project.id)).all()
    )
    if count:
        raise InvalidInput("approval.has_steps", project=project.name, count=count)
    seed_catalogue(session)
    template = _template_for(session, project, template_id)
    steps, links = build_chain(session, project, template, today=today)
    audit.record(
        session,
        actor,
        "apply_template",
        "project",
        project.id,
        None,
        {"template": template.name, "steps": [s.name for s in steps], "links": len(links)},
    )
    session.flush()
    return ApplyResult(project.id or 0, template.name, len(steps), len(links))


def template_for(session: Session, project: Project) -> ApprovalTemplate:
    """The template for the project's nature (and area, where a template names one)."""
    return _template_for(session, project, None)


def build_chain(
    session: Session, project: Project, template: ApprovalTemplate, *, today: date
) -> tuple[list[ProjectStep], list[StepLink]]:
    """Write the template's steps and links for ``project`` (no check, no audit: the use
    case or the demo builder does those), each step planned at the latest dates that keep
    the planned 开工."""
    types = {t.code: t for t in session.exec(select(ApprovalStepType))}
    steps: dict[str, ProjectStep] = {}
    for seq, code in enumerate((c for c in template.steps if c in types), start=1):
        kind = types[code]
        steps[code] = ProjectStep(
            project_id=project.id or 0,
            step_type_id=kind.id,
            seq=seq,
            name=kind.name,
            approving_unit=kind.approving_unit,
            time_limit_days=kind.time_limit_days,
        )
        session.add(steps[code])
    session.flush()
    milestones = session.exec(
        select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.seq)
    ).all()
    links = _template_links(template, project, steps, milestones)
    session.add_all(links)
    session.flush()
    _plan_latest(project, list(steps.values()), milestones, links, today)
    session.flush()
    return list(steps.values()), links


def _plan_latest(
    project: Project,
    steps: Sequence[ProjectStep],
    milestones: Sequence[Milestone],
    links: Sequence[StepLink],
    today: date,
) -> None:
    """Planned dates of new steps: the latest that keep the planned 开工."""
    plan, _ = _schedule(project, steps, milestones, links, today)
    if plan is None:
        return
    for step in steps:
        node = plan.nodes.get(step_key(step.id or 0))
        if node is not None and node.late_start is not None:
            step.planned_start, step.planned_finish = node.late_start, node.late_finish


def _load_step(session: Session, step_id: Any) -> tuple[ProjectStep, Project]:
    key = parse_id(step_id)
    row = None
    if key is not None:
        row = session.exec(
            select(ProjectStep, Project)
            .join(Project, col(Project.id) == ProjectStep.project_id)
            .where(ProjectStep.id == key)
        ).first()
    if row is None:
        raise NotFound("approval.step_missing")
    return row[0], row[1]


def _seen(seen_version: Any, stale: str) -> int:
    seen = parse_id(seen_version)
    if seen is None:
        raise ConflictError(stale)
    return seen


def _text(value: Any, rule: str) -> str:
    try:
        return check_text("" if value is None else value, rule, field=rule)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def _day(value: Any, field: str) -> date | None:
    try:
        return parse_day(value, label=label_of(field), field=field)
    except ValueRefused as refusal:
        raise InvalidInput(refusal.message) from None


def _whole(value: Any, *, low: int, high: int, field: str, key: str) -> int:
    text = str(value).strip() if value is not None else ""
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(key, field=label_of(field), value=text) from None
    if not low <= number <= high:
        raise InvalidInput(key, field=label_of(field), value=text)
    return number


def _step_values(form: dict[str, Any], today: date) -> dict[str, Any]:
    """The form's values, checked (what and where is named in every refusal)."""
    values: dict[str, Any] = {
        "name": _text(form["name"], "step.name"),
        "approving_unit": _text(form["approving_unit"], "step.approving_unit"),
        "document_number": _text(form["document_number"], "step.document_number"),
        "contact_person": _text(form["contact_person"], "step.contact_person"),
        "contact_phone": _text(form["contact_phone"], "step.contact_phone"),
        "note": _text(form["note"], "step.note"),
        "time_limit_days": _whole(
            form["time_limit_days"],
            low=1,
            high=MAX_LIMIT,
            field="step.time_limit_days",
            key="approval.bad_limit",
        ),
    }
    for name in ("planned_start", "planned_finish", "actual_start", "actual_finish"):
        values[name] = _day(form[name], f"step.{name}")
    for name in ("actual_start", "actual_finish"):
        if values[name] is not None and values[name] > today:
            raise InvalidInput(
                "approval.actual_in_future", field=label_of(f"step.{name}"), day=values[name]
            )
    for first, last in (("planned_start", "planned_finish"), ("actual_start", "actual_finish")):
        if values[first] and values[last] and values[last] < values[first]:
            raise InvalidInput(
                "approval.finish_before_start",
                finish=label_of(f"step.{last}"),
                finish_day=values[last],
                start=label_of(f"step.{first}"),
                start_day=values[first],
            )
    return values


def save_step(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    step_id: Any = None,
    seen_version: Any = None,
    today: date,
    name: Any = None,
    approving_unit: Any = None,
    time_limit_days: Any = None,
    planned_start: Any = None,
    planned_finish: Any = None,
    actual_start: Any = None,
    actual_finish: Any = None,
    document_number: Any = None,
    contact_person: Any = None,
    contact_phone: Any = None,
    note: Any = None,
    step_type_id: Any = None,
) -> StepSaveResult:
    """Add a step (``step_id`` None) or save the whole form of one (values as the dialog
    sends them: texts, ISO dates, "" for none); refused when stale, out of scope or bad."""
    form = {
        "name": name,
        "approving_unit": approving_unit,
        "time_limit_days": 20 if time_limit_days in (None, "") else time_limit_days,
        "planned_start": planned_start,
        "planned_finish": planned_finish,
        "actual_start": actual_start,
        "actual_finish": actual_finish,
        "document_number": document_number,
        "contact_person": contact_person,
        "contact_phone": contact_phone,
        "note": note,
    }
    if step_id in (None, ""):
        project = _project(session, project_id)
        require(actor, "approval.edit", project)
        values = _step_values(form, today)
        return _add_step(session, actor, project, values, step_type_id)
    step, project = _load_step(session, step_id)
    require(actor, "approval.edit", project)
    seen = _seen(seen_version, "approval.stale")
    values = _step_values(form, today)
    if step.version != seen:
        raise ConflictError("approval.stale")
    before = audit.snapshot(step, STEP_FIELDS)
    result = session.exec(
        update(ProjectStep)
        .where(col(ProjectStep.id) == step.id, col(ProjectStep.version) == seen)
        .values(**values, version=ProjectStep.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False, **data_version.of_projects(project.id or 0))
    )
    if result.rowcount != 1:
        raise ConflictError("approval.stale")
    after = {**before, **audit.jsonable(values), "version": seen + 1}
    audit.record(session, actor, "update", "projectstep", step.id, before, after)
    session.expire(step)
    session.flush()
    return StepSaveResult(step.id or 0, project.id or 0, seen + 1)


def _add_step(
    session: Session, actor: Actor, project: Project, values: dict[str, Any], step_type_id: Any
) -> StepSaveResult:
    last = session.exec(
        select(ProjectStep.seq)
        .where(ProjectStep.project_id == project.id)
        .order_by(col(ProjectStep.seq).desc())
        .limit(1)
    ).first()
    kind = parse_id(step_type_id) if step_type_id not in (None, "") else None
    if kind is not None and session.get(ApprovalStepType, kind) is None:
        kind = None
    step = ProjectStep(project_id=project.id or 0, seq=(last or 0) + 1, step_type_id=kind, **values)
    session.add(step)
    session.flush()
    audit.record(
        session, actor, "create", "projectstep", step.id, None, audit.snapshot(step, STEP_FIELDS)
    )
    session.flush()
    return StepSaveResult(step.id or 0, project.id or 0, step.version)


def delete_step(session: Session, *, actor: Actor, step_id: Any, seen_version: Any) -> int:
    """Remove a step and its links; returns the project id."""
    step, project = _load_step(session, step_id)
    require(actor, "approval.edit", project)
    seen = _seen(seen_version, "approval.stale")
    if step.version != seen:
        raise ConflictError("approval.stale")
    before = audit.snapshot(step, STEP_FIELDS)
    for link in session.exec(
        select(StepLink).where(
            or_(col(StepLink.from_step_id) == step.id, col(StepLink.to_step_id) == step.id)
        )
    ):
        audit.record(
            session, actor, "delete", "steplink", link.id, audit.snapshot(link, LINK_FIELDS), None
        )
        session.delete(link)
    session.flush()
    result = session.exec(
        delete(ProjectStep)
        .where(col(ProjectStep.id) == step.id, col(ProjectStep.version) == seen)
        .execution_options(synchronize_session=False, **data_version.of_projects(project.id or 0))
    )
    if result.rowcount != 1:
        raise ConflictError("approval.stale")
    audit.record(session, actor, "delete", "projectstep", step.id, before, None)
    session.expunge(step)
    session.flush()
    return project.id or 0


def _end(session: Session, project: Project, key: Any) -> tuple[int | None, int | None, str]:
    """A link end of ``project`` from its node key: (step id, milestone id, its name)."""
    parsed = parse_key(str(key or ""))
    if parsed is not None:
        kind, number = parsed
        row = session.get(ProjectStep if kind == "step" else Milestone, number)
        if row is not None and row.project_id == project.id:
            return (number, None, row.name) if kind == "step" else (None, number, row.name)
    raise InvalidInput("approval.bad_node", node=str(key or ""))


def _link_values(
    session: Session, project: Project, source: Any, target: Any, kind: Any, lag_days: Any
) -> tuple[dict[str, Any], str, str]:
    fs, fm, source_name = _end(session, project, source)
    ts, tm, target_name = _end(session, project, target)
    if (fs, fm) == (ts, tm):
        raise InvalidInput("approval.self_link", node=source_name)
    link_kind = str(kind or "FS").strip().upper()
    if link_kind not in LINK_KINDS:
        raise InvalidInput("approval.bad_kind", value=str(kind))
    lag = _whole(
        0 if lag_days in (None, "") else lag_days,
        low=-MAX_LAG,
        high=MAX_LAG,
        field="link.lag_days",
        key="approval.bad_lag",
    )
    values = {
        "from_step_id": fs,
        "from_milestone_id": fm,
        "to_step_id": ts,
        "to_milestone_id": tm,
        "kind": link_kind,
        "lag_days": lag,
    }
    return values, source_name, target_name


def _check_network(
    session: Session,
    project: Project,
    values: dict[str, Any],
    names: tuple[str, str],
    link_id: int | None,
) -> None:
    """Refuse a repeated link or one that closes a cycle (the steps in it named)."""
    others = [
        x
        for x in session.exec(select(StepLink).where(StepLink.project_id == project.id))
        if x.id != link_id
    ]
    candidate = StepLink(project_id=project.id or 0, **values)
    pair = (_source(candidate), _target(candidate))
    if any({_source(x), _target(x)} == set(pair) for x in others):
        raise InvalidInput("approval.link_exists", source=names[0], target=names[1])
    steps = session.exec(select(ProjectStep).where(ProjectStep.project_id == project.id)).all()
    milestones = session.exec(select(Milestone).where(Milestone.project_id == project.id)).all()
    activities = [cp.Activity(step_key(s.id or 0), 1, s.name) for s in steps]
    activities += [cp.Activity(milestone_key(m.id or 0), 0, m.name) for m in milestones]
    try:
        cp.schedule(
            activities,
            [cp.Link(_source(x), _target(x)) for x in [*others, candidate]],
            today=date(2020, 1, 1),
            targets={},
        )
    except NetworkError as refusal:
        raise InvalidInput(
            "approval.cycle", steps=refusal.message.params.get("steps", "")
        ) from None


def save_link(
    session: Session,
    *,
    actor: Actor,
    project_id: Any,
    source: Any,
    target: Any,
    kind: Any = "FS",
    lag_days: Any = 0,
    link_id: Any = None,
    seen_version: Any = None,
) -> LinkSaveResult:
    """Add or change a link between two nodes of the project; refused when it would close a
    cycle (the steps named), joins another project's node, or repeats a link."""
    project = _project(session, project_id)
    require(actor, "approval.edit", project)
    values, *names = _link_values(session, project, source, target, kind, lag_days)
    if link_id in (None, ""):
        _check_network(session, project, values, (names[0], names[1]), None)
        link = StepLink(project_id=project.id or 0, **values)
        session.add(link)
        session.flush()
        audit.record(
            session, actor, "create", "steplink", link.id, None, audit.snapshot(link, LINK_FIELDS)
        )
        session.flush()
        return LinkSaveResult(link.id or 0, project.id or 0, link.version)
    link = _load_link(session, link_id, project)
    seen = _seen(seen_version, "approval.link_stale")
    if link.version != seen:
        raise ConflictError("approval.link_stale")
    _check_network(session, project, values, (names[0], names[1]), link.id)
    before = audit.snapshot(link, LINK_FIELDS)
    result = session.exec(
        update(StepLink)
        .where(col(StepLink.id) == link.id, col(StepLink.version) == seen)
        .values(**values, version=StepLink.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False, **data_version.of_projects(project.id or 0))
    )
    if result.rowcount != 1:
        raise ConflictError("approval.link_stale")
    audit.record(
        session,
        actor,
        "update",
        "steplink",
        link.id,
        before,
        {**before, **audit.jsonable(values), "version": seen + 1},
    )
    session.expire(link)
    session.flush()
    return LinkSaveResult(link.id or 0, project.id or 0, seen + 1)


def _load_link(session: Session, link_id: Any, project: Project | None = None) -> StepLink:
    key = parse_id(link_id)
    link = session.get(StepLink, key) if key is not None else None
    if link is None or (project is not None and link.project_id != project.id):
        raise NotFound("approval.link_missing")
    return link


def delete_link(session: Session, *, actor: Actor, link_id: Any, seen_version: Any) -> int:
    """Remove a link; returns the project id."""
    link = _load_link(session, link_id)
    project = _project(session, link.project_id)
    require(actor, "approval.edit", project)
    seen = _seen(seen_version, "approval.link_stale")
    before = audit.snapshot(link, LINK_FIELDS)
    result = session.exec(
        delete(StepLink)
        .where(col(StepLink.id) == link.id, col(StepLink.version) == seen)
        .execution_options(synchronize_session=False, **data_version.of_projects(project.id or 0))
    )
    if result.rowcount != 1:
        raise ConflictError("approval.link_stale")
    audit.record(session, actor, "delete", "steplink", link.id, before, None)
    session.expunge(link)
    session.flush()
    return project.id or 0


# --- the bulletin (三、存在问题 and its annex) -------------------------------------------------


def bulletin_section(
    session: Session, *, today: date, thresholds: Thresholds, project_ids: Sequence[int]
) -> dict[str, Any]:
    """What the month's bulletin says of 前期手续, as plain JSON-safe data (it is frozen with
    the bulletin): the approving units with their lights, the steps past the units' limits,
    and the projects (of ``project_ids``) whose start is at risk."""
    units = approving_units(session, actor=_SYSTEM, today=today, thresholds=thresholds)
    risks = start_risks(session, today=today, project_ids=project_ids)
    projects = {
        p.id: p for p in session.exec(select(Project).where(col(Project.id).in_(list(risks))))
    }
    at_risk = [
        {
            "code": projects[pid].code,
            "name": projects[pid].name,
            "county": projects[pid].county,
            "lead_unit": projects[pid].lead_unit,
            "step": risk.step_name,
            "latest": risk.latest.isoformat(),
            "days": risk.days_past,
        }
        for pid, risk in sorted(risks.items(), key=lambda kv: -kv[1].days_past)
    ]
    return {
        "units": [
            {
                "unit": u.approving_unit,
                "steps": u.steps,
                "in_progress": u.in_progress,
                "overdue": u.overdue,
                "late_to_submit": u.late_to_submit,
                "done": u.done,
                "average_days": u.average_days,
                "limit_days": u.limit_days,
                "light": u.light.value,
            }
            for u in units
        ],
        "overdue_steps": sorted(
            (
                {
                    "code": o.project_code,
                    "name": o.project_name,
                    "county": o.county,
                    "step": o.step_name,
                    "unit": o.approving_unit,
                    "due": o.due.isoformat(),
                    "days": o.days_over,
                }
                for u in units
                for o in u.overdue_items
            ),
            key=lambda row: (-row["days"], row["code"]),
        ),
        "at_risk": at_risk,
    }
