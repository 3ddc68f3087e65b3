"""/etc/tracker/tracker.env is read by the command line as systemd reads an EnvironmentFile."""

from __future__ import annotations

import pytest

from tracker.config import ROOT, SPECS, SettingsError, parse_env_file, read_env_file

EXAMPLE = ROOT / "docs" / "deploy" / "tracker.env.example"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1\n", {"A": "1"}),
        ("A=1", {"A": "1"}),  # no newline at the end
        ("  A = two words  \n", {"A": "two words"}),  # outer spaces go, inner stay
        ("# A=1\n; B=2\n\nC=3\n", {"C": "3"}),  # comments and blank lines
        ("P=pa#ss@w:rd/%40\n", {"P": "pa#ss@w:rd/%40"}),  # "#" after a value is the value
        ("A=\n", {"A": ""}),
        ("A='x # y  '\n", {"A": "x # y  "}),  # single quotes: verbatim
        ('A="say \\"hi\\" for \\$5 \\q"\n', {"A": 'say "hi" for $5 \\q'}),
        ("A='multi\nline'\n", {"A": "multi\nline"}),
        ("A=one\\\ntwo\n", {"A": "onetwo"}),  # a backslash continues the line
        ("A=a\\\\b\n", {"A": "a\\b"}),
        ("A=1\nA=2\n", {"A": "2"}),  # the later one wins
        ("no equals sign\nB=ok\n", {"B": "ok"}),
        ("1BAD=x\nGOOD-NAME=y\nGOOD=z\n", {"GOOD": "z"}),  # invalid names are ignored
        ("# comment \\\nstill comment\nA=1\n", {"A": "1"}),
        ("OFFICE_NAME=普洱市 示范区办公室\n", {"OFFICE_NAME": "普洱市 示范区办公室"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
    ],
)
def test_env_file_lines_read_as_systemd_reads_them(text, expected):
    assert parse_env_file(text) == expected


def test_a_missing_or_unreadable_settings_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        read_env_file(tmp_path / "nope.env")


def test_the_shipped_example_names_only_real_settings_and_leaves_the_key_to_be_made():
    values = parse_env_file(EXAMPLE.read_text(encoding="utf-8"))
    known = {spec.env for spec in SPECS}
    assert set(values) <= known, set(values) - known
    assert values["SECRET_KEY"] == ""
    assert values["TRACKER_ENV"] == "production"
    assert values["TRACKER_TRUSTED_PROXIES"] == "1"
    assert values["SESSION_COOKIE_SECURE"] == "true"
    assert values["TRACKER_HOST"] == "127.0.0.1"
    assert values["TRACKER_SCHEDULER"] == "off"
    assert values["BULLETIN_DIR"].startswith("/var/lib/tracker/")
    assert "secrets.token_urlsafe(48)" in EXAMPLE.read_text(encoding="utf-8")
    assert ":" not in values["DATABASE_URL"].split("//", 1)[1].split("@")[0]  # no password
