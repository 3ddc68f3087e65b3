"""Battle map benchmarks: time until the chart is drawn in the browser, and callback p95.

    python3 benchmarks/battle_map.py [--sizes 90,1000,5000] [--runs 30] [--warm 5]

For each plan size, a temporary SQLite database: the demo office for 90 projects, else a
generated list (``benchmarks.import_list.generate_list``) imported through
``tracker.services.plan_import``. A real server (the app's Flask server in a thread) and
Debian's headless Chromium (Playwright) measure, from navigation start, the moment
plotly.js reports ``plotly_afterplot`` on /battle-map: cold (a new browser context, empty
cache) and warm (the same context navigating again; median of ``--warm``). Then the
filter-change callback (``update_battle_map``, a county chosen) over HTTP through the
whole Dash stack, ``--runs`` times, and a page change on plans with several pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from sqlmodel import select  # noqa: E402

from benchmarks.web import p95, signed_in_admin, timed  # noqa: E402
from tests.web.dashcalls import forge  # noqa: E402
from tests.web.live import chromium, live_server, login  # noqa: E402
from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services.auth import SYSTEM, hash_password  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402
from tracker.web.views.battle_map import BattleMapIds as Ids  # noqa: E402

AS_OF = date(2026, 11, 28)
PASSWORD = "bench-pass-2026"
COUNTIES = ("云县", "临翔区", "耿马县", "沧源县", "凤庆县")
# plotly_afterplot of the battle map's graph, as milliseconds since navigation start
AFTERPLOT_HOOK = """
window.__bm = {};
new MutationObserver(() => {
  const gd = document.querySelector('#bm-graph .js-plotly-plot');
  if (gd && gd.on && !gd.__bmHooked) {
    gd.__bmHooked = true;
    gd.on('plotly_afterplot', () => {
      if (!window.__bm.first) { window.__bm.first = performance.now(); }
    });
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class']});
"""


MILESTONES = ("完成前期手续", "开工建设", "主体工程完工", "设备安装调试", "竣工验收")
CACHE = Path(tempfile.gettempdir()) / "tracker-battle-map-bench"


def plan_engine(folder: Path, size: int):
    """A database holding ``size`` projects (× 5 milestones) and a user ``admin`` (password
    PASSWORD). A generated plan is kept in ``folder`` and reused by the next run (importing
    10,000 projects takes minutes); delete the folder to start afresh."""
    path = folder / f"plan{size}-{len(MILESTONES)}.db"
    engine = make_engine(f"sqlite:///{path}")
    if size != 90 and path.exists():
        with read_session(engine) as s:
            if s.exec(select(User).where(User.username == "admin")).first():
                return engine
    migrate(engine)
    if size == 90:
        with write_session(engine) as s:
            if not s.exec(select(User)).first():
                build_demo(s, as_of=AS_OF, password=PASSWORD)
        return engine
    from benchmarks.import_list import generate_list
    from tracker.services.plan_import import import_project_list

    data = generate_list(size, folder / f"plan{size}.xlsx", MILESTONES).read_bytes()
    with write_session(engine) as s:
        result = import_project_list(
            s, actor=SYSTEM, data=data, filename="plan.xlsx", dry_run=False, max_bytes=50 << 20
        )
        assert not result.errors, result.errors[:3]
        s.add(User(username="admin", password_hash=hash_password(PASSWORD), role="admin"))
    return engine


def drawn_ms(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("window.__bm && window.__bm.first", timeout=120000)
    return float(page.evaluate("window.__bm.first"))


def browser_times(engine, warm_runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with live_server(engine, AS_OF) as server, chromium() as browser:
        # a first visit warms the server (its compressed copies of the scripts); the cold
        # figure is then a browser with an empty cache, not a server just started
        first = browser.new_context(viewport={"width": 1600, "height": 1000})
        warmup = first.new_page()
        warmup.add_init_script(AFTERPLOT_HOOK)
        login(warmup, server.url, "admin", PASSWORD, next_path="/projects")
        out["server_first"] = drawn_ms(warmup, f"{server.url}/battle-map")
        cookies = first.cookies()
        first.close()
        cold = browser.new_context(viewport={"width": 1600, "height": 1000})
        cold.add_cookies(cookies)
        cold.add_init_script(AFTERPLOT_HOOK)
        page = cold.new_page()
        url = f"{server.url}/battle-map"
        out["cold"] = drawn_ms(page, url)
        out["rows"] = float(
            page.evaluate(
                "window.trackerBattleMapRows(document.querySelector('#bm-graph .js-plotly-plot')).length"
            )
        )
        warm = [drawn_ms(page, url) for _ in range(warm_runs)]
        out["warm"] = statistics.median(warm)
        out["warm_max"] = max(warm)
        # the page must stay usable: a county picked in the browser, until the chart redraws
        count = "document.querySelector('#bm-graph .js-plotly-plot').layout.meta.project_count"
        before = page.evaluate(count)
        start = time.perf_counter()
        page.click(f"#{Ids.COUNTY}")
        page.get_by_role("option", name="云县", exact=True).click()
        page.wait_for_function(f"() => {count} !== {int(before)}", timeout=60000)
        out["filter_in_browser"] = (time.perf_counter() - start) * 1000
        cold.close()
    return out


def callback_times(engine, runs: int) -> dict[str, list[float]]:
    app, client = signed_in_admin(engine, AS_OF)
    state = {"query": "", "page_count": 1, "areas": [], "span": ["2020-01-01", "2030-12-31"]}
    turn = [0]

    def filter_change() -> None:
        county = COUNTIES[turn[0] % len(COUNTIES)]
        turn[0] += 1
        body = forge(
            app, "update_battle_map", {f"{Ids.COUNTY}.value": county, f"{Ids.STATE}.data": state}
        )
        body["changedPropIds"] = [f"{Ids.COUNTY}.value"]
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.status_code

    sizes: list[float] = []

    def page_change() -> None:
        page = 1 + turn[0] % 3
        turn[0] += 1
        paged = {**state, "page_count": 1000}
        body = forge(
            app, "update_battle_map", {f"{Ids.PAGER}.value": page + 1, f"{Ids.STATE}.data": paged}
        )
        body["changedPropIds"] = [f"{Ids.PAGER}.value"]
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), response.status_code
        sizes.append(len(response.data))

    out = {"filter": timed(filter_change, runs), "page": timed(page_change, runs)}
    out["page_kb"] = [statistics.median(sizes) / 1024]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="90,1000,5000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: list[tuple[int, dict[str, float], dict[str, list[float]]]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            print(f"preparing {size} projects…", file=sys.stderr, flush=True)
            engine = plan_engine(Path(folder), size)
            browser = {} if args.no_browser else browser_times(engine, args.warm)
            calls = callback_times(engine, args.runs)
            engine.dispose()
            results.append((size, browser, calls))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBattle map, as of {AS_OF}; {args.runs} callback runs")
    print(f"{os.cpu_count()} CPUs, load average at the end: {load}\n")
    head = (
        f"{'projects':>8} {'rows drawn':>10} {'1st ms':>7} {'cold ms':>8} {'warm ms':>8} {'warm max':>9}"
        f" {'filter→drawn':>13} {'filter p50':>11} {'filter p95':>11} {'page p95':>9} {'page kB':>8}"
    )
    print(head)
    print("-" * len(head))
    for size, b, c in results:
        print(
            f"{size:>8} {b.get('rows', 0):>10.0f} {b.get('server_first', 0):>7.0f}"
            f" {b.get('cold', 0):>8.0f} {b.get('warm', 0):>8.0f}"
            f" {b.get('warm_max', 0):>9.0f} {b.get('filter_in_browser', 0):>13.0f}"
            f" {statistics.median(c['filter']):>11.0f} {p95(c['filter']):>11.0f}"
            f" {p95(c['page']):>9.0f} {c['page_kb'][0]:>8.0f}"
        )
    print(
        "\n1st: the first visit after the server started (it compresses the scripts once);"
        " cold/warm: navigation start → plotly_afterplot in headless Chromium (ms), with an"
        " empty browser cache / a warm one;"
        " filter→drawn: a county picked in the browser until the chart shows it;"
        " filter/page: update_battle_map over HTTP in-process (ms)."
    )


if __name__ == "__main__":
    main()
