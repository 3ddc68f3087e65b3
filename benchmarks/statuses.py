"""Project statuses at scale (#15 item 3): ORM objects (before) vs plain rows vs the cache.

    python -m benchmarks.statuses [--sizes 1000,5000,10000] [--runs 3]
    python -m benchmarks.statuses --battle-map 5000 [--runs 10]
    python -m benchmarks.statuses --contention [--threads 8] [--seconds 5]

For each size, a temporary SQLite database as ``benchmarks.bulletin`` builds it (a generated
list of that many projects with four milestones each, twelve months of reports, the year's
reporting periods). Timed, median of ``--runs`` (the process's CPU ms: wall time on a
shared machine measures the others), all projects at once:

- ORM: ``project_statuses`` as it was before #15 (the module read from git at BEFORE),
  which loads Project, Milestone, InvestmentPlan and the latest MonthlyReport as ORM objects;
- rows: the current code with its cache emptied before each call (plain rows);
- cached: the current code again under the same data version (a cache hit).

The two first must agree: every project's light, reasons, rate, 序时 and milestone states
are compared, and the script stops if one differs.

``--battle-map N``: ``update_battle_map`` page changes through Dash at N projects (as
benchmarks/battle_map.py times them), under an unchanged data version and each right
after a save (the cache misses: the cost every first reader pays after a write).

``--contention``: the cost of the one-row counter every commit bumps, on PostgreSQL
(``TRACKER_TEST_POSTGRES`` or the local ``test`` database, in a schema of its own):
``--threads`` writers each commit small saves (one milestone's note) for ``--seconds``,
once on an engine that bumps the data version and once on one that does not. Printed:
commits per second and the p50/p95 commit time of each.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bulletin import TODAY, build  # noqa: E402
from benchmarks.reference import module_at  # noqa: E402
from benchmarks.web import p95  # noqa: E402
from tracker import data_version  # noqa: E402
from tracker.db import make_engine, read_session  # noqa: E402
from tracker.domain.rules import Thresholds  # noqa: E402
from tracker.services import status  # noqa: E402
from tracker.startup import settle_heap  # noqa: E402

BEFORE = "6ee92ec"  # main when #15 began: project_statuses from ORM objects
THRESHOLDS = Thresholds()


def orm_module() -> ModuleType:
    """``tracker.services.status`` as it was at BEFORE, loaded under another name."""
    return module_at(BEFORE, "tracker/services/status.py", "benchmarks._status_orm")


def median_ms(fn, runs: int, clock=time.perf_counter) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = clock()
        result = fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times), result


def essence(statuses) -> list[tuple]:
    """What the pages and the bulletin read of each status, comparable across both codes."""
    return [
        (
            s.project.id,
            s.project.code,
            s.area,
            s.measure,
            s.light,
            [r.code for r in s.reasons],
            s.rate,
            s.gap_pp,
            s.due_share,
            s.completed_ytd,
            s.completed_total,
            s.missed_reports,
            s.reported,
            s.stage,
            s.figures,
            [(m.id, m.planned_date, state) for m, state in s.milestones],
            getattr(s.latest_report, "id", None),
        )
        for s in statuses
    ]


def time_size(engine, old: ModuleType, runs: int) -> dict[str, float]:
    def orm():
        with read_session(engine) as s:
            return old.project_statuses(s, as_of=TODAY, thresholds=THRESHOLDS)

    def rows():
        cache = data_version.engine_cache(engine, "project_statuses")
        assert cache is not None, "the benchmark's engine must track its writes"
        cache.clear()
        with read_session(engine) as s:
            return status.project_statuses(s, as_of=TODAY, thresholds=THRESHOLDS)

    def cached():
        with read_session(engine) as s:
            return status.project_statuses(s, as_of=TODAY, thresholds=THRESHOLDS)

    # CPU time of this process: on a machine others share, wall time says more about them
    orm_ms, before = median_ms(orm, runs, time.process_time)
    rows_ms, after = median_ms(rows, runs, time.process_time)
    if essence(before) != essence(after):
        sys.exit("the statuses from rows differ from the ORM statuses")
    cached_ms, _ = median_ms(cached, max(runs, 5), time.process_time)
    del before, after
    gc.collect()
    tracemalloc.start()
    kept = rows()  # what one cache entry holds: the statuses of the whole plan
    entry = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del kept
    return {"orm": orm_ms, "rows": rows_ms, "cached": cached_ms, "mb": entry}


def statuses_table(sizes: list[int], runs: int) -> None:
    old = orm_module()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            print(f"preparing {size} projects…", file=sys.stderr, flush=True)
            sub = Path(folder) / str(size)
            sub.mkdir()
            engine = build(sub, size)
            settle_heap()  # as the app does once it is built (GC thresholds)
            results.append((size, time_size(engine, old, runs)))
            engine.dispose()
    title = f"project_statuses of the whole plan, as of {TODAY}; median of {runs} runs (CPU ms)"
    head = (
        f"{'projects':>8} {'ORM (before)':>13} {'rows':>8} {'cached':>8} {'ORM/rows':>9}"
        f" {'entry MB':>9}"
    )
    table(
        title,
        head,
        (
            f"{size:>8} {r['orm']:>13.0f} {r['rows']:>8.0f} {r['cached']:>8.2f}"
            f" {r['orm'] / r['rows']:>9.1f} {r['mb']:>9.1f}"
            for size, r in results
        ),
    )
    print(
        "\nORM: the code before #15; rows: now, cache emptied; cached: now, a hit;"
        " entry MB: memory one cached entry holds (tracemalloc)"
    )


# --- a battle map page change, cached and right after a save ----------------------------


def page_changes(size: int, runs: int) -> None:
    """``update_battle_map`` page changes through Dash (as benchmarks/battle_map.py times
    them): under an unchanged data version, and each right after a save (a cache miss)."""
    from sqlalchemy import text

    from benchmarks.battle_map import AS_OF, plan_engine
    from benchmarks.web import signed_in_admin
    from tests.web.dashcalls import forge
    from tracker.web.views.battle_map import BattleMapIds as Ids

    with tempfile.TemporaryDirectory() as folder:
        print(f"preparing {size} projects…", file=sys.stderr, flush=True)
        engine = plan_engine(Path(folder), size)
        app, client = signed_in_admin(engine, AS_OF)
        state = {"query": "", "page_count": 1000, "areas": [], "span": ["2020-01-01", "2030-12-31"]}
        turn = [0]

        def page_change() -> None:
            turn[0] += 1
            body = forge(
                app,
                "update_battle_map",
                {f"{Ids.PAGER}.value": 2 + turn[0] % 3, f"{Ids.STATE}.data": state},
            )
            body["changedPropIds"] = [f"{Ids.PAGER}.value"]
            assert client.post("/_dash-update-component", json=body).status_code in (200, 204)

        def save() -> None:  # a project's own row: every status computed again
            with engine.begin() as conn:
                conn.execute(text("update project set remark = remark || '' where id = 1"))

        def milestone_save() -> None:  # as the milestone services write: one project again
            from sqlalchemy import update

            from tracker import data_version
            from tracker.models import Milestone, utcnow

            with engine.begin() as conn:
                conn.execute(
                    update(Milestone)
                    .where(Milestone.id == 1)
                    .values(version=Milestone.version + 1, updated_at=utcnow())
                    .execution_options(**data_version.of_projects(1))
                )

        page_change()  # the first one fills the cache
        timing = {"cached": [], "after a project edit": [], "after a milestone save": []}
        for _ in range(runs):
            timing["cached"].append(median_ms(page_change, 1)[0])
            save()
            timing["after a project edit"].append(median_ms(page_change, 1)[0])
            milestone_save()
            timing["after a milestone save"].append(median_ms(page_change, 1)[0])
        engine.dispose()
    table(
        f"battle map page change at {size} projects, {runs} runs",
        f"{'page change':<22} {'p50 ms':>8} {'p95 ms':>8}",
        (
            f"{name:<22} {statistics.median(times):>8.0f} {p95(times):>8.0f}"
            for name, times in timing.items()
        ),
    )


# --- the counter's contention -------------------------------------------------------------


def _saves(engine, threads: int, seconds: float, ids: list[int]) -> list[float]:
    from sqlalchemy import text

    times: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def writer(n: int) -> None:
        turn = 0
        while time.perf_counter() < stop:
            pid = ids[(n * 7919 + turn) % len(ids)]
            turn += 1
            start = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(
                    text("update milestone set note = :note, version = version + 1 where id = :id"),
                    {"note": f"w{n}-{turn}", "id": pid},
                )
            with lock:
                times.append((time.perf_counter() - start) * 1000)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return times


def contention(threads: int, seconds: float) -> None:
    from sqlalchemy import create_engine, text

    from tracker.db import migrate

    url = os.environ.get(
        "TRACKER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    schema = f"bench_dv_{os.getpid()}"
    options = {"connect_args": {"options": f"-csearch_path={schema}"}, "pool_size": threads}
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        tracked = make_engine(url, **options)
        migrate(tracked)
        with tracked.begin() as conn:
            conn.execute(text("insert into area (name, sort_order) values ('a', 0)"))
            conn.execute(text("insert into measure (area_id, name, sort_order) values (1, 'm', 0)"))
            for n in range(200):
                conn.execute(
                    text(
                        "insert into project (code, name, area_id, measure_id, county, lead_unit,"
                        " responsible_units, contact_person, contact_phone, scope, nature,"
                        " total_investment, sort_order, city_leader, implementer, remark, version,"
                        " created_at, updated_at) values (:c, :c, 1, 1, '云县', '', '', '', '', '',"
                        " '新建', 0, 0, '', '', '', 1, now(), now())"
                    ),
                    {"c": f"P{n}"},
                )
            conn.execute(
                text(
                    "insert into milestone (project_id, seq, name, baseline_date, planned_date,"
                    " note, pending_reason, version, updated_at) select id, 1, 'm', :d, :d, '',"
                    " '', 1, now() from project"
                ),
                {"d": date(2026, 6, 30)},
            )
            ids = [r[0] for r in conn.execute(text("select id from milestone"))]
        plain = create_engine(url, pool_pre_ping=True, **options)  # as make_engine, no counter
        rows = []
        for name, engine in (
            ("no counter", plain),
            ("counter bumped", tracked),
            ("no counter", plain),
        ):
            times = _saves(engine, threads, seconds, ids)
            rows.append((name, len(times) / seconds, statistics.median(times), p95(times)))
        plain.dispose()
        tracked.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    table(
        f"{threads} writers on PostgreSQL, {seconds:.0f} s each",
        f"{'engine':<16} {'commits/s':>10} {'p50 ms':>8} {'p95 ms':>8}",
        (f"{name:<16} {rate:>10.0f} {p50:>8.2f} {p95_:>8.2f}" for name, rate, p50, p95_ in rows),
    )


def table(title: str, head: str, lines) -> None:
    """A table with its title, the machine's CPUs and load (figures are noisy under load)."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{title}\n{os.cpu_count()} CPUs, load average at the end: {load}\n")
    print(head)
    print("-" * len(head))
    for line in lines:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--contention", action="store_true")
    parser.add_argument("--battle-map", type=int, metavar="PROJECTS", default=0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if args.contention:
        contention(args.threads, args.seconds)
    elif args.battle_map:
        page_changes(args.battle_map, args.runs)
    else:
        statuses_table([int(s) for s in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
