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


@dataclass(frozen=True)
class MilestoneRow:
    name: str
    planned: date


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
    # where the row came from, for messages; not part of the plan
    sheet: str = field(default="", compare=False)
    row: int = field(default=0, compare=False)  # 1-based worksheet row


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # 1-based worksheet row
    column: str  # column letter, e.g. "J"; "" when the error concerns the whole row
    field: str  # the header as written in the file, e.g. "总投资（万元）"
    message: str  # plain Chinese, e.g. "无法识别的日期：2022年13月"

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”第{self.row}行"
        if self.column:
            where += f"{self.column}列"
        if self.field:
            where += f"（{self.field}）"
        return f"{where}：{self.message}"


@dataclass
class ParsedList:
    projects: list[ProjectRow]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)


class ListFileError(Exception):
    """The file as a whole is refused (not a project list, too large, hostile, unreadable)."""
