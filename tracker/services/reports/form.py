"""The offline Excel form: the prefilled workbook, and an upload applied all or nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from tracker.config import Settings
from tracker.domain.messages import Message, listing, msg
from tracker.domain.periods import month_start
from tracker.domain.reports import (
    AMOUNT_FIELDS,
    TEXT_FIELDS,
    overwrite_allowed,
    report_change,
)
from tracker.excel.cells import safe_text
from tracker.excel.report_form import (
    FilledRow,
    FormRow,
    ReportForm,
    error,
    parse_report_form,
    report_form_workbook,
)
from tracker.excel.rows import RowError
from tracker.models import (
    MonthlyReport,
    Project,
)
from tracker.services.auth import Actor
from tracker.services.cycle import PeriodLocked, get_period, require_open
from tracker.services.errors import NotFound
from tracker.services.permissions import can
from tracker.services.reports.grid import ReportValues, _office, report_grid
from tracker.services.reports.saves import (
    prepare,
    save_draft,
    submit_report,
)


@dataclass
class FormResult:
    """An uploaded form: what was saved, or why nothing was."""

    saved: int = 0
    skipped: int = 0  # rows left blank (本月完成投资 empty): not reported in this upload
    unchanged: int = 0  # rows identical to what is stored, e.g. already submitted: 未变更
    errors: list[RowError] = field(default_factory=list)
    notes: list[RowError] = field(default_factory=list)  # values read after normalising

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the offline Excel form -----------------------------------------------------------------


def report_form(
    session: Session,
    *,
    actor: Actor,
    period: date,
    today: date,
    settings: Settings,
    county: str | None = None,
) -> bytes:
    """The actor's (or, for the office, one county's) prefilled form as .xlsx bytes."""
    period = month_start(period)
    row = get_period(session, period)
    if row is None:
        raise NotFound("report.no_period_for", period=period)
    lines = report_grid(session, actor=actor, period=period, today=today, settings=settings)
    if county is not None:
        lines = [line for line in lines if line.county == county]
    scope = actor.county or actor.lead_unit or county or "全部"
    form = ReportForm(
        period=period,
        scope=scope,
        due_on=row.due_on,
        rows=[
            FormRow(
                code=line.code,
                name=line.name,
                county=line.county,
                lead_unit=line.lead_unit,
                last_ytd=line.carried.ytd,
                last_total=line.carried.total,
                version=line.version,
                status=line.status,
                # a prefill's running totals are last month's: the form shows them apart
                **asdict(line.values if line.report_id else replace(line.values, **BLANK)),
            )
            for line in lines
        ],
    )
    return report_form_workbook(form)


BLANK = dict.fromkeys(AMOUNT_FIELDS)


def apply_report_form(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    today: date,
    settings: Settings,
    submit: bool = True,
    filename: str = "",
) -> FormResult:
    """Apply an uploaded form all-or-nothing: every row is checked first; any error, and
    nothing is written. Rows outside the actor's scope are errors, not silently skipped.

    The file passes the upload guard first (``FormFileError`` when refused). A row identical
    to the stored report is skipped and counted as 未变更, so a form downloaded and sent
    back unchanged is accepted; a changed row over a submitted report is refused (unless
    the office returned it, or the office itself uploads).
    """
    parsed = parse_report_form(data, filename, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)
    result = FormResult(
        skipped=parsed.skipped, errors=list(parsed.errors), notes=list(parsed.notes)
    )
    assert parsed.period is not None
    period = parsed.period
    try:
        require_open(session, period)
    except PeriodLocked as exc:
        result.errors.append(error(0, "", exc.message))
        return result
    plan: list[tuple[FilledRow, Project, ReportValues]] = []
    codes = [row.code for row in parsed.rows]
    projects = {
        p.code: p for p in session.exec(select(Project).where(col(Project.code).in_(codes))).all()
    }
    reports = {
        r.project_id: r
        for r in session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == period)
            .where(col(MonthlyReport.project_id).in_([p.id for p in projects.values()]))
        ).all()
    }
    for row in parsed.rows:
        project = projects.get(row.code)
        if project is None:
            result.errors.append(
                error(row.row, "code", msg("report.form.no_project", code=row.code))
            )
            continue
        if not can(actor, "report.edit", project):
            result.errors.append(
                error(row.row, "code", msg("report.form.out_of_scope", code=row.code))
            )
            continue
        current = reports.get(project.id or 0)
        version = current.version if current else 0
        if row.version != version:
            result.errors.append(error(row.row, "version", msg("report.form.stale")))
            continue
        values, _, problems = prepare(
            session,
            project=project,
            period=period,
            values=row.values(),
            today=today,
            settings=settings,
            submit=submit,
        )
        if current is not None:
            changed = _form_changes(values, current)
            target = "submitted" if submit else "draft"
            if not changed and current.status in ("submitted", target):
                result.unchanged += 1
                continue
            if not overwrite_allowed(current.status, office=_office(actor)):
                changes = listing((text for _, text in changed), zh="；", en="; ")
                result.errors.append(
                    error(
                        row.row,
                        changed[0][0] if changed else "status",
                        msg("report.form.submitted_changes", changes=changes),
                    )
                )
                continue
        for problem in problems:
            result.errors.append(error(row.row, problem.field, problem.note))
        plan.append((row, project, values))
    if result.errors:
        return result
    for row, project, values in plan:
        save = submit_report if submit else save_draft
        save(
            session,
            actor=actor,
            project_id=project.id or 0,
            period=period,
            values=values,
            seen_version=row.version,
            today=today,
            settings=settings,
        )
        result.saved += 1
    return result


def _form_changes(values: ReportValues, stored: MonthlyReport) -> list[tuple[str, Message]]:
    """What a form row changes against the stored report: (column key, 字段 旧 → 新)."""
    changes: list[tuple[str, Message]] = []
    for name in AMOUNT_FIELDS:
        new, old = getattr(values, name), getattr(stored, name)
        if new is not None and abs(new - old) > Decimal("0.005"):
            changes.append((name, report_change(name, old, new)))
    pct = values.progress_pct
    if pct is not None and abs(pct - stored.progress_pct) > 0.005:
        changes.append(("progress_pct", report_change("progress_pct", stored.progress_pct, pct)))
    for name in TEXT_FIELDS:
        new, old = getattr(values, name) or "", safe_text(getattr(stored, name) or "").strip()
        if new != old:
            changes.append((name, report_change(name, _short(old), _short(new))))
    return changes


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"
