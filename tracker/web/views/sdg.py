"""SDG 进展 (#16): the 17 goals as tiles, each coloured by its indicators' lights and
opening the indicators page filtered to that goal."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from tracker.i18n import light_label, t
from tracker.services.indicators import GoalTile


class SdgIds:
    GRID = "sdg-grid"
    TILE = "sdg-tile-"  # + the goal's number (``tile``)

    @classmethod
    def tile(cls, goal: int) -> str:
        return f"{cls.TILE}{goal}"


def tile(goal: GoalTile, language: str) -> dcc.Link:
    """One goal: its number and name, its light in words, and how many of its indicators
    stand at each light (a bar and a line); grey when no indicator serves it."""
    shade = goal.light.value if goal.light is not None else "none"
    counts = {"red": goal.red, "amber": goal.amber, "green": goal.green}
    bar = [
        html.Span(className=f"seg-{k}", style={"width": f"{100 * n / goal.total:.1f}%"})
        for k, n in counts.items()
        if goal.total and n
    ]
    if goal.total:
        word = light_label(goal.light, language) if goal.light is not None else ""
        line = t("indv.sdg_counts", language, n=goal.total, missing=goal.missing, **counts)
    else:
        word, line = "", t("indv.sdg_empty", language)
    return dcc.Link(
        [
            html.Div(str(goal.goal), className="sdg-num"),
            html.Div(t(f"sdg.short.{goal.goal}", language), className="sdg-name"),
            html.Div(word, className="sdg-light"),
            html.Div(bar, className="sdg-bar"),
            html.Div(line, className="sdg-counts"),
        ],
        href=f"/indicators?goal={goal.goal}",
        id=SdgIds.tile(goal.goal),
        className=f"sdg-tile sdg-tile-{shade}",
        title=t(f"sdg.goal.{goal.goal}", language),
    )


def tiles(children: Sequence[dcc.Link]) -> html.Div:
    return html.Div(list(children), id=SdgIds.GRID, className="sdg-grid")
