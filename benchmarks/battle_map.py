"""Battle map benchmarks: the whole plan on one scrollable map, against the references.

    python3 benchmarks/battle_map.py [--sizes 90,1000,10000] [--runs 30] [--warm 5]
                                     [--scrolls 20] [--no-reference] [--cache DIR]

For each plan size a SQLite database: the demo office for 90 projects, else a generated
list (``benchmarks.import_list.generate_list``, five milestones a project) imported through
``tracker.services.plan_import`` and kept in ``--cache`` for the next run. A real server
(the app's Flask server in a thread) and Debian's headless Chromium (Playwright) measure on
/battle-map: the first draw (navigation start → ``plotly_afterplot`` of the map's figure)
cold and warm, the redraw after a scroll of the map (views above 200 rows draw only the
rows in sight), the JS heap (CDP), and a county picked in the browser until the map shows
it. Then ``update_battle_map`` over HTTP through the whole Dash stack: a county filter
(p95 of ``--runs``) and the whole plan's answer (its time and bytes). Side by side, the
same projects drawn by bare plotly.js (the floor), by px.timeline and as WebGL lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


import plotly  # noqa: E402
from plotly.utils import PlotlyJSONEncoder  # noqa: E402
from sqlmodel import select  # noqa: E402

from benchmarks.web import p95, signed_in_admin, timed  # noqa: E402
from tests.web.dashcalls import forge  # noqa: E402
from tests.web.live import chromium, live_server, login  # noqa: E402
from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.gantt.style import LIGHT_COLOURS  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services.auth import SYSTEM, hash_password  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402
from tracker.web.views.battle_map import BattleMapIds as Ids  # noqa: E402

AS_OF = date(2026, 11, 28)
PASSWORD = "bench-pass-2026"
COUNTIES = ("云县", "临翔区", "耿马县", "沧源县", "凤庆县")
# plotly_afterplot of the battle map's graph, as milliseconds since navigation start
GRAPH = "#bm-graph .js-plotly-plot"
AFTERPLOT_HOOK = """
window.__bm = {};
new MutationObserver(() => {
  const gd = document.querySelector('#bm-graph .js-plotly-plot');
  if (gd && gd.on && !gd.__bmHooked) {
    gd.__bmHooked = true;
    gd.on('plotly_afterplot', () => {
      // the battle map's own figure (it carries meta), not the graph's first empty draw
      if (!window.__bm.first && gd.layout && gd.layout.meta) {
        window.__bm.first = performance.now();
      }
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
        migrate(engine)  # a plan kept by an older checkout: brought to this one's schema
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


# ms from the end of the last Dash callback answer before the map was drawn to the drawing:
# the browser's own share of a first draw (the rest is the server's and the page's boot)
BROWSER_SHARE = """() => {
  const answers = performance.getEntriesByType('resource').filter(
    (e) => e.name.includes('_dash-update-component') && e.responseEnd <= window.__bm.first);
  return answers.length
    ? window.__bm.first - Math.max(...answers.map((e) => e.responseEnd)) : null;
}"""


def drawn_ms(page, url: str, shares: list[float] | None = None) -> float:
    page.goto(url)
    page.wait_for_function("window.__bm && window.__bm.first", timeout=180000)
    if shares is not None:
        share = page.evaluate(BROWSER_SHARE)
        if share is not None:
            shares.append(float(share))
    return float(page.evaluate("window.__bm.first"))


def heap_mb(page) -> float:
    """The page's JS heap in use after a garbage collection (CDP Performance.getMetrics)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.enable")
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        cdp.detach()
    return metrics["JSHeapUsedSize"] / 2**20


# From a scroll of the map's box to the window drawn (plotly_afterplot), per position.
SCROLLS = """async (rows) => {
  const gd = document.querySelector('#bm-graph .js-plotly-plot');
  const times = [];
  for (const row of rows) {
    const done = new Promise((resolve) => gd.once('plotly_afterplot', resolve));
    const start = performance.now();
    window.trackerBattleMapScrollTo(row);
    await done;
    times.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  return times;
}"""


def scroll_rows(count: int, runs: int) -> list[int]:
    """Positions spread over the map, far apart (each scroll draws a fresh window)."""
    step = max(count // (runs + 1), 1)
    return [(i * step * 7) % max(count - 40, 1) for i in range(1, runs + 1)]


def browser_times(engine, warm_runs: int, scroll_runs: int) -> dict[str, float]:
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
        meta = page.evaluate(f"document.querySelector('{GRAPH}').layout.meta")
        out["rows"] = float(meta["row_count"])
        window = meta.get("window_rows")
        out["drawn"] = float(window[1] - window[0] if window else meta["row_count"])
        shares: list[float] = []
        warm = [drawn_ms(page, url, shares) for _ in range(warm_runs)]
        out["warm"] = statistics.median(warm)
        out["browser_share"] = statistics.median(shares) if shares else 0.0
        out["warm_max"] = max(warm)
        out["heap"] = heap_mb(page)
        if meta.get("window"):
            scrolls = page.evaluate(SCROLLS, scroll_rows(int(meta["row_count"]), scroll_runs))
            out["scroll"] = statistics.median(scrolls)
            out["scroll_p95"] = p95(scrolls)
            out["heap_scrolled"] = heap_mb(page)
        # the page must stay usable: a county picked in the browser, until the chart redraws
        count = f"document.querySelector('{GRAPH}').layout.meta.project_count"
        before = page.evaluate(count)
        start = time.perf_counter()
        page.click(f"#{Ids.COUNTY}")
        page.get_by_role("option", name="云县", exact=True).click()
        page.wait_for_function(f"() => {count} !== {int(before)}", timeout=120000)
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

    sizes: list[int] = []

    def whole_view() -> None:
        # back from the county grouping to the default: the whole plan's rows again
        grouped = {**state, "query": "group=county"}
        body = forge(
            app,
            "update_battle_map",
            {f"{Ids.GROUP_BY}.value": "measure", f"{Ids.STATE}.data": grouped},
        )
        body["changedPropIds"] = [f"{Ids.GROUP_BY}.value"]
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.status_code
        sizes.append(len(response.data))
        sizes.append(len(gzip.compress(response.data, 6)))

    out = {"filter": timed(filter_change, runs), "whole": timed(whole_view, max(runs // 3, 3))}
    out["payload"] = [float(sizes[-2]), float(sizes[-1])]
    return out


# --- the references: the same rows drawn by bare plotly.js and by px.timeline -------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<script src="{bundle}"></script></head><body style="margin:0">
<div id="g" style="width:100%"></div>
<script>var fig = {figure};
Plotly.newPlot("g", fig.data, fig.layout, {{displaylogo: false, responsive: true}});
</script></body></html>"""


def whole_view(engine):
    """The whole default view's data, as the page loads it (statuses and rows)."""
    from tracker.config import load_settings
    from tracker.services.auth import Actor
    from tracker.services.battle_map import ViewState, battle_map_page

    with read_session(engine) as s:
        admin = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
        return battle_map_page(
            s,
            actor=admin,
            as_of=AS_OF,
            view=ViewState(),
            language="zh",
            settings=load_settings(env={}),
        )


def server_split(engine, runs: int) -> dict[str, float]:
    """Median ms of the whole view's server work, in-process: the data (statuses, problem
    counts, rows) apart from the figure (build_gantt, badges) and its JSON."""
    from tracker.web.views import battle_map as view

    data_ms, figure_ms, json_ms = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        data = whole_view(engine)
        built = time.perf_counter()
        chart = view.chart_data(view.figure(data, data.view, "zh"), data.view)
        encoded = time.perf_counter()
        json.dumps(chart, cls=PlotlyJSONEncoder)
        done = time.perf_counter()
        data_ms.append((built - start) * 1000)
        figure_ms.append((encoded - built) * 1000)
        json_ms.append((done - encoded) * 1000)
    return {
        "data": statistics.median(data_ms),
        "figure": statistics.median(figure_ms),
        "json": statistics.median(json_ms),
    }


def floor_figure(projects) -> dict:
    """Bare plotly.js: one horizontal bar per project, nothing else (the lowest possible)."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": list(range(len(projects))),
                "base": [p.planned_start.isoformat() for p in projects],
                "x": [
                    max((p.planned_finish - p.planned_start).days, 1) * 86_400_000 for p in projects
                ],
                "marker": {"color": [LIGHT_COLOURS[p.light] for p in projects]},
            }
        ],
        "layout": {
            "height": 150 + 22 * len(projects),
            "xaxis": {"type": "date", "side": "top"},
            "yaxis": {"autorange": "reversed"},
            "margin": {"t": 100, "l": 60},
        },
    }


def webgl_figure(projects, screen_rows: int = 40) -> dict:
    """The WebGL alternative: every project as a thick scattergl line, the view a window of
    ``screen_rows`` rows that is panned (plotly.js has no WebGL bars)."""
    traces = []
    for light in ("red", "amber", "green"):
        xs: list = []
        ys: list = []
        for y, p in enumerate(projects):
            if p.light == light:
                xs += [p.planned_start.isoformat(), p.planned_finish.isoformat(), None]
                ys += [y, y, None]
        traces.append(
            {
                "type": "scattergl",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "line": {"width": 12, "color": LIGHT_COLOURS[light]},
            }
        )
    return {
        "data": traces,
        "layout": {
            "height": 1000,
            "xaxis": {"type": "date", "side": "top"},
            "yaxis": {"range": [screen_rows - 0.5, -0.5]},
            "margin": {"t": 100, "l": 60},
        },
    }


# Plotly.relayout of the y range of the WebGL page: its "scroll".
PAN = """async (rows) => {
  const gd = document.getElementById('g');
  const times = [];
  for (const row of rows) {
    const start = performance.now();
    await Plotly.relayout(gd, {'yaxis.range': [row + 39.5, row - 0.5]});
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    times.push(performance.now() - start);
  }
  return times;
}"""


def reference_times(projects, folder: Path, warm_runs: int, scroll_runs: int) -> dict:
    """First draw (cold, warm), payload and JS heap of the reference pages."""
    from benchmarks.gantt import TIMING_SCRIPT, px_timeline, static_server

    basic = next((ROOT / "assets" / "vendor").glob("plotly-basic-*.min.js"))
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    pages = folder / "reference"
    pages.mkdir(exist_ok=True)
    shutil.copy(basic, pages / "plotly-basic.min.js")
    shutil.copy(full, pages / "plotly.min.js")
    cases = {
        "bare plotly.js": ("plotly-basic.min.js", floor_figure(projects)),
        "px.timeline": (
            "plotly-basic.min.js",
            json.loads(px_timeline(projects, same_content=True).to_json()),
        ),
        "WebGL lines": ("plotly.min.js", webgl_figure(projects)),
    }
    out: dict[str, dict[str, float]] = {}
    with static_server(pages) as base, chromium() as browser:
        for i, (name, (bundle, figure)) in enumerate(cases.items()):
            body = json.dumps(figure, cls=PlotlyJSONEncoder, ensure_ascii=False)
            html = PAGE.format(title=name, bundle=bundle, figure=body)
            (pages / f"{i}.html").write_text(html, encoding="utf-8")
            result = {"payload": float(len(body.encode())), "payload_gz": 0.0}
            result["payload_gz"] = float(len(gzip.compress(body.encode(), 6)))
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(TIMING_SCRIPT)
            page = context.new_page()
            times = []
            for _ in range(warm_runs + 1):
                page.goto(f"{base}/{i}.html")
                page.wait_for_function("window.__afterplot !== undefined", timeout=600_000)
                times.append(float(page.evaluate("window.__afterplot")))
            result["cold"], result["warm"] = times[0], statistics.median(times[1:])
            result["heap"] = heap_mb(page)
            if name == "WebGL lines":
                pans = page.evaluate(PAN, scroll_rows(len(projects), scroll_runs))
                result["scroll"], result["scroll_p95"] = statistics.median(pans), p95(pans)
            context.close()
            out[name] = result
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="90,1000,10000")
    parser.add_argument("--runs", type=int, default=30, help="filter callbacks timed")
    parser.add_argument("--warm", type=int, default=5, help="warm page loads timed")
    parser.add_argument("--scrolls", type=int, default=20, help="scroll redraws timed")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--cache", default=str(CACHE), help="where generated plans are kept")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            print(f"preparing {size} projects…", file=sys.stderr, flush=True)
            engine = plan_engine(cache, size)
            browser = {} if args.no_browser else browser_times(engine, args.warm, args.scrolls)
            print("  callbacks…", file=sys.stderr, flush=True)
            calls = callback_times(engine, args.runs)
            split = server_split(engine, 3)
            references = {}
            if not (args.no_browser or args.no_reference):
                print("  references…", file=sys.stderr, flush=True)
                references = reference_times(
                    whole_view(engine).projects, Path(scratch), args.warm, args.scrolls
                )
            engine.dispose()
            results.append((size, browser, calls, references, split))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBattle map, as of {AS_OF}; {args.runs} filter callbacks, {args.scrolls} scrolls")
    print(f"{os.cpu_count()} CPUs, load average at the end: {load}\n")
    head = (
        f"{'projects':>8} {'case':<15} {'rows':>6} {'drawn':>6} {'cold ms':>8} {'warm ms':>8}"
        f" {'scroll p50':>10} {'scroll p95':>10} {'filter p95':>10} {'whole p95':>9}"
        f" {'payload kB':>10} {'gzip kB':>8} {'heap MB':>8}"
    )
    print(head)
    print("-" * len(head))
    for size, b, c, refs, split in results:

        def cell(value, width, digits=0):
            return f"{value:>{width}.{digits}f}" if value is not None else f"{'–':>{width}}"

        print(
            f"{size:>8} {'app':<15} {cell(b.get('rows'), 6)} {cell(b.get('drawn'), 6)}"
            f" {cell(b.get('cold'), 8)} {cell(b.get('warm'), 8)}"
            f" {cell(b.get('scroll'), 10)} {cell(b.get('scroll_p95'), 10)}"
            f" {cell(p95(c['filter']), 10)} {cell(p95(c['whole']), 9)}"
            f" {cell(c['payload'][0] / 1024, 10)} {cell(c['payload'][1] / 1024, 8)}"
            f" {cell(b.get('heap'), 8, 1)}"
        )
        for name, r in refs.items():
            print(
                f"{'':>8} {name:<15} {'':>6} {'':>6} {cell(r['cold'], 8)} {cell(r['warm'], 8)}"
                f" {cell(r.get('scroll'), 10)} {cell(r.get('scroll_p95'), 10)}"
                f" {'':>10} {'':>9} {cell(r['payload'] / 1024, 10)}"
                f" {cell(r['payload_gz'] / 1024, 8)} {cell(r['heap'], 8, 1)}"
            )
        print(
            f"{'':>8} (server, whole view, in-process: data and statuses {split['data']:.0f} ms,"
            f" figure {split['figure']:.0f} ms, JSON {split['json']:.0f} ms)"
        )
        if b:
            print(
                f"{'':>8} (app: warm, from the server's last answer to drawn"
                f" {b['browser_share']:.0f} ms; first visit after start {b['server_first']:.0f} ms;"
                " county picked"
                f" → drawn {b['filter_in_browser']:.0f} ms; heap after scrolling"
                f" {b.get('heap_scrolled', b['heap']):.1f} MB)"
            )
    print(
        "\ncold/warm: navigation start → the chart drawn (plotly_afterplot) in headless Chromium,"
        " empty cache / warm (median); rows: rows of the view (projects and group headers);"
        " drawn: rows plotly.js lays out (the window in sight, or all);"
        " scroll: a scroll of the map's box → the window redrawn (WebGL: Plotly.relayout of the"
        " y range); filter: a county picked, update_battle_map over HTTP in-process;"
        " whole: the same callback answering the whole plan (back to the default grouping);"
        " payload: that answer's bytes, and gzipped (the app sends it compressed); heap:"
        " JSHeapUsedSize after a GC (CDP Performance.getMetrics)."
        " References: the same projects' bars by bare plotly.js (one bar trace, static page,"
        " the app's basic bundle), by px.timeline (same hover content), and as WebGL lines"
        " (the full bundle; a 40-row window panned)."
    )


if __name__ == "__main__":
    main()
