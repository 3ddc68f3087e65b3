"""#14: the bulletin page in headless Chromium — the month it opens on, ?month=, switching.

The day is pinned to 2026-11-21: November's reporting opened the day before and nobody has
submitted yet (the demo's November reports are taken out). The page must open on the
latest 定稿 (October), not on November with 0 reported. ?month= opens the month named, a
month without a bulletin says so and opens the default; picking a month shows it and puts
it in the address. Waits are on conditions; speed is measured in benchmarks/bulletin_page.py.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete, update
from sqlmodel import col, select

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import live_server, login
from tracker.models import MonthlyReport, ProblemItem

pytestmark = pytest.mark.browser

DAY = date(2026, 11, 21)  # November open since the 20th, no report in yet
NOVEMBER = date(2026, 11, 1)


def _november_not_reported(engine) -> None:
    with engine.begin() as conn:
        reports = [
            r
            for (r,) in conn.execute(
                select(MonthlyReport.id).where(MonthlyReport.period == NOVEMBER)
            )
        ]
        conn.execute(
            update(ProblemItem)
            .where(col(ProblemItem.report_id).in_(reports))
            .values(report_id=None)
        )
        conn.execute(delete(MonthlyReport).where(col(MonthlyReport.id).in_(reports)))


def _shows(page, label: str) -> None:
    """Wait until the month ``label`` is on screen, its callbacks done."""
    page.wait_for_function(
        """(label) => {
          const title = document.querySelector('#bl-title');
          return title !== null && title.innerText.startsWith(label)
            && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0;
        }""",
        arg=label,
    )


def _pick(page, label: str) -> None:
    page.click("#bl-month")
    page.get_by_role("option", name=label, exact=True).click()
    _shows(page, label)


def test_the_bulletin_opens_on_the_latest_final_until_the_running_month_has_reports(
    demo_engine, watched
):
    _november_not_reported(demo_engine)
    page = watched.page
    with live_server(demo_engine, DAY) as server:
        login(page, server.url, "admin", DEMO_PASSWORD, next_path="/bulletin")
        _shows(page, "2026年10月")
        assert page.input_value("#bl-month") == "2026年10月"
        assert page.locator("#bl-final").inner_text() == "定稿"
        reported = page.locator("#bl-kpi-reported").inner_text()
        assert not reported.startswith("0 /"), reported
        assert page.locator("#bl-month-notice").count() == 0
        shot(page, "bulletin-opens-on-final")

        # ?month= opens the month named
        page.goto(f"{server.url}/bulletin?month=2026-09")
        _shows(page, "2026年9月")
        assert page.input_value("#bl-month") == "2026年9月"

        # a month without a bulletin: a notice naming it, then the default month
        page.goto(f"{server.url}/bulletin?month=2031-01")
        _shows(page, "2026年10月")
        assert "2031-01" in page.locator("#bl-month-notice").inner_text()

        # picking months shows each and the address follows, so it can be shared
        _pick(page, "2026年11月")
        assert page.locator("#bl-final").inner_text() == "未定稿"
        assert page.locator("#bl-kpi-reported").inner_text().startswith("0 /")
        page.wait_for_url(re.compile(r"/bulletin\?month=2026-11$"))
        _pick(page, "2025年12月")  # another year: its own 考评
        page.wait_for_url(re.compile(r"/bulletin\?month=2025-12$"))
        assert "2025年度考评" in page.locator("#bl-assessment-box").inner_text()
        _pick(page, "2026年10月")
        assert "2026年度考评" in page.locator("#bl-assessment-box").inner_text()
        assert page.locator("#bl-final").inner_text() == "定稿"

        # the shared address opens the same month
        page.goto(page.url)
        _shows(page, "2026年10月")
        assert page.input_value("#bl-month") == "2026年10月"
