"""The overview drawn once per set of values it is drawn from (#15): the same text as a fresh
drawing, drawn again after a save elsewhere only when the save changes what it shows. Two
apps on one database stand for two gunicorn workers."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlmodel import col, select

from tests.conftest import DEMO_AS_OF
from tests.web.dashcalls import forge, router
from tests.web.test_page_cache import _app, _client, _note
from tracker.db import read_session, write_session
from tracker.models import Milestone, MonthlyReport, Project, User
from tracker.services import milestones
from tracker.services.auth import Actor
from tracker.services.milestones import START_MILESTONE
from tracker.services.status import reference_period
from tracker.web.drawn import Drawings
from tracker.web.views.overview import DRAWN, INDICATORS_DRAWN

ASKS = (
    ("page", ""),
    ("page", "?county=云县"),
    ("filter", {"ov-county.value": "云县"}),
    ("filter", {"ov-area.value": "推动旅游产业"}),
)


def _ask(app, client, kind: str, what) -> str:
    body = router("/", what) if kind == "page" else forge(app, "refresh_overview", what)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.status_code
    return json.dumps(response.get_json(), ensure_ascii=False)


def _every(app, client) -> list[str]:
    app.server.extensions["tracker.page_responses"]._items.clear()  # drawn, not served kept
    return [_ask(app, client, kind, what) for kind, what in ASKS]


def _afresh(engine, username: str, language: str = "zh") -> list[str]:
    """What a new worker draws, nothing kept anywhere."""
    DRAWN.clear()
    INDICATORS_DRAWN.clear()
    app = _app(engine)
    return _every(app, _client(app, engine, username, language))


def test_a_kept_drawing_is_the_text_a_fresh_drawing_gives(demo_engine):
    for username, language in (("admin", "zh"), ("yunxian", "zh"), ("yunxian", "en")):
        app = _app(demo_engine)
        client = _client(app, demo_engine, username, language)
        first = _afresh(demo_engine, username, language)
        hits = DRAWN.hits
        assert _every(app, client) == first
        assert DRAWN.hits == hits + len(ASKS)
    assert "推动旅游产业" in first[3]


def _not_started(engine) -> tuple[User, Milestone]:
    """A project due to start that has not, its 开工建设 milestone and its county's lead."""
    with read_session(engine) as s:
        project, milestone = s.exec(
            select(Project, Milestone)
            .join(Milestone, col(Milestone.project_id) == Project.id)
            .where(col(Project.actual_start).is_(None), Project.planned_start <= DEMO_AS_OF)
            .where(Milestone.name == START_MILESTONE, col(Milestone.actual_date).is_(None))
            .order_by(Project.id)
        ).first()
        lead = s.exec(select(User).where(User.county == project.county)).first()
        return lead, milestone


def test_a_note_saved_elsewhere_is_not_drawn_again_but_a_project_started_is(demo_engine):
    lead, milestone = _not_started(demo_engine)
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, lead.username)
    before = _every(reader, client)

    _note(demo_engine, lead, milestone, "已完成设备招标")
    misses = DRAWN.misses
    assert _ask(reader, client, "page", "") == before[0]  # the kept response is dropped …
    assert DRAWN.misses == misses, "… but a note changes no figure of the overview"

    with write_session(demo_engine) as s:
        milestones.mark_done(
            s,
            actor=Actor.of(lead),
            milestone_id=milestone.id,
            actual_date=DEMO_AS_OF,
            seen_version=milestone.version + 1,  # the note's save
            today=DEMO_AS_OF,
        )
    after = _every(reader, client)
    assert after[0] != before[0], "a project started changes the county's figures"
    assert after == _afresh(demo_engine, lead.username)


def test_a_report_changed_elsewhere_is_on_the_next_overview(demo_engine):
    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "admin")
    before = _every(reader, client)
    with read_session(demo_engine) as s:
        period = reference_period(s, as_of=DEMO_AS_OF)
    with write_session(demo_engine) as s:
        report = s.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == period, MonthlyReport.status == "submitted")
            .order_by(MonthlyReport.id)
        ).first()
        report.completed_month += Decimal("5000")
        report.completed_ytd += Decimal("5000")
        s.add(report)
    after = _every(reader, client)
    assert after[0] != before[0]
    assert after == _afresh(demo_engine, "admin")


def test_drawings_stay_within_their_bytes_and_tell_1_0_from_1_00():
    drawings = Drawings(capacity=200)
    made = []

    def draw(value):
        made.append(value)
        return {"text": str(value)}

    assert drawings.draw((Decimal("1.0"),), lambda: draw(Decimal("1.0"))) == {"text": "1.0"}
    assert drawings.draw((Decimal("1.00"),), lambda: draw(Decimal("1.00"))) == {"text": "1.00"}
    assert drawings.draw((Decimal("1.0"),), lambda: draw(None)) == {"text": "1.0"}
    assert len(made) == 2
    for n in range(10):
        drawings.draw((n,), lambda n=n: {"text": "x" * 50 + str(n)})
    assert len(drawings) < 5


def test_the_plain_elements_are_the_text_the_components_give(demo_engine, monkeypatch):
    """The late list and the light chips are written as the JSON Dash sends for their
    components (``overview._plain``): every answer is the same text as when they are
    built as components, for the office and a county lead, in both languages."""
    from tracker.web.views import overview as view

    asked = [("admin", "zh"), ("admin", "en"), ("yunxian", "zh"), ("yunxian", "en")]
    plain = [_afresh(demo_engine, username, language) for username, language in asked]
    with monkeypatch.context() as patch:
        patch.setattr(view, "_plain", lambda kind, children=None, **props: kind(children, **props))
        built = [_afresh(demo_engine, username, language) for username, language in asked]
    assert plain == built
    assert all("cell-behind" in texts[0] for texts in plain[:2])  # the office's late list
    assert all("light-chip-red" in text for texts in plain for text in texts[:2])


def test_an_indicator_system_renamed_in_another_worker_is_on_the_next_overview(demo_engine):
    """The indicators under the overview are drawn by their own values: kept over a save
    that changes the plan's figures, drawn again when another worker changes them."""
    from tracker.db import make_engine
    from tracker.models import IndicatorSystem

    reader = _app(demo_engine)
    client = _client(reader, demo_engine, "admin")
    first = _every(reader, client)[0]
    drawn = INDICATORS_DRAWN.hits
    DRAWN.clear()  # the page drawn again (as after a save that changes its figures) …
    assert _every(reader, client)[0] == first
    assert INDICATORS_DRAWN.hits == drawn + 2  # … its indicators not (the two pages asked)
    other = make_engine(str(demo_engine.url))  # another worker renames a system
    try:
        with write_session(other) as s:
            system = s.exec(select(IndicatorSystem).order_by(IndicatorSystem.id)).first()
            old, system.name = system.name, "新的指标体系名称"
            s.add(system)
    finally:
        other.dispose()
    after = _every(reader, client)[0]
    assert "新的指标体系名称" in after and old not in after
    assert after == _afresh(demo_engine, "admin")[0]
