"""The files docs/deploy.md installs agree with each other and with the app's own rules.

(`nginx -t`, `systemd-analyze verify` and running them are tests/deploy/test_guide.py's job.)
"""

from __future__ import annotations

import re
import secrets

from tests.deploy.machine import guide_blocks
from tracker.config import ROOT, load_settings, nginx_body_size, parse_env_file, request_limit_bytes

DEPLOY = ROOT / "docs" / "deploy"
ENV = parse_env_file((DEPLOY / "tracker.env.example").read_text(encoding="utf-8"))
# where tracker-login.service's gunicorn listens (its --bind)
LOGIN_PORT = int(
    re.search(r"--bind 127\.0\.0\.1:(\d+)", (DEPLOY / "tracker-login.service").read_text()).group(1)
)


def _unit(name: str) -> str:
    return (DEPLOY / name).read_text(encoding="utf-8")


def _directive(text: str, name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.M)


def test_nginx_lets_through_the_largest_upload_the_settings_allow():
    site = _unit("nginx-tracker.conf")
    size = _directive(site, "client_max_body_size")
    assert size == [nginx_body_size(int(ENV["MAX_UPLOAD_MB"]))]
    assert int(size[0]) == request_limit_bytes(int(ENV["MAX_UPLOAD_MB"]))


def test_nginx_speaks_https_with_hsts_and_passes_the_client_address_to_loopback_only():
    site = _unit("nginx-tracker.conf")
    assert _directive(site, "proxy_pass") == [
        f"http://127.0.0.1:{LOGIN_PORT}",
        f"http://127.0.0.1:{ENV['TRACKER_PORT']}",
    ]
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site  # replaces a forged one
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d+" always;', site)
    assert "return 301 https://$host$request_uri;" in site
    assert _directive(site, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    assert ENV["TRACKER_HOST"] == "127.0.0.1" and ENV["TRACKER_TRUSTED_PROXIES"] == "1"


def test_the_example_settings_load_in_production_once_a_key_is_made():
    settings = load_settings(env={**ENV, "SECRET_KEY": secrets.token_urlsafe(48)})
    assert settings.is_production and settings.cookies_secure
    assert settings.TRACKER_SCHEDULER == "off"


def test_no_unit_puts_a_setting_or_a_secret_on_a_command_line():
    for name in (
        "tracker-web.service",
        "tracker-login.service",
        "tracker-scheduler.service",
        "tracker-backup.service",
    ):
        unit = _unit(name)
        assert "EnvironmentFile=/etc/tracker/tracker.env" in unit, name
        assert re.search(r"^User=tracker$", unit, re.M) and re.search(
            r"^Group=tracker$", unit, re.M
        )
        for line in re.findall(r"^Exec\w*=(.*)$", unit, re.M):
            assert "=" not in line.replace("--", ""), (name, line)
            assert not re.search(r"SECRET|PASSWORD|DATABASE_URL|postgresql", line), (name, line)
        assert "NoNewPrivileges=true" in unit and "ProtectSystem=full" in unit


def test_the_web_service_runs_gunicorn_with_its_config_and_a_runtime_folder_for_its_socket():
    unit = _unit("tracker-web.service")
    assert (
        "ExecStart=/opt/tracker/.venv/bin/gunicorn --config /opt/tracker/gunicorn.conf.py app:server"
        in unit
    )
    assert "RuntimeDirectory=tracker-web" in unit and "Type=notify" in unit
    assert "ExecStartPre=/opt/tracker/.venv/bin/python -m tracker init" in unit
    assert (ROOT / "gunicorn.conf.py").is_file()


def test_nginx_sends_the_logins_and_only_them_to_the_login_service_on_loopback():
    """/login (the form, its POST, any ?next=) reaches tracker-login's gunicorn; everything
    else tracker-web's. The login service runs the same app with the same settings and
    gunicorn.conf.py, one worker, its own runtime folder, and starts after the web service
    (which migrates the schema)."""
    site, unit = _unit("nginx-tracker.conf"), _unit("tracker-login.service")
    login = re.search(r"location = /login \{(.*?)\}", site, re.S)
    assert login and _directive(login.group(1), "proxy_pass") == [f"http://127.0.0.1:{LOGIN_PORT}"]
    assert re.search(r"location / \{[^}]*proxy_pass http://127.0.0.1:8050;", site)
    assert "proxy_set_header" not in login.group(1)  # it inherits the server's (client address)
    start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
    assert start.startswith("/opt/tracker/.venv/bin/gunicorn --config /opt/tracker/gunicorn.conf.py ")
    assert start.endswith(" app:server") and "--workers 1 " in start
    assert "RuntimeDirectory=tracker-login" in unit and "Type=notify" in unit
    assert "ExecStartPre" not in unit  # one migration, by tracker-web
    assert re.search(r"^After=.*tracker-web\.service", unit, re.M)


def test_the_nightly_backup_is_private_and_keeps_30_days_and_12_months():
    service, timer = _unit("tracker-backup.service"), _unit("tracker-backup.timer")
    assert "UMask=0077" in service and "Type=oneshot" in service
    assert "backup --dir /var/backups/tracker --keep-daily 30 --keep-monthly 12" in service
    assert "OnCalendar=*-*-* 02:30:00 Asia/Shanghai" in timer and "Persistent=true" in timer


def test_trackerctl_runs_as_the_service_user_with_the_services_settings():
    script = _unit("trackerctl")
    assert "sudo -u tracker" in script and "--env-file /etc/tracker/tracker.env" in script
    assert (DEPLOY / "trackerctl").stat().st_mode & 0o111


def test_the_procfile_keeps_gunicorn_on_loopback():
    procfile = (ROOT / "Procfile").read_text()
    assert "0.0.0.0" not in procfile and "--bind 127.0.0.1:" in procfile


def test_every_file_the_guide_copies_out_of_docs_deploy_exists():
    text = "\n".join(block.text for block in guide_blocks())
    named = set(re.findall(r"/opt/tracker/docs/deploy/([\w.-]+)", text))
    assert named == {p.name for p in DEPLOY.iterdir()}, named
