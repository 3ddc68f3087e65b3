"""Input value rules: what a number, date or text that a person gives must be to be stored.

Every path that takes a value from a person reads it through these functions — the report
grid, the offline report form, the project-list import, the milestone dialog, the ledger,
the admin's user forms and the CLI — so one value gets one answer everywhere:

* amounts (万元): finite, not negative, at most a ceiling (setting ``AMOUNT_MAX_WAN``,
  default 100,000,000 万元 = 1 万亿元), at most two decimals, written as plain decimals:
  no NaN, Infinity, hexadecimal or exponent forms. Full-width digits and thousands
  separators are read, and the reading says so (``Reading.note``);
* percentages: 0 to 100, at most two decimals;
* dates: 1990-01-01 to 2100-12-31;
* text: at most its field's length (``TEXT_RULES``, the same as its database column), no
  NUL or other control characters, line breaks only in fields that have lines.

A refusal is a ``ValueRefused`` whose message (plain Chinese) names the field and the value.
``usable_amount`` and ``usable_date`` tell whether a value already stored (a legacy row, an
old import) can be computed with, so pages and jobs can leave it out and say so. Pure.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

T = TypeVar("T")

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2100, 12, 31)
AMOUNT_CEILING = Decimal("100000000")  # 万元: the default of the AMOUNT_MAX_WAN setting
# The largest ceiling the office may set: what a MONEY column (16 digits, 2 decimals) holds,
# with room for the running totals of a project over many years.
MAX_AMOUNT_CEILING = Decimal("1000000000000")
CENT = Decimal("0.01")
_FLOAT_SLACK = 1e-9  # a float within this (relative) of two decimals is those two decimals
_SHOWN = 24  # characters of a refused value quoted back in a message


class ValueRefused(ValueError):
    """A value that cannot be stored; ``str(refusal)`` is the message for the user."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Reading(Generic[T]):
    """A value as read, and what was normalised on the way (said to the user), if anything."""

    value: T | None
    note: str = ""


def shown(raw: object) -> str:
    """A value quoted back to the user: one line, at most a few dozen characters."""
    if isinstance(raw, Decimal | float) and math.isfinite(raw) and abs(raw) >= 1e15:
        return format(raw, ".4g")  # 1.000e+27, not 28 digits cut short
    text = raw if isinstance(raw, str) else repr(raw) if isinstance(raw, float) else str(raw)
    text = "".join(c if c.isprintable() else "�" for c in text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


# --- numbers ---------------------------------------------------------------------------------

_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\u2009": " ", "\u202f": " "})
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?$")
_EXPONENT = re.compile(r"\d\s*[eE]\s*[+-]?\s*\d")
_HEX = re.compile(r"^[+-]?0[xXoObB]")
_NOT_FINITE = re.compile(r"^[+-]?(?:nan|s?nan|inf|infinity)$", re.IGNORECASE)


def read_number(raw: str, *, label: str, suffixes: tuple[str, ...] = ()) -> Reading[Decimal]:
    """A number written as text, exactly: plain decimals with an optional sign; full-width
    digits and thousands separators (groups of three) are read and noted; a unit in
    ``suffixes`` may follow. Blank text is ``Reading(None)``."""
    original = raw
    text = raw.translate(_SPACES).strip()
    if not text:
        return Reading(None)
    folded = unicodedata.normalize("NFKC", text).translate(_SPACES).strip()
    notes: list[str] = []
    if folded != text:
        notes.append("全角字符已按半角读取")
    for suffix in suffixes:
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)].rstrip()
            break
    if _NOT_FINITE.match(folded):
        raise ValueRefused(f"{label}“{shown(original)}”不是有效数字")
    if _HEX.match(folded):
        raise ValueRefused(f"{label}“{shown(original)}”不是十进制数字，请填写普通数字")
    if _EXPONENT.search(folded):
        raise ValueRefused(
            f"{label}“{shown(original)}”用了科学计数法，请写成普通数字（如 12345.67）"
        )
    if _GROUPED.match(folded):
        folded = folded.replace(",", "").replace(" ", "")
        notes.append("千位分隔符已去掉")
    elif not _PLAIN.match(folded):
        raise ValueRefused(f"{label}“{shown(original)}”不是数字")
    number = Decimal(folded)
    note = f"{label}“{shown(original)}”按 {number} 读取（{'，'.join(notes)}）" if notes else ""
    return Reading(number, note)


def _decimal_of(value: object, *, label: str) -> Decimal:
    """An int, float or Decimal as an exact Decimal; a float that is two decimals up to
    binary rounding (0.1 + 0.2) counts as those two decimals."""
    if isinstance(value, bool):
        raise ValueRefused(f"{label}“{value}”不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueRefused(f"{label}“{shown(value)}”不是有效数字")
        exact = Decimal(repr(value))
        if abs(value) < 1e15:
            cents = round(exact, 2)
            if abs(float(cents) - value) <= _FLOAT_SLACK * max(1.0, abs(value)):
                return cents
        return exact
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueRefused(f"{label}“{value}”不是有效数字")
        return value
    raise ValueRefused(f"{label}“{shown(value)}”不是数字")


def check_amount(
    value: object,
    *,
    label: str,
    ceiling: Decimal = AMOUNT_CEILING,
    field: str = "",
) -> Decimal:
    """An amount in 万元 as it will be stored (two decimals), or ``ValueRefused``."""
    try:
        number = _decimal_of(value, label=label)
    except ValueRefused as refusal:
        raise ValueRefused(str(refusal), field=field) from None
    if number < 0:
        raise ValueRefused(f"{label}不能为负数（填报为 {shown(value)}）", field=field)
    if number > ceiling:
        raise ValueRefused(
            f"{label} {shown(_grouped(number))} 万元超过上限 {_grouped(ceiling)} 万元，"
            "请核对金额与单位（1 亿元 = 10,000 万元）",
            field=field,
        )
    if number != number.quantize(CENT):
        raise ValueRefused(f"{label} {shown(_plain(number))} 最多保留两位小数（万元）", field=field)
    return number.quantize(CENT) + 0  # + 0 turns -0.00 into 0.00


def parse_amount(
    raw: object,
    *,
    label: str,
    ceiling: Decimal = AMOUNT_CEILING,
    field: str = "",
) -> Reading[Decimal]:
    """An amount in 万元 from whatever a form sent: blank is ``Reading(None)``; text may carry
    the unit 万元; numbers are checked as they are (``check_amount``)."""
    if raw is None:
        return Reading(None)
    if isinstance(raw, str):
        try:
            reading = read_number(raw, label=label, suffixes=("万元", "万"))
        except ValueRefused as refusal:
            raise ValueRefused(str(refusal), field=field) from None
        if reading.value is None:
            return reading
        return Reading(
            check_amount(reading.value, label=label, ceiling=ceiling, field=field), reading.note
        )
    return Reading(check_amount(raw, label=label, ceiling=ceiling, field=field))


def parse_percent(raw: object, *, label: str, field: str = "") -> Reading[float]:
    """A percentage 0–100 with at most two decimals; text may end in %."""
    if raw is None:
        return Reading(None)
    note = ""
    if isinstance(raw, str):
        try:
            reading = read_number(raw, label=label, suffixes=("%", "％"))
        except ValueRefused as refusal:
            raise ValueRefused(str(refusal), field=field) from None
        if reading.value is None:
            return Reading(None)
        number, note = reading.value, reading.note
    else:
        try:
            number = _decimal_of(raw, label=label)
        except ValueRefused as refusal:
            raise ValueRefused(str(refusal), field=field) from None
    if not 0 <= number <= 100:
        raise ValueRefused(f"{label}应在 0 到 100 之间（填报为 {shown(raw)}）", field=field)
    if number != number.quantize(CENT):
        raise ValueRefused(f"{label} {shown(raw)} 最多保留两位小数", field=field)
    return Reading(float(number), note)


def _plain(number: Decimal) -> str:
    return f"{number:f}"


def _grouped(number: Decimal) -> str:
    return f"{number:,f}" if number.adjusted() < 20 else f"{number:.4g}"


def usable_amount(value: object, ceiling: Decimal = MAX_AMOUNT_CEILING) -> Decimal | None:
    """A stored amount that can be computed with (finite, 0 ≤ value ≤ ``ceiling``), as a
    Decimal; None for what a legacy row or an old import may hold (inf, NaN, 1e27, < 0)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number < 0 or number > ceiling:
        return None
    return number


def usable_percent(value: object) -> float | None:
    """A stored percentage that can be drawn (finite, 0–100), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and 0 <= number <= 100 else None


# --- record ids and versions ----------------------------------------------------------------

MAX_ID = 2**31 - 1  # an INTEGER column on PostgreSQL


def parse_id(raw: object) -> int | None:
    """A record id or version number a form sent back (an int, or digits as text), or None
    when it cannot be one — so a forged 10**20 never reaches the database as a parameter."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        if len(raw.strip()) > 12:
            return None
        number = int(raw.strip())
    else:
        return None
    return number if 0 <= number <= MAX_ID else None


STORED_FIGURES = (
    ("completed_month", "本月完成投资"),
    ("completed_ytd", "年度累计完成投资"),
    ("completed_total", "开工以来累计完成投资"),
)


def unusable_figures(report: object) -> list[str]:
    """What a stored monthly report holds that cannot be computed with, as "label（value）"
    (empty: every figure is usable). Reads the attributes of ``STORED_FIGURES`` and
    ``progress_pct`` of any report-like object."""
    bad = [
        f"{label}（{shown(getattr(report, name, None))}）"
        for name, label in STORED_FIGURES
        if usable_amount(getattr(report, name, None)) is None
    ]
    if usable_percent(getattr(report, "progress_pct", None)) is None:
        bad.append(f"形象进度（{shown(getattr(report, 'progress_pct', None))}）")
    return bad


# --- dates -------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?$")


def in_date_range(day: date) -> bool:
    return MIN_DATE <= day <= MAX_DATE


def check_date(day: date, *, label: str, field: str = "") -> date:
    """``day`` if it lies between 1990-01-01 and 2100-12-31, else ``ValueRefused``."""
    if not in_date_range(day):
        raise ValueRefused(
            f"{label} {day.isoformat()} 超出可填范围（{MIN_DATE.isoformat()} 至 "
            f"{MAX_DATE.isoformat()}）",
            field=field,
        )
    return day


def parse_day(raw: object, *, label: str, field: str = "") -> date | None:
    """A date picker's value (a date, or ISO text ``YYYY-MM-DD`` with an optional time):
    None when blank; ``ValueRefused`` when malformed or out of range."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return check_date(raw.date(), label=label, field=field)
    if isinstance(raw, date):
        return check_date(raw, label=label, field=field)
    if not isinstance(raw, str):
        raise ValueRefused(f"{label}格式不正确：{shown(raw)}", field=field)
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    match = _ISO_DAY.match(text)
    if match is None:
        raise ValueRefused(f"{label}格式不正确：“{shown(raw)}”（应为 YYYY-MM-DD）", field=field)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueRefused(f"{label}“{shown(raw)}”不是有效日期", field=field) from None
    return check_date(day, label=label, field=field)


def usable_date(value: object) -> date | None:
    """A stored date that can be drawn (between 1990 and 2100), else None."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and in_date_range(value):
        return value
    return None


# --- text --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextRule:
    """What a text field may hold; ``column`` names its database column (table.column),
    whose length a test keeps equal to ``max_length``."""

    label: str
    max_length: int
    multiline: bool = True
    column: str = ""
    required: bool = False


TEXT_RULES: dict[str, TextRule] = {
    # the plan, as a project list brings it (for the list import's rows)
    "project.code": TextRule("项目编号", 40, multiline=False, column="project.code", required=True),
    "project.name": TextRule(
        "项目名称", 200, multiline=False, column="project.name", required=True
    ),
    "project.lead_unit": TextRule("牵头单位", 100, multiline=False, column="project.lead_unit"),
    "project.responsible_units": TextRule(
        "责任单位", 500, multiline=False, column="project.responsible_units"
    ),
    "project.contact_person": TextRule(
        "责任人", 50, multiline=False, column="project.contact_person"
    ),
    "project.contact_phone": TextRule(
        "联系电话", 50, multiline=False, column="project.contact_phone"
    ),
    "project.scope": TextRule("建设内容及规模", 4000, column="project.scope"),
    "area.name": TextRule("所属领域", 100, multiline=False, column="area.name", required=True),
    "measure.name": TextRule(
        "所属举措", 200, multiline=False, column="measure.name", required=True
    ),
    "milestone.name": TextRule("节点名称", 200, multiline=False, column="milestone.name"),
    # the monthly report (月度调度表)
    "report.progress_text": TextRule("形象进度说明", 4000, column="monthlyreport.progress_text"),
    "report.milestone_status": TextRule(
        "节点完成情况", 4000, column="monthlyreport.milestone_status"
    ),
    "report.problems": TextRule("存在问题", 4000, column="monthlyreport.problems"),
    "report.next_steps": TextRule("下步工作计划", 4000, column="monthlyreport.next_steps"),
    "report.coordination": TextRule("需协调解决事项", 4000, column="monthlyreport.coordination"),
    "report.reporter": TextRule("填报人", 50, multiline=False, column="monthlyreport.reporter"),
    "report.return_comment": TextRule(
        "退回原因", 2000, column="monthlyreport.return_comment", required=True
    ),
    # milestones (节点)
    "milestone.note": TextRule("备注", 2000, column="milestone.note"),
    "milestone.reason": TextRule(
        "调整原因", 2000, column="milestone.pending_reason", required=True
    ),
    # the ledger (问题台账)
    "problem.text": TextRule("问题内容", 4000, column="problemitem.text", required=True),
    "problem.owner": TextRule("责任单位", 100, multiline=False, column="problemitem.owner"),
    "problem.close_note": TextRule("办结情况说明", 2000, column="problemitem.close_note"),
    # accounts
    "user.username": TextRule("用户名", 50, multiline=False, column="user.username", required=True),
    "user.display_name": TextRule("姓名", 100, multiline=False, column="user.display_name"),
    "user.email": TextRule("邮箱", 200, multiline=False, column="user.email"),
    "user.lead_unit": TextRule("牵头单位", 100, multiline=False, column="user.lead_unit"),
    "user.password": TextRule("密码", 256, multiline=False),
}

# Bidirectional overrides reorder what is shown (a name that reads differently from what it is).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_LINE_BREAKS = frozenset("\n\u2028\u2029")


def _bad_character(char: str, multiline: bool) -> bool:
    if char == "\n" or char == "\t":
        return not multiline
    if char in _BIDI or char in "\u2028\u2029":
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cs"):  # control characters (NUL, ESC …) and lone surrogates
        return True
    return (ord(char) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(char) <= 0xFDEF  # non-characters


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds what no field may: NUL and other control characters, lone
    surrogates, bidirectional overrides, non-characters (and line breaks in one line)."""
    return any(_bad_character(char, multiline) for char in text)


def check_text(value: object, rule: TextRule | str, *, field: str = "") -> str:
    """The text to store (trimmed, line breaks as ``\\n``), or ``ValueRefused``: too long,
    a control character, a line break in a one-line field, or blank where required."""
    if isinstance(rule, str):
        rule = TEXT_RULES[rule]
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        text = str(value)
    else:
        raise ValueRefused(f"{rule.label}格式不正确", field=field)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").strip()
    for position, char in enumerate(text, start=1):
        if _bad_character(char, rule.multiline):
            if char in _LINE_BREAKS or char == "\t":
                raise ValueRefused(f"{rule.label}只能填写一行，不能包含换行或制表符", field=field)
            raise ValueRefused(
                f"{rule.label}含有不可见的控制字符（第 {position} 个字符，U+{ord(char):04X}），"
                "请删除后重试",
                field=field,
            )
    if len(text) > rule.max_length:
        raise ValueRefused(
            f"{rule.label}不能超过 {rule.max_length} 字（现为 {len(text)} 字）", field=field
        )
    if rule.required and not text:
        raise ValueRefused(f"请填写{rule.label}", field=field)
    return text
