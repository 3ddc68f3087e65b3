"""项目一张图 (/map): the filters (the battle map's, in the same URL query), the map, and
for those who may, placing a project by a click on the map. Layout only."""

from __future__ import annotations

from typing import Any

import dash_mantine_components as dmc
import plotly.graph_objects as go
from dash import dcc, html

from tracker.domain.geo import counties_geojson
from tracker.domain.photos import place_text
from tracker.gantt.project_map import map_figure
from tracker.i18n import t
from tracker.services.battle_map import ViewState
from tracker.services.project_map import ProjectMap
from tracker.web import ui


class MapIds:
    GRAPH = "mp-graph"
    COUNT = "mp-count"
    SEARCH = "mp-search"
    COUNTY = "mp-county"
    AREA = "mp-area"
    LIGHT = "mp-light"
    QUERY = "mp-query"  # Store: the URL query (assets/tracker.js replaceQuery)
    BATTLE_LINK = "mp-battle-link"
    POINT = "mp-point"  # Store: {"lat", "lon"} picked by a click (assets/media.js)
    LOCATE_PROJECT = "mp-locate-project"
    LOCATE_SAVE = "mp-locate-save"
    VERSIONS = "mp-versions"  # Store: {project id: version} of the placeable projects
    CHOSEN = "mp-chosen"
    REFRESH = "mp-refresh"  # Store: bumped after a location is saved


def figure(data: ProjectMap, language: str, point: Any = None) -> go.Figure:
    chosen = None
    if isinstance(point, dict) and isinstance(point.get("lat"), int | float):
        chosen = (float(point["lat"]), float(point.get("lon") or 0))
    return map_figure(counties_geojson(), data.points, language, chosen=chosen)


def count_text(data: ProjectMap, language: str) -> str:
    return t("map.count", language, shown=len(data.points), missing=data.missing)


def battle_link(view: ViewState) -> str:
    query = view.to_query()
    return "/battle-map" + (f"?{query}" if query else "")


def placeable_options(data: ProjectMap) -> list[dict[str, str]]:
    return [{"value": str(p.id), "label": p.label} for p in data.placeable]


def versions(data: ProjectMap) -> dict[str, int]:
    return {str(p.id): p.version for p in data.placeable}


def chosen_text(point: Any, language: str) -> str:
    if not isinstance(point, dict) or not isinstance(point.get("lat"), int | float):
        return t("location.hint", language)
    return t("location.chosen", language, place=place_text(point["lat"], point.get("lon")))


def _locate_bar(data: ProjectMap, language: str, *, may_locate: bool) -> Any:
    if not may_locate:
        return None
    return html.Div(
        [
            dmc.Select(
                id=MapIds.LOCATE_PROJECT,
                data=placeable_options(data),
                label=t("map.locate_for", language),
                placeholder=t("map.pick_project", language),
                searchable=True,
                clearable=True,
                size="sm",
                w=300,
            ),
            dmc.Button(t("location.save", language), id=MapIds.LOCATE_SAVE, size="sm"),
            dmc.Text(chosen_text(None, language), id=MapIds.CHOSEN, size="sm", c="dimmed"),
        ],
        className="map-locate",
    )


def page(data: ProjectMap, view: ViewState, language: str, *, may_locate: bool) -> html.Div:
    options = data.options
    filters = dmc.Group(
        [
            ui.search_filter(MapIds.SEARCH, view.q, language, 170),
            ui.filter_select(
                MapIds.COUNTY,
                options.counties,
                view.county,
                t("filter.all_counties", language),
                130,
            ),
            ui.filter_select(
                MapIds.AREA, options.areas, view.area, t("filter.all_areas", language), 128
            ),
            ui.light_filter(MapIds.LIGHT, view.light, language),
            dcc.Link(t("nav.battle_map", language), href=battle_link(view), id=MapIds.BATTLE_LINK),
        ],
        gap="xs",
        className="filter-bar map-filters",
    )
    config = {"displaylogo": False, "scrollZoom": True, "responsive": True}
    config["modeBarButtonsToRemove"] = ["select2d", "lasso2d", "toImage"]
    return html.Div(
        [
            ui.page_title(t("map.title", language)),
            filters,
            html.Div(count_text(data, language), id=MapIds.COUNT, className="map-count"),
            _locate_bar(data, language, may_locate=may_locate),
            dcc.Graph(
                id=MapIds.GRAPH,
                figure=figure(data, language),
                config=config,
                className="map-graph",
                style={"height": "72vh", "minHeight": "380px"},
            ),
            dcc.Store(id=MapIds.QUERY, data=view.to_query()),
            dcc.Store(id=MapIds.POINT),
            dcc.Store(id=MapIds.VERSIONS, data=versions(data)),
            dcc.Store(id=MapIds.REFRESH),
        ],
        className="page map-page",
    )
