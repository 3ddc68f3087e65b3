"""前期手续 use cases at scale (#17): every project a chain of the full template (11 steps,
16 links, 开工建设 and 竣工验收), read as the battle map, the lights and the units' view do.

    python -m benchmarks.approvals [--projects 1000] [--runs 5] [--db FILE]

Projects not started yet (the worst case for the light: every chain is scheduled), their
chains written by ``approvals.build_chain`` (kept in ``--db`` between runs). Timed, in the
process's CPU ms (wall time on a shared machine measures the others), median of ``--runs``:

- ``chains()`` cold: a fresh engine each run (no cached chains): rows, schedules to 开工 and
  竣工, the views; and again on the same engine (kept per data version);
- ``start_risks()``: what the statuses add for the light (the path to 开工 only);
- ``approving_units()``: the units' view over every step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.domain.rules import Thresholds  # noqa: E402
from tracker.models import Area, Measure, Milestone, Project  # noqa: E402
from tracker.services import approvals  # noqa: E402
from tracker.services.auth import SYSTEM  # noqa: E402

TODAY = date(2026, 11, 20)
LATER = date(2027, 1, 20)  # the first steps' latest dates have passed on many projects


def build(path: Path, projects: int) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with write_session(engine) as s:
        area = Area(name="绿色低碳发展")
        s.add(area)
        s.flush()
        measure = Measure(area_id=area.id or 0, name="发展清洁能源")
        s.add(measure)
        s.flush()
        for i in range(projects):
            start = date(2027, 3, 1) + timedelta(days=i % 200)
            finish = start + timedelta(days=700)
            project = Project(
                code=f"B-{i:05d}",
                name=f"项目{i}",
                area_id=area.id or 0,
                measure_id=measure.id or 0,
                county="云县",
                nature="新建",
                planned_start=start,
                planned_finish=finish,
                sort_order=i,
            )
            s.add(project)
            s.flush()
            for seq, (name, day) in enumerate((("开工建设", start), ("竣工验收", finish)), 1):
                s.add(
                    Milestone(
                        project_id=project.id or 0,
                        seq=seq,
                        name=name,
                        baseline_date=day,
                        planned_date=day,
                    )
                )
            s.flush()
            approvals.build_chain(s, project, approvals.template_for(s, project), today=TODAY)
    engine.dispose()


def cpu_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/benchmark-approvals-{args.projects}.db")
    if not path.exists():
        started = time.perf_counter()
        build(path, args.projects)
        print(f"built {args.projects} projects in {time.perf_counter() - started:.0f} s")
    url = f"sqlite:///{path}"

    def cold() -> None:
        engine = make_engine(url)
        with read_session(engine) as s:
            approvals.chains(s, actor=SYSTEM, today=TODAY)
        engine.dispose()

    engine = make_engine(url)

    def read(fn, **kw):
        def work() -> None:
            with read_session(engine) as s:
                fn(s, **kw)

        return work

    cold()
    rows = [
        ("chains(), cold", cpu_ms(cold, args.runs)),
        ("chains(), kept", cpu_ms(read(approvals.chains, actor=SYSTEM, today=TODAY), args.runs)),
        ("start_risks()", cpu_ms(read(approvals.start_risks, today=LATER), args.runs)),
        (
            "approving_units()",
            cpu_ms(
                read(
                    approvals.approving_units,
                    actor=SYSTEM,
                    today=TODAY,
                    thresholds=Thresholds(),
                ),
                args.runs,
            ),
        ),
    ]
    print(f"| {args.projects} projects × 11 steps | CPU ms (median of {args.runs}) |")
    print("| --- | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    main()
