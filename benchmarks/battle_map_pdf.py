"""The printable battle map (A3 PDF): seconds, pages and megabytes per plan size, before and
after the #15 rework, side by side.

    python3 benchmarks/battle_map_pdf.py [--sizes 90,1000,5000,10000] [--runs 3]
                                         [--no-before] [--db 1000,10000]

Rows: ``tests.gantt.sample.sample_projects`` (90 is the demo-sized plan with 3–6 milestones
a project; the other sizes have 5), drawn by ``gantt_pdf`` straight from the rows: the pure
drawing time. "before" is ``tracker/gantt/pdf.py`` as of REFERENCE_COMMIT (main before
#15), read with ``git show`` and run in a separate process (both register the same font
name with reportlab). Figures: the best of ``--runs`` wall-clock seconds, and the CPU
seconds of that run (the machine is shared: CPU time is the steadier figure).

``--db`` sizes also go end to end: a generated list (``benchmarks.import_list``, 4
milestones a project) imported into a temporary SQLite database, then the battle map's
service (``battle_map_page``: statuses, filters, open problems; the part another change
speeds up) and the PDF export the page's button calls (``pdf_export``), timed apart.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.reference import module_at  # noqa: E402
from tests.gantt.sample import sample_projects  # noqa: E402

REFERENCE_COMMIT = "6ee92eccc1cbeaba709acbb0972a5bfa28b1606a"  # main before #15
AS_OF = date(2022, 5, 31)
TITLE = "临沧市重大项目实施甘特图"


def reference_gantt_pdf():
    """``gantt_pdf`` as of REFERENCE_COMMIT (it finds the shipped font beside it)."""
    return module_at(REFERENCE_COMMIT, "tracker/gantt/pdf.py", "reference_gantt_pdf").gantt_pdf


def plan(size: int):
    return sample_projects(90) if size == 90 else sample_projects(size, milestones=5)


def page_count(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n")


def measure(draw, sizes: list[int], runs: int) -> dict[int, dict[str, float]]:
    out = {}
    for size in sizes:
        rows = plan(size)
        best = None
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = draw(rows, as_of=AS_OF, title=TITLE, time_progress=0.414)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if best is None or wall < best["s"]:
                best = {"s": wall, "cpu": cpu, "pages": page_count(pdf), "mb": len(pdf) / 1e6}
        out[size] = best
    return out


def before(sizes: list[int], runs: int) -> dict[int, dict[str, float]]:
    done = subprocess.run(
        [sys.executable, __file__, "--reference", "--sizes", ",".join(map(str, sizes))]
        + ["--runs", str(runs)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {int(k): v for k, v in json.loads(done.stdout).items()}


def end_to_end(sizes: list[int]) -> None:
    from benchmarks.battle_map import plan_engine
    from tracker.config import load_settings
    from tracker.services.auth import Actor
    from tracker.services.battle_map import ViewState, battle_map_page
    from tracker.services.unit import read
    from tracker.web.views.battle_map import pdf_export

    admin = Actor(id=1, username="admin", role="admin")
    settings = load_settings(env={})
    print("\nend to end (SQLite, generated list, 4 milestones a project, as of 2026-11-28)")
    print(
        f"{'projects':>8} | {'import s':>8} | {'service s':>9} | {'pdf s':>6} | {'pages':>5} | MB"
    )
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            engine = plan_engine(Path(folder), size)
            imported = time.perf_counter() - started
            started = time.perf_counter()
            data = read(
                engine,
                battle_map_page,
                actor=admin,
                as_of=date(2026, 11, 28),
                view=ViewState(),
                language="zh",
                settings=settings,
            )
            service = time.perf_counter() - started
            started = time.perf_counter()
            pdf = pdf_export(data, data.view, "zh")
            drawn = time.perf_counter() - started
            engine.dispose()
        print(
            f"{size:>8,} | {imported:>8.1f} | {service:>9.2f} | {drawn:>6.2f} | "
            f"{page_count(pdf):>5} | {len(pdf) / 1e6:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="90,1000,5000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-before", action="store_true")
    parser.add_argument("--db", default="", help="sizes to run end to end from a database")
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.reference:  # the child process of before()
        print(json.dumps(measure(reference_gantt_pdf(), sizes, args.runs)))
        return

    from tracker.gantt.pdf import gantt_pdf

    old = {} if args.no_before else before(sizes, args.runs)
    new = measure(gantt_pdf, sizes, args.runs)
    print(f"battle map PDF from rows: best of {args.runs} (wall s), CPU s of that run")
    print(
        f"{'projects':>8} | {'before s':>8} {'cpu':>5} {'pages':>5} {'MB':>5} | "
        f"{'after s':>7} {'cpu':>5} {'pages':>5} {'MB':>5} | {'cpu ×':>5}"
    )
    for size in sizes:
        a = new[size]
        b = old.get(size)
        left = (
            f"{b['s']:>8.2f} {b['cpu']:>5.2f} {b['pages']:>5} {b['mb']:>5.2f}"
            if b
            else f"{'–':>8} {'':>5} {'':>5} {'':>5}"
        )
        ratio = f"{b['cpu'] / a['cpu']:>5.1f}" if b and a["cpu"] else f"{'':>5}"
        print(
            f"{size:>8,} | {left} | {a['s']:>7.2f} {a['cpu']:>5.2f} {a['pages']:>5} "
            f"{a['mb']:>5.2f} | {ratio}"
        )
    if args.db:
        end_to_end([int(s) for s in args.db.split(",") if s])


if __name__ == "__main__":
    main()
