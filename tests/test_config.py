import secrets

import pytest

from tracker.config import ROOT, SettingsError, load_settings, secret_key_problem

RANDOM_KEY = secrets.token_urlsafe(48)  # made at run time: written nowhere in the repository


def test_development_defaults_need_no_environment():
    settings = load_settings({})
    assert settings.is_sqlite and not settings.is_production
    assert settings.TRACKER_PORT == 8050 and settings.TRACKER_DEMO is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TRACKER_ENV": "production"}, "SECRET_KEY"),
        ({"TRACKER_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {"TRACKER_ENV": "production", "SECRET_KEY": RANDOM_KEY, "TRACKER_DEBUG": "true"},
            "TRACKER_DEBUG",
        ),
        ({"TRACKER_ENV": "staging"}, "TRACKER_ENV"),
        ({"TRACKER_PORT": "eighty"}, "TRACKER_PORT"),
        ({"LIGHT_RED_GAP_PP": "twenty"}, "LIGHT_RED_GAP_PP"),
    ],
)
def test_unsafe_or_malformed_settings_are_refused_with_the_setting_named(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_production_starts_with_a_real_secret():
    settings = load_settings({"TRACKER_ENV": "production", "SECRET_KEY": RANDOM_KEY})
    assert settings.is_production


def _example_key() -> str:
    example = (ROOT / "docs" / "deploy" / "tracker.env.example").read_text(encoding="utf-8")
    lines = [x for x in example.splitlines() if x.startswith("SECRET_KEY=")]
    return lines[0].split("=", 1)[1].strip() if lines else ""


# A key of good variety that is written here, in the repository: production must refuse it.
KEY_IN_THE_REPOSITORY = "q7Lw2NvXe9TzR4mKc8YbH3sJpA6dGf5U"


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("", "must be set"),
        ("x" * 31, "at least 32 bytes"),
        ("秘" * 10, "at least 32 bytes"),  # 30 bytes in UTF-8
        ("k" * 48, "variety"),
        ("abcdefghij" * 4, "variety"),  # a repeated run
        ("0123456789abcdefghijklmnopqrstuvwxyz", "variety"),  # a sequence
        ("CHANGE-ME-TO-48-RANDOM-CHARACTERS-AT-LEAST-32-LONG", "placeholder"),
        ("please-replace-with-a-random-string-of-64-chars", "placeholder"),
        (KEY_IN_THE_REPOSITORY, "written in this repository"),
    ],
)
def test_production_refuses_a_weak_or_known_secret(key, why):
    assert why in (secret_key_problem(key) or "")
    with pytest.raises(SettingsError, match="SECRET_KEY") as refused:
        load_settings({"TRACKER_ENV": "production", "SECRET_KEY": key})
    assert "python -m tracker secret" in str(refused.value)


def test_the_deployment_example_s_secret_does_not_start_production():
    key = _example_key()
    if key:  # shipped empty (with the command that makes one), or refused
        assert secret_key_problem(key) is not None
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings({"TRACKER_ENV": "production", "SECRET_KEY": key})


def test_keys_the_secret_command_makes_are_accepted():
    from tracker.cli import make_secret

    for _ in range(200):
        assert secret_key_problem(make_secret()) is None


@pytest.mark.parametrize(
    ("env", "secure", "level"),
    [
        ({}, False, None),
        ({"SESSION_COOKIE_SECURE": "true"}, True, None),
        ({"TRACKER_ENV": "production", "SECRET_KEY": RANDOM_KEY}, True, "INFO"),
        (
            {"TRACKER_ENV": "production", "SECRET_KEY": RANDOM_KEY, "SESSION_COOKIE_SECURE": "1"},
            True,
            "INFO",
        ),
        (
            {
                "TRACKER_ENV": "production",
                "SECRET_KEY": RANDOM_KEY,
                "SESSION_COOKIE_SECURE": "false",
            },
            False,
            "WARNING",
        ),
    ],
)
def test_production_cookies_are_secure_unless_told_otherwise_and_it_says_so(env, secure, level):
    settings = load_settings(env)
    assert settings.cookies_secure is secure
    notes = settings.startup_notes()
    assert [lvl for lvl, _ in notes] == ([level] if level else [])
    if level:
        assert "Secure" in notes[0][1]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AMOUNT_MAX_WAN": "0"}, "AMOUNT_MAX_WAN"),
        ({"AMOUNT_MAX_WAN": "1e20"}, "AMOUNT_MAX_WAN"),
        ({"AMOUNT_MAX_WAN": "NaN"}, "AMOUNT_MAX_WAN"),
        ({"AMOUNT_MAX_WAN": "lots"}, "AMOUNT_MAX_WAN"),
        ({"SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES"),
    ],
)
def test_the_ceiling_and_session_settings_are_checked(env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings(env)
