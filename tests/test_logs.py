import json
import logging
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tracker.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[1]


def test_json_logs_are_one_object_per_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "schedules",
            "levelname": "INFO",
            "msg": "job %s done",
            "args": ("open_period",),
            "period": "2026-11",
        }
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["msg"] == "job open_period done"
    assert data["period"] == "2026-11" and data["level"] == "info"


def test_gunicorn_access_records_become_json_fields():
    import logging.config

    from tracker.logs import gunicorn_logconfig

    logging.config.dictConfig(gunicorn_logconfig("json", "INFO"))
    handler = logging.getLogger("gunicorn.access").handlers[0]
    record = logging.makeLogRecord(
        {
            "name": "gunicorn.access",
            "levelname": "INFO",
            "msg": '%(h)s "%(r)s" %(s)s',
            "args": (
                {
                    "h": "10.1.2.3",
                    "r": "GET /x HTTP/1.0",
                    "s": "200",
                    "m": "GET",
                    "U": "/x",
                    "B": 12,
                    "M": 4,
                    "a": "-",
                    "q": "",
                },
            ),
        }
    )
    record.args = record.args[0] if isinstance(record.args, tuple) else record.args
    data = json.loads(handler.format(record))
    assert data["msg"] == '10.1.2.3 "GET /x HTTP/1.0" 200'
    assert data["remote"] == "10.1.2.3" and data["status"] == 200 and data["path"] == "/x"
    assert data["bytes"] == 12 and data["ms"] == 4
    assert "agent" not in data and "query" not in data  # "-" and "" are left out
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})


@pytest.mark.slow
def test_under_gunicorn_every_line_is_json_when_log_format_is_json(tmp_path):
    """gunicorn.conf.py (read from the working directory) hands LOG_FORMAT to gunicorn: its
    own messages, its access log and the app's logs all come out as JSON."""
    from tests.prod.procs import free_port, wait_until

    port = free_port()
    log = tmp_path / "web.log"
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "TRACKER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LOG_FORMAT": "json",
        "TRACKER_PORT": str(port),
        "WEB_WORKERS": "1",
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "app:server"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _answers(port), 90, 0.3, "gunicorn")
        requests.get(f"http://127.0.0.1:{port}/login", timeout=10)
        # the control socket goes into systemd's RuntimeDirectory, not the checkout
        assert (tmp_path / "gunicorn.ctl").exists()
        assert not (ROOT / "gunicorn.ctl").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    lines = log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    loggers = {r["logger"] for r in records}
    assert {"gunicorn.error", "gunicorn.access", "alembic.runtime.migration"} <= loggers
    assert any(r.get("path") == "/login" and r.get("status") == 200 for r in records)
    assert any(f"127.0.0.1:{port}" in r["msg"] for r in records)  # bound to loopback
    assert (tmp_path / "gunicorn.ctl").exists() or any(
        "control" in r["msg"].lower() for r in records
    )


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False
