"""The indicator values form (指标数据填报表) as a file: what a unit downloads, what it types,
and what is read back — or refused, with sheet, row, column and field."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.hostile_catalogue import CASES
from tracker.excel.indicator_form import (
    FIRST_ROW,
    HEADER_ROW,
    LETTER,
    SHEET,
    IndicatorForm,
    IndicatorFormFileError,
    IndicatorFormRow,
    indicator_form_workbook,
    parse_indicator_form,
)

D = Decimal


def row(code: str = "CX-01", period: str = "2025", **over) -> IndicatorFormRow:
    values = dict(
        system="创新能力监测",
        code=code,
        name="全社会研发经费投入强度",
        unit="%",
        period=period,
        due_on=date(2026, 3, 31),
        target=D("0.6"),
        previous=D("0.3"),
    )
    values.update(over)
    return IndicatorFormRow(**values)


def form(*rows: IndicatorFormRow) -> bytes:
    return indicator_form_workbook(
        IndicatorForm(unit="市科技局", made_on=date(2026, 3, 2), rows=list(rows))
    )


def fill(data: bytes, edits: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for cell, value in edits.items():
        ws[cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def at(key: str, index: int = 0) -> str:
    return f"{LETTER[key]}{FIRST_ROW + index}"


def test_the_form_round_trips_what_the_unit_types():
    data = form(row(), row("SDG-6.1", "2026Q1", name="集中式饮用水水源地水质达标率", unit="%"))
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert ws.cell(row=HEADER_ROW, column=3).value == "指标名称"
    assert ws[at("previous")].value == 0.3 and ws[at("status")].value == "未填报"
    filled = fill(
        data,
        {
            at("value"): 0.35,
            at("source"): "市统计局《2025年统计公报》",
            at("value", 1): "１００％",  # full-width, with a per-cent sign: read and noted
            at("note", 1): "一季度监测数据",
        },
    )
    parsed = parse_indicator_form(filled, "指标.xlsx")
    assert parsed.errors == []
    assert parsed.unit == "市科技局" and parsed.made_on == date(2026, 3, 2)
    first, second = parsed.rows
    assert (first.code, first.frequency, first.period, first.value, first.source) == (
        "CX-01",
        "annual",
        date(2025, 1, 1),
        D("0.35"),
        "市统计局《2025年统计公报》",
    )
    assert (second.code, second.period, second.value) == ("SDG-6.1", date(2026, 1, 1), D("100"))
    assert second.note == "一季度监测数据" and second.row == FIRST_ROW + 1
    assert [n.column for n in parsed.notes] == [LETTER["value"]]


def test_a_blank_value_is_skipped_and_counted():
    parsed = parse_indicator_form(form(row(), row("CX-02")), "a.xlsx")
    assert (parsed.rows, parsed.errors, parsed.skipped) == ([], [], 2)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("两千", "不是数字"),
        ("1e5", "科学计数"),
        (1.23456, "小数位过多"),
        (5e12, "过大"),
        ("nan", "不是有效数字"),
    ],
)
def test_a_bad_value_is_refused_at_its_sheet_row_and_column(typed, words):
    parsed = parse_indicator_form(fill(form(row(), row("CX-02")), {at("value", 1): typed}))
    assert parsed.rows == []
    (problem,) = parsed.errors
    assert (problem.sheet, problem.row, problem.column, problem.field) == (
        SHEET,
        FIRST_ROW + 1,
        LETTER["value"],
        "本期值",
    )
    assert words in str(problem)
    assert f"工作表“{SHEET}”第{FIRST_ROW + 1}行" in str(problem)


def test_a_negative_value_is_a_value():
    parsed = parse_indicator_form(fill(form(row()), {at("value"): -0.07}))
    assert [r.value for r in parsed.rows] == [D("-0.07")]


def test_rows_repeated_or_with_a_broken_period_or_version_are_errors():
    data = form(row(), row(), row("CX-03"), row("CX-04"))
    filled = fill(
        data,
        {
            at("value"): 1,
            at("value", 1): 2,
            at("value", 2): 3,
            at("period", 2): "2025年13月",
            at("value", 3): 4,
            at("version", 3): "abc",
        },
    )
    parsed = parse_indicator_form(filled)
    assert [(e.row, e.column) for e in parsed.errors] == [
        (FIRST_ROW + 1, LETTER["code"]),
        (FIRST_ROW + 2, LETTER["period"]),
        (FIRST_ROW + 3, LETTER["version"]),
    ]
    assert "与第5行重复" in str(parsed.errors[0]) and "无法识别统计期" in str(parsed.errors[1])


def test_a_note_without_a_value_is_not_dropped_silently():
    assert parse_indicator_form(fill(form(row()), {at("source"): "统计年鉴"})).skipped == 1
    parsed = parse_indicator_form(fill(form(row()), {at("note"): "按新口径"}))
    (problem,) = parsed.errors
    assert problem.column == LETTER["value"] and "本期值为空" in str(problem)


def test_something_typed_beside_the_form_is_reported_not_dropped():
    parsed = parse_indicator_form(fill(form(row()), {at("value"): 1, f"P{FIRST_ROW}": "补充说明"}))
    (problem,) = parsed.errors
    assert (problem.row, problem.column) == (FIRST_ROW, "P") and "补充说明" in str(problem)


def test_a_changed_header_or_an_added_column_refuses_the_whole_file():
    for cell in (f"{LETTER['value']}{HEADER_ROW}", f"P{HEADER_ROW}"):
        with pytest.raises(IndicatorFormFileError, match="表头被修改"):
            parse_indicator_form(fill(form(row()), {cell: "数值"}))


def test_a_report_form_or_any_other_workbook_is_not_an_indicator_form():
    from tracker.excel.report_form import ReportForm, report_form_workbook

    other = report_form_workbook(ReportForm(date(2026, 4, 1), "双江县", date(2026, 4, 27), []))
    with pytest.raises(IndicatorFormFileError, match="不是本系统下载的指标数据填报表"):
        parse_indicator_form(other, "a.xlsx")


@pytest.mark.parametrize(
    "case", ["zip bomb (ratio)", "macros (vbaProject.bin)", "external links", "truncated zip"]
)
def test_hostile_files_are_refused_by_the_upload_guard(case):
    build, words = CASES[case]
    data, name = build()
    with pytest.raises(IndicatorFormFileError, match=words):
        parse_indicator_form(data, name)


def test_an_xls_is_refused_with_the_forms_own_hint():
    from tests.excel.factories import biff_records, ole_file

    data = ole_file({"Workbook": biff_records((0x0809, b"\x00\x06\x05\x00"))})
    with pytest.raises(IndicatorFormFileError, match="指标数据填报表（.xlsx）"):
        parse_indicator_form(data, "表.xls")


def test_user_text_is_written_as_text_never_a_formula_and_reads_back_exactly():
    payload = '=HYPERLINK("http://x","y")'
    data = form(row(name=payload, source="+1+1", note="@SUM(A1)", value=D("1.5"), version=1))
    ws = load_workbook(io.BytesIO(data))[SHEET]
    for key in ("name", "source", "note"):
        cell = ws[at(key)]
        assert cell.data_type == "s", key
    assert ws[at("name")].value == payload
    (filled,) = parse_indicator_form(data).rows
    assert (filled.source, filled.note, filled.value) == ("+1+1", "@SUM(A1)", D("1.5"))
