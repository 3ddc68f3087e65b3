"""#19, 月报填报 as a county lead of 云县 walks it: the office's reason for a return beside the
status and in the notices, statuses that follow the row (a draft of a returned report, a late
resubmission), and last month's 形象进度说明 marked as such and never submitted silently
contradicting this month's figures. Chinese and English.

The demo office stands on 2026-11-28: November is open, due 11-25. 云县's November reports
are taken out first; two are submitted on time (11-24) and returned by the office (11-26).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.demo_reports import county_projects, remove_reports
from tests.web.grid_cells import type_in, write_long_text
from tests.web.live import login
from tracker.config import load_settings
from tracker.db import write_session
from tracker.models import MonthlyReport, Project, User
from tracker.services.auth import Actor
from tracker.services.reports import (
    ReportValues,
    report_grid,
    return_report,
    submit_report,
)

pytestmark = pytest.mark.browser

COUNTY = "云县"
LEAD = "yunxian"
NOVEMBER = date(2026, 11, 1)
ON_TIME = date(2026, 11, 24)
RETURNED_ON = date(2026, 11, 26)
REASONS = (
    "本月完成投资与支付凭证不符，请核实后重新报送",
    "形象进度与现场照片不一致，请补充说明",
)


def _prepare(engine) -> tuple[list[Project], list[Project]]:
    """云县's projects without November reports; two submitted on time and returned. Also
    returns the projects prefilled from October with a text that quotes its figures."""
    settings = load_settings({})
    with write_session(engine) as s:
        projects = county_projects(s, COUNTY)
        remove_reports(s, [p.id for p in projects], NOVEMBER)
    with write_session(engine) as s:
        lead = Actor.of(s.exec(select(User).where(User.username == LEAD)).one())
        admin = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        lines = report_grid(s, actor=lead, period=NOVEMBER, today=ON_TIME, settings=settings)
    returned: list[int] = []
    for line in lines[:2]:
        with write_session(engine) as s:
            submit_report(
                s,
                actor=lead,
                project_id=line.project_id,
                period=NOVEMBER,
                values=ReportValues(
                    completed_month=Decimal("100"),
                    progress_pct=line.values.progress_pct or 10.0,
                    progress_text="本月主体施工推进",
                    problems="征地拆迁未完成，施工受阻",
                    reporter="云县牵头人",
                ),
                seen_version=0,
                today=ON_TIME,
                settings=settings,
            )
        returned.append(line.project_id)
    with write_session(engine) as s:
        for pid, reason in zip(returned, REASONS, strict=True):
            report = s.exec(
                select(MonthlyReport)
                .where(MonthlyReport.project_id == pid)
                .where(MonthlyReport.period == NOVEMBER)
            ).one()
            assert not report.late
            return_report(
                s,
                actor=admin,
                project_id=pid,
                period=NOVEMBER,
                comment=reason,
                seen_version=report.version,
                today=RETURNED_ON,
            )
    by_id = {p.id: p for p in projects}
    quoting = [
        by_id[x.project_id]
        for x in lines[2:]
        if x.report_id is None and "万元" in (x.values.progress_text or "")
    ]
    assert quoting, "a 云县 project prefilled from October"
    return [by_id[pid] for pid in returned], quoting


def _pinned(page, project_id: int, column: str):
    return page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{project_id}"] '
        f'[col-id="{column}"]'
    )


def _cell(page, project_id: int, column: str):
    return page.locator(
        f'#rp-grid .ag-center-cols-container .ag-row[row-id="{project_id}"] [col-id="{column}"]'
    )


def _type_in(page, project_id: int, column: str, value: str) -> None:
    type_in(_cell(page, project_id, column), value)


def _write_text(page, project_id: int, column: str, text: str) -> None:
    write_long_text(page, _cell(page, project_id, column), text)


def _wait_status(page, project_id: int, expected: str) -> None:
    selector = (
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{project_id}"] '
        '[col-id="status_label"]'
    )
    page.wait_for_function(
        "([s, want]) => { const e = document.querySelector(s); "
        "return e && e.innerText.trim() === want; }",
        arg=[selector, expected],
    )


def _statuses_are_whole(page) -> None:
    """No status is cut: every status cell shows its whole text (scroll size ≤ client size)."""
    clipped = page.evaluate(
        """() => [...document.querySelectorAll(
            '#rp-grid .ag-pinned-left-cols-container [col-id="status_label"]')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
            .map(e => e.innerText)"""
    )
    assert not clipped, clipped


def _in_english(page, base_url: str) -> None:
    page.wait_for_selector("#rp-grid .ag-row")
    page.goto(f"{base_url}/lang/en?next=/reports")
    page.wait_for_url(re.compile(r"/reports"))
    page.wait_for_function(
        "() => { const b = document.querySelector('#rp-save'); "
        "return b && b.innerText.trim() === 'Save draft'; }"
    )
    page.wait_for_selector("#rp-grid .ag-row")


def _toasts(page) -> str:
    page.wait_for_selector(".mantine-Notification-root")
    return " ".join(page.locator(".mantine-Notification-root").all_inner_texts())


def _close_toasts(page) -> None:
    for button in page.locator(".mantine-Notification-root button").all():
        button.click()
    page.wait_for_selector(".mantine-Notification-root", state="detached")


@pytest.fixture
def small_screen(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_the_return_reason_is_beside_the_status_and_in_the_notices(
    demo_engine, server, small_screen
):
    returned, _ = _prepare(demo_engine)
    page = small_screen
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")

    # a notice above the grid lists every returned report with the office's reason
    notice = page.locator("#rp-returned")
    notice.wait_for()
    text = notice.inner_text()
    for project, reason in zip(returned, REASONS, strict=True):
        assert project.code in text and reason in text

    # the reason sits right of the status, on screen at 1366×768 without scrolling
    first = returned[0]
    status_box = _pinned(page, first.id, "status_label").bounding_box()
    reason_cell = _pinned(page, first.id, "return_comment")
    assert REASONS[0][:10] in reason_cell.inner_text()
    reason_box = reason_cell.bounding_box()
    assert status_box and reason_box
    assert abs(reason_box["x"] - (status_box["x"] + status_box["width"])) < 2
    assert reason_box["x"] + reason_box["width"] <= 1366
    shot(page, "i19_reports_return_reason")

    # saving a draft of a returned row says it is still returned, and why
    _type_in(page, first.id, "completed_month", "95")
    page.click("#rp-save")
    toast = _toasts(page)
    assert first.code in toast and REASONS[0] in toast
    _close_toasts(page)

    # resubmitting it says it was resubmitted, with the reason it had been returned for
    page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{first.id}"] .ag-checkbox-input'
    ).check()
    page.click("#rp-submit-selected")
    toast = _toasts(page)
    assert first.code in toast and REASONS[0] in toast and "重新报送" in toast


def test_a_returned_row_reads_as_a_draft_once_saved_and_a_late_resubmission_as_late(
    demo_engine, server, small_screen
):
    returned, _ = _prepare(demo_engine)
    page = small_screen
    first = returned[0]
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    _wait_status(page, first.id, "已退回 · 逾期")

    _type_in(page, first.id, "completed_month", "95")
    page.click("#rp-save")
    _wait_status(page, first.id, "草稿 · 已退回 · 逾期")
    page.click("#rp-reload")
    _wait_status(page, first.id, "草稿 · 已退回 · 逾期")
    page.reload()
    page.wait_for_selector("#rp-grid .ag-row")
    _wait_status(page, first.id, "草稿 · 已退回 · 逾期")

    # resubmitted on 11-28, after the 11-25 due day: it reads as late, not a plain 已报送
    page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{first.id}"] .ag-checkbox-input'
    ).check()
    page.click("#rp-submit-selected")
    _wait_status(page, first.id, "已报送 · 逾期重报")
    page.reload()
    page.wait_for_selector("#rp-grid .ag-row")
    _wait_status(page, first.id, "已报送 · 逾期重报")
    shot(page, "i19_reports_statuses")
    _statuses_are_whole(page)

    # the same in English
    _in_english(page, server.url)
    _wait_status(page, first.id, "Submitted · Resubmitted late")
    second = returned[1]
    _wait_status(page, second.id, "Returned · Overdue")
    assert REASONS[1] in page.locator("#rp-returned").inner_text()
    assert "Returned because" in page.locator("#rp-returned").inner_text()
    _type_in(page, second.id, "completed_month", "90")
    page.click("#rp-save")
    _wait_status(page, second.id, "Draft · Returned · Overdue")
    shot(page, "i19_reports_statuses_en")
    _close_toasts(page)
    _statuses_are_whole(page)


def test_last_month_s_progress_text_is_marked_and_never_submitted_contradicting_the_figures(
    demo_engine, server, small_screen
):
    _, quoting = _prepare(demo_engine)
    fresh = quoting[0]
    page = small_screen
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")

    # prefilled from October, the text quotes October's figures and says it is last month's
    text_cell = _cell(page, fresh.id, "progress_text")
    text_cell.scroll_into_view_if_needed()
    shown = text_cell.inner_text()
    assert shown.startswith("〔上月〕") and "万元" in shown, shown
    assert "rp-text-carried" in (text_cell.get_attribute("class") or "")
    shot(page, "i19_reports_carried_text")

    # new figures, the text left as it was: the submission is refused on that row
    _type_in(page, fresh.id, "completed_month", "321")
    _write_text(page, fresh.id, "problems", "征地拆迁未完成，施工受阻")
    page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{fresh.id}"] .ag-checkbox-input'
    ).check()
    page.click("#rp-submit-selected")
    page.wait_for_selector("#rp-problems")
    assert "形象进度说明：仍是上月的说明" in page.locator("#rp-problems").inner_text()
    assert "rp-cell-error" in (_cell(page, fresh.id, "progress_text").get_attribute("class") or "")
    assert (
        not page.locator(
            f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{fresh.id}"] '
            '[col-id="status_label"]'
        )
        .inner_text()
        .startswith("已报送")
    )
    shot(page, "i19_reports_stale_text")
    _close_toasts(page)

    # rewritten for this month: no longer marked, and it goes through
    _write_text(page, fresh.id, "progress_text", "本月完成投资321万元，主体结构施工中")
    assert not _cell(page, fresh.id, "progress_text").inner_text().startswith("〔上月〕")
    page.click("#rp-submit-selected")
    _wait_status(page, fresh.id, "已报送 · 逾期报送")


def test_the_english_page_says_the_progress_text_is_last_month_s(demo_engine, server, small_screen):
    _, quoting = _prepare(demo_engine)
    page = small_screen
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    _in_english(page, server.url)
    fresh = quoting[-1]
    cell = _cell(page, fresh.id, "progress_text")
    cell.scroll_into_view_if_needed()
    assert cell.inner_text().startswith("[last month]")
    _type_in(page, fresh.id, "completed_month", "321")
    _write_text(page, fresh.id, "problems", "Land acquisition not finished")
    page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{fresh.id}"] .ag-checkbox-input'
    ).check()
    page.click("#rp-submit-selected")
    page.wait_for_selector("#rp-problems")
    assert "still last month's" in page.locator("#rp-problems").inner_text()
