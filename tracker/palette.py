"""The one palette of the red-amber-green lights: battle map, overview charts, CSS, PDF and
workbooks all take their light colours from here.

Chosen for colour-blind readers and contrast (``python3 scripts/palette_check.py`` prints
the figures): a dark red, a dark amber and a teal green. Simulated with Machado et al.
(2009) at full severity, every pair stays at least 21 CIEDE2000 units apart under
deuteranopia, protanopia and tritanopia (the former app colours #e03131/#f08c00/#2f9e44
fell to 5 between red and green under deuteranopia, Okabe-Ito's vermillion/orange to 12
between red and amber). Against white every light has at least 3:1 contrast (WCAG 1.4.11
for graphics); text on a light-coloured cell uses ``ON_LIGHT``, a light's word or number on
the page ``TEXT`` (4.5:1). Pale tints of these hues
collapse for red/green readers, so a workbook cell is filled with the light itself and
always also says 红灯/黄灯/绿灯 in words.
"""

from __future__ import annotations

LIGHTS: tuple[str, ...] = ("red", "amber", "green")  # worst first

LIGHT: dict[str, str] = {
    "red": "#B2182B",
    "amber": "#C98500",
    "green": "#167C78",
}
# Text drawn on a light-coloured fill (contrast ≥ 4.5:1 for each).
ON_LIGHT: dict[str, str] = {
    "red": "#FFFFFF",
    "amber": "#111827",
    "green": "#FFFFFF",
}
# A light's word or number written on the page (white or the pale panels, ≥ 4.5:1 for
# text, WCAG 1.4.3): the light itself where it is dark enough, a deeper amber otherwise.
# Dark red and dark amber cannot stay apart for red/green-blind readers, so such text always
# names its light in words too (the chips' 红灯/黄灯/绿灯, the gap's sign).
TEXT: dict[str, str] = {
    "red": LIGHT["red"],
    "amber": "#8A5A00",
    "green": LIGHT["green"],
}
NO_LIGHT = "#CED4DA"  # a project or group that has no light (nothing to judge)
RETURNED = "#6741D9"  # the "退回修改" tag beside a light (violet: not a light colour)


def light_colour(light: str) -> str:
    """The colour of a light; grey for anything that is not one."""
    return LIGHT.get(light, NO_LIGHT)


def rgb(hex_colour: str) -> tuple[float, float, float]:
    """0..1 RGB (reportlab)."""
    value = hex_colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def argb(hex_colour: str) -> str:
    """openpyxl's colour form: RRGGBB without '#'."""
    return hex_colour.lstrip("#").upper()


def css() -> str:
    """The light colours as CSS custom properties (served as /palette.css)."""
    lines = [":root {"]
    for name in LIGHTS:
        lines.append(f"  --tracker-{name}: {LIGHT[name]};")
        lines.append(f"  --tracker-on-{name}: {ON_LIGHT[name]};")
        lines.append(f"  --tracker-{name}-text: {TEXT[name]};")
    lines.append(f"  --tracker-no-light: {NO_LIGHT};")
    lines.append(f"  --tracker-returned: {RETURNED};")
    lines.append("}")
    return "\n".join(lines) + "\n"
