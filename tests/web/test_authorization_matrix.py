"""Every callback that changes data, called by a forged POST to /_dash-update-component.

Each cell (role × callback) must match the permission table (``can``), and a denied call
must leave every row of every table as it was. A meta-test fails when a callback is
neither here nor on the read-only list — a new callback has to be placed in one of them.
"""

from __future__ import annotations

import base64
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import callback as _callback
from tests.web.dashcalls import forge
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.domain.places import COUNTIES
from tracker.models import (
    ImportJob,
    Milestone,
    MonthlyReport,
    Notification,
    ProblemItem,
    Project,
    User,
)
from tracker.services.auth import Actor
from tracker.services.permissions import can
from tracker.web.app import create_app

ROLES = ("anonymous", "viewer", "county_own", "county_other", "unit", "admin")
UNIT = "市科技局"

READ_ONLY = {
    "update",  # Dash pages' router: renders a page layout
    "refresh_overview",
    "reset_overview_filters",
    "open_clicked_projects",
    "refresh_project_list",
    "reset_project_filters",
    "download_project_view",
    "open_milestone_form",
    "refresh_project_page",
    "show_selected_user",
    "refresh_users",
    "refresh_pending",
    "import_progress",
    "export_project_list",
    "user_frame",
    # #18: the map page's drawing and the place picked on it
    "update_project_map",
    "show_chosen_place",
    # the monthly dispatch: reading, opening dialogs, downloads, polling
    "show_report_month",
    "refresh_report_panels",
    "download_report_form",
    "open_return_dialog",
    "show_phone_cards",  # #18: the phone's cards and its per-project form, from the grid's rows
    "open_phone_form",
    "refresh_ledger",
    "show_ledger_item",
    "show_bulletin",
    "download_bulletin",
    "download_revision",
    "download_span_bulletin",
    "show_span_year",
    "open_compile_dialog",
    "compile_progress",
    "open_notifications",
    "update_battle_map",
    "export_battle_map",
    # the zone's indicators (#16): lists, the page's refresh, filling the form from a period
    "refresh_indicator_list",
    "reset_indicator_filters",
    "refresh_indicator_page",
    "fill_indicator_entry",
    "show_evidence_name",
    "download_indicator_evidence",
    "download_indicator_form",
    # #17: the project page's 前期手续 section
    "open_step_form",
    "refresh_project_steps",
}


# --- the world each cell starts from ---------------------------------------------------------


@dataclass
class World:
    engine: Any
    project: Project  # in a county, led by UNIT
    milestone: Milestone  # an open milestone of ``project``
    pending: Milestone  # a milestone of ``project`` with a reschedule waiting
    users: dict[str, User]
    job_id: int  # an import job checked and ready to apply (the admin's)
    made: dict[str, Any] = field(default_factory=dict)  # what a case's setup created


def _section_edit(w: World, *, version: int) -> None:
    """November's 三、存在问题 as the office last saved it, at ``version``."""
    from tracker.models import BulletinSectionEdit

    with write_session(w.engine) as s:
        s.add(
            BulletinSectionEdit(
                period=NOVEMBER, section="problems", text="用地报批滞后。", version=version
            )
        )


def _world(engine) -> World:
    with write_session(engine) as s:
        candidates = s.exec(
            select(Project)
            .where(Project.lead_unit == UNIT, Project.county.in_(COUNTIES))  # type: ignore[attr-defined]
            .order_by(Project.id)
        ).all()
        project, open_ms = None, []
        for candidate in candidates:
            open_ms = s.exec(
                select(Milestone)
                .where(Milestone.project_id == candidate.id, Milestone.actual_date.is_(None))  # type: ignore[union-attr]
                .order_by(Milestone.seq)
            ).all()
            if len(open_ms) >= 2:
                project = candidate
                break
        assert project is not None, "the demo has a county project of 市科技局 with open milestones"
        milestone, pending = open_ms[0], open_ms[-1]
        pending.pending_date = date(2028, 6, 30)
        pending.pending_reason = "征地延迟"
        s.add(pending)
        users = {u.username: u for u in s.exec(select(User))}
        county_own = next(
            u for u in users.values() if u.role == "county" and u.county == project.county
        )
        county_other = next(
            u for u in users.values() if u.role == "county" and u.county != project.county
        )
        admin = users["admin"]
        job = ImportJob(
            user_id=admin.id,
            filename="清单.xlsx",
            size=10,
            status="ready",
            stage="checked",
            result={
                "created": ["新项目"],
                "updated": [],
                "unchanged": 0,
                "errors": [],
                "summary": "新增 1 个",
            },
        )
        job.data = b"PK-fake-xlsx"
        s.add(job)
        s.flush()
        roles = {
            "viewer": users["leader"],
            "county_own": county_own,
            "county_other": county_other,
            "unit": users["kejiju"],
            "admin": admin,
        }
        return World(engine, project, milestone, pending, roles, job.id or 0)


# --- cases ----------------------------------------------------------------------------------


@dataclass
class Case:
    name: str  # the callback's function name
    action: str  # the permission it needs
    on_project: bool  # the permission is checked against World.project
    values: Callable[[World], dict[str, Any]]  # "component.prop" -> value
    pattern: Callable[[World], dict] | None = None  # id of the clicked pattern-matching button
    setup: Callable[[World], None] | None = None  # data the case needs, made before the call
    everyone: bool = False  # allowed to every signed-in user (on their own records)


def _ms(w: World) -> dict:
    return {"milestone_id": w.milestone.id, "version": w.milestone.version}


def _row(w: World, username: str = "yunxian") -> list[dict]:
    with read_session(w.engine) as s:
        u = s.exec(select(User).where(User.username == username)).one()
    return [
        {
            "username": u.username,
            "role": u.role,
            "county": u.county,
            "lead_unit": u.lead_unit,
            "active": u.active,
            "version": u.version,
        }
    ]


def _upload() -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(b"PK-fake-xlsx").decode()


CASES = [
    Case(
        "save_milestone_done",
        "milestone.update",
        True,
        lambda w: {
            "pj-done-save.n_clicks": 1,
            "pj-form.data": _ms(w),
            "pj-done-date.value": DEMO_AS_OF.isoformat(),
        },
    ),
    Case(
        "save_milestone_reschedule",
        "milestone.update",
        True,
        lambda w: {
            "pj-reschedule-save.n_clicks": 1,
            "pj-form.data": _ms(w),
            "pj-new-date.value": "2028-12-31",
            "pj-reason.value": "资金未到位",
        },
    ),
    Case(
        "save_milestone_note",
        "milestone.update",
        True,
        lambda w: {
            "pj-note-save.n_clicks": 1,
            "pj-form.data": _ms(w),
            "pj-note.value": "已完成招标",
        },
    ),
    Case(
        "add_user",
        "user.manage",
        False,
        lambda w: {
            "ad-add-save.n_clicks": 1,
            "ad-add-username.value": "intruder",
            "ad-add-name.value": "新账号",
            "ad-add-role.value": "admin",
            "ad-add-password.value": "a-long-password",
        },
    ),
    Case(
        "toggle_user_active",
        "user.manage",
        False,
        lambda w: {"ad-toggle.n_clicks": 1, "ad-users-grid.selectedRows": _row(w)},
    ),
    Case(
        "reset_user_password",
        "user.manage",
        False,
        lambda w: {"ad-reset.n_clicks": 1, "ad-users-grid.selectedRows": _row(w)},
    ),
    Case(
        "save_user_scope",
        "user.manage",
        False,
        lambda w: {
            "ad-scope-save.n_clicks": 1,
            "ad-users-grid.selectedRows": _row(w),
            "ad-scope-role.value": "county",
            "ad-scope-county.value": "沧源县",
        },
    ),
    Case(
        "sign_out_user_everywhere",
        "user.manage",
        False,
        lambda w: {"ad-sign-out.n_clicks": 1, "ad-users-grid.selectedRows": _row(w)},
    ),
    Case(
        "save_thresholds",
        "settings.edit",
        False,
        lambda w: {
            "ad-th-save.n_clicks": 1,
            "ad-th-amber_gap_pp.value": 1,
            "ad-th-red_gap_pp.value": 2,
            "ad-th-version.data": 0,
        },
    ),
    Case(
        "save_approval_setting",
        "settings.edit",
        False,
        lambda w: {
            "ad-approval-save.n_clicks": 1,
            "ad-approval.checked": True,
            "ad-approval-version.data": 0,
        },
    ),
    Case(
        "approve_reschedule_request",
        "milestone.approve",
        True,
        lambda w: {},
        pattern=lambda w: {"type": "ad-approve", "index": w.pending.id, "v": w.pending.version},
    ),
    Case(
        "reject_reschedule_request",
        "milestone.approve",
        True,
        lambda w: {},
        pattern=lambda w: {"type": "ad-reject", "index": w.pending.id, "v": w.pending.version},
    ),
    Case(
        "upload_project_list",
        "plan.import",
        False,
        lambda w: {"ad-upload.contents": _upload(), "ad-upload.filename": "清单.xlsx"},
    ),
    Case(
        "confirm_project_import",
        "plan.import",
        False,
        lambda w: {"ad-confirm.n_clicks": 1, "ad-job.data": {"id": w.job_id, "version": 1}},
    ),
    Case(
        "remap_project_list",
        "plan.import",
        False,
        lambda w: {
            "ad-remap.n_clicks": 1,
            "ad-job.data": {"id": w.job_id, "version": 1},
            "ad-map-year.value": 2026,
        },
        pattern=lambda w: {"type": "ad-map", "index": "项目所在片区"},
    ),
]
# --- the monthly dispatch: reports, ledger, bell, bulletin -------------------------------------

NOVEMBER = date(2026, 11, 1)  # the month open on the demo's day
SCOPED_EDIT = ["county_own", "unit", "admin"]
DISPATCH_CELLS = {
    "save_report_drafts": SCOPED_EDIT,
    "submit_reports": SCOPED_EDIT,
    "save_phone_report": SCOPED_EDIT,  # #18: one project's report from the phone's form
    "upload_report_form": SCOPED_EDIT,
    "save_ledger_item": SCOPED_EDIT,
    "mark_notifications_read": ["viewer", "county_own", "county_other", "unit", "admin"],
    "submit_indicator_value": ["unit", "admin"],  # #16: the indicator's 责任单位 and the office
    "save_indicator_entries": ["unit", "admin"],
    "upload_indicator_form": ["unit", "admin"],
    # #17: a project's approval steps and links, like its milestones
    "save_project_step": SCOPED_EDIT,
    "delete_project_step": SCOPED_EDIT,
    "add_step_link": SCOPED_EDIT,
    "delete_step_link": SCOPED_EDIT,
    "apply_step_template": SCOPED_EDIT,
}


def _november_report(w: World, status: str) -> None:
    """The world's project has a November report in ``status`` (made if the demo has none),
    and is due to report in November (reports go only where due)."""
    with write_session(w.engine) as s:
        project = s.get(Project, w.project.id)
        assert project is not None
        if project.actual_start is None and (project.planned_start or NOVEMBER) > NOVEMBER:
            project.planned_start = NOVEMBER
            s.add(project)
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == w.project.id)
            .where(MonthlyReport.period == NOVEMBER)
        ).first()
        if report is None:
            report = MonthlyReport(project_id=w.project.id or 0, period=NOVEMBER)
        report.status = status
        report.return_comment = "请核实" if status == "returned" else ""
        s.add(report)
        s.flush()
        w.made["report_version"] = report.version


def grid_row(project_id: int, version: int, **cells: Any) -> dict[str, Any]:
    """One line of the report grid as the browser holds it: a returned report, edited."""
    return {
        "row_id": str(project_id),
        "project_id": project_id,
        "version": version,
        "status": "returned",
        "editable": True,
        "completed_month": 10,
        "progress_pct": 50,
        "progress_text": "主体施工",
        "problems": "资金到位慢",
        "reporter": "填报人",
        "orig": {},
        **cells,
    }


def grid_values(row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The November grid's callback values holding ``row``."""
    return {
        "rp-grid.rowData": [row],
        "rp-grid.virtualRowData": [row],
        "rp-period.data": NOVEMBER.isoformat(),
        **extra,
    }


def _grid(w: World, **extra: Any) -> dict[str, Any]:
    return grid_values(grid_row(w.project.id, w.made["report_version"]), **extra)


def form_workbook(w: World, **over) -> bytes:
    """November's report form holding ``w``'s project, returned with its problems unless told."""
    from tracker.excel.report_form import FormRow, ReportForm, report_form_workbook

    values = {
        "code": w.project.code,
        "name": w.project.name,
        "county": w.project.county,
        "lead_unit": w.project.lead_unit,
        "last_ytd": Decimal("0"),
        "last_total": Decimal("0"),
        "version": w.made["report_version"],
        "status": "returned",
        "completed_month": Decimal("10"),
        "progress_pct": 50.0,
        "progress_text": "主体施工",
        "problems": "资金到位慢",
        "reporter": "填报人",
    } | over
    return report_form_workbook(
        ReportForm(period=NOVEMBER, scope="", due_on=date(2026, 11, 25), rows=[FormRow(**values)])
    )


def upload_url(data: bytes) -> str:
    """An uploaded file as dcc.Upload hands it to the callback."""
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def _form(w: World) -> str:
    return upload_url(form_workbook(w))


def _ledger_item(status: str) -> Callable[[World], None]:
    def setup(w: World) -> None:
        with write_session(w.engine) as s:
            item = ProblemItem(
                project_id=w.project.id or 0,
                text="征地拆迁未完成",
                owner=w.project.lead_unit,
                due_date=date(2026, 12, 25),
                raised_on=date(2026, 11, 20),
                status=status,
                closed_on=date(2026, 11, 25) if status == "closed" else None,
            )
            s.add(item)
            s.flush()
            w.made["item"] = {"item_id": item.id, "version": item.version, "level": "office"}

    return setup


def _unread_for_everyone(w: World) -> None:
    with write_session(w.engine) as s:
        for user in w.users.values():
            s.add(
                Notification(
                    user_id=user.id,
                    channel="inapp",
                    reason="report_open",
                    dedupe_key=f"inapp:{user.id}:matrix",
                    subject="月报填报已开放",
                    status="sent",
                )
            )


def _failed_mail(w: World) -> None:
    with write_session(w.engine) as s:
        row = Notification(
            user_id=w.users["county_own"].id,
            channel="email",
            reason="report_open",
            dedupe_key="email:matrix:failed",
            subject="月报填报已开放",
            recipient="lead@example.lincang.gov.cn",
            status="failed",
            attempts=5,
            last_error="SMTPServerDisconnected",
        )
        s.add(row)
        s.flush()
        w.made["notification"] = row.id


DISPATCH_CASES = [
    Case(
        "save_report_drafts",
        "report.edit",
        True,
        lambda w: _grid(w, **{"rp-save.n_clicks": 1}),
        setup=lambda w: _november_report(w, "returned"),
    ),
    Case(
        "submit_reports",
        "report.edit",
        True,
        lambda w: _grid(
            w,
            **{
                "rp-submit-selected.n_clicks": 1,
                "rp-grid.selectedRows": [{"row_id": str(w.project.id)}],
            },
        ),
        setup=lambda w: _november_report(w, "returned"),
    ),
    Case(
        "save_phone_report",
        "report.edit",
        True,
        lambda w: _grid(w, **{"rp-phone-save.n_clicks": 1, "rp-phone-target.data": w.project.id}),
        pattern=lambda w: {"type": "rp-phone-field", "index": "completed_month"},
        setup=lambda w: _november_report(w, "returned"),
    ),
    Case(
        "return_submitted_report",
        "report.return",
        True,
        lambda w: {
            "rp-return-confirm.n_clicks": 1,
            "rp-return-target.data": {
                "project_id": w.project.id,
                "period": NOVEMBER.isoformat(),
                "version": w.made["report_version"],
            },
            "rp-return-comment.value": "本月完成投资与凭证不符",
        },
        setup=lambda w: _november_report(w, "submitted"),
    ),
    Case(
        "upload_report_form",
        "report.edit",
        True,
        lambda w: {
            "rp-upload.contents": _form(w),
            "rp-upload.filename": "月度调度表.xlsx",
            "rp-upload-draft.checked": False,
        },
        setup=lambda w: _november_report(w, "returned"),
    ),
    Case(
        "save_ledger_item",
        "problem.edit",
        True,
        lambda w: {
            "lg-save.n_clicks": 1,
            "lg-item.data": w.made["item"],
            "lg-owner.value": "市自然资源局",
        },
        setup=_ledger_item("open"),
    ),
    Case(
        "download_duban",  # issuing a 督办单 gives the item its 文号 (audited)
        "duban.issue",
        True,
        lambda w: {"lg-duban-docx.n_clicks": 1, "lg-item.data": w.made["item"]},
        setup=_ledger_item("open"),
    ),
    Case(  # #14: the office rewrites a section of November's 公文 before 定稿 (audited)
        "save_bulletin_section",
        "bulletin.edit",
        False,
        lambda w: {"bl-month.value": NOVEMBER.isoformat()},
        pattern=lambda w: {"type": "bl-text-save", "index": "problems"},
        # the forged request says it saw version 1 of the section (every pattern state is 1)
        setup=lambda w: _section_edit(w, version=1),
    ),
    Case(
        "close_ledger_item",
        "problem.close",
        True,
        lambda w: {
            "lg-close.n_clicks": 1,
            "lg-item.data": w.made["item"],
            "lg-note.value": "已完成征地",
        },
        setup=_ledger_item("open"),
    ),
    Case(
        "reopen_ledger_item",
        "problem.close",
        True,
        lambda w: {
            "lg-reopen.n_clicks": 1,
            "lg-item.data": w.made["item"],
            "lg-note.value": "误销号",
        },
        setup=_ledger_item("closed"),
    ),
    Case(
        "mark_notifications_read",
        "project.view",
        False,
        lambda w: {"bell-mark-all.n_clicks": 1},
        setup=_unread_for_everyone,
        everyone=True,
    ),
    Case(
        "retry_notification",
        "cycle.run",
        False,
        lambda w: {},
        pattern=lambda w: {"type": "bell-retry", "index": w.made["notification"]},
        setup=_failed_mail,
    ),
    Case(
        "compile_bulletin_now",
        "cycle.run",
        False,
        lambda w: {"bl-compile-confirm.n_clicks": 1, "bl-month.value": NOVEMBER.isoformat()},
    ),
    Case(  # November is open on the demo's day: its close moves from 7 to 9 December
        "move_period_dates",
        "cycle.run",
        False,
        lambda w: {
            "bl-move-save.n_clicks": 1,
            "bl-month.value": NOVEMBER.isoformat(),
            "bl-move-opens.value": "2026-11-20",
            "bl-move-due.value": "2026-11-25",
            "bl-move-closes.value": "2026-12-09",
            "bl-move-reason.value": "调度会推迟",
            "bl-period-version.data": 1,
        },
    ),
    Case(
        "reopen_closed_month",
        "cycle.run",
        False,
        lambda w: {
            "bl-reopen-save.n_clicks": 1,
            "bl-month.value": "2026-10-01",
            "bl-reopen-reason.value": "10月数据更正",
            "bl-period-version.data": 1,
        },
    ),
]
CASES += DISPATCH_CASES


# --- the zone's indicators (#16) ---------------------------------------------------------------


def _indicator(w: World, *, submitted: bool = False) -> None:
    """An indicator whose 责任单位 is UNIT (the world's project's lead unit, so the matrix's
    expected cell — ``can`` on the project — is the indicator's), and for the review cases a
    2025 value the unit has submitted."""
    from tracker.models import Indicator
    from tracker.services import indicators
    from tracker.services.auth import SYSTEM

    spec = indicators.IndicatorSpec(
        system="创新能力监测",
        code="MX-01",
        name="矩阵测试指标",
        unit="%",
        baseline_year=2020,
        baseline_value=1.0,
        targets={2025: 2.0, 2030: 3.0},
        lead_unit=UNIT,
        data_source="市统计局",
        goals=(9,),
    )
    with write_session(w.engine) as s:
        indicators.apply_catalogue(s, actor=SYSTEM, specs=[spec], today=DEMO_AS_OF)
        indicator = s.exec(select(Indicator).where(Indicator.code == "MX-01")).one()
        w.made["indicator"] = indicator.id
        if submitted:
            from tracker.models import IndicatorValue

            stored = s.exec(
                select(IndicatorValue)
                .where(IndicatorValue.indicator_id == indicator.id)
                .where(IndicatorValue.period == date(2025, 1, 1))
            ).first()
            if stored is None:  # (the fuzz run makes the world again on the same database)
                indicators.save_value(
                    s,
                    actor=Actor.of(w.users["unit"]),
                    indicator_id=indicator.id,
                    period="2025-01-01",
                    value="1.6",
                    source="市统计局",
                    today=DEMO_AS_OF,
                )
                stored = s.exec(
                    select(IndicatorValue)
                    .where(IndicatorValue.indicator_id == indicator.id)
                    .where(IndicatorValue.period == date(2025, 1, 1))
                ).one()
            w.made["value"] = f"{stored.id}:{stored.version}"


INDICATOR_CASES = [
    Case(
        "submit_indicator_value",
        "indicator.enter",
        True,
        lambda w: {
            "ix-submit.n_clicks": 1,
            "ix-indicator.data": w.made["indicator"],
            "ix-period.value": "2025-01-01",
            "ix-value.value": "1.7",
            "ix-source.value": "市统计局",
            "ix-note.value": "统计公报",
            "ix-stored.data": {},
        },
        setup=_indicator,
    ),
    Case(
        "accept_indicator_value",
        "indicator.review",
        True,
        lambda w: {"ix-accept.n_clicks": 1, "ix-review-pick.value": w.made["value"]},
        setup=lambda w: _indicator(w, submitted=True),
    ),
    Case(
        "return_indicator_value",
        "indicator.review",
        True,
        lambda w: {
            "ix-return.n_clicks": 1,
            "ix-review-pick.value": w.made["value"],
            "ix-comment.value": "与统计公报不符",
        },
        setup=lambda w: _indicator(w, submitted=True),
    ),
]
INDICATOR_CASES.append(
    Case(  # the unit's entry grid: one line typed in, saved and sent (all or nothing)
        "save_indicator_entries",
        "indicator.enter",
        True,
        lambda w: {
            "ie-save.n_clicks": 1,
            "ie-grid.rowData": [
                {
                    "indicator_id": w.made["indicator"],
                    "code": "MX-01",
                    "period": "2025-01-01",
                    "period_label": "2025年",
                    "value": "1.7",
                    "source": "市统计局",
                    "note": "",
                    "version": None,
                    "editable": True,
                    "orig": {"value": "", "source": "", "note": ""},
                }
            ],
        },
        setup=_indicator,
    )
)


def _indicator_form(w: World) -> str:
    """The unit's values form with MX-01's 2025 value typed in (as Excel leaves it)."""
    import io

    from openpyxl import load_workbook

    from tracker.excel.indicator_form import FIRST_ROW, LETTER, SHEET
    from tracker.services import indicator_cycle

    with read_session(w.engine) as s:
        data = indicator_cycle.indicator_form(s, actor=Actor.of(w.users["unit"]), today=DEMO_AS_OF)
    book = load_workbook(io.BytesIO(data))
    sheet = book[SHEET]
    for r in range(FIRST_ROW, sheet.max_row + 1):
        if sheet[f"{LETTER['code']}{r}"].value == "MX-01":
            sheet[f"{LETTER['value']}{r}"] = 1.7
    out = io.BytesIO()
    book.save(out)
    return upload_url(out.getvalue())


INDICATOR_CASES.append(
    Case(  # the unit's values form, downloaded, filled and uploaded back (all or nothing)
        "upload_indicator_form",
        "indicator.enter",
        True,
        lambda w: {
            "ie-upload.contents": _indicator_form(w),
            "ie-upload.filename": "指标数据填报表.xlsx",
            "ie-upload-draft.checked": False,
        },
        setup=_indicator,
    )
)
CASES += INDICATOR_CASES
# --- #17: the 前期手续 section of the project page --------------------------------------------


def _steps(w: World) -> list:
    from tracker.models import ProjectStep

    with read_session(w.engine) as s:
        return list(
            s.exec(
                select(ProjectStep)
                .where(ProjectStep.project_id == w.project.id)
                .order_by(ProjectStep.seq)
            )
        )


def _add_steps(w: World, names: tuple[tuple[str, str], ...]) -> list[int]:
    """Steps appended to the world's project's chain (after its last one); their ids."""
    from tracker.models import ProjectStep

    last = max((step.seq for step in _steps(w)), default=0)
    with write_session(w.engine) as s:
        made = [
            ProjectStep(project_id=w.project.id or 0, seq=last + i, name=name, approving_unit=unit)
            for i, (name, unit) in enumerate(names, start=1)
        ]
        s.add_all(made)
        s.flush()
        return [m.id or 0 for m in made]


FREE_STEPS = (("压覆矿产查询", "市自然资源和规划局"), ("文物勘探", "市文化和旅游局"))


def _first_step(w: World) -> None:
    if not _steps(w):  # (the fuzz run makes the world again after ``_no_steps`` emptied it)
        _add_steps(w, FREE_STEPS[:1])
    step = _steps(w)[0]
    w.made["step"] = {"step_id": step.id, "version": step.version}


def _two_free_steps(w: World) -> None:
    """Two steps of the project with no link yet (a link between them closes no cycle)."""
    w.made["link_ends"] = [f"step:{i}" for i in _add_steps(w, FREE_STEPS)]


def _first_link(w: World) -> None:
    from tracker.models import StepLink

    def first() -> StepLink | None:
        with read_session(w.engine) as s:
            return s.exec(
                select(StepLink).where(StepLink.project_id == w.project.id).order_by(StepLink.id)
            ).first()

    if first() is None:  # (the fuzz run makes the world again after ``_no_steps`` emptied it)
        source, target = _add_steps(w, FREE_STEPS)
        with write_session(w.engine) as s:
            s.add(StepLink(project_id=w.project.id or 0, from_step_id=source, to_step_id=target))
    link = first()
    assert link is not None
    w.made["link"] = f"{link.id}:{link.version}"


def _no_steps(w: World) -> None:
    from tracker.models import ProjectStep, StepLink

    with write_session(w.engine) as s:
        for model in (StepLink, ProjectStep):
            for row in s.exec(select(model).where(model.project_id == w.project.id)):
                s.delete(row)


APPROVAL_CASES = [
    Case(
        "save_project_step",
        "approval.edit",
        True,
        lambda w: {
            "ps-save.n_clicks": 1,
            "ps-project.data": w.project.id,
            "ps-form.data": {},
            "ps-name.value": "压覆矿产查询",
            "ps-unit.value": "市自然资源和规划局",
            "ps-limit.value": 15,
            "ps-planned-start.value": "2027-01-04",
            "ps-planned-finish.value": "2027-01-29",
        },
    ),
    Case(
        "delete_project_step",
        "approval.edit",
        True,
        lambda w: {"ps-delete.n_clicks": 1, "ps-form.data": w.made["step"]},
        setup=_first_step,
    ),
    Case(
        "add_step_link",
        "approval.edit",
        True,
        lambda w: {
            "ps-link-add.n_clicks": 1,
            "ps-project.data": w.project.id,
            "ps-link-source.value": w.made["link_ends"][0],
            "ps-link-target.value": w.made["link_ends"][1],
            "ps-link-kind.value": "FS",
            "ps-link-lag.value": 2,
        },
        setup=_two_free_steps,
    ),
    Case(
        "delete_step_link",
        "approval.edit",
        True,
        lambda w: {},
        pattern=lambda w: {"type": "ps-link-delete", "index": w.made["link"]},
        setup=_first_link,
    ),
    Case(
        "apply_step_template",
        "approval.edit",
        True,
        lambda w: {"ps-apply.n_clicks": 1, "ps-project.data": w.project.id},
        setup=_no_steps,
    ),
]
CASES += APPROVAL_CASES
# --- #18: site photos and project locations -------------------------------------------------


def _photo_upload() -> list[str]:
    from tests.photos import site_jpeg

    data = site_jpeg(None, None, size=(320, 240))
    return ["data:image/jpeg;base64," + base64.b64encode(data).decode()]


def _photo_in_county(w: World) -> None:
    """A photo of the world's project taken inside its county (no file: only its place)."""
    from tracker.domain.geo import point_in_county
    from tracker.models import Photo

    lat, lon = point_in_county(w.project.county, 5)
    with write_session(w.engine) as s:
        photo = Photo(
            project_id=w.project.id,
            period=NOVEMBER,
            full_sha="0" * 64,
            thumb_sha="1" * 64,
            width=1,
            height=1,
            source_format="JPEG",
            latitude=lat,
            longitude=lon,
            flags=[],
        )
        s.add(photo)
        s.flush()
        w.made["photo"] = photo.id
        w.made["project_version"] = s.get(Project, w.project.id).version


def _map_point(w: World) -> dict:
    from tracker.domain.geo import point_in_county

    lat, lon = point_in_county(w.project.county, 9)
    with read_session(w.engine) as s:
        version = s.get(Project, w.project.id).version
    return {
        "mp-locate-save.n_clicks": 1,
        "mp-locate-project.value": str(w.project.id),
        "mp-point.data": {"lat": lat, "lon": lon},
        "mp-versions.data": {str(w.project.id): version},
    }


MEDIA_CASES = [
    Case(
        "upload_photos",
        "photo.upload",
        True,
        lambda w: {
            "ph-upload.contents": _photo_upload(),
            "ph-upload.filename": ["site.jpg"],
            "pj-project.data": w.project.id,
            "ph-milestone.value": None,
        },
    ),
    Case(
        "locate_from_photo",
        "project.locate",
        True,
        lambda w: {
            "ph-version.data": w.made["project_version"],
            "pj-project.data": w.project.id,
        },
        pattern=lambda w: {"type": "ph-locate", "index": w.made["photo"]},
        setup=_photo_in_county,
    ),
    Case("save_map_location", "project.locate", True, _map_point),
]
DISPATCH_CELLS.update({c.name: SCOPED_EDIT for c in MEDIA_CASES})
CASES += MEDIA_CASES
BY_NAME = {c.name: c for c in CASES}


# --- a fake importer, so the import callbacks have something to call ---------------------------


def _fake_importer() -> types.ModuleType:
    module = types.ModuleType("fake_plan_import")

    class Result:
        def __init__(self, dry_run: bool) -> None:
            self.created = ["新项目"]
            self.updated: list[str] = []
            self.unchanged: list[str] = []
            self.errors: list[str] = []
            self.dry_run = dry_run

        def summary(self) -> str:
            return "新增 1 个"

    def import_project_list(session, *, actor, data, filename, dry_run, max_bytes):
        from tracker.services.permissions import require

        require(actor, "plan.import")
        return Result(dry_run)

    def export_project_list_bytes(session, *, actor):
        return b"PK"

    module.import_project_list = import_project_list  # type: ignore[attr-defined]
    module.export_project_list_bytes = export_project_list_bytes  # type: ignore[attr-defined]
    return module


@pytest.fixture
def fake_importer():
    return _fake_importer()


# --- forging requests -------------------------------------------------------------------------


def _app(engine, importer=None):
    app = create_app(
        load_settings(env={}), engine, today=lambda: DEMO_AS_OF, run_job=lambda f, *a: f(*a)
    )
    if importer is not None:  # the import callbacks call this one (dependency injection)
        app.server.extensions["tracker"].importer = importer
    return app


def _client(app, user: User | None):
    client = app.server.test_client()
    if user is not None:
        sign_in(client, app.server.extensions["tracker"].engine, user)
    return client


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in key order."""
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    present = set(inspect(engine).get_table_names())
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in tables:
            if table in present:
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                out[table] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def _allowed(role: str, case: Case, world: World) -> bool:
    if role == "anonymous":
        return False
    if case.everyone:
        return True
    actor = Actor.of(world.users[role])
    return can(actor, case.action, world.project if case.on_project else None)


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_data_changing_callback_obeys_the_permission_table(
    demo_engine, fake_importer, case: Case, role: str
):
    world = _world(demo_engine)
    app = _app(demo_engine, fake_importer)
    client = _client(app, None if role == "anonymous" else world.users[role])
    if case.setup is not None:
        case.setup(world)
    body = forge(app, case.name, case.values(world), case.pattern(world) if case.pattern else None)
    before = snapshot(demo_engine)
    response = client.post("/_dash-update-component", json=body)
    after = snapshot(demo_engine)
    expected = _allowed(role, case, world)
    if role == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code in (200, 204), response.text[:500]
    changed = [t for t in before if before[t] != after[t]]
    if expected:
        assert changed, f"{role} may run {case.name}, but nothing changed: {response.text[:300]}"
    else:
        assert not changed, f"{role} was refused {case.name}, yet {changed} changed"


def test_the_expected_cells_are_what_the_office_means(demo_engine):
    """A readable restatement of the table the matrix checks against."""
    world = _world(demo_engine)
    milestone_edit = BY_NAME["save_milestone_done"]
    assert [r for r in ROLES if _allowed(r, milestone_edit, world)] == [
        "county_own",
        "unit",
        "admin",
    ]
    for name in BY_NAME:
        if not name.startswith("save_milestone"):
            expected = DISPATCH_CELLS.get(name, ["admin"])
            assert [r for r in ROLES if _allowed(r, BY_NAME[name], world)] == expected, name


# --- the meta-test and the read-only list ----------------------------------------------------------


def _server_callbacks(app) -> set[str]:
    client = app.server.test_client()
    client.get("/login")  # the first request registers Dash pages' router callback
    return {
        spec["callback"].__name__
        for spec in app.callback_map.values()
        if spec.get("callback") is not None
    }


def test_every_callback_is_either_read_only_or_in_the_matrix(sqlite_engine):
    names = _server_callbacks(_app(sqlite_engine))
    unplaced = names - READ_ONLY - set(BY_NAME)
    assert not unplaced, f"place these callbacks in READ_ONLY or in the matrix: {sorted(unplaced)}"
    assert not (READ_ONLY & set(BY_NAME))
    stale = (READ_ONLY | set(BY_NAME)) - names
    assert not stale, f"no such callbacks any more: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(READ_ONLY - {"update"}))
def test_read_only_callbacks_change_nothing_even_for_the_office(demo_engine, fake_importer, name):
    world = _world(demo_engine)
    app = _app(demo_engine, fake_importer)
    client = _client(app, world.users["admin"])
    key, spec = _callback(app, name)
    values = {
        f"{i['id']}.{i['property']}": 1 for i in spec["inputs"] if not i["id"].startswith("{")
    }
    values.update({"ad-job.data": {"id": world.job_id}, "pj-project.data": world.project.id})
    pattern = None
    if spec["inputs"][0]["id"].startswith("{"):
        pattern = {"type": "pj-edit", "index": world.milestone.id}
    before = snapshot(demo_engine)
    response = client.post("/_dash-update-component", json=forge(app, name, values, pattern))
    assert response.status_code in (200, 204), response.text[:500]
    assert snapshot(demo_engine) == before
