"""Sessions, the login form, throttling across workers, cookies, caps and headers."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.conftest import DEMO_AS_OF, DEMO_PASSWORD
from tests.web.signin import logout_token
from tracker.config import SettingsError, load_settings
from tracker.db import write_session
from tracker.services import users
from tracker.services.auth import SYSTEM
from tracker.web.app import create_app

DASH_ENDPOINTS = [
    ("GET", "/_dash-layout"),
    ("GET", "/_dash-dependencies"),
    ("POST", "/_dash-update-component"),
    ("GET", "/_dash-component-suites/dash/dcc/dash_core_components.js"),
    ("GET", "/_reload-hash"),
]


def _app(engine, **settings):
    return create_app(load_settings(env={}, **settings), engine, today=lambda: DEMO_AS_OF)


def _csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(client, username, password=DEMO_PASSWORD, next_path="/"):
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": _csrf(client),
            "next": next_path,
        },
    )


@pytest.mark.parametrize(("method", "path"), DASH_ENDPOINTS)
def test_anonymous_calls_to_dash_endpoints_get_401(demo_engine, method, path):
    client = _app(demo_engine).server.test_client()
    response = client.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == 401


def test_anonymous_page_loads_go_to_the_login_form_which_needs_no_dash(demo_engine):
    client = _app(demo_engine).server.test_client()
    response = client.get("/projects/3?x=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/projects/3")
    page = client.get("/login")
    assert page.status_code == 200
    assert "_dash" not in page.get_data(as_text=True)
    assert client.get("/assets/app.css").status_code == 200


def test_a_login_sets_an_httponly_samesite_lax_cookie_not_secure_by_default(demo_engine):
    client = _app(demo_engine).server.test_client()
    response = _login(client, "leader", next_path="/projects")
    assert response.status_code == 302 and response.headers["Location"] == "/projects"
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("tracker_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/_dash-layout").status_code == 200


def test_the_cookie_is_secure_when_configured(demo_engine):
    client = _app(demo_engine, SESSION_COOKIE_SECURE=True).server.test_client()
    response = _login(client, "leader")
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("tracker_session=")
    )
    assert "Secure" in cookie


def test_a_wrong_password_is_refused_with_the_same_words_as_an_unknown_user(demo_engine):
    client = _app(demo_engine).server.test_client()
    wrong = _login(client, "leader", "not-it")
    unknown = _login(client, "nobody", "not-it")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.get_data(as_text=True)
    assert "用户名或密码错误" in unknown.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


def test_failures_on_one_worker_lock_the_username_on_another(demo_engine):
    first = _app(demo_engine).server.test_client()  # two apps on one database: two workers
    second = _app(demo_engine).server.test_client()
    for _ in range(5):
        assert _login(first, "yunxian", "guess").status_code == 401
    locked = _login(second, "yunxian")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.get_data(as_text=True)
    assert _login(second, "leader").status_code == 302  # other usernames are unaffected


def test_an_english_reader_is_told_in_english_how_long_the_lock_lasts(demo_engine):
    client = _app(demo_engine).server.test_client()
    client.get("/lang/en")
    wrong = _login(client, "yunxian", "guess").get_data(as_text=True)
    assert "Wrong username or password" in wrong and "用户名" not in wrong.split("<form")[1]
    for _ in range(4):
        _login(client, "yunxian", "guess")
    locked = _login(client, "yunxian")
    text = locked.get_data(as_text=True)
    assert locked.status_code == 429
    assert re.search(r"Too many failed sign-ins; try again in \d+ minutes", text)
    assert "登录失败" not in text


def test_the_login_form_needs_its_csrf_token(demo_engine):
    client = _app(demo_engine).server.test_client()
    client.get("/login")
    response = client.post("/login", data={"username": "leader", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil", "javascript:alert(1)"]
)
def test_after_login_only_local_paths_are_followed(demo_engine, target):
    client = _app(demo_engine).server.test_client()
    response = _login(client, "leader", next_path=target)
    assert response.headers["Location"] == "/"


def test_resetting_a_password_ends_the_sessions_opened_before(demo_engine):
    client = _app(demo_engine).server.test_client()
    _login(client, "yunxian")
    assert client.get("/_dash-layout").status_code == 200
    with write_session(demo_engine) as s:
        users.set_password(s, actor=SYSTEM, username="yunxian", password="a-new-password-1")
    assert client.get("/_dash-layout").status_code == 401


def test_a_disabled_account_loses_its_session(demo_engine):
    client = _app(demo_engine).server.test_client()
    _login(client, "leader")
    with write_session(demo_engine) as s:
        users.set_active(s, actor=SYSTEM, username="leader", active=False)
    assert client.get("/_dash-layout").status_code == 401


def test_logout_needs_the_token_and_ends_the_session(demo_engine):
    client = _app(demo_engine).server.test_client()
    _login(client, "leader")
    assert client.post("/logout", data={}).status_code == 400
    token = logout_token(client)
    assert token, "the frame carries the logout form's token"
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/_dash-layout").status_code == 401


def test_requests_larger_than_the_upload_cap_are_refused(demo_engine):
    app = _app(demo_engine, MAX_UPLOAD_MB=1)
    client = app.server.test_client()
    _login(client, "admin")
    too_big = b"x" * (app.server.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/_dash-update-component", data=too_big, content_type="application/json")
    assert response.status_code == 413


def test_debug_is_off_and_the_development_key_is_fresh_per_start(demo_engine):
    a, b = _app(demo_engine), _app(demo_engine)
    assert not a.server.debug
    assert a.server.secret_key != b.server.secret_key and len(a.server.secret_key) >= 32
    assert _app(demo_engine, SECRET_KEY="k" * 40).server.secret_key == "k" * 40


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings(env={"TRACKER_ENV": "production"})


def test_the_language_switch_changes_the_interface(demo_engine):
    client = _app(demo_engine).server.test_client()
    _login(client, "leader")
    assert "总览" in client.get("/_dash-layout").get_data(as_text=True)
    response = client.get("/lang/en?next=/projects")
    assert response.headers["Location"] == "/projects"
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Overview" in layout and "总览" not in layout


def test_bundles_are_compressed_and_pages_carry_security_headers(demo_engine):
    client = _app(demo_engine).server.test_client()
    _login(client, "leader")
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    policy = page.headers["Content-Security-Policy"]
    assert (
        "script-src 'self' 'unsafe-eval' 'sha256-" in policy
        and "unsafe-inline" not in policy.split(";")[1]
    )
    assert "object-src 'none'" in policy
    assert "Content-Security-Policy" in client.get("/login").headers
    assert page.headers.get("Content-Encoding") == "gzip"
    html = gzip.decompress(page.data).decode()
    bundle = re.search(r'src="(/_dash-component-suites/dash_ag_grid/[^"]+)"', html).group(1)
    response = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == "gzip"
    assert len(response.data) < len(gzip.decompress(response.data)) / 2
