"""The offline monthly report form (月度调度表): a county's (or unit's) projects prefilled from
last month, filled in Excel by the lead, and read back. No database here: the service builds
``ReportForm`` and applies ``ParsedForm``.

A hidden sheet carries the month and each row carries the report's version when the form
was made, so an upload over a report changed since then is refused rather than applied.
An upload passes the one upload guard (``safety.guard_upload`` with ``FORM_LIMITS``) before
openpyxl sees a byte of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.domain.inputs import ValueRefused, check_text, parse_amount, parse_id, parse_percent
from tracker.domain.messages import KeyedError, Message, msg
from tracker.domain.reports import TEXT_FIELDS, ReportValues, field_label, refusal_note
from tracker.excel.cells import put, write_text
from tracker.excel.forms import cell_text, finish, open_form, print_landscape
from tracker.excel.rows import RowError
from tracker.excel.safety import DEFAULT_MAX_BYTES, FORM_LIMITS

SHEET = "月度调度表"
META_SHEET = "_meta"
MARKER = "tracker-report-form-v1"
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
MAX_ROWS = 2000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    editable: bool
    kind: str = "text"  # text | money | pct | int


COLUMNS: tuple[Column, ...] = (
    Column("code", "项目编号", 12, False),
    Column("name", "项目名称", 30, False),
    Column("county", "县（区）", 9, False),
    Column("lead_unit", "牵头单位", 16, False),
    Column("last_ytd", "上月年度累计（万元）", 12, False, "money"),
    Column("last_total", "上月开工以来累计（万元）", 13, False, "money"),
    Column("completed_month", "本月完成投资（万元）", 12, True, "money"),
    Column("completed_ytd", "年度累计完成投资（万元）", 13, True, "money"),
    Column("completed_total", "开工以来累计完成投资（万元）", 14, True, "money"),
    Column("progress_pct", "形象进度（%）", 9, True, "pct"),
    Column("progress_text", "形象进度说明", 28, True),
    Column("milestone_status", "节点完成情况", 24, True),
    Column("problems", "存在问题", 26, True),
    Column("next_steps", "下步工作计划", 24, True),
    Column("coordination", "需协调解决事项", 24, True),
    Column("reporter", "填报人", 9, True),
    Column("status", "状态", 8, False),
    Column("version", "版本（勿改）", 7, False, "int"),
)
LETTER = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
HEADER = {c.key: c.header for c in COLUMNS}

STATUS_LABELS = {"new": "未填报", "draft": "草稿", "submitted": "已报送", "returned": "已退回"}


@dataclass(frozen=True, kw_only=True)
class FormRow(ReportValues):
    """One project in the form: what it carries from last month and what is already entered
    (its report's values; blank where nothing is)."""

    code: str
    name: str
    county: str
    lead_unit: str
    last_ytd: Decimal
    last_total: Decimal
    version: int  # 0: no report yet
    status: str = "new"  # new | draft | submitted | returned


@dataclass(frozen=True)
class ReportForm:
    period: date  # first day of the month reported on
    scope: str  # the county or unit whose projects these are; "全部" for the office
    due_on: date
    rows: list[FormRow]


@dataclass(frozen=True, kw_only=True)
class FilledRow(ReportValues):
    """A row read back: the month's figures as typed (``None`` where left blank)."""

    code: str
    version: int
    sheet: str = SHEET
    row: int = 0


@dataclass
class ParsedForm:
    period: date | None
    scope: str
    rows: list[FilledRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0  # rows whose 本月完成投资 was left blank (not reported in this upload)
    notes: list[RowError] = field(default_factory=list)  # values read after normalising


class FormFileError(KeyedError):
    """The file as a whole is not a report form of this system (a catalogue message)."""


def error(row: int, key: str, message: Message | str) -> RowError:
    """A row's error; ``message`` is a catalogue ``Message`` (rendered in the reader's
    language by the page; ``str()`` is the Chinese text)."""
    return RowError(SHEET, row, LETTER.get(key, ""), HEADER.get(key, ""), message)  # type: ignore[arg-type]


# --- writing ---------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")


def report_form_workbook(form: ReportForm) -> bytes:
    """The prefilled form as .xlsx bytes: grey columns are for reference, white ones to fill."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last_col = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last_col}1")
    write_text(
        ws["A1"], f"{form.scope}重大项目月度调度表（{form.period.year}年{form.period.month}月）"
    )
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last_col}2")
    write_text(
        ws["A2"],
        f"请于{form.due_on:%Y年%m月%d日}前填报。金额单位：万元。白色列填写，灰色列勿改；"
        "本月完成投资留空的项目视为本次未填报；年度累计、开工以来累计留空则按上月累计加本月自动计算。",
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
    ws.row_dimensions[HEADER_ROW].height = 42
    for r, row in enumerate(form.rows, start=FIRST_ROW):
        values = {
            **{column.key: getattr(row, column.key) for column in COLUMNS},
            "status": STATUS_LABELS.get(row.status, row.status),
        }
        for index, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=index)
            value = values[column.key]
            if column.kind == "money" and value is not None:
                put(cell, float(value))
                cell.number_format = "#,##0.00"
            elif column.kind in {"pct", "int"} and value is not None:
                put(cell, value)
            else:
                write_text(cell, value)
            cell.border = BORDER
            cell.fill = INPUT_FILL if column.editable else LOCKED_FILL
            cell.alignment = Alignment(wrap_text=column.kind == "text", vertical="top")
    last_row = max(FIRST_ROW, FIRST_ROW + len(form.rows) - 1)
    money = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    money.error, money.errorTitle = "金额应为不小于 0 的数字（万元）", "金额"
    pct = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    pct.error, pct.errorTitle = "形象进度应在 0 到 100 之间", "形象进度"
    for key in ("completed_month", "completed_ytd", "completed_total"):
        money.add(f"{LETTER[key]}{FIRST_ROW}:{LETTER[key]}{last_row}")
    pct.add(f"{LETTER['progress_pct']}{FIRST_ROW}:{LETTER['progress_pct']}{last_row}")
    ws.add_data_validation(money)
    ws.add_data_validation(pct)
    print_landscape(ws, header_row=HEADER_ROW, freeze=f"C{FIRST_ROW}")
    return finish(wb, META_SHEET, (MARKER, form.period.isoformat(), form.scope))


# --- reading ---------------------------------------------------------------------------------


def _decimal(value: object, label: Message, notes: list[str] | None = None) -> Decimal | None:
    """An amount in 万元 through the input value rules (tracker.domain.inputs): None when
    blank; ``ValueRefused`` (a ValueError) with the reason when not a plain number, not
    finite, negative, above the ceiling or with more than two decimals. What was normalised
    (full-width digits, thousands separators) is appended to ``notes``."""
    reading = parse_amount(value, label=label)
    if reading.note and notes is not None:
        notes.append(reading.note)
    return reading.value


def _percent(value: object, notes: list[str] | None = None) -> float | None:
    """形象进度 0–100 (a trailing % is fine), through the input value rules."""
    reading = parse_percent(value, label=field_label("progress_pct"))
    if reading.note and notes is not None:
        notes.append(reading.note)
    return reading.value


TEXT_RULES = {name: f"report.{name}" for name in TEXT_FIELDS}


def parse_report_form(
    data: bytes, filename: str = "", *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedForm:
    """Read a filled form back into rows and row errors. Never raises for a row; raises
    ``FormFileError`` when the file is hostile, unreadable or not such a form at all."""
    wb = _open(data, filename, max_bytes)
    meta = wb[META_SHEET]
    try:
        period = date.fromisoformat(cell_text(meta["A2"].value))
    except ValueError as exc:
        raise FormFileError("report.form.bad_month") from exc
    ws = wb[SHEET]
    headers = [
        cell_text(ws.cell(row=HEADER_ROW, column=i).value) for i in range(1, len(COLUMNS) + 1)
    ]
    if headers != [c.header for c in COLUMNS]:
        raise FormFileError("report.form.headers_changed")
    parsed = ParsedForm(period=period, scope=cell_text(meta["A3"].value))
    if ws.max_row - HEADER_ROW > MAX_ROWS:
        raise FormFileError("report.form.too_many_rows", limit=MAX_ROWS)
    seen: dict[str, int] = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        raw = {c.key: ws.cell(row=r, column=i).value for i, c in enumerate(COLUMNS, start=1)}
        code = cell_text(raw["code"])
        if not code and all(cell_text(v) == "" for v in raw.values()):
            continue
        if not code or code in seen:
            why = (
                msg("report.form.duplicate_code", code=code, first=seen[code])
                if code
                else msg("report.form.missing_code")
            )
            parsed.errors.append(error(r, "code", why))
            continue
        seen[code] = r
        _read_row(parsed, r, code, raw)
    return parsed


def _open(data: bytes, filename: str, max_bytes: int):
    """The workbook, once it passed the upload guard and proved to be one of our forms."""
    return open_form(
        data,
        filename,
        limits=replace(FORM_LIMITS, max_bytes=max_bytes),
        sheet=SHEET,
        meta_sheet=META_SHEET,
        marker=MARKER,
        refuse=FormFileError,
        keys="report.form",
    )


def _read_row(parsed: ParsedForm, r: int, code: str, raw: dict[str, object]) -> None:
    """One project's row: a ``FilledRow``, its errors, or skipped when 本月 is blank."""
    numbers: dict[str, Decimal | float | None] = {}
    row_errors: list[RowError] = []
    row_notes: list[str] = []
    for key in ("completed_month", "completed_ytd", "completed_total"):
        try:
            numbers[key] = _decimal(raw[key], field_label(key), row_notes)
        except ValueRefused as refusal:
            row_errors.append(error(r, key, refusal_note(refusal)))
    try:
        numbers["progress_pct"] = _percent(raw["progress_pct"], row_notes)
    except ValueRefused as refusal:
        row_errors.append(error(r, "progress_pct", refusal_note(refusal)))
    texts: dict[str, str] = {}
    for key, rule in TEXT_RULES.items():
        try:
            texts[key] = check_text(cell_text(raw[key]), rule)
        except ValueRefused as refusal:
            row_errors.append(error(r, key, refusal_note(refusal)))
    version = parse_id(raw["version"]) if raw["version"] not in (None, "") else 0
    if version is None:
        row_errors.append(error(r, "version", msg("report.form.version_changed")))
        version = -1
    parsed.notes.extend(error(r, "", note) for note in row_notes)
    if row_errors:
        parsed.errors.extend(row_errors)
        return
    if numbers.get("completed_month") is None:
        parsed.skipped += 1
        return
    parsed.rows.append(
        FilledRow(
            code=code,
            version=version,
            completed_month=numbers["completed_month"],  # type: ignore[arg-type]
            completed_ytd=numbers.get("completed_ytd"),  # type: ignore[arg-type]
            completed_total=numbers.get("completed_total"),  # type: ignore[arg-type]
            progress_pct=numbers.get("progress_pct"),  # type: ignore[arg-type]
            **texts,
            row=r,
        )
    )
