"""#19 in a real browser: each role lands on its own scope; the sidebar, the reports page and
the overview name the same current period; an import says what it did; an office without a
list says so and leads to the import."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlmodel import func, select

from tests.conftest import DEMO_PASSWORD
from tests.excel.factories import xlsx_bytes
from tests.factories import TEST_PASSWORD, make_user
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tracker.db import make_engine, read_session, write_session
from tracker.models import Project
from tracker.services.demo import build_demo

pytestmark = pytest.mark.browser


def _text_of(page, selector: str, wanted: str) -> str:
    """Wait until ``selector``'s text contains ``wanted``; return the text."""
    page.wait_for_function(
        "([s, w]) => { const e = document.querySelector(s); return e && e.innerText.includes(w); }",
        arg=[selector, wanted],
    )
    return page.inner_text(selector)


def _projects_shown(page, wanted: int) -> None:
    page.wait_for_function(
        "n => (document.querySelector('#kpi-projects-value') || {}).innerText === String(n)",
        arg=wanted,
    )


# --- item 1: each role lands on its own scope ---------------------------------------------------


def test_each_role_lands_on_its_own_scope_and_may_widen_it(server, demo_engine, watched):
    with read_session(demo_engine) as s:
        yun = s.exec(
            select(func.count()).select_from(Project).where(Project.county == "云县")
        ).one()
        unit = s.exec(
            select(func.count()).select_from(Project).where(Project.lead_unit == "市科技局")
        ).one()
        total = s.exec(select(func.count()).select_from(Project)).one()
    assert 0 < yun < total and 0 < unit < total
    page = watched.page

    # the county lead of 云县: the overview opens on 云县
    login(page, server.url, "yunxian", DEMO_PASSWORD, next_path="/")
    page.wait_for_selector("#ov-county")
    assert page.input_value("#ov-county") == "云县"
    _projects_shown(page, yun)
    shot(page, "daily-scope-county-overview")
    page.click("#ov-reset")  # widening is allowed: the whole city
    _projects_shown(page, total)
    assert page.input_value("#ov-county") == ""
    # the battle map opens on 云县 too
    page.goto(f"{server.url}/battle-map")
    page.wait_for_selector("#bm-county")
    assert page.input_value("#bm-county") == "云县"
    # the nav link opens the own county again
    page.goto(f"{server.url}/")
    page.wait_for_selector("#ov-county")
    assert page.input_value("#ov-county") == "云县"
    page.click("#shell-logout button")
    page.wait_for_url("**/login**")

    # the lead unit: the projects it leads, with a box to widen
    login(page, server.url, "kejiju", DEMO_PASSWORD, next_path="/")
    page.wait_for_selector("#ov-mine")
    assert page.is_checked("#ov-mine")
    _projects_shown(page, unit)
    shot(page, "daily-scope-unit-overview")
    page.click("#ov-mine")
    _projects_shown(page, total)
    page.click("#shell-logout button")
    page.wait_for_url("**/login**")

    # a leader: the whole city
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/")
    page.wait_for_selector("#ov-county")
    _projects_shown(page, total)
    assert page.input_value("#ov-county") == ""
    assert not page.locator("#ov-mine").is_visible()


# --- item 2: one current period ----------------------------------------------------------------

AFTER_CLOSE = date(2026, 12, 10)  # November closed on 7 December; December opens on the 21st


@pytest.fixture
def demo_after_close(sqlite_template, tmp_path):
    path = tmp_path / "after-close.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with write_session(engine) as s:
        build_demo(s, as_of=AFTER_CLOSE, password=DEMO_PASSWORD)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("role", ["yunxian", "admin"])
def test_the_sidebar_and_the_reports_page_name_the_same_month(demo_after_close, watched, role):
    page = watched.page
    with live_server(demo_after_close, AFTER_CLOSE) as srv:
        login(page, srv.url, role, DEMO_PASSWORD, next_path="/reports")
        page.wait_for_selector("#rp-month")
        sidebar = _text_of(page, "#shell-period", "2026")
        month = page.input_value("#rp-month")
        shot(page, f"daily-scope-period-{role}")
        # not December, whose reporting has not started: November, just closed
        assert sidebar.startswith("2026年11月已关账"), sidebar
        assert "2026年12月" in sidebar and "12月21日" in sidebar  # when the next one opens
        assert month.startswith("2026年11月"), month
        page.goto(f"{srv.url}/")
        subtitle = _text_of(page, ".page-overview", "调度数据")
        assert "2026年11月调度数据" in subtitle
        page.goto(f"{srv.url}/bulletin")  # the bulletin opens on the same month
        page.wait_for_selector("#bl-month")
        assert page.input_value("#bl-month").startswith("2026年11月")


# --- item 3: after the import, and before any list ---------------------------------------------

HEADER = ["序号", "项目名称", "所属领域", "工作举措", "项目所在县区", "总投资（万元）"]
HEADER += ["本年度计划投资（万元）"]
NAMES = ["永德甲项目", "永德乙项目", "云县丙项目"]


def _first_list() -> bytes:
    rows: list[list[object]] = [["临沧市2026年重大项目清单"], ["单位：万元"], HEADER]
    for n, name in enumerate(NAMES, start=1):
        rows.append([n, name, "绿色低碳发展", "发展清洁能源", "永德县", 800, 240])
    return xlsx_bytes(rows)


@pytest.fixture
def empty_office(sqlite_engine):
    with write_session(sqlite_engine) as s:
        make_user(s, "admin", username="office")
        make_user(s, "county", username="lead", county="永德县")
    return sqlite_engine


def test_an_empty_office_says_there_is_no_list_yet_and_leads_the_office_to_the_import(
    empty_office, watched
):
    page = watched.page
    with live_server(empty_office, date(2026, 11, 28)) as srv:
        # a county lead: the office has not imported the list yet
        login(page, srv.url, "lead", TEST_PASSWORD, next_path="/")
        notice = _text_of(page, "#no-list", "尚未导入")
        assert "示范区建设办公室尚未导入项目清单" in notice
        assert page.locator("#no-list-link").count() == 0
        page.goto(f"{srv.url}/battle-map")
        _text_of(page, "#no-list", "尚未导入")
        page.click("#shell-logout button")
        page.wait_for_url("**/login**")

        # the office: no list yet, and a link to the import
        login(page, srv.url, "office", TEST_PASSWORD, next_path="/")
        _text_of(page, "#no-list", "还没有项目清单")
        shot(page, "daily-scope-empty-office")
        page.goto(f"{srv.url}/projects")
        _text_of(page, "#no-list", "还没有项目清单")
        page.click("#no-list-link")
        page.wait_for_selector("#ad-upload input[type=file]", state="attached")
        tab = page.get_by_role("tab", name="项目清单导入导出")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[role=tab]')].some("
            "t => t.innerText.includes('项目清单导入导出') && "
            "t.getAttribute('aria-selected') === 'true')"
        )
        assert tab.is_visible()


def test_after_the_import_the_page_says_what_was_done_not_what_would_be(
    empty_office, watched, tmp_path
):
    page = watched.page
    with live_server(empty_office, date(2026, 11, 28)) as srv:
        login(page, srv.url, "office", TEST_PASSWORD, next_path="/admin")
        page.get_by_role("tab", name="项目清单导入导出").click()
        upload = tmp_path / "清单.xlsx"
        upload.write_bytes(_first_list())
        page.set_input_files("#ad-upload input[type=file]", str(upload))
        _text_of(page, "#ad-status", "试读结果")
        assert "将新增 3 个" in page.inner_text("#ad-status")
        page.wait_for_function("!document.querySelector('#ad-confirm').disabled")
        page.click("#ad-confirm")
        done = _text_of(page, "#ad-status", "导入完成")
        shot(page, "daily-scope-import-done")
        assert "已新增 3 个" in done, done
        assert "将新增" not in done and "试读结果" not in done and "预演" not in done, done

        page.goto(f"{srv.url}/")
        _projects_shown(page, 3)
        assert page.locator("#no-list").count() == 0
