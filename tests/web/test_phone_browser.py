"""#18 a county lead on a phone: 390×844 with touch, in headless Chromium.

Every page of the lead's work (my projects, a project with its site photos, a milestone
update, the monthly report, the ledger, the bell, the map) fits the screen's width (no sideways scroll), the navigation
folds behind the burger (at most a quarter of the first screen), a milestone is marked done
and a report submitted on the phone. Screenshots: tests/artifacts/phone-*.png.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from tests import photos
from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import ARTIFACTS, Watched
from tests.web.demo_reports import county_projects, remove_reports
from tests.web.live import login
from tracker.db import read_session, write_session
from tracker.domain.rules import MilestoneState, Thresholds
from tracker.models import Milestone, MonthlyReport
from tracker.services.status import project_statuses

pytestmark = pytest.mark.browser

COUNTY = "双江县"
LEAD = "shuangjiang"
WIDTH, HEIGHT = 390, 844
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    w = Watched(page)
    yield w
    context.close()
    w.check()


def _snap(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"))


def _fits(page, where: str) -> None:
    """No sideways scroll: the page is no wider than the phone (a phone browser zooms out
    to show a wider page, so the layout width must stay the screen's too)."""
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert inner == WIDTH, f"{where}: the browser zoomed out to {inner}px"
    assert width <= inner, f"{where}: {width}px wide on a {inner}px screen"


def _navigation_share(page) -> float:
    """The share of the first screen the header and the (visible) navigation cover."""
    return page.evaluate(
        """() => {
          let area = 0;
          for (const sel of ['.app-header', '.app-nav']) {
            const el = document.querySelector(sel);
            if (!el) continue;
            const r = el.getBoundingClientRect();
            const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
            const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
            area += w * h;
          }
          return area / (innerWidth * innerHeight);
        }"""
    )


def _tap(page, selector: str) -> None:
    page.locator(selector).first.tap()


def _overdue_milestone(engine):
    """A 双江县 project with an overdue milestone."""
    with read_session(engine) as s:
        for st in project_statuses(s, as_of=DEMO_AS_OF, thresholds=Thresholds()):
            if st.project.county != COUNTY:
                continue
            late = [m for m, ms in st.milestones if ms.state is MilestoneState.OVERDUE]
            if late:
                return st.project, late[0]
    raise AssertionError("the demo has no overdue milestone in 双江县")


def test_a_county_lead_works_on_a_phone(demo_engine, server, phone):
    project, late = _overdue_milestone(demo_engine)
    with write_session(demo_engine) as s:
        projects = county_projects(s, COUNTY)
        remove_reports(s, [projects[0].id], DEMO_AS_OF.replace(day=1))
    reporting = projects[0]
    page = phone.page

    # -- my projects: the navigation folded behind the burger ------------------------------
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/projects?mine=1")
    page.wait_for_selector("#pl-grid .ag-row")
    assert page.locator("#shell-burger").is_visible()
    assert _navigation_share(page) <= 0.25
    _fits(page, "my projects")
    _snap(page, "mine")

    # the burger opens the navigation; a tap on a link opens the page and folds it again
    _tap(page, "#shell-burger")
    page.wait_for_selector(".app-nav .nav-link", state="visible")
    _snap(page, "nav-open")
    page.locator(".app-nav .nav-link", has_text="问题台账").tap()
    page.wait_for_url(f"{server.url}/ledger")
    page.wait_for_selector("#lg-grid .ag-row")
    page.wait_for_function(
        "!document.querySelector('.app-nav') || "
        "document.querySelector('.app-nav').getBoundingClientRect().right <= 0"
    )
    assert _navigation_share(page) <= 0.25
    _fits(page, "ledger")
    _snap(page, "ledger")

    # -- a project, and its milestone marked done ----------------------------------------
    page.goto(f"{server.url}/projects/{project.id}")
    page.wait_for_selector("#pj-milestones")
    page.wait_for_selector("#pj-chart .main-svg")
    _fits(page, "project")
    _snap(page, "project")

    # the project's site photos: a photo uploaded from the phone, its card within the screen
    site = (project.latitude + 0.003, project.longitude - 0.002)
    jpeg = photos.site_jpeg(datetime(2026, 11, 20, 10, 31), site, size=(4000, 3000))
    page.set_input_files(
        ".photo-drop input[type=file]",
        files=[{"name": "IMG_PHONE.jpg", "mimeType": "image/jpeg", "buffer": jpeg}],
    )
    page.wait_for_function(
        "[...document.querySelectorAll('.photo-card img')].some(i => i.complete && i.naturalWidth > 0)"
    )
    section = page.locator(".photo-section")
    section.scroll_into_view_if_needed()
    for element in (section, page.locator(".photo-drop"), page.locator(".photo-card").first):
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    _fits(page, "project with a photo")
    _snap(page, "photos")
    button = page.locator("#pj-milestones .ms-row.ms-overdue .ms-edit").first
    box = button.bounding_box()
    assert box and box["height"] >= 40 and box["x"] + box["width"] <= WIDTH  # touch-sized
    button.tap()
    page.wait_for_selector("#pj-done-save", state="visible")
    _fits(page, "milestone form")
    _snap(page, "milestone")
    page.locator("#pj-done-save").tap()
    page.wait_for_function(
        "document.querySelector('#pj-history') && "
        "document.querySelector('#pj-history').innerText.includes('标记完成')"
    )
    with read_session(demo_engine) as s:
        assert s.get(Milestone, late.id).actual_date is not None

    # -- the monthly report, one project at a time ----------------------------------------
    page.goto(f"{server.url}/reports")
    page.wait_for_selector(f'.rp-card[data-project="{reporting.id}"]')
    assert not page.locator("#rp-grid").is_visible()  # the grid gives way to the cards
    _fits(page, "reports")
    _snap(page, "reports")
    card = page.locator(f'.rp-card[data-project="{reporting.id}"]')
    card.locator(".rp-card-open").tap()
    page.wait_for_selector("#rp-phone-submit", state="visible")
    field = ':is(input, textarea)[id*="rp-phone-field"][id*="{}"]'
    page.locator(field.format("completed_month")).fill("123.5")
    page.locator(field.format("progress_pct")).fill("40")
    page.locator(field.format("progress_text")).fill("主体结构施工，完成三层")
    page.locator(field.format("problems")).fill("雨季影响工期")
    _fits(page, "report form")
    _snap(page, "report-form")
    page.locator("#rp-phone-submit").tap()
    page.wait_for_selector("#rp-phone-submit", state="hidden")
    card.locator(".rp-card-status", has_text="已报送").wait_for()
    with read_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.project_id == reporting.id)
            .where(MonthlyReport.period == DEMO_AS_OF.replace(day=1))
        ).one()
        assert report.status == "submitted"
        assert float(report.completed_month) == 123.5
        assert report.progress_text == "主体结构施工，完成三层"
    _snap(page, "reports-after")

    # -- installable: the page links a manifest, served with its icons ---------------------
    assert page.locator('link[rel="manifest"]').count() == 1
    answer = page.request.get(f"{server.url}/manifest.webmanifest")
    assert answer.ok and answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["short_name"] == "挂图作战"
    for icon in manifest["icons"]:
        png = page.request.get(server.url + icon["src"])
        assert png.ok and png.body()[:8] == b"\x89PNG\r\n\x1a\n"

    # -- the bell -----------------------------------------------------------------------------
    _tap(page, "#shell-bell-button")
    page.wait_for_selector("#bell-items")
    _fits(page, "bell")
    _snap(page, "bell")
    page.keyboard.press("Escape")

    # -- the map: the navigation folded, the map within the screen -------------------------
    page.goto(f"{server.url}/map")
    page.wait_for_function(
        "() => { const gd = document.querySelector('#mp-graph .js-plotly-plot');"
        " return !!(gd && gd._fullData && gd.querySelectorAll('.scatterlayer .trace').length >= 9); }"
    )
    assert page.locator("#shell-burger").is_visible()
    assert _navigation_share(page) <= 0.25
    _fits(page, "map")
    box = page.locator("#mp-graph .js-plotly-plot").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH and box["height"] >= 300
    for control in ("#mp-county", "#mp-locate-project"):
        if page.locator(control).count():
            box = page.locator(control).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, control
    _snap(page, "map")

    # -- in English, from the folded navigation's language link: still no sideways scroll ----
    _tap(page, "#shell-burger")
    page.locator(".nav-phone-links a", has_text="EN").tap()
    page.wait_for_selector("#shell-burger")
    page.goto(f"{server.url}/reports")
    page.wait_for_selector(".rp-card .rp-card-open")
    assert "Report" in page.locator(".rp-card .rp-card-open").first.inner_text() or "View" in (
        page.locator(".rp-card .rp-card-open").first.inner_text()
    )
    _fits(page, "reports in English")
    _snap(page, "reports-en")


def test_the_desktop_keeps_its_layout(demo_engine, server, watched):
    """At the office's 1600 px the navigation stays open beside the page, with no burger,
    and the monthly report is the grid (no cards)."""
    page = watched.page
    login(page, server.url, LEAD, DEMO_PASSWORD, next_path="/reports")
    page.wait_for_selector("#rp-grid .ag-row")
    assert not page.locator("#shell-burger").is_visible()
    nav = page.locator(".app-nav").bounding_box()
    assert nav and nav["x"] == 0 and nav["width"] == 180
    assert page.locator(".app-nav .nav-link").first.is_visible()
    assert page.locator("#shell-user-name").is_visible()
    assert page.locator("#rp-grid").is_visible()
    assert not page.locator(".rp-card").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desktop-reports.png"))
