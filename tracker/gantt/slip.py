"""How a project's milestone dates moved, dispatch month by dispatch month.

``history`` holds one entry per milestone per month: (dispatch month, milestone
name, planned date as it stood that month). A milestone "slips" in a month when its
planned date is later than in the previous dispatch month. The figure lets a
meeting see "slipped three months running" at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape

import plotly.graph_objects as go

from tracker.gantt.labels import resolve_labels
from tracker.gantt.style import FONT_FAMILY, GRID_COLOUR, TEXT_COLOUR

SlipEntry = tuple[date, str, date]  # (month, milestone name, planned date)

LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _series(history: Iterable[SlipEntry]) -> tuple[list[date], dict[str, dict[date, date]]]:
    """Dispatch months in order, and each milestone's planned date by month (last entry wins)."""
    months: set[date] = set()
    by_name: dict[str, dict[date, date]] = {}
    for month, name, planned in history:
        key = month.replace(day=1)
        months.add(key)
        by_name.setdefault(name, {})[key] = planned
    return sorted(months), by_name


def slip_streaks(history: Iterable[SlipEntry]) -> dict[str, int]:
    """Per milestone, how many dispatch months in a row, ending at the latest, it slipped.

    Months are the dispatch months present in the history; a milestone with no entry
    in a month, or whose date held or moved earlier, breaks its streak.
    """
    months, by_name = _series(history)
    streaks: dict[str, int] = {}
    for name, planned in by_name.items():
        streak = 0
        for later, earlier in zip(reversed(months), reversed(months[:-1]), strict=False):
            if later in planned and earlier in planned and planned[later] > planned[earlier]:
                streak += 1
            else:
                break
        streaks[name] = streak
    return streaks


def slip_trend_figure(
    history: Iterable[SlipEntry],
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """One line per milestone: its planned date (y) as reported each dispatch month (x)."""
    text = resolve_labels(labels)
    entries = list(history)
    months, by_name = _series(entries)
    streaks = slip_streaks(entries)
    traces: list[dict[str, object]] = []
    for index, (name, planned) in enumerate(by_name.items()):
        xs = sorted(planned)
        ys = [planned[m] for m in xs]
        slipped = [i > 0 and ys[i] > ys[i - 1] for i in range(len(ys))]
        streak = streaks[name]
        legend = escape(name, quote=False)  # plotly renders trace names as HTML too
        if streak:  # one slip is not "1 month running": say what it is
            said = text["slip.streak"].format(n=streak) if streak >= 2 else text["slip.once"]
            legend += text["slip.aside"].format(text=said)
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": legend,
                "x": [m.isoformat() for m in xs],
                "y": [d.isoformat() for d in ys],
                "line": {"color": colour, "width": 3.5 if streak >= 2 else 2},
                "marker": {
                    "color": colour,
                    "size": [13 if s else 8 for s in slipped],
                    "symbol": ["triangle-up" if s else "circle" for s in slipped],
                },
                "hovertemplate": (
                    f"<b>{escape(name, quote=False)}</b><br>{text['slip.month']} %{{x|%Y-%m}}"
                    f"<br>{text['slip.planned']} %{{y|%Y-%m-%d}}<extra></extra>"
                ),
            }
        )
    layout = {
        "template": {},
        "title": {"text": escape(title, quote=False) if title else text["slip.title"], "x": 0.01},
        "font": {"family": FONT_FAMILY, "color": TEXT_COLOUR},
        "plot_bgcolor": "#FFFFFF",
        "paper_bgcolor": "#FFFFFF",
        "xaxis": {
            "type": "date",
            "title": {"text": text["slip.month"]},
            "dtick": "M1",
            "tickformat": "%Y-%m",
            "gridcolor": GRID_COLOUR,
            "showline": True,
            "linecolor": TEXT_COLOUR,
        },
        "yaxis": {
            "type": "date",
            "title": {"text": text["slip.planned"]},
            "tickformat": "%Y-%m",
            "gridcolor": GRID_COLOUR,
            "showline": True,
            "linecolor": TEXT_COLOUR,
        },
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "hovermode": "closest",
        "margin": {"t": 80, "l": 70, "r": 20, "b": 50},
        "meta": {"months": [m.isoformat() for m in months], "streaks": streaks},
    }
    return go.Figure({"data": traces, "layout": layout})
