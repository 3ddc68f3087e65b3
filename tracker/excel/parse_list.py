"""Read a project list (重大项目清单) as offices send it: bytes in, validated rows out.

The file is first judged by ``safety`` (format by magic bytes, caps, macros, links,
encryption), then read with python-calamine. On every sheet the header is located (see
``headers``), then each row below it is one of: blank, a note (注：…), a total (合计),
a section that sets the area (一、…) or the measure (（一）… or 1. …), or a project.
A project row that fails validation becomes ``RowError``s and is left out of
``projects``; the rest of the file still imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import PurePath

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from tracker.domain.inputs import AMOUNT_CEILING
from tracker.domain.messages import Message, msg
from tracker.excel.headers import (
    Column,
    Field,
    HeaderMatch,
    Layout,
    Merge,
    classify_header,
    find_header_row,
    find_layout,
)
from tracker.excel.recognize import (
    IGNORE,
    approval_step,
    candidates_for,
    mapping_key,
    match_as,
    recognise_values,
    samples,
    split_contact,
)
from tracker.excel.rows import (
    ColumnReport,
    ListFileError,
    MilestoneRow,
    ParsedList,
    ProjectRow,
    RowError,
)
from tracker.excel.safety import (
    DEFAULT_MAX_BYTES,
    Limits,
    WorkbookKind,
    check_workbook_bytes,
    file_label,
)
from tracker.excel.targets import YearNeeded, parse_targets
from tracker.excel.values import (
    ValueProblem,
    clean_line,
    clean_text,
    normalize_county,
    normalize_nature,
    parse_amount,
    parse_date,
    parse_milestone_text,
    parse_period,
    unit_factor,
)
from tracker.excel.years import YearChoice, resolve_year

__all__ = ["parse_project_list"]

# the refusal of a workbook with no project list
NO_HEADER_MESSAGE = msg(
    "list.no_header",
    name="项目名称",
    others="“所属领域”“工作举措”“建设地点”“总投资”“计划开工时间”",
)

_CN = "一二三四五六七八九十"
_AREA_SECTION = re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．,，:：]\s*(\S.*)$")
_AREA_NUMERAL = re.compile(rf"^[{_CN}]{{1,3}}\s*[、.．]?$")
_MEASURE_SECTION = re.compile(rf"^[（(]\s*[{_CN}]{{1,3}}\s*[）)]\s*[、.．:：]?\s*(\S.*)$")
_MEASURE_NUMERAL = re.compile(rf"^[（(]\s*[{_CN}]{{1,3}}\s*[）)]$")
_NUMBERED_SECTION = re.compile(r"^[0-9０-９]{1,2}\s*[、.．]\s*(\D.*)$")
_TOTAL = re.compile(
    r"^(?:合\s*计|总\s*计|小\s*计|共\s*计|累\s*计|全市合计|全市总计|其\s*中)\s*(?:[:：(（].*)?$"
    r"|(?:合\s*计|小\s*计)\s*$"
)
_NOTE = re.compile(
    r"^(?:注|说明|备注|附注|填表说明|填报说明)\s*[0-9０-９]?\s*[:：]"
    r"|^(?:填表人|填报人|审核人|制表人|负责人|分管领导|单位负责人|主要领导|填报单位|报送单位"
    r"|填报日期|制表日期|填表日期|报送日期|联系人|联系电话)\s*[:：]"
)
_SECTION_TAIL = re.compile(r"\s*[（(]\s*(?:共\s*)?[0-9０-９]+\s*个(?:项目)?\s*[）)]\s*$|[:：]$")
_UNIT_ROW = re.compile(r"单位\s*[:：]")

# Columns whose merged cells (one value over several rows) apply to every row they cover.
_FILL_DOWN = (
    Field.AREA,
    Field.MEASURE,
    Field.COUNTY,
    Field.NATURE,
    Field.LEAD_UNIT,
    Field.RESPONSIBLE_UNITS,
    Field.CONTACT_PERSON,
    Field.CONTACT_PHONE,
    Field.PERIOD,
)
# Fields that may sit on a section row (its subtotal, its code) without making it a project.
_SECTION_FIELDS = (Field.SEQ, Field.NAME, Field.CODE, Field.TOTAL_INVESTMENT, Field.REMARK)


def parse_project_list(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    mapping: Mapping[str, str] | None = None,
    year: int | None = None,
    amount_ceiling: Decimal = AMOUNT_CEILING,
) -> ParsedList:
    """Parse a project list workbook (.xlsx, .xls or .ods) into validated rows and row errors.

    ``mapping`` settles columns the office has mapped: its keys are headers as written
    (or column letters, "G", or "工作表!G"), its values a ``Field`` name ("COUNTY") or
    ``IGNORE``. ``year`` is what 本年度 means when the office says so. ``amount_ceiling``
    is the largest amount (万元) a cell may hold: the office's AMOUNT_MAX_WAN setting. When a filled
    column is not recognised, a required field has no column, or the list needs a year it
    does not name, the result says so (``needs_input``) and holds the columns with samples
    for the mapping step. Raises ``ListFileError`` when the file as a whole is refused:
    too large, not a workbook, hostile, encrypted, unreadable, or holding no project list.
    """
    kind = check_workbook_bytes(data, filename, limits=Limits(max_bytes=max_bytes))
    result = ParsedList(projects=[], errors=[], warnings=[])
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if suffix and suffix != kind.value and not (suffix == "xlt" and kind is WorkbookKind.XLS):
        result.warn(msg("list.extension_differs", suffix=suffix, kind=kind.value))
    label = file_label(filename)
    with _reading("list.unreadable", label=label):
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
        sheets = list(workbook.sheets_metadata)
    seen: dict[tuple[str, ...], tuple[str, int]] = {}
    options = _Options(mapping or {}, year, amount_ceiling)
    found_list = False
    any_content = False
    for meta in sheets:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            result.warn(msg("list.hidden_sheet", sheet=meta.name))
            continue
        with _reading("list.sheet_unreadable", label=label, sheet=meta.name):
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python()
            start = sheet.start or (0, 0)
            merges = sheet.merged_cell_ranges or []
        if not any(any(_filled(v) for v in row) for row in rows):
            continue
        any_content = True
        classify = options.classifier(meta.name)
        header_row = find_header_row(rows, classify)
        if header_row is None:
            result.warn(msg("list.sheet_no_header", sheet=meta.name))
            continue
        found_list = True
        _SheetReader(meta.name, rows, start, merges, header_row, seen, result, options).read()
    if not any_content:
        raise ListFileError("list.empty", label=label)
    if not found_list:
        raise ListFileError(NO_HEADER_MESSAGE)
    return result


@contextmanager
def _reading(key: str, **params: object) -> Iterator[None]:
    """Turn any failure of the reader into a refusal of the file.

    The reader is native code: besides its own errors it may raise a Rust panic, which
    arrives as a BaseException subclass named PanicException.
    """
    try:
        yield
    except CalamineError as exc:
        raise ListFileError(key, **params, why=_reader_reason(exc)) from exc
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:
        if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
            raise ListFileError(key, **params, why=_reader_reason(exc)) from exc
        raise


def _reader_reason(exc: BaseException) -> Message:
    text = str(exc)
    if "password" in text.lower() or "encrypt" in text.lower():
        return msg("list.reader_encrypted")
    return msg("list.reader_broken")


def _filled(value: object) -> bool:
    if type(value) is str:
        return bool(value) and not value.isspace()
    return value is not None


def _letter(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Options:
    """What the office settled for this import: mapped columns and the year."""

    mapping: Mapping[str, str]
    year: int | None
    ceiling: Decimal = AMOUNT_CEILING  # 万元: the office's AMOUNT_MAX_WAN

    def __post_init__(self) -> None:
        self.by_key = {mapping_key(key): value for key, value in self.mapping.items() if key}

    def lookup(self, *keys: str) -> str | None:
        for key in keys:
            if key and (value := self.by_key.get(mapping_key(key))) is not None:
                return value
        return None

    def classifier(self, sheet: str) -> Callable[[str], HeaderMatch | None]:
        if not self.by_key:
            return classify_header

        def classify(text: str) -> HeaderMatch | None:
            value = self.lookup(text)
            if value == IGNORE:
                return None
            if value is not None:
                return match_as(Field[value], text)
            return classify_header(text)

        return classify


@dataclass
class _Sections:
    area: str = ""
    measure: str = ""
    area_seen: bool = False
    measure_seen: bool = False
    bracket_measures: bool = False  # （一） is in use, so 1. marks a lower level


# ProjectRow attributes each field fills (what a re-import may change)
_PRESENT: dict[Field, tuple[str, ...]] = {
    Field.NAME: ("name",),
    Field.CODE: ("code",),
    Field.COUNTY: ("county",),
    Field.NATURE: ("nature",),
    Field.LEAD_UNIT: ("lead_unit",),
    Field.RESPONSIBLE_UNITS: ("responsible_units",),
    Field.IMPLEMENTER: ("implementer",),
    Field.CITY_LEADER: ("city_leader",),
    Field.CONTACT_PERSON: ("contact_person",),
    Field.CONTACT_PHONE: ("contact_phone",),
    Field.CONTACT: ("contact_person", "contact_phone"),
    Field.SCOPE: ("scope",),
    Field.TOTAL_INVESTMENT: ("total_investment",),
    Field.ANNUAL_PLAN: ("annual_plans",),
    Field.COMPLETED_BEFORE: ("opening_total", "opening_year"),
    Field.PLANNED_START: ("planned_start",),
    Field.PLANNED_FINISH: ("planned_finish",),
    Field.PERIOD: ("planned_start", "planned_finish"),
    Field.ACTUAL_START: ("actual_start",),
    Field.ACTUAL_FINISH: ("actual_finish",),
    Field.MILESTONE_NAME: ("milestones",),
    Field.MILESTONES_TEXT: ("milestones",),
    Field.REMARK: ("remark",),
}


@dataclass
class _SheetReader:
    sheet: str
    rows: list[list[object]]
    start: tuple[int, int]
    merges: Sequence[Merge]
    header_row: int
    seen: dict[tuple[str, ...], tuple[str, int]]
    result: ParsedList
    options: _Options
    sections: _Sections = field(default_factory=_Sections)
    year: YearChoice | None = None
    year_used: bool = False

    # ------------------------------------------------------------------ setup

    def read(self) -> None:
        row0, col0 = self.start
        merges: list[Merge] = [
            ((r0 - row0, c0 - col0), (r1 - row0, c1 - col0)) for (r0, c0), (r1, c1) in self.merges
        ]
        layout = find_layout(
            self.rows,
            self.header_row,
            column_letter=lambda index: _letter(col0 + index + 1),
            merges=merges,
            default_factor=self._unit_above_header(),
            classify=self.options.classifier(self.sheet),
            decide=self._decide,
        )
        first = layout.first_data_row
        if first < len(self.rows) and _is_column_numbering(self.rows[first]):
            first += 1
        self.first_data = first
        self._judge_columns(layout)
        layout.arrange()
        for warning in layout.warnings:
            self.result.warn(msg("list.sheet_says", sheet=self.sheet, what=warning))
        self.year = self._resolve_year(layout)
        self._report_columns(layout)
        readable = self._require(layout)
        if self._needs_year(layout):
            if self.year is None:
                self.result.year_needed = True  # asked together with any columns to map
                return
            if not readable and self.result.year is None:  # shown in the mapping step
                self.result.take_year(self.year)
        if not readable:
            return
        self._fill_merged_down(merges, layout)
        projects, errors = len(self.result.projects), len(self.result.errors)
        self._read_rows(layout)
        nothing = len(self.result.projects) == projects and len(self.result.errors) == errors
        if nothing and not self.result.year_needed:
            self.result.warn(msg("list.sheet_no_projects", sheet=self.sheet))
        if self.year_used and self.year is not None:
            if self.result.year is None:
                self.result.take_year(self.year)
            elif self.result.year != self.year.year:
                self.result.warn(
                    msg("list.sheet_year_differs", sheet=self.sheet, year=self.year.said())
                )

    def _decide(self, index: int, written: str, text: str) -> tuple[HeaderMatch | None, str]:
        letter = _letter(self.start[1] + index + 1)
        value = self.options.lookup(f"{self.sheet}!{letter}", letter, written, text)
        if value is None:
            return None, ""
        if value == IGNORE:
            return None, "ignored"
        return match_as(Field[value], written or text), "mapping"

    def _line(self, position: int) -> int:
        return self.start[0] + position + 1

    def _unit_above_header(self) -> Decimal:
        for row in self.rows[: self.header_row]:
            for value in row:
                if isinstance(value, str) and _UNIT_ROW.search(value):
                    factor = unit_factor(value)
                    if factor is not None:
                        return factor
        return Decimal(1)

    def _column_values(self, index: int) -> Iterator[object]:
        rows = self.rows
        for position in range(self.first_data, len(rows)):
            row = rows[position]
            if index < len(row):
                yield row[index]

    def _judge_columns(self, layout: Layout) -> None:
        """Read unknown and headless columns by their values; confirm weak headers."""
        self.value_kinds: dict[int, Message | None] = {}
        self.candidates: dict[int, tuple[str, ...]] = {}
        taken: set[Field] = set()
        for index in range(len(layout.headers)):
            if index in layout.decided or index in layout.ignored:
                continue
            headless = not layout.headers[index]
            if not (index in layout.unknown or index in layout.weak or headless):
                continue
            if not any(_filled(v) for v in self._column_values(index)):
                continue  # a header over nothing, or nothing at all: nothing to lose
            kind = recognise_values(list(self._column_values(index)))
            weak = layout.weak.get(index)
            if weak is not None and kind.field is weak.match.field:
                layout.decide(index, weak.match, "header")
                continue
            if (
                kind.field is not None
                and not layout.has(kind.field)
                and kind.field not in taken
                and not (kind.field is Field.CONTACT and layout.has(Field.CONTACT_PERSON))
            ):
                layout.decide(index, HeaderMatch(kind.field), "values")
                self.value_kinds[index] = kind.describe
                taken.add(kind.field)
                continue
            if index not in layout.unknown:
                layout.unknown.append(index)
            layout.weak.pop(index, None)
            self.value_kinds[index] = kind.describe
            self.candidates[index] = tuple(
                f.name for f in candidates_for(layout.headers[index], kind)
            )

    def _report_columns(self, layout: Layout) -> None:
        """Every filled column: read (and how), not read (and why), or unknown."""
        reports: dict[int, ColumnReport] = {}

        def report(index: int, **kwargs: object) -> None:
            found = samples(self._column_values(index))
            if not found:
                return
            reports[index] = ColumnReport(
                sheet=self.sheet,
                letter=layout.letters[index],
                header=layout.headers[index],
                samples=tuple(found),
                **kwargs,  # type: ignore[arg-type]
            )

        for index, column in layout.decided.items():
            reason = self.value_kinds.get(index)
            if column.how == "values":
                reason = msg("column.by_values", kind=reason or "")
            report(
                index,
                field=column.match.field.name,
                how=column.how,
                reason=reason,
                year=self._year_of(column),
            )
        for dropped in layout.dropped:
            report(dropped.column.index, field=None, how="dropped", reason=dropped.reason)
        for index, reason in layout.ignored.items():
            report(index, field=None, how="ignored", reason=reason)
        for index in layout.unknown:
            report(
                index,
                field=None,
                how="unknown",
                reason=self.value_kinds.get(index),
                candidates=self.candidates.get(index, ()),
            )
        self.result.columns.extend(reports[i] for i in sorted(reports))

    def _year_of(self, column: Column) -> int | None:
        """The year a column's amounts or targets belong to (for 截至…年底: that year)."""
        match = column.match
        if match.field not in _YEARLY:
            return None
        if match.number is not None or self.year is None:
            return match.number
        return self.year.year + (match.year_offset or 0)

    def _require(self, layout: Layout) -> bool:
        """Whether the sheet can be read; names what is missing when it cannot."""
        line = self._line(layout.header_rows[0])
        for required, hint in (
            (Field.NAME, "项目名称"),
            (Field.COUNTY, "建设地点（县区）"),
        ):
            if layout.first(required) is None:
                self.result.lack(
                    msg(
                        "list.no_column",
                        sheet=self.sheet,
                        line=line,
                        hint=hint,
                        field=msg(f"column.field.{required.name}"),
                    )
                )
        blocked = any(c.sheet == self.sheet for c in self.result.unknown)
        lacking = any(m.params.get("sheet") == self.sheet for m in self.result.missing_messages)
        return not blocked and not lacking

    def _header_years(self, layout: Layout) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        for column in (*layout.annual, *layout.milestone_text):
            if column.match.number:
                found.append((column.header, column.match.number))
        for column in layout.before_year:
            if column.match.number:
                found.append((column.header, column.match.number + 1))
        return found

    def _resolve_year(self, layout: Layout) -> YearChoice | None:
        titles = [
            " ".join(v.strip() for v in row if isinstance(v, str) and v.strip())
            for row in self.rows[: self.header_row]
        ]
        chosen, warnings = resolve_year(
            given=self.options.year,
            titles=[t for t in titles if t],
            sheet=self.sheet,
            header_years=self._header_years(layout),
        )
        if self._needs_year(layout):
            for warning in warnings:
                self.result.warn(msg("list.sheet_says", sheet=self.sheet, what=warning))
        return chosen

    def _needs_year(self, layout: Layout) -> bool:
        return any(c.match.year_offset is not None for c in (*layout.annual, *layout.before_year))

    def _fill_merged_down(self, merges: list[Merge], layout: Layout) -> None:
        columns = {c.index for f in _FILL_DOWN for c in layout.columns.get(f, [])}
        first = layout.first_data_row
        for (r0, c0), (r1, c1) in merges:
            if r1 <= r0 or r0 < first:
                continue
            for column in range(c0, c1 + 1):
                if column not in columns or r0 >= len(self.rows):
                    continue
                top = self.rows[r0]
                value = top[column] if column < len(top) else ""
                for position in range(r0 + 1, min(r1 + 1, len(self.rows))):
                    row = self.rows[position]
                    if column < len(row) and row[column] == "":
                        row[column] = value

    # ------------------------------------------------------------------ rows

    def _read_rows(self, layout: Layout) -> None:
        rows = self.rows
        width = max((len(row) for row in rows), default=0)
        for row in rows:  # one empty cell past the end stands for every absent column
            row.extend([""] * (width + 1 - len(row)))
        plan = _Plan.of(layout, width, self.year.year if self.year else None)
        if any(c.match.year_offset is not None for c in (*layout.annual, *layout.before_year)):
            self.year_used = True
        name_i = plan.name
        area_missing: list[int] = []
        measure_missing: list[int] = []
        in_notes = False
        for position in range(self.first_data, len(rows)):
            row = rows[position]
            lead = _lead_text(row)
            if lead is None:
                continue  # blank
            name_value = row[name_i]
            if lead:
                if _NOTE.match(lead):
                    in_notes = True
                    continue
                if _TOTAL.search(lead) or self._section(row, lead, plan):
                    continue
            if (
                type(name_value) is str
                and ("计" in name_value or "其中" in name_value)
                and _TOTAL.search(name_value.strip())
            ):
                continue
            if not _filled(name_value):
                if in_notes or not any(_filled(row[i]) for i in plan.mapped):
                    continue  # a stray remark, a footer, an empty numbered line
            elif in_notes and sum(1 for v in row if _filled(v)) <= 2:
                continue
            marker = self._project(row, position, plan)
            if marker is _AREA_MISSING:
                area_missing.append(position)
            elif marker is _MEASURE_MISSING:
                measure_missing.append(position)
        self._report_missing(area_missing, measure_missing, layout)

    def _section(self, row: list[object], lead: str, plan: _Plan) -> bool:
        if _filled(row[plan.county]):
            return False  # a section groups projects; it has no county of its own
        sections = self.sections
        label: str | None = None
        if m := _AREA_SECTION.match(lead):
            label = m[2]
        elif _AREA_NUMERAL.match(lead):
            label = _next_text(row, lead)
        if label:
            sections.area = _section_label(label)
            sections.measure = ""
            sections.area_seen = True
            return True
        if m := _MEASURE_SECTION.match(lead):
            label = m[1]
        elif _MEASURE_NUMERAL.match(lead):
            label = _next_text(row, lead)
        if label:
            sections.measure = _section_label(label)
            sections.measure_seen = True
            sections.bracket_measures = True
            return True
        # "1. xxx" is a section only when nothing but its subtotal sits beside it
        m = _NUMBERED_SECTION.match(lead)
        if m is None or not all(
            i in plan.section_cells or not _filled(v) for i, v in enumerate(row)
        ):
            return False
        if not sections.bracket_measures:  # otherwise it is a level below the measures
            sections.measure = _section_label(m[1])
            sections.measure_seen = True
        return True

    def _error(self, position: int, column: Column | None, message: Message) -> None:
        self.result.errors.append(
            RowError(
                sheet=self.sheet,
                row=self._line(position),
                column=column.letter if column else "",
                field=column.header if column else "",
                message=message,
            )
        )

    def _note(self, position: int, column: Column | None, message: Message) -> None:
        """Something in a row the import does not use as written: said in the dry run."""
        letter, header = (column.letter, column.header) if column is not None else ("", "")
        line = self._line(position)
        self.result.warn(RowError(self.sheet, line, letter, header, message).as_message())

    def _date(
        self, row: list[object], position: int, column: Column | None, end: bool = False
    ) -> date | None:
        if column is None:
            return None
        return self._parsed_date(row[column.index], position, column, end)

    def _parsed_date(
        self, value: object, position: int, column: Column | None, end: bool
    ) -> date | None:
        """The date a cell holds; a blank is none, a bad one an error of the row."""
        if value == "":
            return None
        try:
            return parse_date(value, end_of_period=end)
        except ValueProblem as problem:
            self._error(position, column, problem.message)
            return None

    def _project(self, row: list[object], position: int, plan: _Plan) -> object:
        """Validate one project row; append it or its errors. Returns a marker for rows
        that lack an area or measure only because the sheet has no such column."""
        errors = self.result.errors
        errors_before = len(errors)
        width = plan.width
        name, area, measure, marker = self._names(row, position, plan)
        county, county_text = self._county(row, position, plan)
        code = _line_text(row[plan.code]) or None
        nature = self._nature(row, position, plan)
        total, plans, opening, opening_year = self._amounts(row, position, plan)
        start, finish = self._planned(row, position, plan)
        actual_start, actual_finish = self._actual(row, position, plan)
        milestones = self._milestones(row, position, plan, plans) if plan.has_milestones else ()
        approvals = self._approvals(row, position, plan) if plan.approvals else {}
        person = phone = ""
        if plan.has_contact:
            person, phone = self._contact(row, plan)
        self._check_duplicate(position, code, name, county or county_text, plan)
        if len(errors) > errors_before or marker is not None:
            return marker
        self.result.projects.append(
            _project_row(
                name=name,
                area=area,
                measure=measure,
                county=county,
                code=code,
                lead_unit=_units(row[plan.lead_unit]) if plan.lead_unit != width else "",
                responsible_units=self._responsible(row, plan),
                contact_person=person,
                contact_phone=phone,
                scope=_text(row[plan.scope]),
                nature=nature,
                total_investment=total,
                annual_plans=plans,
                planned_start=start,
                planned_finish=finish,
                milestones=milestones,
                city_leader=_units(row[plan.city_leader]) if plan.city_leader != width else "",
                implementer=_units(row[plan.implementer]) if plan.implementer != width else "",
                remark=self._remark(row, plan),
                actual_start=actual_start,
                actual_finish=actual_finish,
                approvals=approvals,
                opening_total=opening,
                opening_year=opening_year,
                sheet=self.sheet,
                row=self.start[0] + position + 1,
                present=plan.present_with_plans if plans else plan.present,
            )
        )
        return None

    def _names(self, row: list[object], position: int, plan: _Plan) -> tuple[str, str, str, object]:
        """The project's name, area and measure (the area and measure of its section rows
        when it has none), and the marker of a sheet with no area or measure at all."""
        name = _cell_line(row[plan.name])
        if not name:
            self._error(position, plan.name_column, msg("row.name_missing"))
        marker: object = None
        area = _cell_line(row[plan.area]) or self.sections.area
        if not area:
            if plan.area_column is not None:
                self._error(position, plan.area_column, msg("row.area_missing"))
            else:
                marker = _AREA_MISSING
        measure = _cell_line(row[plan.measure]) or self.sections.measure
        if not measure:
            if plan.measure_column is not None:
                self._error(position, plan.measure_column, msg("row.measure_missing"))
            elif marker is None:
                marker = _MEASURE_MISSING
        return name, area, measure, marker

    def _county(self, row: list[object], position: int, plan: _Plan) -> tuple[str, str]:
        """The county's short name ("" when refused) and the text as written."""
        value = row[plan.county]
        text = value.strip() if type(value) is str else clean_text(value)
        if not text:
            self._error(position, plan.county_column, msg("cell.county_missing"))
            return "", text
        try:
            return normalize_county(text), text
        except ValueProblem as problem:
            self._error(position, plan.county_column, problem.message)
            return "", text

    def _nature(self, row: list[object], position: int, plan: _Plan) -> str:
        value = row[plan.nature]
        if value == "新建" or value == "续建":
            return value  # type: ignore[return-value]
        if value == "":
            return "新建"
        try:
            return normalize_nature(value) or "新建"
        except ValueProblem as problem:
            self._error(position, plan.nature_column, problem.message)
            return "新建"

    def _amount(
        self, value: object, position: int, column: Column | None, factor: Decimal
    ) -> Decimal | None:
        """An amount in 万元 within the office's ceiling, or None (empty, or refused: said)."""
        try:
            return parse_amount(value, factor=factor, ceiling=self.options.ceiling)
        except ValueProblem as problem:
            self._error(position, column, problem.message)
            return None

    def _amounts(
        self, row: list[object], position: int, plan: _Plan
    ) -> tuple[Decimal, dict[int, Decimal], Decimal | None, int | None]:
        """The total investment, the yearly plans, and what was done before the list's
        year (开工以来累计, with the year it runs to)."""
        value = row[plan.total]
        total = _ZERO
        if value != "":
            total = self._amount(value, position, plan.total_column, plan.total_factor) or _ZERO
        plans: dict[int, Decimal] = {}
        for column, year, factor in plan.annual:
            value = row[column.index]
            if value == "":
                continue
            amount = self._amount(value, position, column, factor)
            if amount is not None and year not in plans:
                plans[year] = amount
        opening = opening_year = None
        for column, year in plan.openings:  # one column per year-end: the first filled
            value = row[column.index]
            if value == "" or opening is not None:
                continue
            opening = self._amount(value, position, column, column.factor)
            opening_year = year if opening is not None else None
        return total, plans, opening, opening_year

    def _planned(
        self, row: list[object], position: int, plan: _Plan
    ) -> tuple[date | None, date | None]:
        """The planned start and finish, from their columns or a period (2021-2023)."""
        start = self._day(row[plan.start], position, plan.start_column, end=False)
        finish = self._day(row[plan.finish], position, plan.finish_column, end=True)
        finish_column = plan.finish_column
        if (start is None or finish is None) and plan.period_column is not None:
            try:
                period = parse_period(row[plan.period])
            except ValueProblem as problem:
                period = None
                self._error(position, plan.period_column, problem.message)
            if period is not None:
                start = start or period[0]
                finish = finish or period[1]
                finish_column = finish_column or plan.period_column
        if start is not None and finish is not None and finish < start:
            self._error(
                position, finish_column, msg("row.finish_before_start", finish=finish, start=start)
            )
        return start, finish

    def _day(
        self, value: object, position: int, column: Column | None, *, end: bool
    ) -> date | None:
        if type(value) is date:
            return value  # type: ignore[return-value]
        return self._parsed_date(value, position, column, end)

    def _actual(
        self, row: list[object], position: int, plan: _Plan
    ) -> tuple[date | None, date | None]:
        """The actual start and finish, when the list has them."""
        actual_start = actual_finish = None
        if plan.actual_start is not None:
            actual_start = self._date(row, position, plan.actual_start)
        if plan.actual_finish is not None:
            actual_finish = self._date(row, position, plan.actual_finish, end=True)
        if actual_start and actual_finish and actual_finish < actual_start:
            self._error(
                position,
                plan.actual_finish,
                msg("row.actual_finish_before_start", finish=actual_finish, start=actual_start),
            )
        return actual_start, actual_finish

    def _approvals(self, row: list[object], position: int, plan: _Plan) -> dict[str, date]:
        """Step code -> the date the list says it was approved (可研批复时间 …)."""
        found: dict[str, date] = {}
        for column, code in plan.approvals:
            day = self._date(row, position, column, end=True)
            if day is not None:
                found[code] = day
        return found

    def _contact(self, row: list[object], plan: _Plan) -> tuple[str, str]:
        """责任人 and 联系电话, from their own columns or split from one that holds both."""
        person = _units(row[plan.contact_person])
        phone = _units(row[plan.contact_phone])
        if person and not plan.has_phone_column and _has_digits(person):
            person, found = split_contact(person)  # “李明 0883-2158535” under 责任人
            phone = phone or found
        if plan.contact is not None:
            both = _units(row[plan.contact.index])
            if both:
                found_person, found_phone = split_contact(both)
                person = person or found_person
                phone = phone or found_phone
        return person, phone

    def _remark(self, row: list[object], plan: _Plan) -> str:
        if not plan.remarks:
            return ""
        if len(plan.remarks) == 1:
            return _text(row[plan.remarks[0]])
        parts = [_text(row[index]) for index in plan.remarks]
        return "\n".join(part for part in parts if part)

    def _responsible(self, row: list[object], plan: _Plan) -> str:
        if len(plan.responsible) == 1:
            value = row[plan.responsible[0]]
            return "" if value == "" else _units(value)
        parts = [_units(row[index]) for index in plan.responsible]
        return "、".join(part for part in parts if part)

    def _milestones(
        self, row: list[object], position: int, plan: _Plan, plans: dict[int, Decimal]
    ) -> tuple[MilestoneRow, ...]:
        items: list[MilestoneRow] = []
        add = items.append
        for ni, di, name_column, date_column, actual_column in plan.milestone_pairs:
            name_value = row[ni]
            date_value = row[di]
            if (  # the common case, cheaply: a name beside a real date, nothing else
                type(date_value) is date
                and type(name_value) is str
                and actual_column is None
                and name_value
                and "\n" not in name_value
            ):
                name = name_value.strip()
                if name:
                    add(MilestoneRow(name, date_value))
                    continue
            actual = (
                None
                if actual_column is None
                else self._date(row, position, actual_column, end=True)
            )
            if date_value == "" or not _filled(date_value):
                name = _line_text(name_value)
                if not name:
                    if actual is not None:
                        self._error(position, name_column, msg("row.done_without_name", day=actual))
                    continue
                try:  # the date may be written with the name: 开工建设（2022年6月）
                    found = parse_milestone_text(name)
                except ValueProblem:
                    found = []
                if len(found) == 1:
                    items.append(MilestoneRow(*found[0], actual=actual))
                else:
                    self._error(position, date_column, msg("cell.milestone_no_date", name=name))
                continue
            name = _line_text(name_value)
            if not name:
                self._error(
                    position,
                    name_column,
                    msg("row.planned_without_name", value=clean_text(date_value)),
                )
                continue
            try:
                planned = parse_date(date_value, end_of_period=True)
            except ValueProblem as problem:
                self._error(position, date_column, problem.message)
                continue
            if planned is not None:
                items.append(MilestoneRow(name, planned, actual))
        for column in plan.milestone_text:
            items.extend(self._targets(row, position, column, plans))
        return tuple(items)

    def _targets(
        self, row: list[object], position: int, column: Column, plans: dict[int, Decimal]
    ) -> list[MilestoneRow]:
        """The milestones of a target cell; its investment targets checked against (or taken
        as) the year's plan; whatever else it says reported, never dropped."""
        value = row[column.index]
        if value == "" or not _filled(value):
            return []
        year = column.match.number or (self.year.year if self.year else None)
        try:
            items = parse_targets(value, year=year, ceiling=self.options.ceiling)
        except YearNeeded:
            self.result.year_needed = True
            return []
        except ValueProblem as problem:
            self._error(position, column, problem.message)
            return []
        if column.match.number is None and any(
            t.planned is not None or t.investment is not None for t in items
        ):
            self.year_used = self.year_used or self.year is not None
        found: list[MilestoneRow] = []
        for item in items:
            if item.is_milestone:
                assert item.planned is not None
                found.append(MilestoneRow(item.name, item.planned))
            elif item.investment is not None:
                self._investment_target(position, column, item, plans)
            else:
                self._note(
                    position,
                    column,
                    msg("row.target_skipped", text=item.text, problem=item.problem or ""),
                )
        return found

    def _investment_target(
        self, position: int, column: Column, item: object, plans: dict[int, Decimal]
    ) -> None:
        """An investment target is a check on the year's plan, not a milestone."""
        amount: Decimal = item.investment  # type: ignore[attr-defined]
        year: int | None = item.year  # type: ignore[attr-defined]
        text: str = item.text  # type: ignore[attr-defined]
        if item.cumulative or year is None:  # type: ignore[attr-defined]
            self._note(position, column, msg("row.target_cumulative", text=text))
            return
        planned = plans.get(year)
        if planned is None:
            plans[year] = amount
            self._note(
                position,
                column,
                msg("row.plan_from_target", year=year, text=text, amount=amount),
            )
        elif abs(planned - amount) > Decimal("0.01"):
            self._note(
                position,
                column,
                msg("row.target_differs", text=text, amount=amount, year=year, planned=planned),
            )

    def _check_duplicate(
        self, position: int, code: str | None, name: str, county: str, plan: _Plan
    ) -> None:
        if code:
            key: tuple[str, ...] = ("code", code)
        elif name:
            key = ("name", name, county)
        else:
            return
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = (self.sheet, self.start[0] + position + 1)
            return
        if code:
            column, what = plan.code_column, msg("row.same_code", code=code)
        else:
            column, what = plan.name_column, msg("row.same_name", name=name)
        sheet, line = first
        where = (
            msg("row.line", row=line)
            if sheet == self.sheet
            else msg("row.at_row", sheet=sheet, row=line)
        )
        self._error(position, column, msg("row.duplicate", where=where, what=what))

    def _report_missing(
        self, area_missing: list[int], measure_missing: list[int], layout: Layout
    ) -> None:
        line = self._line(layout.header_rows[0])
        for missing, seen, key, column, example in (
            (
                area_missing,
                self.sections.area_seen,
                "list.no_area_column",
                "所属领域",
                "一、绿色低碳发展",
            ),
            (
                measure_missing,
                self.sections.measure_seen,
                "list.no_measure_column",
                "工作举措",
                "（一）推进……",
            ),
        ):
            if missing and not seen:  # the whole sheet lacks the column: said once
                self.result.lack(
                    msg(key, sheet=self.sheet, line=line, column=column, example=example)
                )
                return
        name_column = layout.columns[Field.NAME][0]
        for position in area_missing:
            self._error(position, name_column, msg("row.no_area_group", example="一、……"))
        for position in measure_missing:
            self._error(position, name_column, msg("row.no_measure_group", example="（一）……"))


_ZERO = Decimal(0)
_new = object.__new__


def _project_row(**values: object) -> ProjectRow:
    """A ProjectRow without the frozen dataclass's __init__, which sets each of its 26
    fields through object.__setattr__ (3 µs a row, a sixth of reading a large list). The
    one caller gives every field; the object is the same as the constructor's."""
    item = _new(ProjectRow)
    item.__dict__.update(values)
    return item


_YEARLY = {Field.ANNUAL_PLAN, Field.COMPLETED_BEFORE, Field.MILESTONES_TEXT}


def _has_digits(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 7


@dataclass
class _Plan:
    """Where each field sits in a row; an absent field points at the empty cell past the end."""

    name: int
    name_column: Column
    seq: int
    area: int
    area_column: Column | None
    measure: int
    measure_column: Column | None
    county: int
    county_column: Column
    code: int
    code_column: Column | None
    nature: int
    nature_column: Column | None
    total: int
    total_column: Column | None
    total_factor: Decimal
    start: int
    start_column: Column | None
    finish: int
    finish_column: Column | None
    period: int
    period_column: Column | None
    actual_start: Column | None
    actual_finish: Column | None
    lead_unit: int
    contact_person: int
    contact_phone: int
    contact: Column | None
    has_phone_column: bool
    city_leader: int
    implementer: int
    scope: int
    remarks: tuple[int, ...]
    responsible: tuple[int, ...]
    annual: list[tuple[Column, int, Decimal]]
    openings: list[tuple[Column, int | None]]  # 截至…年底累计 columns and the year they open
    # name index, date index, name, date, actual columns
    milestone_pairs: list[tuple[int, int, Column, Column, Column | None]]
    milestone_text: list[Column]
    has_milestones: bool
    approvals: list[tuple[Column, str]]  # an approval date column and its step's code (#17)
    mapped: list[int]  # cells that make a row more than a stray remark
    section_cells: set[int]  # cells a "1. xxx" section row may fill
    present: frozenset[str]
    present_with_plans: frozenset[str]  # when a target text gave the year's plan
    width: int  # the index of the empty cell past the end (where absent fields point)
    has_contact: bool

    @classmethod
    def of(cls, layout: Layout, width: int, year: int | None) -> _Plan:
        def column(name: Field) -> Column | None:
            return layout.first(name)

        def at(name: Field) -> int:
            found = layout.first(name)
            return width if found is None else found.index

        name_column = column(Field.NAME)
        county_column = column(Field.COUNTY)
        assert name_column is not None and county_column is not None
        total_column = column(Field.TOTAL_INVESTMENT)
        responsible = tuple(c.index for c in layout.columns.get(Field.RESPONSIBLE_UNITS, []))
        remarks = tuple(c.index for c in layout.columns.get(Field.REMARK, []))
        mapped = {c.index for f, cs in layout.columns.items() for c in cs if f not in _NOT_DATA}
        mapped |= {c.index for c in layout.annual} | {c.index for c in layout.milestone_text}
        mapped |= {c.index for pair in layout.milestone_pairs for c in pair}
        approvals = [(c, approval_step(c.match)) for c in layout.columns.get(Field.APPROVAL, [])]
        section_cells = {at(f) for f in _SECTION_FIELDS} | {c.index for c in layout.annual}
        annual: list[tuple[Column, int, Decimal]] = []
        for c in layout.annual:
            the_year = c.match.number
            if the_year is None and year is not None:
                the_year = year + (c.match.year_offset or 0)
            if the_year is not None:
                annual.append((c, the_year, c.factor))
        openings: list[tuple[Column, int | None]] = []
        for c in layout.before_year:
            if c.match.number is not None:
                openings.append((c, c.match.number + 1))  # 至2021年底: the opening of 2022
            elif year is not None:
                openings.append((c, year + (c.match.year_offset or 0) + 1))
        present = {"area", "measure"}
        for f, columns in layout.columns.items():
            if columns:
                present.update(_PRESENT.get(f, ()))
        if layout.annual:
            present.add("annual_plans")
        if openings:
            present.update(("opening_total", "opening_year"))
        if layout.milestone_pairs or layout.milestone_text:
            present.add("milestones")
        if approvals:
            present.add("approvals")
        return cls(
            name=name_column.index,
            name_column=name_column,
            seq=at(Field.SEQ),
            area=at(Field.AREA),
            area_column=column(Field.AREA),
            measure=at(Field.MEASURE),
            measure_column=column(Field.MEASURE),
            county=county_column.index,
            county_column=county_column,
            code=at(Field.CODE),
            code_column=column(Field.CODE),
            nature=at(Field.NATURE),
            nature_column=column(Field.NATURE),
            total=at(Field.TOTAL_INVESTMENT),
            total_column=total_column,
            total_factor=total_column.factor if total_column else Decimal(1),
            start=at(Field.PLANNED_START),
            start_column=column(Field.PLANNED_START),
            finish=at(Field.PLANNED_FINISH),
            finish_column=column(Field.PLANNED_FINISH),
            period=at(Field.PERIOD),
            period_column=column(Field.PERIOD),
            actual_start=column(Field.ACTUAL_START),
            actual_finish=column(Field.ACTUAL_FINISH),
            lead_unit=at(Field.LEAD_UNIT),
            contact_person=at(Field.CONTACT_PERSON),
            contact_phone=at(Field.CONTACT_PHONE),
            contact=column(Field.CONTACT),
            has_phone_column=column(Field.CONTACT_PHONE) is not None,
            city_leader=at(Field.CITY_LEADER),
            implementer=at(Field.IMPLEMENTER),
            scope=at(Field.SCOPE),
            remarks=remarks,
            responsible=responsible or (width,),
            annual=annual,
            openings=openings,
            milestone_pairs=[
                (n.index, d.index, n, d, layout.milestone_actual.get(n.index))
                for n, d in layout.milestone_pairs
            ],
            milestone_text=list(layout.milestone_text),
            has_milestones=bool(layout.milestone_pairs or layout.milestone_text),
            approvals=approvals,
            mapped=sorted(mapped - {name_column.index}),
            section_cells=section_cells,
            present=frozenset(present),
            present_with_plans=frozenset(present | {"annual_plans"}),
            width=width,
            has_contact=any(
                layout.first(f) is not None
                for f in (Field.CONTACT, Field.CONTACT_PERSON, Field.CONTACT_PHONE)
            ),
        )


_NOT_DATA = {Field.SEQ, Field.REMARK}


_AREA_MISSING = object()
_MEASURE_MISSING = object()


def _lead_text(row: list[object]) -> str | None:
    """The first filled cell as text ('' when it is a number or date); None for a blank row."""
    for value in row:
        if type(value) is str:
            if value and not value.isspace():
                return value.strip()
        elif value is not None:
            return ""
    return None


def _next_text(row: list[object], lead: str) -> str:
    passed = False
    for value in row:
        if not passed:
            passed = isinstance(value, str) and value.strip() == lead
            continue
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _section_label(label: str) -> str:
    return _SECTION_TAIL.sub("", clean_line(label)).strip()


def _text(value: object) -> str:
    return value.strip() if type(value) is str else clean_text(value)


def _cell_line(value: object) -> str:
    """A one-line text cell, cheaply when it is plain text already."""
    return value.strip() if type(value) is str and "\n" not in value else _line_text(value)


def _line_text(value: object) -> str:
    if type(value) is str:
        text = value.strip()
        if "\n" in text or "\r" in text:
            return clean_line(text)
        return text
    return clean_line(value)


def _units(value: object) -> str:
    if type(value) is str and "\n" not in value and "\r" not in value:
        return value.strip()
    text = clean_text(value)
    if "\n" in text or "\r" in text:
        text = "、".join(part.strip() for part in text.splitlines() if part.strip())
    return text


def _is_column_numbering(row: list[object]) -> bool:
    """A row of 1, 2, 3, … under the header (some templates number their columns)."""
    values = [v for v in row if _filled(v)]
    if len(values) < 4:
        return False
    try:
        numbers = [int(float(v)) for v in values]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))
