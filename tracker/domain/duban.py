"""协调事项与督办: the rules that read a ledger item's text (its cause, the unit it names),
decide its 督办 level from its age and deadline, and lay out its 督办单 as a 公文.

Pure functions: the clock (``today``) and the settings come in as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tracker.domain.document import Column, Document, Section, Table

# --- cause (问题成因) ---------------------------------------------------------------------

CAUSES = ("land", "funds", "approval", "demolition", "factors", "other")
# the words a bulletin, its workbook and a 督办单 write for the causes and the levels (the
# document stays as the office issues it: Chinese; the interface takes the catalogue's)
CAUSE_TEXT: dict[str, str] = {
    "land": "用地",
    "funds": "资金",
    "approval": "审批",
    "demolition": "征拆",
    "factors": "要素保障",
    "other": "其他",
}
LEVEL_TEXT: dict[str, str] = {"office": "办公室督办", "city": "分管市领导督办", "mayor": "市长督办"}
OTHER = "other"

# cause -> the words that name it. The earliest word in the text decides (a text leads with
# its subject: "用地审批手续未办结" is about land); at one position, this order decides.
CAUSE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("demolition", ("征拆", "征地", "拆迁", "搬迁", "安置")),
    ("land", ("用地", "土地", "林地", "耕地", "占补平衡", "建设用地")),
    ("approval", ("审批", "批复", "手续", "许可", "环评", "可研", "核准", "备案")),
    ("funds", ("资金", "拨付", "融资", "贷款", "专项债", "预算", "投资缺口")),
    ("factors", ("要素", "水电", "用电", "用水", "供电", "供水", "电力", "材料", "砂石")),
)


def cause_from_text(text: str) -> str:
    """The cause a ledger item's text names (a key of ``CAUSES``), else ``other``."""
    found: list[tuple[int, int, str]] = []
    for order, (cause, words) in enumerate(CAUSE_WORDS):
        positions = [p for p in (str(text or "").find(w) for w in words) if p >= 0]
        if positions:
            found.append((min(positions), order, cause))
    return min(found)[2] if found else OTHER


# --- the responsible unit (责任单位) ----------------------------------------------------------

_SPACE = re.compile(r"\s+")


def owner_from_text(text: str, units: Iterable[str]) -> str:
    """The known unit the text names ("请市生态环境局…", "协调市自然资源和规划局…"): the one
    named first, the longest where two start at the same place; "" when it names none."""
    plain = _SPACE.sub("", str(text or ""))
    best: tuple[int, int, str] | None = None
    for unit in {_SPACE.sub("", str(u or "")) for u in units}:
        if len(unit) < 2:
            continue
        at = plain.find(unit)
        if at >= 0 and (best is None or (at, -len(unit)) < best[:2]):
            best = (at, -len(unit), unit)
    return best[2] if best else ""


def known_units(lead_units: Iterable[str], configured: str) -> list[str]:
    """The units an item's text is matched against: the projects' lead units and the units
    listed in the settings (comma-, 、- or ；-separated), each once, in that order."""
    out: list[str] = []
    for unit in [*lead_units, *re.split(r"[,，、;；\n]+", configured or "")]:
        unit = _SPACE.sub("", str(unit or ""))
        if len(unit) >= 2 and unit not in out:
            out.append(unit)
    return out


# --- 督办 levels ----------------------------------------------------------------------------

# 1 办公室督办 (蓝色) -> 2 分管市领导督办 (黄色) -> 3 市长督办 (红色)
LEVELS = ("office", "city", "mayor")


def rank(level: str) -> int:
    """1, 2 or 3 (an unknown level counts as the first)."""
    return LEVELS.index(level) + 1 if level in LEVELS else 1


def level_of(rank_: int) -> str:
    return LEVELS[min(max(rank_, 1), len(LEVELS)) - 1]


class Escalating(Protocol):
    """What the rule reads of an item."""

    status: str
    level: str
    raised_on: date
    due_date: date | None
    level_by_hand_on: date | None


def level_for(item: Escalating, today: date, settings: Any) -> str:
    """The 督办 level the item should have on ``today``.

    By age: open ``DUBAN_LEVEL2_DAYS`` days -> level 2, ``DUBAN_LEVEL3_DAYS`` -> level 3; a
    missed 整改时限 (``due_date`` before today) adds one level when
    ``DUBAN_MISSED_DUE_ESCALATES``. After the office set a level by hand, age counts from
    that day, and only a deadline passing after it counts as missed. The result is never
    below the item's level now (escalation never lowers), nor above 3; closed items keep
    theirs."""
    current = rank(item.level)
    if item.status != "open":
        return item.level
    start = item.level_by_hand_on or item.raised_on
    age = (today - start).days
    auto = 1
    if age >= int(settings.DUBAN_LEVEL2_DAYS):
        auto = 2
    if age >= int(settings.DUBAN_LEVEL3_DAYS):
        auto = 3
    due = item.due_date
    if (
        bool(settings.DUBAN_MISSED_DUE_ESCALATES)
        and due is not None
        and today > due
        and (item.level_by_hand_on is None or due >= item.level_by_hand_on)
    ):
        auto += 1
    return level_of(max(current, auto))


# --- the 督办单 -----------------------------------------------------------------------------


def duban_number(prefix: str, year: int, number: int) -> str:
    """The 文号: "临示办督〔2026〕7号"."""
    return f"{prefix}督〔{year}〕{number}号"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class DubanSheet:
    """What a 督办单 says, already in words (labels from the catalogue, dates as days)."""

    number: str  # 文号
    office: str
    issued_on: date
    project: str  # code and name
    county: str
    lead_unit: str
    kind: str  # 需协调事项 / 存在问题
    text: str
    cause: str  # the cause's label
    owner: str  # the responsible unit, or 待明确
    level: str  # the level's label
    raised_on: date
    due_date: date | None
    days_open: int


def duban_document(sheet: DubanSheet, labels: dict[str, str]) -> Document:
    """The 督办单 as a 公文: title, 文号, a two-column table of the item's facts, and the
    request to the responsible unit. ``labels``: the catalogue's words (title, row names,
    the request), so the layout decides no wording."""
    due = chinese_date(sheet.due_date) if sheet.due_date else labels["none"]
    facts = (
        (labels["project"], sheet.project),
        (labels["county"], sheet.county),
        (labels["lead_unit"], sheet.lead_unit),
        (labels["kind"], sheet.kind),
        (labels["text"], sheet.text),
        (labels["cause"], sheet.cause),
        (labels["owner"], sheet.owner),
        (labels["level"], sheet.level),
        (labels["raised_on"], chinese_date(sheet.raised_on)),
        (labels["due_date"], due),
        (labels["days_open"], str(sheet.days_open)),
    )
    table = Table(
        title="",
        columns=(Column(labels["field"], 8), Column(labels["content"], 30)),
        rows=tuple(facts),
    )
    request = labels["request"].format(owner=sheet.owner, due=due, office=sheet.office)
    return Document(
        title=labels["title"],
        issue_no=sheet.number,
        office=sheet.office,
        date_line=chinese_date(sheet.issued_on),
        sections=(Section("request", labels["request_heading"], request),),
        status=sheet.level,
        file_stem=f"督办单-{sheet.number}",
        tables_first=(table,),
    )
