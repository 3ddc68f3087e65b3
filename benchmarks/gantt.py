"""Battle-map builder vs plotly.express.timeline: build time, payload, drawing time.

    python3 benchmarks/gantt.py            # full run (needs pandas and /usr/bin/chromium)
    python3 benchmarks/gantt.py --runs 3 --no-browser

Both sides get the same generated rows (tracker.gantt.sample, 5 milestones each).
px.timeline draws bars only, coloured by light. "px (bars)" labels them with the
full name and default hover; "px (same content)" shows what the builder shows (the
cut axis label, and in hover the full name, county, lead unit, progress, reasons,
open problems), which is the like-for-like payload comparison.
"builder, bars" is the builder on the same rows stripped of milestones, baselines,
actual dates and progress, ungrouped (group_by=None), so it draws what px draws.
"builder, full" is the real view: grouped by area and measure, with milestones,
baselines, progress fills, actual dates and the 序时进度 marks.
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

from tracker.gantt.figure import NORMAL, build_gantt  # noqa: E402
from tracker.gantt.html import standalone_html  # noqa: E402
from tracker.gantt.labels import shorten  # noqa: E402
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


def px_timeline(projects: list[GanttProject], *, same_content: bool) -> go.Figure:
    """px.timeline bars coloured by light.

    ``same_content`` gives px what the builder shows: the axis label as the builder
    cuts it, and in hover the full name, county, lead unit, progress, the light's
    reasons and open problems, with the project id for clicks.
    """
    import pandas as pd
    import plotly.express as px

    if same_content:
        labels = [shorten(f"{p.code} {p.name}", NORMAL.label_width) for p in projects]
    else:
        labels = [f"{p.code} {p.name}" for p in projects]
    frame = pd.DataFrame(
        {
            "label": labels,
            "start": [p.planned_start for p in projects],
            "finish": [p.planned_finish for p in projects],
            "light": [p.light for p in projects],
            "name": [p.name for p in projects],
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
            "hover_data": ["name", "county", "lead_unit", "progress", "reasons", "open_problems"],
            "custom_data": ["id"],
        }
        if same_content
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


def median_ms(
    cases: list[tuple[str, Callable[[], go.Figure]]], runs: int
) -> dict[str, tuple[float, go.Figure]]:
    """Median build time per case; rounds interleave the cases so load spikes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name, _ in cases}
    figs: dict[str, go.Figure] = {}
    for name, make in cases:
        figs[name] = make()  # warm caches and imports
    for _ in range(runs):
        for name, make in cases:
            start = time.perf_counter()
            figs[name] = make()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: (statistics.median(times[name]), figs[name]) for name, _ in cases}


def payload(fig: go.Figure) -> tuple[int, int]:
    raw = fig.to_json().encode()
    return len(raw), len(gzip.compress(raw, 6))


def date_encodings(fig: go.Figure) -> dict[str, tuple[int, int]]:
    """Payload of the same figure with its dates as ISO text vs epoch milliseconds."""
    import numpy as np

    epoch = date(1970, 1, 1)

    def to_ms(values: list[str]) -> list[int]:
        return [(date.fromisoformat(v) - epoch).days * 86_400_000 for v in values]

    def typed(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.float64)

    sizes = {"ISO text (as built)": payload(fig)}
    for label, wrap in (("epoch ms, JSON numbers", list), ("epoch ms, float64 typed", typed)):
        data = fig.to_plotly_json()
        for trace in data["data"]:
            key = "base" if trace["type"] == "bar" else "x"
            trace[key] = wrap(to_ms(list(trace[key])))
        sizes[label] = payload(go.Figure(data, _validate=False))
    return sizes


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
            ("px.timeline (bars)", lambda r=rows: px_timeline(r, same_content=False)),
            ("px.timeline (same content)", lambda r=rows: px_timeline(r, same_content=True)),
            ("builder, bars", lambda r=plain: build_gantt(r, as_of=AS_OF, group_by=None)),
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
        for name, (ms, fig) in median_ms(cases, args.runs).items():
            raw, packed = payload(fig)
            results[name] = (ms, raw, packed)
            print(f"{n:>8}  {name:<28} {ms:>9.1f} {raw:>11,} {packed:>10,}")
            if n in (90, 1000) and name in ("px.timeline (bars)", "builder, full"):
                to_draw[f"{n:>5} {name}"] = fig
            if n == 5000 and name.startswith("builder, full, page"):
                to_draw[f"{n:>5} {name}"] = fig
        px_ms = results["px.timeline (bars)"][0]
        _, bars, bars_gz = results["builder, bars"]
        _, same, same_gz = results["px.timeline (same content)"]
        plain = results["px.timeline (bars)"][1]
        summary.append(
            f"{n:>5}: builder full is {px_ms / results['builder, full'][0]:.1f}x faster than "
            f"px.timeline (bars), builder bars {px_ms / results['builder, bars'][0]:.1f}x; "
            f"builder bars payload = {bars / same:.2f} x px same content"
            f" ({bars_gz / same_gz:.2f} x gzipped), {bars / plain:.2f} x px bars"
        )
    print()
    print("\n".join(summary))
    print()
    print("dates in the builder's figure at 1,000 projects (JSON bytes, gzip bytes):")
    full = build_gantt(
        sample_projects(1000, milestones=5), as_of=AS_OF, time_progress=TIME_PROGRESS
    )
    for label, (raw, packed) in date_encodings(full).items():
        print(f"  {label:<26} {raw:>11,} {packed:>10,}")
    if args.no_browser:
        return
    print()
    print(f"{'case':<40} {'navigation→afterplot ms':>24} {'newPlot→afterplot ms':>21}")
    for name, (total, plot) in draw_ms(to_draw, args.draw_runs).items():
        print(f"{name:<40} {total:>24.0f} {plot:>21.0f}")


if __name__ == "__main__":
    main()
