"""The indicators as files on the demo office: exported in the annual report's layout
(39, 102 and 30 indicators, a sheet per system), imported back to the same catalogue, a dry
run that says what changes and writes nothing, and hostile or malformed files refused with
a clear message and nothing written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from docx import Document as WordDocument
from sqlalchemy import delete
from sqlmodel import func, select

from tests.conftest import DEMO_AS_OF
from tests.excel.factories import xlsx_bytes, zip_with
from tests.hostile_catalogue import CASES
from tracker.db import read_session, write_session
from tracker.document import render
from tracker.models import (
    AuditLog,
    Indicator,
    IndicatorAttachment,
    IndicatorGoal,
    IndicatorLink,
    IndicatorSystem,
    IndicatorTarget,
    IndicatorValue,
)
from tracker.services import indicators
from tracker.services.auth import SYSTEM
from tracker.services.indicator_files import (
    IndicatorFileRefused,
    export_document,
    export_workbook,
    import_indicators,
)

TABLES = (
    IndicatorAttachment,
    IndicatorValue,
    IndicatorLink,
    IndicatorGoal,
    IndicatorTarget,
    Indicator,
    IndicatorSystem,
)


def exported(engine) -> bytes:
    with read_session(engine) as s:
        return export_workbook(s, actor=SYSTEM, as_of=DEMO_AS_OF)


def stored(engine) -> tuple[list, list]:
    with read_session(engine) as s:
        return (
            indicators.catalogue_specs(s, actor=SYSTEM),
            [v for v in indicators.value_specs(s, actor=SYSTEM) if v.status == "accepted"],
        )


def run_import(engine, data: bytes, *, dry_run: bool = False, filename: str = "指标.xlsx"):
    with write_session(engine) as s:
        return import_indicators(
            s, actor=SYSTEM, data=data, filename=filename, dry_run=dry_run, today=DEMO_AS_OF
        )


def fingerprint(engine) -> tuple[int, ...]:
    """Row counts of every indicator table and the audit log, and every value's version."""
    with read_session(engine) as s:
        counts = tuple(
            s.exec(select(func.count()).select_from(m)).one() for m in (*TABLES, AuditLog)
        )
        versions = tuple(s.exec(select(IndicatorValue.version).order_by(IndicatorValue.id)))
        names = tuple(s.exec(select(Indicator.name).order_by(Indicator.id)))
    return counts + versions + names


def test_the_demo_exports_39_102_and_30_indicators_a_sheet_per_system(demo_engine):
    book = openpyxl.load_workbook(BytesIO(exported(demo_engine)))
    counts = {}
    for name in book.sheetnames[:-1]:
        sheet = book[name]
        header = [c.value for c in sheet[3]]
        assert "指标名称" in header, (name, header)
        assert any(str(h).endswith("年") and str(h)[:4].isdigit() for h in header if h)
        counts[name] = sum(1 for row in sheet.iter_rows(min_row=4) if row[2].value)
    assert list(counts.values()) == [39, 102, 30], counts
    assert book.sheetnames[-1] == "指标数值"


def test_the_export_imports_back_to_the_same_catalogue_and_values(demo_engine):
    data = exported(demo_engine)
    before = stored(demo_engine)
    with write_session(demo_engine) as s:  # the catalogue gone: only the file can bring it back
        for table in TABLES:
            s.exec(delete(table))
    result = run_import(demo_engine, data)
    assert result.errors == [], [str(e) for e in result.errors[:5]]
    assert len(result.created) == 171 and len(result.systems_created) == 3
    after = stored(demo_engine)
    # the same catalogue in the same order (sort numbers are the store's own)
    assert [replace(s, sort_order=0) for s in after[0]] == [
        replace(s, sort_order=0) for s in before[0]
    ]
    assert sorted(after[1], key=repr) == sorted(before[1], key=repr)


def test_importing_the_export_again_changes_nothing(demo_engine):
    data = exported(demo_engine)
    before = fingerprint(demo_engine)
    result = run_import(demo_engine, data)
    assert result.errors == []
    assert (result.created, result.changes, result.unchanged) == ([], [], 171)
    assert result.values_revised == result.values_created == 0
    assert {c.header for c in result.unused} == {"序号"}
    with read_session(demo_engine) as s:
        assert s.exec(select(func.count()).select_from(AuditLog)).one() == before[7]


def edited(data: bytes) -> bytes:
    """The export with one indicator renamed and one of its yearly values changed (in its
    year column and on the values sheet alike)."""
    book = openpyxl.load_workbook(BytesIO(data))
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[3]]
    sheet.cell(4, header.index("指标名称") + 1).value = "全社会研发经费投入强度（新口径）"
    years = [i for i, h in enumerate(header) if h and str(h)[:4].isdigit() and h.endswith("年")]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, years[-1] + 1).value)
    sheet.cell(row, years[-1] + 1).value = 123.456
    code, year = sheet.cell(row, 2).value, header[years[-1]]
    values = book["指标数值"]
    for line in values.iter_rows(min_row=4):
        if line[0].value == sheet.title and line[1].value == code and line[3].value == year:
            line[4].value = 123.456
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_year_column_that_disagrees_with_the_values_sheet_is_an_error(demo_engine):
    book = openpyxl.load_workbook(BytesIO(exported(demo_engine)))
    sheet = book[book.sheetnames[0]]
    header = [c.value for c in sheet[3]]
    column = max(i for i, h in enumerate(header) if h and str(h)[:4].isdigit() and h.endswith("年"))
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, column + 1).value)
    sheet.cell(row, column + 1).value = 99999
    out = BytesIO()
    book.save(out)
    result = run_import(demo_engine, out.getvalue(), dry_run=True)
    assert len(result.errors) == 1
    assert "不一致" in str(result.errors[0]) and "指标数值" in str(result.errors[0])


def test_a_dry_run_says_what_would_change_and_writes_nothing(demo_engine):
    data = edited(exported(demo_engine))
    before = fingerprint(demo_engine)
    result = run_import(demo_engine, data, dry_run=True)
    assert result.errors == []
    assert [f.label for c in result.changes for f in c.fields] == ["指标名称"]
    assert result.changes[0].fields[0].new == "全社会研发经费投入强度（新口径）"
    assert result.values_revised == 1
    assert "预演" in result.summary()
    assert fingerprint(demo_engine) == before
    done = run_import(demo_engine, data)
    assert done.written and "已导入" in done.summary()
    with read_session(demo_engine) as s:
        assert s.exec(
            select(Indicator).where(Indicator.name == "全社会研发经费投入强度（新口径）")
        ).first()
        assert s.exec(select(IndicatorValue).where(IndicatorValue.value == 123.456)).first()


def test_the_docx_holds_the_three_tables_in_the_report_s_layout(demo_engine):
    with read_session(demo_engine) as s:
        document = export_document(s, actor=SYSTEM, as_of=DEMO_AS_OF)
    word = WordDocument(BytesIO(render(document, "docx")))
    assert [len(t.rows) - 1 for t in word.tables] == [39, 102, 30]
    header = [c.text for c in word.tables[0].rows[0].cells]
    assert header[:4] == ["序号", "指标名称", "单位", "基期年份"]
    assert "2025年目标" in header and "进展" in header
    text = "\n".join(p.text for p in word.paragraphs)
    assert "重大项目调度通报" not in text  # not a bulletin's masthead
    assert "共171项指标" in text and "进展正常的" in text


# ---------------------------------------------------------------------------- hostile files

# the whole-file cases of the project list's catalogue: the upload guard refuses them the
# same way whatever the workbook was meant to hold
GUARD_CASES = {
    name: case for name, case in CASES.items() if case[1] not in ("工作表", "未找到项目清单表头")
}


def _indicator_rows(**cells) -> list[list[object]]:
    header = ["指标编号", "指标名称", "计量单位", "2024年", "2025年目标值", "更新频率"]
    header += ["SDG目标", "关联举措", "关联项目"]
    row = ["TEST-01", "全社会研发经费投入强度", "%", 0.4, 0.8, "年度", "9", "", ""]
    for name, value in cells.items():
        row[header.index(name)] = value
    return [["创新能力监测指标"], header, row]


def _values_sheet(code: str, period: str, value: object) -> bytes:
    rows = _indicator_rows()
    values = [["指标编号", "指标名称", "期间", "数值"], [code, "", period, value]]
    return xlsx_bytes(rows, sheet="创新能力监测", more_sheets={"指标数值": values})


X = "指标.xlsx"
INDICATOR_CASES = {
    "a project list given as the indicators": (
        lambda: (CASES["finish before start"][0]()[0], X),
        "没有找到指标表",
    ),
    "unreadable figure": (
        lambda: (xlsx_bytes(_indicator_rows(**{"2024年": "约0.4"}), sheet="创新能力监测"), X),
        "第3行D列（2024年）",
    ),
    "SDG goal 18": (
        lambda: (xlsx_bytes(_indicator_rows(SDG目标="18"), sheet="创新能力监测"), X),
        "第3行G列（SDG目标）",
    ),
    "unknown frequency": (
        lambda: (xlsx_bytes(_indicator_rows(更新频率="半年"), sheet="创新能力监测"), X),
        "第3行F列（更新频率）",
    ),
    "unknown project": (
        lambda: (xlsx_bytes(_indicator_rows(关联项目="LC-99-999"), sheet="创新能力监测"), X),
        "第3行I列（关联项目）：没有编号或名称为“LC-99-999”的项目",
    ),
    "unknown measure": (
        lambda: (xlsx_bytes(_indicator_rows(关联举措="造月亮"), sheet="创新能力监测"), X),
        "第3行H列（关联举措）：没有名为“造月亮”的工作举措",
    ),
    "value of an unknown indicator": (
        lambda: (_values_sheet("ZZ-99", "2024年", 1), X),
        "工作表“指标数值”第2行A列（指标编号）",
    ),
    "a quarter's value for an annual indicator": (
        lambda: (_values_sheet("TEST-01", "2024年二季度", 1), X),
        "与指标的更新频率（年度）不符",
    ),
    "the same indicator twice": (
        lambda: (
            xlsx_bytes(_indicator_rows() + _indicator_rows()[2:], sheet="创新能力监测"),
            X,
        ),
        "重复",
    ),
    "macros in an indicator workbook": (
        lambda: (
            zip_with(xlsx_bytes(_indicator_rows()), {"xl/vbaProject.bin": b"\0" * 64}),
            X,
        ),
        "宏",
    ),
}
ALL_CASES = {**GUARD_CASES, **INDICATOR_CASES}


def import_message(engine, data: bytes, filename: str) -> str:
    """What the office is told; fails the test if the file went in."""
    try:
        result = run_import(engine, data, filename=filename)
    except IndicatorFileRefused as refused:
        return str(refused)
    assert result.errors and not result.written, "accepted"
    text = "\n".join(str(e) for e in result.errors)
    assert all("工作表" in str(e) and "行" in str(e) for e in result.errors), text
    return text


def test_the_guard_cases_are_most_of_the_hostile_catalogue():
    assert len(GUARD_CASES) >= 18


@pytest.mark.parametrize("case", sorted(ALL_CASES))
def test_a_hostile_or_malformed_indicator_file_is_refused_clearly_and_writes_nothing(
    demo_engine, case
):
    build, expected = ALL_CASES[case]
    data, filename = build()
    before = fingerprint(demo_engine)
    message = import_message(demo_engine, data, filename)
    assert expected in message, message
    assert fingerprint(demo_engine) == before


def small_book():
    """Two indicators of a system the demo does not have, linked to the demo's plan."""
    from tracker.excel.indicators import IndicatorBook, IndicatorRow, SystemRows, ValueRow

    rd = IndicatorRow(
        system="边境创新试点",
        code="BJ-01",
        name="全社会研发经费投入强度",
        unit="%",
        definition="R&D经费支出占地区生产总值的比重",
        baseline_year=2020,
        baseline_value=0.3,
        targets=((2025, 0.8), (2030, 1.2)),
        lead_unit="市科技局",
        data_source="统计年鉴",
        goals=((9, "9.5"), (17, "")),
        measures=("发展清洁能源",),
        projects=("LC-01-01", "LC-01-02"),
    )
    band = IndicatorRow(
        system="边境创新试点",
        code="BJ-02",
        name="城镇登记失业率",
        unit="%",
        direction="band",
        band_low=3.0,
        band_high=4.5,
        frequency="quarterly",
        goals=((8, "8.5"),),
    )
    values = (
        ValueRow("边境创新试点", "BJ-01", date(2021, 1, 1), 0.37, "省统计局", "", 13),
        ValueRow("边境创新试点", "BJ-01", date(2022, 1, 1), 0.41),
        ValueRow("边境创新试点", "BJ-02", date(2024, 4, 1), 3.9, note="二季度"),
    )
    return IndicatorBook(systems=(SystemRows("边境创新试点", (rd, band)),), values=values)


def test_a_catalogue_imported_from_a_file_exports_as_the_same_file(demo_engine):
    from tracker.excel.indicators import indicator_workbook, parse_indicator_workbook

    book = small_book()
    result = run_import(demo_engine, indicator_workbook(book))
    assert result.errors == [], [str(e) for e in result.errors]
    assert result.systems_created == ["边境创新试点"] and len(result.created) == 2
    assert result.values_created == 3
    again = parse_indicator_workbook(exported(demo_engine))
    mine = [i for i in again.indicators if i.system == "边境创新试点"]
    assert mine == list(book.systems[0].indicators)
    values = sorted((v for v in again.values if v.system == "边境创新试点"), key=repr)
    assert values == sorted(book.values, key=repr)


def test_import_and_export_on_both_databases(engine):
    from tracker.excel.indicators import indicator_workbook, parse_indicator_workbook

    book = small_book()
    (rd, band) = book.systems[0].indicators
    rd = replace(rd, measures=(), projects=())
    book = replace(book, systems=(replace(book.systems[0], indicators=(rd, band)),))
    dry = run_import(engine, indicator_workbook(book), dry_run=True)
    assert dry.errors == [] and len(dry.created) == 2 and not dry.written
    assert fingerprint(engine)[:8] == (0,) * 8
    assert run_import(engine, indicator_workbook(book)).written
    again = parse_indicator_workbook(exported(engine))
    assert again.indicators == [rd, band]
    assert sorted(again.values, key=repr) == sorted(book.values, key=repr)


def test_only_the_office_imports_the_catalogue_and_everyone_may_export(demo_engine):
    from tracker.excel.indicators import indicator_workbook
    from tracker.services.auth import Actor
    from tracker.services.errors import PermissionDenied

    data = indicator_workbook(small_book())
    before = fingerprint(demo_engine)
    for actor in (
        Actor(3, "kejiju", "unit", lead_unit="市科技局"),
        Actor(4, "leader", "viewer"),
        Actor(2, "shuangjiang", "county", county="双江县"),
    ):
        with write_session(demo_engine) as s, pytest.raises(PermissionDenied):
            import_indicators(
                s, actor=actor, data=data, filename="x.xlsx", dry_run=True, today=DEMO_AS_OF
            )
        with read_session(demo_engine) as s:
            assert export_workbook(s, actor=actor, as_of=DEMO_AS_OF)
    assert fingerprint(demo_engine) == before


def test_a_value_given_twice_with_different_figures_is_an_error_wherever_it_sits(demo_engine):
    rows = _indicator_rows()
    values = [["指标编号", "期间", "数值"], ["TEST-01", "2024", 0.5]]  # no 体系 column
    data = xlsx_bytes(rows, sheet="创新能力监测", more_sheets={"数值": values})
    result = run_import(demo_engine, data, dry_run=True)
    assert [(e.sheet, e.row) for e in result.errors] == [("数值", 2)]
    assert "创新能力监测" in str(result.errors[0])
