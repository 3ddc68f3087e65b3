"""The project list (清单) in and out: parsed rows -> the plan in one transaction, and back.

A dry run applies everything inside a savepoint and rolls it back, so what it reports is
exactly what the real import would do. A list with any rejected row writes nothing.
Projects match by 项目编号 when the list has one, else by name; re-importing updates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from tracker.excel.rows import ListFileError, MilestoneRow, ParsedList, ProjectRow, RowError
from tracker.models import Area, AuditLog, InvestmentPlan, Measure, Milestone, Project, utcnow
from tracker.services import audit
from tracker.services.auth import Actor
from tracker.services.errors import InvalidInput
from tracker.services.permissions import require

PROJECT_FIELDS = (
    "name",
    "county",
    "lead_unit",
    "responsible_units",
    "contact_person",
    "contact_phone",
    "scope",
    "nature",
    "total_investment",
    "planned_start",
    "planned_finish",
)


@dataclass
class ImportResult:
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    areas_created: list[str] = field(default_factory=list)
    measures_created: list[str] = field(default_factory=list)
    milestones: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        head = "预演（未写入）" if self.dry_run or self.errors else "已导入"
        return (
            f"{head}：新建项目 {len(self.created)} 个，更新 {len(self.updated)} 个，"
            f"无变化 {len(self.unchanged)} 个；新建领域 {len(self.areas_created)} 个、"
            f"举措 {len(self.measures_created)} 项；节点 {self.milestones} 个；"
            f"错误 {len(self.errors)} 处"
        )


class ImportRefused(InvalidInput):
    """The file as a whole was refused (not a list, too large, hostile)."""


def import_project_list(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    dry_run: bool,
    max_bytes: int = 20 * 1024 * 1024,
) -> ImportResult:
    """Parse and validate a list file, then apply it (or only report, on a dry run)."""
    from tracker.excel.parse_list import parse_project_list

    require(actor, "plan.import")
    try:
        parsed = parse_project_list(data, filename, max_bytes=max_bytes)
    except ListFileError as exc:
        raise ImportRefused(str(exc)) from exc
    return apply_parsed_list(session, actor=actor, parsed=parsed, dry_run=dry_run)


def apply_parsed_list(
    session: Session, *, actor: Actor, parsed: ParsedList, dry_run: bool
) -> ImportResult:
    """Write ``parsed`` into the plan in the session's transaction (nothing on errors)."""
    require(actor, "plan.import")
    result = ImportResult(
        dry_run=dry_run, errors=list(parsed.errors), warnings=list(parsed.warnings)
    )
    if not parsed.projects and not result.errors:
        raise ImportRefused("清单中没有任何项目行")
    savepoint = session.begin_nested()
    try:
        _apply(session, actor, parsed.projects, result)
        session.flush()
    except Exception:
        savepoint.rollback()
        raise
    if dry_run or result.errors:
        savepoint.rollback()
        session.expire_all()
    else:
        savepoint.commit()
    return result


class _Plan:
    """The existing plan, loaded once, indexed the ways a list row can match it."""

    def __init__(self, session: Session) -> None:
        self.areas = {a.name: a for a in session.exec(select(Area))}
        self.measures = {(m.area_id, m.name): m for m in session.exec(select(Measure))}
        projects = list(session.exec(select(Project)))
        self.by_code = {p.code: p for p in projects}
        self.by_name: dict[str, list[Project]] = defaultdict(list)
        for p in projects:
            self.by_name[p.name].append(p)
        self.milestones: dict[int, list[Milestone]] = defaultdict(list)
        for m in session.exec(select(Milestone).order_by(Milestone.project_id, Milestone.seq)):
            self.milestones[m.project_id].append(m)
        self.plans: dict[tuple[int, int], InvestmentPlan] = {
            (p.project_id, p.year): p for p in session.exec(select(InvestmentPlan))
        }
        self.next_sort = max((p.sort_order for p in projects), default=0) + 1
        self.codes = set(self.by_code)


def _apply(session: Session, actor: Actor, rows: list[ProjectRow], result: ImportResult) -> None:
    plan = _Plan(session)
    matched: dict[int, ProjectRow] = {}
    new_rows: list[tuple[ProjectRow, Measure]] = []
    measure_of: dict[int, Measure] = {}
    for row in rows:
        measure = _measure(session, plan, row, result)
        project = _match(plan, row, result)
        if project is None:
            new_rows.append((row, measure))
            continue
        if project.id in matched:
            result.errors.append(
                RowError(
                    row.sheet, row.row, "", "项目名称", f"与第{matched[project.id].row}行是同一项目"
                )
            )
            continue
        matched[project.id or 0] = row
        measure_of[project.id or 0] = measure
    if result.errors:
        return

    # updates
    for project_id, row in matched.items():
        project = session.get(Project, project_id)
        assert project is not None
        if _update_project(session, actor, plan, project, row, measure_of[project_id]):
            result.updated.append(_label(project))
        else:
            result.unchanged.append(_label(project))
        result.milestones += len(row.milestones)

    # Creations in bulk through Core: building tens of thousands of ORM objects costs
    # several times more than the inserts themselves.
    if not new_rows:
        return
    now = utcnow()
    project_values = []
    for row, measure in new_rows:
        code = row.code or _new_code(plan, measure)
        plan.codes.add(code)
        project_values.append(
            {
                "code": code,
                "area_id": measure.area_id,
                "measure_id": measure.id,
                "baseline_start": row.planned_start,
                "baseline_finish": row.planned_finish,
                "sort_order": plan.next_sort,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                **{f: getattr(row, f) for f in PROJECT_FIELDS},
            }
        )
        plan.next_sort += 1
    ids = (
        session.execute(
            insert(Project).returning(Project.id, sort_by_parameter_order=True), project_values
        )
        .scalars()
        .all()
    )
    milestones, plans, entries = [], [], []
    for pid, values, (row, _) in zip(ids, project_values, new_rows, strict=True):
        milestones += [
            {
                "project_id": pid,
                "seq": i,
                "name": m.name,
                "baseline_date": m.planned,
                "planned_date": m.planned,
                "note": "",
                "pending_reason": "",
                "version": 1,
                "updated_at": now,
            }
            for i, m in enumerate(row.milestones, start=1)
        ]
        plans += [
            {"project_id": pid, "year": y, "amount": a, "version": 1}
            for y, a in sorted(row.annual_plans.items())
        ]
        snap = {k: values[k] for k in ("code", *PROJECT_FIELDS, "area_id", "measure_id")}
        snap["milestones"] = [[m.name, m.planned.isoformat()] for m in row.milestones]
        snap["annual_plans"] = {str(y): str(a) for y, a in sorted(row.annual_plans.items())}
        entries.append(audit.values(actor, "import_create", "project", pid, None, snap))
        result.created.append(f"{values['code']} {row.name}")
        result.milestones += len(row.milestones)
    for model, rows_ in ((Milestone, milestones), (InvestmentPlan, plans), (AuditLog, entries)):
        if rows_:
            session.execute(insert(model), rows_)


def _label(project: Project) -> str:
    return f"{project.code} {project.name}"


def _measure(session: Session, plan: _Plan, row: ProjectRow, result: ImportResult) -> Measure:
    area = plan.areas.get(row.area)
    if area is None:
        area = Area(name=row.area, sort_order=len(plan.areas) + 1)
        session.add(area)
        session.flush()
        plan.areas[row.area] = area
        result.areas_created.append(row.area)
    key = (area.id or 0, row.measure)
    measure = plan.measures.get(key)
    if measure is None:
        measure = Measure(area_id=area.id or 0, name=row.measure, sort_order=len(plan.measures) + 1)
        session.add(measure)
        session.flush()
        plan.measures[key] = measure
        result.measures_created.append(row.measure)
    return measure


def _match(plan: _Plan, row: ProjectRow, result: ImportResult) -> Project | None:
    if row.code:
        return plan.by_code.get(row.code)
    candidates = plan.by_name.get(row.name, [])
    if len(candidates) > 1:
        same_place = [p for p in candidates if p.county == row.county]
        if len(same_place) == 1:
            return same_place[0]
        result.errors.append(
            RowError(
                row.sheet, row.row, "", "项目名称", "系统中有多个同名项目，请在清单中填写项目编号"
            )
        )
        return None
    return candidates[0] if candidates else None


def _new_code(plan: _Plan, measure: Measure) -> str:
    n = 1
    while (code := f"XM-{measure.id or 0:02d}-{n:02d}") in plan.codes:
        n += 1
    return code


def _update_project(
    session: Session, actor: Actor, plan: _Plan, project: Project, row: ProjectRow, measure: Measure
) -> bool:
    """Bring ``project`` in line with ``row``; True when anything changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in PROJECT_FIELDS:
        new = getattr(row, name)
        old = getattr(project, name)
        if isinstance(new, Decimal) and isinstance(old, Decimal) and new == old:
            continue
        if new != old:
            before[name], after[name] = old, new
            setattr(project, name, new)
    if (project.area_id, project.measure_id) != (measure.area_id, measure.id):
        before["measure_id"], after["measure_id"] = project.measure_id, measure.id
        project.area_id, project.measure_id = measure.area_id, measure.id or 0
    # Baselines are the first approved dates: set once, never moved by a re-import.
    project.baseline_start = project.baseline_start or row.planned_start
    project.baseline_finish = project.baseline_finish or row.planned_finish

    existing = plan.milestones.get(project.id or 0, [])
    ms_before, ms_after = _sync_milestones(session, project, existing, row.milestones)
    if ms_before != ms_after:
        before["milestones"], after["milestones"] = ms_before, ms_after

    for year, amount in row.annual_plans.items():
        current = plan.plans.get((project.id or 0, year))
        if current is None:
            session.add(InvestmentPlan(project_id=project.id or 0, year=year, amount=amount))
            before[f"plan_{year}"], after[f"plan_{year}"] = None, amount
        elif current.amount != amount:
            before[f"plan_{year}"], after[f"plan_{year}"] = current.amount, amount
            current.amount = amount
            current.version += 1
            session.add(current)
    if not after:
        return False
    project.version += 1
    project.updated_at = utcnow()
    session.add(project)
    audit.record(session, actor, "import_update", "project", project.id, before, after)
    return True


def _sync_milestones(
    session: Session, project: Project, existing: list[Milestone], rows: tuple[MilestoneRow, ...]
) -> tuple[list[list[str]], list[list[str]]]:
    """Match milestones by name, else take one the list no longer names (a rename).

    A new planned date keeps the baseline. Milestones missing from the list are kept:
    they may carry actual dates and history.
    """
    before = [[m.name, m.planned_date.isoformat()] for m in existing]
    listed = {r.name for r in rows}
    by_name = {m.name: m for m in existing}
    spare = [m for m in existing if m.name not in listed]
    next_seq = max((m.seq for m in existing), default=0) + 1
    after: list[list[str]] = []
    for row in rows:
        after.append([row.name, row.planned.isoformat()])
        milestone = by_name.get(row.name) or (spare.pop(0) if spare else None)
        if milestone is None:
            session.add(
                Milestone(
                    project_id=project.id or 0,
                    seq=next_seq,
                    name=row.name,
                    baseline_date=row.planned,
                    planned_date=row.planned,
                )
            )
            next_seq += 1
        elif (milestone.name, milestone.planned_date) != (row.name, row.planned):
            milestone.name = row.name
            milestone.planned_date = row.planned
            milestone.version += 1
            milestone.updated_at = utcnow()
            session.add(milestone)
    after += [[m.name, m.planned_date.isoformat()] for m in spare]
    return before, after


# --- out ----------------------------------------------------------------------------------


def plan_rows(
    session: Session, *, actor: Actor, project_ids: list[int] | None = None
) -> list[ProjectRow]:
    """The plan as list rows, in the plan's order (what the exporter writes)."""
    require(actor, "plan.export")
    query = (
        select(Project, Area.name, Measure.name)
        .join(Area, col(Project.area_id) == Area.id)
        .join(Measure, col(Project.measure_id) == Measure.id)
        .order_by(Area.sort_order, Measure.sort_order, Project.sort_order, Project.id)
    )
    if project_ids is not None:
        query = query.where(col(Project.id).in_(project_ids))
    milestones: dict[int, list[MilestoneRow]] = defaultdict(list)
    for m in session.exec(select(Milestone).order_by(Milestone.project_id, Milestone.seq)):
        milestones[m.project_id].append(MilestoneRow(m.name, m.planned_date))
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for p in session.exec(select(InvestmentPlan)):
        plans[p.project_id][p.year] = p.amount
    return [
        ProjectRow(
            area=area,
            measure=measure,
            code=p.code,
            milestones=tuple(milestones[p.id or 0]),
            annual_plans=dict(sorted(plans[p.id or 0].items())),
            **{f: getattr(p, f) for f in PROJECT_FIELDS},
        )
        for p, area, measure in session.exec(query)
    ]


def export_project_list_bytes(
    session: Session,
    *,
    actor: Actor,
    as_of: date | None = None,
    project_ids: list[int] | None = None,
) -> bytes:
    """The plan (or the chosen projects) as an .xlsx in the product's own template."""
    from tracker.excel.export_list import export_project_list

    return export_project_list(
        plan_rows(session, actor=actor, project_ids=project_ids), as_of=as_of
    )
