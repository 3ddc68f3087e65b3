"""Each way an office lays out its list, built in the test and read back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tracker.excel.parse_list import parse_project_list
from tracker.excel.rows import ListFileError, MilestoneRow, ProjectRow

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


def _milestone(index: int, attribute: str) -> Getter:
    def get(project: ProjectRow) -> object:
        if index >= len(project.milestones):
            return None
        return getattr(project.milestones[index], attribute)

    return get


GET: dict[str, Getter] = {
    "code": lambda p: p.code,
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


def table(
    columns: Sequence[tuple[str, str | Getter | None]], projects: Sequence[ProjectRow]
) -> list[list[object]]:
    """A header row and one row per project; a column is (header, key or getter)."""
    rows: list[list[object]] = [[header for header, _ in columns]]
    for project in projects:
        row: list[object] = []
        for _, key in columns:
            if key is None:
                row.append(None)
            elif callable(key):
                row.append(key(project))
            else:
                row.append(GET[key](project))
        rows.append(row)
    return rows


BASIC = [
    ("序号", lambda p: int(p.code[-3:]) if p.code else None),
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


def parse(data: bytes, filename: str = "list.xlsx") -> list[tuple[object, ...]]:
    parsed = parse_project_list(data, filename)
    assert parsed.errors == []
    return [essentials(p) for p in parsed.projects]


EXPECTED = [essentials(p) for p in three_projects()]


# ---------------------------------------------------------------------------- layouts


def test_the_products_own_layout_reads_back_every_field() -> None:
    projects = three_projects()
    parsed = parse_project_list(xlsx_bytes(standard_list(projects)), "list.xlsx")
    assert parsed.errors == [] and parsed.warnings == []
    assert parsed.projects == projects
    assert [(p.sheet, p.row) for p in parsed.projects] == [
        ("项目清单", 4),
        ("项目清单", 5),
        ("项目清单", 6),
    ]


SECTION_STYLES = {
    "一、 and （一） in the name column": lambda area, n, measure, m: [
        [None, f"{area_label(n)}、{area}"],
        [None, f"（{area_label(m)}）{measure}"],
    ],
    "一、 merged over the row in the first column": lambda area, n, measure, m: [
        [f"{area_label(n)}、{area}（2个项目）"],
        [f"（{area_label(m)}）{measure}"],
    ],
    "half-width (一)": lambda area, n, measure, m: [
        [None, f"{area_label(n)}.{area}"],
        [None, f"({area_label(m)}){measure}"],
    ],
    "numerals in 序号, labels in 项目名称": lambda area, n, measure, m: [
        [area_label(n), area],
        [f"（{area_label(m)}）", measure],
    ],
    "一、 then 1.": lambda area, n, measure, m: [
        [None, f"{area_label(n)}、{area}"],
        [None, f"{m}.{measure}"],
    ],
}


def area_label(number: int) -> str:
    return "一二三四五六七八九十"[number - 1]


def sectioned(style: Callable[[str, int, str, int], list[list[object]]]) -> list[list[object]]:
    columns = [c for c in BASIC if c[1] not in ("area", "measure")]
    rows = [["重大项目清单"], *table(columns, [])]
    areas: list[str] = []
    measures: dict[str, list[str]] = {}
    for project in three_projects():
        if project.area not in areas:
            areas.append(project.area)
            measures[project.area] = []
        if project.measure not in measures[project.area]:
            measures[project.area].append(project.measure)
            head = style(project.area, areas.index(project.area) + 1, project.measure, 0)
            if len(measures[project.area]) == 1:
                rows.append(head[0])
            rows.append(
                style(
                    project.area,
                    areas.index(project.area) + 1,
                    project.measure,
                    len(measures[project.area]),
                )[1]
            )
        rows += table(columns, [project])[1:]
    return rows


@pytest.mark.parametrize("style", list(SECTION_STYLES), ids=list(SECTION_STYLES))
def test_areas_and_measures_given_as_section_rows_apply_to_the_projects_below(
    style: str,
) -> None:
    assert parse(xlsx_bytes(sectioned(SECTION_STYLES[style]))) == EXPECTED


def two_row_header() -> tuple[list[list[object]], list[str]]:
    top: list[object] = ["序号", "项目名称", "建设地点", "所属领域", "工作举措", "总投资（万元）"]
    top += ["计划投资（万元）", None, "计划开工时间", "计划完工时间", "节点", None, None, None]
    bottom: list[object] = [None] * 6 + ["2022年", "2023年", None, None]
    bottom += ["节点1", "节点1计划时间", "节点2", "节点2计划时间"]
    keys = ["name", "county", "area", "measure", "total", "2022", "2023", "start", "finish"]
    keys += ["m1", "m1date", "m2", "m2date"]
    rows: list[list[object]] = [["重大项目清单"], ["单位：万元"], top, bottom]
    for number, project in enumerate(three_projects(), start=1):
        rows.append([number] + [GET[key](project) for key in keys])
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3", "I3:I4", "J3:J4"]
    merges += ["K3:N3", "A1:N1"]
    return rows, merges


def test_a_two_row_header_with_merged_cells_combines_both_levels() -> None:
    rows, merges = two_row_header()
    parsed = parse_project_list(xlsx_bytes(rows, merges=merges), "list.xlsx")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == EXPECTED
    assert [p.annual_plans for p in parsed.projects] == [p.annual_plans for p in three_projects()]


def test_a_two_row_header_without_merge_information_is_still_combined() -> None:
    rows, _ = two_row_header()
    parsed = parse_project_list(ods_bytes(rows), "list.ods")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == EXPECTED
    assert [p.annual_plans for p in parsed.projects] == [p.annual_plans for p in three_projects()]


def test_milestone_names_and_dates_under_a_spanning_milestone_header_are_paired() -> None:
    top: list[object] = ["项目名称", "所属领域", "工作举措", "建设地点", "总投资（万元）"]
    top += ["计划开工时间", "计划完工时间", "节点1", None, "节点2", None]
    bottom: list[object] = [None] * 7 + ["名称", "计划时间", "名称", "计划时间"]
    keys = ["name", "area", "measure", "county", "total", "start", "finish"]
    keys += ["m1", "m1date", "m2", "m2date"]
    rows = [top, bottom] + [[GET[k](p) for k in keys] for p in three_projects()]
    merges = ["H1:I1", "J1:K1"] + [f"{c}1:{c}2" for c in "ABCDEFG"]
    assert parse(xlsx_bytes(rows, merges=merges)) == EXPECTED


def test_milestones_written_as_text_in_one_column_are_read() -> None:
    def text(project: ProjectRow) -> str:
        return "；".join(
            f"{m.name}（{m.planned.year}年{m.planned.month}月）" for m in project.milestones
        )

    columns = [c for c in BASIC if c[1] not in ("m1", "m1date", "m2", "m2date")]
    columns.append(("主要节点及时间", text))
    assert parse(xlsx_bytes(table(columns, three_projects()))) == EXPECTED


def in_yi(amount: Decimal) -> Decimal:
    return amount / 10000


@pytest.mark.parametrize(
    ("header", "above", "cell"),
    [
        ("总投资（亿元）", None, lambda p: float(in_yi(p.total_investment))),
        ("总投资(亿元)", None, lambda p: f"{in_yi(p.total_investment)}"),
        ("总投资", "单位：亿元", lambda p: float(in_yi(p.total_investment))),
        ("总投资（万元）", "单位：万元", lambda p: f"{in_yi(p.total_investment)}亿元"),
    ],
    ids=["header unit", "half-width header unit as text", "unit row", "unit in the cell"],
)
def test_amounts_in_yi_yuan_are_converted_to_wan_yuan(
    header: str, above: str | None, cell: Getter
) -> None:
    columns = [(header, cell) if key == "total" else (h, key) for h, key in BASIC]
    rows = table(columns, three_projects())
    if above:
        rows.insert(0, [above])
    assert parse(xlsx_bytes(rows)) == EXPECTED


def test_a_years_only_construction_period_gives_the_first_and_last_day() -> None:
    columns = [c for c in BASIC if c[1] not in ("start", "finish")]
    columns.append(("建设年限", lambda p: f"{p.planned_start.year}-{p.planned_finish.year}"))
    expected = [
        essentials(
            replace(
                p,
                planned_start=date(p.planned_start.year, 1, 1),  # type: ignore[union-attr]
                planned_finish=date(p.planned_finish.year, 12, 31),  # type: ignore[union-attr]
            )
        )
        for p in three_projects()
    ]
    assert parse(xlsx_bytes(table(columns, three_projects()))) == expected


def test_totals_notes_and_blank_rows_are_skipped() -> None:
    rows = table(BASIC, three_projects())
    rows.insert(1, ["", "合计", None, None, None, 123000])
    rows.insert(3, [None])
    rows.insert(4, ["", "小 计", None, None, None, 1500])
    rows += [[None], ["注：1.本表金额单位为万元；"], ["2.节点时间精确到月。"]]
    rows += [["填表人：张三", None, None, "审核人：李四"]]
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == EXPECTED


SYNONYMS = [
    ("编号", "code"),
    ("项目", "name"),
    ("重点领域", "area"),
    ("所属举措", "measure"),
    ("县（区）", "county"),
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


def test_synonyms_in_any_column_order_give_the_same_projects() -> None:
    columns = list(reversed(SYNONYMS[:6])) + SYNONYMS[6:]
    parsed = parse_project_list(xlsx_bytes(table(columns, three_projects())), "list.xlsx")
    assert parsed.errors == []
    assert parsed.projects == three_projects()


def test_full_width_brackets_and_digits_are_read_like_half_width_ones() -> None:
    full = str.maketrans("0123456789,", "０１２３４５６７８９，")
    columns: list[tuple[str, str | Getter | None]] = [
        (h.replace("（", "(").replace("）", ")"), k) for h, k in BASIC
    ]
    columns = [
        (h, (lambda p: f"{p.total_investment:,.2f}".translate(full)) if k == "total" else k)
        for h, k in columns
    ]
    columns.append(("２０２２年计划投资（万元）", "2022"))
    parsed = parse_project_list(xlsx_bytes(table(columns, three_projects())), "list.xlsx")
    assert parsed.errors == []
    assert [essentials(p) for p in parsed.projects] == EXPECTED
    assert [p.annual_plans[2022] for p in parsed.projects] == [
        p.annual_plans[2022] for p in three_projects()
    ]


def test_dates_written_as_text_or_serial_numbers_are_read() -> None:
    projects = [
        make_project(
            1,
            planned_start=date(2022, 3, 1),
            planned_finish=date(2023, 6, 30),
            milestones=(
                MilestoneRow("完成前期手续", date(2022, 3, 31)),
                MilestoneRow("开工建设", date(2022, 6, 15)),
            ),
        )
    ]
    written = {"start": "2022.03", "finish": "2023年6月", "m1date": "2022-3", "m2date": 44727}
    columns = [(h, (lambda p, v=written[k]: v) if k in written else k) for h, k in BASIC]
    assert parse(xlsx_bytes(table(columns, projects))) == [essentials(p) for p in projects]


def test_county_full_names_and_city_level_words_are_normalised() -> None:
    written = {1: "临沧市临翔区", 2: "双江拉祜族佤族布朗族傣族自治县", 3: "沧源佤族自治县"}
    columns = [
        (h, (lambda p: written[int(p.code[-1])]) if k == "county" else k)  # type: ignore[index]
        for h, k in BASIC
    ]
    assert parse(xlsx_bytes(table(columns, three_projects()))) == EXPECTED
    city = [(h, (lambda p: "市本级") if k == "county" else k) for h, k in BASIC]
    assert {p[3] for p in parse(xlsx_bytes(table(city, three_projects())))} == {"市直"}


def test_a_row_numbering_the_columns_under_the_header_is_skipped() -> None:
    rows = table(BASIC, three_projects())
    rows.insert(1, list(range(1, len(BASIC) + 1)))
    assert parse(xlsx_bytes(rows)) == EXPECTED


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


def test_unrecognised_columns_are_listed_in_the_warnings() -> None:
    rows = table([*BASIC, ("项目业主联系人邮箱", lambda p: "a@b.cn")], three_projects())
    parsed = parse_project_list(xlsx_bytes(rows), "list.xlsx")
    assert any("M列“项目业主联系人邮箱”" in w for w in parsed.warnings)


# ---------------------------------------------------------------------------- file formats


def test_an_xls_file_is_read_like_the_xlsx_it_was_saved_from() -> None:
    rows, merges = two_row_header()
    data = convert_with_libreoffice(xlsx_bytes(rows, merges=merges), "xls")
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert parse(data, "list.xls") == EXPECTED


def test_an_ods_file_saved_by_libreoffice_is_read() -> None:
    data = convert_with_libreoffice(xlsx_bytes(sectioned(SECTION_STYLES["half-width (一)"])), "ods")
    assert parse(data, "list.ods") == EXPECTED


def test_a_minimal_hand_written_ods_file_is_read() -> None:
    assert parse(ods_bytes(standard_list(three_projects())), "list.ods") == EXPECTED


def test_a_file_whose_extension_lies_is_read_by_its_content_with_a_warning() -> None:
    parsed = parse_project_list(xlsx_bytes(standard_list(three_projects())), "清单.xls")
    assert len(parsed.projects) == 3
    assert any("实际是.xlsx格式" in w for w in parsed.warnings)


def test_a_sheet_without_the_county_column_is_refused_naming_the_column_and_row() -> None:
    columns = [c for c in BASIC if c[1] != "county"]
    rows = [["重大项目清单"], *table(columns, three_projects())]
    with pytest.raises(ListFileError, match="工作表“项目清单”第2行的表头缺少“建设地点”列"):
        parse_project_list(xlsx_bytes(rows), "list.xlsx")


def test_a_sheet_without_areas_in_columns_or_sections_is_refused() -> None:
    columns = [c for c in BASIC if c[1] != "area"]
    with pytest.raises(ListFileError, match="缺少“所属领域”列，表中也没有“一、绿色低碳发展”"):
        parse_project_list(xlsx_bytes(table(columns, three_projects())), "list.xlsx")
