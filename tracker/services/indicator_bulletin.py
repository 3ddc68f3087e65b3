"""The indicators in the annual bulletin and its 考评 (#16): a section (五、监测指标情况) and two
annexes — every indicator with its latest accepted value, target and light, and each
responsible unit's reporting of the year's values ranked with its formula.

Drafting is pure (a digest in, document parts out); ``tracker.services.span_bulletin`` adds
the parts to the year's bulletin (the span ``Y``). The digest's figures come from
``tracker.services.indicator_cycle.year_digest``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from tracker.domain import numbers
from tracker.domain.document import Column, Section, Table
from tracker.domain.indicator_digest import LIGHTS, IndicatorDigest, IndicatorLine, UnitScore

if TYPE_CHECKING:  # the span's style (language, joins); imported there, not here
    from tracker.services.span_bulletin import Style

LIST_AT_MOST = 8  # indicators or units named in a sentence before "等N项"


def plain(value: Decimal | None) -> str:
    """A value as typed: no exponent, no trailing zeros; — when there is none."""
    if value is None:
        return numbers.DASH
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _named(names: Sequence[str], style: Style, more: str = "indicator_span.more") -> str:
    """Names joined; past ``LIST_AT_MOST`` the first ones and 等N项 (``more``: 等N个 units)."""
    if len(names) <= LIST_AT_MOST:
        return style.join(names)
    return style.t(more, names=style.join(names[:LIST_AT_MOST]), n=len(names))


def indicator_section(digest: IndicatorDigest | None, style: Style) -> Section:
    """五、监测指标情况: the lights over the systems, the red ones named, the year's reporting."""
    heading = style.t("indicator_span.heading")
    if digest is None or not digest.lines:
        return Section("indicators", heading, style.t("indicator_span.none"))
    systems = style.join(
        [style.t("indicator_span.system", name=name, n=n) for name, n in digest.systems]
    )
    lines = [
        style.t(
            "indicator_span.overall",
            systems=systems,
            total=len(digest.lines),
            day=digest.as_of,
            missing=digest.missing,
            **{light: digest.count(light) for light in LIGHTS},
        )
    ]
    if digest.red:
        names = [style.named(line.name, line.code) for line in digest.red]
        lines[0] += style.glue + style.t("indicator_span.red", names=_named(names, style))
    if digest.due:
        reported, on_time = digest.total("reported"), digest.total("on_time")
        lines.append(
            style.t(
                "indicator_span.reporting",
                year=digest.year,
                due=digest.due,
                reported=reported,
                on_time=on_time,
                rate=numbers.percent(Decimal(on_time) / digest.due),
                accepted=digest.total("accepted"),
            )
        )
        behind = [u.owner for u in digest.units if u.due and u.on_time < u.due]
        if behind:
            lines[-1] += style.glue + style.t(
                "indicator_span.units_behind",
                names=_named(behind, style, "span.more"),
            )
        lines.append(style.t("indicator_span.formula"))
    return Section("indicators", heading, "\n".join(lines))


def indicator_annexes(
    digest: IndicatorDigest | None, first: int, style: Style
) -> tuple[Table, ...]:
    """附件: the indicators table, then the units' reporting 考评 (numbered from ``first``)."""
    if digest is None or not digest.lines:
        return ()
    return (
        _systems_table(digest, first, style),
        _units_table(digest, first + 1, style),
    )


def _line_row(line: IndicatorLine, style: Style) -> tuple[str, ...]:
    return (
        line.system,
        line.code,
        line.name,
        line.unit,
        plain(line.baseline),
        plain(line.latest),
        line.latest_period or numbers.DASH,
        plain(line.target_2025),
        plain(line.target_2030),
        style.t(f"indicator_span.light.{line.light}"),
        str(line.missing) if line.missing else numbers.DASH,
        line.owner,
    )


def _systems_table(digest: IndicatorDigest, n: int, style: Style) -> Table:
    columns = (
        Column(style.t("indicator_span.col.system"), 9),
        Column(style.t("indicator_span.col.code"), 6),
        Column(style.t("indicator_span.col.name"), 17),
        Column(style.t("indicator_span.col.unit"), 5, "center"),
        Column(style.t("indicator_span.col.baseline"), 6, "right"),
        Column(style.t("indicator_span.col.latest"), 6, "right"),
        Column(style.t("indicator_span.col.period"), 6, "center"),
        Column(style.t("indicator_span.col.target", year=2025), 6, "right"),
        Column(style.t("indicator_span.col.target", year=2030), 6, "right"),
        Column(style.t("indicator_span.col.light"), 5, "center"),
        Column(style.t("indicator_span.col.missing"), 5, "right"),
        Column(style.t("indicator_span.col.owner"), 10),
    )
    return Table(
        style.t("indicator_span.annex.systems", n=n, year=digest.year),
        columns,
        tuple(_line_row(line, style) for line in digest.lines),
        style.t("indicator_span.annex.systems_note", day=digest.as_of),
    )


def _unit_row(unit: UnitScore) -> tuple[str, ...]:
    return (
        numbers.DASH if unit.rank is None else str(unit.rank),
        unit.owner,
        str(unit.indicators),
        str(unit.due),
        str(unit.reported),
        str(unit.on_time),
        str(unit.accepted),
        numbers.percent(unit.on_time_rate),
        numbers.DASH if unit.score is None else f"{unit.score}",
    )


def _units_table(digest: IndicatorDigest, n: int, style: Style) -> Table:
    columns = (
        Column(style.t("indicator_span.col.rank"), 5, "center"),
        Column(style.t("indicator_span.col.owner"), 14),
        Column(style.t("indicator_span.col.indicators"), 6, "right"),
        Column(style.t("indicator_span.col.due"), 6, "right"),
        Column(style.t("indicator_span.col.reported"), 6, "right"),
        Column(style.t("indicator_span.col.on_time"), 6, "right"),
        Column(style.t("indicator_span.col.accepted"), 6, "right"),
        Column(style.t("indicator_span.col.on_time_rate"), 9, "right"),
        Column(style.t("indicator_span.col.score"), 7, "right"),
    )
    return Table(
        style.t("indicator_span.annex.units", n=n, year=digest.year),
        columns,
        tuple(_unit_row(u) for u in digest.units),
        style.t(
            "indicator_span.annex.units_note",
            formula=style.t("indicator_span.formula"),
            year=digest.year,
            day=digest.as_of,
        ),
    )
