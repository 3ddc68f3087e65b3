"""The zone's indicators as files (#16): the catalogue and its values exported in the annual
report's layout (.xlsx, .docx) and imported back (catalogue and values; dry run; all or
nothing; the list import's error rules).

The import reads the workbook (tracker/excel/indicators.py: the upload guard first, header
by meaning, every bad cell a located ``RowError``), then checks the rows against what is
stored — systems by name, indicators by system and code (or by name where the file has no
code column), measures and projects named in the links, values' periods against the
indicator's frequency, values under review — and places every problem at its sheet, row
and column. A file with any error writes nothing; otherwise the rows go to
``indicators.apply_catalogue`` inside a savepoint (rolled back on a dry run). The result
says, field by field, what would change, and lists the columns not used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from tracker.domain.document import Column, Document, Section, Table
from tracker.domain.messages import Message, msg
from tracker.excel.indicators import (
    DIRECTION_LABEL,
    FREQUENCY_LABEL,
    IField,
    IndicatorBook,
    IndicatorRow,
    ParsedIndicators,
    SystemRows,
    ValueRow,
    indicator_workbook,
    number_text,
    parse_indicator_workbook,
    period_text,
    system_key,
    system_name,
)
from tracker.excel.rows import ColumnReport, ListFileError, RowError
from tracker.models import Indicator, IndicatorSystem, IndicatorValue, Measure, Project
from tracker.services import indicators
from tracker.services.auth import Actor
from tracker.services.errors import InvalidInput
from tracker.services.indicators import IndicatorSpec, ValueSpec
from tracker.services.permissions import require

FORMATS = (".xlsx", ".docx")


class IndicatorFileRefused(InvalidInput):
    """The file as a whole was refused (hostile, not a workbook, no indicator table)."""


# ---------------------------------------------------------------------------- export


def _book(session: Session, actor: Actor, as_of: date) -> IndicatorBook:
    specs = indicators.catalogue_specs(session, actor=actor)
    values = [v for v in indicators.value_specs(session, actor=actor) if v.status == "accepted"]
    by_system: dict[str, list[IndicatorRow]] = {}
    for spec in specs:
        by_system.setdefault(spec.system, []).append(_row_of(spec))
    return IndicatorBook(
        systems=tuple(SystemRows(name, tuple(rows)) for name, rows in by_system.items()),
        values=tuple(
            ValueRow(v.system, v.code, v.period, v.value, v.source, v.note, v.province_rank)
            for v in values
        ),
        as_of=f"数据截至{as_of.year}年{as_of.month}月{as_of.day}日",
    )


def _row_of(spec: IndicatorSpec) -> IndicatorRow:
    targets = _goal_targets(spec.goals, spec.sdg_targets)
    return IndicatorRow(
        system=spec.system,
        code=spec.code,
        name=spec.name,
        unit=spec.unit,
        definition=spec.definition,
        direction=spec.direction,
        band_low=spec.band_low,
        band_high=spec.band_high,
        baseline_year=spec.baseline_year,
        baseline_value=spec.baseline_value,
        targets=tuple(sorted((int(y), float(v)) for y, v in spec.targets.items())),
        lead_unit=spec.lead_unit,
        data_source=spec.data_source,
        frequency=spec.frequency,
        goals=tuple((goal, targets.get(goal, "")) for goal in sorted(set(spec.goals))),
        measures=tuple(spec.measures),
        projects=tuple(spec.projects),
    )


def _goal_targets(goals: Iterable[int], sdg_targets: Iterable[str]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for target in sdg_targets:
        for part in re.split(r"[、,，]", target):
            head = part.strip().split(".", 1)[0]
            if part.strip() and head.isdigit():
                found[int(head)].append(part.strip())
    return {goal: "、".join(parts)[:20] for goal, parts in found.items()}


def export_workbook(session: Session, *, actor: Actor, as_of: date) -> bytes:
    """The three systems' tables (and every accepted value) as .xlsx bytes."""
    require(actor, "indicator.export")
    return indicator_workbook(_book(session, actor, as_of))


def export_document(session: Session, *, actor: Actor, as_of: date) -> Document:
    """The annual report's indicator tables as a document (rendered to .docx or .pdf by
    tracker.document.render): an overall paragraph, then one table per system."""
    require(actor, "indicator.export")
    book = _book(session, actor, as_of)
    judged = {
        (r.system_name, r.code): r
        for r in indicators.catalogue(session, actor=actor, as_of=as_of).rows
    }
    yearly = {
        (s.name, i.code) for s in book.systems for i in s.indicators if i.frequency == "annual"
    }
    # the report's year: the latest with yearly values (monthly ones run ahead of it)
    year = max(
        (v.period.year for v in book.values if (v.system, v.code) in yearly),
        default=as_of.year - 1,
    )
    # a year's figure: the year's value, or a quarterly or monthly indicator's latest of the year
    annual: Annual = defaultdict(dict)
    for v in sorted(book.values, key=lambda v: v.period):
        if v.value is not None:
            annual[(v.system, v.code)][v.period.year] = v.value
    tables = tuple(
        _system_table(n, system, annual, judged, year)
        for n, system in enumerate(book.systems, start=1)
    )
    counts = _overall_counts(book, judged, annual, year)
    overall = msg(
        "indicator_file.doc_overall",
        systems="、".join(
            str(msg("indicator_file.doc_system_count", name=s.name, count=len(s.indicators)))
            for s in book.systems
        ),
        total=sum(len(s.indicators) for s in book.systems),
        as_of=f"{as_of.year}年{as_of.month}月{as_of.day}日",
        year=year,
        **counts,
    )
    return Document(
        title=str(msg("indicator_file.doc_title", year=year)),
        issue_no="",
        office="",
        date_line=f"{as_of.year}年{as_of.month}月{as_of.day}日",
        sections=(Section("overall", str(msg("indicator_file.doc_heading")), str(overall)),),
        annexes=tables,
        file_stem=f"监测指标-{year}",
        masthead="",
    )


Annual = dict[tuple[str, str], dict[int, float | None]]
Judged = dict[tuple[str, str], indicators.IndicatorRow]


def _overall_counts(
    book: IndicatorBook, judged: Judged, annual: Annual, year: int
) -> dict[str, int]:
    """How many indicators have the year's figure, by light; how many lack it."""
    counts = {"reported": 0, "green": 0, "amber": 0, "red": 0, "missing": 0}
    for system in book.systems:
        for row in system.indicators:
            if annual.get((system.name, row.code), {}).get(year) is None:
                counts["missing"] += 1
                continue
            counts["reported"] += 1
            found = judged.get((system.name, row.code))
            counts[str(found.light.value) if found is not None else "red"] += 1
    return counts


_LIGHT_WORDS = {"green": "正常", "amber": "预警", "red": "滞后"}


def _system_table(
    number: int, system: SystemRows, annual: Annual, judged: Judged, year: int
) -> Table:
    columns = (
        Column("序号", 3, "center"),
        Column("指标名称", 16),
        Column("单位", 4, "center"),
        Column("基期年份", 4, "center"),
        Column("基期值", 5, "right"),
        Column(f"{year - 1}年", 5, "right"),
        Column(f"{year}年", 5, "right"),
        Column("2025年目标", 5, "right"),
        Column("2030年目标", 5, "right"),
        Column("进展", 4, "center"),
        Column("责任单位", 9),
    )
    rows = []
    for seq, row in enumerate(system.indicators, start=1):
        values = annual.get((system.name, row.code), {})
        targets = dict(row.targets)
        judged_row = judged.get((system.name, row.code))
        light = _LIGHT_WORDS.get(str(judged_row.light.value), "") if judged_row else ""
        if values.get(year) is None:
            light = "缺数"
        rows.append(
            (
                str(seq),
                row.name,
                row.unit,
                str(row.baseline_year or "—"),
                _figure(row.baseline_value),
                _figure(values.get(year - 1)),
                _figure(values.get(year)),
                _target(row, targets.get(2025)),
                _target(row, targets.get(2030)),
                light,
                row.lead_unit,
            )
        )
    return Table(
        title=str(
            msg("indicator_file.doc_annex", number=number, name=system.name, count=len(rows))
        ),
        columns=columns,
        rows=tuple(rows),
        note=str(msg("indicator_file.doc_note")),
    )


def _figure(value: float | None) -> str:
    shown = number_text(value)
    if shown is None:
        return "—"
    return f"{shown:,}" if isinstance(shown, int) else f"{round(shown, 4):,}"


def _target(row: IndicatorRow, value: float | None) -> str:
    if row.direction == "band" and value is None and row.band_low is not None:
        return f"{_figure(row.band_low)}~{_figure(row.band_high)}"
    text = _figure(value)
    if text != "—" and row.direction == "lower":
        return f"≤{text}"
    if text != "—" and row.direction == "higher":
        return f"≥{text}"
    return text


# ---------------------------------------------------------------------------- import


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class IndicatorChange:
    label: str  # 创新能力监测 CX-01 全社会研发经费投入强度
    fields: tuple[FieldChange, ...]


@dataclass
class IndicatorImportResult:
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    columns: list[ColumnReport] = field(default_factory=list)
    systems_created: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    changes: list[IndicatorChange] = field(default_factory=list)
    unchanged: int = 0
    values_created: int = 0
    values_revised: int = 0
    values_unchanged: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unused(self) -> list[ColumnReport]:
        return [c for c in self.columns if c.field is None]

    def summary_message(self) -> Message:
        head = (
            "indicator_file.head_refused"
            if self.errors
            else "indicator_file.head_done"
            if self.written
            else "indicator_file.head_dry"
        )
        return msg(
            "indicator_file.summary",
            head=msg(head),
            created=len(self.created),
            updated=len(self.changes),
            unchanged=self.unchanged,
            systems=len(self.systems_created),
            values_created=self.values_created,
            values_revised=self.values_revised,
            values_unchanged=self.values_unchanged,
            errors=len(self.errors),
            unused=len(self.unused),
        )

    def summary(self) -> str:
        return str(self.summary_message())


def import_indicators(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    filename: str,
    dry_run: bool,
    today: date,
    max_bytes: int = 20 * 1024 * 1024,
) -> IndicatorImportResult:
    """Read an indicator workbook and apply it (or, on a dry run, only say what it would
    do). Any row error: nothing is written. ``IndicatorFileRefused`` when the file as a
    whole is refused."""
    require(actor, "indicator.manage")
    try:
        parsed = parse_indicator_workbook(data, filename, max_bytes=max_bytes)
    except ListFileError as exc:
        raise IndicatorFileRefused(getattr(exc, "message", str(exc))) from exc
    result = IndicatorImportResult(
        dry_run=dry_run,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        columns=list(parsed.columns),
    )
    if not parsed.indicators and not parsed.values and not parsed.errors:
        raise IndicatorFileRefused(msg("indicator_file.no_rows"))
    stored = _Stored(session, actor)
    checker = _Checker(stored, parsed, result)
    specs, values = checker.run()
    if result.errors:
        return result
    _describe(stored, specs, values, result)
    result.values_unchanged += checker.untouched
    savepoint = session.begin_nested()
    try:
        indicators.apply_catalogue(
            session, actor=actor, specs=specs, values=values, dry_run=dry_run, today=today
        )
        session.flush()
    except Exception:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
        session.expire_all()
    else:
        savepoint.commit()
        result.written = True
    return result


class _Stored:
    """What is stored, loaded once: systems, indicators, values, measures, projects."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.specs = {
            (s.system, s.code): s for s in indicators.catalogue_specs(session, actor=actor)
        }
        self.systems = {system_key(s.name): s.name for s in session.exec(select(IndicatorSystem))}
        self.by_name = {(s.system, s.name): s for s in self.specs.values()}
        self.codes: dict[str, list[str]] = defaultdict(list)  # code -> systems
        for system, code in self.specs:
            self.codes[code].append(system)
        rows = session.exec(
            select(IndicatorSystem.name, Indicator.code, IndicatorValue).where(
                IndicatorValue.indicator_id == Indicator.id,
                Indicator.system_id == IndicatorSystem.id,
            )
        )
        self.values: dict[tuple[str, str, date], IndicatorValue] = {
            (system, code, value.period): value for system, code, value in rows
        }
        measures: dict[str, int] = defaultdict(int)
        for name in session.exec(select(Measure.name)):
            measures[name] += 1
        self.measures = measures
        self.projects = {code: code for code, _ in session.exec(select(Project.code, Project.name))}
        for code, name in session.exec(select(Project.code, Project.name)):
            self.projects.setdefault(name, code)


class _Checker:
    """The file's rows against what is stored: specs to apply, or located errors."""

    def __init__(self, stored: _Stored, parsed: ParsedIndicators, result: IndicatorImportResult):
        self.stored, self.parsed, self.result = stored, parsed, result
        self.letters = {(c.sheet, c.field): (c.letter, c.header) for c in parsed.columns if c.field}
        self.frequency: dict[tuple[str, str], str] = {}
        self.untouched = 0  # values equal to the accepted one while a revision waits
        self.by_code: dict[str, set[tuple[str, str]]] | None = None
        self.by_name: dict[str, set[tuple[str, str]]] = {}
        self.next_order: dict[str, int] = {}  # system -> the next new indicator's sort order

    def error(self, sheet: str, row: int, name: IField | None, message: Message) -> None:
        letter, header = self.letters.get((sheet, name.name if name else ""), ("", ""))
        self.result.errors.append(RowError(sheet, row, letter, header, message))

    def system(self, text: str) -> str:
        return self.stored.systems.get(system_key(text), system_name(text))

    def run(self) -> tuple[list[IndicatorSpec], list[ValueSpec]]:
        specs = [self.spec(row) for row in self.parsed.indicators]
        for spec in specs:
            self.frequency[(spec.system, spec.code)] = spec.frequency
        for (system, code), spec in self.stored.specs.items():
            self.frequency.setdefault((system, code), spec.frequency)
        names = {(s.system, s.name): s.code for s in specs}
        values: dict[tuple[str, str, date], tuple[ValueSpec, ValueRow]] = {}
        for row in self.parsed.values:
            spec = self.value(row, names)
            if spec is None:
                continue
            key = (spec.system, spec.code, spec.period)
            first = values.get(key)
            if first is None or (row.detailed and not first[1].detailed):
                if first is not None and _differs(first[0].value, spec.value):
                    self._conflict(row, first[1])
                values[key] = (spec, row)
            elif _differs(first[0].value, spec.value):
                self._conflict(row, first[1])
        return specs, [spec for spec, _ in values.values()]

    def _conflict(self, row: ValueRow, first: ValueRow) -> None:
        """The same period's value twice in the file, with different figures."""
        message = msg("indicator_file.value_conflict", sheet=first.sheet, row=first.row)
        self.result.errors.append(RowError(row.sheet, row.row, row.column, "", message))

    def spec(self, row: IndicatorRow) -> IndicatorSpec:
        system = self.system(row.system)
        code = row.code
        if "CODE" not in row.present:  # no code column: the name says which indicator
            known = self.stored.by_name.get((system, row.name))
            code = known.code if known is not None else row.name
            if known is None and len(code) > 40:
                self.error(row.sheet, row.row, IField.NAME, msg("indicator_file.no_code"))
        for name in row.measures:
            if self.stored.measures.get(name, 0) != 1:
                self.error(
                    row.sheet,
                    row.row,
                    IField.MEASURES,
                    msg("indicator_file.unknown_measure", name=name),
                )
        projects = []
        for name in row.projects:
            found = self.stored.projects.get(name)
            if found is None:
                self.error(
                    row.sheet,
                    row.row,
                    IField.PROJECTS,
                    msg("indicator_file.unknown_project", name=name),
                )
            projects.append(found or name)
        known_spec = self.stored.specs.get((system, code))
        if known_spec is None:
            order = self.next_order.get(system)
            if order is None:
                order = 1 + max(
                    (s.sort_order for s in self.stored.specs.values() if s.system == system),
                    default=0,
                )
            self.next_order[system] = order + 1
        return IndicatorSpec(
            system=system,
            code=code,
            name=row.name,
            unit=row.unit,
            definition=row.definition,
            direction=row.direction,
            band_low=row.band_low,
            band_high=row.band_high,
            baseline_year=row.baseline_year,
            baseline_value=row.baseline_value,
            targets=dict(row.targets),
            lead_unit=row.lead_unit,
            data_source=row.data_source,
            frequency=row.frequency,
            goals=tuple(goal for goal, _ in row.goals),
            sdg_targets=tuple(p for _, t in row.goals for p in t.split("、") if p),
            measures=row.measures,
            projects=tuple(projects),
            sort_order=known_spec.sort_order if known_spec else order,
        )

    def _indicator_of(
        self, row: ValueRow, names: dict[tuple[str, str], str]
    ) -> tuple[str, str] | None:
        """(system, code) of a value row: by system and code, or by code alone, or by name."""
        if self.by_code is None:  # indexed once: a file holds many values
            self.by_code, self.by_name = defaultdict(set), defaultdict(set)
            for system, code in self.frequency:
                self.by_code[code].add((system, code))
            named = {(k, v.code) for k, v in self.stored.by_name.items()} | set(names.items())
            for (system, name), code in named:
                self.by_name[name].add((system, code))
        system = self.system(row.system) if row.system else None
        candidates = {
            key
            for key in self.by_code.get(row.code) or self.by_name.get(row.code, ())
            if system is None or key[0] == system
        }
        if not candidates and system is not None:
            candidates = {k for k in self.by_name.get(row.code, ()) if k[0] == system}
        if len(candidates) == 1:
            return candidates.pop()
        if candidates:
            self.error(
                row.sheet,
                row.row,
                IField.CODE,
                msg(
                    "indicator_file.ambiguous_indicator",
                    code=row.code,
                    systems="、".join(sorted(s for s, _ in candidates)),
                ),
            )
            return None
        where = msg("indicator_file.in_system", system=row.system) if row.system else ""
        self.error(
            row.sheet,
            row.row,
            IField.CODE,
            msg("indicator_file.unknown_indicator", code=row.code, where=where),
        )
        return None

    def value(self, row: ValueRow, names: dict[tuple[str, str], str]) -> ValueSpec | None:
        found = self._indicator_of(row, names)
        if found is None:
            return None
        system, code = found
        frequency = self.frequency[found]
        if not _fits(row.period, frequency, row.kind):
            self.error(
                row.sheet,
                row.row,
                IField.PERIOD if row.detailed else None,
                msg(
                    "indicator_file.period_frequency",
                    period=period_text(row.period, row.kind or "annual"),
                    frequency=FREQUENCY_LABEL.get(frequency, frequency),
                ),
            )
            return None
        stored = self.stored.values.get((system, code, row.period))
        if stored is not None and stored.status != "accepted":
            if stored.accepted_value is not None and not _differs(stored.accepted_value, row.value):
                self.untouched += 1  # the accepted figure: leave the revision under review
                return None
            self.error(
                row.sheet,
                row.row,
                IField.VALUE if row.detailed else None,
                msg(
                    "indicator_file.value_pending",
                    status=_STATUS_WORDS.get(stored.status, stored.status),
                ),
            )
            return None
        if stored is not None and not row.detailed:  # a year column: keep the value's details
            return ValueSpec(
                system,
                code,
                row.period,
                row.value,
                stored.source,
                stored.note,
                stored.province_rank,
            )
        return ValueSpec(
            system=system,
            code=code,
            period=row.period,
            value=row.value,
            source=row.source,
            note=row.note,
            province_rank=row.province_rank,
        )


_STATUS_WORDS = {"draft": "草稿", "submitted": "已报送待审核", "returned": "已退回"}


def _fits(period: date, frequency: str, kind: str) -> bool:
    if kind and kind != frequency:
        return False
    if frequency == "annual":
        return period.month == 1
    if frequency == "quarterly":
        return period.month in (1, 4, 7, 10)
    return True


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(old - new) > 1e-9 * max(1.0, abs(old))


_SPEC_LABELS: tuple[tuple[str, str], ...] = (
    ("name", "指标名称"),
    ("unit", "计量单位"),
    ("definition", "指标解释"),
    ("direction", "指标方向"),
    ("band_low", "目标区间下限"),
    ("band_high", "目标区间上限"),
    ("baseline_year", "基期年份"),
    ("baseline_value", "基期值"),
    ("targets", "目标值"),
    ("lead_unit", "责任单位"),
    ("data_source", "数据来源"),
    ("frequency", "更新频率"),
    ("goals", "SDG目标"),
    ("sdg_targets", "SDG具体目标"),
    ("measures", "关联举措"),
    ("projects", "关联项目"),
)


def _shown(name: str, value: Any) -> str:
    if value is None or value == () or value == {}:
        return ""
    if name == "direction":
        return DIRECTION_LABEL.get(value, value)
    if name == "frequency":
        return FREQUENCY_LABEL.get(value, value)
    if name == "targets":
        return "、".join(f"{y}年 {number_text(v)}" for y, v in sorted(dict(value).items()))
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return str(number_text(value))
    return str(value)


def _comparable(name: str, value: Any) -> Any:
    if name == "targets":
        return {int(y): round(float(v), 9) for y, v in dict(value).items()}
    if name in ("goals", "sdg_targets", "measures", "projects"):
        return tuple(sorted(set(value)))
    if isinstance(value, float):
        return round(value, 9)
    return value


def _describe(
    stored: _Stored,
    specs: Sequence[IndicatorSpec],
    values: Sequence[ValueSpec],
    result: IndicatorImportResult,
) -> None:
    known_systems = set(stored.systems.values())
    result.systems_created = sorted({s.system for s in specs} - known_systems)
    for spec in specs:
        label = f"{spec.system} {spec.code} {spec.name}"
        old = stored.specs.get((spec.system, spec.code))
        if old is None:
            result.created.append(label)
            continue
        changed = tuple(
            FieldChange(
                label_text, _shown(name, getattr(old, name)), _shown(name, getattr(spec, name))
            )
            for name, label_text in _SPEC_LABELS
            if _comparable(name, getattr(old, name)) != _comparable(name, getattr(spec, name))
        )
        if changed:
            result.changes.append(IndicatorChange(label, changed))
        else:
            result.unchanged += 1
    for value in values:
        old_value = stored.values.get((value.system, value.code, value.period))
        if old_value is None:
            result.values_created += 1
        elif _differs(old_value.accepted_value, value.value) or (
            (value.source, value.note, value.province_rank)
            != (old_value.source, old_value.note, old_value.province_rank)
        ):
            result.values_revised += 1
        else:
            result.values_unchanged += 1
