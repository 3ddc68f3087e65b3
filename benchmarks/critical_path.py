"""The critical path at scale (#17): 5,000 projects × 12 steps within 200 ms.

    python -m benchmarks.critical_path [--projects 5000] [--steps 12] [--runs 5]

Each project is a realistic 前期 chain (tracker/domain/critical_path.py): ``--steps`` approval
steps, the first ones done (actual dates), one in progress, the rest to come; finish-to-start
links along the main line, start-to-start links (with a lag) for the parallel procedures
(环评, 水保, 能评 …), a few lags; then the milestones 开工 and 竣工. Both targets are asked
for with their planned dates (forward pass once, a backward pass per target), as the
project's schedule does.

Timed: ``schedule`` over all projects, the process's CPU ms (wall time on a shared machine
measures the others), median and best of ``--runs``. The networks are built before the
clock starts (the service builds them from rows it reads anyway); the working-day index is
built once per process on first use and is timed apart.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.domain import workdays  # noqa: E402
from tracker.domain.critical_path import Activity, Link, LinkType, schedule  # noqa: E402

TODAY = date(2026, 11, 16)
BUDGET_MS = 200.0
Network = tuple[list[Activity], list[Link], dict[str, date | None]]


def network(rng: random.Random, steps: int) -> Network:
    """One project's chain: a main line with parallel procedures hanging off it by SS links."""
    done = rng.randrange(0, steps // 2)
    day = TODAY - timedelta(days=rng.randrange(200, 400))
    activities: list[Activity] = []
    links: list[Link] = []
    main = "S0"
    for i in range(steps):
        code = f"S{i}"
        duration = rng.randrange(5, 31)
        if i < done:
            finish = day + timedelta(days=duration * 7 // 5)
            activities.append(
                Activity(code, duration, code, actual_start=day, actual_finish=finish)
            )
            day = finish + timedelta(days=1)
        elif i == done:
            activities.append(Activity(code, duration, code, actual_start=day))
        else:
            activities.append(Activity(code, duration, code))
        if i:
            if i % 3 == 2:  # a parallel procedure: starts with the main line's step
                links.append(Link(main, code, LinkType.SS, rng.randrange(0, 6)))
            else:
                links.append(Link(main, code, LinkType.FS, rng.choice((0, 0, 0, 2, 5))))
                main = code
    activities += [Activity("开工", 0, "开工"), Activity("竣工", 0, "竣工")]
    for i in range(steps):
        if i % 3 == 2 or i == steps - 1 or f"S{i}" == main:
            links.append(Link(f"S{i}", "开工"))
    links.append(Link("开工", "竣工", lag=rng.randrange(120, 500)))
    # the planned start: the chain's earliest date give or take (about one in five is late)
    earliest = schedule(activities, links, today=TODAY, targets={}).early["开工"][0]
    planned = workdays.add_workdays(earliest, rng.randrange(-15, 60))
    return activities, links, {"开工": planned, "竣工": planned + timedelta(days=720)}


def run(networks: list[Network]) -> tuple[float, int]:
    start = time.process_time()
    late = 0
    for activities, links, targets in networks:
        result = schedule(activities, links, today=TODAY, targets=targets)
        late += bool(result.targets["开工"].late)
    return (time.process_time() - start) * 1000, late


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    start = time.process_time()
    workdays.index_of(TODAY)
    index_ms = (time.process_time() - start) * 1000

    rng = random.Random(17)
    networks = [network(rng, args.steps) for _ in range(args.projects)]
    activities = sum(len(n[0]) for n in networks)
    links = sum(len(n[1]) for n in networks)
    times: list[float] = []
    late = 0
    for _ in range(args.runs):
        elapsed, late = run(networks)
        times.append(elapsed)
    median = statistics.median(times)
    print(f"working-day index built once per process: {index_ms:.0f} ms CPU")
    print()
    print(
        "| projects | steps | activities | links | targets | median ms | best ms | µs/project | budget |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(
        f"| {args.projects:,} | {args.steps} | {activities:,} | {links:,} | 2 | {median:.0f} "
        f"| {min(times):.0f} | {median * 1000 / args.projects:.1f} | "
        f"{'≤' if median <= BUDGET_MS else '>'} {BUDGET_MS:.0f} ms |"
    )
    print()
    print(f"projects whose 开工 is at risk (a step past its latest date): {late:,}")


if __name__ == "__main__":
    main()
