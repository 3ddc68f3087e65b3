"""The light palette's figures: contrast against white and how far apart the three lights
stay for colour-blind readers, beside the palettes it replaced.

    python3 scripts/palette_check.py

Colour-blindness is simulated with Machado, Oliveira & Fernandes (2009) at full severity
(deuteranopia, protanopia, tritanopia), applied in linear RGB; distance is CIEDE2000 (ΔE00;
about 2 is just noticeable, above 20 the colours read as different). Contrast is WCAG 2's
ratio; 3:1 is the minimum for graphical objects (WCAG 1.4.11).
"""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.palette import LIGHT, ON_LIGHT  # noqa: E402

MACHADO = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
OTHERS = {
    "former app (#e03131/#f08c00/#2f9e44)": {
        "red": "#e03131",
        "amber": "#f08c00",
        "green": "#2f9e44",
    },
    "Okabe-Ito (#D55E00/#E69F00/#009E73)": {
        "red": "#D55E00",
        "amber": "#E69F00",
        "green": "#009E73",
    },
}


def srgb(hex_colour: str) -> list[float]:
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def gamma(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(hex_colour: str, kind: str) -> list[float]:
    lin = [linear(c) for c in srgb(hex_colour)]
    m = MACHADO[kind]
    return [gamma(sum(m[i][j] * lin[j] for j in range(3))) for i in range(3)]


def lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    l1, a1, b1 = p
    l2, a2, b2 = q
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1 = math.degrees(math.atan2(b1, a1p)) % 360
    h2 = math.degrees(math.atan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2 - h1
    if c1p * c2p == 0:
        dh = 0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    big_dh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    sc = 1 + 0.045 * cp_bar
    sh = 1 + 0.015 * cp_bar * t
    rt = (
        -2
        * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (big_dh / sh) ** 2 + rt * (dc / sc) * (big_dh / sh)
    )


def luminance(hex_colour: str) -> float:
    r, g, b = (linear(c) for c in srgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def separation(palette: dict[str, str]) -> dict[str, dict[str, float]]:
    """ΔE00 of every pair of lights, as seen normally and with each colour-blindness."""
    out: dict[str, dict[str, float]] = {}
    for vision in ("normal", *MACHADO):
        colours = {
            name: lab(srgb(h) if vision == "normal" else simulate(h, vision))
            for name, h in palette.items()
        }
        out[vision] = {
            f"{a}/{b}": ciede2000(colours[a], colours[b])
            for a, b in itertools.combinations(colours, 2)
        }
    return out


def report(title: str, palette: dict[str, str]) -> float:
    print(title)
    print(
        "  contrast on white: "
        + ", ".join(f"{name} {h} {contrast(h, '#FFFFFF'):.2f}:1" for name, h in palette.items())
    )
    worst = math.inf
    for vision, pairs in separation(palette).items():
        worst = min(worst, *pairs.values()) if vision != "normal" else worst
        print(f"  {vision:13} " + "  ".join(f"{pair} {d:5.1f}" for pair, d in pairs.items()))
    print(f"  smallest ΔE00 under colour-blindness: {worst:.1f}")
    return worst


def main() -> int:
    worst = report("the palette (tracker/palette.py)", LIGHT)
    print(
        "  text on a light-coloured cell: "
        + ", ".join(f"{name} {contrast(LIGHT[name], ON_LIGHT[name]):.2f}:1" for name in LIGHT)
    )
    for title, palette in OTHERS.items():
        print()
        report(title, palette)
    return 0 if worst >= 20 and all(contrast(h, "#FFFFFF") >= 3 for h in LIGHT.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
