"""Plain rows exchanged between the Excel layer and the services (no database, no Dash).

The importer turns a workbook into ``ParsedList``; the exporter turns ``ProjectRow``s
back into a workbook. Amounts are in 万元 as ``Decimal`` (two decimals); dates are
``datetime.date``. A date given only as a month means the last day of that month for
finish dates and milestones, and the first day for start dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from tracker.domain.messages import KeyedError, Message, msg

if TYPE_CHECKING:
    from tracker.excel.years import YearChoice


@dataclass(frozen=True)
class MilestoneRow:
    name: str
    planned: date
    actual: date | None = None  # when the list says it was done


@dataclass(frozen=True)
class ProjectRow:
    name: str
    area: str
    measure: str
    county: str  # one of the 8 counties' short names (临翔区, 凤庆县, ..., 双江县, 耿马县, 沧源县) or 市直
    code: str | None = None  # 项目编号; None when the list has only 序号
    lead_unit: str = ""
    responsible_units: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    scope: str = ""  # 建设内容及规模
    nature: str = "新建"  # 新建 | 续建
    total_investment: Decimal = Decimal("0")  # 万元
    annual_plans: dict[int, Decimal] = field(default_factory=dict)  # year -> 万元
    planned_start: date | None = None
    planned_finish: date | None = None
    milestones: tuple[MilestoneRow, ...] = ()
    city_leader: str = ""  # 市级责任领导
    implementer: str = ""  # 实施主体 / 项目业主
    remark: str = ""  # 备注
    actual_start: date | None = None
    actual_finish: date | None = None
    # 前期手续 (#17): standard step code (tracker.domain.approvals) -> the date it was approved
    approvals: dict[str, date] = field(default_factory=dict)
    opening_total: Decimal | None = None  # 万元 completed before ``opening_year`` (开工以来累计)
    opening_year: int | None = None
    # where the row came from, for messages; not part of the plan
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)  # 1-based worksheet row
    # the ProjectRow fields the list has columns for: a re-import changes only these
    present: frozenset[str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # 1-based worksheet row
    column: str  # column letter, e.g. "J"; "" when the error concerns the whole row
    field: str  # the header as written in the file, e.g. "总投资（万元）"
    # what is wrong: a catalogue Message (cell.date_unknown …); a plain string from a
    # caller that has not moved to keys yet is shown as written
    message: Message | str

    def as_message(self) -> Message:
        """The whole line, 工作表“…”第N行X列（field）：what — in any language."""
        key = ("row.error_at_cell" if self.column else "row.error_at_row") + (
            "_field" if self.field else ""
        )
        return msg(
            key,
            sheet=self.sheet,
            row=self.row,
            column=self.column,
            field=self.field,
            message=self.message,
        )

    def render(self, lang: str = "zh") -> str:
        return self.as_message().render(lang)

    def __str__(self) -> str:
        return self.render("zh")


@dataclass(frozen=True)
class ColumnReport:
    """One filled column of a sheet, what the importer makes of it, and why."""

    sheet: str
    letter: str
    header: str  # as written ("" when the column has none)
    samples: tuple[str, ...]  # up to three distinct values
    field: str | None  # the Field's name (e.g. "COUNTY") it is read as; None when not read
    how: str  # header | values | mapping | ignored | dropped | unknown
    reason: Message | None = None  # why (e.g. 多为县（区）名; 与F列重复)
    candidates: tuple[str, ...] = ()  # Field names it could be, most likely first
    year: int | None = None  # the year its amounts or targets belong to, when it has one

    @property
    def note(self) -> str:
        """``reason`` in Chinese ("" when there is none)."""
        return "" if self.reason is None else str(self.reason)

    @property
    def used(self) -> bool:
        return self.field is not None

    def where(self) -> str:
        head = f"“{self.header}”" if self.header else "（无表头）"
        return f"工作表“{self.sheet}”{self.letter}列{head}"


@dataclass
class ParsedList:
    projects: list[ProjectRow]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    columns: list[ColumnReport] = field(default_factory=list)  # every filled column
    missing: list[str] = field(default_factory=list)  # required fields no column holds
    year: int | None = None  # what 本年度 means, when the list needed it
    year_source: str = ""  # why (标题“…”, 工作表名“…”, 导入时指定)
    year_origin: Message | None = None  # ``year_source`` as a Message
    year_needed: bool = False  # the list needs a year it does not name
    # ``warnings`` and ``missing`` as catalogue Messages, for a reader in any language (the
    # two lists above hold their Chinese text, as import jobs store them)
    warning_messages: list[Message] = field(default_factory=list)
    missing_messages: list[Message] = field(default_factory=list)

    def take_year(self, choice: YearChoice) -> None:
        """What 本年度 means for the whole list, and why."""
        self.year, self.year_source, self.year_origin = choice.year, choice.source, choice.origin

    def warn(self, message: Message) -> None:
        """Something the office should know before importing (said in the dry run)."""
        self.warning_messages.append(message)
        self.warnings.append(str(message))

    def lack(self, message: Message) -> None:
        """A required column the list does not have (the office must map one)."""
        self.missing_messages.append(message)
        self.missing.append(str(message))

    @property
    def unused(self) -> list[ColumnReport]:
        """Filled columns that are not read (ignored, duplicates): 未使用的列."""
        return [c for c in self.columns if c.field is None and c.how != "unknown"]

    @property
    def unknown(self) -> list[ColumnReport]:
        """Filled columns nothing recognises: they must be mapped or ignored."""
        return [c for c in self.columns if c.how == "unknown"]

    @property
    def needs_input(self) -> bool:
        """The office must map columns or give the year before the list can be imported."""
        return bool(self.unknown or self.missing or (self.year_needed and self.year is None))


class ListFileError(KeyedError):
    """The file as a whole is refused (not a project list, too large, hostile, unreadable):
    a catalogue message (``str(error)`` the Chinese text, ``error.render(lang)``)."""
