"""The battle map in headless Chromium against a live server on the demo office."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.gantt.test_pdf import media_boxes, needs_poppler, pages_text
from tests.web.conftest import ARTIFACTS, Watched, shot
from tests.web.live import login

pytestmark = pytest.mark.browser

GRAPH = "#bm-graph .js-plotly-plot"
DRAWN = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  return !!(gd && gd._fullLayout && gd.layout && gd.layout.meta
    && gd.querySelectorAll('.barlayer .trace').length > 0);
}}"""
AREAS = ["绿色低碳发展", "推动旅游产业", "生态环境保护", "创新驱动发展"]


ROWS = f"window.trackerBattleMapRows(document.querySelector('{GRAPH}'))"


def _rows(page) -> list:
    """What each row shows, top to bottom (project id or group key), as the app reads it."""
    return page.evaluate(ROWS)


def _title(page) -> str:
    return page.evaluate(f"document.querySelector('{GRAPH}').layout.title.text")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN)


def _click_group_bar(page, key: str) -> None:
    """Click the middle of the summary bar of group ``key``."""
    index = page.evaluate(
        f"""(key) => {{
          const gd = document.querySelector('{GRAPH}');
          return gd._fullData[0].customdata.findIndex(c => c[0] === key);
        }}""",
        key,
    )
    assert index >= 0, key
    bar = page.locator(f"{GRAPH} .barlayer .trace").nth(0).locator(".point").nth(index)
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _click_project_bar(page) -> int:
    """Click the middle of the first plan bar; returns the project id it belongs to."""
    found = page.evaluate(
        f"""() => {{
          const gd = document.querySelector('{GRAPH}');
          const bars = gd._fullData.filter(t => t.type === "bar");
          for (let i = 0; i < bars.length; i++) {{
            const c = bars[i].customdata;
            if (c && c.length && typeof c[0][0] === 'number') return [i, c[0][0]];
          }}
          return null;
        }}"""
    )
    assert found, "a plan bar is drawn"
    trace, project_id = found
    bar = page.locator(f"{GRAPH} .barlayer .trace").nth(trace).locator(".point").nth(0)
    box = bar.bounding_box()
    # a little right of the start: the bar itself, clear of most milestone diamonds
    page.mouse.click(box["x"] + min(12, box["width"] / 2), box["y"] + box["height"] / 2)
    return project_id


def test_filter_fold_click_through_and_a_link_that_reopens_the_same_view(server, watched, browser):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
    page.wait_for_function(DRAWN)
    assert "挂图作战" in page.locator(".app-nav").inner_text()
    every = _rows(page)
    assert sum(isinstance(r, int) for r in every) == 90
    # a label on the axis for every row, the project's code and name on its row
    labels = page.locator(f"{GRAPH} .y2tick text").all_text_contents()
    assert len(labels) == len(every)
    assert sum(label.startswith("▾") for label in labels) == len(every) - 90

    # filter to one county
    page.click("#bm-county")
    page.get_by_role("option", name="临翔区", exact=True).click()
    page.wait_for_url(re.compile(r"county=%E4%B8%B4%E7%BF%94%E5%8C%BA"))
    page.wait_for_function(
        f"() => document.querySelector('{GRAPH}').layout.meta.project_count < 90"
    )
    county_rows = _rows(page)
    assert 0 < sum(isinstance(r, int) for r in county_rows) < 90

    # fold the first measure
    measure = next(r for r in county_rows if isinstance(r, str) and r.startswith("measure:"))
    at = county_rows.index(measure)
    inside = []
    for row in county_rows[at + 1 :]:
        if not isinstance(row, int):
            break
        inside.append(row)
    assert inside
    _click_group_bar(page, measure)
    page.wait_for_url(re.compile(r"fold="))
    page.wait_for_function(
        f"(key) => {ROWS}.length < {len(county_rows)}",
        arg=measure,
    )
    folded = _rows(page)
    assert measure in folded
    assert not set(inside) & set(folded)
    query = parse_qs(urlsplit(page.url).query)
    assert query["fold"] == [measure] and query["county"] == ["临翔区"]
    shot(page, "battle_map")

    # the link opens the same view in another browser (through the login)
    link = page.url
    other = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        fresh = other.new_page()
        watched_fresh = Watched(fresh)
        fresh.goto(link)
        fresh.fill("#username", "leader")
        fresh.fill("#password", DEMO_PASSWORD)
        fresh.click("#login-submit")
        fresh.wait_for_url(re.compile(r"/battle-map\?"))
        fresh.wait_for_function(DRAWN)
        assert _rows(fresh) == folded
        assert fresh.input_value("#bm-county") == "临翔区"
        assert parse_qs(urlsplit(fresh.url).query) == query
        watched_fresh.check()
    finally:
        other.close()

    # a click on a project's bar lands on the project
    project_id = _click_project_bar(page)
    page.wait_for_url(re.compile(rf"/projects/{project_id}$"))
    page.wait_for_selector("#pj-name")

    # and the browser's back button returns to the view as it was left
    page.go_back()
    page.wait_for_function(DRAWN)
    assert _rows(page) == folded


def test_the_nav_item_on_a_filtered_view_opens_the_whole_map_at_the_bare_address(server, watched):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/battle-map")
    page.wait_for_function(DRAWN)
    page.click("#bm-county")
    page.get_by_role("option", name="云县", exact=True).click()
    page.wait_for_url(re.compile(r"county="))
    page.wait_for_function(f"() => {ROWS}.filter(k => typeof k === 'number').length < 90")

    page.locator(".app-nav a[href='/battle-map']").click()

    page.wait_for_url(f"{server.url}/battle-map")
    page.wait_for_function(DRAWN)
    page.wait_for_function(f"() => {ROWS}.filter(k => typeof k === 'number').length === 90")
    assert page.input_value("#bm-county") == ""
    assert urlsplit(page.url).query == ""


def test_grouping_zoom_and_paging_travel_in_the_url(server, watched):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/battle-map")
    page.wait_for_function(DRAWN)
    page.get_by_text("红黄绿灯", exact=True).click()
    page.wait_for_url(re.compile(r"group=light"))
    page.wait_for_function(f"() => {ROWS}[0] === 'light:red'")
    page.get_by_text("本年", exact=True).click()
    page.wait_for_url(re.compile(r"zoom=year"))
    page.wait_for_function(
        f"() => (document.querySelector('{GRAPH}').layout.xaxis.range || [''])[0].startsWith('2026-01-01')"
    )
    assert page.locator("#bm-page-label").inner_text() == "第 1 / 1 页"


def test_meeting_mode_fills_the_screen_and_moves_on_to_the_next_area(server, watched):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/")
    # one county keeps each area on one screen, so the next screen is the next area
    _open(page, f"{server.url}/battle-map?meeting=1&every=5&county=云县")
    assert page.locator(".bm-meeting").count() == 1
    assert page.locator(".app-header").is_hidden()
    assert page.locator(".app-nav").is_hidden()
    assert AREAS[0] in _title(page)
    page.wait_for_timeout(500)
    shot(page, "battle_map_meeting")

    page.wait_for_function(
        f"(area) => document.querySelector('{GRAPH}').layout.title.text.includes(area)",
        arg=AREAS[1],
        timeout=20000,
    )
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("area") == [AREAS[1]])

    page.click("#bm-exit")
    page.wait_for_function("() => !document.querySelector('.bm-meeting')")
    assert page.locator(".app-header").is_visible()
    page.wait_for_url(lambda url: "meeting" not in parse_qs(urlsplit(url).query))


# records a button's (loading, disabled) states as they change, in window.__buttonStates
SPINNER_WATCH = """(selector) => {
  const button = document.querySelector(selector);
  window.__buttonStates = [];
  const note = () => window.__buttonStates.push({
    loading: button.hasAttribute('data-loading'), disabled: button.disabled,
  });
  new MutationObserver(note).observe(button, {attributes: true});
}"""


@needs_poppler
def test_the_printable_pdf_of_the_demo_is_a3_with_every_project_once(
    demo_engine, server, watched, tmp_path
):
    from tests.web.test_battle_map_pages import demo_project_names

    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
    page.wait_for_function(DRAWN)
    # the page stays responsive: the buttons spin (and refuse a second click) meanwhile. The
    # demo's PDF takes a fraction of a second, so the button's states are recorded as they
    # change rather than polled for (a loaded machine polls too late to see the spinner).
    page.evaluate(SPINNER_WATCH, "#bm-export-pdf")
    with page.expect_download(timeout=60000) as info:
        page.click("#bm-export-pdf")
    page.wait_for_function("() => !document.querySelector('#bm-export-pdf[data-loading]')")
    states = page.evaluate("() => window.__buttonStates")
    assert {"loading": True, "disabled": True} in states  # it spun, and refused clicks
    assert states[-1] == {"loading": False, "disabled": False}  # and is back once it is done
    assert info.value.suggested_filename == "挂图作战_2026-11-28.pdf"
    path = tmp_path / "battle_map.pdf"
    info.value.save_as(path)
    pdf = path.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "battle_map.pdf").write_bytes(pdf)

    boxes = media_boxes(pdf, tmp_path)
    assert len(boxes) >= 2
    for width, height in boxes:
        assert width == pytest.approx(1190.55, abs=0.01)
        assert height == pytest.approx(841.89, abs=0.01)
    pages = pages_text(pdf, tmp_path)
    assert len(pages) == len(boxes)
    for number, text in enumerate(pages, start=1):
        assert "重大项目挂图作战" in text and "截至 2026-11-28" in text  # the header
        assert "项目名称" in text and "2026年" in text  # the table head and the time axis
        assert f"第{number}/{len(pages)}页" in re.sub(r"\s", "", text)
    text = "".join(pages)
    names = demo_project_names(demo_engine)
    assert len(names) == 90
    assert {n: text.count(n) for n in names if text.count(n) != 1} == {}
    assert re.search(r"[\u4e00-\u9fff]", text)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(ARTIFACTS / "battle_map_pdf"),
        ],
        check=False,
    )


def test_the_png_and_html_exports_download_from_the_page(server, watched, tmp_path):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/battle-map?county=云县")
    page.wait_for_function(DRAWN)
    with page.expect_download(timeout=60000) as info:
        page.click("#bm-export-png")
    assert info.value.suggested_filename == "挂图作战_2026-11-28.png"
    png = tmp_path / "view.png"
    info.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")

    with page.expect_download(timeout=60000) as info:
        page.click("#bm-export-html")
    assert info.value.suggested_filename == "挂图作战_2026-11-28.html"
    html_path = tmp_path / "view.html"
    info.value.save_as(html_path)
    html = html_path.read_text(encoding="utf-8")
    assert "<html" in html and "Plotly.newPlot" in html
    assert not re.search(r"<script[^>]+src=", html), "the page must open offline"
    assert "云县" in html


def test_hostile_names_render_as_text_on_the_battle_map_and_the_slip_chart(
    demo_engine, server, watched
):
    from tests.web.test_xss import PAYLOADS, _assert_clean, _plant

    target, _ = _plant(demo_engine)
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map?q=XSS")
    page.wait_for_function(DRAWN)
    ticks = "\n".join(page.locator(f"{GRAPH} .y2tick").all_text_contents())
    assert "XSS00 <script>" in ticks
    assert PAYLOADS[1][:8] in ticks  # the area, as a group label
    hovered = []
    bars = page.locator(f"{GRAPH} .barlayer .trace .point path")
    for i in range(min(bars.count(), 40)):
        box = bars.nth(i).bounding_box()
        if not box or box["width"] < 4:
            continue
        page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2)
        page.wait_for_timeout(60)
        hovered.append(page.locator(f"{GRAPH} .hoverlayer").text_content() or "")
    shown = "\n".join(hovered)
    assert sum(payload in shown for payload in PAYLOADS) >= 5
    _assert_clean(page)

    page.click("#bm-area")
    assert page.get_by_role("option", name=PAYLOADS[1], exact=True).count() == 1
    page.keyboard.press("Escape")
    _assert_clean(page)

    page.goto(f"{server.url}/projects/{target}")
    page.wait_for_selector("#pj-slip-chart .main-svg")
    legend = page.locator("#pj-slip-chart .legend").text_content() or ""
    assert PAYLOADS[3] in legend
    _assert_clean(page)
