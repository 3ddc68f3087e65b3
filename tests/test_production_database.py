"""#12 follow-up: in production the web app, gunicorn's config and the scheduler refuse to
start without DATABASE_URL, instead of opening the default empty SQLite file (the CLI
already refused)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "DATABASE_"))}
    env.update(
        TRACKER_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, str(ROOT / "app.py")],
        [sys.executable, "-m", "schedules"],
        [sys.executable, "-c", f"import runpy; runpy.run_path({str(ROOT / 'gunicorn.conf.py')!r})"],
    ],
    ids=["app.py", "python -m schedules", "gunicorn.conf.py"],
)
def test_production_without_a_database_url_refuses_to_start_and_creates_nothing(tmp_path, command):
    default = ROOT / "data" / "tracker.db"  # the development default the app would open
    before = default.stat().st_mtime_ns if default.exists() else None
    done = subprocess.run(
        command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == [], "nothing is made in the working directory"
    after = default.stat().st_mtime_ns if default.exists() else None
    assert after == before, "the default SQLite file is neither made nor opened for writing"


def test_production_with_a_database_url_passes_the_check(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    code = "from tracker.config import require_database_url; require_database_url(); print('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
