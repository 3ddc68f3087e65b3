"""项目一张图 (#18): the projects that pass the battle map's filters, as points where they
are, coloured by light; the ones without a location; and those the reader may place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker.domain.rules import Thresholds
from tracker.services.auth import Actor
from tracker.services.permissions import can, require
from tracker.services.projects import (
    FilterOptions,
    ProjectFilter,
    filter_options,
    filtered_statuses,
)


@dataclass(frozen=True)
class MapPoint:
    id: int
    code: str
    name: str
    county: str
    light: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Placeable:
    """A project the reader may place on the map: id, label, version, current place."""

    id: int
    label: str
    version: int
    located: bool


@dataclass(frozen=True)
class ProjectMap:
    points: tuple[MapPoint, ...]
    missing: int  # projects that pass the filters but have no location yet
    placeable: tuple[Placeable, ...]
    options: FilterOptions


def project_map(
    session: Session,
    *,
    actor: Actor,
    as_of: date,
    thresholds: Thresholds,
    filters: ProjectFilter,
) -> ProjectMap:
    """The map page's data for ``filters`` (the same filters as the battle map's URL)."""
    require(actor, "project.view")
    statuses = filtered_statuses(
        session, as_of=as_of, thresholds=thresholds, filters=filters, actor=actor
    )
    points: list[MapPoint] = []
    placeable: list[Placeable] = []
    missing = 0
    for status in statuses:
        p = status.project
        located = p.latitude is not None and p.longitude is not None
        if located:
            points.append(
                MapPoint(
                    p.id or 0,
                    p.code,
                    p.name,
                    p.county,
                    status.light.value,
                    float(p.latitude or 0),
                    float(p.longitude or 0),
                )
            )
        else:
            missing += 1
        if can(actor, "project.locate", p):
            placeable.append(Placeable(p.id or 0, f"{p.code} {p.name}", p.version, located))
    return ProjectMap(tuple(points), missing, tuple(placeable), filter_options(session))
