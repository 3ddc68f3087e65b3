"""One way to round and write the bulletin's figures, so that a paragraph and the table
beside it never disagree (the paragraph said −3.1 points where the table said −3.2).

Every figure is rounded once, half up (四舍五入, as offices round by hand), from the exact
stored value: never from a value already rounded for another place. Amounts are stored in
万元; a bulletin writes them in 亿元 (two decimals) or in 万元, as the office sets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

WAN_PER_YI = Decimal(10000)  # 1 亿元 = 10,000 万元
AmountUnit = Literal["yi", "wan"]
DASH = "—"


def rounded(value: float | int | Decimal, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (floats through their shortest repr,
    so 0.125 rounds to 0.13 as it reads, not to the binary 0.12)."""
    exact = (
        value
        if isinstance(value, Decimal)
        else Decimal(repr(value) if isinstance(value, float) else value)
    )
    result = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return result + 0  # -0.0 → 0.0


def amount_in(wan: float | int | Decimal, unit: AmountUnit) -> Decimal:
    """An amount given in 万元, in the unit the bulletin writes: 亿元 with two decimals or 万元
    with two decimals."""
    exact = (
        wan if isinstance(wan, Decimal) else Decimal(repr(wan) if isinstance(wan, float) else wan)
    )
    return rounded(exact / WAN_PER_YI if unit == "yi" else exact, 2)


def amount(
    wan: float | int | Decimal | None, unit: AmountUnit = "yi", *, grouped: bool = False
) -> str:
    """'12.35' (亿元) or '123,456.78' with ``grouped``; '—' for nothing to count."""
    if wan is None:
        return DASH
    value = amount_in(wan, unit)
    return f"{value:,.2f}" if grouped else f"{value:.2f}"


def percent(rate: float | Decimal | None, places: int = 1) -> str:
    """A fraction as a percentage: 0.8125 → '81.3%'; None → '—'."""
    if rate is None:
        return DASH
    exact = rate if isinstance(rate, Decimal) else Decimal(repr(float(rate)))
    return f"{rounded(exact * 100, places)}%"


def points(pp: float | Decimal | None, places: int = 1) -> str:
    """A gap in percentage points as written in a table: '+2.3', '-3.2', '0.0'."""
    if pp is None:
        return DASH
    value = rounded(pp, places)
    return f"+{value}" if value > 0 else f"{value}"


def points_abs(pp: float | Decimal, places: int = 1) -> str:
    """The size of a gap for a sentence (低于序时进度3.2个百分点): rounded like ``points``
    first, then the sign dropped, so the sentence and the table show the same digits."""
    return f"{abs(rounded(pp, places))}"
