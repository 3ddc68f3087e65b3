"""Target text (工作目标, 进度安排, 节点): one cell of items, each a milestone or an
investment target.

    “①3月底前完成可研批复；②6月底前开工建设，12月底前完成年度投资2.1亿元”

Items are split on ；/; and line breaks, on numbering (1. 2、 (3) ①), and on ，/、
where a date or an investment begins. An item with a date (“3月底前”, “6月”,
“2022年上半年”, “年底前”, “三季度”, “12月31日前”, “2022.6”) is a milestone: the date
taken out is its planned date (the end of the period named), the rest its name. A month
without a year takes the year the column or the list gives (``year``). An item that
states an amount of investment (“完成年度投资2.1亿元”) is not a milestone but an
investment target: the importer checks it against the year's planned investment (and
takes it as the plan when the list has no plan column for that year). An item it cannot
place (no date, no amount) is kept as text and reported, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.domain.inputs import AMOUNT_CEILING
from tracker.domain.messages import Message, msg
from tracker.excel.values import ValueProblem, clean_text, normalize_text, parse_amount, parse_date

__all__ = ["Target", "YearNeeded", "parse_targets"]


class YearNeeded(Exception):
    """An item names a month but no year, and no year was given."""


@dataclass(frozen=True)
class Target:
    text: str  # the item as written (after splitting)
    name: str = ""  # milestone name
    planned: date | None = None  # milestone date
    investment: Decimal | None = None  # 万元: an investment target's amount
    year: int | None = None  # the year an investment target is for
    cumulative: bool = False  # 累计/总投资: not a year's amount
    problem: Message | None = None  # why the item gave neither a milestone nor an amount

    @property
    def is_milestone(self) -> bool:
        return self.planned is not None and self.investment is None


_CIRCLED = re.compile(r"[\u2460-\u249b\u2776-\u277f\u24eb-\u24f4]")
_SENTENCES = re.compile(r"[;\n\r。]+|\s+(?=\(\d{1,2}\)|\d{1,2}[、)]|\d{1,2}\.(?:\D|\d{1,2}\s*月))")
_NUMBERING = re.compile(
    r"^\s*(?:\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*\)"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[、)]"
    r"|\d{1,2}\s*\.(?=\s*\D|\s*\d{1,2}\s*月)"
    r"|[一二三四五六七八九十]{1,2}\s*\.)\s*"
)
_YEAR = r"(?:19|20)\d{2}"
_WHEN = re.compile(
    r"[(（]?\s*"
    rf"(?:(?P<next>次年|明年|下一年|翌年)|(?P<y>{_YEAR})\s*(?:年(?![底末内中])|(?=年[底末内中])))?\s*"
    r"(?:(?P<m>\d{1,2})\s*月份?\s*(?:(?P<d>\d{1,2})\s*[日号]|(?P<part>底|末|初|上旬|中旬|下旬))?"
    r"|(?P<season>年底|年末|年内|年中|上半年|下半年|第?\s*[一二三四1-4]\s*季度\s*末?))"
    r"\s*(?:前|之前|以前|内)?\s*[)）]?"
)
_ISO = re.compile(
    rf"[(（]?\s*(?P<iso>{_YEAR}\s*[-/.]\s*\d{{1,2}}(?:\s*[-/.]\s*\d{{1,2}})?)(?!\d)\s*(?:前|之前|以前)?\s*[)）]?"
)
# where a comma or 、 starts a new item: before a date, or before an amount of investment
_BREAK = re.compile(
    rf"[,、]\s*(?=(?:{_YEAR}\s*年\s*)?(?:\d{{1,2}}\s*月|年底|年末|年内|上半年|下半年|第?[一二三四1-4]季度)"
    r"|(?:力争|确保|累计|全年|年度)?\s*完成(?:年度|全年|当年)?投资)"
)
_INVESTMENT = re.compile(
    r"(?P<cum>累计|总投资|开工以来)?[^;]*?投资(?:额)?\s*(?:达到|达|完成|为|约|超过)?\s*"
    r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>亿元|万元|亿|万|元)"
)
_INVESTMENT_WORDS = re.compile(r"完成(?:年度|全年|当年)?投资(?:计划|任务|目标)")
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_TRIM = " ,，:：;；、.。()（）-—"
_ENDS = " ,，:：;；、。"


def parse_targets(
    value: object, *, year: int | None, ceiling: Decimal = AMOUNT_CEILING
) -> list[Target]:
    """Every item of a target cell, in order. ``year`` is the year of months written
    without one; ``YearNeeded`` when such a month appears and ``year`` is None; an
    investment target above ``ceiling`` (万元, the office's AMOUNT_MAX_WAN) is no amount."""
    raw = clean_text(value)
    if not raw:
        return []
    text = normalize_text(_CIRCLED.sub("\n", raw))
    items: list[Target] = []
    for sentence in _SENTENCES.split(text):
        for piece in _BREAK.split(sentence):
            piece = _NUMBERING.sub("", piece, count=1).strip(_ENDS)
            if piece.strip(_TRIM):
                items.append(_item(piece, year, ceiling))
    return items


_NO_AMOUNT = msg("target.no_amount")


def _item(piece: str, year: int | None, ceiling: Decimal) -> Target:
    if m := _INVESTMENT.search(piece):
        try:
            amount = parse_amount(m["n"] + m["u"], ceiling=ceiling)
        except ValueProblem:
            amount = None
        if amount is not None:
            when = _when(piece, year, required=False)
            return Target(
                piece,
                investment=amount,
                year=when.year if when else year,
                cumulative=m["cum"] is not None,
            )
    when_match = _ISO.search(piece) or _WHEN.search(piece)
    if when_match is None:
        if _INVESTMENT_WORDS.search(piece):
            return Target(piece, problem=_NO_AMOUNT)
        return Target(piece, problem=msg("target.no_date"))
    planned = _date_of(when_match, year)
    name = (piece[: when_match.start()] + " " + piece[when_match.end() :]).strip(_TRIM)
    name = re.sub(r"\s+", " ", name).strip(_TRIM)
    name = re.sub(r"^(?:于|在)\s*", "", name)
    if not name:
        return Target(piece, problem=msg("target.date_only"))
    if _INVESTMENT_WORDS.search(name):
        return Target(piece, problem=_NO_AMOUNT)
    return Target(piece, name=name, planned=planned)


def _when(piece: str, year: int | None, *, required: bool) -> date | None:
    match = _ISO.search(piece) or _WHEN.search(piece)
    if match is None:
        return None
    try:
        return _date_of(match, year)
    except YearNeeded:
        if required:
            raise
        return None


def _date_of(match: re.Match[str], year: int | None) -> date:
    groups = match.groupdict()
    if groups.get("iso"):
        parsed = parse_date(groups["iso"].replace(" ", ""), end_of_period=True)
        assert parsed is not None
        return parsed
    if groups["y"]:
        the_year = int(groups["y"])
    elif year is None:
        raise YearNeeded(match.group(0))
    else:
        the_year = year + (1 if groups["next"] else 0)
    if groups["m"]:
        month = int(groups["m"])
        if groups["d"]:
            text = f"{the_year}年{month}月{int(groups['d'])}日"
        else:
            text = f"{the_year}年{month}月{groups['part'] or ''}"
    else:
        season = groups["season"].replace(" ", "").rstrip("末")
        if season in ("年底", "年", "年内"):
            text = f"{the_year}年底"
        elif season in ("年中", "上半年"):
            text = f"{the_year}年上半年"
        elif season == "下半年":
            text = f"{the_year}年下半年"
        else:
            quarter = _CN_QUARTER[season.lstrip("第")[0]]
            text = f"{the_year}年第{quarter}季度"
    parsed = parse_date(text, end_of_period=True)
    assert parsed is not None
    return parsed
