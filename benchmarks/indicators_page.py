"""The indicators page (/indicators, #16) at the demo's 171 indicators and at 5,000.

    python3 benchmarks/indicators_page.py [--runs 20] [--sizes 171 5000] [--no-browser]

Builds the demo office (its three systems: 39 + 102 + 30 indicators with several years of
values) as of 2026-11-28 in a temporary SQLite file; for a larger size it copies the demo's
indicators (with their targets, SDG goals and values) under new codes until there are that
many. For each size it prints:

- server: the page's layout as the browser asks for it (the Dash pages router's callback
  over the Flask test client, signed in as the office): median and p95 over ``--runs``;
- payload: that response's bytes, raw and gzip-compressed (what Flask-Compress sends);
- first draw: in Debian's headless Chromium, from the navigation's start (a signed-in,
  warm browser) until the grid's first row is on screen and painted (two animation frames);
  the median of three loads.

The SDG view (/sdg) is timed the same way on the server, for comparison.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from tests.web.dashcalls import render  # noqa: E402
from tests.web.live import chromium, live_server, login  # noqa: E402
from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.models import (  # noqa: E402
    Indicator,
    IndicatorGoal,
    IndicatorTarget,
    IndicatorValue,
)
from tracker.services.demo import build_demo  # noqa: E402

AS_OF = date(2026, 11, 28)
PASSWORD = "bench-pass-2026"
DRAWN = """
() => document.querySelector('#in-grid .ag-center-cols-container .ag-row') !== null
      && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0
"""
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _columns(model) -> list[str]:
    return [c.name for c in model.__table__.columns if c.name != "id"]


def grow(engine, size: int) -> int:
    """Copy the demo's indicators (targets, goals, values) under new codes up to ``size``."""
    with write_session(engine) as s:
        originals = list(s.exec(select(Indicator).order_by(Indicator.id)))
        have = len(originals)
        if not originals:
            raise SystemExit("the demo holds no indicators (tracker/services/demo_indicators.py)")
        targets = list(s.exec(select(IndicatorTarget)))
        goals = list(s.exec(select(IndicatorGoal)))
        values = list(s.exec(select(IndicatorValue)))
        by = {
            name: {o.id: [r for r in rows if r.indicator_id == o.id] for o in originals}
            for name, rows in (("targets", targets), ("goals", goals), ("values", values))
        }
        copy = 0
        while have < size:
            copy += 1
            for original in originals[: size - have]:
                row = {c: getattr(original, c) for c in _columns(Indicator)}
                row["code"] = f"{original.code}-{copy}"
                new_id = s.execute(insert(Indicator).values(**row)).inserted_primary_key[0]
                for model, key in (
                    (IndicatorTarget, "targets"),
                    (IndicatorGoal, "goals"),
                    (IndicatorValue, "values"),
                ):
                    rows = [
                        {c: getattr(r, c) for c in _columns(model)} | {"indicator_id": new_id}
                        for r in by[key][original.id]
                    ]
                    if rows:
                        s.execute(insert(model), rows)
                have += 1
    with read_session(engine) as s:
        return int(s.exec(select(func.count()).select_from(Indicator)).one())


def server_figures(engine, runs: int, path: str) -> dict[str, float]:
    from benchmarks.web import signed_in_admin

    _app, client = signed_in_admin(engine, AS_OF)
    response = render(client, path)
    assert response.status_code == 200, response.status_code
    body = response.get_data()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = render(client, path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return {
        "median": statistics.median(samples),
        "p95": p95(samples),
        "kb": len(body) / 1024,
        "gzip_kb": len(gzip.compress(body, 6)) / 1024,
    }


def first_draw(engine) -> float:
    with live_server(engine, AS_OF) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(120000)
        login(page, server.url, "admin", PASSWORD, next_path="/indicators")
        page.wait_for_function(DRAWN)
        samples = []
        for _ in range(3):
            page.goto(f"{server.url}/indicators")
            page.wait_for_function(DRAWN, polling="raf")
            page.evaluate(FRAMES)
            samples.append(page.evaluate("performance.now()"))
        context.close()
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[171, 5000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        with write_session(engine) as s:
            build_demo(s, as_of=AS_OF, password=PASSWORD)
        for size in sorted(args.sizes):
            count = grow(engine, size)
            page = server_figures(engine, args.runs, "/indicators")
            sdg = server_figures(engine, args.runs, "/sdg")
            drawn = None if args.no_browser else first_draw(engine)
            lines.append((count, page, sdg, drawn))
        engine.dispose()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nIndicators page, demo office as of {AS_OF}, signed in as the office (SQLite)")
    print(f"{os.cpu_count()} CPUs, load average at the end: {load}\n")
    head = (
        f"{'indicators':>10} {'server ms':>10}{'p95':>7}{'payload KB':>11}{'gzip KB':>9}"
        f"{'first draw ms':>14} {'/sdg ms':>8}{'/sdg KB':>8}"
    )
    print(head)
    print("-" * len(head))
    for count, page, sdg, drawn in lines:
        shown = f"{drawn:>14.0f}" if drawn is not None else f"{'—':>14}"
        print(
            f"{count:>10} {page['median']:>10.0f}{page['p95']:>7.0f}{page['kb']:>11.0f}"
            f"{page['gzip_kb']:>9.0f}{shown} {sdg['median']:>8.0f}{sdg['kb']:>8.0f}"
        )


if __name__ == "__main__":
    main()
