"""Site photos and the map in headless Chromium (#18): a county lead on a phone uploads two
photos from the project page (one taken this month on site, one last year), sees the
watermark and the checks; the map draws the eight counties and the 90 projects offline."""

from __future__ import annotations

import io
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from tests import photos
from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import Watched, shot
from tests.web.live import login
from tracker.db import read_session
from tracker.domain.geo import county_at
from tracker.models import AuditLog, Photo, Project

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes/shots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
MAP = "#mp-graph .js-plotly-plot"
MAP_DRAWN = f"""() => {{
  const gd = document.querySelector('{MAP}');
  return !!(gd && gd._fullData && gd.querySelectorAll('.scatterlayer .trace').length >= 9);
}}"""


def _keep(page, name: str) -> None:
    path = shot(page, name)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"{name}.png")


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(30000)
    w = Watched(page)
    yield w
    context.close()
    w.check()


def _shuangjiang_project(engine) -> Project:
    with read_session(engine) as s:
        return s.exec(
            select(Project).where(Project.county == "双江县").order_by(Project.id)
        ).first()


def test_a_county_lead_uploads_site_photos_from_the_phone_and_sees_the_checks(
    server, phone, demo_engine
):
    page = phone.page
    project = _shuangjiang_project(demo_engine)
    site = (project.latitude + 0.003, project.longitude - 0.002)  # a few hundred metres off
    # a camera-sized photo (shrunk in the browser before it is sent) taken on site this
    # month, and one taken a year ago
    today = photos.site_jpeg(datetime(2026, 11, 20, 10, 31), site, size=(4000, 3000))
    last_year = photos.site_jpeg(datetime(2025, 11, 20, 9, 5), site, colour=(120, 90, 60))
    login(page, server.url, "shuangjiang", DEMO_PASSWORD, next_path=f"/projects/{project.id}")
    page.wait_for_selector(".photo-drop")
    page.set_input_files(
        ".photo-drop input[type=file]",
        files=[
            {"name": "IMG_2026.jpg", "mimeType": "image/jpeg", "buffer": today},
            {"name": "IMG_2025.jpg", "mimeType": "image/jpeg", "buffer": last_year},
        ],
    )
    page.wait_for_function("document.querySelectorAll('.photo-card').length === 2")
    cards = page.locator(".photo-card")
    passed = page.locator(".photo-card[data-passed='1']")
    flagged = page.locator(".photo-card[data-passed='0']")
    assert cards.count() == 2 and passed.count() == 1 and flagged.count() == 1
    assert "2026-11-20 10:31" in passed.inner_text() and "核验通过" in passed.inner_text()
    assert "拍摄于 2025-11-20，不在填报月份 2026-11 内" in flagged.inner_text()
    page.wait_for_function(
        "[...document.querySelectorAll('.photo-card img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    # no sideways scroll caused by the photos
    width = page.evaluate("document.querySelector('.photo-section').scrollWidth")
    assert width <= 390
    page.locator(".photo-section").scroll_into_view_if_needed()
    _keep(page, "i18-project-photos-phone")
    if SHOTS.is_dir():
        page.locator(".photo-section").screenshot(path=str(SHOTS / "i18-photo-section-phone.png"))

    # the photo as served: watermarked, upright, without the device's identifiers
    photo_id = passed.get_attribute("data-photo")
    served = page.request.get(f"{server.url}/media/photos/{photo_id}/full.jpg")
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    body = served.body()
    assert b"TestPhone" not in body and b"SN-0042-SECRET" not in body
    with Image.open(io.BytesIO(body)) as image:
        assert image.width == 2000  # shrunk in the browser to 2560, kept at 2000
        assert image.height > 1500 + 60  # 4:3 photo plus its band
        band = image.crop((0, 1500, image.width, image.height)).convert("L").tobytes()
        assert sum(b > 200 for b in band) > 500 and sum(b < 60 for b in band) > len(band) // 2
        image.save(SHOTS / "i18-watermark-full.png") if SHOTS.is_dir() else None
    with read_session(demo_engine) as s:
        rows = s.exec(select(Photo).where(Photo.project_id == project.id)).all()
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "photo")).all()
    assert sorted(r.original_name for r in rows) == ["IMG_2025.jpg", "IMG_2026.jpg"]
    assert {r.width for r in rows} == {2560, 1600}  # the 4000 px one arrived shrunk
    assert all(r.latitude == pytest.approx(site[0], abs=1e-4) for r in rows)
    assert len(audits) == 2

    # nobody signed out gets it
    anonymous = page.context.browser.new_context()
    try:
        refused = anonymous.request.get(
            f"{server.url}/media/photos/{photo_id}/full.jpg", max_redirects=0
        )
        assert refused.status in (302, 401, 404)
    finally:
        anonymous.close()


def _open_map(page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(MAP_DRAWN)
    return time.perf_counter() - started


def _map_counts(page) -> dict:
    return page.evaluate(
        f"""() => {{
          const gd = document.querySelector('{MAP}');
          const meta = m => gd._fullData.filter(t => t.meta === m);
          return {{
            counties: meta('county').map(t => t.name),
            points: meta('projects').reduce((n, t) => n + t.x.length, 0),
          }};
        }}"""
    )


def test_the_map_draws_the_eight_counties_and_the_90_projects_offline_and_opens_one(
    server, watched
):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/map")
    page.wait_for_function(MAP_DRAWN)
    counts = _map_counts(page)
    assert sorted(counts["counties"]) == sorted(
        ["临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县"]
    )
    assert counts["points"] == 90
    assert "地图上 90 个项目（0 个未标注位置）" in page.locator("#mp-count").inner_text()
    warm = min(_open_map(page, f"{server.url}/map") for _ in range(3))
    print(f"map page warm load: {warm * 1000:.0f} ms")
    assert warm < 1.5
    _keep(page, "i18-map-desktop")

    # the battle map's filters: a county narrows the points and travels to the battle map
    page.click("#mp-county")
    page.get_by_role("option", name="双江县", exact=True).click()
    page.wait_for_function(
        f"() => document.querySelector('{MAP}')._fullData.filter(t => t.meta === 'projects')"
        ".reduce((n, t) => n + t.x.length, 0) < 90"
    )
    page.wait_for_url(re.compile(r"county=%E5%8F%8C"))
    assert "county=" in page.locator("#mp-battle-link").get_attribute("href")

    # a click on a project's point opens it
    target = page.evaluate(
        f"""() => {{
          const gd = document.querySelector('{MAP}');
          const t = gd._fullData.find(t => t.meta === 'projects');
          const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const l = gd._fullLayout;
          return {{id: t.customdata[0][0],
                   x: box.left + l.xaxis.c2p(t.x[0]), y: box.top + l.yaxis.c2p(t.y[0])}};
        }}"""
    )
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(f"**/projects/{target['id']}")


def test_the_map_fits_a_phone_screen(server, phone):
    page = phone.page
    login(page, server.url, "shuangjiang", DEMO_PASSWORD, next_path="/map")
    page.wait_for_function(MAP_DRAWN)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(MAP).bounding_box()
    assert box["width"] <= 390 and box["height"] >= 300
    # the shell's navigation is folded behind the burger at 390 px
    assert page.locator("#shell-burger").is_visible()
    assert page.evaluate(
        "!document.querySelector('.app-nav') || "
        "document.querySelector('.app-nav').getBoundingClientRect().right <= 0"
    )
    _keep(page, "i18-map-phone")


@pytest.fixture
def tablet(browser):
    """A touch screen wide enough for the desktop shell (the phone's 390 px is
    test_the_map_fits_a_phone_screen's and tests/web/test_phone_browser.py's)."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 820, "height": 1180}, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(30000)
    w = Watched(page)
    yield w
    context.close()
    w.check()


def test_a_county_lead_places_a_project_on_the_map_by_tapping_it(server, tablet, demo_engine):
    page = tablet.page
    project = _shuangjiang_project(demo_engine)
    login(page, server.url, "shuangjiang", DEMO_PASSWORD, next_path="/map")
    page.wait_for_function(MAP_DRAWN)
    page.click("#mp-locate-project")
    page.get_by_role("option", name=f"{project.code} {project.name}").click()
    # tap the middle of 双江县's outline
    spot = page.evaluate(
        f"""() => {{
          const gd = document.querySelector('{MAP}');
          const t = gd._fullData.find(t => t.meta === 'county' && t.name === '双江县');
          const xs = t.x.filter(v => v !== null), ys = t.y.filter(v => v !== null);
          const lon = (Math.min(...xs) + Math.max(...xs)) / 2;
          const lat = (Math.min(...ys) + Math.max(...ys)) / 2;
          const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const l = gd._fullLayout;
          return {{x: box.left + l.xaxis.c2p(lon), y: box.top + l.yaxis.c2p(lat)}};
        }}"""
    )
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function("document.querySelector('#mp-chosen').innerText.includes('°N')")
    page.click("#mp-locate-save")
    page.wait_for_selector("text=已保存项目位置")
    with read_session(demo_engine) as s:
        moved = s.get(Project, project.id)
    assert (moved.latitude, moved.longitude) != (project.latitude, project.longitude)
    assert county_at(moved.latitude, moved.longitude) == "双江县"
    assert moved.version == project.version + 1
