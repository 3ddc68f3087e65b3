"""Colours and marks shared by the interactive figure and the printed PDF.

Light hues are the product's one palette (``tracker.palette``: colour-blind safe, chosen
for contrast); milestone states differ by symbol as well as by colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.palette import LIGHT

LIGHT_COLOURS: dict[str, str] = dict(LIGHT)
BASELINE_COLOUR = "#6B7280"
PROGRESS_COLOUR = "rgba(17, 24, 39, 0.55)"
PROGRESS_RGB = (0.067, 0.094, 0.153)  # the same ink for reportlab, drawn with alpha
TODAY_COLOUR = LIGHT["red"]  # one red in the product: the palette's
TIME_PROGRESS_COLOUR = "#6A3D9A"
ACTUAL_COLOUR = "#111827"
GRID_COLOUR = "#E5E7EB"
TEXT_COLOUR = "#111827"
GROUP_FILL = {0: "#E5E7EB", 1: "#F3F4F6"}  # row shading by group level (area, measure)


@dataclass(frozen=True)
class MilestoneMark:
    symbol: str  # plotly marker symbol
    fill: str  # "" means hollow
    line: str


MILESTONE_MARKS: dict[str, MilestoneMark] = {
    "done": MilestoneMark(symbol="diamond", fill="#0072B2", line="#FFFFFF"),
    "due_soon": MilestoneMark(symbol="diamond-dot", fill="#F0E442", line="#111827"),
    "overdue": MilestoneMark(symbol="diamond-x", fill=LIGHT["red"], line="#FFFFFF"),
    "future": MilestoneMark(symbol="diamond-open", fill="", line="#111827"),
}

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)
BADGE_COLOUR = LIGHT["red"]  # open-problem badges, on screen and in print
