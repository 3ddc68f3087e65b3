"""Real processes for the fault tests: gunicorn, the scheduler, a logged-in HTTP client,
and checks of the database afterwards. Everything listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine
from sqlmodel import col, select

from tracker.db import read_session
from tracker.models import AuditLog, Milestone, Project, User

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


HOOKED_APP = "tests.prod.hooked_app:server"  # app:server with tests/prod/hooks.py installed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], Any], timeout: float, step: float = 0.1, what: str = "") -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or check}")
        time.sleep(step)


def production_env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_TEST_")}
    env.update(
        DATABASE_URL=url,
        TRACKER_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        SESSION_COOKIE_SECURE="false",  # plain HTTP on loopback: told so explicitly
        TRACKER_SCHEDULER="off",
        LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc)."""
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(entry.name))
    return out


@dataclass
class Gunicorn:
    """`gunicorn app:server` in production mode on a free loopback port (``app`` names
    another module, e.g. ``HOOKED_APP``: the same app with the fault tests' pauses)."""

    env: dict[str, str]
    log: Path
    app: str = "app:server"
    workers: int = 2
    threads: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> Gunicorn:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    self.app,
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self.healthy, timeout, 0.25, "gunicorn /healthz")
        wait_until(lambda: len(self.workers_pids()) == self.workers, 30, 0.1, "all workers")
        return self

    def healthy(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def workers_pids(self) -> set[int]:
        assert self.process is not None
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


def hook_lines(path: Path, point: str) -> list[tuple[int, str]]:
    """(pid, detail) of every pause announced at ``point`` so far."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ", 2)
        if len(parts) >= 2 and parts[0] == point:
            out.append((int(parts[1]), parts[2] if len(parts) > 2 else ""))
    return out


class Client:
    """A browser-like session: logs in through the form, then posts Dash callbacks."""

    def __init__(self, base: str, timeout: float = 30) -> None:
        self.base = base
        self.http = requests.Session()
        self.timeout = timeout

    def login(self, username: str, password: str) -> None:
        form = self.http.get(f"{self.base}/login", timeout=self.timeout)
        token = CSRF.search(form.text)
        assert token, form.text[:500]
        resp = self.http.post(
            f"{self.base}/login",
            data={"csrf_token": token.group(1), "username": username, "password": password},
            allow_redirects=False,
            timeout=self.timeout,
        )
        assert resp.status_code == 302, (resp.status_code, resp.text[:300])

    def dash(self, body: dict) -> requests.Response:
        return self.http.post(
            f"{self.base}/_dash-update-component", json=body, timeout=self.timeout
        )


def dash_response(resp: requests.Response) -> dict:
    return resp.json().get("response", {})


# --- the database afterwards ----------------------------------------------------------------


def county_lead_milestones(
    engine: Engine, username: str = "yunxian", limit: int | None = None
) -> tuple[User, list[int]]:
    """A demo county lead and the ids of their county's milestones, in id order."""
    with read_session(engine) as session:
        lead = session.exec(select(User).where(User.username == username)).one()
        query = (
            select(Milestone.id)
            .join(Project, col(Project.id) == Milestone.project_id)
            .where(Project.county == lead.county)
            .order_by(col(Milestone.id))
            .limit(limit)
        )
        return lead, list(session.exec(query).all())


def milestone_versions(engine: Engine) -> dict[int, int]:
    with read_session(engine) as session:
        return dict(session.exec(select(Milestone.id, Milestone.version)).all())  # type: ignore[arg-type]


def last_audit_id(engine: Engine) -> int:
    with read_session(engine) as session:
        return session.exec(select(AuditLog.id).order_by(col(AuditLog.id).desc())).first() or 0


def baseline(engine: Engine) -> tuple[dict[int, int], int]:
    """What ``check_milestones`` starts from: every milestone's version, the last audit id."""
    return milestone_versions(engine), last_audit_id(engine)


def check_milestones(
    engine: Engine,
    base: tuple[dict[int, int], int],
    acknowledged: list[dict[str, Any]],
    unacknowledged: list[dict[str, Any]],
) -> dict[str, int]:
    """No partial writes and no lost acknowledged saves.

    Every milestone's audit entries since the ``base``line (``baseline``) run from its start
    version to its row version without a gap; the row's note is the last audited one; each
    acknowledged note save (``{"id", "seen", "note"}``) is audited at version seen + 1; an
    unacknowledged one is either wholly there (audit entry and row history) or not there at
    all."""
    base_versions, base_audit = base
    with read_session(engine) as session:
        entries = session.exec(
            select(AuditLog)
            .where(col(AuditLog.id) > base_audit)
            .where(AuditLog.entity == "milestone")
            .order_by(AuditLog.id)
        ).all()
        rows = {m.id: m for m in session.exec(select(Milestone)).all()}
    by_id: dict[int, list[AuditLog]] = defaultdict(list)
    for entry in entries:
        by_id[entry.entity_id or 0].append(entry)
    for mid, row in rows.items():
        items = by_id.get(mid or 0, [])
        start = base_versions[mid or 0]
        befores = [(e.before or {}).get("version") for e in items]
        afters = [(e.after or {}).get("version") for e in items]
        assert afters == list(range(start + 1, start + 1 + len(items))), (mid, befores, afters)
        assert befores == [v - 1 for v in afters], (mid, befores, afters)
        assert row.version == start + len(items), (mid, row.version, start, len(items))
        if items:
            assert row.note == (items[-1].after or {}).get("note"), mid
    audited = {(e.entity_id, (e.after or {}).get("version")): e for e in entries}
    for ack in acknowledged:
        entry = audited.get((ack["id"], ack["seen"] + 1))
        assert entry is not None, f"acknowledged save lost: {ack}"
        assert (entry.after or {}).get("note") == ack["note"], ack
    notes = {(e.entity_id, (e.after or {}).get("note")) for e in entries}
    committed = sum((u["id"], u["note"]) in notes for u in unacknowledged)
    return {
        "audit_entries": len(entries),
        "acknowledged": len(acknowledged),
        "unacknowledged": len(unacknowledged),
        "unacknowledged_committed": committed,
    }


# --- a private PostgreSQL cluster, to restart without cutting off anybody else ---------------


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin directory (Debian layout), if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


@dataclass
class PrivateCluster:
    """A throwaway PostgreSQL cluster on a free loopback port (trust auth, fsync off).

    The shared server on 5432 also serves other test runs; restarting it would cut them
    off, so the restart test restarts this one instead (the same `pg_ctl restart -m fast`
    that `pg_ctlcluster restart` runs). As root, the server runs as the `postgres` user."""

    bindir: Path
    root: Path
    port: int = field(default_factory=free_port)
    initdb_args: tuple[str, ...] = ("-A", "trust")

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # never a pipe: the server started by pg_ctl would inherit it and keep it open
        with (self.root / "ctl.log").open("ab") as out:
            subprocess.run(
                command, check=True, timeout=timeout, stdout=out, stderr=subprocess.STDOUT
            )

    def start(self) -> PrivateCluster:
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", *self.initdb_args, "-E", "UTF8")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    def restart(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "restart",
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
