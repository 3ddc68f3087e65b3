"""Small building blocks shared by the pages: formats, light badges, notices, the provider.

User-written text is only ever passed to components as children or props (rendered as
text by React); nothing here turns a string into HTML.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import dash_mantine_components as dmc
from dash import html

from tracker import palette
from tracker.domain.rules import Light
from tracker.i18n import light_label, t

# The one palette (tracker/palette.py); Mantine takes any CSS colour.
LIGHT_COLORS = {light: palette.LIGHT[light.value] for light in Light}
LIGHT_MANTINE = LIGHT_COLORS
THEME = {
    "primaryColor": "indigo",
    "defaultRadius": "md",
    "fontFamily": (
        "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Microsoft YaHei', "
        "'Noto Sans CJK SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif"
    ),
    "headings": {"fontWeight": "600"},
}


def provider(children: Any, language: str) -> dmc.MantineProvider:
    return dmc.MantineProvider(
        dmc.DatesProvider(
            children,
            settings={"locale": "zh-cn" if language == "zh" else "en", "firstDayOfWeek": 1},
        ),
        theme=THEME,
        forceColorScheme="light",
    )


# --- formats ----------------------------------------------------------------------------


def yi(amount: Decimal | float | None) -> str:
    """万元 → '12.34' 亿元 (two decimals)."""
    if amount is None:
        return "—"
    return f"{float(amount) / 10000:,.2f}"


def wan(amount: Decimal | float | None) -> str:
    if amount is None:
        return "—"
    return f"{float(amount):,.2f}"


def pct(rate: float | None, digits: int = 1) -> str:
    if rate is None:
        return "—"
    return f"{rate * 100:.{digits}f}%"


def pp(gap: float | None, language: str) -> str:
    """Signed percentage points, e.g. '+3.2 个百分点'."""
    if gap is None:
        return "—"
    return t("unit.pp", language, value=f"{gap:+.1f}")


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def day_label(value: date, language: str) -> str:
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.strftime("%d %b %Y")


_PERIOD_ZH = re.compile(r"(\d{4})年(\d{1,2})(?:[–-](\d{1,2}))?月")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_name(label: str, language: str) -> str:
    """A period's name as the cycle writes it (2026年11月, 2026年1–2月) in the interface's
    language: Nov 2026, Jan–Feb 2026 in English; unchanged in Chinese."""
    if language == "zh":
        return label

    def english(m: re.Match[str]) -> str:
        first, last = int(m.group(2)), int(m.group(3) or m.group(2))
        months = _MONTHS_EN[first - 1]
        if last != first:
            months += f"–{_MONTHS_EN[last - 1]}"
        return f"{months} {m.group(1)}"

    return _PERIOD_ZH.sub(english, label)


def paren(text: str, language: str) -> str:
    """An aside in brackets: full-width in Chinese, a space and ASCII ones in English."""
    return f"（{text}）" if language == "zh" else f" ({text})"


# --- pieces ------------------------------------------------------------------------------


def light_badge(light: Light, language: str, size: str = "md") -> dmc.Badge:
    """The light as a filled badge; its words in the palette's ink for that light (dark on
    amber, white on red and green: 4.5:1 at least, which Mantine's autoContrast misses)."""
    ink = palette.ON_LIGHT[light.value]
    return dmc.Badge(
        light_label(light, language),
        color=LIGHT_MANTINE[light],
        c=ink,
        variant="filled",
        size=size,
        leftSection=html.Span(className="light-dot", style={"background": ink}),
        className=f"light-badge light-{light.value}",
    )


def returned_badge(language: str, size: str = "md") -> dmc.Badge:
    """“退回修改” beside a light: a report is back with its reporter for correction."""
    return dmc.Badge(
        t("light.returned", language),
        color=palette.RETURNED,
        variant="outline",
        size=size,
        className="returned-badge",
    )


def notice(message: str, *, ok: bool, title: str | None = None) -> list[dict[str, Any]]:
    """A toast for the shell's notification container (``sendNotifications``)."""
    return [
        {
            "action": "show",
            "title": title or "",
            "message": str(message),
            "color": "green" if ok else "red",
            "autoClose": 5000 if ok else 9000,
        }
    ]


def denied(message: str) -> dmc.Alert:
    return dmc.Alert(str(message), color="red", variant="light", className="page-alert")


def section(title: str, *children: Any, right: Any = None, **kwargs: Any) -> dmc.Paper:
    head = dmc.Group(
        [dmc.Title(title, order=4, className="section-title"), right]
        if right
        else [dmc.Title(title, order=4, className="section-title")],
        justify="space-between",
        mb="sm",
    )
    return dmc.Paper([head, *children], withBorder=True, p="md", radius="md", **kwargs)


def page_title(title: str, subtitle: str = "", right: Any = None) -> dmc.Group:
    return dmc.Group(
        [
            html.Div(
                [
                    dmc.Title(title, order=2, className="page-title"),
                    dmc.Text(subtitle, c="dimmed", size="sm") if subtitle else None,
                ]
            ),
            right,
        ],
        justify="space-between",
        align="flex-end",
        mb="md",
    )


SELECT_CHROME = 48  # a small select's left padding and its chevron / clear button (px)


def fits(text: str, size: int = 14) -> int:
    """Pixels ``text`` needs at font size ``size`` (a generous estimate: CJK and full-width
    characters one em, capitals 0.65 em, other Latin 0.55 em, spaces 0.3 em)."""
    total = 0.0
    for ch in text:
        if ord(ch) >= 0x2E80:
            total += 1.0
        elif ch == " ":
            total += 0.3
        elif ch.isupper():
            total += 0.65
        else:
            total += 0.55
    return int(total * size + 0.999)


def filter_select(
    component_id: str,
    data: Any,
    value: Any,
    placeholder: str,
    width: int,
    *,
    list_width: int | None = None,
) -> dmc.Select:
    """One clearable filter drop-down of a page's filter bar (county, area, light…).

    ``list_width``: a long list (measures, lead units) is searchable and opens wider
    than the box."""
    extra: dict[str, Any] = {}
    # #19 clipping: the box is never narrower than its placeholder ("All counties")
    width = max(width, fits(placeholder) + SELECT_CHROME)
    if list_width is not None:
        extra = {"searchable": True, "comboboxProps": {"width": list_width}}
    return dmc.Select(
        id=component_id,
        data=data,
        value=value,
        placeholder=placeholder,
        clearable=True,
        w=width,
        size="sm",
        **extra,
    )


def search_filter(component_id: str, value: Any, language: str, width: int) -> dmc.TextInput:
    """The text search of a filter bar (name or code), sent 400 ms after typing stops."""
    return dmc.TextInput(
        id=component_id,
        value=value,
        placeholder=t("filter.search", language),
        w=width,
        size="sm",
        debounce=400,
    )


def light_filter(component_id: str, value: str | None, language: str) -> dmc.SegmentedControl:
    """全部 / 红灯 / 黄灯 / 绿灯 as one control; "" means every light."""
    data = [{"value": "", "label": t("filter.all_lights", language)}] + [
        {"value": light.value, "label": light_label(light, language)}
        for light in (Light.RED, Light.AMBER, Light.GREEN)
    ]
    return dmc.SegmentedControl(id=component_id, data=data, value=value or "", size="sm")
