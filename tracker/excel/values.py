"""Cell values as offices type them: dates, amounts, counties, milestones written as text.

Each parser takes the raw value python-calamine returns (str, float, int, bool, date,
datetime, time, timedelta or "" for an empty cell) and either returns a clean value,
returns ``None`` for an empty cell, or raises ``ValueProblem`` with a catalogue message
(texts in tracker/texts/excel.py; ``str(problem)`` is the Chinese sentence). Real date and
number cells take a fast path; text goes through precompiled patterns, and the text results
are cached because lists repeat the same values.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from tracker.domain.inputs import (
    AMOUNT_CEILING,
    MAX_DATE,
    MIN_DATE,
    ValueRefused,
    check_amount,
    read_number,
    shown,
)
from tracker.domain.messages import KeyedError, Message, msg

__all__ = [
    "COUNTIES",
    "CITY_LEVEL",
    "ValueProblem",
    "clean_text",
    "clean_line",
    "normalize_text",
    "parse_date",
    "parse_period",
    "parse_amount",
    "normalize_county",
    "normalize_nature",
    "parse_milestone_text",
]


class ValueProblem(KeyedError, ValueError):
    """A cell value that cannot be understood: ``message`` is a catalogue ``Message`` for the
    user (``str(problem)`` its Chinese text, ``problem.render(lang)``)."""


# ---------------------------------------------------------------------------- text

_WIDTH = str.maketrans({"\u3000": " ", "\xa0": " "})


def normalize_text(text: str) -> str:
    """Fold full-width letters, digits and punctuation to half-width (（１）→(1))."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_WIDTH)


def clean_text(value: object) -> str:
    """The text of a cell, trimmed; numbers without a fraction lose their '.0'."""
    if value is None or value == "":
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def clean_line(value: object) -> str:
    """Text that must fit on one line (names, units): line breaks inside are dropped."""
    text = clean_text(value)
    if "\n" in text or "\r" in text:
        text = "".join(part.strip() for part in text.splitlines())
    return text


# ---------------------------------------------------------------------------- dates

_EXCEL_EPOCH = date(1899, 12, 30)
# Dates follow the input value rules (tracker.domain.inputs): 1990-01-01 to 2100-12-31;
# serial numbers outside that are not plan dates (15 would be 1900-01-15).
_SERIAL_MIN = (MIN_DATE - _EXCEL_EPOCH).days
_SERIAL_MAX = (MAX_DATE - _EXCEL_EPOCH).days
_YEAR_MIN, _YEAR_MAX = MIN_DATE.year, MAX_DATE.year

_SEP = r"\s*[-/.年]\s*"
_FULL_DATE = re.compile(
    rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})\s*[日号]?"
    r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*(?:月份?)?\s*(底|末|初|上旬|中旬|下旬)?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_YEAR_ONLY = re.compile(
    r"^(\d{4})\s*(?:年度?)?\s*"
    r"(底|末|初|上半年|下半年|(?:第?([一二三四1234])季度)|Q([1-4]))?$",
    re.IGNORECASE,
)
_TRAILING_BEFORE = re.compile(r"(?:以前|之前|前)$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int, original: str) -> None:
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        raise ValueProblem("cell.date_year", value=shown(original), low=_YEAR_MIN, high=_YEAR_MAX)


def _in_range(day: date, original: object) -> date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueProblem(
            "cell.date_range", value=shown(clean_text(original)), low=MIN_DATE, high=MAX_DATE
        )
    return day


def _build(year: int, month: int, day: int, original: str) -> date:
    _check_year(year, original)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem("cell.date_unknown", value=original) from None


def _months(
    year: int, first: int, last: int, end_of_period: bool, original: str
) -> date:  # a span of months: its first day for a start, its last day for a finish
    _check_year(year, original)
    if not 1 <= first <= 12:
        raise ValueProblem("cell.date_bad_month", value=original)
    return _month_end(year, last) if end_of_period else date(year, first, 1)


@lru_cache(maxsize=4096)
def _parse_date_text(raw: str, end_of_period: bool) -> date | None:
    text = normalize_text(raw).strip()
    if not text or text in _EMPTY_MARKS:
        return None
    text = _TRAILING_BEFORE.sub("", text).strip()
    if m := _FULL_DATE.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _YEAR_MONTH.match(text):
        return _year_month(int(m[1]), int(m[2]), m[3], end_of_period, raw)
    if m := _YEAR_ONLY.match(text):
        return _year_part(int(m[1]), m, end_of_period, raw)
    if m := _COMPACT_DATE.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _COMPACT_MONTH.match(text):
        return _months(int(m[1]), int(m[2]), int(m[2]), end_of_period, raw)
    if text.replace(".", "", 1).isdigit():
        return _parse_date_number(float(text), end_of_period, raw)
    raise ValueProblem("cell.date_unknown", value=raw)


# a part of a month (上旬 …): its (first, last) day; None for the month's last day
_MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "底": (0, None),
    "末": (0, None),
    "初": (1, 10),
    "上旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, None),
}


def _year_month(year: int, month: int, part: str | None, end_of_period: bool, raw: str) -> date:
    """2022年3月, 2022.03 下旬, 2022-03底: a month, or a part of it."""
    if not 1 <= month <= 12:
        raise ValueProblem("cell.date_bad_month", value=raw)
    _check_year(year, raw)
    if part is None:
        return _months(year, month, month, end_of_period, raw)
    first, last = _MONTH_PARTS[part]
    if part in ("底", "末") or end_of_period:
        return _month_end(year, month) if last is None else date(year, month, last)
    return date(year, month, first)


# a part of a year: its (first, last) month
_YEAR_PARTS = {"初": (1, 1), "上半年": (1, 6), "下半年": (7, 12)}


def _year_part(year: int, m: re.Match[str], end_of_period: bool, raw: str) -> date:
    """2022, 2022年底, 2022年上半年, 2022年第三季度: a year, or a part of it."""
    part = m[2]
    if part is None:
        return _months(year, 1, 12, end_of_period, raw)
    if part in ("底", "末"):
        _check_year(year, raw)
        return _month_end(year, 12)
    if part in _YEAR_PARTS:
        first, last = _YEAR_PARTS[part]
        return _months(year, first, last, end_of_period, raw)
    quarter = _QUARTERS[m[3] or m[4]]
    return _months(year, quarter * 3 - 2, quarter * 3, end_of_period, raw)


def _parse_date_number(number: float, end_of_period: bool, original: object) -> date:
    if number.is_integer():
        whole = int(number)
        if _YEAR_MIN <= whole <= _YEAR_MAX:  # 2022 typed into a date column: the year
            return _months(whole, 1, 12, end_of_period, str(original))
        if 19_000_101 <= whole <= 21_001_231 or 190_001 <= whole <= 210_012:
            parsed = _parse_date_text(str(whole), end_of_period)  # 20220315 or 202203
            assert parsed is not None  # only empty text gives None
            return parsed
    elif _YEAR_MIN <= number < _YEAR_MAX + 1:
        # 2022.03 typed into a cell becomes the number 2022.03; 2022.10 becomes 2022.1,
        # so the fraction is read as two digits: 2022.1 is October, 2022.01 January.
        year_text, month_text = f"{number:.2f}".split(".")
        return _months(
            int(year_text), int(month_text), int(month_text), end_of_period, str(original)
        )
    if _SERIAL_MIN <= number <= _SERIAL_MAX:
        return _EXCEL_EPOCH + timedelta(days=int(number))
    raise ValueProblem("cell.date_unknown", value=clean_text(original))


_EMPTY_MARKS = frozenset({"-", "--", "—", "——", "/", "\\", "无", "暂无", "待定", "—/—"})


def parse_date(value: object, *, end_of_period: bool = False) -> date | None:
    """A date from a cell; month-only or year-only text gives the first day of the period,
    or its last day when ``end_of_period`` (planned finish dates and milestones)."""
    kind = type(value)
    if kind is date:
        return _in_range(value, value)  # type: ignore[arg-type]
    if kind is str:
        return _parse_date_text(value, end_of_period)  # type: ignore[arg-type]
    if kind is datetime:
        return _in_range(value.date(), value)  # type: ignore[union-attr]
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueProblem("cell.date_unknown", value=str(value))
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueProblem("cell.date_unknown", value=str(value))
        return _parse_date_number(float(value), end_of_period, value)
    if isinstance(value, timedelta):  # calamine returns durations for [h]:mm formats
        raise ValueProblem("cell.date_duration", value=str(value))
    raise ValueProblem("cell.date_unknown", value=clean_text(value))


_PERIOD = re.compile(r"^(.*?\d{4}.*?)\s*(?:--?|—{1,2}|–|~|至|到)\s*(\d{4}.*)$")


@lru_cache(maxsize=1024)
def _parse_period_text(raw: str) -> tuple[date, date] | None:
    text = normalize_text(raw).strip()
    if not text or text in _EMPTY_MARKS:
        return None
    if m := _PERIOD.match(text):
        start = _parse_date_text(m[1], False)
        finish = _parse_date_text(m[2], True)
        if start is None or finish is None:
            raise ValueProblem("cell.period_unknown", value=raw)
        return start, finish
    try:
        start = _parse_date_text(text, False)
        finish = _parse_date_text(text, True)
    except ValueProblem:
        raise ValueProblem("cell.period_form", value=raw) from None
    if start is None or finish is None:
        return None
    return start, finish


def parse_period(value: object) -> tuple[date, date] | None:
    """A construction period such as 2021-2023 or 2021.03-2023.12: (first day, last day)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _parse_period_text(value)
    start = parse_date(value, end_of_period=False)
    finish = parse_date(value, end_of_period=True)
    if start is None or finish is None:
        return None
    return start, finish


# ---------------------------------------------------------------------------- amounts

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
_UNIT_FACTORS = {"亿元": TEN_THOUSAND, "亿": TEN_THOUSAND, "万元": Decimal(1), "万": Decimal(1)}
_UNIT_FACTORS["元"] = Decimal("0.0001")
_UNITS = ("亿元", "万元", "亿", "万", "元")  # longest first


def _to_cents(number: Decimal) -> Decimal:
    return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _in_wan(
    number: Decimal, factor: Decimal, raw: object, ceiling: Decimal
) -> tuple[Decimal, Message | None]:
    """``number`` in its unit as 万元, within the input value rules (≥ 0, ≤ ``ceiling``, two
    decimals). An amount in 元 is rounded to the cent of 万元, and the note says so."""
    if number < 0:
        raise ValueProblem("cell.amount_negative", value=shown(raw))
    wan = number * factor if factor != 1 else number
    note = None
    if factor < 1 and wan != wan.quantize(CENT):
        note = msg("cell.amount_rounded", label=_quoted(raw), wan=_to_cents(wan))
        wan = _to_cents(wan)
    try:
        return check_amount(wan, label="", ceiling=ceiling), note
    except ValueRefused as refusal:  # named the amount as written only now: lists are long
        said = Message(refusal.key, {**refusal.params, "label": _quoted(raw)})
        raise ValueProblem(said) from None


def _quoted(raw: object) -> Message:
    return msg("cell.amount_quoted", value=shown(raw))


# why read_number refused an amount, as the list importer says it after the value
_AMOUNT_REASONS = {
    "value.not_finite": "cell.why.not_finite",
    "value.not_decimal": "cell.why.not_decimal",
    "value.exponent": "cell.why.exponent",
}


@lru_cache(maxsize=4096)
def _parse_amount_text(
    raw: str, factor: Decimal, ceiling: Decimal
) -> tuple[Decimal | None, Message | None]:
    text = normalize_text(raw).replace("，", ",").strip()
    if not text or text in _EMPTY_MARKS:
        return None, None
    for unit in _UNITS:
        if text.endswith(unit):
            factor = _UNIT_FACTORS[unit]  # a unit written in the cell wins over the header's
            text = text[: -len(unit)].strip()
            break
    try:
        reading = read_number(text, label=msg("cell.amount"))
    except ValueRefused as refusal:
        reason = _AMOUNT_REASONS.get(refusal.key)
        if reason is None:
            raise ValueProblem("cell.amount_unknown", value=shown(raw)) from None
        raise ValueProblem("cell.amount_unknown_why", value=shown(raw), why=msg(reason)) from None
    if reading.value is None:
        raise ValueProblem("cell.amount_unknown", value=shown(raw))
    wan, rounding = _in_wan(reading.value, factor, raw, ceiling)
    changed = reading.remark is not None or normalize_text(raw) != raw
    note = rounding or (
        msg("cell.amount_normalised", value=shown(raw), wan=wan) if changed else None
    )
    return wan, note


def parse_amount(
    value: object,
    *,
    factor: Decimal = Decimal(1),
    ceiling: Decimal = AMOUNT_CEILING,
    notes: list[Message] | None = None,
) -> Decimal | None:
    """An amount in 万元 (two decimals). ``factor`` converts the column's unit: 10000 for 亿元.

    The input value rules apply (tracker.domain.inputs): finite, not negative, at most
    ``ceiling`` 万元 (the AMOUNT_MAX_WAN setting; default 1 万亿元), at most two decimals in
    万元; no NaN, Infinity, hexadecimal or exponent forms. Full-width digits and thousands
    separators are read; when ``notes`` is given, what was normalised (and an amount in 元
    rounded to the cent of 万元) is appended to it, for the caller to show."""
    kind = type(value)
    if kind is float or kind is int or kind is Decimal:
        if kind is float and not math.isfinite(value):  # type: ignore[arg-type]
            raise ValueProblem("cell.amount_unknown", value=str(value))
        if kind is Decimal and not value.is_finite():  # type: ignore[union-attr]
            raise ValueProblem("cell.amount_unknown", value=str(value))
        if value < 0:  # type: ignore[operator]
            raise ValueProblem("cell.amount_negative", value=clean_text(value))
        number = Decimal(repr(value)) if kind is float else Decimal(value)  # type: ignore[arg-type]
        if kind is float and abs(value) < 1e15:  # type: ignore[arg-type]
            cents = round(number, 2)  # binary rounding of a spreadsheet formula (0.1 + 0.2)
            if abs(float(cents) - value) <= 1e-9 * max(1.0, abs(value)):  # type: ignore[arg-type]
                number = cents
        wan, note = _in_wan(number, factor, clean_text(value), ceiling)
        if note and notes is not None:
            notes.append(note)
        return wan
    if kind is str:
        wan, note = _parse_amount_text(value, factor, ceiling)  # type: ignore[arg-type]
        if note and notes is not None:
            notes.append(note)
        return wan
    if value is None:
        return None
    raise ValueProblem("cell.amount_unknown", value=clean_text(value))


def unit_factor(text: str) -> Decimal | None:
    """The factor to 万元 of a unit named in a header or a 单位 row, or None if none is named."""
    normalized = normalize_text(text)
    for unit in ("亿元", "万元"):
        if unit in normalized:
            return _UNIT_FACTORS[unit]
    if re.search(r"(?:^|[(:：单位])元\)?$|\(元\)", normalized):
        return _UNIT_FACTORS["元"]
    return None


# ---------------------------------------------------------------------------- counties

CITY_LEVEL = "市直"
COUNTIES = ("临翔区", "凤庆县", "云县", "永德县", "镇康县", "双江县", "耿马县", "沧源县")
_COUNTY_ALIASES: dict[str, tuple[str, ...]] = {
    "临翔区": ("临翔区", "临翔"),
    "凤庆县": ("凤庆县", "凤庆"),
    "云县": ("云县",),
    "永德县": ("永德县", "永德"),
    "镇康县": ("镇康县", "镇康"),
    "双江县": ("双江拉祜族佤族布朗族傣族自治县", "双江自治县", "双江县", "双江"),
    "耿马县": ("耿马傣族佤族自治县", "耿马自治县", "耿马县", "耿马"),
    "沧源县": ("沧源佤族自治县", "沧源自治县", "沧源县", "沧源"),
    CITY_LEVEL: (
        *("市直", "市本级", "全市", "市级", "临沧市", "临沧", "市属", "市直属", "市直部门"),
        *("临沧市直", "临沧市本级", "临沧市级", "临沧全市"),
    ),
}
_COUNTY_EXACT = {alias: short for short, aliases in _COUNTY_ALIASES.items() for alias in aliases}
_COUNTY_PREFIXES = sorted(
    ((alias, short) for alias, short in _COUNTY_EXACT.items() if short != CITY_LEVEL),
    key=lambda pair: -len(pair[0]),
)


_COUNTY_SPLIT = re.compile(r"[、,;/]")
_PROVINCE_CITY = ("云南省", "临沧市")


def _strip_province_city(text: str) -> str:
    for prefix in _PROVINCE_CITY:
        if text.startswith(prefix) and text != prefix:
            text = text[len(prefix) :]
    return text


def _county_of(part: str) -> str | None:
    if part in _COUNTY_EXACT:
        return _COUNTY_EXACT[part]
    part = _strip_province_city(part)
    if part in _COUNTY_EXACT:
        return _COUNTY_EXACT[part]
    for alias, short in _COUNTY_PREFIXES:
        if part.startswith(alias):  # 耿马县孟定镇 -> 耿马县
            return short
    return None


@lru_cache(maxsize=512)
def normalize_county(raw: str) -> str:
    """The short name of a county (or 市直) from what a list writes in 建设地点."""
    text = re.sub(r"\s+", "", normalize_text(raw))
    if not text:
        raise ValueProblem("cell.county_missing")
    parts = _COUNTY_SPLIT.split(text)
    # "临翔区南美乡、博尚镇" names one county; "双江县、耿马县" names two
    found = {short for part in parts if part and (short := _county_of(part))}
    if len(found) == 1:
        return found.pop()
    if len(found) > 1:
        raise ValueProblem("cell.county_several", value=raw, city=CITY_LEVEL)
    raise ValueProblem(
        "cell.county_unknown", value=raw, counties="、".join(COUNTIES), city=CITY_LEVEL
    )


# ---------------------------------------------------------------------------- nature

_NATURES = {
    "新建": "新建",
    "新开工": "新建",
    "拟新开工": "新建",
    "计划新开工": "新建",
    "新建项目": "新建",
    "新": "新建",
    "续建": "续建",
    "续建项目": "续建",
    "续": "续建",
    "在建": "续建",
}


def normalize_nature(value: object) -> str | None:
    """新建 or 续建; None when the cell is empty."""
    text = clean_text(value).replace(" ", "")
    if not text:
        return None
    if text in _NATURES:
        return _NATURES[text]
    raise ValueProblem("cell.nature_unknown", value=text, new="新建", continuing="续建")


# ---------------------------------------------------------------------------- milestones as text

# after NFKC: ； -> ;  ， -> ,  （） -> ()  ① -> 1
_ITEM_SPLIT = re.compile(
    r"[;\n\r]+"  # semicolons and line breaks always separate items
    r"|(?<=\))\s*[、,]?\s*"  # so does anything after a closing bracket
    r"|(?<=[月日底末旬\d])\s*[、,]\s*"  # and 、 or , right after a date
    r"|\s*[、,]\s*(?=\d{4})"  # or right before one
)
_NUMBERING = re.compile(
    r"^(?:(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、)]\s*"  # 1.  一、  1)
    r"|\((?:\d{1,2}|[一二三四五六七八九十]{1,2})\)\s*"  # (1)  (一)
    r"|\d{1,2}(?=[^\d年月日号期个座条家栋万亿.、)\s]))"  # ① became 1
)
_BRACKETED = re.compile(r"^(.*?)\s*\(([^()]*\d{4}[^()]*)\)\s*[。.]?$")
_LEADING_DATE = re.compile(
    r"^((?:\d{4})\s*(?:[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*\d{1,2}\s*[日号]?|月份?)?)?"
    r"\s*(?:年)?\s*(?:底|末|初|上旬|中旬|下旬|上半年|下半年)?\s*(?:以前|之前|前)?)\s*[:：,，]?\s*(\D.*)$"
)
_TRAILING_DATE = re.compile(
    r"^(.*?\D)\s*[:：,，]?\s*((?:\d{4})\s*(?:[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*\d{1,2}\s*[日号]?|月份?)?)?"
    r"\s*(?:年)?\s*(?:底|末|初|上旬|中旬|下旬|上半年|下半年)?\s*(?:以前|之前|前)?)\s*[。.]?$"
)


def parse_milestone_text(value: object) -> list[tuple[str, date]]:
    """Milestones written in one cell, e.g. "完成前期手续（2022年3月）；开工建设（2022年6月）".

    Items are separated by semicolons, line breaks, or 、/， after a closing bracket; each
    item is a name with its date in brackets, before it or after it.
    """
    text = clean_text(value)
    if not text:
        return []
    text = normalize_text(text)
    items: list[tuple[str, date]] = []
    for piece in _ITEM_SPLIT.split(text):
        piece = piece.strip().rstrip("。.;；")
        if not piece:
            continue
        piece = _NUMBERING.sub("", piece, count=1).strip()
        name, when = _split_milestone(piece)
        if not name:
            raise ValueProblem("cell.milestone_no_name", value=piece)
        if when is None:
            raise ValueProblem("cell.milestone_no_date_hint", name=name)
        try:
            planned = parse_date(when, end_of_period=True)
        except ValueProblem as problem:
            raise ValueProblem(
                "cell.milestone_problem", name=name, detail=_as_planned(problem)
            ) from None
        if planned is None:
            raise ValueProblem("cell.milestone_no_date", name=name)
        items.append((name, planned))
    return items


def _as_planned(problem: ValueProblem) -> Message:
    """A date problem said of a milestone's planned date (计划时间无法识别：…)."""
    planned = _PLANNED.get(problem.key)
    return problem.message if planned is None else Message(planned, problem.params)


_PLANNED = {
    "cell.date_unknown": "cell.planned_unknown",
    "cell.date_bad_month": "cell.planned_bad_month",
    "cell.date_duration": "cell.planned_duration",
}


def _split_milestone(piece: str) -> tuple[str, str | None]:
    if m := _BRACKETED.match(piece):
        return m[1].strip(" :：,，"), m[2].strip()
    if m := _LEADING_DATE.match(piece):
        return m[2].strip(" :：,，"), m[1].strip()
    if m := _TRAILING_DATE.match(piece):
        return m[1].strip(" :：,，"), m[2].strip()
    return piece, None
