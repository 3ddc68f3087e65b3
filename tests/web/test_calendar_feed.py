"""The calendar feed: a county lead makes a private URL, a phone fetches it without a login,
a rescheduled milestone moves in it; a new URL ends the old one; a disabled account's stops."""

from __future__ import annotations

import hashlib
import re

import icalendar
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import CalendarToken, Milestone, Project, ProjectStep, User
from tracker.services import milestones, users
from tracker.services.auth import SYSTEM, Actor
from tracker.web.app import create_app


def _client(engine):
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    return app.server.test_client()


def _login(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf, "next": "/"},
    )
    assert response.status_code == 302


def _new_url(client) -> str:
    page = client.get("/calendar").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/calendar", data={"csrf_token": csrf})
    assert response.status_code == 200
    return re.search(r'value="(http[^"]+\.ics)"', response.get_data(as_text=True)).group(1)


def _events(client, url: str) -> dict[str, icalendar.Event]:
    response = client.get(url.split("localhost", 1)[1])
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    feed = icalendar.Calendar.from_ical(response.get_data())
    return {str(e["UID"]): e for e in feed.walk("VEVENT")}


def test_a_county_leads_feed_holds_their_milestones_and_follows_a_reschedule(demo_engine):
    lead = _client(demo_engine)
    _login(lead, "linxiang")
    url = _new_url(lead)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")

    with read_session(demo_engine) as session:
        user = session.exec(select(User).where(User.username == "linxiang")).one()
        stored = session.get(CalendarToken, user.id)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
        mine = session.exec(select(Project.id).where(Project.county == user.county)).all()
        open_milestones = session.exec(
            select(Milestone).where(Milestone.project_id.in_(mine), Milestone.actual_date.is_(None))
        ).all()
        open_steps = session.exec(
            select(ProjectStep.id).where(
                ProjectStep.project_id.in_(mine),
                ProjectStep.actual_finish.is_(None),
                ProjectStep.planned_finish.is_not(None),
            )
        ).all()
        moved = open_milestones[0]
        project = session.get(Project, moved.project_id)

    phone = _client(demo_engine)  # a calendar app: no login
    events = _events(phone, url)
    assert len(events) == len(open_milestones) + len(open_steps) > 0
    event = next(e for uid, e in events.items() if uid.startswith(f"milestone-{moved.id}@"))
    assert event.decoded("DTSTART") == moved.planned_date
    assert str(event["SUMMARY"]) == f"节点：{moved.name} · {project.name}"

    new_day = moved.planned_date.replace(year=moved.planned_date.year + 1)
    with write_session(demo_engine) as session:
        office = session.exec(select(User).where(User.username == "admin")).one()
        milestones.reschedule(
            session,
            actor=Actor.of(office),  # the office: no approval to wait for
            milestone_id=moved.id,
            new_date=new_day,
            reason="征迁延后",
            seen_version=moved.version,
            today=DEMO_AS_OF,
        )
    event = next(
        e for uid, e in _events(phone, url).items() if uid.startswith(f"milestone-{moved.id}@")
    )
    assert event.decoded("DTSTART") == new_day
    assert int(event["SEQUENCE"]) == moved.version + 1  # the phone replaces the old event


def test_a_new_url_ends_the_old_one_and_a_disabled_account_has_no_feed(demo_engine):
    lead = _client(demo_engine)
    _login(lead, "fengqing")
    old = _new_url(lead)
    new = _new_url(lead)
    assert old != new
    phone = _client(demo_engine)
    assert phone.get(old.split("localhost", 1)[1]).status_code == 404
    assert _events(phone, new)
    assert phone.get("/calendar/feed/not-a-token.ics").status_code == 404

    with write_session(demo_engine) as session:
        users.set_active(session, actor=SYSTEM, username="fengqing", active=False)
    assert phone.get(new.split("localhost", 1)[1]).status_code == 404


def test_the_calendar_page_needs_a_login_and_its_form_a_csrf_token(demo_engine):
    client = _client(demo_engine)
    assert client.get("/calendar").status_code == 302  # to the login form
    _login(client, "admin")
    assert client.post("/calendar", data={}).status_code == 400
    with read_session(demo_engine) as session:
        admin = session.exec(select(User).where(User.username == "admin")).one()
        assert session.get(CalendarToken, admin.id) is None
        assert Actor.of(admin).role == "admin"
