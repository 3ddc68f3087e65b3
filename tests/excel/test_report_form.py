import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tracker.excel.report_form import (
    FIRST_ROW,
    LETTER,
    SHEET,
    FormFileError,
    FormRow,
    ReportForm,
    parse_report_form,
    report_form_workbook,
)

D = Decimal


def form(*rows: FormRow) -> ReportForm:
    return ReportForm(
        period=date(2026, 4, 1), scope="双江县", due_on=date(2026, 4, 27), rows=list(rows)
    )


def row(code: str = "LC-01-01", **over) -> FormRow:
    values = dict(
        code=code,
        name="双江光伏发电示范项目",
        county="双江县",
        lead_unit="市能源局",
        last_ytd=D("300"),
        last_total=D("900"),
        version=0,
        progress_pct=35.0,
        progress_text="基础施工",
        problems="用地手续滞后",
        reporter="李明",
    )
    values.update(over)
    return FormRow(**values)


def fill(data: bytes, edits: dict[tuple[int, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for (r, key), value in edits.items():
        ws[f"{LETTER[key]}{r}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_form_round_trips_what_the_lead_types():
    data = report_form_workbook(form(row(), row("LC-01-02", name="另一个项目")))
    filled = fill(
        data,
        {
            (FIRST_ROW, "completed_month"): 120.5,
            (FIRST_ROW, "progress_pct"): 42,
            (FIRST_ROW, "next_steps"): "继续施工",
            (FIRST_ROW + 1, "completed_month"): None,  # not reported in this upload
        },
    )
    parsed = parse_report_form(filled)
    assert parsed.errors == []
    assert parsed.period == date(2026, 4, 1) and parsed.scope == "双江县"
    assert parsed.skipped == 1
    [got] = parsed.rows
    assert (got.code, got.completed_month, got.completed_ytd, got.progress_pct) == (
        "LC-01-01",
        D("120.50"),
        None,
        42.0,
    )
    assert got.problems == "用地手续滞后" and got.next_steps == "继续施工"
    assert got.row == FIRST_ROW


def test_user_text_starting_like_a_formula_is_written_as_text():
    data = report_form_workbook(form(row(problems='=HYPERLINK("http://x")', reporter="@李明")))
    ws = load_workbook(io.BytesIO(data))[SHEET]
    cell = ws[f"{LETTER['problems']}{FIRST_ROW}"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert ws[f"{LETTER['reporter']}{FIRST_ROW}"].data_type == "s"


def test_row_errors_name_the_sheet_row_column_and_field_in_plain_chinese():
    data = report_form_workbook(form(row(), row("LC-01-02")))
    filled = fill(
        data,
        {
            (FIRST_ROW, "completed_month"): "一百",
            (FIRST_ROW + 1, "completed_month"): -3,
            (FIRST_ROW + 1, "progress_pct"): 150,
        },
    )
    parsed = parse_report_form(filled)
    described = {(e.row, e.column, e.field): str(e.message) for e in parsed.errors}
    assert (
        described[(FIRST_ROW, LETTER["completed_month"], "本月完成投资（万元）")]
        == "本月完成投资“一百”不是数字"
    )
    assert (FIRST_ROW + 1, LETTER["completed_month"], "本月完成投资（万元）") in described
    assert (
        described[(FIRST_ROW + 1, LETTER["progress_pct"], "形象进度（%）")]
        == "形象进度应在 0 到 100 之间（填报为 150）"
    )
    assert str(parsed.errors[0]).startswith(f"工作表“月度调度表”第{FIRST_ROW}行")


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_form_is_refused_as_a_whole(data):
    with pytest.raises(FormFileError):
        parse_report_form(data)


def test_a_form_with_changed_headers_is_refused():
    data = report_form_workbook(form(row()))
    wb = load_workbook(io.BytesIO(data))
    wb[SHEET].delete_cols(3)
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(FormFileError, match="表头"):
        parse_report_form(out.getvalue())
