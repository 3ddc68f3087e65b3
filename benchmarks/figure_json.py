"""How long Dash takes to serialise the app's figures, with and without orjson.

Dash turns every callback's output into JSON with ``plotly.io.json.to_json_plotly``, whose
engine is ``auto``: orjson when it is installed, else the standard library's ``json``
(plotly's own encoder). This prints, side by side, both engines on the same figures: the
battle map as the page builds it (90, 1,000 and 5,000 projects, and a page of 150 rows of
the 5,000) and the overview's charts for the demo office.

    python3 -m benchmarks.figure_json --runs 15

Each cell is the median of ``--runs`` timed encodings after one warm-up. Without orjson
installed only the json column is measured.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from plotly.io.json import to_json_plotly

from tests.gantt.sample import sample_projects
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.domain.rules import Thresholds
from tracker.gantt.figure import build_gantt
from tracker.services.demo import build_demo
from tracker.services.overview import overview
from tracker.services.projects import ProjectFilter
from tracker.web import figures

AS_OF = date(2026, 11, 28)


def has_orjson() -> bool:
    try:
        import orjson  # noqa: F401
    except ImportError:
        return False
    return True


def median_ms(encode: Callable[[], str], runs: int) -> tuple[float, int]:
    size = len(encode().encode())  # warm-up, and the payload's size
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        encode()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def cases() -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for n in (90, 1000, 5000):
        projects = sample_projects(n, seed=7, as_of=AS_OF)
        out.append((f"battle map, {n} projects", build_gantt(projects, as_of=AS_OF)))
        if n == 5000:
            out.append(
                (
                    "battle map, 5000, page of 150",
                    build_gantt(projects, as_of=AS_OF, page=0, page_size=150),
                )
            )
    engine = make_engine("sqlite://")
    migrate(engine)
    with write_session(engine) as session:
        build_demo(session, as_of=AS_OF, password="bench")
    with read_session(engine) as session:
        data = overview(session, as_of=AS_OF, thresholds=Thresholds(), filters=ProjectFilter())
    t = Thresholds()
    out.append(
        (
            "overview, all five charts",
            [
                figures.completion_by_group(data.by_area, data.time_progress, t, "zh"),
                figures.completion_by_group(data.by_county, data.time_progress, t, "zh"),
                figures.lights_by_group(data.by_county, "zh"),
                figures.monthly_trend(data.trend, data.period, "zh"),
                figures.behind_projects(data.behind, "zh"),
            ],
        )
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    engines = ["json", "orjson"] if has_orjson() else ["json"]
    print(f"engines measured: {', '.join(engines)}; median of {args.runs} runs")
    header = f"{'figure':32}" + "".join(f" {e + ' bytes':>13} {e + ' ms':>10}" for e in engines)
    if len(engines) == 2:
        header += f" {'json/orjson':>12}"
    print(header)
    for name, fig in cases():
        row = []
        for engine in engines:
            row.append(median_ms(lambda f=fig, e=engine: to_json_plotly(f, engine=e), args.runs))
        line = f"{name:32}" + "".join(f" {size:>13,} {ms:>10.1f}" for ms, size in row)
        if len(row) == 2:
            line += f" {row[0][0] / row[1][0]:>11.1f}x"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
