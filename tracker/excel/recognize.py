"""What a column of a project list holds: from the meaning of its header, else from its values.

Offices word the same header a dozen ways (建设地点, 项目建设地点, 所在县（区）, 实施地点…),
so headers are not looked up in a list: a header is recognised by the key terms it
contains and their combinations, in an order that lets the more specific reading win
(“计划总投资” is a total before it is a plan; “节点1计划时间” a milestone date before it is a
date; “牵头单位负责人” a person before it is a unit). Years in a header are kept: a
number (“2022年计划投资”), or a year relative to the list's (“本年度计划投资” → 0,
“截至上年底累计完成投资” → -1) that ``years.py`` resolves.

A column whose header says nothing known is judged by its values (``recognise_values``):
mostly county names, mostly 新建/续建, mostly phone numbers or “name + phone”, dates,
amounts. The values decide a field only where that is unambiguous; otherwise they rank
the fields the office is offered in the mapping step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from tracker.domain.messages import Message, msg
from tracker.excel.values import (
    ValueProblem,
    normalize_county,
    normalize_nature,
    normalize_text,
)

__all__ = [
    "APPROVAL_STEPS",
    "Field",
    "HeaderMatch",
    "approval_step",
    "MAPPABLE",
    "classify_header",
    "header_key",
    "mapping_key",
    "match_as",
    "parse_target_field",
    "recognise_values",
    "candidates_for",
    "samples",
    "split_contact",
]


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
    IMPLEMENTER = "实施主体"
    CITY_LEADER = "市级责任领导"
    CONTACT_PERSON = "责任人"
    CONTACT_PHONE = "联系电话"
    CONTACT = "责任人及联系方式"
    SCOPE = "建设内容及规模"
    TOTAL_INVESTMENT = "总投资"
    ANNUAL_PLAN = "年度计划投资"
    COMPLETED_BEFORE = "截至上年底累计完成投资"
    PLANNED_START = "计划开工时间"
    PLANNED_FINISH = "计划完工时间"
    ACTUAL_START = "实际开工时间"
    ACTUAL_FINISH = "实际完工时间"
    PERIOD = "建设年限"
    MILESTONE_NAME = "节点名称"
    MILESTONE_DATE = "节点计划时间"
    MILESTONE_ACTUAL = "节点实际完成时间"
    MILESTONES_TEXT = "节点"
    APPROVAL = "前期手续办结时间"  # 可研批复时间, 用地批复 …: a step's actual approval date (#17)
    REMARK = "备注"


# What the office may map a column to, in the order the mapping step offers them. The
# paired milestone columns (节点N / 节点N计划时间) are recognised from their headers only.
MAPPABLE: tuple[Field, ...] = (
    Field.NAME,
    Field.CODE,
    Field.AREA,
    Field.MEASURE,
    Field.COUNTY,
    Field.NATURE,
    Field.LEAD_UNIT,
    Field.RESPONSIBLE_UNITS,
    Field.IMPLEMENTER,
    Field.CITY_LEADER,
    Field.CONTACT_PERSON,
    Field.CONTACT_PHONE,
    Field.CONTACT,
    Field.SCOPE,
    Field.TOTAL_INVESTMENT,
    Field.ANNUAL_PLAN,
    Field.COMPLETED_BEFORE,
    Field.PLANNED_START,
    Field.PLANNED_FINISH,
    Field.ACTUAL_START,
    Field.ACTUAL_FINISH,
    Field.PERIOD,
    Field.MILESTONES_TEXT,
    Field.REMARK,
    Field.SEQ,
)
IGNORE = "ignore"  # a mapping's value for a column the office chose not to import


@dataclass(frozen=True)
class HeaderMatch:
    field: Field
    number: int | None = None  # milestone number (节点3), or the year of 2022年计划投资
    year_offset: int | None = None  # relative to the list's year: 本年度 0, 上年底 -1
    weak: bool = False  # a generic word (类型): only taken when the values agree


# ---------------------------------------------------------------------------- header text

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


def mapping_key(text: str) -> str:
    """How a header is remembered and matched in a mapping: as written, width and spaces
    folded (“项目建设地点 ” and “项目建设地点” are the same header)."""
    return "".join(normalize_text(text).split())


# ---------------------------------------------------------------------------- the rules

_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBERS["十"] = 10
# 节点 / 里程碑 after a short qualifier: 关键节点, 控制性节点, 形象进度节点
_MILESTONE_PREFIX = r"(?:[^\d一二三四五六七八九十]{0,6}?)(?:节点|里程碑)"
_NUMBER = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_MILESTONE_NAME = re.compile(rf"^{_MILESTONE_PREFIX}{_NUMBER}?(?:名称|内容|事项|目标|任务)?$")
_MILESTONE_DATE = re.compile(
    rf"^{_MILESTONE_PREFIX}{_NUMBER}?(?:计划|预计)?(?:完成)?(?:时间|日期|时限|年月)$"
)
_MILESTONE_ACTUAL = re.compile(rf"^{_MILESTONE_PREFIX}{_NUMBER}?实际(?:完成)?(?:时间|日期|年月)?$")
_CODE = re.compile(r"编号|代码|编码|赋码")
_NOT_CODE = re.compile(r"信用|区划|邮政|机构|序")

_YEAR = re.compile(r"((?:19|20)\d{2})年?度?")
_THIS_YEAR = re.compile(r"本年度|本年|今年|当年|年度|全年")
_LAST_YEAR_END = re.compile(
    r"上年底|上年末|上一年底|上一年末|去年底|去年末|上年度|上一年度|上年|去年"
)
_YEAR_END = re.compile(r"((?:19|20)\d{2})年?(?:底|末|12月底|12月末|12月31日)")
_EARLIER_YEARS = re.compile(r"以前年度|往年|历年")

_SEQ = {"序号", "排序", "序", "顺序号", "编序", "序列号", "no", "no.", "xh"}
_NAME_EXACT = {"项目", "项目名", "重大项目", "重点项目", "建设项目", "工程项目", "项目工程"}
_PERSON = re.compile(r"责任人|联系人|负责人|经办人|具体责任人|姓名|项目经理")
_PHONE = re.compile(r"电话|手机|联系方式|号码|座机")
_IMPLEMENTER = re.compile(
    r"业主|实施主体|建设单位|实施单位|责任主体|项目法人|建设主体|承建|申报单位"
)
_RESPONSIBLE = re.compile(r"责任单位|责任部门|配合|协同|参与单位|协助|协办|责任科室|参加单位")
_LEAD = re.compile(r"牵头|主管部门|主管单位|主责单位|主责部门")
_PLACE = re.compile(
    r"地点|地址|所在地|属地|县区|区县|县市区|所在县|所属县|县别|建设地|乡镇|位置|所在区域|行政区"
)
_TARGETS = re.compile(
    r"节点|里程碑|目标|进度安排|进度计划|时间安排|工作计划|推进计划|计划安排|时间节点|任务安排"
)


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_NUMBERS[text]
    tens, _, ones = text.partition("十")
    return (_CN_NUMBERS.get(tens, 1) if tens else 1) * 10 + (_CN_NUMBERS.get(ones, 0))


def classify_header(text: str) -> HeaderMatch | None:
    """Which field a header names, or None when it names none the importer reads."""
    key = header_key(text)
    if not key:
        return None
    if key in _SEQ or key.startswith("序号"):
        return HeaderMatch(Field.SEQ)
    if (_CODE.search(key) and not _NOT_CODE.search(key)) or key == "项目id":
        return HeaderMatch(Field.CODE)
    if found := _milestone(key):
        return found
    if found := _approval(key):
        return found
    if "投资" in key or "资金" in key:
        return _investment(key)
    if _TARGETS.search(key):
        return HeaderMatch(Field.MILESTONES_TEXT, number=_explicit_year(key))
    if found := _dates(key):
        return found
    return _who_and_what(key, normalize_text(text))


def _milestone(key: str) -> HeaderMatch | None:
    if m := _MILESTONE_ACTUAL.match(key):
        return HeaderMatch(Field.MILESTONE_ACTUAL, _cn_number(m[1]) if m[1] else None)
    if m := _MILESTONE_DATE.match(key):
        return HeaderMatch(Field.MILESTONE_DATE, _cn_number(m[1]) if m[1] else None)
    if m := _MILESTONE_NAME.match(key):
        has_suffix = key.endswith(("名称", "内容", "事项", "目标", "任务"))
        if m[1] or has_suffix:
            return HeaderMatch(Field.MILESTONE_NAME, _cn_number(m[1]) if m[1] else None)
    return None


# 前期手续 (#17): the approval steps a list may give a date for, by the words that name them,
# the more specific first (用地预审 before 用地, 规划许可 before 用地 in 建设用地规划许可证).
# The codes are the standard steps' (tracker.domain.approvals.STANDARD_STEPS); a column's
# HeaderMatch.number is its step's position here, from 1.
APPROVAL_STEPS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(words))
    for code, words in (
        ("proposal", r"项目建议书|建议书"),
        ("site", r"用地预审|选址"),
        ("feasibility", r"可研|可行性研究"),
        ("eia", r"环评|环境影响"),
        ("energy", r"能评|节能"),
        ("soil", r"水保|水土保持"),
        ("forest", r"林地"),
        ("drawing", r"施工图"),
        ("permit", r"施工许可"),
        ("planning", r"规划许可|工程规划"),
        ("land", r"用地|土地|农转用|供地"),
    )
)
_APPROVAL_WORDS = re.compile(r"批复|许可|审批|审查|预审|核准|备案|批准|审核|办结|取得|意见书")
# the approval's number, its unit, its contact, a text about it, or a date still planned
_NOT_APPROVAL_DATE = re.compile(
    r"文号|部门|单位|机关|人|电话|编号|情况|进展|状态|内容|说明|计划|预计|投资|资金|面积"
)


def approval_step(match: HeaderMatch) -> str:
    """The standard step code an APPROVAL column's match names."""
    assert match.field is Field.APPROVAL and match.number is not None
    return APPROVAL_STEPS[match.number - 1][0]


def _approval(key: str) -> HeaderMatch | None:
    """可研批复时间, 用地批复, 施工许可证取得日期 … (an approval's date, not its number)."""
    if not _APPROVAL_WORDS.search(key) or _NOT_APPROVAL_DATE.search(key):
        return None
    for number, (_, words) in enumerate(APPROVAL_STEPS, start=1):
        if words.search(key):
            return HeaderMatch(Field.APPROVAL, number)
    return None


def _explicit_year(key: str) -> int | None:
    years = {int(y) for y in _YEAR.findall(key)}
    return years.pop() if len(years) == 1 else None


def _investment(key: str) -> HeaderMatch | None:
    """The amount columns: total, a year's plan, or what was completed before the year."""
    if "总投资" in key or "投资总额" in key or "估算" in key or "概算" in key:
        return HeaderMatch(Field.TOTAL_INVESTMENT)
    if "总额" in key and "计划" not in key:
        return HeaderMatch(Field.TOTAL_INVESTMENT)
    completed = "累计" in key or ("完成" in key and "计划" not in key and "目标" not in key)
    if completed:
        if m := _YEAR_END.search(key):  # 至2021年底累计完成投资: the opening of 2022
            return HeaderMatch(Field.COMPLETED_BEFORE, number=int(m[1]))
        if _LAST_YEAR_END.search(key) or _EARLIER_YEARS.search(key):
            return HeaderMatch(Field.COMPLETED_BEFORE, year_offset=-1)
        return None  # 累计完成投资 as of when? 2022年完成投资: a plan or a result? Ask.
    if re.search(r"\d{1,2}[-~至到]\d{1,2}月|\d{1,2}月份?", key):
        return None  # a month's or a quarter's split of the plan
    plan_words = "计划" in key or "目标" in key or "安排" in key or "年度投资" in key
    year = _explicit_year(key)
    if year is not None and (plan_words or re.fullmatch(_YEAR.pattern + r"投资额?", key)):
        return HeaderMatch(Field.ANNUAL_PLAN, number=year)
    if plan_words and _THIS_YEAR.search(key):
        return HeaderMatch(Field.ANNUAL_PLAN, year_offset=0)
    if key in {"投资", "投资额", "项目投资", "投资规模", "项目投资额"}:
        return HeaderMatch(Field.TOTAL_INVESTMENT)
    return None


def _dates(key: str) -> HeaderMatch | None:
    if "起止" in key or "年限" in key or "期限" in key or "周期" in key or "工期" in key:
        return HeaderMatch(Field.PERIOD)
    if key in {"建设期", "实施期"} or "开竣工" in key or ("开工" in key and "完工" in key):
        return HeaderMatch(Field.PERIOD)
    actual = "实际" in key
    if "开工" in key:
        return HeaderMatch(Field.ACTUAL_START if actual else Field.PLANNED_START)
    if re.search(r"完工|竣工|建成|投产|交付|完成时间|完成日期|完成时限|完成年月", key):
        return HeaderMatch(Field.ACTUAL_FINISH if actual else Field.PLANNED_FINISH)
    return None


def _who_and_what(key: str, folded: str) -> HeaderMatch | None:
    """People and units (leader, contact, lead unit, implementer), else ``_what``."""
    if re.search(r"邮箱|邮件|email|e-mail|传真|qq|微信", key):
        return None  # an address the plan has no field for: the office decides
    if "领导" in key:
        return None if "县" in key else HeaderMatch(Field.CITY_LEADER)
    person = _PERSON.search(key)
    # “责任人（联系电话）”: the phone may be in brackets that header_key drops
    phone = _PHONE.search(key) or (_PHONE.search(folded) if person else None)
    if person and phone:
        return HeaderMatch(Field.CONTACT)
    if person:
        return HeaderMatch(Field.CONTACT_PERSON)
    if phone:
        return HeaderMatch(Field.CONTACT_PHONE)
    if _LEAD.search(key):
        return HeaderMatch(Field.LEAD_UNIT)
    if _IMPLEMENTER.search(key):
        return HeaderMatch(Field.IMPLEMENTER)
    if _RESPONSIBLE.search(key):
        return HeaderMatch(Field.RESPONSIBLE_UNITS)
    return _what(key)


def _what(key: str) -> HeaderMatch | None:
    """The place, the plan's groups and the project's own words."""
    if _PLACE.search(key) or key in {"县", "县市", "区县", "所在县", "县名"}:
        return HeaderMatch(Field.COUNTY)
    if "领域" in key:
        return HeaderMatch(Field.AREA)
    if "举措" in key or "措施" in key:
        return HeaderMatch(Field.MEASURE)
    if "性质" in key or ("新建" in key and "续建" in key) or "新续建" in key:
        return HeaderMatch(Field.NATURE)
    if key.endswith(("类型", "类别")):
        return HeaderMatch(Field.NATURE, weak=True)
    if key.endswith(("名称", "名")) or key in _NAME_EXACT:
        return HeaderMatch(Field.NAME) if "单位" not in key else None
    if "内容" in key or "规模" in key:
        return HeaderMatch(Field.SCOPE)
    if "备注" in key or key in {"说明", "附注", "备注说明", "其他说明"}:
        return HeaderMatch(Field.REMARK)
    return None


def match_as(field: Field, header: str) -> HeaderMatch:
    """The match for a column the office mapped to ``field``: the header's own reading when
    it agrees (it knows the year of 2022年计划投资), else the field with the year its
    header names, or the list's year (本年度) and the end of the year before (上年底)."""
    found = classify_header(header) if header else None
    if found is not None and found.field is field:
        return HeaderMatch(field, found.number, found.year_offset)
    key = header_key(header) if header else ""
    if field is Field.ANNUAL_PLAN:
        year = _explicit_year(key)
        return HeaderMatch(field, year, None if year else 0)
    if field is Field.COMPLETED_BEFORE:
        if m := _YEAR_END.search(key):
            return HeaderMatch(field, int(m[1]))
        return HeaderMatch(field, year_offset=-1)
    if field is Field.MILESTONES_TEXT:
        return HeaderMatch(field, _explicit_year(key))
    return HeaderMatch(field)


def parse_target_field(text: str) -> Field | str | None:
    """What a mapping's right-hand side names: a field (by its label, its English name or
    any header wording the rules recognise), ``IGNORE``, or None when it names nothing."""
    word = "".join(normalize_text(text).split())
    lowered = word.lower()
    if lowered in {IGNORE, "忽略", "不导入", "skip", "-"}:
        return IGNORE
    for field in Field:
        if word == field.value or lowered == field.name.lower():
            return field
    match = classify_header(word)
    return None if match is None else match.field


# ---------------------------------------------------------------------------- values

_PHONE_VALUE = re.compile(r"(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8}|\d{7,8})")


def split_contact(text: str) -> tuple[str, str]:
    """“李明 0883-2158535” -> (“李明”, “0883-2158535”); several people and phones keep
    their order: “李明13888888888、王芳” -> (“李明、王芳”, “13888888888”)."""
    folded = normalize_text(text)
    phones = [m.group(0).strip() for m in _PHONE_VALUE.finditer(folded)]
    rest = _PHONE_VALUE.sub("、", folded)
    people = [
        p.strip(" :：,，;；、/()（）-—")
        for p in re.split(r"[、,，;；/\n\r]+|\s+", rest)
        if p.strip(" :：,，;；、/()（）-—")
    ]
    people = [re.sub(r"^(?:联系人|责任人|负责人|电话|手机|联系电话)[:：]?", "", p) for p in people]
    return "、".join(p for p in people if p), "、".join(phones)


@dataclass(frozen=True)
class ValueKind:
    """What the values of a column look like."""

    field: Field | None  # decided from the values alone, or None
    candidates: tuple[Field, ...]  # what the office is offered first, most likely first
    describe: Message | None  # “多为县（区）名”, for the mapping step


_DATE_CANDIDATES = (Field.PLANNED_START, Field.PLANNED_FINISH, Field.ACTUAL_START)
_DATE_CANDIDATES += (Field.ACTUAL_FINISH, Field.PERIOD)
_AMOUNT_CANDIDATES = (Field.TOTAL_INVESTMENT, Field.ANNUAL_PLAN, Field.COMPLETED_BEFORE)
_TEXT_CANDIDATES = (Field.SCOPE, Field.REMARK, Field.RESPONSIBLE_UNITS, Field.IMPLEMENTER)
_TEXT_CANDIDATES += (Field.CITY_LEADER, Field.LEAD_UNIT, Field.MILESTONES_TEXT)
_MONTH_TEXT = re.compile(r"\d{1,2}月|年底|年内|上半年|下半年|季度")
_AMOUNT_TEXT = re.compile(r"^[+-]?[\d,，.]+\s*(?:亿元|万元|亿|万|元)?$")


def recognise_values(values: Sequence[object]) -> ValueKind:
    """Judge a column by its filled values (at most a few hundred are looked at)."""
    filled = [v for v in values if v is not None and v != "" and not _blank(v)][:300]
    if not filled:
        return ValueKind(None, (), None)
    n = len(filled)
    texts = [v.strip() for v in filled if isinstance(v, str)]
    counties = sum(1 for t in texts if _is_county(t))
    if counties >= max(2, 0.6 * n) or (n == 1 and counties == 1):
        return ValueKind(Field.COUNTY, (Field.COUNTY,), msg("column.kind.county"))
    natures = sum(1 for t in texts if _is_nature(t))
    if natures >= max(2, 0.8 * n):
        return ValueKind(Field.NATURE, (Field.NATURE,), msg("column.kind.nature"))
    phones = [t for t in texts if _PHONE_VALUE.search(normalize_text(t))]
    if len(phones) >= 0.6 * n:
        with_names = sum(1 for t in phones if split_contact(t)[0])
        if with_names >= 0.5 * len(phones):
            return ValueKind(Field.CONTACT, (Field.CONTACT,), msg("column.kind.contact"))
        return ValueKind(Field.CONTACT_PHONE, (Field.CONTACT_PHONE,), msg("column.kind.phone"))
    dates = sum(1 for v in filled if isinstance(v, date | datetime) or _looks_like_date(v))
    if dates >= 0.6 * n:
        return ValueKind(None, _DATE_CANDIDATES, msg("column.kind.date"))
    amounts = sum(
        1
        for v in filled
        if (isinstance(v, int | float) and not isinstance(v, bool))
        or (isinstance(v, str) and _AMOUNT_TEXT.match(normalize_text(v).strip()))
    )
    if amounts >= 0.6 * n:
        return ValueKind(None, _AMOUNT_CANDIDATES, msg("column.kind.amount"))
    if sum(1 for t in texts if _MONTH_TEXT.search(t)) >= 0.5 * n:
        dated_text = (Field.MILESTONES_TEXT, *_TEXT_CANDIDATES[:-1])
        return ValueKind(None, dated_text, msg("column.kind.dated_text"))
    return ValueKind(None, _TEXT_CANDIDATES, msg("column.kind.text"))


_HINTS: tuple[tuple[re.Pattern[str], tuple[Field, ...]], ...] = (
    (re.compile(r"投资|资金|金额|万元|亿元"), _AMOUNT_CANDIDATES),
    (re.compile(r"时间|日期|年月|时限"), _DATE_CANDIDATES),
    (re.compile(r"单位|部门|主体"), (Field.RESPONSIBLE_UNITS, Field.LEAD_UNIT, Field.IMPLEMENTER)),
    (re.compile(r"人|领导"), (Field.CONTACT_PERSON, Field.CITY_LEADER, Field.CONTACT)),
    (re.compile(r"进度|计划|安排|任务"), (Field.MILESTONES_TEXT,)),
)


def candidates_for(header: str, kind: ValueKind) -> tuple[Field, ...]:
    """The fields a column could be, most likely first: hints from the header's words,
    then what its values look like, then the rest."""
    key = header_key(header) if header else ""
    ordered: list[Field] = []
    for pattern, fields in _HINTS:
        if key and pattern.search(key):
            ordered += [f for f in fields if f in kind.candidates or not kind.candidates]
    ordered += list(kind.candidates)
    ordered += list(MAPPABLE)
    return tuple(dict.fromkeys(ordered))


def _blank(value: object) -> bool:
    return isinstance(value, str) and (not value.strip() or value.strip() in {"-", "—", "/"})


def _is_county(text: str) -> bool:
    try:
        normalize_county(text)
    except ValueProblem:
        return False
    return True


def _is_nature(text: str) -> bool:
    try:
        return normalize_nature(text) is not None
    except ValueProblem:
        return False


_DATE_TEXT = re.compile(
    r"^\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*\d{1,2}\s*[日号]?|月份?|月底|月末)?)?\s*(?:年|年底|年末)?$"
)


def _looks_like_date(value: object) -> bool:
    if isinstance(value, str):
        return bool(_DATE_TEXT.match(normalize_text(value).strip()))
    return False


def samples(values: Iterable[object], count: int = 3, look: int = 60) -> list[str]:
    """Up to ``count`` distinct filled values, as text (for the dry run and the mapping
    step), from the first ``look`` filled ones: a column of four areas over 5,000 rows
    shows the ones near its top rather than being read to the end."""
    found: list[str] = []
    seen = 0
    for value in values:
        if value is None or value == "" or _blank(value):
            continue
        seen += 1
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, datetime):
            text = value.date().isoformat() if value.time() == datetime.min.time() else str(value)
        elif isinstance(value, date):
            text = value.isoformat()
        else:
            text = " ".join(str(value).split())
        text = text if len(text) <= 40 else text[:39] + "…"
        if text not in found:
            found.append(text)
        if len(found) == count or seen >= look:
            break
    return found
