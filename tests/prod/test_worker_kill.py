"""kill -9 of a gunicorn worker in the middle of a milestone save.

The save is slowed with the test-only hook TRACKER_TEST_SLOW_SAVE_MS (tests/prod/hooks.py,
attached by gunicorn's tests.prod.hooked_app: it sleeps after the row and its audit entry are
written, before the commit), three clients save notes on their
own milestones, and a gunicorn worker is killed three times while it holds such a save.
Afterwards: the killed saves left nothing, every acknowledged save is there, each row's
version matches its audit trail, the master has respawned the workers and the app answers.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid

import pytest
import requests
from sqlmodel import select

from tests.prod.conftest import PASSWORD
from tests.prod.procs import (
    HOOKED_APP,
    Client,
    Gunicorn,
    baseline,
    check_milestones,
    county_lead_milestones,
    dash_response,
    hook_lines,
    production_env,
    wait_until,
)
from tests.web.dashcalls import forge
from tracker.config import load_settings
from tracker.db import make_engine, read_session
from tracker.models import AuditLog, Milestone
from tracker.web.app import create_app
from tracker.web.views.project import ProjectIds

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.clock]

KILLS = 3
CLIENTS = 3
SAVES_PER_CLIENT = 6
SLOW_SAVE_MS = 1500


def open_form(app, client: Client, milestone_id: int) -> dict:
    body = forge(
        app, "open_milestone_form", {}, pattern={"type": ProjectIds.EDIT, "index": milestone_id}
    )
    resp = client.dash(body)
    assert resp.status_code == 200, resp.text[:300]
    return dash_response(resp)[ProjectIds.FORM]["data"]


def save_note(app, client: Client, form: dict, note: str) -> bool:
    """True when the app acknowledged the save (the form closed)."""
    body = forge(
        app,
        "save_milestone_note",
        {
            f"{ProjectIds.NOTE_SAVE}.n_clicks": 1,
            f"{ProjectIds.FORM}.data": form,
            f"{ProjectIds.NOTE}.value": note,
        },
    )
    resp = client.dash(body)
    if resp.status_code != 200:
        return False
    return dash_response(resp).get(ProjectIds.MODAL, {}).get("opened") is False


def test_kill_9_of_a_worker_mid_save_loses_nothing_acknowledged_and_writes_nothing_partial(
    prod_db, tmp_path, servers
):
    engine = make_engine(prod_db)
    app = create_app(load_settings(env={}), engine)
    lead, ids = county_lead_milestones(engine)
    assert len(ids) >= CLIENTS * 2
    mine = [ids[i * 2 : i * 2 + 2] for i in range(CLIENTS)]  # two milestones per client
    base = baseline(engine)
    hooks = tmp_path / "hooks.log"
    server = Gunicorn(
        production_env(
            prod_db,
            TRACKER_TEST_SLOW_SAVE_MS=str(SLOW_SAVE_MS),
            TRACKER_TEST_HOOK_FILE=str(hooks),
        ),
        log=tmp_path / "gunicorn.log",
        app=HOOKED_APP,
    )
    servers.append(server)
    server.start()
    acknowledged: list[dict] = []
    unacknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def work(milestones: list[int]) -> None:
        client = Client(server.url, timeout=30)
        for _ in range(3):
            try:
                client.login(lead.username, PASSWORD)
                break
            except (requests.RequestException, AssertionError):
                time.sleep(1)
        deadline = time.monotonic() + 120
        for n in range(SAVES_PER_CLIENT):
            if stop.is_set() or time.monotonic() > deadline:
                return
            milestone = milestones[n % len(milestones)]
            note = f"故障测试 {uuid.uuid4().hex[:12]}"
            try:
                form = open_form(app, client, milestone)
            except (requests.RequestException, KeyError, ValueError, AssertionError):
                time.sleep(0.5)
                continue
            record = {"id": milestone, "seen": form["version"], "note": note}
            try:
                ok = save_note(app, client, form, note)
            except (requests.RequestException, ValueError) as exc:
                ok, record["why"] = False, type(exc).__name__
            with lock:
                (acknowledged if ok else unacknowledged).append(record)

    threads = [threading.Thread(target=work, args=(m,)) for m in mine]
    for thread in threads:
        thread.start()
    killed: list[tuple[int, str]] = []
    try:
        for _ in range(KILLS):
            seen = len(hook_lines(hooks, "slow_save"))

            def paused(seen: int = seen) -> tuple[int, str] | None:
                lines = hook_lines(hooks, "slow_save")[seen:]
                live = [x for x in lines if x[0] in server.workers_pids()]
                return live[-1] if live else None

            pid, detail = wait_until(paused, 60, 0.05, "a worker paused inside a save")
            before = server.workers_pids()
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, detail))
            wait_until(
                lambda before=before, pid=pid: (
                    len(server.workers_pids()) == server.workers
                    and pid not in server.workers_pids()
                    and server.workers_pids() != before
                ),
                60,
                0.1,
                "the master to respawn the worker",
            )
    finally:
        for thread in threads:
            thread.join(180)
        stop.set()

    # the master respawned every killed worker, and the app answers and saves again
    workers = server.workers_pids()
    assert len(workers) == server.workers
    assert not workers & {pid for pid, _ in killed}
    wait_until(server.healthy, 60, 0.25, "/healthz after the kills")
    after = Client(server.url)
    after.login(lead.username, PASSWORD)
    form = open_form(app, after, mine[0][0])
    final = {"id": mine[0][0], "seen": form["version"], "note": "故障测试之后"}
    assert save_note(app, after, form, final["note"])
    acknowledged.append(final)
    server.stop()

    assert len(killed) == KILLS
    figures = check_milestones(engine, base, acknowledged, unacknowledged)
    # the saves held by the killed workers are not in the database at all
    with read_session(engine) as session:
        notes = {m.id: m.note for m in session.exec(select(Milestone)).all()}
    with read_session(engine) as session:
        audited_notes = {
            (e.entity_id, (e.after or {}).get("note"))
            for e in session.exec(select(AuditLog).where(AuditLog.entity == "milestone"))
        }
    for _pid, detail in killed:
        parts = dict(part.split("=") for part in detail.split())
        milestone, version = int(parts["milestone"]), int(parts["version"])
        held = [u for u in unacknowledged if u["id"] == milestone and u["seen"] == version - 1]
        assert held, f"no unacknowledged save matches the killed one {detail}"
        for record in held:
            assert (milestone, record["note"]) not in audited_notes
            assert notes[milestone] != record["note"]
    print(
        f"\nworker kill: {len(killed)} kills, {figures['acknowledged']} acknowledged saves all "
        f"present, {figures['unacknowledged']} unacknowledged "
        f"({figures['unacknowledged_committed']} of them committed), "
        f"{figures['audit_entries']} audit entries consistent with row versions; "
        f"unacknowledged: {[u.get('why', 'refused') for u in unacknowledged]}"
    )
    engine.dispose()
