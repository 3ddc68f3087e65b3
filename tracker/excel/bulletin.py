"""The monthly bulletin (调度通报) as a styled, printable workbook. No database: it renders the
plain ``Bulletin`` the service builds.

Printing: A4 landscape, fit to the page width, the table header repeated on every page, page
numbers in the footer. Amounts in the tables are 万元 (as lists are kept); the summary gives
the totals in 亿元 (as bulletins are written). Lights are cell fills in the product's one
palette (``tracker.palette``), and the cell always says 红灯/黄灯/绿灯 in words too.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tracker import palette
from tracker.config import DEFAULT_OFFICE_NAME
from tracker.domain.bulletin import WAN_PER_YI, Bulletin
from tracker.domain.duban import CAUSE_TEXT, LEVEL_TEXT
from tracker.excel.cells import FORMULA_TRIGGERS, put, safe_text, write_text

FONT = "Noto Sans CJK SC"  # falls back to the viewer's CJK font where it is not installed
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LIGHT_FILLS = {
    light: PatternFill("solid", fgColor=palette.argb(colour))
    for light, colour in palette.LIGHT.items()
}
LIGHT_INK = {light: palette.argb(colour) for light, colour in palette.ON_LIGHT.items()}
LIGHT_TEXT = {"red": "红灯", "amber": "黄灯", "green": "绿灯"}
MONEY = "#,##0.00"
PERCENT = "0.0%"


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    value: Callable[[dict[str, Any]], Any]
    kind: str = "text"  # text | money | pct | pp | int | light | score
    wrap: bool = False


def _ratio(done: str, due: str) -> Callable[[dict[str, Any]], Any]:
    """ "3/5" of two counts of a row (a bulletin frozen before stages were counted: "—")."""
    return lambda r: f"{r[done]}/{r[due]}" if due in r else None


FIGURE_COLUMNS: tuple[Col, ...] = (
    Col("项目数", 7, lambda r: r["projects"], "int"),
    Col("年度计划投资（万元）", 15, lambda r: r["annual_plan"], "money"),
    Col("年度累计完成（万元）", 15, lambda r: r["completed_ytd"], "money"),
    Col("投资完成率", 9, lambda r: r["rate"], "pct"),
    Col("较序时进度（百分点）", 10, lambda r: r["gap_pp"], "pp"),
    Col("较自身序时（百分点）", 10, lambda r: r.get("own_gap_pp"), "pp"),
    Col("分组灯色", 7, lambda r: r.get("light"), "light"),
    Col("新开工/应开工", 9, _ratio("new_started", "new_due")),
    Col("新开工率", 8, lambda r: r.get("new_start_rate"), "pct"),
    Col("复工/续建", 8, _ratio("resumed", "continuing")),
    Col("竣工", 6, lambda r: r.get("completed"), "int"),
    Col("应开未开", 7, lambda r: r.get("late_to_start"), "int"),
    Col("红灯", 6, lambda r: r["red"], "int"),
    Col("黄灯", 6, lambda r: r["amber"], "int"),
    Col("绿灯", 6, lambda r: r["green"], "int"),
    Col("应报", 6, lambda r: r["expected"], "int"),
    Col("已报", 6, lambda r: r["reported"], "int"),
)


class Sheet:
    """Writes titled tables down a worksheet and sets it up for printing."""

    def __init__(self, wb: Workbook, title: str, heading: str, subtitle: str, widths: int):
        self.ws: Worksheet = wb.create_sheet(title)
        self.row = 1
        self.width = widths
        self.first_header: int | None = None
        self.tables = 0
        self._merged_text(heading, Font(name=FONT, size=16, bold=True), height=28, center=True)
        self._merged_text(subtitle, Font(name=FONT, size=10, color="595959"), center=True)
        self.row += 1

    def _merged_text(
        self, text: str, font: Font, *, height: float | None = None, center: bool = False
    ) -> None:
        last = get_column_letter(self.width)
        self.ws.merge_cells(f"A{self.row}:{last}{self.row}")
        cell = self.ws.cell(row=self.row, column=1)
        write_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(
            horizontal="center" if center else "left", vertical="center", wrap_text=True
        )
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1

    def paragraph(self, text: str, *, height: float = 60, bold: bool = False) -> None:
        self._merged_text(text, Font(name=FONT, size=11, bold=bold), height=height)

    def section(self, text: str) -> None:
        self.row += 1 if self.row > 4 else 0
        self._merged_text(text, Font(name=FONT, size=12, bold=True), height=20)

    def table(
        self,
        columns: Sequence[Col],
        rows: Sequence[dict[str, Any]],
        *,
        total: dict[str, Any] | None = None,
        light_of: Callable[[dict[str, Any]], str | None] = lambda r: None,
        empty: str = "无",
    ) -> None:
        ws = self.ws
        header_row = self.row
        self.tables += 1
        if self.first_header is None:
            self.first_header = header_row
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(row=header_row, column=c)
            write_text(cell, col.header)
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[header_row].height = 30
        self.row += 1
        if not rows:
            last = get_column_letter(len(columns))
            ws.merge_cells(f"A{self.row}:{last}{self.row}")
            write_text(ws.cell(row=self.row, column=1), empty)
            ws.cell(row=self.row, column=1).font = Font(name=FONT, size=10, color="595959")
            ws.cell(row=self.row, column=1).alignment = Alignment(horizontal="center")
            self.row += 1
        # A cell styled like one before it takes that one's style whole (openpyxl hashes
        # every Font, Alignment and Border assigned: the workbook's main cost at scale).
        styled: dict[tuple, Any] = {}
        for record in [*rows, *([total] if total else [])]:
            is_total = record is total
            light = light_of(record)
            self._fit_height(columns, record)
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(row=self.row, column=c)
                value = col.value(record)
                shown = light if light is not None else value
                key = (
                    c,
                    is_total,
                    shown if col.kind == "light" else None,
                    value is None,
                    type(value),
                    # text kept as text when edited (quotePrefix) is part of the style
                    isinstance(value, str) and safe_text(value).startswith(FORMULA_TRIGGERS),
                )
                if key in styled:
                    cell._style = copy(styled[key])
                    self._write(cell, col, value)
                    continue
                self._value(cell, col, value)
                cell.border = BORDER
                cell.font = Font(name=FONT, size=10, bold=is_total)
                if is_total and col.kind != "light":
                    cell.fill = TOTAL_FILL
                elif col.kind == "light" and shown in LIGHT_FILLS:
                    cell.fill = LIGHT_FILLS[shown]
                    cell.font = Font(name=FONT, size=10, bold=True, color=LIGHT_INK[shown])
                styled[key] = copy(cell._style)
            self.row += 1

    def _fit_height(self, columns: Sequence[Col], record: dict[str, Any]) -> None:
        """Tall enough for every line of the longest wrapped cell — every reason and problem
        of a project, not only the first: spreadsheets do not grow a row to its wrapped text
        on their own when printing. Counted conservatively (Excel and WPS set CJK text in a
        wider face than LibreOffice: a column of width w holds about w − 2 half-width
        characters a line), each item on its own lines, at 15 points a line."""
        lines = 1
        for col in columns:
            if not col.wrap:
                continue
            lines = max(lines, wrapped_lines(col.value(record), col.width))
        if lines > 1:
            self.ws.row_dimensions[self.row].height = LINE_POINTS * lines + 3

    @staticmethod
    def _write(cell, col: Col, value: Any) -> None:
        """The value alone, as ``_value`` writes it (the style is copied)."""
        numeric = col.kind in {"money", "pct", "pp", "int", "score"}
        if value is None and (numeric or col.kind == "light"):
            write_text(cell, "—")
        elif col.kind == "light":
            write_text(cell, LIGHT_TEXT.get(value, value))
        elif isinstance(value, list):
            put(cell, "\n".join(f"{i}. {v}" for i, v in enumerate(value, start=1)) if value else "")
        else:
            put(cell, value)

    @staticmethod
    def _value(cell, col: Col, value: Any) -> None:
        numeric = col.kind in {"money", "pct", "pp", "int", "score"}
        if value is None and (numeric or col.kind == "light"):
            write_text(cell, "—")
            cell.alignment = Alignment(horizontal="center", vertical="top")
            return
        if col.kind == "light":
            write_text(cell, LIGHT_TEXT.get(value, value))
            cell.alignment = Alignment(horizontal="center", vertical="top")
            return
        if isinstance(value, list):
            value = "\n".join(f"{i}. {v}" for i, v in enumerate(value, start=1)) if value else ""
        put(cell, value)
        if col.kind == "money":
            cell.number_format = MONEY
        elif col.kind == "pct":
            cell.number_format = PERCENT
        elif col.kind in {"pp", "score"}:
            cell.number_format = "0.0" if col.kind == "pp" else "0.00"
        cell.alignment = Alignment(
            horizontal="right" if numeric else "left",
            vertical="top",
            wrap_text=col.wrap or not numeric,
        )

    def finish(self, columns_widths: Sequence[float]) -> None:
        ws = self.ws
        for c, width in enumerate(columns_widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
        ws.page_margins.header, ws.page_margins.footer = 0.3, 0.35
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9
        ws.oddFooter.center.font = f"{FONT},Regular"
        # Repeat the header on every printed page only where the sheet holds one table: a
        # second table's rows under the first one's header would be misread.
        if self.first_header is not None and self.tables == 1:
            ws.print_title_rows = f"{self.first_header}:{self.first_header}"
            ws.freeze_panes = f"A{self.first_header + 1}"


LINE_POINTS = 15  # a 10-point CJK line, as Excel, WPS and LibreOffice set it


def wrapped_lines(value: Any, width: float) -> int:
    """Printed lines of a wrapped cell of column ``width``: a list's items numbered, one
    after another, each line of each item wrapped at about ``width − 2`` half-width
    characters."""
    items = value if isinstance(value, list) else [value]
    per_line = max(int(width) - 2, 4)
    count = 0
    for n, item in enumerate(items, start=1):
        text = f"{n}. {item}" if isinstance(value, list) else str(item or "")
        for line in text.split("\n"):
            count += max(1, -(-_width(line) // per_line))
    return max(count, 1)


def _width(text: str) -> int:
    """Printed width in half-width characters (CJK counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _subtitle(b: Bulletin, office: str) -> str:
    state = b.status_label if b.final else "未定稿（数据仍在变动，以关账后定稿为准）"
    if b.revision > 1 and b.revision_reason:
        state += f"（修订原因：{b.revision_reason}）"
    return f"{office}　数据截至 {b.as_of}　{state}"


def _figure_sheet(
    wb: Workbook, b: Bulletin, title: str, heading: str, key_header: str, rows: list[dict]
) -> None:
    office = wb.properties.creator or ""
    key = Col(key_header, 26, lambda r: r["key"], wrap=True)
    columns = [key, *FIGURE_COLUMNS]
    sheet = Sheet(wb, title, heading, _subtitle(b, office), len(columns))
    sheet.table(columns, rows, total=b.totals)
    sheet.finish([c.width for c in columns])


def bulletin_workbook(b: Bulletin, office_name: str = DEFAULT_OFFICE_NAME) -> bytes:
    """The bulletin as .xlsx bytes; ``office_name`` (the office's OFFICE_NAME) heads every
    sheet and is the workbook's author."""
    wb = Workbook()
    wb.properties.creator = office = office_name
    wb.remove(wb.active)
    totals = b.totals

    # 1. 通报: the opening paragraph, the totals in 亿元, the areas.
    area_columns = [Col("领域", 16, lambda r: r["key"]), *FIGURE_COLUMNS]
    front = Sheet(wb, "调度通报", f"{b.title}", _subtitle(b, office), len(area_columns))
    front.paragraph(b.headline, height=64)
    front.section("一、主要指标")
    indicators = [
        Col("年度计划投资（亿元）", 0, lambda r: r["annual_plan"] / WAN_PER_YI, "score"),
        Col("年度累计完成（亿元）", 0, lambda r: r["completed_ytd"] / WAN_PER_YI, "score"),
        Col("投资完成率", 0, lambda r: r["rate"], "pct"),
        Col("序时进度", 0, lambda r: b.time_progress, "pct"),
        Col("较序时进度（百分点）", 0, lambda r: r["gap_pp"], "pp"),
        Col("开工以来累计（亿元）", 0, lambda r: r["completed_total"] / WAN_PER_YI, "score"),
        Col("本月完成（亿元）", 0, lambda r: r.get("completed_month", 0.0) / WAN_PER_YI, "score"),
        Col("新开工率", 0, lambda r: r.get("new_start_rate"), "pct"),
        Col("复工率", 0, lambda r: r.get("resume_rate"), "pct"),
        Col("竣工", 0, lambda r: r.get("completed"), "int"),
        Col("应开未开", 0, lambda r: r.get("late_to_start"), "int"),
        Col("红灯", 0, lambda r: r["red"], "int"),
        Col("黄灯", 0, lambda r: r["amber"], "int"),
        Col("绿灯", 0, lambda r: r["green"], "int"),
        Col("应报", 0, lambda r: r["expected"], "int"),
        Col("已报", 0, lambda r: r["reported"], "int"),
    ]
    front.table(indicators, [totals])
    front.section("二、分领域完成情况（金额单位：万元）")
    front.table(area_columns, b.by_area, total=totals)
    front.finish([c.width for c in area_columns])

    _figure_sheet(wb, b, "分举措", "分工作举措完成情况（金额单位：万元）", "工作举措", b.by_measure)
    _figure_sheet(wb, b, "分县区", "分县（区）完成情况（金额单位：万元）", "县（区）", b.by_county)
    _figure_sheet(
        wb, b, "牵头单位", "分牵头单位完成情况（金额单位：万元）", "牵头单位", b.by_lead_unit
    )

    # 县区排名 with its formula.
    rank_columns = [
        Col("排名", 6, lambda r: r["rank"], "int"),
        Col("县（区）", 14, lambda r: r["county"]),
        Col("项目数", 8, lambda r: r["projects"], "int"),
        Col("投资完成率", 12, lambda r: r["investment_rate"], "pct"),
        Col("节点按时率", 12, lambda r: r["milestone_rate"], "pct"),
        Col("按时报送率", 12, lambda r: r["reporting_rate"], "pct"),
        Col("综合得分", 10, lambda r: r["score"], "score"),
    ]
    ranking = Sheet(wb, "县区排名", "县（区）综合排名", _subtitle(b, office), len(rank_columns))
    ranking.paragraph(b.ranking["formula"], height=96)
    ranking.table(rank_columns, b.ranking["rows"])
    if b.ranking_units:
        ranking.section("牵头单位综合排名")
        unit_columns = [
            rank_columns[0],
            Col("牵头单位", 14, lambda r: r["unit"]),
            *rank_columns[2:],
        ]
        ranking.table(unit_columns, b.ranking_units["rows"])
    ranking.finish([c.width for c in rank_columns])

    project = [
        Col("项目编号", 10, lambda r: r["code"]),
        Col("项目名称", 28, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("牵头单位", 14, lambda r: r["lead_unit"], wrap=True),
    ]
    lights = [
        *project,
        Col("灯色", 6, lambda r: r["light"], "light"),
        Col(
            "原因",
            34,
            lambda r: [*r["reasons"], *(["退回修改中"] if r.get("returned") else [])],
            wrap=True,
        ),
        Col("存在问题", 34, lambda r: r["problems"], wrap=True),
    ]
    sheet = Sheet(wb, "红黄灯项目", "红灯、黄灯项目及存在问题", _subtitle(b, office), len(lights))
    sheet.table(lights, b.red_amber, light_of=lambda r: r["light"], empty="本月无红灯、黄灯项目")
    sheet.finish([c.width for c in lights])

    late = [
        *project,
        Col("计划开工", 12, lambda r: r["planned_start"]),
        Col("逾期天数", 8, lambda r: r["days"], "int"),
    ]
    sheet = Sheet(wb, "应开未开", "应开未开项目", _subtitle(b, office), len(late))
    sheet.table(late, b.late_to_start, empty="无应开未开项目")
    sheet.finish([c.width for c in late])

    milestones = [
        *project,
        Col("节点", 16, lambda r: r["milestone"], wrap=True),
        Col("计划完成日期", 12, lambda r: r["planned"]),
        Col("逾期天数", 8, lambda r: r["days"], "int"),
        Col("灯色", 6, lambda r: r["light"], "light"),
    ]
    sheet = Sheet(wb, "逾期节点", "逾期未完成节点", _subtitle(b, office), len(milestones))
    sheet.table(
        milestones, b.overdue_milestones, light_of=lambda r: r["light"], empty="本月无逾期节点"
    )
    sheet.finish([c.width for c in milestones])

    missing = [*project, Col("连续未报（月）", 10, lambda r: r["months"], "int")]
    sheet = Sheet(wb, "未报送", "本月未报送月度调度表的项目", _subtitle(b, office), len(missing))
    sheet.table(missing, b.not_reported, empty="本月所有项目均已报送")
    sheet.finish([c.width for c in missing])

    coordination = [
        Col("项目编号", 10, lambda r: r["code"]),
        Col("项目名称", 24, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("需协调解决事项", 40, lambda r: r["text"], wrap=True),
        Col("问题成因", 9, lambda r: CAUSE_TEXT.get(r.get("cause", ""), "")),
        Col("责任单位", 14, lambda r: r["owner"] or "待明确", wrap=True),
        Col("督办级别", 10, lambda r: LEVEL_TEXT.get(r["level"], r["level"])),
        Col("提出日期", 11, lambda r: r["raised_on"]),
        Col("办理时限", 11, lambda r: r["due_date"] or ""),
    ]
    sheet = Sheet(
        wb, "协调事项", "提请调度会协调解决的事项", _subtitle(b, office), len(coordination)
    )
    sheet.table(coordination, b.coordination, empty="本月无待协调事项")
    sheet.finish([c.width for c in coordination])

    _approvals_sheet(wb, b)
    _changes_sheet(wb, b, project, milestones)
    _data_problems_sheet(wb, b)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _approvals_sheet(wb: Workbook, b: Bulletin) -> None:
    """前期手续 (#17): the approving units with their lights, the steps past their limits and
    the starts at risk; no sheet for a bulletin frozen before #17."""
    data = b.approvals or {}
    if not data.get("units"):
        return
    office = wb.properties.creator or ""
    units = [
        Col("审批部门", 20, lambda r: r["unit"], wrap=True),
        Col("手续数", 28, lambda r: r["steps"], "int"),
        Col("已办结", 9, lambda r: r["done"], "int"),
        Col("办理中", 20, lambda r: r["in_progress"], "int"),
        Col("超时", 20, lambda r: r["overdue"], "int"),
        Col("逾期未申报", 12, lambda r: r["late_to_submit"], "int"),
        Col("平均用时（工作日）", 12, lambda r: r["average_days"], "score"),
        Col("承诺时限（工作日）", 12, lambda r: r["limit_days"], "score"),
        Col("灯色", 8, lambda r: r["light"], "light"),
    ]
    sheet = Sheet(wb, "前期手续", "各审批部门前期手续办理情况", _subtitle(b, office), len(units))
    sheet.table(units, data["units"], light_of=lambda r: r["light"])
    sheet.section("超过承诺时限的前期手续")
    overdue = [
        Col("项目编号", 20, lambda r: r["code"]),
        Col("项目名称", 28, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("前期手续", 20, lambda r: r["step"], wrap=True),
        Col("审批部门", 20, lambda r: r["unit"], wrap=True),
        Col("时限截止", 12, lambda r: r["due"]),
        Col("超时（工作日）", 12, lambda r: r["days"], "int"),
    ]
    sheet.table(overdue, data.get("overdue_steps") or [], empty="无超时手续")
    sheet.section("前期手续滞后影响按期开工的项目")
    risks = [
        Col("项目编号", 20, lambda r: r["code"]),
        Col("项目名称", 28, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("滞后手续", 20, lambda r: r["step"], wrap=True),
        Col("保开工最迟日期", 20, lambda r: r["latest"]),
        Col("已超过（工作日）", 12, lambda r: r["days"], "int"),
    ]
    sheet.table(risks, data.get("at_risk") or [], empty="无")
    sheet.finish([20, 28, 9, 20, 20, 12, 12, 12, 8])


def _data_problems_sheet(wb: Workbook, b: Bulletin) -> None:
    office = wb.properties.creator or ""
    """Stored values left out of the figures (#12); no sheet when there are none."""
    rows = getattr(b, "data_problems", None) or []
    if not rows:
        return
    columns = [
        Col("项目编号", 10, lambda r: r["code"]),
        Col("项目名称", 28, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("无法使用的数据（未计入统计）", 60, lambda r: r["problem"], wrap=True),
    ]
    sheet = Sheet(
        wb, "数据异常", "数据异常（未计入统计，请更正）", _subtitle(b, office), len(columns)
    )
    sheet.table(columns, rows)
    sheet.finish([c.width for c in columns])


def _changes_sheet(wb: Workbook, b: Bulletin, project: list[Col], milestones: list[Col]) -> None:
    office = wb.properties.creator or ""
    changes = b.changes
    light_change = [
        Col("项目编号", 10, lambda r: r["code"]),
        Col("项目名称", 28, lambda r: r["name"], wrap=True),
        Col("县（区）", 9, lambda r: r["county"]),
        Col("上月", 8, lambda r: r["before"], "light"),
        Col("本月", 8, lambda r: r["after"], "light"),
    ]
    widths = [
        max(a, c)
        for a, c in zip(
            [c.width for c in milestones],
            [c.width for c in light_change] + [0] * len(milestones),
            strict=False,
        )
    ]
    sheet = Sheet(wb, "较上月变化", "较上月变化情况", _subtitle(b, office), len(milestones))
    if changes is None:
        sheet.paragraph("无上月数据可比。", height=24)
        sheet.finish(widths)
        return
    delta = changes["completed_ytd_delta"] / WAN_PER_YI
    sheet.paragraph(
        f"与{changes['previous_period'][:7]}相比：年度累计完成投资增加{delta:.2f}亿元"
        f"（本月报送的本月完成投资合计{changes['completed_month'] / WAN_PER_YI:.2f}亿元）；"
        f"红灯项目由{changes['red_before']}个变为{b.totals['red']}个，"
        f"黄灯项目由{changes['amber_before']}个变为{b.totals['amber']}个；"
        f"灯色变化的项目{len(changes['lights_changed'])}个，新增逾期节点{len(changes['newly_overdue'])}个。",
        height=40,
    )
    sheet.section("（一）灯色变化的项目")
    sheet.table(
        light_change,
        changes["lights_changed"],
        empty="无灯色变化",
    )
    # Colour each light cell by its own light (before and after differ by definition).
    for row in sheet.ws.iter_rows(min_row=1, max_row=sheet.row):
        for cell in row:
            for light, text in LIGHT_TEXT.items():
                if cell.value == text and cell.column in (4, 5):
                    cell.fill = LIGHT_FILLS[light]
                    cell.font = Font(name=FONT, size=10, bold=True, color=LIGHT_INK[light])
    sheet.section("（二）本月新增逾期节点")
    sheet.table(
        milestones, changes["newly_overdue"], light_of=lambda r: r["light"], empty="无新增逾期节点"
    )
    sheet.finish(widths)
