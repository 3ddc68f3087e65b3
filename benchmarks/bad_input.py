"""Bad input, with figures: every hostile or malformed list in the catalogue through the
real import service on a fresh SQLite database.

    python -m benchmarks.bad_input

Prints, per kind: refused cleanly (a message, no exception escaping), rows written (must
be 0), time, and how far the process's peak resident memory rose above its resident size while
that file was handled (Linux's VmHWM, reset before each file through /proc/self/clear_refs), beside the peak
for importing a good 3-project list and the 31-project sample. Exits 1 if any file was
accepted, crashed, or wrote a row.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import func, select

from tests.hostile_catalogue import CASES, good
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.models import AuditLog, InvestmentPlan, Milestone, Project
from tracker.services.auth import SYSTEM
from tracker.services.plan_import import ImportRefused, import_project_list


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mib() -> float:
    return _status_mib("VmHWM")


def rss_mib() -> float:
    return _status_mib("VmRSS")


def rows_written(engine) -> int:
    with read_session(engine) as s:
        return sum(
            s.exec(select(func.count()).select_from(m)).one()
            for m in (Project, Milestone, InvestmentPlan, AuditLog)
        )


def attempt(engine, data: bytes, filename: str) -> tuple[str, str]:
    """('refused' | 'accepted' | 'crashed', message)."""
    try:
        with write_session(engine) as s:
            result = import_project_list(
                s, actor=SYSTEM, data=data, filename=filename, dry_run=False
            )
    except ImportRefused as exc:
        return "refused", str(exc)
    except Exception as exc:  # an escaping exception is a defect: count it
        return "crashed", f"{type(exc).__name__}: {exc}"
    if result.errors:
        return "refused", str(result.errors[0])
    return "accepted", result.summary()


def print_table(rows: list[tuple], widths: tuple[int, int, int]) -> int:
    """One line per file tried (name, bytes, outcome, rows written, seconds, peak MiB rise,
    message), ``widths`` being those of the name, bytes and milliseconds columns; returns how
    many were refused cleanly (refused, no row written)."""
    name_w, size_w, ms_w = widths
    print(
        f"{'kind':{name_w}} {'bytes':>{size_w}} {'outcome':>9} {'rows':>5} {'ms':>{ms_w}} "
        f"{'+peak MiB':>9}  message"
    )
    for name, size, outcome, written, elapsed, peak, message in rows:
        print(
            f"{name:{name_w}} {size:{size_w},d} {outcome:>9} {written:5d} "
            f"{elapsed * 1000:{ms_w}.1f} {peak:9.1f}  {message[:60]}"
        )
    return sum(1 for r in rows if r[2] == "refused" and r[3] == 0)


def main() -> int:
    work = Path(tempfile.mkdtemp())
    can_reset = reset_peak()
    rows = []
    for name, (build, _) in sorted(CASES.items()):
        engine = make_engine(f"sqlite:///{work / (str(len(rows)) + '.db')}")
        migrate(engine)
        data, filename = build()
        reset_peak()
        before = rss_mib()
        started = time.perf_counter()
        outcome, message = attempt(engine, data, filename)
        elapsed = time.perf_counter() - started
        rows.append(
            (name, len(data), outcome, rows_written(engine), elapsed, peak_mib() - before, message)
        )
        engine.dispose()
    baseline = []
    sample = (
        Path(__file__).resolve().parents[1].parent
        / "shared"
        / "samples"
        / "project_list_sample.xlsx"
    )
    for label, data in (
        ("good 3-project list", good()),
        ("sample list (31)", sample.read_bytes() if sample.exists() else None),
    ):
        if data is None:
            continue
        engine = make_engine(f"sqlite:///{work / (label[:4] + '.db')}")
        migrate(engine)
        reset_peak()
        before = rss_mib()
        outcome, _ = attempt(engine, data, "good.xlsx")
        baseline.append((label, outcome, rows_written(engine), peak_mib() - before))
        engine.dispose()

    refused = print_table(rows, (38, 9, 7))
    written_total = sum(r[3] for r in rows)
    print()
    print(
        f"kinds tried: {len(rows)}; refused cleanly: {refused}; rows written: {written_total}; "
        f"largest rise of peak RSS over the resident size before the file: {max(r[5] for r in rows):.1f} MiB"
        + ("" if can_reset else " (peak not resettable here)")
        + f"; process RSS {rss_mib():.0f} MiB"
    )
    for label, outcome, written, peak in baseline:
        print(f"for comparison, {label}: {outcome}, {written} rows, peak RSS rise {peak:.1f} MiB")
    return 0 if refused == len(rows) and written_total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
