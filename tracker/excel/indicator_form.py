"""The offline indicator values form (指标数据填报表): a responsible unit's indicators and the
periods it owes, prefilled with what is already entered, filled in Excel and read back. No
database here: the service builds ``IndicatorForm`` and applies ``ParsedIndicatorForm``.

It follows the monthly report form (``tracker.excel.report_form``): a hidden sheet carries the
marker, the unit and the day the form was made; each row carries the value's version when the
form was made, so an upload over a value changed since then is refused rather than applied;
an upload passes the one upload guard (``safety.guard_upload``) before openpyxl sees a byte.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.domain.indicator_cycle import read_period
from tracker.domain.inputs import (
    Reading,
    TextRule,
    ValueRefused,
    check_text,
    parse_id,
    read_number,
    shown,
)
from tracker.domain.messages import KeyedError, Message, msg
from tracker.excel.cells import put, write_text
from tracker.excel.forms import cell_text, finish, open_form, print_landscape
from tracker.excel.rows import RowError
from tracker.excel.safety import DEFAULT_MAX_BYTES, FORM_LIMITS

SHEET = "指标数据填报表"
META_SHEET = "_meta"
MARKER = "tracker-indicator-form-v1"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
MAX_ROWS = 5000
VALUE_LIMIT = Decimal("1e12")  # larger than any figure an indicator reports (亿元, 人, %)
VALUE_PLACES = 4  # decimals a value may carry

LIMITS = replace(FORM_LIMITS, kind_hint=msg("indicator_form.hint"))


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool
    kind: str = "text"  # text | number | int


COLUMNS: tuple[Column, ...] = (
    Column("system", "指标体系", 14, False),
    Column("code", "指标编号", 10, False),
    Column("name", "指标名称", 30, False),
    Column("unit", "计量单位", 9, False),
    Column("period", "统计期", 9, False),
    Column("due_on", "截止日期", 11, False),
    Column("target", "目标值", 10, False, "number"),
    Column("previous", "上期值", 10, False, "number"),
    Column("value", "本期值", 11, True, "number"),
    Column("source", "数据来源", 22, True),
    Column("note", "说明", 24, True),
    Column("reason", "修订原因", 20, True),
    Column("status", "状态", 8, False),
    Column("version", "版本（勿改）", 7, False, "int"),
)
LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
HEADER = {c.key: c.header for c in COLUMNS}
STATUS_LABELS = {
    "new": "未填报",
    "draft": "草稿",
    "submitted": "待审核",
    "returned": "已退回",
    "accepted": "已采纳",
}
SOURCE_RULE = TextRule(msg("indicator_form.col.source"), 200, multiline=False)
NOTE_RULE = TextRule(msg("indicator_form.col.note"), 2000)
REASON_RULE = TextRule(msg("indicator_form.col.reason"), 500)
TEXT_RULES = {"source": SOURCE_RULE, "note": NOTE_RULE, "reason": REASON_RULE}


@dataclass(frozen=True, kw_only=True)
class IndicatorFormRow:
    """One (indicator, period) of the form: what it is, and what is already entered."""

    system: str
    code: str
    name: str
    unit: str
    period: str  # the period's key (``domain.indicators.period_key``): 2025 | 2025Q3 | 2025-07
    due_on: date | None
    target: Decimal | None = None
    previous: Decimal | None = None
    value: Decimal | None = None
    source: str = ""
    note: str = ""
    version: int = 0  # 0: no value yet
    status: str = "new"  # new | draft | submitted | returned | accepted


@dataclass(frozen=True)
class IndicatorForm:
    unit: str  # the responsible unit whose indicators these are; "全部" for the office
    made_on: date
    rows: list[IndicatorFormRow]


@dataclass(frozen=True, kw_only=True)
class FilledIndicatorRow:
    """A row read back: the value as typed, its source, note and revision reason."""

    system: str  # the system's name as the form wrote it (codes are unique per system)
    code: str
    frequency: str  # annual | quarterly | monthly, as the period key says
    period: date  # the period's first day
    value: Decimal
    source: str = ""
    note: str = ""
    reason: str = ""
    version: int = 0
    sheet: str = SHEET
    row: int = 0


@dataclass
class ParsedIndicatorForm:
    unit: str
    made_on: date | None
    rows: list[FilledIndicatorRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0  # rows whose 本期值 was left blank (not reported in this upload)
    notes: list[RowError] = field(default_factory=list)  # values read after normalising


class IndicatorFormFileError(KeyedError):
    """The file as a whole is not an indicator form of this system (a catalogue message)."""


def error(row: int, key: str, message: Message | str) -> RowError:
    """A row's error at the column of ``key`` (sheet, row, column letter and header)."""
    return RowError(SHEET, row, LETTER.get(key, ""), HEADER.get(key, ""), message)


# --- writing ---------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")


def _cell_value(row: IndicatorFormRow, column: Column) -> object:
    value = getattr(row, column.key, None)
    if column.key == "status":
        return STATUS_LABELS.get(row.status, row.status)
    if column.key == "due_on":
        return f"{value:%Y-%m-%d}" if value else ""
    return value


def indicator_form_workbook(form: IndicatorForm) -> bytes:
    """The prefilled form as .xlsx bytes: grey columns are for reference, white ones to fill."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last_col = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last_col}1")
    write_text(ws["A1"], f"{form.unit}监测指标数据填报表（{form.made_on:%Y年%m月%d日}）")
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last_col}2")
    write_text(
        ws["A2"],
        "白色列填写，灰色列勿改。本期值留空的行视为本次未填报；已采纳的数据如需修改，请填写修订原因。"
        "数值请按计量单位填写纯数字（百分比填数字，如 2.5 表示 2.5%）。",
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 30
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index)
        write_text(cell, column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 30
    for r, row in enumerate(form.rows, start=FIRST_ROW):
        for index, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=index)
            value = _cell_value(row, column)
            if column.kind in {"number", "int"} and value is not None:
                put(cell, float(value) if isinstance(value, Decimal) else value)
            else:
                write_text(cell, value)  # user text forced to text (never a formula)
            cell.border = BORDER
            cell.fill = INPUT_FILL if column.editable else LOCKED_FILL
            cell.alignment = Alignment(wrap_text=column.kind == "text", vertical="top")
    last_row = max(FIRST_ROW, FIRST_ROW + len(form.rows) - 1)
    number = DataValidation(
        type="decimal", operator="between", formula1="-999999999999", formula2="999999999999"
    )
    number.error, number.errorTitle = "本期值应为数字（按计量单位填写）", "本期值"
    number.add(f"{LETTER['value']}{FIRST_ROW}:{LETTER['value']}{last_row}")
    ws.add_data_validation(number)
    print_landscape(ws, header_row=HEADER_ROW, freeze=f"D{FIRST_ROW}")
    return finish(wb, META_SHEET, (MARKER, form.made_on.isoformat(), form.unit))


# --- reading ---------------------------------------------------------------------------------


def read_value(raw: object, *, label: Message | str) -> Reading[Decimal]:
    """An indicator's value: blank is ``Reading(None)``; a plain number (negative allowed: a
    growth rate may fall), at most four decimals and below 10¹² in size; text may end in %.
    Full-width digits and thousands separators are read and noted."""
    if raw is None:
        return Reading(None)
    remark = None
    if isinstance(raw, str):
        reading = read_number(raw, label=label, suffixes=("%", "％"))
        if reading.value is None:
            return reading
        number, remark = reading.value, reading.remark
    elif isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise ValueRefused("value.not_number", label=label, value=shown(raw))
    else:
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ValueRefused("value.not_finite", label=label, value=shown(raw))
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if isinstance(raw, float) and abs(raw) < 1e12:
            number = number.quantize(Decimal(1).scaleb(-VALUE_PLACES - 2)).normalize()
    if not number.is_finite():
        raise ValueRefused("value.not_finite", label=label, value=shown(raw))
    if abs(number) >= VALUE_LIMIT:
        raise ValueRefused("indicator_form.value_too_large", label=label, value=shown(raw))
    try:
        exact = number.quantize(Decimal(1).scaleb(-VALUE_PLACES))
    except InvalidOperation:  # pragma: no cover - bounded above
        raise ValueRefused("value.not_number", label=label, value=shown(raw)) from None
    if exact != number:
        raise ValueRefused(
            "indicator_form.too_many_places", label=label, value=shown(raw), places=VALUE_PLACES
        )
    return Reading(exact.normalize() + 0, remark)


def parse_indicator_form(
    data: bytes, filename: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedIndicatorForm:
    """Read a filled form back into rows and row errors. Never raises for a row; raises
    ``IndicatorFormFileError`` when the file is hostile, unreadable or not such a form."""
    wb = _open(data, filename, max_bytes)
    meta = wb[META_SHEET]
    try:
        made_on = date.fromisoformat(cell_text(meta["A2"].value))
    except ValueError as exc:
        raise IndicatorFormFileError("indicator_form.damaged") from exc
    ws = wb[SHEET]
    width = max(ws.max_column, len(COLUMNS))
    headers = [cell_text(ws.cell(row=HEADER_ROW, column=i).value) for i in range(1, width + 1)]
    expected = [c.header for c in COLUMNS]
    if headers[: len(COLUMNS)] != expected or any(headers[len(COLUMNS) :]):
        raise IndicatorFormFileError("indicator_form.headers_changed")
    if ws.max_row - HEADER_ROW > MAX_ROWS:
        raise IndicatorFormFileError("indicator_form.too_many_rows", limit=MAX_ROWS)
    parsed = ParsedIndicatorForm(unit=cell_text(meta["A3"].value), made_on=made_on)
    seen: dict[tuple[str, str, date], int] = {}
    for r, cells in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=width, values_only=True), start=FIRST_ROW
    ):
        raw = {c.key: cells[i] if i < len(cells) else None for i, c in enumerate(COLUMNS)}
        extra = [(i, v) for i, v in enumerate(cells[len(COLUMNS) :]) if cell_text(v)]
        for i, v in extra:  # nothing typed is dropped silently
            letter = get_column_letter(len(COLUMNS) + i + 1)
            cell = msg("indicator_form.extra_cell", value=shown(cell_text(v)))
            parsed.errors.append(RowError(SHEET, r, letter, "", cell))
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        key = _row_key(parsed, r, raw, seen)
        if key is not None:
            seen[key] = r
            _read_row(parsed, r, key, raw)
    return parsed


def _row_key(
    parsed: ParsedIndicatorForm,
    r: int,
    raw: dict[str, object],
    seen: dict[tuple[str, str, date], int],
) -> tuple[str, str, date] | None:
    """The row's (code, frequency, period), or None with the row's error recorded."""
    code = cell_text(raw["code"])
    if not code:
        parsed.errors.append(error(r, "code", msg("indicator_form.missing_code")))
        return None
    text = cell_text(raw["period"])
    found = read_period(text)
    if found is None:
        parsed.errors.append(
            error(r, "period", msg("indicator_form.bad_period", value=shown(text)))
        )
        return None
    key = (code, found[0].value, found[1])
    if key in seen:
        parsed.errors.append(
            error(
                r, "code", msg("indicator_form.duplicate", code=code, period=text, first=seen[key])
            )
        )
        return None
    return key


def _open(data: bytes, filename: str, max_bytes: int):
    """The workbook, once it passed the upload guard and proved to be one of our forms."""
    return open_form(
        data,
        filename,
        limits=replace(LIMITS, max_bytes=max_bytes),
        sheet=SHEET,
        meta_sheet=META_SHEET,
        marker=MARKER,
        refuse=IndicatorFormFileError,
        keys="indicator_form",
    )


def _read_row(
    parsed: ParsedIndicatorForm, r: int, key: tuple[str, str, date], raw: dict[str, object]
) -> None:
    """One row: a ``FilledIndicatorRow``, its errors, or skipped when 本期值 is blank."""
    row_errors: list[RowError] = []
    value: Decimal | None = None
    try:
        reading = read_value(raw["value"], label=msg("indicator_form.col.value"))
        value = reading.value
        if reading.remark is not None:
            parsed.notes.append(error(r, "value", reading.remark))
    except ValueRefused as refusal:
        row_errors.append(error(r, "value", refusal.message))
    texts: dict[str, str] = {}
    for name, rule in TEXT_RULES.items():
        try:
            texts[name] = check_text(cell_text(raw[name]), rule)
        except ValueRefused as refusal:
            row_errors.append(error(r, name, refusal.message))
    version = parse_id(raw["version"]) if raw["version"] not in (None, "") else 0
    if version is None:
        row_errors.append(error(r, "version", msg("indicator_form.version_changed")))
    if row_errors:
        parsed.errors.extend(row_errors)
        return
    if value is None:
        # a note or a reason typed without the value is not silently lost (the source may be
        # the catalogue's, prefilled on every row)
        if texts.get("note") or texts.get("reason"):
            parsed.errors.append(error(r, "value", msg("indicator_form.value_missing")))
        else:
            parsed.skipped += 1
        return
    parsed.rows.append(
        FilledIndicatorRow(
            system=cell_text(raw["system"]),
            code=key[0],
            frequency=key[1],
            period=key[2],
            value=value,
            version=version or 0,
            row=r,
            **texts,
        )
    )
