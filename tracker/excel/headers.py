"""Find and read the header of a project list, however an office words and lays it out.

A header is the row (within the first rows of a sheet) with the most cells that name a
known field, one of them the project name. A second header row below it is combined
with the first when the first has cells spanning several columns ("节点" over
"名称 | 时间", "计划投资（万元）" over "2022年 | 2023年"). Header text is compared after
folding full-width characters, dropping spaces, units and remarks in brackets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.domain.messages import Message, msg
from tracker.excel.recognize import Field, HeaderMatch, classify_header, header_key
from tracker.excel.values import unit_factor

__all__ = [
    "Classifier",
    "Column",
    "Field",
    "HeaderMatch",
    "Layout",
    "classify_header",
    "find_header_row",
    "find_layout",
]

HEADER_SEARCH_ROWS = 15

Classifier = Callable[[str], HeaderMatch | None]


# ---------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the rows handed to ``find_layout``
    letter: str  # worksheet column letter, for messages
    header: str  # the header as written (two levels joined by “/”)
    match: HeaderMatch
    factor: Decimal = Decimal(1)  # to 万元, for amount columns
    how: str = "header"  # header | values | mapping: how the field was decided


@dataclass(frozen=True)
class Dropped:
    """A column that holds a known field but is not read, and why (for 未使用的列)."""

    column: Column
    reason: Message


@dataclass
class Layout:
    header_rows: tuple[int, ...]  # 0-based positions in the rows handed to ``find_layout``
    headers: list[str] = field(default_factory=list)  # each column's header as written
    letters: list[str] = field(default_factory=list)  # each column's letter
    decided: dict[int, Column] = field(default_factory=dict)  # index -> the field it holds
    ignored: dict[int, str] = field(default_factory=dict)  # index -> why it is not read
    unknown: list[int] = field(default_factory=list)  # headed columns no rule recognises
    weak: dict[int, Column] = field(default_factory=dict)  # taken only if the values agree
    default_factor: Decimal = Decimal(1)
    # filled in by ``arrange``
    columns: dict[Field, list[Column]] = field(default_factory=dict)
    annual: list[Column] = field(default_factory=list)
    before_year: list[Column] = field(default_factory=list)
    milestone_pairs: list[tuple[Column, Column]] = field(default_factory=list)
    milestone_actual: dict[int, Column] = field(default_factory=dict)  # name column -> actual
    milestone_text: list[Column] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    def first(self, name: Field) -> Column | None:
        found = self.columns.get(name)
        return found[0] if found else None

    def has(self, name: Field) -> bool:
        if name is Field.ANNUAL_PLAN:
            return bool(self.annual)
        if name is Field.COMPLETED_BEFORE:
            return bool(self.before_year)
        return any(c.match.field is name for c in self.decided.values())

    def decide(self, index: int, match: HeaderMatch, how: str) -> Column:
        """Take column ``index`` as holding ``match.field`` (from its values or a mapping)."""
        header = self.headers[index] if index < len(self.headers) else ""
        factor = unit_factor(header) if header else None
        column = Column(
            index, self.letters[index], header, match, factor or self.default_factor, how
        )
        self.decided[index] = column
        self.weak.pop(index, None)
        self.ignored.pop(index, None)
        if index in self.unknown:
            self.unknown.remove(index)
        return column

    def ignore(self, index: int, reason: Message) -> None:
        self.decided.pop(index, None)
        self.weak.pop(index, None)
        if index in self.unknown:
            self.unknown.remove(index)
        self.ignored[index] = reason

    def arrange(self) -> None:
        """Group the decided columns by field; pair milestone names with their dates."""
        self.columns, self.annual, self.before_year = {}, [], []
        self.milestone_pairs, self.milestone_text, self.dropped = [], [], []
        self.milestone_actual = {}
        for index in sorted(self.decided):
            column = self.decided[index]
            if column.match.field is Field.ANNUAL_PLAN:
                self.annual.append(column)
            elif column.match.field is Field.COMPLETED_BEFORE:
                self.before_year.append(column)
            else:
                self.columns.setdefault(column.match.field, []).append(column)
        _pair_milestones(self)
        for name, found in list(self.columns.items()):
            if len(found) > 1 and name not in _MANY_ALLOWED:
                for extra in found[1:]:
                    self.dropped.append(
                        Dropped(
                            extra,
                            msg(
                                "column.duplicate",
                                first=found[0].letter,
                                field=msg(f"column.field.{name.name}"),
                            ),
                        )
                    )
                self.columns[name] = found[:1]
        self._one_column_per_approval()

    def _one_column_per_approval(self) -> None:
        """Two columns naming the same approval step: the first is read, the other dropped."""
        first: dict[int | None, Column] = {}
        kept: list[Column] = []
        for column in self.columns.get(Field.APPROVAL, []):
            if column.match.number in first:
                reason = msg(
                    "column.duplicate",
                    first=first[column.match.number].letter,
                    field=msg("column.field.APPROVAL"),
                )
                self.dropped.append(Dropped(column, reason))
                continue
            first[column.match.number] = column
            kept.append(column)
        if kept:
            self.columns[Field.APPROVAL] = kept


Merge = tuple[tuple[int, int], tuple[int, int]]  # ((top, left), (bottom, right)), 0-based


def _text(row: Sequence[object], index: int) -> str:
    if index >= len(row):
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else ""


def _score(row: Sequence[object], classify: Classifier) -> tuple[int, bool]:
    fields: set[Field] = set()
    for value in row:
        if isinstance(value, str) and value.strip() and len(value) <= 40:
            match = classify(value)
            if match is not None:
                fields.add(match.field)
    return len(fields), Field.NAME in fields


def find_header_row(
    rows: Sequence[Sequence[object]], classify: Classifier = classify_header
) -> int | None:
    """The position of the row that names the most fields, one of them 项目名称 (or, when
    no row names the project name, one naming at least four other fields: the name
    column then has to be mapped)."""
    best: tuple[int, int] | None = None
    fallback: tuple[int, int] | None = None
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score, has_name = _score(row, classify)
        if has_name and score >= 2 and (best is None or score > best[0]):
            best = (score, position)
        elif not has_name and score >= 4 and (fallback is None or score > fallback[0]):
            fallback = (score, position)
    chosen = best or fallback
    return None if chosen is None else chosen[1]


def _is_sub_header_row(
    top: Sequence[object],
    bottom: Sequence[object],
    name_index: int | None,
    spans: set[int],
    merges: Sequence[Merge],
    row: int,
    classify: Classifier,
) -> bool:
    """Whether ``bottom`` continues the header in ``top`` rather than starting the data."""
    under_name = _text(bottom, name_index) if name_index is not None else ""
    if under_name and classify(under_name) is None:
        return False  # a project name sits under 项目名称: this is data
    values = [(i, v) for i, v in enumerate(bottom) if v != "" and v is not None]
    if not values:
        return False
    if any(not isinstance(v, str) or len(v.strip()) > 30 for _, v in values):
        return False
    parents = _parents(top, bottom, len(bottom), merges, row)
    if not any(classify(_combine(parents[i], v, classify)) is not None for i, v in values):
        return False  # nothing below reads as a header
    if any(i in spans for i, _ in values):
        return True
    # without merge information: a cell under an empty top cell continues a group to its left
    return any(not _text(top, i) and i > 0 for i, _ in values)


def _parents(
    top: Sequence[object],
    bottom: Sequence[object],
    width: int,
    merges: Sequence[Merge],
    row: int,
) -> list[str]:
    """Each column's top-level header, spreading a spanning header over its columns."""
    parents = [_text(top, i) for i in range(width)]
    merged = False
    for (r0, c0), (r1, c1) in merges:
        if r0 <= row <= r1 and c1 > c0:
            merged = True
            value = _text(top, c0)
            for column in range(c0, min(c1 + 1, width)):
                parents[column] = value
    if not merged:  # no merge information (.ods): a group runs while the lower row is filled
        last = ""
        for column in range(width):
            if parents[column]:
                last = parents[column]
            elif _text(bottom, column):
                parents[column] = last
            else:
                last = ""
    return parents


Decide = Callable[[int, str, str], tuple[HeaderMatch | None, str]]


def find_layout(
    rows: Sequence[Sequence[object]],
    header_row: int,
    *,
    column_letter: Callable[[int], str],
    merges: Sequence[Merge] = (),
    default_factor: Decimal = Decimal(1),
    classify: Classifier = classify_header,
    decide: Decide | None = None,
) -> Layout:
    """Map each column under the header at ``header_row`` to the field it holds.

    ``decide(index, written, text)`` may settle a column first (a mapping the office gave):
    it returns (match, "mapping"), (None, "ignored") or (None, "") to leave it to the rules.
    The result still needs ``Layout.arrange`` once the caller has judged the unknown
    columns by their values.
    """
    top = rows[header_row]
    width = max((len(r) for r in rows), default=0)
    name_index = next(
        (i for i, v in enumerate(top) if isinstance(v, str) and _is_field(v, Field.NAME, classify)),
        None,
    )
    spans = {
        column
        for (r0, c0), (r1, c1) in merges
        if r0 == header_row and (c1 > c0 or r1 > r0)
        for column in range(c0, c1 + 1)
    }
    bottom: Sequence[object] | None = None
    if header_row + 1 < len(rows) and _is_sub_header_row(
        top, rows[header_row + 1], name_index, spans, merges, header_row, classify
    ):
        bottom = rows[header_row + 1]
    layout = Layout(
        header_rows=(header_row,) if bottom is None else (header_row, header_row + 1),
        default_factor=default_factor,
    )
    if bottom is None:
        headers = [(_text(top, i), _text(top, i)) for i in range(width)]
    else:
        parents = _parents(top, bottom, width, merges, header_row)
        headers = []
        for i in range(width):
            parent, sub = parents[i], _text(bottom, i)
            written = f"{parent}/{sub}" if parent and sub and parent != sub else parent or sub
            headers.append((written, _combine(parent, sub, classify)))
    layout.headers = [written for written, _ in headers]
    layout.letters = [column_letter(i) for i in range(width)]
    for index, (written, text) in enumerate(headers):
        how = "header"
        match: HeaderMatch | None = None
        if decide is not None:
            match, how = decide(index, written, text)
            if how == "ignored":
                layout.ignored[index] = msg("column.ignored_by_office")
                continue
        if not how:
            how = "header"
        if match is None and text:
            match = classify(text)
        if match is None:
            if text:
                layout.unknown.append(index)
            continue
        factor = unit_factor(written) or default_factor
        column = Column(index, layout.letters[index], written, match, factor, how)
        if match.weak and how == "header":
            layout.weak[index] = column
        else:
            layout.decided[index] = column
    return layout


_MANY_ALLOWED = {
    Field.APPROVAL,  # one per step (``_one_column_per_approval``)
    Field.RESPONSIBLE_UNITS,
    Field.MILESTONE_NAME,
    Field.MILESTONE_DATE,
    Field.MILESTONE_ACTUAL,
    Field.MILESTONES_TEXT,
    Field.REMARK,
    Field.SEQ,
}


def _is_field(text: str, name: Field, classify: Classifier) -> bool:
    match = classify(text)
    return match is not None and match.field is name


def _combine(parent: str, sub: str, classify: Classifier = classify_header) -> str:
    """The header text to classify for a column under a two-level header."""
    if not parent or parent == sub:
        return sub
    if not sub:
        return parent
    if header_key(parent) and header_key(parent) in header_key(sub):
        return sub  # 节点 over 节点1: the lower cell already says it
    joined = parent + sub
    if classify(joined) is not None:
        return joined  # 节点1 + 计划时间, 计划投资 + 2022年
    if classify(sub) is not None:
        return sub  # 投资情况 + 总投资
    return joined


def _pair_milestones(layout: Layout) -> None:
    """Pair 节点N with 节点N计划时间 (and 节点N实际完成时间) by number, unnumbered ones by
    position."""
    names = layout.columns.pop(Field.MILESTONE_NAME, [])
    dates = layout.columns.pop(Field.MILESTONE_DATE, [])
    actuals = layout.columns.pop(Field.MILESTONE_ACTUAL, [])
    # 节点1计划时间 beside 节点1完成时间: the second is when it was done
    for number in {c.match.number for c in dates if c.match.number is not None}:
        same = [c for c in dates if c.match.number == number]
        planned = [c for c in same if "计划" in c.header or "预计" in c.header]
        if len(same) == 2 and len(planned) == 1:
            done = next(c for c in same if c is not planned[0])
            dates.remove(done)
            actuals.append(done)
    layout.milestone_text = layout.columns.pop(Field.MILESTONES_TEXT, [])
    numbered_dates = {c.match.number: c for c in dates if c.match.number is not None}
    unpaired: list[Column] = []
    used_dates: set[int] = set()
    events = sorted([(c.index, "name", c) for c in names] + [(c.index, "date", c) for c in dates])
    for _, kind, column in events:
        if kind == "name":
            partner = numbered_dates.get(column.match.number) if column.match.number else None
            if partner is not None and partner.index not in used_dates:
                layout.milestone_pairs.append((column, partner))
                used_dates.add(partner.index)
            else:
                unpaired.append(column)
        elif column.index not in used_dates and unpaired:
            name_column = unpaired.pop()
            layout.milestone_pairs.append((name_column, column))
            used_dates.add(column.index)
    for column in dates:
        if column.index not in used_dates:
            layout.dropped.append(Dropped(column, msg("column.no_milestone_name")))
    # 节点N实际完成时间 goes with 节点N; an unnumbered one with the pair just before it
    by_number = {n.match.number: n for n, _ in layout.milestone_pairs if n.match.number}
    layout.milestone_pairs.sort(key=lambda pair: pair[0].index)
    for column in actuals:
        owner = by_number.get(column.match.number) if column.match.number else None
        if owner is None:
            before = [n for n, d in layout.milestone_pairs if d.index < column.index]
            owner = before[-1] if before else None
        if owner is None or owner.index in layout.milestone_actual:
            layout.dropped.append(Dropped(column, msg("column.no_milestone_name")))
        else:
            layout.milestone_actual[owner.index] = column
    # a 节点N column without a date column holds name and date together, as text
    layout.milestone_text.extend(unpaired)
    layout.milestone_text.sort(key=lambda column: column.index)
