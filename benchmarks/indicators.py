"""The indicator services at scale (#16): the catalogue, the SDG tiles, the overview block and
one indicator's page, at the demo's 171 indicators and at 5,000.

    python -m benchmarks.indicators [--sizes 171,5000] [--runs 5] [--postgres]

For each size a temporary SQLite database (``--postgres``: a schema of its own in the local
``test`` database) is filled with ``fill``: that many indicators over the three systems,
annual values 2020–2025 (a few missing), 2025/2030 targets and one or two SDG goals each,
through ``apply_catalogue`` as an import would. Timed, median of ``--runs`` (the process's
CPU ms and the wall ms):

- catalogue (cold): ``catalogue`` with the worker's cache emptied before each call (the
  first reader after a write pays this);
- catalogue (cached): the same under an unchanged data version;
- filtered: one system, one goal, red only (served from the same cached rows);
- tiles / summary: ``sdg_tiles`` and ``overview_summary`` (cached rows);
- detail: ``indicator_detail`` of one indicator (its own few queries, never the whole set).

``fill`` is importable: ``benchmarks/indicators_page.py`` and tests may build the same data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from tracker import data_version  # noqa: E402
from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.services import indicators as svc  # noqa: E402
from tracker.services.auth import SYSTEM  # noqa: E402

AS_OF = date(2026, 11, 28)
SYSTEMS = ("创新能力监测", "SDGs 进展", "可持续发展规划")
UNITS = ("市科技局", "市发展改革委", "市工业和信息化局", "市农业农村局", "市生态环境局", "市林草局")


def fill(session: Session, n: int, *, seed: int = 16) -> None:
    """``n`` indicators with six years of values (about 1 in 12 years missing)."""
    rng = random.Random(seed)
    specs, values = [], []
    for i in range(n):
        system = SYSTEMS[i % 3]
        base = rng.uniform(1, 100)
        way = base * rng.uniform(0.1, 0.6)
        code = f"B-{i + 1:05d}"
        specs.append(
            svc.IndicatorSpec(
                system=system,
                code=code,
                name=f"基准指标{i + 1}",
                unit="%",
                direction="higher",
                baseline_year=2020,
                baseline_value=round(base, 2),
                targets={2025: round(base + way, 2), 2030: round(base + 2 * way, 2)},
                lead_unit=UNITS[i % len(UNITS)],
                data_source="统计年鉴",
                goals=tuple(sorted({1 + i % 17, 1 + (i * 7) % 17})),
                sort_order=i,
            )
        )
        pace = rng.choice((1.0, 1.0, 1.0, 0.8, 0.5))
        for year in range(2020, 2026):
            if year > 2020 and rng.random() < 1 / 12:
                continue
            number = base + way * (year - 2020) / 5 * pace * rng.uniform(0.97, 1.03)
            values.append(
                svc.ValueSpec(system, code, date(year, 1, 1), round(number, 2), source="年鉴")
            )
    svc.apply_catalogue(session, actor=SYSTEM, specs=specs, values=values, today=AS_OF)


def _timed(work, runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        work()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def _engine(postgres: bool, folder: str, size: int):
    if not postgres:
        return make_engine(f"sqlite:///{folder}/indicators_{size}.db")
    url = os.environ.get("TRACKER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1/test")
    schema = f"bench_indicators_{size}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    admin.dispose()
    return make_engine(url, connect_args={"options": f"-csearch_path={schema}"})


def measure(size: int, runs: int, postgres: bool, folder: str) -> list[tuple[str, float, float]]:
    engine = _engine(postgres, folder, size)
    migrate(engine)
    t0 = time.perf_counter()
    with write_session(engine) as session:
        fill(session, size)
    filled = (time.perf_counter() - t0) * 1000
    with read_session(engine) as session:
        some_id = svc.catalogue(session, actor=SYSTEM, as_of=AS_OF).rows[size // 2].id

    def cold() -> None:
        with read_session(engine) as session:
            cache = data_version.reading(session, "indicator_rows")
            if cache is not None:
                cache.cache.clear()
            svc.catalogue(session, actor=SYSTEM, as_of=AS_OF)

    def call(fn):  # noqa: ANN001, ANN202
        def run() -> None:
            with read_session(engine) as session:
                fn(session)

        return run

    filtered = svc.CatalogueFilter(system="sdg", goal=9, light="red")
    rows = [
        ("fill (apply_catalogue)", filled, filled),
        ("catalogue (cold)", *_timed(cold, runs)),
        (
            "catalogue (cached)",
            *_timed(call(lambda s: svc.catalogue(s, actor=SYSTEM, as_of=AS_OF)), runs),
        ),
        (
            "filtered",
            *_timed(
                call(lambda s: svc.catalogue(s, actor=SYSTEM, as_of=AS_OF, filters=filtered)), runs
            ),
        ),
        ("sdg tiles", *_timed(call(lambda s: svc.sdg_tiles(s, actor=SYSTEM, as_of=AS_OF)), runs)),
        (
            "overview summary",
            *_timed(call(lambda s: svc.overview_summary(s, actor=SYSTEM, as_of=AS_OF)), runs),
        ),
        (
            "indicator detail",
            *_timed(
                call(
                    lambda s: svc.indicator_detail(
                        s, actor=SYSTEM, indicator_id=some_id, as_of=AS_OF
                    )
                ),
                runs,
            ),
        ),
    ]
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="171,5000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        results = {size: measure(size, args.runs, args.postgres, folder) for size in sizes}
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"indicator services, {backend}, median of {args.runs} (CPU ms / wall ms)")
    print(f"{'':26}" + "".join(f"{size:>20}" for size in sizes))
    for index, (label, *_rest) in enumerate(results[sizes[0]]):
        cells = "".join(
            f"{results[s][index][1]:>10.1f} /{results[s][index][2]:>8.1f}" for s in sizes
        )
        print(f"{label:26}{cells}")


if __name__ == "__main__":
    main()
