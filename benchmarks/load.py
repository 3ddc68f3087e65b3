"""Load test of the production path: PostgreSQL, gunicorn with several workers, locust.

    python3 benchmarks/load.py [--users 50] [--spawn-rate USERS/20] [--run-time 75]
                               [--workers 4] [--threads 2] [--think 1 5] [--keep]
                               [--keep-alive] [--profile] [--hide MODULE]
                               [--login-threads 16] [--login-slots N]

What it does, all on 127.0.0.1 (needs locust and, for --profile, py-spy: requirements-dev.txt):

1. creates a fresh PostgreSQL database (next to TRACKER_TEST_POSTGRES, default
   postgresql+psycopg://postgres@127.0.0.1:5432/test) and runs `python -m tracker init` and
   `python -m tracker demo` into it; the office then returns the open month's submitted
   reports for correction, so county leads have drafts to save; logins are added so that
   at most two locust users share one (the demo has one per county): county leads, several
   per county, and city viewers, all with the same password;
2. starts `gunicorn app:server` (TRACKER_ENV=production, a SECRET_KEY, TRACKER_SCHEDULER=off,
   LOG_FORMAT=json) on a free loopback port and, as docs/deploy.md installs it
   (tracker-login.service, to which nginx sends /login), a second gunicorn of the same app for
   the logins, 1 worker x --login-threads threads (0: no second one, the logins go to the
   readers' workers), and waits for their /healthz;
3. runs locust headless (benchmarks/load_locustfile.py) for a bounded time. County leads
   (4 in 5 users; several share a county's account, so their saves meet) and office readers
   log in through the form (by default all within 20 s, as when a dispatch meeting
   starts), then browse and save with a think time between actions: the
   overview (page load + filter callback), a project page (page load + the callbacks its
   components fire), the battle map (page load + one or two filter changes) when the app
   has /battle-map, and, as county leads on their own projects, milestone notes and
   reschedules (form opened, then saved, then the page refreshed, through the real
   callbacks) and report drafts (the /reports page's own save callback when the app has
   it, else `services.reports.save_draft` from threads of this script);
4. stops gunicorn, checks the database for lost updates (every acknowledged save is in the
   audit log and the row; versions run without gaps from the start version to the row's),
   prints the tables (whole run, and steady state after the last login) with the CPU each
   part used (gunicorn, the PostgreSQL backends of its database, locust, this runner, py-spy,
   everything else on the machine) and the load average before the run, and drops the
   database (unless --keep).

--profile: gunicorn runs under py-spy and loads benchmarks.profiled_app:server, one thread a
worker; the script then prints, per request kind, its CPU per request and the shares of
Dash's JSON, queries, figure building, statuses, auth/session, Dash components, compression
and the rest, with the top functions of the three costliest kinds (benchmarks/profiling.py;
`python -m benchmarks.profiling compare DIR DIR` sets two runs' CPU per kind side by side).
--hide orjson: the workers run as in an environment without orjson.

Conflicts (a save refused because somebody saved first) are expected answers, counted
apart from errors. Exit status 0 when the targets hold (p95 reads <= 500 ms, saves <= 1 s,
no errors, no lost updates), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from tracker.db import make_engine, read_session, write_session  # noqa: E402
from tracker.models import AuditLog, Milestone, MonthlyReport, Project, ReportingPeriod, User  # noqa: E402
from tracker.services.auth import Actor  # noqa: E402
from tracker.services.errors import ConflictError, ServiceError  # noqa: E402

PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "load-pass-2026"
LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
READ_P95_MS = 500.0
PYSPY_RATE = 200  # samples a second of each worker (--profile)
SAVE_P95_MS = 1000.0
# The callbacks the locust users forge (their specs come from the app's callback_map).
CALLBACKS = (
    "refresh_overview",
    "open_milestone_form",
    "save_milestone_done",
    "save_milestone_reschedule",
    "save_milestone_note",
    "refresh_project_page",
)
# The report-entry page's callbacks, used when the app has that page.
REPORT_CALLBACKS = ("save_report_drafts", "refresh_report_panels")
# The battle map's one callback for every control, used when the app has that page.
BATTLE_MAP_CALLBACK = "update_battle_map"
# The frame's per-user part (name, bell, period), fired by every page load where the app has it.
FRAME_CALLBACK = "user_frame"


# --- processes and the database ----------------------------------------------------------


def database_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def create_database(name: str) -> None:
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_database(name: str) -> None:
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )


def wait_healthy(url: str, timeout: float = 90.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{url}/healthz did not answer 200 within {timeout:.0f} s")


def start_gunicorn(
    env: dict[str, str],
    port: int,
    workers: int,
    threads: int,
    log: Path,
    wsgi_app: str = "app:server",
    pyspy: Path | None = None,
) -> subprocess.Popen:
    """gunicorn, or, given ``pyspy`` (its raw output), py-spy sampling gunicorn's workers."""
    sampler = (
        ["py-spy", "record", "--subprocesses", "--nonblocking", "-r", str(PYSPY_RATE)]
        + ["-f", "raw", "-o", str(pyspy), "--"]
        if pyspy is not None
        else []
    )
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                *sampler,
                sys.executable,
                "-m",
                "gunicorn",
                wsgi_app,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, timeout: float = 30.0, master: int | None = None) -> None:
    """SIGTERM to gunicorn (``master`` when ``process`` is py-spy running it: py-spy then
    writes its samples and exits with it), SIGKILL to the group after ``timeout``."""
    if process.poll() is not None:
        return
    if master is not None:
        try:
            os.kill(master, signal.SIGTERM)
        except ProcessLookupError:
            process.send_signal(signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def production_env(url: str) -> dict[str, str]:
    """The web app's settings as a production server has them (tests/prod's), logging warnings."""
    from tests.prod.procs import production_env as settings_of

    return settings_of(url, LOG_LEVEL="WARNING")


# --- the plan the locust users follow ----------------------------------------------------


def prepare_reports(engine: Engine, today: date) -> date:
    """The office returns the open month's submitted reports for correction (a normal step
    of the cycle), so the county leads have drafts to save. Returns the open month."""
    from tracker.services.reports import return_report

    with read_session(engine) as session:
        period = session.exec(
            select(ReportingPeriod.period)
            .where(ReportingPeriod.status == "open")
            .order_by(col(ReportingPeriod.period).desc())
        ).first()
        admin = session.exec(select(User).where(User.username == "admin")).one()
        submitted = session.exec(
            select(MonthlyReport)
            .where(MonthlyReport.period == period)
            .where(MonthlyReport.status == "submitted")
        ).all()
    if period is None:
        raise RuntimeError("the demo office has no open reporting month")
    office = Actor.of(admin)
    with write_session(engine) as session:
        for report in submitted:
            return_report(
                session,
                actor=office,
                project_id=report.project_id,
                period=period,
                comment="负载测试前退回修改",
                seen_version=report.version,
                today=today,
            )
    return period


def accounts_needed(users: int, per_account: int = 2) -> tuple[int, int]:
    """(county lead accounts, reader accounts) so that at most ``per_account`` locust users
    share one: county leads are 4 in 5 users (the locustfile's weights), readers the rest."""
    leads = round(users * 4 / 5)
    readers = users - leads
    return -(-leads // per_account), -(-readers // per_account)


def add_accounts(engine: Engine, county_accounts: int, reader_accounts: int) -> int:
    """More logins than the demo's one per county: extra county leads (several per county, so
    the leads of a county share its projects and their saves meet) and city viewers, all with
    PASSWORD. Returns how many were added."""
    from tracker.domain.places import COUNTIES
    from tracker.services.auth import hash_password

    digest = hash_password(PASSWORD)  # one hash for all: each login still verifies it

    def login(username: str, name: str, role: str, county: str | None = None) -> User:
        return User(
            username=username, display_name=name, password_hash=digest, role=role, county=county
        )

    with read_session(engine) as session:
        have = session.exec(select(User.role, User.county)).all()
    per_county = -(-county_accounts // len(COUNTIES))
    added = []
    for n, county in enumerate(COUNTIES):
        existing = sum(1 for role, c in have if role == "county" and c == county)
        added += [
            login(f"load_county{n}_{k}", f"{county}牵头人{k}", "county", county)
            for k in range(existing, per_county)
        ]
    viewers = sum(1 for role, _ in have if role in {"admin", "viewer"})
    added += [
        login(f"load_viewer{k}", f"市领导{k}", "viewer") for k in range(viewers, reader_accounts)
    ]
    with write_session(engine) as session:
        session.add_all(added)
    return len(added)


def build_plan(engine: Engine, url: str, period: date) -> dict[str, Any]:
    from tests.web.dashcalls import callback
    from tracker.config import load_settings
    from tracker.i18n import t
    from tracker.services.milestones import STALE_MESSAGE
    from tracker.services.projects import filter_options
    from tracker.services.reports import scoped_projects
    from tracker.web.app import create_app
    from tracker.web.views.project import ProjectIds

    app = create_app(load_settings(env={"DATABASE_URL": url}), engine)
    names = {spec["callback"].__name__ for spec in app.callback_map.values() if "callback" in spec}
    has_reports = set(REPORT_CALLBACKS) <= names
    has_battle_map = BATTLE_MAP_CALLBACK in names
    specs = {}
    extra = (
        (REPORT_CALLBACKS if has_reports else ())
        + ((BATTLE_MAP_CALLBACK,) if has_battle_map else ())
        + ((FRAME_CALLBACK,) if FRAME_CALLBACK in names else ())
    )
    for name in CALLBACKS + extra:
        key, spec = callback(app, name)
        specs[name] = {"output": key, "inputs": spec["inputs"], "state": spec.get("state", [])}
    with read_session(engine) as session:
        options = filter_options(session)
        projects = session.exec(select(Project).order_by(Project.sort_order, Project.id)).all()
        milestones: dict[int, list[Milestone]] = defaultdict(list)
        for m in session.exec(select(Milestone).order_by(Milestone.project_id, Milestone.seq)):
            milestones[m.project_id].append(m)
        users = session.exec(select(User).order_by(User.id)).all()
        county_accounts = []
        for user in users:
            if user.role != "county":
                continue
            own = [p for p in projects if p.county == user.county and milestones[p.id or 0]]
            if not own:
                continue
            reportable = [
                p.id for p in scoped_projects(session, actor=Actor.of(user), period=period)
            ]
            plan_projects = [_project(p, milestones[p.id or 0]) for p in own]
            first = plan_projects[0]
            county_accounts.append(
                {
                    "username": user.username,
                    "county": user.county,
                    "projects": plan_projects,
                    "hot": [first, first["milestones"][:2]],
                    "reportable": reportable,
                    "user_id": user.id,
                }
            )
        readers = [{"username": u.username} for u in users if u.role in {"admin", "viewer"}]
    plan: dict[str, Any] = {
        "password": PASSWORD,
        "stale_marker": "已被他人修改",
        "callbacks": specs,
        "edit_type": ProjectIds.EDIT,
        "counties": options.counties,
        "areas": options.areas,
        "all_projects": [_project(p, milestones[p.id or 0]) for p in projects],
        "county_accounts": county_accounts,
        "reader_accounts": readers,
        "battle_map": _battle_map_ids(options) if has_battle_map else None,
        "reports": _report_ids(period) if has_reports else None,
        "period": period.isoformat(),
    }
    assert plan["stale_marker"] in t(STALE_MESSAGE)  # the catalogue's Chinese text
    return plan


def _battle_map_ids(options: Any) -> dict[str, Any]:
    from tracker.web.views.battle_map import BattleMapIds as Ids

    return {
        "callback": BATTLE_MAP_CALLBACK,
        "state": Ids.STATE,
        # the figure's data: the chart store where the map draws its row window in the
        # browser (#15), else the graph's figure
        "graph": getattr(Ids, "CHART", Ids.GRAPH),
        "filters": {
            f"{Ids.COUNTY}.value": [None, *options.counties],
            f"{Ids.LIGHT}.value": [None, "red", "amber", "green"],
            f"{Ids.AREA}.value": [None, *options.areas],
        },
    }


def _report_ids(period: date) -> dict[str, Any]:
    from tracker.web.views.reports import ReportsIds

    return {
        "grid": ReportsIds.GRID,
        "save": ReportsIds.SAVE,
        "period": ReportsIds.PERIOD,
        "panels": ReportsIds.PANELS,
        "period_value": period.isoformat(),
    }


def _project(project: Project, milestones: list[Milestone]) -> dict[str, Any]:
    return {
        "id": project.id,
        "milestones": [m.id for m in milestones],
        "open": [m.id for m in milestones if m.actual_date is None],
    }


# --- report saves through the service (until the app has a reports page) -----------------


@dataclass
class ServiceSaves:
    """Threads that save report drafts through ``services.reports.save_draft`` while locust
    runs, as the county leads (two threads per county, so they sometimes meet)."""

    engine: Engine
    accounts: list[dict[str, Any]]
    period: date
    today: date
    think: tuple[float, float]
    samples: list[dict[str, Any]] = field(default_factory=list)
    acks: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, per_county: int = 2, max_saves: int = 2000) -> None:
        self._budget = max_saves
        for account in self.accounts:
            if not account["reportable"]:
                continue
            for n in range(per_county):
                thread = threading.Thread(
                    target=self._run, args=(account, random.Random(f"{account['username']}{n}"))
                )
                thread.start()
                self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    def _take(self) -> bool:
        with self._lock:
            if self._budget <= 0:
                return False
            self._budget -= 1
            return True

    def _run(self, account: dict[str, Any], rng: random.Random) -> None:
        from tracker.config import load_settings
        from tracker.services.reports import ReportValues, save_draft

        settings = load_settings(env={})
        with read_session(self.engine) as session:
            user = session.get(User, account["user_id"])
            assert user is not None
            actor = Actor.of(user)
        hot = account["reportable"][:2]
        while not self._stop.wait(rng.uniform(*self.think)) and self._take():
            project_id = rng.choice(hot if rng.random() < 0.5 else account["reportable"])
            start = time.perf_counter()
            text_value = f"负载测试问题 {rng.getrandbits(40):010x}"
            outcome, why, seen, version = "ok", "", 0, 0
            try:
                with read_session(self.engine) as session:  # what the form was opened at
                    current = session.exec(
                        select(MonthlyReport)
                        .where(MonthlyReport.project_id == project_id)
                        .where(MonthlyReport.period == self.period)
                    ).first()
                seen = current.version if current is not None else 0
                time.sleep(rng.uniform(0.2, 1.0))  # typing
                start = time.perf_counter()
                with write_session(self.engine) as session:
                    report = save_draft(
                        session,
                        actor=actor,
                        project_id=project_id,
                        period=self.period,
                        values=ReportValues(problems=text_value, progress_text="负载测试"),
                        seen_version=seen,
                        today=self.today,
                        settings=settings,
                    )
                    version = report.version
            except ConflictError:
                outcome = "conflict"
            except ServiceError as exc:
                outcome, why = "refused", str(exc)[:100]
            except Exception as exc:  # noqa: BLE001 - every other failure is an error
                outcome, why = "error", f"{type(exc).__name__}: {exc}"[:200]
            ms = (time.perf_counter() - start) * 1000
            with self._lock:
                self.samples.append(
                    {
                        "t": time.time(),
                        "kind": "save",
                        "name": "save report draft (service)",
                        "ms": ms,
                        "outcome": outcome,
                        "error": why,
                    }
                )
                if outcome == "ok":
                    self.acks.append(
                        {
                            "what": "report.draft",
                            "project_id": project_id,
                            "seen": seen,
                            "version": version,
                            "problems": text_value,
                        }
                    )


# --- checking the database afterwards ------------------------------------------------------


@dataclass
class Baseline:
    audit_id: int
    milestones: dict[int, int]  # id -> version
    reports: dict[int, int]  # project id -> version (open month)


def baseline(engine: Engine, period: date) -> Baseline:
    with read_session(engine) as session:
        audit_id = session.exec(select(AuditLog.id).order_by(col(AuditLog.id).desc())).first()
        versions = dict(session.exec(select(Milestone.id, Milestone.version)).all())
        reports = dict(
            session.exec(
                select(MonthlyReport.project_id, MonthlyReport.version).where(
                    MonthlyReport.period == period
                )
            ).all()
        )
    return Baseline(audit_id or 0, versions, reports)  # type: ignore[arg-type]


def verify(
    engine: Engine, base: Baseline, period: date, acks: list[dict[str, Any]]
) -> dict[str, Any]:
    """Every acknowledged save is in the audit log with the version it produced and in the
    row (unless a later acknowledged save replaced it); each changed row's audit entries run
    from its start version to its current one without a gap or a repeat."""
    problems: list[str] = []
    with read_session(engine) as session:
        entries = session.exec(
            select(AuditLog).where(col(AuditLog.id) > base.audit_id).order_by(AuditLog.id)
        ).all()
        rows = {m.id: m for m in session.exec(select(Milestone)).all()}
        reports = {
            r.project_id: r
            for r in session.exec(select(MonthlyReport).where(MonthlyReport.period == period))
        }
    by_milestone: dict[int, list[AuditLog]] = defaultdict(list)
    by_report: dict[int, list[AuditLog]] = defaultdict(list)
    report_ids = {r.id: r.project_id for r in reports.values()}
    for entry in entries:
        if entry.entity == "milestone":
            by_milestone[entry.entity_id or 0].append(entry)
        elif entry.entity == "monthlyreport":
            by_report[report_ids.get(entry.entity_id or 0, -1)].append(entry)

    def chain(label: str, start: int, current: int, items: list[AuditLog]) -> None:
        versions = [(e.before or {}).get("version", 0) for e in items]
        afters = [(e.after or {}).get("version") for e in items]
        expected = list(range(start + 1, start + 1 + len(items)))
        if afters != expected or versions != [v - 1 for v in expected]:
            problems.append(f"{label}: audit versions {versions}->{afters}, expected {expected}")
        if current != start + len(items):
            problems.append(f"{label}: row version {current}, start {start} + {len(items)} saves")

    for mid, items in by_milestone.items():
        chain(f"milestone {mid}", base.milestones.get(mid, 0), rows[mid].version, items)
    for mid, row in rows.items():
        if mid not in by_milestone and row.version != base.milestones.get(mid):
            problems.append(f"milestone {mid}: version moved without an audit entry")
    for pid, items in by_report.items():
        if pid in reports:
            chain(f"report {pid}", base.reports.get(pid, 0), reports[pid].version, items)
    audited = {
        ("milestone", e.entity_id, (e.after or {}).get("version")): e
        for items in by_milestone.values()
        for e in items
    }
    audited.update(
        {
            ("report", pid, (e.after or {}).get("version")): e
            for pid, items in by_report.items()
            for e in items
        }
    )
    acked = 0
    latest: dict[tuple[str, int], tuple[int, dict]] = {}
    for ack in acks:
        if ack["what"].startswith("milestone"):
            key = ("milestone", ack["id"], ack["seen"] + 1)
        else:
            key = ("report", ack["project_id"], ack["version"])
        entry = audited.get(key)
        if entry is None:
            problems.append(f"lost: acknowledged {ack['what']} {key} is not in the audit log")
            continue
        after = entry.after or {}
        if ack["what"] == "milestone.note" and after.get("note") != ack["note"]:
            problems.append(f"{key}: audit note {after.get('note')!r} != saved {ack['note']!r}")
        if ack["what"] == "milestone.reschedule" and ack["date"] not in (
            after.get("planned_date"),
            after.get("pending_date"),
        ):
            problems.append(f"{key}: audit dates do not hold the saved {ack['date']}")
        if ack["what"] == "report.draft" and after.get("problems") != ack["problems"]:
            problems.append(f"{key}: audit problems differ from the saved text")
        acked += 1
        slot = (key[0], key[1])
        if slot not in latest or key[2] > latest[slot][0]:
            latest[slot] = (key[2], ack)
    # the row holds the newest acknowledged save when that save is the row's current version
    for (kind, ident), (version, ack) in latest.items():
        if kind == "milestone":
            row = rows[ident]
            if (
                row.version == version
                and ack["what"] == "milestone.note"
                and row.note != ack["note"]
            ):
                problems.append(f"milestone {ident}: row note is not the last acknowledged one")
        else:
            report = reports.get(ident)
            if (
                report is not None
                and report.version == version
                and report.problems != ack["problems"]
            ):
                problems.append(f"report {ident}: row text is not the last acknowledged one")
    unacknowledged = len(audited) - acked
    return {
        "acknowledged": len(acks),
        "found": acked,
        "audit_entries": len(entries),
        "unacknowledged_commits": unacknowledged,
        "problems": problems,
    }


# --- the table ------------------------------------------------------------------------------


def pct(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def summarize(samples: list[dict[str, Any]], seconds: float, key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in samples:
        groups[s[key]].append(s)
    rows = []
    for name, items in sorted(groups.items()):
        ordered = sorted(s["ms"] for s in items)
        rows.append(
            {
                "name": name,
                "requests": len(items),
                "rps": len(items) / seconds if seconds else 0.0,
                "p50": pct(ordered, 0.50),
                "p95": pct(ordered, 0.95),
                "p99": pct(ordered, 0.99),
                "max": ordered[-1],
                "errors": sum(s["outcome"] == "error" for s in items),
                "conflicts": sum(s["outcome"] == "conflict" for s in items),
                "refused": sum(s["outcome"] == "refused" for s in items),
            }
        )
    return rows


def within(row: dict[str, Any] | None, limit_ms: float, least: int = 20) -> bool:
    """A p95 verdict: at least ``least`` requests measured, and their p95 within the limit."""
    return row is not None and row["requests"] >= least and row["p95"] <= limit_ms


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    head = f"{'':<34}{'requests':>9}{'RPS':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>7}{'errors':>8}{'conflicts':>10}{'refused':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['name']:<34}{r['requests']:>9}{r['rps']:>7.1f}{r['p50']:>7.0f}{r['p95']:>7.0f}"
            f"{r['p99']:>7.0f}{r['max']:>7.0f}{r['errors']:>8}{r['conflicts']:>10}{r['refused']:>8}"
        )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


# --- where the CPU went -------------------------------------------------------------------------


def process_jiffies(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def machine_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out.append(int(entry.name))
    return out


@dataclass
class CpuMeter:
    """CPU used during the load window: the whole machine, and this test's own processes
    (gunicorn, the PostgreSQL backends serving its database, locust, this runner)."""

    engine: Engine
    database: str
    gunicorn_pid: int
    profiler_pid: int | None = None  # py-spy, when it runs gunicorn (--profile)
    login_pid: int | None = None  # the logins' own gunicorn (--login-threads)
    start: dict[str, Any] = field(default_factory=dict)

    def _pg_pids(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    text("select pid from pg_stat_activity where datname = :d"),
                    {"d": self.database},
                ).scalars()
            )

    def snapshot(self) -> dict[str, Any]:
        web = [self.gunicorn_pid, *children_of(self.gunicorn_pid)]
        profiler = [self.profiler_pid] if self.profiler_pid else []
        logins = [self.login_pid, *children_of(self.login_pid)] if self.login_pid else []
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "machine": machine_jiffies(),
            "web": {pid: process_jiffies(pid) for pid in web},
            "profiler": {pid: process_jiffies(pid) for pid in profiler},
            "logins": {pid: process_jiffies(pid) for pid in logins},
            "pg": {pid: process_jiffies(pid) for pid in self._pg_pids()},
            "children_s": children.ru_utime + children.ru_stime,
            "self_s": me.ru_utime + me.ru_stime,
        }

    def begin(self) -> None:
        self.start = self.snapshot()

    def end(self) -> dict[str, float]:
        """Average CPU in percent of one core over the window, by consumer."""
        end, start = self.snapshot(), self.start
        tick = os.sysconf("SC_CLK_TCK")
        busy = end["machine"][0] - start["machine"][0]
        total = end["machine"][1] - start["machine"][1]
        cpus = os.cpu_count() or 1
        seconds = total / tick / cpus

        def used(kind: str) -> float:
            return sum(v - start[kind].get(pid, 0) for pid, v in end[kind].items()) / tick

        shares = {
            "gunicorn": used("web"),
            "login gunicorn": used("logins"),
            "py-spy": used("profiler"),
            "postgresql": used("pg"),
            "locust": end["children_s"] - start["children_s"],
            "runner": end["self_s"] - start["self_s"],
        }
        out = {k: 100 * v / seconds for k, v in shares.items()}
        out["machine"] = 100 * busy / tick / seconds
        out["others"] = max(0.0, out["machine"] - sum(out[k] for k in shares))
        out["capacity"] = 100.0 * cpus
        return out


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=None,
        help="users started a second (default: users / 20, everybody in within 20 s, as the "
        "counties open the app when a dispatch meeting starts)",
    )
    parser.add_argument(
        "--run-time",
        type=int,
        default=None,
        help="seconds (at most 600; default 75, or users x 0.6 from 125 users on: the login "
        "burst must leave a steady state to measure)",
    )
    parser.add_argument(
        "--full-loads",
        type=float,
        default=0.2,
        metavar="SHARE",
        help="share of page visits that load the whole page (index, layout, dependencies, the "
        "frame) as a reload or an opened link does; the others navigate inside the app as its "
        "links do (only the page's callbacks). The first visit after a login always loads the "
        "whole page; 1 = every visit (the model before #15)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--login-threads",
        type=int,
        default=16,
        metavar="N",
        help="logins (GET and POST /login) go to a gunicorn of their own, 1 worker x N threads, "
        "as nginx routes them in docs/deploy.md (tracker-login.service; default 16, as there); "
        "0: to the readers' workers",
    )
    parser.add_argument(
        "--login-slots",
        type=int,
        default=None,
        metavar="N",
        help="LOGIN_HASH_SLOTS of the logins' gunicorn (default: the app's default)",
    )
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="reuse connections (default: one request a connection, as nginx talks to gunicorn)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample each gunicorn worker's CPU per request kind (benchmarks/profiling.py) and "
        "print where it goes: Dash's JSON, queries, figures, statuses, auth, compression",
    )
    parser.add_argument(
        "--hide",
        action="append",
        default=[],
        metavar="MODULE",
        help="make gunicorn's workers fail to import MODULE, as in an environment without it "
        "(e.g. --hide orjson: plotly and Dash fall back to the json module)",
    )
    args = parser.parse_args()
    if args.spawn_rate is None:
        args.spawn_rate = max(1.0, args.users / 20)
    if args.profile and args.threads != 1:
        # py-spy counts a thread waiting for its worker's GIL as running: one thread a worker
        print(f"--profile: gunicorn with 1 thread a worker (not {args.threads})")
        args.threads = 1
    if args.run_time is None:
        args.run_time = max(75, round(args.users * 0.6))
    run_time = max(10, min(args.run_time, 600))

    from tracker.startup import shanghai_today

    name = f"load_{os.getpid()}"
    url = database_url(name)
    work = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    print(f"database {name}; files in {work}", flush=True)
    create_database(name)
    gunicorn: subprocess.Popen | None = None
    logins: subprocess.Popen | None = None
    master: int | None = None
    engine = make_engine(url, pool_size=20)
    try:
        env = dict(os.environ, DATABASE_URL=url, TRACKER_ENV="development")
        started = time.monotonic()
        run_cli(env, "init")
        run_cli(env, "demo", "--password", PASSWORD)
        print(f"init + demo: {time.monotonic() - started:.1f} s", flush=True)
        today = shanghai_today()
        period = prepare_reports(engine, today)
        added = add_accounts(engine, *accounts_needed(args.users))
        print(f"accounts added for {args.users} users: {added}", flush=True)
        plan = build_plan(engine, url, period)
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        base = baseline(engine, period)

        port = free_port()
        host = f"http://127.0.0.1:{port}"
        web_env = production_env(url)
        if args.hide:
            hidden = work / "hidden"
            hidden.mkdir()
            for module in args.hide:
                (hidden / f"{module}.py").write_text(
                    f"raise ImportError('{module} hidden by benchmarks/load.py --hide')\n"
                )
            web_env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(hidden), web_env.get("PYTHONPATH")])
            )
        profile_dir = work / "profile"
        pyspy_file = profile_dir / "pyspy.txt"
        if args.profile:
            web_env["LOAD_PROFILE_DIR"] = str(profile_dir)
            profile_dir.mkdir()
        gunicorn = start_gunicorn(
            web_env,
            port,
            args.workers,
            args.threads,
            work / "gunicorn.log",
            "benchmarks.profiled_app:server" if args.profile else "app:server",
            pyspy_file if args.profile else None,
        )
        print(f"gunicorn healthy after {wait_healthy(host):.1f} s on {host}", flush=True)
        master = children_of(gunicorn.pid)[0] if args.profile else None
        login_host = ""
        if args.login_threads:
            login_port = free_port()
            login_env = dict(web_env)
            if args.login_slots is not None:
                login_env["LOGIN_HASH_SLOTS"] = str(args.login_slots)
            logins = start_gunicorn(
                login_env, login_port, 1, args.login_threads, work / "gunicorn-login.log"
            )
            login_host = f"http://127.0.0.1:{login_port}"
            print(f"logins' gunicorn healthy after {wait_healthy(login_host):.1f} s", flush=True)

        reports_http = bool(plan.get("reports"))
        savers = None
        if not reports_http:
            savers = ServiceSaves(
                engine, plan["county_accounts"], period, today, think=tuple(args.think)
            )
            savers.start()
        samples_file, acks_file = work / "samples.jsonl", work / "acks.jsonl"
        locust_env = dict(
            os.environ,
            LOAD_PLAN=str(plan_file),
            LOAD_SAMPLES=str(samples_file),
            LOAD_ACKS=str(acks_file),
            LOAD_THINK_MIN=str(args.think[0]),
            LOAD_THINK_MAX=str(args.think[1]),
            LOAD_KEEP_ALIVE="1" if args.keep_alive else "0",
            LOAD_FULL_LOADS=str(args.full_loads),
            LOAD_LOGIN_HOST=login_host,
        )
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{run_time}s",
            "--stop-timeout",
            "15",
            "--host",
            host,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        print("$ " + " ".join(command[1:]), flush=True)
        meter = CpuMeter(
            engine,
            name,
            master or gunicorn.pid,
            gunicorn.pid if master else None,
            logins.pid if logins else None,
        )
        load_before = os.getloadavg()
        meter.begin()
        load_start = time.time()
        subprocess.run(
            command,
            cwd=ROOT,
            env=locust_env,
            timeout=run_time + 120,
            stdout=(work / "locust.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        load_seconds = time.time() - load_start
        if savers is not None:
            savers.stop()
        cpu = meter.end()
        stop(gunicorn, 60, master)
        if logins is not None:
            stop(logins, 60)
        samples = read_jsonl(samples_file)
        acks = read_jsonl(acks_file)
        if savers is not None:
            samples += savers.samples
            acks += savers.acks
        check = verify(engine, base, period, acks)
        log_text = "".join(
            log.read_text(encoding="utf-8", errors="replace")
            for log in (work / "gunicorn.log", work / "gunicorn-login.log")
            if log.exists()
        )
        worker_errors = log_text.count("Traceback") + log_text.count("WORKER TIMEOUT")
    finally:
        if gunicorn is not None:
            stop(gunicorn, 60, master)
        if logins is not None:
            stop(logins, 60)
        engine.dispose()
        if not args.keep:
            drop_database(name)

    seconds = load_seconds
    print(
        f"\n{args.users} users (spawn {args.spawn_rate:g}/s), {run_time} s of load "
        f"({seconds:.0f} s with start and stop), think time {args.think[0]:g}-{args.think[1]:g} s; "
        f"gunicorn {args.workers} workers x {args.threads} threads; "
        + (
            f"logins to their own gunicorn, 1 worker x {args.login_threads} threads"
            + (f", {args.login_slots} hash slots" if args.login_slots is not None else "")
            + "; "
            if args.login_threads
            else ""
        )
        + f"{os.cpu_count()} CPUs; "
        + ("keep-alive connections" if args.keep_alive else "one request a connection")
        + f"; {args.full_loads:.0%} of page visits load the whole page, the others navigate in the app"
        + ("; profiled (benchmarks/profiling.py)" if args.profile else "")
        + "".join(f"; {module} hidden" for module in args.hide)
    )
    print(
        "load average before the run (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in load_before)
    )
    print(
        f"CPU during the load, % of one core (capacity {cpu['capacity']:.0f}%): machine busy "
        f"{cpu['machine']:.0f}% = gunicorn {cpu['gunicorn']:.0f}% + PostgreSQL "
        f"{cpu['postgresql']:.0f}% + locust {cpu['locust']:.0f}% + runner {cpu['runner']:.0f}% "
        + (f"+ py-spy {cpu['py-spy']:.0f}% " if args.profile else "")
        + (f"+ logins' gunicorn {cpu['login gunicorn']:.0f}% " if args.login_threads else "")
        + f"+ other processes on the machine {cpu['others']:.0f}%"
    )
    print(
        "report drafts: through the /reports page's save callback"
        if reports_http
        else "report drafts: no reports page in this app; saved through the service"
    )
    print(
        "battle map: page load + filter changes through its callback"
        if plan.get("battle_map")
        else "battle map: no /battle-map page in this app; not in the mix"
    )
    kinds = summarize(samples, seconds, "kind")
    print_table("whole run, by kind (ms)", kinds)
    print_table("whole run, by request (ms)", summarize(samples, seconds, "name"))
    logins = [x["t"] for x in samples if x["name"] == "POST /login"]
    settled = max(logins) if logins else load_start
    steady_samples = [x for x in samples if x["t"] - x["ms"] / 1000 >= settled]
    steady_seconds = max(1.0, load_start + seconds - settled)
    steady = summarize(steady_samples, steady_seconds, "kind")
    if steady_seconds < 30:
        print(
            f"\n! only {steady_seconds:.0f} s of steady state: the logins took the run "
            "(longer --run-time, or a lower --spawn-rate)"
        )
    print_table(
        f"steady state: requests begun after the last login ({settled - load_start:.0f} s in), "
        f"{steady_seconds:.0f} s (ms)",
        steady,
    )
    total_errors = sum(r["errors"] for r in kinds)
    print(
        f"\nsaves acknowledged: {check['acknowledged']}, found in the audit log and rows: "
        f"{check['found']}; audit entries written during the load: {check['audit_entries']}; "
        f"committed but not acknowledged (client gave up): {check['unacknowledged_commits']}"
    )
    print(f"lost updates / inconsistencies: {len(check['problems'])}")
    for problem in check["problems"][:20]:
        print(f"  ✗ {problem}")
    print(f"worker tracebacks or timeouts in the gunicorn log: {worker_errors}")
    verdicts = []
    for label, table in (("whole run", kinds), ("steady state", steady)):
        by_kind = {r["name"]: r for r in table}
        verdicts += [  # no request of a kind at all is a miss, not a pass
            (f"{label}: reads p95 <= 500 ms", within(by_kind.get("read"), READ_P95_MS)),
            (f"{label}: saves p95 <= 1 s", within(by_kind.get("save"), SAVE_P95_MS)),
        ]
    verdicts += [
        ("zero errors", total_errors == 0 and worker_errors == 0),
        ("zero lost updates", not check["problems"]),
    ]
    print()
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    summary = {
        "args": vars(args),
        "cpu": cpu,
        "whole_run": kinds,
        "steady": steady,
        "check": {k: v for k, v in check.items() if k != "problems"},
        "problems": check["problems"],
    }
    summary["load_average_before"] = load_before
    if args.profile:
        from benchmarks.profiling import merge, print_profile

        summary["profile"] = print_profile(
            merge(sorted(profile_dir.glob("totals-*.json")), pyspy_file, PYSPY_RATE)
        )
    (work / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"\nsamples, acks, logs and summary.json in {work}")
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
