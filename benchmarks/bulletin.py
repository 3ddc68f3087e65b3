"""Bulletin at scale (#14 part 6): 5,000 projects × 12 months of reports in a temporary
SQLite database; the month's figures (compute_bulletin) and each format (.xlsx, .docx,
.pdf) timed and their peak memory taken (tracemalloc), beside a bare openpyxl write_only
dump of the same cells and a bare python-docx document of the same text and tables.

    python -m benchmarks.bulletin [--projects 5000] [--runs 1] [--stress]

The plan runs as plans do (a month's investment 70–125% of its share of the year's plan,
nine in ten milestones due done on time, November closed and frozen); ``--stress`` leaves
every milestone undone and most projects behind, so every project is red or amber and the
annexes are as long as they can be.

Targets: figures + .xlsx ≤ 3 s and ≤ 3× the bare dump; .docx ≤ 3× bare python-docx."""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from tracker.config import load_settings
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.domain.periods import add_months
from tracker.models import MonthlyReport, ReportingPeriod
from tracker.services.auth import SYSTEM

PERIOD = date(2026, 12, 1)
TODAY = date(2027, 1, 3)
STAMP = datetime(2027, 1, 3, tzinfo=UTC)


def build(folder: Path, n: int, stress: bool = False) -> Any:
    from benchmarks.import_list import generate_list
    from tracker.services.plan_import import import_project_list

    engine = make_engine(f"sqlite:///{folder / 'bulletin.db'}")
    migrate(engine)
    data = generate_list(n, folder / "plan.xlsx").read_bytes()
    with write_session(engine) as s:
        result = import_project_list(
            s, actor=SYSTEM, data=data, filename="plan.xlsx", dry_run=False, max_bytes=200 << 20
        )
        assert not result.errors, result.errors[:3]
    with engine.begin() as conn:  # the generated list plans 2021–2023: move it to 2025–2027
        for table, columns in (
            ("project", ("baseline_start", "baseline_finish", "planned_start", "planned_finish")),
            ("milestone", ("baseline_date", "planned_date")),
        ):
            sets = ", ".join(f"{c} = date({c}, '+4 years')" for c in columns)
            conn.execute(text(f"update {table} set {sets}"))
        conn.execute(text("update investmentplan set year = year + 4"))
        if not stress:  # most projects due to start have started
            conn.execute(
                text(
                    "update project set actual_start = planned_start "
                    "where planned_start < :today and abs(random() % 20) < 19"
                ),
                {"today": TODAY},
            )
    rng = random.Random(14)
    # a month's share of the year's plan: about on schedule, some behind (--stress: most)
    pace = (0.4, 1.3) if stress else (0.7, 1.25)
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text("select id from project"))]
        plans = dict(
            conn.execute(
                text("select project_id, amount from investmentplan where year = 2026")
            ).all()
        )
        rows = []
        for pid in ids:
            plan = float(plans.get(pid) or 1000)
            ytd = 0.0
            for month in range(1, 13):
                step = round(plan / 12 * rng.uniform(*pace), 2)
                ytd = round(ytd + step, 2)
                rows.append(
                    {
                        "project_id": pid,
                        "period": date(2026, month, 1),
                        "completed_month": step,
                        "completed_ytd": ytd,
                        "completed_total": ytd * 1.5,
                        "progress_pct": min(100.0, month * 8.0),
                        "status": "submitted" if rng.random() > 0.03 else "draft",
                        "late": rng.random() < 0.05,
                        "problems": "用地手续办理滞后" if rng.random() < 0.05 else "",
                        "version": 1,
                        "updated_at": STAMP,
                    }
                )
        conn.execute(insert(MonthlyReport), rows)
        conn.execute(
            insert(ReportingPeriod),
            [
                {
                    "period": date(2026, m, 1),
                    "opens_on": date(2026, m, 20),
                    "due_on": date(2026, m, 25),
                    "closes_on": add_months(date(2026, m, 5), 1),
                    "status": "closed" if m < 12 else "open",
                    "dates_reason": "",
                    "revision": 1,
                    "reopen_reason": "",
                }
                for m in range(1, 13)
            ],
        )
        if not stress:  # as an office's plan runs: most milestones due were done on time
            conn.execute(
                text(
                    "update milestone set actual_date = planned_date "
                    "where planned_date < :today and abs(random() % 10) < 9"
                ),
                {"today": TODAY},
            )
    # the months before are closed and frozen when December's bulletin is compiled: the
    # change against the previous month reads November's snapshot, as it does in use
    from tracker.services.bulletin import freeze

    with write_session(engine) as s:
        freeze(s, period=add_months(PERIOD, -1), today=TODAY, settings=load_settings(env={}))
    return engine


def measured(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """(best seconds over ``runs``, peak MiB, result): timed without tracemalloc (it slows
    Python code several times over), then run once more under it for the peak."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, result


def bare_xlsx(b) -> bytes:
    """The same cells with nothing else: openpyxl write_only, one sheet per table."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name in ("by_area", "by_measure", "by_county", "by_lead_unit"):
        ws = wb.create_sheet(name)
        for r in getattr(b, name):
            ws.append([v if not isinstance(v, dict | list) else str(v) for v in r.values()])
    for name in (
        "red_amber",
        "overdue_milestones",
        "not_reported",
        "coordination",
        "late_to_start",
    ):
        ws = wb.create_sheet(name)
        for r in getattr(b, name):
            ws.append(
                [
                    v
                    if not isinstance(v, dict | list)
                    else "\n".join(v)
                    if isinstance(v, list)
                    else str(v)
                    for v in r.values()
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bare_docx(doc) -> bytes:
    """The same text and tables with nothing else: plain python-docx."""
    from docx import Document

    d = Document()
    d.add_heading(doc.title, 0)
    for s in doc.sections:
        d.add_heading(s.heading, 1)
        for p in s.paragraphs:
            d.add_paragraph(p)
    for t in doc.annexes:
        d.add_heading(t.title, 2)
        grid = d.add_table(rows=1, cols=len(t.columns))
        for cell, c in zip(grid.rows[0].cells, t.columns, strict=True):
            cell.text = c.label
        for row in t.rows:
            cells = grid.add_row().cells
            for cell, v in zip(cells, row, strict=True):
                cell.text = v
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--stress",
        action="store_true",
        help="no milestone ever done: every project red or amber, every annex at its longest",
    )
    args = parser.parse_args(argv)
    from tracker.document.docx import document_docx
    from tracker.document.pdf import document_pdf
    from tracker.excel.bulletin import bulletin_workbook
    from tracker.services.bulletin import compute_bulletin
    from tracker.services.bulletin_text import document_of

    settings = load_settings(env={})
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        engine = build(Path(tmp), args.projects, args.stress)
        print(f"built {args.projects} projects × 12 months in {time.perf_counter() - start:.1f} s")
        with read_session(engine) as s:
            fig = measured(
                lambda: compute_bulletin(s, period=PERIOD, today=TODAY, settings=settings),
                args.runs,
            )
            b = fig[2]
            doc = measured(lambda: document_of(s, b, settings=settings), args.runs)
        d = doc[2]
        rows = [
            ("figures (compute_bulletin)", fig),
            (".xlsx (bulletin_workbook)", measured(lambda: bulletin_workbook(b), args.runs)),
            ("bare openpyxl write_only dump", measured(lambda: bare_xlsx(b), args.runs)),
            ("document (drafting)", doc),
            (".docx (document_docx)", measured(lambda: document_docx(d), args.runs)),
            ("bare python-docx", measured(lambda: bare_docx(d), args.runs)),
            (".pdf (document_pdf)", measured(lambda: document_pdf(d), args.runs)),
        ]
        engine.dispose()
    print(f"{'step':32} {'seconds':>8} {'peak MiB':>9}")
    for name, (sec, peak, _) in rows:
        print(f"{name:32} {sec:8.2f} {peak:9.1f}")
    t = {name: sec for name, (sec, _, _) in rows}
    xlsx = t[".xlsx (bulletin_workbook)"]
    bare = t["bare openpyxl write_only dump"]
    print(
        f"figures + .xlsx: {t['figures (compute_bulletin)'] + xlsx:.2f} s (target ≤ 3 s); "
        f".xlsx / bare dump: {xlsx / bare:.1f}× (target ≤ 3×); "
        f".docx / bare python-docx: {t['.docx (document_docx)'] / t['bare python-docx']:.1f}× (target ≤ 3×)"
    )
    print(
        f"red/amber {len(b.red_amber)}, overdue {len(b.overdue_milestones)}, "
        f"not reported {len(b.not_reported)}, annex rows {sum(len(x.rows) for x in d.annexes)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
