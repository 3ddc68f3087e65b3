"""#16 in the browser: a unit enters an indicator's value, the office accepts it, and the
indicator's light and its SDG goal's tile change; a leader sees no edit controls."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.conftest import Watched, shot
from tests.web.live import login
from tracker.db import read_session, write_session
from tracker.models import Indicator, IndicatorGoal, IndicatorValue, User
from tracker.services import indicators
from tracker.services.auth import SYSTEM, Actor

pytestmark = pytest.mark.browser

GOAL = 14  # the goal the test's indicator alone serves (its tile is that indicator's light)
UNIT = "市科技局"  # the demo's unit account kejiju
SHOTS = Path("/work/notes/shots")
EVIDENCE = b"%PDF-1.4\n% the statistics bulletin's page\n%%EOF\n"


@pytest.fixture
def indicator_id(demo_engine) -> int:
    """R&D staff per 10,000 workers, 市科技局's: far behind the line to its 2025 target and
    2025's value missing (red); the only indicator serving SDG goal 14."""
    spec = indicators.IndicatorSpec(
        system="创新能力监测",
        code="BT-01",
        name="每万名就业人员中研发人员数",
        unit="人年",
        baseline_year=2020,
        baseline_value=10.0,
        targets={2025: 20.0, 2030: 30.0},
        lead_unit=UNIT,
        data_source="市统计局",
        frequency="annual",
        goals=(GOAL,),
    )
    values = [
        indicators.ValueSpec(system="创新能力监测", code="BT-01", period=p, value=v)
        for p, v in ((date(year, 1, 1), x) for year, x in _HISTORY)
    ]
    with write_session(demo_engine) as s:
        s.execute(delete(IndicatorGoal).where(IndicatorGoal.goal == GOAL))
        indicators.apply_catalogue(s, actor=SYSTEM, specs=[spec], values=values, today=DEMO_AS_OF)
        return s.exec(select(Indicator).where(Indicator.code == "BT-01")).one().id


_HISTORY = ((2021, 10.5), (2022, 11.0), (2023, 11.5), (2024, 12.0))


def _count(engine, **filters) -> int:
    """How many indicators the leader's list holds under ``filters`` (the service's count)."""
    with read_session(engine) as s:
        leader = Actor.of(s.exec(select(User).where(User.username == "leader")).one())
        page = indicators.catalogue(
            s, actor=leader, as_of=DEMO_AS_OF, filters=indicators.CatalogueFilter(**filters)
        )
    return len(page.rows)


def _tile(page, server) -> str:
    page.goto(f"{server.url}/sdg")
    tile = page.locator(f"#sdg-tile-{GOAL}")
    tile.wait_for()
    return tile.get_attribute("class") or ""


def _light(page) -> str:
    return page.locator("#ix-light").inner_text().strip()


def _copy(path: Path, name: str) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / name)


def test_a_unit_enters_the_office_accepts_the_light_and_the_tile_turn(
    demo_engine, server, browser, watched, indicator_id
):
    page = watched.page  # the leader's browser
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/sdg")
    assert "sdg-tile-red" in _tile(page, server)
    page.goto(f"{server.url}/indicators/{indicator_id}")
    page.wait_for_selector("#ix-name")
    assert _light(page) == "红灯"
    assert page.locator("#ix-entry, #ix-review, #ix-submit, #ix-accept").count() == 0

    # the unit responsible enters 2025's value and sends it to the office
    unit_context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        unit = Watched(unit_context.new_page())
        login(unit.page, server.url, "kejiju", DEMO_PASSWORD, f"/indicators/{indicator_id}")
        unit.page.wait_for_selector("#ix-submit")
        assert unit.page.locator("#ix-accept").count() == 0  # a unit does not review
        unit.page.click("#ix-period")
        unit.page.get_by_role("option", name="2025年", exact=True).click()
        unit.page.fill("#ix-value", "20.5")
        unit.page.fill("#ix-source", "2025年临沧市统计公报")
        unit.page.set_input_files(
            "#ix-evidence input[type=file]",
            files=[{"name": "统计公报.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}],
        )
        unit.page.wait_for_selector("#ix-evidence-name >> text=统计公报.pdf")
        unit.page.click("#ix-submit")
        unit.page.wait_for_selector("text=已报送，等待办公室审核")
        unit.page.wait_for_selector("#ix-values >> text=待审核")
        assert _light(unit.page) == "红灯"  # a value waiting for review does not move it
        unit.check()
    finally:
        unit_context.close()

    # the leader sees the value waiting, and still no control to enter or review
    page.reload()
    page.wait_for_selector("#ix-values >> text=待审核")
    assert page.locator("#ix-entry, #ix-review, #ix-submit, #ix-accept").count() == 0

    # the office accepts it
    office_context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        office = Watched(office_context.new_page())
        login(office.page, server.url, "admin", DEMO_PASSWORD, f"/indicators/{indicator_id}")
        office.page.wait_for_selector("#ix-accept")
        with office.page.expect_download() as evidence:  # the unit's evidence, as sent
            office.page.locator("#ix-values").get_by_text("统计公报.pdf").click()
        assert Path(evidence.value.path()).read_bytes() == EVIDENCE
        _copy(shot(office.page, "indicator_page_review"), "i16-indicator-page.png")
        office.page.click("#ix-accept")
        office.page.wait_for_selector("text=已采纳，指标亮灯已更新")
        office.page.wait_for_function(
            "() => document.querySelector('#ix-light').innerText.trim() === '绿灯'"
        )
        assert office.page.locator("#ix-accept").count() == 0
        office.check()
    finally:
        office_context.close()

    with read_session(demo_engine) as s:
        stored = s.exec(
            select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id)
        ).all()
    accepted = {v.period.year: (v.status, v.accepted_value) for v in stored}
    assert accepted[2025] == ("accepted", 20.5)

    # the leader's page and the goal's tile follow
    page.goto(f"{server.url}/indicators/{indicator_id}")
    page.wait_for_selector("#ix-name")
    assert _light(page) == "绿灯"
    assert "sdg-tile-green" in _tile(page, server)
    assert "1 项指标" in page.locator(f"#sdg-tile-{GOAL}").inner_text()
    _copy(shot(page, "sdg_view"), "i16-sdg.png")
    page.click(f"#sdg-tile-{GOAL}")  # the tile opens its indicators
    page.wait_for_selector("#in-grid .ag-center-cols-container .ag-row")
    assert f"goal={GOAL}" in page.url
    assert page.locator("#in-grid .ag-center-cols-container .ag-row").count() == 1
    assert (
        "每万名就业人员中研发人员数"
        in page.locator("#in-grid .ag-pinned-left-cols-container").inner_text()
    )


def test_the_indicators_page_filters_and_opens_an_indicator(
    demo_engine, server, watched, indicator_id
):
    page = watched.page
    login(page, server.url, "leader", DEMO_PASSWORD, next_path="/indicators")
    page.wait_for_selector("#in-grid .ag-center-cols-container .ag-row")
    assert page.locator("#in-count").inner_text() == f"共 {_count(demo_engine)} 项指标"
    _copy(shot(page, "indicators_page"), "i16-indicators.png")
    page.click("#in-unit")
    page.get_by_role("option", name=UNIT, exact=True).click()
    page.wait_for_url(re.compile(r"unit="))
    page.locator("#in-light").get_by_text("红灯", exact=True).click()
    page.wait_for_url(re.compile(r"light=red"))
    expected = _count(demo_engine, lead_unit=UNIT, light="red")
    page.wait_for_function(
        f"() => document.querySelector('#in-count').innerText === '共 {expected} 项指标'"
    )
    assert expected >= 1  # the test's indicator at least
    page.locator("#in-grid a.grid-link", has_text="每万名就业人员中研发人员数").click()
    page.wait_for_url(f"{server.url}/indicators/{indicator_id}")
    page.wait_for_selector("#ix-trend .main-svg")
    assert "2025年目标值 20" in page.locator(".ind-facts").inner_text()


def test_a_unit_enters_values_in_its_grid_and_sends_them_together(demo_engine, server, watched):
    page = watched.page
    login(page, server.url, "kejiju", DEMO_PASSWORD, next_path="/indicator-entry")
    page.wait_for_selector("#ie-grid .ag-row")
    editable = page.locator("#ie-grid .ag-center-cols-container .rp-cell-editable[col-id=value]")
    row = editable.first.locator("xpath=..")
    row_id = row.get_attribute("row-id")
    indicator, period = row_id.split(":")
    for column, text in (("value", "3.21"), ("source", "统计公报")):
        page.locator(f'#ie-grid .ag-row[row-id="{row_id}"] .ag-cell[col-id={column}]').click()
        editor = page.locator(
            f'#ie-grid .ag-row[row-id="{row_id}"] .ag-cell[col-id={column}] input'
        )
        editor.fill(text)
        editor.press("Enter")
        page.wait_for_selector(
            f'#ie-grid .ag-row[row-id="{row_id}"] .ag-cell[col-id={column}]:has-text("{text}")'
        )
    page.click("#ie-save")
    page.wait_for_selector("text=已报送 1 条，等待办公室审核")
    page.wait_for_selector(f'#ie-grid .ag-row[row-id="{row_id}"] >> text=待审核')
    with read_session(demo_engine) as s:
        value = s.exec(
            select(IndicatorValue)
            .where(IndicatorValue.indicator_id == int(indicator))
            .where(IndicatorValue.period == date.fromisoformat(period))
        ).one()
    assert (value.value, value.source, value.status) == (3.21, "统计公报", "submitted")
