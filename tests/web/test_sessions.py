"""Sessions you can end (#12): a server-side record per login; a copied cookie is worth
nothing after logout, a password reset, disabling, a scope change or "sign out everywhere";
idle timeout and absolute lifetime; the office sees a user's sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlmodel import select

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.dashcalls import forge
from tests.web.signin import logout_token
from tests.web.test_authorization_matrix import _world
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import Milestone, User, UserSession, utcnow
from tracker.services import sessions, users
from tracker.services.auth import SYSTEM, Actor
from tracker.web.app import create_app

KNOWN_KEY = "a-key-an-attacker-has-read-in-the-repository-0123456789"


def _app(engine, **settings):
    return create_app(load_settings(env={}, **settings), engine, today=lambda: DEMO_AS_OF)


def _csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(client, username, password=DEMO_PASSWORD, **headers):
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": _csrf(client)},
        headers=headers,
    )


def _logout(client) -> None:
    token = logout_token(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def _copy(client, app):
    """A second browser holding a copy of ``client``'s cookie."""
    thief = app.server.test_client()
    thief.set_cookie("tracker_session", client.get_cookie("tracker_session").value)
    return thief


def _save_note(app, client, milestone: Milestone, note: str):
    body = forge(
        app,
        "save_milestone_note",
        {
            "pj-note-save.n_clicks": 1,
            "pj-form.data": {"milestone_id": milestone.id, "version": milestone.version},
            "pj-note.value": note,
        },
    )
    return client.post("/_dash-update-component", json=body)


def _note(engine, milestone_id: int) -> str:
    with read_session(engine) as s:
        return s.get(Milestone, milestone_id).note


def test_a_cookie_copied_before_logout_saves_nothing_after_it(demo_engine):
    world = _world(demo_engine)
    app = _app(demo_engine)
    lead = app.server.test_client()
    assert _login(lead, world.users["county_own"].username).status_code == 302
    thief = _copy(lead, app)
    assert _save_note(app, thief, world.milestone, "before logout").status_code == 200
    assert _note(demo_engine, world.milestone.id) == "before logout"
    _logout(lead)
    with read_session(demo_engine) as s:
        world.milestone = s.get(Milestone, world.milestone.id)
    response = _save_note(app, thief, world.milestone, "after logout")
    assert response.status_code == 401
    assert _note(demo_engine, world.milestone.id) == "before logout"
    with read_session(demo_engine) as s:
        record = s.exec(select(UserSession).order_by(UserSession.id.desc())).first()  # type: ignore[union-attr]
    assert record.ended_at is not None and record.end_reason == "logout"


def test_a_forged_cookie_of_the_old_shape_opens_nothing_even_with_the_key(demo_engine):
    """With a known SECRET_KEY a cookie could say "user 1, version 1" and be an admin. Now a
    cookie must carry the token of a live session, and the database keeps only its hash."""
    app = _app(demo_engine, SECRET_KEY=KNOWN_KEY)
    with read_session(demo_engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app.server)
    client = app.server.test_client()
    for forged_id in (f"{admin.id}:{admin.version}", str(admin.id), "x" * 43):
        client.set_cookie(
            "tracker_session", serializer.dumps({"_user_id": forged_id, "_fresh": True})
        )
        body = forge(
            app,
            "add_user",
            {
                "ad-add-save.n_clicks": 1,
                "ad-add-username.value": "intruder",
                "ad-add-role.value": "admin",
                "ad-add-password.value": "a-long-password",
            },
        )
        assert client.post("/_dash-update-component", json=body).status_code == 401
    with read_session(demo_engine) as s:
        assert s.exec(select(User).where(User.username == "intruder")).first() is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda s: users.set_password(
                s, actor=SYSTEM, username="yunxian", password="new-pass-12"
            ),
            "password",
        ),
        (lambda s: users.set_active(s, actor=SYSTEM, username="yunxian", active=False), "disabled"),
        (
            lambda s: users.set_scope(
                s, actor=SYSTEM, username="yunxian", role="county", county="沧源县"
            ),
            "scope",
        ),
        (
            lambda s: sessions.sign_out_everywhere(
                s, actor=SYSTEM, username="yunxian", now=utcnow()
            ),
            "signed_out",
        ),
    ],
    ids=["password", "disabled", "scope", "sign_out_everywhere"],
)
def test_account_changes_end_every_session_of_the_user_at_once(demo_engine, change, reason):
    app = _app(demo_engine)
    browsers = [app.server.test_client() for _ in range(2)]
    for browser in browsers:
        assert _login(browser, "yunxian").status_code == 302
        assert browser.get("/_dash-layout").status_code == 200
    other = app.server.test_client()
    assert _login(other, "leader").status_code == 302
    with write_session(demo_engine) as s:
        change(s)
    for browser in browsers:
        assert browser.get("/_dash-layout").status_code == 401
    assert other.get("/_dash-layout").status_code == 200  # other users keep theirs
    with read_session(demo_engine) as s:
        user = s.exec(select(User).where(User.username == "yunxian")).one()
        ended = s.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(ended) == 2 and {r.end_reason for r in ended} == {reason}


def _age(engine, *, last_seen: timedelta = timedelta(0), created: timedelta = timedelta(0)):
    with write_session(engine) as s:
        for record in s.exec(select(UserSession)).all():
            record.last_seen_at = utcnow() - last_seen
            record.created_at = utcnow() - created
            s.add(record)


def test_a_session_ends_after_the_idle_timeout(demo_engine):
    client = _app(demo_engine, SESSION_IDLE_MINUTES=30).server.test_client()
    _login(client, "leader")
    _age(demo_engine, last_seen=timedelta(minutes=29), created=timedelta(minutes=29))
    assert client.get("/_dash-layout").status_code == 200  # and that request counts as use
    with read_session(demo_engine) as s:
        record = s.exec(select(UserSession)).one()
    assert utcnow() - record.last_seen_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)
    _age(demo_engine, last_seen=timedelta(minutes=31), created=timedelta(minutes=31))
    assert client.get("/_dash-layout").status_code == 401


def test_a_session_ends_after_its_lifetime_however_active(demo_engine):
    client = _app(demo_engine, SESSION_MAX_HOURS=8).server.test_client()
    _login(client, "leader")
    _age(demo_engine, created=timedelta(hours=7, minutes=59))
    assert client.get("/_dash-layout").status_code == 200
    _age(demo_engine, created=timedelta(hours=8, minutes=1))
    assert client.get("/_dash-layout").status_code == 401


def test_a_login_records_who_when_where_and_in_what_and_the_cookie_holds_no_user_id(
    demo_engine,
):
    app = _app(demo_engine)
    client = app.server.test_client()
    _login(client, "leader", **{"User-Agent": "Mozilla/5.0 (Windows NT 10.0) 会议室大屏"})
    token = client.get_cookie("tracker_session").value
    with read_session(demo_engine) as s:
        record = s.exec(select(UserSession)).one()
        leader = s.exec(select(User).where(User.username == "leader")).one()
    assert record.user_id == leader.id and record.ip == "127.0.0.1"
    assert record.user_agent == "Mozilla/5.0 (Windows NT 10.0) 会议室大屏"
    serializer = SecureCookieSessionInterface().get_signing_serializer(app.server)
    carried = serializer.loads(token)["_user_id"]
    assert len(carried) >= 40 and str(leader.id) != carried
    assert record.token_hash == sessions.token_hash(carried) != carried


def test_the_office_sees_a_user_s_sessions_and_signs_them_out_everywhere(demo_engine):
    app = _app(demo_engine)
    lead = app.server.test_client()
    _login(lead, "yunxian", **{"User-Agent": "Lead's phone"})
    office = app.server.test_client()
    _login(office, "admin")
    with read_session(demo_engine) as s:
        yunxian = s.exec(select(User).where(User.username == "yunxian")).one()
    row = [
        {
            "username": "yunxian",
            "role": "county",
            "county": yunxian.county,
            "version": yunxian.version,
            "active": True,
        }
    ]
    shown = office.post(
        "/_dash-update-component",
        json=forge(app, "show_selected_user", {"ad-users-grid.selectedRows": row}),
    )
    assert shown.status_code == 200
    assert "Lead's phone" in shown.get_data(as_text=True)
    signed_out = office.post(
        "/_dash-update-component",
        json=forge(
            app,
            "sign_out_user_everywhere",
            {"ad-sign-out.n_clicks": 1, "ad-users-grid.selectedRows": row},
        ),
    )
    assert signed_out.status_code == 200
    assert lead.get("/_dash-layout").status_code == 401
    assert office.get("/_dash-layout").status_code == 200
    with read_session(demo_engine) as s:
        assert (
            sessions.active_sessions(
                s,
                actor=Actor.of(s.exec(select(User).where(User.username == "admin")).one()),
                username="yunxian",
                now=utcnow(),
                policy=sessions.SessionPolicy(),
            )
            == []
        )


@pytest.mark.parametrize("name", ["refresh_users", "refresh_pending"])
@pytest.mark.parametrize("username", ["leader", "yunxian", "kejiju"])
def test_the_office_s_list_refreshes_answer_others_without_an_error(demo_engine, name, username):
    app = _app(demo_engine)
    client = app.server.test_client()
    _login(client, username)
    key = "ad-users-refresh.data" if name == "refresh_users" else "ad-pending-refresh.data"
    response = client.post("/_dash-update-component", json=forge(app, name, {key: 1}))
    assert response.status_code == 204  # nothing to update, and no list leaks out


@pytest.mark.parametrize(
    "target", ["/projects\r\nSet-Cookie: x=1", "/x\ny", "/%0d%0a", "/\x00", "/" + "a" * 3000]
)
def test_a_next_address_with_control_characters_goes_home(demo_engine, target):
    client = _app(demo_engine).server.test_client()
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    response = client.post(
        "/login",
        data={
            "username": "leader",
            "password": DEMO_PASSWORD,
            "csrf_token": _csrf(client),
            "next": target,
        },
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location
    assert location in ("/", "/%0d%0a")


def test_the_office_s_account_actions_speak_the_reader_s_language(demo_engine):
    """Disabling a user is confirmed, and a stale second click refused, in English for an
    English reader (the refusal used to be the service's Chinese sentence)."""
    app = _app(demo_engine)
    office = app.server.test_client()
    office.get("/lang/en")
    _login(office, "admin")
    with read_session(demo_engine) as s:
        version = s.exec(select(User).where(User.username == "yunxian")).one().version
    row = [{"username": "yunxian", "role": "county", "version": version, "active": True}]
    values = {"ad-toggle.n_clicks": 1, "ad-users-grid.selectedRows": row}
    done = office.post("/_dash-update-component", json=forge(app, "toggle_user_active", values))
    assert done.status_code == 200 and "yunxian" in done.get_data(as_text=True)
    with read_session(demo_engine) as s:
        assert not s.exec(select(User).where(User.username == "yunxian")).one().active
    stale = office.post("/_dash-update-component", json=forge(app, "toggle_user_active", values))
    said = stale.get_data(as_text=True)
    assert "Someone else changed this user" in said
    assert not re.search(r"[\u4e00-\u9fff]", said.encode().decode("unicode_escape", "ignore"))
