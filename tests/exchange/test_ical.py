"""The iCalendar feed: parses with the icalendar package, one all-day event per item."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar

from tracker.exchange.ical import FeedItem, build_feed

STAMP = datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_feed_parses_and_holds_each_item_on_its_day():
    items = [
        FeedItem(
            "milestone-7@tracker",
            "【开工建设】滨江路改造工程",
            date(2026, 12, 1),
            description="计划日期 2026-12-01",
            sequence=3,
            url="https://office.example/project/7",
        ),
        FeedItem("step-12@tracker", "【用地批复】城南小学", date(2026, 11, 20)),
    ]
    feed = icalendar.Calendar.from_ical(build_feed(items, name="挂图作战 · 张三", stamp=STAMP))
    events = {str(e["UID"]): e for e in feed.walk("VEVENT")}
    assert set(events) == {"milestone-7@tracker", "step-12@tracker"}
    start = events["milestone-7@tracker"]
    assert str(start["SUMMARY"]) == "【开工建设】滨江路改造工程"
    assert start.decoded("DTSTART") == date(2026, 12, 1)
    assert start.decoded("DTEND") == date(2026, 12, 2)
    assert int(start["SEQUENCE"]) == 3
    assert str(feed["X-WR-CALNAME"]) == "挂图作战 · 张三"


def test_an_empty_feed_is_still_a_calendar():
    feed = icalendar.Calendar.from_ical(build_feed([], name="空", stamp=STAMP))
    assert feed.walk("VEVENT") == [] and str(feed["VERSION"]) == "2.0"
