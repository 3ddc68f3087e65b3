"""An iCalendar feed (RFC 5545) of a user's milestones and steps due, for phone calendars.

Each item is an all-day event on its planned day. Its UID is stable (the record's identity),
its SEQUENCE the record's version: a calendar that subscribed replaces the event when a
milestone is rescheduled instead of showing both days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar

PRODUCT_ID = "-//tracker//挂图作战//ZH"


@dataclass(frozen=True)
class FeedItem:
    uid: str  # stable and globally unique, e.g. "milestone-42@<host>"
    title: str  # what the phone shows: "【开工】某某路改造工程"
    day: date  # the planned (or due) day
    description: str = ""
    sequence: int = 0  # the record's version: a higher one replaces the event
    url: str = ""  # the project's page


def build_feed(items: Sequence[FeedItem], *, name: str, stamp: datetime) -> bytes:
    """The feed as .ics bytes; ``stamp`` (aware) is every event's DTSTAMP."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("summary", item.title)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("transp", "TRANSPARENT")
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    return calendar.to_ical()
