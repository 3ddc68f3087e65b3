"""User-written text is shown as text: 24 hostile strings in project, area, measure and
milestone names, notes and reports open no dialog and add no link, tag or handler —
in the grid, on the project page, in plotly tick labels and hover text."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.live import login
from tracker.db import read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.models import Area, Measure, Milestone, MonthlyReport, Project
from tracker.services.status import project_statuses

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "'><img src=x onerror=alert(5)>",
    '<a href="javascript:alert(6)">点我</a>',
    "javascript:alert(7)",
    '<iframe src="javascript:alert(8)"></iframe>',
    "<body onload=alert(9)>",
    "<b onmouseover=alert(10)>悬停</b>",
    "<details open ontoggle=alert(11)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "{{constructor.constructor('alert(13)')()}}",
    "${alert(14)}",
    "<input autofocus onfocus=alert(15)>",
    "<video><source onerror=alert(16)>",
    "<style>@import 'javascript:alert(17)'</style>",
    '<object data="javascript:alert(18)">',
    '<embed src="javascript:alert(19)">',
    "[点我](javascript:alert(20))",
    "<marquee onstart=alert(21)>",
    "%3Cscript%3Ealert(22)%3C/script%3E",
    "<br><a href=javascript:alert(23)>x</a>",
    '=HYPERLINK("javascript:alert(24)")',
]
FOREIGN_TAGS = (
    "img, iframe, object, embed, video, marquee, details, math, svg a, body body, input[autofocus]"
)
DOM_CHECK = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + '@' + attr.name);
      if (['href', 'src', 'xlink:href', 'data', 'action'].includes(attr.name.toLowerCase())
          && attr.value.trim().toLowerCase().startsWith('javascript:')) bad.push(el.tagName + ' ' + attr.value);
    }
  }
  for (const script of document.scripts) {
    if (script.text.includes('alert(')) bad.push('script: ' + script.text.slice(0, 80));
  }
  return bad;
}
"""


def _plant(engine) -> tuple[int, list[int]]:
    """Hostile names on the projects furthest behind (the overview's bar chart shows them),
    on an area and a measure, and on every milestone, note and report of one project."""
    with read_session(engine) as s:
        statuses = project_statuses(s, as_of=DEMO_AS_OF, thresholds=Thresholds())
    behind = sorted(
        (st for st in statuses if st.gap_pp is not None and st.gap_pp < 0), key=lambda st: st.gap_pp
    )
    chosen = [st.project.id for st in behind[:10]] + [
        st.project.id for st in statuses if st.project.id not in {b.project.id for b in behind[:10]}
    ][: len(PAYLOADS) - 10]
    target = chosen[0]
    with write_session(engine) as s:
        for n, (pid, payload) in enumerate(zip(chosen, PAYLOADS, strict=True)):
            project = s.get(Project, pid)
            project.name = f"XSS{n:02d} {payload}"
            project.scope = payload
            project.contact_person = payload[:50]
            s.add(project)
        area = s.exec(select(Area).order_by(Area.sort_order)).first()
        area.name = PAYLOADS[1]
        measure = s.exec(select(Measure).order_by(Measure.id)).first()
        measure.name = PAYLOADS[2]
        milestones = s.exec(
            select(Milestone).where(Milestone.project_id == target).order_by(Milestone.seq)
        ).all()
        for n, m in enumerate(milestones):
            m.name = PAYLOADS[(n + 3) % len(PAYLOADS)]
            m.note = PAYLOADS[(n + 10) % len(PAYLOADS)]
            s.add(m)
        for n, r in enumerate(
            s.exec(select(MonthlyReport).where(MonthlyReport.project_id == target))
        ):
            r.problems = PAYLOADS[n % len(PAYLOADS)]
            r.progress_text = PAYLOADS[(n + 5) % len(PAYLOADS)]
            r.reporter = PAYLOADS[(n + 7) % len(PAYLOADS)][:50]
            s.add(r)
    return target, [m.id for m in milestones]


def _assert_clean(page) -> None:
    assert page.evaluate(DOM_CHECK) == []
    assert page.locator(FOREIGN_TAGS).count() == 0


def test_hostile_text_renders_as_text_everywhere(demo_engine, server, watched):
    target, milestone_ids = _plant(demo_engine)
    page = watched.page
    page.set_viewport_size({"width": 1600, "height": 2200})
    login(page, server.url, "admin", DEMO_PASSWORD)

    # overview: tick labels and hover text of the charts that carry user-written names
    page.wait_for_selector("#ov-chart-behind .main-svg")
    page.wait_for_selector("#ov-chart-area .main-svg")
    hovered: list[str] = []
    for chart in ("#ov-chart-behind", "#ov-chart-area"):
        bars = page.locator(f"{chart} .bars .point path")
        for i in range(bars.count()):
            box = bars.nth(i).bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(120)
            hovered.append(page.locator(f"{chart} .hoverlayer").text_content() or "")
            _assert_clean(page)
    shown = "\n".join(hovered)
    for payload in PAYLOADS[:10]:
        assert payload in shown, f"hover text does not show {payload!r} as text"
    assert page.locator("#ov-chart-area .xtick").all_text_contents()[0].startswith(PAYLOADS[1][:7])
    _assert_clean(page)

    # the grid
    page.goto(f"{server.url}/projects?q=XSS")
    page.wait_for_selector("#pl-grid .ag-row")
    page.wait_for_timeout(500)
    grid = page.locator("#pl-grid").inner_text()
    for payload in PAYLOADS:
        assert payload in grid, f"the grid does not show {payload!r} as text"
    assert page.locator("#pl-grid a.grid-link").count() > 0
    for href in page.locator("#pl-grid a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    ):
        assert href.startswith("/projects/") and href.split("/")[-1].isdigit()
    _assert_clean(page)

    # the project page, its chart and its edit form
    page.goto(f"{server.url}/projects/{target}")
    page.wait_for_selector("#pj-milestones")
    body = page.locator(".project-body").inner_text()
    assert PAYLOADS[0] in page.locator("#pj-name").inner_text()
    for payload in PAYLOADS[3:6] + PAYLOADS[10:13]:
        assert payload in body, f"the project page does not show {payload!r} as text"
    _assert_clean(page)
    page.locator(".ms-edit").first.click()
    page.wait_for_selector("#pj-done-save", state="visible")
    assert PAYLOADS[3] in page.locator("#pj-form-info").inner_text()
    _assert_clean(page)
    page.get_by_role("tab", name="备注").click()
    page.fill("#pj-note", PAYLOADS[1])
    page.click("#pj-note-save")
    page.wait_for_function(
        "document.querySelector('#pj-history') && document.querySelector('#pj-history').innerText.includes('修改备注')"
    )
    assert PAYLOADS[1] in page.locator("#pj-milestones").inner_text()
    assert PAYLOADS[1] in page.locator("#pj-history").inner_text()
    _assert_clean(page)
