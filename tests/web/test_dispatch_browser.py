"""The monthly dispatch in headless Chromium: a county lead reports the month, the office
returns one report, the lead fixes and resubmits, and the bulletin follows.

The demo office stands on 2026-11-28: November's reporting is open (due 11-25, closes
12-05). Its reports for 双江县 are taken out first, so the lead has the month to fill in.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete, update
from sqlmodel import col, select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import MonthlyReport, ProblemItem, Project, User
from tracker.services.auth import Actor
from tracker.services.bulletin import build_bulletin
from tracker.services.cycle import current_period

pytestmark = pytest.mark.browser

COUNTY = "双江县"
LEAD = "shuangjiang"
NOVEMBER = date(2026, 11, 1)


def _unreport_the_county(engine) -> list[Project]:
    """The county's projects, with their November reports (and what those raised) removed."""
    with write_session(engine) as s:
        projects = list(
            s.exec(select(Project).where(Project.county == COUNTY).order_by(Project.sort_order))
        )
        ids = [p.id for p in projects]
        reports = [
            r.id
            for r in s.exec(
                select(MonthlyReport)
                .where(col(MonthlyReport.project_id).in_(ids))
                .where(MonthlyReport.period == NOVEMBER)
            )
        ]
        s.execute(
            update(ProblemItem)
            .where(col(ProblemItem.report_id).in_(reports))
            .values(report_id=None)
        )
        s.execute(delete(MonthlyReport).where(col(MonthlyReport.id).in_(reports)))
    return projects


def _bulletin(engine):
    with read_session(engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        return build_bulletin(
            s, actor=Actor.of(admin), period=NOVEMBER, today=DEMO_AS_OF, settings=load_settings({})
        )


def _cell(page, project_id: int, column: str):
    return page.locator(
        f'#rp-grid .ag-center-cols-container .ag-row[row-id="{project_id}"] [col-id="{column}"]'
    )


def _type_in(page, project_id: int, column: str, value: str) -> None:
    cell = _cell(page, project_id, column)
    cell.click()
    editor = cell.locator("input")
    editor.wait_for()
    editor.fill(value)
    editor.press("Enter")


def _status(page, project_id: int) -> str:
    return page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{project_id}"] [col-id="status_label"]'
    ).inner_text()


def _logout(page) -> None:
    page.click(".logout-button")
    page.wait_for_url(re.compile(r"/login"))


def test_a_county_lead_reports_the_office_returns_one_and_the_bulletin_follows(
    demo_engine, server, watched
):
    with read_session(demo_engine) as s:
        assert current_period(s).period == NOVEMBER  # the month open on the demo's day
    projects = _unreport_the_county(demo_engine)
    ids = [p.id for p in projects]
    missing_before = len(_bulletin(demo_engine).not_reported)
    page = watched.page

    # -- the lead opens the month: every project prefilled from October, none reported ----
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    assert page.locator("#rp-month").input_value() == "2026年11月 · 填报中"
    assert page.locator("#rp-count").inner_text() == f"已报送 0 / {len(ids)}"
    assert all(_status(page, pid).startswith("未填报 · 逾期") for pid in ids)
    carried = _cell(page, ids[0], "completed_ytd").inner_text()
    assert carried  # last month's year to date, carried forward

    # -- this month's amounts; the running totals follow; one row left blank -------------
    for n, pid in enumerate(ids[1:], start=1):
        _type_in(page, pid, "completed_month", f"{100 + n}")
    assert _cell(page, ids[1], "completed_ytd").inner_text() != _cell(
        page, ids[1], "carried_ytd"
    ).inner_text()
    page.click("#rp-submit-all")
    page.wait_for_selector("#rp-problems")
    assert "请填写本月完成投资" in _cell(page, ids[0], "message").inner_text()
    assert "rp-cell-error" in (_cell(page, ids[0], "completed_month").get_attribute("class") or "")
    refused = {
        pid: _cell(page, pid, "message").inner_text()
        for pid in ids
        if not _status(page, pid).startswith("已报送")
    }
    assert ids[0] in refused  # the blank row; a red project also needs its 存在问题
    assert all(
        "须填写存在问题" in why for pid, why in refused.items() if pid != ids[0]
    ), refused
    shot(page, "reports_refused_rows")

    # -- the refused rows fixed and submitted on their own (ticked) ------------------------
    _type_in(page, ids[0], "completed_month", "88.5")
    for pid, why in refused.items():
        if "存在问题" in why:
            cell = _cell(page, pid, "problems")
            cell.click()
            page.locator(".ag-large-text textarea").fill("征地拆迁未完成，施工受阻")
            page.locator(".page-title").first.click()  # leaving the cell ends the edit
        page.locator(
            f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{pid}"] .ag-checkbox-input'
        ).check()
    page.click("#rp-submit-selected")
    page.wait_for_function(
        "document.querySelector('#rp-count') && "
        f"document.querySelector('#rp-count').innerText === '已报送 {len(ids)} / {len(ids)}'"
    )
    assert page.locator("#rp-problems").count() == 0
    page.locator("#rp-grid .ag-center-cols-viewport").evaluate("e => { e.scrollLeft = 0; }")
    page.wait_for_timeout(300)
    shot(page, "reports")
    _logout(page)

    # -- the office returns one report with a comment --------------------------------------
    returned = projects[2]
    comment = "本月完成投资与支付凭证不符，请核实后重新报送"
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    page.get_by_role("tab", name="审核退回").click()
    page.locator(f'.rp-review-row:has-text("{returned.code}") .rp-return-button').click()
    page.wait_for_selector("#rp-return-comment", state="visible")
    page.fill("#rp-return-comment", comment)
    page.click("#rp-return-confirm")
    page.wait_for_selector(f'.rp-review-row:has-text("{returned.code}")', state="detached")
    page.get_by_role("tab", name="未报送").click()
    assert returned.code in page.locator("#rp-missing-table").inner_text()
    _logout(page)

    # -- the lead sees the comment, fixes the amount and resubmits -----------------------
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    assert _status(page, returned.id).startswith("已退回")
    assert _cell(page, returned.id, "return_comment").inner_text() == comment
    _type_in(page, returned.id, "completed_month", "95")
    page.click("#rp-submit-all")
    page.wait_for_function(
        "document.querySelector('#rp-count') && "
        f"document.querySelector('#rp-count').innerText === '已报送 {len(ids)} / {len(ids)}'"
    )
    assert _status(page, returned.id) == "已报送 · 逾期报送"
    assert _cell(page, returned.id, "return_comment").inner_text() == ""

    # -- the bulletin for November: the county reported, its figures in the county table --
    after = _bulletin(demo_engine)
    assert len(after.not_reported) == missing_before - len(ids)
    county_row = next(r for r in after.by_county if r["key"] == COUNTY)
    assert county_row["reported"] == county_row["expected"] == len(ids)
    page.goto(f"{server.url}/bulletin")
    page.wait_for_selector("#bl-headline")
    assert page.locator("#bl-final").inner_text() == "未定稿"
    assert page.locator("#bl-kpi-missing").inner_text() == str(len(after.not_reported))
    assert f"未报送{len(after.not_reported)}个" in page.locator("#bl-headline").inner_text()
    page.get_by_role("tab", name="分县（区）").click()
    row = page.locator("#bl-by-county tr", has_text=COUNTY)
    assert f"{len(ids)} / {len(ids)}" in row.inner_text()
    assert f"{county_row['completed_ytd']:,.2f}" in row.inner_text()
    for code in (p.code for p in projects):
        assert code not in page.locator("#bl-not-reported").inner_text()


def test_screenshots_of_the_ledger_the_bulletin_and_the_bell(demo_engine, server, watched):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/ledger")
    page.wait_for_selector("#lg-grid .ag-row")
    page.locator("#lg-grid .ag-center-cols-container .ag-row").first.click()
    page.wait_for_selector("#lg-close")
    shot(page, "ledger")

    page.goto(f"{server.url}/bulletin")
    page.wait_for_selector("#bl-headline")
    page.wait_for_selector("#bl-ranking")
    assert "综合得分" in page.locator("#bl-formula").inner_text()
    shot(page, "bulletin")

    page.click("#shell-bell-button")
    page.wait_for_selector("#bell-items")
    shot(page, "bell")
