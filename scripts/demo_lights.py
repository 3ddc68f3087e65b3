"""Light counts of the demo office, month by month: the table for issue #10.

For each month of a year, the demo office is built as of the month's last day (an
in-memory SQLite database, the same code path as ``python -m tracker demo --as-of``) and
every project's light is read as the overview, the battle map and the bulletin read it
(``status.project_statuses``). Between consecutive months it lists which projects changed
light and why, so that every swing can be explained; a swing of more than ``--swing``
projects in one light is flagged.

    python3 scripts/demo_lights.py                 # 2022, as of each month's end
    python3 scripts/demo_lights.py --year 2022 --day 10 --swing 10

``--day N`` reads each month as of the N-th of the next month instead (after the close).
Runs against whatever ``tracker`` is on the path, so the same script gives the figures
of an older checkout (``PYTHONPATH=/path/to/checkout python3 scripts/demo_lights.py``).
"""

from __future__ import annotations

import argparse
import calendar
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.db import make_engine, migrate, read_session, write_session  # noqa: E402
from tracker.domain.rules import Thresholds  # noqa: E402
from tracker.services.demo import build_demo  # noqa: E402
from tracker.services.status import project_statuses  # noqa: E402


def as_of_for(year: int, month: int, day: int | None) -> date:
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1])
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(y, m, day)


def lights_as_of(as_of: date, seed: int) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """code -> (light, reason codes, investment light before its planned start)."""
    engine = make_engine("sqlite://")
    migrate(engine)
    with write_session(engine) as session:
        build_demo(session, as_of=as_of, seed=seed, password="demo")
    with read_session(engine) as session:
        statuses = project_statuses(session, as_of=as_of, thresholds=Thresholds())
    engine.dispose()
    out = {}
    for s in statuses:
        codes = tuple(r.code for r in s.reasons)
        start = s.project.planned_start
        before_start = start is not None and start > as_of and "behind_time_progress" in codes
        out[s.project.code] = (s.light.value, codes, before_start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--day", type=int, default=None, help="read as of day N of next month")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--swing", type=int, default=10)
    args = parser.parse_args(argv)

    months = [as_of_for(args.year, m, args.day) for m in range(1, 13)]
    rows = [(d, lights_as_of(d, args.seed)) for d in months]
    print(f"demo office (seed {args.seed}), lights as of each month of {args.year}")
    print(
        "| month | as of | red | amber | green | Δred | Δamber | investment light before "
        "start | reasons (projects) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    previous: dict[str, tuple[str, tuple[str, ...], bool]] | None = None
    swings: list[str] = []
    for month, (as_of, lights) in enumerate(rows, start=1):
        count = Counter(light for light, _, _ in lights.values())
        reasons = Counter(code for _, codes, _ in lights.values() for code in set(codes))
        before = sum(1 for _, _, flag in lights.values() if flag)
        if previous is None:
            d_red = d_amber = 0
        else:
            old = Counter(light for light, _, _ in previous.values())
            d_red, d_amber = count["red"] - old["red"], count["amber"] - old["amber"]
        print(
            f"| {args.year}-{month:02d} | {as_of} | {count['red']} | {count['amber']} | "
            f"{count['green']} | {d_red:+d} | {d_amber:+d} | {before} | "
            + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items()))
            + " |"
        )
        if previous is not None:
            changed = [
                (code, previous[code][0], light, codes)
                for code, (light, codes, _) in lights.items()
                if code in previous and previous[code][0] != light
            ]
            if abs(d_red) > args.swing or abs(d_amber) > args.swing:
                swings.append(f"{args.year}-{month:02d}: {len(changed)} projects changed light")
            if changed:
                print(
                    "|  | changes | "
                    + "; ".join(
                        f"{code} {a}→{b} ({'/'.join(codes) or 'no reason'})"
                        for code, a, b, codes in changed
                    )
                    + " |  |  |  |  |  |  |"
                )
        previous = lights
    print()
    if swings:
        print(f"swings of more than {args.swing} projects:")
        for line in swings:
            print(" ", line)
    else:
        print(f"no month's red or amber count moved by more than {args.swing} projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
