import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.factories import actor_of, make_project, make_report, make_user
from tests.services.dispatch_helpers import dispatch_settings, open_period
from tracker.db import read_session, write_session
from tracker.excel.report_form import FIRST_ROW, LETTER, SHEET
from tracker.models import MonthlyReport
from tracker.services import reports

D = Decimal
APRIL = date(2026, 4, 1)
TODAY = date(2026, 4, 22)
SETTINGS = dispatch_settings()


def setup(engine):
    with write_session(engine) as s:
        lead = actor_of(make_user(s, "county", county="双江县"))
        admin = actor_of(make_user(s, "admin"))
        ours = [
            make_project(
                s, county="双江县", annual_plan={2026: 1200}, actual_start=date(2026, 1, 5)
            )
            for _ in range(3)
        ]
        theirs = make_project(
            s, county="临翔区", annual_plan={2026: 900}, actual_start=date(2026, 1, 5)
        )
        for p in ours:
            make_report(
                s,
                p,
                date(2026, 3, 1),
                completed_ytd=D("300"),
                completed_total=D("900"),
                progress_pct=30,
            )
        open_period(s, APRIL)
        return lead, admin, [p.code for p in ours], theirs.code


def download(engine, actor) -> bytes:
    """April's report form as ``actor`` downloads it."""
    with read_session(engine) as s:
        return reports.report_form(s, actor=actor, period=APRIL, today=TODAY, settings=SETTINGS)


def send(engine, actor, data: bytes):
    """``actor`` uploads the filled form ``data``; what the upload says."""
    with write_session(engine) as s:
        return reports.apply_report_form(s, actor=actor, data=data, today=TODAY, settings=SETTINGS)


def fill(data: bytes, rows: dict[int, dict[str, object]]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for offset, values in rows.items():
        for key, value in values.items():
            ws[f"{LETTER[key]}{FIRST_ROW + offset}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def reported(engine) -> list[MonthlyReport]:
    with read_session(engine) as s:
        return list(s.exec(select(MonthlyReport).where(MonthlyReport.period == APRIL)).all())


def filled_ok(i: int) -> dict[str, object]:
    return {"completed_month": 100 + i, "progress_text": "施工中", "reporter": "李明"}


def test_a_county_form_round_trip_submits_every_filled_row(engine):
    lead, _, codes, _ = setup(engine)
    data = download(engine, lead)
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert [ws[f"A{FIRST_ROW + i}"].value for i in range(3)] == codes
    assert ws[f"{LETTER['last_ytd']}{FIRST_ROW}"].value == 300
    upload = fill(data, {0: filled_ok(0), 1: filled_ok(1), 2: filled_ok(2)})
    result = send(engine, lead, upload)
    assert result.ok and result.saved == 3
    rows = sorted(reported(engine), key=lambda r: r.completed_month)
    assert [(r.completed_month, r.completed_ytd, r.completed_total, r.status) for r in rows] == [
        (D("100"), D("400"), D("1000"), "submitted"),
        (D("101"), D("401"), D("1001"), "submitted"),
        (D("102"), D("402"), D("1002"), "submitted"),
    ]


def test_one_bad_row_and_nothing_is_written(engine):
    lead, _, _, _ = setup(engine)
    data = download(engine, lead)
    bad = filled_ok(2) | {"completed_ytd": 999}  # ytd ≠ 300 + 102
    upload = fill(data, {0: filled_ok(0), 1: filled_ok(1), 2: bad})
    result = send(engine, lead, upload)
    assert not result.ok and result.saved == 0
    [problem] = result.errors
    assert (problem.row, problem.column) == (FIRST_ROW + 2, LETTER["completed_ytd"])
    assert "年度累计完成投资应为" in str(problem.message)
    assert reported(engine) == []


def test_a_row_outside_the_actor_s_scope_refuses_the_whole_upload(engine):
    lead, admin, _, theirs = setup(engine)
    data = download(engine, admin)
    ws = load_workbook(io.BytesIO(data))[SHEET]
    offsets = {ws[f"A{FIRST_ROW + i}"].value: i for i in range(4)}
    upload = fill(data, {i: filled_ok(i) for i in offsets.values()})
    result = send(engine, lead, upload)
    assert not result.ok
    assert [e.row for e in result.errors] == [FIRST_ROW + offsets[theirs]]
    assert "不在您的填报范围内" in str(result.errors[0].message)
    assert reported(engine) == []


def test_a_form_made_before_someone_else_saved_is_refused(engine):
    lead, admin, codes, _ = setup(engine)
    with read_session(engine) as s:
        data = reports.report_form(s, actor=lead, period=APRIL, today=TODAY, settings=SETTINGS)
        pid = s.exec(select(MonthlyReport.project_id)).first()
    with write_session(engine) as s:
        project_id = reports.report_grid(
            s, actor=lead, period=APRIL, today=TODAY, settings=SETTINGS
        )[0].project_id
        reports.save_draft(
            s,
            actor=admin,
            project_id=project_id,
            period=APRIL,
            values=reports.ReportValues(completed_month=D("5")),
            seen_version=0,
            today=TODAY,
            settings=SETTINGS,
        )
    assert pid is not None
    upload = fill(data, {0: filled_ok(0)})
    result = send(engine, lead, upload)
    assert not result.ok and "重新下载" in str(result.errors[0].message)


# --- the round trip: a form sent back unchanged, and the upload guard ------------------------


def submit_all(engine, lead) -> None:
    """The lead submits every row through the form (the month's first upload)."""
    data = download(engine, lead)
    upload = fill(data, {0: filled_ok(0), 1: filled_ok(1), 2: filled_ok(2)})
    assert send(engine, lead, upload).ok


def stored(engine) -> list[tuple[object, ...]]:
    return sorted(
        (r.project_id, r.version, r.status, r.completed_month, r.progress_text)
        for r in reported(engine)
    )


def test_a_form_downloaded_and_sent_back_unchanged_is_accepted_with_no_change(engine):
    lead, _, _, _ = setup(engine)
    submit_all(engine, lead)
    before = stored(engine)
    again = download(engine, lead)
    result = send(engine, lead, again)
    assert result.ok, result.errors
    assert (result.saved, result.unchanged, result.skipped) == (0, 3, 0)
    assert stored(engine) == before


def test_a_changed_row_over_a_submitted_report_is_refused_saying_what_changed(engine):
    lead, _, _, _ = setup(engine)
    submit_all(engine, lead)
    before = stored(engine)
    again = download(engine, lead)
    upload = fill(again, {1: {"completed_month": 150, "completed_ytd": 450}})
    result = send(engine, lead, upload)
    assert not result.ok and result.unchanged == 2
    [problem] = result.errors
    assert (problem.row, problem.column) == (FIRST_ROW + 1, LETTER["completed_month"])
    assert "已报送" in str(problem.message) and "本月完成投资 101.00 → 150.00" in str(
        problem.message
    )
    assert "退回" in str(problem.message)
    english = problem.message.render("en")
    assert "investment this month 101.00 → 150.00" in english
    assert "investment this year to date 401.00 → 450.00" in english
    assert not re.search(r"[\u3400-\u9fff]", english), english
    assert stored(engine) == before


def test_a_returned_report_can_be_corrected_through_the_form(engine):
    lead, admin, _, _ = setup(engine)
    submit_all(engine, lead)
    with write_session(engine) as s:
        first = sorted(reported(engine), key=lambda r: r.completed_month)[0]
        reports.return_report(
            s,
            actor=admin,
            project_id=first.project_id,
            period=APRIL,
            comment="请核实本月投资",
            seen_version=first.version,
            today=TODAY,
            settings=SETTINGS,
        )
    again = download(engine, lead)
    upload = fill(again, {0: {"completed_month": 90, "completed_ytd": 390, "completed_total": 990}})
    result = send(engine, lead, upload)
    assert result.ok, result.errors
    assert (result.saved, result.unchanged) == (1, 2)
    corrected = next(r for r in reported(engine) if r.project_id == first.project_id)
    assert (corrected.completed_month, corrected.status) == (D("90"), "submitted")


def test_the_form_upload_runs_the_upload_guard_before_reading(engine):
    from tests.excel.factories import biff_records, ole_file
    from tests.hostile_catalogue import CASES
    from tracker.excel.report_form import FormFileError

    lead, _, _, _ = setup(engine)
    build, expected = CASES["zip bomb (ratio)"]
    data, name = build()
    with write_session(engine) as s, pytest.raises(FormFileError, match="压缩炸弹"):
        reports.apply_report_form(
            s, actor=lead, data=data, filename=name, today=TODAY, settings=SETTINGS
        )
    with write_session(engine) as s, pytest.raises(FormFileError, match="月度调度表（.xlsx）"):
        reports.apply_report_form(
            s,
            actor=lead,
            data=ole_file({"Workbook": biff_records((0x0809, b"\x00\x06\x05\x00"))}),
            filename="表.xls",
            today=TODAY,
            settings=SETTINGS,
        )
    assert reported(engine) == []


def test_a_lists_completed_before_the_year_opens_the_first_reports_running_total(engine):
    with write_session(engine) as s:
        lead = actor_of(make_user(s, "county", county="双江县"))
        project = make_project(
            s, county="双江县", annual_plan={2026: 1200}, actual_start=date(2025, 3, 1)
        )
        project.opening_total, project.opening_year = D("800"), 2026
        s.add(project)
        open_period(s, APRIL)
    data = download(engine, lead)
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert ws[f"{LETTER['last_total']}{FIRST_ROW}"].value == 800
    upload = fill(data, {0: filled_ok(0) | {"progress_pct": 10, "problems": "征地未完成"}})
    result = send(engine, lead, upload)
    assert result.ok, result.errors
    [report] = reported(engine)
    assert (report.completed_ytd, report.completed_total) == (D("100"), D("900"))
