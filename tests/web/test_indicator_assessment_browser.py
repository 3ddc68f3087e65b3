"""#16: the bulletin page's 考评 shows the responsible units' indicator reporting beside the
counties' and lead units' ranking, with its formula (headless Chromium, the demo office)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.services.dispatch_helpers import dispatch_settings
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tracker.db import read_session
from tracker.services.auth import SYSTEM
from tracker.services.bulletin import annual_assessment

pytestmark = pytest.mark.browser

DAY = date(2026, 11, 28)


def test_the_assessment_box_ranks_the_units_indicator_reporting(demo_engine, watched):
    with read_session(demo_engine) as s:
        expected = annual_assessment(
            s, actor=SYSTEM, year=2026, settings=dispatch_settings()
        ).indicators
    page = watched.page
    with live_server(demo_engine, DAY) as server:
        login(page, server.url, "leader", DEMO_PASSWORD, next_path="/bulletin?month=2026-10")
        table = page.locator("#bl-assessment-indicators")
        table.wait_for()
        rows = table.locator("tbody tr")
        assert rows.count() == len(expected) > 5
        for i in (0, len(expected) - 1):
            cells = rows.nth(i).inner_text().split("\t")
            assert cells[:2] == [str(expected[i]["rank"]), expected[i]["unit"]]
            assert cells[-1] == f"{expected[i]['score']:.1f}"
        box = page.locator("#bl-assessment").inner_text()
        assert "各责任单位监测指标报送" in box
        assert "按时报送率（按时报送数 ÷ 应报数）× 70%" in box
        table.scroll_into_view_if_needed()
        shot(page, "bulletin-assessment-indicators")
