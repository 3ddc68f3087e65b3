"""The zone's indicators (#16): periods by frequency, progress toward target, the light.

Pure functions of facts and ``as_of``, in the style of ``tracker.domain.rules``:

* a value belongs to a period (``period``: the first day of its year, quarter or month);
  the value of a period is due ``*_due_days`` after the period ends (``due_period``);
* progress is judged against the year's own target where the office set one, else on the
  straight line from the last anchor before (the baseline, or an earlier year's target) to
  the next target (2025, 2030 …) — "linear from baseline to the target year";
* the light comes from a rule table (``RULES``) with an amber and a red edge per rule
  (``IndicatorThresholds``); every rule that fires gives a ``Reason`` with its numbers;
* missing values (due periods with no accepted value) are listed and counted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from tracker.domain.inputs import TextRule, ValueRefused, parse_id, read_number, shown
from tracker.domain.messages import Message, msg
from tracker.domain.periods import add_months
from tracker.domain.rules import Light, Reason, worst

SDG_GOALS: tuple[int, ...] = tuple(range(1, 18))
TARGET_YEARS: tuple[int, ...] = (2025, 2030)  # the plan's milestone years (catalogue columns)


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better (R&D intensity, forest cover)
    LOWER = "lower"  # lower is better (energy use per unit of GDP, poverty)
    BAND = "band"  # within a band (band_low..band_high) is on target


class Frequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def months(self) -> int:
        return MONTHS[self.value]


MONTHS: dict[str, int] = {"annual": 12, "quarterly": 3, "monthly": 1}  # by frequency


class ValueStatus(StrEnum):
    DRAFT = "draft"  # entered, not yet sent to the office
    SUBMITTED = "submitted"  # waiting for the office's review
    RETURNED = "returned"  # the office sent it back with a reason
    ACCEPTED = "accepted"  # counted in the judgement


# --- periods -------------------------------------------------------------------------------


def period_start(frequency: Frequency | str, day: date) -> date:
    """The first day of the period of ``frequency`` that holds ``day``."""
    months = MONTHS[frequency]
    month = (day.month - 1) // months * months + 1
    return date(day.year, month, 1)


def period_end(frequency: Frequency | str, period: date) -> date:
    """The last day of the period that starts on (or holds) ``period``."""
    first = period_start(frequency, period)
    return add_months(first, MONTHS[frequency]) - timedelta(days=1)


def next_period(frequency: Frequency | str, period: date) -> date:
    return add_months(period_start(frequency, period), MONTHS[frequency])


def periods_between(frequency: Frequency | str, first: date, last: date) -> list[date]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    out: list[date] = []
    current, end = period_start(frequency, first), period_start(frequency, last)
    while current <= end:
        out.append(current)
        current = next_period(frequency, current)
    return out


def period_key(frequency: Frequency | str, period: date) -> str:
    """A period as the files and URLs write it: ``2024``, ``2024Q3``, ``2024-07``."""
    freq = Frequency(frequency)
    if freq is Frequency.ANNUAL:
        return f"{period.year}"
    if freq is Frequency.QUARTERLY:
        return f"{period.year}Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}-{period.month:02d}"


def parse_period_key(frequency: Frequency | str, text: str) -> date | None:
    """``period_key`` read back (also ``2024年``, ``2024年第3季度``, ``2024年7月``); None when
    it is not a period of that frequency."""
    raw = str(text).strip().replace(" ", "").upper()
    for old, new in (("年第", "Q"), ("季度", ""), ("年", "-"), ("月", ""), ("/", "-")):
        raw = raw.replace(old, new)
    raw = raw.rstrip("-")
    freq = Frequency(frequency)
    try:
        if freq is Frequency.ANNUAL and raw.isdigit() and len(raw) == 4:
            return date(int(raw), 1, 1)
        if freq is Frequency.QUARTERLY and "Q" in raw:
            year, quarter = raw.split("Q", 1)
            q = int(quarter)
            return date(int(year), 3 * q - 2, 1) if 1 <= q <= 4 else None
        if freq is Frequency.MONTHLY and "-" in raw:
            year, month = raw.split("-", 1)
            return date(int(year), int(month), 1)
    except ValueError:
        return None
    return None


# --- policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRule:
    """One row of the indicator light rules: the reason code it gives and the two
    ``IndicatorThresholds`` fields of its edges (a value at or above an edge sets it)."""

    code: str
    amber: str
    red: str
    unit: str  # pp | pct | periods


RULES: tuple[IndicatorRule, ...] = (
    IndicatorRule("behind_target", "amber_behind_pp", "red_behind_pp", "pp"),
    IndicatorRule("outside_band", "amber_outside_pct", "red_outside_pct", "pct"),
    IndicatorRule("missing_values", "amber_missing", "red_missing", "periods"),
    IndicatorRule("moving_away", "amber_moving_away", "red_moving_away", "periods"),
)
RULES_BY_CODE: dict[str, IndicatorRule] = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class IndicatorThresholds:
    """The edges of the indicator rules, and how long after a period ends its value is due.

    ``behind_pp``: points of the way from the anchor (baseline) to the target that the value
    lags where it should be; ``outside_pct``: distance outside the band as a share of the
    band's width (of its bound when the band is a single value); ``missing``: latest due
    periods in a row without an accepted value; ``moving_away``: latest periods in a row
    whose value moved against the direction."""

    amber_behind_pp: float = 10.0
    red_behind_pp: float = 25.0
    amber_outside_pct: float = 0.01
    red_outside_pct: float = 20.0
    amber_missing: int = 1
    red_missing: int = 2
    amber_moving_away: int = 2
    red_moving_away: int = 3
    annual_due_days: int = 120  # last year's statistics are out by the end of April
    quarterly_due_days: int = 30
    monthly_due_days: int = 15

    def __post_init__(self) -> None:
        for rule in RULES:
            amber, red = getattr(self, rule.amber), getattr(self, rule.red)
            if not 0 < amber <= red:
                raise ValueError(
                    f"{rule.amber} must be above 0 and {rule.red} at least {rule.amber}"
                )

    def due_days(self, frequency: Frequency | str) -> int:
        return int(getattr(self, f"{frequency}_due_days"))


DEFAULT_THRESHOLDS = IndicatorThresholds()


@lru_cache(maxsize=4096)
def due_period(
    frequency: Frequency | str, as_of: date, thresholds: IndicatorThresholds = DEFAULT_THRESHOLDS
) -> date:
    """The latest period whose value is due by ``as_of`` (its end plus the due days passed)."""
    period = period_start(frequency, as_of)
    while period_end(frequency, period) + timedelta(days=thresholds.due_days(frequency)) >= as_of:
        period = add_months(period, -MONTHS[frequency])
    return period


def due_on(
    frequency: Frequency | str, period: date, thresholds: IndicatorThresholds = DEFAULT_THRESHOLDS
) -> date:
    """The day a period's value is due (after it: missing)."""
    return period_end(frequency, period) + timedelta(days=thresholds.due_days(frequency))


# --- facts and judgement -------------------------------------------------------------------


class Observation(NamedTuple):
    """An accepted value (a tuple: thousands are made for one catalogue)."""

    period: date
    value: float


@dataclass(frozen=True)
class IndicatorFacts:
    """What an indicator is judged on: its catalogue entry and its accepted values."""

    direction: Direction = Direction.HIGHER
    frequency: Frequency = Frequency.ANNUAL
    baseline_year: int | None = None
    baseline_value: float | None = None
    targets: Mapping[int, float] = field(default_factory=dict)  # year -> target value
    band_low: float | None = None
    band_high: float | None = None
    observations: Sequence[Observation] = ()  # accepted values, any order
    tracked_from: date | None = None  # first period a value is owed (default: after baseline)
    province_rank: int | None = None  # of the latest value, where recorded


@dataclass(frozen=True)
class Progress:
    """Where the latest value stands against where it should be in its year."""

    year: int
    actual: float
    expected: float | None  # the year's target, or the point on the line to the next one
    basis: str  # year_target | linear | band | none
    target_year: int | None = None  # the target that governs the year
    target: float | None = None
    gap_pp: float | None = None  # points of the way to the target ahead (+) or behind (−)
    share: float | None = None  # share of the way from the baseline to the target made


@dataclass(frozen=True)
class Judgement:
    light: Light
    reasons: tuple[Reason, ...]
    latest: Observation | None
    progress: Progress | None
    missing: tuple[date, ...]  # due periods with no accepted value, oldest first
    province_rank: int | None = None

    @property
    def on_track(self) -> bool:
        return self.light is Light.GREEN


@dataclass(frozen=True)
class TrendPoint:
    """One year of the trend figure: the actual value (latest accepted in the year), the
    expected path and the year's target where one is set."""

    year: int
    actual: float | None
    expected: float | None
    target: float | None


def _anchors(facts: IndicatorFacts) -> list[tuple[int, float]]:
    points = dict(facts.targets)
    if facts.baseline_year is not None and facts.baseline_value is not None:
        points.setdefault(facts.baseline_year, facts.baseline_value)
    return sorted(points.items())


def expected_value(facts: IndicatorFacts, year: int) -> tuple[float | None, str]:
    """The value the indicator should reach by the end of ``year`` and on what basis:
    the year's own target, else linear between the anchors around it (the baseline and the
    targets); None past the last target or before the first anchor."""
    if year in facts.targets:
        return facts.targets[year], "year_target"
    anchors = _anchors(facts)
    before = [(y, v) for y, v in anchors if y < year]
    after = [(y, v) for y, v in anchors if y > year]
    if not before or not after:
        return None, "none"
    (y0, v0), (y1, v1) = before[-1], after[0]
    return v0 + (v1 - v0) * (year - y0) / (y1 - y0), "linear"


def governing_target(facts: IndicatorFacts, year: int) -> tuple[int, float] | None:
    """The first target at or after ``year`` (the one the year's progress is counted to)."""
    later = [(y, v) for y, v in sorted(facts.targets.items()) if y >= year]
    return later[0] if later else None


def _start_of_way(facts: IndicatorFacts, target_year: int) -> float | None:
    anchors = [(y, v) for y, v in _anchors(facts) if y < target_year]
    return anchors[-1][1] if anchors else None


def progress(facts: IndicatorFacts, latest: Observation) -> Progress:
    """The latest value against the year's expected value (``gap_pp``: + ahead, − behind)."""
    year = latest.period.year
    if facts.direction is Direction.BAND:
        return Progress(year, latest.value, None, "band")
    expected, basis = expected_value(facts, year)
    governing = governing_target(facts, year)
    if expected is None or governing is None:
        return Progress(year, latest.value, None, "none")
    target_year, target = governing
    start = _start_of_way(facts, target_year)
    sign = 1.0 if facts.direction is Direction.HIGHER else -1.0
    way = (target - start) if start is not None else 0.0
    if abs(way) > 1e-12:
        gap = (latest.value - expected) / way * 100
        share = (latest.value - (start or 0.0)) / way
    else:  # holding a level: the distance to it as a share of the level itself
        scale = abs(expected) or 1.0
        gap = sign * (latest.value - expected) / scale * 100
        share = None
    return Progress(year, latest.value, expected, basis, target_year, target, round(gap, 2), share)


def band_distance_pct(value: float, low: float | None, high: float | None) -> float:
    """How far ``value`` lies outside [low, high], as a percentage of the band's width (of
    the bound itself when the band has no width); 0 inside."""
    if low is not None and value < low:
        out = low - value
    elif high is not None and value > high:
        out = value - high
    else:
        return 0.0
    width = (high - low) if low is not None and high is not None else 0.0
    scale = width if width > 1e-12 else abs(low if low is not None else high or 0.0) or 1.0
    return round(out / scale * 100, 2)


def missing_periods(
    facts: IndicatorFacts, as_of: date, thresholds: IndicatorThresholds
) -> list[date]:
    """Periods due by ``as_of`` with no accepted value, from the first period owed."""
    last = due_period(facts.frequency, as_of, thresholds)
    first = facts.tracked_from
    if first is None and facts.baseline_year is not None:
        first = date(facts.baseline_year + 1, 1, 1)
    if first is None:
        seen = sorted(o.period for o in facts.observations)
        first = seen[0] if seen else last
    have = {period_start(facts.frequency, o.period) for o in facts.observations}
    return [p for p in periods_between(facts.frequency, first, last) if p not in have and p <= last]


def _latest_run(missing: Sequence[date], frequency: Frequency, last_due: date) -> int:
    """How many of the latest due periods in a row are missing."""
    run, period, missing_set = 0, last_due, set(missing)
    while period in missing_set:
        run += 1
        period = add_months(period, -frequency.months)
    return run


def moving_away_run(facts: IndicatorFacts) -> int:
    """Latest periods in a row whose value moved against the direction (not for bands)."""
    if facts.direction is Direction.BAND:
        return 0
    values = [o.value for o in sorted(facts.observations, key=lambda o: o.period)]
    sign = 1.0 if facts.direction is Direction.HIGHER else -1.0
    run = 0
    for earlier, later in zip(values[-2::-1], values[::-1], strict=False):
        if sign * (later - earlier) < 0:
            run += 1
        else:
            break
    return run


def _grade(value: float, rule: IndicatorRule, thresholds: IndicatorThresholds) -> Light | None:
    if value >= getattr(thresholds, rule.red):
        return Light.RED
    if value >= getattr(thresholds, rule.amber):
        return Light.AMBER
    return None


def _reason(
    code: str, measured: float, thresholds: IndicatorThresholds, **params: object
) -> Reason | None:
    rule = RULES_BY_CODE[code]
    light = _grade(measured, rule, thresholds)
    if light is None:
        return None
    edges = {"amber_at": getattr(thresholds, rule.amber), "red_at": getattr(thresholds, rule.red)}
    return Reason(code, light, {**params, **edges})


def latest_observation(facts: IndicatorFacts) -> Observation | None:
    return max(facts.observations, key=lambda o: o.period, default=None)


def judge(
    facts: IndicatorFacts, as_of: date, thresholds: IndicatorThresholds = DEFAULT_THRESHOLDS
) -> Judgement:
    """The indicator's light by the rule table, with every reason that set it (worst first),
    its progress and its missing values."""
    latest = latest_observation(facts)
    reasons: list[Reason | None] = []
    prog = progress(facts, latest) if latest is not None else None
    if prog is not None and prog.gap_pp is not None and prog.gap_pp < 0:
        reasons.append(
            _reason(
                "behind_target",
                -prog.gap_pp,
                thresholds,
                gap=prog.gap_pp,
                year=prog.year,
                actual=prog.actual,
                expected=round(prog.expected or 0.0, 4),
                target=prog.target,
                target_year=prog.target_year,
            )
        )
    if latest is not None and facts.direction is Direction.BAND:
        out = band_distance_pct(latest.value, facts.band_low, facts.band_high)
        if out > 0:
            reasons.append(
                _reason(
                    "outside_band",
                    out,
                    thresholds,
                    value=latest.value,
                    low="—" if facts.band_low is None else facts.band_low,
                    high="—" if facts.band_high is None else facts.band_high,
                    pct=out,
                )
            )
    missing = missing_periods(facts, as_of, thresholds)
    run = _latest_run(missing, facts.frequency, due_period(facts.frequency, as_of, thresholds))
    if run > 0:
        reasons.append(_reason("missing_values", run, thresholds, periods=run))
    away = moving_away_run(facts)
    if away > 0:
        reasons.append(_reason("moving_away", away, thresholds, periods=away))
    found = sorted((r for r in reasons if r is not None), key=lambda r: -r.light.rank)
    return Judgement(
        worst(r.light for r in found),
        tuple(found),
        latest,
        prog,
        tuple(missing),
        facts.province_rank,
    )


def trend(facts: IndicatorFacts, last_year: int) -> list[TrendPoint]:
    """Year by year from the baseline (or the first value) to the last target or
    ``last_year``: the actual (the year's latest accepted value), expected and target."""
    by_year: dict[int, Observation] = {}
    for obs in sorted(facts.observations, key=lambda o: o.period):
        by_year[obs.period.year] = obs
    years = [*by_year, *facts.targets, last_year]
    if facts.baseline_year is not None:
        years.append(facts.baseline_year)
    first, last = min(years), max(years)
    points = []
    for year in range(first, last + 1):
        actual = by_year[year].value if year in by_year else None
        if actual is None and year == facts.baseline_year:
            actual = facts.baseline_value
        expected, _ = expected_value(facts, year)
        if year == facts.baseline_year:
            expected = facts.baseline_value
        points.append(TrendPoint(year, actual, expected, facts.targets.get(year)))
    return points


def goal_light(lights: Iterable[Light]) -> Light | None:
    """An SDG tile's colour from its indicators' lights: green when at least two thirds are
    green, red when at least a third are red, amber otherwise; None with no indicator."""
    seen = list(lights)
    if not seen:
        return None
    reds = sum(1 for light in seen if light is Light.RED)
    greens = sum(1 for light in seen if light is Light.GREEN)
    if reds * 3 >= len(seen):
        return Light.RED
    if greens * 3 >= 2 * len(seen):
        return Light.GREEN
    return Light.AMBER


# --- values as people give them --------------------------------------------------------------

VALUE_LIMIT = 1e12  # no indicator of a prefecture is larger (亿元, 人, 万吨 …)
RANK_LIMIT = 200  # a rank among the province's prefectures (or its counties)
FIRST_YEAR = 1990

TEXT_RULES: dict[str, TextRule] = {
    "source": TextRule(msg("indicator.field.source"), 200, multiline=False),
    "note": TextRule(msg("indicator.field.note"), 2000),
    "reason": TextRule(msg("indicator.field.reason"), 2000),
    "code": TextRule(msg("indicator.field.code"), 40, multiline=False, required=True),
    "name": TextRule(msg("indicator.field.name"), 200, multiline=False, required=True),
    "unit": TextRule(msg("indicator.field.unit"), 40, multiline=False),
    "definition": TextRule(msg("indicator.field.definition"), 2000),
    "lead_unit": TextRule(msg("indicator.field.lead_unit"), 100, multiline=False),
    "data_source": TextRule(msg("indicator.field.data_source"), 200, multiline=False),
    "system": TextRule(msg("indicator.field.system"), 100, multiline=False, required=True),
    "sdg_target": TextRule(msg("indicator.field.sdg_targets"), 20, multiline=False),
}


def read_value(raw: object, *, label: Message | None = None) -> float | None:
    """An indicator value as typed or as a cell holds it: a finite number (negative allowed:
    a growth rate), at most ``VALUE_LIMIT`` in size; blank is None. Full-width digits and
    thousands separators are read; a trailing % is dropped (the unit says it)."""
    label = label or msg("indicator.field.value")
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueRefused("indicator.err.value", value=str(raw))
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    elif isinstance(raw, str):
        reading = read_number(raw, label=label, suffixes=("%", "％"))
        if reading.value is None:
            return None
        number = float(reading.value)
    else:
        raise ValueRefused("indicator.err.value", value=shown(raw))
    if not math.isfinite(number) or abs(number) > VALUE_LIMIT:
        raise ValueRefused("indicator.err.value", value=shown(raw))
    return number


def read_rank(raw: object) -> int | None:
    """A rank in the province: a whole number 1..RANK_LIMIT, or blank (None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    number = parse_id(raw.strip() if isinstance(raw, str) else raw)
    if number is None or not 1 <= number <= RANK_LIMIT:
        raise ValueRefused("indicator.err.rank", value=shown(raw))
    return number


def read_period(frequency: Frequency | str, raw: object) -> date:
    """A period as a form or a file gives it: a date (any day in it) or a period key
    (``2024``, ``2024Q3``, ``2024-07``, ``2024年第3季度`` …)."""
    freq = Frequency(frequency)
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        found: date | None = period_start(freq, raw)
    elif isinstance(raw, int) and not isinstance(raw, bool) and freq is Frequency.ANNUAL:
        found = date(raw, 1, 1) if FIRST_YEAR <= raw <= 2100 else None
    else:
        text = str(raw or "").strip()
        found = parse_period_key(freq, text)
        if found is None and len(text) == 10:
            try:
                found = period_start(freq, date.fromisoformat(text))
            except ValueError:
                found = None
    if found is None or not FIRST_YEAR <= found.year <= 2100:
        example = period_key(freq, date(2024, 7, 1))
        raise ValueRefused(
            "indicator.err.period",
            value=shown(raw),
            frequency=msg(f"indicator.frequency.{freq.value}"),
            example=example,
        )
    return found


DIRECTION_WORDS: dict[str, Direction] = {
    "higher": Direction.HIGHER,
    "正向": Direction.HIGHER,
    "越高越好": Direction.HIGHER,
    "lower": Direction.LOWER,
    "逆向": Direction.LOWER,
    "负向": Direction.LOWER,
    "越低越好": Direction.LOWER,
    "band": Direction.BAND,
    "区间": Direction.BAND,
    "适度": Direction.BAND,
}
FREQUENCY_WORDS: dict[str, Frequency] = {
    "annual": Frequency.ANNUAL,
    "年度": Frequency.ANNUAL,
    "年": Frequency.ANNUAL,
    "每年": Frequency.ANNUAL,
    "quarterly": Frequency.QUARTERLY,
    "季度": Frequency.QUARTERLY,
    "季": Frequency.QUARTERLY,
    "每季度": Frequency.QUARTERLY,
    "monthly": Frequency.MONTHLY,
    "月度": Frequency.MONTHLY,
    "月": Frequency.MONTHLY,
    "每月": Frequency.MONTHLY,
}


def _word(raw: object) -> str:
    return str(raw or "").strip().lower()


def read_direction(raw: object) -> Direction:
    """higher / lower / band, as the codes or as the office writes them (正向, 逆向, 区间 …);
    blank is higher."""
    text = _word(raw)
    if not text:
        return Direction.HIGHER
    for word, direction in DIRECTION_WORDS.items():
        if text == word or text.startswith(word):
            return direction
    raise ValueRefused("indicator.err.direction", value=shown(raw))


def read_frequency(raw: object) -> Frequency:
    """annual / quarterly / monthly, as the codes or in Chinese (年度, 季度, 月度 …); blank
    is annual."""
    text = _word(raw)
    if not text:
        return Frequency.ANNUAL
    found = FREQUENCY_WORDS.get(text)
    if found is None:
        raise ValueRefused("indicator.err.frequency", value=shown(raw))
    return found


def read_goal(raw: object) -> int:
    """An SDG goal number 1–17 (``9``, ``SDG9``, ``目标9``)."""
    text = _word(raw).removeprefix("sdg").removeprefix("目标").strip()
    number = parse_id(text) if text else None
    if number is None or number not in SDG_GOALS:
        raise ValueRefused("indicator.err.goal", value=shown(raw))
    return number


def read_year(raw: object) -> int | None:
    """A year 1990–2100, or blank (None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = raw.strip().removesuffix("年") if isinstance(raw, str) else raw
    number = parse_id(text)
    if number is None or not FIRST_YEAR <= number <= 2100:
        raise ValueRefused("indicator.err.year", value=shown(raw))
    return number
