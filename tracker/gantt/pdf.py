"""The printable battle map: the same rows drawn as vector PDF on A3 landscape sheets.

Rows come from ``visible_rows`` (same order and rollups as the interactive view).
Every page repeats the header (title, as-of date, legend), the time axis and the
headers of the groups it continues, and its footer says "第 n / N 页 · 行 a–b · 时间段".

Tiles: rows run over as many sheets as they need; when the plan's months would be
narrower than ``MIN_MONTH_WIDTH`` on one sheet, the time axis is cut into columns of
equal scale too, so the sheets of one row band join left to right on a wall. A print of
more than ``INDEX_FROM_PAGES`` sheets (or of several time columns) opens with an index:
how the sheets join, and every group with the pages it is on.

Speed: a 10,000-project plan is a few hundred pages, so the marks of a page are gathered
by kind and colour and written as a few raw paths (``addLiteral``), the page's text goes
into one text object, the header and axis are Form XObjects drawn once and placed on
every page, and the content streams are deflated without ASCII85 wrapping.

Chinese text is set in a CJK font the machine has (one ships with the product); nothing
is downloaded.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A3, landscape
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from tracker.domain.rules import Thresholds
from tracker.gantt.chains import (
    CRITICAL_COLOUR,
    LINK_COLOUR,
    STEP_COLOURS,
    STEP_EDGE,
    chain_ends,
    lanes,
)
from tracker.gantt.grouping import Row, visible_rows
from tracker.gantt.labels import resolve_labels
from tracker.gantt.rows import LIGHTS, MILESTONE_STATES, GanttProject
from tracker.gantt.style import (
    ACTUAL_COLOUR,
    BADGE_COLOUR,
    BASELINE_COLOUR,
    GRID_COLOUR,
    GROUP_FILL,
    LIGHT_COLOURS,
    MILESTONE_MARKS,
    PROGRESS_RGB,
    TEXT_COLOUR,
    TIME_PROGRESS_COLOUR,
    TODAY_COLOUR,
)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A3)  # 1190.55 x 841.89 pt
MARGIN = 24.0
HEADER_HEIGHT = 58.0
AXIS_HEIGHT = 30.0
FOOTER_HEIGHT = 18.0
ROW_HEIGHT = 12.5
CHAIN_LANE = 3.4  # #17: a lane of a project's 前期 chain, under its bar
CHAIN_BAR = 2.6
GROUP_ROW_HEIGHT = 15.0
NAME_FONT_MAX, NAME_FONT_MIN = 7.5, 5.0
BADGE_RADIUS = 4.6
ROW_LINE_COLOUR = "#F3F4F6"

# Table columns left of the chart: (label key, width in pt)
COLUMNS: tuple[tuple[str, float], ...] = (
    ("row_number", 30.0),  # the footer's "行 a–b" counts these
    ("code", 52.0),
    ("name", 232.0),
    ("county", 52.0),
    ("lead_unit", 100.0),
    ("progress", 34.0),
)
CHART_LEFT = MARGIN + sum(w for _, w in COLUMNS) + 8.0
CHART_RIGHT = PAGE_WIDTH - MARGIN
# The time scale stops short of the chart's right edge: the badges sit in that column,
# beside the bars and never over them (as on the screen).
TIME_RIGHT = CHART_RIGHT - 2 * BADGE_RADIUS - 4.5
ROWS_TOP = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT - AXIS_HEIGHT
ROWS_BOTTOM = MARGIN + FOOTER_HEIGHT
# Narrower than this a month's bars, ticks and milestone diamonds run together: the time
# axis is then cut into columns of sheets (about six years fit one A3 sheet).
MIN_MONTH_WIDTH = 8.0
INDEX_FROM_PAGES = 6  # a print of more chart pages than this opens with an index
INDEX_COLUMNS = 3
INDEX_LINE = 12.0

# TrueType-outline CJK fonts that reportlab can embed, first found wins. Debian's
# Noto CJK is CFF-flavoured, which reportlab cannot embed; it is tried last in case
# a later reportlab can. Without any, the standard CID font STSong-Light is used:
# not embedded (viewers substitute a Song face) but the text still extracts.
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    # shipped with the product (Apache-2.0 / GPLv3, see fonts/), so an intranet machine
    # without Chinese fonts still prints an embedded, searchable PDF
    (str(Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"), 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)
FALLBACK_CID_FONT = "STSong-Light"


@cache
def register_cjk_font(font_path: str | None = None, subfont_index: int = 0) -> str:
    """Register a CJK-capable font with reportlab once and return its name."""
    candidates = ((font_path, subfont_index),) if font_path else FONT_CANDIDATES
    for index, (path, sub) in enumerate(candidates):
        name = f"GanttCJK{index}"
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=sub))
        except (OSError, TTFError):
            continue
        return name
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return FALLBACK_CID_FONT


@cache
def _rgb(hex_colour: str) -> Color:
    return HexColor(hex_colour)


@cache
def _fill_op(hex_colour: str) -> str:
    c = _rgb(hex_colour)
    return f"{c.red:.3f} {c.green:.3f} {c.blue:.3f} rg"


@cache
def _stroke_op(hex_colour: str) -> str:
    c = _rgb(hex_colour)
    return f"{c.red:.3f} {c.green:.3f} {c.blue:.3f} RG"


@lru_cache(maxsize=1 << 16)  # bounded: names come and go over a server's life
def _unit_width(font: str, s: str) -> float:
    """The width of ``s`` at size 1 (widths scale with the size)."""
    return pdfmetrics.stringWidth(s, font, 1.0)


@dataclass(frozen=True)
class _Scale:
    start: date
    end: date

    def x(self, d: date) -> float:
        span = (self.end - self.start).days or 1
        return CHART_LEFT + (TIME_RIGHT - CHART_LEFT) * (d - self.start).days / span

    @property
    def months(self) -> list[date]:
        out = []
        d = self.start
        while d < self.end:
            out.append(d)
            d = _next_month(d)
        return out

    def label(self, text: Mapping[str, str]) -> str:
        last = self.end - timedelta(days=1)
        return text["page_months"].format(start=f"{self.start:%Y-%m}", end=f"{last:%Y-%m}")


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _time_window(rows: Sequence[Row], as_of: date, x_range: tuple[date, date] | None) -> _Scale:
    if x_range is not None:
        return _Scale(x_range[0], x_range[1] + timedelta(days=1))
    starts = [as_of]
    ends = [as_of]
    for row in rows:
        if row.summary is not None:
            starts.append(row.summary.start)
            ends.append(row.summary.finish)
        elif row.project is not None:
            p = row.project
            starts += [p.planned_start, p.baseline_start]
            ends += [p.planned_finish, p.baseline_finish]
            ends += [m.planned for m in p.milestones]
            if p.chain is not None:  # #17: the 前期 chain starts before the plan
                starts += [step.start for step in p.chain.steps]
    return _Scale(_month_start(min(starts)), _next_month(max(ends)))


def _time_tiles(scale: _Scale) -> list[_Scale]:
    """The time columns of sheets: the whole window when its months are legible on one
    sheet, else columns of equally many months (the same scale on every sheet, so the
    sheets join; the last column may run past the plan's end)."""
    months = len(scale.months)
    most = max(int((TIME_RIGHT - CHART_LEFT) // MIN_MONTH_WIDTH), 1)
    if months <= most:
        return [scale]
    count = -(-months // most)
    per = -(-months // count)
    first = _month_start(scale.start)
    tiles = []
    for i in range(count):
        start = max(_add_months(first, i * per), scale.start)
        tiles.append(_Scale(start, _add_months(first, (i + 1) * per)))
    return tiles


def _row_height(row: Row) -> float:
    p = row.project
    if p is None:
        return GROUP_ROW_HEIGHT
    if p.chain is not None and p.chain.steps:  # its chain's lanes under the bar
        return ROW_HEIGHT + lanes(p.chain)[1] * CHAIN_LANE + 2.0
    return ROW_HEIGHT


def _paginate(rows: Sequence[Row], room: float) -> list[list[tuple[Row, bool]]]:
    """Rows per page; a page that starts inside a group repeats its headers (continued)."""
    by_key = {r.key: r for r in rows if r.is_group}
    pages: list[list[tuple[Row, bool]]] = []
    page: list[tuple[Row, bool]] = []
    used = 0.0
    for row in rows:
        height = _row_height(row)
        if page and used + height > room:
            pages.append(page)
            page = [(by_key[k], True) for k in row.ancestors if k in by_key]
            used = GROUP_ROW_HEIGHT * len(page)
        page.append((row, False))
        used += height
    if page or not pages:
        pages.append(page)
    return pages


@dataclass(frozen=True)
class _Band:
    """The rows of one row band of sheets, and the numbers of its first and last project."""

    rows: list[tuple[Row, bool]]
    first: int  # 0 when the band holds no project row (only folded groups)
    last: int


def _bands(pages: list[list[tuple[Row, bool]]]) -> list[_Band]:
    out = []
    seen = 0
    for page in pages:
        count = sum(1 for row, _ in page if row.project is not None)
        out.append(_Band(page, seen + 1 if count else 0, seen + count))
        seen += count
    return out


@dataclass(frozen=True)
class _IndexEntry:
    level: int
    label: str
    count: int
    first_page: int
    last_page: int


def _index_pages_needed(entries: int, tiles: int) -> int:
    per_column = [_index_lines(first=True, tiles=tiles), _index_lines(first=False, tiles=tiles)]
    pages, left = 1, entries - per_column[0] * INDEX_COLUMNS
    while left > 0:
        pages += 1
        left -= per_column[1] * INDEX_COLUMNS
    return pages


def _index_top(*, first: bool, tiles: int) -> float:
    top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT - 20  # under the index's title
    if first:
        top -= 14 + (12 * tiles if tiles > 1 else 0) + 6
    return top


def _index_lines(*, first: bool, tiles: int) -> int:
    return max(int((_index_top(first=first, tiles=tiles) - ROWS_BOTTOM) // INDEX_LINE), 1)


@dataclass
class _Marks:
    """One page's marks by kind and colour, as PDF path operators (drawn in this order)."""

    bands: dict[str, list[str]] = field(default_factory=dict)
    row_lines: list[str] = field(default_factory=list)
    baselines: list[str] = field(default_factory=list)
    group_bars: dict[str, list[str]] = field(default_factory=dict)
    bars: dict[str, list[str]] = field(default_factory=dict)
    progress: list[str] = field(default_factory=list)
    ticks: list[str] = field(default_factory=list)
    triangles: list[str] = field(default_factory=list)
    diamonds: dict[str, list[str]] = field(default_factory=dict)
    dots: list[str] = field(default_factory=list)
    crosses: list[str] = field(default_factory=list)
    badges: list[str] = field(default_factory=list)
    # #17: the 前期 chains
    steps: dict[str, list[str]] = field(default_factory=dict)  # by fill colour
    critical_steps: list[str] = field(default_factory=list)  # their outlines
    links: list[str] = field(default_factory=list)
    critical_links: list[str] = field(default_factory=list)
    heads: dict[str, list[str]] = field(default_factory=dict)  # by colour


def _rect(x: float, y: float, w: float, h: float) -> str:
    return f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re"


def _circle(x: float, y: float, r: float) -> str:
    k = 0.5523 * r
    return (
        f"{x + r:.2f} {y:.2f} m {x + r:.2f} {y + k:.2f} {x + k:.2f} {y + r:.2f} {x:.2f} {y + r:.2f} c "
        f"{x - k:.2f} {y + r:.2f} {x - r:.2f} {y + k:.2f} {x - r:.2f} {y:.2f} c "
        f"{x - r:.2f} {y - k:.2f} {x - k:.2f} {y - r:.2f} {x:.2f} {y - r:.2f} c "
        f"{x + k:.2f} {y - r:.2f} {x + r:.2f} {y - k:.2f} {x + r:.2f} {y:.2f} c h"
    )


def _line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"{x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l"


class _Text:
    """A page's text as one text object; font and colour are set only when they change.

    With an embedded TrueType font (the usual case) the operators are written directly:
    the font's own ``splitString`` assigns the glyphs to its subsets (what reportlab's
    text object does too), without the text object's per-string cursor arithmetic.
    """

    def __init__(
        self, canvas: Canvas, font: str, encoded: dict[str, list[tuple[int, str, str]]]
    ) -> None:
        self.canvas = canvas
        self.font = font
        self.encoded = encoded  # text -> its runs per font subset, for the whole document
        self.face = pdfmetrics.getFont(font)
        self.direct = bool(getattr(self.face, "_dynamicFont", False))
        self.ops: list[str] = ["BT"]
        self.obj = None if self.direct else canvas.beginText()
        self.size = -1.0
        self.colour = ""
        self.subset = -1

    def put(self, x: float, y: float, s: str, size: float, colour: str = TEXT_COLOUR) -> None:
        if self.obj is not None:
            self._put_object(x, y, s, size, colour)
            return
        ops = self.ops
        if colour != self.colour:
            ops.append(_fill_op(colour))
            self.colour = colour
        if size != self.size:
            self.size = size
            self.subset = -1
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        runs = self.encoded.get(s)
        if runs is None:
            doc = self.canvas._doc  # the document the font's subsets belong to
            runs = self.encoded[s] = [
                (subset, self.face.getSubsetInternalName(subset, doc), f"({escapePDF(chunk)}) Tj")
                for subset, chunk in self.face.splitString(s, doc)
            ]
        for subset, name, shown in runs:
            if subset != self.subset:
                ops.append(f"{name} {size:.2f} Tf")
                self.subset = subset
            ops.append(shown)

    def _put_object(self, x: float, y: float, s: str, size: float, colour: str) -> None:
        t = self.obj
        assert t is not None
        if size != self.size:
            t.setFont(self.font, size)
            self.size = size
        if colour != self.colour:
            t.setFillColor(_rgb(colour))
            self.colour = colour
        t.setTextOrigin(x, y)
        t.textOut(s)

    def draw(self) -> None:
        if self.obj is not None:
            self.canvas.drawText(self.obj)
        elif len(self.ops) > 1:
            self.ops.append("ET")
            self.canvas.addLiteral("\n".join(self.ops))


class _Painter:
    def __init__(
        self,
        canvas: Canvas,
        *,
        font: str,
        text: Mapping[str, str],
        scale: _Scale,
        as_of: date,
        time_progress: float | None,
    ) -> None:
        self.c = canvas
        self.font = font
        self.text = text
        self.scale = scale
        self.as_of = as_of
        self.time_progress = time_progress
        self.words = _Text(canvas, font, {})
        self.marks = _Marks()
        self.chains = False  # the legend explains the 前期 chains

    # -- text -----------------------------------------------------------------------

    def write(self, x: float, y: float, s: str, size: float, colour: str = TEXT_COLOUR) -> None:
        """Text drawn at once (page furniture); rows go through ``self.words``."""
        self.c.setFillColor(_rgb(colour))
        self.c.setFont(self.font, size)
        self.c.drawString(x, y, s)

    def width(self, s: str, size: float) -> float:
        return _unit_width(self.font, s) * size

    def fit(self, s: str, room: float, size: float, smallest: float) -> tuple[str, float]:
        """Shrink the type (in steps of 0.25 pt) until the text fits; cut it with an
        ellipsis only past that."""
        unit = _unit_width(self.font, s)
        if unit * size <= room:
            return s, size
        steps = math.ceil((size - room / unit) / 0.25 - 1e-9) if unit else 0
        size = max(size - 0.25 * steps, smallest)
        if unit * size <= room:
            return s, size
        while s and self.width(s + "…", size) > room:
            s = s[:-1]
        return s + "…", size

    # -- page furniture -----------------------------------------------------------------

    def header(self, title: str, subtitle: str) -> None:
        top = PAGE_HEIGHT - MARGIN
        self.write(MARGIN, top - 16, title, 16)
        self.write(MARGIN, top - 32, subtitle, 9)
        self.legend(MARGIN, top - 50)

    def legend(self, x: float, y: float) -> None:
        size = 8.0
        t = self.text
        for light in LIGHTS:
            self.c.setFillColor(_rgb(LIGHT_COLOURS[light]))
            self.c.rect(x, y - 1, 16, 7, stroke=0, fill=1)
            x += 19
            label = t[f"light.{light}"]
            self.write(x, y, label, size)
            x += self.width(label, size) + 12
        self.c.setFillColor(_rgb(BASELINE_COLOUR))
        self.c.rect(x, y + 1, 16, 2, stroke=0, fill=1)
        x += 19
        self.write(x, y, t["baseline"], size)
        x += self.width(t["baseline"], size) + 12
        self._progress_bar(x, y + 2.5, 16)
        x += 19
        self.write(x, y, t["progress"], size)
        x += self.width(t["progress"], size) + 12
        for state in MILESTONE_STATES:
            self.diamond(x + 4, y + 2.5, state)
            x += 11
            label = t[f"milestone.{state}"]
            self.write(x, y, label, size)
            x += self.width(label, size) + 12
        self._triangle(x + 3, y + 2.5, right=True)
        x += 9
        self.write(x, y, t["actual_start"], size)
        x += self.width(t["actual_start"], size) + 12
        self._triangle(x + 3, y + 2.5, right=False)
        x += 9
        self.write(x, y, t["actual_finish"], size)
        x += self.width(t["actual_finish"], size) + 12
        if self.time_progress is not None:
            self._pace_tick(x + 2, y + 2.5)
            x += 8
            self.write(x, y, t["time_progress_marker"], size)
            x += self.width(t["time_progress_marker"], size) + 12
        self._today_stroke()
        self.c.line(x, y - 1, x, y + 7)
        self.c.setDash()
        self.write(x + 4, y, t["today"], size, TODAY_COLOUR)
        x += 4 + self.width(t["today"], size) + 12
        self.badge(x + BADGE_RADIUS, y + 2.5, 1)
        x += 2 * BADGE_RADIUS + 3
        self.write(x, y, t["open_problems"], size)
        if self.chains:
            self.chain_legend(x + self.width(t["open_problems"], size) + 12, y, size)

    def chain_legend(self, x: float, y: float, size: float) -> None:
        """#17: a step, a critical step, a link."""
        t = self.text
        self.c.setFillColor(_rgb(STEP_COLOURS["in_progress"]))
        self.c.setStrokeColor(_rgb(STEP_EDGE))
        self.c.setLineWidth(0.4)
        self.c.rect(x, y, 16, CHAIN_BAR + 1, stroke=1, fill=1)
        x += 19
        self.write(x, y, t["chain.steps"], size)
        x += self.width(t["chain.steps"], size) + 12
        self.c.setStrokeColor(_rgb(CRITICAL_COLOUR))
        self.c.setLineWidth(1.0)
        self.c.rect(x, y, 16, CHAIN_BAR + 1, stroke=1, fill=1)
        self.c.line(x + 16, y + 2, x + 24, y + 2)
        x += 27
        self.write(x, y, t["chain.critical_path"], size)
        x += self.width(t["chain.critical_path"], size) + 12
        self.c.setStrokeColor(_rgb(LINK_COLOUR))
        self.c.setLineWidth(0.5)
        self.c.line(x, y + 2, x + 12, y + 2)
        self.c.setFillColor(_rgb(LINK_COLOUR))
        self.c.addLiteral(_head_path(x + 14, y + 2) + " f")
        x += 18
        self.write(x, y, t["chain.links"], size)

    def axis(self, top: float) -> float:
        """Column titles and the time axis (years over months); returns the y below it."""
        c = self.c
        bottom = top - AXIS_HEIGHT
        c.setStrokeColor(_rgb(TEXT_COLOUR))
        c.setLineWidth(0.6)
        c.line(MARGIN, bottom, CHART_RIGHT, bottom)
        c.line(MARGIN, top, CHART_RIGHT, top)
        x = MARGIN
        for key, w in COLUMNS:
            self.write(x + 2, bottom + 10, self.text[key], 8)
            x += w
        months = self.scale.months
        month_px = (TIME_RIGHT - CHART_LEFT) / max(len(months), 1)
        mid = bottom + AXIS_HEIGHT / 2
        c.line(CHART_LEFT, mid, CHART_RIGHT, mid)
        for m in months:
            x0 = self.scale.x(max(m, self.scale.start))
            x1 = self.scale.x(_next_month(m))
            c.setLineWidth(0.6 if m.month == 1 else 0.3)
            c.line(x0, bottom, x0, mid if m.month != 1 else top)
            if m.month == 1 or m == months[0]:
                year_end = min(date(m.year + 1, 1, 1), self.scale.end)
                label = f"{m.year}年"
                if self.scale.x(year_end) - x0 > self.width(label, 8) + 4:
                    self.write(x0 + 3, mid + 5, label, 8)
            step = 1 if month_px >= 12 else 3 if month_px >= 5 else 12
            if (m.month - 1) % step == 0 and x1 - x0 >= 0:
                label = str(m.month)
                if month_px * step >= self.width(label, 7) + 2:
                    self.write(
                        (x0 + min(x0 + month_px * step, TIME_RIGHT)) / 2 - self.width(label, 7) / 2,
                        bottom + 4,
                        label,
                        7,
                    )
        c.line(CHART_RIGHT, bottom, CHART_RIGHT, top)
        c.line(CHART_LEFT, bottom, CHART_LEFT, top)
        return bottom

    def grid(self, top: float, bottom: float) -> None:
        c = self.c
        lines = [
            _line(x, bottom, x, top)
            for x in (self.scale.x(m) for m in self.scale.months)
            if x >= CHART_LEFT
        ]
        c.addLiteral(f"{_stroke_op(GRID_COLOUR)} 0.3 w\n" + "\n".join(lines) + "\nS")
        c.addLiteral(
            f"{_stroke_op(TEXT_COLOUR)} 0.6 w\n"
            + "\n".join(
                (
                    _line(CHART_LEFT, bottom, CHART_LEFT, top),
                    _line(CHART_RIGHT, bottom, CHART_RIGHT, top),
                    _line(MARGIN, bottom, CHART_RIGHT, bottom),
                )
            )
            + "\nS"
        )

    def today_line(self, top: float, bottom: float) -> None:
        if not self.scale.start <= self.as_of <= self.scale.end:
            return
        x = self.scale.x(self.as_of)
        self._today_stroke()
        self.c.line(x, bottom, x, top)
        self.c.setDash()
        label = f"{self.text['today']} {self.as_of.isoformat()}"
        self.write(x - self.width(label, 7) / 2, bottom - 8, label, 7, TODAY_COLOUR)

    def footer(self, label: str, stamp: str) -> None:
        y = MARGIN - 4
        self.write(MARGIN, y, stamp, 8, "#4B5563")
        self.write(PAGE_WIDTH - MARGIN - self.width(label, 8), y, label, 8)

    # -- rows ----------------------------------------------------------------------------

    def group_band(self, row: Row, top: float) -> None:
        colour = GROUP_FILL.get(row.level, GROUP_FILL[1])
        self.marks.bands.setdefault(colour, []).append(
            _rect(MARGIN, top - GROUP_ROW_HEIGHT, CHART_RIGHT - MARGIN, GROUP_ROW_HEIGHT)
        )

    def group_row(self, row: Row, top: float, continued: bool) -> None:
        s = row.summary
        assert s is not None
        height = GROUP_ROW_HEIGHT
        size = 9.0 if row.level == 0 else 8.5
        indent = 4 + 10 * row.level
        label = row.label + (f"（{self.text['continued']}）" if continued else "")
        label += f"  {s.count} {self.text['projects']}"
        room = sum(w for _, w in COLUMNS[:4]) - indent
        label, size = self.fit(label, room, size, 6)
        baseline = top - height + 4.5
        self.words.put(MARGIN + indent, baseline, label, size)
        self._right(f"{s.progress:.0%}", 8, baseline)
        x0, x1 = self.scale.x(s.start), self.scale.x(s.finish)
        mid = top - height / 2
        length = max(x1 - x0, 0.8)
        self.marks.group_bars.setdefault(LIGHT_COLOURS[s.light], []).append(
            _rect(x0, mid - 3, length, 6)
        )
        if s.progress > 0:
            self.marks.progress.append(_rect(x0, mid - 1.3, length * s.progress, 2.6))

    def project_row(self, row: Row, top: float, number: int) -> None:
        p = row.project
        assert p is not None
        t, words, marks = self.text, self.words, self.marks
        height = ROW_HEIGHT
        baseline = top - height + 3.5
        (_, no_w), (_, code_w), (_, name_w), (_, county_w), (_, unit_w), _ = COLUMNS
        x = MARGIN
        words.put(x + 2, baseline, str(number), 6, "#4B5563")
        x += no_w
        code, size = self.fit(p.code, code_w - 4, 7, 5)
        words.put(x + 2, baseline, code, size)
        x += code_w
        indent = 8 * max(row.level - 1, 0)
        name, size = self.fit(p.name, name_w - 4 - indent, NAME_FONT_MAX, NAME_FONT_MIN)
        words.put(x + 2 + indent, baseline, name, size)
        x += name_w
        county, size = self.fit(p.county or t["unassigned"], county_w - 4, 7, 5)
        words.put(x + 2, baseline, county, size)
        x += county_w
        unit, size = self.fit(p.lead_unit or t["unassigned"], unit_w - 4, 7, 5)
        words.put(x + 2, baseline, unit, size)
        self._right(f"{p.progress:.0%}", 7, baseline)
        under = top - _row_height(row)  # a chained row is taller (#17)
        marks.row_lines.append(_line(MARGIN, under, CHART_LEFT, under))

        mid = top - height / 2 + 0.8
        sx = self.scale.x
        if p.baseline_differs:
            b0, b1 = sx(p.baseline_start), sx(p.baseline_finish)
            marks.baselines.append(_rect(b0, mid - 5.2, max(b1 - b0, 0.8), 1.6))
        x0, x1 = sx(p.planned_start), sx(p.planned_finish)
        length = max(x1 - x0, 0.8)
        marks.bars.setdefault(LIGHT_COLOURS[p.light], []).append(_rect(x0, mid - 3.2, length, 6.4))
        if p.progress > 0:
            marks.progress.append(_rect(x0, mid - 1.3, length * p.progress, 2.6))
        if self.time_progress is not None and p.actual_finish is None:
            tick = x0 + length * self.time_progress
            marks.ticks.append(_line(tick, mid - 4.5, tick, mid + 4.5))
        if p.actual_start:
            marks.triangles.append(_triangle_path(sx(p.actual_start), mid, right=True))
        if p.actual_finish:
            marks.triangles.append(_triangle_path(sx(p.actual_finish), mid, right=False))
        for m in p.milestones:
            at = sx(m.actual if m.state == "done" and m.actual else m.planned)
            marks.diamonds.setdefault(m.state, []).append(_diamond_path(at, mid, 3.6))
            if m.state == "due_soon":
                marks.dots.append(_circle(at, mid, 0.8))
            elif m.state == "overdue":
                h = 3.6 / 2.2
                marks.crosses.append(_line(at - h, mid - h, at + h, mid + h))
                marks.crosses.append(_line(at - h, mid + h, at + h, mid - h))
        if p.chain is not None and p.chain.steps:
            self.chain(p, mid, top - ROW_HEIGHT)
        if p.open_problems > 0:  # at the row's right end, as on the screen
            x = CHART_RIGHT - BADGE_RADIUS - 1.5
            marks.badges.append(_circle(x, mid, BADGE_RADIUS))
            label = str(p.open_problems) if p.open_problems < 100 else "99+"
            size = 5.5 if len(label) < 3 else 4.2
            words.put(x - self.width(label, size) / 2, mid - size * 0.36, label, size, "#FFFFFF")

    def chain(self, p: GanttProject, mid: float, top: float) -> None:
        """#17: the project's 前期 chain in lanes under its bar: steps by state, the
        critical ones outlined, links as elbows with arrowheads (critical ones red)."""
        assert p.chain is not None
        marks, sx = self.marks, self.scale.x
        lane_of, _ = lanes(p.chain)
        where: dict[str, tuple[float, float, float]] = {}  # key -> (y, x start, x finish)
        for step in p.chain.steps:
            y = top - (lane_of[step.key] + 0.5) * CHAIN_LANE - 1.0
            x0, x1 = sx(step.start), sx(step.finish)
            where[step.key] = (y, x0, x1)
            box = _rect(x0, y - CHAIN_BAR / 2, max(x1 - x0, 0.8), CHAIN_BAR)
            marks.steps.setdefault(STEP_COLOURS[step.state], []).append(box)
            if step.critical:
                marks.critical_steps.append(box)
        shown = {
            m.name: sx(m.actual if m.state == "done" and m.actual else m.planned)
            for m in p.milestones
        }
        for link in p.chain.links:
            ends = chain_ends(link, where, shown, mid)
            if ends is None:
                continue
            (x0, y0), (x1, y1) = ends
            path = f"{x0:.2f} {y0:.2f} m {x0:.2f} {y1:.2f} l {x1 - 1.6:.2f} {y1:.2f} l"
            if x1 < x0:
                path = _line(x0, y0, x1 - 1.6, y1)
            (marks.critical_links if link.critical else marks.links).append(path)
            colour = CRITICAL_COLOUR if link.critical else LINK_COLOUR
            marks.heads.setdefault(colour, []).append(_head_path(x1, y1))

    def flush(self, top: float, bottom: float) -> None:
        """Draw the page's gathered marks, then its text, and start afresh."""
        c, m = self.c, self.marks
        ops: list[str] = []
        for colour, rects in m.bands.items():
            ops += [_fill_op(colour), *rects, "f"]
        c.addLiteral("\n".join(ops))
        self.grid(top, bottom)
        ops = []
        if m.row_lines:
            ops += [_stroke_op(ROW_LINE_COLOUR), "0.3 w", *m.row_lines, "S"]
        c.addLiteral("\n".join(ops))
        c.saveState()  # the marks stay inside the chart when x_range or a tile cuts a bar
        ops = [_rect(CHART_LEFT, bottom, TIME_RIGHT - CHART_LEFT, top - bottom), "W n"]
        if m.baselines:
            ops += [_fill_op(BASELINE_COLOUR), *m.baselines, "f"]
        if m.group_bars:
            ops += [_stroke_op(TEXT_COLOUR), "0.5 w"]
            for colour, rects in m.group_bars.items():
                ops += [_fill_op(colour), *rects, "B"]
        for colour, rects in m.bars.items():
            ops += [_fill_op(colour), *rects, "f"]
        c.addLiteral("\n".join(ops))
        if m.progress:
            c.saveState()
            c.setFillColorRGB(*PROGRESS_RGB, alpha=0.6)
            c.addLiteral("\n".join([*m.progress, "f"]))
            c.restoreState()
        ops = []
        if m.ticks:
            ops += [_stroke_op(TIME_PROGRESS_COLOUR), "1.2 w", *m.ticks, "S"]
        if m.triangles:
            ops += [_fill_op(ACTUAL_COLOUR), *m.triangles, "f"]
        ops.append("0.6 w")
        for state, paths in m.diamonds.items():
            mark = MILESTONE_MARKS[state]
            ops += [
                _stroke_op("#FFFFFF" if state == "done" else "#111827"),
                _fill_op(mark.fill or "#FFFFFF"),
                *paths,
                "B",
            ]
        if m.dots:
            ops += [_fill_op(MILESTONE_MARKS["due_soon"].line), *m.dots, "f"]
        if m.crosses:
            ops += [_stroke_op("#FFFFFF"), "0.7 w", *m.crosses, "S"]
        ops += self._chain_ops()
        c.addLiteral("\n".join(ops))
        c.restoreState()
        if m.badges:
            c.addLiteral(
                "\n".join([_fill_op(BADGE_COLOUR), _stroke_op("#FFFFFF"), "0.6 w", *m.badges, "B"])
            )
        self.words.draw()
        self.words = _Text(c, self.font, self.words.encoded)
        self.marks = _Marks()

    def _chain_ops(self) -> list[str]:
        m = self.marks
        ops: list[str] = []
        if m.links:
            ops += [_stroke_op(LINK_COLOUR), "0.4 w", *m.links, "S"]
        if m.critical_links:
            ops += [_stroke_op(CRITICAL_COLOUR), "0.8 w", *m.critical_links, "S"]
        if m.steps:
            ops += [_stroke_op(STEP_EDGE), "0.3 w"]
            for colour, rects in m.steps.items():
                ops += [_fill_op(colour), *rects, "B"]
        if m.critical_steps:
            ops += [_stroke_op(CRITICAL_COLOUR), "0.9 w", *m.critical_steps, "S"]
        for colour, heads in m.heads.items():
            ops += [_fill_op(colour), *heads, "f"]
        return ops

    def _right(self, s: str, size: float, baseline: float) -> None:
        self.words.put(CHART_LEFT - 10 - self.width(s, size), baseline, s, size)

    # -- marks drawn one at a time (the legend) ------------------------------------------

    def badge(self, x: float, y: float, count: int) -> None:
        """The open-problem badge: a red disc with the number of open problems."""
        c = self.c
        c.setFillColor(_rgb(BADGE_COLOUR))
        c.setStrokeColor(_rgb("#FFFFFF"))
        c.setLineWidth(0.6)
        c.circle(x, y, BADGE_RADIUS, stroke=1, fill=1)
        label = str(count) if count < 100 else "99+"
        size = 5.5 if len(label) < 3 else 4.2
        self.write(x - self.width(label, size) / 2, y - size * 0.36, label, size, "#FFFFFF")

    def diamond(self, x: float, y: float, state: str, r: float = 3.6) -> None:
        c = self.c
        mark = MILESTONE_MARKS[state]
        path = c.beginPath()
        path.moveTo(x, y + r)
        path.lineTo(x + r, y)
        path.lineTo(x, y - r)
        path.lineTo(x - r, y)
        path.close()
        c.setLineWidth(0.6)
        c.setStrokeColor(_rgb("#111827") if state != "done" else white)
        c.setFillColor(_rgb(mark.fill) if mark.fill else white)
        c.drawPath(path, stroke=1, fill=1)
        if state == "due_soon":
            c.setFillColor(_rgb(mark.line))
            c.circle(x, y, 0.8, stroke=0, fill=1)
        elif state == "overdue":
            c.setStrokeColor(white)
            c.setLineWidth(0.7)
            h = r / 2.2
            c.line(x - h, y - h, x + h, y + h)
            c.line(x - h, y + h, x + h, y - h)

    def _progress_bar(self, x: float, mid: float, length: float) -> None:
        """The legend's sample, on white: the ink at 60 % mixed with white beforehand, as
        reportlab's forms carry no transparency (ExtGState) resources."""
        if length <= 0:
            return
        self.c.setFillColorRGB(*(1 - 0.6 * (1 - v) for v in PROGRESS_RGB))
        self.c.rect(x, mid - 1.3, length, 2.6, stroke=0, fill=1)

    def _pace_tick(self, x: float, mid: float) -> None:
        self.c.setStrokeColor(_rgb(TIME_PROGRESS_COLOUR))
        self.c.setLineWidth(1.2)
        self.c.line(x, mid - 4.5, x, mid + 4.5)

    def _triangle(self, x: float, mid: float, *, right: bool) -> None:
        self.c.setFillColor(_rgb(ACTUAL_COLOUR))
        self.c.addLiteral(_triangle_path(x, mid, right=right) + " f")

    def _today_stroke(self) -> None:
        self.c.setStrokeColor(_rgb(TODAY_COLOUR))
        self.c.setLineWidth(0.9)
        self.c.setDash(3, 2)

    # -- the index -------------------------------------------------------------------------

    def index_page(
        self,
        entries: Sequence[_IndexEntry],
        *,
        first: bool,
        note: str,
        tiles: Sequence[str],
    ) -> None:
        t = self.text
        top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT
        self.write(MARGIN, top - 14, t["index"], 12)
        if first:
            y = top - 20 - 12
            self.write(MARGIN, y, note, 8.5)
            for column, months in enumerate(tiles if len(tiles) > 1 else (), start=1):
                y -= 12
                self.write(
                    MARGIN + 12, y, t["index_column"].format(column=column, months=months), 8
                )
        lines = _index_lines(first=first, tiles=len(tiles))
        width = (PAGE_WIDTH - 2 * MARGIN) / INDEX_COLUMNS
        y0 = _index_top(first=first, tiles=len(tiles))
        for i, entry in enumerate(entries):
            column, line = divmod(i, lines)
            x = MARGIN + column * width
            y = y0 - (line + 1) * INDEX_LINE + 3
            pages = (
                t["index_pages"].format(first=entry.first_page, last=entry.last_page)
                if entry.last_page > entry.first_page
                else t["index_page"].format(page=entry.first_page)
            )
            size = 8.5 if entry.level == 0 else 8.0
            page_x = x + width - 16 - self.width(pages, 8)
            indent = 10 * entry.level
            label = f"{entry.label}  {entry.count} {t['projects']}"
            label, size = self.fit(label, page_x - x - indent - 10, size, 6)
            self.words.put(x + indent, y, label, size)
            self.words.put(page_x, y, pages, 8)
            self.marks.row_lines.append(_line(x + indent, y - 3, x + width - 16, y - 3))
        c = self.c
        c.addLiteral(
            "\n".join([_stroke_op(GRID_COLOUR), "0.3 w", *self.marks.row_lines, "S"])
            if self.marks.row_lines
            else ""
        )
        self.words.draw()
        self.words = _Text(c, self.font, self.words.encoded)
        self.marks = _Marks()


def _head_path(x: float, y: float) -> str:
    """An arrowhead pointing right, its tip at (x, y)."""
    return f"{x:.2f} {y:.2f} m {x - 2.2:.2f} {y + 1.3:.2f} l {x - 2.2:.2f} {y - 1.3:.2f} l h"


def _diamond_path(x: float, y: float, r: float) -> str:
    return (
        f"{x:.2f} {y + r:.2f} m {x + r:.2f} {y:.2f} l {x:.2f} {y - r:.2f} l {x - r:.2f} {y:.2f} l h"
    )


def _triangle_path(x: float, mid: float, *, right: bool) -> str:
    w = 2.6 if right else -2.6
    return f"{x:.2f} {mid + 2.4:.2f} m {x + w:.2f} {mid:.2f} l {x:.2f} {mid - 2.4:.2f} l h"


@contextmanager
def _plain_streams() -> Iterator[None]:
    """Deflated content streams without the ASCII85 wrapping reportlab adds by default:
    a quarter smaller and no pure-Python encoding pass over every page. The switch is
    reportlab's global; another PDF made meanwhile in another thread merely comes out
    with or without the wrapping, valid either way."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def _index_entries(bands: Sequence[_Band], index_pages: int, tiles: int) -> list[_IndexEntry]:
    """Every group with the first and last page its rows are on."""
    spans: dict[str, list[int]] = {}
    groups: list[Row] = []
    for b, band in enumerate(bands):
        for row, _ in band.rows:
            if row.project is not None:
                continue
            if row.key not in spans:
                spans[row.key] = [b, b]
                groups.append(row)
            spans[row.key][1] = b
    out = []
    for row in groups:
        first, last = spans[row.key]
        assert row.summary is not None
        out.append(
            _IndexEntry(
                level=row.level,
                label=row.label,
                count=row.summary.count,
                first_page=index_pages + first * tiles + 1,
                last_page=index_pages + last * tiles + tiles,
            )
        )
    return out


def gantt_pdf(
    projects: Iterable[GanttProject],
    *,
    as_of: date,
    title: str,
    group_by: str | None = "measure",
    collapsed: frozenset[str] = frozenset(),
    time_progress: float | None = None,
    x_range: tuple[date, date] | None = None,
    labels: Mapping[str, str] | None = None,
    font_path: str | None = None,
    thresholds: Thresholds | None = None,
    index: bool | None = None,
) -> bytes:
    """The battle map as a vector PDF of A3 landscape sheets, tiled top to bottom (and in
    columns of time when the plan is too long to read on one sheet), with an index first
    when ``index`` asks or, by default, when the print is long (group bars coloured as on
    screen: ``thresholds`` as ``build_gantt`` takes them)."""
    text = resolve_labels(labels)
    rows = visible_rows(
        projects, group_by=group_by, collapsed=collapsed, labels=text, thresholds=thresholds
    ).rows
    font = register_cjk_font(font_path)
    whole = _time_window(rows, as_of, x_range)
    tiles = _time_tiles(whole)
    bands = _bands(_paginate(rows, ROWS_TOP - ROWS_BOTTOM))
    chart_pages = len(bands) * len(tiles)
    has_groups = any(row.project is None for row in rows)
    if index is None:
        index = (chart_pages > INDEX_FROM_PAGES and has_groups) or len(tiles) > 1
    index_pages = 0
    entries: list[_IndexEntry] = []
    if index:
        group_count = sum(1 for row in rows if row.project is None)
        index_pages = _index_pages_needed(group_count, len(tiles))
        entries = _index_entries(bands, index_pages, len(tiles))
    page_count = index_pages + chart_pages

    subtitle = f"{text['as_of']} {as_of.isoformat()}"
    if time_progress is not None:
        subtitle += f"　{text['time_progress']} {time_progress:.1%}"
    subtitle += f"　{text[f'group_by.{group_by}']}"
    stamp = f"{title}　{text['as_of']} {as_of.isoformat()}"
    tile_labels = [tile.label(text) for tile in tiles]

    buffer = io.BytesIO()
    with _plain_streams():
        canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
        canvas.setTitle(title)
        canvas.setSubject(subtitle)
        painters = [
            _Painter(
                canvas, font=font, text=text, scale=tile, as_of=as_of, time_progress=time_progress
            )
            for tile in tiles
        ]
        painters[0].chains = any(r.project and r.project.chain for r in rows)
        # the furniture every page repeats, drawn once as forms
        canvas.beginForm("gantt-header")
        painters[0].header(title, subtitle)
        canvas.endForm()
        for i, painter in enumerate(painters):
            canvas.beginForm(f"gantt-axis-{i}")
            painter.axis(PAGE_HEIGHT - MARGIN - HEADER_HEIGHT)
            canvas.endForm()

        number = 0
        if index:
            first_lines = _index_lines(first=True, tiles=len(tiles)) * INDEX_COLUMNS
            more_lines = _index_lines(first=False, tiles=len(tiles)) * INDEX_COLUMNS
            note = text["index_note" if len(tiles) > 1 else "index_note_rows"].format(
                sheets=chart_pages, rows=len(bands), columns=len(tiles)
            )
            start = 0
            for i in range(index_pages):
                number += 1
                size = first_lines if i == 0 else more_lines
                canvas.doForm("gantt-header")
                painters[0].index_page(
                    entries[start : start + size], first=i == 0, note=note, tiles=tile_labels
                )
                start += size
                painters[0].footer(
                    f"{text['page'].format(page=number, pages=page_count)} · {text['index']}",
                    stamp,
                )
                canvas.showPage()

        top = ROWS_TOP
        for band in bands:
            bottom = top - sum(_row_height(row) for row, _ in band.rows)
            for i, painter in enumerate(painters):
                number += 1
                canvas.doForm("gantt-header")
                canvas.doForm(f"gantt-axis-{i}")
                y = top
                counted = band.first
                for row, continued in band.rows:
                    if row.project is None:
                        painter.group_band(row, y)
                        painter.group_row(row, y, continued)
                    else:
                        painter.project_row(row, y, counted)
                        counted += 1
                    y -= _row_height(row)
                painter.flush(top, bottom)
                painter.today_line(PAGE_HEIGHT - MARGIN - HEADER_HEIGHT, bottom)
                label = text["page"].format(page=number, pages=page_count)
                if band.first:
                    label += " · " + text["page_rows"].format(first=band.first, last=band.last)
                label += f" · {tile_labels[i]}"
                painter.footer(label, stamp)
                canvas.showPage()
        canvas.save()
    return buffer.getvalue()
