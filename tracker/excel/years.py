"""Which year a list's 本年度 means: from its title, its sheet's name or its headers.

A list says “本年度计划投资”, “截至上年底累计完成投资” or “3月底前完成可研批复” and
leaves the year to the reader. The year is read, in this order, from the title rows
above the header (“临沧市2022年重大项目清单”), the sheet's name (“2022年”), or the
headers that do carry one (“2022年度工作目标”); a year given by the office (the
browser asks, the CLI takes ``--year``) wins over all of them. The choice carries its
source, so the dry run can say which year it used and why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.domain.messages import Message, msg
from tracker.excel.values import normalize_text

__all__ = ["YearChoice", "resolve_year", "years_named"]

_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:-|—|–|~|～|至|到)+\s*((?:19|20)\d{2})")
# a year named as such: 2022年度, 2022年 (not 2022年3月, which dates the document)
_NAMED = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年度|年(?!\s*\d{1,2}\s*月)|$)")
_DATED = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.]|(?!\d))")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")


@dataclass(frozen=True)
class YearChoice:
    year: int
    source: str  # where it came from, as the dry run says it: 标题“…”, 工作表名“…”
    origin: Message | None = field(default=None, compare=False)  # ``source`` as a Message

    @classmethod
    def of(cls, year: int, key: str, **params: Any) -> YearChoice:
        """The year with its source as a catalogue message (``source`` its Chinese text)."""
        origin = msg(key, **params)
        return cls(year, str(origin), origin)

    def said(self) -> Message:
        """2022年（标题“…”）, in any language."""
        return msg("year.chosen", year=self.year, source=self.origin or self.source)

    def __str__(self) -> str:
        return str(self.said())


def years_named(text: str) -> set[int]:
    """The years a title or sheet name names as the list's year; a range names none."""
    folded = _CN_YEAR.sub(lambda m: m[0].translate(_CN_DIGITS), normalize_text(text))
    if _RANGE.search(folded):
        return set()
    named = {int(y) for y in _NAMED.findall(folded)}
    if named:
        return named
    return {int(y) for y in _DATED.findall(folded)}  # 截至2022年6月底: 2022


def resolve_year(
    *,
    given: int | None,
    titles: Sequence[str],
    sheet: str,
    header_years: Sequence[tuple[str, int]],
) -> tuple[YearChoice | None, list[Message]]:
    """The year 本年度 means on one sheet, and warnings where sources disagree.

    ``header_years`` holds (header as written, the list year it implies): 2022 for
    “2022年计划投资”, 2022 for “至2021年底累计完成投资”.
    """
    warnings: list[Message] = []
    found: list[YearChoice] = []
    for title in titles:
        years = years_named(title)
        if len(years) == 1:
            found.append(YearChoice.of(years.pop(), "year.from_title", text=_short(title)))
            break
    years = years_named(sheet)
    if len(years) == 1:
        found.append(YearChoice.of(years.pop(), "year.from_sheet", text=sheet))
    implied = {year for _, year in header_years}
    if len(implied) == 1:
        year = implied.pop()
        header = next(h for h, y in header_years if y == year)
        found.append(YearChoice.of(year, "year.from_header", text=_short(header)))
    if given is not None:
        chosen: YearChoice | None = YearChoice.of(given, "year.given")
    else:
        chosen = found[0] if found else None
    if chosen is not None:
        for other in found:
            if other.year != chosen.year:
                warnings.append(
                    msg(
                        "year.disagrees",
                        source=other.origin or other.source,
                        year=other.year,
                        chosen=chosen.said(),
                    )
                )
    return chosen, warnings


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"
