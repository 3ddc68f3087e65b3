"""The indicators as the annual bulletin and the 考评 read them: each indicator's light and
latest accepted value, and each responsible unit's reporting of the values due in the year
(due, reported, on time, accepted) scored and ranked. Pure: rows in, figures out.

The reporting score is policy, written out with its formula wherever it is shown:
on-time rate (values submitted by their due day ÷ values due) × 70% + acceptance rate
(values accepted ÷ values due) × 30%; a unit with nothing due has no score and no rank.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.domain.ranking import rank_order

LIGHTS = ("green", "amber", "red")
ON_TIME_WEIGHT = Decimal("0.7")
ACCEPTED_WEIGHT = Decimal("0.3")


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as judged on the bulletin's day."""

    system: str
    code: str
    name: str
    unit: str
    owner: str  # the responsible unit
    light: str  # green | amber | red (tracker.domain.indicators.judge)
    latest: Decimal | None = None  # the latest accepted value
    latest_period: str = ""  # its period's key (2025, 2025Q3, 2025-07)
    baseline: Decimal | None = None  # 基期值
    target_2025: Decimal | None = None
    target_2030: Decimal | None = None
    missing: int = 0  # due periods without an accepted value


@dataclass(frozen=True)
class ValueDue:
    """A value due within the year (its due day in the year, on or before the day read)."""

    owner: str
    code: str
    period: str
    due_on: date
    submitted_on: date | None  # the first time it was submitted; None: never
    accepted: bool


@dataclass(frozen=True)
class UnitScore:
    owner: str
    indicators: int
    due: int
    reported: int
    on_time: int
    accepted: int
    score: Decimal | None  # out of 100, two decimals; None when nothing was due
    rank: int | None

    @property
    def on_time_rate(self) -> Decimal | None:
        return Decimal(self.on_time) / self.due if self.due else None


@dataclass(frozen=True)
class IndicatorDigest:
    year: int
    as_of: date
    systems: tuple[tuple[str, int], ...]  # (system, indicators) in the catalogue's order
    lines: tuple[IndicatorLine, ...]
    units: tuple[UnitScore, ...]  # best first, unranked last

    def count(self, light: str) -> int:
        return sum(1 for line in self.lines if line.light == light)

    @property
    def missing(self) -> int:
        """Indicators with at least one due period without an accepted value."""
        return sum(1 for line in self.lines if line.missing)

    @property
    def red(self) -> tuple[IndicatorLine, ...]:
        return tuple(line for line in self.lines if line.light == "red")

    @property
    def due(self) -> int:
        return sum(u.due for u in self.units)

    def total(self, what: str) -> int:
        """Sum of a unit column (reported, on_time, accepted) over the units."""
        return sum(int(getattr(u, what)) for u in self.units)


def reporting_score(due: int, on_time: int, accepted: int) -> Decimal | None:
    """The unit's indicator reporting score out of 100 (two decimals); None with nothing due."""
    if due <= 0:
        return None
    raw = (ON_TIME_WEIGHT * on_time + ACCEPTED_WEIGHT * accepted) / due * 100
    return raw.quantize(Decimal("0.01"))


def unit_scores(lines: Iterable[IndicatorLine], dues: Iterable[ValueDue]) -> tuple[UnitScore, ...]:
    """Each responsible unit's reporting of the year's due values, ranked (ties share a rank;
    ties and the unranked keep the order the units first appear in ``lines``)."""
    owned = Counter(line.owner for line in lines)
    order = tuple(dict.fromkeys(line.owner for line in lines))
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for due in dues:
        counts = tally[due.owner]
        counts[0] += 1
        if due.submitted_on is not None:
            counts[1] += 1
            counts[2] += due.submitted_on <= due.due_on
        counts[3] += due.accepted
    owners = tuple(dict.fromkeys([*order, *tally]))
    scores = {o: reporting_score(tally[o][0], tally[o][2], tally[o][3]) for o in owners}
    ranked = rank_order({o: None if s is None else float(s) for o, s in scores.items()}, owners)
    return tuple(
        UnitScore(
            owner=o,
            indicators=owned.get(o, 0),
            due=tally[o][0],
            reported=tally[o][1],
            on_time=tally[o][2],
            accepted=tally[o][3],
            score=scores[o],
            rank=rank,
        )
        for rank, o in ranked
    )


def digest(
    year: int,
    as_of: date,
    lines: Sequence[IndicatorLine],
    dues: Iterable[ValueDue],
) -> IndicatorDigest:
    """The year's indicators digest from the judged lines and the values due."""
    systems = Counter(line.system for line in lines)
    order = dict.fromkeys(line.system for line in lines)
    return IndicatorDigest(
        year=year,
        as_of=as_of,
        systems=tuple((name, systems[name]) for name in order),
        lines=tuple(lines),
        units=unit_scores(lines, dues),
    )
