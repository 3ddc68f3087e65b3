"""The plan in MS Project XML (#17): export, and import of the same file matched by code.

Codes: a project by its own code; a step ``<project code>/步骤<seq>``, a milestone
``<project code>/节点<seq>`` (stable while the rows live; the names may change).

Export: every project (``plan.export``) as a summary task, its steps then its milestones, and
the links. A step without planned dates is written with what it has: its actual dates, or a
span of its committed limit next to the one date it has, or (none at all) its limit ending
on the project's first planned milestone, so MS Project has a bar to draw.

Import (``plan.import``): the file is compared with what the export writes now; a field that
differs is a change (a step's start and finish are its planned dates, a milestone's day its
planned date, actual dates both), links are added, changed and removed per project. All or
nothing: an unknown code, a task under another project, a finish before its start, an actual
date after today, a link across projects or links that make a cycle refuse the whole file
with every error named, and a dry run writes nothing. Each row changed is versioned and
audited like an edit on the project page. Tasks the file no longer has are left as they are
(listed in the result): deleting approval steps stays on the project page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from tracker.domain import workdays
from tracker.domain.critical_path import Activity, Link, LinkType, NetworkError, schedule
from tracker.domain.messages import Message, msg
from tracker.exchange.mspdi import (
    Plan,
    PlanLink,
    PlanProject,
    PlanTask,
    TaskKind,
    read_mspdi,
    write_mspdi,
)
from tracker.models import Milestone, Project, ProjectStep, StepLink, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.permissions import require

STEP_FIELDS = [
    "name",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "version",
]
MILESTONE_FIELDS = ["name", "planned_date", "actual_date", "version"]
LINK_FIELDS = ["kind", "lag_days", "version"]


def step_code(project_code: str, seq: int) -> str:
    return f"{project_code}/步骤{seq}"


def milestone_code(project_code: str, seq: int) -> str:
    return f"{project_code}/节点{seq}"


@dataclass
class _Rows:
    projects: list[Project]
    steps: dict[int, list[ProjectStep]]
    milestones: dict[int, list[Milestone]]
    links: dict[int, list[StepLink]]


def _read(session: Session) -> _Rows:
    projects = list(session.exec(select(Project).order_by(Project.sort_order, Project.id)))
    steps: dict[int, list[ProjectStep]] = defaultdict(list)
    for step in session.exec(select(ProjectStep).order_by(ProjectStep.seq)):
        steps[step.project_id].append(step)
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in session.exec(select(Milestone).order_by(Milestone.seq)):
        milestones[m.project_id].append(m)
    links: dict[int, list[StepLink]] = defaultdict(list)
    for link in session.exec(select(StepLink).order_by(StepLink.id)):
        links[link.project_id].append(link)
    return _Rows(projects, steps, milestones, links)


def _step_span(step: ProjectStep, anchor: date | None) -> tuple[date, date]:
    start = step.planned_start or step.actual_start
    finish = step.planned_finish or step.actual_finish
    span = max(1, step.time_limit_days) - 1
    if start is None and finish is None:
        finish = anchor or date(2000, 1, 3)
    if start is None:
        assert finish is not None
        start = workdays.add_workdays(finish, -span)
    if finish is None or finish < start:
        finish = workdays.add_workdays(start, span)
    return start, finish


def _step_notes(step: ProjectStep) -> str:
    parts = [
        ("审批部门", step.approving_unit),
        ("承诺时限", f"{step.time_limit_days}个工作日"),
        ("批复文号", step.document_number),
        ("联系人", " ".join(x for x in (step.contact_person, step.contact_phone) if x)),
    ]
    return "；".join(f"{label}：{value}" for label, value in parts if value)


def _codes(rows: _Rows) -> dict[str, str]:
    """Node key ("step:<id>" / "milestone:<id>") -> code."""
    codes: dict[str, str] = {}
    for project in rows.projects:
        pid = project.id or 0
        for step in rows.steps[pid]:
            codes[f"step:{step.id}"] = step_code(project.code, step.seq)
        for m in rows.milestones[pid]:
            codes[f"milestone:{m.id}"] = milestone_code(project.code, m.seq)
    return codes


def _end_key(step_id: int | None, milestone_id: int | None) -> str:
    return f"step:{step_id}" if step_id is not None else f"milestone:{milestone_id}"


def _plan(rows: _Rows, title: str) -> Plan:
    projects: list[PlanProject] = []
    links: list[PlanLink] = []
    codes = _codes(rows)
    for project in rows.projects:
        pid = project.id or 0
        milestones = rows.milestones[pid]
        anchor = min((m.planned_date for m in milestones), default=project.planned_start)
        tasks = [
            PlanTask(
                step_code(project.code, step.seq),
                step.name,
                TaskKind.STEP,
                *_step_span(step, anchor),
                actual_start=step.actual_start,
                actual_finish=step.actual_finish,
                notes=_step_notes(step),
            )
            for step in rows.steps[pid]
        ]
        tasks += [
            PlanTask(
                milestone_code(project.code, m.seq),
                m.name,
                TaskKind.MILESTONE,
                m.planned_date,
                m.planned_date,
                actual_finish=m.actual_date,
            )
            for m in milestones
        ]
        projects.append(PlanProject(project.code, project.name, tuple(tasks)))
        for link in rows.links[pid]:
            links.append(
                PlanLink(
                    codes[_end_key(link.from_step_id, link.from_milestone_id)],
                    codes[_end_key(link.to_step_id, link.to_milestone_id)],
                    LinkType(link.kind),
                    link.lag_days,
                )
            )
    return Plan(tuple(projects), tuple(links), title)


def export_plan(session: Session, *, actor: Actor, title: str = "挂图作战") -> Plan:
    """Every project's steps, milestones and links as a plain plan (``plan.export``)."""
    require(actor, "plan.export")
    return _plan(_read(session), title)


def export_mspdi(
    session: Session, *, actor: Actor, created: datetime, title: str = "挂图作战"
) -> bytes:
    """The plan as MS Project XML bytes (``plan.export``)."""
    return write_mspdi(export_plan(session, actor=actor, title=title), created=created)


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: Message
    old: Any
    new: Any


@dataclass(frozen=True)
class TaskChange:
    code: str
    name: str
    fields: tuple[FieldChange, ...]


@dataclass
class ExchangeImportResult:
    dry_run: bool
    projects: int = 0
    tasks: int = 0
    links: int = 0
    changes: list[TaskChange] = field(default_factory=list)
    links_added: list[PlanLink] = field(default_factory=list)
    links_changed: list[PlanLink] = field(default_factory=list)
    links_removed: list[PlanLink] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # codes left as they are
    errors: list[Message] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors

    def unchanged(self) -> bool:
        return not (self.changes or self.links_added or self.links_changed or self.links_removed)


@dataclass
class _Target:
    """What a code names in the database."""

    project: Project
    step: ProjectStep | None = None
    milestone: Milestone | None = None


def _targets(rows: _Rows) -> dict[str, _Target]:
    targets: dict[str, _Target] = {}
    for project in rows.projects:
        pid = project.id or 0
        targets[project.code] = _Target(project)
        for step in rows.steps[pid]:
            targets[step_code(project.code, step.seq)] = _Target(project, step=step)
        for m in rows.milestones[pid]:
            targets[milestone_code(project.code, m.seq)] = _Target(project, milestone=m)
    return targets


_STEP_LABELS = {
    "name": "exchange.field.name",
    "planned_start": "exchange.field.planned_start",
    "planned_finish": "exchange.field.planned_finish",
    "actual_start": "exchange.field.actual_start",
    "actual_finish": "exchange.field.actual_finish",
    "planned_date": "exchange.field.planned_date",
    "actual_date": "exchange.field.actual_date",
}


def _task_updates(now: PlanTask, read: PlanTask) -> dict[str, Any]:
    """Column -> new value for what the file changed against the export of today's data."""
    updates: dict[str, Any] = {}
    if read.name != now.name:
        updates["name"] = read.name
    if read.kind == TaskKind.STEP:
        pairs = [
            ("planned_start", now.start, read.start),
            ("planned_finish", now.finish, read.finish),
            ("actual_start", now.actual_start, read.actual_start),
            ("actual_finish", now.actual_finish, read.actual_finish),
        ]
    else:
        pairs = [
            ("planned_date", now.start, read.start),
            ("actual_date", now.actual_finish, read.actual_finish or read.actual_start),
        ]
    updates.update({column: new for column, old, new in pairs if new != old})
    return updates


def _check_task(read: PlanTask, today: date) -> list[Message]:
    errors: list[Message] = []
    if read.finish < read.start:
        errors.append(msg("exchange.finish_before_start", task=read.name, code=read.code))
    for day in (read.actual_start, read.actual_finish):
        if day is not None and day > today:
            errors.append(msg("exchange.actual_in_future", task=read.name, code=read.code, day=day))
    return errors


def _compare_tasks(
    plan: Plan, now_tasks: dict[str, PlanTask], targets: dict[str, _Target], today: date
) -> tuple[list[tuple[_Target, PlanTask, dict[str, Any]]], list[Message]]:
    updates: list[tuple[_Target, PlanTask, dict[str, Any]]] = []
    errors: list[Message] = []
    for project in plan.projects:
        if (
            project.code not in targets
            or targets[project.code].step
            or targets[project.code].milestone
        ):
            errors.append(msg("exchange.unknown_project", code=project.code, task=project.name))
            continue
        for task in project.tasks:
            target = targets.get(task.code)
            if target is None or (target.step is None and target.milestone is None):
                errors.append(msg("exchange.unknown_code", code=task.code, task=task.name))
                continue
            if target.project.code != project.code:
                errors.append(
                    msg(
                        "exchange.wrong_project",
                        task=task.name,
                        code=task.code,
                        project=project.code,
                    )
                )
                continue
            if (task.kind == TaskKind.STEP) != (target.step is not None):
                errors.append(msg("exchange.wrong_kind", task=task.name, code=task.code))
                continue
            errors += _check_task(task, today)
            changed = _task_updates(now_tasks[task.code], task)
            if changed:
                updates.append((target, task, changed))
    return updates, errors


def _link_key(link: PlanLink) -> tuple[str, str]:
    return link.predecessor, link.successor


def _check_links(plan: Plan, targets: dict[str, _Target]) -> list[Message]:
    errors: list[Message] = []
    names = {t.code: t.name for p in plan.projects for t in p.tasks}
    by_project: dict[str, list[PlanLink]] = defaultdict(list)
    for link in plan.links:
        ends = [targets.get(link.predecessor), targets.get(link.successor)]
        if any(end is None or (end.step is None and end.milestone is None) for end in ends):
            errors.append(
                msg("exchange.link_end", predecessor=link.predecessor, successor=link.successor)
            )
            continue
        first, second = ends
        assert first is not None and second is not None
        if first.project.id != second.project.id:
            errors.append(
                msg(
                    "exchange.link_across",
                    predecessor=names.get(link.predecessor, link.predecessor),
                    successor=names.get(link.successor, link.successor),
                )
            )
            continue
        by_project[first.project.code].append(link)
    for project in plan.projects:
        activities = [Activity(t.code, 0, f"{project.name}·{t.name}") for t in project.tasks]
        links = [Link(x.predecessor, x.successor, x.type, x.lag) for x in by_project[project.code]]
        try:
            schedule(activities, links, today=date(2000, 1, 3), targets={})
        except NetworkError as refusal:
            errors.append(refusal.message)
    return errors


def import_mspdi(
    session: Session, *, actor: Actor, data: bytes, today: date, dry_run: bool
) -> ExchangeImportResult:
    """Read an MSPDI file and apply what it changes (all or nothing; ``dry_run`` writes
    nothing). Raises ``ExchangeError`` for a file that is not a plan at all."""
    require(actor, "plan.import")
    plan = read_mspdi(data)
    rows = _read(session)
    now = _plan(rows, plan.title)
    now_tasks = {t.code: t for p in now.projects for t in p.tasks}
    targets = _targets(rows)
    result = ExchangeImportResult(
        dry_run=dry_run,
        projects=len(plan.projects),
        tasks=sum(len(p.tasks) for p in plan.projects),
        links=len(plan.links),
    )
    updates, errors = _compare_tasks(plan, now_tasks, targets, today)
    errors += _check_links(plan, targets)
    result.errors = errors
    in_file = {t.code for p in plan.projects for t in p.tasks}
    touched = {p.code for p in plan.projects}
    result.not_in_file = [
        code
        for code, t in now_tasks.items()
        if code not in in_file and code.split("/")[0] in touched
    ]
    link_plan = _diff_links(now, plan, touched)
    result.links_added, result.links_changed, result.links_removed = link_plan
    for target, task, changed in updates:
        record = target.step or target.milestone
        fields = tuple(
            FieldChange(msg(_STEP_LABELS[c]), getattr(record, c), v) for c, v in changed.items()
        )
        result.changes.append(TaskChange(task.code, task.name, fields))
    if result.errors or dry_run:
        return result
    for target, _, changed in updates:
        _apply(session, actor, target, changed)
    _write_links(session, actor, rows, targets, link_plan)
    return result


def _diff_links(
    now: Plan, read: Plan, touched: set[str]
) -> tuple[list[PlanLink], list[PlanLink], list[PlanLink]]:
    old = {_link_key(x): x for x in now.links if x.predecessor.split("/")[0] in touched}
    new = {_link_key(x): x for x in read.links}
    added = [x for k, x in new.items() if k not in old]
    changed = [x for k, x in new.items() if k in old and old[k] != x]
    removed = [x for k, x in old.items() if k not in new]
    return added, changed, removed


def _apply(session: Session, actor: Actor, target: _Target, changed: dict[str, Any]) -> None:
    record: Any = target.step or target.milestone
    fields = STEP_FIELDS if target.step is not None else MILESTONE_FIELDS
    entity = "projectstep" if target.step is not None else "milestone"
    before = audit.snapshot(record, fields)
    for column, value in changed.items():
        setattr(record, column, value)
    record.version += 1
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    audit.record(
        session, actor, "update", entity, record.id, before, audit.snapshot(record, fields)
    )


def _ends(target: _Target) -> tuple[int | None, int | None]:
    if target.step is not None:
        return target.step.id, None
    return None, target.milestone.id if target.milestone else None


def _write_links(
    session: Session,
    actor: Actor,
    rows: _Rows,
    targets: dict[str, _Target],
    plan: tuple[list[PlanLink], list[PlanLink], list[PlanLink]],
) -> None:
    added, changed, removed = plan
    codes = _codes(rows)
    existing: dict[tuple[str, str], StepLink] = {}
    for links in rows.links.values():
        for link in links:
            key = (
                codes[_end_key(link.from_step_id, link.from_milestone_id)],
                codes[_end_key(link.to_step_id, link.to_milestone_id)],
            )
            existing[key] = link
    for link in removed:
        row = existing[_link_key(link)]
        audit.record(
            session, actor, "delete", "steplink", row.id, audit.snapshot(row, LINK_FIELDS), None
        )
        session.delete(row)
    for link in changed:
        row = existing[_link_key(link)]
        before = audit.snapshot(row, LINK_FIELDS)
        row.kind, row.lag_days = link.type.value, link.lag
        row.version += 1
        row.updated_at = utcnow()
        session.add(row)
        session.flush()
        audit.record(
            session, actor, "update", "steplink", row.id, before, audit.snapshot(row, LINK_FIELDS)
        )
    for link in added:
        first, second = targets[link.predecessor], targets[link.successor]
        from_step, from_milestone = _ends(first)
        to_step, to_milestone = _ends(second)
        row = StepLink(
            project_id=first.project.id or 0,
            from_step_id=from_step,
            from_milestone_id=from_milestone,
            to_step_id=to_step,
            to_milestone_id=to_milestone,
            kind=link.type.value,
            lag_days=link.lag,
        )
        session.add(row)
        session.flush()
        audit.record(
            session, actor, "create", "steplink", row.id, None, audit.snapshot(row, LINK_FIELDS)
        )
    session.flush()


def summary_lines(result: ExchangeImportResult) -> list[str]:
    """The result as the CLI prints it (Chinese)."""
    lines = [
        str(
            msg(
                "exchange.import_summary",
                projects=result.projects,
                tasks=result.tasks,
                links=result.links,
                changes=len(result.changes),
                added=len(result.links_added),
                changed=len(result.links_changed),
                removed=len(result.links_removed),
            )
        )
    ]
    for change in result.changes:
        lines.append(f"  ~ {change.code} {change.name}")
        for item in change.fields:
            lines.append(f"      {item.label}：{_shown(item.old)} → {_shown(item.new)}")
    for sign, links in (
        ("+", result.links_added),
        ("~", result.links_changed),
        ("-", result.links_removed),
    ):
        for link in links:
            lines.append(
                f"  {sign} {link.predecessor} → {link.successor} {link.type.value} {link.lag:+d}"
            )
    for code in result.not_in_file:
        lines.append(f"  ! {msg('exchange.not_in_file', code=code)}")
    return lines


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)
