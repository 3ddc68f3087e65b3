"""#17: the battle map with the 前期 chains shown, beside the same map without them.

    python3 benchmarks/battle_map_chains.py [--sizes 1000] [--steps 12] [--runs 15]
                                            [--no-pdf] [--db 1000] [--cache DIR]

Rows: ``tests.gantt.sample.sample_projects`` (five milestones a project) and, for the
chained map, each project's ``sample_chain`` (``--steps`` approval steps, 15 links of the
catalogue's shape and one into 开工建设 for 12 steps). For each size, the builder
(``build_gantt``: rows → figure) and the figure as the page sends it (the CHART store's
JSON, plotly's encoder), each the median of ``--runs`` interleaved rounds; the payload
plain and gzipped (level 6, as the app's compression); the points the browser receives;
and the printable A3 PDF (``gantt_pdf``, best of 3, CPU seconds). Only the drawing;
wall and CPU milliseconds side by side (the machine is shared: CPU time is steadier).

``--db`` sizes go end to end: a generated list (``benchmarks.battle_map.plan_engine``, five
milestones a project, kept in ``--cache``) given the demo's chains
(``demo_approvals.add_demo_chains``: each project's template, steps done, in progress and
overdue), then the battle map's service (``battle_map_page``: statuses, and with chains each
project's steps, links and critical path) on a cold engine each run (no cached rows), the
figure and its JSON (``views.battle_map.drawn``'s work), and the CHART store's bytes.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plotly.io.json import to_json_plotly  # noqa: E402

from tests.gantt.sample import sample_chain, sample_projects  # noqa: E402
from tracker.gantt.figure import build_gantt  # noqa: E402
from tracker.gantt.pdf import gantt_pdf  # noqa: E402

AS_OF = date(2022, 5, 31)
TIME_PROGRESS = 0.41


def timed(make, runs: int) -> tuple[float, float]:
    """Median wall ms and median CPU ms (the machine is shared: CPU time is steadier)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        make()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def points(fig) -> int:
    return sum(len(t.x) if t.x is not None else 0 for t in fig.data)


def measure(rows, runs: int, pdf: bool) -> dict[str, float]:
    def build():
        return build_gantt(rows, as_of=AS_OF, time_progress=TIME_PROGRESS)

    fig = build()  # warm
    body = to_json_plotly(fig.to_plotly_json()).encode()
    build_ms, build_cpu = timed(build, runs)
    json_ms, json_cpu = timed(lambda: to_json_plotly(fig.to_plotly_json()), runs)
    out = {
        "build_ms": build_ms,
        "build_cpu": build_cpu,
        "json_ms": json_ms,
        "json_cpu": json_cpu,
        "kb": len(body) / 1024,
        "gzip_kb": len(gzip.compress(body, 6)) / 1024,
        "traces": len(fig.data),
        "points": points(fig),
        "height": fig.layout.height,
    }
    if pdf:
        best, made = None, b""
        for _ in range(3):
            used = time.process_time()
            made = gantt_pdf(rows, as_of=AS_OF, title="挂图作战", time_progress=TIME_PROGRESS)
            took = time.process_time() - used
            best = took if best is None else min(best, took)
        out["pdf_s"] = best or 0.0  # CPU seconds
        out["pdf_pages"] = made.count(b"/Type /Page\n")
        out["pdf_mb"] = len(made) / 1e6
    return out


def plan_with_chains(folder: Path, size: int):
    from sqlmodel import select

    from benchmarks.battle_map import plan_engine
    from tracker.db import read_session, write_session
    from tracker.models import ProjectStep
    from tracker.services.demo_approvals import add_demo_chains

    engine = plan_engine(folder, size)
    with read_session(engine) as s:
        has = s.exec(select(ProjectStep.id).limit(1)).first() is not None
    if not has:
        with write_session(engine) as s:
            add_demo_chains(s, as_of=DB_AS_OF)
    return engine


DB_AS_OF = date(2026, 11, 28)


def end_to_end(sizes: list[int], runs: int, cache: Path) -> None:
    from sqlmodel import select

    from tracker.config import load_settings
    from tracker.db import make_engine, read_session
    from tracker.models import ProjectStep, StepLink, User
    from tracker.services.auth import Actor
    from tracker.services.battle_map import ViewState, battle_map_page
    from tracker.web.views import battle_map as view

    settings = load_settings(env={})
    print(
        f"\nend to end (SQLite, generated list, demo chains, as of {DB_AS_OF}); medians of {runs}"
    )
    print(
        f"{'projects':>8} | {'steps':>6} | {'links':>6} | {'chains':<6} | {'service ms':>10} | "
        f"{'cpu ms':>6} | {'figure ms':>9} | {'cpu ms':>6} | {'JSON ms':>7} | {'KB':>6} | "
        f"{'gzip KB':>7}"
    )
    for size in sizes:
        cache.mkdir(parents=True, exist_ok=True)
        url = str(plan_with_chains(cache, size).url)
        with read_session(make_engine(url)) as s:
            admin = Actor.of(s.exec(select(User).where(User.username == "admin")).one())
            steps = len(s.exec(select(ProjectStep.id)).all())
            links = len(s.exec(select(StepLink.id)).all())
        for shown in (False, True):
            state = ViewState(chains=shown)
            service, cpu, figure, figure_cpu, encode, body = [], [], [], [], [], b""
            for _ in range(runs):
                engine = make_engine(url)  # cold: no rows or statuses kept from a run before
                start, used = time.perf_counter(), time.process_time()
                with read_session(engine) as s:
                    data = battle_map_page(
                        s, actor=admin, as_of=DB_AS_OF, view=state, language="zh",
                        settings=settings,
                    )  # fmt: skip
                read, used = time.perf_counter(), time.process_time() - used
                drawing = time.process_time()
                chart = view.chart_data(view.figure(data, data.view, "zh"), data.view)
                built, drawing = time.perf_counter(), time.process_time() - drawing
                body = to_json_plotly(chart).encode()
                done = time.perf_counter()
                engine.dispose()
                service.append((read - start) * 1000)
                cpu.append(used * 1000)
                figure_cpu.append(drawing * 1000)
                figure.append((built - read) * 1000)
                encode.append((done - built) * 1000)
            print(
                f"{size:>8,} | {steps:>6} | {links:>6} | {'yes' if shown else 'no':<6} | "
                f"{statistics.median(service):>10.0f} | {statistics.median(cpu):>6.0f} | "
                f"{statistics.median(figure):>9.0f} | {statistics.median(figure_cpu):>6.0f} | "
                f"{statistics.median(encode):>7.0f} | {len(body) / 1024:>6.0f} | "
                f"{len(gzip.compress(body, 6)) / 1024:>7.0f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--db", default="", help="sizes to run end to end from a database")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "bm-chains"))
    args = parser.parse_args()
    print(f"battle map, {args.steps} approval steps a project; medians of {args.runs} runs")
    head = (
        f"{'projects':>8} | {'chains':<6} | {'build ms':>8} {'cpu':>5} | {'JSON ms':>7} {'cpu':>5} | "
        f"{'KB':>7} | "
        f"{'gzip KB':>7} | {'traces':>6} | {'points':>6} | {'px high':>7}"
    )
    if not args.no_pdf:
        head += f" | {'PDF cpu s':>9} | {'pages':>5} | {'PDF MB':>6}"
    print(head)
    for size in (int(x) for x in args.sizes.split(",") if x):
        bare = sample_projects(size, milestones=5)
        chained = [replace(p, chain=sample_chain(p, AS_OF, args.steps)) for p in bare]
        for label, rows in (("no", bare), ("yes", chained)):
            m = measure(rows, args.runs, not args.no_pdf)
            line = (
                f"{size:>8,} | {label:<6} | {m['build_ms']:>8.1f} {m['build_cpu']:>5.0f} | "
                f"{m['json_ms']:>7.1f} {m['json_cpu']:>5.0f} | "
                f"{m['kb']:>7.0f} | {m['gzip_kb']:>7.0f} | {m['traces']:>6} | "
                f"{m['points']:>6} | {m['height']:>7}"
            )
            if not args.no_pdf:
                line += f" | {m['pdf_s']:>9.2f} | {m['pdf_pages']:>5} | {m['pdf_mb']:>6.2f}"
            print(line, flush=True)
    if args.db:
        sizes = [int(x) for x in args.db.split(",") if x]
        end_to_end(sizes, max(args.runs // 3, 3), Path(args.cache))


if __name__ == "__main__":
    main()
