import pytest

from tracker.config import SettingsError, load_settings


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
            {"TRACKER_ENV": "production", "SECRET_KEY": "x" * 40, "TRACKER_DEBUG": "true"},
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
    settings = load_settings({"TRACKER_ENV": "production", "SECRET_KEY": "k" * 48})
    assert settings.is_production
