"""PostgreSQL restarts under load; the web app recovers without being restarted.

Three clients run a bounded loop against gunicorn (an overview filter callback as a viewer,
/healthz and the shell layout, milestone note saves as a county lead) while the database
server restarts (`pg_ctl restart -m fast`, what `pg_ctlcluster restart` runs). Requests fail
only while the server is down (counted); every request begun after it is back succeeds,
the same gunicorn workers serve them (pool_pre_ping replaces the dead connections), and
no acknowledged save is lost.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from tests.conftest import postgres_unavailable
from tests.prod.conftest import PASSWORD, fill_demo
from tests.prod.procs import (
    Client,
    Gunicorn,
    PrivateCluster,
    baseline,
    check_milestones,
    county_lead_milestones,
    dash_response,
    postgres_bin,
    production_env,
)
from tests.prod.test_worker_kill import open_form, save_note
from tests.web.dashcalls import forge
from tracker.config import load_settings
from tracker.db import make_engine
from tracker.web.app import create_app

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.clock]

BEFORE_S = 4.0  # load before the restart
AFTER_S = 6.0  # load after the server is back
GRACE_S = 1.0  # requests begun this soon after the restart may still meet a dead connection
MAX_REQUESTS = 400  # per client


@dataclass
class Sample:
    start: float
    end: float
    kind: str
    ok: bool
    detail: str = ""


@pytest.fixture
def cluster():
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql"
        )
    root = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    server = PrivateCluster(bindir, root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_app_recovers_from_a_postgresql_restart_under_load(cluster, tmp_path, servers):
    admin = make_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "faults"'))
    admin.dispose()
    url = cluster.url("faults")
    fill_demo(url)
    engine = make_engine(url)
    app = create_app(load_settings(env={}), engine)
    lead, milestones = county_lead_milestones(engine, limit=2)
    base = baseline(engine)
    engine.dispose()  # nothing of the test's own holds a connection through the restart

    server = Gunicorn(production_env(url), log=tmp_path / "gunicorn.log")
    servers.append(server)
    server.start()
    master, workers = server.process.pid, server.workers_pids()  # type: ignore[union-attr]
    samples: list[Sample] = []
    acknowledged: list[dict] = []
    unacknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def timed(kind: str, call) -> object:
        start = time.monotonic()
        ok, detail, value = False, "", None
        try:
            ok, value = call()
        except (requests.RequestException, ValueError, KeyError, AssertionError) as exc:
            detail = type(exc).__name__
        with lock:
            samples.append(Sample(start, time.monotonic(), kind, ok, detail))
        return value if ok else None

    def viewer() -> None:
        client = Client(server.url, timeout=15)
        client.login("leader", PASSWORD)
        body = forge(app, "refresh_overview", {"ov-county.value": lead.county})
        for _ in range(MAX_REQUESTS):
            if stop.is_set():
                return
            timed(
                "overview filter",
                lambda: (
                    (r := client.dash(body)).status_code == 200 and "ov-body" in dash_response(r),
                    None,
                ),
            )
            time.sleep(0.05)

    def prober() -> None:
        client = Client(server.url, timeout=15)
        client.login("admin", PASSWORD)
        for _ in range(MAX_REQUESTS):
            if stop.is_set():
                return
            timed(
                "healthz",
                lambda: (
                    client.http.get(f"{server.url}/healthz", timeout=15).status_code == 200,
                    None,
                ),
            )
            timed(
                "layout",
                lambda: (client.http.get(f"{server.url}/_dash-layout", timeout=15).ok, None),
            )
            time.sleep(0.05)

    def saver() -> None:
        client = Client(server.url, timeout=15)
        client.login(lead.username, PASSWORD)
        for n in range(MAX_REQUESTS):
            if stop.is_set():
                return
            milestone = milestones[n % len(milestones)]
            form = timed("open form", lambda m=milestone: (True, open_form(app, client, m)))
            if form is None:
                time.sleep(0.1)
                continue
            note = f"重启测试 {uuid.uuid4().hex[:12]}"
            record = {"id": milestone, "seen": form["version"], "note": note}
            saved = timed("save note", lambda f=form, t=note: (save_note(app, client, f, t), True))
            with lock:
                (acknowledged if saved else unacknowledged).append(record)
            time.sleep(0.05)

    threads = [threading.Thread(target=f) for f in (viewer, prober, saver)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(BEFORE_S)
        down = time.monotonic()
        cluster.restart()
        back = time.monotonic()
        time.sleep(AFTER_S)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)

    before = [s for s in samples if s.end < down]
    during = [s for s in samples if s.end >= down and s.start < back + GRACE_S]
    after = [s for s in samples if s.start >= back + GRACE_S]
    failed_during = [s for s in during if not s.ok]
    print(
        f"\npostgresql restart: down for {back - down:.1f} s; requests before {len(before)} "
        f"(failed {sum(not s.ok for s in before)}), in the restart window {len(during)} "
        f"(failed {len(failed_during)}: {sorted({s.kind + ':' + (s.detail or 'HTTP') for s in failed_during})}), "
        f"after {len(after)} (failed {sum(not s.ok for s in after)}); "
        f"saves acknowledged {len(acknowledged)}, unacknowledged {len(unacknowledged)}"
    )
    assert before and all(s.ok for s in before)
    assert [s for s in after if not s.ok] == []
    kinds_after = {s.kind for s in after}
    assert {"overview filter", "healthz", "layout", "save note"} <= kinds_after
    assert sum(s.kind == "save note" for s in after) >= 2
    # the app was not restarted: the same master and the same workers served throughout
    assert server.process.poll() is None and server.process.pid == master  # type: ignore[union-attr]
    assert server.workers_pids() == workers
    assert server.healthy()
    server.stop()

    engine = make_engine(url)
    figures = check_milestones(engine, base, acknowledged, unacknowledged)
    engine.dispose()
    assert figures["acknowledged"] >= 4
