from datetime import UTC, datetime, timedelta

from tests.factories import TEST_PASSWORD, make_user
from tracker.db import write_session
from tracker.services.login import LoginPolicy, attempt_login

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
POLICY = LoginPolicy(max_failures=3, max_failures_per_ip=5, window=timedelta(minutes=15))


def login(engine, username, password, ip="10.0.0.1", now=NOW):
    with write_session(engine) as s:
        result = attempt_login(
            s, username=username, password=password, ip=ip, now=now, policy=POLICY
        )
        return result.user.username if result.user else None, result.locked


def test_right_password_logs_in_and_wrong_one_does_not(engine):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    assert login(engine, "leader", TEST_PASSWORD) == ("leader", False)
    assert login(engine, "leader", "wrong") == (None, False)
    assert login(engine, "nobody", TEST_PASSWORD) == (None, False)


def test_a_username_is_locked_after_repeated_failures_even_with_the_right_password(engine):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    for _ in range(3):
        assert login(engine, "leader", "wrong") == (None, False)
    assert login(engine, "leader", TEST_PASSWORD) == (None, True)
    # the failures are kept in the database, so another worker (another engine) sees them too
    later = NOW + timedelta(minutes=16)
    assert login(engine, "leader", TEST_PASSWORD, now=later) == ("leader", False)


def test_a_success_clears_earlier_failures_of_the_username(engine):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    login(engine, "leader", "wrong")
    login(engine, "leader", "wrong")
    assert login(engine, "leader", TEST_PASSWORD, now=NOW + timedelta(seconds=1))[0] == "leader"
    login(engine, "leader", "wrong", now=NOW + timedelta(seconds=2))
    login(engine, "leader", "wrong", now=NOW + timedelta(seconds=3))
    assert login(engine, "leader", TEST_PASSWORD, now=NOW + timedelta(seconds=4))[0] == "leader"


def test_one_address_guessing_many_usernames_is_locked(engine):
    with write_session(engine) as s:
        make_user(s, "viewer", username="leader")
    for n in range(5):
        login(engine, f"guess{n}", "x", ip="10.9.9.9")
    assert login(engine, "leader", TEST_PASSWORD, ip="10.9.9.9") == (None, True)
    assert login(engine, "leader", TEST_PASSWORD, ip="10.0.0.2") == ("leader", False)


def test_a_disabled_account_cannot_log_in(engine):
    with write_session(engine) as s:
        user = make_user(s, "viewer", username="leader")
        user.active = False
    assert login(engine, "leader", TEST_PASSWORD) == (None, False)
