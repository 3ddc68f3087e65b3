"""Atomic login throttling (#12): N concurrent wrong passwords for one username cost exactly
the limit in password checks — the check of the lock and the record of the attempt are one
step — on SQLite and on PostgreSQL. Through the real login form, many threads at once."""

from __future__ import annotations

import re
import threading

import pytest
from sqlmodel import select

import tracker.services.login as login_service
from tests.conftest import DEMO_AS_OF
from tests.factories import TEST_PASSWORD, make_user
from tracker.config import load_settings
from tracker.db import read_session, write_session
from tracker.models import LoginAttempt
from tracker.web.app import create_app

LIMIT = 5


def _csrf(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("attempts", [16, 40])
def test_concurrent_wrong_passwords_cost_exactly_the_limit(engine, monkeypatch, attempts):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    app = create_app(
        load_settings(env={}, LOGIN_MAX_FAILURES=LIMIT, LOGIN_MAX_FAILURES_PER_IP=1000),
        engine,
        today=lambda: DEMO_AS_OF,
    )
    checks = []
    real = login_service.authenticate

    def counted(session, username, password):
        checks.append(username)
        return real(session, username, password)

    monkeypatch.setattr(login_service, "authenticate", counted)
    clients = [app.server.test_client() for _ in range(attempts)]
    tokens = [_csrf(c) for c in clients]
    start = threading.Barrier(attempts)
    statuses: list[int] = []

    def attempt(i: int) -> None:
        start.wait()
        response = clients[i].post(
            "/login",
            data={"username": "leader", "password": f"wrong-{i}", "csrf_token": tokens[i]},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(statuses) == [401] * LIMIT + [429] * (attempts - LIMIT)
    assert len(checks) == LIMIT  # exactly the limit in password checks
    with read_session(engine) as s:
        recorded = s.exec(select(LoginAttempt).where(LoginAttempt.username == "leader")).all()
    assert len(recorded) == LIMIT and not any(r.success for r in recorded)
    # and the right password is locked out now too, without a password check
    client = app.server.test_client()
    locked = client.post(
        "/login",
        data={"username": "leader", "password": TEST_PASSWORD, "csrf_token": _csrf(client)},
    )
    assert locked.status_code == 429 and len(checks) == LIMIT


def test_a_right_password_among_concurrent_attempts_logs_in_and_counts_as_success(engine):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    app = create_app(load_settings(env={}), engine, today=lambda: DEMO_AS_OF)
    clients = [app.server.test_client() for _ in range(3)]
    tokens = [_csrf(c) for c in clients]
    start = threading.Barrier(3)
    results: dict[int, int] = {}

    def attempt(i: int) -> None:
        start.wait()
        password = TEST_PASSWORD if i == 0 else "wrong"
        results[i] = (
            clients[i]
            .post(
                "/login",
                data={"username": "leader", "password": password, "csrf_token": tokens[i]},
            )
            .status_code
        )

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == {0: 302, 1: 401, 2: 401}
    with read_session(engine) as s:
        rows = s.exec(select(LoginAttempt)).all()
    assert sorted(r.success for r in rows) == [False, False, True]
