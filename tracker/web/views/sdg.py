"""SDG 进展 (#16): the 17 goals as tiles, each coloured by its indicators' lights and
opening the indicators page filtered to that goal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import dcc, html

from tracker.i18n import t

LIGHTS = ("red", "amber", "green", "none")


class SdgIds:
    GRID = "sdg-grid"
    TILE = "sdg-tile-"  # + the goal's number (``tile``)

    @classmethod
    def tile(cls, goal: int) -> str:
        return f"{cls.TILE}{goal}"


def tile(
    goal: int, name: str, light: str | None, counts: Mapping[str, int], language: str
) -> dcc.Link:
    """One goal: its number and name, its light in words, and how many of its indicators
    stand at each light (a bar and a line). ``light``: red | amber | green, or None."""
    shade = light if light in ("red", "amber", "green") else "none"
    total = sum(counts.get(k, 0) for k in LIGHTS)
    bar = [
        html.Span(className=f"seg-{k}", style={"width": f"{100 * counts.get(k, 0) / total:.1f}%"})
        for k in LIGHTS
        if total and counts.get(k, 0)
    ]
    word = t(f"light.{shade}", language) if shade != "none" else t("indv.no_light", language)
    line = (
        t(
            "indv.sdg_counts",
            language,
            n=total,
            **{k: counts.get(k, 0) for k in LIGHTS},
        )
        if total
        else t("indv.sdg_empty", language)
    )
    return dcc.Link(
        [
            html.Div(str(goal), className="sdg-num"),
            html.Div(name, className="sdg-name"),
            html.Div(word if total else "", className="sdg-light"),
            html.Div(bar, className="sdg-bar"),
            html.Div(line, className="sdg-counts"),
        ],
        href=f"/indicators?goal={goal}",
        id=SdgIds.tile(goal),
        className=f"sdg-tile sdg-tile-{shade}",
        title=t("indv.sdg_goal", language, n=goal),
        **{"data-light": shade},
    )


def tiles(children: Sequence[dcc.Link]) -> html.Div:
    return html.Div(list(children), id=SdgIds.GRID, className="sdg-grid")
