"""The map page (#18), timed: 项目一张图 with the eight counties and the demo's 90 projects.

    python -m benchmarks.project_map [--runs 10]

A real server (the app's Flask server in a thread) on a temporary SQLite database holding
the demo office; Debian's headless Chromium (Playwright) signs in as the office, opens
/map once (cold: scripts and plotly's basic bundle from the server), then ``--runs`` times
more (warm: the browser's cache), each time until the map is drawn (8 county outlines, the
county names and the project points in the plot). Every request is checked to stay on
127.0.0.1. Also prints the page's figure size and the server time of its data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import DEMO_AS_OF
from tests.web.live import chromium, live_server, login
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.services.auth import SYSTEM
from tracker.services.demo import build_demo
from tracker.services.project_map import project_map
from tracker.services.projects import ProjectFilter
from tracker.web.views.project_map import figure

PASSWORD = "bench-pass-2026"
DRAWN = """() => {
  const gd = document.querySelector('#mp-graph .js-plotly-plot');
  return !!(gd && gd._fullData && gd.querySelectorAll('.scatterlayer .trace').length >= 9);
}"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="map-bench-"))
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    migrate(engine)
    with write_session(engine) as session:
        build_demo(session, as_of=DEMO_AS_OF, password=PASSWORD)
    started = time.perf_counter()
    with read_session(engine) as session:
        data = project_map(
            session,
            actor=SYSTEM,
            as_of=DEMO_AS_OF,
            thresholds=Thresholds(),
            filters=ProjectFilter(),
        )
    server_ms = (time.perf_counter() - started) * 1000
    size = len(json.dumps(figure(data, "zh").to_plotly_json(), default=str))
    print(
        f"data: {len(data.points)} projects on the map; service {server_ms:.0f} ms; figure {size / 1024:.0f} KiB JSON"
    )
    foreign: list[str] = []
    with live_server(engine, DEMO_AS_OF) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.on(
            "request",
            lambda r: (
                foreign.append(r.url)
                if urlsplit(r.url).hostname not in {"127.0.0.1", None}
                and not r.url.startswith("data:")
                else None
            ),
        )
        login(page, server.url, "admin", PASSWORD, next_path="/")
        times = []
        for _ in range(runs + 1):
            began = time.perf_counter()
            page.goto(f"{server.url}/map")
            page.wait_for_function(DRAWN)
            times.append((time.perf_counter() - began) * 1000)
    cold, warm = times[0], times[1:]
    print(f"first /map after sign-in: {cold:.0f} ms")
    print(
        f"warm /map ({runs} runs): median {statistics.median(warm):.0f} ms, "
        f"max {max(warm):.0f} ms (limit 1500 ms)"
    )
    print(f"requests that left 127.0.0.1: {len(foreign)}")
    return 0 if max(warm) < 1500 and not foreign else 1


if __name__ == "__main__":
    sys.exit(main())
