"""Hostile files through the monthly report form upload, with figures.

    python -m benchmarks.bad_form

The form upload (``reports.apply_report_form``, what the 月报填报 page calls) is fed the
2 GB shared-string form (a real form with a 2,000,000,000-character shared string, about
2 MB deflated; once with honest zip sizes, once with the sizes lying) and every file of
the list importer's hostile catalogue (``tests/hostile_catalogue.py``). Prints per file:
the outcome (refused with a message, accepted, or crashed), rows written, time, and how
far the process's peak resident memory rose above its resident size while the file was
handled (Linux VmHWM, reset before each file through /proc/self/clear_refs). Beside them,
for comparison, a real form of 3 filled rows. Exits 1 when any file was accepted, crashed,
wrote a row, or raised the peak by 100 MiB or more.
"""

from __future__ import annotations

import io
import struct
import sys
import tempfile
import time
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import func, select

from benchmarks.bad_input import peak_mib, print_table, reset_peak, rss_mib
from tests.factories import actor_of, make_project, make_report, make_user
from tests.hostile_catalogue import CASES
from tests.services.dispatch_helpers import dispatch_settings, open_period
from tracker.db import make_engine, migrate, read_session, write_session
from tracker.excel.report_form import FIRST_ROW, LETTER, SHEET, FormFileError
from tracker.models import AuditLog, MonthlyReport
from tracker.services import reports
from tracker.services.errors import ServiceError

APRIL = date(2026, 4, 1)
TODAY = date(2026, 4, 22)
SETTINGS = dispatch_settings()
PEAK_LIMIT_MIB = 100
HUGE = 2_000_000_000  # characters in the one shared string
UNGUARDED = 50_000_000  # the same attack, smaller, read by openpyxl with no guard in front


def setup(engine):
    with write_session(engine) as s:
        lead = actor_of(make_user(s, "county", county="双江县"))
        for _ in range(3):
            project = make_project(
                s, county="双江县", annual_plan={2026: 1200}, actual_start=date(2026, 1, 5)
            )
            make_report(
                s,
                project,
                date(2026, 3, 1),
                completed_ytd=Decimal("300"),
                completed_total=Decimal("900"),
                progress_pct=30,
            )
        open_period(s, APRIL)
    with read_session(engine) as s:
        form = reports.report_form(s, actor=lead, period=APRIL, today=TODAY, settings=SETTINGS)
    return lead, form


def filled(form: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(form))
    sheet = workbook[SHEET]
    for offset in range(3):
        row = FIRST_ROW + offset
        sheet[f"{LETTER['completed_month']}{row}"] = 100 + offset
        sheet[f"{LETTER['progress_text']}{row}"] = "施工中"
        sheet[f"{LETTER['reporter']}{row}"] = "李明"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def huge_shared_string(form: bytes, *, size: int = HUGE) -> bytes:
    """``form`` with a shared-string part holding one string of ``size`` characters,
    declared in the package so that every reader loads it.

    Streamed through deflate, so building it never holds the string.
    """
    source = zipfile.ZipFile(io.BytesIO(form))
    declared = {
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            b'<Relationship Id="rIdHuge" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in declared:  # make every reader load the part
                content = content.replace(*declared[info.filename])
            archive.writestr(info.filename, content)
        with archive.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
            member.write(b' count="1" uniqueCount="1"><si><t>')
            block = b"A" * (8 << 20)
            written = 0
            while written < size:
                part = block[: min(len(block), size - written)]
                member.write(part)
                written += len(part)
            member.write(b"</t></si></sst>")
    return buffer.getvalue()


def lying(data: bytes) -> bytes:
    """``data`` with the shared-string part declared as 1,000 bytes in both zip headers,
    so only inflating it can tell."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    struct.pack_into("<I", patched, info.header_offset + 22, 1000)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == b"xl/sharedStrings.xml":
            struct.pack_into("<I", patched, position + 24, 1000)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


def rows_written(engine) -> int:
    with read_session(engine) as s:
        return sum(
            s.exec(select(func.count()).select_from(m)).one() for m in (MonthlyReport, AuditLog)
        )


def attempt(engine, lead, data: bytes, filename: str) -> tuple[str, str]:
    """('refused' | 'accepted' | 'crashed', message), as the upload callback sees it."""
    try:
        with write_session(engine) as s:
            result = reports.apply_report_form(
                s, actor=lead, data=data, filename=filename, today=TODAY, settings=SETTINGS
            )
            if not result.ok:
                s.rollback()
    except (FormFileError, ServiceError) as exc:
        return "refused", str(exc)
    except Exception as exc:  # an escaping exception is a defect: count it
        return "crashed", f"{type(exc).__name__}: {exc}"
    if result.errors:
        return "refused", str(result.errors[0])
    return "accepted", f"saved {result.saved}, unchanged {result.unchanged}"


def main() -> int:
    work = Path(tempfile.mkdtemp())
    can_reset = reset_peak()
    template_engine = make_engine(f"sqlite:///{work / 'template.db'}")
    migrate(template_engine)
    lead, form = setup(template_engine)
    baseline_rows = rows_written(template_engine)
    template_engine.dispose()  # checkpoints the WAL, so each copy below holds everything
    started = time.perf_counter()
    huge = huge_shared_string(form)
    files: list[tuple[str, bytes, str]] = [
        ("2 GB shared string, honest sizes", huge, "表.xlsx"),
        ("2 GB shared string, sizes lying", lying(huge), "表.xlsx"),
    ]
    built = time.perf_counter() - started
    for name, (build, _) in sorted(CASES.items()):
        data, filename = build()
        files.append((name, data, filename))
    rows = []
    for index, (name, data, filename) in enumerate(files):
        path = work / f"{index}.db"
        path.write_bytes((work / "template.db").read_bytes())
        engine = make_engine(f"sqlite:///{path}")
        reset_peak()
        before = rss_mib()
        started = time.perf_counter()
        outcome, message = attempt(engine, lead, data, filename)
        elapsed = time.perf_counter() - started
        peak = peak_mib() - before
        rows.append(
            (name, len(data), outcome, rows_written(engine) - baseline_rows, elapsed, peak, message)
        )
        engine.dispose()

    path = work / "good.db"
    path.write_bytes((work / "template.db").read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    good = filled(form)
    reset_peak()
    before = rss_mib()
    good_outcome, good_message = attempt(engine, lead, good, "表.xlsx")
    good_peak = peak_mib() - before
    engine.dispose()

    refused = print_table(rows, (42, 10, 8))
    largest = max(r[5] for r in rows)
    print()
    print(
        f"kinds tried: {len(rows)}; refused cleanly: {refused}; rows written: "
        f"{sum(r[3] for r in rows)}; largest rise of peak RSS: {largest:.1f} MiB "
        f"(limit {PEAK_LIMIT_MIB})"
        + ("" if can_reset else " (peak not resettable here)")
        + f"; process RSS {rss_mib():.0f} MiB; the 2 GB file built in {built:.1f} s"
    )
    print(
        f"for comparison, a real form with 3 filled rows: {good_outcome} ({good_message}), "
        f"peak RSS rise {good_peak:.1f} MiB"
    )
    unguarded = huge_shared_string(form, size=UNGUARDED)
    reset_peak()
    before = rss_mib()
    started = time.perf_counter()
    load_workbook(io.BytesIO(unguarded), data_only=True)
    elapsed = time.perf_counter() - started
    print(
        f"for comparison, the same attack with {UNGUARDED:,} characters ({len(unguarded):,} bytes)"
        f" read by openpyxl with no guard in front: {elapsed * 1000:.0f} ms, "
        f"peak RSS rise {peak_mib() - before:.1f} MiB"
    )
    ok = refused == len(rows) and largest < PEAK_LIMIT_MIB and good_outcome == "accepted"
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
