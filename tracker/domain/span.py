"""Quarter, half-year and year (一季度 / 上半年 / 前三季度 / 全年): the figures of a span of
the year, 同比 against the same span of last year, and the half-year 双过半 check. Pure:
the figures come from the months' frozen bulletin payloads (``Bulletin.to_dict()``), never
from the live tables, so a half-year bulletin reads what the office signed month by month.

A span always starts in January, so its figures are those of its last month: investment
completed is that month's year-to-date figure, and new starts (新开工) and completions (竣工)
are counted within the year up to it. On-time reporting is summed over the span's months.
When the span's last month is not frozen yet, the figures are those of the latest frozen
month inside the span (its *data month*) and the months not frozen are named as missing;
nothing is computed live and nothing is invented.

Amounts are 万元 as Decimals; rates are exact Decimal fractions, rounded only when written
(``tracker.domain.numbers``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tracker.domain.messages import KeyedError
from tracker.domain.numbers import rounded
from tracker.domain.periods import month_end, time_progress
from tracker.domain.places import COUNTIES

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Span:
    code: str  # Q1 | H1 | Q3 | Y
    end_month: int  # 3, 6, 9, 12

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, self.end_month + 1))

    @property
    def label_key(self) -> str:
        return f"span.label.{self.code}"  # 一季度 / 上半年 / 前三季度 / 全年

    def end(self, year: int) -> date:
        return month_end(date(year, self.end_month, 1))


SPANS: dict[str, Span] = {
    "Q1": Span("Q1", 3),
    "H1": Span("H1", 6),
    "Q3": Span("Q3", 9),
    "Y": Span("Y", 12),
}
_PERIOD = re.compile(r"(\d{4})-(Q1|H1|Q3|Y)")


class SpanError(KeyedError):
    """A span asked for in a form the product does not know."""


def parse_period(text: str) -> tuple[int, Span]:
    """'2026-H1' → (2026, H1); anything else is refused naming the forms it may take."""
    found = _PERIOD.fullmatch(text.strip().upper())
    if found is None or not 1900 < int(found.group(1)) < 2200:
        raise SpanError("span.bad_period", value=text)
    return int(found.group(1)), SPANS[found.group(2)]


# --- one group's figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """One group's (a county, a lead unit, or everything: 合计) figures of a span."""

    key: str
    projects: int
    annual_plan: Decimal  # 年度计划投资, 万元
    completed: Decimal  # 年度累计完成投资 at the data month, 万元
    new_started: int = 0  # 新开工 within the year up to the data month
    finished: int = 0  # 竣工 within the year up to the data month
    expected: int = 0  # monthly reports expected over the span's frozen months
    on_time: int = 0  # of those, submitted by the due day

    @property
    def rate(self) -> Decimal | None:
        """投资完成率 = completed ÷ annual plan; None without a plan (nothing to count)."""
        return self.completed / self.annual_plan if self.annual_plan > 0 else None

    def gap_pp(self, progress: float) -> Decimal | None:
        """Points above (+) or below (−) the office-wide 序时进度 ``progress``."""
        rate = self.rate
        return None if rate is None else (rate - Decimal(repr(progress))) * 100

    @property
    def half_done(self) -> bool | None:
        """任务过半: at least half of the annual plan completed (exact, never a rounded rate);
        None without a plan."""
        return None if self.annual_plan <= 0 else self.completed * 2 >= self.annual_plan

    @property
    def reporting_rate(self) -> Decimal | None:
        return Decimal(self.on_time) / Decimal(self.expected) if self.expected else None


def _decimal(value: Any) -> Decimal:
    if value is None:
        return Decimal("0")
    return (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value) if isinstance(value, float) else str(value))
    )


def figures_of(row: Mapping[str, Any], reporting: tuple[int, int] = (0, 0)) -> Figures:
    """A payload's figure row (``by_county``, ``by_lead_unit``, ``totals``) as Figures;
    ``reporting`` is (expected, on time) summed over the span's months."""
    return Figures(
        key=str(row.get("key", "")),
        projects=int(row.get("projects", 0)),
        annual_plan=_decimal(row.get("annual_plan")),
        completed=_decimal(row.get("completed_ytd")),
        new_started=int(row.get("new_started", 0)),
        finished=int(row.get("completed", 0)),
        expected=reporting[0],
        on_time=reporting[1],
    )


# --- the span's figures from the frozen months -----------------------------------------------


@dataclass(frozen=True)
class FrozenMonth:
    """A frozen bulletin: the months its period covers (January may be reported with
    February: first 1, last 2) and its payload."""

    first: int
    last: int
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class SpanFigures:
    year: int
    span: Span
    data_month: int | None  # the month the figures are as of; None: nothing frozen yet
    frozen: tuple[int, ...]  # months of the span covered by a frozen bulletin
    missing: tuple[int, ...]  # months of the span no frozen bulletin covers (yet)
    total: Figures
    counties: tuple[Figures, ...]  # the payload's order (the counties', then 市直)
    units: tuple[Figures, ...]
    # from the data month's payload (the state at its end): 应开未开, overdue milestones,
    # red/amber, open coordination items — lists of the payload's rows
    end_payload: Mapping[str, Any]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def time_progress(self) -> float:
        """序时进度 at the end of the data month (the span's end once complete), counted in
        months as headlines publish it (``periods.time_progress``)."""
        month = self.data_month or self.span.end_month
        return time_progress(month_end(date(self.year, month, 1)))

    @property
    def ranked_counties(self) -> tuple[Figures, ...]:
        """The counties only (市直 is not a county)."""
        return tuple(f for f in self.counties if f.key in COUNTIES)


def _summed(months: Iterable[FrozenMonth], kind: str) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for month in months:
        rows = (
            [month.payload.get("totals", {})] if kind == "totals" else month.payload.get(kind, [])
        )
        for row in rows:
            key = "合计" if kind == "totals" else str(row.get("key", ""))
            expected, on_time = out.get(key, (0, 0))
            out[key] = (
                expected + int(row.get("expected", 0)),
                on_time + int(row.get("reported_on_time", 0)),
            )
    return out


def span_figures(year: int, span: Span, months: Sequence[FrozenMonth]) -> SpanFigures:
    """The span's figures from the year's frozen months (any order; months after the span
    are ignored)."""
    inside = sorted((m for m in months if m.last <= span.end_month), key=lambda m: m.last)
    covered = {n for m in inside for n in range(m.first, m.last + 1)}
    missing = tuple(n for n in span.months if n not in covered)
    if not inside:
        empty = Figures("合计", 0, Decimal("0"), Decimal("0"))
        return SpanFigures(year, span, None, (), missing, empty, (), (), {})
    end = inside[-1]
    totals = _summed(inside, "totals")
    by_county = _summed(inside, "by_county")
    by_unit = _summed(inside, "by_lead_unit")
    payload = end.payload
    return SpanFigures(
        year=year,
        span=span,
        data_month=end.last,
        frozen=tuple(sorted(covered)),
        missing=missing,
        total=figures_of({**payload.get("totals", {}), "key": "合计"}, totals["合计"]),
        counties=tuple(
            figures_of(r, by_county.get(r["key"], (0, 0))) for r in payload.get("by_county", [])
        ),
        units=tuple(
            figures_of(r, by_unit.get(r["key"], (0, 0)))
            for r in payload.get("by_lead_unit", [])
            if r.get("key")
        ),
        end_payload=payload,
    )


def same_month_last_year(
    months: Sequence[FrozenMonth], data_month: int
) -> tuple[Figures, dict[str, Figures], dict[str, Figures]] | None:
    """Last year's figures at the same data month (total, by county, by lead unit), from its
    frozen bulletin ending that month; None when last year has none (never invented)."""
    found = next((m for m in months if m.last == data_month), None)
    if found is None:
        return None
    payload = found.payload
    return (
        figures_of({**payload.get("totals", {}), "key": "合计"}),
        {r["key"]: figures_of(r) for r in payload.get("by_county", [])},
        {r["key"]: figures_of(r) for r in payload.get("by_lead_unit", []) if r.get("key")},
    )


# --- 同比 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearOnYear:
    """同比: this span's completed investment and completion rate against the same span of
    last year."""

    this: Figures
    last: Figures | None  # None: no frozen figures last year (无上年同期数据)

    @property
    def growth(self) -> Decimal | None:
        """(this − last) ÷ last; None without last year's figures or with nothing completed
        last year (a growth rate from zero is no number)."""
        if self.last is None or self.last.completed <= 0:
            return None
        return (self.this.completed - self.last.completed) / self.last.completed

    @property
    def rate_change_pp(self) -> Decimal | None:
        """The completion rate's change in percentage points."""
        if self.last is None or self.this.rate is None or self.last.rate is None:
            return None
        return (self.this.rate - self.last.rate) * 100

    @property
    def direction(self) -> str:
        """none (无上年同期数据) | from_zero (nothing completed last year) | up | down | flat —
        decided on the growth as written (one decimal), so '同比增长0.0%' is never written."""
        if self.last is None:
            return "none"
        growth = self.growth
        if growth is None:
            return "from_zero"
        return _sign(rounded(growth * 100, 1))

    @property
    def rate_direction(self) -> str:
        """up | down | flat for the completion rate's change as written; none without it."""
        change = self.rate_change_pp
        return "none" if change is None else _sign(rounded(change, 1))


def _sign(written: Decimal) -> str:
    return "up" if written > 0 else "down" if written < 0 else "flat"


# --- 双过半 at the half-year --------------------------------------------------------------------


def time_half(year: int) -> tuple[float, bool]:
    """时间过半: 序时进度 at 30 June on the product's calendar (``periods.time_progress``,
    counted in months: exactly 50%), and whether it is at least half."""
    progress = time_progress(date(year, 6, 30))
    return progress, progress >= 0.5


@dataclass(frozen=True)
class DoubleHalf:
    """双过半: time and investment both past half at 30 June."""

    time_progress: float
    time_half: bool
    total: Figures
    counties_missed: tuple[Figures, ...]  # counties with a plan and less than half done
    units_missed: tuple[Figures, ...]

    @property
    def task_half(self) -> bool:
        return bool(self.total.half_done)

    @property
    def both(self) -> bool:
        return self.time_half and self.task_half


def double_half(figures: SpanFigures) -> DoubleHalf | None:
    """The 双过半 check of a half-year whose June is frozen; None otherwise (it cannot be
    judged before the half-year's figures are signed)."""
    if figures.span.code != "H1" or figures.data_month != 6:
        return None
    progress, past = time_half(figures.year)
    return DoubleHalf(
        time_progress=progress,
        time_half=past,
        total=figures.total,
        counties_missed=tuple(f for f in figures.ranked_counties if f.half_done is False),
        units_missed=tuple(f for f in figures.units if f.half_done is False),
    )


def below_half_rate(rate: Decimal) -> tuple[Decimal, int]:
    """A rate below 50% written so that it reads below 50%: one decimal, or more where one
    decimal would round it up to 50.0% (49.96% is written 49.96%, not 50.0%). Returns the
    percentage rounded half up and the decimals used."""
    for places in (1, 2, 3, 4):
        value = rounded(rate * 100, places)
        if value < 50:
            return value, places
    return rounded(rate * 100, 4), 4


# --- ranking sentences ----------------------------------------------------------------------


def order_by_rate(groups: Iterable[Figures]) -> list[Figures]:
    """由高到低 by completion rate (exact); groups without a plan are left out; ties keep
    the given order."""
    with_plan = [g for g in groups if g.rate is not None]
    return sorted(with_plan, key=lambda g: -(g.rate or Decimal("0")))


def bottom(ranked: Sequence[tuple[int | None, str]], count: int = 3) -> list[str]:
    """The last ``count`` ranked names (those without a rank left out), ties with the first
    of them included (ranks 1,2,3,3,5,6 → the two 3s, 5 and 6); nobody when no more than
    ``count`` are ranked (naming everyone as the last would name the first too)."""
    scored = [(rank, name) for rank, name in ranked if rank is not None]
    if len(scored) <= count:
        return []
    threshold = scored[-count][0]
    return [name for rank, name in scored if rank is not None and rank >= threshold]
