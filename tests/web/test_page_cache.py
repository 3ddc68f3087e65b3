"""A project page's response is kept while no write touches its project (#15), and never
served after one: two apps on one database stand for two gunicorn workers."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import router
from tests.web.signin import sign_in
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import Milestone, Project, User
from tracker.services import milestones, policy
from tracker.services.auth import Actor
from tracker.web.app import create_app


def _app(engine, today: date = DEMO_AS_OF):
    return create_app(load_settings(env={}), engine, today=lambda: today)


def _client(app, engine, username: str, language: str = "zh"):
    with read_session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
    client = app.server.test_client()
    sign_in(client, engine, user)
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def _page(client, project_id: int, search: str = "") -> str:
    response = client.post(
        "/_dash-update-component",
        json=router(f"/projects/{project_id}", search),
        headers={"Accept-Encoding": "identity"},
    )
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def _responses(app):
    return app.server.extensions["tracker.page_responses"]


def _lead_and_projects(engine, username: str = "yunxian") -> tuple[User, Project, Project]:
    with read_session(engine) as s:
        lead = s.exec(select(User).where(User.username == username)).one()
        own = s.exec(select(Project).where(Project.county == lead.county).order_by(Project.id))
        mine, other = list(own)[:2]
        return lead, mine, other


def _open_milestone(engine, project_id: int) -> Milestone:
    with read_session(engine) as s:
        return s.exec(
            select(Milestone)
            .where(Milestone.project_id == project_id)
            .where(Milestone.actual_date == None)  # noqa: E711
            .order_by(Milestone.id)
        ).first()


def _note(engine, lead: User, milestone: Milestone, text: str) -> None:
    with write_session(engine) as s:
        milestones.add_note(
            s,
            actor=Actor.of(lead),
            milestone_id=milestone.id,
            note=text,
            seen_version=milestone.version,
            today=DEMO_AS_OF,
        )


def test_a_project_page_asked_again_is_served_from_the_kept_response(demo_engine):
    app = _app(demo_engine)
    lead, mine, _ = _lead_and_projects(demo_engine)
    client = _client(app, demo_engine, "yunxian")
    first = _page(client, mine.id)
    assert mine.name in first
    hits = _responses(app).hits
    assert _page(client, mine.id) == first
    assert _responses(app).hits == hits + 1


def test_a_note_saved_in_one_worker_is_on_the_next_page_the_other_worker_serves(demo_engine):
    reader = _app(demo_engine)  # a worker holding pages; the save goes through another
    lead, mine, other = _lead_and_projects(demo_engine)
    client = _client(reader, demo_engine, "yunxian")
    before_mine, before_other = _page(client, mine.id), _page(client, other.id)
    milestone = _open_milestone(demo_engine, mine.id)
    note = "施工单位已进场，本周完成场地平整"
    assert note not in before_mine

    _note(demo_engine, lead, milestone, note)  # not through the reader's app: nothing told it

    assert note in _page(client, mine.id), "the kept page of the written project was served"
    hits = _responses(reader).hits
    assert _page(client, other.id) == before_other
    assert _responses(reader).hits == hits + 1, "a save to one project dropped another's page"


def test_a_write_that_is_not_a_project_s_own_drops_every_kept_page(demo_engine):
    app = _app(demo_engine)
    _, mine, _ = _lead_and_projects(demo_engine)
    client = _client(app, demo_engine, "admin")
    _page(client, mine.id)
    settings = load_settings(env={})
    with write_session(demo_engine) as s:
        office = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        current, version = policy.get_thresholds(s, settings)
        policy.set_thresholds(
            s,
            actor=office,
            values={"amber_gap_pp": current.amber_gap_pp + 1},
            seen_version=version,
            settings=settings,
        )
    misses = _responses(app).misses
    _page(client, mine.id)
    assert _responses(app).misses == misses + 1, "new light thresholds can change any page"


def test_readers_of_another_scope_language_or_day_never_get_a_page_kept_for_someone_else(
    demo_engine,
):
    app = _app(demo_engine)
    lead, mine, _ = _lead_and_projects(demo_engine)
    own_lead = _page(_client(app, demo_engine, "yunxian"), mine.id)
    other_lead = _page(_client(app, demo_engine, "gengma"), mine.id)
    leader = _page(_client(app, demo_engine, "leader"), mine.id)
    english = _page(_client(app, demo_engine, "yunxian", "en"), mine.id)
    tomorrow = _page(
        _client(_app(demo_engine, date(2026, 11, 29)), demo_engine, "yunxian"), mine.id
    )
    edit_type = "pj-edit"
    assert edit_type in own_lead, "the county's own lead may edit its milestones"
    assert edit_type not in other_lead and edit_type not in leader
    assert english != own_lead and tomorrow != own_lead


def test_a_form_opened_by_the_address_is_not_kept(demo_engine):
    app = _app(demo_engine)
    lead, mine, _ = _lead_and_projects(demo_engine)
    milestone = _open_milestone(demo_engine, mine.id)
    client = _client(app, demo_engine, "yunxian")
    stored = len(_responses(app))
    _page(client, mine.id, f"?edit={milestone.id}")
    assert len(_responses(app)) == stored


def test_the_kept_pages_stay_within_their_bytes_dropping_the_least_recently_asked():
    from tracker.web.http_cache import Body, PageResponses

    kept = PageResponses(capacity=100)
    version = ("e", 1)
    for n in range(5):
        kept.put(n, version, Body(b"x" * 30, "application/json"))
    kept.get(2)  # asked again: kept over older ones
    kept.put(5, version, Body(b"x" * 30, "application/json"))
    assert len(kept) == 3 and kept.get(2) is not None and kept.get(0) is None


def test_the_overview_is_kept_until_the_next_write_anywhere(demo_engine):
    app = _app(demo_engine)
    lead, _, other = _lead_and_projects(demo_engine)
    client = _client(app, demo_engine, "yunxian")

    def overview() -> str:
        response = client.post("/_dash-update-component", json=router("/"))
        assert response.status_code == 200
        return json.dumps(response.get_json(), ensure_ascii=False)

    first = overview()
    hits = _responses(app).hits
    assert overview() == first and _responses(app).hits == hits + 1
    milestone = _open_milestone(demo_engine, other.id)
    _note(demo_engine, lead, milestone, "已完成设备招标")
    misses = _responses(app).misses
    overview()
    assert _responses(app).misses == misses + 1, "a save anywhere can change the city's figures"


def _battle_map(client, search: str = "") -> str:
    response = client.post(
        "/_dash-update-component",
        json=router("/battle-map", search),
        headers={"Accept-Encoding": "identity"},
    )
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_the_kept_battle_map_is_the_page_a_worker_with_nothing_cached_draws(demo_engine):
    from tracker.db import make_engine
    from tracker.services import battle_map
    from tracker.web.views import battle_map as view

    app = _app(demo_engine)
    client = _client(app, demo_engine, "admin")
    _battle_map(client, "?group=county")  # the view's rows and figure cached, then kept
    kept = _battle_map(client, "?group=county")
    assert _responses(app).hits >= 1
    cold = make_engine(str(demo_engine.url))  # another engine: its own empty caches
    view._drawn.clear()  # the figures and rows kept across engines too
    battle_map._ROWS_MADE.clear()
    try:
        cold_app = _app(cold)
        assert _battle_map(_client(cold_app, cold, "admin"), "?group=county") == kept
    finally:
        cold.dispose()


def test_the_battle_map_is_kept_until_a_write_in_another_worker_changes_it(demo_engine):
    app = _app(demo_engine)
    client = _client(app, demo_engine, "admin")
    first = _battle_map(client)
    hits = _responses(app).hits
    assert _battle_map(client) == first and _responses(app).hits == hits + 1
    _, mine, _ = _lead_and_projects(demo_engine)
    with write_session(demo_engine) as s:  # not through the reader's app: nothing told it
        s.get(Project, mine.id).name = "新名字的挂图项目"
    misses = _responses(app).misses
    after = _battle_map(client)
    assert _responses(app).misses == misses + 1
    assert "新名字的挂图项目" in after and "新名字的挂图项目" not in first


def test_a_county_lead_never_gets_the_battle_map_kept_for_the_office(demo_engine):
    app = _app(demo_engine)
    office = _battle_map(_client(app, demo_engine, "admin"))
    lead = _battle_map(_client(app, demo_engine, "yunxian"))
    english = _battle_map(_client(app, demo_engine, "admin", "en"))
    assert lead != office and english != office
    assert "county=%E4%BA%91%E5%8E%BF" in lead or "云县" in lead  # the lead's own county
