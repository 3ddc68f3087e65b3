"""Plotly figures of the overview and the project page (plotly only; no Dash, no database).

Plotly reads a small HTML subset in every text it draws (tick labels, hover text, bar text),
so every string that may come from a user — project, area, measure and county names — is
passed through ``html.escape`` first. Click-through keys travel in ``customdata``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from tracker.domain.rollups import Rollup
from tracker.domain.rules import Light, Thresholds
from tracker.i18n import light_label, t
from tracker.services.overview import BehindProject, MonthPoint

FONT = "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"
COLORS = {
    "red": "#e03131",
    "amber": "#f08c00",
    "green": "#2f9e44",
    "plan": "#adb5bd",
    "bar": "#4c6ef5",
    "line": "#1c7ed6",
    "progress": "#868e96",
}
CONFIG = {"displayModeBar": False}


def height(fig: go.Figure) -> str:
    """The CSS height a ``dcc.Graph`` needs to show ``fig`` at its layout height."""
    return f"{int(fig.layout.height or 320)}px"


def esc(text: object, limit: int | None = None) -> str:
    """Text for plotly: escaped (plotly renders a subset of HTML) and optionally shortened."""
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    # ``<`` and ``&`` are what plotly reads as markup; it would show ``&quot;`` literally,
    # and quotes cannot open a tag once ``<`` is escaped.
    return html.escape(value, quote=False)


def _layout(fig: go.Figure, *, height: int = 320, legend: bool = False) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        font={"family": FONT, "size": 13, "color": "#343a40"},
        hoverlabel={"font": {"family": FONT, "size": 13}, "bgcolor": "white"},
        showlegend=legend,
        legend={"orientation": "h", "y": 1.1, "x": 0, "font": {"size": 12}},
        bargap=0.35,
        clickmode="event",
        dragmode=False,
    )
    return fig


def _gap_color(gap: float | None, thresholds: Thresholds) -> str:
    if gap is None or gap >= -thresholds.amber_gap_pp:
        return COLORS["green"] if gap is None or gap >= 0 else COLORS["amber"]
    return COLORS["red"] if gap <= -thresholds.red_gap_pp else COLORS["amber"]


def completion_by_group(
    groups: Sequence[Rollup],
    time_progress: float,
    thresholds: Thresholds,
    language: str,
    *,
    label_limit: int = 10,
) -> go.Figure:
    """年度投资完成率 per area or county against 序时进度 (a dashed line)."""
    names = [esc(g.key, label_limit) for g in groups]
    rates = [round((g.rate or 0.0) * 100, 1) for g in groups]
    hover = [
        "<br>".join(
            [
                f"<b>{esc(g.key)}</b>",
                t("fig.projects", language, n=g.projects),
                t(
                    "fig.plan_done",
                    language,
                    plan=f"{g.annual_plan / 10000:,.2f}",
                    done=f"{g.completed_ytd / 10000:,.2f}",
                ),
                t("fig.rate", language, rate=f"{(g.rate or 0) * 100:.1f}"),
                t("fig.gap", language, gap=f"{g.gap_pp:+.1f}" if g.gap_pp is not None else "—"),
            ]
        )
        for g in groups
    ]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=rates,
            marker_color=[_gap_color(g.gap_pp, thresholds) for g in groups],
            text=[f"{r:.1f}%" for r in rates],
            textposition="outside",
            cliponaxis=False,
            customdata=[g.key for g in groups],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    line = round(time_progress * 100, 1)
    fig.add_hline(y=line, line_dash="dash", line_color=COLORS["progress"], line_width=2)
    top = max([*rates, line, 100.0]) * 1.15
    fig.update_yaxes(range=[0, top], ticksuffix="%", fixedrange=True)
    fig.update_xaxes(fixedrange=True, tickangle=0)
    return _layout(fig)


def lights_by_group(groups: Sequence[Rollup], language: str, *, label_limit: int = 10) -> go.Figure:
    """Red, amber and green projects per county (stacked)."""
    names = [esc(g.key, label_limit) for g in groups]
    fig = go.Figure()
    for light, attr in ((Light.GREEN, "green"), (Light.AMBER, "amber"), (Light.RED, "red")):
        counts = [getattr(g, attr) for g in groups]
        fig.add_bar(
            x=names,
            y=counts,
            name=esc(light_label(light, language)),
            marker_color=COLORS[attr],
            customdata=[[g.key, light.value] for g in groups],
            hovertext=[
                f"<b>{esc(g.key)}</b><br>{esc(light_label(light, language))}：{n}"
                for g, n in zip(groups, counts, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(fixedrange=True, title=esc(t("fig.count", language)))
    fig.update_xaxes(fixedrange=True)
    return _layout(fig, legend=True)


def monthly_trend(points: Sequence[MonthPoint], period: date, language: str) -> go.Figure:
    """本月完成投资 per month (bars), year to date (line) and what 序时进度 asks (dashed)."""
    shown = [p for p in points]
    labels = [t("fig.month", language, month=p.month.month) for p in shown]
    done = [p for p in shown if p.month <= period]
    fig = go.Figure()
    fig.add_bar(
        x=labels[: len(done)],
        y=[float(p.completed) / 10000 for p in done],
        name=esc(t("fig.monthly_done", language)),
        marker_color=COLORS["bar"],
        customdata=[p.month.isoformat() for p in done],
        hovertext=[
            t(
                "fig.month_hover",
                language,
                month=p.month.month,
                done=f"{p.completed / 10000:,.2f}",
                n=p.projects,
            )
            for p in done
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    fig.add_scatter(
        x=labels[: len(done)],
        y=[float(p.cumulative) / 10000 for p in done],
        name=esc(t("fig.ytd", language)),
        mode="lines+markers",
        line={"color": COLORS["line"], "width": 3},
        customdata=[p.month.isoformat() for p in done],
        hovertemplate="%{x}：%{y:,.2f}<extra></extra>",
    )
    fig.add_scatter(
        x=labels,
        y=[float(p.expected) / 10000 for p in shown],
        name=esc(t("fig.expected", language)),
        mode="lines",
        line={"color": COLORS["progress"], "dash": "dash", "width": 2},
        hovertemplate="%{x}：%{y:,.2f}<extra></extra>",
    )
    fig.update_yaxes(title=esc(t("unit.yi", language)), fixedrange=True, rangemode="tozero")
    fig.update_xaxes(fixedrange=True, categoryorder="array", categoryarray=labels)
    return _layout(fig, legend=True)


def behind_projects(items: Sequence[BehindProject], language: str) -> go.Figure:
    """The projects furthest behind 序时进度, worst on top."""
    ordered = list(reversed(items))
    labels = [esc(f"{p.code} {p.name}", 22) for p in ordered]
    fig = go.Figure(
        go.Bar(
            x=[p.gap_pp for p in ordered],
            y=labels,
            orientation="h",
            marker_color=[COLORS.get(p.light, COLORS["amber"]) for p in ordered],
            text=[f"{p.gap_pp:+.1f}" for p in ordered],
            textposition="outside",
            cliponaxis=False,
            customdata=[p.id for p in ordered],
            hovertext=[
                "<br>".join(
                    [
                        f"<b>{esc(p.name)}</b>",
                        f"{esc(p.code)} · {esc(p.county)}",
                        t("fig.rate", language, rate=f"{p.rate * 100:.1f}"),
                        t("fig.gap", language, gap=f"{p.gap_pp:+.1f}"),
                    ]
                )
                for p in ordered
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    low = min([p.gap_pp for p in ordered] + [-10.0])
    fig.update_xaxes(range=[low * 1.25, 2], title=esc(t("fig.gap_axis", language)), fixedrange=True)
    fig.update_yaxes(fixedrange=True, automargin=True)
    fig.update_layout(margin={"l": 8, "r": 16, "t": 8, "b": 40})
    return _layout(fig, height=max(220, 34 * len(ordered) + 60))


def project_monthly(
    monthly: Sequence[tuple[date, float, float]],
    annual_plan: float,
    year: int,
    language: str,
) -> go.Figure:
    """One project's year: investment per month, year to date, and the plan's pace."""
    labels = [t("fig.month", language, month=m) for m in range(1, 13)]
    by_month = {d.month: (done, ytd) for d, done, ytd in monthly if d.year == year}
    months = sorted(by_month)
    fig = go.Figure()
    fig.add_bar(
        x=[labels[m - 1] for m in months],
        y=[by_month[m][0] for m in months],
        name=esc(t("fig.monthly_done_wan", language)),
        marker_color=COLORS["bar"],
        hovertemplate="%{x}：%{y:,.2f}<extra></extra>",
    )
    fig.add_scatter(
        x=[labels[m - 1] for m in months],
        y=[by_month[m][1] for m in months],
        name=esc(t("fig.ytd_wan", language)),
        mode="lines+markers",
        line={"color": COLORS["line"], "width": 3},
        hovertemplate="%{x}：%{y:,.2f}<extra></extra>",
    )
    fig.add_scatter(
        x=labels,
        y=[annual_plan * m / 12 for m in range(1, 13)],
        name=esc(t("fig.plan_pace", language)),
        mode="lines",
        line={"color": COLORS["progress"], "dash": "dash", "width": 2},
        hovertemplate="%{x}：%{y:,.2f}<extra></extra>",
    )
    fig.update_yaxes(title=esc(t("unit.wan", language)), fixedrange=True, rangemode="tozero")
    fig.update_xaxes(fixedrange=True, categoryorder="array", categoryarray=labels)
    return _layout(fig, height=280, legend=True)
