"""Site photos as evidence: the checks a photo passes or is flagged by, with their reasons.

A photo is trusted evidence for a reporting month when it was taken in that month (its EXIF
time, Asia/Shanghai) and near the project: within ``max_km`` of the project's location, or,
while the project has none, inside the project's county. Every failed check is a flag with a
catalogue key and its parameters; the office trusts or questions the photo from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tracker.domain import geo

# flag keys (catalogue: tracker/texts/media.py)
NO_TIME = "photo.flag.no_time"
OTHER_MONTH = "photo.flag.other_month"
NO_PLACE = "photo.flag.no_place"
TOO_FAR = "photo.flag.too_far"
OTHER_COUNTY = "photo.flag.other_county"


@dataclass(frozen=True)
class Flag:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": dict(self.params)}


@dataclass(frozen=True)
class Site:
    """What a photo is checked against: the project's place and the month it reports on."""

    county: str
    lat: float | None
    lon: float | None
    period: date  # the first day of the reporting month
    max_km: float


def month_of(day: date | datetime) -> date:
    return date(day.year, day.month, 1)


def check(
    taken_at: datetime | None, lat: float | None, lon: float | None, site: Site
) -> list[Flag]:
    """The flags of a photo (empty: it passes every check). ``taken_at`` is local time."""
    flags: list[Flag] = []
    if taken_at is None:
        flags.append(Flag(NO_TIME))
    elif month_of(taken_at) != site.period:
        flags.append(
            Flag(
                OTHER_MONTH,
                {"taken": taken_at.strftime("%Y-%m-%d"), "month": f"{site.period:%Y-%m}"},
            )
        )
    if lat is None or lon is None:
        flags.append(Flag(NO_PLACE))
    elif site.lat is not None and site.lon is not None:
        km = geo.distance_km(lat, lon, site.lat, site.lon)
        if km > site.max_km:
            flags.append(Flag(TOO_FAR, {"km": f"{km:.1f}", "limit": f"{site.max_km:g}"}))
    elif geo.county_at(lat, lon) != site.county:
        flags.append(Flag(OTHER_COUNTY, {"county": site.county}))
    return flags


def place_text(lat: float | None, lon: float | None) -> str:
    """The place on a watermark: degrees with hemisphere letters (N/E), or empty."""
    if lat is None or lon is None:
        return ""
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.5f}°{ns} {abs(lon):.5f}°{ew}"
