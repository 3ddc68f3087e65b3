"""Web benchmarks: first-load bytes, time to an interactive overview, callback p95.

    python3 benchmarks/web.py [--runs 50]

Runs a real server (the app's Flask server in a thread) on a temporary SQLite database
holding the demo office, drives Debian's headless Chromium with Playwright, and times the
main callbacks both in-process (service + builder) and over HTTP (the full Dash stack).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from tests.web.dashcalls import forge, router  # noqa: E402
from tests.web.live import chromium, live_server, login  # noqa: E402
from tracker.config import load_settings  # noqa: E402
from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.domain.rules import Thresholds  # noqa: E402
from tracker.models import Milestone, Project, User, utcnow  # noqa: E402
from tracker.services import milestones  # noqa: E402
from tracker.services.auth import Actor  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402
from tracker.services.overview import overview  # noqa: E402
from tracker.services.projects import ProjectFilter, list_projects, project_detail  # noqa: E402
from tracker.services.sessions import start_session  # noqa: E402
from tracker.startup import settle_heap  # noqa: E402
from tracker.web.app import create_app  # noqa: E402

AS_OF = date(2026, 11, 28)
PASSWORD = "bench-pass-2026"
INTERACTIVE = """
() => document.querySelectorAll('#ov-body .main-svg').length >= 5
      && document.querySelector('#kpi-projects-value') !== null
      && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0
"""


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def demo_engine(folder: Path):
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    migrate(engine)
    with write_session(engine) as s:
        build_demo(s, as_of=AS_OF, password=PASSWORD)
    return engine


def browser_figures(engine) -> dict[str, float]:
    figures: dict[str, float] = {}
    with live_server(engine, AS_OF) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        login(page, server.url, "admin", PASSWORD, next_path="/projects")
        # cold: a fresh context shares no cache with the login above
        cold = browser.new_context(viewport={"width": 1600, "height": 1000})
        cold.add_cookies(context.cookies())
        page = cold.new_page()
        cdp = cold.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: dict[str, float] = {}
        decoded: dict[str, float] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
        )
        cdp.on(
            "Network.dataReceived",
            lambda e: decoded.__setitem__(
                e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]
            ),
        )
        start = time.perf_counter()
        page.goto(f"{server.url}/")
        page.wait_for_function(INTERACTIVE, timeout=60000)
        figures["cold_interactive_ms"] = (time.perf_counter() - start) * 1000
        page.wait_for_timeout(500)
        figures["first_load_kb_transferred"] = sum(sizes.values()) / 1024
        figures["first_load_kb_uncompressed"] = sum(decoded.values()) / 1024
        figures["first_load_requests"] = len(sizes)
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            page.goto(f"{server.url}/")
            page.wait_for_function(INTERACTIVE, timeout=60000)
            warm.append((time.perf_counter() - start) * 1000)
        figures["warm_interactive_ms_median"] = statistics.median(warm)
        context.close()
        cold.close()
    return figures


def service_timings(engine, runs: int) -> dict[str, list[float]]:
    from flask import Flask

    from tracker.web.views import overview as ov_view
    from tracker.web.views import project as pj_view
    from tracker.web.views import projects as pl_view

    thresholds = Thresholds()
    with read_session(engine) as s:
        admin = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        project = s.exec(select(Project).order_by(Project.id)).first()
        note_ms = s.exec(select(Milestone).where(Milestone.project_id == project.id)).first()
    filters = ProjectFilter()
    out: dict[str, list[float]] = {}
    with Flask("bench").app_context():

        def overview_call():
            with read_session(engine) as s:
                data = overview(s, as_of=AS_OF, thresholds=thresholds, filters=filters)
            ov_view.body(data, filters, thresholds, "zh")

        def list_call():
            with read_session(engine) as s:
                items = list_projects(s, as_of=AS_OF, thresholds=thresholds, filters=filters)
            pl_view.rows(items, "zh")

        def page_call():
            with read_session(engine) as s:
                detail = project_detail(
                    s, actor=admin, project_id=project.id, as_of=AS_OF, thresholds=thresholds
                )
            pj_view.body(detail, "zh", today=AS_OF)

        version = [note_ms.version]

        def save_call():
            with write_session(engine) as s:
                result = milestones.add_note(
                    s,
                    actor=admin,
                    milestone_id=note_ms.id,
                    note=f"基准 {version[0]}",
                    seen_version=version[0],
                    today=AS_OF,
                )
            version[0] = result.version

        out["overview: service+builder"] = timed(overview_call, runs)
        out["project list: service+builder"] = timed(list_call, runs)
        out["project page: service+builder"] = timed(page_call, runs)
        out["milestone save: service"] = timed(save_call, runs)
    return out


def signed_in_admin(engine, as_of: date):
    """The app on ``engine`` (today being ``as_of``, the heap settled as app.py does) and a
    test client signed in as ``admin``, the pages router registered."""
    app = create_app(load_settings(env={}), engine, today=lambda: as_of)
    settle_heap()  # as app.py does once the app is built
    client = app.server.test_client()
    with read_session(engine) as s:
        admin = s.exec(select(User).where(User.username == "admin")).one()
    with write_session(engine) as s:
        token = start_session(s, user=admin, ip="127.0.0.1", user_agent="benchmark", now=utcnow())
    with client.session_transaction() as session:
        session["_user_id"] = token
    client.get("/")  # registers the pages router
    return app, client


def http_timings(engine, runs: int) -> dict[str, list[float]]:
    app, client = signed_in_admin(engine, AS_OF)
    with read_session(engine) as s:
        project = s.exec(select(Project).order_by(Project.id)).first()
        ms = s.exec(
            select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.seq)
        ).all()[-1]
    page = router

    def post(body: dict) -> Callable[[], None]:
        def call() -> None:
            response = client.post("/_dash-update-component", json=body)
            assert response.status_code in (200, 204), response.status_code

        return call

    version = [ms.version]

    def save() -> None:
        body = forge(
            app,
            "save_milestone_note",
            {
                "pj-note-save.n_clicks": 1,
                "pj-form.data": {"milestone_id": ms.id, "version": version[0]},
                "pj-note.value": f"基准 {version[0]}",
            },
        )
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200 and "已被他人修改" not in response.text
        version[0] += 1

    filters = forge(app, "refresh_overview", {"ov-county.value": "云县"})
    listing = forge(app, "refresh_project_list", {"pl-light.value": "red"})
    return {
        "POST render overview page": timed(post(page("/")), runs),
        "POST overview filter (云县)": timed(post(filters), runs),
        "POST render project list": timed(post(page("/projects")), runs),
        "POST project list filter (红灯)": timed(post(listing), runs),
        "POST render project page": timed(post(page(f"/projects/{project.id}")), runs),
        "POST save milestone note": timed(save, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = demo_engine(Path(folder))
        settle_heap()  # as app.py does once the app is built
        rows: list[tuple[str, str]] = []
        if not args.no_browser:
            for name, value in browser_figures(engine).items():
                rows.append((name, f"{value:,.0f}"))
        settle_heap()
        timings = service_timings(engine, args.runs)
        timings.update(http_timings(engine, args.runs))
        engine.dispose()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nDemo office: 90 projects, as of {AS_OF}; {args.runs} runs per callback")
    print(f"{os.cpu_count()} CPUs, load average at the end: {load}\n")
    print(f"{'measure':<44}{'value':>14}")
    print("-" * 58)
    for name, value in rows:
        print(f"{name:<44}{value:>14}")
    print()
    print(f"{'callback':<44}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print("-" * 74)
    for name, samples in timings.items():
        print(
            f"{name:<44}{statistics.median(samples):>10.1f}{p95(samples):>10.1f}{max(samples):>10.1f}"
        )


if __name__ == "__main__":
    main()
