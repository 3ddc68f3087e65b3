"""The printable battle map: the same rows drawn as vector PDF on A3 landscape pages.

Rows come from ``visible_rows`` (same order and rollups as the interactive view).
Every page repeats the header (title, as-of date, legend), the time axis and the
headers of the groups it continues, and ends with "第 n / N 页". Chinese text is
set in a CJK font the machine has; nothing is downloaded.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A3, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from tracker.domain.rules import Thresholds
from tracker.gantt.grouping import Row, visible_rows
from tracker.gantt.labels import resolve_labels
from tracker.gantt.rows import LIGHTS, MILESTONE_STATES, GanttProject
from tracker.gantt.style import (
    ACTUAL_COLOUR,
    BADGE_COLOUR,
    BASELINE_COLOUR,
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
GROUP_ROW_HEIGHT = 15.0
NAME_FONT_MAX, NAME_FONT_MIN = 7.5, 5.0
BADGE_RADIUS = 4.6

# Table columns left of the chart: (label key, width in pt)
COLUMNS: tuple[tuple[str, float], ...] = (
    ("code", 52.0),
    ("name", 262.0),
    ("county", 52.0),
    ("lead_unit", 100.0),
    ("progress", 34.0),
)
CHART_LEFT = MARGIN + sum(w for _, w in COLUMNS) + 8.0
CHART_RIGHT = PAGE_WIDTH - MARGIN
# The time scale stops short of the chart's right edge: the badges sit in that column,
# beside the bars and never over them (as on the screen).
TIME_RIGHT = CHART_RIGHT - 2 * BADGE_RADIUS - 4.5

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


def _rgb(hex_colour: str) -> Color:
    return HexColor(hex_colour)


@dataclass(frozen=True)
class _Scale:
    start: date
    end: date

    def x(self, d: date) -> float:
        span = (self.end - self.start).days or 1
        return CHART_LEFT + (TIME_RIGHT - CHART_LEFT) * (d - self.start).days / span


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


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
    return _Scale(_month_start(min(starts)), _next_month(max(ends)))


def _row_height(row: Row) -> float:
    return GROUP_ROW_HEIGHT if row.is_group else ROW_HEIGHT


def _paginate(rows: Sequence[Row], room: float) -> list[list[tuple[Row, bool]]]:
    """Rows per page; a page that starts inside a group repeats its headers (continued)."""
    by_key = {r.key: r for r in rows if r.is_group}
    pages: list[list[tuple[Row, bool]]] = []
    page: list[tuple[Row, bool]] = []
    used = 0.0
    for row in rows:
        if page and used + _row_height(row) > room:
            pages.append(page)
            page = [(by_key[k], True) for k in row.ancestors if k in by_key]
            used = sum(_row_height(r) for r, _ in page)
        page.append((row, False))
        used += _row_height(row)
    if page or not pages:
        pages.append(page)
    return pages


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

    # -- text -----------------------------------------------------------------------

    def write(self, x: float, y: float, s: str, size: float, colour: str = TEXT_COLOUR) -> None:
        self.c.setFillColor(_rgb(colour))
        self.c.setFont(self.font, size)
        self.c.drawString(x, y, s)

    def width(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(s, self.font, size)

    def fit(self, s: str, room: float, size: float, smallest: float) -> tuple[str, float]:
        """Shrink the type until the text fits; cut it with an ellipsis only past that."""
        while size > smallest and self.width(s, size) > room:
            size -= 0.25
        if self.width(s, size) <= room:
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
        months = []
        d = self.scale.start
        while d < self.scale.end:
            months.append(d)
            d = _next_month(d)
        month_px = (TIME_RIGHT - CHART_LEFT) / max(len(months), 1)
        mid = bottom + AXIS_HEIGHT / 2
        c.line(CHART_LEFT, mid, CHART_RIGHT, mid)
        for m in months:
            x0 = self.scale.x(m)
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
        c.setStrokeColor(_rgb("#E5E7EB"))
        c.setLineWidth(0.3)
        d = self.scale.start
        while d < self.scale.end:
            x = self.scale.x(d)
            c.line(x, bottom, x, top)
            d = _next_month(d)
        c.setStrokeColor(_rgb(TEXT_COLOUR))
        c.setLineWidth(0.6)
        c.line(CHART_LEFT, bottom, CHART_LEFT, top)
        c.line(CHART_RIGHT, bottom, CHART_RIGHT, top)
        c.line(MARGIN, bottom, CHART_RIGHT, bottom)

    def today_line(self, top: float, bottom: float) -> None:
        if not self.scale.start <= self.as_of <= self.scale.end:
            return
        x = self.scale.x(self.as_of)
        self._today_stroke()
        self.c.line(x, bottom, x, top)
        self.c.setDash()
        label = f"{self.text['today']} {self.as_of.isoformat()}"
        self.write(x - self.width(label, 7) / 2, bottom - 8, label, 7, TODAY_COLOUR)

    def footer(self, number: int, count: int, stamp: str) -> None:
        y = MARGIN - 4
        self.write(MARGIN, y, stamp, 8, "#4B5563")
        label = self.text["page"].format(page=number, pages=count)
        self.write(PAGE_WIDTH - MARGIN - self.width(label, 8), y, label, 8)

    # -- rows ----------------------------------------------------------------------------

    def group_band(self, row: Row, top: float) -> None:
        self.c.setFillColor(_rgb(GROUP_FILL.get(row.level, GROUP_FILL[1])))
        self.c.rect(
            MARGIN, top - GROUP_ROW_HEIGHT, CHART_RIGHT - MARGIN, GROUP_ROW_HEIGHT, stroke=0, fill=1
        )

    def group_row(self, row: Row, top: float, continued: bool) -> None:
        c, s = self.c, row.summary
        assert s is not None
        height = GROUP_ROW_HEIGHT
        size = 9.0 if row.level == 0 else 8.5
        indent = 4 + 10 * row.level
        label = row.label + (f"（{self.text['continued']}）" if continued else "")
        label += f"  {s.count} {self.text['projects']}"
        room = COLUMNS[0][1] + COLUMNS[1][1] + COLUMNS[2][1] - indent
        label, size = self.fit(label, room, size, 6)
        baseline = top - height + 4.5
        self.write(MARGIN + indent, baseline, label, size)
        progress = f"{s.progress:.0%}"
        self._right(progress, 8, baseline)
        x0, x1 = self.scale.x(s.start), self.scale.x(s.finish)
        mid = top - height / 2
        with self._chart_clip(top, height):
            c.setFillColor(_rgb(LIGHT_COLOURS[s.light]))
            c.setStrokeColor(_rgb(TEXT_COLOUR))
            c.setLineWidth(0.5)
            c.rect(x0, mid - 3, max(x1 - x0, 0.8), 6, stroke=1, fill=1)
            self._progress_bar(x0, mid, max(x1 - x0, 0.8) * s.progress)

    @contextmanager
    def _chart_clip(self, top: float, height: float) -> Iterator[None]:
        """Keep a row's marks inside the chart when x_range cuts the plan short."""
        c = self.c
        c.saveState()
        path = c.beginPath()
        path.rect(CHART_LEFT, top - height, TIME_RIGHT - CHART_LEFT, height)
        c.clipPath(path, stroke=0, fill=0)
        try:
            yield
        finally:
            c.restoreState()

    def project_row(self, row: Row, top: float) -> None:
        c, p = self.c, row.project
        assert p is not None
        t = self.text
        height = ROW_HEIGHT
        baseline = top - height + 3.5
        x = MARGIN
        (_, code_w), (_, name_w), (_, county_w), (_, unit_w), _ = COLUMNS
        code, size = self.fit(p.code, code_w - 4, 7, 5)
        self.write(x + 2, baseline, code, size)
        x += code_w
        name, size = self.fit(
            p.name, name_w - 4 - 8 * max(row.level - 1, 0), NAME_FONT_MAX, NAME_FONT_MIN
        )
        self.write(x + 2 + 8 * max(row.level - 1, 0), baseline, name, size)
        x += name_w
        county, size = self.fit(p.county or t["unassigned"], county_w - 4, 7, 5)
        self.write(x + 2, baseline, county, size)
        x += county_w
        unit, size = self.fit(p.lead_unit or t["unassigned"], unit_w - 4, 7, 5)
        self.write(x + 2, baseline, unit, size)
        self._right(f"{p.progress:.0%}", 7, baseline)
        c.setStrokeColor(_rgb("#F3F4F6"))
        c.setLineWidth(0.3)
        c.line(MARGIN, top - height, CHART_LEFT, top - height)

        mid = top - height / 2 + 0.8
        scale = self.scale
        with self._chart_clip(top, height):
            if p.baseline_differs:
                b0, b1 = scale.x(p.baseline_start), scale.x(p.baseline_finish)
                c.setFillColor(_rgb(BASELINE_COLOUR))
                c.rect(b0, mid - 5.2, max(b1 - b0, 0.8), 1.6, stroke=0, fill=1)
            x0, x1 = scale.x(p.planned_start), scale.x(p.planned_finish)
            length = max(x1 - x0, 0.8)
            c.setFillColor(_rgb(LIGHT_COLOURS[p.light]))
            c.rect(x0, mid - 3.2, length, 6.4, stroke=0, fill=1)
            if p.progress > 0:
                self._progress_bar(x0, mid, length * p.progress)
            if self.time_progress is not None and p.actual_finish is None:
                self._pace_tick(x0 + length * self.time_progress, mid)
            if p.actual_start:
                self._triangle(scale.x(p.actual_start), mid, right=True)
            if p.actual_finish:
                self._triangle(scale.x(p.actual_finish), mid, right=False)
            for m in p.milestones:
                at = m.actual if m.state == "done" and m.actual else m.planned
                self.diamond(scale.x(at), mid, m.state)
        if p.open_problems > 0:  # at the row's right end, as on the screen
            self.badge(CHART_RIGHT - BADGE_RADIUS - 1.5, mid, p.open_problems)

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

    def _right(self, s: str, size: float, baseline: float) -> None:
        x = CHART_LEFT - 10 - self.width(s, size)
        self.write(x, baseline, s, size)

    # -- marks ---------------------------------------------------------------------------

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
        if length <= 0:
            return
        self.c.setFillColorRGB(*PROGRESS_RGB, alpha=0.6)
        self.c.rect(x, mid - 1.3, length, 2.6, stroke=0, fill=1)
        self.c.setFillAlpha(1)

    def _pace_tick(self, x: float, mid: float) -> None:
        self.c.setStrokeColor(_rgb(TIME_PROGRESS_COLOUR))
        self.c.setLineWidth(1.2)
        self.c.line(x, mid - 4.5, x, mid + 4.5)

    def _triangle(self, x: float, mid: float, *, right: bool) -> None:
        c = self.c
        path = c.beginPath()
        w = 2.6 if right else -2.6
        path.moveTo(x, mid + 2.4)
        path.lineTo(x + w, mid)
        path.lineTo(x, mid - 2.4)
        path.close()
        c.setFillColor(_rgb(ACTUAL_COLOUR))
        c.drawPath(path, stroke=0, fill=1)

    def _today_stroke(self) -> None:
        self.c.setStrokeColor(_rgb(TODAY_COLOUR))
        self.c.setLineWidth(0.9)
        self.c.setDash(3, 2)


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
) -> bytes:
    """The battle map as a vector PDF of A3 landscape pages, tiled top to bottom (group
    bars coloured as on screen: ``thresholds`` as ``build_gantt`` takes them)."""
    text = resolve_labels(labels)
    rows = visible_rows(
        projects, group_by=group_by, collapsed=collapsed, labels=text, thresholds=thresholds
    ).rows
    font = register_cjk_font(font_path)
    scale = _time_window(rows, as_of, x_range)
    rows_top = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT - AXIS_HEIGHT
    rows_bottom = MARGIN + FOOTER_HEIGHT
    pages = _paginate(rows, rows_top - rows_bottom)

    subtitle = f"{text['as_of']} {as_of.isoformat()}"
    if time_progress is not None:
        subtitle += f"　{text['time_progress']} {time_progress:.1%}"
    subtitle += f"　{text[f'group_by.{group_by}']}"
    stamp = f"{title}　{text['as_of']} {as_of.isoformat()}"

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(title)
    canvas.setSubject(subtitle)
    painter = _Painter(
        canvas, font=font, text=text, scale=scale, as_of=as_of, time_progress=time_progress
    )
    for number, page in enumerate(pages, start=1):
        painter.header(title, subtitle)
        top = painter.axis(PAGE_HEIGHT - MARGIN - HEADER_HEIGHT)
        bottom = top - sum(_row_height(row) for row, _ in page)
        y = top
        for row, _ in page:  # shading first, then the grid, then the marks
            if row.is_group:
                painter.group_band(row, y)
            y -= _row_height(row)
        painter.grid(top, bottom)
        y = top
        for row, continued in page:
            if row.is_group:
                painter.group_row(row, y, continued)
            else:
                painter.project_row(row, y)
            y -= _row_height(row)
        painter.today_line(PAGE_HEIGHT - MARGIN - HEADER_HEIGHT, bottom)
        painter.footer(number, len(pages), stamp)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
