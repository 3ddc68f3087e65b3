"""`python app.py` with TRACKER_DEBUG=true (a developer's run) starts and serves pages: Dash's
dev tools used to be switched on after the app had handled its set-up request, which Flask
refuses (AssertionError at start, nothing served)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def test_a_debug_run_starts_and_serves_the_login_page(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "DATABASE_"))}
    env.update(
        TRACKER_DEBUG="true",
        TRACKER_PORT=str(port),
        TRACKER_SCHEDULER="off",
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.db'}",
        PYTHONPATH=str(ROOT),
    )
    log = tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the debug server's reloader runs a child: stop both
        )
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            status = _status(f"http://127.0.0.1:{port}/login")
            if status == 200:
                break
            time.sleep(0.5)  # polling a starting server, not pacing a user
        output = log.read_text()
        assert proc.poll() is None, f"app.py exited ({proc.returncode}):\n{output[-3000:]}"
        assert status == 200, output[-3000:]
        assert "Traceback" not in output, output[-3000:]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
