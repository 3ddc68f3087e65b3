"""Write the project list in the product's own template: rows in, workbook bytes out.

The template is the one the importer reads best (one header row, amounts in 万元, real
date cells, milestones as 节点N / 节点N计划时间 pairs), so an exported list can be
edited and imported again. It is also meant to be printed: A3 or A4 landscape, one page
wide, the header repeated on every page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tracker.excel.cells import write_text
from tracker.excel.rows import ProjectRow

__all__ = ["DEFAULT_TITLE", "export_project_list"]

DEFAULT_TITLE = "重大项目清单"
SHEET_TITLE = "项目清单"
HEADER_ROW = 3
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(name="宋体", bold=True, size=11)
_BODY_FONT = Font(name="宋体", size=10)
_TITLE_FONT = Font(name="黑体", bold=True, size=18)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")

# (header, width, kind) for the fixed columns; kind picks the format and alignment
_TEXT, _WIDE, _SHORT, _AMOUNT, _DATE = "text", "wide", "short", "amount", "date"
_LEADING_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("项目编号", 14, _SHORT),
    ("项目名称", 34, _WIDE),
    ("所属领域", 14, _TEXT),
    ("工作举措", 24, _TEXT),
    ("建设地点", 10, _SHORT),
    ("建设性质", 8, _SHORT),
    ("牵头单位", 18, _TEXT),
    ("责任单位", 20, _TEXT),
    ("责任人", 10, _SHORT),
    ("联系电话", 15, _SHORT),
    ("建设内容及规模", 40, _WIDE),
    ("总投资（万元）", 14, _AMOUNT),
)


Getter = Callable[[ProjectRow], object]
_LEADING_VALUES: tuple[Getter, ...] = (
    lambda p: p.code or "",
    lambda p: p.name,
    lambda p: p.area,
    lambda p: p.measure,
    lambda p: p.county,
    lambda p: p.nature,
    lambda p: p.lead_unit,
    lambda p: p.responsible_units,
    lambda p: p.contact_person,
    lambda p: p.contact_phone,
    lambda p: p.scope,
    lambda p: p.total_investment,
)
# Columns written only when some project has a value (a list from the app always could).
_OPTIONAL_TEXT: tuple[tuple[str, float, str, Getter], ...] = (
    ("实施主体", 18, _TEXT, lambda p: p.implementer),
    ("市级责任领导", 12, _SHORT, lambda p: p.city_leader),
)


def export_project_list(
    projects: Sequence[ProjectRow], *, title: str = DEFAULT_TITLE, as_of: date | None = None
) -> bytes:
    """The project list as .xlsx bytes in the product's template."""
    years = sorted({year for project in projects for year in project.annual_plans})
    max_milestones = max((len(project.milestones) for project in projects), default=0)
    columns: list[tuple[str, float, str, Getter]] = [
        (*column, get) for column, get in zip(_LEADING_COLUMNS, _LEADING_VALUES, strict=True)
    ]
    columns[8:8] = [c for c in _OPTIONAL_TEXT if any(c[3](p) for p in projects)]
    for year in years:
        columns.append(
            (f"{year}年计划投资（万元）", 14, _AMOUNT, lambda p, y=year: p.annual_plans.get(y))
        )
    for year in sorted(
        {p.opening_year for p in projects if p.opening_total is not None and p.opening_year}
    ):
        columns.append(
            (
                f"截至{year - 1}年底累计完成投资（万元）",
                16,
                _AMOUNT,
                lambda p, y=year: p.opening_total if p.opening_year == y else None,
            )
        )
    columns += [
        ("计划开工时间", 12, _DATE, lambda p: p.planned_start),
        ("计划完工时间", 12, _DATE, lambda p: p.planned_finish),
    ]
    if any(p.actual_start for p in projects):
        columns.append(("实际开工时间", 12, _DATE, lambda p: p.actual_start))
    if any(p.actual_finish for p in projects):
        columns.append(("实际完工时间", 12, _DATE, lambda p: p.actual_finish))
    with_actuals = any(m.actual for p in projects for m in p.milestones)
    for number in range(1, max_milestones + 1):
        columns += [
            (f"节点{number}", 16, _TEXT, lambda p, i=number - 1: _milestone(p, i, "name")),
            (
                f"节点{number}计划时间",
                12,
                _DATE,
                lambda p, i=number - 1: _milestone(p, i, "planned"),
            ),
        ]
        if with_actuals:
            columns.append(
                (
                    f"节点{number}实际完成时间",
                    12,
                    _DATE,
                    lambda p, i=number - 1: _milestone(p, i, "actual"),
                )
            )
    if any(p.remark for p in projects):
        columns.append(("备注", 24, _WIDE, lambda p: p.remark))

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    layout = [(header, width, kind) for header, width, kind, _ in columns]
    _write_title(sheet, title, as_of, len(columns))
    _write_header(sheet, layout)
    for offset, project in enumerate(projects):
        _write_project(sheet, HEADER_ROW + 1 + offset, project, columns)
    _set_up_page(sheet, layout, len(projects))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _milestone(project: ProjectRow, index: int, attribute: str) -> object:
    if index >= len(project.milestones):
        return "" if attribute == "name" else None
    return getattr(project.milestones[index], attribute)


def _write_title(sheet: Worksheet, title: str, as_of: date | None, width: int) -> None:
    last = get_column_letter(max(width, 1))
    write_text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = _TITLE_FONT
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 36
    sheet.cell(row=2, column=1, value="单位：万元").font = _BODY_FONT
    if as_of is not None and width >= 4:
        cell = sheet.cell(
            row=2, column=width - 2, value=f"数据截至：{as_of.year}年{as_of.month}月{as_of.day}日"
        )
        cell.font = _BODY_FONT
        cell.alignment = _RIGHT
        sheet.merge_cells(start_row=2, start_column=width - 2, end_row=2, end_column=width)


def _write_header(sheet: Worksheet, columns: list[tuple[str, float, str]]) -> None:
    for number, (header, width, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=number, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)  # header and code + name


def _write_project(
    sheet: Worksheet, row: int, project: ProjectRow, columns: list[tuple[str, float, str, Getter]]
) -> None:
    for number, (_, _, kind, get) in enumerate(columns, start=1):
        value = get(project)
        cell = sheet.cell(row=row, column=number)
        if kind == _AMOUNT:
            cell.value = value
            cell.number_format = AMOUNT_FORMAT
            cell.alignment = _RIGHT
        elif kind == _DATE:
            cell.value = value
            cell.number_format = DATE_FORMAT
            cell.alignment = _CENTER
        else:
            write_text(cell, value)  # type: ignore[arg-type]
            cell.alignment = _CENTER if kind == _SHORT else _LEFT
        cell.font = _BODY_FONT
        cell.border = _BORDER


def _set_up_page(sheet: Worksheet, columns: list[tuple[str, float, str]], count: int) -> None:
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    total_width = sum(width for _, width, _ in columns)
    setup = sheet.page_setup
    setup.orientation = "landscape"
    # a list wider than about 250 characters is too small to read on A4 once fitted to the page
    setup.paperSize = sheet.PAPERSIZE_A3 if total_width > 250 else sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
