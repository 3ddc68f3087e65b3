"""#19 in headless Chromium: the change log, the slip panel and meeting mode as a user sees
them on the demo office."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.daily_map_changes import audit_every_kind
from tests.web.live import live_server, login
from tests.web.test_battle_map_browser import DRAWN, GRAPH
from tracker.db import read_session, write_session
from tracker.models import Milestone, MilestonePlanRecord, Project
from tracker.services import milestones
from tracker.services.auth import Actor

pytestmark = pytest.mark.browser
SYSTEM_ADMIN = Actor(id=None, username="office", role="admin", display_name="办公室")

HISTORY = "#pj-history"
RAW_MARKS = ("field.", "action.", "entity.", "['", "[[", "{'", "节点名称")


def _history_rows(page) -> list[str]:
    return page.locator(f"{HISTORY} tbody tr").all_inner_texts()


def test_the_change_log_reads_in_words_in_both_languages(demo_engine, watched):
    pid = audit_every_kind(demo_engine, today=DEMO_AS_OF)
    with read_session(demo_engine) as s:
        name = s.get(Project, pid).name
        assert s.exec(select(Project).where(Project.id == pid)).one()
    page = watched.page
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path=f"/projects/{pid}")
        page.wait_for_selector(f"{HISTORY} tbody tr")
        page.locator(HISTORY).scroll_into_view_if_needed()
        shot(page, "i19_changelog_zh")
        rows = _history_rows(page)
        imported = [r for r in rows if "清单导入·更新" in r]
        assert imported, rows
        # the project's name is 项目名称, milestones one per line, lists joined with 、
        assert "项目名称" in imported[0] and name in imported[0]
        assert "完成前期手续 2026-04-30\n" in imported[0]
        assert "市工业和信息化局、双江县人民政府" in imported[0]
        assert any("清单导入·新增" in r for r in rows)
        for row in rows:
            for mark in RAW_MARKS:
                if mark == "节点名称" and "清单导入" not in row:
                    continue  # a milestone's own name change may say 节点名称
                assert mark not in row, (mark, row)

        page.click("#lang-en")
        page.wait_for_function(
            f"() => (document.querySelector('{HISTORY}') || {{}}).innerText"
            "?.includes('Imported (changed)')"
        )
        shot(page, "i19_changelog_en")
        rows = _history_rows(page)
        imported = next(r for r in rows if "Imported (changed)" in r)
        assert "Project name" in imported and "Responsible units" in imported
        assert "Milestones" in imported and "Work measure" in imported
        for row in rows:
            for mark in RAW_MARKS[:-1]:
                assert mark not in row, (mark, row)


# --- item 2: the slip panel's heading agrees with its legend -------------------------------

SLIP_NOTE = "#pj-slip-streaks"
SLIP_LEGEND = "#pj-slip-chart .legendtext"


def _slip_once(engine) -> tuple[int, str]:
    """Move one open milestone of a project whose dates have held: it slipped once."""
    with read_session(engine) as s:
        rows = s.exec(
            select(Milestone, Project)
            .join(Project, Project.id == Milestone.project_id)
            .where(Milestone.actual_date.is_(None), Milestone.pending_date.is_(None))
            .where(Milestone.planned_date > DEMO_AS_OF)
            .order_by(Project.id, Milestone.seq)
        ).all()
        moved = {r.milestone_id for r in s.exec(select(MilestonePlanRecord))}
        held = [(m, p) for m, p in rows if m.planned_date == m.baseline_date]
        milestone, project = next((m, p) for m, p in held if m.id in moved)
    with write_session(engine) as s:
        milestones.reschedule(
            s,
            actor=SYSTEM_ADMIN,
            milestone_id=milestone.id,
            new_date=milestone.planned_date + timedelta(days=45),
            reason="征地延后",
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )
    return project.id, milestone.name


def test_a_milestone_that_slipped_once_is_not_called_a_run_of_slips(demo_engine, watched):
    pid, name = _slip_once(demo_engine)
    page = watched.page
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path=f"/projects/{pid}")
        page.wait_for_selector(SLIP_LEGEND)
        page.locator(SLIP_NOTE).scroll_into_view_if_needed()
        shot(page, "i19_slip_once_zh")
        note = page.locator(SLIP_NOTE).inner_text()
        legend = " ".join(page.locator(SLIP_LEGEND).all_text_contents())
        assert "连续1个月" not in legend and "连续1个月" not in note
        mine = [t for t in page.locator(SLIP_LEGEND).all_text_contents() if name in t]
        assert mine and "最近一个月推迟" in mine[0], legend
        # the sentence above names what the legend shows, rather than "nothing slipped"
        assert name in note and "推迟了一次" in note, note

        page.click("#lang-en")
        page.wait_for_function(
            f"() => document.querySelector('{SLIP_NOTE}')?.innerText.includes('slipped once')"
        )
        shot(page, "i19_slip_once_en")
        note = page.locator(SLIP_NOTE).inner_text()
        legend = " ".join(page.locator(SLIP_LEGEND).all_text_contents())
        assert "1 months" not in legend and "1 months" not in note
        assert name in note and "slipped in the latest month" in legend


# --- item 3: meeting mode fits names, fills pages, keeps badges off the bars ----------------

LABELS = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  const plotLeft = box.left + gd._fullLayout.xaxis._offset;
  return Array.from(gd.querySelectorAll('.y2tick text')).map(t => {{
    const r = t.getBoundingClientRect();
    return {{text: t.textContent, left: r.left - box.left, right: r.right, top: r.top,
             bottom: r.bottom, plotLeft: plotLeft}};
  }});
}}"""
# Each badge and each bar as drawn: a bar's box is cut to the time axis's plot area, where
# plotly clips it; a badge's box is the disc.
OVERLAPS = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  const xa = gd._fullLayout.xaxis;
  const left = box.left + xa._offset, right = left + xa._length;
  const bars = [];
  gd.querySelectorAll('.subplot.xy .barlayer .point path').forEach(p => {{
    const r = p.getBoundingClientRect();
    const l = Math.max(r.left, left), rr = Math.min(r.right, right);
    if (rr > l && r.height > 0) bars.push({{left: l, right: rr, top: r.top, bottom: r.bottom}});
  }});
  const badges = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(t => {{
    const trace = t.__data__ && t.__data__[0] && t.__data__[0].trace;
    if (!trace || trace.xaxis !== 'x9') return;  // the open-problem badges
    t.querySelectorAll('.point').forEach(p => {{
      const r = p.getBoundingClientRect();
      badges.push({{left: r.left, right: r.right, top: r.top, bottom: r.bottom}});
    }});
  }});
  const hits = [];
  for (const b of badges) for (const bar of bars) {{
    const vertical = b.top < bar.bottom && bar.top < b.bottom;
    const horizontal = b.left < bar.right && bar.left < b.right;
    if (vertical && horizontal) hits.push([b, bar]);
  }}
  return {{badges: badges.length, bars: bars.length, hits: hits}};
}}"""


def _open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN)
    page.wait_for_function(
        f"() => document.querySelector('{GRAPH}').querySelectorAll('.y2tick text').length > 0"
    )


def _names(engine) -> dict[int, str]:
    with read_session(engine) as s:
        return {p.id: f"{p.code}{p.name}" for p in s.exec(select(Project))}


@pytest.fixture
def wide(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_meeting_mode_shows_whole_names_and_pages_of_even_length(demo_engine, wide):
    names = _names(demo_engine)
    page = wide
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
        base = f"{server.url}/battle-map?meeting=1&every=3600&area=绿色低碳发展"
        _open_map(page, base)
        pages = page.evaluate(f"document.querySelector('{GRAPH}').layout.meta.page_count")
        assert pages >= 2  # the area needs more than one screen
        counts, heights = [], []
        for number in range(1, pages + 1):
            _open_map(page, f"{base}&page={number}")
            shot(page, f"i19_meeting_page{number}")
            rows = page.evaluate(f"window.trackerBattleMapRows(document.querySelector('{GRAPH}'))")
            projects = [r for r in rows if isinstance(r, int)]
            counts.append(len(projects))
            heights.append(page.evaluate(f"document.querySelector('{GRAPH}')._fullLayout.height"))
            labels = sorted(page.evaluate(LABELS), key=lambda label: label["top"])
            assert len(labels) == len(rows)
            for label, key in zip(labels, rows, strict=True):
                assert "…" not in label["text"], label
                if isinstance(key, int):  # the project's whole code and name
                    assert label["text"].replace(" ", "") == names[key], label
                assert label["left"] >= 0, label  # not cut at the figure's left edge
                assert label["right"] <= label["plotLeft"] + 1, label  # clear of the chart
            for upper, lower in zip(labels, labels[1:], strict=False):
                assert upper["bottom"] <= lower["top"] + 2, (upper, lower)  # no overprint
        # the screens share the area's projects evenly: no half-empty last screen
        assert max(counts) - min(counts) <= 1, counts
        assert min(heights) >= 0.9 * max(heights), heights


@pytest.mark.parametrize(
    "meeting,zoom",
    [
        (True, "zoom=quarter"),
        (True, "zoom=year"),
        (True, "zoom=plan"),
        (True, "from=2026-11-01&to=2026-11-30"),  # a month
        (False, "zoom=quarter"),
    ],
)
def test_problem_badges_never_cover_a_bar(demo_engine, wide, meeting, zoom):
    page = wide
    with live_server(demo_engine, DEMO_AS_OF) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
        query = f"{zoom}&meeting=1&every=3600" if meeting else zoom
        _open_map(page, f"{server.url}/battle-map?{query}")
        found = page.evaluate(OVERLAPS)
        shot(page, f"i19_badges_{'meeting' if meeting else 'normal'}_{zoom.split('=')[-1]}")
        assert found["badges"] > 0 and found["bars"] > 0, found
        assert not found["hits"], found["hits"][:3]
