"""The battle map (挂图作战): rows in, a plotly figure out. No Dash, no database.

Horizontal bars with a ``base`` on a date axis, one trace per visual kind (plan
bars per light, baselines, progress fills, group summaries, milestones per state,
actual start/finish, the 序时进度 marks), so the payload grows with the number of
rows, not with the number of traces. Rows are numbered top to bottom: a mark's ``y``
is its row number on a hidden linear axis, and the row labels are the categories of
a second y axis laid over it (see ``_layout``). On a plan bar,
``points[0].customdata[0]`` is the project id; on a group summary bar, the group key;
``row_keys`` reads the row map back from those, and ``row_numbers`` a trace's rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from itertools import pairwise
from typing import Any

import plotly.graph_objects as go

from tracker.domain.rules import Thresholds
from tracker.gantt.chains import CHAIN_META, CHAIN_ROW_GROWTH, chain_traces
from tracker.gantt.grouping import GroupSummary, Row, RowPage, visible_rows
from tracker.gantt.labels import display_width, resolve_labels, shorten, wrap_label
from tracker.gantt.rows import LIGHTS, MILESTONE_STATES, GanttMilestone, GanttProject
from tracker.gantt.style import (
    ACTUAL_COLOUR,
    BASELINE_COLOUR,
    FONT_FAMILY,
    GRID_COLOUR,
    GROUP_FILL,
    LIGHT_COLOURS,
    MILESTONE_MARKS,
    PROGRESS_COLOUR,
    TEXT_COLOUR,
    TIME_PROGRESS_COLOUR,
    TODAY_COLOUR,
)

__all__ = ["build_gantt", "gantt_dict", "row_keys", "row_numbers", "visible_rows"]

DAY_MS = 86_400_000

# Bar geometry in row units (rows are 1 apart; y grows downwards).
PLAN_WIDTH = 0.56
PROGRESS_WIDTH = 0.22
BASELINE_WIDTH = 0.14
BASELINE_OFFSET = 0.30  # the baseline runs just under the plan bar
GROUP_WIDTH = 0.42


@dataclass(frozen=True)
class _Look:
    row_px: int
    tick_font: int
    title_font: int
    hover_font: int
    label_width: int  # display columns of a project label on the axis
    group_label_width: int
    marker: int
    outline: float  # plan bar outline; 0 for none
    top_px: int
    wrap: bool = False  # a longer project label wraps onto a second line instead of a cut


NORMAL = _Look(22, 11, 16, 12, 34, 40, 10, 0.0, 118)
# In a meeting every project's whole name shows: on one line up to 48 columns (the label
# column widens to fit), on two lines beyond, and then the rows grow to WRAPPED_ROW_PX.
MEETING = _Look(34, 16, 24, 16, 48, 36, 15, 1.2, 150, wrap=True)
WRAPPED_ROW_PX = 46  # two lines of 16 px type with their leading
MAX_ROW_GROWTH = 1.5  # a meeting page of few rows grows its rows at most this much
# The label font's Latin letters and digits run a little over half an em (Noto Sans CJK);
# CJK characters take a full em.
LATIN_EM = 0.6


class _Shared(list):  # type: ignore[type-arg]
    """A list the figure owns outright: deep copies share it instead of copying it.

    plotly deep-copies every property when a figure is made and again when it is
    serialised; for the thousands of strings in a big chart that copying cost more
    than building them. Nothing mutates these lists after the build.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> _Shared:
        return self


class _SharedDict(dict):  # type: ignore[type-arg]
    """A dict the figure owns outright (see ``_Shared``)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedDict:
        return self


@dataclass
class _Columns:
    """The per-point arrays of one trace, filled row by row."""

    y: list[int] = field(default_factory=list)
    # Bar start or marker date as ISO text: smaller than epoch milliseconds both plain
    # and gzipped; a datetime64 array would be sent with a time of day, 9 bytes more.
    at: list[str] = field(default_factory=list)
    # Bar length in ms as plain JSON integers: as a float64 typed array the figure is
    # a little shorter as text but ~5% larger gzipped (benchmarks/gantt.py measures it).
    length: list[int] = field(default_factory=list)
    hover: list[str] = field(default_factory=list)
    custom: list[Any] = field(default_factory=list)


class _IsoDates(dict[date, str]):
    """``date -> ISO text``, each distinct day formatted once per build.

    Plans fall on few distinct days (month ends, mostly), and a subscript that hits is
    a plain dict lookup.
    """

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


class _Escaped(dict[str, str]):
    """``text -> html-escaped text``, memoised: milestone names repeat across projects."""

    def __missing__(self, text: str) -> str:
        safe = self[text] = _esc(text)
        return safe


_NEEDS_ESCAPE = re.compile(r"[&<>]")


def _esc(text: str) -> str:
    """html.escape, skipped for the common text with nothing to escape. Quotes stay: plotly
    shows ``&quot;`` literally, and a quote opens nothing once ``<`` is escaped."""
    return escape(text, quote=False) if _NEEDS_ESCAPE.search(text) else text


def _iso(d: date) -> str:
    return d.isoformat()


def _rows_y(values: list[int]) -> dict[str, Any]:
    """The ``y`` of a trace: a run of consecutive rows as ``y0`` alone (``dy`` is 1 by
    default), anything else as plain JSON numbers.

    Runs are common: a light's projects in the 红黄绿 view, a page of one measure.
    Otherwise plain numbers, not a base64 typed array: a little longer as text (~4
    bytes a row instead of ~3) but the ascending runs gzip far better, 5-9% off the
    whole gzipped figure (measured in benchmarks/gantt.py). Read ``y`` back with
    ``row_numbers``.
    """
    if len(values) > 1 and values[-1] - values[0] == len(values) - 1 and _consecutive(values):
        return {"y0": values[0]}
    return {"y": _Shared(values)}


def _consecutive(values: list[int]) -> bool:
    return all(b - a == 1 for a, b in pairwise(values))


def row_numbers(trace: Any) -> list[int]:
    """The row of each point of a built trace (``y``, or the run from ``y0``): a plotly
    trace object or a plain dict."""
    y = _get(trace, "y")
    if y is not None:
        return [int(v) for v in y]
    x, y0, dy = _get(trace, "x"), _get(trace, "y0"), _get(trace, "dy")
    count = len(x) if x is not None else 0
    start, step = int(y0 or 0), int(dy if dy is not None else 1)
    return [start + step * i for i in range(count)]


def _plan_template(labels: Mapping[str, str]) -> str:
    # A bar with a base reports its start as %{base} and its end as %{x}. customdata
    # of a plan bar: [id, escaped name, "county · lead unit", whole percent, "：reasons"
    # or "", open problems, the baseline and actual dates as lines or ""]. The line
    # breaks live here, once per trace, not in the points: plotly.py sends "<" and ">"
    # as \u003c and \u003e, twelve bytes for every "<br>" in the data.
    return (
        "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
        f"{labels['plan']} %{{base|%Y-%m-%d}} → %{{x|%Y-%m-%d}}"
        f" · {labels['progress']} %{{customdata[3]}}%<br>"
        "%{fullData.name}%{customdata[4]}%{customdata[6]}"
        f"<br>{labels['open_problems']} %{{customdata[5]}}<extra></extra>"
    )


def _group_hover(row: Row, s: GroupSummary, labels: Mapping[str, str]) -> list[Any]:
    """``customdata`` of a group summary bar: its key first (for clicks), then hover parts."""
    action = labels["click_to_expand"] if row.collapsed else labels["click_to_collapse"]
    return [
        row.key,
        _esc(row.label),
        s.count,
        round(s.progress * 100),
        f"{labels[f'light.{s.light}']}（{labels['light.red']} {s.red} · "
        f"{labels['light.amber']} {s.amber} · {labels['light.green']} {s.green}）",
        action,
    ]


def _group_template(labels: Mapping[str, str]) -> str:
    return (
        f"<b>%{{customdata[1]}}</b>（%{{customdata[2]}} {labels['projects']}）<br>"
        f"{labels['plan']} %{{base|%Y-%m-%d}} → %{{x|%Y-%m-%d}}<br>"
        f"{labels['weighted_progress']} %{{customdata[3]}}% · %{{customdata[4]}}<br>"
        "<i>%{customdata[5]}</i><extra></extra>"
    )


def _milestone_hover(
    m: GanttMilestone, shown: date, labels: Mapping[str, str], names: _Escaped, iso: _IsoDates
) -> str:
    """Hover text of a diamond that is off its plan or its baseline (the rarer case)."""
    text = names[m.name]
    if shown != m.planned:
        text += f" · {labels['plan']} {iso[m.planned]}"
    if m.baseline != m.planned:
        text += f" · {labels['baseline']} {iso[m.baseline]}"
    return text


def _group_label(row: Row, look: _Look) -> str:
    sign = "▸" if row.collapsed else "▾"
    text = _esc(shorten(row.label, look.group_label_width))
    count = f" ({row.summary.count})" if row.collapsed and row.summary else ""
    if row.level == 0:  # areas, or the only level of county / unit / light groups
        return f"<b><span style='font-size:{look.tick_font + 2}px'>{sign} {text}{count}</span></b>"
    return f"<b>{sign} {text}{count}</b>"


def _bar(
    name: str,
    c: _Columns,
    *,
    width: float,
    color: Any,
    offset: float | None = None,
    line: dict[str, Any] | None = None,
    hovertemplate: str | None = None,
    customdata: Any = None,
    showlegend: bool = True,
    legendrank: int = 1000,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "bar",
        "name": name,
        "orientation": "h",
        **_rows_y(c.y),
        "base": _Shared(c.at),
        "x": _Shared(c.length),
        "width": width,
        "marker": {"color": color},
        "legendrank": legendrank,
    }
    # Left out where plotly's default is the same: centred bars, no outline, in the legend.
    if offset is not None:
        trace["offset"] = offset
    if line:
        trace["marker"]["line"] = line
    if not showlegend:
        trace["showlegend"] = False
    if hovertemplate:
        trace["hovertemplate"] = hovertemplate
    else:
        trace["hoverinfo"] = "skip"
    if customdata is not None:
        trace["customdata"] = customdata
    return trace


def _points(
    name: str,
    c: _Columns,
    *,
    marker: dict[str, Any],
    hover: bool = False,
    legendrank: int = 1000,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": _Shared(c.at),
        **_rows_y(c.y),
        "marker": marker,
        "legendrank": legendrank,
    }
    if hover:
        trace["hovertext"] = _Shared(c.hover)
        trace["hovertemplate"] = "<b>%{x|%Y-%m-%d}</b> %{hovertext}<extra>%{fullData.name}</extra>"
    else:
        trace["hoverinfo"] = "skip"
    return trace


@dataclass
class _Collected:
    groups: _Columns = field(default_factory=_Columns)
    baseline: _Columns = field(default_factory=_Columns)
    fill: _Columns = field(default_factory=_Columns)
    pace: _Columns = field(default_factory=_Columns)
    started: _Columns = field(default_factory=_Columns)
    finished: _Columns = field(default_factory=_Columns)
    plan: dict[str, _Columns] = field(default_factory=lambda: {k: _Columns() for k in LIGHTS})
    marks: dict[str, _Columns] = field(
        default_factory=lambda: {k: _Columns() for k in MILESTONE_STATES}
    )
    shading: list[dict[str, Any]] = field(default_factory=list)
    # the label of each row, top to bottom, escaped (categories of the label axis)
    tick_labels: list[str] = field(default_factory=list)
    wrapped: bool = False  # a label took two lines: the rows are drawn taller


def _collect(
    rows: tuple[Row, ...], text: Mapping[str, str], time_progress: float | None, look: _Look
) -> _Collected:
    """The per-point columns of every trace, in one pass over the rows.

    This is the hot loop of a build (a thousand projects with five milestones each is
    over ten thousand points), so it is written for CPython: bound ``append`` methods in
    locals, dates formatted once per distinct day, escaping memoised, no call per point
    in the common cases.
    """
    out = _Collected()
    iso = _IsoDates()
    names = _Escaped()  # milestone names
    who_lines: dict[tuple[str, str], str] = {}  # escaped "county · lead unit"
    unassigned, baseline_word = text["unassigned"], text["baseline"]
    actual_word = text["actual"]
    pace_on = time_progress is not None
    pace_share = time_progress or 0.0

    fill, baseline = out.fill, out.baseline
    fill_y, fill_at, fill_len = fill.y.append, fill.at.append, fill.length.append
    base_y, base_at, base_len = baseline.y.append, baseline.at.append, baseline.length.append
    pace_y, pace_at = out.pace.y.append, out.pace.at.append
    start_y, start_at = out.started.y.append, out.started.at.append
    finish_y, finish_at = out.finished.y.append, out.finished.at.append
    plan = {
        light: (c.y.append, c.at.append, c.length.append, c.custom.append)
        for light, c in out.plan.items()
    }
    marks = {state: (c.y.append, c.at.append, c.hover.append) for state, c in out.marks.items()}
    one_day = timedelta(days=1)
    tick = out.tick_labels.append
    label_width = look.label_width

    for y, row in enumerate(rows):
        p = row.project
        if p is None:  # a group summary row
            tick(_group_label(row, look))
            g = row.summary
            assert g is not None
            span = max((g.finish - g.start).days, 1) * DAY_MS  # at least a day, so it shows
            out.groups.y.append(y)
            out.groups.at.append(iso[g.start])
            out.groups.length.append(span)
            out.groups.custom.append(_group_hover(row, g, text))
            fill_y(y)
            fill_at(iso[g.start])
            fill_len(round(span * g.progress))
            out.shading.append(_row_band(y, row.level))
            continue

        # The label is the code and the name: if it needs no escaping, neither does the name.
        label = row.label
        if look.wrap:
            name = escape(p.name, quote=False)
            lines = wrap_label(label, label_width)
            out.wrapped = out.wrapped or len(lines) > 1
            tick("<br>".join(escape(line, quote=False) for line in lines))
        elif _NEEDS_ESCAPE.search(label) is None:
            name = p.name
            tick(shorten(label, label_width))
        else:
            name = escape(p.name, quote=False)
            tick(escape(shorten(label, label_width), quote=False))

        first, last = p.planned_start, p.planned_finish
        days = (last - first).days
        if days < 1:
            days = 1
        span = days * DAY_MS
        start = iso[first]
        bar_y, bar_at, bar_len, bar_custom = plan[p.light]
        bar_y(y)
        bar_at(start)
        bar_len(span)

        # customdata of a plan bar (see _plan_template)
        who = who_lines.get((p.county, p.lead_unit))
        if who is None:
            who = f"{_esc(p.county or unassigned)} · {_esc(p.lead_unit or unassigned)}"
            who_lines[(p.county, p.lead_unit)] = who
        reasons = p.light_reasons
        why = f"：{_esc('；'.join(reasons))}" if reasons else ""
        extra = ""
        if p.baseline_start != first or p.baseline_finish != last:  # baseline_differs
            extra += f"<br>{baseline_word} {iso[p.baseline_start]} → {iso[p.baseline_finish]}"
            base_y(y)
            base_at(iso[p.baseline_start])
            base_len(max((p.baseline_finish - p.baseline_start).days, 1) * DAY_MS)
        actual_start, actual_finish = p.actual_start, p.actual_finish
        if actual_start is not None or actual_finish is not None:
            shown_start = iso[actual_start] if actual_start is not None else "…"
            shown_finish = iso[actual_finish] if actual_finish is not None else "…"
            extra += f"<br>{actual_word} {shown_start} → {shown_finish}"
            if actual_start is not None:
                start_y(y)
                start_at(shown_start)
            if actual_finish is not None:
                finish_y(y)
                finish_at(shown_finish)
        progress = p.progress
        # The name on its own: the code sits next to it on the axis label.
        bar_custom([p.id, name, who, round(progress * 100), why, p.open_problems, extra])

        if progress > 0:
            fill_y(y)
            fill_at(start)
            fill_len(round(span * progress))
        if pace_on and actual_finish is None:
            pace_y(y)
            ahead = round(days * pace_share)
            pace_at(iso[first + one_day * ahead])

        for m in p.milestones:
            mark_y, mark_at, mark_hover = marks[m.state]
            mark_y(y)
            planned, actual = m.planned, m.actual
            # a reached milestone sits at its actual date
            shown = actual if actual is not None and m.state == "done" else planned
            if shown == planned and m.baseline == planned:  # the common case
                mark_at(iso[planned])
                mark_hover(names[m.name])
            else:
                mark_at(iso[shown])
                mark_hover(_milestone_hover(m, shown, text, names, iso))
    return out


def build_gantt(
    projects: Iterable[GanttProject],
    *,
    as_of: date,
    time_progress: float | None = None,
    group_by: str | None = "measure",
    collapsed: frozenset[str] = frozenset(),
    x_range: tuple[date, date] | None = None,
    page: int = 0,
    page_size: int | None = None,
    labels: Mapping[str, str] | None = None,
    meeting: bool = False,
    title: str | None = None,
    thresholds: Thresholds | None = None,
) -> go.Figure:
    """``gantt_dict``'s figure as a plotly ``Figure`` (exports, tests, benchmarks)."""
    built = gantt_dict(
        projects, as_of=as_of, time_progress=time_progress, group_by=group_by,
        collapsed=collapsed, x_range=x_range, page=page, page_size=page_size, labels=labels,
        meeting=meeting, title=title, thresholds=thresholds,
    )  # fmt: skip
    # The dicts are checked against plotly's schema by the tests; skipping the
    # per-property validation here makes the build several times faster.
    return go.Figure(built, _validate=False)


def gantt_dict(
    projects: Iterable[GanttProject],
    *,
    as_of: date,
    time_progress: float | None = None,
    group_by: str | None = "measure",
    collapsed: frozenset[str] = frozenset(),
    x_range: tuple[date, date] | None = None,
    page: int = 0,
    page_size: int | None = None,
    labels: Mapping[str, str] | None = None,
    meeting: bool = False,
    title: str | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """The battle map of the given projects as of a day (see the module docstring), as
    the plain ``{"data": [...], "layout": {...}}`` plotly.js draws: what a ``Figure`` made
    from it sends (tests/gantt check it against plotly's schema), without the ``Figure``'s
    validation and deep copies.

    ``time_progress`` is the share of the year elapsed (序时进度), shown in the title
    and as a mark on each open project where a fill keeping pace would end.
    ``meeting`` uses large type and outlines for a projector. With ``thresholds`` a group
    bar is coloured as the overview colours the group (``rules.group_light``).
    """
    text = resolve_labels(labels)
    look = MEETING if meeting else NORMAL
    listing = visible_rows(
        projects, group_by=group_by, collapsed=collapsed, page=page, page_size=page_size,
        labels=text, thresholds=thresholds, balanced=meeting,
    )  # fmt: skip

    c = _collect(listing.rows, text, time_progress, look)
    groups, baseline, fill, pace = c.groups, c.baseline, c.fill, c.pace
    started, finished, plan, marks = c.started, c.finished, c.plan, c.marks

    traces: list[dict[str, Any]] = []
    if groups.y:
        traces.append(
            _bar(
                text["group_summary"],
                groups,
                width=GROUP_WIDTH,
                color=[LIGHT_COLOURS[r.summary.light] for r in listing.rows if r.summary],
                line={"color": TEXT_COLOUR, "width": 1},
                hovertemplate=_group_template(text),
                customdata=_Shared(groups.custom),
                showlegend=False,
            )
        )
    if baseline.y:
        traces.append(
            _bar(
                text["baseline"],
                baseline,
                width=BASELINE_WIDTH,
                offset=BASELINE_OFFSET,
                color=BASELINE_COLOUR,
                legendrank=10,
            )
        )
    outline = {"color": TEXT_COLOUR, "width": look.outline} if look.outline else None
    plan_template = _plan_template(text)
    for rank, light in enumerate(LIGHTS):
        if plan[light].y:
            traces.append(
                _bar(
                    text[f"light.{light}"],
                    plan[light],
                    width=PLAN_WIDTH,
                    color=LIGHT_COLOURS[light],
                    line=outline,
                    hovertemplate=plan_template,
                    customdata=_Shared(plan[light].custom),
                    legendrank=rank + 1,
                )
            )
    if fill.y:
        traces.append(
            _bar(text["progress"], fill, width=PROGRESS_WIDTH, color=PROGRESS_COLOUR, legendrank=11)
        )
    if pace.y:
        size, width = look.marker + 6, 2.5 if meeting else 2.0
        traces.append(
            _points(
                text["time_progress_marker"],
                pace,
                marker={
                    "symbol": "line-ns-open",
                    "size": size,
                    "color": TIME_PROGRESS_COLOUR,
                    "line": {"color": TIME_PROGRESS_COLOUR, "width": width},
                },
                legendrank=40,
            )
        )
    for key, cols, symbol, rank in (
        ("actual_start", started, "triangle-right", 30),
        ("actual_finish", finished, "triangle-left", 31),
    ):
        if cols.y:
            traces.append(
                _points(
                    text[key],
                    cols,
                    marker={"symbol": symbol, "size": look.marker - 2, "color": ACTUAL_COLOUR},
                    legendrank=rank,
                )
            )
    for rank, state in enumerate(MILESTONE_STATES):
        if marks[state].y:
            mark = MILESTONE_MARKS[state]
            traces.append(
                _points(
                    text[f"milestone.{state}"],
                    marks[state],
                    marker={
                        "symbol": mark.symbol,
                        "size": look.marker + (2 if state == "overdue" else 0),
                        "color": mark.fill or mark.line,
                        "line": {"color": mark.line, "width": 1.5 if mark.fill else 2},
                    },
                    hover=True,
                    legendrank=20 + rank,
                )
            )

    chains = _chains(listing.rows, text, look)  # #17: the 前期 chains, over their rows
    traces += chains

    if listing.rows:
        traces.append(_label_trace(c.tick_labels, as_of))

    layout = _layout(
        listing,
        text=text,
        look=look,
        as_of=as_of,
        time_progress=time_progress,
        x_range=x_range,
        shading=c.shading,
        title=title,
        group_by=group_by,
        meeting=meeting,
        row_px=_row_px(listing, look, page_size, wrapped=c.wrapped)
        * (CHAIN_ROW_GROWTH if chains else 1),
    )
    return {"data": traces, "layout": layout}


def _chains(rows: tuple[Row, ...], text: Mapping[str, str], look: _Look) -> list[dict[str, Any]]:
    """The chain traces (tracker.gantt.chains) of the rows' projects that carry one, their
    arrays shared rather than deep-copied (see ``_Shared``)."""
    chained = [(y, r.project) for y, r in enumerate(rows) if r.project and r.project.chain]
    if not chained:
        return []
    traces = chain_traces(chained, text, look.marker)
    for trace in traces:
        for key in ("x", "y", "base", "width", "customdata"):
            if key in trace:
                trace[key] = _Shared(trace[key])
        colours = trace.get("marker", {}).get("color")
        if isinstance(colours, list):
            trace["marker"]["color"] = _Shared(colours)
    return traces


def _label_trace(labels: list[str], as_of: date) -> dict[str, Any]:
    """The row labels, top to bottom, as the categories of the label axis "y2".

    Draws nothing (``mode`` none); its x is generated (``x0`` today, ``dx`` 0), not sent,
    and today is inside the view anyway. Two rows with the same label would fall on one
    category, so a repeated label gets zero-width spaces to tell it apart.
    """
    seen: set[str] = set()
    unique = labels
    if len(set(labels)) < len(labels):
        unique = []
        for label in labels:
            while label in seen:
                label += "\u200b"
            seen.add(label)
            unique.append(label)
    return {
        "type": "scatter",
        "mode": "none",
        "y": _Shared(unique),
        "x0": _iso(as_of),
        "dx": 0,
        "yaxis": "y2",
        "hoverinfo": "skip",
        "showlegend": False,
    }


def row_keys(fig: go.Figure | Mapping[str, Any]) -> list[int | str | None]:
    """What each row shows, top to bottom: a project id (int) or a group key (str), of a
    ``Figure`` or of a figure as plain dicts (``gantt_dict``).

    Read from the plan and group bars (``customdata[0]``, at the row number ``y``), so
    the figure sends no separate row map. Consumers outside the builder (the
    open-problem badges, the tests) use this rather than the figure's layout.
    """
    keys: dict[int, int | str] = {}
    for trace in fig["data"] if isinstance(fig, Mapping) else fig.data:
        kind, custom = _get(trace, "type"), _get(trace, "customdata")
        if kind != "bar" or custom is None or _get(trace, "meta") == CHAIN_META:
            continue
        for y, point in zip(row_numbers(trace), custom, strict=True):
            keys[int(y)] = point[0]
    count = max(keys, default=-1) + 1
    return [keys.get(y) for y in range(count)]


def _get(trace: Any, name: str) -> Any:
    """A property of a trace, a plotly object or a plain dict (None when not set)."""
    return trace.get(name) if isinstance(trace, Mapping) else getattr(trace, name)


def _row_band(y: int, level: int) -> dict[str, Any]:
    # The rest of the band (full width, behind the data, no outline) comes from
    # layout.template.layout.shapedefaults, sent once instead of once per group.
    band: dict[str, Any] = {"y0": y - 0.5, "y1": y + 0.5}
    if level:
        band["fillcolor"] = GROUP_FILL[1]
    return band


BAND_DEFAULTS: dict[str, Any] = {
    "type": "rect",
    "xref": "paper",
    "x0": 0,
    "x1": 1,
    "fillcolor": GROUP_FILL[0],
    "line": {"width": 0},
    "layer": "below",
}


def _label_margin(rows: tuple[Row, ...], look: _Look) -> int:
    """Left margin in px that fits the widest (already shortened) row label."""
    widest = 0.0
    project_columns = 0  # of the widest project label, capped at what shorten() keeps
    if look.wrap:
        for row in rows:
            if not row.is_group:
                for line in wrap_label(row.label, look.label_width):
                    widest = max(widest, _text_px(line, look.tick_font))
    for row in rows:
        if row.is_group:
            extra = 4 + (len(str(row.summary.count)) + 3 if row.collapsed and row.summary else 0)
            columns = min(display_width(row.label), look.group_label_width) + extra
            size = look.tick_font + (2 if row.level == 0 else 0)
            widest = max(widest, columns * size * 0.55)  # bold glyphs run a little wider
        elif look.wrap:
            continue
        elif min(2 * len(row.label), look.label_width) > project_columns:
            # measure only a label that could be wider than the widest so far
            project_columns = min(display_width(row.label), look.label_width)
    widest = max(widest, project_columns * look.tick_font * 0.5)
    return round(widest) + 16


def _row_px(listing: RowPage, look: _Look, page_size: int | None, *, wrapped: bool) -> int:
    """Row height: the look's, taller for two-line labels, and in a meeting (balanced pages)
    tall enough that a page of fewer rows fills the screen a full page would."""
    row_px = WRAPPED_ROW_PX if wrapped else look.row_px
    rows = len(listing.rows)
    if not look.wrap or page_size is None or listing.page_count < 2 or not rows:
        return row_px
    groups = sum(1 for r in listing.rows if r.is_group)
    full = (page_size + groups) * look.row_px
    return max(row_px, min(round(full / rows), round(look.row_px * MAX_ROW_GROWTH)))


def _text_px(text: str, size: int) -> float:
    """Width in px of a label line: a full em per wide character, LATIN_EM per other."""
    wide = display_width(text) - len(text)
    return size * (wide + LATIN_EM * (len(text) - wide))


def _layout(
    listing: RowPage,
    *,
    text: Mapping[str, str],
    look: _Look,
    as_of: date,
    time_progress: float | None,
    x_range: tuple[date, date] | None,
    shading: list[dict[str, Any]],
    title: str | None,
    group_by: str | None,
    meeting: bool,
    row_px: int,
) -> dict[str, Any]:
    rows = listing.rows
    n = len(rows)
    rows_range = [max(n, 1) - 0.5, -0.5]
    height = look.top_px + 30 + max(n, 4) * row_px
    heading = _esc(title if title is not None else text["title"])
    heading += f"　{text['as_of']} {_iso(as_of)}"
    if time_progress is not None:
        heading += f"　{text['time_progress']} {time_progress:.1%}"
    if listing.page_count > 1:
        heading += "　" + text["page"].format(page=listing.page + 1, pages=listing.page_count)
    today = _iso(as_of)
    today_line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "layer": "above",
        "x0": today,
        "x1": today,
        "y0": 0,
        "y1": 1,
        "line": {"color": TODAY_COLOUR, "width": 2.5 if meeting else 1.5, "dash": "dash"},
    }
    xaxis: dict[str, Any] = {
        "type": "date",
        "side": "top",
        "showgrid": True,
        "gridcolor": "#9CA3AF" if meeting else GRID_COLOUR,
        "tickformatstops": [
            {"dtickrange": [None, "M1"], "value": "%m-%d"},
            {"dtickrange": ["M1", "M12"], "value": "%Y-%m"},
            {"dtickrange": ["M12", None], "value": "%Y"},
        ],
        "linecolor": TEXT_COLOUR,
        "showline": True,
        "mirror": True,
    }
    if x_range is not None:
        xaxis["range"] = [_iso(x_range[0]), _iso(x_range[1] + timedelta(days=1))]
    return {
        # Not plotly's default template (~6 kB of payload); only the band defaults.
        "template": {"layout": {"shapedefaults": BAND_DEFAULTS}},
        "height": height,
        # Axis ticks and the legend take their font from here.
        "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR, "size": look.tick_font},
        "title": {
            "text": heading,
            "font": {"size": look.title_font},
            "x": 0.01,
            "xanchor": "left",
            "y": 1 - 10 / height,
            "yanchor": "top",
            "yref": "container",
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1 - (look.title_font + 22) / height,
            "yanchor": "top",
            "yref": "container",
        },
        # Margins are computed, not automargin: automargin makes plotly.js draw twice.
        "margin": {"t": look.top_px, "b": 20, "l": _label_margin(rows, look), "r": 24, "pad": 4},
        "barmode": "overlay",
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "hovermode": "closest",
        # The hover box does not inherit the family from layout.font: it is set here too.
        "hoverlabel": {"font": {"size": look.hover_font, "family": FONT_FAMILY}, "align": "left"},
        "xaxis": xaxis,
        # Two y axes over one plot area. The marks sit on "y", a hidden linear axis on
        # which row i is at i. The labels are the categories of "y2", laid over it with
        # the same range: plotly.js lays out a category axis in linear time, whereas a
        # linear axis with a tick per row (tickvals/ticktext, or dtick 1 with
        # labelalias) took seconds to draw at 1,000 rows. One label trace gives "y2" its
        # categories in row order, so each label is sent once.
        "yaxis": {
            "range": rows_range,
            "fixedrange": True,
            "visible": False,
        },
        "yaxis2": {
            "type": "category",
            "overlaying": "y",
            "side": "left",
            "range": rows_range,
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
            "ticks": "",
            "linecolor": TEXT_COLOUR,
            "showline": True,
        },
        "shapes": [*shading, today_line],
        "annotations": [
            {
                "x": today,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "bottom",
                "xanchor": "center",
                "yshift": look.tick_font + 10,  # above the date labels of the top axis
                "text": f"{text['today']} {today}",
                "showarrow": False,
                "font": {"color": TODAY_COLOUR, "size": look.tick_font},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        ],
        "meta": {
            "page": listing.page,
            "page_count": listing.page_count,
            "project_count": listing.project_count,
            "group_by": group_by,
            # what a browser needs to draw a window of the rows (see assets/battle_map.js)
            "row_count": n,
            "row_px": row_px,
        },
    }
