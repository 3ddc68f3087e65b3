"""#17 in headless Chromium on the demo office: the battle map's 前期 chains switched on, the
arrows and the highlighted critical path drawn, a step opened from the map."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import DEMO_AS_OF as DEMO_AS
from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.gantt.chains import CRITICAL_COLOUR

pytestmark = pytest.mark.browser

GRAPH = "#bm-graph .js-plotly-plot"
DRAWN = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  return !!(gd && gd._fullLayout && gd.layout && gd.layout.meta
    && gd.querySelectorAll('.barlayer .trace').length > 0);
}}"""
CHAINS = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  return gd.data.filter(t => t.meta === 'chain').map(t => ({{
    name: t.name, type: t.type, mode: t.mode || null, points: (t.x || []).length,
    shape: t.line ? t.line.shape || null : null,
    edge: t.type === 'bar' ? t.marker.line.color : (t.line ? t.line.color : t.marker.color),
    symbol: t.marker && t.marker.symbol || null,
  }}));
}}"""
NOTES = Path("/work/notes/shots")


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _keep(page, name: str) -> None:
    path = shot(page, name)
    if NOTES.is_dir():  # the team's notes, when they are there
        shutil.copy(path, NOTES / f"{name}.png")


def test_toggle_the_chains_see_arrows_and_the_critical_path_and_open_a_step(server, watched):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map?q=LC-04&zoom=year")
    page.wait_for_function(DRAWN)
    assert page.evaluate(CHAINS) == []  # off by default

    page.get_by_role("switch", name="前期手续链").click(force=True)
    page.wait_for_url(re.compile(r"chains=1"))
    page.wait_for_function(f"() => ({CHAINS})().length > 0")
    assert parse_qs(urlsplit(page.url).query)["chains"] == ["1"]
    traces = page.evaluate(CHAINS)

    # links drawn as elbows with arrowheads; the critical ones in the critical colour
    lines = [t for t in traces if t["mode"] == "lines"]
    heads = [t for t in traces if t["mode"] == "markers"]
    assert lines and all(t["shape"] == "vh" and t["points"] > 0 for t in lines)
    assert heads and all(t["symbol"] == "triangle-right" for t in heads)
    assert sum(t["points"] for t in heads) == sum(t["points"] for t in lines) // 3
    critical = [t for t in traces if t["type"] == "bar" and t["name"] == "关键路径"]
    assert critical and critical[0]["edge"] == CRITICAL_COLOUR
    assert any(t["edge"] == CRITICAL_COLOUR for t in lines)
    # ... and on screen: arrowheads and critical-path outlines are painted
    painted = page.evaluate(
        f"""(critical) => {{
          const gd = document.querySelector('{GRAPH}');
          const arrows = gd.querySelectorAll('.scatterlayer .trace .point').length;
          const outlined = [...gd.querySelectorAll('.barlayer .trace .point path')]
            .filter(p => p.style.stroke === critical).length;
          return {{arrows, outlined}};
        }}""",
        _rgb(CRITICAL_COLOUR),
    )
    assert painted["arrows"] > 0 and painted["outlined"] > 0, painted
    _keep(page, "i17-browser-chains")

    # hover a critical step: its float and latest finish
    index = page.evaluate(
        f"""() => document.querySelector('{GRAPH}')._fullData
              .filter(t => t.type === 'bar')
              .findIndex(t => t.meta === 'chain' && t.name === '关键路径')"""
    )
    step = page.locator(f"{GRAPH} .barlayer .trace").nth(index).locator(".point").nth(0)
    box = step.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector(f"{GRAPH} .hoverlayer .hovertext")
    hover = page.locator(f"{GRAPH} .hoverlayer .hovertext").text_content()
    assert "总时差" in hover and "最迟完成" in hover and "关键路径上" in hover
    address = page.evaluate(
        f"(i) => document.querySelector('{GRAPH}')._fullData.filter(t => t.type === 'bar')[i]"
        ".customdata[0][0]",
        index,
    )
    name = page.evaluate(
        f"(i) => document.querySelector('{GRAPH}')._fullData.filter(t => t.type === 'bar')[i]"
        ".customdata[0][1]",
        index,
    )

    # a click opens the step on its project page, its form filled
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/projects/\d+\?step=\d+"))
    assert urlsplit(page.url).path + "?" + urlsplit(page.url).query == address
    page.wait_for_selector("input#ps-name")
    assert page.input_value("#ps-name") == name
    step_id = address.rsplit("=", 1)[1]
    # the step's row in the section is marked as the one opened
    assert "step-opened" in (page.locator(f"#ps-step-row-{step_id}").get_attribute("class") or "")
    _keep(page, "i17-browser-step-opened")
    # the section lists the step among the project's steps, with its status
    page.keyboard.press("Escape")
    row = page.locator(f"#ps-step-row-{step_id}")
    row.scroll_into_view_if_needed()
    assert name in row.inner_text()


WINDOWED = """(fig) => {
  const box = document.getElementById('bm-scroll');
  const out = [];
  for (const share of [0, 0.5]) {
    box.scrollTop = 0;
    const spacer = box.querySelector('.bm-spacer');
    window.dash_clientside.battleMap.draw(fig);  /* sizes the spacer, draws the top */
    box.scrollTop = Math.round(share * (spacer ? spacer.offsetHeight : 0));
    const drawn = window.dash_clientside.battleMap.draw(fig);
    const [r0, r1] = drawn.layout.meta.window_rows;
    const chains = drawn.data.filter(t => t.meta === 'chain').map(t => ({
      name: t.name, mode: t.mode || null,
      rows: (t.y || []).filter(y => y !== null).map(y => Math.round(y)),
      gaps: (t.y || []).filter(y => y === null).length,
    }));
    out.push({r0, r1, chains});
  }
  return out;
}"""


def test_the_row_window_slices_the_chains_with_their_rows(server, watched):
    """Above 200 rows the browser draws only the rows in sight (assets/battle_map.js): a
    chain's marks, inside their project's row, and its links' gaps go with that row."""
    from dataclasses import replace

    from tests.gantt.sample import sample_chain, sample_projects
    from tracker.gantt.figure import build_gantt
    from tracker.services.battle_map import ViewState
    from tracker.web.views.battle_map import chart_data

    rows = [replace(p, chain=sample_chain(p, DEMO_AS)) for p in sample_projects(300, milestones=5)]
    fig = chart_data(build_gantt(rows, as_of=DEMO_AS), ViewState())
    assert fig["layout"]["meta"]["window"]
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/battle-map")
    page.wait_for_function(DRAWN)
    top, middle = page.evaluate(WINDOWED, fig)
    assert top["r0"] == 0 and middle["r0"] > 100
    for window in (top, middle):
        chains = window["chains"]
        assert len(chains) == 6
        for trace in chains:
            assert trace["rows"], trace["name"]  # some in sight: a chain on every project
            assert all(window["r0"] <= r < window["r1"] for r in trace["rows"]), trace
            if trace["mode"] == "lines":  # whole links: two points and a gap each
                assert len(trace["rows"]) == 2 * trace["gaps"]
