"""The battle map's figure as plain dicts (``figure_dict``) is the figure the graph-objects
build made (``build_gantt`` and ``add_problem_marks``, then the ``Figure``'s JSON), and
what plotly's own validation of it gives back, on the demo office."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tracker.config import load_settings
from tracker.db import read_session
from tracker.gantt.figure import build_gantt
from tracker.gantt.marks import add_problem_marks
from tracker.i18n import gantt_labels
from tracker.models import User
from tracker.services.auth import Actor
from tracker.services.battle_map import ViewState, battle_map_page
from tracker.web.views import battle_map as view

VIEWS = [
    "",
    "chains=1",
    "group=county",
    "group=light&fold=light:red",
    "fold=area:推动旅游产业&fold=measure:推动旅游产业/x",
    "light=red&stage=续建",
    "q=路&zoom=year",
    "zoom=custom&from=2026-01-01&to=2026-12-31&chains=1",
    "meeting=1",
    "meeting=1&chains=1&page=2",
    "group=lead_unit&fold=lead_unit:临翔区交通运输局",
    "group=stage",
]


def _old_chart(data, shown: ViewState, language: str) -> dict:
    """The CHART store as the graph-objects build made it (the build before plain dicts)."""
    labels = gantt_labels(language)
    fig = build_gantt(
        data.projects,
        as_of=data.as_of,
        time_progress=data.time_progress,
        group_by=shown.group_by,
        collapsed=shown.collapsed,
        x_range=shown.window(data.as_of, data.span),
        page=shown.page,
        page_size=view.page_size(shown),
        labels=labels,
        meeting=shown.meeting,
        title=view.figure_title(shown, language, data.areas),
        thresholds=data.thresholds,
    )
    fig = add_problem_marks(fig, data.projects, labels=labels, meeting=shown.meeting)
    meta = dict(fig.layout.meta or {})
    meta["window"] = not shown.meeting and int(meta.get("row_count", 0)) > view.WINDOW_FROM_ROWS
    fig.layout.meta = meta
    return fig.to_plotly_json()


def _json(value) -> object:
    return json.loads(pio.to_json(value, validate=False))


@pytest.mark.parametrize("username", ["admin", "linxiang"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_plain_figure_is_the_graph_objects_figure_for_every_kind_of_view(
    demo_engine, username, language
):
    settings = load_settings(env={})
    with read_session(demo_engine) as s:
        actor = Actor.of(s.exec(select(User).where(User.username == username)).one())
        for query in VIEWS:
            data = battle_map_page(
                s,
                actor=actor,
                as_of=DEMO_AS_OF,
                view=ViewState.from_query(query),
                language=language,
                settings=settings,
            )
            shown = data.view
            fig, chart = view.drawn(data, shown, language)
            assert _json(chart) == _json(_old_chart(data, shown, language)), query
            # plotly's validation of the plain figure gives it back unchanged
            assert _json(go.Figure(fig).to_plotly_json()) == _json(fig), query
            assert view.figure_pages(fig) == view.figure_pages(go.Figure(fig)), query


def test_the_demo_views_compared_have_badges_chains_folds_and_pages(demo_engine):
    """The views above draw what the comparison is meant to cover."""
    settings = load_settings(env={})
    seen = set()
    with read_session(demo_engine) as s:
        actor = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        for query in VIEWS:
            data = battle_map_page(
                s,
                actor=actor,
                as_of=DEMO_AS_OF,
                view=ViewState.from_query(query),
                language="zh",
                settings=settings,
            )
            fig = view.figure_dict(data, data.view, "zh")
            names = {t.get("xaxis") for t in fig["data"]} | {t.get("meta") for t in fig["data"]}
            seen |= {n for n in names if n in ("x9", "chain")}
            if data.view.collapsed and any(
                "▸" in y for t in fig["data"] for y in t.get("y") or [] if isinstance(y, str)
            ):
                seen.add("folded")
            if fig["layout"]["meta"]["page_count"] > 1:
                seen.add("pages")
    assert seen == {"x9", "chain", "folded", "pages"}, seen
