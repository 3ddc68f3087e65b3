"""#15: a big plan on one scrollable battle map, in headless Chromium.

The demo office with every project copied three more times (360 projects, ~385 rows): the
map is one scroll box that draws only the rows in sight and redraws them as it scrolls;
folding a group leaves its summary row; a click on a bar opens its project.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tests.web.test_battle_map_browser import DRAWN, GRAPH, ROWS
from tracker.db import write_session
from tracker.models import Milestone, Project

pytestmark = pytest.mark.browser

COPIES = 3
FIRST_AREA = "绿色低碳发展"
LABELS = f"document.querySelector('{GRAPH}').querySelectorAll('.y2tick text')"
META = f"document.querySelector('{GRAPH}').layout.meta"
# The point of a plan bar whose row is in sight, as page coordinates, and its project.
BAR_IN_SIGHT = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  const [bottom, top] = ya.range;
  for (const trace of gd._fullData) {{
    if (trace.type !== 'bar' || !trace.customdata) continue;
    for (let i = 0; i < trace.customdata.length; i++) {{
      const id = trace.customdata[i][0];
      const row = trace.y ? Number(trace.y[i]) : Number(trace.y0) + i;
      if (typeof id !== 'number' || row < top + 2 || row > bottom - 2) continue;
      const start = xa.d2l(trace.base[i]);
      return {{id: id, row: row,
               x: box.left + xa._offset + xa.l2p(start + Number(trace.x[i]) / 2),
               y: box.top + ya._offset + ya.l2p(row)}};
    }}
  }}
  return null;
}}"""


def _copy_every_project(engine, copies: int) -> int:
    """Each project of the demo ``copies`` more times, with its milestones; the new count."""
    with write_session(engine) as s:
        projects = s.exec(select(Project)).all()
        milestones = s.exec(select(Milestone)).all()
        by_project: dict[int, list[Milestone]] = {}
        for m in milestones:
            by_project.setdefault(m.project_id, []).append(m)
        skip = {"id", "code", "created_at", "updated_at", "version"}
        for copy in range(1, copies + 1):
            for p in projects:
                twin = Project(**p.model_dump(exclude=skip), code=f"{p.code}-{copy}")
                s.add(twin)
                s.flush()
                for m in by_project.get(p.id, []):
                    fields = m.model_dump(exclude={"id", "project_id", "version"})
                    s.add(Milestone(**fields, project_id=twin.id))
        return len(projects) * (copies + 1)


def _labels(page) -> list[str]:
    return page.evaluate(f"Array.from({LABELS}).map(t => t.textContent)")


def _drawn_projects(page) -> list[int]:
    return [r for r in page.evaluate(ROWS) if isinstance(r, int)]


def test_a_big_plan_scrolls_draws_what_is_in_sight_folds_to_a_summary_and_opens_a_project(
    demo_engine, watched
):
    total = _copy_every_project(demo_engine, COPIES)
    page = watched.page
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
        page.wait_for_function(DRAWN)
        meta = page.evaluate(META)
        assert meta["project_count"] == total and meta["window"] is True
        rows = meta["row_count"]
        assert rows > total  # the group headers are rows too
        # one map, no pages: only the rows in sight are drawn
        assert page.locator("#bm-pager").is_hidden()
        first = _drawn_projects(page)
        assert 10 < len(first) < total / 3
        top_labels = _labels(page)
        assert any(FIRST_AREA in label for label in top_labels)
        assert len(top_labels) < rows / 3

        # scroll the map with the mouse wheel down to its end: the last rows are drawn
        box = page.locator("#bm-scroll")
        box.hover()
        for _ in range(40):
            page.mouse.wheel(0, 2000)
            page.wait_for_timeout(50)
            if page.evaluate(f"{META}.window_rows[1]") == rows:
                break
        page.wait_for_function(f"() => {META}.window_rows[1] === {rows}")
        assert box.evaluate("b => b.scrollTop + b.clientHeight >= b.scrollHeight - 2")
        last = _drawn_projects(page)
        assert last and not set(last) & set(first)
        bottom_labels = _labels(page)
        assert not set(bottom_labels) & {label for label in top_labels if label[:2] == "LC"}
        assert any(re.search(rf"-{COPIES}\b", label) for label in bottom_labels)
        shot(page, "battle_map_window_bottom")

        # a click on a bar in sight opens its project
        bar = page.evaluate(BAR_IN_SIGHT)
        assert bar, "a plan bar is in sight"
        page.mouse.click(bar["x"], bar["y"])
        page.wait_for_url(re.compile(rf"/projects/{bar['id']}$"))
        page.wait_for_selector("#pj-name")

        # back on the map, fold the first area: one summary row stands for its projects
        page.go_back()
        page.wait_for_function(DRAWN)
        page.evaluate("window.trackerBattleMapScrollTo(0)")
        page.wait_for_function(f"() => {META}.window_rows[0] === 0")
        area = f"area:{FIRST_AREA}"
        summary = page.evaluate(
            f"""(key) => {{
              const gd = document.querySelector('{GRAPH}');
              const groups = gd._fullData.find(t => t.type === 'bar' && t.customdata
                && typeof t.customdata[0][0] === 'string');
              const i = groups.customdata.findIndex(c => c[0] === key);
              const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
              const box = gd.querySelector('.main-svg').getBoundingClientRect();
              const row = groups.y ? Number(groups.y[i]) : Number(groups.y0) + i;
              const start = xa.d2l(groups.base[i]);
              return {{x: box.left + xa._offset + xa.l2p(start + Number(groups.x[i]) / 2),
                       y: box.top + ya._offset + ya.l2p(row)}};
            }}""",
            area,
        )
        page.mouse.click(summary["x"], summary["y"])
        page.wait_for_url(re.compile(r"fold="))
        page.wait_for_function(f"() => {META}.row_count < {rows}")
        assert parse_qs(urlsplit(page.url).query)["fold"] == [area]
        folded = page.evaluate(META)
        assert folded["project_count"] < total
        labels = _labels(page)
        assert any(label.startswith(f"▸ {FIRST_AREA} (") for label in labels), labels[:3]
        assert page.evaluate(ROWS)[0] == area
        shot(page, "battle_map_window_folded")

        # a county's view is small: drawn whole again, the page scrolls, no empty space below
        page.click("#bm-county")
        page.get_by_role("option", name="云县", exact=True).click()
        page.wait_for_url(re.compile(r"county="))
        page.wait_for_function(f"() => {META}.window === false")
        small = page.evaluate(META)
        assert 0 < small["project_count"] < total / 4
        assert len(_drawn_projects(page)) == small["project_count"]
        assert page.locator("#bm-scroll .bm-spacer").evaluate("s => s.offsetHeight") == 0
