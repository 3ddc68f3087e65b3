"""Battle-map builder vs plotly.express.timeline: build time, payload, drawing time.

    python3 benchmarks/gantt.py            # full run (needs pandas and /usr/bin/chromium)
    python3 benchmarks/gantt.py --runs 3 --no-browser

Both sides get the same generated rows (tracker.gantt.sample, 5 milestones each).
px.timeline draws bars only, coloured by light; "px + hover" also carries the same
hover fields as the builder, which is the like-for-like payload comparison.
"builder, bars" is the builder on the same rows stripped of milestones, baselines,
actual dates and progress, so it draws plan bars (plus its group rows) only.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import plotly.graph_objects as go

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.gantt.figure import build_gantt  # noqa: E402
from tracker.gantt.html import standalone_html  # noqa: E402
from tracker.gantt.rows import GanttProject  # noqa: E402
from tracker.gantt.sample import sample_projects  # noqa: E402
from tracker.gantt.style import LIGHT_COLOURS  # noqa: E402

AS_OF = date(2022, 5, 31)
TIME_PROGRESS = (AS_OF - date(2022, 1, 1)).days / 365
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Records when plotly.js has drawn: newPlot is wrapped as soon as the bundle defines
# window.Plotly, and a once-listener is attached before the first draw completes
# (plotly emits plotly_afterplot in a promise continuation).
TIMING_SCRIPT = """
(() => {
  let P;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return P; },
    set(v) {
      P = v;
      const orig = v.newPlot;
      v.newPlot = function (gd, ...rest) {
        window.__newplot = performance.now();
        const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
        const result = orig.call(this, gd, ...rest);
        el.once('plotly_afterplot', () => { window.__afterplot = performance.now(); });
        return result;
      };
    },
  });
})();
"""


def px_timeline(projects: list[GanttProject], *, hover: bool) -> go.Figure:
    import pandas as pd
    import plotly.express as px

    frame = pd.DataFrame(
        {
            "label": [f"{p.code} {p.name}" for p in projects],
            "start": [p.planned_start for p in projects],
            "finish": [p.planned_finish for p in projects],
            "light": [p.light for p in projects],
            "county": [p.county for p in projects],
            "lead_unit": [p.lead_unit for p in projects],
            "progress": [p.progress for p in projects],
            "reasons": ["；".join(p.light_reasons) for p in projects],
            "open_problems": [p.open_problems for p in projects],
            "id": [p.id for p in projects],
        }
    )
    extra = (
        {
            "hover_data": ["county", "lead_unit", "progress", "reasons", "open_problems"],
            "custom_data": ["id"],
        }
        if hover
        else {}
    )
    return px.timeline(
        frame,
        x_start="start",
        x_end="finish",
        y="label",
        color="light",
        color_discrete_map=LIGHT_COLOURS,
        **extra,
    )


def bars_only(projects: list[GanttProject]) -> list[GanttProject]:
    return [
        dataclasses.replace(
            p,
            milestones=(),
            baseline_start=p.planned_start,
            baseline_finish=p.planned_finish,
            actual_start=None,
            actual_finish=None,
            progress=0.0,
        )
        for p in projects
    ]


def median_ms(make: Callable[[], go.Figure], runs: int) -> tuple[float, go.Figure]:
    make()  # warm caches and imports
    times = []
    fig = None
    for _ in range(runs):
        start = time.perf_counter()
        fig = make()
        times.append((time.perf_counter() - start) * 1000)
    assert fig is not None
    return statistics.median(times), fig


def payload(fig: go.Figure) -> tuple[int, int]:
    raw = fig.to_json().encode()
    return len(raw), len(gzip.compress(raw, 6))


def draw_ms(figs: dict[str, go.Figure], runs: int) -> dict[str, tuple[float, float]]:
    """Median ms from navigation start to plotly_afterplot, and from newPlot to it."""
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, fig in figs.items():
            path = Path(tmp) / f"{len(out)}.html"
            path.write_text(standalone_html(fig), encoding="utf-8")
            totals, plots = [], []
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.add_init_script(TIMING_SCRIPT)
                page.goto(path.as_uri())
                page.wait_for_function("window.__afterplot !== undefined", timeout=120_000)
                total, plot = page.evaluate(
                    "[window.__afterplot, window.__afterplot - window.__newplot]"
                )
                totals.append(total)
                plots.append(plot)
                page.close()
            out[name] = (statistics.median(totals), statistics.median(plots))
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="build runs per case (median)")
    parser.add_argument("--draw-runs", type=int, default=3, help="browser loads per case")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    header = (
        f"{'projects':>8}  {'figure':<28} {'build ms':>9} {'JSON bytes':>11} {'gzip bytes':>10}"
    )
    print(header)
    print("-" * len(header))
    to_draw: dict[str, go.Figure] = {}
    summary: list[str] = []
    for n in (90, 1000, 5000):
        rows = sample_projects(n, milestones=5)
        plain = bars_only(rows)
        cases: list[tuple[str, Callable[[], go.Figure]]] = [
            ("px.timeline (bars)", lambda r=rows: px_timeline(r, hover=False)),
            ("px.timeline (bars + hover)", lambda r=rows: px_timeline(r, hover=True)),
            ("builder, bars", lambda r=plain: build_gantt(r, as_of=AS_OF)),
            (
                "builder, full",
                lambda r=rows: build_gantt(r, as_of=AS_OF, time_progress=TIME_PROGRESS),
            ),
        ]
        if n == 5000:
            cases.append(
                (
                    f"builder, full, page of {args.page_size}",
                    lambda r=rows: build_gantt(
                        r, as_of=AS_OF, time_progress=TIME_PROGRESS, page_size=args.page_size
                    ),
                )
            )
        results: dict[str, tuple[float, int, int]] = {}
        for name, make in cases:
            ms, fig = median_ms(make, args.runs)
            raw, packed = payload(fig)
            results[name] = (ms, raw, packed)
            print(f"{n:>8}  {name:<28} {ms:>9.1f} {raw:>11,} {packed:>10,}")
            if n in (90, 1000) and name in ("px.timeline (bars)", "builder, full"):
                to_draw[f"{n:>5} {name}"] = fig
            if n == 5000 and name.startswith("builder, full, page"):
                to_draw[f"{n:>5} {name}"] = fig
        px_ms = results["px.timeline (bars)"][0]
        summary.append(
            f"{n:>5}: builder full is {px_ms / results['builder, full'][0]:.1f}x faster than "
            f"px.timeline (bars), builder bars {px_ms / results['builder, bars'][0]:.1f}x; "
            f"bars payload {results['builder, bars'][1] / results['px.timeline (bars + hover)'][1]:.2f}"
            f" of px+hover ({results['builder, bars'][1] / results['px.timeline (bars)'][1]:.2f}"
            " of px bars)"
        )
    print()
    print("\n".join(summary))
    if args.no_browser:
        return
    print()
    print(f"{'case':<40} {'navigation→afterplot ms':>24} {'newPlot→afterplot ms':>21}")
    for name, (total, plot) in draw_ms(to_draw, args.draw_runs).items():
        print(f"{name:<40} {total:>24.0f} {plot:>21.0f}")


if __name__ == "__main__":
    main()
