"""The project page's milestone slip trend: planned dates dispatch month by dispatch month,
and a sentence for each milestone that slipped several months running."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

from tracker.gantt.slip import slip_streaks, slip_trend_figure
from tracker.i18n import gantt_labels, t
from tracker.services.projects import ProjectDetail
from tracker.web import ui
from tracker.web.plain import Plain, dcc, dmc, html

STREAK_WORTH_SAYING = 2  # one slip is a change of plan; two in a row is a pattern
FIGURE_HEIGHT = 340
FIGURES_KEPT = 512  # per worker: every project's trend in both languages, ~2 kB each

SlipEntry = tuple[date, str, date]


class SlipIds:
    FIGURE = "pj-slip-chart"
    STREAKS = "pj-slip-streaks"


def _names(names: Sequence[str], language: str) -> str:
    quoted = [f"“{n}”" for n in names]
    if language != "en":
        return "、".join(quoted)
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def streak_sentences(history: Sequence[SlipEntry], language: str) -> list[str]:
    """'节点“X”已连续 3 个月推迟，计划日期由 … 推至 …' for each milestone slipping running."""
    streaks = slip_streaks(history)
    out: list[str] = []
    for name, months in streaks.items():
        if months < STREAK_WORTH_SAYING:
            continue
        dates = [planned for _, n, planned in sorted(history, key=lambda e: e[0]) if n == name]
        first, last = dates[-months - 1], dates[-1]
        out.append(
            t(
                "project.slip_streak",
                language,
                name=name,
                n=months,
                first=first.isoformat(),
                last=last.isoformat(),
            )
        )
    return out


def slipped_once(history: Sequence[SlipEntry]) -> list[str]:
    """The milestones that slipped in the latest month but not the month before."""
    return [name for name, months in slip_streaks(history).items() if months == 1]


@functools.lru_cache(maxsize=FIGURES_KEPT)
def _figure(history: tuple[SlipEntry, ...], language: str) -> dict[str, Any]:
    """The trend's figure as the JSON Dash sends, kept per its entries and language: plotly's
    validation of a ``go.Figure`` was a tenth of the project page's CPU, and the entries
    change once a month, not with the notes and dates saved every minute. A pure function of
    its arguments, so never stale; the dict is shared: nobody may change it."""
    figure = slip_trend_figure(history, labels=gantt_labels(language))
    figure.update_layout(height=FIGURE_HEIGHT, title=None, margin={"t": 40})
    return figure.to_plotly_json()


def slip_section(detail: ProjectDetail, language: str) -> Plain:
    history = detail.slips
    title = t("project.slip_trend", language)
    if not history:
        return ui.section(
            title, dmc.Text(t("project.slip_no_history", language), c="dimmed", size="sm")
        )
    sentences = streak_sentences(history, language)
    figure = _figure(tuple(history), language)
    once = slipped_once(history)
    if sentences:
        if once:
            sentences.append(t("project.slip_once_also", language, names=_names(once, language)))
        note: Any = dmc.Alert(
            [html.Div(s) for s in sentences],
            color="red",
            variant="light",
            id=SlipIds.STREAKS,
            mb="sm",
        )
    else:
        # the sentence agrees with the legend: a milestone that slipped once is named as such
        said = (
            t("project.slip_once", language, names=_names(once, language))
            if once
            else t("project.slip_none", language)
        )
        note = dmc.Text(said, c="dimmed", size="sm", id=SlipIds.STREAKS, mb="xs")
    return ui.section(
        title,
        note,
        dcc.Graph(
            id=SlipIds.FIGURE,
            figure=figure,
            config={"displayModeBar": False, "responsive": True},
            style={"height": f"{FIGURE_HEIGHT}px"},
        ),
    )
