"""The zone's indicators as a workbook: the catalogue and its values, out and back in.

Written in the layout of the annual report (《国家可持续发展议程创新示范区年度报告》): one
sheet per indicator system (创新能力监测, SDGs 进展, 可持续发展规划 …), a title over a
header whose columns are 序号 | 指标编号 | 指标名称 | 计量单位 | 基期 | one column per year
of values (2021年 …) | one per year of targets (2025年目标 …) | then what the catalogue
keeps (direction, band, responsible unit, source, frequency, SDG goals, links, definition).
A last sheet, 指标数值, lists every value with its period, source, note and 全省排名, so
quarterly and monthly values and each value's source survive the round trip.

Read back as another office may lay it out: the header is found by meaning (the row with
指标名称 and the most other known fields, as tracker/excel/headers.py does for project
lists), a two-level header (目标值 over 2025年 | 2030年) is combined, column order does not
matter, one sheet with a 体系 column works as well as a sheet per system. Columns nothing
recognises, or that the system computes (进展, 评价), are reported as unused with samples,
never dropped silently. Every bad cell is a ``RowError`` (sheet, row, column, field).
The upload guard (``safety.guard_upload``) judges the bytes before the reader sees them.
No database here: the service (tracker/services/indicator_files.py) applies the rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from tracker.domain.messages import Message, msg
from tracker.excel.cells import put, write_text
from tracker.excel.recognize import samples
from tracker.excel.rows import ColumnReport, ListFileError, RowError
from tracker.excel.safety import Limits, check_workbook_bytes, file_label
from tracker.excel.values import clean_line, clean_text, normalize_text

__all__ = [
    "IField",
    "IndicatorBook",
    "IndicatorRow",
    "ParsedIndicators",
    "ValueRow",
    "classify_indicator_header",
    "indicator_workbook",
    "parse_indicator_workbook",
    "period_text",
    "parse_period_text",
]

VALUES_SHEET = "指标数值"
HEADER_SEARCH_ROWS = 15
DIRECTIONS = ("higher", "lower", "band")
FREQUENCIES = ("annual", "quarterly", "monthly")
DIRECTION_LABEL = {"higher": "正向", "lower": "逆向", "band": "区间"}
FREQUENCY_LABEL = {"annual": "年度", "quarterly": "季度", "monthly": "月度"}


# ---------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator of the catalogue, as a file holds it (no database ids)."""

    system: str  # the system's name: 创新能力监测
    code: str
    name: str
    unit: str = ""
    definition: str = ""
    direction: str = "higher"  # higher | lower | band
    band_low: float | None = None
    band_high: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    targets: tuple[tuple[int, float], ...] = ()  # (year, value), by year
    lead_unit: str = ""  # 责任单位
    data_source: str = ""
    frequency: str = "annual"  # annual | quarterly | monthly
    goals: tuple[tuple[int, str], ...] = ()  # (SDG goal 1–17, its SDG target or ""), by goal
    measures: tuple[str, ...] = ()  # the work measures' names
    projects: tuple[str, ...] = ()  # the projects' codes
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)  # 1-based worksheet row
    present: frozenset[str] = field(default=frozenset(), compare=False)  # fields with a column


@dataclass(frozen=True)
class ValueRow:
    """One value of an indicator for one period (the first day of its year, quarter, month)."""

    system: str
    code: str
    period: date
    value: float | None
    source: str = ""
    note: str = ""
    province_rank: int | None = None
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)
    column: str = field(default="", compare=False)
    detailed: bool = field(default=False, compare=False)  # from a values sheet (指标数值)
    kind: str = field(default="", compare=False)  # the frequency its period was written in


@dataclass(frozen=True)
class SystemRows:
    name: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class IndicatorBook:
    """What the exporter writes: the systems in order, every value, and the as-of line."""

    systems: tuple[SystemRows, ...]
    values: tuple[ValueRow, ...] = ()
    title: str = "国家可持续发展议程创新示范区监测指标"
    as_of: str = ""  # 数据截至2026年12月4日


@dataclass
class ParsedIndicators:
    indicators: list[IndicatorRow] = field(default_factory=list)
    values: list[ValueRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    columns: list[ColumnReport] = field(default_factory=list)

    @property
    def unused(self) -> list[ColumnReport]:
        """Filled columns that are not read: 未使用的列."""
        return [c for c in self.columns if c.field is None]


# ---------------------------------------------------------------------------- periods

_PERIOD_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年?度?$")
_PERIOD_QUARTER = re.compile(
    r"^((?:19|20)\d{2})\s*(?:年\s*(?:第\s*)?([一二三四1-4])\s*季度?|\s*[-/ ]?\s*Q([1-4]))$",
    re.IGNORECASE,
)
_PERIOD_MONTH = re.compile(r"^((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月份?|[-/.](\d{1,2}))$")
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NAME = {1: "一", 2: "二", 3: "三", 4: "四"}


def period_text(period: date, frequency: str) -> str:
    """2024年, 2024年二季度, 2024年5月."""
    if frequency == "quarterly":
        return f"{period.year}年{_QUARTER_NAME[(period.month - 1) // 3 + 1]}季度"
    if frequency == "monthly":
        return f"{period.year}年{period.month}月"
    return f"{period.year}年"


def parse_period_text(value: object) -> tuple[date, str] | None:
    """(the period's first day, its frequency) from 2024 / 2024年 / 2024Q2 / 2024年二季度 /
    2024年5月 / 2024-05; None when the text is none of them."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(normalize_text(clean_text(value)).split())
    if m := _PERIOD_YEAR.match(text):
        return date(int(m[1]), 1, 1), "annual"
    if m := _PERIOD_QUARTER.match(text):
        quarter = _QUARTER_NUMBER[m[2] or m[3]]
        return date(int(m[1]), 3 * quarter - 2, 1), "quarterly"
    if m := _PERIOD_MONTH.match(text):
        month = int(m[2] or m[3])
        if 1 <= month <= 12:
            return date(int(m[1]), month, 1), "monthly"
    return None


# ---------------------------------------------------------------------------- headers


class IField(StrEnum):
    SEQ = "序号"
    SYSTEM = "指标体系"
    CODE = "指标编号"
    NAME = "指标名称"
    UNIT = "计量单位"
    DEFINITION = "指标解释"
    DIRECTION = "指标方向"
    BAND = "目标区间"
    BASELINE_YEAR = "基期年份"
    BASELINE = "基期值"
    VALUE = "实际值"  # a year's value (number = the year); on the values sheet, the value
    TARGET = "目标值"  # number = the year
    LEAD_UNIT = "责任单位"
    SOURCE = "数据来源"
    FREQUENCY = "更新频率"
    GOALS = "SDG目标"
    SDG_TARGETS = "SDG具体目标"
    MEASURES = "关联举措"
    PROJECTS = "关联项目"
    PERIOD = "期间"
    NOTE = "说明"
    RANK = "全省排名"
    COMPUTED = "系统计算"  # progress, light: the system works them out again


@dataclass(frozen=True)
class Match:
    field: IField
    year: int | None = None


_YEAR = re.compile(r"((?:19|20)\d{2})")
_BARE_YEAR = re.compile(r"^((?:19|20)\d{2})年?度?$")
_SEQ = {"序号", "序", "no", "no.", "编号序", "排序"}
_NAME = re.compile(r"^(?:指标名称|指标|指标项|指标内容|监测指标|具体指标|二级指标|三级指标|名称)$")
_VALUE_WORDS = re.compile(r"实际|完成|监测值|实现值|现状|统计值|数值|^值$|取值|数据$|指标值")
_TARGET_WORDS = re.compile(r"目标|规划值|预期值|期望值")


def _key(text: str) -> str:
    """Header text folded: widths, spaces, brackets kept apart (they may hold the year)."""
    folded = "".join(normalize_text(text).split()).lower().strip("*★※:：")
    return folded.replace("（", "(").replace("）", ")")


def classify_indicator_header(text: str) -> Match | None:
    """Which field of an indicator (or of a value) a header names, or None."""
    key = _key(text)
    if not key:
        return None
    bare = re.sub(r"\([^()]*\)", "", key) or key
    if bare in _SEQ or bare.startswith("序号"):
        return Match(IField.SEQ)
    if m := _BARE_YEAR.match(bare):
        return Match(IField.VALUE, int(m[1]))
    if "sdg" in bare or "可持续发展目标" in bare:
        return Match(IField.SDG_TARGETS if "具体" in bare or "子目标" in bare else IField.GOALS)
    if found := _yearly(key, bare):
        return found
    return _plain(bare)


def _yearly(key: str, bare: str) -> Match | None:
    """Baselines, targets and values: the headers that may carry a year."""
    years = {int(y) for y in _YEAR.findall(key)}
    year = years.pop() if len(years) == 1 else None
    if "基期" in bare or "基准" in bare or "基数" in bare:
        if "年份" in bare or bare.endswith(("年", "年度")) and "值" not in bare:
            return Match(IField.BASELINE_YEAR)
        return Match(IField.BASELINE, year)
    if "区间" in bare:
        return Match(IField.BAND)
    if "排名" in bare or "排位" in bare:
        return Match(IField.RANK)
    if _TARGET_WORDS.search(bare) and "单位" not in bare:
        return Match(IField.TARGET, year) if year else None
    if year is not None and (_VALUE_WORDS.search(bare) or _BARE_YEAR.match(bare)):
        return Match(IField.VALUE, year)
    if year is None and _VALUE_WORDS.search(bare) and len(bare) <= 6:
        return Match(IField.VALUE)
    return None


_PLAIN: tuple[tuple[re.Pattern[str], IField], ...] = (
    (re.compile(r"体系|类别|指标类型|所属体系"), IField.SYSTEM),
    (re.compile(r"编号|代码|编码|指标号"), IField.CODE),
    (re.compile(r"责任|牵头|部门|提供单位|填报单位|报送单位|监测单位"), IField.LEAD_UNIT),
    (re.compile(r"^(?:计量)?单位$|^计量单位|^指标单位$"), IField.UNIT),
    (re.compile(r"方向|极性|正逆|属性"), IField.DIRECTION),
    (re.compile(r"频率|频次|周期|更新|报送时间"), IField.FREQUENCY),
    (re.compile(r"解释|定义|含义|口径|计算方法|计算公式|指标说明"), IField.DEFINITION),
    (re.compile(r"来源|出处"), IField.SOURCE),
    (re.compile(r"举措|措施"), IField.MEASURES),
    (re.compile(r"项目"), IField.PROJECTS),
    (re.compile(r"期间|时期|报告期|统计期|所属期|期别|年份|年度$"), IField.PERIOD),
    (re.compile(r"说明|备注|附注"), IField.NOTE),
    (re.compile(r"进展|进度|评价|状态|灯|完成率|是否达标"), IField.COMPUTED),
)


def _plain(bare: str) -> Match | None:
    if _NAME.match(bare) or (bare.endswith("名称") and "单位" not in bare and "项目" not in bare):
        return Match(IField.NAME)
    for pattern, found in _PLAIN:
        if pattern.search(bare):
            return Match(found)
    return None


# ---------------------------------------------------------------------------- writing

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(name="黑体", size=10.5)
_BODY_FONT = Font(name="宋体", size=10)
_TITLE_FONT = Font(name="方正小标宋简体", size=16)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
NUMBER_FORMAT = "General"


def number_text(value: float | None) -> float | int | None:
    """A figure as a cell holds it: whole numbers without '.0'."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


@dataclass(frozen=True)
class _Col:
    header: str
    width: float
    align: Alignment = _LEFT


def _catalogue_columns(years: Sequence[int], target_years: Sequence[int]) -> list[_Col]:
    return [
        _Col("序号", 5, _CENTER),
        _Col("指标编号", 10, _CENTER),
        _Col("指标名称", 30),
        _Col("计量单位", 8, _CENTER),
        _Col("基期年份", 7, _CENTER),
        _Col("基期值", 9, _RIGHT),
        *(_Col(f"{year}年", 9, _RIGHT) for year in years),
        *(_Col(f"{year}年目标值", 9, _RIGHT) for year in target_years),
        _Col("指标方向", 7, _CENTER),
        _Col("目标区间", 9, _CENTER),
        _Col("责任单位", 16),
        _Col("数据来源", 16),
        _Col("更新频率", 7, _CENTER),
        _Col("SDG目标", 9, _CENTER),
        _Col("SDG具体目标", 10, _CENTER),
        _Col("关联举措", 20),
        _Col("关联项目", 16),
        _Col("指标解释", 36),
    ]


def _band_text(row: IndicatorRow) -> str:
    if row.direction != "band" or (row.band_low is None and row.band_high is None):
        return ""
    low = "" if row.band_low is None else str(number_text(row.band_low))
    high = "" if row.band_high is None else str(number_text(row.band_high))
    return f"{low}~{high}"


def _catalogue_cells(
    seq: int,
    row: IndicatorRow,
    annual: dict[int, float | None],
    years: Sequence[int],
    target_years: Sequence[int],
) -> list[object]:
    targets = dict(row.targets)
    return [
        seq,
        row.code,
        row.name,
        row.unit,
        row.baseline_year,
        number_text(row.baseline_value),
        *(number_text(annual.get(year)) for year in years),
        *(number_text(targets.get(year)) for year in target_years),
        DIRECTION_LABEL.get(row.direction, row.direction),
        _band_text(row),
        row.lead_unit,
        row.data_source,
        FREQUENCY_LABEL.get(row.frequency, row.frequency),
        "、".join(str(goal) for goal, _ in row.goals),
        "、".join(target for _, target in row.goals if target),
        "、".join(row.measures),
        "、".join(row.projects),
        row.definition,
    ]


def _sheet_title(name: str) -> str:
    """A worksheet name (31 characters, none of []:*?/\\)."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "", name).strip("'") or "指标"
    return cleaned[:31]


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` characters wide (a CJK
    character takes two)."""
    size = sum(2 if ord(c) > 0x2E80 else 1 for c in text)
    return max(1, math.ceil(size / max(width - 1, 1)))


def _draw(ws: Worksheet, title: str, note: str, cols: list[_Col], rows: list[list[object]]) -> None:
    last = get_column_letter(len(cols))
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    write_text(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = _TITLE_FONT
    ws.cell(TITLE_ROW, 1).alignment = _CENTER
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.merge_cells(f"A{NOTE_ROW}:{last}{NOTE_ROW}")
    write_text(ws.cell(NOTE_ROW, 1), note)
    ws.cell(NOTE_ROW, 1).alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[HEADER_ROW].height = 32  # two lines: 2025年目标值 wraps
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(HEADER_ROW, index)
        write_text(cell, col.header)
        cell.font, cell.fill, cell.alignment, cell.border = (
            _HEADER_FONT,
            _HEADER_FILL,
            _CENTER,
            _BORDER,
        )
        ws.column_dimensions[get_column_letter(index)].width = col.width
    # one styled cell per column, its style copied to the rest: openpyxl hashes a style
    # each time one is set, which costs more than writing the workbook
    styles = []
    for index, col in enumerate(cols, start=1):
        template = ws.cell(HEADER_ROW + 1, index)
        template.font, template.alignment, template.border = _BODY_FONT, col.align, _BORDER
        styles.append(template._style)
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        lines = 1
        for index, (col, value) in enumerate(zip(cols, values, strict=True), start=1):
            cell = ws.cell(r, index)
            cell._style = copy(styles[index - 1])
            put(cell, value)  # after the style: a formula-like text sets its quote prefix
            if isinstance(value, str) and col.align is _LEFT:
                lines = max(lines, _lines(value, col.width))
        if lines > 1:  # wrapped text needs the height: not every reader works it out
            ws.row_dimensions[r].height = 13.5 * min(lines, 12)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 4)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _annual_values(book: IndicatorBook) -> dict[tuple[str, str], dict[int, float | None]]:
    annual: dict[tuple[str, str], dict[int, float | None]] = {}
    frequency = {(s.name, i.code): i.frequency for s in book.systems for i in s.indicators}
    for v in book.values:
        if frequency.get((v.system, v.code)) == "annual" and v.period.month == 1:
            annual.setdefault((v.system, v.code), {})[v.period.year] = v.value
    return annual


def indicator_workbook(book: IndicatorBook) -> bytes:
    """The catalogue in the annual report's layout: a sheet per system, then 指标数值."""
    wb = Workbook()
    wb.remove(wb.active)
    annual = _annual_values(book)
    for system in book.systems:
        keys = [(system.name, i.code) for i in system.indicators]
        years = sorted({y for k in keys for y in annual.get(k, {})})
        target_years = sorted({y for i in system.indicators for y, _ in i.targets})
        cols = _catalogue_columns(years, target_years)
        rows = [
            _catalogue_cells(n, i, annual.get((system.name, i.code), {}), years, target_years)
            for n, i in enumerate(system.indicators, start=1)
        ]
        title = f"{system.name}指标（{len(system.indicators)}项）"
        note = str(msg("indicator_file.sheet_note", as_of=book.as_of, sheet=VALUES_SHEET))
        _draw(wb.create_sheet(_sheet_title(system.name)), title, note, cols, rows)
    frequency = {(s.name, i.code): i.frequency for s in book.systems for i in s.indicators}
    names = {(s.name, i.code): i.name for s in book.systems for i in s.indicators}
    value_cols = [
        _Col("指标体系", 14),
        _Col("指标编号", 10, _CENTER),
        _Col("指标名称", 30),
        _Col("期间", 12, _CENTER),
        _Col("数值", 10, _RIGHT),
        _Col("数据来源", 18),
        _Col("全省排名", 8, _CENTER),
        _Col("说明", 36),
    ]
    value_rows = [
        [
            v.system,
            v.code,
            names.get((v.system, v.code), ""),
            period_text(v.period, frequency.get((v.system, v.code), "annual")),
            number_text(v.value),
            v.source,
            v.province_rank,
            v.note,
        ]
        for v in book.values
    ]
    sheet = wb.create_sheet(VALUES_SHEET)
    _draw(sheet, f"{book.title}数值明细", book.as_of, value_cols, value_rows)
    wb.properties.title = book.title
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- reading


def parse_indicator_workbook(
    data: bytes, filename: str = "", *, max_bytes: int = 20 * 1024 * 1024
) -> ParsedIndicators:
    """Read an indicator workbook (.xlsx, .xls, .ods) into rows and located row errors.

    Raises ``ListFileError`` when the file as a whole is refused: hostile, not a
    workbook, unreadable, empty, or holding no sheet with an indicator header."""
    check_workbook_bytes(data, filename, limits=Limits(max_bytes=max_bytes))
    label = file_label(filename)
    result = ParsedIndicators()
    with _reading("list.unreadable", label=label):
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
        sheets = list(workbook.sheets_metadata)
    any_content = found = False
    for meta in sheets:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            result.warnings.append(msg("list.hidden_sheet", sheet=meta.name))
            continue
        with _reading("list.sheet_unreadable", label=label, sheet=meta.name):
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python()
            start = sheet.start or (0, 0)
            merges = sheet.merged_cell_ranges or []
        if not any(any(_filled(v) for v in row) for row in rows):
            continue
        any_content = True
        header = _find_header(rows)
        if header is None:
            result.warnings.append(msg("indicator_file.sheet_no_header", sheet=meta.name))
            continue
        found = True
        _SheetReader(meta.name, rows, start, merges, header, result).read()
    if not any_content:
        raise ListFileError("list.empty", label=label)
    if not found:
        raise ListFileError("indicator_file.no_header", label=label)
    _check_duplicates(result)
    return result


@contextmanager
def _reading(key: str, **params: object) -> Iterator[None]:
    """Any failure of the native reader (its errors, a Rust panic) refuses the file."""
    try:
        yield
    except CalamineError as exc:
        raise ListFileError(key, **params, why=msg("list.reader_broken")) from exc
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            raise ListFileError(key, **params, why=msg("list.reader_broken")) from exc
        raise


def _filled(value: object) -> bool:
    if type(value) is str:
        return bool(value) and not value.isspace()
    return value is not None


def _row_fields(row: Sequence[object]) -> set[IField]:
    found: set[IField] = set()
    for value in row:
        if isinstance(value, str) and value.strip() and len(value) <= 40:
            match = classify_indicator_header(value)
            if match is not None:
                found.add(match.field)
    return found


def _find_header(rows: Sequence[Sequence[object]]) -> int | None:
    """The row (among the first) naming 指标名称 (or, on a values sheet, 指标编号, 期间 and
    数值) and the most other fields."""
    best: tuple[int, int] | None = None
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = _row_fields(row)
        named = IField.NAME in fields and len(fields) >= 2
        values = {IField.CODE, IField.PERIOD, IField.VALUE} <= fields  # a values sheet by code
        if (named or values) and (best is None or len(fields) > best[0]):
            best = (len(fields), position)
    return None if best is None else best[1]


Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class _Column:
    index: int
    letter: str
    header: str  # as written (two levels joined by "/")
    match: Match


def _text(row: Sequence[object], index: int) -> str:
    value = row[index] if index < len(row) else None
    return clean_line(value)


class _SheetReader:
    """One sheet: its header's columns, then each row below it."""

    def __init__(
        self,
        name: str,
        rows: list[list[object]],
        start: tuple[int, int],
        merges: Sequence[Merge],
        header: int,
        result: ParsedIndicators,
    ) -> None:
        self.name, self.rows, self.result = name, rows, result
        self.row0, self.col0 = start
        self.merges = [
            ((r0 - self.row0, c0 - self.col0), (r1 - self.row0, c1 - self.col0))
            for (r0, c0), (r1, c1) in merges
        ]
        self.header = header
        self.first_data = header + 1
        self.columns: dict[IField, list[_Column]] = {}
        self.system = _system_of(name, rows[:header])

    # ------------------------------------------------------------------ header

    def letter(self, index: int) -> str:
        return get_column_letter(index + self.col0 + 1)

    def _headers(self) -> list[str]:
        top = self.rows[self.header]
        width = max(len(r) for r in self.rows)
        heads = [_text(top, i) for i in range(width)]
        below = self.rows[self.header + 1] if self.header + 1 < len(self.rows) else []
        if not self._is_sub_header(top, below):
            return heads
        self.first_data = self.header + 2
        parents = self._parents(heads, below, width)
        combined = []
        for i in range(width):
            sub = _text(below, i)
            parent = parents[i]
            combined.append(
                f"{parent}/{sub}" if parent and sub and parent != sub else sub or parent
            )
        return combined

    def _is_sub_header(self, top: Sequence[object], below: Sequence[object]) -> bool:
        name_index = next(
            (
                i
                for i, v in enumerate(top)
                if isinstance(v, str)
                and (m := classify_indicator_header(v))
                and m.field is IField.NAME
            ),
            None,
        )
        if name_index is not None and _text(below, name_index):
            return False  # an indicator's name sits under 指标名称: data
        cells = [clean_line(v) for v in below if _filled(v)]
        return bool(cells) and all(
            len(c) <= 12 and classify_indicator_header(c) is not None for c in cells
        )

    def _parents(self, heads: list[str], below: Sequence[object], width: int) -> list[str]:
        parents = list(heads)
        merged = False
        for (r0, c0), (r1, c1) in self.merges:
            if r0 <= self.header <= r1 and c1 > c0:
                merged = True
                for column in range(c0, min(c1 + 1, width)):
                    parents[column] = heads[c0]
        if not merged:  # a group runs right while its top cell is empty and the lower filled
            last = ""
            for column in range(width):
                if heads[column]:
                    last = heads[column]
                elif _text(below, column):
                    parents[column] = last
        return parents

    def _map_columns(self, headers: list[str]) -> None:
        for index, header in enumerate(headers):
            filled = self._values(index)
            if not header and not filled:
                continue
            match = _classify_combined(header) if header else None
            column = _Column(index, self.letter(index), header, match or Match(IField.COMPUTED))
            reason = self._unused_reason(match, filled)
            if reason is not None:
                if filled:
                    self._report(column, None, "dropped" if match else "unknown", reason)
                continue
            assert match is not None
            self.columns.setdefault(match.field, []).append(column)
            self._report(column, match.field.name, "header", None, match.year)

    def _unused_reason(self, match: Match | None, filled: list[object]) -> Message | None:
        if match is None:
            return msg("indicator_file.column_unknown")
        if match.field is IField.COMPUTED:
            return msg("indicator_file.column_computed")
        if match.field is IField.SEQ:
            return msg("indicator_file.column_seq")
        many = match.field in (IField.VALUE, IField.TARGET)
        existing = self.columns.get(match.field, [])
        same = [c for c in existing if c.match.year == match.year] if many else existing
        if same:
            return msg("column.duplicate", first=same[0].letter, field=match.field.value)
        return None

    def _values(self, index: int) -> list[object]:
        return [
            row[index]
            for row in self.rows[self.first_data :]
            if index < len(row) and _filled(row[index])
        ]

    def _report(
        self,
        column: _Column,
        name: str | None,
        how: str,
        reason: Message | None,
        year: int | None = None,
    ) -> None:
        self.result.columns.append(
            ColumnReport(
                sheet=self.name,
                letter=column.letter,
                header=column.header,
                samples=tuple(samples(self._values(column.index))),
                field=name,
                how=how,
                reason=reason,
                year=year,
            )
        )

    # ------------------------------------------------------------------ rows

    def read(self) -> None:
        self._map_columns(self._headers())
        if IField.PERIOD in self.columns:
            reader = _ValueSheet(self)
        elif IField.NAME in self.columns:
            reader = _CatalogueSheet(self)
        else:  # pragma: no cover - a header always has 指标名称
            return
        for position in range(self.first_data, len(self.rows)):
            row = self.rows[position]
            if any(_filled(v) for v in row) and not _is_note(row):
                reader.row(position + self.row0 + 1, row)

    def cell(self, row: Sequence[object], name: IField) -> tuple[object, _Column | None]:
        found = self.columns.get(name)
        if not found:
            return None, None
        column = found[0]
        return (row[column.index] if column.index < len(row) else None), column

    def error(self, number: int, column: _Column | None, message: Message) -> None:
        self.result.errors.append(
            RowError(
                sheet=self.name,
                row=number,
                column=column.letter if column else "",
                field=column.header if column else "",
                message=message,
            )
        )


def _classify_combined(header: str) -> Match | None:
    """A two-level header: 目标值/2025年 reads as a target for 2025, 实际值/2021年 as a value."""
    if "/" not in header:
        return classify_indicator_header(header)
    parent, _, sub = header.partition("/")
    joined = classify_indicator_header(parent + sub)
    if joined is not None and joined.year is not None:
        return joined
    return classify_indicator_header(sub) or joined or classify_indicator_header(parent)


_NOTE_ROW = re.compile(r"^(?:注|说明|备注|资料来源|数据来源|填表说明)\s*[0-9０-９]?\s*[:：]")


def _is_note(row: Sequence[object]) -> bool:
    filled = [v for v in row if _filled(v)]
    return (
        len(filled) == 1 and isinstance(filled[0], str) and bool(_NOTE_ROW.match(filled[0].strip()))
    )


_SYSTEM_TAIL = re.compile(r"(?:指标体系|体系|指标|情况|表)?\s*(?:[（(]\s*\d+\s*项\s*[）)])?\s*$")


def system_name(text: str) -> str:
    """创新能力监测指标（39项） -> 创新能力监测: the system's name from a title or sheet."""
    folded = " ".join(normalize_text(text).split())
    folded = re.sub(r"^(?:附件|附表|表)\s*\d*\s*[:：.、]?\s*", "", folded)
    name = _SYSTEM_TAIL.sub("", folded).strip()
    return name or folded


def system_key(text: str) -> str:
    """How two spellings of a system are matched: “SDGs 进展” and “SDGs进展指标” alike."""
    return "".join(system_name(text).split()).lower()


def _system_of(sheet: str, above: Sequence[Sequence[object]]) -> str:
    """The sheet's system: its name, else the title over the header (Sheet1 says nothing)."""
    if not re.fullmatch(r"(?i)sheet\d*|工作表\d*", sheet.strip()):
        return system_name(sheet)
    for row in above:
        texts = [clean_line(v) for v in row if _filled(v)]
        if len(texts) == 1:
            return system_name(texts[0])
    return system_name(sheet)


# ---------------------------------------------------------------------------- cell values

_NONE = {"", "-", "—", "——", "/", "－", "无", "暂无", "n/a", "na", "…"}
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$")


class CellProblem(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def read_number(value: object) -> float | None:
    """A figure: a number, or text such as 2.48, 1,234, 0.3%; blank or — is no value."""
    if isinstance(value, bool):
        raise CellProblem(msg("indicator_file.not_a_number", value=str(value)))
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellProblem(msg("indicator_file.not_a_number", value=str(value)))
        return float(value)
    text = "".join(normalize_text(clean_text(value)).split()).rstrip("%").lower()
    if text in _NONE:
        return None
    if _NUMBER.match(text):
        number = float(text.replace(",", ""))
        if math.isfinite(number) and abs(number) < 1e15:
            return number
    raise CellProblem(msg("indicator_file.not_a_number", value=clean_text(value)[:40]))


def read_year(value: object) -> int | None:
    text = "".join(normalize_text(clean_text(value)).split())
    if not text or text in _NONE:
        return None
    m = re.fullmatch(r"((?:19|20)\d{2})(?:\.0)?年?度?", text)
    if m is None:
        raise CellProblem(msg("indicator_file.not_a_year", value=text[:40]))
    return int(m[1])


def read_rank(value: object) -> int | None:
    text = "".join(normalize_text(clean_text(value)).split())
    if not text or text in _NONE:
        return None
    m = re.fullmatch(r"(?:第)?(\d{1,3})(?:\.0)?(?:位|名)?", text)
    if m is None or int(m[1]) < 1:
        raise CellProblem(msg("indicator_file.not_a_rank", value=text[:40]))
    return int(m[1])


_DIRECTIONS = (
    (re.compile(r"^(?:正向?|正向指标|越大越好|越高越好|增长|提高|↑|\+|higher|up)$"), "higher"),
    (re.compile(r"^(?:逆向?|负向?|逆向指标|越小越好|越低越好|下降|降低|↓|-|lower|down)$"), "lower"),
    (re.compile(r"^(?:区间|区间型|适度|适中|区间指标|band|range)$"), "band"),
)


def read_direction(value: object) -> str | None:
    text = "".join(normalize_text(clean_text(value)).split()).lower()
    if not text:
        return None
    for pattern, direction in _DIRECTIONS:
        if pattern.match(text):
            return direction
    raise CellProblem(msg("indicator_file.bad_direction", value=text[:40]))


_FREQUENCIES = (
    (re.compile(r"^(?:年|年度|每年|按年|一年一次|annual|yearly)$"), "annual"),
    (re.compile(r"^(?:季|季度|每季度?|按季度?|quarterly)$"), "quarterly"),
    (re.compile(r"^(?:月|月度|每月|按月|monthly)$"), "monthly"),
)


def read_frequency(value: object) -> str | None:
    text = "".join(normalize_text(clean_text(value)).split()).lower()
    if not text:
        return None
    for pattern, frequency in _FREQUENCIES:
        if pattern.match(text):
            return frequency
    raise CellProblem(msg("indicator_file.bad_frequency", value=text[:40]))


def read_band(value: object) -> tuple[float | None, float | None]:
    text = "".join(normalize_text(clean_text(value)).split()).replace("%", "")
    if not text or text in _NONE:
        return None, None
    parts = re.split(r"~|～|至|到|—|－|(?<=\d)-", text)
    if len(parts) != 2:
        raise CellProblem(msg("indicator_file.bad_band", value=text[:40]))
    low, high = (read_number(p) if p else None for p in parts)
    if low is None and high is None or (low is not None and high is not None and low > high):
        raise CellProblem(msg("indicator_file.bad_band", value=text[:40]))
    return low, high


def split_list(value: object) -> tuple[str, ...]:
    text = normalize_text(clean_text(value))
    parts = re.split(r"[、,，;；\n\r]+", text)
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


_GOAL = re.compile(r"^(?:sdgs?|目标)?\s*(\d{1,2})$", re.IGNORECASE)
_SDG_TARGET = re.compile(r"^(?:sdgs?)?\s*(\d{1,2})\.([0-9a-z]{1,2})$", re.IGNORECASE)


def read_goals(goals: object, targets: object) -> tuple[tuple[int, str], ...]:
    """SDG goals (3、6 / SDG3, SDG6) and targets (3.9、6.3): (goal, its target) by goal."""
    found: dict[int, list[str]] = {}
    for part in split_list(goals):
        m = _GOAL.match(part.replace(" ", ""))
        if m is None or not 1 <= int(m[1]) <= 17:
            raise CellProblem(msg("indicator_file.bad_goal", value=part[:40]))
        found.setdefault(int(m[1]), [])
    for part in split_list(targets):
        m = _SDG_TARGET.match(part.replace(" ", ""))
        if m is None or not 1 <= int(m[1]) <= 17:
            raise CellProblem(msg("indicator_file.bad_sdg_target", value=part[:40]))
        found.setdefault(int(m[1]), []).append(f"{int(m[1])}.{m[2].lower()}")
    return tuple((goal, "、".join(found[goal])[:20]) for goal in sorted(found))


# ---------------------------------------------------------------------------- the two sheets

_TEXT_LIMITS = {
    IField.CODE: 40,
    IField.NAME: 200,
    IField.UNIT: 40,
    IField.DEFINITION: 2000,
    IField.LEAD_UNIT: 100,
    IField.SOURCE: 200,
    IField.NOTE: 2000,
    IField.SYSTEM: 100,
}


Problems = list[tuple["_Column | None", Message]]


class _RowReader:
    def __init__(self, sheet: _SheetReader) -> None:
        self.sheet = sheet

    def text(self, row: Sequence[object], name: IField, number: int, problems: Problems) -> str:
        value, column = self.sheet.cell(row, name)
        text = clean_text(value) if name in (IField.DEFINITION, IField.NOTE) else clean_line(value)
        limit = _TEXT_LIMITS.get(name, 200)
        if len(text) > limit:
            problems.append((column, msg("indicator_file.too_long", limit=limit)))
            return text[:limit]
        if any(ord(c) < 32 and c not in "\n\t" for c in text):
            problems.append((column, msg("indicator_file.control_characters")))
        return text

    def read(
        self,
        row: Sequence[object],
        name: IField,
        reader: Callable[[object], Any],
        problems: Problems,
        default: Any = None,
    ) -> Any:
        value, column = self.sheet.cell(row, name)
        if column is None:
            return default
        try:
            found = reader(value)
        except CellProblem as problem:
            problems.append((column, problem.message))
            return default
        return default if found is None else found

    def system(self, row: Sequence[object], number: int, problems: Problems) -> str:
        text = self.text(row, IField.SYSTEM, number, problems)
        return system_name(text) if text else self.sheet.system

    def flush(self, number: int, problems: Problems) -> bool:
        for column, message in problems:
            self.sheet.error(number, column, message)
        return not problems


class _CatalogueSheet(_RowReader):
    """A sheet of the catalogue: one indicator a row, its yearly values beside it."""

    def row(self, number: int, row: Sequence[object]) -> None:
        problems: Problems = []
        name = self.text(row, IField.NAME, number, problems)
        code = self.text(row, IField.CODE, number, problems)
        if not name:
            if not code:
                return  # a subtotal or a section line (一、创新投入)
            problems.append((self.sheet.columns[IField.NAME][0], msg("indicator_file.no_name")))
        if IField.CODE in self.sheet.columns and not code and name:
            problems.append((self.sheet.columns[IField.CODE][0], msg("indicator_file.no_code")))
        values = self._values(row, problems)
        indicator = self._indicator(row, number, name, code or name, problems)
        if not self.flush(number, problems):
            return
        self.sheet.result.indicators.append(indicator)
        self._yearly(indicator, values, number)

    def _indicator(
        self, row: Sequence[object], number: int, name: str, code: str, problems: Problems
    ) -> IndicatorRow:
        direction = self.read(row, IField.DIRECTION, read_direction, problems, "higher")
        band = self.read(row, IField.BAND, read_band, problems, (None, None))
        if band != (None, None) and direction != "band":
            direction = "band" if IField.DIRECTION not in self.sheet.columns else direction
        targets = self._targets(row, problems)
        goals_value, _ = self.sheet.cell(row, IField.GOALS)
        targets_value, goal_column = self.sheet.cell(row, IField.SDG_TARGETS)
        try:
            goals = read_goals(goals_value, targets_value)
        except CellProblem as problem:
            column = goal_column or self.sheet.columns.get(IField.GOALS, [None])[0]
            problems.append((column, problem.message))
            goals = ()
        measures_value, _ = self.sheet.cell(row, IField.MEASURES)
        projects_value, _ = self.sheet.cell(row, IField.PROJECTS)
        return IndicatorRow(
            system=self.system(row, number, problems),
            code=code,
            name=name,
            unit=self.text(row, IField.UNIT, number, problems),
            definition=self.text(row, IField.DEFINITION, number, problems),
            direction=direction,
            band_low=band[0],
            band_high=band[1],
            baseline_year=self._baseline_year(row, problems),
            baseline_value=self.read(row, IField.BASELINE, read_number, problems),
            targets=targets,
            lead_unit=self.text(row, IField.LEAD_UNIT, number, problems),
            data_source=self.text(row, IField.SOURCE, number, problems),
            frequency=self.read(row, IField.FREQUENCY, read_frequency, problems, "annual"),
            goals=goals,
            measures=split_list(measures_value),
            projects=split_list(projects_value),
            sheet=self.sheet.name,
            row=number,
            present=frozenset(f.name for f in self.sheet.columns),
        )

    def _baseline_year(self, row: Sequence[object], problems: Problems) -> int | None:
        year = self.read(row, IField.BASELINE_YEAR, read_year, problems)
        if year is None and IField.BASELINE in self.sheet.columns:
            return self.sheet.columns[IField.BASELINE][0].match.year
        return year

    def _targets(self, row: Sequence[object], problems: Problems) -> tuple[tuple[int, float], ...]:
        found: dict[int, float] = {}
        for column in self.sheet.columns.get(IField.TARGET, []):
            value = row[column.index] if column.index < len(row) else None
            try:
                number = read_number(value)
            except CellProblem as problem:
                problems.append((column, problem.message))
                continue
            if number is not None and column.match.year is not None:
                found[column.match.year] = number
        return tuple(sorted(found.items()))

    def _values(
        self, row: Sequence[object], problems: Problems
    ) -> list[tuple[_Column, int, float | None]]:
        found = []
        for column in self.sheet.columns.get(IField.VALUE, []):
            if column.match.year is None:
                problems.append((column, msg("indicator_file.value_without_year")))
                continue
            value = row[column.index] if column.index < len(row) else None
            try:
                found.append((column, column.match.year, read_number(value)))
            except CellProblem as problem:
                problems.append((column, problem.message))
        return found

    def _yearly(self, indicator: IndicatorRow, values: list, number: int) -> None:
        for column, year, value in values:
            if value is None:
                continue
            if indicator.frequency != "annual":
                self.sheet.error(number, column, msg("indicator_file.year_column_not_annual"))
                continue
            self.sheet.result.values.append(
                ValueRow(
                    system=indicator.system,
                    code=indicator.code,
                    period=date(year, 1, 1),
                    value=value,
                    sheet=self.sheet.name,
                    row=number,
                    column=column.letter,
                    kind="annual",
                )
            )


class _ValueSheet(_RowReader):
    """The values sheet (指标数值): one value a row, named by system and code (or name)."""

    def system(self, row: Sequence[object], number: int, problems: Problems) -> str:
        """Named by its 体系 column; without one the service finds the code in any system."""
        text = self.text(row, IField.SYSTEM, number, problems)
        return system_name(text) if text else ""

    def row(self, number: int, row: Sequence[object]) -> None:
        problems: Problems = []
        code = self.text(row, IField.CODE, number, problems)
        name = self.text(row, IField.NAME, number, problems)
        period_value, period_column = self.sheet.cell(row, IField.PERIOD)
        period = parse_period_text(period_value)
        if period is None:
            problems.append(
                (
                    period_column,
                    msg("indicator_file.bad_period", value=clean_text(period_value)[:40]),
                )
            )
        if not code and not name:
            problems.append((None, msg("indicator_file.value_without_indicator")))
        value = self.read(row, IField.VALUE, read_number, problems)
        value_row = ValueRow(
            system=self.system(row, number, problems),
            code=code or name,
            period=period[0] if period else date(1900, 1, 1),
            value=value,
            source=self.text(row, IField.SOURCE, number, problems),
            note=self.text(row, IField.NOTE, number, problems),
            province_rank=self.read(row, IField.RANK, read_rank, problems),
            sheet=self.sheet.name,
            row=number,
            column=self.sheet.columns[IField.VALUE][0].letter
            if IField.VALUE in self.sheet.columns
            else "",
            detailed=True,
            kind=period[1] if period else "",
        )
        if not self.flush(number, problems):
            return
        if value_row.value is None and not (value_row.source or value_row.note):
            return  # a period listed with no figure (— or blank): nothing to store
        self.sheet.result.values.append(value_row)


def _check_duplicates(result: ParsedIndicators) -> None:
    """The same indicator twice; the same period's value twice with different figures."""
    seen: dict[tuple[str, str], IndicatorRow] = {}
    for row in result.indicators:
        key = (system_key(row.system), row.code)
        if key in seen:
            first = seen[key]
            result.errors.append(
                RowError(
                    row.sheet,
                    row.row,
                    "",
                    "",
                    msg(
                        "indicator_file.duplicate", code=row.code, sheet=first.sheet, row=first.row
                    ),
                )
            )
        else:
            seen[key] = row
    values: dict[tuple[str, str, date], int] = {}  # -> position in ``merged``
    merged: list[ValueRow] = []
    for value in result.values:
        key = (system_key(value.system), value.code, value.period)
        position = values.get(key)
        if position is None:
            values[key] = len(merged)
            merged.append(value)
            continue
        first_value = merged[position]
        if first_value.value != value.value:
            result.errors.append(
                RowError(
                    value.sheet,
                    value.row,
                    value.column,
                    "",
                    msg(
                        "indicator_file.value_conflict",
                        sheet=first_value.sheet,
                        row=first_value.row,
                    ),
                )
            )
        elif value.detailed:
            merged[position] = value  # the values sheet's row carries more
    result.values = merged
