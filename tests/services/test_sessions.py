"""The session lookup every request makes (``sessions.resume``), on both backends: the
actor of an active session, and a refusal for every way a session stops being one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tracker.db import read_session, write_session
from tracker.models import User, UserSession, utcnow
from tracker.services import sessions
from tracker.services.auth import Actor

POLICY = sessions.SessionPolicy()


def _user_with_session(engine, **fields) -> tuple[int, str]:
    """A county lead signed in now: (user id, the cookie's token)."""
    with write_session(engine) as s:
        user = User(
            username="lead",
            display_name="临翔区牵头人",
            password_hash="x",
            role="county",
            county="临翔区",
            **fields,
        )
        s.add(user)
        s.flush()
        token = sessions.start_session(s, user=user, ip="10.0.0.1", user_agent="ua", now=utcnow())
        return user.id, token


def _change_user(engine, user_id: int, **values) -> None:
    with write_session(engine) as s:
        user = s.get(User, user_id)
        for name, value in values.items():
            setattr(user, name, value)


def _change_session(engine, token: str, **values) -> None:
    with write_session(engine) as s:
        record = s.exec(
            select(UserSession).where(UserSession.token_hash == sessions.token_hash(token))
        ).one()
        for name, value in values.items():
            setattr(record, name, value)


def test_an_active_session_resumes_its_user_as_the_actor(engine):
    user_id, token = _user_with_session(engine)
    with read_session(engine) as s:
        expected = Actor.of(s.get(User, user_id))
    assert sessions.resume(engine, token=token, policy=POLICY) == expected
    assert expected.county == "临翔区" and expected.display_name == "临翔区牵头人"


@pytest.mark.parametrize(
    "refusal",
    [
        "unknown token",
        "malformed token",
        "logged out",
        "account disabled",
        "account changed",
        "idle",
        "too old",
    ],
)
def test_a_session_that_is_no_longer_active_resumes_nobody(engine, refusal):
    user_id, token = _user_with_session(engine)
    now = utcnow()
    if refusal == "unknown token":
        token = "x" * 43
    elif refusal == "malformed token":
        token = "short"
    elif refusal == "logged out":
        assert sessions.log_out(engine, token=token)
    elif refusal == "account disabled":
        _change_user(engine, user_id, active=False)
    elif refusal == "account changed":  # a password or scope change bumps the version
        _change_user(engine, user_id, version=2)
    elif refusal == "idle":
        now += POLICY.idle + timedelta(seconds=1)
    elif refusal == "too old":
        _change_session(engine, token, created_at=now - POLICY.lifetime - timedelta(seconds=1))
    assert sessions.resume(engine, token=token, policy=POLICY, now=now) is None


def test_a_session_s_use_is_noted_at_most_once_a_minute(engine):
    _, token = _user_with_session(engine)

    def last_seen():
        with read_session(engine) as s:
            record = s.exec(
                select(UserSession).where(UserSession.token_hash == sessions.token_hash(token))
            ).one()
            return record.last_seen_at.replace(tzinfo=None)

    began = last_seen()
    soon = utcnow() + timedelta(seconds=30)
    assert sessions.resume(engine, token=token, policy=POLICY, now=soon) is not None
    assert last_seen() == began
    later = utcnow() + sessions.TOUCH_EVERY + timedelta(seconds=1)
    assert sessions.resume(engine, token=token, policy=POLICY, now=later) is not None
    assert last_seen() == later.replace(tzinfo=None)


def test_the_data_version_read_with_the_session_is_the_current_one(engine):
    from tracker import data_version

    _, token = _user_with_session(engine)

    def version_now():
        with engine.connect() as connection:
            return data_version.current(connection)

    actor, version = sessions.resume_reading(engine, token=token, policy=POLICY)
    assert actor is not None and version is not None and version == version_now()
    with write_session(engine) as s:
        s.add(User(username="another", password_hash="x", role="viewer"))
    _, after = sessions.resume_reading(engine, token=token, policy=POLICY)
    assert after == version_now() and after[1] > version[1]
    assert sessions.resume_reading(engine, token="x" * 43, policy=POLICY) == (None, None)


def test_the_version_comes_in_the_session_s_own_statement(engine):
    """Read beside the session (one statement, one round trip), the version is the one
    ``data_version.current`` reads; "beside" reads it only so, "never" not at all."""
    from sqlalchemy import event

    from tracker import data_version

    _, token = _user_with_session(engine)
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's own BEGIN (sent by tracker.db)
            sent.append(statement)

    resume = sessions.resume_reading
    resume(engine, token=token, policy=POLICY)  # the version's table is known from here on
    event.listen(engine, "before_cursor_execute", count)
    try:
        for mode in ("always", "beside", "never"):
            sent.clear()
            actor, version = resume(engine, token=token, policy=POLICY, version=mode)
            assert actor is not None and len(sent) == 1, (mode, sent)
            if mode == "never":
                assert version is None
            else:
                with engine.connect() as connection:
                    assert version == data_version.current(connection)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _another_instance(engine):
    """A second engine on the same database (another gunicorn worker)."""
    from tests.conftest import PG_SCHEMA, PG_URL
    from tracker.db import make_engine

    if engine.dialect.name == "sqlite":
        return make_engine(str(engine.url))
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={PG_SCHEMA}"})


def test_a_write_through_another_instance_is_in_the_next_version_read_beside(engine):
    _, token = _user_with_session(engine)
    _, before = sessions.resume_reading(engine, token=token, policy=POLICY, version="beside")
    other = _another_instance(engine)
    try:
        with write_session(other) as s:
            s.add(User(username="another", password_hash="x", role="viewer"))
    finally:
        other.dispose()
    _, after = sessions.resume_reading(engine, token=token, policy=POLICY, version="beside")
    assert before is not None and after is not None and after[1] > before[1]
