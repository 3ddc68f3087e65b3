"""The indicator workbook: written in the annual report's layout, read back the same, and
read as other offices lay it out (their wording, their column order, two-level headers, one
sheet with a 体系 column); every bad cell located, unused columns reported."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.excel.factories import xlsx_bytes
from tracker.excel.indicators import (
    IField,
    IndicatorBook,
    IndicatorRow,
    SystemRows,
    ValueRow,
    classify_indicator_header,
    indicator_workbook,
    parse_indicator_workbook,
    parse_period_text,
)
from tracker.excel.rows import ListFileError


def book() -> IndicatorBook:
    rd = IndicatorRow(
        system="创新能力监测",
        code="CX-01",
        name="全社会研发经费投入强度",
        unit="%",
        definition="R&D经费支出占地区生产总值的比重",
        baseline_year=2020,
        baseline_value=0.3,
        targets=((2025, 0.8), (2030, 1.2)),
        lead_unit="市科技局",
        data_source="统计年鉴",
        goals=((9, "9.5"),),
        measures=("强化科技创新",),
        projects=("LC-01-001",),
    )
    band = IndicatorRow(
        system="可持续发展规划",
        code="GH-07",
        name="城镇登记失业率",
        unit="%",
        direction="band",
        band_low=3.0,
        band_high=4.5,
        frequency="quarterly",
        goals=((1, ""), (8, "8.5")),
    )
    water = IndicatorRow(
        system="SDGs进展", code="SDG-6-1", name="=地表水优良率", unit="%", direction="lower"
    )
    values = (
        ValueRow(
            "创新能力监测", "CX-01", date(2021, 1, 1), 0.37, source="省统计局", province_rank=13
        ),
        ValueRow("创新能力监测", "CX-01", date(2022, 1, 1), 0.41),
        ValueRow("可持续发展规划", "GH-07", date(2024, 4, 1), 3.9, note="二季度"),
    )
    return IndicatorBook(
        systems=(
            SystemRows("创新能力监测", (rd,)),
            SystemRows("SDGs进展", (water,)),
            SystemRows("可持续发展规划", (band,)),
        ),
        values=values,
        as_of="数据截至2026年12月4日",
    )


def test_the_workbook_has_a_sheet_per_system_each_header_naming_the_indicator():
    data = indicator_workbook(book())
    wb = openpyxl.load_workbook(BytesIO(data))
    assert wb.sheetnames == ["创新能力监测", "SDGs进展", "可持续发展规划", "指标数值"]
    sheet = wb["创新能力监测"]
    header = [c.value for c in sheet[3]]
    assert "指标名称" in header and "2021年" in header and "2025年目标值" in header
    assert sheet["A1"].value == "创新能力监测指标（1项）"
    assert wb["SDGs进展"]["C4"].value == "=地表水优良率"  # text, not a formula
    assert wb["SDGs进展"]["C4"].data_type == "s"


def test_the_workbook_reads_back_to_the_same_catalogue_and_values():
    original = book()
    parsed = parse_indicator_workbook(indicator_workbook(original), "指标.xlsx")
    assert parsed.errors == []
    expected = [i for s in original.systems for i in s.indicators]
    assert parsed.indicators == expected
    assert sorted(parsed.values, key=lambda v: (v.code, v.period)) == sorted(
        original.values, key=lambda v: (v.code, v.period)
    )
    by_period = {(v.code, v.period): v for v in parsed.values}
    assert by_period[("CX-01", date(2021, 1, 1))].province_rank == 13
    assert by_period[("CX-01", date(2021, 1, 1))].source == "省统计局"
    # the exporter writes nothing the importer drops, only the row numbers (said so)
    assert {c.header for c in parsed.unused} == {"序号"}


@pytest.mark.parametrize(
    ("header", "field", "year"),
    [
        ("指标名称", IField.NAME, None),
        ("二级指标", IField.NAME, None),
        ("计量单位", IField.UNIT, None),
        ("单位", IField.UNIT, None),
        ("责任单位", IField.LEAD_UNIT, None),
        ("数据提供单位", IField.LEAD_UNIT, None),
        ("2021年", IField.VALUE, 2021),
        ("2021年实际值", IField.VALUE, 2021),
        ("实际值（2021年）", IField.VALUE, 2021),
        ("2025年目标值", IField.TARGET, 2025),
        ("目标值(2030年)", IField.TARGET, 2030),
        ("2025年规划目标", IField.TARGET, 2025),
        ("基期值（2020年）", IField.BASELINE, 2020),
        ("基期年份", IField.BASELINE_YEAR, None),
        ("指标属性", IField.DIRECTION, None),
        ("对应SDGs目标", IField.GOALS, None),
        ("SDG具体目标", IField.SDG_TARGETS, None),
        ("数据来源", IField.SOURCE, None),
        ("更新频率", IField.FREQUENCY, None),
        ("指标解释", IField.DEFINITION, None),
        ("关联项目", IField.PROJECTS, None),
        ("期间", IField.PERIOD, None),
        ("全省排名", IField.RANK, None),
        ("进展情况", IField.COMPUTED, None),
    ],
)
def test_headers_are_recognised_by_their_meaning(header, field, year):
    match = classify_indicator_header(header)
    assert match is not None and (match.field, match.year) == (field, year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", (date(2024, 1, 1), "annual")),
        (2024.0, (date(2024, 1, 1), "annual")),
        ("2024年", (date(2024, 1, 1), "annual")),
        ("2024年二季度", (date(2024, 4, 1), "quarterly")),
        ("2024年第3季度", (date(2024, 7, 1), "quarterly")),
        ("2024Q4", (date(2024, 10, 1), "quarterly")),
        ("2024年5月", (date(2024, 5, 1), "monthly")),
        ("2024-11", (date(2024, 11, 1), "monthly")),
        ("2024年13月", None),
        ("去年", None),
    ],
)
def test_periods_are_read_as_offices_write_them(text, expected):
    assert parse_period_text(text) == expected


def other_office() -> bytes:
    """One sheet, a 体系 column, another order, a two-level header, an unknown column."""
    rows = [
        ["临沧市可持续发展指标监测表"],
        [
            "指标体系",
            "二级指标",
            "单位",
            "目标值",
            None,
            "实际值",
            None,
            "牵头部门",
            "联系人",
            "进展",
        ],
        [None, None, None, "2025年", "2030年", "2021年", "2022年", None, None, None],
        ["创新能力监测", "高新技术企业数", "家", 60, 90, 28, "31", "市科技局", "李明", "滞后"],
        ["SDGs进展", "森林覆盖率", "%", 70, 72, 70.2, "—", "市林草局", "王芳", "正常"],
        ["注：数据来源于各责任单位。"],
    ]
    return xlsx_bytes(rows, merges=["D2:E2", "F2:G2", "A1:J1"])


def test_another_offices_layout_is_read():
    parsed = parse_indicator_workbook(other_office(), "监测表.xlsx")
    assert parsed.errors == []
    names = {(i.system, i.name): i for i in parsed.indicators}
    firms = names[("创新能力监测", "高新技术企业数")]
    assert firms.code == "高新技术企业数"  # no code column: the name identifies it
    assert firms.targets == ((2025, 60.0), (2030, 90.0))
    assert firms.lead_unit == "市科技局"
    values = {(v.code, v.period.year): v.value for v in parsed.values}
    assert values == {
        ("高新技术企业数", 2021): 28.0,
        ("高新技术企业数", 2022): 31.0,
        ("森林覆盖率", 2021): 70.2,
    }
    unused = {(c.letter, c.header) for c in parsed.unused}
    assert unused == {("I", "联系人"), ("J", "进展")}
    reasons = {c.letter: str(c.reason) for c in parsed.unused}
    assert "系统" in reasons["J"] and "无法识别" in reasons["I"]


def test_every_bad_cell_is_located_by_sheet_row_column_and_field():
    rows = [
        ["指标编号", "指标名称", "计量单位", "2023年", "指标方向", "更新频率", "SDG目标"],
        ["A1", "研发投入", "%", "约0.4", "正向", "年度", "9"],
        ["A2", "", "家", 3, "向上", "每年", "18"],
        ["A3", "水质", "%", 95, "正向", "半年", "6"],
    ]
    parsed = parse_indicator_workbook(xlsx_bytes(rows, sheet="创新能力监测"), "x.xlsx")
    lines = sorted(str(e) for e in parsed.errors)
    assert any("第2行D列（2023年）" in line and "约0.4" in line for line in lines), lines
    assert any("第3行B列（指标名称）" in line and "缺少指标名称" in line for line in lines)
    assert any("第3行E列（指标方向）" in line and "向上" in line for line in lines)
    assert any("第3行G列（SDG目标）" in line and "18" in line for line in lines)
    assert any("第4行F列（更新频率）" in line and "半年" in line for line in lines)
    assert all(line.startswith("工作表“创新能力监测”") for line in lines)
    assert [i.code for i in parsed.indicators] == []  # every row has an error


def test_the_same_indicator_twice_is_an_error():
    rows = [["指标编号", "指标名称", "单位"], ["A1", "研发投入", "%"], ["A1", "研发投入强度", "%"]]
    parsed = parse_indicator_workbook(xlsx_bytes(rows, sheet="创新能力监测"), "x.xlsx")
    assert [e.row for e in parsed.errors] == [3]
    assert "重复" in str(parsed.errors[0])


def test_a_workbook_without_an_indicator_header_is_refused():
    with pytest.raises(ListFileError) as refused:
        parse_indicator_workbook(xlsx_bytes([["项目名称", "总投资"], ["某项目", 10]]), "a.xlsx")
    assert "指标名称" in str(refused.value)
    assert "indicator name" in refused.value.render("en")


def test_the_values_sheet_alone_reads_values_by_code():
    rows = [
        ["指标编号", "指标名称", "期间", "数值", "数据来源", "说明"],
        ["GH-07", "城镇登记失业率", "2024年三季度", "3.8%", "人社局", ""],
        ["GH-07", "城镇登记失业率", "2024年十三季度", 3.8, "", ""],
    ]
    parsed = parse_indicator_workbook(xlsx_bytes(rows, sheet="数值"), "v.xlsx")
    assert [(v.code, v.period, v.value, v.source) for v in parsed.values] == [
        ("GH-07", date(2024, 7, 1), 3.8, "人社局")
    ]
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "C")]


def test_calamine_reads_the_title_over_the_header():
    data = indicator_workbook(book())
    sheet = CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_name("创新能力监测")
    assert sheet.to_python()[0][0] == "创新能力监测指标（1项）"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_the_workbook_resaved_by_libreoffice_reads_back_the_same(tmp_path, kind):
    original = book()
    (tmp_path / "指标.xlsx").write_bytes(indicator_workbook(original))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(tmp_path / "out"),
            str(tmp_path / "指标.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    parsed = parse_indicator_workbook((tmp_path / "out" / f"指标.{kind}").read_bytes(), f"x.{kind}")
    assert parsed.errors == []
    assert parsed.indicators == [i for s in original.systems for i in s.indicators]
    assert sorted(parsed.values, key=repr) == sorted(original.values, key=repr)
