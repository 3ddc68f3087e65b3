"""The monthly form's round trip in a real browser: downloaded and sent back unchanged, it is
accepted with nothing changed; a change to a submitted report is refused, saying what
changed and why."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, func, select

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.db import read_session
from tracker.models import AuditLog, MonthlyReport, Project

pytestmark = pytest.mark.browser

COUNTY = "双江县"
LEAD = "shuangjiang"
NOVEMBER = date(2026, 11, 1)  # open on the demo's day; the county has submitted all it owes


def reports(engine) -> list[tuple]:
    with read_session(engine) as s:
        ids = [p.id for p in s.exec(select(Project).where(Project.county == COUNTY))]
        return sorted(
            (r.project_id, r.status, r.version, r.completed_month, r.updated_at)
            for r in s.exec(
                select(MonthlyReport)
                .where(col(MonthlyReport.project_id).in_(ids))
                .where(MonthlyReport.period == NOVEMBER)
            )
        )


def audit_entries(engine) -> int:
    with read_session(engine) as s:
        return s.exec(select(func.count()).select_from(AuditLog)).one()


def test_a_form_sent_back_unchanged_is_accepted_with_no_change(
    demo_engine, server, watched, tmp_path
):
    from openpyxl import load_workbook

    from tracker.excel.report_form import FIRST_ROW, LETTER

    before, entries = reports(demo_engine), audit_entries(demo_engine)
    assert len(before) >= 3 and {r[1] for r in before} == {"submitted"}
    page = watched.page
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    page.get_by_role("tab", name="离线填报（Excel）").click()
    with page.expect_download() as info:
        page.click("#rp-form-download")
    form = tmp_path / info.value.suggested_filename
    info.value.save_as(form)

    page.set_input_files("#rp-upload input[type=file]", str(form))
    page.wait_for_selector("#rp-upload-ok")
    accepted = page.locator("#rp-upload-ok").inner_text()
    assert "已报送 0 个项目" in accepted and f"{len(before)} 行未变更" in accepted
    shot(page, "reports-form-unchanged")
    assert reports(demo_engine) == before
    assert audit_entries(demo_engine) == entries

    book = load_workbook(form)
    sheet = book["月度调度表"]
    cell = f"{LETTER['completed_month']}{FIRST_ROW + 2}"
    old = sheet[cell].value
    sheet[cell] = old + 10
    book.save(form)
    page.set_input_files("#rp-upload input[type=file]", str(form))
    page.wait_for_selector("#rp-upload-errors")
    listed = page.locator("#rp-upload-errors").inner_text()
    assert f"{FIRST_ROW + 2}\t{LETTER['completed_month']} 本月完成投资（万元）" in listed
    assert f"本月完成投资 {old:.2f} → {old + 10:.2f}" in listed and "退回" in listed
    assert reports(demo_engine) == before
