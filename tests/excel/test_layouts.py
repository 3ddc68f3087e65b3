"""Each way an office lays out its list, built in the test and read back.

Every variant renders the same three projects (``three_projects``) in its own layout;
the parametrized test checks that all of them read back to the same projects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tracker.excel.parse_list import parse_project_list
from tracker.excel.rows import MilestoneRow, ProjectRow

from .factories import (
    convert_with_libreoffice,
    essentials,
    make_project,
    ods_bytes,
    standard_list,
    three_projects,
    xlsx_bytes,
)

Getter = Callable[[ProjectRow], object]
Column = tuple[str, str | Getter | None]  # (header as written, key in GET or a getter)
Variant = tuple[bytes, str, list[ProjectRow]]  # (file, name, the projects it should give)


def _milestone(index: int, attribute: str) -> Getter:
    def get(project: ProjectRow) -> object:
        if index >= len(project.milestones):
            return None
        return getattr(project.milestones[index], attribute)

    return get


GET: dict[str, Getter] = {
    "code": lambda p: p.code,
    "seq": lambda p: int(p.code[-3:]) if p.code else None,
    "name": lambda p: p.name,
    "area": lambda p: p.area,
    "measure": lambda p: p.measure,
    "county": lambda p: p.county,
    "nature": lambda p: p.nature,
    "lead": lambda p: p.lead_unit,
    "responsible": lambda p: p.responsible_units,
    "person": lambda p: p.contact_person,
    "phone": lambda p: p.contact_phone,
    "scope": lambda p: p.scope,
    "total": lambda p: p.total_investment,
    "2022": lambda p: p.annual_plans.get(2022),
    "2023": lambda p: p.annual_plans.get(2023),
    "start": lambda p: p.planned_start,
    "finish": lambda p: p.planned_finish,
    "m1": _milestone(0, "name"),
    "m1date": _milestone(0, "planned"),
    "m2": _milestone(1, "name"),
    "m2date": _milestone(1, "planned"),
}
MILESTONE_KEYS = ("m1", "m1date", "m2", "m2date")

BASIC: list[Column] = [
    ("序号", "seq"),
    ("项目名称", "name"),
    ("所属领域", "area"),
    ("工作举措", "measure"),
    ("建设地点", "county"),
    ("总投资（万元）", "total"),
    ("计划开工时间", "start"),
    ("计划完工时间", "finish"),
    ("节点1", "m1"),
    ("节点1计划时间", "m1date"),
    ("节点2", "m2"),
    ("节点2计划时间", "m2date"),
]


def cells(project: ProjectRow, columns: Sequence[Column]) -> list[object]:
    row: list[object] = []
    for _, key in columns:
        if key is None:
            row.append(None)
        elif callable(key):
            row.append(key(project))
        else:
            row.append(GET[key](project))
    return row


def table(columns: Sequence[Column], projects: Sequence[ProjectRow]) -> list[list[object]]:
    """A header row and one row per project."""
    return [[header for header, _ in columns]] + [cells(p, columns) for p in projects]


def swap(columns: Sequence[Column], key: str, replacement: Column) -> list[Column]:
    return [replacement if k == key else (h, k) for h, k in columns]


def without(columns: Sequence[Column], *keys: str) -> list[Column]:
    return [(h, k) for h, k in columns if k not in keys]


def xlsx(rows: list[list[object]], **kwargs: object) -> tuple[bytes, str]:
    return xlsx_bytes(rows, **kwargs), "list.xlsx"  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- variants

NUMERALS = "一二三四五六七八九十"
SectionRows = Callable[[int, str, int, str], list[list[object]]]


def sectioned(area_row: SectionRows, measure_row: SectionRows) -> list[list[object]]:
    """Section rows for areas and measures above the projects, no area/measure columns."""
    columns = without(BASIC, "area", "measure")
    rows: list[list[object]] = [["重大项目清单"], [h for h, _ in columns]]
    areas: list[str] = []
    measures: list[str] = []
    for project in three_projects():
        if project.area not in areas:
            areas.append(project.area)
            measures = []
            rows += area_row(len(areas), project.area, 0, "")
        if project.measure not in measures:
            measures.append(project.measure)
            rows += measure_row(len(areas), project.area, len(measures), project.measure)
        rows.append(cells(project, columns))
    return rows


SECTIONS: dict[str, tuple[SectionRows, SectionRows]] = {
    "一、 and （一） in the name column": (
        lambda n, area, m, measure: [[None, f"{NUMERALS[n - 1]}、{area}"]],
        lambda n, area, m, measure: [[None, f"（{NUMERALS[m - 1]}）{measure}"]],
    ),
    "一、 in the first column with a count": (
        lambda n, area, m, measure: [[f"{NUMERALS[n - 1]}、{area}（2个项目）"]],
        lambda n, area, m, measure: [[f"（{NUMERALS[m - 1]}）{measure}"]],
    ),
    "half-width (一)": (
        lambda n, area, m, measure: [[None, f"{NUMERALS[n - 1]}.{area}"]],
        lambda n, area, m, measure: [[None, f"({NUMERALS[m - 1]}){measure}"]],
    ),
    "numerals in 序号, labels in 项目名称": (
        lambda n, area, m, measure: [[NUMERALS[n - 1], area]],
        lambda n, area, m, measure: [[f"（{NUMERALS[m - 1]}）", measure]],
    ),
    "一、 then 1.": (
        lambda n, area, m, measure: [[None, f"{NUMERALS[n - 1]}、{area}"]],
        lambda n, area, m, measure: [[None, f"{m}.{measure}"]],
    ),
}


def two_row_header() -> tuple[list[list[object]], list[str]]:
    """计划投资（万元） over 2022年 | 2023年 and 节点 over 节点1 … 节点2计划时间, merged."""
    top: list[object] = ["序号", "项目名称", "建设地点", "所属领域", "工作举措", "总投资（万元）"]
    top += ["计划投资（万元）", None, "计划开工时间", "计划完工时间", "节点", None, None, None]
    bottom: list[object] = [None] * 6 + ["2022年", "2023年", None, None]
    bottom += ["节点1", "节点1计划时间", "节点2", "节点2计划时间"]
    keys = ["seq", "name", "county", "area", "measure", "total", "2022", "2023", "start"]
    keys += ["finish", *MILESTONE_KEYS]
    rows: list[list[object]] = [["重大项目清单"], ["单位：万元"], top, bottom]
    rows += [[GET[key](p) for key in keys] for p in three_projects()]
    merges = [f"{c}3:{c}4" for c in "ABCDEFIJ"] + ["G3:H3", "K3:N3", "A1:N1"]
    return rows, merges


def spanning_milestone_headers() -> tuple[list[list[object]], list[str]]:
    """节点1 over 名称 | 计划时间, 节点2 likewise."""
    top: list[object] = ["项目名称", "所属领域", "工作举措", "建设地点", "总投资（万元）"]
    top += ["计划开工时间", "计划完工时间", "节点1", None, "节点2", None]
    bottom: list[object] = [None] * 7 + ["名称", "计划时间", "名称", "计划时间"]
    keys = ["name", "area", "measure", "county", "total", "start", "finish", *MILESTONE_KEYS]
    rows = [top, bottom] + [[GET[k](p) for k in keys] for p in three_projects()]
    return rows, ["H1:I1", "J1:K1"] + [f"{c}1:{c}2" for c in "ABCDEFG"]


def milestones_as_text(project: ProjectRow) -> str:
    return "；".join(
        f"{m.name}（{m.planned.year}年{m.planned.month}月）" for m in project.milestones
    )


def in_yi(project: ProjectRow) -> Decimal:
    return project.total_investment / 10000


def totals_and_notes() -> list[list[object]]:
    rows = table(BASIC, three_projects())
    rows.insert(1, ["", "合计", None, None, None, 123000])
    rows.insert(3, [None])
    rows.insert(4, ["", "小 计", None, None, None, 1500])
    rows += [[None], ["注：1.本表金额单位为万元；"], ["2.节点时间精确到月。"]]
    rows += [["填表人：张三", None, None, "审核人：李四"]]
    return rows


SYNONYMS: list[Column] = [
    ("所属举措", "measure"),
    ("重点领域", "area"),
    ("项目", "name"),
    ("县（区）", "county"),
    ("编号", "code"),
    ("项目性质", "nature"),
    ("牵头部门", "lead"),
    ("配合单位", "responsible"),
    ("联系人", "person"),
    ("电话", "phone"),
    ("建设内容", "scope"),
    ("项目总投资（万元）", "total"),
    ("2022年度计划投资", "2022"),
    ("2023年计划投资", "2023"),
    ("开工时间", "start"),
    ("竣工时间", "finish"),
    ("节点1名称", "m1"),
    ("节点1完成时间", "m1date"),
    ("节点2名称", "m2"),
    ("节点2完成时间", "m2date"),
]
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
HALF_WIDTH_BRACKETS = [(h.replace("（", "(").replace("）", ")"), k) for h, k in BASIC]
COUNTY_NAMES = {"临翔区": "临沧市临翔区", "双江县": "双江拉祜族佤族布朗族傣族自治县"}
COUNTY_NAMES["沧源县"] = "沧源佤族自治县"


def period_projects() -> list[ProjectRow]:
    return [
        replace(
            p,
            planned_start=date(p.planned_start.year, 1, 1),  # type: ignore[union-attr]
            planned_finish=date(p.planned_finish.year, 12, 31),  # type: ignore[union-attr]
        )
        for p in three_projects()
    ]


def variant_section_rows(style: str) -> Variant:
    return (*xlsx(sectioned(*SECTIONS[style])), three_projects())


VARIANTS: dict[str, Callable[[], Variant]] = {
    **{
        f"section rows: {style}": (lambda style=style: variant_section_rows(style))
        for style in SECTIONS
    },
    "two-row header, merged cells": lambda: (
        *xlsx(two_row_header()[0], merges=two_row_header()[1]),
        three_projects(),
    ),
    "two-row header, no merge information (.ods)": lambda: (
        ods_bytes(two_row_header()[0]),
        "list.ods",
        three_projects(),
    ),
    "节点1 spanning 名称 and 计划时间": lambda: (
        *xlsx(spanning_milestone_headers()[0], merges=spanning_milestone_headers()[1]),
        three_projects(),
    ),
    "milestones as text in one column": lambda: (
        *xlsx(
            table(
                [*without(BASIC, *MILESTONE_KEYS), ("主要节点及时间", milestones_as_text)],
                three_projects(),
            )
        ),
        three_projects(),
    ),
    "亿元 in the header": lambda: (
        *xlsx(
            table(
                swap(BASIC, "total", ("总投资（亿元）", lambda p: float(in_yi(p)))),
                three_projects(),
            )
        ),
        three_projects(),
    ),
    "亿元 in a 单位 row above the header": lambda: (
        *xlsx(
            [
                ["单位：亿元"],
                *table(
                    swap(BASIC, "total", ("总投资", lambda p: float(in_yi(p)))), three_projects()
                ),
            ]
        ),
        three_projects(),
    ),
    "亿元 written in the cell": lambda: (
        *xlsx(
            table(
                swap(BASIC, "total", ("总投资（万元）", lambda p: f"{in_yi(p)}亿元")),
                three_projects(),
            )
        ),
        three_projects(),
    ),
    "years-only construction period": lambda: (
        *xlsx(
            table(
                [
                    *without(BASIC, "start", "finish"),
                    ("建设年限", lambda p: f"{p.planned_start.year}-{p.planned_finish.year}"),  # type: ignore[union-attr]
                ],
                three_projects(),
            )
        ),
        period_projects(),
    ),
    "合计, 小计, 注 and blank rows": lambda: (*xlsx(totals_and_notes()), three_projects()),
    "synonyms in another column order": lambda: (
        *xlsx(table(SYNONYMS, three_projects())),
        three_projects(),
    ),
    "half-width brackets": lambda: (
        *xlsx(table(HALF_WIDTH_BRACKETS, three_projects())),
        three_projects(),
    ),
    "full-width digits and separators": lambda: (
        *xlsx(
            table(
                swap(
                    BASIC,
                    "total",
                    (
                        "总投资（万元）",
                        lambda p: f"{p.total_investment:,.2f}".translate(FULL_WIDTH),
                    ),
                ),
                three_projects(),
            )
        ),
        three_projects(),
    ),
    "county full names": lambda: (
        *xlsx(
            table(
                swap(BASIC, "county", ("建设地点", lambda p: COUNTY_NAMES[p.county])),
                three_projects(),
            )
        ),
        three_projects(),
    ),
    "a row numbering the columns": lambda: (
        *xlsx(
            [
                table(BASIC, [])[0],
                list(range(1, len(BASIC) + 1)),
                *table(BASIC, three_projects())[1:],
            ]
        ),
        three_projects(),
    ),
    ".xls saved by LibreOffice": lambda: (
        convert_with_libreoffice(
            xlsx_bytes(two_row_header()[0], merges=two_row_header()[1]), "xls"
        ),
        "list.xls",
        three_projects(),
    ),
    ".ods saved by LibreOffice": lambda: (
        convert_with_libreoffice(xlsx_bytes(sectioned(*SECTIONS["half-width (一)"])), "ods"),
        "list.ods",
        three_projects(),
    ),
    ".ods written by hand": lambda: (
        ods_bytes(standard_list(three_projects())),
        "list.ods",
        three_projects(),
    ),
}


@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
def test_each_layout_variant_reads_back_the_same_projects(variant: str) -> None:
    data, filename, expected = VARIANTS[variant]()
    parsed = parse_project_list(data, filename)
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == [essentials(p) for p in expected]


# ---------------------------------------------------------------------------- details


def test_the_products_own_layout_reads_back_every_field_and_where_it_came_from() -> None:
    projects = three_projects()
    parsed = parse_project_list(xlsx_bytes(standard_list(projects)), "list.xlsx")
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.projects == projects
    assert [(p.sheet, p.row) for p in parsed.projects] == [("项目清单", r) for r in (4, 5, 6)]


def test_synonyms_carry_every_field_not_only_the_essentials() -> None:
    data, filename, expected = VARIANTS["synonyms in another column order"]()
    assert parse_project_list(data, filename).projects == expected


@pytest.mark.parametrize(
    "variant", ["two-row header, merged cells", "two-row header, no merge information (.ods)"]
)
def test_years_under_a_spanning_plan_header_become_annual_plans(variant: str) -> None:
    data, filename, expected = VARIANTS[variant]()
    parsed = parse_project_list(data, filename)
    assert [p.annual_plans for p in parsed.projects] == [p.annual_plans for p in expected]


def test_a_full_width_year_in_a_plan_header_is_read() -> None:
    rows = table([*BASIC, ("２０２２年计划投资（万元）", "2022")], three_projects())
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert [p.annual_plans[2022] for p in parsed.projects] == [
        p.annual_plans[2022] for p in three_projects()
    ]


def test_dates_written_as_text_or_serial_numbers_are_read() -> None:
    project = make_project(
        1,
        planned_start=date(2022, 3, 1),
        planned_finish=date(2023, 6, 30),
        milestones=(
            MilestoneRow("完成前期手续", date(2022, 3, 31)),
            MilestoneRow("开工建设", date(2022, 6, 15)),
        ),
    )
    written = {"start": "2022.03", "finish": "2023年6月", "m1date": "2022-3", "m2date": 44727}
    columns = [(h, (lambda p, v=written[k]: v) if k in written else k) for h, k in BASIC]
    parsed = parse_project_list(xlsx_bytes(table(columns, [project])), "list.xlsx")
    assert [essentials(p) for p in parsed.projects] == [essentials(project)]


def test_city_level_words_all_mean_shi_zhi() -> None:
    columns = swap(BASIC, "county", ("建设地点", lambda p: "市本级"))
    parsed = parse_project_list(xlsx_bytes(table(columns, three_projects())), "list.xlsx")
    assert {p.county for p in parsed.projects} == {"市直"}


def test_vertically_merged_area_and_measure_cells_apply_to_every_row_they_cover() -> None:
    projects = [make_project(n) for n in (1, 2, 3)]
    rows = table(BASIC, projects)
    for row in rows[2:]:
        row[2] = row[3] = None
    parsed = parse_project_list(xlsx_bytes(rows, merges=["C2:C4", "D2:D4"]), "list.xlsx")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == [essentials(p) for p in projects]


def test_every_sheet_that_holds_a_list_is_read_and_the_others_are_named() -> None:
    first, second = three_projects()[:2], three_projects()[2:]
    data = xlsx_bytes(
        table(BASIC, first),
        sheet="绿色低碳",
        more_sheets={"说明": [["填报说明"], ["请按月填报"]], "生态": table(BASIC, second)},
        hidden_sheets={"下拉选项": [["临翔区"], ["凤庆县"]]},
    )
    parsed = parse_project_list(data, "list.xlsx")
    assert [p.sheet for p in parsed.projects] == ["绿色低碳", "绿色低碳", "生态"]
    assert any("“说明”" in w and "已忽略" in w for w in parsed.warnings)
    assert any("“下拉选项”" in w for w in parsed.warnings)


def test_an_unrecognised_filled_column_asks_to_be_mapped_showing_samples() -> None:
    rows = table([*BASIC, ("项目业主联系人邮箱", lambda p: f"{p.code}@b.cn")], three_projects())
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert parsed.needs_input and parsed.projects == []
    [column] = parsed.unknown
    assert (column.letter, column.header) == ("M", "项目业主联系人邮箱")
    assert column.samples == ("LC-001@b.cn", "LC-002@b.cn", "LC-003@b.cn")


def test_a_list_sheet_with_a_header_but_no_projects_says_so() -> None:
    parsed = parse_project_list(xlsx_bytes(table(BASIC, [])), "list.xlsx")
    assert parsed.projects == [] and parsed.errors == []
    assert any("没有项目" in w for w in parsed.warnings)


def test_a_file_whose_extension_lies_is_read_by_its_content_with_a_warning() -> None:
    parsed = parse_project_list(xlsx_bytes(standard_list(three_projects())), "清单.xls")
    assert len(parsed.projects) == 3
    assert any("实际是.xlsx格式" in w for w in parsed.warnings)


def test_a_sheet_without_a_county_column_asks_which_column_it_is() -> None:
    rows = [["重大项目清单"], *table(without(BASIC, "county"), three_projects())]
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert parsed.needs_input and parsed.projects == []
    assert parsed.missing == [
        "工作表“项目清单”第2行的表头中找不到“建设地点（县区）”列，请指明哪一列是建设地点"
    ]


def test_a_sheet_without_areas_in_columns_or_sections_asks_for_the_area_column() -> None:
    rows = table(without(BASIC, "area"), three_projects())
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert parsed.needs_input
    [message] = parsed.missing
    assert "找不到“所属领域”列，表中也没有“一、绿色低碳发展”这样的领域分组行" in message


def test_projects_above_the_first_section_row_lack_an_area() -> None:
    rows = sectioned(*SECTIONS["一、 and （一） in the name column"])
    rows.insert(2, cells(make_project(9), without(BASIC, "area", "measure")))
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert len(parsed.projects) == 3
    assert [(e.row, str(e.message)) for e in parsed.errors] == [
        (3, "项目不在任何领域分组（“一、……”）之下，缺少所属领域")
    ]


def test_a_project_numbered_with_a_chinese_numeral_is_not_taken_for_a_section() -> None:
    columns = swap(BASIC, "seq", ("序号", lambda p: NUMERALS[int(p.code[-1]) - 1]))  # type: ignore[index]
    parsed = parse_project_list(xlsx_bytes(table(columns, three_projects())), "list.xlsx")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == [essentials(p) for p in three_projects()]


def test_a_parsed_row_carries_every_field_of_the_row_type() -> None:
    from dataclasses import fields

    [project, *_] = parse_project_list(
        xlsx_bytes(standard_list(three_projects())), "a.xlsx"
    ).projects
    assert set(vars(project)) == {f.name for f in fields(ProjectRow)}
