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
from tracker.domain.rules import RULES, Thresholds
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
    # one row per rule of the rule table, in its order: the four of #10 and the two of #17
    assert [rule.code for rule in RULES] == [
        "milestone_overdue",
        "behind_time_progress",
        "missed_reports",
        "not_started",
        "start_at_risk",
        "approval_unit_overdue",
    ]
    rows = table.locator("tbody tr")
    assert rows.count() == len(RULES)
    names = [rows.nth(i).locator("td").first.inner_text() for i in range(len(RULES))]
    assert names == [
        "节点逾期",
        "投资低于自身序时",
        "月报未报送",
        "应开未开",
        "前期手续影响开工",
        "审批部门超时",
    ]
    investment = page.locator("#rule-behind_time_progress")
    assert "自身序时" in investment.inner_text()
    assert "未到计划开工的项目不按投资考核" in investment.inner_text()
    start_risk = page.locator("#rule-start_at_risk").inner_text()  # #17
    assert "保开工最迟日期" in start_risk and "尚未开工" in start_risk
    assert "超时未办结" in page.locator("#rule-approval_unit_overdue").inner_text()
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


def test_the_office_reopens_a_closed_month_compiles_a_revision_and_version_1_still_downloads(
    server, watched, tmp_path
):
    page = watched.page
    login(page, server.url, "admin", DEMO_PASSWORD, next_path="/bulletin?month=2026-10-01")
    page.wait_for_selector("#bl-headline")
    assert page.locator("#bl-final").inner_text() == "定稿"
    assert "已关账" in page.locator("#bl-period").inner_text()
    assert page.locator("#bl-period-dates").inner_text().startswith("开放 2026年10月20日")

    # reopen October with a reason
    page.get_by_text("重新开放已关账月份").click()
    page.fill("#bl-reopen-reason", "双江县10月投资数据有误，更正后重新印发")
    page.click("#bl-reopen-save")
    page.wait_for_selector("text=已重新开放2026年10月")
    page.wait_for_selector("#bl-reopened")  # the live draft of 修订版 2, and why
    assert "修订版2" in page.locator("#bl-reopened").inner_text()
    assert "更正中" in page.locator("#bl-period").inner_text()

    # compile it again: 修订版 2, with version 1 kept
    page.click("#bl-compile")
    page.wait_for_selector("#bl-compile-confirm", state="visible")
    page.click("#bl-compile-confirm")
    page.wait_for_selector("#bl-compile-done")
    page.wait_for_function(
        "() => (document.querySelector('#bl-final') || {}).innerText === '定稿 · 第2版'"
    )
    assert page.locator("#bl-title").inner_text().endswith("（修订版2）")
    versions = page.locator("#bl-revisions").inner_text()
    assert "第2版（现行）" in versions and "第1版（已被修订版替代）" in versions
    shot(page, "bulletin-revision")

    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="第1版（已被修订版替代）").click()
    assert info.value.suggested_filename == "调度通报-2026-10.xlsx"
    first = tmp_path / "v1.xlsx"
    info.value.save_as(first)
    with page.expect_download(timeout=60000) as info:
        page.click("#bl-download")
    assert info.value.suggested_filename == "调度通报-2026-10-修订版2.xlsx"
    second = tmp_path / "v2.xlsx"
    info.value.save_as(second)

    from openpyxl import load_workbook

    def subtitle(path):
        return load_workbook(path)["调度通报"]["A2"].value

    assert subtitle(first).endswith("定稿")
    assert "定稿（修订版2）" in subtitle(second) and "双江县10月投资数据有误" in subtitle(second)
