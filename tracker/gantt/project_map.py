"""项目一张图: the eight counties' outlines and the projects as points coloured by light.

Drawn on plain x/y axes (longitude, latitude) with the y axis stretched by 1/cos(latitude)
(an equirectangular projection centred on 临沧: distortion under 1% across the city), as
filled ``scatter`` traces. That needs only the basic plotly.js bundle the app already serves
(no geo traces, whose bundle is 4.8 MB and whose base layers and ``locationmode`` would
make plotly.js fetch topojson from cdn.plot.ly), and draws with no map tiles at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from tracker import palette
from tracker.i18n import t
from tracker.services.project_map import MapPoint

CENTRE_LAT = 23.9
OUTLINE = "#868E96"
FILL = "rgba(233, 236, 239, 0.55)"
LIGHT_ORDER = ("green", "amber", "red")  # red drawn last: on top


def _outline(feature: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in feature["geometry"]["coordinates"]:
        for ring in polygon[:1]:  # outer rings only: the counties have no holes to speak of
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _centre(feature: dict[str, Any]) -> tuple[float, float]:
    ring = max((poly[0] for poly in feature["geometry"]["coordinates"]), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def _county_traces(geojson: dict[str, Any]) -> list[go.Scatter]:
    traces = []
    for feature in geojson["features"]:
        xs, ys = _outline(feature)
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=FILL,
                line={"color": OUTLINE, "width": 1.2},
                hoverinfo="skip",
                showlegend=False,
                name=str(feature["id"]),
                meta="county",
            )
        )
    names = [(_centre(f), str(f["id"])) for f in geojson["features"]]
    traces.append(
        go.Scatter(
            x=[c[0] for c, _ in names],
            y=[c[1] for c, _ in names],
            text=[n for _, n in names],
            mode="text",
            textfont={"size": 12, "color": "rgba(73, 80, 87, 0.75)"},
            hoverinfo="skip",
            showlegend=False,
            meta="labels",
        )
    )
    return traces


def _point_traces(points: Sequence[MapPoint], language: str) -> list[go.Scatter]:
    traces = []
    for light in LIGHT_ORDER:
        chosen = [p for p in points if p.light == light]
        if not chosen:
            continue
        label = t(f"light.{light}", language)
        traces.append(
            go.Scatter(
                x=[p.lon for p in chosen],
                y=[p.lat for p in chosen],
                mode="markers",
                marker={
                    "size": 13,
                    "color": palette.light_colour(light),
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                customdata=[[p.id, p.code, p.county] for p in chosen],
                text=[p.name for p in chosen],
                hovertemplate="%{customdata[1]} %{text}<br>%{customdata[2]}<extra></extra>",
                name=label,
                meta="projects",
            )
        )
    return traces


def map_figure(
    geojson: dict[str, Any],
    points: Sequence[MapPoint],
    language: str,
    *,
    chosen: tuple[float, float] | None = None,
) -> go.Figure:
    """The map; ``chosen`` (lat, lon): a place picked for a project, drawn as a cross."""
    fig = go.Figure(_county_traces(geojson) + _point_traces(points, language))
    if chosen is not None:
        fig.add_trace(
            go.Scatter(
                x=[chosen[1]],
                y=[chosen[0]],
                mode="markers",
                marker={"symbol": "x-thin", "size": 18, "line": {"width": 3, "color": "#1C7ED6"}},
                hoverinfo="skip",
                showlegend=False,
                meta="chosen",
            )
        )
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    fig.update_layout(
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(CENTRE_LAT))},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        dragmode="pan",
        hovermode="closest",
        clickmode="event",
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        uirevision="map",
    )
    return fig
