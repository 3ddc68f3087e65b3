"""Plotly figures of the overview and the project page (plotly only; no Dash, no database).

Figures are plain dicts (what ``dcc.Graph`` sends anyway): building ``go.Figure`` objects
with a named template validated and deep-copied ~30 ms of work per chart and sent the
whole template to the browser each time.

Plotly reads a small HTML subset in every text it draws (tick labels, hover text, bar text),
so every string that may come from a user — project, area, measure and county names — is
passed through ``html.escape`` first. Click-through keys travel in ``customdata``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from tracker import palette
from tracker.domain.rollups import Rollup
from tracker.domain.rules import Light, Thresholds
from tracker.i18n import light_label, t
from tracker.services.overview import BehindProject, MonthPoint

FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
COLORS = {
    **palette.LIGHT,  # the lights: the one palette (tracker/palette.py)
    "plan": "#adb5bd",
    "bar": "#4c6ef5",
    "line": "#1c7ed6",
    "progress": "#868e96",
}
CONFIG = {"displayModeBar": False}
Figure = dict[str, Any]
AXIS = {
    "gridcolor": "#eef0f4",
    "zerolinecolor": "#d0d5e2",
    "linecolor": "#d0d5e2",
    "fixedrange": True,
    "automargin": True,
}


def height(fig: Figure) -> str:
    """The CSS height a ``dcc.Graph`` needs to show ``fig`` at its layout height."""
    return f"{int(fig['layout'].get('height') or 320)}px"


def esc(text: object, limit: int | None = None) -> str:
    """Text for plotly: escaped (plotly renders a subset of HTML) and optionally shortened."""
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    # ``<`` and ``&`` are what plotly reads as markup; it would show ``&quot;`` literally,
    # and quotes cannot open a tag once ``<`` is escaped.
    return html.escape(value, quote=False)


def _figure(
    data: list[dict[str, Any]],
    *,
    height: int = 320,
    legend: bool = False,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    **layout: Any,
) -> Figure:
    base: dict[str, Any] = {
        "height": height,
        "margin": {"l": 48, "r": 16, "t": 16, "b": 40},
        "font": {"family": FONT, "size": 13, "color": "#343a40"},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "bgcolor": "white"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": legend,
        "legend": {"orientation": "h", "y": 1.12, "x": 0, "font": {"size": 12}},
        "bargap": 0.35,
        "clickmode": "event",
        "dragmode": False,
        "hovermode": "closest",
        "xaxis": {**AXIS, "showgrid": False, **(xaxis or {})},
        "yaxis": {**AXIS, **(yaxis or {})},
    }
    base.update(layout)
    return {"data": data, "layout": base}


def group_colour(group: Rollup, thresholds: Thresholds) -> str:
    """A group's bar colour: its light by the rule table (``rules.group_light``: its
    investment against its own 序时), the same the battle map gives its group bar."""
    return palette.light_colour(group.light(thresholds).value)


def completion_by_group(
    groups: Sequence[Rollup],
    time_progress: float,
    thresholds: Thresholds,
    language: str,
    *,
    label_limit: int = 10,
) -> Figure:
    """年度投资完成率 per area or county: the bar coloured by the group's light, a mark at
    what its projects' own plans ask by now, and the office-wide 序时进度 (a dashed line)."""
    names = [esc(g.key, label_limit) for g in groups]
    rates = [round((g.rate or 0.0) * 100, 1) for g in groups]
    lights = [g.light(thresholds) for g in groups]
    hover = [
        "<br>".join(
            [
                f"<b>{esc(g.key)}</b>　{esc(light_label(light, language))}",
                t("fig.projects", language, n=g.projects),
                t(
                    "fig.plan_done",
                    language,
                    plan=f"{g.annual_plan / 10000:,.2f}",
                    done=f"{g.completed_ytd / 10000:,.2f}",
                ),
                t("fig.rate", language, rate=f"{(g.rate or 0) * 100:.1f}"),
                t(
                    "fig.own_due",
                    language,
                    value=f"{g.due_share * 100:.1f}" if g.due_share is not None else "—",
                ),
                t(
                    "fig.own_gap",
                    language,
                    gap=f"{g.own_gap_pp:+.1f}" if g.own_gap_pp is not None else "—",
                ),
                t("fig.gap", language, gap=f"{g.gap_pp:+.1f}" if g.gap_pp is not None else "—"),
                t("fig.lights_in_group", language, red=g.red, amber=g.amber, green=g.green),
            ]
        )
        for g, light in zip(groups, lights, strict=True)
    ]
    line = round(time_progress * 100, 1)
    due = [round(g.due_share * 100, 1) if g.due_share is not None else None for g in groups]
    top = max([*rates, line, 100.0, *(d for d in due if d is not None)]) * 1.15
    bars = {
        "type": "bar",
        "name": esc(t("fig.rate_label", language)),
        "x": names,
        "y": rates,
        "marker": {"color": [palette.light_colour(light.value) for light in lights]},
        "text": [f"{r:.1f}%" for r in rates],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [[g.key, light.value] for g, light in zip(groups, lights, strict=True)],
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    marks = {
        "type": "scatter",
        "mode": "markers",
        "name": esc(t("fig.own_due_marker", language)),
        "x": names,
        "y": due,
        "marker": {
            "symbol": "line-ew",
            "size": 26,
            "line": {"width": 3, "color": COLORS["line"]},
        },
        "hoverinfo": "skip",
    }
    return _figure(
        [bars, marks],
        yaxis={"range": [0, top], "ticksuffix": "%"},
        xaxis={"tickangle": 0},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": line,
                "y1": line,
                "line": {"dash": "dash", "color": COLORS["progress"], "width": 2},
            }
        ],
    )


def lights_by_group(groups: Sequence[Rollup], language: str, *, label_limit: int = 10) -> Figure:
    """Red, amber and green projects per county (stacked), in the one palette."""
    names = [esc(g.key, label_limit) for g in groups]
    data = []
    for light, attr in ((Light.GREEN, "green"), (Light.AMBER, "amber"), (Light.RED, "red")):
        counts = [getattr(g, attr) for g in groups]
        data.append(
            {
                "type": "bar",
                "x": names,
                "y": counts,
                "name": esc(light_label(light, language)),
                "marker": {"color": COLORS[attr]},
                "customdata": [[g.key, light.value] for g in groups],
                "hovertext": [
                    f"<b>{esc(g.key)}</b><br>{esc(light_label(light, language))}：{n}"
                    for g, n in zip(groups, counts, strict=True)
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return _figure(
        data, legend=True, barmode="stack", yaxis={"title": {"text": esc(t("fig.count", language))}}
    )


def monthly_trend(points: Sequence[MonthPoint], period: date, language: str) -> Figure:
    """本月完成投资 per month (bars), year to date (line) and what 序时进度 asks (dashed)."""
    labels = [t("fig.month", language, month=p.month.month) for p in points]
    done = [p for p in points if p.month <= period]
    data = [
        {
            "type": "bar",
            "x": labels[: len(done)],
            "y": [round(float(p.completed) / 10000, 4) for p in done],
            "name": esc(t("fig.monthly_done", language)),
            "marker": {"color": COLORS["bar"]},
            "customdata": [p.month.isoformat() for p in done],
            "hovertext": [
                t(
                    "fig.month_hover",
                    language,
                    month=p.month.month,
                    done=f"{p.completed / 10000:,.2f}",
                    n=p.projects,
                )
                for p in done
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": labels[: len(done)],
            "y": [round(float(p.cumulative) / 10000, 4) for p in done],
            "name": esc(t("fig.ytd", language)),
            "mode": "lines+markers",
            "line": {"color": COLORS["line"], "width": 3},
            "customdata": [p.month.isoformat() for p in done],
            "hovertemplate": "%{x}：%{y:,.2f}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": labels,
            "y": [round(float(p.expected) / 10000, 4) for p in points],
            "name": esc(t("fig.expected", language)),
            "mode": "lines",
            "line": {"color": COLORS["progress"], "dash": "dash", "width": 2},
            "hovertemplate": "%{x}：%{y:,.2f}<extra></extra>",
        },
    ]
    return _figure(
        data,
        legend=True,
        yaxis={"title": {"text": esc(t("unit.yi", language))}, "rangemode": "tozero"},
        xaxis={"categoryorder": "array", "categoryarray": labels},
    )


def behind_projects(items: Sequence[BehindProject], language: str) -> Figure:
    """The projects furthest behind 序时进度, worst on top."""
    ordered = list(reversed(items))
    low = min([p.gap_pp for p in ordered] + [-10.0])
    bars = {
        "type": "bar",
        "orientation": "h",
        "x": [p.gap_pp for p in ordered],
        "y": [esc(f"{p.code} {p.name}", 22) for p in ordered],
        "marker": {"color": [palette.light_colour(p.light) for p in ordered]},
        "text": [f"{p.gap_pp:+.1f}" for p in ordered],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [p.id for p in ordered],
        "hovertext": [
            "<br>".join(
                [
                    f"<b>{esc(p.name)}</b>",
                    f"{esc(p.code)} · {esc(p.county)}",
                    t("fig.rate", language, rate=f"{p.rate * 100:.1f}"),
                    t("fig.own_due", language, value=f"{p.due_share * 100:.1f}"),
                    t("fig.own_gap", language, gap=f"{p.gap_pp:+.1f}"),
                ]
            )
            for p in ordered
        ],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }
    return _figure(
        [bars],
        height=max(220, 34 * len(ordered) + 60),
        margin={"l": 8, "r": 16, "t": 8, "b": 40},
        xaxis={
            "range": [low * 1.25, 2],
            "showgrid": True,
            "title": {"text": esc(t("fig.gap_axis_own", language))},
        },
    )


def project_monthly(
    monthly: Sequence[tuple[date, float, float]],
    annual_plan: float,
    year: int,
    language: str,
    pace: Sequence[float] | None = None,
) -> Figure:
    """One project's year: investment per month, year to date, and what its own plan asks
    by each month's end (``pace``, 12 amounts: its monthly plan, else its planned dates)."""
    labels = [t("fig.month", language, month=m) for m in range(1, 13)]
    by_month = {d.month: (done, ytd) for d, done, ytd in monthly if d.year == year}
    months = sorted(by_month)
    data = [
        {
            "type": "bar",
            "x": [labels[m - 1] for m in months],
            "y": [by_month[m][0] for m in months],
            "name": esc(t("fig.monthly_done_wan", language)),
            "marker": {"color": COLORS["bar"]},
            "hovertemplate": "%{x}：%{y:,.2f}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [labels[m - 1] for m in months],
            "y": [by_month[m][1] for m in months],
            "name": esc(t("fig.ytd_wan", language)),
            "mode": "lines+markers",
            "line": {"color": COLORS["line"], "width": 3},
            "hovertemplate": "%{x}：%{y:,.2f}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": labels,
            "y": list(pace) if pace else [round(annual_plan * m / 12, 2) for m in range(1, 13)],
            "name": esc(t("fig.plan_pace", language)),
            "mode": "lines",
            "line": {"color": COLORS["progress"], "dash": "dash", "width": 2},
            "hovertemplate": "%{x}：%{y:,.2f}<extra></extra>",
        },
    ]
    return _figure(
        data,
        height=280,
        legend=True,
        yaxis={"title": {"text": esc(t("unit.wan", language))}, "rangemode": "tozero"},
        xaxis={"categoryorder": "array", "categoryarray": labels},
    )


def indicator_trend(
    axis: Sequence[str],
    values: Sequence[float | None],
    path: Sequence[float | None],
    targets: Sequence[float | None],
    pending: Sequence[float | None],
    unit: str,
    language: str,
) -> Figure:
    """An indicator's values against its target (#16), on the periods ``axis`` (oldest
    first): the accepted values (a line), the path to target (dashed: per-year targets where
    set, else linear from the baseline to the target year), the targets themselves
    (diamonds) and values awaiting review (hollow). Each series is aligned with ``axis``;
    None: no point there."""
    labels = [esc(a) for a in axis]

    def series(ys: Sequence[float | None]) -> tuple[list[str], list[float]]:
        pairs = [(x, y) for x, y in zip(labels, ys, strict=True) if y is not None]
        return [x for x, _ in pairs], [y for _, y in pairs]

    hover = "%{x}：%{y:,}<extra>%{fullData.name}</extra>"
    styles = (
        (
            path,
            "indv.fig.path",
            "lines",
            {"color": COLORS["progress"], "dash": "dash", "width": 2},
            {},
        ),
        (
            targets,
            "indv.fig.target",
            "markers",
            None,
            {"symbol": "diamond", "size": 11, "color": COLORS["progress"]},
        ),
        (
            values,
            "indv.fig.value",
            "lines+markers",
            {"color": COLORS["line"], "width": 3},
            {"size": 8},
        ),
        (
            pending,
            "indv.fig.pending",
            "markers",
            None,
            {"symbol": "circle-open", "size": 12, "color": COLORS["amber"], "line": {"width": 2}},
        ),
    )
    data = []
    for ys, key, mode, line, marker in styles:
        xs, points = series(ys)
        if not xs and key in ("indv.fig.pending", "indv.fig.target"):
            continue
        trace: dict[str, Any] = {
            "type": "scatter",
            "x": xs,
            "y": points,
            "name": esc(t(key, language)),
            "mode": mode,
            "connectgaps": True,
            "hovertemplate": hover,
        }
        if line:
            trace["line"] = line
        if marker:
            trace["marker"] = marker
        data.append(trace)
    return _figure(
        data,
        height=300,
        legend=True,
        yaxis={"title": {"text": esc(unit)}},
        xaxis={"categoryorder": "array", "categoryarray": labels, "type": "category"},
    )
