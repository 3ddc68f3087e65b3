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

A refusal is a ``ValueRefused`` whose message (a catalogue ``Message``, texts in
``tracker/texts/common.py``) names the field and the value; ``str(refusal)`` is the Chinese
sentence, ``refusal.render("en")`` the English one. A field's ``label`` is a ``Message``
(``label_of``), or a plain string another feature still passes (shown as written).
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
from typing import Any, Generic, TypeVar

from tracker.domain.messages import KeyedError, Message, msg

T = TypeVar("T")
Label = Message | str  # a field's name: a catalogue Message (or a caller's plain text)

MIN_DATE = date(1990, 1, 1)
MAX_DATE = date(2100, 12, 31)
AMOUNT_CEILING = Decimal("100000000")  # 万元: the default of the AMOUNT_MAX_WAN setting
# The largest ceiling the office may set: what a MONEY column (16 digits, 2 decimals) holds,
# with room for the running totals of a project over many years.
MAX_AMOUNT_CEILING = Decimal("1000000000000")
CENT = Decimal("0.01")
_FLOAT_SLACK = 1e-9  # a float within this (relative) of two decimals is those two decimals
_SHOWN = 24  # characters of a refused value quoted back in a message


class ValueRefused(KeyedError, ValueError):
    """A value that cannot be stored: ``message`` is a catalogue ``Message`` for the user
    (``str(refusal)`` its Chinese text, ``refusal.render(lang)``), ``field`` the form field."""

    def __init__(self, key: str | Message, /, *, field: str = "", **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field

    def at(self, field: str) -> ValueRefused:
        """The same refusal, said of ``field``."""
        return ValueRefused(self.message, field=field)


def label_of(name: str) -> Message:
    """The catalogue label of a field the value rules know (``label.<name>``)."""
    return msg(f"label.{name}")


@dataclass(frozen=True)
class Reading(Generic[T]):
    """A value as read, and what was normalised on the way (said to the user), if anything:
    ``remark`` as a Message, ``note`` its Chinese text ("" when nothing was normalised)."""

    value: T | None
    remark: Message | None = None

    @property
    def note(self) -> str:
        return "" if self.remark is None else str(self.remark)


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


def read_number(raw: str, *, label: Label, suffixes: tuple[str, ...] = ()) -> Reading[Decimal]:
    """A number written as text, exactly: plain decimals with an optional sign; full-width
    digits and thousands separators (groups of three) are read and noted; a unit in
    ``suffixes`` may follow. Blank text is ``Reading(None)``."""
    original = raw
    text = raw.translate(_SPACES).strip()
    if not text:
        return Reading(None)
    folded = unicodedata.normalize("NFKC", text).translate(_SPACES).strip()
    full_width = folded != text
    for suffix in suffixes:
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)].rstrip()
            break
    if _NOT_FINITE.match(folded):
        raise ValueRefused("value.not_finite", label=label, value=shown(original))
    if _HEX.match(folded):
        raise ValueRefused("value.not_decimal", label=label, value=shown(original))
    if _EXPONENT.search(folded):
        raise ValueRefused("value.exponent", label=label, value=shown(original))
    grouped = bool(_GROUPED.match(folded))
    if grouped:
        folded = folded.replace(",", "").replace(" ", "")
    elif not _PLAIN.match(folded):
        raise ValueRefused("value.not_number", label=label, value=shown(original))
    number = Decimal(folded)
    changes = _CHANGES.get((full_width, grouped))
    if changes is None:
        return Reading(number)
    remark = msg(
        "value.read_as", label=label, value=shown(original), number=number, changes=changes
    )
    return Reading(number, remark)


_CHANGES = {
    (True, False): msg("value.change.full_width"),
    (False, True): msg("value.change.grouping"),
    (True, True): msg("value.change.both"),
}


def _decimal_of(value: object, *, label: Label) -> Decimal:
    """An int, float or Decimal as an exact Decimal; a float that is two decimals up to
    binary rounding (0.1 + 0.2) counts as those two decimals."""
    if isinstance(value, bool):
        raise ValueRefused("value.not_number", label=label, value=str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueRefused("value.not_finite", label=label, value=shown(value))
        exact = Decimal(repr(value))
        if abs(value) < 1e15:
            cents = round(exact, 2)
            if abs(float(cents) - value) <= _FLOAT_SLACK * max(1.0, abs(value)):
                return cents
        return exact
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueRefused("value.not_finite", label=label, value=str(value))
        return value
    raise ValueRefused("value.not_number", label=label, value=shown(value))


def check_amount(
    value: object,
    *,
    label: Label,
    ceiling: Decimal = AMOUNT_CEILING,
    field: str = "",
) -> Decimal:
    """An amount in 万元 as it will be stored (two decimals), or ``ValueRefused``."""
    try:
        number = _decimal_of(value, label=label)
    except ValueRefused as refusal:
        raise refusal.at(field) from None
    if number < 0:
        raise ValueRefused("value.negative", field=field, label=label, value=shown(value))
    if number > ceiling:
        raise ValueRefused(
            "value.above_ceiling",
            field=field,
            label=label,
            value=shown(_grouped(number)),
            ceiling=_grouped(ceiling),
        )
    if number != number.quantize(CENT):
        raise ValueRefused(
            "value.amount_cents", field=field, label=label, value=shown(_plain(number))
        )
    return number.quantize(CENT) + 0  # + 0 turns -0.00 into 0.00


def parse_amount(
    raw: object,
    *,
    label: Label,
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
            raise refusal.at(field) from None
        if reading.value is None:
            return reading
        return Reading(
            check_amount(reading.value, label=label, ceiling=ceiling, field=field), reading.remark
        )
    return Reading(check_amount(raw, label=label, ceiling=ceiling, field=field))


def parse_percent(raw: object, *, label: Label, field: str = "") -> Reading[float]:
    """A percentage 0–100 with at most two decimals; text may end in %."""
    if raw is None:
        return Reading(None)
    remark = None
    try:
        if isinstance(raw, str):
            reading = read_number(raw, label=label, suffixes=("%", "％"))
            if reading.value is None:
                return Reading(None)
            number, remark = reading.value, reading.remark
        else:
            number = _decimal_of(raw, label=label)
    except ValueRefused as refusal:
        raise refusal.at(field) from None
    if not 0 <= number <= 100:
        raise ValueRefused("value.percent_range", field=field, label=label, value=shown(raw))
    if number != number.quantize(CENT):
        raise ValueRefused("value.percent_cents", field=field, label=label, value=shown(raw))
    return Reading(float(number), remark)


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


def unusable_figure_messages(report: object) -> list[Message]:
    """What a stored monthly report holds that cannot be computed with, each as
    "label（value）" (empty: every figure is usable). Reads the attributes of
    ``STORED_FIGURES`` and ``progress_pct`` of any report-like object."""
    bad = [
        msg(f"value.unusable.{name}", value=shown(getattr(report, name, None)))
        for name, _ in STORED_FIGURES
        if usable_amount(getattr(report, name, None)) is None
    ]
    progress = getattr(report, "progress_pct", None)
    if usable_percent(progress) is None:
        bad.append(msg("value.unusable.progress_pct", value=shown(progress)))
    return bad


def unusable_figures(report: object) -> list[str]:
    """``unusable_figure_messages`` in Chinese."""
    return [str(message) for message in unusable_figure_messages(report)]


# --- dates -------------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?$")


def in_date_range(day: date) -> bool:
    return MIN_DATE <= day <= MAX_DATE


def check_date(day: date, *, label: Label, field: str = "") -> date:
    """``day`` if it lies between 1990-01-01 and 2100-12-31, else ``ValueRefused``."""
    if not in_date_range(day):
        raise ValueRefused(
            "value.date_range", field=field, label=label, day=day, low=MIN_DATE, high=MAX_DATE
        )
    return day


def parse_day(raw: object, *, label: Label, field: str = "") -> date | None:
    """A date picker's value (a date, or ISO text ``YYYY-MM-DD`` with an optional time):
    None when blank; ``ValueRefused`` when malformed or out of range."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return check_date(raw.date(), label=label, field=field)
    if isinstance(raw, date):
        return check_date(raw, label=label, field=field)
    if not isinstance(raw, str):
        raise ValueRefused("value.date_format", field=field, label=label, value=shown(raw))
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    match = _ISO_DAY.match(text)
    if match is None:
        raise ValueRefused("value.date_iso", field=field, label=label, value=shown(raw))
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueRefused(
            "value.date_invalid", field=field, label=label, value=shown(raw)
        ) from None
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
    whose length a test keeps equal to ``max_length``; ``label`` its name (a Message)."""

    label: Message
    max_length: int
    multiline: bool = True
    column: str = ""
    required: bool = False


TEXT_RULES: dict[str, TextRule] = {
    # the plan, as a project list brings it (for the list import's rows)
    "project.code": TextRule(
        label_of("project.code"), 40, multiline=False, column="project.code", required=True
    ),
    "project.name": TextRule(
        label_of("project.name"), 200, multiline=False, column="project.name", required=True
    ),
    "project.lead_unit": TextRule(
        label_of("project.lead_unit"), 100, multiline=False, column="project.lead_unit"
    ),
    "project.responsible_units": TextRule(
        label_of("project.responsible_units"),
        500,
        multiline=False,
        column="project.responsible_units",
    ),
    "project.contact_person": TextRule(
        label_of("project.contact_person"), 50, multiline=False, column="project.contact_person"
    ),
    "project.contact_phone": TextRule(
        label_of("project.contact_phone"), 50, multiline=False, column="project.contact_phone"
    ),
    "project.scope": TextRule(label_of("project.scope"), 4000, column="project.scope"),
    "area.name": TextRule(
        label_of("area.name"), 100, multiline=False, column="area.name", required=True
    ),
    "measure.name": TextRule(
        label_of("measure.name"), 200, multiline=False, column="measure.name", required=True
    ),
    "milestone.name": TextRule(
        label_of("milestone.name"), 200, multiline=False, column="milestone.name"
    ),
    # the monthly report (月度调度表)
    "report.progress_text": TextRule(
        label_of("report.progress_text"), 4000, column="monthlyreport.progress_text"
    ),
    "report.milestone_status": TextRule(
        label_of("report.milestone_status"), 4000, column="monthlyreport.milestone_status"
    ),
    "report.problems": TextRule(label_of("report.problems"), 4000, column="monthlyreport.problems"),
    "report.next_steps": TextRule(
        label_of("report.next_steps"), 4000, column="monthlyreport.next_steps"
    ),
    "report.coordination": TextRule(
        label_of("report.coordination"), 4000, column="monthlyreport.coordination"
    ),
    "report.reporter": TextRule(
        label_of("report.reporter"), 50, multiline=False, column="monthlyreport.reporter"
    ),
    "report.return_comment": TextRule(
        label_of("report.return_comment"),
        2000,
        column="monthlyreport.return_comment",
        required=True,
    ),
    # milestones (节点)
    "milestone.note": TextRule(label_of("milestone.note"), 2000, column="milestone.note"),
    "milestone.reason": TextRule(
        label_of("milestone.reason"), 2000, column="milestone.pending_reason", required=True
    ),
    # the ledger (问题台账)
    "problem.text": TextRule(
        label_of("problem.text"), 4000, column="problemitem.text", required=True
    ),
    "problem.owner": TextRule(
        label_of("problem.owner"), 100, multiline=False, column="problemitem.owner"
    ),
    "problem.close_note": TextRule(
        label_of("problem.close_note"), 2000, column="problemitem.close_note"
    ),
    # accounts
    "user.username": TextRule(
        label_of("user.username"), 50, multiline=False, column="user.username", required=True
    ),
    "user.display_name": TextRule(
        label_of("user.display_name"), 100, multiline=False, column="user.display_name"
    ),
    "user.email": TextRule(label_of("user.email"), 200, multiline=False, column="user.email"),
    "user.lead_unit": TextRule(
        label_of("user.lead_unit"), 100, multiline=False, column="user.lead_unit"
    ),
    "user.password": TextRule(label_of("user.password"), 256, multiline=False),
    # approval steps (前期手续, #17)
    "step.name": TextRule(
        label_of("step.name"), 100, multiline=False, column="projectstep.name", required=True
    ),
    "step.approving_unit": TextRule(
        label_of("step.approving_unit"),
        100,
        multiline=False,
        column="projectstep.approving_unit",
        required=True,
    ),
    "step.document_number": TextRule(
        label_of("step.document_number"),
        100,
        multiline=False,
        column="projectstep.document_number",
    ),
    "step.contact_person": TextRule(
        label_of("step.contact_person"), 50, multiline=False, column="projectstep.contact_person"
    ),
    "step.contact_phone": TextRule(
        label_of("step.contact_phone"), 50, multiline=False, column="projectstep.contact_phone"
    ),
    "step.note": TextRule(label_of("step.note"), 2000, column="projectstep.note"),
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
        raise ValueRefused("value.text_format", field=field, label=rule.label)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").strip()
    for position, char in enumerate(text, start=1):
        if _bad_character(char, rule.multiline):
            if char in _LINE_BREAKS or char == "\t":
                raise ValueRefused("value.text_one_line", field=field, label=rule.label)
            raise ValueRefused(
                "value.text_control",
                field=field,
                label=rule.label,
                position=position,
                code=f"{ord(char):04X}",
            )
    if len(text) > rule.max_length:
        raise ValueRefused(
            "value.text_too_long",
            field=field,
            label=rule.label,
            limit=rule.max_length,
            length=len(text),
        )
    if rule.required and not text:
        raise ValueRefused("value.text_required", field=field, label=rule.label)
    return text
