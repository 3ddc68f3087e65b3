"""Marks drawn over a built battle map: the open-problem badge at the end of a project's row.

Kept apart from ``figure.py``: it reads only the figure's public contract
(``row_keys``: the project id or group key of each row), so the builder stays free to
change how it draws rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

import plotly.graph_objects as go

from tracker.gantt.figure import row_keys
from tracker.gantt.labels import resolve_labels
from tracker.gantt.rows import GanttProject
from tracker.gantt.style import BADGE_COLOUR

BADGE_AXIS = "x9"  # a hidden 0..1 axis across the plot area: badges sit at its right edge
BADGE_X = 1.0
# The time axis gives up this share of the plot area's width on the right, so a badge sits
# beside the bars, never over them: enough for the badge's inner half (plus a gap) on a
# plot area as narrow as NARROWEST_PLOT_PX; wider plots get more room.
NARROWEST_PLOT_PX = 420
BADGE_GAP_PX = 4


def add_problem_marks(
    fig: go.Figure,
    projects: Iterable[GanttProject],
    *,
    labels: Mapping[str, str] | None = None,
    meeting: bool = False,
) -> go.Figure:
    """Put a red badge with the number of open problems on the right end of each shown
    project row that has any; hovering names the project, clicking it opens the project
    (``customdata[0]`` is the project id, as on the plan bars). Returns ``fig``."""
    margin = fig.layout.margin
    found = _badges(row_keys(fig), projects, labels, meeting, margin.r)
    if found is None:
        return fig
    trace, layout = found
    fig.add_trace(trace)
    # Dicts, not graph objects: the figure skips validation (see figure.py); the tests
    # check these against plotly's schema.
    fig.update_layout(layout)
    return fig


def problem_marks(
    figure: dict[str, Any],
    projects: Iterable[GanttProject],
    *,
    labels: Mapping[str, str] | None = None,
    meeting: bool = False,
) -> dict[str, Any]:
    """``add_problem_marks`` on a figure of plain dicts (``figure.gantt_dict``), which it
    changes in place and returns: the same figure as ``add_problem_marks`` makes."""
    layout = figure["layout"]
    margin = layout.setdefault("margin", {})
    found = _badges(row_keys(figure), projects, labels, meeting, margin.get("r"))
    if found is None:
        return figure
    trace, update = found
    figure["data"].append(trace)
    for name, values in update.items():  # as update_layout merges them
        layout[name] = {**layout.get(name, {}), **values}
    return figure


def _badges(
    rows: list[int | str | None],
    projects: Iterable[GanttProject],
    labels: Mapping[str, str] | None,
    meeting: bool,
    right: int | None,
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The badge trace and the layout it needs (merged into the figure's), or None."""
    text = resolve_labels(labels)
    counts = {p.id: p for p in projects if p.open_problems > 0}
    ys: list[int] = []
    custom: list[list[Any]] = []
    shown: list[str] = []
    for y, key in enumerate(rows):
        p = counts.get(key) if isinstance(key, int) and not isinstance(key, bool) else None
        if p is None:
            continue
        ys.append(y)
        custom.append([p.id, escape(p.name, quote=False), p.open_problems])
        shown.append(str(p.open_problems) if p.open_problems < 100 else "99+")
    if not ys:
        return None
    size = 22 if meeting else 17
    trace = badge_trace(ys, custom, shown, name=text["open_problems"], size=size, meeting=meeting)
    right = right if right is not None else 24
    column = badge_column(size)
    layout = {
        # Its own column right of the time axis, not overlapping it: a subplot laid
        # over another would take its hover and clicks and paint over its bars.
        f"xaxis{BADGE_AXIS[1:]}": {
            "domain": [1 - column, 1],
            "anchor": "y",
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
        },
        "xaxis": {"domain": [0, 1 - column]},
        "margin": {"r": max(right, size // 2 + 10)},
    }
    return trace, layout


def badge_column(size: int) -> float:
    """The share of the plot area's width kept clear of bars for badges of ``size`` px."""
    return (size / 2 + 1.5 + BADGE_GAP_PX) / NARROWEST_PLOT_PX


def badge_trace(
    ys: list[int],
    custom: list[list[Any]],
    shown: list[str],
    *,
    name: str,
    size: int,
    meeting: bool,
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": [BADGE_X] * len(ys),
        "y": ys,
        "xaxis": BADGE_AXIS,
        "mode": "markers+text",
        "name": name,
        "text": shown,
        "textposition": "middle center",
        "textfont": {"color": "#FFFFFF", "size": 13 if meeting else 10, "weight": "bold"},
        "marker": {
            "symbol": "circle",
            "size": size,
            "color": BADGE_COLOUR,
            "line": {"color": "#FFFFFF", "width": 1.5},
        },
        "customdata": custom,
        "hovertemplate": f"<b>%{{customdata[1]}}</b><br>{name} %{{customdata[2]}}<extra></extra>",
        "cliponaxis": False,
        "legendrank": 50,
    }
