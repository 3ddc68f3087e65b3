"""The product's own list template: styled for print, and read back to the same rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.excel.cells import csv_safe, write_text
from tracker.excel.export_list import export_project_list
from tracker.excel.parse_list import parse_project_list
from tracker.excel.rows import MilestoneRow, ProjectRow

from .factories import make_project, shared_samples_dir, three_projects


def read_back(projects: list[ProjectRow]) -> list[ProjectRow]:
    parsed = parse_project_list(export_project_list(projects), "导出.xlsx")
    assert parsed.errors == [] and parsed.warnings == []
    return parsed.projects


def open_export(
    projects: list[ProjectRow], **kwargs: object
) -> openpyxl.worksheet.worksheet.Worksheet:
    workbook = openpyxl.load_workbook(BytesIO(export_project_list(projects, **kwargs)))  # type: ignore[arg-type]
    sheet = workbook.active
    assert sheet is not None
    return sheet


def test_an_exported_list_reads_back_to_the_same_projects() -> None:
    projects = three_projects()
    projects.append(make_project(4, code=None, annual_plans={}, milestones=(), planned_start=None))
    assert read_back(projects) == projects


def test_the_sample_list_survives_an_export_and_import_round_trip() -> None:
    path = shared_samples_dir() / "project_list_sample.xlsx"
    projects = parse_project_list(path.read_bytes(), path.name).projects
    assert read_back(projects) == projects


INJECTIONS = [
    '=HYPERLINK("http://evil.example","点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "#N/A",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_user_text_that_looks_like_a_formula_is_exported_as_text(text: str) -> None:
    project = make_project(1, name=f"{text}项目", lead_unit=text, scope=text, code=text)
    sheet = open_export([project])
    for cell in (sheet["A4"], sheet["B4"], sheet["G4"], sheet["K4"]):
        assert cell.data_type == "s", cell.coordinate
    assert sheet["G4"].value == text
    assert read_back([project]) == [project]


def test_text_starting_with_a_formula_character_keeps_excels_text_marker() -> None:
    sheet = open_export([make_project(1, lead_unit="=1+1", scope="plain")])
    assert sheet["G4"].quotePrefix is True
    assert sheet["K4"].quotePrefix is False


def test_the_write_text_helper_forces_text_and_drops_control_characters() -> None:
    sheet = openpyxl.Workbook().active
    assert sheet is not None
    write_text(sheet["A1"], "=SUM(1)\x07")
    write_text(sheet["A2"], "")
    write_text(sheet["A3"], "\t=1+1")
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=SUM(1)", "s")
    assert sheet["A2"].value is None
    assert (sheet["A3"].data_type, sheet["A3"].quotePrefix) == ("s", True)


@pytest.mark.parametrize(("text", "safe"), [("=1+1", "'=1+1"), ("@x", "'@x"), ("项目", "项目")])
def test_text_for_csv_is_neutralised_with_an_apostrophe(text: str, safe: str) -> None:
    assert csv_safe(text) == safe


def test_the_header_has_a_year_column_per_plan_year_and_pairs_per_milestone() -> None:
    projects = three_projects()
    projects[0] = replace(
        projects[0],
        milestones=projects[0].milestones + (MilestoneRow("竣工验收", date(2023, 6, 30)),),
    )
    sheet = open_export(projects)
    header = [cell.value for cell in sheet[3]]
    assert header == [
        "项目编号", "项目名称", "所属领域", "工作举措", "建设地点", "建设性质", "牵头单位",
        "责任单位", "责任人", "联系电话", "建设内容及规模", "总投资（万元）",
        "2022年计划投资（万元）", "2023年计划投资（万元）", "计划开工时间", "计划完工时间",
        "节点1", "节点1计划时间", "节点2", "节点2计划时间", "节点3", "节点3计划时间",
    ]  # fmt: skip


def test_the_list_is_styled_for_reading_and_printing() -> None:
    sheet = open_export(three_projects(), title="临沧市重大项目清单", as_of=date(2022, 3, 31))
    assert sheet["A1"].value == "临沧市重大项目清单"
    assert "A1:T1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "单位：万元"
    assert any(c.value == "数据截至：2022年3月31日" for c in sheet[2])
    assert sheet.freeze_panes == "C4"
    assert sheet["A3"].font.bold and sheet["A3"].fill.fgColor.rgb.endswith("DDEBF7")
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["E"].width
    assert sheet["L4"].number_format == "#,##0.00"
    assert isinstance(sheet["O4"].value, datetime) and sheet["O4"].number_format == "yyyy-mm-dd"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 8  # A3
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows in ("3:3", "$3:$3")


def test_a_narrow_list_prints_on_a4() -> None:
    project = make_project(1, annual_plans={}, milestones=())
    assert int(open_export([project]).page_setup.paperSize) == 9  # A4


def test_an_empty_list_exports_a_header_only() -> None:
    sheet = open_export([])
    assert sheet["B3"].value == "项目名称" and sheet.max_row == 3


# ---------------------------------------------------------------------------- property

texts = (
    st.text(
        alphabet=st.sampled_from(list("临沧项目建设工程市县局委=+-@#()（）、 abcXYZ0123")),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
amounts = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def projects(draw: st.DrawFn) -> list[ProjectRow]:
    count = draw(st.integers(min_value=1, max_value=4))
    result = []
    for number in range(1, count + 1):
        start = draw(days)
        finish = draw(st.dates(min_value=start, max_value=date(2045, 12, 31)))
        milestones = tuple(
            MilestoneRow(draw(texts), draw(days), draw(st.one_of(st.none(), days)))
            for _ in range(draw(st.integers(0, 3)))
        )
        opening = draw(st.one_of(st.none(), amounts))
        result.append(
            make_project(
                number,
                # a leading mark keeps generated names from reading as a 一、 section or 合计 row
                name=f"项目{number}{draw(texts)}",
                code=draw(st.one_of(st.none(), texts.map(lambda t, n=number: f"{t}{n}"))),
                lead_unit=draw(texts),
                responsible_units=draw(texts),
                contact_person=draw(texts),
                scope=draw(texts),
                nature=draw(st.sampled_from(["新建", "续建"])),
                county=draw(st.sampled_from(["临翔区", "耿马县", "市直"])),
                total_investment=draw(amounts),
                annual_plans=draw(st.dictionaries(st.integers(2020, 2030), amounts, max_size=3)),
                planned_start=start,
                planned_finish=finish,
                milestones=milestones,
                city_leader=draw(texts),
                implementer=draw(texts),
                remark=draw(texts),
                actual_start=draw(st.one_of(st.none(), days)),
                actual_finish=None,
                opening_total=opening,
                opening_year=None if opening is None else draw(st.integers(2020, 2030)),
            )
        )
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listed=projects())
def test_any_list_of_projects_survives_an_export_and_import_round_trip(
    listed: list[ProjectRow],
) -> None:
    assert read_back(listed) == listed


def test_amounts_keep_their_cents_through_the_round_trip() -> None:
    project = make_project(1, total_investment=Decimal("12345678.91"))
    assert read_back([project])[0].total_investment == Decimal("12345678.91")
