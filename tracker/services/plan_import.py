"""The project list (清单) in and out: parsed rows -> the plan in one transaction, and back.

A dry run applies everything inside a savepoint and rolls it back, so what it reports is
exactly what the real import would do: per project new, changed (field by field, old →
new) or unchanged, the columns it does not use with samples, and the year it took
本年度 to mean and why. A list with any rejected row writes nothing. Projects match by
项目编号 when the list has one, else by name; re-importing updates only the fields the
list has columns for. A list whose columns cannot all be placed (or that needs a year it
does not name) is not applied: the result asks for a mapping instead. Mappings the
office gives are remembered (``HeaderMapping``) when the import is applied, so the next
list with the same headings maps itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from tracker.domain.approvals import STEPS_BY_CODE
from tracker.domain.inputs import AMOUNT_CEILING
from tracker.domain.messages import Message, msg
from tracker.excel.recognize import IGNORE, Field, mapping_key, parse_target_field
from tracker.excel.rows import (
    ColumnReport,
    ListFileError,
    MilestoneRow,
    ParsedList,
    ProjectRow,
    RowError,
)
from tracker.models import (
    ApprovalStepType,
    Area,
    AuditLog,
    HeaderMapping,
    InvestmentPlan,
    Measure,
    Milestone,
    Project,
    ProjectStep,
    utcnow,
)
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
    "city_leader",
    "implementer",
    "remark",
    "actual_start",
    "actual_finish",
    "opening_total",
    "opening_year",
)
FIELD_LABELS = {
    "name": "项目名称",
    "county": "建设地点",
    "lead_unit": "牵头单位",
    "responsible_units": "责任单位",
    "contact_person": "责任人",
    "contact_phone": "联系电话",
    "scope": "建设内容及规模",
    "nature": "建设性质",
    "total_investment": "总投资（万元）",
    "planned_start": "计划开工时间",
    "planned_finish": "计划完工时间",
    "city_leader": "市级责任领导",
    "implementer": "实施主体",
    "remark": "备注",
    "actual_start": "实际开工时间",
    "actual_finish": "实际完工时间",
    "opening_total": "截至上年底累计完成投资（万元）",
    "opening_year": "累计完成投资的起算年度",
    "measure_id": "所属领域 / 工作举措",
    "milestones": "节点",
}


@dataclass(frozen=True)
class FieldChange:
    label: str  # 总投资（万元）
    old: str  # as the office reads it ("" for nothing)
    new: str


@dataclass(frozen=True)
class ProjectChange:
    label: str  # 项目编号 项目名称
    fields: tuple[FieldChange, ...]


@dataclass
class ImportResult:
    dry_run: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: list[ProjectChange] = field(default_factory=list)  # the updated, field by field
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    areas_created: list[str] = field(default_factory=list)
    measures_created: list[str] = field(default_factory=list)
    milestones: int = 0
    columns: list[ColumnReport] = field(default_factory=list)  # every filled column
    missing: list[str] = field(default_factory=list)  # required fields no column holds
    year: int | None = None
    year_source: str = ""
    year_needed: bool = False  # the list needs a year: ask the office
    mapping: dict[str, str] = field(default_factory=dict)  # what was applied
    remembered: dict[str, str] = field(default_factory=dict)  # from earlier imports
    # ``warnings``, ``missing`` and ``year_source`` as catalogue messages (the browser's dry
    # run stores these, so each reader reads them in their language)
    warning_messages: list[Message] = field(default_factory=list)
    missing_messages: list[Message] = field(default_factory=list)
    year_origin: Message | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.needs_input

    @property
    def needs_input(self) -> bool:
        return bool(self.unknown or self.missing or (self.year_needed and self.year is None))

    @property
    def unused(self) -> list[ColumnReport]:
        return [c for c in self.columns if c.field is None and c.how != "unknown"]

    @property
    def unknown(self) -> list[ColumnReport]:
        return [c for c in self.columns if c.how == "unknown"]

    def year_line(self) -> str:
        """The year 本年度 was taken to mean, and why ("" when the list did not need one)."""
        if self.year is None:
            return ""
        return f"本年度按{self.year}年（{self.year_source}）"

    def summary(self) -> str:
        if self.needs_input:
            parts = []
            if self.unknown:
                parts.append(f"{len(self.unknown)} 列无法识别")
            if self.missing:
                parts.append(f"缺少 {len(self.missing)} 项必需的列")
            if self.year_needed and self.year is None:
                parts.append("需要指明本年度是哪一年")
            return "需要先确认列的对应关系（未写入）：" + "，".join(parts)
        head = "预演（未写入）" if self.dry_run or self.errors else "已导入"
        text = (
            f"{head}：新建项目 {len(self.created)} 个，更新 {len(self.updated)} 个，"
            f"无变化 {len(self.unchanged)} 个；新建领域 {len(self.areas_created)} 个、"
            f"举措 {len(self.measures_created)} 项；节点 {self.milestones} 个；"
            f"错误 {len(self.errors)} 处；未使用的列 {len(self.unused)} 列"
        )
        if self.year is not None:
            text += f"；{self.year_line()}"
        return text

    def payload(self) -> dict[str, Any]:
        """Everything the browser's dry run shows, as JSON."""
        return {
            "summary": self.summary(),
            "created": list(self.created),
            "updated": list(self.updated),
            "unchanged": len(self.unchanged),
            "changes": [
                {"label": c.label, "fields": [[f.label, f.old, f.new] for f in c.fields]}
                for c in self.changes
            ],
            "errors": [e.as_message().to_dict() for e in self.errors],
            "warnings": [m.to_dict() for m in self.warning_messages] or list(self.warnings),
            "columns": [
                {
                    "sheet": c.sheet,
                    "letter": c.letter,
                    "header": c.header,
                    "samples": list(c.samples),
                    "field": c.field,
                    "how": c.how,
                    "note": c.reason.to_dict() if c.reason is not None else "",
                    "candidates": list(c.candidates),
                    "year": c.year,
                }
                for c in self.columns
            ],
            "missing": [m.to_dict() for m in self.missing_messages] or list(self.missing),
            "year": self.year,
            "year_source": self.year_origin.to_dict() if self.year_origin else self.year_source,
            "year_needed": self.year_needed,
            "needs_input": self.needs_input,
            "mapping": dict(self.mapping),
            "remembered": dict(self.remembered),
        }


# A row error's field and text as catalogue messages (``RowError`` renders them in Chinese
# for the stored result, as the Excel layer's own errors are).
NAME_FIELD = msg("plan_import.name_field")


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
    mapping: dict[str, str] | None = None,
    year: int | None = None,
    progress: Callable[[float, str], None] | None = None,
    amount_ceiling: Decimal = AMOUNT_CEILING,
) -> ImportResult:
    """Parse and validate a list file, then apply it (or only report, on a dry run).

    ``amount_ceiling`` is the largest amount (万元) a cell may hold: the office's
    ``AMOUNT_MAX_WAN`` setting (a larger one is a row error naming its sheet, row and column).

    ``mapping`` (heading -> field name or ``IGNORE``, see ``normalize_mapping``) settles
    columns for this import on top of the mappings remembered from earlier ones; ``year``
    says what 本年度 means. A real import that goes through remembers ``mapping``.
    """
    from tracker.excel.parse_list import parse_project_list

    require(actor, "plan.import")
    given = normalize_mapping(mapping or {})
    if progress is not None:  # only before the session reads: a write from the progress
        progress(0.05, "reading")  # reporter would make SQLite refuse this transaction's
    remembered = remembered_mappings(session)  # later writes (a stale snapshot)
    combined = {**remembered, **given}
    try:
        parsed = parse_project_list(
            data,
            filename,
            max_bytes=max_bytes,
            mapping=combined,
            year=year,
            amount_ceiling=Decimal(amount_ceiling),
        )
    except ListFileError as exc:
        raise ImportRefused(getattr(exc, "message", str(exc))) from exc
    if parsed.needs_input:
        result = ImportResult(
            dry_run=True,
            errors=[],
            warnings=list(parsed.warnings),
            warning_messages=list(parsed.warning_messages),
        )
        _describe(result, parsed, given, remembered)
        return result
    result = apply_parsed_list(session, actor=actor, parsed=parsed, dry_run=dry_run)
    _describe(result, parsed, given, remembered)
    if not dry_run and result.ok and given:
        remember_mappings(session, actor=actor, mapping=given)
    return result


def _describe(
    result: ImportResult, parsed: ParsedList, given: dict[str, str], remembered: dict[str, str]
) -> None:
    result.columns = list(parsed.columns)
    result.missing = list(parsed.missing)
    result.missing_messages = list(parsed.missing_messages)
    result.year, result.year_source = parsed.year, parsed.year_source
    result.year_origin = parsed.year_origin
    result.year_needed = parsed.year_needed
    result.mapping = dict(given)
    headers = {mapping_key(c.header) for c in parsed.columns if c.header}
    result.remembered = {k: v for k, v in remembered.items() if k in headers}


def normalize_mapping(mapping: dict[str, str]) -> dict[str, str]:
    """A mapping with every field named canonically (``Field`` names, ``IGNORE``); the
    right-hand side may be a field's Chinese label, its English name, or any heading the
    rules recognise. ``InvalidInput`` names what it cannot place."""
    normalized: dict[str, str] = {}
    for header, target in mapping.items():
        key = mapping_key(str(header))
        if not key:
            continue
        found = parse_target_field(str(target))
        if found is None:
            choices = "、".join(f.value for f in Field if f not in _NOT_MAPPABLE)
            raise InvalidInput(
                "plan_import.unknown_field", header=header, target=target, choices=choices
            )
        normalized[key] = found if isinstance(found, str) and found == IGNORE else found.name  # type: ignore[union-attr]
    return normalized


_NOT_MAPPABLE = {Field.MILESTONE_NAME, Field.MILESTONE_DATE, Field.MILESTONE_ACTUAL}


def remembered_mappings(session: Session) -> dict[str, str]:
    """Every heading the office has mapped before: heading -> field name or ``IGNORE``."""
    return {m.header: m.field for m in session.exec(select(HeaderMapping))}


def remember_mappings(session: Session, *, actor: Actor, mapping: dict[str, str]) -> None:
    """Keep ``mapping`` for the next list with the same headings (audited)."""
    require(actor, "plan.import")
    existing = {m.header: m for m in session.exec(select(HeaderMapping))}
    for header, target in mapping.items():
        if len(header) > 200 or header.startswith("#"):
            continue
        if "!" in header and len(header.split("!")[-1]) <= 3 and header.split("!")[-1].isalpha():
            continue  # a column letter on a sheet (工作表!G) says nothing about the next list
        if header.isascii() and header.isalpha() and len(header) <= 3:
            continue  # a column letter
        current = existing.get(header)
        if current is None:
            row = HeaderMapping(header=header, field=target, updated_by=actor.id)
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor,
                "mapping_create",
                "headermapping",
                row.id,
                None,
                {"header": header, "field": target},
            )
        elif current.field != target:
            before = {"header": header, "field": current.field}
            current.field = target
            current.updated_by = actor.id
            current.updated_at = utcnow()
            current.version += 1
            session.add(current)
            audit.record(
                session,
                actor,
                "mapping_update",
                "headermapping",
                current.id,
                before,
                {"header": header, "field": target},
            )


def apply_parsed_list(
    session: Session, *, actor: Actor, parsed: ParsedList, dry_run: bool
) -> ImportResult:
    """Write ``parsed`` into the plan in the session's transaction (nothing on errors)."""
    require(actor, "plan.import")
    result = ImportResult(
        dry_run=dry_run,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        warning_messages=list(parsed.warning_messages),
    )
    if not parsed.projects and not result.errors:
        raise ImportRefused("plan_import.no_rows")
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
        # 前期手续 (#17): each project's steps by their standard step's code
        self.step_types = {t.code: t for t in session.exec(select(ApprovalStepType))}
        code_of = {t.id: code for code, t in self.step_types.items()}
        # a step without its catalogue entry is known by its standard name
        by_name = {t.name: code for code, t in STEPS_BY_CODE.items()}
        by_name.update({t.name: code for code, t in self.step_types.items()})
        self.steps: dict[int, dict[str, ProjectStep]] = defaultdict(dict)
        self.step_seq: dict[int, int] = defaultdict(int)
        for step in session.exec(select(ProjectStep).order_by(ProjectStep.seq)):
            self.step_seq[step.project_id] = max(self.step_seq[step.project_id], step.seq)
            code = code_of.get(step.step_type_id) or by_name.get(step.name)
            if code is not None:
                self.steps[step.project_id].setdefault(code, step)

    def measure_label(self, measure_id: int) -> str:
        area_names = {a.id: a.name for a in self.areas.values()}
        for (area_id, name), measure in self.measures.items():
            if measure.id == measure_id:
                return f"{area_names.get(area_id, '')} / {name}"
        return str(measure_id)


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
                    row.sheet,
                    row.row,
                    "",
                    NAME_FIELD,
                    msg("plan_import.same_project", row=matched[project.id].row),
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
        if _update_project(session, actor, plan, project, row, measure_of[project_id], result):
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
                "actual_date": m.actual,
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
        snap["milestones"] = [_milestone_entry(m.name, m.planned, m.actual) for m in row.milestones]
        snap["annual_plans"] = {str(y): str(a) for y, a in sorted(row.annual_plans.items())}
        entries.append(audit.values(actor, "import_create", "project", pid, None, snap))
        result.created.append(f"{values['code']} {row.name}")
        result.milestones += len(row.milestones)
    for model, rows_ in ((Milestone, milestones), (InvestmentPlan, plans), (AuditLog, entries)):
        if rows_:
            session.execute(insert(model), rows_)
    for pid, (row, _) in zip(ids, new_rows, strict=True):
        for code, day in row.approvals.items():  # 前期手续 dates the list gives (#17)
            step = _new_step(plan, pid, code, day)
            session.add(step)
            session.flush()
            audit.record(
                session, actor, "import_create", "projectstep", step.id, None, _step_audit(step)
            )


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
            RowError(row.sheet, row.row, "", NAME_FIELD, msg("plan_import.same_name"))
        )
        return None
    return candidates[0] if candidates else None


def _new_code(plan: _Plan, measure: Measure) -> str:
    n = 1
    while (code := f"XM-{measure.id or 0:02d}-{n:02d}") in plan.codes:
        n += 1
    return code


def _update_project(
    session: Session,
    actor: Actor,
    plan: _Plan,
    project: Project,
    row: ProjectRow,
    measure: Measure,
    result: ImportResult,
) -> bool:
    """Bring ``project`` in line with the fields ``row``'s list carries; True when anything
    changed (recorded field by field in ``result.changes``)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    present = row.present
    for name in PROJECT_FIELDS:
        if present is not None and name not in present:
            continue  # the list has no column for it: keep what the plan holds
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

    if present is None or "milestones" in present:
        existing = plan.milestones.get(project.id or 0, [])
        ms_before, ms_after = _sync_milestones(session, project, existing, row.milestones)
        if ms_before != ms_after:
            before["milestones"], after["milestones"] = ms_before, ms_after

    if row.approvals:
        ap_before, ap_after = _sync_approvals(session, actor, plan, project, row)
        before.update(ap_before)
        after.update(ap_after)

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
    result.changes.append(
        ProjectChange(
            _label(project),
            tuple(
                FieldChange(_field_label(k), _shown(k, before[k], plan), _shown(k, after[k], plan))
                for k in after
            ),
        )
    )
    return True


def _approval_label(code: str) -> str:
    return f"{STEPS_BY_CODE[code].name}（办结时间）"


def _sync_approvals(
    session: Session, actor: Actor, plan: _Plan, project: Project, row: ProjectRow
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The approval dates the list gives (可研批复时间 …) become the project's steps' actual
    finish; a step the project lacks is added from the catalogue. A blank cell never clears
    a date (the county may have entered it in the app). Returns the project's before/after."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    pid = project.id or 0
    for code, day in row.approvals.items():
        step = plan.steps[pid].get(code)
        if step is not None and step.actual_finish == day:
            continue
        before[f"approval_{code}"] = None if step is None else step.actual_finish
        after[f"approval_{code}"] = day
        if step is None:
            step = _new_step(plan, pid, code, day)
            session.add(step)
            session.flush()
            plan.steps[pid][code] = step
            audit.record(
                session, actor, "import_create", "projectstep", step.id, None, _step_audit(step)
            )
            continue
        old = _step_audit(step)
        step.actual_finish = day
        step.version += 1
        step.updated_at = utcnow()
        session.add(step)
        audit.record(
            session, actor, "import_update", "projectstep", step.id, old, _step_audit(step)
        )
    return before, after


def _new_step(plan: _Plan, project_id: int, code: str, day: date) -> ProjectStep:
    kind = plan.step_types.get(code)
    standard = STEPS_BY_CODE[code]
    plan.step_seq[project_id] += 1
    return ProjectStep(
        project_id=project_id,
        step_type_id=kind.id if kind else None,
        seq=plan.step_seq[project_id],
        name=kind.name if kind else standard.name,
        approving_unit=kind.approving_unit if kind else standard.approving_unit,
        time_limit_days=kind.time_limit_days if kind else standard.time_limit_days,
        actual_finish=day,
    )


def _step_audit(step: ProjectStep) -> dict[str, Any]:
    return audit.snapshot(step, ["name", "actual_start", "actual_finish", "version"])


def _field_label(name: str) -> str:
    if name.startswith("approval_"):
        return _approval_label(name.removeprefix("approval_"))
    if name.startswith("plan_"):
        return f"{name[5:]}年计划投资（万元）"
    return FIELD_LABELS.get(name, name)


def _shown(name: str, value: Any, plan: _Plan) -> str:
    """A value as the dry run shows it."""
    if value is None or value == "":
        return "（空）"
    if name == "measure_id":
        return plan.measure_label(value)
    if name == "milestones":
        return (
            "；".join(
                f"{n} {d}" + (f"（完成 {a}）" if len(m) > 2 and (a := m[2]) else "")
                for m in value
                for n, d in [m[:2]]
            )
            or "（无）"
        )
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sync_milestones(
    session: Session, project: Project, existing: list[Milestone], rows: tuple[MilestoneRow, ...]
) -> tuple[list[list[str]], list[list[str]]]:
    """Match milestones by name, else take one the list no longer names (a rename).

    A new planned date keeps the baseline. A completion date the list gives is taken; one
    the list leaves blank is never cleared (the county may have reported it in the app).
    Milestones missing from the list are kept: they may carry actual dates and history.
    """
    before = [_milestone_entry(m.name, m.planned_date, m.actual_date) for m in existing]
    listed = {r.name for r in rows}
    by_name = {m.name: m for m in existing}
    spare = [m for m in existing if m.name not in listed]
    next_seq = max((m.seq for m in existing), default=0) + 1
    after: list[list[str]] = []
    for row in rows:
        milestone = by_name.get(row.name) or (spare.pop(0) if spare else None)
        if milestone is None:
            session.add(
                Milestone(
                    project_id=project.id or 0,
                    seq=next_seq,
                    name=row.name,
                    baseline_date=row.planned,
                    planned_date=row.planned,
                    actual_date=row.actual,
                )
            )
            next_seq += 1
            after.append(_milestone_entry(row.name, row.planned, row.actual))
            continue
        actual = row.actual or milestone.actual_date
        after.append(_milestone_entry(row.name, row.planned, actual))
        if (milestone.name, milestone.planned_date, milestone.actual_date) != (
            row.name,
            row.planned,
            actual,
        ):
            milestone.name = row.name
            milestone.planned_date = row.planned
            milestone.actual_date = actual
            milestone.version += 1
            milestone.updated_at = utcnow()
            session.add(milestone)
    after += [_milestone_entry(m.name, m.planned_date, m.actual_date) for m in spare]
    return before, after


def _milestone_entry(name: str, planned: date, actual: date | None) -> list[str]:
    entry = [name, planned.isoformat()]
    if actual is not None:
        entry.append(actual.isoformat())
    return entry


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
        milestones[m.project_id].append(MilestoneRow(m.name, m.planned_date, m.actual_date))
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
