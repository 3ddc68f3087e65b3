"""#16: the bulletin page's 考评 shows the responsible units' indicator reporting beside the
counties' and lead units' ranking, with its formula (headless Chromium)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.services.test_indicator_bulletin import _add_indicators
from tests.web.conftest import shot
from tests.web.live import live_server, login

pytestmark = pytest.mark.browser

DAY = date(2026, 11, 28)


def test_the_assessment_box_ranks_the_units_indicator_reporting(demo_engine, watched):
    _add_indicators(demo_engine)
    page = watched.page
    with live_server(demo_engine, DAY) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path="/bulletin?month=2026-10")
        table = page.locator("#bl-assessment-indicators")
        table.wait_for()
        rows = table.locator("tbody tr")
        assert rows.count() == 2
        first = rows.nth(0).inner_text().split("\t")
        assert first[:2] == ["1", "市科技局"] and first[-1] == "65.0"
        assert (
            "按时报送率（按时报送数 ÷ 应报数）× 70%" in page.locator("#bl-assessment").inner_text()
        )
        table.scroll_into_view_if_needed()
        shot(page, "bulletin-assessment-indicators")
