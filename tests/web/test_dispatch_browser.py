"""The monthly dispatch in headless Chromium: a county lead reports the month, the office
returns one report, the lead fixes and resubmits, and the bulletin follows.

The demo office stands on 2026-11-28: November's reporting is open (due 11-25, closes
12-05). Its reports for 双江县 are taken out first, so the lead has the month to fill in.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlmodel import col, select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import ARTIFACTS, shot
from tests.web.demo_reports import county_projects, remove_reports
from tests.web.live import login
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import MonthlyReport, Notification, ProblemItem, Project, User
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
        projects = county_projects(s, COUNTY)
        remove_reports(s, [p.id for p in projects], NOVEMBER)
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


def _pinned(page, project_id: int, column: str):
    return page.locator(
        f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{project_id}"] [col-id="{column}"]'
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


def _close_toasts(page) -> None:
    """Close every notice and wait until none is left (a notice may close by itself, and
    the others slide while one closes: click the first one left, again, until none)."""
    toasts = page.locator(".mantine-Notification-root")
    for _ in range(20):
        if toasts.count() == 0:
            break
        with contextlib.suppress(PlaywrightError):
            toasts.first.locator("button").click(timeout=2000, force=True)
    page.wait_for_function("!document.querySelector('.mantine-Notification-root')", timeout=15000)


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
    assert (
        _cell(page, ids[1], "completed_ytd").inner_text()
        != _cell(page, ids[1], "carried_ytd").inner_text()
    )
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
    # #19: October's 形象进度说明, left as it was under new amounts, is refused too
    assert all(
        "须填写存在问题" in why or "仍是上月的说明" in why
        for pid, why in refused.items()
        if pid != ids[0]
    ), refused
    _close_toasts(page)
    shot(page, "reports_refused_rows")

    # -- the refused rows fixed and submitted on their own (ticked) ------------------------
    _type_in(page, ids[0], "completed_month", "88.5")
    for pid, why in refused.items():
        if "存在问题" in why:
            cell = _cell(page, pid, "problems")
            cell.click()
            page.locator(".ag-large-text textarea").fill("征地拆迁未完成，施工受阻")
            page.locator(".page-title").first.click()  # leaving the cell ends the edit
        if "仍是上月的说明" in why or pid == ids[0]:
            _cell(page, pid, "progress_text").click()
            page.locator(".ag-large-text textarea").fill("本月主体工程施工推进")
            page.locator(".page-title").first.click()
        page.locator(
            f'#rp-grid .ag-pinned-left-cols-container .ag-row[row-id="{pid}"] .ag-checkbox-input'
        ).check()
    page.click("#rp-submit-selected")
    page.wait_for_function(
        "document.querySelector('#rp-count') && "
        f"document.querySelector('#rp-count').innerText === '已报送 {len(ids)} / {len(ids)}'"
    )
    assert page.locator("#rp-problems").count() == 0
    assert page.locator("#rp-submit-all").is_disabled()  # nothing left to enter
    page.locator("#rp-grid .ag-center-cols-viewport").evaluate("e => { e.scrollLeft = 0; }")
    _close_toasts(page)
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
    _close_toasts(page)
    shot(page, "reports_review")
    page.get_by_role("tab", name="未报送").click()
    assert returned.code in page.locator("#rp-missing-table").inner_text()
    _logout(page)

    # -- the lead sees the comment, fixes the amount and resubmits -----------------------
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    assert _status(page, returned.id).startswith("已退回")
    assert _pinned(page, returned.id, "return_comment").inner_text() == comment  # #19: by status
    _type_in(page, returned.id, "completed_month", "95")
    page.click("#rp-submit-all")
    page.wait_for_function(
        "document.querySelector('#rp-count') && "
        f"document.querySelector('#rp-count').innerText === '已报送 {len(ids)} / {len(ids)}'"
    )
    assert _status(page, returned.id) == "已报送 · 逾期报送"
    assert _pinned(page, returned.id, "return_comment").inner_text() == ""

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
    assert page.locator("#bl-compile").count() == 0  # compiling is the office's
    _logout(page)

    # -- the office compiles November: the month closes and the bulletin is final ---------
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/bulletin")
    page.wait_for_selector("#bl-headline")
    page.click("#bl-compile")
    page.wait_for_selector("#bl-compile-confirm", state="visible")
    assert "锁定" in page.locator("#bl-compile-what").inner_text()
    page.click("#bl-compile-confirm")
    page.wait_for_selector("#bl-compile-done")
    page.wait_for_function("document.querySelector('#bl-final').innerText === '定稿'")
    assert page.locator("#bl-kpi-missing").inner_text() == str(len(after.not_reported))
    assert not page.locator("#bl-compile").is_visible()
    page.goto(f"{server.url}/reports")
    page.wait_for_selector("#rp-locked")
    assert page.locator("#rp-submit-all").is_disabled()


def _notifications(engine) -> None:
    """Two unread and one read message for the office, and an e-mail that could not be sent."""
    with write_session(engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
        lead = s.exec(select(User).where(User.username == LEAD)).one()
        rows = [
            (
                "report_escalation",
                "逾期未报汇总",
                "截至11月28日，仍有 5 个项目未报送11月调度表。",
                None,
            ),
            (
                "milestone_overdue",
                "节点已逾期",
                "LC-07-05 凤庆拉祜族文化小镇项目：节点“主体工程完工”已逾期。",
                None,
            ),
            (
                "report_open",
                "11月月报填报已开放",
                "请于11月25日前报送。",
                datetime(2026, 11, 20, tzinfo=UTC),
            ),
        ]
        for reason, subject, body, read_at in rows:
            s.add(
                Notification(
                    user_id=admin.id,
                    channel="inapp",
                    reason=reason,
                    dedupe_key=f"inapp:{admin.id}:{reason}:shot",
                    subject=subject,
                    body=body,
                    status="sent",
                    read_at=read_at,
                )
            )
        s.add(
            Notification(
                user_id=lead.id,
                channel="email",
                reason="report_open",
                dedupe_key="email:lead:report_open:shot",
                subject="11月月报填报已开放",
                recipient=lead.email,
                status="failed",
                attempts=5,
                last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            )
        )


def test_the_ledger_the_bulletin_and_the_bell_as_the_office_sees_them(demo_engine, server, watched):
    _notifications(demo_engine)
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/ledger")
    page.wait_for_selector("#lg-grid .ag-row")
    first = page.locator("#lg-grid .ag-center-cols-container .ag-row").first
    code = first.locator('[col-id="code"]').inner_text()
    first.click()
    page.wait_for_selector("#lg-close")
    shot(page, "ledger")

    # 销号 with a note: the item leaves the open list
    page.click("#lg-close")  # no note yet: refused, with the reason
    page.wait_for_selector("text=销号须填写办结情况说明")
    page.fill("#lg-note", "已协调市自然资源局完成用地报批")
    page.click("#lg-close")
    page.wait_for_selector("text=在左侧表格中选择一项")
    page.locator("#lg-status").get_by_text("已销号", exact=True).click()  # the status filter
    # the closed list: the item with its note (its project may hold other items, open ones)
    closed = page.locator('#lg-grid .ag-row:has-text("已协调市自然资源局完成用地报批")')
    closed.first.wait_for()
    assert code in closed.first.inner_text() and "已销号" in closed.first.inner_text()

    page.goto(f"{server.url}/bulletin")
    page.wait_for_selector("#bl-headline")
    page.wait_for_selector("#bl-ranking")
    assert "综合得分" in page.locator("#bl-formula").inner_text()
    shot(page, "bulletin")

    assert page.locator("#shell-bell").inner_text().strip() == "2"
    page.click("#shell-bell-button")
    page.wait_for_selector("#bell-items")
    assert page.locator("#bell-items .bell-item").count() == 3
    assert page.locator("#bell-items .bell-unread").count() == 2
    assert "SMTPServerDisconnected" in page.locator("#bell-failed").inner_text()
    page.wait_for_timeout(400)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bell.png"))
    page.click(".bell-retry")
    page.wait_for_selector("text=没有发送失败的通知")
    page.click("#bell-mark-all")
    page.wait_for_selector("#bell-items .bell-unread", state="detached")
    assert page.locator("#bell-unread").inner_text() == "0 条未读"


def test_a_project_page_lists_its_open_ledger_items(demo_engine, server, watched):
    with read_session(demo_engine) as s:
        item = s.exec(
            select(ProblemItem).where(ProblemItem.status == "open").order_by(ProblemItem.id)
        ).first()
    page = watched.page
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path=f"/projects/{item.project_id}")
    page.wait_for_selector("#pj-ledger")
    assert item.text in page.locator("#pj-ledger").inner_text()


HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_hostile_text_in_reports_ledger_and_notifications_stays_text(demo_engine, server, watched):
    with write_session(demo_engine) as s:
        project = s.exec(select(Project).where(Project.county == COUNTY)).first()
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == project.id)
            .where(MonthlyReport.period == NOVEMBER)
        ).one()
        report.problems = HOSTILE
        report.progress_text = HOSTILE
        s.add(report)
        s.add(
            ProblemItem(
                project_id=project.id,
                kind="problem",
                text=HOSTILE,
                owner=HOSTILE,
                raised_on=date(2026, 11, 20),
                due_date=date(2026, 12, 25),
            )
        )
        admin = s.exec(select(User).where(User.username == "admin")).one()
        s.add(
            Notification(
                user_id=admin.id,
                channel="inapp",
                reason="x",
                dedupe_key="inapp:xss",
                subject=HOSTILE,
                body=HOSTILE,
                status="sent",
            )
        )
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    page.get_by_role("tab", name="审核退回").click()
    assert HOSTILE in page.locator("#rp-review-table").inner_text()
    for path, ready in (("/ledger", "#lg-grid .ag-row"), ("/bulletin", "#bl-headline")):
        page.goto(f"{server.url}{path}")
        page.wait_for_selector(ready)
    page.click("#shell-bell-button")
    page.wait_for_selector("#bell-items")
    assert HOSTILE in page.locator("#bell-items").inner_text()
    assert page.locator("img[src=x], script:has-text('alert(')").count() == 0


def test_the_offline_form_round_trip_is_all_or_nothing_and_a_closed_month_is_read_only(
    demo_engine, server, watched, tmp_path
):
    from openpyxl import load_workbook

    from tracker.excel.report_form import FIRST_ROW, LETTER

    projects = _unreport_the_county(demo_engine)
    page = watched.page
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    page.get_by_role("tab", name="离线填报（Excel）").click()
    with page.expect_download() as info:
        page.click("#rp-form-download")
    form = tmp_path / info.value.suggested_filename
    info.value.save_as(form)
    assert COUNTY in form.name

    book = load_workbook(form)
    sheet = book["月度调度表"]
    rows = list(range(FIRST_ROW, FIRST_ROW + len(projects)))
    assert [sheet[f"{LETTER['code']}{r}"].value for r in rows] == [p.code for p in projects]
    for r in rows:
        sheet[f"{LETTER['completed_month']}{r}"] = 50
        sheet[f"{LETTER['problems']}{r}"] = "征地拆迁未完成"
        sheet[f"{LETTER['progress_text']}{r}"] = "本月主体工程施工推进"  # #19: not October's
    sheet[f"{LETTER['completed_month']}{rows[1]}"] = -5  # two mistakes, both listed
    sheet[f"{LETTER['progress_pct']}{rows[2]}"] = 130
    book.save(form)

    page.set_input_files("#rp-upload input[type=file]", str(form))
    page.wait_for_selector("#rp-upload-errors")
    listed = page.locator("#rp-upload-errors").inner_text()
    assert f"\t{rows[1]}\t{LETTER['completed_month']} 本月完成投资（万元）\t" in listed
    assert f"\t{rows[2]}\t{LETTER['progress_pct']} 形象进度（%）\t" in listed
    assert "未写入任何数据" in page.locator(".rp-upload-result").inner_text()
    with read_session(demo_engine) as s:
        saved = s.exec(
            select(MonthlyReport)
            .where(col(MonthlyReport.project_id).in_([p.id for p in projects]))
            .where(MonthlyReport.period == NOVEMBER)
        ).all()
    assert saved == []  # nothing written

    sheet[f"{LETTER['completed_month']}{rows[1]}"] = 5
    sheet[f"{LETTER['progress_pct']}{rows[2]}"] = 30
    book.save(form)
    page.set_input_files("#rp-upload input[type=file]", str(form))
    page.wait_for_selector("#rp-upload-ok")
    shot(page, "reports_offline")
    page.get_by_role("tab", name="在线填报").click()
    page.wait_for_function(
        "document.querySelector('#rp-count') && "
        f"document.querySelector('#rp-count').innerText === '已报送 {len(projects)} / {len(projects)}'"
    )

    # October is closed: read-only, with the notice, and nothing to press
    page.click("#rp-month")
    page.get_by_role("option", name="2026年10月 · 已关账").click()
    page.wait_for_selector("#rp-locked")
    assert "已锁定" in page.locator("#rp-locked").inner_text()
    assert page.locator("#rp-submit-all").is_disabled()
    assert page.locator("#rp-save").is_disabled()
