"""#10 in the browser: the office reads and edits the light rules as a table, and a chart of
the overview and the battle map colour every county the same, by the same rule."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker import palette
from tracker.db import read_session
from tracker.domain.rollups import BY_COUNTY, rollup
from tracker.domain.rules import Thresholds
from tracker.services.status import project_statuses

pytestmark = pytest.mark.browser

COUNTY_CHART = "#ov-chart-county .js-plotly-plot"
GRAPH = "#bm-graph .js-plotly-plot"
STRICT = {"amber_gap_pp": "2", "red_gap_pp": "6"}  # tight edges, so the counties differ

# county -> the colour of its bar on the overview's completion chart
OVERVIEW_COLOURS = f"""() => {{
  const gd = document.querySelector('{COUNTY_CHART}');
  const bars = gd._fullData[0];
  const out = {{}};
  bars.customdata.forEach((c, i) => {{ out[c[0]] = bars.marker.color[i]; }});
  return out;
}}"""
# county -> the colour of its group bar on the battle map grouped by county
BATTLE_MAP_COLOURS = f"""() => {{
  const gd = document.querySelector('{GRAPH}');
  const groups = gd._fullData.find(t => t.name === '汇总');
  const out = {{}};
  groups.customdata.forEach((c, i) => {{
    if (String(c[0]).startsWith('county:')) out[c[0].slice(7)] = groups.marker.color[i];
  }});
  return out;
}}"""


def test_the_rule_table_and_one_colour_per_county_on_the_overview_and_the_battle_map(
    server, watched, demo_engine
):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/admin")
    page.get_by_role("tab", name="亮灯规则").click()

    # the rule table: every rule, what it measures, its two edges and whom it applies to
    table = page.locator("#ad-rule-table")
    table.wait_for(state="visible")
    head = table.locator("thead").inner_text()
    for column in ("规则", "衡量", "黄灯：达到", "红灯：达到", "适用项目"):
        assert column in head
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    names = [rows.nth(i).locator("td").first.inner_text() for i in range(4)]
    assert names == ["节点逾期", "投资低于自身序时", "月报未报送", "应开未开"]
    investment = page.locator("#rule-behind_time_progress")
    assert "自身序时" in investment.inner_text()
    assert "未到计划开工的项目不按投资考核" in investment.inner_text()
    assert page.input_value("#ad-th-amber_gap_pp") == "10"
    assert page.input_value("#ad-th-red_gap_pp") == "20"
    assert page.input_value("#ad-th-red_overdue_days") == "30"
    assert "退回修改" in page.locator(".page-admin").inner_text()  # how a return is judged
    assert "分组" in page.locator("#rule-group").inner_text()  # how a county is coloured
    shot(page, "thresholds-rule-table")

    # the office tightens the investment rule; every light follows at once
    for name, value in STRICT.items():
        page.fill(f"#ad-th-{name}", value)
    page.click("#ad-th-save")
    page.wait_for_selector("text=亮灯规则已保存")

    # the overview's completion chart by county
    page.goto(f"{server.url}/")
    page.wait_for_function(
        f"() => {{ const gd = document.querySelector('{COUNTY_CHART}');"
        " return !!(gd && gd._fullData && gd._fullData.length); }"
    )
    overview = page.evaluate(OVERVIEW_COLOURS)
    shot(page, "overview-county-colours")

    # the battle map grouped by county
    page.goto(f"{server.url}/battle-map?group=county")
    page.wait_for_function(
        f"() => {{ const gd = document.querySelector('{GRAPH}');"
        " return !!(gd && gd._fullData && gd._fullData.find(t => t.name === '汇总')); }"
    )
    battle_map = page.evaluate(BATTLE_MAP_COLOURS)
    shot(page, "battle-map-county-colours")

    assert set(overview) == set(battle_map) and len(overview) == 9  # 8 counties and 市直
    assert overview == battle_map, "a county is coloured differently on the two pages"
    assert set(overview.values()) <= set(palette.LIGHT.values())
    assert len(set(overview.values())) >= 2, "the edges were chosen so that counties differ"

    # and the colour is the rule's, worked out here from the statuses and the new edges
    strict = Thresholds(amber_gap_pp=2, red_gap_pp=6)
    with read_session(demo_engine) as s:
        statuses = project_statuses(s, as_of=DEMO_AS_OF, thresholds=strict)
    expected = {
        r.key: palette.LIGHT[r.light(strict).value]
        for r in rollup([x.figures for x in statuses], BY_COUNTY, 0.0)
    }
    assert overview == expected
