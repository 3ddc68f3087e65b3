"""What a page opens on: the role's own scope, and whether the office has a project list yet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from tracker.services.auth import Actor
from tracker.services.permissions import scope_field
from tracker.services.projects import ProjectFilter, has_project_list

__all__ = ["SCOPE_KEYS", "has_project_list", "landing_county", "landing_filters"]

SCOPE_KEYS = ("county", "lead_unit", "mine")


def landing_filters(query: Mapping[str, Any], actor: Actor) -> ProjectFilter:
    """The filter a page opens with: the URL's when it names a scope, else the role's own —
    a county lead lands on their county, a lead unit on the projects it leads (both may
    widen it afterwards); the office and the leaders see the whole city."""
    filters = ProjectFilter.from_query(query)
    if any(query.get(name) for name in SCOPE_KEYS):
        return filters
    scope = scope_field(actor)
    if scope == "county" and actor.county:
        return replace(filters, county=actor.county)
    if scope == "lead_unit" and actor.lead_unit:
        return replace(filters, mine=True)
    return filters


def landing_county(query: Mapping[str, Any], actor: Actor) -> dict[str, Any]:
    """``query`` with a county lead's own county added when it names none (the battle map,
    whose view state reads the county from its query)."""
    own = scope_field(actor) == "county" and actor.county
    if own and not any(query.get(k) for k in SCOPE_KEYS):
        return {**query, "county": actor.county}
    return dict(query)
