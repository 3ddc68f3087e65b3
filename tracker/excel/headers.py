"""Find and read the header of a project list, however an office words and lays it out.

A header is the row (within the first rows of a sheet) with the most cells that name a
known field, one of them the project name. A second header row below it is combined
with the first when the first has cells spanning several columns ("节点" over
"名称 | 时间", "计划投资（万元）" over "2022年 | 2023年"). Header text is compared after
folding full-width characters, dropping spaces, units and remarks in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from tracker.excel.values import normalize_text, unit_factor

HEADER_SEARCH_ROWS = 15


class Field(StrEnum):
    SEQ = "序号"
    CODE = "项目编号"
    NAME = "项目名称"
    AREA = "所属领域"
    MEASURE = "工作举措"
    COUNTY = "建设地点"
    NATURE = "建设性质"
    LEAD_UNIT = "牵头单位"
    RESPONSIBLE_UNITS = "责任单位"
    CONTACT_PERSON = "责任人"
    CONTACT_PHONE = "联系电话"
    SCOPE = "建设内容及规模"
    TOTAL_INVESTMENT = "总投资"
    ANNUAL_PLAN = "年度计划投资"
    PLANNED_START = "计划开工时间"
    PLANNED_FINISH = "计划完工时间"
    PERIOD = "建设年限"
    MILESTONE_NAME = "节点名称"
    MILESTONE_DATE = "节点计划时间"
    MILESTONES_TEXT = "节点"
    REMARK = "备注"


_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序号", "排序", "序"),
    Field.CODE: (
        *("项目编号", "编号", "项目代码", "项目编码", "代码", "项目统一代码"),
        *("统一项目代码", "项目赋码", "投资项目代码", "项目id"),
    ),
    Field.NAME: ("项目名称", "项目", "名称", "项目名", "重大项目名称", "重大项目"),
    Field.AREA: ("所属领域", "领域", "重点领域", "领域名称", "所属重点领域"),
    Field.MEASURE: (
        *("工作举措", "举措", "所属举措", "重点举措", "主要举措", "工作措施"),
        *("所属工作举措", "举措名称", "重点工作举措"),
    ),
    Field.COUNTY: (
        *("建设地点", "所在县区", "县区", "县", "实施地点", "所属县区", "所在县"),
        *("所在地", "项目地点", "建设地址", "地点", "县市区", "所属地区", "项目所在地"),
        *("所属县", "属地", "县(区)", "所在县(区)", "所在县市区", "建设地址县区"),
    ),
    Field.NATURE: ("建设性质", "项目性质", "性质", "项目类型"),
    Field.LEAD_UNIT: ("牵头单位", "牵头部门", "市级牵头单位", "牵头", "牵头责任单位"),
    Field.RESPONSIBLE_UNITS: (
        *("责任单位", "配合单位", "责任部门", "配合部门", "协同单位", "参与单位"),
        *("责任主体", "实施单位", "项目业主", "业主单位"),
    ),
    Field.CONTACT_PERSON: ("责任人", "联系人", "负责人", "项目负责人", "具体责任人"),
    Field.CONTACT_PHONE: ("联系电话", "电话", "联系方式", "手机", "手机号码", "联系人电话"),
    Field.SCOPE: (
        *("建设内容", "建设内容及规模", "建设规模及内容", "主要建设内容", "建设规模"),
        *("建设内容和规模", "主要建设内容及规模", "项目建设内容", "建设规模和内容"),
    ),
    Field.TOTAL_INVESTMENT: (
        *("计划总投资", "总投资", "项目总投资", "估算总投资", "总投资额"),
        *("计划总投资额", "投资总额", "项目投资"),
    ),
    Field.PLANNED_START: (
        *("计划开工时间", "开工时间", "开工日期", "计划开工日期", "开工年月"),
        *("计划开工", "开工", "开工年份", "计划开工年月"),
    ),
    Field.PLANNED_FINISH: (
        *("计划完工时间", "竣工时间", "完工时间", "计划竣工时间", "完工日期", "竣工日期"),
        *("计划完工", "计划竣工", "完工", "竣工", "计划完成时间", "完工年月", "竣工年月"),
        *("计划完工日期", "计划竣工日期", "建成时间", "计划建成时间"),
    ),
    Field.PERIOD: (
        *("建设年限", "建设期限", "建设起止年限", "起止年限", "建设周期", "建设起止时间"),
        *("起止时间", "建设期", "实施期限", "实施年限", "建设起止年月", "起止年月"),
    ),
    Field.MILESTONES_TEXT: (
        *("节点", "主要节点", "关键节点", "重要节点", "节点安排", "进度安排", "里程碑"),
        *("节点及时间", "主要节点及时间", "关键节点及时间", "时间节点", "主要时间节点"),
        *("节点计划", "工作节点", "主要节点安排", "关键节点安排", "节点目标", "进度计划"),
        *("形象进度节点", "主要里程碑", "关键时间节点", "节点任务"),
    ),
    Field.REMARK: ("备注", "说明", "备注说明"),
}
_EXACT = {key: name for name, keys in _SYNONYMS.items() for key in keys}

_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBERS["十"] = 10
_MILESTONE_PREFIX = r"(?:主要|关键|重要|时间|形象进度)?(?:节点|里程碑)"
_NUMBER = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_MILESTONE_NAME = re.compile(rf"^{_MILESTONE_PREFIX}{_NUMBER}?(?:名称|内容|事项|目标|任务)?$")
_MILESTONE_DATE = re.compile(
    rf"^{_MILESTONE_PREFIX}{_NUMBER}?(?:计划)?(?:完成)?(?:时间|日期|时限|年月)$"
)
_ANNUAL_PLAN = re.compile(
    r"^(?:(?P<y1>(?:19|20)\d{2})年?度?)(?:计划(?:完成)?投资额?|投资计划|年?度?计划投资|投资)$"
    r"|^(?:年度)?(?:计划(?:完成)?投资额?|投资计划)(?P<y2>(?:19|20)\d{2})年?度?$"
)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>")
_UNIT_SUFFIX = re.compile(r"(?:单位)?[:：]?(?:万元|亿元|元)$")


def header_key(text: str) -> str:
    """Header text reduced to what identifies the field: 总投资（万元） -> 总投资."""
    key = normalize_text(text)
    key = "".join(key.split()).lower()
    key = key.strip("*★※:：")
    key = _BRACKETS.sub("", key)
    key = _UNIT_SUFFIX.sub("", key)
    return key.strip("*★※:：/、")


@dataclass(frozen=True)
class HeaderMatch:
    field: Field
    number: int | None = None  # milestone number (节点3) or year (2022年计划投资)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_NUMBERS[text]
    tens, _, ones = text.partition("十")
    return (_CN_NUMBERS.get(tens, 1) if tens else 1) * 10 + (_CN_NUMBERS.get(ones, 0))


def classify_header(text: str) -> HeaderMatch | None:
    """Which field a header names, or None when it is not one the importer reads."""
    key = header_key(text)
    if not key:
        return None
    found = _EXACT.get(key)
    if found is not None and found is not Field.MILESTONES_TEXT:
        return HeaderMatch(found)
    if m := _ANNUAL_PLAN.match(key):
        return HeaderMatch(Field.ANNUAL_PLAN, int(m["y1"] or m["y2"]))
    if m := _MILESTONE_DATE.match(key):
        return HeaderMatch(Field.MILESTONE_DATE, _cn_number(m[1]) if m[1] else None)
    if found is Field.MILESTONES_TEXT:
        return HeaderMatch(found)
    if m := _MILESTONE_NAME.match(key):
        has_suffix = key.endswith(("名称", "内容", "事项", "目标", "任务"))
        if m[1] or has_suffix:
            return HeaderMatch(Field.MILESTONE_NAME, _cn_number(m[1]) if m[1] else None)
    return None


# ---------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the rows handed to ``find_layout``
    letter: str  # worksheet column letter, for messages
    header: str  # the header as written (two levels joined by “/”)
    match: HeaderMatch
    factor: Decimal = Decimal(1)  # to 万元, for amount columns


@dataclass
class Layout:
    header_rows: tuple[int, ...]  # 0-based positions in the rows handed to ``find_layout``
    headers: list[str] = field(default_factory=list)  # each column's header as written
    columns: dict[Field, list[Column]] = field(default_factory=dict)
    annual: list[Column] = field(default_factory=list)
    milestone_pairs: list[tuple[Column, Column]] = field(default_factory=list)
    milestone_text: list[Column] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def first_data_row(self) -> int:
        return self.header_rows[-1] + 1

    def first(self, name: Field) -> Column | None:
        found = self.columns.get(name)
        return found[0] if found else None


Merge = tuple[tuple[int, int], tuple[int, int]]  # ((top, left), (bottom, right)), 0-based


def _text(row: Sequence[object], index: int) -> str:
    if index >= len(row):
        return ""
    value = row[index]
    return value.strip() if isinstance(value, str) else ""


def _score(row: Sequence[object]) -> tuple[int, bool]:
    fields: set[Field] = set()
    for value in row:
        if isinstance(value, str) and value.strip() and len(value) <= 40:
            match = classify_header(value)
            if match is not None:
                fields.add(match.field)
    return len(fields), Field.NAME in fields


def find_header_row(rows: Sequence[Sequence[object]]) -> int | None:
    """The position of the row that names the most fields, one of them 项目名称."""
    best: tuple[int, int] | None = None
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score, has_name = _score(row)
        if has_name and score >= 2 and (best is None or score > best[0]):
            best = (score, position)
    return None if best is None else best[1]


def _is_sub_header_row(
    top: Sequence[object],
    bottom: Sequence[object],
    name_index: int,
    spans: set[int],
    merges: Sequence[Merge],
    row: int,
) -> bool:
    """Whether ``bottom`` continues the header in ``top`` rather than starting the data."""
    if _text(bottom, name_index) and classify_header(_text(bottom, name_index)) is None:
        return False  # a project name sits under 项目名称: this is data
    values = [(i, v) for i, v in enumerate(bottom) if v != "" and v is not None]
    if not values:
        return False
    if any(not isinstance(v, str) or len(v.strip()) > 30 for _, v in values):
        return False
    parents = _parents(top, bottom, len(bottom), merges, row)
    if not any(classify_header(_combine(parents[i], v)) is not None for i, v in values):
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


def find_layout(
    rows: Sequence[Sequence[object]],
    header_row: int,
    *,
    column_letter: Callable[[int], str],
    merges: Sequence[Merge] = (),
    default_factor: Decimal = Decimal(1),
) -> Layout:
    """Map each column under the header at ``header_row`` to the field it holds."""
    top = rows[header_row]
    width = max(len(top), max((len(r) for r in rows[header_row : header_row + 2]), default=0))
    name_index = next(
        i for i, v in enumerate(top) if isinstance(v, str) and _is_field(v, Field.NAME)
    )
    spans = {
        column
        for (r0, c0), (r1, c1) in merges
        if r0 == header_row and (c1 > c0 or r1 > r0)
        for column in range(c0, c1 + 1)
    }
    bottom: Sequence[object] | None = None
    if header_row + 1 < len(rows) and _is_sub_header_row(
        top, rows[header_row + 1], name_index, spans, merges, header_row
    ):
        bottom = rows[header_row + 1]
    layout = Layout(header_rows=(header_row,) if bottom is None else (header_row, header_row + 1))
    if bottom is None:
        headers = [(_text(top, i), _text(top, i)) for i in range(width)]
    else:
        parents = _parents(top, bottom, width, merges, header_row)
        headers = []
        for i in range(width):
            parent, sub = parents[i], _text(bottom, i)
            written = f"{parent}/{sub}" if parent and sub and parent != sub else parent or sub
            headers.append((written, _combine(parent, sub)))
    layout.headers = [written for written, _ in headers]
    for index, (written, text) in enumerate(headers):
        match = classify_header(text) if text else None
        if match is None:
            continue
        factor = unit_factor(written) or default_factor
        column = Column(index, column_letter(index), written, match, factor)
        if match.field is Field.ANNUAL_PLAN:
            layout.annual.append(column)
        else:
            layout.columns.setdefault(match.field, []).append(column)
    _pair_milestones(layout)
    for name, found in layout.columns.items():
        if len(found) > 1 and name not in _MANY_ALLOWED:
            ignored = "、".join(f"{c.letter}列“{c.header}”" for c in found[1:])
            layout.warnings.append(
                f"表头中“{name.value}”出现了多次，使用{found[0].letter}列，忽略{ignored}"
            )
    return layout


_MANY_ALLOWED = {
    Field.RESPONSIBLE_UNITS,
    Field.MILESTONE_NAME,
    Field.MILESTONE_DATE,
    Field.MILESTONES_TEXT,
    Field.REMARK,
    Field.SEQ,
}


def _is_field(text: str, name: Field) -> bool:
    match = classify_header(text)
    return match is not None and match.field is name


def _combine(parent: str, sub: str) -> str:
    """The header text to classify for a column under a two-level header."""
    if not parent or parent == sub:
        return sub
    if not sub:
        return parent
    joined = parent + sub
    if classify_header(joined) is not None:
        return joined  # 节点1 + 计划时间, 计划投资 + 2022年
    if classify_header(sub) is not None:
        return sub  # 投资情况 + 总投资
    return joined


def _pair_milestones(layout: Layout) -> None:
    """Pair 节点N with 节点N计划时间 by number, unnumbered ones by position."""
    names = layout.columns.pop(Field.MILESTONE_NAME, [])
    dates = layout.columns.pop(Field.MILESTONE_DATE, [])
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
            layout.warnings.append(
                f"{column.letter}列“{column.header}”没有对应的节点名称列，已忽略"
            )
    # a 节点N column without a date column holds name and date together, as text
    layout.milestone_text.extend(unpaired)
    layout.milestone_pairs.sort(key=lambda pair: pair[0].index)
    layout.milestone_text.sort(key=lambda column: column.index)
