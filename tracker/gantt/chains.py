"""#17: each project's 前期 chain on the battle map — steps, links as arrows, the critical
path. No Dash, no database.

A chain is drawn on its project's own row: the approval steps mostly come before 开工, so
they lead into the plan bar. Parallel steps (环评, 能评, 水保 at once) take lanes inside the
row band (``lanes``); the figure draws chained rows taller. Each mark keeps its row order
(every point of a project lies within its row, rounded to it), so the browser's row window
(assets/battle_map.js) slices these traces as it slices the others. A link is an elbow
from the predecessor's finish (its start for SS) to the successor's start, with an
arrowhead into it; steps and links on the critical path are drawn in CRITICAL_COLOUR (magenta: red is a light).
A step bar's ``customdata[0]`` is the address of the step on its project page, so a click
opens it (assets/tracker.js); these traces carry ``meta`` CHAIN_META and are not rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

from tracker.gantt.rows import MILESTONE_NODE, STEP_STATES, GanttChain, GanttLink, GanttProject

CHAIN_META = "chain"  # the meta of every chain trace: row_keys passes them by
CRITICAL_COLOUR = "#C026D3"  # not a light's red: a red bar's critical steps must stand out
LINK_COLOUR = "#6B7280"
STEP_COLOURS: dict[str, str] = {
    "not_started": "#E5E7EB",
    "in_progress": "#93C5FD",
    "done": "#86EFAC",
    "overdue": "#FDBA74",
}
STEP_EDGE = "#374151"
BAND = 0.84  # the share of a row's height the lanes take
MAX_STEP_WIDTH = 0.3  # a lone step is no fatter than this (row units)
CHAIN_ROW_GROWTH = 2  # chained rows are this many times as tall
DAY_MS = 86_400_000


def lanes(chain: GanttChain) -> tuple[dict[str, int], int]:
    """Each step's lane (0 at the top) and the number of lanes: a step takes the first
    lane whose last step finished before it starts (steps in order of start)."""
    ends: list[date] = []
    lane_of: dict[str, int] = {}
    for step in sorted(chain.steps, key=lambda s: (s.start, s.finish, s.key)):
        for i, end in enumerate(ends):
            if end < step.start:
                ends[i] = step.finish
                lane_of[step.key] = i
                break
        else:
            lane_of[step.key] = len(ends)
            ends.append(step.finish)
    return lane_of, max(len(ends), 1)


def lane_geometry(lane: int, count: int) -> tuple[float, float]:
    """(offset from the row's centre, bar width) of a lane, in row units (y grows down)."""
    pitch = BAND / count
    return round(-BAND / 2 + pitch * (lane + 0.5), 3), round(min(pitch * 0.8, MAX_STEP_WIDTH), 3)


def step_address(project_id: int, step_id: int) -> str:
    """The project page with the step opened (a click on the map goes there)."""
    return f"/projects/{project_id}?step={step_id}"


@dataclass
class _Bars:
    y: list[float] = field(default_factory=list)
    at: list[str] = field(default_factory=list)
    length: list[int] = field(default_factory=list)
    width: list[float] = field(default_factory=list)
    colour: list[str] = field(default_factory=list)
    custom: list[list[Any]] = field(default_factory=list)


@dataclass
class _Lines:
    """Links as two points each (drawn "vh": down or up, then across) and a gap."""

    x: list[str | None] = field(default_factory=list)
    y: list[float | None] = field(default_factory=list)
    head_x: list[str] = field(default_factory=list)  # the arrowheads, into each successor
    head_y: list[float] = field(default_factory=list)


@dataclass
class _Drawn:
    plain: _Bars = field(default_factory=_Bars)
    critical: _Bars = field(default_factory=_Bars)
    links: _Lines = field(default_factory=_Lines)
    critical_links: _Lines = field(default_factory=_Lines)


class _Iso(dict[date, str]):
    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


NONE = "–"  # a float or latest finish not computed


def _collect(rows: Sequence[tuple[int, GanttProject]], text: Mapping[str, str]) -> _Drawn:
    """The per-point columns of the chain traces, projects in row order (a hot loop: a
    thousand projects of twelve steps and sixteen links)."""
    out = _Drawn()
    iso = _Iso()
    names: dict[str, str] = {}
    states = {s: text[f"chain.state.{s}"] for s in STEP_STATES}
    unassigned = text["unassigned"]
    geometry: dict[tuple[int, int], tuple[float, float]] = {}
    for y, p in rows:
        chain = p.chain
        if chain is None or not chain.steps:
            continue
        lane_of, count = lanes(chain)
        where: dict[str, tuple[float, date, date]] = {}  # key -> (y, start, finish)
        for step in sorted(chain.steps, key=lambda s: lane_of[s.key]):
            lane = (lane_of[step.key], count)
            placed = geometry.get(lane)
            if placed is None:
                placed = geometry[lane] = lane_geometry(*lane)
            at = y + placed[0]
            where[step.key] = (at, step.start, step.finish)
            bars = out.critical if step.critical else out.plain
            bars.y.append(at)
            bars.at.append(iso[step.start])
            bars.length.append(max((step.finish - step.start).days, 1) * DAY_MS)
            bars.width.append(placed[1])
            bars.colour.append(STEP_COLOURS[step.state])
            name = names.get(step.name)
            if name is None:
                name = names[step.name] = escape(step.name, quote=False)
            unit = names.get(step.unit)
            if unit is None:
                unit = names[step.unit] = escape(step.unit, quote=False) or unassigned
            bars.custom.append(
                [
                    f"/projects/{p.id}?step={step.id}",  # step_address, inline: hot
                    name,
                    unit,
                    states[step.state],
                    NONE if step.float_days is None else step.float_days,
                    NONE if step.latest_finish is None else iso[step.latest_finish],
                ]
            )
        shown = {
            m.name: (m.actual if m.state == "done" and m.actual else m.planned)
            for m in p.milestones
        }
        for link in chain.links:
            ends = chain_ends(link, where, shown, y)
            if ends is None:
                continue
            lines = out.critical_links if link.critical else out.links
            (x0, y0), (x1, y1) = ends
            end = iso[x1]
            lines.x += (iso[x0], end, None)
            lines.y += (y0, y1, None)
            lines.head_x.append(end)
            lines.head_y.append(y1)
    return out


def chain_ends(
    link: GanttLink,
    where: Mapping[str, tuple[float, Any, Any]],
    milestones: Mapping[str, Any],
    row: float,
) -> tuple[tuple[Any, float], tuple[Any, float]] | None:
    """Where a link leaves its predecessor (its finish; its start for SS) and enters its
    successor (its start), as (x, y); ``where`` holds each step's (y, start, finish) and
    ``milestones`` each milestone's x on the row's centre ``row``. The figure passes dates,
    the PDF points. None when an end is not drawn."""
    start = _end(link.predecessor, where, milestones, row, first=link.kind == "SS")
    finish = _end(link.successor, where, milestones, row, first=True)
    return None if start is None or finish is None else (start, finish)


def _end(
    node: str,
    where: Mapping[str, tuple[float, Any, Any]],
    milestones: Mapping[str, Any],
    row: float,
    *,
    first: bool,
) -> tuple[Any, float] | None:
    if node.startswith(MILESTONE_NODE):
        x = milestones.get(node[len(MILESTONE_NODE) :])
        return None if x is None else (x, row)
    placed = where.get(node)
    if placed is None:
        return None
    return (placed[1] if first else placed[2], placed[0])


def _step_template(text: Mapping[str, str], *, critical: bool) -> str:
    """customdata of a step bar: [address, name, unit, state, float, latest finish]; what
    every point of the trace shares lives here, once."""
    schedule = (
        text["chain.float"].format(days="%{customdata[4]}")
        + " · "
        + text["chain.latest"].format(day="%{customdata[5]}")
    )
    if critical:
        schedule += " · " + text["chain.critical"]
    return (
        "<b>%{customdata[1]}</b> · %{customdata[3]}<br>%{customdata[2]}<br>"
        f"{text['plan']} %{{base|%Y-%m-%d}} → %{{x|%Y-%m-%d}}<br>"
        f"{schedule}<br><i>{text['chain.click']}</i><extra></extra>"
    )


def _bar_trace(
    name: str, bars: _Bars, text: Mapping[str, str], *, critical: bool
) -> dict[str, Any]:
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "meta": CHAIN_META,
        "y": bars.y,
        "base": bars.at,
        "x": bars.length,
        "width": bars.width,
        "marker": {
            "color": bars.colour,
            "line": {
                "color": CRITICAL_COLOUR if critical else STEP_EDGE,
                "width": 2 if critical else 0.6,
            },
        },
        "customdata": bars.custom,
        "hovertemplate": _step_template(text, critical=critical),
        "legendrank": 50 if critical else 51,
    }


def _line_traces(name: str, lines: _Lines, marker: int, *, critical: bool) -> list[dict[str, Any]]:
    """The links' elbows ("vh": from the predecessor's end across the lanes, then along
    into the successor) and their arrowheads."""
    colour = CRITICAL_COLOUR if critical else LINK_COLOUR
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "meta": CHAIN_META,
            "x": lines.x,
            "y": lines.y,
            "line": {"color": colour, "width": 2 if critical else 1, "shape": "vh"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": name,
            "meta": CHAIN_META,
            "x": lines.head_x,
            "y": lines.head_y,
            "marker": {"symbol": "triangle-right", "size": max(marker - 3, 6), "color": colour},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]


def chain_traces(
    rows: Sequence[tuple[int, GanttProject]], text: Mapping[str, str], marker: int
) -> list[dict[str, Any]]:
    """The chain traces of the projects at their rows (``(row number, project)`` in row
    order): links and their arrowheads, critical links and theirs, steps, critical steps.
    Empty when no project carries a chain."""
    drawn = _collect(rows, text)
    traces: list[dict[str, Any]] = []
    if drawn.links.x:
        traces += _line_traces(text["chain.links"], drawn.links, marker, critical=False)
    if drawn.critical_links.x:
        traces += _line_traces(
            text["chain.critical_path"], drawn.critical_links, marker, critical=True
        )
    if drawn.plain.y:
        traces.append(_bar_trace(text["chain.steps"], drawn.plain, text, critical=False))
    if drawn.critical.y:
        traces.append(_bar_trace(text["chain.critical_path"], drawn.critical, text, critical=True))
    return traces


def has_chains(projects: Sequence[GanttProject]) -> bool:
    return any(p.chain is not None and p.chain.steps for p in projects)


__all__ = [
    "CHAIN_META",
    "STEP_STATES",
    "chain_ends",
    "chain_traces",
    "has_chains",
    "lanes",
    "step_address",
]
