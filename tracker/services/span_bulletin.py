"""一季度 / 上半年 / 前三季度 / 全年 bulletins: a 公文 (``tracker.domain.document.Document``)
drafted from the year's frozen months only (``PeriodSnapshot``), with 同比 against last
year's frozen months, the 双过半 check at the half-year and the ranking (at the year's end,
the annual 考评 of ``services.bulletin.annual_assessment``) with its formula.

A month of the span that is not frozen yet is named in the document as missing, and the
figures are those of the latest frozen month; nothing is computed live. Every figure is
written once through ``tracker.domain.numbers``, so a sentence and the table beside it show
the same digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from tracker.config import Settings
from tracker.domain import numbers
from tracker.domain.document import Column, Document, Section, Table
from tracker.domain.indicator_digest import IndicatorDigest
from tracker.domain.messages import msg
from tracker.domain.periods import month_end
from tracker.domain.span import (
    SPANS,
    Figures,
    FrozenMonth,
    Span,
    SpanFigures,
    YearOnYear,
    below_half_rate,
    bottom,
    double_half,
    order_by_rate,
    same_month_last_year,
    span_figures,
)
from tracker.i18n import t
from tracker.models import PeriodSnapshot, ReportingPeriod
from tracker.services.auth import Actor
from tracker.services.bulletin import Assessment, BulletinFile, annual_assessment
from tracker.services.bulletin_text import draft_settings
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.indicator_bulletin import indicator_annexes, indicator_section
from tracker.services.indicator_cycle import year_digest
from tracker.services.permissions import require

SEP = {"zh": "、", "en": ", "}
END = {"zh": "。", "en": "."}
NUMERALS = "一二三四五六七八九十"
LIST_AT_MOST = 5  # projects named in a sentence before "等N个"


def frozen_months(session: Session, year: int) -> list[FrozenMonth]:
    """The year's frozen bulletins with the months their periods cover."""
    first, last = date(year, 1, 1), date(year, 12, 1)
    snapshots = session.exec(
        select(PeriodSnapshot.period, PeriodSnapshot.payload)
        .where(PeriodSnapshot.period >= first)
        .where(PeriodSnapshot.period <= last)
    ).all()
    starts = dict(
        session.exec(
            select(ReportingPeriod.period, ReportingPeriod.first_month)
            .where(ReportingPeriod.period >= first)
            .where(ReportingPeriod.period <= last)
        ).all()
    )
    out = []
    for period, payload in snapshots:
        start = starts.get(period) or period
        out.append(FrozenMonth(start.month if start.year == year else 1, period.month, payload))
    return out


def span_document(
    session: Session,
    *,
    actor: Actor,
    year: int,
    span: str | Span,
    settings: Settings,
    today: date,
    lang: str = "zh",
) -> Document:
    """The span's bulletin as a 公文 (readers with bulletin.view), from frozen months only."""
    require(actor, "bulletin.view")
    chosen = SPANS[span] if isinstance(span, str) else span
    figures = span_figures(year, chosen, frozen_months(session, year))
    if figures.data_month is None:
        # the span's name as a message: worded in the reader's language, not always Chinese
        raise NotFound("span.nothing_frozen", year=year, span=msg(chosen.label_key))
    assessment = annual_assessment(
        session, actor=actor, year=year, settings=settings, through=figures.data_month
    )
    lines = draft_settings(settings)  # 报/送/抄送 and 编辑/审核/签发, as the month's bulletin
    # the year's bulletin carries the indicators (#16) as they stood at the data month's end,
    # the day its 考评 (``assessment.indicators``) reads them on
    as_of = month_end(date(year, figures.data_month, 1))
    digest = (
        year_digest(session, actor=actor, year=year, as_of=as_of) if chosen.code == "Y" else None
    )
    return draft(
        figures,
        same_month_last_year(frozen_months(session, year - 1), figures.data_month),
        assessment,
        Style(
            unit=settings.BULLETIN_AMOUNT_UNIT,
            office=str(settings.OFFICE_NAME),
            today=today,
            lang=lang,
            distribution=lines.distribution,
            signatures=lines.signatures,
        ),
        digest,
    )


SPAN_FORMATS = (".docx", ".pdf", ".xlsx")


def span_file(
    session: Session,
    *,
    actor: Actor,
    year: int,
    span: str | Span,
    settings: Settings,
    today: date,
    suffix: str,
) -> BulletinFile:
    """The span's bulletin as a file for the reader: .docx or .pdf (the 公文, Chinese as it
    is issued) or .xlsx (its annex tables), named 调度通报-YYYY-Q1|H1|Q3|Y. A span with no
    frozen month is refused (``span.nothing_frozen``); so is an unknown span or format."""
    suffix = str(suffix or "").lower()
    if suffix not in SPAN_FORMATS:
        raise InvalidInput("bulletin.format_unknown", suffix=suffix or "—")
    if isinstance(span, str) and span not in SPANS:
        raise InvalidInput("span.bad_period", value=f"{year}-{span}"[:40])
    document = span_document(
        session, actor=actor, year=year, span=span, settings=settings, today=today
    )
    if suffix == ".xlsx":
        from tracker.excel.span import annex_workbook

        content = annex_workbook(document)
    else:
        from tracker.document import render

        content = render(document, suffix.lstrip("."))
    return BulletinFile(document.file_stem + suffix, content)


# --- drafting (pure: figures in, document out) ---------------------------------------------------


@dataclass(frozen=True)
class Style:
    unit: numbers.AmountUnit
    office: str
    today: date
    lang: str = "zh"
    # 报/送/抄送 and 编辑/审核/签发, as the month's bulletin takes them from the settings
    distribution: tuple[tuple[str, str], ...] = ()
    signatures: tuple[tuple[str, str], ...] = ()

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def join(self, names: Sequence[str]) -> str:
        return SEP[self.lang if self.lang in SEP else "zh"].join(names)

    @property
    def end(self) -> str:
        return END[self.lang if self.lang in END else "zh"]

    @property
    def glue(self) -> str:
        """Between two sentences of one paragraph."""
        return " " if self.lang == "en" else ""

    def named(self, name: str, value: str) -> str:
        return f"{name} ({value})" if self.lang == "en" else f"{name}（{value}）"

    def amount(self, wan: Decimal | None) -> str:
        return numbers.amount(wan, self.unit)

    @property
    def unit_label(self) -> str:
        return self.t(f"span.unit.{self.unit}")


LastYear = tuple[Figures, dict[str, Figures], dict[str, Figures]] | None


def draft(
    figures: SpanFigures,
    last_year: LastYear,
    assessment: Assessment,
    style: Style,
    indicators: IndicatorDigest | None = None,
) -> Document:
    """The document of a span from its figures (``figures.data_month`` is set). The year's
    (span Y) adds the indicators (#16): a section and two annexes, the second their 考评."""
    year, span = figures.year, figures.span
    label = style.t(span.label_key)
    missing = _months_text(figures, style)
    document = Document(
        title=style.t("span.title", year=year, span=label),
        issue_no="",
        office=style.office,
        date_line=style.t("span.date_line", day=style.today),
        sections=(
            Section(
                "overall", style.t("span.heading.overall"), _overall(figures, last_year, style)
            ),
            Section(
                "progress", style.t("span.heading.progress"), _progress(figures, assessment, style)
            ),
            Section("problems", style.t("span.heading.problems"), _problems(figures, style)),
            Section("next_steps", style.t("span.heading.next_steps"), _next_steps(figures, style)),
        ),
        annexes=_annexes(figures, last_year, assessment, style),
        status=style.t("span.status.incomplete", months=missing) if missing else "",
        file_stem=f"调度通报-{year}-{span.code}",
        distribution=tuple((k, v) for k, v in style.distribution if v),
        signatures=tuple((k, v) for k, v in style.signatures if v),
    )
    if span.code != "Y" or indicators is None:
        return document
    return replace(
        document,
        sections=(*document.sections, indicator_section(indicators, style)),
        annexes=(
            *document.annexes,
            *indicator_annexes(indicators, len(document.annexes) + 1, style),
        ),
    )


def _end(figures: SpanFigures) -> date:
    return date(figures.year, figures.data_month or figures.span.end_month, 1)


def _period_words(figures: SpanFigures, style: Style) -> str:
    """上半年 when the span is complete, else the months it covers: 2026年1–10月."""
    if figures.complete:
        return style.t(figures.span.label_key)
    return style.t("span.months_range", end=_end(figures))


def _months_text(figures: SpanFigures, style: Style) -> str:
    return style.join(
        [style.t("span.month_short", end=date(figures.year, m, 1)) for m in figures.missing]
    )


# --- 一、总体情况 -----------------------------------------------------------------------------------


def _overall(figures: SpanFigures, last_year: LastYear, style: Style) -> str:
    total, end = figures.total, _end(figures)
    common = {
        "end": end,
        "projects": total.projects,
        "done": style.amount(total.completed),
        "unit": style.unit_label,
    }
    if total.rate is None:
        first = style.t("span.overall.no_plan", **common)
    else:
        first = style.t(
            "span.overall.figures",
            **common,
            plan=style.amount(total.annual_plan),
            rate=numbers.percent(total.rate),
            against=_against(total, figures.time_progress, style),
        )
    paragraphs = [
        first + style.glue + _year_on_year(YearOnYear(total, last_year and last_year[0]), style)
    ]
    paragraphs.append(
        style.t(
            "span.overall.stages",
            period=_period_words(figures, style),
            new=total.new_started,
            finished=total.finished,
            expected=total.expected,
            on_time=total.on_time,
            rate=numbers.percent(total.reporting_rate),
        )
    )
    if figures.span.code == "H1":
        paragraphs.append(_double_half(figures, style))
    if figures.missing:
        paragraphs.append(
            style.t("span.overall.missing", months=_months_text(figures, style), end=end)
        )
    return "\n".join(paragraphs)


def _against(group: Figures, progress: float, style: Style) -> str:
    gap = group.gap_pp(progress)
    written = numbers.rounded(gap, 1) if gap is not None else Decimal(0)
    side = "above" if written > 0 else "below" if written < 0 else "flat"
    return style.t(
        f"span.against.{side}",
        progress=numbers.percent(progress),
        gap=numbers.points_abs(gap or Decimal(0)),
    )


def _year_on_year(yoy: YearOnYear, style: Style) -> str:
    """同比 as the sentence after the figures: growth of the amount, then the rate's change."""
    direction = yoy.direction
    if direction in {"none", "from_zero"}:
        return style.t(f"span.yoy.{direction}")
    assert yoy.last is not None
    text = style.t(
        f"span.yoy.{direction}",
        last=style.amount(yoy.last.completed),
        unit=style.unit_label,
        delta=style.amount(abs(yoy.this.completed - yoy.last.completed)),
        pct=numbers.percent(abs(yoy.growth or Decimal(0))),
    )
    if yoy.rate_direction != "none":
        text += style.t(
            f"span.yoy.rate.{yoy.rate_direction}",
            last_rate=numbers.percent(yoy.last.rate),
            pp=numbers.points_abs(yoy.rate_change_pp or Decimal(0)),
        )
    return text + style.end


def half_rate_text(group: Figures) -> str:
    """A completion rate as the 双过半 lines write it: below half always reads below 50%."""
    rate = group.rate
    if rate is None or group.half_done is not False:
        return numbers.percent(rate)
    value, _ = below_half_rate(rate)
    return f"{value}%"


def _double_half(figures: SpanFigures, style: Style) -> str:
    check = double_half(figures)
    if check is None:
        return style.t("span.half.pending")
    lines = [
        style.t(
            "span.half.judged",
            progress=numbers.percent(check.time_progress),
            rate=half_rate_text(check.total),
            task=style.t("span.half.task_done" if check.task_half else "span.half.task_missed"),
            both=style.t("span.half.both_done" if check.both else "span.half.both_missed"),
        )
    ]
    for kind, missed in (("counties", check.counties_missed), ("units", check.units_missed)):
        if missed:
            names = style.join([style.named(g.key, half_rate_text(g)) for g in missed])
            lines.append(style.t(f"span.half.{kind}_missed", n=len(missed), names=names))
        else:
            lines.append(style.t(f"span.half.{kind}_done"))
    return style.glue.join(lines)


# --- 二、各县（区）和牵头单位 ---------------------------------------------------------------------------


def _rates_line(groups: Sequence[Figures], style: Style) -> str:
    return style.join([style.named(g.key, numbers.percent(g.rate)) for g in order_by_rate(groups)])


def _scores_line(ranking: dict[str, Any], who: str, style: Style) -> tuple[str, str]:
    rows = ranking.get("rows", [])
    names = style.join(
        [
            style.t("span.name_score", name=r[who], score=f"{numbers.rounded(r['score'], 2)}")
            for r in rows
            if r.get("score") is not None
        ]
    )
    last = bottom([(r.get("rank"), r[who]) for r in rows])
    return names, style.t("span.progress.bottom", names=style.join(last)) if last else ""


def _progress(figures: SpanFigures, assessment: Assessment, style: Style) -> str:
    lines: list[str] = []
    if order_by_rate(figures.ranked_counties):
        lines.append(
            style.t("span.progress.county_rates", names=_rates_line(figures.ranked_counties, style))
        )
    if order_by_rate(figures.units):
        lines.append(style.t("span.progress.unit_rates", names=_rates_line(figures.units, style)))
    what = (
        style.t("span.progress.assessment_what", year=figures.year)
        if figures.span.code == "Y"
        else style.t("span.progress.ranking_what", period=_period_words(figures, style))
    )
    for key, ranking, who in (
        ("span.progress.county_scores", assessment.counties, "county"),
        ("span.progress.unit_scores", assessment.units, "unit"),
    ):
        names, last = _scores_line(ranking, who, style)
        if names:
            lines.append(style.t(key, what=what, names=names) + last + style.end)
    if not lines:
        return style.t("span.progress.none")
    formula = str(assessment.counties.get("formula", ""))
    head = formula.split("。")[0]
    if head:
        lines.append(style.t("span.progress.formula", formula=head) + style.end)
    return "\n".join(lines)


# --- 三、存在问题 ---------------------------------------------------------------------------------


def _named(names: Sequence[str], style: Style) -> str:
    if len(names) <= LIST_AT_MOST:
        return style.join(names)
    return style.t("span.more", names=style.join(names[:LIST_AT_MOST]), n=len(names))


def _numbered(items: Sequence[str], style: Style) -> str:
    if style.lang == "en":
        return "\n".join(f"({i}) {text}" for i, text in enumerate(items, 1))
    return "\n".join(f"（{NUMERALS[i]}）{text}" for i, text in enumerate(items))


def _behind(figures: SpanFigures) -> list[tuple[Figures, Decimal]]:
    """Counties below the office-wide 序时进度 as written (one decimal), furthest first."""
    out = []
    for g in figures.ranked_counties:
        gap = g.gap_pp(figures.time_progress)
        if gap is not None and numbers.rounded(gap, 1) < 0:
            out.append((g, gap))
    return sorted(out, key=lambda pair: pair[1])


def _problems(figures: SpanFigures, style: Style) -> str:
    end, payload = _end(figures), figures.end_payload
    items: list[str] = []
    behind = _behind(figures)
    if behind:
        names = [
            style.t("span.name_gap", name=g.key, gap=numbers.points_abs(gap)) for g, gap in behind
        ]
        items.append(
            style.t(
                "span.problem.behind",
                n=len(behind),
                progress=numbers.percent(figures.time_progress),
                names=style.join(names),
            )
        )
    late = payload.get("late_to_start", [])
    if late:
        names = _named([r["name"] for r in late], style)
        items.append(style.t("span.problem.late_start", end=end, n=len(late), names=names))
    overdue = payload.get("overdue_milestones", [])
    if overdue:
        projects = len({r["code"] for r in overdue})
        items.append(style.t("span.problem.overdue", end=end, n=len(overdue), projects=projects))
    items += _lights_and_reports(figures, style)
    open_items = payload.get("coordination", [])
    if open_items:
        items.append(style.t("span.problem.coordination", end=end, n=len(open_items)))
    return _numbered(items, style) if items else style.t("span.problem.none")


def _lights_and_reports(figures: SpanFigures, style: Style) -> list[str]:
    totals, items = figures.end_payload.get("totals", {}), []
    red, amber = int(totals.get("red", 0)), int(totals.get("amber", 0))
    if red or amber:
        reds = [r["name"] for r in figures.end_payload.get("red_amber", []) if r["light"] == "red"]
        names = style.t("span.problem.red_names", names=_named(reds, style)) if reds else ""
        items.append(style.t("span.problem.lights", red=red, amber=amber, names=names))
    late = figures.total.expected - figures.total.on_time
    if late > 0:
        items.append(
            style.t(
                "span.problem.reporting",
                period=_period_words(figures, style),
                expected=figures.total.expected,
                late=late,
            )
        )
    return items


# --- 四、下步工作 ---------------------------------------------------------------------------------


def _next_steps(figures: SpanFigures, style: Style) -> str:
    span, payload = figures.span, figures.end_payload
    behind = [g.key for g, _ in _behind(figures)][:3]
    focus = style.t("span.next.focus", names=style.join(behind)) if behind else ""
    upcoming = style.t(f"span.next.{span.code}", next_year=figures.year + 1)
    if span.code == "Y":
        first = style.t("span.next.target_year", next=upcoming, year=figures.year, focus=focus)
    else:
        first = style.t("span.next.target", next=upcoming, focus=focus)
    items = [first]
    if payload.get("late_to_start") or payload.get("overdue_milestones"):
        items.append(style.t("span.next.start"))
    if payload.get("coordination"):
        items.append(style.t("span.next.coordinate", n=len(payload["coordination"])))
    if span.code == "Y":
        items.append(style.t("span.next.assess_year", year=figures.year))
    else:
        items.append(style.t("span.next.assess", period=_period_words(figures, style)))
    return _numbered(items, style)


# --- annexes ---------------------------------------------------------------------------------------


def _figure_columns(first: str, half: bool, style: Style) -> tuple[Column, ...]:
    unit = style.unit_label
    columns = [
        Column(style.t(first), 16),
        Column(style.t("span.col.projects"), 6, "right"),
        Column(style.t("span.col.plan", unit=unit), 12, "right"),
        Column(style.t("span.col.completed", unit=unit), 12, "right"),
        Column(style.t("span.col.rate"), 8, "right"),
        Column(style.t("span.col.gap"), 10, "right"),
        Column(style.t("span.col.last", unit=unit), 12, "right"),
        Column(style.t("span.col.growth"), 9, "right"),
        Column(style.t("span.col.new"), 6, "right"),
        Column(style.t("span.col.finished"), 6, "right"),
    ]
    if half:
        columns.append(Column(style.t("span.col.half"), 8, "center"))
    return tuple(columns)


def figure_row(
    group: Figures, last: Figures | None, progress: float, half: bool, style: Style
) -> tuple[str, ...]:
    """One group's line of a figures annex: the same digits the sentences write."""
    yoy = YearOnYear(group, last)
    growth = yoy.growth
    cells = [
        group.key,
        str(group.projects),
        style.amount(group.annual_plan),
        style.amount(group.completed),
        half_rate_text(group) if half else numbers.percent(group.rate),
        numbers.points(group.gap_pp(progress)),
        style.amount(last.completed) if last is not None else numbers.DASH,
        numbers.percent(growth) if growth is not None else numbers.DASH,
        str(group.new_started),
        str(group.finished),
    ]
    if half:
        done = group.half_done
        cells.append(numbers.DASH if done is None else style.t("span.yes" if done else "span.no"))
    return tuple(cells)


def _figures_table(
    title: str,
    first: str,
    groups: Sequence[Figures],
    last: dict[str, Figures],
    figures: SpanFigures,
    last_total: Figures | None,
    style: Style,
) -> Table:
    half = figures.span.code == "H1" and figures.data_month == 6
    progress = figures.time_progress
    rows = [figure_row(g, last.get(g.key), progress, half, style) for g in groups]
    total = figures.total
    rows.append((style.t("span.total"),) + figure_row(total, last_total, progress, half, style)[1:])
    note = style.t(
        "span.annex.figures_note",
        unit=style.unit_label,
        end=_end(figures),
        progress=numbers.percent(progress),
    )
    if half:
        note += style.glue + style.t("span.annex.half_note")
    return Table(title, _figure_columns(first, half, style), tuple(rows), note)


def _ranking_table(
    title: str, ranking: dict[str, Any], who: str, first: str, figures: SpanFigures, style: Style
) -> Table:
    columns = (
        Column(style.t("span.col.rank"), 5, "center"),
        Column(style.t(first), 16),
        Column(style.t("span.col.investment_rate"), 10, "right"),
        Column(style.t("span.col.milestone_rate"), 10, "right"),
        Column(style.t("span.col.reporting_rate"), 10, "right"),
        Column(style.t("span.col.score"), 9, "right"),
        Column(style.t("span.col.projects"), 6, "right"),
    )
    rows = tuple(
        (
            numbers.DASH if r.get("rank") is None else str(r["rank"]),
            str(r[who]),
            numbers.percent(r.get("investment_rate")),
            numbers.percent(r.get("milestone_rate")),
            numbers.percent(r.get("reporting_rate")),
            numbers.DASH if r.get("score") is None else f"{numbers.rounded(r['score'], 2)}",
            str(r.get("projects", "")),
        )
        for r in ranking.get("rows", [])
    )
    note = style.t("span.annex.ranking_note", formula=ranking.get("formula", ""), end=_end(figures))
    return Table(title, columns, rows, note)


def _annexes(
    figures: SpanFigures, last_year: LastYear, assessment: Assessment, style: Style
) -> tuple[Table, ...]:
    year, label = figures.year, style.t(figures.span.label_key)
    last_total, last_counties, last_units = last_year or (None, {}, {})
    kind = "assessment" if figures.span.code == "Y" else "ranking"
    return (
        _figures_table(
            style.t("span.annex.counties", n=1, year=year, span=label),
            "span.col.county",
            figures.counties,
            last_counties,
            figures,
            last_total,
            style,
        ),
        _figures_table(
            style.t("span.annex.units", n=2, year=year, span=label),
            "span.col.unit",
            figures.units,
            last_units,
            figures,
            last_total,
            style,
        ),
        _ranking_table(
            style.t(f"span.annex.county_{kind}", n=3, year=year, span=label),
            assessment.counties,
            "county",
            "span.col.county",
            figures,
            style,
        ),
        _ranking_table(
            style.t(f"span.annex.unit_{kind}", n=4, year=year, span=label),
            assessment.units,
            "unit",
            "span.col.unit",
            figures,
            style,
        ),
    )
