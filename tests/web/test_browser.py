"""The app in headless Chromium against a live server on the demo office."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.db import read_session
from tracker.domain.places import COUNTIES
from tracker.domain.rules import Light, MilestoneState, Thresholds
from tracker.models import Milestone
from tracker.services.demo import demo_users
from tracker.services.status import project_statuses

pytestmark = pytest.mark.browser

COUNTY_LOGIN = {u.scope: u.username for u in demo_users("x") if u.role == "county"}


def _project_held_back_only_by_a_late_milestone(engine):
    """A county project whose light is amber for one overdue milestone and nothing else."""
    with read_session(engine) as s:
        for st in project_statuses(s, as_of=DEMO_AS_OF, thresholds=Thresholds()):
            codes = [r.code for r in st.reasons]
            if (
                st.light is Light.AMBER
                and codes == ["milestone_overdue"]
                and st.project.county in COUNTIES
            ):
                late = next(m for m, ms in st.milestones if ms.state is MilestoneState.OVERDUE)
                return st.project, late
    raise AssertionError("the demo has no such project")


def _project_in_another_county(engine, county: str):
    with read_session(engine) as s:
        for st in project_statuses(s, as_of=DEMO_AS_OF, thresholds=Thresholds()):
            if st.project.county in COUNTIES and st.project.county != county:
                first = s.exec(
                    select(Milestone).where(Milestone.project_id == st.project.id)
                ).first()
                return st.project, first
    raise AssertionError("no project in another county")


def _light_count(page, light: str) -> int:
    return int(page.locator(f"#kpi-light-{light} .light-count").inner_text())


def test_a_county_lead_marks_a_milestone_done_and_the_light_and_overview_change(
    demo_engine, server, watched
):
    project, late = _project_held_back_only_by_a_late_milestone(demo_engine)
    county = project.county
    page = watched.page
    login(page, server.url, COUNTY_LOGIN[county], DEMO_PASSWORD, next_path=f"/?county={county}")
    page.wait_for_selector("#kpi-light-amber .light-count")
    amber, green = _light_count(page, "amber"), _light_count(page, "green")

    page.goto(f"{server.url}/projects/{project.id}")
    page.wait_for_selector("#pj-light")
    assert "黄灯" in page.locator("#pj-light").inner_text()
    assert late.name in page.locator("#pj-reasons").inner_text()
    page.locator(".ms-row.ms-overdue .ms-edit").first.click()
    page.wait_for_selector("#pj-done-save", state="visible")
    page.click("#pj-done-save")
    page.wait_for_function(
        "document.querySelector('#pj-light') && document.querySelector('#pj-light').innerText.includes('绿灯')"
    )
    assert "进展正常" in page.locator("#pj-reasons").inner_text()
    assert page.locator("#pj-history").inner_text().count("标记完成") == 1

    page.goto(f"{server.url}/?county={county}")
    page.wait_for_selector("#kpi-light-amber .light-count")
    assert (_light_count(page, "amber"), _light_count(page, "green")) == (amber - 1, green + 1)


def test_a_viewer_sees_no_edit_controls(demo_engine, server, watched):
    project, late = _project_held_back_only_by_a_late_milestone(demo_engine)
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path=f"/projects/{project.id}")
    page.wait_for_selector("#pj-milestones")
    assert page.locator(".ms-edit").count() == 0
    assert page.locator(".app-nav").inner_text().count("管理") == 0
    # a link that would open the edit form opens nothing for a viewer
    page.goto(f"{server.url}/projects/{project.id}?edit={late.id}")
    page.wait_for_selector(".page-alert")
    assert "没有权限" in page.locator(".page-alert").inner_text()
    assert not page.locator("#pj-done-save").is_visible()
    page.goto(f"{server.url}/admin")
    page.wait_for_selector(".page-alert")
    assert page.locator("#ad-users-grid").count() == 0


def test_a_county_lead_cannot_open_another_county_s_edit_form(demo_engine, server, watched):
    username = COUNTY_LOGIN["临翔区"]
    project, milestone = _project_in_another_county(demo_engine, "临翔区")
    page = watched.page
    login(page, server.url, username, DEMO_PASSWORD, next_path=f"/projects/{project.id}")
    page.wait_for_selector("#pj-milestones")
    assert page.locator(".ms-edit").count() == 0
    assert "只读" in page.locator(".project-body").inner_text()
    page.goto(f"{server.url}/projects/{project.id}?edit={milestone.id}")
    page.wait_for_selector(".page-alert")
    assert "没有权限" in page.locator(".page-alert").inner_text()
    assert not page.locator("#pj-done-save").is_visible()


def test_screenshots_of_the_overview_the_list_and_a_project_page(demo_engine, server, watched):
    project, _ = _project_held_back_only_by_a_late_milestone(demo_engine)
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD)
    page.wait_for_selector("#ov-chart-county .main-svg")
    page.wait_for_selector("#ov-chart-behind .main-svg")
    assert re.search(r"\d+", page.locator("#kpi-projects-value").inner_text())
    shot(page, "overview")

    page.goto(f"{server.url}/projects?light=red")
    page.wait_for_selector("#pl-grid .ag-row")
    assert "红灯" in page.locator("#pl-grid .ag-row").first.inner_text()
    page.goto(f"{server.url}/projects")
    page.wait_for_selector("#pl-grid .ag-row")
    page.wait_for_timeout(800)
    shot(page, "projects")

    page.goto(f"{server.url}/projects/{project.id}")
    page.wait_for_selector("#pj-chart .main-svg")
    shot(page, "project")

    page.goto(f"{server.url}/admin")
    page.wait_for_selector("#ad-users-grid .ag-row")
    shot(page, "admin")


def test_an_overview_figure_clicks_through_to_its_projects(server, watched):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD)
    page.wait_for_selector("#kpi-light-red")
    red = _light_count(page, "red")
    page.click("#kpi-light-red")
    page.wait_for_url(re.compile(r"/projects\?light=red"))
    page.wait_for_selector("#pl-grid .ag-row")
    assert page.locator("#pl-count").inner_text().startswith(f"共 {red} 个项目")

    page.goto(f"{server.url}/")
    page.wait_for_selector("#ov-chart-county .main-svg")
    bar = page.locator("#ov-chart-county .bars .point path").nth(1).bounding_box()  # 2nd county
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.wait_for_url(re.compile(r"/projects\?county="))
    page.wait_for_selector("#pl-grid .ag-row")
    assert "凤庆县" in page.url or "%E5%87%A4%E5%BA%86" in page.url


def test_the_list_s_columns_can_be_chosen_and_the_view_downloaded(server, watched, tmp_path):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/projects?county=云县")
    page.wait_for_selector("#pl-grid .ag-row")
    headers = page.locator("#pl-grid .ag-header-cell-text")
    assert "牵头单位" in headers.all_inner_texts()
    page.click("#pl-columns-button")
    page.get_by_label("牵头单位").uncheck()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "![...document.querySelectorAll('#pl-grid .ag-header-cell-text')].some(e => e.innerText === '牵头单位')"
    )
    with page.expect_download() as info:
        page.click("#pl-download")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    header = [c.value for c in sheet[3]]
    assert "项目名称" in header and "牵头单位" not in header
    counties = {
        row[header.index("县（区）")] for row in sheet.iter_rows(min_row=4, values_only=True)
    }
    assert counties == {"云县"}
