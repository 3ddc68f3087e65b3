"""A county lead finds the calendar feed from the page header, makes the private link and
a calendar fetching it gets their milestones (headless Chromium)."""

from __future__ import annotations

import icalendar

from tests.conftest import DEMO_PASSWORD
from tests.web.conftest import shot
from tests.web.live import login
from tracker.web.calendar_routes import CalendarIds
from tracker.web.shell import ShellIds


def test_a_county_lead_makes_the_feed_link_from_the_header_and_it_serves_events(server, watched):
    page = watched.page
    login(page, server.url, "linxiang", DEMO_PASSWORD, next_path="/")
    page.click(f"#{ShellIds.CALENDAR}")
    page.wait_for_url(f"{server.url}/calendar")
    page.click(f"#{CalendarIds.RESET}")
    url = page.locator(f"#{CalendarIds.URL}").input_value()
    assert url.startswith(f"{server.url}/calendar/feed/") and url.endswith(".ics")
    assert "只显示这一次" in page.content() and "旧链接已失效" not in page.content()
    shot(page, "calendar_feed_link")
    response = page.request.get(url)
    assert response.status == 200
    events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
    assert events and any(str(e["SUMMARY"]).startswith("节点：") for e in events)
