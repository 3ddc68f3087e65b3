"""The project page built as plain dicts (tracker/web/plain.py) and its kept slip figures
(views/slips.py) send exactly what the Dash components, computed afresh, send (#15); and a
write shows on the next answer of another app (two apps on one database: two workers)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, router
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import Milestone, MilestonePlanRecord, Project, ProjectStep, User
from tracker.web import plain
from tracker.web.app import create_app
from tracker.web.fastjson import to_json
from tracker.web.plain import dcc, dmc, html
from tracker.web.views import slips


def _app(engine):
    return create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)


def _client(app, engine, username: str, language: str = "zh"):
    with read_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    client = app.server.test_client()
    sign_in(client, engine, user)
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def _answer(app, client, body: dict) -> str:
    """The answer's text, the kept page responses dropped first (a miss)."""
    app.server.extensions["tracker.page_responses"]._items.clear()
    response = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"}
    )
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _fresh(app, client, body: dict) -> str:
    """The same answer from the Dash components, nothing kept."""
    slips._figure.cache_clear()
    with plain.as_components():
        return _answer(app, client, body)


def _refresh(app, project_id: int) -> dict:
    values = {"pj-refresh.data": 1, "pj-project.data": project_id}
    return forge(app, "refresh_project_page", values)


def _steps_refresh(app, project_id: int) -> dict:
    values = {"ps-refresh.data": 1, "ps-project.data": project_id}
    return forge(app, "refresh_project_steps", values)


def _slip_figure(answer: str) -> dict:
    """The slip trend's figure in an answer."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == slips.SlipIds.FIGURE:
                return node["props"]["figure"]
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                if (found := walk(child)) is not None:
                    return found
        return None

    found = walk(json.loads(answer))
    assert found is not None, "no slip figure"
    return found


def _projects(engine) -> dict[str, int]:
    with read_session(engine) as s:
        own = s.exec(select(Project.id).where(Project.county == "云县").order_by(Project.id))
        stepped = s.exec(select(ProjectStep.project_id).order_by(ProjectStep.id)).first()
        slipped = s.exec(
            select(Milestone.project_id)
            .join(MilestonePlanRecord, MilestonePlanRecord.milestone_id == Milestone.id)
            .order_by(MilestonePlanRecord.planned_date.desc())
        ).first()
        found = {"own": list(own)[0], "steps": stepped, "slips": slipped}
    assert None not in found.values(), found
    return found


def test_a_plain_component_is_the_dict_the_dash_component_sends():
    built = [
        lambda: html.Div([html.Span("x", className="a"), None], id="q", className=None),
        lambda: html.Div(),
        lambda: dmc.Badge("x", variant="light", color="red", size="sm"),
        lambda: dmc.Progress(value=3, size="sm", mt=6),  # no children prop
        lambda: dcc.Store(id="s", data={"a": 1}),
        lambda: dmc.Button("y", id={"type": "t", "index": 2}, size="xs"),
        lambda: html.Div(children=["given by name"], role="alert"),
    ]
    for build in built:
        with plain.as_components():
            expected = to_json(build())
        assert isinstance(build(), dict) and to_json(build()) == expected  # key order too
    with pytest.raises(KeyError):
        html.Div("x", notAProp=1)


@pytest.mark.parametrize(
    ("username", "language"),
    [("yunxian", "zh"), ("yunxian", "en"), ("gengma", "zh"), ("admin", "zh"), ("leader", "en")],
)
def test_the_project_page_is_the_json_the_dash_components_give(demo_engine, username, language):
    app = _app(demo_engine)
    client = _client(app, demo_engine, username, language)
    projects = _projects(demo_engine)
    with read_session(demo_engine) as s:
        step = s.exec(select(ProjectStep).order_by(ProjectStep.id)).first()
        milestone = s.exec(
            select(Milestone).where(Milestone.project_id == projects["own"]).order_by(Milestone.id)
        ).first()
    bodies = [router("/projects/999999")]
    for project_id in projects.values():
        bodies += [
            router(f"/projects/{project_id}"),
            _refresh(app, project_id),
            _steps_refresh(app, project_id),
        ]
    bodies += [
        router(f"/projects/{projects['own']}", f"?edit={milestone.id}"),
        router(f"/projects/{step.project_id}", f"?step={step.id}"),
    ]
    for body in bodies:
        assert _answer(app, client, body) == _fresh(app, client, body), body


def test_a_moved_milestone_shows_on_the_next_refresh_of_another_worker(demo_engine):
    reader = _app(demo_engine)  # holds kept figures; the write goes around it
    client = _client(reader, demo_engine, "yunxian")
    project_id = _projects(demo_engine)["slips"]
    body = _refresh(reader, project_id)
    before = _answer(reader, client, body)
    with write_session(demo_engine) as s:
        moved = s.exec(
            select(Milestone)
            .where(Milestone.project_id == project_id)
            .where(Milestone.actual_date == None)  # noqa: E711
            .order_by(Milestone.id)
        ).first()
        moved.planned_date += timedelta(days=45)
        new_date = moved.planned_date.isoformat()
    after = _answer(reader, client, body)
    assert new_date not in json.dumps(_slip_figure(before)) and new_date in json.dumps(
        _slip_figure(after)
    )
    assert after == _fresh(_app(demo_engine), client, body)


def test_a_renamed_step_shows_on_the_next_page_of_another_worker(demo_engine):
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "admin")
    project_id = _projects(demo_engine)["steps"]
    page = router(f"/projects/{project_id}")
    before = _answer(reader, client, page)
    with write_session(demo_engine) as s:
        step = s.exec(select(ProjectStep).where(ProjectStep.project_id == project_id)).first()
        step.name = "用地预审与选址意见书（重新办理）"
    after = _answer(reader, client, page)
    assert "重新办理" not in before and "重新办理" in after
    assert after == _fresh(_app(demo_engine), client, page)
